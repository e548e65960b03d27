//! A store in a list, and the open/closed line (server and browser).

use crate::context::use_lang;
use crate::domain::hours::OpenState;
use crate::domain::i18n::{self, open_state};
use crate::domain::store::StoreCard;
use crate::links;
use leptos::prelude::*;

#[component]
pub fn OpenBadge(state: OpenState) -> impl IntoView {
    let lang = use_lang();
    let class = if state.is_open() {
        "open-state is-open"
    } else {
        "open-state is-closed"
    };
    view! { <span class=class>{open_state(lang, state)}</span> }
}

#[component]
pub fn StoreListItem(store: StoreCard) -> impl IntoView {
    let lang = use_lang();
    let distance = store
        .distance_m
        .map(|m| view! { <span class="distance">{i18n::distance(lang, m)}</span> });
    view! {
        <li class="store-card">
            <a class="store-name" href=links::store(&store.slug)>{store.name}</a>
            {distance}
            <p class="address">{store.district}" · "{store.address}</p>
            <p class="store-meta">
                <OpenBadge state=store.open />
                <span class="service">{i18n::pickup(lang, store.services.pickup_lead_min)}</span>
                <span class="service">{i18n::delivery(lang, store.services.delivery_radius_m)}</span>
            </p>
        </li>
    }
}
