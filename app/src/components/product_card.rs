//! A product tile of a store's grid: image, name, size, this store's price and stock.

use crate::components::add_to_bag::AddToBag;
use crate::components::price::Price;
use crate::context::use_lang;
use crate::domain::i18n::{Msg, low_stock};
use crate::domain::lang::Lang;
use crate::domain::product::{ProductCard, StockLevel};
use crate::links;
use crate::links::routes;
use leptos::prelude::*;

pub fn stock_text(lang: Lang, stock: StockLevel) -> String {
    match stock {
        StockLevel::InStock => Msg::InStock.t(lang).to_owned(),
        StockLevel::Low(n) => low_stock(lang, n),
        StockLevel::Out => Msg::OutOfStock.t(lang).to_owned(),
    }
}

pub fn stock_class(stock: StockLevel) -> &'static str {
    match stock {
        StockLevel::InStock => "stock stock-in",
        StockLevel::Low(_) => "stock stock-low",
        StockLevel::Out => "stock stock-out",
    }
}

#[component]
pub fn ProductTile(
    store: String,
    product: ProductCard,
    #[prop(optional)] eager: bool,
) -> impl IntoView {
    let lang = use_lang();
    let href = links::product(&store, &product.sku);
    let name = product.name.clone();
    let stock = product.offer.stock;
    view! {
        <li class="product-tile" class:sold-out=!stock.available()>
            <a href=href>
                <img
                    src=product.image
                    alt=""
                    width="120"
                    height="120"
                    loading=if eager { "eager" } else { "lazy" }
                    fetchpriority=if eager { "high" } else { "auto" }
                    decoding="async"
                />
                <h3 class="product-name">{name}</h3>
            </a>
            <p class="unit">{product.unit}</p>
            <Price offer=product.offer />
            <p class=stock_class(stock)>{stock_text(lang, stock)}</p>
            {stock.available().then(|| view! {
                <AddToBag action=routes::BAG_ADD.to_owned() store=store.clone() sku=product.sku.clone() name=product.name.clone() />
            })}
        </li>
    }
}
