//! Nearest stores (server): `stores_near` ranks by exact haversine distance, identical to
//! a brute-force scan, and never scans every store.
//!
//! Without a stock filter it asks the in-memory R*-tree of every store's location
//! ([`store_index`](crate::ssr::store_index)) and reads only the winners' rows, in one
//! query that also proves the copy current. With one (only stores that have a product in
//! stock), the same copy names the nearest few times `limit` stores and one query reads
//! which of them have it, with the counter: when enough do, the nearest of those are the
//! answer (every store not named is farther than every one named). When too few do, the
//! database's spatial index answers (SQLite's R*Tree, PostgreSQL's GiST over
//! `point(lon, lat)`): the search widens a box around the point until the box's inscribed
//! circle holds `limit` matching stores, so every store nearer than the k-th is inside.

use crate::domain::geo::{BoundingBox, LatLon, MAX_DISTANCE_M};
use crate::domain::product::Offer;
use crate::error::AppError;
use crate::ssr::db::{Db, DbKind};
use crate::ssr::micro_cache::MicroCache;
use crate::ssr::state::{Caches, STORE_PAGE_TTL};
use crate::ssr::stores::{STORE_COLUMNS, StoreRow};
use std::collections::HashMap;
use std::sync::Arc;

/// Most stores one request may ask for.
pub const MAX_LIMIT: u32 = 50;
/// First search radius; dense city centres answer from here.
const FIRST_RADIUS_M: f64 = 2_000.0;

/// Optional conditions on the stores returned.
#[derive(Clone, Copy, Debug, Default)]
pub struct NearFilter {
    /// Only stores with this product in stock.
    pub in_stock: Option<i64>,
    /// Leave this store out ("other stores near this one").
    pub except: Option<i64>,
}

/// A store and its distance in metres from the query point.
#[derive(Clone, Debug)]
pub struct Near {
    pub store: StoreRow,
    pub distance_m: f64,
}

/// The `limit` stores nearest to `point` that pass `filter`, nearest first (ties by id).
pub async fn stores_near(
    db: &Db,
    point: LatLon,
    limit: u32,
    filter: NearFilter,
) -> Result<Vec<Near>, AppError> {
    let limit = limit.clamp(1, MAX_LIMIT);
    match filter.in_stock {
        None => {
            if let Some(near) = from_memory(db, point, limit as usize, filter.except).await? {
                return Ok(near);
            }
        }
        Some(product) => {
            if let Some(near) =
                in_stock_from_memory(db, point, limit as usize, product, filter.except).await?
            {
                return Ok(near);
            }
        }
    }
    stores_near_by_database_index(db, point, limit, filter).await
}

/// The same answer from the database's spatial index alone (what answers when a product
/// must be in stock; the benchmark's baseline for the in-memory copy).
pub async fn stores_near_by_database_index(
    db: &Db,
    point: LatLon,
    limit: u32,
    filter: NearFilter,
) -> Result<Vec<Near>, AppError> {
    let limit = limit.clamp(1, MAX_LIMIT) as usize;
    let mut radius = FIRST_RADIUS_M;
    // Each round is one query that reads the stores in the box whole: no second trip
    // for the winners' rows.
    let mut ranked: Vec<Near> = loop {
        let bbox = point.bounding_box(radius);
        let mut found: Vec<Near> = candidates(db, &bbox, filter)
            .await?
            .into_iter()
            .map(|store| Near {
                distance_m: point.distance_m(store.location()),
                store,
            })
            .collect();
        let everything = radius >= MAX_DISTANCE_M;
        let in_box = found.len();
        if !everything {
            found.retain(|n| n.distance_m <= radius);
        }
        if found.len() >= limit || everything {
            break found;
        }
        radius = next_radius(radius, found.len(), in_box, limit);
    };
    ranked.sort_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.store.id.cmp(&b.store.id))
    });
    ranked.truncate(limit);
    Ok(ranked)
}

