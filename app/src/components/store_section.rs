//! A titled list of store cards (home "nearest", /stores, "near this store").

use crate::components::store_card::StoreListItem;
use crate::domain::store::StoreCard;
use leptos::prelude::*;

/// Renders nothing for an empty list.
#[component]
pub fn StoreSection(
    id: &'static str,
    title: &'static str,
    stores: Vec<StoreCard>,
) -> impl IntoView {
    (!stores.is_empty()).then(|| {
        view! {
            <section aria-labelledby=id>
                <h2 id=id>{title}</h2>
                <ul class="store-list">
                    {stores.into_iter().map(|store| view! { <StoreListItem store /> }).collect_view()}
                </ul>
            </section>
        }
    })
}
