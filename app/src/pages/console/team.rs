//! `/staff/{store}/team`: the store's people and their roles; add a person (a manager
//! adds staff and guides, a brand admin also managers), reset a password (which signs
//! them out everywhere), or take someone's role in this store away.

use super::ConsoleNav;
use crate::api::console::{ConsoleTeam, get_console_team};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::staff::{StaffText as T, role_name};
use crate::forms::{TeamAddForm, TeamRemoveForm, TeamResetForm};
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConsoleTeamPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::TeamTitle,
        get_console_team(store()),
        |t| view! { <Team t /> }
    )
}

#[component]
fn Team(t: ConsoleTeam) -> impl IntoView {
    let lang = use_lang();
    let slug = t.frame.store_slug.clone();
    let rows = t
        .members
        .into_iter()
        .map(|m| {
            let reset = TeamResetForm::FIELDS;
            let field = format!("{}.{}", m.id, reset.password);
            let input_id = format!("reset-{}", m.id);
            let may = m.is_me || t.may_appoint.contains(&m.role);
            let actions = may.then(|| {
                let remove = (!m.is_me).then(|| view! {
                    <form method="post" action=routes::STAFF_TEAM_REMOVE class="inline-form">
                        <input type="hidden" name=TeamRemoveForm::FIELDS.store value=slug.clone() />
                        <input type="hidden" name=TeamRemoveForm::FIELDS.staff value=m.id.to_string() />
                        <button type="submit" class="button button-secondary"
                            aria-label=crate::domain::i18n::bag::labelled(lang, T::RemoveFromStore.t(lang), &m.name)>{T::RemoveFromStore.t(lang)}</button>
                    </form>
                });
                view! {
                    <form method="post" action=routes::STAFF_TEAM_RESET class="inline-form">
                        <input type="hidden" name=reset.store value=slug.clone() />
                        <input type="hidden" name=reset.staff value=m.id.to_string() />
                        <label for=input_id.clone()>{T::NewPassword.t(lang)}</label>
                        <input id=input_id.clone() name=reset.password type="password" autocomplete="new-password"
                            minlength="10" maxlength="128" required aria-invalid=is_refused(&field).then_some("true")
                            aria-describedby=described_by(&field) />
                        <FieldNote field=field.clone() />
                        <button type="submit" class="button"
                            aria-label=crate::domain::i18n::bag::labelled(lang, T::ResetPassword.t(lang), &m.name)>{T::ResetPassword.t(lang)}</button>
                    </form>
                    {remove}
                }
            });
            view! {
                <li class="team-member">
                    <strong>{m.name.clone()}</strong>" · "{role_name(lang, m.role)}" · "{m.phone.clone()}
                    {actions}
                </li>
            }
        })
        .collect_view();
    let f = TeamAddForm::FIELDS;
    let roles = t
        .may_appoint
        .iter()
        .map(|r| view! { <option value=r.as_str()>{role_name(lang, *r)}</option> })
        .collect_view();
    let input = move |id: &'static str,
                      name: &'static str,
                      label: T,
                      kind: &'static str,
                      auto: &'static str| {
        view! {
            <label for=id>{label.t(lang)}</label>
            <input id=id name=name type=kind autocomplete=auto required maxlength="128"
                aria-invalid=is_refused(name).then_some("true") aria-describedby=described_by(name) />
            <FieldNote field=name />
        }
    };
    view! {
        <ConsoleNav frame=t.frame current="team" />
        <h1>{T::TeamTitle.t(lang)}</h1>
        <ul class="team">{rows}</ul>
        <section aria-labelledby="add-person">
            <h2 id="add-person">{T::AddPerson.t(lang)}</h2>
            <form method="post" action=routes::STAFF_TEAM_ADD class="stack-form">
                <input type="hidden" name=f.store value=slug.clone() />
                {input("add-name", f.name, T::Name, "text", "off")}
                {input("add-phone", f.phone, T::Phone, "tel", "off")}
                <label for="add-role">{T::Role.t(lang)}</label>
                <select id="add-role" name=f.role aria-describedby=described_by(f.role)>{roles}</select>
                <FieldNote field=f.role />
                {input("add-password", f.password, T::InitialPassword, "password", "new-password")}
                <button type="submit" class="button button-primary">{T::AddPerson.t(lang)}</button>
            </form>
        </section>
    }
}
