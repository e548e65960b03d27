//! Benchmark (not a test): nearest 5 of 100,000 stores — the in-memory copy (with the
//! winners' rows read and the copy proved current), the database's spatial index alone,
//! and a brute-force scan — in the same run, on SQLite and (when reachable) PostgreSQL; every
//! brute-force answer is also checked to equal the index's.
//!
//! `cargo bench -p server --bench nearest` (or `make bench`). BENCH_STORES (default
//! 100000), BENCH_QUERIES (index queries, default 2000), BENCH_BRUTE (default 100).

use app::domain::geo::LatLon;
use app::ssr::db::Db;
use app::ssr::nearby::{
    NearFilter, stores_near, stores_near_brute_force, stores_near_by_database_index,
};
use std::time::{Duration, Instant};

#[path = "../tests/integration/harness/rng.rs"]
mod rng;
use rng::Rng;

/// Roughly where a Chinese chain's stores are: 60 city centres, denser in the middle.
fn synthetic_point(rng: &mut Rng) -> LatLon {
    let city = (rng.unit() * 60.0) as usize;
    let mut seed = Rng(0x9e37_79b9_7f4a_7c15 ^ ((city as u64 + 1) * 0x1000_0001));
    let centre = LatLon {
        lat: 22.0 + seed.unit() * 18.0,
        lon: 103.0 + seed.unit() * 19.0,
    };
    let spread_deg = 0.15;
    LatLon {
        lat: centre.lat + rng.normal() * spread_deg,
        lon: centre.lon + rng.normal() * spread_deg,
    }
}

