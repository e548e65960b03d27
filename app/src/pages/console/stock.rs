//! `/staff/{store}/stock?q=&filter=&page=`: the store's offers — searched by SKU or name,
//! filtered to low or no stock, paged — each with its price, list price and stock, a form
//! to change any of them, and its recent price changes; and a CSV to import.
//! `/staff/{store}/stock/import/{id}`: an import's preview — each change and each refused
//! line — and the button that applies all of it. Plain forms: everything works without
//! JavaScript, and a refused field says why beside itself.

use super::ConsoleNav;
use crate::api::stock::{
    ConsoleStock, ImportChange, StockFilter, StockImport, StockLine, get_console_stock,
    get_stock_import,
};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::console::yuan_field;
use crate::domain::i18n::stock::{self as text, StockText as T};
use crate::domain::i18n::{Msg, product_count};
use crate::domain::lang::Lang;
use crate::forms::{OfferSetForm, StockApplyForm, StockPreviewForm};
use crate::links::{self, routes};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[component]
pub fn ConsoleStockPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let q = query.read_untracked();
        (
            params.read_untracked().get("store").unwrap_or_default(),
            q.get("q").unwrap_or_default(),
            q.get("filter").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32),
        )
    };
    crate::console_page!(
        T::Title,
        {
            let (s, q, f, p) = args();
            get_console_stock(s, q, f, p)
        },
        |s| view! { <Stock s /> }
    )
}

fn filter_name(filter: StockFilter) -> T {
    match filter {
        StockFilter::All => T::FilterAll,
        StockFilter::Low => T::FilterLow,
        StockFilter::Out => T::FilterOut,
    }
}

