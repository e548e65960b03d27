//! What a server function or page needs from the current request (server): the database
//! handle from context and the shopper's language from cookie or Accept-Language.

use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::db::Db;
use http::request::Parts;
use leptos::prelude::use_context;

pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("database handle missing from the request context");
        AppError::Internal
    })
}

/// The language of this request: `lang` cookie, else Accept-Language, else zh-CN.
pub fn lang_of(parts: &Parts) -> Lang {
    lang_of_headers(&parts.headers)
}

pub fn lang_of_headers(headers: &http::HeaderMap) -> Lang {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let cookie = crate::ssr::session::cookie_value(headers, Lang::COOKIE);
    Lang::choose(cookie.as_deref(), header(http::header::ACCEPT_LANGUAGE))
}

pub fn lang() -> Lang {
    use_context::<Parts>()
        .map(|p| lang_of(&p))
        .unwrap_or_default()
}

/// The value of cookie `name` in this request, if any.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(name)?
                .strip_prefix('=')
                .map(str::to_owned)
        })
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

/// Sets the HTTP status of the response being built.
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// Whether the shopper reached us over HTTPS (directly or via a proxy that says so).
pub fn is_https() -> bool {
    use_context::<Parts>().is_some_and(|p| {
        p.uri.scheme_str() == Some("https")
            || p.headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https"))
    })
}

/// The request's headers (empty outside a request).
pub fn headers() -> http::HeaderMap {
    use_context::<Parts>()
        .map(|p| p.headers)
        .unwrap_or_default()
}

pub fn settings() -> Result<crate::ssr::settings::Settings, AppError> {
    use_context::<crate::ssr::settings::Settings>().ok_or_else(|| {
        tracing::error!("settings missing from the request context");
        AppError::Internal
    })
}

/// `scheme://host` of this request, for links another device will open (a QR code).
pub fn origin() -> String {
    let headers = headers();
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if crate::ssr::session::is_https(&headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}
