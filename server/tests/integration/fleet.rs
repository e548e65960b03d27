//! Through the fleet (`scripts/cluster.sh`: nginx round robin over two servers on one
//! PostgreSQL database), run by `make test` with `CLUSTER_URL` and `CLUSTER_DATABASE_URL`
//! set; without them these tests say so and pass (a plain `cargo test` has no fleet).
//! Whatever works on one server works here: one shopper's requests land on different
//! servers; checkout storms never oversell; idempotency keys hold across servers; rate
//! limits count together; a rolling restart fails no browsing and duplicates no order;
//! PostgreSQL going away gives a quick 503 with Retry-After, never a hang or a 500, and
//! the fleet recovers by itself.

use crate::harness::Browser;
use app::ssr::db::Db;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

const STORE: &str = "sh-jingan-temple";

/// An idempotency key unique to this run (the fleet's database outlives a test run).
fn key(name: &str) -> String {
    static RUN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let run = RUN.get_or_init(|| format!("{:x}", chrono::Utc::now().timestamp_micros()));
    format!("fleet-{run}-{name}")
}

struct Fleet {
    url: String,
    db: Db,
}

async fn fleet() -> Option<Fleet> {
    let (Ok(url), Ok(db_url)) = (
        std::env::var("CLUSTER_URL"),
        std::env::var("CLUSTER_DATABASE_URL"),
    ) else {
        eprintln!(
            "fleet tests: CLUSTER_URL / CLUSTER_DATABASE_URL not set; `make test` runs them through the fleet"
        );
        return None;
    };
    let db = Db::connect(&db_url, 4).await.expect("the fleet's database");
    Some(Fleet { url, db })
}

impl Fleet {
    fn browser(&self) -> Browser {
        Browser::new(&self.url)
    }

    async fn offer(&self, sku: &str) -> (i64, i64) {
        sqlx::query_as(
            "SELECT s.id, p.id FROM stores s, products p WHERE s.slug = $1 AND p.sku = $2",
        )
        .bind(STORE)
        .bind(sku)
        .fetch_one(&self.db.pool)
        .await
        .unwrap()
    }

    async fn set_stock(&self, sku: &str, stock: i64) {
        let (s, p) = self.offer(sku).await;
        crate::harness::set_stock(&self.db, s, p, stock).await;
    }

    async fn stock(&self, sku: &str) -> i64 {
        let (s, p) = self.offer(sku).await;
        sqlx::query_as::<_, (i64,)>(
            "SELECT stock FROM offers WHERE store_id = $1 AND product_id = $2",
        )
        .bind(s)
        .bind(p)
        .fetch_one(&self.db.pool)
        .await
        .unwrap()
        .0
    }
}

/// Which server answered (each fleet server names itself in `x-instance`).
async fn instance(b: &Browser, path: &str) -> (u16, String) {
    let r = b.http.get(b.url(path)).send().await.expect("GET");
    let who = r
        .headers()
        .get("x-instance")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (r.status().as_u16(), who)
}

/// A shopper with `sku` in the bag, placing a pick-up order under `key`: the order id,
/// or the status and reply when refused.
async fn place(fleet: &Fleet, sku: &str, key: &str) -> Result<String, (u16, String)> {
    let b = fleet.browser();
    place_as(&b, sku, key).await
}

