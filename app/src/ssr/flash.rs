//! A one-time message carried across a form post's redirect (server): the handler sets a
//! short-lived cookie, the next page shows it once and clears it. Only without JavaScript;
//! enhanced forms get their message in the JSON reply instead.

use crate::ssr::cookies::{self, Cookie};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    pub ok: bool,
    pub message: String,
    /// The form field the message is about: the page shows it beside that field (see
    /// `components::field_note`) rather than at the top.
    pub field: Option<String>,
}

impl Flash {
    /// The `Set-Cookie` value.
    pub fn set_cookie(&self, https: bool) -> String {
        let field = self
            .field
            .as_deref()
            .map(|f| format!(":{}", utf8_percent_encode(f, NON_ALPHANUMERIC)))
            .unwrap_or_default();
        let value = format!(
            "{}{field}.{}",
            if self.ok { "ok" } else { "err" },
            utf8_percent_encode(&self.message, NON_ALPHANUMERIC)
        );
        cookies::set(Cookie::Flash, &value, https)
    }

    pub fn clear_cookie(https: bool) -> String {
        cookies::clear(Cookie::Flash, https)
    }

    pub fn parse(value: &str) -> Option<Flash> {
        let (head, message) = value.split_once('.')?;
        let (kind, field) = match head.split_once(':') {
            Some((k, f)) => {
                let f = percent_decode_str(f).decode_utf8().ok()?;
                (k, (!f.is_empty() && f.len() <= 80).then(|| f.into_owned()))
            }
            None => (head, None),
        };
        let ok = match kind {
            "ok" => true,
            "err" => false,
            _ => return None,
        };
        let message = percent_decode_str(message).decode_utf8().ok()?;
        // A message is one sentence we wrote; anything longer was not ours.
        (!message.is_empty() && message.chars().count() <= 200).then(|| Flash {
            ok,
            message: message.into_owned(),
            field,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_cookie() {
        let flash = Flash {
            ok: false,
            message: "库存只剩 2 件; a=b".into(),
            field: None,
        };
        let cookie = flash.set_cookie(false);
        let value = cookie
            .strip_prefix("flash=")
            .and_then(|v| v.split(';').next())
            .unwrap();
        assert!(!value.contains(' ') && !value.contains(';'));
        assert_eq!(Flash::parse(value), Some(flash));
        let beside = Flash {
            ok: false,
            message: "价格须大于 0".into(),
            field: Some("HC101101.price".into()),
        };
        let cookie = beside.set_cookie(false);
        let value = cookie
            .strip_prefix("flash=")
            .and_then(|v| v.split(';').next())
            .unwrap();
        assert_eq!(Flash::parse(value), Some(beside));
        assert_eq!(Flash::parse("x.y"), None);
        assert_eq!(Flash::parse("ok."), None);
        assert_eq!(Flash::parse("ok.%FF"), None);
    }
}
