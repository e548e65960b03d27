//! `/staff/{store}/guides?period=day|week|month`: each guide's members who joined through
//! them, orders credited to them and those orders' sales, with a CSV export. A guide sees
//! their own row; a manager the store's; a brand admin every store's.

use super::ConsoleNav;
use crate::api::console::{ConsoleGuides, get_console_guides};
use crate::context::use_lang;
use crate::domain::i18n::staff::StaffText as T;
use crate::links;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ConsoleGuidesPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read_untracked().get("store").unwrap_or_default(),
            query.read_untracked().get("period").unwrap_or_default(),
        )
    };
    crate::console_page!(
        T::GuidesTitle,
        {
            let (s, p) = args();
            get_console_guides(s, p)
        },
        |g| view! { <Guides g /> }
    )
}

#[component]
fn Guides(g: ConsoleGuides) -> impl IntoView {
    let lang = use_lang();
    let slug = g.frame.store_slug.clone();
    let periods = [
        ("day", T::PeriodDay),
        ("week", T::PeriodWeek),
        ("month", T::PeriodMonth),
    ]
    .into_iter()
    .map(|(p, name)| {
        let href = format!("{}?period={p}", links::console(&slug, "guides"));
        view! {
            <li><a href=href aria-current=(g.period == p).then_some("page")>{name.t(lang)}</a></li>
        }
    })
    .collect_view();
    let body = if g.rows.is_empty() {
        view! { <p class="empty">{T::NoGuides.t(lang)}</p> }.into_any()
    } else {
        let rows = g
            .rows
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <th scope="row">
                            {r.name}" "
                            // The guide's share page: their link and its QR code.
                            <a href=format!("/guide/{}", r.code) class="muted">{r.code.clone()}</a>
                        </th>
                        <td class="num">{r.members}</td>
                        <td class="num">{r.orders}</td>
                        <td class="num">{r.sales.to_string()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="guide-results">
                <thead><tr>
                    <th scope="col">{T::Guide.t(lang)}</th>
                    <th scope="col" class="num">{T::MembersJoined.t(lang)}</th>
                    <th scope="col" class="num">{T::OrdersCredited.t(lang)}</th>
                    <th scope="col" class="num">{T::Sales.t(lang)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let csv = format!("/staff/{slug}/guides.csv?period={}", g.period);
    view! {
        <ConsoleNav frame=g.frame current="guides" />
        <h1>{T::GuidesTitle.t(lang)}</h1>
        <nav aria-label=T::GuidesTitle.t(lang)><ul class="period-tabs">{periods}</ul></nav>
        {body}
        <p><a class="button" href=csv download="">{T::ExportCsv.t(lang)}</a></p>
    }
}
