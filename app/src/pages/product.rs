//! `/s/{store}/p/{sku}`: a product with this store's price and stock, and the other
//! stores in the same city that have it.

use crate::api::catalog::{ProductPage as ProductData, get_product_page};
use crate::components::add_to_bag::AddToBag;
use crate::components::error_page::ErrorPage;
use crate::components::json_ld::JsonLd;
use crate::components::price::Price;
use crate::components::product_card::{stock_class, stock_text};
use crate::components::store_card::OpenBadge;
use crate::context::use_lang;
use crate::domain::i18n::{self, Msg};
use crate::domain::product::Offer;
use crate::domain::store::StoreCard;
use crate::links;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let p = params.read();
        (
            p.get("store").unwrap_or_default(),
            p.get("sku").unwrap_or_default(),
        )
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (store, sku) = args();
                // From a shelf label's QR code: the shopper is in the store.
                let shelf = query.read_untracked().get("shelf").as_deref() == Some("1");
                match get_product_page(store, sku).await {
                    Ok(page) => view! { <ProductView page shelf /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductView(page: ProductData, shelf: bool) -> impl IntoView {
    let lang = use_lang();
    let ProductData {
        store,
        product,
        category,
        elsewhere,
        near_you,
        json_ld,
    } = page;
    let stock = product.offer.stock;
    let title = format!("{} · {}", product.name, store.name);
    view! {
        <Title text=title />
        <Meta name="description" content=format!("{} {} · {}", product.name, product.unit, store.name) />
        <JsonLd json=json_ld />
        <nav class="breadcrumb" aria-label=Msg::BackToStore.t(lang)>
            <a href=links::store(&store.slug)>{store.name.clone()}</a>
            " › "
            <a href=links::store_grid(&store.slug, Some(&category.slug), None, 1)>{category.name.clone()}</a>
        </nav>
        {shelf.then(|| view! {
            <p class="notice notice-shelf" role="status">
                {crate::domain::i18n::marketing::on_the_shelf(lang, &store.name)}
            </p>
        })}
        <article class="product">
            <img class="product-image" src=product.image.clone() alt=product.name.clone() width="240" height="240" fetchpriority="high" />
            <div class="product-body">
                <h1>{product.name.clone()}</h1>
                <Price offer=product.offer />
                <p class=stock_class(stock)>{stock_text(lang, stock)}</p>
                {stock.available().then(|| view! {
                    <AddToBag
                        action=routes::BAG_ADD.to_owned()
                        store=store.slug.clone()
                        sku=product.sku.clone()
                        name=product.name.clone()
                        choose_quantity=true
                    />
                })}
                <dl class="facts" aria-label=Msg::ProductInfo.t(lang)>
                    <dt>{Msg::Unit.t(lang)}</dt>
                    <dd>{product.unit.clone()}</dd>
                    <dt>{Msg::Category.t(lang)}</dt>
                    <dd>{category.name}</dd>
                    <dt>{Msg::Sku.t(lang)}</dt>
                    <dd>{product.sku.clone()}</dd>
                </dl>
                <p class="store-meta">
                    <a href=links::store(&store.slug)>{store.name}</a>
                    <OpenBadge state=store.open />
                </p>
            </div>
        </article>
        <Elsewhere sku=product.sku.clone() elsewhere near_you />
    }
    .into_any()
}

/// Where else the product is in stock: near the shopper when their location is known
/// (`near_you`), else this store's city.
#[component]
pub fn Elsewhere(sku: String, elsewhere: Vec<(StoreCard, Offer)>, near_you: bool) -> impl IntoView {
    let lang = use_lang();
    let (elsewhere_title, none_text) = if near_you {
        (Msg::InStockNearYou, Msg::NoneInStockNearYou)
    } else {
        (Msg::OtherStoresNearby, Msg::NoOtherStores)
    };
    let others = if elsewhere.is_empty() {
        view! { <p class="empty">{none_text.t(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="store-list">
                {elsewhere
                    .into_iter()
                    .map(|(other, offer)| {
                        view! {
                            <li class="store-card">
                                <a class="store-name" href=links::product(&other.slug, &sku)>
                                    {other.name}
                                </a>
                                {other.distance_m.map(|m| view! { <span class="distance">{i18n::distance(lang, m)}</span> })}
                                <p class="address">{other.district}" · "{other.address}</p>
                                <p class="store-meta">
                                    <OpenBadge state=other.open />
                                    <span class=stock_class(offer.stock)>{stock_text(lang, offer.stock)}</span>
                                </p>
                                <Price offer />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="elsewhere">
            <h2 id="elsewhere">{elsewhere_title.t(lang)}</h2>
            {others}
        </section>
    }
}

/// How [`Elsewhere`] starts, once on the page.
pub const ELSEWHERE_START: &str = "<section aria-labelledby=\"elsewhere\">";

/// [`Elsewhere`] near a shopper, as HTML in `lang` (server: the page cache lays it over
/// the product page every shopper shares).
#[cfg(feature = "ssr")]
pub fn near_you_html(
    lang: crate::domain::lang::Lang,
    sku: String,
    elsewhere: Vec<(StoreCard, Offer)>,
) -> String {
    Owner::new().with(|| {
        provide_context(lang);
        view! { <Elsewhere sku elsewhere near_you=true /> }.to_html()
    })
}
