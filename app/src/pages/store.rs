//! `/s/{store}`: a cloud store — its header (address, hours, open now with its special
//! days, a pause of new orders, the coming special days), categories, the product grid
//! with this store's prices and stock, search within the store, and a link to its
//! services by appointment.

use crate::api::catalog::{StorePage as StoreData, get_store_page};
use crate::api::store_settings::{StoreNotices, get_store_notices};
use crate::components::error_page::ErrorPage;
use crate::components::in_place::InPlace;
use crate::components::json_ld::JsonLd;
use crate::components::product_card::ProductTile;
use crate::components::store_card::OpenBadge;
use crate::components::store_section::StoreSection;
use crate::context::use_lang;
use crate::domain::i18n::appointments::AppointmentText;
use crate::domain::i18n::settings::{SettingsText, paused_until};
use crate::domain::i18n::{self, Msg};
use crate::domain::store::StoreDetail;
use crate::links;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StorePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // Server-rendered only (this page is not an island): no resource to serialize.
    let args = move || {
        let q = query.read();
        (
            params.read().get("store").unwrap_or_default(),
            q.get("c"),
            q.get("q"),
            q.get("page").and_then(|p| p.parse::<u32>().ok()),
        )
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (store, c, q, page) = args();
                match get_store_page(store.clone(), c, q, page).await {
                    Ok(page) => {
                        // Said beside the hours; the page stands without them.
                        let notices = get_store_notices(store).await.unwrap_or_default();
                        view! { <StoreView page notices /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StoreView(page: StoreData, notices: StoreNotices) -> impl IntoView {
    let lang = use_lang();
    let slug = page.store.card.slug.clone();
    let title = page.store.card.name.clone();
    let query = page.query.clone();
    let search_value = query.clone().unwrap_or_default();
    let description = format!(
        "{} · {}",
        page.store.card.address,
        i18n::open_state(lang, page.store.card.open)
    );
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        <JsonLd json=page.json_ld />
        <StoreHeader store=page.store notices />
        <InPlace>
        <nav class="categories" aria-label=Msg::Categories.t(lang)>
            <ul>
                <li>
                    <a
                        href=links::store(&slug)
                        aria-current=current_page(page.category.is_none())
                    >
                        {Msg::AllCategories.t(lang)}
                    </a>
                </li>
                {page
                    .categories
                    .iter()
                    .map(|c| {
                        let current = page.category.as_deref() == Some(c.slug.as_str());
                        view! {
                            <li>
                                <a
                                    href=links::store_grid(&slug, Some(&c.slug), None, 1)
                                    aria-current=current_page(current)
                                >
                                    {c.name.clone()}
                                    <span class="count">{c.count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <form method="get" action=links::store(&slug) class="search" role="search">
            <label for="store-q">{Msg::SearchInStore.t(lang)}</label>
            <div class="search-row">
                <input
                    id="store-q"
                    type="search"
                    name="q"
                    maxlength="64"
                    placeholder=Msg::SearchInStorePlaceholder.t(lang)
                    value=search_value
                />
                <button type="submit">{Msg::SearchButton.t(lang)}</button>
            </div>
        </form>
        <section aria-labelledby="grid-title">
            <h2 id="grid-title" class="grid-title" tabindex="-1" data-focus-after-swap="">
                {query.as_deref().map(|q| i18n::results_for(lang, q))}
                {query.is_some().then_some(" · ")}
                {i18n::product_count(lang, page.total)}
            </h2>
            {(page.total == 0).then(|| view! { <p class="empty">{Msg::NoResults.t(lang)}</p> })}
            <ul class="product-grid">
                {page
                    .products
                    .into_iter()
                    .enumerate()
                    .map(|(i, product)| view! { <ProductTile store=slug.clone() product eager=i < 4 /> })
                    .collect_view()}
            </ul>
            <Pager
                slug=slug.clone()
                category=page.category
                query=page.query
                page=page.page
                pages=page.pages
            />
        </section>
        </InPlace>
        <StoreSection id="near-this" title=Msg::StoresNearThis.t(lang) stores=page.nearby />
    }
    .into_any()
}

#[component]
fn StoreHeader(store: StoreDetail, notices: StoreNotices) -> impl IntoView {
    let lang = use_lang();
    let card = store.card;
    let services = links::services(&card.slug);
    let closed_note = (!card.open.is_open())
        .then(|| view! { <p class="cloud-note">{Msg::CloudStoreOpen.t(lang)}</p> });
    let hours = store.hours.map(|h| {
        // Open around the clock: one line says it all (no table to open).
        if h.is_around_the_clock() {
            return view! {
                <p class="hours">{format!("{} · {}", Msg::Hours.t(lang), Msg::Open24h.t(lang))}</p>
            }
            .into_any();
        }
        view! {
            <details class="hours">
                <summary>{Msg::Hours.t(lang)}</summary>
                <dl>
                    {h
                        .grouped()
                        .into_iter()
                        .map(|(first, last, interval)| {
                            view! {
                                <dt>{i18n::day_range(lang, first, last)}</dt>
                                <dd>{i18n::interval(lang, interval)}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
            </details>
        }
        .into_any()
    });
    let pause = notices.pause.map(
        |p| view! { <p class="notice" role="status">{paused_until(lang, p.scope, &p.until)}</p> },
    );
    let special = (!notices.special_days.is_empty()).then(|| {
        view! {
            <section class="hours special-days" aria-labelledby="special-days-title">
                <h2 id="special-days-title">{SettingsText::StoreSpecialDays.t(lang)}</h2>
                <dl>
                    {notices
                        .special_days
                        .into_iter()
                        .map(|d| view! {
                            <dt>{d.day.t(lang)}</dt>
                            <dd>{i18n::interval(lang, d.hours)}</dd>
                        })
                        .collect_view()}
                </dl>
            </section>
        }
    });
    view! {
        <header class="store-header">
            <h1>{card.name}</h1>
            <p class="address">{card.city}" · "{card.address}</p>
            <p class="store-meta">
                <OpenBadge state=card.open />
                <a class="phone" href=format!("tel:{}", store.phone.replace(' ', ""))>
                    {Msg::Phone.t(lang)}" "{store.phone.clone()}
                </a>
            </p>
            {closed_note}
            <p class="store-meta">
                <span class="service">{i18n::pickup(lang, card.services.pickup_lead_min)}</span>
                <span class="service">{i18n::delivery(lang, card.services.delivery_radius_m)}</span>
                <a class="service" href=services>{AppointmentText::StoreLink.t(lang)}</a>
            </p>
            {pause}
            {hours}
            {special}
        </header>
    }
}

#[component]
fn Pager(
    slug: String,
    category: Option<String>,
    query: Option<String>,
    page: u32,
    pages: u32,
) -> impl IntoView {
    let lang = use_lang();
    let link = move |p: u32| links::store_grid(&slug, category.as_deref(), query.as_deref(), p);
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=i18n::page_of(lang, page, pages)>
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{Msg::Previous.t(lang)}</a> })}
                <span>{i18n::page_of(lang, page, pages)}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{Msg::Next.t(lang)}</a> })}
            </nav>
        }
    })
}

/// `aria-current` always carries a value: the islands router updates attributes on
/// in-place navigation but never removes one, so "not current" must be written out.
fn current_page(current: bool) -> &'static str {
    if current { "page" } else { "false" }
}