/// A copy's winners are believed only if the store counter read with their rows is the
/// copy's; after this many newer copies (stores changing all the while) the database's
/// index answers instead.
const MEMORY_ATTEMPTS: usize = 3;

/// A winner's row and the store counter, read in one statement (one snapshot).
#[derive(sqlx::FromRow)]
struct RowAtEpoch {
    #[sqlx(flatten)]
    store: StoreRow,
    epoch: i64,
}

/// The in-memory copy of every store's location: the current one, or a new one read now.
async fn current_copy(db: &Db) -> Result<Arc<crate::ssr::store_index::StoreIndex>, AppError> {
    let cell = db.store_index();
    match cell.current() {
        Some(copy) => Ok(copy),
        None => cell.refresh(db, None).await,
    }
}

/// The nearest stores from the in-memory copy, proved current by the counter read with
/// the winners' rows; `None` if no copy stayed current long enough to answer.
async fn from_memory(
    db: &Db,
    point: LatLon,
    limit: usize,
    except: Option<i64>,
) -> Result<Option<Vec<Near>>, AppError> {
    let cell = db.store_index();
    let mut copy = current_copy(db).await?;
    for _ in 0..MEMORY_ATTEMPTS {
        let ranked = copy.nearest(point, limit, |id| Some(id) != except);
        let (epoch, mut rows) = rows_at_epoch(db, &ranked).await?;
        if epoch == copy.epoch && rows.len() == ranked.len() {
            return Ok(Some(
                ranked
                    .into_iter()
                    .filter_map(|(distance_m, id)| {
                        let at = rows.iter().position(|r| r.id == id)?;
                        Some(Near {
                            store: rows.swap_remove(at),
                            distance_m,
                        })
                    })
                    .collect(),
            ));
        }
        copy = cell.refresh(db, Some(copy.epoch)).await?;
    }
    Ok(None)
}

/// How many of the nearest stores are asked about a product, per store wanted.
const IN_STOCK_CANDIDATES: usize = 4;

/// The nearest stores with `product` in stock, from the in-memory copy: the nearest
/// `limit × IN_STOCK_CANDIDATES` stores are read in one statement with whether each has it
/// and the store counter. `None` if fewer than `limit` of them have it (while there are
/// more stores), or no copy stayed current long enough to answer.
async fn in_stock_from_memory(
    db: &Db,
    point: LatLon,
    limit: usize,
    product: i64,
    except: Option<i64>,
) -> Result<Option<Vec<Near>>, AppError> {
    let cell = db.store_index();
    let mut copy = current_copy(db).await?;
    let asked = limit * IN_STOCK_CANDIDATES;
    for _ in 0..MEMORY_ATTEMPTS {
        let ranked = copy.nearest(point, asked, |id| Some(id) != except);
        let (epoch, mut rows) = rows_with_stock_at_epoch(db, &ranked, product).await?;
        if epoch == copy.epoch && rows.len() == ranked.len() {
            // Fewer named than asked for: every store there is was named.
            let all_seen = ranked.len() < asked;
            let near: Vec<Near> = ranked
                .into_iter()
                .filter_map(|(distance_m, id)| {
                    let at = rows.iter().position(|r| r.store.id == id)?;
                    let row = rows.swap_remove(at);
                    (row.in_stock != 0).then_some(Near {
                        store: row.store,
                        distance_m,
                    })
                })
                .take(limit)
                .collect();
            return Ok((near.len() == limit || all_seen).then_some(near));
        }
        copy = cell.refresh(db, Some(copy.epoch)).await?;
    }
    Ok(None)
}

#[derive(sqlx::FromRow)]
struct RowWithStock {
    #[sqlx(flatten)]
    store: StoreRow,
    in_stock: i64,
    epoch: i64,
}

