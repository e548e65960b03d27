//! Kiosk queries (server): a store's featured products for the attract screen, and the
//! brand's whole catalogue with this store's offer where it has one (the endless aisle).

use crate::domain::lang::Lang;
use crate::domain::money::{Currency, Money};
use crate::domain::product::{Category, Offer, StockLevel};
use crate::error::AppError;
use crate::ssr::catalog::OfferRow;
use crate::ssr::db::Db;
use crate::ssr::stores::pick;

/// In-stock offers to loop on the attract screen: featured first, then the best deals.
pub async fn featured(db: &Db, store_id: i64, limit: i64) -> Result<Vec<OfferRow>, AppError> {
    Ok(sqlx::query_as::<_, OfferRow>(
        "SELECT p.id AS product_id, p.sku, p.name_zh, p.name_en, p.unit_zh, p.unit_en, \
                p.image, c.slug AS category_slug, c.name_zh AS category_zh, c.name_en AS category_en, \
                o.price_minor, o.list_price_minor, o.currency, o.stock \
         FROM offers o JOIN products p ON p.id = o.product_id JOIN categories c ON c.id = p.category_id \
         WHERE o.store_id = $1 AND o.stock > 0 \
         ORDER BY p.featured DESC, o.list_price_minor - o.price_minor DESC, p.id LIMIT $2",
    )
    .bind(store_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// Every category of the catalogue (the aisle is endless: not only this store's).
pub async fn categories(db: &Db, lang: Lang) -> Result<Vec<Category>, AppError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT c.slug, c.name_zh, c.name_en, COUNT(p.id) FROM categories c \
         JOIN products p ON p.category_id = c.id \
         GROUP BY c.id, c.slug, c.name_zh, c.name_en, c.position ORDER BY c.position",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, zh, en, count)| Category {
            name: pick(lang, &zh, &en).to_owned(),
            slug,
            count: u32::try_from(count).unwrap_or(0),
        })
        .collect())
}

/// A catalogue product with this store's offer, if the store carries it.
#[derive(Debug, sqlx::FromRow)]
pub struct AisleRow {
    pub sku: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    pub image: String,
    pub price_minor: Option<i64>,
    pub list_price_minor: Option<i64>,
    pub currency: Option<String>,
    pub stock: Option<i64>,
}

impl AisleRow {
    pub fn offer(&self) -> Option<Offer> {
        // A store that doesn't carry the product has no offer (and no currency); one that
        // does and names an unknown currency is a damaged row: logged, shown as off-shelf.
        let currency = Currency::parse(self.currency.as_deref()?).or_else(|| {
            tracing::error!(sku = %self.sku, currency = ?self.currency, "unknown currency");
            None
        })?;
        Some(Offer {
            price: Money {
                minor: self.price_minor?,
                currency,
            },
            list_price: Money {
                minor: self.list_price_minor?,
                currency,
            },
            stock: StockLevel::of(self.stock?),
        })
    }
}

const AISLE: &str = "SELECT p.sku, p.name_zh, p.name_en, p.unit_zh, p.unit_en, p.image, \
        o.price_minor, o.list_price_minor, o.currency, o.stock \
     FROM products p JOIN categories c ON c.id = p.category_id \
     LEFT JOIN offers o ON o.product_id = p.id AND o.store_id = $1";

/// A category's products, this store's shelf first.
pub async fn aisle(db: &Db, store_id: i64, category: &str) -> Result<Vec<AisleRow>, AppError> {
    let sql = format!(
        "{AISLE} WHERE c.slug = $2 \
         ORDER BY CASE WHEN o.stock > 0 THEN 0 WHEN o.stock IS NULL THEN 2 ELSE 1 END, p.featured DESC, p.id"
    );
    Ok(sqlx::query_as::<_, AisleRow>(&sql)
        .bind(store_id)
        .bind(category)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn aisle_item(db: &Db, store_id: i64, sku: &str) -> Result<Option<AisleRow>, AppError> {
    let sql = format!("{AISLE} WHERE p.sku = $2");
    Ok(sqlx::query_as::<_, AisleRow>(&sql)
        .bind(store_id)
        .bind(sku)
        .fetch_optional(&db.pool)
        .await?)
}
