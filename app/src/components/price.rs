//! A price with the struck-through list price when the store discounts (server and browser).

use crate::context::use_lang;
use crate::domain::i18n::{Msg, percent_off};
use crate::domain::product::Offer;
use leptos::prelude::*;

#[component]
pub fn Price(offer: Offer) -> impl IntoView {
    let lang = use_lang();
    let discount = offer.percent_off().map(|p| {
        view! {
            <s class="list-price">
                <span class="visually-hidden">{Msg::ListPrice.t(lang)}" "</span>
                {offer.list_price.to_string()}
            </s>
            <span class="badge badge-deal">{percent_off(lang, p)}</span>
        }
    });
    view! {
        <p class="price-line">
            <strong class="price">{offer.price.to_string()}</strong>
            {discount}
        </p>
    }
}
