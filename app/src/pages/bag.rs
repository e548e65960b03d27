//! `/bag`: the shopper's bag, grouped by store — each line at that store's price now (a
//! drop since it was added is shown), quantity and removal as plain forms, and a way to
//! check out at each store.

use crate::api::bag::get_bag;
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::bag::{BagLine, StoreBag};
use crate::domain::i18n::bag::{self as text, BagText};
use crate::links;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn BagPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=BagText::BagTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_bag().await {
                    Ok(bag) => view! {
                        <section class="bag" aria-labelledby="bag-title">
                            <h1 id="bag-title">{BagText::BagTitle.t(lang)}</h1>
                            {bag.stores.is_empty().then(|| view! {
                                <p class="empty">{BagText::BagEmpty.t(lang)}</p>
                                <a class="button" href="/">{BagText::ContinueShopping.t(lang)}</a>
                            })}
                            {bag.stores.into_iter().map(|store| view! { <StoreLines store /> }).collect_view()}
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StoreLines(store: StoreBag) -> impl IntoView {
    let lang = use_lang();
    let heading_id = format!("bag-{}", store.store_slug);
    let subtotal = store.subtotal();
    let short = store.lines.iter().any(BagLine::short_of_stock);
    let slug = store.store_slug.clone();
    view! {
        <section class="bag-store" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>
                <a href=links::store(&slug)>{store.store_name.clone()}</a>
            </h2>
            <ul class="bag-lines">
                {store
                    .lines
                    .into_iter()
                    .map(|line| view! { <Line store=slug.clone() line /> })
                    .collect_view()}
            </ul>
            <p class="subtotal">
                {BagText::Subtotal.t(lang)}" "<strong>{subtotal.to_string()}</strong>
            </p>
            {short.then(|| view! { <p class="notice notice-error">{BagText::ShortOfStock.t(lang)}</p> })}
            <a class="button button-primary" href=links::checkout(&slug)>
                {BagText::Checkout.t(lang)}
            </a>
        </section>
    }
}

#[component]
fn Line(store: String, line: BagLine) -> impl IntoView {
    let lang = use_lang();
    let qty_id = format!("q-{store}-{}", line.sku);
    let drop = line
        .drop()
        .map(|by| view! { <span class="badge badge-deal">{text::price_down(lang, by)}</span> });
    let seen = line
        .seen_in_store
        .then(|| view! { <span class="badge">{BagText::SeenInStore.t(lang)}</span> });
    let short = line.short_of_stock().then(|| {
        view! { <p class="stock stock-low">{text::stock_refusal(lang, line.units, 0)}</p> }
    });
    let total = line.total().to_string();
    let fields = crate::forms::LineForm::FIELDS;
    view! {
        <li class="bag-line">
            <img src=line.image.clone() alt="" width="64" height="64" loading="lazy" decoding="async" />
            <div class="bag-line-body">
                <h3><a href=links::product(&store, &line.sku)>{line.name.clone()}</a></h3>
                <p class="unit">{line.unit.clone()}" · "{line.price.to_string()}" "{drop}" "{seen}</p>
                {short}
                <form class="qty-form" method="post" action=routes::BAG_SET data-enhance="refresh">
                    <input type="hidden" name=fields.store value=store.clone() />
                    <input type="hidden" name=fields.sku value=line.sku.clone() />
                    <input type="hidden" name=fields.back value=links::bag() />
                    <label for=qty_id.clone()>{BagText::Quantity.t(lang)}</label>
                    <input id=qty_id type="number" name=fields.quantity min="0" max="99" inputmode="numeric"
                        value=line.quantity.to_string() required />
                    <button type="submit">{BagText::Update.t(lang)}</button>
                </form>
                <form class="remove-form" method="post" action=routes::BAG_REMOVE data-enhance="refresh">
                    <input type="hidden" name=fields.store value=store.clone() />
                    <input type="hidden" name=fields.sku value=line.sku.clone() />
                    <input type="hidden" name=fields.back value=links::bag() />
                    <button type="submit" class="link-button"
                        aria-label=text::action_on(lang, BagText::Remove, &line.name)>
                        {BagText::Remove.t(lang)}
                    </button>
                </form>
            </div>
            <p class="line-total">{total}</p>
        </li>
    }
}
