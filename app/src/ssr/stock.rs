//! The store console's stock and prices (server): the offers table (searched, filtered,
//! paged) with each offer's recent price changes; one offer's edit; and stock CSVs, kept
//! in `stock_imports` between their preview and their apply.
//!
//! **Never a lost update.** Checkouts take stock with `stock = stock - n WHERE stock >= n`
//! at any moment, so the console never writes a stock it read earlier:
//! - one offer's edit is a compare-and-set against the stock the page showed
//!   (`… SET stock = new WHERE … AND stock = was`); if a checkout came between, the edit
//!   is refused with the stock as it is now, and nothing of it is made;
//! - an import is applied *by difference*: the preview records the stock it saw of each
//!   row, and the apply sets `stock = stock + (target - seen)`, so whatever was sold
//!   between preview and apply is still taken off. A row that would go below zero that
//!   way refuses the whole import.
//!
//! **Prices.** A price change writes `price_history` and the audit log in its own
//! transaction. The list price never falls below the price (a CHECK stands behind it): an
//! edit that would do so is refused, and an import's new price above the list price
//! raises the list price to it (the CSV has no list-price column; the preview says so).
//!
//! **Where a new price shows.** Bags read `offers` directly: the next page a shopper opens
//! compares the price with the one they were told (`bag::summary`), so a lowered price
//! reaches their price-drop notice at once. Store pages are micro-cached in each process
//! — their data for `state::STORE_PAGE_TTL` (1 s), and, for shoppers without cookies, the
//! rendered page for `server::page_cache::TTL` (1 s) — so a store page on any server,
//! this one included, may show the old price for up to about two seconds. `MicroCache`
//! offers no way to drop entries, so nothing is invalidated here; checkout reads the
//! price from `offers` in its own transaction, so nobody is ever charged a stale one.

use crate::domain::console::{CsvProblem, CsvRow, InputProblem, parse_stock_csv};
use crate::domain::money::Money;
use crate::error::AppError;
use crate::ssr::audit::{self, Change};
use crate::ssr::checkout::Tx;
use crate::ssr::db::retrying;
use crate::ssr::db::{Db, DbKind};
use crate::ssr::session::now;
use crate::views::stock::StockFilter;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Rows per statement when an import writes in batches: 500 rows of at most 7 values
/// stay far below either database's limit on bound parameters.
const BATCH: usize = 500;

/// One offer as the stock table lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StockRow {
    pub product_id: i64,
    pub sku: String,
    pub name_zh: String,
    pub name_en: String,
    pub price_minor: i64,
    pub list_price_minor: i64,
    pub stock: i64,
}

/// One page of the store's offers matching `text` (SKU or either name) and `filter`, and
/// how many match in all. Everything by SKU; a stock filter lists the fewest first.
pub async fn offers(
    db: &Db,
    store_id: i64,
    text: Option<&str>,
    filter: StockFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StockRow>, i64), AppError> {
    let order = match filter {
        StockFilter::All => "p.sku",
        StockFilter::Low | StockFilter::Out => "o.stock, p.sku",
    };
    let search = text.map(|t| crate::ssr::search::Query::new(t).sql(5));
    let (join, conditions) = match &search {
        Some(s) => (s.join.as_str(), s.conditions.as_str()),
        None => ("", ""),
    };
    let sql = format!(
        "SELECT o.product_id, p.sku, p.name_zh, p.name_en, o.price_minor, o.list_price_minor, o.stock, \
                COUNT(*) OVER () AS total \
         FROM offers o JOIN products p ON p.id = o.product_id{join} \
         WHERE o.store_id = $1 AND ($2 IS NULL OR o.stock <= $2){conditions} \
         ORDER BY {order} LIMIT $3 OFFSET $4"
    );
    let mut query = sqlx::query(&sql)
        .bind(store_id)
        .bind(filter.max_stock())
        .bind(limit)
        .bind(offset);
    for v in search.iter().flat_map(|s| &s.binds) {
        query = query.bind(v.as_str());
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(crate::ssr::db::page_with_total::<StockRow>(&rows)?)
}

/// A price set, as the history lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PriceHistoryRow {
    pub product_id: i64,
    pub price_minor: i64,
    pub list_price_minor: i64,
    pub at: i64,
    pub staff_name: Option<String>,
}