async fn load(db: &Db, n: usize, rng: &mut Rng) {
    let (brand_id,): (i64,) = sqlx::query_as("SELECT id FROM brands LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .expect("brand");
    let mut tx = db.pool.begin().await.expect("tx");
    for chunk_start in (0..n).step_by(500) {
        let rows = (n - chunk_start).min(500);
        let values: Vec<String> = (0..rows)
            .map(|r| {
                let b = r * 4;
                format!("(${}, ${}, 'x', 'x', 'bench', 'x', 'x', 'x', 'x', 'x', 'x', ${}, ${}, 'Asia/Shanghai', '24h', 'x', 3000, 30)", b + 1, b + 2, b + 3, b + 4)
            })
            .collect();
        let sql = format!(
            "INSERT INTO stores (brand_id, slug, name_zh, name_en, city_slug, city_zh, city_en, district_zh, district_en, \
             address_zh, address_en, lat, lon, time_zone, hours, phone, delivery_radius_m, pickup_lead_min) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for r in 0..rows {
            let p = synthetic_point(rng);
            query = query
                .bind(brand_id)
                .bind(format!("bench-{}", chunk_start + r))
                .bind(p.lat)
                .bind(p.lon);
        }
        query.execute(&mut *tx).await.expect("insert");
    }
    tx.commit().await.expect("commit");
    if db.kind == app::ssr::db::DbKind::Postgres {
        sqlx::query("ANALYZE stores")
            .execute(&db.pool)
            .await
            .expect("analyze");
    }
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

async fn run(label: &str, db: &Db, stores: usize, queries: usize, brute: usize) {
    let mut rng = Rng(0xbe4c_4a11);
    let started = Instant::now();
    load(db, stores, &mut rng).await;
    println!(
        "{label}: loaded {stores} synthetic stores in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let points: Vec<LatLon> = (0..queries).map(|_| synthetic_point(&mut rng)).collect();
    // Warm the caches the same way for both.
    for p in points.iter().take(50) {
        stores_near(db, *p, 5, NearFilter::default())
            .await
            .expect("query");
    }
    let mut indexed = Vec::with_capacity(queries);
    let mut answers = Vec::with_capacity(queries);
    for p in &points {
        let t = Instant::now();
        let near = stores_near(db, *p, 5, NearFilter::default())
            .await
            .expect("query");
        indexed.push(t.elapsed());
        answers.push(near.iter().map(|n| n.store.id).collect::<Vec<_>>());
    }
    // The database's own spatial index (R*Tree / GiST) for the same points: the way every
    // nearest-stores question was answered before the in-memory copy.
    let mut boxed = Vec::with_capacity(queries);
    let mut boxed_same = 0;
    for (p, expected) in points.iter().zip(&answers) {
        let t = Instant::now();
        let near = stores_near_by_database_index(db, *p, 5, NearFilter::default())
            .await
            .expect("query");
        boxed.push(t.elapsed());
        boxed_same += usize::from(near.iter().map(|n| n.store.id).collect::<Vec<_>>() == *expected);
    }
    let mut scanned = Vec::with_capacity(brute);
    let mut identical = 0;
    for (p, expected) in points.iter().zip(&answers).take(brute) {
        let t = Instant::now();
        let near = stores_near_brute_force(db, *p, 5, NearFilter::default())
            .await
            .expect("query");
        scanned.push(t.elapsed());
        identical += usize::from(near.iter().map(|n| n.store.id).collect::<Vec<_>>() == *expected);
    }
    indexed.sort_unstable();
    boxed.sort_unstable();
    scanned.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (ip50, ip99, bp50, bp99) = (
        percentile(&indexed, 0.5),
        percentile(&indexed, 0.99),
        percentile(&scanned, 0.5),
        percentile(&scanned, 0.99),
    );
    println!(
        "  nearest 5, in memory + rows ({queries:>5} queries): p50 {:>8.3} ms   p99 {:>8.3} ms",
        ms(ip50),
        ms(ip99)
    );
    let (dp50, dp99) = (percentile(&boxed, 0.5), percentile(&boxed, 0.99));
    println!(
        "  nearest 5, database index alone ({queries:>5} queries): p50 {:>8.3} ms   p99 {:>8.3} ms;  \
         database / memory: p50 ×{:.1}, p99 ×{:.1};  same answers: {boxed_same}/{queries}",
        ms(dp50),
        ms(dp99),
        dp50.as_secs_f64() / ip50.as_secs_f64(),
        dp99.as_secs_f64() / ip99.as_secs_f64(),
    );
    println!(
        "  nearest 5, brute force ({brute:>5} queries): p50 {:>8.3} ms   p99 {:>8.3} ms",
        ms(bp50),
        ms(bp99)
    );
    println!(
        "  brute / index: p50 ×{:.0}, p99 ×{:.0};  identical answers: {identical}/{brute};  index p99 ≤ 1 ms: {}",
        bp50.as_secs_f64() / ip50.as_secs_f64(),
        bp99.as_secs_f64() / ip99.as_secs_f64(),
        if ip99 <= Duration::from_millis(1) {
            "met"
        } else {
            "NOT met"
        }
    );
    assert_eq!(
        identical, brute,
        "the index must answer exactly like brute force"
    );
    assert_eq!(
        boxed_same, queries,
        "both indexes must give the same answers"
    );
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (stores, queries, brute) = (
        env_or("BENCH_STORES", 100_000),
        env_or("BENCH_QUERIES", 2_000),
        env_or("BENCH_BRUTE", 100),
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().expect("temp dir");
        let config = server::config::Config {
            database_url: format!("sqlite://{}", dir.path().join("nearest.db").display()),
            ..Default::default()
        };
        let db = server::open_database(&config).await.expect("sqlite");
        run("SQLite", &db, stores, queries, brute).await;

        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        match sqlx::AnyPool::connect(&admin_url).await {
            Err(e) => println!("PostgreSQL: skipped ({e})"),
            Ok(admin) => {
                let name = format!("cs_bench_{}", std::process::id());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("create db");
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                let config = server::config::Config {
                    database_url: format!("{base}/{name}"),
                    ..Default::default()
                };
                let db = server::open_database(&config).await.expect("postgres");
                run("PostgreSQL", &db, stores, queries, brute).await;
                db.pool.close().await;
                let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await;
            }
        }
    });
}