/// The stores `ranked` names, whole, whether each has `product` in stock, and the store
/// counter, in one statement.
async fn rows_with_stock_at_epoch(
    db: &Db,
    ranked: &[(f64, i64)],
    product: i64,
) -> Result<(i64, Vec<RowWithStock>), AppError> {
    if ranked.is_empty() {
        return rows_at_epoch(db, ranked)
            .await
            .map(|(epoch, _)| (epoch, Vec::new()));
    }
    let list: Vec<String> = (2..ranked.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {STORE_COLUMNS}, (SELECT epoch FROM store_epoch WHERE id = 1) AS epoch,             CASE WHEN EXISTS (SELECT 1 FROM offers o WHERE o.store_id = s.id               AND o.product_id = $1 AND o.stock > 0) THEN 1 ELSE 0 END AS in_stock          FROM stores s WHERE s.id IN ({})",
        list.join(", ")
    );
    let mut query = sqlx::query_as::<_, RowWithStock>(&sql).bind(product);
    for (_, id) in ranked {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&db.pool).await?;
    let epoch = rows.first().map_or(-1, |r| r.epoch);
    Ok((epoch, rows))
}

/// The stores `ranked` names, whole, and the store counter as of the same statement.
async fn rows_at_epoch(db: &Db, ranked: &[(f64, i64)]) -> Result<(i64, Vec<StoreRow>), AppError> {
    if ranked.is_empty() {
        let (epoch,): (i64,) = sqlx::query_as("SELECT epoch FROM store_epoch WHERE id = 1")
            .fetch_one(&db.pool)
            .await?;
        return Ok((epoch, Vec::new()));
    }
    let list: Vec<String> = (1..=ranked.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {STORE_COLUMNS}, (SELECT epoch FROM store_epoch WHERE id = 1) AS epoch \
         FROM stores s WHERE s.id IN ({})",
        list.join(", ")
    );
    let mut query = sqlx::query_as::<_, RowAtEpoch>(&sql);
    for (_, id) in ranked {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&db.pool).await?;
    // No row (every winner deleted since the copy): the counter says so too, so any
    // value that cannot be a copy's epoch will do.
    let epoch = rows.first().map_or(-1, |r| r.epoch);
    Ok((epoch, rows.into_iter().map(|r| r.store).collect()))
}

/// Ranks `(distance, id)` pairs — nearest first, ties by id — keeps `limit`, and reads
/// only those stores in full.
async fn winners(
    db: &Db,
    mut ranked: Vec<(f64, i64)>,
    limit: usize,
) -> Result<Vec<Near>, AppError> {
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    ranked.truncate(limit);
    let ids: Vec<i64> = ranked.iter().map(|(_, id)| *id).collect();
    let mut rows = stores_by_ids(db, &ids).await?;
    Ok(ranked
        .into_iter()
        .filter_map(|(distance_m, id)| {
            let at = rows.iter().position(|r| r.id == id)?;
            Some(Near {
                store: rows.swap_remove(at),
                distance_m,
            })
        })
        .collect())
}

/// The `limit` stores nearest to `store` (itself excluded), remembered for
/// [`NEIGHBOURS_TTL`](crate::ssr::state::NEIGHBOURS_TTL). Only locations are cached;
/// open-now is worked out per request.
pub async fn stores_near_store(
    db: &Db,
    caches: &Caches,
    store: &StoreRow,
    limit: u32,
) -> Result<Vec<Near>, AppError> {
    let limit = limit as usize;
    if let Some(near) = caches
        .neighbours
        .get(&store.id)
        .filter(|n| n.len() >= limit)
    {
        return Ok(near[..limit].to_vec());
    }
    let near = stores_near(
        db,
        store.location(),
        limit as u32,
        NearFilter {
            in_stock: None,
            except: Some(store.id),
        },
    )
    .await?;
    caches.neighbours.put(store.id, near.clone());
    Ok(near)
}

/// How far to look next, from what the last circle held: stores per area are roughly
/// even over a few kilometres, so the count grows with the square of the radius. The
/// margin makes a third round rare; any radius is correct, only the round trips differ.
fn next_radius(radius: f64, in_circle: usize, in_box: usize, limit: usize) -> f64 {
    let grown = match (in_circle, in_box) {
        (0, 0) => radius * 8.0,
        (0, _) => radius * 2.0,
        (n, _) => radius * (limit as f64 / n as f64).sqrt() * 1.5,
    };
    grown.max(radius * 1.5).min(MAX_DISTANCE_M)
}

