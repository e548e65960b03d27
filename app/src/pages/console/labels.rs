//! `/staff/{store}/labels`: the store's products with how often each label's QR code was
//! scanned, and a GET form to choose products for labels; `/staff/{store}/labels/print`:
//! the chosen products' shelf labels (name, unit, this store's price, a QR code to the
//! product in this store's cloud store) as a print-ready A4 sheet. For whoever manages
//! the store's prices. Plain pages: works without JavaScript (the browser prints).

use super::ConsoleNav;
use crate::api::marketing::{ConsoleLabels, LabelSheet, get_console_labels, get_label_sheet};
use crate::context::use_lang;
use crate::domain::i18n::marketing::MarketingText as T;
use crate::links;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn ConsoleLabelsPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::LabelsTitle,
        get_console_labels(store()),
        |page| view! { <Labels page /> }
    )
}

#[component]
fn Labels(page: ConsoleLabels) -> impl IntoView {
    let lang = use_lang();
    let slug = page.frame.store_slug.clone();
    let rows = page
        .products
        .into_iter()
        .map(|p| {
            let id = format!("label-{}", p.sku);
            view! {
                <tr>
                    <td>
                        <input type="checkbox" id=id.clone() name="sku" value=p.sku.clone() />
                    </td>
                    <th scope="row"><label for=id>{p.name}</label></th>
                    <td>{p.category}</td>
                    <td>{p.price}</td>
                    <td class="label-scans">{p.scans}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ConsoleNav frame=page.frame current="labels" />
        <h1>{T::LabelsTitle.t(lang)}</h1>
        <p>{T::LabelsIntro.t(lang)}</p>
        <form method="get" action=links::console(&slug, "labels/print")>
            <section aria-labelledby="labels-choose">
                <h2 id="labels-choose">{T::LabelsChoose.t(lang)}</h2>
                <button type="submit" class="button button-primary">{T::LabelsPrint.t(lang)}</button>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="labels-choose">
                    <table class="data-table labels">
                        <thead><tr>
                            <th scope="col"><span class="visually-hidden">{T::LabelsChoose.t(lang)}</span></th>
                            <th scope="col">{T::LabelProduct.t(lang)}</th>
                            <th scope="col">{crate::domain::i18n::Msg::Category.t(lang)}</th>
                            <th scope="col">{T::LabelPrice.t(lang)}</th>
                            <th scope="col">{T::LabelScans.t(lang)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <button type="submit" class="button button-primary">{T::LabelsPrint.t(lang)}</button>
            </section>
        </form>
    }
}

#[component]
pub fn LabelSheetPage() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    let query = move || location.search.get_untracked();
    crate::console_page!(
        T::SheetTitle,
        get_label_sheet(store(), query()),
        |sheet| view! { <Sheet sheet /> }
    )
}

#[component]
fn Sheet(sheet: LabelSheet) -> impl IntoView {
    let lang = use_lang();
    let back = links::console(&sheet.store_slug, "labels");
    let labels = if sheet.labels.is_empty() {
        view! { <p class="empty">{T::SheetEmpty.t(lang)}</p> }.into_any()
    } else {
        let items = sheet
            .labels
            .into_iter()
            .map(|l| {
                view! {
                    <li class="shelf-label">
                        <div class="shelf-label-text">
                            <p class="shelf-label-name">{l.name}</p>
                            <p class="shelf-label-unit">{l.unit}</p>
                            <p class="shelf-label-price">{l.price}</p>
                            <p class="shelf-label-store">{sheet.store_name.clone()}</p>
                        </div>
                        <div class="shelf-label-qr">
                            <div class="qr" data-link=l.url.clone() inner_html=l.qr_svg></div>
                            <p class="shelf-label-scan">{T::LabelScanMe.t(lang)}</p>
                        </div>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="label-sheet">{items}</ul> }.into_any()
    };
    view! {
        <div class="no-print">
            <p><a href=back>{T::LabelsTitle.t(lang)}</a></p>
            <h1>{T::SheetTitle.t(lang)}" · "{sheet.store_name.clone()}</h1>
            <p class="hint">{T::SheetHint.t(lang)}</p>
        </div>
        {labels}
    }
}
