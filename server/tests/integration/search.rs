//! Product search on SQLite and PostgreSQL: what the term index finds equals a plain
//! scan of every product under the same rule (`search::matches`) on random queries made
//! from the catalogue's own names, their pinyin and initials, and noise; Chinese one-
//! and two-character queries, pinyin and initials find 苹果; exact and prefix matches
//! rank first; a renamed product is found by its new name only.

use crate::harness::Fresh;
use crate::harness::rng::Rng;
use app::ssr::catalog::{self, OfferFilter};
use app::ssr::db::{Db, DbKind};
use app::ssr::search::{self, is_han};
use app::ssr::stores;
use std::collections::BTreeSet;

const STORE: &str = "sh-jingan-temple";

async fn store_search(db: &Db, store_id: i64, text: &str) -> Vec<String> {
    let filter = OfferFilter {
        text: Some(text),
        limit: 10_000,
        ..OfferFilter::default()
    };
    catalog::store_offers(db, store_id, &filter)
        .await
        .unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
        .0
        .into_iter()
        .map(|r| r.sku)
        .collect()
}

/// Every product the store offers: (SKU, Chinese name, English name).
async fn offered(db: &Db, store_id: i64) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT p.sku, p.name_zh, p.name_en FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.store_id = $1 ORDER BY p.sku",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[(rng.unit() * items.len() as f64) as usize % items.len()]
}

/// A query a shopper might type about one of `names`: a piece of a Chinese name, a
/// prefix of an English word, of the pinyin or of the initials, a SKU's start, two of
/// those together, or noise.
fn random_query(rng: &mut Rng, names: &[(String, String, String)]) -> String {
    use pinyin::ToPinyin;
    let (sku, zh, en) = pick(rng, names);
    let han: Vec<char> = zh.chars().filter(|c| is_han(*c)).collect();
    let piece = |rng: &mut Rng| -> String {
        match (rng.unit() * 7.0) as u32 {
            0 | 1 if !han.is_empty() => {
                let at = (rng.unit() * han.len() as f64) as usize;
                let len = 1 + (rng.unit() * 3.0) as usize;
                han[at..(at + len).min(han.len())].iter().collect()
            }
            2 if !han.is_empty() => {
                let at = (rng.unit() * han.len() as f64) as usize;
                let tail: String = han[at..].iter().collect();
                let full: String = tail
                    .as_str()
                    .to_pinyin()
                    .flatten()
                    .map(|p| p.plain().replace('ü', "v"))
                    .collect();
                let len = 1 + (rng.unit() * full.len() as f64) as usize;
                full.chars().take(len).collect()
            }
            3 if !han.is_empty() => han[(rng.unit() * han.len() as f64) as usize..]
                .iter()
                .collect::<String>()
                .as_str()
                .to_pinyin()
                .flatten()
                .filter_map(|p| p.plain().chars().next())
                .take(1 + (rng.unit() * 3.0) as usize)
                .collect(),
            4 => {
                let words: Vec<&str> = en.split_whitespace().collect();
                let w = pick(rng, &words);
                let len = 1 + (rng.unit() * w.len() as f64) as usize;
                let w: String = w.chars().take(len).collect();
                if rng.unit() < 0.3 {
                    w.to_uppercase()
                } else {
                    w
                }
            }
            5 => sku.chars().take(2 + (rng.unit() * 6.0) as usize).collect(),
            _ => {
                let noise = ["奶", "zz", "%", "q", "x1", "-", "果汁", "ing", "茶 pg", "'"];
                (*pick(rng, &noise)).to_owned()
            }
        }
    };
    let first = piece(rng);
    if rng.unit() < 0.25 {
        format!("{first} {}", piece(rng))
    } else {
        first
    }
}

