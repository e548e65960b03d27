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

/// A rendered page: its content type and its bytes.
#[derive(Debug)]
struct Page {
    content_type: HeaderValue,
    body: Bytes,
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
        return (
            [(header::CONTENT_TYPE, page.content_type.clone())],
            page.body.clone(),
        )
            .into_response();
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
        cache.0.put(
            key,
            Page {
                content_type,
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
