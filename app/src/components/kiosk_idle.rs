//! The kiosk's idle timer (an island): after `idle_secs` without a touch a warning counts
//! down `warn_secs`; a touch anywhere dismisses it, and at zero the screen resets — the
//! server ends the screen's session and bag, and the page is replaced by the attract
//! screen, so no bag, session, history entry of this visit or form contents stay behind.
//! Timers are the browser's `setInterval`, so tests can drive them with a fake clock.

use crate::context::use_lang;
use crate::domain::i18n::bag::{BagText, idle_warning};
use leptos::prelude::*;

/// The id of the reset form every kiosk page carries (it also works without JavaScript).
pub const RESET_FORM_ID: &str = "kiosk-reset";

// Not in the browse bundle (feature `browse`): no browsing page uses it.
#[cfg_attr(not(feature = "browse"), island)]
#[cfg_attr(feature = "browse", component)]
pub fn KioskIdle(idle_secs: u32, warn_secs: u32, attract: String) -> impl IntoView {
    let lang = use_lang();
    let idle = RwSignal::new(0u32);
    let warning = move || idle.get() >= idle_secs;
    let remaining = move || (idle_secs + warn_secs).saturating_sub(idle.get());
    #[cfg(feature = "hydrate")]
    browser::start(idle, idle_secs + warn_secs, attract.clone());
    #[cfg(not(feature = "hydrate"))]
    let _ = attract;
    view! {
        <div
            class="idle-warning"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="idle-text"
            hidden=move || !warning()
        >
            <p id="idle-text">{move || idle_warning(lang, remaining())}</p>
            <button type="button" class="button button-primary" on:click=move |_| idle.set(0)>
                {BagText::KioskStillHere.t(lang)}
            </button>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::RESET_FORM_ID;
    use leptos::prelude::*;
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Event, HtmlFormElement, RequestInit};

    pub fn start(idle: RwSignal<u32>, limit: u32, attract: String) {
        let touched = Closure::<dyn Fn(Event)>::new(move |_| idle.set(0));
        for kind in ["pointerdown", "keydown", "touchstart", "wheel"] {
            let _ =
                document().add_event_listener_with_callback(kind, touched.as_ref().unchecked_ref());
        }
        touched.forget();
        let _ = set_interval_with_handle(
            move || {
                let now = idle.get_untracked() + 1;
                idle.set(now);
                if now == limit {
                    reset(attract.clone());
                }
            },
            Duration::from_secs(1),
        );
    }

    /// Ends the screen's session on the server, then replaces this page with the attract
    /// screen (no new history entry). Falls back to posting the reset form.
    fn reset(attract: String) {
        let Some(form) = document()
            .get_element_by_id(RESET_FORM_ID)
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            let _ = window().location().replace(&attract);
            return;
        };
        leptos::task::spawn_local(async move {
            let init = RequestInit::new();
            init.set_method("POST");
            let body = web_sys::FormData::new_with_form(&form)
                .ok()
                .and_then(|d| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&d).ok());
            if let Some(body) = &body {
                init.set_body(body);
            }
            let headers = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&headers, &"accept".into(), &"application/json".into());
            init.set_headers(&headers);
            let sent =
                JsFuture::from(window().fetch_with_str_and_init(&form.action(), &init)).await;
            if sent.is_ok() {
                let _ = window().location().replace(&attract);
            } else {
                let _ = form.submit();
            }
        });
    }
}