/// The last `per_offer` price changes of each of `product_ids` in the store, newest first.
pub async fn recent_prices(
    db: &Db,
    store_id: i64,
    product_ids: &[i64],
    per_offer: i64,
) -> Result<Vec<PriceHistoryRow>, AppError> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = placeholders(product_ids.len(), 3);
    let sql = format!(
        "SELECT product_id, price_minor, list_price_minor, at, staff_name FROM ( \
           SELECT h.product_id, h.price_minor, h.list_price_minor, h.at, h.id, s.name AS staff_name, \
                  ROW_NUMBER() OVER (PARTITION BY h.product_id ORDER BY h.at DESC, h.id DESC) AS n \
           FROM price_history h LEFT JOIN staff s ON s.id = h.staff_id \
           WHERE h.store_id = $1 AND h.product_id IN {ids} \
         ) t WHERE n <= $2 ORDER BY product_id, at DESC, id DESC"
    );
    let mut query = sqlx::query_as::<_, PriceHistoryRow>(&sql)
        .bind(store_id)
        .bind(per_offer);
    for id in product_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// What one offer's edit asks for (`None`: leave it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OfferEdit {
    pub price: Option<i64>,
    pub list_price: Option<i64>,
    /// The stock to set.
    pub stock: Option<i64>,
    /// The stock the page showed (`None`: it did not say, so it cannot be trusted).
    pub was_stock: Option<i64>,
}

/// Why an edit was refused (nothing of it was made).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditRefusal {
    /// No such SKU among the store's offers.
    UnknownSku,
    /// The list price would be below the price; `list_given`: the list price typed is
    /// the one to blame (else the new price is above the list price kept).
    ListBelowPrice { list_given: bool },
    /// The stock is no longer what the page showed: it is `now`.
    StockMoved { now: i64 },
}

/// What an edit did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Edited {
    /// Anything at all (an edit that asks for what is already there changes nothing).
    pub changed: bool,
    pub price_changed: bool,
}

#[derive(Clone, Copy, Debug, sqlx::FromRow)]
struct Current {
    product_id: i64,
    price_minor: i64,
    list_price_minor: i64,
    stock: i64,
}

fn yuan(fen: i64) -> String {
    Money::cny(fen).to_string()
}

/// Edits one offer of the store in one transaction: price and list price (with a
/// `price_history` row), stock by compare-and-set against `was_stock`, each change in
/// the audit log — or, refused, nothing.
pub async fn edit_offer(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    sku: &str,
    edit: OfferEdit,
) -> Result<Result<Edited, EditRefusal>, AppError> {
    retrying(db, || edit_offer_once(db, store_id, staff_id, sku, edit)).await
}

