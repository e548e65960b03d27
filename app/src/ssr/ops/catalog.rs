//! The integration API's writes (server): stores, products, offers, stock set and stock
//! deltas, and webhook subscriptions — each request one transaction, all or nothing, and
//! idempotent under its `Idempotency-Key`.
//!
//! **Idempotency.** The key is claimed by the write's own transaction (its first write),
//! and the response is stored by it before it commits; so a repeat finds the response and
//! returns it, a concurrent repeat waits for the first and then returns its response, and
//! a crash leaves neither the change nor the claim. A refusal (4xx) keeps nothing, so the
//! same key may be sent again once the body is fixed (as Stripe does); the same key with
//! another body after a success is refused.
//!
//! **Stock is never lost.** Checkouts take stock by `stock = stock - n WHERE stock >= n`
//! and bump `version`; a delta is `stock = stock + d WHERE stock + d >= 0`; an absolute
//! set with `expected_version` is `… WHERE version = expected` (409 with the version as it
//! is now when it moved); a set without one overwrites, as a nightly count means to.
//! Offers are written in (store, product) order, so concurrent batches lock in one order.
//!
//! **Prices.** A price change writes `price_history` (no staff: the key is in the audit
//! log); bags compare with `offers` on the next page, so a lowered price reaches them as
//! a price-drop notice, as a console edit does.

use crate::domain::ops::{OfferRow, Problem, ProductRow, StockDelta, StockSet, StoreRow};
use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::datum::{Datum, to_wgs84};
use crate::ssr::db::{Db, retrying};
use crate::ssr::ops::keys::ApiKey;
use crate::ssr::session::now;
use crate::ssr::stock::tuples;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Rows per statement (5 values each: far below either database's parameter limit).
const BATCH: usize = 500;

/// One write the API was asked for, checked.
#[derive(Clone, Debug)]
pub enum Write {
    Stores(Vec<StoreRow>),
    Products(Vec<ProductRow>),
    Offers(Vec<OfferRow>),
    StockSets(Vec<StockSet>),
    StockDeltas(Vec<StockDelta>),
    Webhook {
        url: String,
        events: Vec<crate::domain::ops::EventKind>,
    },
}

/// The request's `Idempotency-Key` and a hash of what it asked (method, path, body).
#[derive(Clone, Copy, Debug)]
pub struct Idem<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
}

