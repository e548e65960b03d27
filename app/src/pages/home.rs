//! `/`: the brand, a search box, and the stores grouped by city (or the search results).

use crate::api::home::{HomePage as HomeData, get_brand, get_home_page};
use crate::components::error_page::ErrorPage;
use crate::components::store_card::StoreListItem;
use crate::components::store_section::StoreSection;
use crate::context::use_lang;
use crate::domain::i18n::{self, Msg};
use crate::links;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.read().get("q");
    view! {
        <section class="hero">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    get_brand()
                        .await
                        .map(|b| {
                            view! {
                                <Title text=b.name.clone() />
                                <Meta name="description" content=b.tagline.clone() />
                                <h1>{b.name}</h1>
                                <p class="tagline">{b.tagline}</p>
                            }
                        })
                        .ok()
                })}
            </Transition>
            <form method="get" action=routes::HOME class="search" role="search">
                <label for="home-q">{Msg::SearchLabel.t(lang)}</label>
                <div class="search-row">
                    <input
                        id="home-q"
                        type="search"
                        name="q"
                        maxlength="64"
                        placeholder=Msg::SearchPlaceholder.t(lang)
                        value=move || q().unwrap_or_default()
                    />
                    <button type="submit">{Msg::SearchButton.t(lang)}</button>
                </div>
            </form>
            <p class="find-stores">
                <a class="button" href="/stores">{Msg::FindStores.t(lang)}</a>
            </p>
        </section>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_home_page(q()).await {
                    Ok(page) => view! { <HomeResults page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HomeResults(page: HomeData) -> impl IntoView {
    let lang = use_lang();
    let heading = match &page.query {
        Some(q) => i18n::results_for(lang, q),
        None => Msg::AllStores.t(lang).to_owned(),
    };
    let nothing = page.query.is_some() && page.cities.is_empty() && page.products.is_empty();
    let products = (!page.products.is_empty()).then(|| {
        view! {
            <section aria-labelledby="product-hits">
                <h2 id="product-hits">{Msg::ProductsHeading.t(lang)}</h2>
                <ul class="hit-list">
                    {page
                        .products
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li>
                                    <a href=links::product(&p.store_slug, &p.sku)>
                                        <img src=p.image alt="" width="48" height="48" loading="lazy" />
                                        <span>{p.name}</span>
                                    </a>
                                    <span class="hit-meta">
                                        {p.from_price.to_string()}" · "
                                        {i18n::store_count(lang, p.stores_in_stock as usize)}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let nearest = view! { <Nearest stores=page.nearest /> };
    view! {
        {nearest}
        <h2 class="results-heading">{heading}</h2>
        {nothing.then(|| view! { <p class="empty">{Msg::NoResults.t(lang)}</p> })}
        {products}
        {page
            .cities
            .into_iter()
            .map(|group| {
                let id = format!("city-{}", group.stores[0].slug.split('-').next().unwrap_or("x"));
                let labelled_by = id.clone();
                view! {
                    <section class="city" aria-labelledby=labelled_by>
                        <h3 id=id>
                            {group.city} <small>{i18n::store_count(lang, group.stores.len())}</small>
                        </h3>
                        <ul class="store-list">
                            {group.stores.into_iter().map(|store| view! { <StoreListItem store /> }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
    }
    .into_any()
}

/// The stores nearest the shopper, when their location is known (nothing otherwise).
#[component]
pub fn Nearest(stores: Vec<crate::domain::store::StoreCard>) -> impl IntoView {
    let lang = use_lang();
    view! { <StoreSection id="nearest" title=Msg::NearestToYou.t(lang) stores /> }
}

/// [`Nearest`] as HTML in `lang` (server: the page cache puts it in the home page every
/// shopper shares, before [`RESULTS_HEADING`]).
#[cfg(feature = "ssr")]
pub fn nearest_html(
    lang: crate::domain::lang::Lang,
    stores: Vec<crate::domain::store::StoreCard>,
) -> String {
    Owner::new().with(|| {
        provide_context(lang);
        view! { <Nearest stores /> }.to_html()
    })
}

/// [`Nearest`] without stores, as the page every shopper shares holds it (whatever the
/// language: it is Leptos's mark for nothing).
#[cfg(feature = "ssr")]
pub fn no_nearest_html() -> &'static str {
    static EMPTY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| nearest_html(crate::domain::lang::Lang::ZhCn, Vec::new()))
}

/// What follows the nearest stores on the home page, once.
pub const RESULTS_HEADING: &str = "<h2 class=\"results-heading\">";
