//! "Use my location": asks the browser for the phone's position (Geolocation API, after
//! hydration) and opens the nearby list for it. Without JavaScript the button stays
//! hidden (CSS, until `<html data-hydrated>`) and the city and place pickers do the job; a refusal or a timeout says so and
//! points at them — never a spinner forever.

use crate::context::use_lang;
use crate::domain::i18n::Msg;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // failures come from the browser
enum Locating {
    Idle,
    Asking,
    Failed(Msg),
}

#[island]
pub fn LocateMe() -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(Locating::Idle);
    let on_click = move |_| {
        state.set(Locating::Asking);
        #[cfg(feature = "hydrate")]
        browser::locate(state);
    };
    view! {
        <div class="locate">
            // `needs-js`: hidden by CSS until the app marks `<html data-hydrated>`, so it
            // never shows where it cannot work (no JavaScript, wasm not yet arrived).
            <button type="button" class="button needs-js" on:click=on_click
                disabled=move || state.get() == Locating::Asking>
                {move || match state.get() {
                    Locating::Asking => Msg::Locating.t(lang),
                    _ => Msg::UseMyLocation.t(lang),
                }}
            </button>
            <p class="locate-error" role="alert">
                {move || match state.get() {
                    Locating::Failed(msg) => msg.t(lang),
                    _ => "",
                }}
            </p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Locating;
    use crate::domain::geo::LatLon;
    use crate::domain::i18n::Msg;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{Position, PositionError, PositionOptions};

    const PERMISSION_DENIED: u16 = 1;

    pub fn locate(state: RwSignal<Locating>) {
        let fail = move |msg| state.set(Locating::Failed(msg));
        let Ok(geolocation) = window().navigator().geolocation() else {
            return fail(Msg::LocationUnavailable);
        };
        let found = Closure::once_into_js(move |position: Position| {
            let c = position.coords();
            match LatLon::new(c.latitude(), c.longitude()) {
                Ok(p) => {
                    // Keeps "Finding you…" until the list page replaces this one.
                    let _ = window()
                        .location()
                        .set_href(&format!("/stores?lat={:.5}&lng={:.5}", p.lat, p.lon));
                }
                Err(_) => fail(Msg::LocationUnavailable),
            }
        });
        let failed = Closure::once_into_js(move |error: PositionError| {
            fail(if error.code() == PERMISSION_DENIED {
                Msg::LocationDenied
            } else {
                Msg::LocationUnavailable
            });
        });
        let options = PositionOptions::new();
        options.set_timeout(10_000);
        options.set_maximum_age(60_000);
        if geolocation
            .get_current_position_with_error_callback_and_options(
                found.unchecked_ref(),
                Some(failed.unchecked_ref()),
                &options,
            )
            .is_err()
        {
            fail(Msg::LocationUnavailable);
        }
    }
}
