//! The order queue, live (an island): every [`EVERY_MS`] it asks the store's
//! `queue.json`; when the counts or the newest order change it fetches the console page
//! and swaps the queue region in place, and says "new orders have arrived" in a polite
//! live region when one is newer than those on screen. Without JavaScript the page has a
//! refresh link instead.

use leptos::prelude::*;

pub const EVERY_MS: u64 = 10_000;

// Not in the browse bundle (feature `browse`): no browsing page uses it.
#[cfg_attr(not(feature = "browse"), island)]
#[cfg_attr(feature = "browse", component)]
pub fn ConsoleLive(store: String, newest: i64, region: String) -> impl IntoView {
    let lang = crate::context::use_lang();
    #[cfg(feature = "hydrate")]
    browser::start(store, newest, region, lang);
    #[cfg(not(feature = "hydrate"))]
    let _ = (store, newest, region);
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" id="console-live"></p>
        <p hidden id="console-live-text">{crate::domain::i18n::staff::StaffText::NewOrdersArrived.t(lang)}</p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::EVERY_MS;
    use crate::domain::lang::Lang;
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{DomParser, Response, SupportedType};

    pub fn start(store: String, newest: i64, region: String, _lang: Lang) {
        let asking = Rc::new(Cell::new(false));
        let seen = Rc::new(RefCell::new((newest, String::new())));
        let _ = set_interval_with_handle(
            move || {
                if asking.replace(true) {
                    return;
                }
                let (store, region, asking, seen) =
                    (store.clone(), region.clone(), asking.clone(), seen.clone());
                leptos::task::spawn_local(async move {
                    let _ = check(&store, &region, &seen).await;
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
        if !response.ok() || response.redirected() {
            return None;
        }
        JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()
    }

    /// A whole-number field of the queue's JSON.
    fn number(json: &str, key: &str) -> Option<i64> {
        json.split(&format!("\"{key}\":"))
            .nth(1)?
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    }

    async fn check(store: &str, region: &str, seen: &RefCell<(i64, String)>) -> Option<()> {
        let json = text_of(&format!("/staff/{store}/queue.json")).await?;
        let newest = number(&json, "newest")?;
        let placed = number(&json, "placed")?;
        let (known, last_json) = seen.borrow().clone();
        // Unchanged since the last look: nothing to do. The first look always swaps, as
        // the queue may have moved between the page's rendering and now.
        if json == last_json {
            return Some(());
        }
        let more_new =
            newest > known || number(&last_json, "placed").is_some_and(|before| placed > before);
        seen.replace((known.max(newest), json));
        let href = window().location().href().ok()?;
        let html = text_of(&href).await?;
        let fetched = DomParser::new()
            .ok()?
            .parse_from_string(&html, SupportedType::TextHtml)
            .ok()?;
        let incoming = fetched.get_element_by_id(region)?;
        document()
            .get_element_by_id(region)?
            .set_inner_html(&incoming.inner_html());
        if more_new {
            let message = document()
                .get_element_by_id("console-live-text")?
                .text_content()?;
            document()
                .get_element_by_id("console-live")?
                .set_text_content(Some(&message));
        }
        Some(())
    }
}
