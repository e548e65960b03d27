//! Kiosk mode for a store's 1080×1920 touch screens: `/kiosk/{store}` (the attract loop),
//! `/browse` (the endless aisle: the whole catalogue, this store's shelf first), `/p/{sku}`
//! and `/bag` (the screen's bag and its take-it-with-you QR). Large targets, no keyboard,
//! no sign-in and nothing of any shopper's; an idle screen resets itself.

use crate::api::kiosk::{
    AisleItem, KioskStore, get_kiosk_aisle, get_kiosk_bag, get_kiosk_home, get_kiosk_product,
};
use crate::components::add_to_bag::AddToBag;
use crate::components::error_page::ErrorPage;
use crate::components::kiosk_idle::{KioskIdle, RESET_FORM_ID};
use crate::components::price::Price;
use crate::components::product_card::{stock_class, stock_text};
use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::domain::i18n::bag::{self as text, BagText};
use crate::forms::KioskResetForm;
use crate::links;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

fn store_param() -> impl Fn() -> String + Copy {
    let params = use_params_map();
    move || params.read().get("store").unwrap_or_default()
}

/// Renders a kiosk page from its server function, or the error.
macro_rules! kiosk_page {
    ($load:expr, $view:expr) => {
        view! {
            <Meta name="robots" content="noindex" />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    // Read the route before awaiting: its guards are not `Send`.
                    let load = $load;
                    match load.await {
                        Ok(data) => ($view)(data).into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Transition>
        }
    };
}

#[component]
pub fn KioskAttractPage() -> impl IntoView {
    let store = store_param();
    kiosk_page!(
        get_kiosk_home(store()),
        |home: crate::api::kiosk::KioskHome| {
            let lang = use_lang();
            let slug = home.store.slug.clone();
            // The loop shows the list twice so the scroll wraps without a seam.
            let tiles = move || {
                home.featured
                    .iter()
                    .map(|p| {
                        view! {
                            <li>
                                <img src=p.image.clone() alt="" width="280" height="280" />
                                <p class="attract-name">{p.name.clone()}</p>
                                <Price offer=p.offer />
                            </li>
                        }
                    })
                    .collect_view()
            };
            view! {
                <Title text=home.store.name.clone() />
                <section class="kiosk kiosk-attract" aria-labelledby="attract-title">
                    <h1 id="attract-title">{home.store.name.clone()}</h1>
                    <h2 class="attract-sub">{BagText::KioskFeatured.t(lang)}</h2>
                    <div class="attract-loop" aria-hidden="true">
                        <ul>{tiles()}{tiles()}</ul>
                    </div>
                    <a class="button button-primary kiosk-start" href=links::kiosk_browse(&slug)>
                        {BagText::KioskTouchToStart.t(lang)}
                    </a>
                </section>
            }
        }
    )
}

#[component]
fn KioskFrame(store: KioskStore, children: Children) -> impl IntoView {
    let lang = use_lang();
    let slug = store.slug.clone();
    view! {
        <nav class="kiosk-nav" aria-label=store.name.clone()>
            <a href=links::kiosk(&slug)>{store.name.clone()}</a>
            <a href=links::kiosk_browse(&slug)>{BagText::KioskBrowse.t(lang)}</a>
            <a href=links::kiosk_bag(&slug) aria-label=text::bag_label(lang, store.bag_count)>
                {BagText::Bag.t(lang)}" "<span class="bag-count" data-bag-count="">{store.bag_count}</span>
            </a>
        </nav>
        <div class="kiosk">{children()}</div>
        <form id=RESET_FORM_ID class="kiosk-reset" method="post" action=routes::KIOSK_RESET>
            <input type="hidden" name=KioskResetForm::FIELDS.store value=slug.clone() />
            <button type="submit" class="button">{BagText::KioskStartOver.t(lang)}</button>
        </form>
        <KioskIdle idle_secs=store.idle_secs warn_secs=store.warn_secs attract=links::kiosk(&slug) />
    }
}

#[component]
pub fn KioskAislePage() -> impl IntoView {
    let store = store_param();
    let query = use_query_map();
    kiosk_page!(
        get_kiosk_aisle(store(), query.read_untracked().get("c")),
        |aisle: crate::api::kiosk::KioskAisle| {
            let lang = use_lang();
            let slug = aisle.store.slug.clone();
            let current = aisle.category.clone();
            view! {
                <Title text=aisle.store.name.clone() />
                <KioskFrame store=aisle.store>
                    <h1 class="visually-hidden">{BagText::KioskBrowse.t(lang)}</h1>
                    <nav class="kiosk-categories" aria-label=Msg::Categories.t(lang)>
                        {aisle
                            .categories
                            .iter()
                            .map(|c| {
                                let href = format!("{}?c={}", links::kiosk_browse(&slug), c.slug);
                                let here = if c.slug == current { "page" } else { "false" };
                                view! { <a href=href aria-current=here>{c.name.clone()}</a> }
                            })
                            .collect_view()}
                    </nav>
                    <ul class="kiosk-grid">
                        {aisle
                            .items
                            .into_iter()
                            .map(|item| view! { <AisleTile store=slug.clone() item /> })
                            .collect_view()}
                    </ul>
                </KioskFrame>
            }
        }
    )
}

#[component]
fn AisleTile(store: String, item: AisleItem) -> impl IntoView {
    let lang = use_lang();
    let shelf = match item.offer {
        Some(offer) => view! {
            <Price offer />
            <p class=stock_class(offer.stock)>{stock_text(lang, offer.stock)}</p>
        }
        .into_any(),
        None => view! { <p class="off-shelf">{BagText::KioskNotOnShelf.t(lang)}</p> }.into_any(),
    };
    view! {
        <li class="kiosk-tile" class:sold-out=item.offer.is_none_or(|o| !o.stock.available())>
            <a href=links::kiosk_product(&store, &item.sku)>
                <img src=item.image alt="" width="200" height="200" loading="lazy" decoding="async" />
                <h2>{item.name}</h2>
            </a>
            <p class="unit">{item.unit}</p>
            {shelf}
        </li>
    }
}

#[component]
pub fn KioskProductPage() -> impl IntoView {
    let store = store_param();
    let params = use_params_map();
    kiosk_page!(
        get_kiosk_product(
            store(),
            params.read_untracked().get("sku").unwrap_or_default()
        ),
        |page: crate::api::kiosk::KioskProduct| {
            let lang = use_lang();
            let slug = page.store.slug.clone();
            let item = page.item;
            let buy = match item.offer {
                Some(offer) => view! {
                    <Price offer />
                    <p class=stock_class(offer.stock)>{stock_text(lang, offer.stock)}</p>
                    {offer.stock.available().then(|| view! {
                        <AddToBag
                            action=routes::KIOSK_ADD.to_owned()
                            store=slug.clone()
                            sku=item.sku.clone()
                            name=item.name.clone()
                            label=BagText::KioskKeep.t(lang)
                        />
                    })}
                }
                .into_any(),
                None => {
                    view! { <p class="off-shelf">{BagText::KioskNotOnShelf.t(lang)}</p> }.into_any()
                }
            };
            view! {
                <Title text=item.name.clone() />
                <KioskFrame store=page.store>
                    <article class="kiosk-product">
                        <img src=item.image.clone() alt="" width="480" height="480" />
                        <h1>{item.name.clone()}</h1>
                        <p class="unit">{item.unit.clone()}</p>
                        {buy}
                        <a class="button" href=links::kiosk_browse(&slug)>{BagText::KioskBackToAll.t(lang)}</a>
                    </article>
                </KioskFrame>
            }
        }
    )
}

#[component]
pub fn KioskBagPage() -> impl IntoView {
    let store = store_param();
    kiosk_page!(
        get_kiosk_bag(store()),
        |page: crate::api::kiosk::KioskBag| {
            let lang = use_lang();
            let slug = page.store.slug.clone();
            let lines = page.bag.map(|bag| {
            let subtotal = bag.subtotal().to_string();
            view! {
                <ul class="bag-lines">
                    {bag
                        .lines
                        .into_iter()
                        .map(|line| {
                            view! {
                                <li class="bag-line">
                                    <img src=line.image.clone() alt="" width="96" height="96" />
                                    <div class="bag-line-body">
                                        <h2>{line.name.clone()}</h2>
                                        <p class="unit">{line.unit.clone()}" × "{line.quantity}</p>
                                    </div>
                                    <p class="line-total">{line.total().to_string()}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="subtotal">{BagText::Subtotal.t(lang)}" "<strong>{subtotal}</strong></p>
            }
        });
            let empty = lines.is_none();
            let link = page.take_link.unwrap_or_default();
            let hand_off = page.qr_svg.map(|svg| {
                view! {
                    <section class="hand-off" aria-labelledby="hand-off-title">
                        <h2 id="hand-off-title">{BagText::KioskTakeBag.t(lang)}</h2>
                        <div class="qr" data-link=link inner_html=svg></div>
                        <p>{BagText::KioskTakeHint.t(lang)}</p>
                    </section>
                }
            });
            view! {
                <Title text=BagText::KioskBag.t(lang) />
                <KioskFrame store=page.store>
                    <h1>{BagText::KioskBag.t(lang)}</h1>
                    {empty.then(|| view! {
                        <p class="empty">{BagText::BagEmpty.t(lang)}</p>
                        <a class="button button-primary" href=links::kiosk_browse(&slug)>
                            {BagText::KioskBrowse.t(lang)}
                        </a>
                    })}
                    {lines}
                    {hand_off}
                </KioskFrame>
            }
        }
    )
}