/// The stock page with this search, filter and page (defaults left out).
fn stock_href(store: &str, query: &str, filter: StockFilter, page: u32) -> String {
    let mut params = Vec::new();
    if !query.is_empty() {
        params.push(format!(
            "q={}",
            percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
        ));
    }
    if filter != StockFilter::All {
        params.push(format!("filter={}", filter.as_str()));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    let base = links::console(store, "stock");
    if params.is_empty() {
        base
    } else {
        format!("{base}?{}", params.join("&"))
    }
}

#[component]
fn Stock(s: ConsoleStock) -> impl IntoView {
    let lang = use_lang();
    let slug = s.frame.store_slug.clone();
    let back = links::here(&use_location());
    let options = StockFilter::ALL
        .into_iter()
        .map(|f| {
            let chosen = f == s.filter;
            view! { <option value=f.as_str() selected=chosen>{filter_name(f).t(lang)}</option> }
        })
        .collect_view();
    let body = if s.lines.is_empty() {
        view! { <p class="empty">{T::NoOffers.t(lang)}</p> }.into_any()
    } else {
        let rows = s
            .lines
            .into_iter()
            .map(|line| view! { <OfferRow store=slug.clone() back=back.clone() line /> })
            .collect_view();
        view! {
            <p class="muted">{T::LeaveEmpty.t(lang)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="offers-heading">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{T::Product.t(lang)}</th>
                        <th scope="col" class="num">{T::Price.t(lang)}</th>
                        <th scope="col" class="num">{T::ListPrice.t(lang)}</th>
                        <th scope="col" class="num">{T::Stock.t(lang)}</th>
                        <th scope="col">{T::Change.t(lang)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let prev = (s.page > 1).then(|| {
        view! { <a href=stock_href(&slug, &s.query, s.filter, s.page - 1)>{Msg::Previous.t(lang)}</a> }
    });
    let next = (s.page < s.pages).then(|| {
        view! { <a href=stock_href(&slug, &s.query, s.filter, s.page + 1)>{Msg::Next.t(lang)}</a> }
    });
    let page_of = crate::domain::i18n::page_of(lang, s.page, s.pages);
    view! {
        <ConsoleNav frame=s.frame current="stock" />
        <h1>{T::Title.t(lang)}</h1>
        <form method="get" action=links::console(&slug, "stock") class="inline-form" role="search">
            <label for="stock-q">{T::SearchLabel.t(lang)}</label>
            <input id="stock-q" name="q" type="search" value=s.query.clone() maxlength="64"
                placeholder=T::SearchPlaceholder.t(lang) aria-invalid=is_refused("q").then_some("true")
                aria-describedby=described_by("q") />
            <FieldNote field="q" />
            <label for="stock-filter">{T::FilterLabel.t(lang)}</label>
            <select id="stock-filter" name="filter">{options}</select>
            <button type="submit" class="button">{T::SearchButton.t(lang)}</button>
        </form>
        <h2 id="offers-heading">{T::OffersHeading.t(lang)}" "<span class="muted">{product_count(lang, s.total)}</span></h2>
        {body}
        <nav class="pager" aria-label=T::OffersHeading.t(lang)>
            {prev}" "<span class="muted">{page_of}</span>" "{next}
        </nav>
        <ImportForm store=slug />
    }
}

/// One offer: what it is now, the form that changes it, and its recent prices.
#[component]
fn OfferRow(store: String, back: String, line: StockLine) -> impl IntoView {
    let lang = use_lang();
    let f = OfferSetForm::FIELDS;
    let sku = line.sku.clone();
    let input = move |field: &'static str,
                      label: T,
                      id: String,
                      placeholder: String,
                      mode: &'static str| {
        let key = format!("{sku}.{field}");
        view! {
            <label for=id.clone()>{label.t(lang)}</label>
            <input id=id name=field type="text" inputmode=mode autocomplete="off" maxlength="12"
                placeholder=placeholder aria-invalid=is_refused(&key).then_some("true")
                aria-describedby=described_by(&key) />
            <FieldNote field=key />
        }
    };
    let sku = line.sku.clone();
    let history = if line.history.is_empty() {
        view! { <p class="muted">{T::NoPriceHistory.t(lang)}</p> }.into_any()
    } else {
        let items = line
            .history
            .iter()
            .map(|h| {
                view! {
                    <li>
                        <time>{h.when.clone()}</time>" · "{h.price.to_string()}
                        " "<span class="muted">"("{T::ListShort.t(lang)}" "{h.list_price.to_string()}")"</span>
                        " · "{h.who.clone()}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="price-history">{items}</ul> }.into_any()
    };
    let save_label = crate::domain::i18n::bag::labelled(lang, T::Save.t(lang), &line.name);
    view! {
        <tr>
            <th scope="row">{line.name.clone()}<br /><span class="muted">{sku.clone()}</span></th>
            <td class="num">{line.price.to_string()}</td>
            <td class="num">{line.list_price.to_string()}</td>
            <td class="num">{line.stock}</td>
            <td>
                <form method="post" action=routes::STAFF_OFFER_SET class="inline-form">
                    <input type="hidden" name=f.store value=store />
                    <input type="hidden" name=f.sku value=sku.clone() />
                    <input type="hidden" name=f.was_stock value=line.stock.to_string() />
                    <input type="hidden" name=f.back value=back />
                    {input(f.price, T::NewPrice, format!("price-{sku}"), yuan_field(line.price.minor), "decimal")}
                    {input(f.list_price, T::NewListPrice, format!("list-{sku}"), yuan_field(line.list_price.minor), "decimal")}
                    {input(f.stock, T::NewStock, format!("stock-{sku}"), line.stock.to_string(), "numeric")}
                    <button type="submit" class="button" aria-label=save_label>{T::Save.t(lang)}</button>
                </form>
            </td>
        </tr>
        <tr>
            <td colspan="5">
                <details>
                    <summary>{T::PriceHistory.t(lang)}" · "{line.name.clone()}</summary>
                    {history}
                </details>
            </td>
        </tr>
    }
}

/// The CSV import: pasted, or a file (multipart, so both go in one form).
#[component]
fn ImportForm(store: String) -> impl IntoView {
    let lang = use_lang();
    let f = StockPreviewForm::FIELDS;
    view! {
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{T::ImportHeading.t(lang)}</h2>
            <p id="import-intro">{T::ImportIntro.t(lang)}</p>
            <form method="post" action=routes::STAFF_STOCK_PREVIEW enctype="multipart/form-data" class="stack-form">
                <input type="hidden" name=f.store value=store />
                <label for="import-csv">{T::PasteCsv.t(lang)}</label>
                <textarea id="import-csv" name=f.csv rows="6" spellcheck="false"
                    placeholder="sku,stock,price_fen\nHC101101,25,1290"
                    aria-invalid=is_refused(f.csv).then_some("true")
                    aria-describedby=match described_by(f.csv) {
                        Some(note) => format!("import-intro {note}"),
                        None => "import-intro".to_owned(),
                    }></textarea>
                <FieldNote field=f.csv />
                <label for="import-file">{T::UploadCsv.t(lang)}</label>
                <input id="import-file" name=f.csv type="file" accept=".csv,text/csv,text/plain" />
                <button type="submit" class="button button-primary">{T::PreviewButton.t(lang)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn StockImportPage() -> impl IntoView {
    let params = use_params_map();
    let args = move || {
        let p = params.read_untracked();
        (
            p.get("store").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    };
    crate::console_page!(
        T::PreviewTitle,
        {
            let (s, id) = args();
            get_stock_import(s, id)
        },
        |i| view! { <Import i /> }
    )
}

/// A change's stock: `seen → to`, and, when it moved since the preview, what it is now
/// and what applying makes of it.
fn stock_change(lang: Lang, c: &ImportChange) -> String {
    let base = format!("{} → {}", c.stock_seen, c.stock_to);
    match c.stock_now {
        Some(now) => format!(
            "{base} ({} {now} → {})",
            T::SoldSincePreview.t(lang),
            now + c.stock_to - c.stock_seen
        ),
        None => base,
    }
}

#[component]
fn Import(i: StockImport) -> impl IntoView {
    let lang = use_lang();
    let slug = i.frame.store_slug.clone();
    let may_apply = i.may_apply();
    let problems = (i.problems_total > 0).then(|| {
        let rows = i
            .problems
            .iter()
            .map(|p| {
                view! {
                    <tr>
                        <th scope="row" class="num">{p.line}</th>
                        <td><code>{p.text.clone()}</code></td>
                        <td>{crate::domain::i18n::Text::Input(p.problem).t(lang)}</td>
                    </tr>
                }
            })
            .collect_view();
        let more = (i.problems_total > i.problems.len())
            .then(|| view! { <p class="muted">{text::showing_first(lang, i.problems.len(), i.problems_total)}</p> });
        view! {
            <section aria-labelledby="problems-heading">
                <h2 id="problems-heading">{T::ProblemsHeading.t(lang)}" "{text::count(i.problems_total)}</h2>
                <p class="field-error">{T::ApplyBlocked.t(lang)}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="problems-heading">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col" class="num">{T::Line.t(lang)}</th>
                            <th scope="col">{T::LineText.t(lang)}</th>
                            <th scope="col">{T::Why.t(lang)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {more}
            </section>
        }
    });
    let changes = if i.changes_total == 0 {
        view! { <p class="empty">{T::NoChanges.t(lang)}</p> }.into_any()
    } else {
        let rows = i
            .changes
            .iter()
            .map(|c| {
                let price = match c.price_to {
                    Some(to) => format!("{} → {}", c.price_now, to),
                    None => T::Unchanged.t(lang).to_owned(),
                };
                let raised = c.list_raised_to.map(|l| {
                    view! { <br /><span class="muted">{T::ListShort.t(lang)}" → "{l.to_string()}</span> }
                });
                view! {
                    <tr>
                        <th scope="row">{c.sku.clone()}</th>
                        <td>{c.name.clone()}</td>
                        <td class="num">{stock_change(lang, c)}</td>
                        <td class="num">{price}{raised}</td>
                        <td class="num muted">{c.line}</td>
                    </tr>
                }
            })
            .collect_view();
        let more = (i.changes_total > i.changes.len())
            .then(|| view! { <p class="muted">{text::showing_first(lang, i.changes.len(), i.changes_total)}</p> });
        view! {
            <p class="muted">{T::DeltaNote.t(lang)}" "{T::ListRaised.t(lang)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="changes-heading">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{T::Sku.t(lang)}</th>
                        <th scope="col">{T::Product.t(lang)}</th>
                        <th scope="col" class="num">{T::Stock.t(lang)}</th>
                        <th scope="col" class="num">{T::Price.t(lang)}</th>
                        <th scope="col" class="num">{T::Line.t(lang)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {more}
        }
        .into_any()
    };
    let f = StockApplyForm::FIELDS;
    let applied = i
        .applied
        .clone()
        .map(|when| view! { <p role="status"><strong>{T::AppliedAlready.t(lang)}</strong>" · "<time>{when}</time></p> });
    let apply = may_apply.then(|| {
        view! {
            <form method="post" action=routes::STAFF_STOCK_APPLY class="inline-form">
                <input type="hidden" name=f.store value=slug.clone() />
                <input type="hidden" name=f.import value=i.id.clone() />
                <button type="submit" class="button button-primary" aria-describedby=described_by(f.import)>
                    {T::ApplyButton.t(lang)}
                </button>
            </form>
        }
    });
    view! {
        <ConsoleNav frame=i.frame.clone() current="stock" />
        <h1>{T::PreviewTitle.t(lang)}</h1>
        <p><a href=links::console(&slug, "stock")>{T::BackToStock.t(lang)}</a></p>
        {applied}
        {problems}
        <section aria-labelledby="changes-heading">
            <h2 id="changes-heading">{T::ChangesHeading.t(lang)}" "{text::count(i.changes_total)}</h2>
            {changes}
        </section>
        {apply}
        <FieldNote field=f.import />
    }
}
