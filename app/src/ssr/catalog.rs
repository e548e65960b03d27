//! Catalogue queries (server): categories, products and one store's offers of them.

use crate::domain::lang::Lang;
use crate::domain::money::{Currency, Money};
use crate::domain::product::{Category, Offer, ProductCard, StockLevel};
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::search;
use crate::ssr::stores::pick;

/// A product with one store's offer of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OfferRow {
    pub product_id: i64,
    pub sku: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    pub image: String,
    pub category_slug: String,
    pub category_zh: String,
    pub category_en: String,
    pub price_minor: i64,
    pub list_price_minor: i64,
    #[sqlx(try_from = "String")]
    pub currency: Currency,
    pub stock: i64,
}

const OFFER_COLUMNS: &str = "p.id AS product_id, p.sku, p.name_zh, p.name_en, p.unit_zh, p.unit_en, \
    p.image, c.slug AS category_slug, c.name_zh AS category_zh, c.name_en AS category_en, \
    o.price_minor, o.list_price_minor, o.currency, o.stock";

impl OfferRow {
    pub fn offer(&self) -> Offer {
        let currency = self.currency;
        Offer {
            price: Money {
                minor: self.price_minor,
                currency,
            },
            list_price: Money {
                minor: self.list_price_minor,
                currency,
            },
            stock: StockLevel::of(self.stock),
        }
    }

    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh, &self.name_en)
    }

    pub fn card(&self, lang: Lang) -> ProductCard {
        ProductCard {
            sku: self.sku.clone(),
            name: self.name(lang).to_owned(),
            unit: pick(lang, &self.unit_zh, &self.unit_en).to_owned(),
            image: self.image.clone(),
            offer: self.offer(),
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct CategoryRow {
    slug: String,
    name_zh: String,
    name_en: String,
    #[sqlx(try_from = "i64")]
    count: u32,
}

/// The categories this store has offers in, in catalogue order, with counts (kept as
/// offers come and go: `store_category_offers`).
pub async fn store_categories(
    db: &Db,
    store_id: i64,
    lang: Lang,
) -> Result<Vec<Category>, AppError> {
    let rows = sqlx::query_as::<_, CategoryRow>(
        "SELECT c.slug, c.name_zh, c.name_en, k.offers AS count \
         FROM store_category_offers k JOIN categories c ON c.id = k.category_id \
         WHERE k.store_id = $1 AND k.offers > 0 ORDER BY c.position",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Category {
            name: pick(lang, &r.name_zh, &r.name_en).to_owned(),
            slug: r.slug,
            count: r.count,
        })
        .collect())
}

/// What the grid asks for: optional category and text filter, and a page window.
#[derive(Clone, Debug, Default)]
pub struct OfferFilter<'a> {
    pub category: Option<&'a str>,
    pub text: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

/// One page of a store's offers (in stock first, then catalogue order; with a search,
/// in stock first, then the best matches) and the total.
pub async fn store_offers(
    db: &Db,
    store_id: i64,
    filter: &OfferFilter<'_>,
) -> Result<(Vec<OfferRow>, i64), AppError> {
    match filter.text {
        None => grid_page(db, store_id, filter).await,
        Some(text) => search_page(db, store_id, text, filter).await,
    }
}

/// The grid's order, as the `offers_grid` index holds it, forwards and backwards (read
/// from the index's other end); within one category, as `offers_grid_category` does.
const GRID_ORDER: [&str; 2] = [
    "CASE WHEN o.stock > 0 THEN 0 ELSE 1 END, o.cat_position, o.featured DESC, o.product_id",
    "CASE WHEN o.stock > 0 THEN 0 ELSE 1 END DESC, o.cat_position DESC, o.featured, o.product_id DESC",
];
const CATEGORY_ORDER: [&str; 2] = [
    "CASE WHEN o.stock > 0 THEN 0 ELSE 1 END, o.featured DESC, o.product_id",
    "CASE WHEN o.stock > 0 THEN 0 ELSE 1 END DESC, o.featured, o.product_id DESC",
];

/// A page of the grid without a search: the total from the kept counts, then the page's
/// offers by walking the grid's index — from its far end for the second half of the
/// pages, so the last page costs what the first does — and only those offers read whole.
async fn grid_page(
    db: &Db,
    store_id: i64,
    filter: &OfferFilter<'_>,
) -> Result<(Vec<OfferRow>, i64), AppError> {
    let (total, category): (i64, Option<i64>) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(k.offers), 0) AS BIGINT), MAX(c.id) FROM store_category_offers k \
         JOIN categories c ON c.id = k.category_id \
         WHERE k.store_id = $1 AND ($2 IS NULL OR c.slug = $2)",
    )
    .bind(store_id)
    .bind(filter.category)
    .fetch_one(&db.pool)
    .await?;
    let (limit, offset) = (filter.limit.max(0), filter.offset.max(0));
    if offset >= total || limit == 0 {
        return Ok((Vec::new(), total));
    }
    let limit = limit.min(total - offset);
    let (way, offset) = if offset > total / 2 {
        (1, total - offset - limit)
    } else {
        (0, offset)
    };
    let (condition, order) = match (filter.category, category) {
        (Some(_), Some(_)) => ("o.category_id = $4", CATEGORY_ORDER[way]),
        // (Bound all the same, so the statement's parameters keep their numbers.)
        _ => ("CAST($4 AS BIGINT) IS NULL", GRID_ORDER[way]),
    };
    let sql = format!(
        "SELECT {OFFER_COLUMNS} \
         FROM (SELECT o.product_id FROM offers o WHERE o.store_id = $1 AND {condition} \
               ORDER BY {order} LIMIT $2 OFFSET $3) g \
         JOIN offers o ON o.store_id = $1 AND o.product_id = g.product_id \
         JOIN products p ON p.id = o.product_id JOIN categories c ON c.id = p.category_id \
         ORDER BY {}",
        GRID_ORDER[0]
    );
    let category = if filter.category.is_some() {
        category
    } else {
        None
    };
    let rows = sqlx::query_as::<_, OfferRow>(&sql)
        .bind(store_id)
        .bind(limit)
        .bind(offset)
        .bind(category)
        .fetch_all(&db.pool)
        .await?;
    Ok((rows, total))
}

