//! Guides (导购) and attribution (server): arriving through a guide's link (`/g/{code}`)
//! credits that guide for 30 days — first touch: a later guide's link does not take it
//! over — in an HttpOnly cookie `guide` holding the code and when it was set. Orders
//! record the guide; the shopper sees who is credited on every page.

use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::cookies::{self, Cookie};
use crate::ssr::db::Db;
use crate::ssr::session::now;
use crate::ssr::stores::pick;
use http::HeaderMap;

/// How long a guide's link credits them.
pub const ATTRIBUTION_SECS: i64 = 30 * 24 * 3600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guide {
    pub code: String,
    pub name: String,
    pub store_slug: String,
    pub store_name: String,
}

/// A code as typed in a link: `G` and 2–15 of `A-Z0-9`.
pub fn parse_code(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_uppercase();
    let ok = (3..=16).contains(&s.len())
        && s.starts_with('G')
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    ok.then_some(s)
}

pub async fn guide(db: &Db, code: &str, lang: Lang) -> Result<Option<Guide>, AppError> {
    let Some(code) = parse_code(code) else {
        return Ok(None);
    };
    let row: Option<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT g.code, g.name_zh, g.name_en, s.slug, s.name_zh, s.name_en \
         FROM guides g JOIN stores s ON s.id = g.store_id WHERE g.code = $1",
    )
    .bind(&code)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(code, zh, en, slug, szh, sen)| Guide {
        code,
        name: pick(lang, &zh, &en).to_owned(),
        store_slug: slug,
        store_name: pick(lang, &szh, &sen).to_owned(),
    }))
}

/// The guide this request's shopper is credited to, while the 30 days run.
pub fn attributed_code(headers: &HeaderMap, at: i64) -> Option<String> {
    let value = cookies::read(headers, Cookie::Guide)?;
    let (code, since) = value.split_once('.')?;
    let since: i64 = since.parse().ok()?;
    (since <= at && at < since + ATTRIBUTION_SECS)
        .then(|| parse_code(code))
        .flatten()
}

/// The cookie that credits `code` from now, unless someone is credited already.
pub fn attribution_cookie(headers: &HeaderMap, code: &str) -> Option<String> {
    let at = now();
    if attributed_code(headers, at).is_some() {
        return None;
    }
    Some(cookies::set(
        Cookie::Guide,
        &format!("{code}.{at}"),
        cookies::is_https(headers),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            format!("guide={value}").parse().unwrap(),
        );
        h
    }

    #[test]
    fn codes_are_short_and_normalised() {
        assert_eq!(parse_code(" g001a "), Some("G001A".into()));
        for bad in ["", "G", "X001A", "G00-1", "G0000000000000000"] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn first_touch_holds_for_thirty_days() {
        let day = 86_400;
        let h = with_cookie("G001A.1000");
        assert_eq!(
            attributed_code(&h, 1000 + 29 * day).as_deref(),
            Some("G001A")
        );
        assert_eq!(attributed_code(&h, 1000 + 30 * day), None, "expired");
        assert_eq!(attributed_code(&h, 999), None, "not from the future");
        assert_eq!(attributed_code(&with_cookie("G001A"), 1000), None);
        assert_eq!(attributed_code(&with_cookie("bad.1000"), 1000), None);
    }
}