async fn place_as(b: &Browser, sku: &str, key: &str) -> Result<String, (u16, String)> {
    let r = b
        .post_form(
            "/bag/add",
            &[
                ("store", STORE),
                ("sku", sku),
                ("quantity", "1"),
                ("back", "/"),
            ],
        )
        .await;
    if r.status().as_u16() >= 400 {
        return Err((r.status().as_u16(), "bag".into()));
    }
    let page = b.page(&format!("/checkout/{STORE}")).await;
    let Some(pickup_at) = page
        .split("name=\"pickup_at\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(2))
        .and_then(|s| s.split('"').next())
    else {
        return Err((0, "no pick-up time on the checkout page".into()));
    };
    let pickup_at = pickup_at.to_owned();
    let (status, body) = b
        .post_form_json(
            "/checkout/place",
            &[
                ("store", STORE),
                ("key", key),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", "Fleet"),
                ("phone", "13900000000"),
            ],
        )
        .await;
    match body["order"].as_str() {
        Some(id) if status == 200 => Ok(id.to_owned()),
        _ => Err((status, body.to_string())),
    }
}

#[tokio::test]
async fn one_shopper_is_served_by_every_server_alike() {
    let Some(fleet) = fleet().await else { return };
    let b = fleet.browser();
    let mut seen = HashSet::new();
    // nginx rests a server it saw fail for two seconds (a restart just before this test).
    for _ in 0..40 {
        let (status, who) = instance(&b, &format!("/s/{STORE}")).await;
        assert_eq!(status, 200);
        seen.insert(who);
        if seen.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert!(
        seen.len() >= 2,
        "round robin reaches more than one server: {seen:?}"
    );
    // A bag made on one server is the bag on the others; the order is seen by all.
    let id = place_as(&b, "HC101102", &key("journey"))
        .await
        .expect("placed");
    for _ in 0..4 {
        let page = b.page(&format!("/orders/{id}")).await;
        assert!(
            page.contains(&id) && page.contains("code-digits"),
            "every server shows the order"
        );
    }
    // The same key again, on whichever server: the same order.
    let again = place_as(&b, "HC101102", &key("journey"))
        .await
        .expect("replayed");
    assert_eq!(again, id);
}

#[tokio::test]
async fn a_checkout_storm_through_the_fleet_never_oversells() {
    let Some(fleet) = fleet().await else { return };
    const SKU: &str = "HC101105";
    fleet.set_stock(SKU, 15).await;
    let attempts = 60;
    let results = futures::future::join_all((0..attempts).map(|n| {
        let fleet = &fleet;
        async move { place(fleet, SKU, &key(&format!("storm-{n:06}"))).await }
    }))
    .await;
    let placed: Vec<&String> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    let statuses: HashMap<u16, usize> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.0))
        .fold(HashMap::new(), |mut m, s| {
            *m.entry(s).or_default() += 1;
            m
        });
    assert_eq!(
        placed.len(),
        15,
        "exactly the stock is sold; refusals: {statuses:?}"
    );
    let refusals: Vec<&(u16, String)> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    // Refused as the one server refuses: "not enough left" (beside the bag's line, 400)
    // or a conflict (409), never a server error.
    assert!(
        refusals
            .iter()
            .all(|(s, body)| matches!(s, 400 | 409) && body.contains("message")),
        "the rest are told it's gone: {statuses:?} {:?}",
        refusals.first()
    );
    assert_eq!(fleet.stock(SKU).await, 0);
}

#[tokio::test]
async fn rate_limits_are_counted_by_the_whole_fleet() {
    let Some(fleet) = fleet().await else { return };
    // Five wrong passwords for one number, spread over both servers, lock it everywhere.
    let phone = "13900029999";
    let mut last = 0;
    for _ in 0..6 {
        let (status, _) = fleet
            .browser()
            .post_form_json(
                "/staff/login",
                &[("phone", phone), ("password", "wrong wrong wrong")],
            )
            .await;
        last = status;
    }
    assert_eq!(last, 429);
}

/// SIGTERMs server 1 and starts it again while shoppers browse and order: nginx sends
/// browsing elsewhere (no failed page), and every order is placed once.
#[tokio::test]
async fn a_rolling_restart_fails_no_browsing_and_duplicates_no_order() {
    let Some(fleet) = fleet().await else { return };
    let Ok(script) = std::env::var("CLUSTER_SCRIPT") else {
        eprintln!("fleet tests: CLUSTER_SCRIPT not set; skipping the rolling restart");
        return;
    };
    fleet.set_stock("HC101106", 10_000).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let browsing = {
        let (url, stop) = (fleet.url.clone(), stop.clone());
        tokio::spawn(async move {
            let b = Browser::new(&url);
            let mut failures = Vec::new();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (status, _) = b.get(&format!("/s/{STORE}")).await;
                if status != 200 {
                    failures.push(status);
                }
                n += 1;
            }
            (n, failures)
        })
    };
    let ordering = {
        let (url, stop) = (fleet.url.clone(), stop.clone());
        tokio::spawn(async move {
            let mut keys = Vec::new();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let key = key(&format!("rolling-{n:06}"));
                let b = Browser::new(&url);
                // A shopper whose post failed in transit sends it again with its key.
                for _ in 0..5 {
                    if place_as(&b, "HC101106", &key).await.is_ok() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                keys.push(key);
                n += 1;
            }
            keys
        })
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let status = tokio::process::Command::new(&script)
        .args(["restart", "1"])
        .status()
        .await
        .expect("restart");
    assert!(status.success());
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (pages, failures) = browsing.await.unwrap();
    let keys = ordering.await.unwrap();
    assert!(pages > 20, "browsing went on ({pages} pages)");
    assert!(
        failures.is_empty(),
        "browsing failures during the restart: {failures:?}"
    );
    for key in &keys {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(&fleet.db.pool)
            .await
            .unwrap();
        assert!(n <= 1, "{key} made {n} orders");
    }
}

