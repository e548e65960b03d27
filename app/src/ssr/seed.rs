//! Demo data (server): on first start, an empty database is filled with the brand, its
//! stores, the catalogue and every store's offers. The brand, stores, categories and
//! products are CSV files beside this module; offers are derived from them
//! deterministically, so every start and every test sees the same prices and stock.

use crate::domain::geo::LatLon;
use crate::domain::hours::WeeklyHours;
use crate::domain::product::Sku;
use crate::domain::store::StoreSlug;
use crate::ssr::datum::{Datum, to_wgs84};
use crate::ssr::db::Db;
use serde::Deserialize;
use sqlx::{Any, Transaction};

const BRAND_CSV: &str = include_str!("seed/brand.csv");
const CATEGORIES_CSV: &str = include_str!("seed/categories.csv");
const STORES_CSV: &str = include_str!("seed/stores.csv");
const PRODUCTS_CSV: &str = include_str!("seed/products.csv");

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed file {file}: {source}")]
    Csv {
        file: &'static str,
        source: csv::Error,
    },
    #[error("seed file {file}, row `{row}`: {problem}")]
    Invalid {
        file: &'static str,
        row: String,
        problem: String,
    },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Debug, Deserialize)]
struct BrandRecord {
    slug: String,
    name_zh: String,
    name_en: String,
    tagline_zh: String,
    tagline_en: String,
}

#[derive(Debug, Deserialize)]
struct CategoryRecord {
    slug: String,
    name_zh: String,
    name_en: String,
    position: i64,
}

#[derive(Debug, Deserialize)]
pub struct StoreRecord {
    pub slug: String,
    name_zh: String,
    name_en: String,
    pub city_slug: String,
    city_zh: String,
    city_en: String,
    district_zh: String,
    district_en: String,
    address_zh: String,
    address_en: String,
    pub lat: f64,
    pub lon: f64,
    tz: String,
    pub hours: String,
    phone: String,
    delivery_radius_m: i64,
    pickup_lead_min: i64,
    /// `wgs84` (default) or `gcj02` for coordinates copied from a Chinese map app.
    #[serde(default)]
    datum: Datum,
}

#[derive(Debug, Deserialize)]
pub struct ProductRecord {
    pub sku: String,
    category: String,
    name_zh: String,
    name_en: String,
    unit_zh: String,
    unit_en: String,
    pub price_fen: i64,
    featured: i64,
}

fn read<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<Vec<T>, SeedError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|source| SeedError::Csv { file, source })
}

fn invalid(file: &'static str, row: &str, problem: impl ToString) -> SeedError {
    SeedError::Invalid {
        file,
        row: row.to_owned(),
        problem: problem.to_string(),
    }
}

/// The demo stores, checked with the same parsers the app uses.
pub fn stores() -> Result<Vec<StoreRecord>, SeedError> {
    let mut stores: Vec<StoreRecord> = read("stores.csv", STORES_CSV)?;
    for s in &mut stores {
        let wgs84 = to_wgs84(
            LatLon {
                lat: s.lat,
                lon: s.lon,
            },
            s.datum,
        );
        (s.lat, s.lon, s.datum) = (wgs84.lat, wgs84.lon, Datum::Wgs84);
        StoreSlug::parse(&s.slug).ok_or_else(|| invalid("stores.csv", &s.slug, "bad slug"))?;
        WeeklyHours::parse(&s.hours).map_err(|e| invalid("stores.csv", &s.slug, e))?;
        LatLon::new(s.lat, s.lon).map_err(|e| invalid("stores.csv", &s.slug, e))?;
        s.tz.parse::<chrono_tz::Tz>()
            .map_err(|e| invalid("stores.csv", &s.slug, e))?;
    }
    Ok(stores)
}

pub fn products() -> Result<Vec<ProductRecord>, SeedError> {
    let products: Vec<ProductRecord> = read("products.csv", PRODUCTS_CSV)?;
    for p in &products {
        Sku::parse(&p.sku)
            .filter(|s| s.as_str() == p.sku)
            .ok_or_else(|| invalid("products.csv", &p.sku, "bad SKU"))?;
        if p.price_fen <= 0 {
            return Err(invalid("products.csv", &p.sku, "price must be positive"));
        }
    }
    Ok(products)
}

