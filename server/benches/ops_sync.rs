//! Benchmark (not a test): a bulk stock sync through the integration API's write path
//! (rows checked as the API checks them, then `PUT /ops/v1/stock`'s transaction: offers
//! resolved, written in order, versions bumped, each offer's stock and version read back)
//! against a raw `INSERT … ON CONFLICT DO UPDATE` of the same rows, in the same run, on
//! SQLite and (when reachable) PostgreSQL: the demo set (every demo offer) and 100,000
//! offers, 10,000 rows a request. Prints rows per second and the ratio API / raw.
//!
//! `cargo bench -p server --bench ops_sync` (or `make bench`). BENCH_OFFERS (default
//! 100000) sizes the large set; BENCH_ROUNDS (default 3) syncs each set that many times
//! (each round changes every stock) and keeps the best.

use app::domain::ops::{MAX_ROWS, check_stock_sets, split_rows};
use app::ssr::db::{Db, DbKind};
use app::ssr::ops::catalog::{self, Write};
use app::ssr::ops::keys;
use sqlx::Executor;
use std::time::Instant;

const KEY: &str = "bench-bootstrap-key-0123456789abcdef";

struct Offer {
    store_id: i64,
    product_id: i64,
    store: String,
    sku: String,
}

async fn offers(db: &Db) -> Vec<Offer> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT o.store_id, o.product_id, s.slug, p.sku FROM offers o \
         JOIN stores s ON s.id = o.store_id JOIN products p ON p.id = o.product_id \
         ORDER BY o.store_id, o.product_id",
    )
    .fetch_all(&db.pool)
    .await
    .expect("offers");
    rows.into_iter()
        .map(|(store_id, product_id, store, sku)| Offer {
            store_id,
            product_id,
            store,
            sku,
        })
        .collect()
}

/// Adds products and offers (through the API's own writes) until there are `n` offers.
async fn grow(db: &Db, key: &keys::ApiKey, n: usize) {
    let have = offers(db).await.len();
    if have >= n {
        return;
    }
    let stores: Vec<(String,)> = sqlx::query_as("SELECT slug FROM stores ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .expect("stores");
    let per_store = (n - have).div_ceil(stores.len());
    let products: Vec<serde_json::Value> = (0..per_store)
        .map(|i| {
            serde_json::json!({"sku": format!("BENCH-{i:05}"), "category": "snacks", "name_zh": format!("测试{i}"),
                "name_en": format!("Bench {i}"), "unit_zh": "件", "unit_en": "each"})
        })
        .collect();
    for chunk in products.chunks(MAX_ROWS) {
        let rows = app::domain::ops::check_products(chunk.to_vec()).expect("products");
        let r = catalog::write(db, key, None, &Write::Products(rows))
            .await
            .expect("write products");
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    let mut new_offers = Vec::new();
    for (store,) in &stores {
        for i in 0..per_store {
            new_offers.push(serde_json::json!({"store": store, "sku": format!("BENCH-{i:05}"), "price_minor": 990, "stock": 10}));
        }
    }
    for chunk in new_offers.chunks(MAX_ROWS) {
        let rows = app::domain::ops::check_offers(chunk.to_vec()).expect("offers");
        let r = catalog::write(db, key, None, &Write::Offers(rows))
            .await
            .expect("write offers");
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
}

/// The sync as a client sends it: JSON text of `{store, sku, stock}` rows, 10,000 a request.
fn bodies(offers: &[&Offer], round: i64) -> Vec<String> {
    offers
        .chunks(MAX_ROWS)
        .map(|chunk| {
            let rows: Vec<serde_json::Value> = chunk
                .iter()
                .enumerate()
                .map(|(i, o)| serde_json::json!({"store": o.store, "sku": o.sku, "stock": 5 + (i as i64 + round) % 50}))
                .collect();
            serde_json::to_string(&rows).expect("json")
        })
        .collect()
}

async fn api_sync(db: &Db, key: &keys::ApiKey, offers: &[&Offer], round: i64) -> f64 {
    let bodies = bodies(offers, round);
    let started = Instant::now();
    for body in &bodies {
        let rows = split_rows(body, false).expect("rows");
        let rows = check_stock_sets(rows).expect("checked");
        let r = catalog::write(db, key, None, &Write::StockSets(rows))
            .await
            .expect("write");
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    started.elapsed().as_secs_f64()
}

async fn raw_sync(db: &Db, offers: &[&Offer], round: i64) -> f64 {
    let started = Instant::now();
    for chunk in offers.chunks(MAX_ROWS) {
        let mut tx = db.pool.begin().await.expect("tx");
        for (b, batch) in chunk.chunks(500).enumerate() {
            let values: Vec<String> = (0..batch.len())
                .map(|r| format!("(${}, ${}, 100, 100, ${})", r * 3 + 1, r * 3 + 2, r * 3 + 3))
                .collect();
            let sql = format!(
                "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) VALUES {} \
                 ON CONFLICT (store_id, product_id) DO UPDATE SET stock = excluded.stock",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (i, o) in batch.iter().enumerate() {
                q = q
                    .bind(o.store_id)
                    .bind(o.product_id)
                    .bind(5 + ((b * 500 + i) as i64 + round + 7) % 50);
            }
            q.execute(&mut *tx).await.expect("raw upsert");
        }
        tx.commit().await.expect("commit");
    }
    started.elapsed().as_secs_f64()
}

async fn bench(label: &str, db: &Db, large: usize, rounds: i64) {
    keys::ensure_bootstrap(db, KEY)
        .await
        .expect("bootstrap key");
    let key = keys::authenticate(db, KEY)
        .await
        .expect("auth")
        .expect("the key");
    let demo = offers(db).await;
    let demo_n = demo.len();
    grow(db, &key, large).await;
    let all = offers(db).await;
    for (set, rows) in [
        ("demo", all.iter().take(demo_n).collect::<Vec<_>>()),
        ("large", all.iter().take(large).collect::<Vec<_>>()),
    ] {
        let (mut best_api, mut best_raw) = (f64::MAX, f64::MAX);
        for round in 0..rounds {
            best_raw = best_raw.min(raw_sync(db, &rows, round).await);
            best_api = best_api.min(api_sync(db, &key, &rows, round).await);
        }
        let n = rows.len() as f64;
        println!(
            "{label:<10} {set:<6} {:>7} offers   API {:>9.0} rows/s   raw INSERT … ON CONFLICT {:>9.0} rows/s   ratio API/raw {:.2}",
            rows.len(),
            n / best_api,
            n / best_raw,
            best_raw / best_api
        );
    }
}

#[tokio::main]
async fn main() {
    let large: usize = std::env::var("BENCH_OFFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rounds: i64 = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, 0).await.expect("sqlite");
    app::ssr::seed::seed_if_empty(&db).await.expect("seed");
    bench("sqlite", &db, large, rounds).await;

    let admin = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await else {
        println!("postgresql unreachable at {admin}: skipped");
        return;
    };
    let name = "cloud_store_bench_ops";
    conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
        .expect("drop");
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let db = Db::connect(&format!("{base}/{name}"), 0)
        .await
        .expect("postgres");
    assert_eq!(db.kind, DbKind::Postgres);
    app::ssr::seed::seed_if_empty(&db).await.expect("seed");
    bench("postgresql", &db, large, rounds).await;
    db.pool.close().await;
    let _ = conn
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await;
}
