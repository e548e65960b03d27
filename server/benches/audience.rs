//! Benchmark (not a test): counting a store's audience at a real store's size — 100,000
//! members, a fifth of them with orders (and their lines), all with points, a tenth with
//! items in the bag — for each filter alone and all of them at once, p50 and p99 of the
//! count, on SQLite and (when reachable) PostgreSQL, printed with the ratio of the p99 to
//! the 100 ms the issue asks for (≤ 1 meets it).
//!
//! `cargo bench -p server --bench audience` (or `make bench`). BENCH_MEMBERS (default
//! 100000), BENCH_COUNTS (counts per filter, default 30).

use app::domain::audience::Audience;
use app::ssr::audience;
use app::ssr::db::{Db, DbKind};
use std::time::{Duration, Instant};

#[path = "../tests/integration/harness/rng.rs"]
mod rng;
use rng::Rng;

const DAY: i64 = 86_400;
/// What the issue allows a count.
const TARGET: Duration = Duration::from_millis(100);

/// Inserts `rows` rows of `columns` values each, 500 rows a statement.
async fn insert_many(db: &Db, table: &str, columns: &str, rows: Vec<Vec<i64>>, text_first: bool) {
    let width = rows.first().map_or(0, Vec::len);
    let mut tx = db.pool.begin().await.expect("tx");
    for chunk in rows.chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let places: Vec<String> = (0..width)
                    .map(|c| format!("${}", r * width + c + 1))
                    .collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for (c, v) in row.iter().enumerate() {
                q = if c == 0 && text_first {
                    q.bind(format!("m:{v}"))
                } else {
                    q.bind(*v)
                };
            }
        }
        q.execute(&mut *tx).await.expect("insert");
    }
    tx.commit().await.expect("commit");
}

/// The store's 100,000 members and what they did.
async fn load(db: &Db, store: i64, n: i64, rng: &mut Rng) -> (String, i64) {
    let now = app::ssr::session::now();
    let (guide,): (String,) =
        sqlx::query_as("SELECT code FROM guides WHERE store_id = $1 ORDER BY code LIMIT 1")
            .bind(store)
            .fetch_one(&db.pool)
            .await
            .expect("a guide");
    let (product, category): (i64, i64) = sqlx::query_as(
        "SELECT p.id, p.category_id FROM products p JOIN offers o ON o.product_id = p.id \
         WHERE o.store_id = $1 ORDER BY p.id LIMIT 1",
    )
    .bind(store)
    .fetch_one(&db.pool)
    .await
    .expect("a product");
    let (first,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) + 1 FROM members")
            .fetch_one(&db.pool)
            .await
            .expect("ids");
    // Members: phone, joined.
    let mut tx = db.pool.begin().await.expect("tx");
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| format!("(${}, ${}, ${})", r * 3 + 1, r * 3 + 2, r * 3 + 3))
            .collect();
        let sql = format!(
            "INSERT INTO members (id, phone, joined_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for i in chunk {
            q = q
                .bind(first + i)
                .bind(format!("17{:09}", i))
                .bind(now - 400 * DAY);
        }
        q.execute(&mut *tx).await.expect("members");
    }
    tx.commit().await.expect("commit");
    // Store members: a third brought by the guide; last orders and visits spread over a year.
    let mut tx = db.pool.begin().await.expect("tx");
    for chunk in (0..n).collect::<Vec<_>>().chunks(400) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let b = r * 5;
                format!(
                    "($1, ${}, ${}, ${}, ${}, ${})",
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO store_members (store_id, member_id, guide_code, since, last_order_at, last_visit_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(store);
        for i in chunk {
            let order = (i % 5 == 0).then(|| now - (rng.unit() * 365.0) as i64 * DAY);
            let visit = (i % 3 == 0).then(|| now - (rng.unit() * 365.0) as i64 * DAY);
            q = q
                .bind(first + i)
                .bind((i % 3 == 1).then(|| guide.clone()))
                .bind(now - 400 * DAY)
                .bind(order)
                .bind(visit);
        }
        q.execute(&mut *tx).await.expect("store members");
    }
    tx.commit().await.expect("commit");
    // Orders (a fifth of the members), each with one line.
    let mut tx = db.pool.begin().await.expect("tx");
    let ordering: Vec<i64> = (0..n).filter(|i| i % 5 == 0).collect();
    for chunk in ordering.chunks(300) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let b = r * 5;
                format!(
                    "(${}, ${}, $1, 'pickup', 'completed', ${}, 'x', 'x', ${}, 0, ${}, 'CNY', ${}, 'x', ${}, ${})",
                    b + 2, b + 3, b + 4, b + 5, b + 5, b + 2, b + 4, b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO orders (id, owner, store_id, mode, status, pickup_at, contact_name, phone, subtotal_minor, \
             delivery_fee_minor, total_minor, currency, idempotency_key, fingerprint, created_at, member_id) VALUES {}",
            values.join(", ")
        );
        // Six places a row, one of them (the order id) used twice: bind in that order.
        let mut q = sqlx::query(&sql).bind(store);
        for i in chunk {
            let at = now - (rng.unit() * 365.0) as i64 * DAY;
            q = q
                .bind(format!("BENCH{:09}", i))
                .bind(format!("m:{}", first + i))
                .bind(at)
                .bind(1_000 + (rng.unit() * 50_000.0) as i64)
                .bind(first + i);
        }
        q.execute(&mut *tx).await.expect("orders");
    }
    tx.commit().await.expect("commit");
    let lines: Vec<(String, i64)> = ordering
        .iter()
        .map(|i| (format!("BENCH{:09}", i), *i))
        .collect();
    let mut tx = db.pool.begin().await.expect("tx");
    for chunk in lines.chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| format!("(${}, $1, 1, 1000)", r + 2))
            .collect();
        let sql = format!(
            "INSERT INTO order_lines (order_id, product_id, quantity, price_minor) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(product);
        for (id, _) in chunk {
            q = q.bind(id.clone());
        }
        q.execute(&mut *tx).await.expect("lines");
    }
    tx.commit().await.expect("commit");
    let mut tx = db.pool.begin().await.expect("tx");
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| format!("(${}, ${}, 'bench', ${})", r * 3 + 1, r * 3 + 2, r * 3 + 3))
            .collect();
        let sql = format!(
            "INSERT INTO points_ledger (member_id, delta, reason, at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for i in chunk {
            q = q
                .bind(first + i)
                .bind((rng.unit() * 10_000.0) as i64)
                .bind(now);
        }
        q.execute(&mut *tx).await.expect("points");
    }
    tx.commit().await.expect("commit");
    let bag: Vec<Vec<i64>> = (0..n)
        .filter(|i| i % 10 == 0)
        .map(|i| {
            vec![
                first + i,
                store,
                product,
                1,
                1000,
                1000,
                now - (rng.unit() * 60.0) as i64 * DAY,
            ]
        })
        .collect();
    insert_many(
        db,
        "bag_lines",
        "owner, store_id, product_id, quantity, added_price_minor, told_price_minor, added_at",
        bag,
        true,
    )
    .await;
    if db.kind == DbKind::Postgres {
        sqlx::query("ANALYZE")
            .execute(&db.pool)
            .await
            .expect("analyze");
    }
    (guide, category)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

