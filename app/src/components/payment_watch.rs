//! Waiting for a payment's confirmation, live (an island): every [`EVERY_MS`] it asks for
//! the order page again (which, a few seconds after the shopper came back, asks the
//! provider itself), and once that page no longer says "confirming" it shows it. Without
//! JavaScript the page has a "check again" link instead: nothing reloads by itself, so
//! nobody is hurried (WCAG 2.2.1).

use leptos::prelude::*;

pub const EVERY_MS: u64 = 2_000;
/// What marks the "confirming" notice on the order page.
pub const MARK: &str = "data-confirming";

// Not in the browse bundle (feature `browse`): no browsing page uses it.
#[cfg_attr(not(feature = "browse"), island)]
#[cfg_attr(feature = "browse", component)]
pub fn PaymentWatch(href: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start(href);
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{EVERY_MS, MARK};
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::Response;

    pub fn start(href: String) {
        let asking = Rc::new(Cell::new(false));
        let _ = set_interval_with_handle(
            move || {
                if asking.replace(true) {
                    return;
                }
                let (href, asking) = (href.clone(), asking.clone());
                leptos::task::spawn_local(async move {
                    if let Some(html) = text_of(&href).await
                        && !html.contains(MARK)
                    {
                        let _ = window().location().replace(&href);
                    }
                    asking.set(false);
                });
            },
            Duration::from_millis(EVERY_MS),
        );
    }

    async fn text_of(url: &str) -> Option<String> {
        let response: Response = JsFuture::from(window().fetch_with_str(url))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()
    }
}