/// PostgreSQL stops for six seconds during a checkout storm (`pg_ctlcluster 15 main
/// stop`, which ends every connection, then `start`): each answer is quick — an order, a refusal, or a 503 with
/// Retry-After, never a hang or a 500 — the fleet recovers by itself, every acknowledged
/// order is there, and re-sending the rest with their keys makes no duplicate.
#[tokio::test]
async fn postgres_going_away_gives_a_quick_503_and_the_fleet_recovers() {
    let Some(fleet) = fleet().await else { return };
    if std::env::var("CLUSTER_RESTART_POSTGRES").as_deref() != Ok("1") {
        eprintln!("fleet tests: CLUSTER_RESTART_POSTGRES not set; skipping the PostgreSQL restart");
        return;
    }
    fleet.set_stock("HC101107", 10_000).await;
    let storm = {
        let url = fleet.url.clone();
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            let started = Instant::now();
            let mut n = 0;
            while started.elapsed() < Duration::from_secs(14) {
                let key = key(&format!("outage-{n:06}"));
                let b = Browser::new(&url);
                let t = Instant::now();
                let r = place_as(&b, "HC101107", &key).await;
                outcomes.push((key, r, t.elapsed()));
                n += 1;
            }
            outcomes
        })
    };
    // A bare page during the outage: 503 and Retry-After, quickly.
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Away for six seconds: stopped (every connection ends), then started again.
    let restart = async {
        let pg = |action: &'static str| {
            tokio::process::Command::new("pg_ctlcluster")
                .args(["15", "main", action])
                .status()
        };
        let stopped = pg("stop").await?;
        tokio::time::sleep(Duration::from_secs(6)).await;
        let started = pg("start").await?;
        Ok::<_, std::io::Error>(stopped.success() && started.success())
    };
    let probe = async {
        let b = Browser::new(&fleet.url);
        let mut seen_503 = None;
        for _ in 0..40 {
            let t = Instant::now();
            let r = b
                .http
                .get(b.url(&format!("/checkout/{STORE}")))
                .send()
                .await
                .unwrap();
            let took = t.elapsed();
            assert!(took < Duration::from_secs(8), "a request hung {took:?}");
            assert_ne!(r.status().as_u16(), 500, "never a 500");
            if r.status().as_u16() == 503 {
                assert!(
                    r.headers().get("retry-after").is_some(),
                    "503 says when to retry"
                );
                seen_503 = Some(took);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        seen_503
    };
    let (restarted, seen_503) = tokio::join!(restart, probe);
    assert!(restarted.unwrap(), "PostgreSQL stopped and started");
    let took = seen_503.expect("while PostgreSQL was away, pages said 503 (try again)");
    assert!(
        took < Duration::from_secs(5),
        "the 503 came quickly ({took:?})"
    );
    let outcomes = storm.await.unwrap();
    eprintln!(
        "fleet outage: a 503 seen {seen_503:?}; {} checkouts tried",
        outcomes.len()
    );
    for (key, r, took) in &outcomes {
        assert!(*took < Duration::from_secs(30), "{key} took {took:?}");
        if let Err((status, body)) = r {
            assert_ne!(*status, 500, "{key}: {body}");
        }
    }
    // Recovered: a fresh checkout goes through within seconds.
    let mut recovered = false;
    for _ in 0..50 {
        if place(&fleet, "HC101107", &key("after-outage"))
            .await
            .is_ok()
        {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "the fleet recovers by itself");
    // Acknowledged orders are there; the others, sent again with their keys, make one each.
    for (key, r, _) in &outcomes {
        if let Ok(id) = r {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM orders WHERE id = $1 AND idempotency_key = $2",
            )
            .bind(id)
            .bind(key)
            .fetch_one(&fleet.db.pool)
            .await
            .unwrap();
            assert_eq!(n, 1, "acknowledged order {id} is kept");
        }
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(&fleet.db.pool)
            .await
            .unwrap();
        assert!(n <= 1, "{key}: {n} orders");
    }
}
