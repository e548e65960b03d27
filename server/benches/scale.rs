//! Benchmark (not a test): the database work of each page a shopper uses, at the demo's
//! size (50 stores × 174 products) and at a real brand's (1,000 stores × 5,220 products,
//! 5,220,000 offers), on SQLite and (when reachable) PostgreSQL, in one run. Prints p50
//! and p99 of each at both sizes and the ratio scale / demo; the target is no p99 ratio
//! above 2.
//!
//! The large brand is made from the demo by the database itself (`INSERT … SELECT`): each
//! demo store copied 19 times about its city, each product 29 times under new SKUs with
//! the same words in its names (a real brand's range: many milks, not one), and every
//! store offering every product, some out of stock. Search terms are written as the app
//! writes them on start.
//!
//! `cargo bench -p server --bench scale` (or `make bench-scale`). BENCH_ITER (default
//! 300) runs of each operation at each size; SCALE_STORE_COPIES (19) and
//! SCALE_PRODUCT_COPIES (29) size the large brand.

use app::domain::bag::Quantity;
use app::domain::geo::LatLon;
use app::domain::lang::Lang;
use app::ssr::catalog::{self, OfferFilter};
use app::ssr::db::Db;
use app::ssr::nearby::{NearFilter, stores_near};
use app::ssr::{bag, search, stores};
use std::time::{Duration, Instant};

const STORE: &str = "sh-jingan-temple";
const PAGE: i64 = 24;
/// Where the shopper stands: 静安寺, and a point in each of three other cities.
const POINTS: [(f64, f64); 4] = [
    (31.2232, 121.4457),
    (39.9087, 116.3975),
    (23.1291, 113.2644),
    (30.5728, 104.0668),
];
const STORE_QUERIES: [&str; 4] = ["静安", "chaoyang", "路", "天河"];
const PRODUCT_QUERIES: [&str; 6] = ["牛奶", "奶", "pingguo", "pg", "milk", "苹果汁"];

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// p50 and p99 of `iter` runs of `op(i)`.
async fn measure<F, Fut>(iter: usize, mut op: F) -> (Duration, Duration)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for i in 0..iter.min(20) {
        op(i).await;
    }
    let mut times = Vec::with_capacity(iter);
    for i in 0..iter {
        let t = Instant::now();
        op(i).await;
        times.push(t.elapsed());
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    (at(0.5), at(0.99))
}

/// Each operation's (name, p50, p99) on `db` as it is now.
async fn operations(db: &Db, iter: usize, round: &str) -> Vec<(&'static str, Duration, Duration)> {
    let store = stores::store_by_slug(db, STORE).await.unwrap().unwrap();
    let (_, total) = catalog::store_offers(
        db,
        store.id,
        &OfferFilter {
            limit: 1,
            ..OfferFilter::default()
        },
    )
    .await
    .unwrap();
    let deep = (total - 1) / PAGE * PAGE;
    let (product,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE sku = 'HC101101'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let mut out = Vec::new();
    let page = |category: Option<&'static str>, offset: i64| {
        let db = db.clone();
        let id = store.id;
        move |_| {
            let db = db.clone();
            async move {
                catalog::store_categories(&db, id, Lang::ZhCn)
                    .await
                    .unwrap();
                let filter = OfferFilter {
                    category,
                    limit: PAGE,
                    offset,
                    ..OfferFilter::default()
                };
                let (rows, _) = catalog::store_offers(&db, id, &filter).await.unwrap();
                assert!(!rows.is_empty());
            }
        }
    };
    let (a, b) = measure(iter, page(None, 0)).await;
    out.push(("store page, first page", a, b));
    let (a, b) = measure(iter, page(None, deep)).await;
    out.push(("store page, last page", a, b));
    let (a, b) = measure(iter, page(Some("dairy"), 0)).await;
    out.push(("store page, a category", a, b));
    let (a, b) = measure(iter, |i| {
        let db = db.clone();
        let id = store.id;
        async move {
            let filter = OfferFilter {
                text: Some(PRODUCT_QUERIES[i % PRODUCT_QUERIES.len()]),
                limit: PAGE,
                ..OfferFilter::default()
            };
            catalog::store_offers(&db, id, &filter).await.unwrap();
        }
    })
    .await;
    out.push(("search in a store", a, b));
    let (a, b) = measure(iter, |i| {
        let db = db.clone();
        async move {
            stores::search_stores(&db, STORE_QUERIES[i % STORE_QUERIES.len()])
                .await
                .unwrap();
        }
    })
    .await;
    out.push(("store search", a, b));
    let (a, b) = measure(iter, |i| {
        let db = db.clone();
        async move {
            catalog::search_products(&db, PRODUCT_QUERIES[i % PRODUCT_QUERIES.len()], 12)
                .await
                .unwrap();
        }
    })
    .await;
    out.push(("brand search", a, b));
    let at = |i: usize| {
        let (lat, lon) = POINTS[i % POINTS.len()];
        LatLon { lat, lon }
    };
    let (a, b) = measure(iter, |i| {
        let db = db.clone();
        async move {
            let filter = NearFilter {
                in_stock: Some(product),
                except: None,
            };
            let near = stores_near(&db, at(i), 5, filter).await.unwrap();
            let ids: Vec<i64> = near.iter().map(|n| n.store.id).collect();
            catalog::product_offers_at(&db, product, &ids)
                .await
                .unwrap();
        }
    })
    .await;
    out.push(("product: nearest 5 in stock", a, b));
    let (a, b) = measure(iter, |i| {
        let db = db.clone();
        async move {
            stores_near(&db, at(i), 5, NearFilter::default())
                .await
                .unwrap();
        }
    })
    .await;
    out.push(("nearest 5 stores", a, b));
    let (a, b) = measure(iter, |i| {
        let db = db.clone();
        let owner = format!("bench-{round}-{i}");
        let item = bag::Item {
            store_id: store.id,
            product_id: product,
        };
        async move {
            bag::add(&db, &owner, item, Quantity::new(1).unwrap(), false)
                .await
                .unwrap()
                .unwrap();
        }
    })
    .await;
    out.push(("add to bag", a, b));
    out
}