/// A page of a store's offers matching `text`, best matches first among those in stock.
async fn search_page(
    db: &Db,
    store_id: i64,
    text: &str,
    filter: &OfferFilter<'_>,
) -> Result<(Vec<OfferRow>, i64), AppError> {
    let search = search::Query::new(text).sql(5);
    let rank = format!("{}, ", search.order);
    let sql = format!(
        "SELECT {OFFER_COLUMNS}, COUNT(*) OVER () AS total \
         FROM offers o JOIN products p ON p.id = o.product_id JOIN categories c ON c.id = p.category_id{join} \
         WHERE o.store_id = $1 AND ($2 IS NULL OR c.slug = $2){conditions} \
         ORDER BY CASE WHEN o.stock > 0 THEN 0 ELSE 1 END, {rank}c.position, p.featured DESC, p.id \
         LIMIT $3 OFFSET $4",
        join = search.join,
        conditions = search.conditions,
    );
    let mut query = sqlx::query(&sql)
        .bind(store_id)
        .bind(filter.category)
        .bind(filter.limit)
        .bind(filter.offset);
    for v in &search.binds {
        query = query.bind(v.as_str());
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(crate::ssr::db::page_with_total::<OfferRow>(&rows)?)
}

/// One product in one store, by SKU.
pub async fn store_offer(db: &Db, store_id: i64, sku: &str) -> Result<Option<OfferRow>, AppError> {
    let sql = format!(
        "SELECT {OFFER_COLUMNS} FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN categories c ON c.id = p.category_id WHERE o.store_id = $1 AND p.sku = $2"
    );
    Ok(sqlx::query_as::<_, OfferRow>(&sql)
        .bind(store_id)
        .bind(sku)
        .fetch_optional(&db.pool)
        .await?)
}

/// A product found by the brand-wide search, with where to see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProductHitRow {
    pub sku: String,
    pub name_zh: String,
    pub name_en: String,
    pub image: String,
    pub min_price_minor: i64,
    #[sqlx(try_from = "i64")]
    pub stores_in_stock: u32,
    /// A store that has it in stock (the one with the lowest id), for the link.
    pub store_slug: String,
}

