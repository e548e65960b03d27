//! The request's `Cookie` headers as the server reads them (`cookies::pairs`,
//! `cookies::read`), over HTTP and behind an HTTPS proxy, and what is read out of them:
//! the one-time message (`Flash::parse`), the location (`LatLon::parse_pair`), the
//! guide's attribution and the language. A cookie is found under its exact name only;
//! cookies split over several headers (as HTTP/2 sends them) read as one header; a message
//! read and set again reads back the same, in a valid `Set-Cookie`.
//!
//! Input: the first line is `X-Forwarded-Proto`, each further line one `Cookie` header.
#![no_main]

use app::domain::geo::LatLon;
use app::ssr::cookies::{self, Cookie};
use app::ssr::flash::Flash;
use app::ssr::guides;
use app::ssr::request::lang_of_headers;
use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lines = data.split(|b| *b == b'\n');
    let proto = lines.next().unwrap_or_default();
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_bytes(proto) {
        headers.insert("x-forwarded-proto", v);
    }
    let mut joined = headers.clone();
    let mut parts = Vec::new();
    for line in lines {
        if let Ok(v) = HeaderValue::from_bytes(line) {
            parts.push(v.clone());
            headers.append(header::COOKIE, v);
        }
    }
    let https = cookies::is_https(&headers);

    for cookie in Cookie::ALL {
        let name = cookie.name(https);
        let Some(value) = cookies::read(&headers, cookie) else {
            continue;
        };
        assert!(!value.contains(';'), "{name}={value:?}");
        assert!(
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.contains(&format!("{name}={value}"))),
            "{name}={value:?} is not in the request"
        );
    }

    // Several Cookie headers read like one joined with "; ".
    if parts.iter().all(|v| v.to_str().is_ok()) && !parts.is_empty() {
        let all: Vec<&str> = parts.iter().map(|v| v.to_str().expect("checked")).collect();
        joined.insert(
            header::COOKIE,
            HeaderValue::from_str(&all.join("; ")).expect("visible ASCII joined"),
        );
        for cookie in Cookie::ALL {
            assert_eq!(
                cookies::read(&headers, cookie),
                cookies::read(&joined, cookie),
                "{cookie:?} in {all:?}"
            );
        }
    }

    if let Some(flash) = cookies::read(&headers, Cookie::Flash).and_then(Flash::parse) {
        assert!(!flash.message.is_empty() && flash.message.chars().count() <= 200);
        assert!(
            flash
                .field
                .as_ref()
                .is_none_or(|f| !f.is_empty() && f.len() <= 80)
        );
        let set = flash.set_cookie(https);
        assert!(HeaderValue::from_str(&set).is_ok(), "{set:?}");
        let value = set
            .strip_prefix("flash=")
            .and_then(|v| v.split(';').next())
            .expect("name=value; flags");
        assert_eq!(Flash::parse(value).as_ref(), Some(&flash), "{set:?}");
    }
    if let Some(p) = cookies::read(&headers, Cookie::Location).and_then(LatLon::parse_pair) {
        assert!(LatLon::new(p.lat, p.lon).is_ok(), "{p:?}");
    }
    for at in [0, 1_800_000_000, i64::MAX] {
        if let Some(code) = guides::attributed_code(&headers, at) {
            assert_eq!(guides::parse_code(&code).as_ref(), Some(&code));
        }
    }
    let lang = lang_of_headers(&headers);
    let set = cookies::set(Cookie::Lang, lang.tag(), https);
    assert!(HeaderValue::from_str(&set).is_ok());
});
