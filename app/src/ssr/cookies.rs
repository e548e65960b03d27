//! Every cookie this site sets (server): each one's name, flags and lifetime in one table,
//! one reader of the request's `Cookie` header and one `Set-Cookie` builder.
//!
//! All are HttpOnly. All but one are `Path=/` and SameSite=Lax; the new API key is sent
//! only to its page, and SameSite=Strict. Over HTTPS they are also Secure, and the
//! session cookies take the `__Host-` prefix, which pins them to this host and path `/`.

use http::HeaderMap;
use std::borrow::Cow;

const DAY: i64 = 24 * 3600;

/// A cookie of this site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cookie {
    /// A shopper's session token: their bag, and the member signed in.
    ShopperSession,
    /// A kiosk screen's session token: the screen's bag until it resets.
    KioskSession,
    /// A store's staff at the till.
    StaffSession,
    /// The language the shopper chose.
    Lang,
    /// A one-time message carried across a form post's redirect (see `ssr::flash`).
    Flash,
    /// The point the shopper shared, as `lat,lon`, for this browser session.
    Location,
    /// The guide credited for this shopper's orders and since when (see `ssr::guides`).
    Guide,
    /// The phone a sign-in code went to, while the code is good.
    PendingPhone,
    /// An API key just made, carried across the create form's redirect to be shown once
    /// (see `ssr::key_reveal`).
    NewApiKey,
}

impl Cookie {
    pub const ALL: [Cookie; 9] = [
        Cookie::ShopperSession,
        Cookie::KioskSession,
        Cookie::StaffSession,
        Cookie::Lang,
        Cookie::Flash,
        Cookie::Location,
        Cookie::Guide,
        Cookie::PendingPhone,
        Cookie::NewApiKey,
    ];

    /// The name over plain HTTP (a laptop, a test).
    pub fn plain_name(self) -> &'static str {
        match self {
            Cookie::ShopperSession => "sid",
            Cookie::KioskSession => "kid",
            Cookie::StaffSession => "tid",
            Cookie::Lang => "lang",
            Cookie::Flash => "flash",
            Cookie::Location => "loc",
            Cookie::Guide => "guide",
            Cookie::PendingPhone => "otp_phone",
            Cookie::NewApiKey => "new_api_key",
        }
    }

    /// Session tokens are the ones worth pinning to the host.
    fn is_session(self) -> bool {
        matches!(
            self,
            Cookie::ShopperSession | Cookie::KioskSession | Cookie::StaffSession
        )
    }

    /// The name for a request over HTTPS or not: `__Host-sid` over HTTPS, `sid` over HTTP.
    pub fn name(self, https: bool) -> Cow<'static, str> {
        if https && self.is_session() {
            Cow::Owned(format!("__Host-{}", self.plain_name()))
        } else {
            Cow::Borrowed(self.plain_name())
        }
    }

    /// How long the browser keeps it, in seconds; `None`: until the browser closes.
    pub fn max_age(self) -> Option<i64> {
        match self {
            Cookie::ShopperSession => Some(30 * DAY),
            // The screen resets long before; staff sign in each day.
            Cookie::KioskSession | Cookie::StaffSession | Cookie::Location => None,
            Cookie::Lang => Some(365 * DAY),
            // A minute is plenty to follow one redirect.
            Cookie::Flash => Some(60),
            Cookie::Guide => Some(crate::ssr::guides::ATTRIBUTION_SECS),
            Cookie::PendingPhone => Some(crate::ssr::members::CODE_TTL_SECS),
            // Long enough to follow one redirect, and no longer: it is a secret.
            Cookie::NewApiKey => Some(60),
        }
    }

    /// The paths it is sent to: a secret goes only to the page that shows it.
    pub fn path(self) -> &'static str {
        match self {
            Cookie::NewApiKey => crate::links::routes::STAFF_API_KEYS,
            _ => "/",
        }
    }

    /// Lax lets a shopper arriving from a link keep their bag; the new key has no reason
    /// to travel with any request another site starts.
    fn same_site(self) -> &'static str {
        match self {
            Cookie::NewApiKey => "Strict",
            _ => "Lax",
        }
    }
}

