//! A page micro-cache: for one second, the store and product pages (and home) a shopper
//! without cookies gets are served again from memory. Every such shopper is shown the same
//! bytes, so this changes no page, only how often it is rendered; it holds at most a
//! second's staleness of stock and open-now, and nothing personal: a request carrying any
//! cookie but `lang`, any non-GET, and any response that sets a cookie, is not a status 200
//! or says `no-store` passes straight through. Each server keeps its own.

use app::ssr::cookies::{self, Cookie};
use app::ssr::micro_cache::MicroCache;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::sync::Arc;
use std::time::Duration;

pub const TTL: Duration = Duration::from_secs(1);
const MAX_ENTRIES: usize = 5_000;
const MAX_BODY: usize = 2 << 20;

/// A rendered page: its content type, its bytes, and its Content-Security-Policy with the
/// nonce the page's scripts carry.
#[derive(Debug)]
struct Page {
    content_type: HeaderValue,
    csp: Option<String>,
    nonce: Option<String>,
    body: Bytes,
}

impl Page {
    /// The page again, under a fresh nonce: each response's scripts and policy carry a
    /// nonce no earlier response showed.
    fn serve(&self) -> Response {
        let mut response = match (&self.csp, &self.nonce) {
            (Some(csp), Some(old)) => {
                let new = leptos::nonce::Nonce::new().to_string();
                let body = replace_all(&self.body, old.as_bytes(), new.as_bytes());
                let mut r = Body::from(body).into_response();
                if let Ok(v) = HeaderValue::from_str(&csp.replace(old.as_str(), &new)) {
                    r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
                }
                r
            }
            _ => Body::from(self.body.clone()).into_response(),
        };
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, self.content_type.clone());
        response
    }
}

/// The nonce in a policy's `'nonce-…'` source, if any.
fn nonce_of(csp: &str) -> Option<&str> {
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(&csp[start..start + len]).filter(|n| n.len() >= 16)
}

/// `haystack` with every `needle` replaced by `with`.
fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + 64);
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

#[derive(Clone, Debug)]
pub struct PageCache(Arc<MicroCache<String, Page>>);

impl Default for PageCache {
    fn default() -> Self {
        PageCache(Arc::new(MicroCache::new(TTL, MAX_ENTRIES)))
    }
}

/// The cache key of a request that may be served from the cache.
fn key_of(method: &Method, uri: &http::Uri, headers: &HeaderMap) -> Option<String> {
    let path = uri.path();
    if *method != Method::GET || !(path == "/" || path.starts_with("/s/")) {
        return None;
    }
    if cookies::pairs(headers).any(|(name, _)| name != Cookie::Lang.plain_name()) {
        return None;
    }
    // The language is all that varies among these requests.
    let lang = app::ssr::request::lang_of_headers(headers);
    Some(format!("{}|{}", lang.tag(), uri))
}

pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let Some(key) = key_of(request.method(), request.uri(), request.headers()) else {
        return next.run(request).await;
    };
    if let Some(page) = cache.0.get(&key) {
        return page.serve();
    }
    let response = next.run(request).await;
    let cacheable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store"));
    if !cacheable {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() {
        let csp = parts
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        cache.0.put(
            key,
            Page {
                content_type,
                nonce: csp.as_deref().and_then(nonce_of).map(str::to_owned),
                csp,
                body: bytes.clone(),
            },
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if !cookie.is_empty() {
            h.insert(header::COOKIE, cookie.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_cached_page_is_served_under_a_fresh_nonce() {
        let csp = "script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'wasm-unsafe-eval'";
        assert_eq!(nonce_of(csp), Some("AAAAAAAAAAAAAAAAAAAAAA"));
        assert_eq!(nonce_of("script-src 'self'"), None);
        let page = Page {
            content_type: HeaderValue::from_static("text/html"),
            csp: Some(csp.to_owned()),
            nonce: Some("AAAAAAAAAAAAAAAAAAAAAA".to_owned()),
            body: Bytes::from_static(
                b"<script nonce=\"AAAAAAAAAAAAAAAAAAAAAA\">a</script><link nonce=\"AAAAAAAAAAAAAAAAAAAAAA\">",
            ),
        };
        let a = page.serve();
        let b = page.serve();
        let policy = |r: &Response| {
            r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned()
        };
        let (pa, pb) = (policy(&a), policy(&b));
        assert_ne!(pa, pb, "each hit gets its own nonce");
        assert!(!pa.contains("AAAAAAAAAAAAAAAAAAAAAA"));
        let nonce = nonce_of(&pa).unwrap().to_owned();
        assert_eq!(replace_all(b"xAAy", b"AA", b"B"), b"xBy");
        let body = futures_lite_body(a);
        assert_eq!(body.matches(&nonce).count(), 2, "{body}");
    }

    fn futures_lite_body(r: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let bytes = to_bytes(r.into_body(), usize::MAX).await.unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        })
    }

    #[test]
    fn only_anonymous_gets_of_shared_pages_are_cached() {
        let uri: http::Uri = "/s/sh-a?c=dairy".parse().unwrap();
        assert!(key_of(&Method::GET, &uri, &headers("")).is_some());
        assert!(
            key_of(&Method::GET, &uri, &headers("lang=en"))
                .unwrap()
                .starts_with("en|")
        );
        for cookie in [
            "sid=abc",
            "lang=en; loc=31,121",
            "guide=G001A.1",
            "flash=ok.x",
        ] {
            assert_eq!(
                key_of(&Method::GET, &uri, &headers(cookie)),
                None,
                "{cookie}"
            );
        }
        assert_eq!(key_of(&Method::POST, &uri, &headers("")), None);
        for path in [
            "/bag",
            "/member",
            "/checkout/sh-a",
            "/orders/CS1",
            "/demo/inbox",
            "/kiosk/sh-a",
        ] {
            assert_eq!(
                key_of(&Method::GET, &path.parse().unwrap(), &headers("")),
                None,
                "{path}"
            );
        }
    }
}