/// What to answer: a status and a JSON body; `replayed`: the stored answer to an earlier
/// request with the same key.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub replayed: bool,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Reply {
            status: 200,
            body,
            replayed: false,
        }
    }

    /// A refusal: `{"error": {"code", "message", "problems"}}`.
    pub fn refused(status: u16, code: &str, message: &str, problems: Vec<Problem>) -> Self {
        Reply {
            status,
            body: json!({"error": {"code": code, "message": message, "problems": problems}}),
            replayed: false,
        }
    }

    /// 422: rows that cannot be written, each by index.
    pub fn rows(problems: Vec<Problem>) -> Self {
        Reply::refused(
            422,
            "invalid_rows",
            "some rows cannot be written; nothing was written",
            problems,
        )
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Whether `z` names a time zone (`Asia/Shanghai`).
pub fn valid_zone(z: &str) -> bool {
    z.parse::<chrono_tz::Tz>().is_ok()
}

/// Runs `write` for `key` in one transaction (run again if it lost a race), under `idem`.
pub async fn write(
    db: &Db,
    key: &ApiKey,
    idem: Option<Idem<'_>>,
    write: &Write,
) -> Result<Reply, AppError> {
    retrying(db, || write_once(db, key, idem, write)).await
}

async fn write_once(
    db: &Db,
    key: &ApiKey,
    idem: Option<Idem<'_>>,
    write: &Write,
) -> Result<Reply, AppError> {
    let mut tx: Tx = db.pool.begin().await?;
    if let Some(idem) = idem {
        let claimed = sqlx::query(
            "INSERT INTO ops_idempotency (api_key_id, idem_key, request_hash, status, body, created_at) \
             VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (api_key_id, idem_key) DO NOTHING",
        )
        .bind(key.id)
        .bind(idem.key)
        .bind(idem.request_hash)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            drop(tx);
            return replay(db, key, idem).await;
        }
    }
    let reply = match write {
        Write::Stores(rows) => stores(&mut tx, rows).await?,
        Write::Products(rows) => products(&mut tx, rows).await?,
        Write::Offers(rows) => offers(&mut tx, rows).await?,
        Write::StockSets(rows) => stock_sets(&mut tx, rows).await?,
        Write::StockDeltas(rows) => stock_deltas(&mut tx, rows).await?,
        Write::Webhook { url, events } => {
            crate::ssr::ops::webhooks::subscribe(&mut tx, key.id, url, events).await?
        }
    };
    if !reply.is_success() {
        // Dropped: rolled back, the claim with it.
        return Ok(reply);
    }
    if let Some(idem) = idem {
        sqlx::query("UPDATE ops_idempotency SET status = $1, body = $2 WHERE api_key_id = $3 AND idem_key = $4")
            .bind(i64::from(reply.status))
            .bind(reply.body.to_string())
            .bind(key.id)
            .bind(idem.key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(reply)
}

/// The stored answer for `idem`, or a refusal when it was made for another request.
async fn replay(db: &Db, key: &ApiKey, idem: Idem<'_>) -> Result<Reply, AppError> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT request_hash, status, body FROM ops_idempotency WHERE api_key_id = $1 AND idem_key = $2",
    )
    .bind(key.id)
    .bind(idem.key)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        // Claimed by a transaction that has not committed: it holds the claim's lock
        // until then, so this only happens on SQLite between its statements — go again.
        None | Some((_, 0, _)) => Err(AppError::Contended),
        Some((hash, _, _)) if hash != idem.request_hash => Ok(Reply::refused(
            422,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request",
            Vec::new(),
        )),
        Some((_, status, body)) => Ok(Reply {
            status: u16::try_from(status).unwrap_or(200),
            body: serde_json::from_str(&body).unwrap_or(Value::Null),
            replayed: true,
        }),
    }
}

// ---------------------------------------------------------------------------------------

async fn ids(tx: &mut Tx, sql: &str) -> Result<HashMap<String, i64>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(&mut **tx).await?;
    Ok(rows.into_iter().map(|(id, k)| (k, id)).collect())
}

async fn stores(tx: &mut Tx, rows: &[StoreRow]) -> Result<Reply, AppError> {
    let existing = ids(tx, "SELECT id, slug FROM stores").await?;
    let mut created = 0;
    for r in rows {
        let at = to_wgs84(r.at, if r.gcj02 { Datum::Gcj02 } else { Datum::Wgs84 });
        sqlx::query(
            "INSERT INTO stores (brand_id, slug, name_zh, name_en, city_slug, city_zh, city_en, district_zh, \
                                 district_en, address_zh, address_en, lat, lon, time_zone, hours, phone, \
                                 delivery_radius_m, pickup_lead_min, special_days, pay_at_store) \
             VALUES ((SELECT MIN(id) FROM brands), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                     $16, $17, $18, $19) \
             ON CONFLICT (slug) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
                 city_slug = excluded.city_slug, city_zh = excluded.city_zh, city_en = excluded.city_en, \
                 district_zh = excluded.district_zh, district_en = excluded.district_en, \
                 address_zh = excluded.address_zh, address_en = excluded.address_en, lat = excluded.lat, \
                 lon = excluded.lon, time_zone = excluded.time_zone, hours = excluded.hours, \
                 phone = excluded.phone, delivery_radius_m = excluded.delivery_radius_m, \
                 pickup_lead_min = excluded.pickup_lead_min, special_days = excluded.special_days, \
                 pay_at_store = excluded.pay_at_store",
        )
        .bind(&r.code)
        .bind(&r.name_zh)
        .bind(&r.name_en)
        .bind(&r.city_slug)
        .bind(&r.city_zh)
        .bind(&r.city_en)
        .bind(&r.district_zh)
        .bind(&r.district_en)
        .bind(&r.address_zh)
        .bind(&r.address_en)
        .bind(at.lat)
        .bind(at.lon)
        .bind(&r.time_zone)
        .bind(&r.hours)
        .bind(&r.phone)
        .bind(r.delivery_radius_m)
        .bind(r.pickup_lead_min)
        .bind(&r.special_days)
        .bind(i64::from(r.pay_at_store))
        .execute(&mut **tx)
        .await?;
        if !existing.contains_key(&r.code) {
            created += 1;
        }
    }
    Ok(Reply::ok(
        json!({"written": rows.len(), "created": created, "updated": rows.len() - created}),
    ))
}

