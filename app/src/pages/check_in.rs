//! `/checkin/{store}`: where a store's check-in QR code (at the door or the till) leads.
//! A signed-in member checks in with one button (once a day), and gets whatever the
//! store's check-in rules give; anyone else is asked to sign in. Works without
//! JavaScript.

use crate::api::marketing::{CheckInPage as Data, get_check_in};
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::i18n::marketing::MarketingText as T;
use crate::domain::i18n::member::MemberText;
use crate::forms::CheckInForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckInPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    view! {
        <Title text=T::CheckInTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_check_in(store()).await {
                    Ok(page) => view! { <CheckIn page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CheckIn(page: Data) -> impl IntoView {
    let lang = use_lang();
    let action = if page.signed_in {
        view! {
            <form method="post" action=routes::CHECK_IN class="stack-form">
                <input type="hidden" name=CheckInForm::FIELDS.store value=page.store_slug.clone() />
                <button type="submit" class="button button-primary">{T::CheckInButton.t(lang)}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p>{T::SignInForInbox.t(lang)}</p>
            <a class="button" href=crate::links::member()>{MemberText::SignInTitle.t(lang)}</a>
        }
        .into_any()
    };
    view! {
        <h1>{T::CheckInTitle.t(lang)}" · "{page.store_name}</h1>
        <p>{T::CheckInIntro.t(lang)}</p>
        {action}
        <p><a href=crate::links::store(&page.store_slug)>{crate::domain::i18n::Msg::BackToStore.t(lang)}</a></p>
    }
}