/// Whether the shopper reached us over HTTPS: the server itself speaks plain HTTP, so this
/// is what the proxy in front says in `X-Forwarded-Proto` (its first entry, when proxies
/// have appended theirs). Cookie names and flags follow from it, so reading and setting
/// agree.
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// Every `name=value` pair the request carries, in order.
pub fn pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

/// The value of `cookie` in this request, under its name for the request's scheme.
pub fn read(headers: &HeaderMap, cookie: Cookie) -> Option<&str> {
    let name = cookie.name(is_https(headers));
    pairs(headers).find_map(|(key, value)| (key == name).then_some(value))
}

/// The `Set-Cookie` value that hands the browser `cookie` = `value` for its lifetime.
/// Values are ours (tokens, tags, percent-encoded text): no `;`, space or control byte.
pub fn set(cookie: Cookie, value: &str, https: bool) -> String {
    debug_assert!(
        !value.bytes().any(|b| b <= b' ' || b == b';' || b == 0x7f),
        "cookie value needs encoding: {value:?}"
    );
    build(cookie, value, cookie.max_age(), https)
}

/// The `Set-Cookie` value that removes `cookie`.
pub fn clear(cookie: Cookie, https: bool) -> String {
    build(cookie, "", Some(0), https)
}

fn build(cookie: Cookie, value: &str, max_age: Option<i64>, https: bool) -> String {
    let name = cookie.name(https);
    let max_age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let secure = if https { "; Secure" } else { "" };
    let (path, same_site) = (cookie.path(), cookie.same_site());
    format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{max_age}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(cookie: &str, https: bool) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(http::header::COOKIE, cookie.parse().unwrap());
        if https {
            h.insert("x-forwarded-proto", "https".parse().unwrap());
        }
        h
    }

    #[test]
    fn set_cookie_carries_the_flags() {
        assert_eq!(
            set(Cookie::ShopperSession, "abc", true),
            "__Host-sid=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure"
        );
        assert_eq!(
            set(Cookie::KioskSession, "abc", false),
            "kid=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            set(Cookie::Lang, "en", true),
            "lang=en; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000; Secure"
        );
        assert_eq!(
            clear(Cookie::Flash, false),
            "flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
        assert_eq!(
            set(Cookie::NewApiKey, "7.cso_x", true),
            "new_api_key=7.cso_x; Path=/staff/api-keys; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
        );
        // Cleared on the same path, or the browser would keep it.
        assert_eq!(
            clear(Cookie::NewApiKey, false),
            "new_api_key=; Path=/staff/api-keys; HttpOnly; SameSite=Strict; Max-Age=0"
        );
    }

    #[test]
    fn names_are_distinct_and_only_sessions_are_host_prefixed() {
        let names: std::collections::HashSet<_> =
            Cookie::ALL.iter().map(|c| c.plain_name()).collect();
        assert_eq!(names.len(), Cookie::ALL.len());
        assert_eq!(Cookie::StaffSession.name(true), "__Host-tid");
        assert_eq!(Cookie::StaffSession.name(false), "tid");
        assert_eq!(Cookie::Guide.name(true), "guide");
    }

    #[test]
    fn values_are_found_by_exact_name_for_the_scheme() {
        let h = request("xsid=1; sid=two; kid=3; __Host-sid=four", false);
        assert_eq!(read(&h, Cookie::ShopperSession), Some("two"));
        assert_eq!(read(&h, Cookie::KioskSession), Some("3"));
        assert_eq!(read(&h, Cookie::StaffSession), None);
        let h = request("sid=two; __Host-sid=four; lang=en", true);
        assert_eq!(read(&h, Cookie::ShopperSession), Some("four"));
        assert_eq!(read(&h, Cookie::Lang), Some("en"));
    }

    #[test]
    fn https_is_what_the_first_proxy_saw() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-proto", v.parse().unwrap());
            is_https(&h)
        };
        assert!(with("https"));
        assert!(with("HTTPS"));
        assert!(with("https, http"));
        assert!(!with("http"));
        assert!(!with("http, https"));
        assert!(!is_https(&HeaderMap::new()));
    }
}