/// Grows the demo brand to a real brand's size, in the database.
async fn grow(db: &Db, store_copies: usize, product_copies: usize) {
    let t = Instant::now();
    let numbers = |n: usize| {
        format!("WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < {n})")
    };
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query(&format!(
        "{} INSERT INTO stores (brand_id, slug, name_zh, name_en, city_slug, city_zh, city_en, \
            district_zh, district_en, address_zh, address_en, lat, lon, time_zone, hours, phone, \
            delivery_radius_m, pickup_lead_min) \
         SELECT s.brand_id, s.slug || '-' || n.g, s.name_zh || n.g || '号店', s.name_en || ' ' || n.g, \
            s.city_slug, s.city_zh, s.city_en, s.district_zh, s.district_en, s.address_zh, s.address_en, \
            s.lat + ((n.g * 37 + s.id * 11) % 100 - 50) * 0.002, \
            s.lon + ((n.g * 53 + s.id * 7) % 100 - 50) * 0.002, \
            s.time_zone, s.hours, s.phone, s.delivery_radius_m, s.pickup_lead_min \
         FROM stores s CROSS JOIN n",
        numbers(store_copies)
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(&format!(
        "{} INSERT INTO products (sku, category_id, name_zh, name_en, unit_zh, unit_en, image, featured) \
         SELECT p.sku || 'G' || n.g, p.category_id, p.name_zh || ' ' || n.g || '款', \
            p.name_en || ' no. ' || n.g, p.unit_zh, p.unit_en, p.image, 0 \
         FROM products p CROSS JOIN n",
        numbers(product_copies)
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) \
         SELECT s.id, p.id, 100 + (p.id * 7919) % 9900, 100 + (p.id * 7919) % 9900 + (p.id % 3) * 100, \
            (s.id * 31 + p.id * 17) % 25 \
         FROM stores s CROSS JOIN products p \
         WHERE true \
         ON CONFLICT (store_id, product_id) DO NOTHING",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let indexed = search::index_all_stale(db).await.unwrap();
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (i64,)>(sql)
                .fetch_one(&db.pool)
                .await
                .unwrap()
                .0
        }
    };
    println!(
        "  grown to {} stores, {} products, {} offers ({} products' search terms) in {:.0} s",
        count("SELECT COUNT(*) FROM stores").await,
        count("SELECT COUNT(*) FROM products").await,
        count("SELECT COUNT(*) FROM offers").await,
        indexed,
        t.elapsed().as_secs_f64()
    );
}

async fn run(label: &str, db: &Db) {
    let iter = env_or("BENCH_ITER", 300);
    println!("{label}:");
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    let demo = operations(db, iter, "demo").await;
    grow(
        db,
        env_or("SCALE_STORE_COPIES", 19),
        env_or("SCALE_PRODUCT_COPIES", 29),
    )
    .await;
    let scale = operations(db, iter, "scale").await;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {:<30} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8}",
        "operation", "demo p50", "demo p99", "scale p50", "scale p99", "p50 ×", "p99 ×"
    );
    let mut over = Vec::new();
    for ((name, d50, d99), (_, s50, s99)) in demo.iter().zip(&scale) {
        let r99 = s99.as_secs_f64() / d99.as_secs_f64();
        println!(
            "  {name:<30} {:>7.3}ms {:>7.3}ms {:>7.3}ms {:>7.3}ms {:>8.2} {:>8.2}",
            ms(*d50),
            ms(*d99),
            ms(*s50),
            ms(*s99),
            s50.as_secs_f64() / d50.as_secs_f64(),
            r99
        );
        if r99 > 2.0 {
            over.push(*name);
        }
    }
    if over.is_empty() {
        println!("  target (every p99 ratio ≤ 2): met");
    } else {
        println!(
            "  target (every p99 ratio ≤ 2): NOT met by {}",
            over.join(", ")
        );
    }
}

fn main() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().expect("temp dir");
        let config = server::config::Config {
            database_url: format!("sqlite://{}", dir.path().join("scale.db").display()),
            ..Default::default()
        };
        let db = server::open_database(&config).await.expect("sqlite");
        run("SQLite", &db).await;
        db.pool.close().await;

        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        match sqlx::AnyPool::connect(&admin_url).await {
            Err(e) => println!("PostgreSQL: skipped ({e})"),
            Ok(admin) => {
                let name = format!("cs_scale_{}", std::process::id());
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
                run("PostgreSQL", &db).await;
                db.pool.close().await;
                let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await;
            }
        }
    });
}
