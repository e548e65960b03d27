//! In-place filtering (an island): inside it, same-page links (categories, pages) and GET
//! forms (search) fetch the server-rendered page and swap just this region, with the
//! address bar and history kept right — no full reload once the wasm is live. Without
//! JavaScript the same links and forms simply load the page. Anything unexpected (an error
//! status, a missing region) falls back to a normal navigation.

use leptos::prelude::*;

/// The id of the swapped region: the fetched page must contain it too.
pub const REGION_ID: &str = "in-place";

#[island]
pub fn InPlace(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            browser::attach(el.into());
        }
    });
    view! {
        <div id=REGION_ID node_ref=root>
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::REGION_ID;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        DomParser, Element, Event, FormData, HtmlAnchorElement, HtmlElement, HtmlFormElement,
        MouseEvent, Response, SupportedType, Url, UrlSearchParams,
    };

    pub fn attach(root: HtmlElement) {
        let on_click = Closure::<dyn Fn(MouseEvent)>::new(|ev: MouseEvent| {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.meta_key()
                || ev.ctrl_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let Some(a) = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .and_then(|el| el.dyn_into::<HtmlAnchorElement>().ok())
            else {
                return;
            };
            if !a.target().is_empty() || !same_page(&a.href()) {
                return;
            }
            ev.prevent_default();
            swap(a.href(), true);
        });
        let on_submit = Closure::<dyn Fn(Event)>::new(|ev: Event| {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            if !form.method().eq_ignore_ascii_case("get") || !same_page(&form.action()) {
                return;
            }
            let (Ok(url), Ok(data)) = (Url::new(&form.action()), FormData::new_with_form(&form))
            else {
                return;
            };
            let Ok(params) = UrlSearchParams::new_with_str_sequence_sequence(&data) else {
                return;
            };
            url.set_search(&params.to_string().as_string().unwrap_or_default());
            ev.prevent_default();
            swap(url.href(), true);
        });
        let _ = root.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        let _ = root.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_click.forget();
        on_submit.forget();
        let on_popstate = Closure::<dyn Fn(Event)>::new(|_| {
            if let Ok(href) = window().location().href() {
                swap(href, false);
            }
        });
        let _ = window()
            .add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
        on_popstate.forget();
    }

    /// Only this page's own variations (same origin and path: filters, search, pages).
    fn same_page(href: &str) -> bool {
        let location = window().location();
        match Url::new(href) {
            Ok(url) => {
                Some(url.origin()) == location.origin().ok()
                    && Some(url.pathname()) == location.pathname().ok()
            }
            Err(_) => false,
        }
    }

    fn swap(href: String, push: bool) {
        leptos::task::spawn_local(async move {
            if fetch_and_swap(&href, push).await.is_none() {
                let _ = window().location().set_href(&href);
            }
        });
    }

    async fn fetch_and_swap(href: &str, push: bool) -> Option<()> {
        let response: Response = JsFuture::from(window().fetch_with_str(href))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        if !response.ok() || response.redirected() {
            return None;
        }
        let html = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        let fetched = DomParser::new()
            .ok()?
            .parse_from_string(&html, SupportedType::TextHtml)
            .ok()?;
        let incoming = fetched.get_element_by_id(REGION_ID)?;
        let region = document().get_element_by_id(REGION_ID)?;
        region.set_inner_html(&incoming.inner_html());
        document().set_title(&fetched.title());
        if push {
            window()
                .history()
                .ok()?
                .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
                .ok()?;
        }
        // Tell assistive tech where the new results are.
        if let Some(heading) = region
            .query_selector("[data-focus-after-swap]")
            .ok()
            .flatten()
        {
            let _ = heading.dyn_into::<HtmlElement>().map(|h| h.focus());
        }
        Some(())
    }
}