/// Products matching `needle` across the brand, best first, with their lowest price in
/// stock, how many stores have them and the first such store. Only the hits shown are
/// priced: each figure is one read of an index (`product_stock`'s count, kept by
/// triggers, and the partial indexes of offers in stock), not of every store's offer.
pub async fn search_products(
    db: &Db,
    needle: &str,
    limit: i64,
) -> Result<Vec<ProductHitRow>, AppError> {
    let search = search::Query::new(needle).sql(2);
    let sql = format!(
        "SELECT p.sku, p.name_zh, p.name_en, p.image, \
                (SELECT MIN(o.price_minor) FROM offers o \
                  WHERE o.product_id = p.id AND o.stock > 0) AS min_price_minor, \
                k.stores_in_stock, \
                (SELECT s.slug FROM stores s WHERE s.id = (SELECT MIN(o2.store_id) FROM offers o2 \
                  WHERE o2.product_id = p.id AND o2.stock > 0)) AS store_slug \
         FROM products p{join} JOIN product_stock k ON k.product_id = p.id AND k.stores_in_stock > 0 \
         WHERE 1 = 1{conditions} \
         ORDER BY {order}, p.featured DESC, p.id LIMIT $1",
        join = search.join,
        conditions = search.conditions,
        order = search.order,
    );
    let mut query = sqlx::query_as::<_, ProductHitRow>(&sql).bind(limit);
    for v in &search.binds {
        query = query.bind(v.as_str());
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// The brand this deployment serves (the first and only row of `brands`), read once
/// per process.
pub async fn brand(
    db: &Db,
    caches: &crate::ssr::state::Caches,
    lang: Lang,
) -> Result<crate::views::home::Brand, AppError> {
    let names = match caches.brand.get() {
        Some(names) => names,
        None => {
            let names: crate::ssr::db::BrandNames = sqlx::query_as(
                "SELECT name_zh, name_en, tagline_zh, tagline_en FROM brands ORDER BY id LIMIT 1",
            )
            .fetch_one(&db.pool)
            .await?;
            caches.brand.get_or_init(|| names)
        }
    };
    Ok(crate::views::home::Brand {
        name: pick(lang, &names.name_zh, &names.name_en).to_owned(),
        tagline: pick(lang, &names.tagline_zh, &names.tagline_en).to_owned(),
    })
}

/// This product's offers at the given stores: `(store id, offer)`.
pub async fn product_offers_at(
    db: &Db,
    product_id: i64,
    store_ids: &[i64],
) -> Result<Vec<(i64, Offer)>, AppError> {
    if store_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..store_ids.len())
        .map(|i| format!("${}", i + 2))
        .collect();
    let sql = format!(
        "SELECT store_id, price_minor, list_price_minor, currency, stock FROM offers \
         WHERE product_id = $1 AND store_id IN ({})",
        list.join(", ")
    );
    let mut query = sqlx::query_as::<_, StoreOfferRow>(&sql).bind(product_id);
    for id in store_ids {
        query = query.bind(*id);
    }
    Ok(query
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(StoreOfferRow::offer)
        .collect())
}

/// This product's offers at every store that has it in stock: `(store id, offer)` (by
/// the partial index of offers in stock).
pub async fn product_offers_in_stock(
    db: &Db,
    product_id: i64,
) -> Result<Vec<(i64, Offer)>, AppError> {
    Ok(sqlx::query_as::<_, StoreOfferRow>(
        "SELECT store_id, price_minor, list_price_minor, currency, stock FROM offers \
         WHERE product_id = $1 AND stock > 0",
    )
    .bind(product_id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(StoreOfferRow::offer)
    .collect())
}

/// The product id of `sku`, if there is such a product.
pub async fn product_id(db: &Db, sku: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_as::<_, (i64,)>("SELECT id FROM products WHERE sku = $1")
            .bind(sku)
            .fetch_optional(&db.pool)
            .await?
            .map(|(id,)| id),
    )
}

#[derive(sqlx::FromRow)]
struct StoreOfferRow {
    store_id: i64,
    price_minor: i64,
    list_price_minor: i64,
    #[sqlx(try_from = "String")]
    currency: Currency,
    stock: i64,
}

impl StoreOfferRow {
    fn offer(self) -> (i64, Offer) {
        let money = |minor| Money {
            minor,
            currency: self.currency,
        };
        let offer = Offer {
            price: money(self.price_minor),
            list_price: money(self.list_price_minor),
            stock: StockLevel::of(self.stock),
        };
        (self.store_id, offer)
    }
}
