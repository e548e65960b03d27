//! Per-page context shared by every component (server and browser): the shopper's
//! language, read from the request on the server and from `<html lang>` in the browser,
//! so both sides render the same text and hydration matches.

use crate::domain::lang::Lang;
use leptos::prelude::*;

/// The language of the request being rendered (server), or of the hydrated page (browser).
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::request::lang()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

pub fn provide_lang() {
    provide_context(request_lang());
}

/// Islands hydrate on their own in the browser, without the app's context: they read
/// the language from the document instead.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(request_lang)
}
