//! Process-crash safety on SQLite (server tests): the real server binary takes a burst of
//! checkouts, is killed with SIGKILL in the middle of it, and is started again on the same
//! file.
//!
//! What this proves — atomicity across a *process* crash: SIGKILL runs no destructor, no
//! graceful shutdown and no WAL checkpoint, so the file is left as the dying process left
//! it. The restarted server recovers the WAL (committed frames kept, a half-written tail
//! dropped) and then: serves every order it acknowledged (an acknowledgement is sent only
//! after the commit) on that order's page, to the shopper who placed it; holds no torn
//! transaction (every order has its line, and stock plus units sold is the stock we began
//! with); passes `PRAGMA integrity_check`; and, as each checkout post is sent again with
//! its idempotency key, acknowledged or not, makes no second order — an acknowledged key
//! leads to the order it named.
//!
//! What it does not prove — durability across power loss or an OS crash. SIGKILL ends only
//! the process: every page it handed to `write()` is in the OS page cache, which survives
//! it, so this test would pass with `synchronous = OFF` as well. `synchronous = FULL` (an
//! fsync of the WAL at each commit) only matters when that cache is lost too. Testing it
//! takes dropping unsynced writes underneath SQLite: a VM whose power is cut mid-burst, a
//! block device behind dm-flakey / dm-log-writes that discards what was not flushed, or
//! LazyFS (a FUSE file system with its own page cache that can be told to lose unsynced
//! data). None of that is done here.

use crate::harness::Browser;
use app::ssr::db::Db;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

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

/// A server process, killed when dropped (a failed assertion leaves none behind).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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

/// One shopper's checkout: their browser, the idempotency key they posted with, and the
/// order the server acknowledged (`None`: no acknowledgement came back).
struct Checkout {
    shopper: Browser,
    key: String,
    acked: Option<String>,
}

/// The checkout post, as the form enhancer sends it. `Err` when no answer came (the
/// server is dead): expected during the burst, not a failure there.
async fn post_checkout(
    shopper: &Browser,
    key: &str,
    pickup_at: &str,
) -> Result<(u16, serde_json::Value), reqwest::Error> {
    let r = shopper
        .http
        .post(shopper.url("/checkout/place"))
        .header("accept", "application/json")
        .form(&[
            ("store", STORE),
            ("key", key),
            ("mode", "pickup"),
            ("pickup_at", pickup_at),
            ("name", "Li"),
            ("phone", "13900000000"),
        ])
        .send()
        .await?;
    let status = r.status().as_u16();
    let text = r.text().await?;
    Ok((
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    ))
}

/// The same browser, pointed at another server: the cookie jar is the same shopper's.
fn moved_to(shopper: &Browser, base: &str) -> Browser {
    let moved = Browser::new(base);
    for pair in shopper.cookies().split("; ").filter(|p| !p.is_empty()) {
        moved.set_cookie(pair);
    }
    moved
}