async fn products(tx: &mut Tx, rows: &[ProductRow]) -> Result<Reply, AppError> {
    let categories = ids(tx, "SELECT id, slug FROM categories").await?;
    let problems: Vec<Problem> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !categories.contains_key(&r.category))
        .map(|(i, r)| {
            Problem::row(
                i,
                "category",
                "unknown_category",
                format!("no category {:?}", r.category),
            )
        })
        .collect();
    if !problems.is_empty() {
        return Ok(Reply::rows(problems));
    }
    let existing = ids(tx, "SELECT id, sku FROM products").await?;
    let mut created = 0;
    for r in rows {
        let image = r
            .image
            .clone()
            .unwrap_or_else(|| format!("/img/c/{}.svg", r.category));
        sqlx::query(
            "INSERT INTO products (sku, category_id, name_zh, name_en, unit_zh, unit_en, image, featured) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (sku) DO UPDATE SET category_id = excluded.category_id, name_zh = excluded.name_zh, \
                 name_en = excluded.name_en, unit_zh = excluded.unit_zh, unit_en = excluded.unit_en, \
                 image = CASE WHEN $9 = 1 THEN excluded.image ELSE products.image END, \
                 featured = excluded.featured",
        )
        .bind(&r.sku)
        .bind(categories[&r.category])
        .bind(&r.name_zh)
        .bind(&r.name_en)
        .bind(&r.unit_zh)
        .bind(&r.unit_en)
        .bind(image)
        .bind(i64::from(r.featured))
        .bind(i64::from(r.image.is_some()))
        .execute(&mut **tx)
        .await?;
        if !existing.contains_key(&r.sku) {
            created += 1;
        }
    }
    crate::ssr::search::index_stale(tx).await?;
    Ok(Reply::ok(
        json!({"written": rows.len(), "created": created, "updated": rows.len() - created}),
    ))
}

/// An offer as it stands.
#[derive(Clone, Copy, Debug)]
struct Now {
    price: i64,
    list: i64,
    stock: i64,
    version: i64,
}

/// The (store id, product id) of each row, or a problem for each row naming an unknown
/// store or SKU.
async fn resolve<'r>(
    tx: &mut Tx,
    rows: impl Iterator<Item = (&'r str, &'r str)>,
) -> Result<Result<Vec<(i64, i64)>, Vec<Problem>>, AppError> {
    let stores = ids(tx, "SELECT id, slug FROM stores").await?;
    let products = ids(tx, "SELECT id, sku FROM products").await?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, (store, sku)) in rows.enumerate() {
        match (stores.get(store), products.get(sku)) {
            (Some(s), Some(p)) => out.push((*s, *p)),
            (None, _) => problems.push(Problem::row(
                i,
                "store",
                "unknown_store",
                format!("no store {store:?}"),
            )),
            (_, None) => problems.push(Problem::row(
                i,
                "sku",
                "unknown_sku",
                format!("no product {sku:?}"),
            )),
        }
    }
    Ok(if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    })
}