/// One attempt of [`edit_offer`], in its own transaction.
async fn edit_offer_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    sku: &str,
    edit: OfferEdit,
) -> Result<Result<Edited, EditRefusal>, AppError> {
    let mut tx: Tx = db.pool.begin().await?;
    // A write first: SQLite takes its write lock now (not on a later upgrade, which a
    // concurrent commit would refuse), PostgreSQL locks the row, so what is read next is
    // what the edit is measured against.
    let locked = sqlx::query(
        "UPDATE offers SET stock = stock \
         WHERE store_id = $1 AND product_id = (SELECT id FROM products WHERE sku = $2)",
    )
    .bind(store_id)
    .bind(sku)
    .execute(&mut *tx)
    .await?;
    if locked.rows_affected() != 1 {
        return Ok(Err(EditRefusal::UnknownSku));
    }
    let cur: Current = sqlx::query_as(
        "SELECT o.product_id, o.price_minor, o.list_price_minor, o.stock FROM offers o \
         JOIN products p ON p.id = o.product_id WHERE o.store_id = $1 AND p.sku = $2",
    )
    .bind(store_id)
    .bind(sku)
    .fetch_one(&mut *tx)
    .await?;
    let price = edit.price.unwrap_or(cur.price_minor);
    let list = edit.list_price.unwrap_or(cur.list_price_minor);
    if list < price {
        return Ok(Err(EditRefusal::ListBelowPrice {
            list_given: edit.list_price.is_some(),
        }));
    }
    let mut done = Edited::default();
    if let Some(stock) = edit.stock {
        if edit.was_stock != Some(cur.stock) {
            return Ok(Err(EditRefusal::StockMoved { now: cur.stock }));
        }
        if stock != cur.stock {
            let set = sqlx::query(
                "UPDATE offers SET stock = $1, version = version + 1 \
                 WHERE store_id = $2 AND product_id = $3 AND stock = $4",
            )
            .bind(stock)
            .bind(store_id)
            .bind(cur.product_id)
            .bind(cur.stock)
            .execute(&mut *tx)
            .await?;
            if set.rows_affected() != 1 {
                return Ok(Err(EditRefusal::StockMoved { now: cur.stock }));
            }
            audit::record(
                &mut *tx,
                &Change {
                    store_id: Some(store_id),
                    staff_id,
                    action: "stock",
                    subject: sku,
                    before: &format!("stock {}", cur.stock),
                    after: &format!("stock {stock}"),
                },
            )
            .await?;
            done.changed = true;
        }
    }
    if price != cur.price_minor || list != cur.list_price_minor {
        sqlx::query(
            "UPDATE offers SET price_minor = $1, list_price_minor = $2 WHERE store_id = $3 AND product_id = $4",
        )
        .bind(price)
        .bind(list)
        .bind(store_id)
        .bind(cur.product_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO price_history (store_id, product_id, price_minor, list_price_minor, staff_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(store_id)
        .bind(cur.product_id)
        .bind(price)
        .bind(list)
        .bind(staff_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        for (action, before, after) in [
            ("price", cur.price_minor, price),
            ("list_price", cur.list_price_minor, list),
        ] {
            if before != after {
                audit::record(
                    &mut *tx,
                    &Change {
                        store_id: Some(store_id),
                        staff_id,
                        action,
                        subject: sku,
                        before: &yuan(before),
                        after: &yuan(after),
                    },
                )
                .await?;
            }
        }
        done.changed = true;
        done.price_changed = true;
    }
    tx.commit().await?;
    Ok(Ok(done))
}

// ---------------------------------------------------------------------------------------
// Imports

/// What `stock_imports.body` holds: the CSV as sent, and the stock the preview saw of
/// each of its SKUs (what the apply measures its differences from).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct ImportBody {
    csv: String,
    seen: HashMap<String, i64>,
}

/// An offer as an import reads it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OfferNow {
    pub product_id: i64,
    pub sku: String,
    pub name_zh: String,
    pub name_en: String,
    pub stock: i64,
    pub price_minor: i64,
    pub list_price_minor: i64,
}

/// One good row of an import, against the offer it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRow {
    pub line: usize,
    pub offer: OfferNow,
    /// The stock the preview saw.
    pub seen: i64,
    pub stock_to: i64,
    /// `None`: the price stays.
    pub price_to: Option<i64>,
}

/// What an import row comes to: the offer's stock, price and list price after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stock: i64,
    pub price: i64,
    pub list_price: i64,
}

impl PlannedRow {
    /// The stock by difference (`now + (to - seen)`), the new price, and the list price
    /// raised to a new price above it; `Err(change)` when the stock would go below zero.
    pub fn outcome(&self) -> Result<Outcome, i64> {
        let change = self.stock_to - self.seen;
        let stock = self.offer.stock + change;
        if stock < 0 {
            return Err(change);
        }
        let price = self.price_to.unwrap_or(self.offer.price_minor);
        Ok(Outcome {
            stock,
            price,
            list_price: self.offer.list_price_minor.max(price),
        })
    }

    /// Whether applying it changes anything.
    pub fn changes(&self) -> bool {
        self.stock_to != self.seen || self.price_to.is_some_and(|p| p != self.offer.price_minor)
    }
}

/// A CSV read against the store's offers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// In the file's order.
    pub rows: Vec<PlannedRow>,
    /// Lines refused, by line: the CSV's own problems and SKUs the store does not offer.
    pub problems: Vec<CsvProblem>,
}