/// Orders, units sold, and the offer's stock left.
async fn stock_and_sales(db: &Db) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM orders), \
                (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines), \
                (SELECT stock FROM offers WHERE store_id = (SELECT id FROM stores WHERE slug = $1) \
                   AND product_id = (SELECT id FROM products WHERE sku = $2))",
    )
    .bind(STORE)
    .bind(SKU)
    .fetch_one(&db.pool)
    .await
    .unwrap()
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
    let mut server = Server(start_server(&url, port));
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

    let acked_count = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = shoppers
        .into_iter()
        .enumerate()
        .map(|(i, shopper)| {
            let (acked_count, pickup_at) = (acked_count.clone(), pickup_at.clone());
            tokio::spawn(async move {
                let key = format!("crash-test-key-{i:06}");
                let acked = match post_checkout(&shopper, &key, &pickup_at).await {
                    Ok((200, reply)) => reply["order"].as_str().map(str::to_owned),
                    _ => None,
                };
                if acked.is_some() {
                    acked_count.fetch_add(1, Ordering::SeqCst);
                }
                Checkout {
                    shopper,
                    key,
                    acked,
                }
            })
        })
        .collect();
    // Kill it mid-burst: once some orders are acknowledged and others are still coming.
    for _ in 0..400 {
        if acked_count.load(Ordering::SeqCst) >= 40 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.0.kill().expect("SIGKILL");
    let _ = server.0.wait();
    let killed_at = acked_count.load(Ordering::SeqCst);
    let mut checkouts = Vec::new();
    for task in burst {
        checkouts.push(task.await.expect("a shopper's task"));
    }
    let acked: Vec<&Checkout> = checkouts.iter().filter(|c| c.acked.is_some()).collect();
    assert!(
        killed_at >= 1,
        "some orders were acknowledged before the kill"
    );
    assert!(
        acked.len() < SHOPPERS,
        "the kill landed mid-burst ({} of {SHOPPERS} acknowledged)",
        acked.len()
    );

    // The server again, a new process on the same file: it is the first to open it since
    // the kill, so the WAL recovery is its own.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _restarted = Server(start_server(&url, port));
    wait_healthy(&http, &base).await;

    // Every acknowledged order's page, to the shopper who placed it (an order's page is
    // its owner's session's only: anyone else is told it does not exist).
    for c in &acked {
        let id = c.acked.as_deref().unwrap();
        let shopper = moved_to(&c.shopper, &base);
        let (status, page) = shopper.get(&app::links::order(id)).await;
        assert_eq!(
            status, 200,
            "acknowledged order {id} is served after the restart"
        );
        assert!(page.contains(id), "the page is order {id}'s");
    }
    let (status, _) = Browser::new(&base)
        .get(&app::links::order(acked[0].acked.as_deref().unwrap()))
        .await;
    assert_eq!(
        status, 404,
        "and only to its shopper: the check above can fail"
    );

    let db = Db::connect(&url, 2).await.unwrap();
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok", "the file is sound after the kill");
    for c in &acked {
        let id = c.acked.as_deref().unwrap();
        let (lines,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM order_lines WHERE order_id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(lines, 1, "acknowledged order {id} is there, with its line");
    }
    let (committed, sold, stock) = stock_and_sales(&db).await;
    assert!(committed >= acked.len() as i64);
    assert_eq!(
        stock + sold,
        STOCK,
        "no half-written order: stock and lines agree"
    );

    // Every checkout sent again with its key, as a shopper whose answer never came (or who
    // tapped twice) would: acknowledged or not, one order per key — the acknowledged one
    // where there was one.
    let retries = checkouts.iter().map(|c| {
        let (shopper, pickup_at) = (moved_to(&c.shopper, &base), pickup_at.as_str());
        async move { post_checkout(&shopper, &c.key, pickup_at).await }
    });
    let replies = futures::future::join_all(retries).await;
    for (c, reply) in checkouts.iter().zip(replies) {
        let (status, reply) = reply.expect("the restarted server answers");
        assert_eq!(status, 200, "{} sent again: {reply}", c.key);
        let again = reply["order"].as_str().expect("an order");
        if let Some(id) = &c.acked {
            assert_eq!(again, id, "{} sent again leads to its order", c.key);
        }
        let (orders, id): (i64, Option<String>) =
            sqlx::query_as("SELECT COUNT(*), MAX(id) FROM orders WHERE idempotency_key = $1")
                .bind(&c.key)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(orders, 1, "{} made one order", c.key);
        assert_eq!(id.as_deref(), Some(again), "{} named its order", c.key);
    }
    let (orders, sold, stock) = stock_and_sales(&db).await;
    assert_eq!(orders, SHOPPERS as i64, "one order per shopper, no more");
    assert_eq!(stock + sold, STOCK, "stock and lines still agree");
    eprintln!(
        "crash test: {} acknowledged ({killed_at} when killed), {committed} committed by the \
         kill, {SHOPPERS} attempted",
        acked.len(),
    );
}
