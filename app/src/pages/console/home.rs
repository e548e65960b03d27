//! `/staff`: sign in with a mobile number and password; signed in, the stores one may
//! open (a brand admin: every store, and the brand's API keys), sign out, and sign out
//! everywhere.

use super::landing;
use crate::api::console::{Me, get_staff_home};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::staff::{StaffText as T, role_name};
use crate::domain::staff::{Action, allows};
use crate::forms::{StaffLoginForm, StaffLogoutForm, StaffPasswordForm};
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let query = use_query_map();
    crate::console_page!(T::Console, get_staff_home(), |home| {
        let back = query.read_untracked().get("back").unwrap_or_default();
        match home.me {
            Some(me) => view! { <Signed me /> }.into_any(),
            None => view! { <SignIn back /> }.into_any(),
        }
    })
}

#[component]
fn SignIn(back: String) -> impl IntoView {
    let lang = use_lang();
    let f = StaffLoginForm::FIELDS;
    let bad = is_refused(f.password) || is_refused(f.phone);
    view! {
        <section class="staff-sign-in" aria-labelledby="staff-sign-in">
            <h1 id="staff-sign-in">{T::SignInTitle.t(lang)}</h1>
            <p>{T::SignInIntro.t(lang)}</p>
            <form method="post" action=routes::STAFF_LOGIN class="stack-form">
                <input type="hidden" name=f.back value=back />
                <label for="staff-phone">{T::Phone.t(lang)}</label>
                <input id="staff-phone" name=f.phone type="tel" inputmode="tel" autocomplete="username"
                    required maxlength="20" aria-invalid=is_refused(f.phone).then_some("true")
                    aria-describedby=described_by(f.phone) />
                <FieldNote field=f.phone />
                <label for="staff-password">{T::Password.t(lang)}</label>
                <input id="staff-password" name=f.password type="password" autocomplete="current-password"
                    required maxlength="128" aria-invalid=bad.then_some("true")
                    aria-describedby=described_by(f.password) />
                <FieldNote field=f.password />
                <button type="submit" class="button button-primary">{T::SignIn.t(lang)}</button>
            </form>
        </section>
    }
}

#[component]
fn Signed(me: Me) -> impl IntoView {
    let lang = use_lang();
    let stores = if me.stores.is_empty() {
        view! { <p class="empty">{T::NoStores.t(lang)}</p> }.into_any()
    } else {
        me.stores
            .into_iter()
            .map(|s| {
                let href = landing(&s.slug, allows(s.role, Action::Orders));
                view! {
                    <li>
                        <a class="console-store-link" href=href>
                            <strong>{s.name}</strong>
                            <span>{s.city}" · "{role_name(lang, s.role)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let who = if me.brand_admin {
        T::RoleBrandAdmin.t(lang).to_owned()
    } else {
        me.phone.clone()
    };
    let brand = me.brand_admin.then(|| {
        view! {
            <nav aria-label=T::RoleBrandAdmin.t(lang)>
                <ul class="console-nav">
                    <li><a href=routes::STAFF_API_KEYS>{T::NavApiKeys.t(lang)}</a></li>
                </ul>
            </nav>
        }
    });
    view! {
        <section aria-labelledby="my-stores">
            <h1 id="my-stores">{T::YourStores.t(lang)}</h1>
            <p class="console-who">{me.name}" · "{who}</p>
            {brand}
            <ul class="console-stores">{stores}</ul>
            <ChangePassword />
            <div class="console-actions">
                <form method="post" action=routes::STAFF_LOGOUT>
                    <button type="submit" class="button">{T::SignOut.t(lang)}</button>
                </form>
                <form method="post" action=routes::STAFF_LOGOUT>
                    <input type="hidden" name=StaffLogoutForm::FIELDS.everywhere value="1" />
                    <button type="submit" class="button button-secondary">{T::SignOutEverywhere.t(lang)}</button>
                </form>
            </div>
        </section>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let lang = use_lang();
    let f = StaffPasswordForm::FIELDS;
    // Open when the post just refused one of its fields.
    let open = is_refused(f.current) || is_refused(f.password);
    view! {
        <details class="change-password" open=open>
            <summary>{T::ChangePassword.t(lang)}</summary>
            <form method="post" action=routes::STAFF_PASSWORD class="stack-form">
                <label for="current-password">{T::CurrentPassword.t(lang)}</label>
                <input id="current-password" name=f.current type="password" autocomplete="current-password"
                    required maxlength="128" aria-invalid=is_refused(f.current).then_some("true")
                    aria-describedby=described_by(f.current) />
                <FieldNote field=f.current />
                <label for="new-password">{T::NewPassword.t(lang)}</label>
                <input id="new-password" name=f.password type="password" autocomplete="new-password"
                    required minlength="10" maxlength="128" aria-invalid=is_refused(f.password).then_some("true")
                    aria-describedby=described_by(f.password) />
                <FieldNote field=f.password />
                <button type="submit" class="button">{T::ChangePassword.t(lang)}</button>
            </form>
        </details>
    }
}
