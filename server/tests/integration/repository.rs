//! Repository tests on SQLite and PostgreSQL: migrations, demo data and catalogue queries
//! return the same answers on both databases.

use crate::harness::Fresh;
use app::domain::lang::Lang;
use app::ssr::catalog::{self, OfferFilter};
use app::ssr::db::DbKind;
use app::ssr::session::{self, Kind};
use app::ssr::{seed, stores};

both_backends! {
    #[tokio::test]
    async fn seeding_fills_an_empty_database_once(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let count = |sql: &'static str| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_as::<_, (i64,)>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .0
            }
        };
        let stores_n = count("SELECT COUNT(*) FROM stores").await;
        let products_n = count("SELECT COUNT(*) FROM products").await;
        let offers_n = count("SELECT COUNT(*) FROM offers").await;
        assert!(stores_n >= 40, "{:?}: {stores_n} stores", fresh.kind);
        assert!(products_n >= 150);
        assert!(
            offers_n > stores_n * products_n * 9 / 10,
            "most stores carry most products"
        );
        assert!(count("SELECT COUNT(DISTINCT city_slug) FROM stores").await >= 4);
        assert!(
            count("SELECT COUNT(*) FROM offers WHERE stock = 0").await > 0,
            "some are out of stock"
        );
        assert!(
            count("SELECT COUNT(*) FROM offers WHERE price_minor < list_price_minor").await > 0,
            "some are discounted"
        );

        assert!(
            !seed::seed_if_empty(&db).await.unwrap(),
            "a second seed is a no-op"
        );
        assert_eq!(count("SELECT COUNT(*) FROM offers").await, offers_n);
    }
}

both_backends! {
    #[tokio::test]
    async fn store_lookup_by_slug(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let row = stores::store_by_slug(&db, "sh-jingan-temple")
            .await
            .unwrap()
            .expect("demo store exists");
        assert_eq!(row.city_slug, "shanghai");
        assert!(row.weekly_hours().is_some());
        assert!((31.0..31.5).contains(&row.lat) && (121.2..121.8).contains(&row.lon));
        assert!(
            stores::store_by_slug(&db, "no-such-store")
                .await
                .unwrap()
                .is_none()
        );
    }
}

both_backends! {
    #[tokio::test]
    async fn offers_filter_page_and_count_consistently(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = stores::store_by_slug(&db, "sh-jingan-temple")
            .await
            .unwrap()
            .unwrap();
        let categories = catalog::store_categories(&db, store.id, Lang::En)
            .await
            .unwrap();
        assert!(categories.len() >= 10);
        let everything = OfferFilter {
            limit: 1000,
            ..OfferFilter::default()
        };
        let (all, total) = catalog::store_offers(&db, store.id, &everything)
            .await
            .unwrap();
        assert_eq!(all.len() as i64, total);
        assert_eq!(
            categories.iter().map(|c| i64::from(c.count)).sum::<i64>(),
            total
        );
        // In-stock items come first.
        let first_out = all.iter().position(|o| o.stock == 0).unwrap_or(all.len());
        assert!(all[first_out..].iter().all(|o| o.stock == 0));

        // Pages tile the whole list without gaps or repeats.
        let mut paged = Vec::new();
        for page in 0.. {
            let filter = OfferFilter {
                limit: 24,
                offset: page * 24,
                ..OfferFilter::default()
            };
            let (rows, t) = catalog::store_offers(&db, store.id, &filter).await.unwrap();
            if rows.is_empty() {
                break;
            }
            assert_eq!(t, total);
            paged.extend(rows.into_iter().map(|r| r.sku));
        }
        assert_eq!(paged, all.iter().map(|r| r.sku.clone()).collect::<Vec<_>>());

        let dairy = &categories
            .iter()
            .find(|c| c.slug == "dairy")
            .expect("dairy category");
        let filter = OfferFilter {
            category: Some("dairy"),
            limit: 1000,
            ..OfferFilter::default()
        };
        let (rows, t) = catalog::store_offers(&db, store.id, &filter).await.unwrap();
        assert_eq!(t, i64::from(dairy.count));
        assert!(rows.iter().all(|r| r.category_slug == "dairy"));
    }
}

both_backends! {
    #[tokio::test]
    async fn search_matches_either_language_and_escapes_wildcards(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = stores::store_by_slug(&db, "sh-jingan-temple")
            .await
            .unwrap()
            .unwrap();
        let search = |text: &'static str| {
            let db = db.clone();
            async move {
                let filter = OfferFilter {
                    text: Some(text),
                    limit: 1000,
                    ..OfferFilter::default()
                };
                catalog::store_offers(&db, store.id, &filter)
                    .await
                    .unwrap()
                    .0
            }
        };
        let milk_en = search("MILK").await;
        assert!(!milk_en.is_empty(), "case-insensitive English search");
        assert!(
            milk_en
                .iter()
                .all(|r| r.name_en.to_lowercase().contains("milk")
                    || r.sku.to_lowercase().contains("milk"))
        );
        let milk_zh = search("奶").await;
        assert!(milk_zh.iter().all(|r| r.name_zh.contains('奶')) && !milk_zh.is_empty());
        let percent = search("%").await;
        let names: Vec<&str> = percent.iter().map(|r| r.name_en.as_str()).collect();
        assert!(!names.is_empty(), "the demo sells a 100% coconut water");
        assert!(
            names.iter().all(|n| n.contains('%')),
            "{:?}: % is a literal, not a wildcard: {names:?}",
            fresh.kind
        );
        assert!(
            search("_").await.is_empty(),
            "_ is a literal, not a wildcard"
        );
        assert!(search("'; DROP TABLE offers; --").await.is_empty());

        let found = stores::search_stores(&db, "jing'an").await.unwrap();
        assert!(found.iter().any(|s| s.slug == "sh-jingan-temple"));
        // "北京" alone also finds Guangzhou's Beijing Road; the city is 北京市.
        let found = stores::search_stores(&db, "北京市").await.unwrap();
        assert!(!found.is_empty() && found.iter().all(|s| s.city_slug == "beijing"));
        let hits = catalog::search_products(&db, "apple", 12).await.unwrap();
        assert!(hits.iter().all(|h| h.stores_in_stock > 0));
    }
}

