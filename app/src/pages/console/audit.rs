//! `/staff/{store}/audit`: every staff change in the store, newest first — who, when,
//! what, before and after — for the store's manager and brand admins.

use super::ConsoleNav;
use crate::api::console::{ConsoleAudit, get_console_audit};
use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::domain::i18n::staff::StaffText as T;
use crate::links;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ConsoleAuditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read_untracked().get("store").unwrap_or_default(),
            query
                .read_untracked()
                .get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1u32),
        )
    };
    crate::console_page!(
        T::AuditTitle,
        {
            let (s, p) = args();
            get_console_audit(s, p)
        },
        |a| view! { <Audit a /> }
    )
}

#[component]
fn Audit(a: ConsoleAudit) -> impl IntoView {
    let lang = use_lang();
    let slug = a.frame.store_slug.clone();
    let body = if a.rows.is_empty() {
        view! { <p class="empty">{T::AuditEmpty.t(lang)}</p> }.into_any()
    } else {
        let rows = a
            .rows
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{r.when}</td>
                        <td>{r.who}</td>
                        <td>{r.action}" "<span class="muted">{r.subject}</span></td>
                        <td>{r.before}</td>
                        <td>{r.after}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=T::AuditTitle.t(lang)>
                <table class="audit">
                    <thead><tr>
                        <th scope="col">{T::When.t(lang)}</th>
                        <th scope="col">{T::Who.t(lang)}</th>
                        <th scope="col">{T::What.t(lang)}</th>
                        <th scope="col">{T::Before.t(lang)}</th>
                        <th scope="col">{T::After.t(lang)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let base = links::console(&slug, "audit");
    let prev = (a.page > 1).then(
        || view! { <a href=format!("{base}?page={}", a.page - 1)>{Msg::Previous.t(lang)}</a> },
    );
    let next = a
        .more
        .then(|| view! { <a href=format!("{base}?page={}", a.page + 1)>{Msg::Next.t(lang)}</a> });
    view! {
        <ConsoleNav frame=a.frame current="audit" />
        <h1>{T::AuditTitle.t(lang)}</h1>
        {body}
        <nav class="pager" aria-label=T::AuditTitle.t(lang)>{prev}" "{next}</nav>
    }
}
