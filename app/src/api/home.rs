//! The brand and the home page's stores and search (server functions; types shared).

#[cfg(feature = "ssr")]
use crate::domain::money::Money;
use crate::error::AppError;
pub use crate::views::home::{Brand, CityStores, HomePage, ProductHit};
use leptos::prelude::*;

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 64;

/// A search box value: trimmed, `None` when blank, refused when absurdly long.
pub fn parse_query(raw: Option<String>) -> Result<Option<String>, AppError> {
    let Some(q) = raw.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    // A NUL or other control character is never part of a search: SQLite would cut the
    // pattern short there (matching everything) and PostgreSQL refuses it outright.
    if q.chars().any(char::is_control) {
        return Err(AppError::validation(
            "q",
            crate::domain::i18n::Text::QueryBadCharacters,
        ));
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::validation(
            "q",
            crate::domain::i18n::Text::QueryTooLong {
                max: MAX_QUERY_CHARS as u32,
            },
        ));
    }
    Ok(Some(q))
}

#[server]
pub async fn get_brand() -> Result<Brand, AppError> {
    use crate::ssr::{catalog, request};
    let (db, caches) = (request::db()?, request::caches()?);
    catalog::brand(&db, &caches, request::lang()).await
}

/// The five stores nearest `point`, as the home page lists them for a shopper there
/// (server only; the page cache lays them over the page shared by every shopper), from a
/// second's copies as that page is.
#[cfg(feature = "ssr")]
pub async fn nearest_to(
    db: &crate::ssr::db::Db,
    caches: &crate::ssr::state::Caches,
    lang: crate::domain::lang::Lang,
    now: chrono::DateTime<chrono::Utc>,
    point: crate::domain::geo::LatLon,
) -> Result<Vec<crate::domain::store::StoreCard>, AppError> {
    Ok(
        crate::ssr::nearby::stores_near_copied(db, caches, point, 5, Default::default())
            .await?
            .into_iter()
            .map(|(n, _)| n.store.card(lang, now, Some(point)))
            .collect(),
    )
}

#[server]
pub async fn get_home_page(q: Option<String>) -> Result<HomePage, AppError> {
    use crate::ssr::{catalog, request, stores};
    let (db, lang, now) = (request::db()?, request::lang(), chrono::Utc::now());
    let query = parse_query(q)?;
    let (rows, products) = match &query {
        None => (stores::all_stores(&db).await?, Vec::new()),
        Some(q) => (
            stores::search_stores(&db, q).await?,
            catalog::search_products(&db, q, 12).await?,
        ),
    };
    let mut cities: Vec<CityStores> = Vec::new();
    for row in &rows {
        let card = row.card(lang, now, None);
        match cities.last_mut() {
            Some(group) if group.city == card.city => group.stores.push(card),
            _ => cities.push(CityStores {
                city: card.city.clone(),
                stores: vec![card],
            }),
        }
    }
    let products = products
        .into_iter()
        .map(|p| ProductHit {
            name: stores::pick(lang, &p.name_zh, &p.name_en).to_owned(),
            sku: p.sku,
            image: p.image,
            from_price: Money::cny(p.min_price_minor),
            stores_in_stock: p.stores_in_stock,
            store_slug: p.store_slug,
        })
        .collect();
    let nearest = match crate::api::stores::remembered_location() {
        Some(point) if query.is_none() => {
            nearest_to(&db, &*request::caches()?, lang, now, point).await?
        }
        _ => Vec::new(),
    };
    Ok(HomePage {
        query,
        cities,
        products,
        nearest,
    })
}
