//! The API key just made, carried once across the create form's redirect (server).
//!
//! Only the key's hash is stored, so the one moment the admin can see it is the reply to
//! the post that made it. Posts here redirect (the page stays the one place that
//! renders, and a reload never posts again), so the key rides the redirect in a
//! cookie, as a form's one-time message does (`ssr::flash`), but tighter: HttpOnly,
//! SameSite=Strict, Secure over HTTPS, sent only to `/staff/api-keys`, kept a minute,
//! and cleared by the page that shows it. It never goes into a URL (logged by the
//! access log and proxies), the flash, a log line or the audit log.

use crate::ssr::cookies::{self, Cookie};
use crate::ssr::ops::keys::{KEY_PREFIX, KeyRow};

/// A key to show once: its id and the key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyReveal {
    pub id: i64,
    pub key: String,
}

/// A key's debug output never shows it (a stray `{:?}` must not log it).
impl std::fmt::Debug for KeyReveal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyReveal")
            .field("id", &self.id)
            .field("key", &"…")
            .finish()
    }
}

/// The most a made key is trusted to be "just made": the cookie's lifetime and slack for
/// clocks.
const FRESH_SECS: i64 = 120;

impl KeyReveal {
    /// The `Set-Cookie` value: `{id}.{key}` (a key is `cso_` and base64url, safe as is).
    pub fn set_cookie(&self, https: bool) -> String {
        cookies::set(
            Cookie::NewApiKey,
            &format!("{}.{}", self.id, self.key),
            https,
        )
    }

    pub fn clear_cookie(https: bool) -> String {
        cookies::clear(Cookie::NewApiKey, https)
    }

    pub fn parse(value: &str) -> Option<KeyReveal> {
        let (id, key) = value.split_once('.')?;
        let ok = key.starts_with(KEY_PREFIX)
            && key.len() <= 128
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        Some(KeyReveal {
            id: id.parse().ok()?,
            key: key.to_owned(),
        })
        .filter(|_| ok)
    }

    /// Whether this is the key `row` lists, live, made a moment ago by `maker`: a cookie
    /// left from another session, or not of our making, shows nothing.
    pub fn is_of(&self, row: &KeyRow, maker: &str, now: i64) -> bool {
        row.id == self.id
            && self.key.starts_with(&row.prefix)
            && row.revoked_at.is_none()
            && row.created_by_name.as_deref() == Some(maker)
            && (0..=FRESH_SECS).contains(&(now - row.created_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, prefix: &str, created_at: i64) -> KeyRow {
        KeyRow {
            id,
            name: "ERP".into(),
            prefix: prefix.into(),
            scopes: "stock:write".into(),
            created_at,
            revoked_at: None,
            last_used_at: None,
            created_by_name: Some("王芳".into()),
        }
    }

    #[test]
    fn round_trips_through_its_cookie_and_refuses_what_is_not_a_key() {
        let reveal = KeyReveal {
            id: 42,
            key: "cso_AbC-_09xyzXYZabcdefghijklmnopqrstuvwxyz0123".into(),
        };
        let cookie = reveal.set_cookie(false);
        let value = cookie
            .strip_prefix("new_api_key=")
            .and_then(|v| v.split(';').next())
            .unwrap();
        assert_eq!(KeyReveal::parse(value), Some(reveal.clone()));
        assert!(cookie.contains("Path=/staff/api-keys") && cookie.contains("SameSite=Strict"));
        assert!(
            !format!("{reveal:?}").contains("cso_"),
            "Debug hides the key"
        );
        for bad in [
            "",
            "42",
            "x.cso_abc",
            "42.abc",
            "42.cso_<script>",
            "42.cso_a b",
        ] {
            assert_eq!(KeyReveal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn shows_only_the_live_key_just_made_by_this_person() {
        let reveal = KeyReveal {
            id: 7,
            key: "cso_AbCdEfGhIjKl".into(),
        };
        let now = 1_000_000;
        assert!(reveal.is_of(&row(7, "cso_AbCdEfGh", now - 5), "王芳", now));
        assert!(!reveal.is_of(&row(8, "cso_AbCdEfGh", now - 5), "王芳", now));
        assert!(!reveal.is_of(&row(7, "cso_ZZZZZZZZ", now - 5), "王芳", now));
        assert!(!reveal.is_of(&row(7, "cso_AbCdEfGh", now - 5), "李雷", now));
        assert!(!reveal.is_of(&row(7, "cso_AbCdEfGh", now - 600), "王芳", now));
        let mut revoked = row(7, "cso_AbCdEfGh", now - 5);
        revoked.revoked_at = Some(now);
        assert!(!reveal.is_of(&revoked, "王芳", now));
    }
}
