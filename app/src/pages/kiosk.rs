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
use crate::components::kiosk_watch::KioskWatch;
use crate::components::price::Price;
use crate::components::product_card::{stock_class, stock_text};
use crate::context::use_lang;
use crate::domain::bag::{BagLine, MAX_QUANTITY};
use crate::domain::i18n::Msg;
use crate::domain::i18n::bag::{self as text, BagText};
use crate::forms::{KioskResetForm, LineForm};
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
            // The loop shows the list twice so the scroll wraps without a seam; the second
            // copy is marked, so a screen that asks for no motion shows the first one still.
            let tiles = move |again: bool| {
                home.featured
                    .iter()
                    .map(|p| {
                        view! {
                            <li class:again=again>
                                <img src=p.image.clone() alt="" width="600" height="600" />
                                <p class="attract-name">{p.name.clone()}</p>
                                <Price offer=p.offer />
                            </li>
                        }
                    })
                    .collect_view()
            };
            // The whole loop is the way in: a touch anywhere on it starts, and the link is
            // named by its visible words alone (the loop is hidden from assistive tech).
            view! {
                <Title text=home.store.name.clone() />
                <section class="kiosk kiosk-attract" aria-labelledby="attract-title">
                    <div class="attract-head">
                        <h1 id="attract-title">{home.store.name.clone()}</h1>
                        <h2 class="attract-sub">{BagText::KioskFeatured.t(lang)}</h2>
                    </div>
                    <a class="attract-start" href=links::kiosk_browse(&slug)>
                        <div class="attract-loop" aria-hidden="true">
                            <ul>{tiles(false)}{tiles(true)}</ul>
                        </div>
                        <span class="button button-primary kiosk-start">
                            {BagText::KioskTouchToStart.t(lang)}
                        </span>
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
                    <div class="kiosk-aisle">
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
                    </div>
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
                let store = bag.store_slug.clone();
                view! {
                    <ul class="bag-lines kiosk-lines">
                        {bag
                            .lines
                            .into_iter()
                            .map(|line| view! { <KioskLine store=store.clone() line /> })
                            .collect_view()}
                    </ul>
                    <p class="subtotal">{BagText::Subtotal.t(lang)}" "<strong>{subtotal}</strong></p>
                }
            });
            let empty = lines.is_none();
            let link = page.take_link.unwrap_or_default();
            let attract = links::kiosk(&slug);
            let hand_off = page.qr_svg.map(|svg| {
                // Without JavaScript the page looks again every few seconds (`?watch`), and
                // once the bag has gone to a phone, goes back to the attract screen.
                let again = format!("{REFRESH_SECS};url={}?{WATCH}", links::kiosk_bag(&slug));
                view! {
                    <section class="hand-off" aria-labelledby="hand-off-title">
                        <h2 id="hand-off-title">{BagText::KioskTakeBag.t(lang)}</h2>
                        <div class="qr" data-link=link inner_html=svg></div>
                        <p>{BagText::KioskTakeHint.t(lang)}</p>
                    </section>
                    <noscript>
                        <meta http-equiv="refresh" content=again />
                    </noscript>
                    <KioskWatch store=slug.clone() attract=attract.clone() />
                }
            });
            let watched = use_query_map().read_untracked().get(WATCH).is_some();
            let gone = (empty && watched).then(|| {
                view! {
                    <noscript>
                        <meta http-equiv="refresh" content=format!("0;url={attract}") />
                    </noscript>
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
                    <div class="kiosk-bag">
                        <div class="kiosk-bag-lines">{lines}</div>
                        {hand_off}
                    </div>
                    {gone}
                </KioskFrame>
            }
        }
    )
}

/// The query a no-JavaScript bag page reloads itself with while it shows a QR.
const WATCH: &str = "watch";
/// How often a no-JavaScript bag page reloads itself while it shows a QR.
const REFRESH_SECS: u32 = 5;

/// A line of the screen's bag: one fewer, one more, or remove it (plain posts to the
/// screen's own bag; the page comes back with the change).
#[component]
fn KioskLine(store: String, line: BagLine) -> impl IntoView {
    let lang = use_lang();
    let fields = LineForm::FIELDS;
    let back = links::kiosk_bag(&store);
    let sku = line.sku.clone();
    let form = move |action: &'static str,
                     quantity: Option<u32>,
                     class: &'static str,
                     words: String,
                     label: String| {
        view! {
            <form method="post" action=action class=class>
                <input type="hidden" name=fields.store value=store.clone() />
                <input type="hidden" name=fields.sku value=sku.clone() />
                <input type="hidden" name=fields.back value=back.clone() />
                {quantity.map(|q| view! { <input type="hidden" name=fields.quantity value=q.to_string() /> })}
                <button type="submit" class="button">
                    <span aria-hidden="true">{words}</span>
                    <span class="visually-hidden">{label}</span>
                </button>
            </form>
        }
    };
    let n = line.quantity;
    let fewer = form(
        routes::KIOSK_SET,
        Some(n - 1),
        "kiosk-fewer",
        "−".to_owned(),
        text::action_on(lang, BagText::KioskFewer, &line.name),
    );
    let more = (n < MAX_QUANTITY && n < line.units).then(|| {
        form(
            routes::KIOSK_SET,
            Some(n + 1),
            "kiosk-more",
            "+".to_owned(),
            text::action_on(lang, BagText::KioskMore, &line.name),
        )
    });
    let remove = form(
        routes::KIOSK_REMOVE,
        None,
        "kiosk-remove",
        BagText::Remove.t(lang).to_owned(),
        text::action_on(lang, BagText::Remove, &line.name),
    );
    view! {
        <li class="bag-line kiosk-line">
            <img src=line.image.clone() alt="" width="160" height="160" />
            <div class="bag-line-body">
                <h2>{line.name.clone()}</h2>
                <p class="unit">{line.unit.clone()}" × "{n}</p>
                <p class="line-total">{line.total().to_string()}</p>
            </div>
            <div class="kiosk-line-controls">
                {fewer}
                <p class="kiosk-qty" aria-hidden="true">{n}</p>
                {more}
                {remove}
            </div>
        </li>
    }
}