/// The offers among `pairs` as they stand, read per store.
async fn current(tx: &mut Tx, pairs: &[(i64, i64)]) -> Result<HashMap<(i64, i64), Now>, AppError> {
    let wanted: HashSet<(i64, i64)> = pairs.iter().copied().collect();
    let stores: HashSet<i64> = pairs.iter().map(|p| p.0).collect();
    let mut out = HashMap::with_capacity(pairs.len());
    for store in stores {
        let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT product_id, price_minor, list_price_minor, stock, version FROM offers WHERE store_id = $1",
        )
        .bind(store)
        .fetch_all(&mut **tx)
        .await?;
        for (product, price, list, stock, version) in rows {
            if wanted.contains(&(store, product)) {
                out.insert(
                    (store, product),
                    Now {
                        price,
                        list,
                        stock,
                        version,
                    },
                );
            }
        }
    }
    Ok(out)
}

async fn offers(tx: &mut Tx, rows: &[OfferRow]) -> Result<Reply, AppError> {
    let pairs = match resolve(tx, rows.iter().map(|r| (r.store.as_str(), r.sku.as_str()))).await? {
        Ok(p) => p,
        Err(problems) => return Ok(Reply::rows(problems)),
    };
    let now_ = current(tx, &pairs).await?;
    // In (store, product) order, so concurrent writers lock offers in one order.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| pairs[i]);
    let mut conflicts = Vec::new();
    let (mut with_stock, mut without) = (Vec::new(), Vec::new());
    for &i in &order {
        let r = &rows[i];
        let at = now_.get(&pairs[i]);
        if let Some(expected) = r.expected_version {
            let stock = r.stock.unwrap_or(0);
            let done = sqlx::query(
                "UPDATE offers SET price_minor = $1, list_price_minor = $2, stock = $3, \
                     version = version + CASE WHEN stock <> $3 THEN 1 ELSE 0 END \
                 WHERE store_id = $4 AND product_id = $5 AND version = $6",
            )
            .bind(r.price_minor)
            .bind(r.list_price_minor)
            .bind(stock)
            .bind(pairs[i].0)
            .bind(pairs[i].1)
            .bind(expected)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() != 1 {
                conflicts.push(version_conflict(i, expected, at.map(|n| n.version)));
            }
        } else if r.stock.is_some() {
            with_stock.push(i);
        } else {
            without.push(i);
        }
    }
    if !conflicts.is_empty() {
        return Ok(version_refusal(conflicts));
    }
    for batch in with_stock.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) VALUES {} \
             ON CONFLICT (store_id, product_id) DO UPDATE SET price_minor = excluded.price_minor, \
                 list_price_minor = excluded.list_price_minor, stock = excluded.stock, \
                 version = offers.version + CASE WHEN offers.stock <> excluded.stock THEN 1 ELSE 0 END",
            tuples(batch.len(), 5, 1)
        );
        let mut q = sqlx::query(&sql);
        for &i in batch {
            let r = &rows[i];
            q = q
                .bind(pairs[i].0)
                .bind(pairs[i].1)
                .bind(r.price_minor)
                .bind(r.list_price_minor)
                .bind(r.stock.unwrap_or(0));
        }
        q.execute(&mut **tx).await?;
    }
    for batch in without.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) VALUES {} \
             ON CONFLICT (store_id, product_id) DO UPDATE SET price_minor = excluded.price_minor, \
                 list_price_minor = excluded.list_price_minor",
            tuples(batch.len(), 5, 1)
        );
        let mut q = sqlx::query(&sql);
        for &i in batch {
            let r = &rows[i];
            q = q
                .bind(pairs[i].0)
                .bind(pairs[i].1)
                .bind(r.price_minor)
                .bind(r.list_price_minor)
                .bind(0_i64);
        }
        q.execute(&mut **tx).await?;
    }
    // Price history for every price that changed (or is new).
    let priced: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| {
            now_.get(&pairs[i]).is_none_or(|n| {
                n.price != rows[i].price_minor || n.list != rows[i].list_price_minor
            })
        })
        .collect();
    let at = now();
    for batch in priced.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO price_history (store_id, product_id, price_minor, list_price_minor, at) VALUES {}",
            tuples(batch.len(), 5, 1)
        );
        let mut q = sqlx::query(&sql);
        for &i in batch {
            q = q
                .bind(pairs[i].0)
                .bind(pairs[i].1)
                .bind(rows[i].price_minor)
                .bind(rows[i].list_price_minor)
                .bind(at);
        }
        q.execute(&mut **tx).await?;
    }
    let created = pairs.iter().filter(|p| !now_.contains_key(p)).count();
    Ok(Reply::ok(json!({
        "written": rows.len(),
        "created": created,
        "updated": rows.len() - created,
        "prices_changed": priced.len(),
    })))
}

