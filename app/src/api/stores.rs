//! Nearby stores (server functions; types shared): the list for a point, the city and
//! place pickers that stand in when the browser gives no location, and the location
//! the shopper chose, remembered for the session.

use crate::domain::geo::LatLon;
use crate::error::AppError;
pub use crate::views::stores::{NearbyPage, Place};
use leptos::prelude::*;

/// Stores listed for a point.
pub const NEARBY_LIMIT: u32 = 20;

/// Reads `?limit=`: 1 to 50 stores (as `stores_near` allows), default [`NEARBY_LIMIT`].
pub fn parse_limit(raw: Option<String>) -> Result<u32, AppError> {
    const MAX: u32 = 50;
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(NEARBY_LIMIT);
    };
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=MAX).contains(&n) => Ok(n),
        _ => Err(AppError::validation(
            "limit",
            crate::domain::i18n::Text::LimitRange { max: MAX },
        )),
    }
}

/// Reads the `lat`/`lng` query pair: both or neither, each a number in range.
pub fn parse_point(lat: Option<String>, lng: Option<String>) -> Result<Option<LatLon>, AppError> {
    use crate::domain::geo::LatLonError;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|v| v.trim().is_empty());
    if blank(&lat) && blank(&lng) {
        return Ok(None);
    }
    let refuse = |e: LatLonError| {
        let field = if e == LatLonError::Latitude {
            "lat"
        } else {
            "lng"
        };
        AppError::validation(field, crate::domain::i18n::Text::LatLon(e))
    };
    let number = |s: Option<String>, e: LatLonError| {
        s.and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or_else(|| refuse(e))
    };
    let (lat, lng) = (
        number(lat, LatLonError::Latitude)?,
        number(lng, LatLonError::Longitude)?,
    );
    LatLon::new(lat, lng).map(Some).map_err(refuse)
}

#[server]
pub async fn get_nearby_page(
    lat: Option<String>,
    lng: Option<String>,
    place: Option<String>,
    limit: Option<String>,
) -> Result<NearbyPage, AppError> {
    use crate::ssr::nearby::{NearFilter, stores_near};
    use crate::ssr::{places, request};
    let (db, lang, now) = (request::db()?, request::lang(), chrono::Utc::now());
    let (cities, districts) = places::places(&db, lang).await?;
    let picked = place
        .as_deref()
        .and_then(|key| cities.iter().chain(&districts).find(|p| p.key == key));
    let (point, limit, problem) =
        match parse_point(lat, lng).and_then(|p| Ok((p, parse_limit(limit)?))) {
            Ok((point, limit)) => (point, limit, None),
            Err(error) => {
                request::set_status(http::StatusCode::BAD_REQUEST);
                (None, NEARBY_LIMIT, Some(error.message(lang)))
            }
        };
    let origin = match (point, picked) {
        (Some(point), _) => Some(point),
        (None, Some(p)) => Some(p.center),
        (None, None) => remembered_location(),
    };
    if let Some(point) = origin.filter(|_| problem.is_none()) {
        remember_location(point);
    }
    let stores = match origin {
        Some(point) => stores_near(&db, point, limit, NearFilter::default())
            .await?
            .into_iter()
            .map(|n| n.store.card(lang, now, Some(point)))
            .collect(),
        None => Vec::new(),
    };
    Ok(NearbyPage {
        origin,
        place: picked.map(|p| p.key.clone()),
        stores,
        cities,
        districts,
        problem,
    })
}

/// The point the shopper chose earlier this session, if any (server only).
#[cfg(feature = "ssr")]
pub fn remembered_location() -> Option<LatLon> {
    crate::ssr::request::cookie(crate::ssr::cookies::Cookie::Location)
        .and_then(|v| LatLon::parse_pair(&v))
}

/// A session cookie (no Max-Age): later pages — product, bag, checkout — can use it.
#[cfg(feature = "ssr")]
fn remember_location(point: LatLon) {
    use crate::ssr::cookies::{self, Cookie};
    use crate::ssr::request;
    request::set_cookie(&cookies::set(
        Cookie::Location,
        &point.pair(),
        request::is_https(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(parse_limit(None), Ok(NEARBY_LIMIT));
        assert_eq!(parse_limit(s("5")), Ok(5));
        assert_eq!(parse_limit(s("50")), Ok(50));
        for bad in ["0", "51", "1000000", "-1", "1.5", "abc"] {
            assert!(
                matches!(parse_limit(s(bad)), Err(AppError::Validation { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn points_parse_or_explain() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(parse_point(None, None), Ok(None));
        assert_eq!(parse_point(s(" "), s("")), Ok(None));
        assert_eq!(
            parse_point(s("31.2"), s("121.4")),
            Ok(Some(LatLon {
                lat: 31.2,
                lon: 121.4
            }))
        );
        for (lat, lng, field) in [
            ("91", "0", "lat"),
            ("NaN", "0", "lat"),
            ("abc", "0", "lat"),
            ("0", "181", "lng"),
            ("1", "", "lng"),
            ("", "1", "lat"),
        ] {
            match parse_point(s(lat), s(lng)) {
                Err(AppError::Validation { field: f, message }) => {
                    assert_eq!(f, field, "{lat},{lng}");
                    assert!(!message.t(crate::domain::lang::Lang::En).is_empty());
                }
                other => panic!("{lat},{lng}: {other:?}"),
            }
        }
    }
}
