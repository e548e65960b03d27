//! Crash safety on SQLite: the real server binary takes a burst of orders and is killed
//! with SIGKILL in the middle of it. Every order it acknowledged must be there when the
//! database is opened again, whole (its lines, its stock), because an acknowledgement is
//! only sent after the commit, and SQLite runs with `synchronous = FULL` in WAL mode.

use crate::harness::Browser;
use app::ssr::db::Db;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

const STORE: &str = "sh-jingan-temple";
const SKU: &str = "HC101101";
const SHOPPERS: usize = 300;
const STOCK: i64 = 100_000;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_server(db_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", db_url)
        .env("SECRET_KEY", "a crash-test signing key, long enough to use")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts")
}

async fn wait_healthy(http: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if let Ok(r) = http.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become healthy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_loses_no_acknowledged_order() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let server = Arc::new(Mutex::new(start_server(&url, port)));
    wait_healthy(&http, &base).await;

    // Plenty of stock, so every order could go through.
    let db = Db::connect(&url, 2).await.unwrap();
    sqlx::query(
        "UPDATE offers SET stock = $1 WHERE store_id = (SELECT id FROM stores WHERE slug = $2) \
         AND product_id = (SELECT id FROM products WHERE sku = $3)",
    )
    .bind(STOCK)
    .bind(STORE)
    .bind(SKU)
    .execute(&db.pool)
    .await
    .unwrap();
    db.pool.close().await;

    // Every shopper fills a bag first; then all check out at once.
    let mut shoppers = Vec::new();
    for _ in 0..SHOPPERS {
        let shopper = Browser::new(&base);
        shopper
            .post_form(
                "/bag/add",
                &[
                    ("store", STORE),
                    ("sku", SKU),
                    ("quantity", "1"),
                    ("back", "/"),
                ],
            )
            .await;
        assert!(shopper.cookie("sid").is_some(), "a session");
        shoppers.push(shopper);
    }
    let page = shoppers[0].page(&format!("/checkout/{STORE}")).await;
    let pickup_at = page
        .split("name=\"pickup_at\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(3))
        .and_then(|s| s.split('"').next())
        .expect("a pick-up time")
        .to_owned();

    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let started = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = shoppers
        .into_iter()
        .enumerate()
        .map(|(i, shopper)| {
            let (acked, started, pickup_at) = (acked.clone(), started.clone(), pickup_at.clone());
            tokio::spawn(async move {
                started.fetch_add(1, Ordering::SeqCst);
                let key = format!("crash-test-key-{i:06}");
                // Sent by hand rather than with `post_form_json`: a refused connection
                // (the server is dead) is expected here, not a test failure.
                let r = shopper
                    .http
                    .post(shopper.url("/checkout/place"))
                    .header("accept", "application/json")
                    .form(&[
                        ("store", STORE),
                        ("key", key.as_str()),
                        ("mode", "pickup"),
                        ("pickup_at", pickup_at.as_str()),
                        ("name", "Li"),
                        ("phone", "13900000000"),
                    ])
                    .send()
                    .await;
                if let Ok(r) = r
                    && r.status().is_success()
                    && let Ok(text) = r.text().await
                    && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
                    && let Some(id) = v["order"].as_str()
                {
                    acked.lock().await.push(id.to_owned());
                }
            })
        })
        .collect();
    // Kill it mid-burst: once some orders are acknowledged and others are still coming.
    for _ in 0..400 {
        if acked.lock().await.len() >= 40 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.lock().await.kill().expect("SIGKILL");
    let _ = server.lock().await.wait();
    let killed_at = acked.lock().await.len();
    for task in burst {
        let _ = task.await;
    }
    let acked = acked.lock().await.clone();
    assert!(
        killed_at >= 1,
        "some orders were acknowledged before the kill"
    );
    assert!(
        acked.len() < SHOPPERS,
        "the kill landed mid-burst ({} of {SHOPPERS} acknowledged)",
        acked.len()
    );

    // Reopen the file as a fresh process would.
    let db = Db::connect(&url, 2).await.unwrap();
    for id in &acked {
        let lines: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.id = $1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            lines.0, 1,
            "acknowledged order {id} is there, with its line"
        );
    }
    let (orders, sold, stock): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM orders), \
                (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines), \
                (SELECT stock FROM offers WHERE store_id = (SELECT id FROM stores WHERE slug = $1) \
                   AND product_id = (SELECT id FROM products WHERE sku = $2))",
    )
    .bind(STORE)
    .bind(SKU)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(orders >= acked.len() as i64);
    assert_eq!(
        stock + sold,
        STOCK,
        "no half-written order: stock and lines agree"
    );
    eprintln!(
        "crash test: {} acknowledged ({} when killed), {orders} committed, {SHOPPERS} attempted",
        acked.len(),
        killed_at
    );
}
