//! Security layers: cross-origin mutating requests are refused (Leptos server functions
//! and our form posts have no CSRF token of their own), and baseline response headers.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};
use std::sync::Arc;

/// Origins allowed besides the request's own.
#[derive(Clone, Debug, Default)]
pub struct TrustedOrigins(pub Arc<Vec<String>>);

/// Why a request was judged cross-origin, for the log.
#[derive(Debug, PartialEq, Eq)]
pub enum CrossOrigin {
    FetchSite(String),
    Origin(String),
}

/// The check, as browsers make it possible: `Sec-Fetch-Site` when sent (all current
/// browsers), else `Origin` against `Host`. A request with neither did not come from a
/// browser page, so it cannot carry a victim's cookies: it passes.
pub fn check_same_origin(
    method: &Method,
    headers: &HeaderMap,
    trusted: &[String],
) -> Result<(), CrossOrigin> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let origin = text(header::ORIGIN.as_str());
    if let Some(origin) = origin
        && trusted.iter().any(|t| t.eq_ignore_ascii_case(origin))
    {
        return Ok(());
    }
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => Ok(()),
            other => Err(CrossOrigin::FetchSite(other.to_owned())),
        };
    }
    match (origin, text(header::HOST.as_str())) {
        (None, _) => Ok(()),
        (Some(origin), Some(host))
            if origin_host(origin).is_some_and(|h| h.eq_ignore_ascii_case(host)) =>
        {
            Ok(())
        }
        (Some(origin), _) => Err(CrossOrigin::Origin(origin.to_owned())),
    }
}

/// `host[:port]` of an origin such as `https://shop.example.com:8443`.
fn origin_host(origin: &str) -> Option<&str> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))?;
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

pub async fn refuse_cross_origin(
    State(trusted): State<TrustedOrigins>,
    request: Request,
    next: Next,
) -> Response {
    // The payment notify comes from the provider's servers, not a page: it is exempt only
    // because its handler believes nothing that its signature does not verify.
    if request.uri().path() == app::links::routes::PAYMENT_NOTIFY {
        return next.run(request).await;
    }
    match check_same_origin(request.method(), request.headers(), &trusted.0) {
        Ok(()) => next.run(request).await,
        Err(why) => {
            tracing::warn!(?why, path = %request.uri().path(), "refused a cross-origin request");
            (
                StatusCode::FORBIDDEN,
                "Cross-origin request refused / 已拒绝跨站请求",
            )
                .into_response()
        }
    }
}

/// The policy of an HTML page without scripts of its own (the plain error pages): no
/// script at all.
pub const NO_SCRIPT_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self'; \
    img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; \
    form-action 'self'";

/// Headers every response carries: no sniffing, no framing, a referrer policy, the one
/// permission the site asks for (the phone's location, for this site only), HSTS over
/// HTTPS, and a Content-Security-Policy on every HTML page (pages the app renders bring
/// their own, with this response's nonce).
pub async fn baseline_headers(request: Request, next: Next) -> Response {
    let https = app::ssr::cookies::is_https(request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            http::HeaderValue::from_static(NO_SCRIPT_POLICY),
        );
    }
    headers.insert(
        http::HeaderName::from_static("permissions-policy"),
        http::HeaderValue::from_static(
            "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
        ),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        http::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        http::HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        http::HeaderValue::from_static("DENY"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn reads_are_never_blocked() {
        let h = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(check_same_origin(&Method::GET, &h, &[]).is_ok());
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let post = Method::POST;
        assert!(
            check_same_origin(&post, &headers(&[("sec-fetch-site", "same-origin")]), &[]).is_ok()
        );
        assert!(check_same_origin(&post, &headers(&[("sec-fetch-site", "none")]), &[]).is_ok());
        assert!(
            check_same_origin(&post, &headers(&[("sec-fetch-site", "cross-site")]), &[]).is_err()
        );
        assert!(
            check_same_origin(&post, &headers(&[("sec-fetch-site", "same-site")]), &[]).is_err()
        );
    }

    #[test]
    fn origin_must_match_host_without_fetch_metadata() {
        let post = Method::POST;
        let ok = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(check_same_origin(&post, &ok, &[]).is_ok());
        let evil = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(
            check_same_origin(&post, &evil, &[]),
            Err(CrossOrigin::Origin("https://evil.example".into()))
        );
        let null = headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]);
        assert!(check_same_origin(&post, &null, &[]).is_err());
        assert!(
            check_same_origin(&post, &headers(&[("host", "x")]), &[]).is_ok(),
            "no browser, no cookies to abuse"
        );
    }

    #[test]
    fn trusted_origins_pass() {
        let h = headers(&[
            ("origin", "https://shop.example.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(check_same_origin(&Method::POST, &h, &["https://shop.example.com".into()]).is_ok());
    }
}