/// The stores inside `bbox` (and the filter), by the spatial index.
async fn candidates(
    db: &Db,
    bbox: &BoundingBox,
    filter: NearFilter,
) -> Result<Vec<StoreRow>, AppError> {
    let in_box = match db.kind {
        // Overlap, not containment: R*Tree rounds to f32 outwards.
        DbKind::Sqlite => {
            "s.id IN (SELECT id FROM stores_rtree WHERE max_lat >= $1 AND min_lat <= $2 \
             AND max_lon >= $3 AND min_lon <= $4)"
        }
        DbKind::Postgres => "point(s.lon, s.lat) <@ box(point($3, $1), point($4, $2))",
    };
    let sql = format!(
        "SELECT {STORE_COLUMNS} FROM stores s WHERE {in_box} \
         AND ($5 IS NULL OR s.id <> $5) \
         AND ($6 IS NULL OR EXISTS (SELECT 1 FROM offers o WHERE o.store_id = s.id AND o.product_id = $6 AND o.stock > 0))"
    );
    Ok(sqlx::query_as::<_, StoreRow>(&sql)
        .bind(bbox.min_lat)
        .bind(bbox.max_lat)
        .bind(bbox.min_lon)
        .bind(bbox.max_lon)
        .bind(filter.except)
        .bind(filter.in_stock)
        .fetch_all(&db.pool)
        .await?)
}

async fn stores_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<StoreRow>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {STORE_COLUMNS} FROM stores s WHERE s.id IN ({})",
        list.join(", ")
    );
    let mut query = sqlx::query_as::<_, StoreRow>(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// The same answer by reading every store: the reference for tests and benchmarks.
pub async fn stores_near_brute_force(
    db: &Db,
    point: LatLon,
    limit: u32,
    filter: NearFilter,
) -> Result<Vec<Near>, AppError> {
    let sql = "SELECT s.id, s.lat, s.lon FROM stores s WHERE ($1 IS NULL OR s.id <> $1) \
         AND ($2 IS NULL OR EXISTS (SELECT 1 FROM offers o WHERE o.store_id = s.id AND o.product_id = $2 AND o.stock > 0))";
    let all: Vec<(f64, i64)> = sqlx::query_as::<_, (i64, f64, f64)>(sql)
        .bind(filter.except)
        .bind(filter.in_stock)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(id, lat, lon)| (point.distance_m(LatLon { lat, lon }), id))
        .collect();
    winners(db, all, limit.clamp(1, MAX_LIMIT) as usize).await
}

/// A second's copies of what the near-them parts of shared pages read: every store's row
/// (with the store counter read with them), and per product the stores that have it in
/// stock with their offers. Under load that is one read a second instead of one or more
/// per page, and nothing shown is older than the shared page itself.
#[derive(Debug)]
pub struct NearCopies {
    stores: MicroCache<(), StoreRows>,
    stocked: MicroCache<i64, HashMap<i64, Offer>>,
    products: MicroCache<String, Option<i64>>,
}

impl Default for NearCopies {
    fn default() -> Self {
        NearCopies {
            stores: MicroCache::new(STORE_PAGE_TTL, 1),
            stocked: MicroCache::new(STORE_PAGE_TTL, 10_000),
            products: MicroCache::new(STORE_PAGE_TTL, 10_000),
        }
    }
}

/// Every store's row, by id and by slug, as of the store counter `epoch`.
#[derive(Debug)]
pub struct StoreRows {
    epoch: i64,
    by_id: HashMap<i64, StoreRow>,
    by_slug: HashMap<String, i64>,
}

impl StoreRows {
    pub fn by_slug(&self, slug: &str) -> Option<&StoreRow> {
        self.by_id.get(self.by_slug.get(slug)?)
    }
}

