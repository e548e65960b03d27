//! The brand and the home page's stores and search (server functions; types shared).

use crate::domain::money::Money;
use crate::domain::store::StoreCard;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Brand {
    pub name: String,
    pub tagline: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityStores {
    pub city: String,
    pub stores: Vec<StoreCard>,
}

/// A catalogue product matching a home search, and a store that has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductHit {
    pub sku: String,
    pub name: String,
    pub image: String,
    pub from_price: Money,
    pub stores_in_stock: u32,
    pub store_slug: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    pub query: Option<String>,
    pub cities: Vec<CityStores>,
    pub products: Vec<ProductHit>,
    /// The stores nearest to the shopper's remembered location (none when unknown).
    pub nearest: Vec<StoreCard>,
}

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 64;

/// A search box value: trimmed, `None` when blank, refused when absurdly long.
pub fn parse_query(raw: Option<String>) -> Result<Option<String>, AppError> {
    let Some(q) = raw.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > MAX_QUERY_CHARS {
        let lang = crate::context::request_lang();
        return Err(AppError::validation(
            "q",
            match lang {
                crate::domain::lang::Lang::ZhCn => format!("搜索词最多 {MAX_QUERY_CHARS} 个字。"),
                crate::domain::lang::Lang::En => {
                    format!("Search for at most {MAX_QUERY_CHARS} characters.")
                }
            },
        ));
    }
    Ok(Some(q))
}

#[server]
pub async fn get_brand() -> Result<Brand, AppError> {
    use crate::ssr::{catalog, request};
    let db = request::db()?;
    catalog::brand(&db, request::lang()).await
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
            stores_in_stock: u32::try_from(p.stores_in_stock).unwrap_or(0),
            store_slug: p.store_slug,
        })
        .collect();
    let nearest = match crate::api::stores::remembered_location() {
        Some(point) if query.is_none() => {
            crate::ssr::nearby::stores_near(&db, point, 5, Default::default())
                .await?
                .into_iter()
                .map(|n| n.store.card(lang, now, Some(point)))
                .collect()
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