fn version_conflict(i: usize, expected: i64, now: Option<i64>) -> Problem {
    Problem::row(
        i,
        "expected_version",
        "version_conflict",
        match now {
            Some(v) => format!("the offer is at version {v}, not {expected}: read it again"),
            None => "no such offer to compare with".to_owned(),
        },
    )
}

fn version_refusal(problems: Vec<Problem>) -> Reply {
    Reply::refused(
        409,
        "version_conflict",
        "an offer changed since its version was read; nothing was written",
        problems,
    )
}

/// The offers' stock and version after a write, in the rows' order.
async fn report(
    tx: &mut Tx,
    rows: &[(&str, &str)],
    pairs: &[(i64, i64)],
) -> Result<Value, AppError> {
    let now_ = current(tx, pairs).await?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (&(store, sku), pair) in rows.iter().zip(pairs) {
        if !seen.insert(*pair) {
            continue;
        }
        if let Some(n) = now_.get(pair) {
            out.push(json!({"store": store, "sku": sku, "stock": n.stock, "version": n.version}));
        }
    }
    Ok(Value::Array(out))
}

async fn stock_sets(tx: &mut Tx, rows: &[StockSet]) -> Result<Reply, AppError> {
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.store.as_str(), r.sku.as_str()))
        .collect();
    let pairs = match resolve(tx, names.iter().copied()).await? {
        Ok(p) => p,
        Err(problems) => return Ok(Reply::rows(problems)),
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| pairs[i]);
    let mut conflicts = Vec::new();
    let mut plain = Vec::new();
    for &i in &order {
        match rows[i].expected_version {
            Some(expected) => {
                let done = sqlx::query(
                    "UPDATE offers SET stock = $1, version = version + 1 \
                     WHERE store_id = $2 AND product_id = $3 AND version = $4",
                )
                .bind(rows[i].stock)
                .bind(pairs[i].0)
                .bind(pairs[i].1)
                .bind(expected)
                .execute(&mut **tx)
                .await?;
                if done.rows_affected() != 1 {
                    let v: Option<(i64,)> = sqlx::query_as(
                        "SELECT version FROM offers WHERE store_id = $1 AND product_id = $2",
                    )
                    .bind(pairs[i].0)
                    .bind(pairs[i].1)
                    .fetch_optional(&mut **tx)
                    .await?;
                    conflicts.push(version_conflict(i, expected, v.map(|v| v.0)));
                }
            }
            None => plain.push(i),
        }
    }
    if !conflicts.is_empty() {
        return Ok(version_refusal(conflicts));
    }
    let mut missing = Vec::new();
    for batch in plain.chunks(BATCH) {
        let sql = format!(
            "WITH v (s, p, n) AS (VALUES {}) \
             UPDATE offers SET stock = v.n, version = offers.version + CASE WHEN offers.stock <> v.n THEN 1 ELSE 0 END \
             FROM v WHERE offers.store_id = v.s AND offers.product_id = v.p",
            tuples(batch.len(), 3, 1)
        );
        let mut q = sqlx::query(&sql);
        for &i in batch {
            q = q.bind(pairs[i].0).bind(pairs[i].1).bind(rows[i].stock);
        }
        let done = q.execute(&mut **tx).await?;
        if done.rows_affected() != batch.len() as u64 {
            missing.extend(batch.iter().copied());
        }
    }
    if !missing.is_empty() {
        // Which of them are not offered: reported by index.
        let have = current(tx, &pairs).await?;
        let problems: Vec<Problem> = missing
            .into_iter()
            .filter(|&i| !have.contains_key(&pairs[i]))
            .map(|i| {
                Problem::row(
                    i,
                    "sku",
                    "unknown_offer",
                    format!(
                        "{} does not offer {}: send it as an offer first",
                        rows[i].store, rows[i].sku
                    ),
                )
            })
            .collect();
        return Ok(Reply::rows(problems));
    }
    Ok(Reply::ok(
        json!({"written": rows.len(), "offers": report(tx, &names, &pairs).await?}),
    ))
}

