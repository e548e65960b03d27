//! `POST /lang`: remembers the shopper's language in a cookie and sends them back to the
//! page they were on. A plain form post, so it works without JavaScript.

use app::domain::lang::Lang;
use axum::Form;
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct LanguageChoice {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Only a path on this site: no scheme, no `//host`, no backslash tricks.
pub fn safe_back_path(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.contains("://");
    if local { back } else { "/" }
}

/// Whether the shopper reached us over HTTPS (directly or through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

pub async fn set_language(headers: HeaderMap, Form(choice): Form<LanguageChoice>) -> Response {
    let Some(lang) = Lang::from_tag(&choice.lang) else {
        return (StatusCode::BAD_REQUEST, "Unknown language / 不支持的语言").into_response();
    };
    let secure = if is_https(&headers) { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        Lang::COOKIE,
        lang.tag()
    );
    let mut response = Redirect::to(safe_back_path(&choice.back)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_paths_stay_on_site() {
        assert_eq!(safe_back_path("/s/sh-a?c=dairy"), "/s/sh-a?c=dairy");
        assert_eq!(safe_back_path("//evil.example/x"), "/");
        assert_eq!(safe_back_path("https://evil.example"), "/");
        assert_eq!(safe_back_path("/\\evil.example"), "/");
        assert_eq!(safe_back_path(""), "/");
    }
}