both_backends! {
    /// 400 random queries on the store page and the brand search: the index finds
    /// exactly what a scan of every product under the plain rule finds.
    #[tokio::test]
    async fn the_index_finds_what_a_plain_scan_finds(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = stores::store_by_slug(&db, STORE).await.unwrap().unwrap();
        let names = offered(&db, store.id).await;
        let brand: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT p.sku, p.name_zh, p.name_en FROM products p \
             WHERE EXISTS (SELECT 1 FROM offers o WHERE o.product_id = p.id AND o.stock > 0)",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let mut rng = Rng(0x5eed_0f5e_a2c4);
        let (mut some, mut none) = (0, 0);
        for _ in 0..400 {
            let q = random_query(&mut rng, &names);
            let tokens = search::tokens(&q);
            let want: BTreeSet<String> = names
                .iter()
                .filter(|(sku, zh, en)| search::matches(&tokens, zh, en, sku))
                .map(|(sku, _, _)| sku.clone())
                .collect();
            let got: BTreeSet<String> = store_search(&db, store.id, &q).await.into_iter().collect();
            assert_eq!(got, want, "{kind:?}: store search for {q:?}");
            let want_brand: BTreeSet<String> = brand
                .iter()
                .filter(|(sku, zh, en)| search::matches(&tokens, zh, en, sku))
                .map(|(sku, _, _)| sku.clone())
                .collect();
            let got_brand: BTreeSet<String> = catalog::search_products(&db, &q, 10_000)
                .await
                .unwrap()
                .into_iter()
                .map(|h| h.sku)
                .collect();
            assert_eq!(got_brand, want_brand, "{kind:?}: brand search for {q:?}");
            if want.is_empty() { none += 1 } else { some += 1 }
        }
        eprintln!("{kind:?}: {some} queries found something, {none} nothing");
        assert!(some > 200 && none > 20, "the queries test both ways: {some} / {none}");
    }
}

