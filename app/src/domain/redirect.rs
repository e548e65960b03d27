//! Where a form post or a shared link may send the browser next (both sides): only a path
//! on this site. Every `back=` and `to=` goes through [`local_path`] before it becomes a
//! `Location`, so no link can bounce a shopper to another host and no odd byte can make
//! the header invalid.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode, utf8_percent_encode};
use std::borrow::Cow;

/// The longest target accepted (after encoding); a real page's path and query is far
/// shorter.
pub const MAX_LEN: usize = 1024;

/// Encoded on the way out, so the result is visible ASCII (a valid header value). Every
/// byte outside ASCII is encoded as well.
const OUTGOING: &AsciiSet = &CONTROLS.add(b' ');

/// `target` if it is a path on this site, ready to send as a `Location`; `None` if not.
///
/// The rule, checked on the target as given and again after each round of
/// percent-decoding (a proxy or browser that decodes must not find a way out either):
/// - it starts with exactly one `/` (so no scheme, no `//host`);
/// - it has no `\` (browsers read it as `/`);
/// - it has no control character (< 0x20 or 0x7f: browsers drop a tab or newline, and a
///   header cannot carry them);
/// - its path (before `?` or `#`) has no `//`.
///
/// It is at most [`MAX_LEN`] bytes long once spaces and non-ASCII are percent-encoded.
pub fn local_path(target: &str) -> Option<Cow<'_, str>> {
    if target.len() > MAX_LEN {
        return None;
    }
    let mut stage: Cow<'_, [u8]> = Cow::Borrowed(target.as_bytes());
    loop {
        if !stays_on_site(&stage) {
            return None;
        }
        let decoded: Cow<'_, [u8]> = percent_decode(&stage).into();
        if *decoded == *stage {
            break;
        }
        // Each round that changes something is shorter, so this ends.
        stage = Cow::Owned(decoded.into_owned());
    }
    let encoded: Cow<'_, str> = utf8_percent_encode(target, OUTGOING).into();
    (encoded.len() <= MAX_LEN).then_some(encoded)
}

/// [`local_path`], or `fallback` (the handler's own page, or `/`) when the target is not
/// a path on this site.
pub fn local_path_or<'a>(target: &'a str, fallback: &'a str) -> Cow<'a, str> {
    local_path(target).unwrap_or(Cow::Borrowed(fallback))
}

/// A `back=` or `to=` field as a form or link sent it: a path on this site, or nothing
/// when it was empty or named anything else. Parsed as the request is read, so a handler
/// never holds the raw text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalPath(Option<String>);

impl LocalPath {
    pub fn parse(raw: &str) -> Self {
        LocalPath(local_path(raw).map(Cow::into_owned))
    }

    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The path, or `fallback` (the handler's own page, or `/`).
    pub fn or<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.get().unwrap_or(fallback)
    }
}

impl<'de> serde::Deserialize<'de> for LocalPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(d)?;
        Ok(LocalPath::parse(&raw))
    }
}

fn stays_on_site(target: &[u8]) -> bool {
    let path_end = target
        .iter()
        .position(|b| matches!(b, b'?' | b'#'))
        .unwrap_or(target.len());
    target.first() == Some(&b'/')
        && !target.iter().any(|&b| b < 0x20 || b == 0x7f || b == b'\\')
        && !target[..path_end].windows(2).any(|w| w == b"//")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Option<String> {
        local_path(s).map(Cow::into_owned)
    }

    #[test]
    fn paths_on_this_site_pass_unchanged() {
        for path in [
            "/",
            "/s/sh-a",
            "/s/sh-a?c=dairy&page=2",
            "/s/sh-a?q=%E7%89%9B%E5%A5%B6%20%26%20co",
            "/s/sh-a?q=http%3A%2F%2Fx",
            "/kiosk/sh-a/p/HC-001#top",
            "/%3F%2F%2Fevil-is-only-a-query-once-decoded",
        ] {
            assert_eq!(ok(path).as_deref(), Some(path), "{path}");
        }
    }

    #[test]
    fn other_hosts_and_tricks_are_refused() {
        for bad in [
            "",
            "s/sh-a",
            "//x",
            "//evil.example/x",
            "/\\x",
            "/\\evil.example",
            "https://evil.example",
            "/%09/evil.example/",
            "/\t/evil.example/",
            "/\n",
            "/x\r\nSet-Cookie: a=b",
            "/x%0d%0aSet-Cookie:%20a=b",
            "/\u{7f}",
            "/%7f",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%252F/evil.example",
            "/%25%32%46/evil.example",
            "/a//b",
            "/a%3F//b",
        ] {
            assert_eq!(ok(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_result_is_always_a_valid_header_value() {
        assert_eq!(
            ok("/s/sh-a?q=牛奶").as_deref(),
            Some("/s/sh-a?q=%E7%89%9B%E5%A5%B6")
        );
        assert_eq!(ok("/s/sh-a?q=a b").as_deref(), Some("/s/sh-a?q=a%20b"));
    }

    #[test]
    fn long_targets_are_refused() {
        let long = format!("/{}", "a".repeat(MAX_LEN));
        assert_eq!(ok(&long), None);
        let fits = format!("/{}", "a".repeat(MAX_LEN - 1));
        assert_eq!(ok(&fits).map(|p| p.len()), Some(MAX_LEN));
        // Encoding counts: 400 three-byte characters become 3,600 bytes.
        assert_eq!(ok(&format!("/{}", "牛".repeat(400))), None);
    }

    #[test]
    fn a_fallback_stands_in_for_a_refused_target() {
        assert_eq!(local_path_or("//evil.example", "/member"), "/member");
        assert_eq!(local_path_or("/bag", "/member"), "/bag");
        assert_eq!(LocalPath::parse("/\t/evil.example/").or("/"), "/");
        assert_eq!(LocalPath::parse("/bag").or("/"), "/bag");
        assert_eq!(LocalPath::default().get(), None);
    }
}
