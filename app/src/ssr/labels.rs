//! Shelf labels (server): the products a store sells with their label scans, the labels
//! for chosen products (name, unit, this store's price), and counting a scan of a label's
//! QR code (one atomic upsert, whatever runs at once).

use crate::domain::i18n::Named;
use crate::domain::money::Money;
use crate::error::AppError;
use crate::ssr::db::{Db, retrying};
use crate::ssr::session::now;

/// A product of the store as the labels page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelRow {
    pub sku: String,
    pub name: Named,
    pub unit: Named,
    pub category: Named,
    pub price: Money,
    pub scans: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    sku: String,
    name_zh: String,
    name_en: String,
    unit_zh: String,
    unit_en: String,
    cat_zh: String,
    cat_en: String,
    price_minor: i64,
    scans: i64,
}

impl From<Row> for LabelRow {
    fn from(r: Row) -> Self {
        LabelRow {
            sku: r.sku,
            name: Named::new(r.name_zh, r.name_en),
            unit: Named::new(r.unit_zh, r.unit_en),
            category: Named::new(r.cat_zh, r.cat_en),
            price: Money::cny(r.price_minor),
            scans: r.scans,
        }
    }
}

const COLUMNS: &str = "p.sku, p.name_zh, p.name_en, p.unit_zh, p.unit_en, c.name_zh AS cat_zh, \
    c.name_en AS cat_en, o.price_minor, CAST(COALESCE(ls.scans, 0) AS BIGINT) AS scans \
    FROM offers o JOIN products p ON p.id = o.product_id JOIN categories c ON c.id = p.category_id \
    LEFT JOIN label_scans ls ON ls.store_id = o.store_id AND ls.product_id = o.product_id";

/// Every product the store sells, by category, with its label's scans.
pub async fn store_products(db: &Db, store: i64) -> Result<Vec<LabelRow>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} WHERE o.store_id = $1 ORDER BY c.position, p.sku"
    ))
    .bind(store)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(LabelRow::from).collect())
}

/// The labels of these SKUs the store sells, in the order asked (unknown ones left out).
pub async fn labels(db: &Db, store: i64, skus: &[String]) -> Result<Vec<LabelRow>, AppError> {
    let all = store_products(db, store).await?;
    Ok(skus
        .iter()
        .filter_map(|sku| all.iter().find(|r| &r.sku == sku).cloned())
        .collect())
}

/// Counts a scan of the label of `sku` in the store `slug`. Returns whether the store
/// sells it (nothing is counted otherwise).
pub async fn record_scan(db: &Db, slug: &str, sku: &str) -> Result<bool, AppError> {
    retrying(db, || async {
        let done = sqlx::query(
            "INSERT INTO label_scans (store_id, product_id, scans, last_at) \
             SELECT o.store_id, o.product_id, 1, $3 FROM offers o \
               JOIN stores s ON s.id = o.store_id JOIN products p ON p.id = o.product_id \
             WHERE s.slug = $1 AND p.sku = $2 \
             ON CONFLICT (store_id, product_id) DO UPDATE SET scans = label_scans.scans + 1, last_at = $3",
        )
        .bind(slug)
        .bind(sku)
        .bind(now())
        .execute(&db.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    })
    .await
}
