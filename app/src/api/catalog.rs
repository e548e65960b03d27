//! A cloud store's page and a product's page (server functions; types shared).

#[cfg(feature = "ssr")]
use crate::domain::product::{Category, Offer};
#[cfg(feature = "ssr")]
use crate::domain::store::StoreCard;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::views::catalog::{ProductPage, StorePage};

/// Products per page of a store's grid: a phone screen or two, quick to render.
pub const PAGE_SIZE: u32 = 24;

#[server]
pub async fn get_store_page(
    store: String,
    category: Option<String>,
    q: Option<String>,
    page: Option<u32>,
) -> Result<StorePage, AppError> {
    use crate::api::home::parse_query;
    use crate::domain::store::StoreSlug;
    use crate::error::Missing;
    use crate::ssr::catalog::{self, OfferFilter};
    use crate::ssr::{request, stores, structured_data};

    let (db, lang, now) = (request::db()?, request::lang(), chrono::Utc::now());
    let caches = request::caches()?;
    // Browsing (no search) is the same for every shopper: a second's micro-cache.
    let cache_key = q
        .is_none()
        .then(|| format!("{lang:?}|{store}|{category:?}|{page:?}"));
    if let Some(hit) = cache_key.as_deref().and_then(|k| caches.store_pages.get(k)) {
        return Ok(StorePage::clone(&hit));
    }
    let slug = StoreSlug::parse(&store).ok_or(AppError::NotFound(Missing::Store))?;
    let query = parse_query(q)?;
    let page = page.unwrap_or(1).clamp(1, 10_000);
    let row = stores::store_by_slug(&db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound(Missing::Store))?;
    let categories = catalog::store_categories(&db, row.id, lang).await?;
    // An unknown category filter shows everything rather than an empty grid.
    let category = category.filter(|c| categories.iter().any(|k| &k.slug == c));
    let filter = OfferFilter {
        category: category.as_deref(),
        text: query.as_deref(),
        limit: i64::from(PAGE_SIZE),
        offset: i64::from((page - 1) * PAGE_SIZE),
    };
    let (offers, total) = catalog::store_offers(&db, row.id, &filter).await?;
    let total = u32::try_from(total).unwrap_or(0);
    let nearby = crate::ssr::nearby::stores_near_store(&db, &caches, &row, 3)
        .await?
        .into_iter()
        .map(|n| n.store.card(lang, now, Some(row.location())))
        .collect();
    let detail = row.detail(lang, now);
    let page = StorePage {
        json_ld: structured_data::store(&row, &detail),
        store: detail,
        categories,
        category,
        query,
        products: offers.iter().map(|o| o.card(lang)).collect(),
        total,
        page,
        pages: total.div_ceil(PAGE_SIZE).max(1),
        nearby,
    };
    if let Some(key) = cache_key {
        caches.store_pages.put(key, page.clone());
    }
    Ok(page)
}

#[server]
pub async fn get_product_page(store: String, sku: String) -> Result<ProductPage, AppError> {
    use crate::domain::product::Sku;
    use crate::domain::store::StoreSlug;
    use crate::error::Missing;
    use crate::ssr::{catalog, request, stores};

    let (db, lang, now) = (request::db()?, request::lang(), chrono::Utc::now());
    let slug = StoreSlug::parse(&store).ok_or(AppError::NotFound(Missing::Store))?;
    let sku = Sku::parse(&sku).ok_or(AppError::NotFound(Missing::Product))?;
    let row = stores::store_by_slug(&db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound(Missing::Store))?;
    let offer = catalog::store_offer(&db, row.id, sku.as_str())
        .await?
        .ok_or(AppError::NotFound(Missing::Product))?;
    if let Some(shopper) = crate::api::stores::remembered_location() {
        let caches = request::caches()?;
        let elsewhere =
            near_with_stock(&db, &caches, lang, now, row.id, offer.product_id, shopper).await?;
        return Ok(product_page(lang, now, &row, &offer, elsewhere, true));
    }
    let here = row.location();
    let mut elsewhere: Vec<(StoreCard, Offer)> =
        stores::city_stores_with_stock(&db, &row.city_slug, offer.product_id, row.id)
            .await?
            .into_iter()
            .map(|s| {
                let o = Offer {
                    price: crate::domain::money::Money::cny(s.price_minor),
                    list_price: crate::domain::money::Money::cny(s.list_price_minor),
                    stock: crate::domain::product::StockLevel::of(s.stock),
                };
                (s.store.card(lang, now, Some(here)), o)
            })
            .collect();
    let far = |c: &StoreCard| c.distance_m.unwrap_or(f64::INFINITY);
    elsewhere.sort_by(|a, b| far(&a.0).total_cmp(&far(&b.0)));
    Ok(product_page(lang, now, &row, &offer, elsewhere, false))
}