/// Matches parsed rows with the offers they name; an unknown SKU — or, at apply, one the
/// preview did not see — is a problem of its line.
fn plan(
    csv: &str,
    rows: Vec<CsvRow>,
    mut problems: Vec<CsvProblem>,
    offers: &HashMap<String, OfferNow>,
    seen: Option<&HashMap<String, i64>>,
) -> Plan {
    let lines: Vec<&str> = csv
        .strip_prefix('\u{feff}')
        .unwrap_or(csv)
        .lines()
        .collect();
    let mut planned = Vec::with_capacity(rows.len());
    for row in rows {
        let offer = offers.get(&row.sku);
        let was = match seen {
            Some(seen) => seen.get(&row.sku).copied(),
            None => offer.map(|o| o.stock),
        };
        match (offer, was) {
            (Some(offer), Some(seen)) => planned.push(PlannedRow {
                line: row.line,
                offer: offer.clone(),
                seen,
                stock_to: row.stock,
                price_to: row.price_fen,
            }),
            _ => problems.push(CsvProblem {
                line: row.line,
                problem: InputProblem::UnknownSku,
                text: lines
                    .get(row.line - 1)
                    .map(|l| l.trim().chars().take(80).collect())
                    .unwrap_or_default(),
            }),
        }
    }
    problems.sort_by_key(|p| p.line);
    Plan {
        rows: planned,
        problems,
    }
}

