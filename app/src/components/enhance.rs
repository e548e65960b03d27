//! Form enhancement (an island, once per page): a POST form marked `data-enhance` is sent
//! with `fetch` instead of a page load, the bag count updates in place and the server's
//! message is read out from a live region. Forms marked `data-enhance="refresh"` (the bag
//! page's) then re-render the page's main region. The submit button is disabled while the
//! request is in flight, so a double tap sends once. Without JavaScript, or on any
//! unexpected reply, the form simply posts and the server redirects back.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The id of the live region the messages go to.
pub const STATUS_ID: &str = "live-status";

/// What a form post answers when the enhancer asks for JSON: the server writes it; the
/// island reads its message, count and label (with the browser's JSON parser).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormReply {
    /// The change was made (the HTTP status says so too).
    pub ok: bool,
    /// What to tell the shopper, in their language (may be empty).
    pub message: String,
    /// The bag's count after the change, when it changed, and the bag link's label for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// An order placed: its id and its page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Fields to correct, each with what is wrong, in the form's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<(String, String)>,
}

#[island]
pub fn FormEnhancer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::attach();
    view! { <p id=STATUS_ID class="live-status" role="status" aria-live="polite"></p> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::STATUS_ID;
    use js_sys::Reflect;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        DomParser, Element, Event, FormData, HtmlButtonElement, HtmlFormElement, RequestInit,
        Response, SupportedType, UrlSearchParams,
    };

    pub fn attach() {
        let on_submit = Closure::<dyn Fn(Event)>::new(|ev: Event| {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            let Some(mode) = form.get_attribute("data-enhance") else {
                return;
            };
            if !form.method().eq_ignore_ascii_case("post") || ev.default_prevented() {
                return;
            }
            ev.prevent_default();
            if form.get_attribute("aria-busy").as_deref() == Some("true") {
                return;
            }
            leptos::task::spawn_local(async move {
                set_busy(&form, true);
                let sent = send(&form, mode == "refresh").await;
                set_busy(&form, false);
                if sent.is_none() {
                    // Let the browser post it the plain way.
                    form.submit().ok();
                }
            });
        });
        let _ = document()
            .add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }

    fn set_busy(form: &HtmlFormElement, busy: bool) {
        let _ = form.set_attribute("aria-busy", if busy { "true" } else { "false" });
        if let Ok(buttons) = form.query_selector_all("button") {
            for i in 0..buttons.length() {
                if let Some(b) = buttons
                    .item(i)
                    .and_then(|n| n.dyn_into::<HtmlButtonElement>().ok())
                {
                    b.set_disabled(busy);
                }
            }
        }
    }

    async fn send(form: &HtmlFormElement, refresh: bool) -> Option<()> {
        let data = FormData::new_with_form(form).ok()?;
        let body = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&body);
        let headers = js_sys::Object::new();
        Reflect::set(&headers, &"accept".into(), &"application/json".into()).ok()?;
        init.set_headers(&headers);
        let response: Response =
            JsFuture::from(window().fetch_with_str_and_init(&form.action(), &init))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        let is_json = response
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .is_some_and(|t| t.starts_with("application/json"));
        if !is_json {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        let reply = read_reply(&text)?;
        if let Some(count) = reply.count {
            update_counts(count, reply.label.as_deref());
        }
        if refresh && response.ok() {
            refresh_main().await;
        }
        announce(&reply.message, response.ok());
        Some(())
    }

    /// What the island uses of a [`FormReply`]: the message, and the bag's new count and
    /// label.
    struct Reply {
        message: String,
        count: Option<u32>,
        label: Option<String>,
    }

    /// The reply, read by the browser's own JSON parser: serde_json would add about 20 KB
    /// to every page's wasm for this one object. A field missing or of another type reads
    /// as absent, as `#[serde(default)]` would.
    fn read_reply(text: &str) -> Option<Reply> {
        let value = js_sys::JSON::parse(text).ok()?;
        if !value.is_object() {
            return None;
        }
        let field = |name: &str| Reflect::get(&value, &name.into()).ok();
        Some(Reply {
            message: field("message")
                .and_then(|v| v.as_string())
                .unwrap_or_default(),
            count: field("count")
                .and_then(|v| v.as_f64())
                .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
                .map(|n| n as u32),
            label: field("label").and_then(|v| v.as_string()),
        })
    }

    fn update_counts(count: u32, label: Option<&str>) {
        let Ok(nodes) = document().query_selector_all("[data-bag-count]") else {
            return;
        };
        for i in 0..nodes.length() {
            if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                el.set_text_content(Some(&count.to_string()));
                if let (Some(label), Some(link)) = (label, el.closest("a").ok().flatten()) {
                    let _ = link.set_attribute("aria-label", label);
                }
            }
        }
    }

    /// Says the message; a refused change is also marked so it stands out.
    fn announce(message: &str, ok: bool) {
        let Some(status) = document().get_element_by_id(STATUS_ID) else {
            return;
        };
        // Clearing first makes a repeated message be read again.
        status.set_text_content(None);
        let _ = status.set_attribute("data-tone", if ok { "ok" } else { "error" });
        let message = message.to_owned();
        set_timeout(
            move || status.set_text_content(Some(&message)),
            std::time::Duration::from_millis(30),
        );
    }

    /// Re-renders `<main>` from the server (the bag page after a change).
    async fn refresh_main() -> Option<()> {
        let href = window().location().href().ok()?;
        let response: Response = JsFuture::from(window().fetch_with_str(&href))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        let html = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        let fetched = DomParser::new()
            .ok()?
            .parse_from_string(&html, SupportedType::TextHtml)
            .ok()?;
        let incoming = fetched.get_element_by_id("main")?;
        document()
            .get_element_by_id("main")?
            .set_inner_html(&incoming.inner_html());
        Some(())
    }
}