/// A store's offer of a product, derived from the pair: `None` when the store does not
/// carry it (the kiosk's "endless aisle" shows those too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoOffer {
    pub price_minor: i64,
    pub list_price_minor: i64,
    pub stock: i64,
}

pub fn demo_offer(store: &StoreRecord, product: &ProductRecord) -> Option<DemoOffer> {
    let h = fnv1a(&[store.slug.as_bytes(), b"/", product.sku.as_bytes()]);
    let roll = |shift: u32, modulo: u64| (h >> shift) % modulo;
    if roll(0, 100) >= 96 {
        return None;
    }
    // Cities price a little differently; prices end in a round ten fen.
    let city_permille: i64 = match store.city_slug.as_str() {
        "beijing" => 1020,
        "shanghai" | "shenzhen" => 1000,
        "hangzhou" => 990,
        "guangzhou" => 980,
        _ => 970,
    };
    let list_price_minor = ((product.price_fen * city_permille / 1000 + 5) / 10 * 10).max(10);
    // One store in four runs a promotion on a quarter of its range; the rest on a few items.
    let promo_store = fnv1a(&[store.slug.as_bytes()]).is_multiple_of(4);
    let discounted = roll(8, 100) < if promo_store { 25 } else { 6 };
    let price_minor = if discounted {
        let percent_off = 10 + roll(16, 4) as i64 * 5; // 10–25 %
        ((list_price_minor * (100 - percent_off) / 100) / 10 * 10).max(10)
    } else {
        list_price_minor
    };
    let stock = match roll(24, 100) {
        0..7 => 0,
        7..15 => 1 + roll(32, 5) as i64,
        _ => 6 + roll(40, 75) as i64,
    };
    Some(DemoOffer {
        price_minor,
        list_price_minor,
        stock,
    })
}

/// FNV-1a: a tiny, stable hash so the demo data is the same on every machine.
fn id_of(pairs: &[(i64, String)], key: &str) -> Option<i64> {
    pairs.iter().find(|(_, k)| k == key).map(|(id, _)| *id)
}

fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.iter()) {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Fills an empty database; does nothing when the brand is already there (another
/// server may have seeded it first: the unique brand slug makes that race harmless).
pub async fn seed_if_empty(db: &Db) -> Result<bool, SeedError> {
    let (brands,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM brands")
        .fetch_one(&db.pool)
        .await?;
    if brands > 0 {
        return Ok(false);
    }
    let brand = read::<BrandRecord>("brand.csv", BRAND_CSV)?
        .into_iter()
        .next()
        .ok_or_else(|| invalid("brand.csv", "", "no brand row"))?;
    let categories: Vec<CategoryRecord> = read("categories.csv", CATEGORIES_CSV)?;
    let stores = stores()?;
    let products = products()?;

    let mut tx = db.pool.begin().await?;
    let Some(brand_id) = insert_brand(&mut tx, &brand).await? else {
        return Ok(false);
    };
    insert_categories(&mut tx, &categories).await?;
    insert_stores(&mut tx, brand_id, &stores).await?;
    insert_products(&mut tx, &products).await?;
    let store_ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM stores")
        .fetch_all(&mut *tx)
        .await?;
    let offers = insert_offers(&mut tx, &store_ids, &stores, &products).await?;
    insert_guides(&mut tx, &store_ids).await?;
    insert_services(&mut tx, &store_ids).await?;
    tx.commit().await?;
    tracing::info!(
        stores = stores.len(),
        products = products.len(),
        offers,
        "seeded demo data"
    );
    Ok(true)
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The brand row; `None` when another server inserted it first.
async fn insert_brand(tx: &mut Tx, brand: &BrandRecord) -> Result<Option<i64>, SeedError> {
    let inserted = sqlx::query(
        "INSERT INTO brands (slug, name_zh, name_en, tagline_zh, tagline_en) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&brand.slug)
    .bind(&brand.name_zh)
    .bind(&brand.name_en)
    .bind(&brand.tagline_zh)
    .bind(&brand.tagline_en)
    .execute(&mut **tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
        other => other?,
    };
    let (brand_id,): (i64,) = sqlx::query_as("SELECT id FROM brands WHERE slug = $1")
        .bind(&brand.slug)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(brand_id))
}

async fn insert_categories(tx: &mut Tx, categories: &[CategoryRecord]) -> Result<(), SeedError> {
    let category_rows: Vec<Vec<Value>> = categories
        .iter()
        .map(|c| {
            vec![
                c.slug.as_str().into(),
                c.name_zh.as_str().into(),
                c.name_en.as_str().into(),
                c.position.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "categories",
        &["slug", "name_zh", "name_en", "position"],
        &category_rows,
    )
    .await?;
    Ok(())
}

async fn insert_stores(
    tx: &mut Tx,
    brand_id: i64,
    stores: &[StoreRecord],
) -> Result<(), SeedError> {
    let store_rows: Vec<Vec<Value>> = stores
        .iter()
        .map(|s| {
            vec![
                brand_id.into(),
                s.slug.as_str().into(),
                s.name_zh.as_str().into(),
                s.name_en.as_str().into(),
                s.city_slug.as_str().into(),
                s.city_zh.as_str().into(),
                s.city_en.as_str().into(),
                s.district_zh.as_str().into(),
                s.district_en.as_str().into(),
                s.address_zh.as_str().into(),
                s.address_en.as_str().into(),
                Value::Real(s.lat),
                Value::Real(s.lon),
                s.tz.as_str().into(),
                s.hours.as_str().into(),
                s.phone.as_str().into(),
                s.delivery_radius_m.into(),
                s.pickup_lead_min.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "stores",
        &[
            "brand_id",
            "slug",
            "name_zh",
            "name_en",
            "city_slug",
            "city_zh",
            "city_en",
            "district_zh",
            "district_en",
            "address_zh",
            "address_en",
            "lat",
            "lon",
            "time_zone",
            "hours",
            "phone",
            "delivery_radius_m",
            "pickup_lead_min",
        ],
        &store_rows,
    )
    .await?;
    Ok(())
}

async fn insert_products(tx: &mut Tx, products: &[ProductRecord]) -> Result<(), SeedError> {
    let category_ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM categories")
        .fetch_all(&mut **tx)
        .await?;
    let mut product_rows: Vec<Vec<Value>> = Vec::with_capacity(products.len());
    for p in products {
        let category_id = id_of(&category_ids, &p.category).ok_or_else(|| {
            invalid(
                "products.csv",
                &p.sku,
                format!("unknown category `{}`", p.category),
            )
        })?;
        product_rows.push(vec![
            p.sku.as_str().into(),
            category_id.into(),
            p.name_zh.as_str().into(),
            p.name_en.as_str().into(),
            p.unit_zh.as_str().into(),
            p.unit_en.as_str().into(),
            format!("/img/p/{}.svg", p.sku).into(),
            p.featured.into(),
        ]);
    }
    insert_rows(
        tx,
        "products",
        &[
            "sku",
            "category_id",
            "name_zh",
            "name_en",
            "unit_zh",
            "unit_en",
            "image",
            "featured",
        ],
        &product_rows,
    )
    .await?;
    Ok(())
}

/// Each store's offers (see [`demo_offer`]); returns how many.
async fn insert_offers(
    tx: &mut Tx,
    store_ids: &[(i64, String)],
    stores: &[StoreRecord],
    products: &[ProductRecord],
) -> Result<usize, SeedError> {
    let product_ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, sku FROM products")
        .fetch_all(&mut **tx)
        .await?;
    let mut offer_rows = Vec::new();
    for s in stores {
        let store_id = id_of(store_ids, &s.slug)
            .ok_or_else(|| invalid("stores.csv", &s.slug, "not inserted"))?;
        for p in products {
            let product_id = id_of(&product_ids, &p.sku)
                .ok_or_else(|| invalid("products.csv", &p.sku, "not inserted"))?;
            if let Some(o) = demo_offer(s, p) {
                offer_rows.push(vec![
                    store_id.into(),
                    product_id.into(),
                    o.price_minor.into(),
                    o.list_price_minor.into(),
                    o.stock.into(),
                ]);
            }
        }
    }
    insert_rows(
        tx,
        "offers",
        &[
            "store_id",
            "product_id",
            "price_minor",
            "list_price_minor",
            "stock",
        ],
        &offer_rows,
    )
    .await?;
    Ok(offer_rows.len())
}

/// Two guides per store, with short codes for their share links (`/g/G001A`).
async fn insert_guides(tx: &mut Tx, store_ids: &[(i64, String)]) -> Result<(), SeedError> {
    const GUIDES: [(&str, &str); 6] = [
        ("小王", "Wang"),
        ("小李", "Li"),
        ("小张", "Zhang"),
        ("小陈", "Chen"),
        ("小林", "Lin"),
        ("小周", "Zhou"),
    ];
    let mut guide_rows = Vec::new();
    let mut by_id = store_ids.to_vec();
    by_id.sort_unstable();
    for (i, (store_id, _)) in by_id.iter().enumerate() {
        for (n, letter) in ["A", "B"].into_iter().enumerate() {
            let (zh, en) = GUIDES[(i * 2 + n) % GUIDES.len()];
            guide_rows.push(vec![
                format!("G{store_id:03}{letter}").as_str().into(),
                (*store_id).into(),
                zh.into(),
                en.into(),
            ]);
        }
    }
    insert_rows(
        tx,
        "guides",
        &["code", "store_id", "name_zh", "name_en"],
        &guide_rows,
    )
    .await?;
    Ok(())
}

/// The demo services (`ssr::appointments::DEMO_SERVICES`) in every store, in both
/// languages: a fitting room held for a member, a makeup trial and a skin test.
async fn insert_services(tx: &mut Tx, store_ids: &[(i64, String)]) -> Result<(), SeedError> {
    let mut rows = Vec::new();
    for (store_id, _) in store_ids {
        for (position, (slug, zh, en, minutes, capacity)) in
            crate::ssr::appointments::DEMO_SERVICES.iter().enumerate()
        {
            rows.push(vec![
                (*store_id).into(),
                (*slug).into(),
                (*zh).into(),
                (*en).into(),
                (*minutes).into(),
                (*capacity).into(),
                (position as i64).into(),
            ]);
        }
    }
    insert_rows(
        tx,
        "services",
        &[
            "store_id",
            "slug",
            "name_zh",
            "name_en",
            "duration_min",
            "capacity",
            "position",
        ],
        &rows,
    )
    .await?;
    Ok(())
}

/// A value to bind in a batch insert.
#[derive(Clone, Debug)]
enum Value {
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` columns.
fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    rows: &'q [Vec<Value>],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for value in rows.iter().flatten() {
        query = match value {
            Value::Int(v) => query.bind(*v),
            Value::Real(v) => query.bind(*v),
            Value::Text(v) => query.bind(v.as_str()),
        };
    }
    query
}

/// Multi-row inserts, 200 rows a statement: one round trip per batch, not per row.
async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(200) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            placeholders(chunk.len(), columns.len())
        );
        bind_all(sqlx::query(&sql), chunk)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_parses_and_is_rich_enough() {
        let stores = stores().expect("stores.csv is valid");
        let products = products().expect("products.csv is valid");
        assert!(stores.len() >= 40, "{} stores", stores.len());
        assert!(products.len() >= 150, "{} products", products.len());
        let mut cities: Vec<&str> = stores.iter().map(|s| s.city_slug.as_str()).collect();
        cities.sort_unstable();
        cities.dedup();
        assert!(cities.len() >= 4, "{cities:?}");
        assert!(
            stores.iter().any(|s| s.hours == "24h"),
            "some stores never close"
        );
        assert!(
            stores.iter().any(|s| s.hours != "24h"),
            "some stores close at night"
        );
    }

    #[test]
    fn offers_are_deterministic_and_varied() {
        let stores = stores().unwrap();
        let products = products().unwrap();
        let offers: Vec<Option<DemoOffer>> = stores
            .iter()
            .flat_map(|s| products.iter().map(move |p| demo_offer(s, p)))
            .collect();
        let again: Vec<Option<DemoOffer>> = stores
            .iter()
            .flat_map(|s| products.iter().map(move |p| demo_offer(s, p)))
            .collect();
        assert_eq!(offers, again);
        let carried: Vec<DemoOffer> = offers.iter().flatten().copied().collect();
        assert!(
            offers.iter().any(Option::is_none),
            "some stores don't carry some items"
        );
        assert!(
            carried.iter().any(|o| o.stock == 0),
            "some items are out of stock"
        );
        assert!(
            carried.iter().any(|o| o.price_minor < o.list_price_minor),
            "some stores discount"
        );
        assert!(
            carried
                .iter()
                .all(|o| o.price_minor > 0 && o.price_minor <= o.list_price_minor)
        );
    }

    #[test]
    fn placeholders_number_every_cell() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
