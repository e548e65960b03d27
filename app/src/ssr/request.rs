//! What a server function or page needs from the current request (server): the database
//! handle from context and the shopper's language from cookie or Accept-Language.

use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::cookies::{self, Cookie};
use crate::ssr::db::Db;
use crate::ssr::state::{AppState, Caches};
use http::request::Parts;
use leptos::prelude::{use_context, with_context};

/// The application state of this request (database, settings, caches).
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("application state missing from the request context");
        AppError::Internal
    })
}

pub fn db() -> Result<Db, AppError> {
    state().map(|s| s.db)
}

pub fn caches() -> Result<std::sync::Arc<Caches>, AppError> {
    state().map(|s| s.caches)
}

/// The language of this request: `lang` cookie, else Accept-Language, else zh-CN.
pub fn lang_of(parts: &Parts) -> Lang {
    lang_of_headers(&parts.headers)
}

pub fn lang_of_headers(headers: &http::HeaderMap) -> Lang {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let cookie = cookies::read(headers, Cookie::Lang);
    Lang::choose(cookie, header(http::header::ACCEPT_LANGUAGE))
}

/// Reads the request's parts in place (they are in the context during a request), rather
/// than cloning its headers for each look.
fn with_parts<T>(f: impl FnOnce(&Parts) -> T) -> Option<T> {
    with_context::<Parts, _>(f)
}

/// The path of the request being rendered.
pub fn path() -> Option<String> {
    with_parts(|p| p.uri.path().to_owned())
}

pub fn lang() -> Lang {
    with_parts(lang_of).unwrap_or_default()
}

/// The value of `cookie` in this request, if any.
pub fn cookie(cookie: Cookie) -> Option<String> {
    with_parts(|p| cookies::read(&p.headers, cookie).map(str::to_owned)).flatten()
}

/// Adds a `Set-Cookie` to the response being built (page or server function).
pub fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The Content-Security-Policy of a rendered page: scripts only from this site or inline
/// with this response's nonce (Leptos puts it on its hydration scripts), the wasm they
/// load, and nothing framing us or posting elsewhere.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// Puts this response's CSP header on the page being rendered (see
/// [`content_security_policy`]); the nonce is the one Leptos made for this response.
pub fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Sets the HTTP status of the response being built.
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// Whether the shopper reached us over HTTPS (see [`cookies::is_https`]).
pub fn is_https() -> bool {
    with_parts(|p| cookies::is_https(&p.headers)).unwrap_or(false)
}

/// Reads the request's headers in place (empty outside a request).
pub fn with_headers<T>(f: impl Fn(&http::HeaderMap) -> T) -> T {
    with_parts(|p| f(&p.headers)).unwrap_or_else(|| f(&http::HeaderMap::new()))
}

/// The request's headers, copied (empty outside a request); [`with_headers`] reads them
/// in place.
pub fn headers() -> http::HeaderMap {
    with_parts(|p| p.headers.clone()).unwrap_or_default()
}

pub fn settings() -> Result<crate::ssr::settings::Settings, AppError> {
    state().map(|s| s.settings)
}

/// `scheme://host` of this request, for links another device will open (a QR code).
pub fn origin() -> String {
    with_headers(|headers| {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if cookies::is_https(headers) {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{host}")
    })
}

/// This request's bag summary, reckoned once (see `api::bag::get_bag_summary`): the
/// answer of the one task that works it out. The server puts a fresh one in every
/// request's context.
#[derive(Clone, Default)]
#[allow(clippy::type_complexity)]
pub struct BagSummaryOnce(
    pub  std::sync::Arc<
        std::sync::Mutex<
            Option<
                tokio::sync::watch::Receiver<
                    Option<Result<crate::domain::bag::BagSummary, crate::error::AppError>>,
                >,
            >,
        >,
    >,
);