both_backends! {
    #[tokio::test]
    async fn other_city_stores_have_stock_and_exclude_this_one(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = stores::store_by_slug(&db, "sh-jingan-temple")
            .await
            .unwrap()
            .unwrap();
        let everything = OfferFilter {
            limit: 1000,
            ..OfferFilter::default()
        };
        let (offers, _) = catalog::store_offers(&db, store.id, &everything)
            .await
            .unwrap();
        for offer in offers.iter().take(20) {
            let others =
                stores::city_stores_with_stock(&db, "shanghai", offer.product_id, store.id)
                    .await
                    .unwrap();
            assert!(
                others.iter().all(|o| o.stock > 0
                    && o.store.id != store.id
                    && o.store.city_slug == "shanghai")
            );
        }
    }
}

both_backends! {
    /// The sweep deletes what has expired and keeps what is live.
    #[tokio::test]
    async fn the_sweep_removes_only_what_has_expired(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let now = session::now();
        let (live, live_cookie) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        let (gone, gone_cookie) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id = $2")
            .bind(now - 1)
            .bind(&gone.id)
            .execute(&db.pool)
            .await
            .unwrap();
        let (store, product): (i64, i64) = sqlx::query_as(
            "SELECT store_id, product_id FROM offers WHERE stock > 0 ORDER BY store_id, product_id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        for owner in [&live.id, &gone.id, &"m:1".to_owned()] {
            sqlx::query(
                "INSERT INTO bag_lines (owner, store_id, product_id, quantity, added_price_minor, told_price_minor, added_at) \
                 VALUES ($1, $2, $3, 1, 100, 100, $4)",
            )
            .bind(owner)
            .bind(store)
            .bind(product)
            .bind(now)
            .execute(&db.pool)
            .await
            .unwrap();
        }
        for (nonce, at) in [("old", now - 2 * 86_400), ("new", now)] {
            sqlx::query("INSERT INTO used_tokens (nonce, used_at) VALUES ($1, $2)")
                .bind(nonce)
                .bind(at)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        let removed = app::ssr::sweep::sweep(&db, now).await.unwrap();
        assert_eq!(
            removed, 3,
            "{:?}: a bag line, a session, a token",
            fresh.kind
        );
        let count = |sql: &'static str| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_as::<_, (i64,)>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .0
            }
        };
        assert_eq!(
            count("SELECT COUNT(*) FROM bag_lines").await,
            2,
            "live and member bags stay"
        );
        assert_eq!(count("SELECT COUNT(*) FROM used_tokens").await, 1);
        assert_eq!(
            count("SELECT COUNT(*) FROM sessions").await,
            1,
            "the expired session's row is gone, the live one's stays"
        );
        // A request carrying each cookie: the live session still signs it in.
        let carrying = |set_cookie: &str| {
            let pair = set_cookie.split(';').next().unwrap();
            let mut headers = http::HeaderMap::new();
            headers.insert(http::header::COOKIE, pair.parse().unwrap());
            headers
        };
        let current = session::current(&db, &carrying(&live_cookie), Kind::Shopper)
            .await
            .unwrap();
        assert_eq!(current.map(|s| s.id), Some(live.id.clone()));
        assert!(
            session::current(&db, &carrying(&gone_cookie), Kind::Shopper)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            app::ssr::sweep::sweep(&db, now).await.unwrap(),
            0,
            "idempotent"
        );
    }
}

/// On SQLite, a transaction that read and then writes after another connection committed
/// in between fails with SQLITE_BUSY_SNAPSHOT (its snapshot is stale; waiting cannot
/// help): `db::retrying` runs it again, and the second attempt goes through. (It was a
/// 500 before, seen as a rare flake of the integration API's writes under load.)
#[tokio::test]
async fn a_stale_sqlite_read_then_write_is_run_again() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let fresh = Fresh::sqlite();
    let db = fresh.open().await;
    let attempts = AtomicU32::new(0);
    let outcome = app::ssr::db::retrying(&db, || async {
        let n = attempts.fetch_add(1, Ordering::SeqCst);
        let mut tx = db.pool.begin().await?;
        let (_,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rate_limits")
            .fetch_one(&mut *tx)
            .await?;
        if n == 0 {
            // Another connection commits while this one holds its read snapshot.
            sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ('other', 0, 1)")
                .execute(&db.pool)
                .await?;
        }
        sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, 0, 1)")
            .bind(format!("mine-{n}"))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n)
    })
    .await;
    assert_eq!(
        outcome,
        Ok(1),
        "the first attempt lost, the second went through"
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}