async fn stock_deltas(tx: &mut Tx, rows: &[StockDelta]) -> Result<Reply, AppError> {
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.store.as_str(), r.sku.as_str()))
        .collect();
    let pairs = match resolve(tx, names.iter().copied()).await? {
        Ok(p) => p,
        Err(problems) => return Ok(Reply::rows(problems)),
    };
    // Deltas on one offer add up; offers are written in (store, product) order.
    let mut sums: BTreeMap<(i64, i64), (i64, usize)> = BTreeMap::new();
    for (i, (r, pair)) in rows.iter().zip(&pairs).enumerate() {
        let e = sums.entry(*pair).or_insert((0, i));
        e.0 = e.0.saturating_add(r.delta);
    }
    let mut problems = Vec::new();
    for (pair, (delta, first)) in &sums {
        if *delta == 0 {
            continue;
        }
        let done = sqlx::query(
            "UPDATE offers SET stock = stock + $1, version = version + 1 \
             WHERE store_id = $2 AND product_id = $3 AND stock + $1 >= 0",
        )
        .bind(delta)
        .bind(pair.0)
        .bind(pair.1)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            let stock: Option<(i64,)> =
                sqlx::query_as("SELECT stock FROM offers WHERE store_id = $1 AND product_id = $2")
                    .bind(pair.0)
                    .bind(pair.1)
                    .fetch_optional(&mut **tx)
                    .await?;
            let r = &rows[*first];
            problems.push(match stock {
                Some((s,)) => Problem::row(
                    *first,
                    "delta",
                    "below_zero",
                    format!(
                        "{} at {} has {s}: {delta} would take it below 0",
                        r.sku, r.store
                    ),
                ),
                None => Problem::row(
                    *first,
                    "sku",
                    "unknown_offer",
                    format!("{} does not offer {}", r.store, r.sku),
                ),
            });
        }
    }
    if problems.iter().any(|p| p.code == "below_zero") {
        return Ok(Reply::refused(
            409,
            "below_zero",
            "a delta would take stock below 0; nothing was written",
            problems,
        ));
    }
    if !problems.is_empty() {
        return Ok(Reply::rows(problems));
    }
    Ok(Reply::ok(
        json!({"written": rows.len(), "offers": report(tx, &names, &pairs).await?}),
    ))
}

/// One offer as the API shows it (`None`: not offered).
pub async fn offer(db: &Db, store: &str, sku: &str) -> Result<Option<Value>, AppError> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.price_minor, o.list_price_minor, o.stock, o.version FROM offers o \
         JOIN stores s ON s.id = o.store_id JOIN products p ON p.id = o.product_id \
         WHERE s.slug = $1 AND p.sku = $2",
    )
    .bind(store)
    .bind(sku)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(price, list, stock, version)| {
        json!({"store": store, "sku": sku, "price_minor": price, "list_price_minor": list, "stock": stock, "version": version})
    }))
}