async fn run(label: &str, db: &Db, members: i64, counts: usize) {
    let mut rng = Rng(0xa0d1_e11c);
    let store: (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = 'sh-jingan-temple'")
        .fetch_one(&db.pool)
        .await
        .expect("the store");
    let store = store.0;
    let started = Instant::now();
    let (guide, category) = load(db, store, members, &mut rng).await;
    println!(
        "{label}: {members} members loaded in {:.1?}",
        started.elapsed()
    );
    let base = Audience {
        spend_days: 90,
        ..Audience::default()
    };
    let filters: Vec<(&str, Audience)> = vec![
        ("all the store's members", base.clone()),
        (
            "brought by a guide",
            Audience {
                guide: Some(guide.clone()),
                ..base.clone()
            },
        ),
        (
            "30 days away",
            Audience {
                away_days: Some(30),
                ..base.clone()
            },
        ),
        (
            "spent ¥100 in 90 days",
            Audience {
                spend_min: Some(10_000),
                ..base.clone()
            },
        ),
        (
            "bought a category",
            Audience {
                category: Some(category),
                ..base.clone()
            },
        ),
        (
            "bag for 7 days",
            Audience {
                bag_days: Some(7),
                ..base.clone()
            },
        ),
        (
            "5,000 points",
            Audience {
                points_min: Some(5_000),
                ..base.clone()
            },
        ),
        (
            "all of them at once",
            Audience {
                guide: Some(guide),
                away_days: Some(30),
                spend_min: Some(10_000),
                spend_days: 90,
                category: Some(category),
                bag_days: Some(7),
                points_min: Some(5_000),
            },
        ),
    ];
    println!(
        "{:<26} {:>9} {:>10} {:>10} {:>12}",
        "filter", "members", "p50 ms", "p99 ms", "p99/100ms"
    );
    for (name, a) in filters {
        let mut times = Vec::with_capacity(counts);
        let mut n = 0;
        for _ in 0..counts {
            let t = Instant::now();
            n = audience::count(db, store, &a).await.expect("count");
            times.push(t.elapsed());
        }
        times.sort();
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        println!(
            "{name:<26} {n:>9} {:>10.2} {:>10.2} {:>12.2}",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            p99.as_secs_f64() / TARGET.as_secs_f64()
        );
    }
}

fn main() {
    let members: i64 = std::env::var("BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let counts: usize = std::env::var("BENCH_COUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("audience.db").display());
        let config = server::config::Config {
            database_url: url,
            ..server::config::Config::default()
        };
        let db = server::open_database(&config).await.expect("sqlite");
        run("SQLite", &db, members, counts).await;
        db.pool.close().await;
        let pg = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("cs_bench_audience_{}", std::process::id());
        sqlx::any::install_default_drivers();
        let Ok(admin) = sqlx::AnyPool::connect(&pg).await else {
            println!("PostgreSQL: not reachable at {pg}; skipped");
            return;
        };
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create");
        let base = pg
            .rsplit_once('/')
            .map_or(pg.as_str(), |(b, _)| b)
            .to_owned();
        let config = server::config::Config {
            database_url: format!("{base}/{name}"),
            ..server::config::Config::default()
        };
        let db = server::open_database(&config).await.expect("postgres");
        run("PostgreSQL", &db, members, counts).await;
        db.pool.close().await;
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
    });
}