both_backends! {
    /// One- and two-character Chinese, pinyin and its initials find 苹果; the product
    /// whose name is the query comes first, then names that start with it.
    #[tokio::test]
    async fn chinese_pinyin_and_initials_find_apples_and_exact_ranks_first(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = stores::store_by_slug(&db, STORE).await.unwrap().unwrap();
        let apples: Vec<(String, String)> = sqlx::query_as(
            "SELECT p.sku, p.name_zh FROM offers o JOIN products p ON p.id = o.product_id \
             WHERE o.store_id = $1 AND p.name_zh LIKE '%苹果%'",
        )
        .bind(store.id)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert!(!apples.is_empty(), "the demo store sells apples");
        for q in ["苹果", "苹", "pingguo", "pg", "PingGuo", "pinggu"] {
            let found = store_search(&db, store.id, q).await;
            for (sku, name) in &apples {
                assert!(found.contains(sku), "{kind:?}: {q:?} misses {name}");
            }
        }
        let milk = store_search(&db, store.id, "奶").await;
        assert!(!milk.is_empty());

        // Rename two products: one to exactly the query, one to start with it; in stock.
        let ids: Vec<(i64, String)> = sqlx::query_as(
            "SELECT p.id, p.sku FROM offers o JOIN products p ON p.id = o.product_id \
             WHERE o.store_id = $1 AND o.stock > 0 ORDER BY p.id DESC LIMIT 3",
        )
        .bind(store.id)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        for ((id, _), (zh, en)) in ids.iter().zip([
            ("测试果园", "Test orchard"),
            ("果园", "Orchard"),
            ("果园鲜果", "Orchard fruit"),
        ]) {
            sqlx::query("UPDATE products SET name_zh = $1, name_en = $2 WHERE id = $3")
                .bind(zh)
                .bind(en)
                .bind(id)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        assert!(store_search(&db, store.id, "果园").await.is_empty(), "not indexed yet");
        assert_eq!(search::index_all_stale(&db).await.unwrap(), 3);
        assert_eq!(search::index_all_stale(&db).await.unwrap(), 0, "each once");
        let order = store_search(&db, store.id, "果园").await;
        assert_eq!(order.len(), 3, "{order:?}");
        assert_eq!(order[0], ids[1].1, "{kind:?}: the exact name first");
        assert_eq!(order[1], ids[2].1, "{kind:?}: then the name that starts with it");
        let order = store_search(&db, store.id, "orchard").await;
        assert_eq!(order[0], ids[1].1, "{kind:?}: exact in English too");
        assert_eq!(order[1], ids[2].1, "{kind:?}: then the English name that starts with it");
        assert_eq!(order[2], ids[0].1, "{kind:?}: then the rest");
        let hits = catalog::search_products(&db, "guoyuan", 12).await.unwrap();
        assert_eq!(hits.first().map(|h| h.sku.as_str()), Some(ids[1].1.as_str()));
    }
}

/// Three servers starting at once on one new PostgreSQL database (the fleet) all start: each writes the same
/// search terms, in one order, and a lost race is run again (on PostgreSQL they
/// deadlocked, and a server of the fleet refused to start). SQLite is one server's file.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_starting_together_on_postgres_all_start_and_write_the_terms_once() {
    let fresh = crate::harness::Fresh::new(DbKind::Postgres).await;
    let (a, b, c) = tokio::join!(
        server::start(fresh.config()),
        server::start(fresh.config()),
        server::start(fresh.config())
    );
    let (a, b, c) = (a.expect("first"), b.expect("second"), c.expect("third"));
    let (stale,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE search_indexed IS NULL")
            .fetch_one(&a.db.pool)
            .await
            .unwrap();
    assert_eq!(stale, 0, "every product indexed");
    let (apples,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM product_terms WHERE term = 'pingguo'")
            .fetch_one(&a.db.pool)
            .await
            .unwrap();
    assert!(apples > 0);
    for s in [a, b, c] {
        s.stop().await;
    }
}

both_backends! {
    /// The brand-wide search's figures — lowest price in stock, stores in stock (a count
    /// kept by triggers) and the first store in stock — equal a recount from every offer
    /// after random stock changes: sell-outs, restocks, offers added and removed, many of
    /// them at once from separate connections.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn brand_search_figures_equal_a_recount_after_stock_changes(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let products: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM products WHERE name_zh LIKE '%奶%' ORDER BY id LIMIT 6")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert!(products.len() >= 3, "the demo has milks");
        let stores: Vec<(i64,)> = sqlx::query_as("SELECT id FROM stores ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        let mut rng = Rng(0x57_0c_c0_de);
        let mut tasks = Vec::new();
        for _ in 0..300 {
            let product = products[rng.below(products.len())].0;
            let store = stores[rng.below(stores.len())].0;
            let change = rng.below(4);
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let sql = match change {
                    0 => "UPDATE offers SET stock = 0 WHERE store_id = $1 AND product_id = $2",
                    1 => "UPDATE offers SET stock = stock + 5 WHERE store_id = $1 AND product_id = $2",
                    2 => "DELETE FROM offers WHERE store_id = $1 AND product_id = $2",
                    _ => {
                        "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) \
                         VALUES ($1, $2, 990, 990, 2) ON CONFLICT (store_id, product_id) DO NOTHING"
                    }
                };
                // A lost race on SQLite's one writer is the database saying "again".
                for _ in 0..50 {
                    match sqlx::query(sql).bind(store).bind(product).execute(&db.pool).await {
                        Ok(_) => return,
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
                    }
                }
                panic!("a stock change never went through");
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let kept: Vec<(i64, i64)> =
            sqlx::query_as("SELECT product_id, stores_in_stock FROM product_stock ORDER BY product_id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        let recount: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT p.id, (SELECT COUNT(*) FROM offers o WHERE o.product_id = p.id AND o.stock > 0) \
             FROM products p ORDER BY p.id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(kept, recount, "{kind:?}: the kept counts");
        let hits = catalog::search_products(&db, "奶", 50).await.unwrap();
        assert!(!hits.is_empty());
        for hit in &hits {
            let (min, count, first_store): (i64, i64, i64) = sqlx::query_as(
                "SELECT MIN(o.price_minor), COUNT(*), MIN(o.store_id) \
                 FROM offers o JOIN products p ON p.id = o.product_id \
                 WHERE p.sku = $1 AND o.stock > 0",
            )
            .bind(&hit.sku)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            let (first,): (String,) = sqlx::query_as("SELECT slug FROM stores WHERE id = $1")
                .bind(first_store)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(
                (hit.min_price_minor, i64::from(hit.stores_in_stock), hit.store_slug.clone()),
                (min, count, first),
                "{kind:?}: {}",
                hit.sku
            );
        }
        // A product in stock nowhere is not a hit.
        sqlx::query("UPDATE offers SET stock = 0 WHERE product_id = $1")
            .bind(products[0].0)
            .execute(&db.pool)
            .await
            .unwrap();
        let (sku,): (String,) = sqlx::query_as("SELECT sku FROM products WHERE id = $1")
            .bind(products[0].0)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let hits = catalog::search_products(&db, "奶", 50).await.unwrap();
        assert!(hits.iter().all(|h| h.sku != sku), "{kind:?}: sold out everywhere");
    }
}