/// Every store's row (a second's copy).
pub async fn store_rows(db: &Db, caches: &Caches) -> Result<Arc<StoreRows>, AppError> {
    if let Some(rows) = caches.near.stores.get(&()) {
        return Ok(rows);
    }
    let sql = format!(
        "SELECT {STORE_COLUMNS}, (SELECT epoch FROM store_epoch WHERE id = 1) AS epoch FROM stores s"
    );
    let rows: Vec<RowAtEpoch> = sqlx::query_as(&sql).fetch_all(&db.pool).await?;
    let epoch = match rows.first() {
        Some(r) => r.epoch,
        None => rows_at_epoch(db, &[]).await?.0,
    };
    let mut by_id = HashMap::with_capacity(rows.len());
    let mut by_slug = HashMap::with_capacity(rows.len());
    for RowAtEpoch { store, .. } in rows {
        by_slug.insert(store.slug.clone(), store.id);
        by_id.insert(store.id, store);
    }
    Ok(caches.near.stores.put(
        (),
        StoreRows {
            epoch,
            by_id,
            by_slug,
        },
    ))
}

/// The product id of `sku` (a second's copy).
pub async fn product_id(db: &Db, caches: &Caches, sku: &str) -> Result<Option<i64>, AppError> {
    if let Some(id) = caches.near.products.get(sku) {
        return Ok(*id);
    }
    let id = crate::ssr::catalog::product_id(db, sku).await?;
    Ok(*caches.near.products.put(sku.to_owned(), id))
}

/// The stores with `product` in stock and their offers (a second's copy).
async fn stocked(
    db: &Db,
    caches: &Caches,
    product: i64,
) -> Result<Arc<HashMap<i64, Offer>>, AppError> {
    if let Some(stocked) = caches.near.stocked.get(&product) {
        return Ok(stocked);
    }
    let offers = crate::ssr::catalog::product_offers_in_stock(db, product).await?;
    Ok(caches
        .near
        .stocked
        .put(product, offers.into_iter().collect()))
}

/// [`stores_near`] from a second's copies — what the near-them parts of shared pages
/// show — with each store's offer when `filter` asks for a product in stock. The same
/// ranking over the same stores; when the copies disagree with the in-memory index on
/// which stores there are, [`stores_near`] answers from the database instead.
pub async fn stores_near_copied(
    db: &Db,
    caches: &Caches,
    point: LatLon,
    limit: u32,
    filter: NearFilter,
) -> Result<Vec<(Near, Option<Offer>)>, AppError> {
    let limit = limit.clamp(1, MAX_LIMIT);
    let rows = store_rows(db, caches).await?;
    let stocked = match filter.in_stock {
        Some(product) => Some(stocked(db, caches, product).await?),
        None => None,
    };
    let copy = current_copy(db).await?;
    if copy.epoch == rows.epoch {
        let ranked = copy.nearest(point, limit as usize, |id| {
            Some(id) != filter.except && stocked.as_ref().is_none_or(|s| s.contains_key(&id))
        });
        let near: Option<Vec<_>> = ranked
            .into_iter()
            .map(|(distance_m, id)| {
                let store = rows.by_id.get(&id)?.clone();
                let offer = stocked.as_ref().and_then(|s| s.get(&id).copied());
                Some((Near { store, distance_m }, offer))
            })
            .collect();
        if let Some(near) = near {
            return Ok(near);
        }
    }
    let near = stores_near(db, point, limit, filter).await?;
    let offers = match filter.in_stock {
        Some(product) => {
            let ids: Vec<i64> = near.iter().map(|n| n.store.id).collect();
            crate::ssr::catalog::product_offers_at(db, product, &ids).await?
        }
        None => Vec::new(),
    };
    Ok(near
        .into_iter()
        .map(|n| {
            let offer = offers
                .iter()
                .find(|(id, _)| *id == n.store.id)
                .map(|(_, o)| *o);
            (n, offer)
        })
        .collect())
}
