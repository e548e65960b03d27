//! The shopper's language from the `lang` cookie and `Accept-Language`
//! (`Lang::from_tag`, `Lang::negotiate`, and the server's `lang_of_headers`). A tag read
//! names its language again; languages we do not speak and q=0 change nothing.
#![no_main]

use app::domain::lang::Lang;
use app::ssr::request::lang_of_headers;
use cloud_store_fuzz::text;
use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = HeaderValue::from_bytes(data) {
        // As the header, and as the cookie (where it wins when it names a language).
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, value.clone());
        let from_header = lang_of_headers(&headers);
        let s = value.to_str().ok();
        assert_eq!(from_header, Lang::choose(None, s));
        if let Ok(cookie) = HeaderValue::from_bytes(&[b"lang=", data].concat()) {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, cookie);
            headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en"));
            let chosen = lang_of_headers(&headers);
            let tag = s.and_then(|s| s.split(';').next()).and_then(Lang::from_tag);
            assert_eq!(chosen, tag.unwrap_or(Lang::En), "{s:?}");
        }
    }
    let Some(s) = text(data) else {
        return;
    };
    if let Some(lang) = Lang::from_tag(s) {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang), "{s:?}");
        assert_eq!(Lang::choose(Some(s), Some("zh-CN,en")), lang, "{s:?}");
    }
    let best = Lang::negotiate(s);
    if let Some(lang) = best {
        // It is one of the languages the header names.
        assert!(
            s.split(',')
                .any(|item| item.split(';').next().and_then(Lang::from_tag) == Some(lang)),
            "{s:?} -> {lang:?}"
        );
    }
    assert_eq!(Lang::negotiate(&format!("fr-FR,{s}")), best, "{s:?}");
    assert_eq!(
        Lang::negotiate(&format!("{s},en;q=0,zh;q=0")),
        best,
        "{s:?}"
    );
    assert_eq!(Lang::choose(None, Some(s)), best.unwrap_or_default());
});