/// `($f, $f+1, …), (…)`: `rows` tuples of `cols` placeholders numbered from `first`.
pub(crate) fn tuples(rows: usize, cols: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (0..cols)
                .map(|c| format!("${}", first + r * cols + c))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($f, $f+1, …)`: an `IN` list of `n` placeholders numbered from `first`.
fn placeholders(n: usize, first: usize) -> String {
    let cells: Vec<String> = (0..n).map(|i| format!("${}", first + i)).collect();
    format!("({})", cells.join(", "))
}

/// The store's offers among `skus`, by SKU, a batch per statement.
async fn offers_by_sku(
    conn: &mut AnyConnection,
    store_id: i64,
    skus: &[&str],
) -> Result<HashMap<String, OfferNow>, AppError> {
    let mut found = HashMap::with_capacity(skus.len());
    for batch in skus.chunks(BATCH) {
        let sql = format!(
            "SELECT o.product_id, p.sku, p.name_zh, p.name_en, o.stock, o.price_minor, o.list_price_minor \
             FROM offers o JOIN products p ON p.id = o.product_id \
             WHERE o.store_id = $1 AND p.sku IN {}",
            placeholders(batch.len(), 2)
        );
        let mut query = sqlx::query_as::<_, OfferNow>(&sql).bind(store_id);
        for sku in batch {
            query = query.bind(*sku);
        }
        for offer in query.fetch_all(&mut *conn).await? {
            found.insert(offer.sku.clone(), offer);
        }
    }
    Ok(found)
}

/// A new import's id: 128 random bits in hex.
fn new_import_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Whether `s` could be an import's id (anything else is not looked up).
pub fn is_import_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Keeps a CSV for its preview, with the stock it sees now of each of its SKUs. Returns
/// the import's id.
pub async fn save_import(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    csv: &str,
) -> Result<String, AppError> {
    retrying(db, || save_import_once(db, store_id, staff_id, csv)).await
}

/// One attempt of [`save_import`].
async fn save_import_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    csv: &str,
) -> Result<String, AppError> {
    let (rows, _) = parse_stock_csv(csv);
    let skus: Vec<&str> = rows.iter().map(|r| r.sku.as_str()).collect();
    let mut conn = db.pool.acquire().await?;
    let offers = offers_by_sku(&mut conn, store_id, &skus).await?;
    let body = ImportBody {
        csv: csv.to_owned(),
        seen: offers.values().map(|o| (o.sku.clone(), o.stock)).collect(),
    };
    let body = serde_json::to_string(&body).map_err(|e| {
        tracing::error!(error = %e, "an import's body");
        AppError::Internal
    })?;
    let id = new_import_id();
    sqlx::query(
        "INSERT INTO stock_imports (id, store_id, staff_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(store_id)
    .bind(staff_id)
    .bind(&body)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A kept import: its body and when it was applied.
async fn load_import(
    db: &Db,
    store_id: i64,
    id: &str,
) -> Result<Option<(ImportBody, Option<i64>)>, AppError> {
    if !is_import_id(id) {
        return Ok(None);
    }
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT body, applied_at FROM stock_imports WHERE id = $1 AND store_id = $2",
    )
    .bind(id)
    .bind(store_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((body, applied_at)) = row else {
        return Ok(None);
    };
    let body: ImportBody = serde_json::from_str(&body).map_err(|e| {
        tracing::error!(error = %e, id, "a damaged import body");
        AppError::Internal
    })?;
    Ok(Some((body, applied_at)))
}

/// An import as its preview shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub plan: Plan,
    pub applied_at: Option<i64>,
}

/// The store's import `id` read against the offers as they are now (`None`: no such
/// import in this store).
pub async fn preview(db: &Db, store_id: i64, id: &str) -> Result<Option<Preview>, AppError> {
    let Some((body, applied_at)) = load_import(db, store_id, id).await? else {
        return Ok(None);
    };
    let (rows, problems) = parse_stock_csv(&body.csv);
    let skus: Vec<&str> = rows.iter().map(|r| r.sku.as_str()).collect();
    let mut conn = db.pool.acquire().await?;
    let offers = offers_by_sku(&mut conn, store_id, &skus).await?;
    drop(conn);
    Ok(Some(Preview {
        plan: plan(&body.csv, rows, problems, &offers, Some(&body.seen)),
        applied_at,
    }))
}

/// Why an import was not applied (nothing of it was).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyRefusal {
    NotFound,
    AlreadyApplied,
    /// Some line is refused: correct the file and preview again.
    Problems,
    /// This row, by difference from what the preview saw, would leave less than nothing.
    WouldGoNegative {
        sku: String,
        now: i64,
        change: i64,
    },
}

/// Applies the store's import `id`, all of it in one transaction or none of it: refused
/// when any line is refused, when it was applied before (claimed by a conditional update,
/// so a double submit applies once), or when a row would go below zero. Returns how many
/// offers changed. Statements go in batches: a 5,000-row file is a few dozen round trips.
pub async fn apply_import(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    id: &str,
) -> Result<Result<usize, ApplyRefusal>, AppError> {
    retrying(db, || apply_import_once(db, store_id, staff_id, id)).await
}

/// One attempt of [`apply_import`], in its own transaction.
async fn apply_import_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    id: &str,
) -> Result<Result<usize, ApplyRefusal>, AppError> {
    let Some((body, applied_at)) = load_import(db, store_id, id).await? else {
        return Ok(Err(ApplyRefusal::NotFound));
    };
    if applied_at.is_some() {
        return Ok(Err(ApplyRefusal::AlreadyApplied));
    }
    let (rows, problems) = parse_stock_csv(&body.csv);
    if !problems.is_empty() {
        return Ok(Err(ApplyRefusal::Problems));
    }
    let at = now();
    let mut tx: Tx = db.pool.begin().await?;
    // The claim is the first statement: SQLite's write lock, and PostgreSQL's lock on the
    // import's row — a second apply waits here, then finds it applied.
    let claimed = sqlx::query(
        "UPDATE stock_imports SET applied_at = $1 WHERE id = $2 AND store_id = $3 AND applied_at IS NULL",
    )
    .bind(at)
    .bind(id)
    .bind(store_id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(Err(ApplyRefusal::AlreadyApplied));
    }
    let skus: Vec<&str> = rows.iter().map(|r| r.sku.as_str()).collect();
    let offers = offers_by_sku(&mut tx, store_id, &skus).await?;
    let mut ids: Vec<i64> = offers.values().map(|o| o.product_id).collect();
    ids.sort_unstable();
    let locked = lock_offers(&mut tx, db.kind, store_id, &ids).await?;
    // Measured against the locked rows, not the first read.
    let offers: HashMap<String, OfferNow> = offers
        .into_iter()
        .filter_map(|(sku, o)| {
            let (stock, price_minor, list_price_minor) = *locked.get(&o.product_id)?;
            Some((
                sku,
                OfferNow {
                    stock,
                    price_minor,
                    list_price_minor,
                    ..o
                },
            ))
        })
        .collect();
    let plan = plan(&body.csv, rows, Vec::new(), &offers, Some(&body.seen));
    if !plan.problems.is_empty() {
        return Ok(Err(ApplyRefusal::Problems));
    }
    let mut changed: Vec<(&PlannedRow, Outcome)> = Vec::new();
    for row in plan.rows.iter().filter(|r| r.changes()) {
        match row.outcome() {
            Ok(outcome) => changed.push((row, outcome)),
            Err(change) => {
                return Ok(Err(ApplyRefusal::WouldGoNegative {
                    sku: row.offer.sku.clone(),
                    now: row.offer.stock,
                    change,
                }));
            }
        }
    }
    write_offers(&mut tx, store_id, &changed).await?;
    write_price_history(&mut tx, store_id, staff_id, at, &changed).await?;
    let mut texts: Vec<(&'static str, &str, String, String)> = Vec::new();
    for (row, out) in &changed {
        let o = &row.offer;
        if out.stock != o.stock {
            texts.push((
                "stock",
                &o.sku,
                format!("stock {}", o.stock),
                format!("stock {}", out.stock),
            ));
        }
        if out.price != o.price_minor {
            texts.push(("price", &o.sku, yuan(o.price_minor), yuan(out.price)));
        }
        if out.list_price != o.list_price_minor {
            texts.push((
                "list_price",
                &o.sku,
                yuan(o.list_price_minor),
                yuan(out.list_price),
            ));
        }
    }
    let summary = format!("{} rows, {} offers changed", plan.rows.len(), changed.len());
    texts.push(("stock.import", id, String::new(), summary));
    let entries: Vec<Change<'_>> = texts
        .iter()
        .map(|(action, subject, before, after)| Change {
            store_id: Some(store_id),
            staff_id,
            action,
            subject,
            before,
            after,
        })
        .collect();
    record_all(&mut tx, at, &entries).await?;
    tx.commit().await?;
    Ok(Ok(changed.len()))
}

/// Locks the store's offers `ids` (sorted, so two writers never wait on each other in a
/// circle) and reads their (stock, price, list price). SQLite's one writer lock is held
/// already, so there it is only the read.
async fn lock_offers(
    tx: &mut Tx,
    kind: DbKind,
    store_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, (i64, i64, i64)>, AppError> {
    let lock = match kind {
        DbKind::Postgres => " FOR UPDATE",
        DbKind::Sqlite => "",
    };
    let mut out = HashMap::with_capacity(ids.len());
    for batch in ids.chunks(BATCH) {
        let sql = format!(
            "SELECT product_id, stock, price_minor, list_price_minor FROM offers \
             WHERE store_id = $1 AND product_id IN {} ORDER BY product_id{lock}",
            placeholders(batch.len(), 2)
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql).bind(store_id);
        for id in batch {
            query = query.bind(*id);
        }
        for (id, stock, price, list) in query.fetch_all(&mut **tx).await? {
            out.insert(id, (stock, price, list));
        }
    }
    Ok(out)
}

/// The offers' new stock (by difference, still guarded against going below zero),
/// price and list price, a batch per statement.
async fn write_offers(
    tx: &mut Tx,
    store_id: i64,
    changed: &[(&PlannedRow, Outcome)],
) -> Result<(), AppError> {
    for batch in changed.chunks(BATCH) {
        let sql = format!(
            "WITH v (pid, d, p, l) AS (VALUES {}) \
             UPDATE offers SET stock = offers.stock + v.d, price_minor = v.p, list_price_minor = v.l, \
                 version = offers.version + CASE WHEN v.d <> 0 THEN 1 ELSE 0 END \
             FROM v WHERE offers.store_id = $1 AND offers.product_id = v.pid AND offers.stock + v.d >= 0",
            tuples(batch.len(), 4, 2)
        );
        let mut query = sqlx::query(&sql).bind(store_id);
        for (row, out) in batch {
            query = query
                .bind(row.offer.product_id)
                .bind(out.stock - row.offer.stock)
                .bind(out.price)
                .bind(out.list_price);
        }
        let done = query.execute(&mut **tx).await?;
        if done.rows_affected() != batch.len() as u64 {
            // The rows are locked, so this is not a race: something is wrong. Roll back.
            tracing::error!(
                expected = batch.len(),
                got = done.rows_affected(),
                "an import's batch update"
            );
            return Err(AppError::Internal);
        }
    }
    Ok(())
}

async fn write_price_history(
    tx: &mut Tx,
    store_id: i64,
    staff_id: i64,
    at: i64,
    changed: &[(&PlannedRow, Outcome)],
) -> Result<(), AppError> {
    let priced: Vec<_> = changed
        .iter()
        .filter(|(row, out)| {
            out.price != row.offer.price_minor || out.list_price != row.offer.list_price_minor
        })
        .collect();
    for batch in priced.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO price_history (store_id, product_id, price_minor, list_price_minor, staff_id, at) VALUES {}",
            tuples(batch.len(), 6, 1)
        );
        let mut query = sqlx::query(&sql);
        for (row, out) in batch {
            query = query
                .bind(store_id)
                .bind(row.offer.product_id)
                .bind(out.price)
                .bind(out.list_price)
                .bind(staff_id)
                .bind(at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// [`audit::record`] for many changes at once, a batch per statement, in the import's
/// transaction: the same rows, without a round trip each.
async fn record_all(tx: &mut Tx, at: i64, changes: &[Change<'_>]) -> Result<(), AppError> {
    for batch in changes.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO audit_log (store_id, staff_id, action, subject, before, after, at) VALUES {}",
            tuples(batch.len(), 7, 1)
        );
        let mut query = sqlx::query(&sql);
        for c in batch {
            query = query
                .bind(c.store_id)
                .bind(c.staff_id)
                .bind(c.action)
                .bind(c.subject)
                .bind(c.before)
                .bind(c.after)
                .bind(at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(sku: &str, stock: i64, price: i64, list: i64) -> OfferNow {
        OfferNow {
            product_id: 1,
            sku: sku.into(),
            name_zh: "苹果".into(),
            name_en: "Apples".into(),
            stock,
            price_minor: price,
            list_price_minor: list,
        }
    }

    fn row(stock_now: i64, seen: i64, to: i64, price_to: Option<i64>) -> PlannedRow {
        PlannedRow {
            line: 2,
            offer: offer("A1", stock_now, 1000, 1200),
            seen,
            stock_to: to,
            price_to,
        }
    }

    #[test]
    fn stock_is_applied_by_difference_from_what_the_preview_saw() {
        // Seen 10, set to 25, 3 sold since: 22, and the 3 sales are not lost.
        assert_eq!(row(7, 10, 25, None).outcome().map(|o| o.stock), Ok(22));
        // Seen 10, set to 4, 8 sold since: it would be -2, so it is refused.
        assert_eq!(row(2, 10, 4, None).outcome(), Err(-6));
        assert!(
            !row(7, 10, 10, None).changes(),
            "the same as seen: nothing to do"
        );
        assert!(row(7, 10, 10, Some(900)).changes());
        assert!(!row(7, 10, 10, Some(1000)).changes());
    }

    #[test]
    fn a_new_price_above_the_list_price_raises_it() {
        let o = row(5, 5, 5, Some(1500)).outcome().unwrap();
        assert_eq!((o.price, o.list_price), (1500, 1500));
        let o = row(5, 5, 5, Some(800)).outcome().unwrap();
        assert_eq!(
            (o.price, o.list_price),
            (800, 1200),
            "a lower price keeps the list price"
        );
    }

    #[test]
    fn unknown_skus_are_problems_of_their_lines() {
        let csv = "\u{feff}sku,stock\nA1,5\nZZ9, 3 \n";
        let (rows, problems) = parse_stock_csv(csv);
        let offers = HashMap::from([("A1".to_owned(), offer("A1", 4, 1000, 1200))]);
        let p = plan(csv, rows.clone(), problems.clone(), &offers, None);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].seen, 4, "a preview sees the stock now");
        assert_eq!(
            p.problems,
            vec![CsvProblem {
                line: 3,
                problem: InputProblem::UnknownSku,
                text: "ZZ9, 3".into()
            }]
        );
        // At apply, a SKU the preview did not see is refused too.
        let p = plan(csv, rows, problems, &offers, Some(&HashMap::new()));
        assert!(p.rows.is_empty());
        assert_eq!(p.problems.len(), 2);
    }

    #[test]
    fn placeholders_number_every_value() {
        assert_eq!(tuples(2, 3, 2), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(placeholders(3, 2), "($2, $3, $4)");
        assert!(is_import_id(&new_import_id()));
        assert!(!is_import_id("../etc"));
        assert!(!is_import_id(&"A".repeat(32)));
    }
}