#[cfg(feature = "ssr")]
/// The stores nearest `shopper` that have `product` in stock, other than `store` (the
/// shopper is already in its cloud store), with their price and stock — from a second's
/// copies, as the page every shopper shares is.
#[cfg(feature = "ssr")]
async fn near_with_stock(
    db: &crate::ssr::db::Db,
    caches: &crate::ssr::state::Caches,
    lang: crate::domain::lang::Lang,
    now: chrono::DateTime<chrono::Utc>,
    store: i64,
    product: i64,
    shopper: crate::domain::geo::LatLon,
) -> Result<Vec<(StoreCard, Offer)>, AppError> {
    use crate::ssr::nearby::{NearFilter, stores_near_copied};
    // The nearest stores that have it: the nearest store being out of stock must never
    // hide a slightly farther one that has it, so the filter is in the search.
    let filter = NearFilter {
        in_stock: Some(product),
        except: Some(store),
    };
    Ok(stores_near_copied(db, caches, shopper, 5, filter)
        .await?
        .into_iter()
        .filter_map(|(n, offer)| Some((n.store.card(lang, now, Some(shopper)), offer?)))
        .collect())
}

/// The product page's "in stock near you" for a shopper at `shopper`: what
/// [`get_product_page`] lists for them, without the rest of the page (server only; the
/// page cache lays it over the page shared by every shopper). `None`: no such store or
/// product.
#[cfg(feature = "ssr")]
pub async fn in_stock_near(
    db: &crate::ssr::db::Db,
    caches: &crate::ssr::state::Caches,
    lang: crate::domain::lang::Lang,
    store: &str,
    sku: &str,
    shopper: crate::domain::geo::LatLon,
) -> Result<Option<Vec<(StoreCard, Offer)>>, AppError> {
    use crate::ssr::nearby;
    let rows = nearby::store_rows(db, caches).await?;
    let Some(row) = rows.by_slug(store) else {
        return Ok(None);
    };
    let Some(product) = nearby::product_id(db, caches, sku).await? else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    near_with_stock(db, caches, lang, now, row.id, product, shopper)
        .await
        .map(Some)
}

#[cfg(feature = "ssr")]
fn product_page(
    lang: crate::domain::lang::Lang,
    now: chrono::DateTime<chrono::Utc>,
    row: &crate::ssr::stores::StoreRow,
    offer: &crate::ssr::catalog::OfferRow,
    elsewhere: Vec<(StoreCard, Offer)>,
    near_you: bool,
) -> ProductPage {
    let store = row.card(lang, now, None);
    let product = offer.card(lang);
    ProductPage {
        json_ld: crate::ssr::structured_data::product(&product, &store),
        category: Category {
            slug: offer.category_slug.clone(),
            name: crate::ssr::stores::pick(lang, &offer.category_zh, &offer.category_en).to_owned(),
            count: 0,
        },
        store,
        product,
        elsewhere,
        near_you,
    }
}
