//! Checkout when hydrated (an island): every 20 seconds it asks which delivery windows
//! have filled and disables them (a chosen one that filled is unchosen and the shopper is
//! told); and the form's button sends once — later taps do nothing while the page loads.
//! Without JavaScript the server does both: a full window is refused with a message, and
//! the idempotency key makes a repeated post return the same order.

use leptos::prelude::*;

// Not in the browse bundle (feature `browse`): no browsing page uses it.
#[cfg_attr(not(feature = "browse"), island)]
#[cfg_attr(feature = "browse", component)]
pub fn CheckoutLive(store: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start(store);
    #[cfg(not(feature = "hydrate"))]
    let _ = store;
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::api::checkout::get_full_windows;
    use crate::domain::i18n::checkout::CheckoutText;
    use leptos::prelude::*;
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{Event, HtmlButtonElement, HtmlFormElement, HtmlInputElement};

    pub fn start(store: String) {
        let once = Closure::<dyn Fn(Event)>::new(|ev: Event| {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
                .filter(|f| f.has_attribute("data-submit-once"))
            else {
                return;
            };
            if form.get_attribute("aria-busy").as_deref() == Some("true") {
                ev.prevent_default();
                return;
            }
            let _ = form.set_attribute("aria-busy", "true");
            if let Some(b) = form
                .query_selector("button[type=submit]")
                .ok()
                .flatten()
                .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
            {
                // Disabled after this event, so the browser still sends the form.
                set_timeout(move || b.set_disabled(true), Duration::ZERO);
            }
        });
        let _ =
            document().add_event_listener_with_callback("submit", once.as_ref().unchecked_ref());
        once.forget();
        let _ = set_interval_with_handle(
            move || {
                let store = store.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(full) = get_full_windows(store).await {
                        mark_full(&full);
                    }
                });
            },
            Duration::from_secs(20),
        );
    }

    fn mark_full(full: &[i64]) {
        let lang = crate::context::use_lang();
        for starts_at in full {
            let Some(input) = document()
                .get_element_by_id(&format!("w-{starts_at}"))
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            else {
                continue;
            };
            if input.disabled() {
                continue;
            }
            let was_chosen = input.checked();
            input.set_checked(false);
            input.set_disabled(true);
            if let Some(label) = input.parent_element() {
                let _ = label.class_list().add_1("window-off");
                let note = document().create_element("span").ok();
                if let Some(note) = note {
                    note.set_class_name("window-note");
                    note.set_text_content(Some(&format!(
                        " · {}",
                        CheckoutText::WindowFull.t(lang)
                    )));
                    let _ = label.append_child(&note);
                }
            }
            if was_chosen
                && let Some(status) =
                    document().get_element_by_id(crate::components::enhance::STATUS_ID)
            {
                status.set_text_content(Some(CheckoutText::WindowFullNow.t(lang)));
            }
        }
    }
}
