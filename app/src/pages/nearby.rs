//! `/stores`: the stores nearest to a point (`?limit=` 1–50, default 20) — the phone's location (after hydration),
//! `?lat=&lng=` (a shareable URL), or a city or district from the pickers (GET forms,
//! so it all works without JavaScript).

use crate::api::stores::{NearbyPage as NearbyData, Place, get_nearby_page};
use crate::components::error_page::ErrorPage;
use crate::components::locate::LocateMe;
use crate::components::store_section::StoreSection;
use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn NearbyPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("lat"), q.get("lng"), q.get("place"), q.get("limit"))
    };
    view! {
        <Title text=Msg::NearbyTitle.t(lang) />
        <Meta name="description" content=Msg::NearbyIntro.t(lang) />
        <h1>{Msg::NearbyTitle.t(lang)}</h1>
        <p class="tagline">{Msg::NearbyIntro.t(lang)}</p>
        <LocateMe />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (lat, lng, place, limit) = args();
                match get_nearby_page(lat, lng, place, limit).await {
                    Ok(page) => view! { <NearbyView page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NearbyView(page: NearbyData) -> impl IntoView {
    let lang = use_lang();
    let list =
        view! { <StoreSection id="nearest" title=Msg::NearestToYou.t(lang) stores=page.stores /> };
    let problem = page
        .problem
        .map(|message| view! { <p class="problem" role="alert">{message}</p> });
    view! {
        {problem}
        {list}
        <PlacePicker id="city" label=Msg::ChooseCity places=page.cities selected=page.place.clone() />
        <PlacePicker id="place" label=Msg::NearPlace places=page.districts selected=page.place />
    }
    .into_any()
}

/// A GET form with one select: works without JavaScript, navigates in place with it.
#[component]
fn PlacePicker(
    id: &'static str,
    label: Msg,
    places: Vec<Place>,
    selected: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="get" action=routes::STORES class="search place-picker">
            <label for=id>{label.t(lang)}</label>
            <div class="search-row">
                <select id=id name="place">
                    {places
                        .into_iter()
                        .map(|p| {
                            let chosen = selected.as_deref() == Some(p.key.as_str());
                            view! { <option value=p.key selected=chosen>{p.name}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit">{Msg::NearPlaceButton.t(lang)}</button>
            </div>
        </form>
    }
}
