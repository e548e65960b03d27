//! The integration API's core promises over HTTP, on SQLite and PostgreSQL: keys and
//! scopes, bulk writes all or nothing, idempotency under a race, deltas and checkouts on
//! one offer losing nothing, the feed missing and repeating nothing while orders commit,
//! and a webhook delivered, signed, through failures and a restart.

use crate::harness::{Fresh, TestApp};
use app::domain::ops::{Scope, verify};
use app::domain::order::Mode;
use app::ssr::checkout::{self, OrderRequest, Placed};
use app::ssr::db::DbKind;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const KEY: &str = "ops-core-bootstrap-key-0123456789";
const STORE: &str = "sh-jingan-temple";
const SKU: &str = "HC101101";

async fn app(kind: DbKind) -> TestApp {
    TestApp::start_with(kind, |c| {
        c.ops_bootstrap_key = KEY.into();
        c.webhook_retry_seconds = 1;
        // The feed's reader polls every 20 ms for as long as PostgreSQL's oldest running
        // transaction (other tests' included) holds the feed back: the per-key limit is
        // not what these tests are about.
        c.ops_rate_limit = 100_000;
    })
    .await
}

/// A call to the server at `base`.
async fn call_at(
    base: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
    idem: Option<&str>,
) -> (u16, Value, bool) {
    let http = reqwest::Client::new();
    let mut r = http.request(method.parse().unwrap(), format!("{base}{path}"));
    if let Some(k) = key {
        r = r.header("authorization", format!("Bearer {k}"));
    }
    if let Some(i) = idem {
        r = r.header("idempotency-key", i);
    }
    if let Some(b) = body {
        r = r
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = r.send().await.expect("the server answers");
    let status = resp.status().as_u16();
    let replayed = resp.headers().get("idempotent-replayed").is_some();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        replayed,
    )
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
    idem: Option<&str>,
) -> (u16, Value, bool) {
    call_at(&app.base, method, path, key, body, idem).await
}

async fn stock(app: &TestApp, sku: &str) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT o.price_minor, o.stock, o.version FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN stores s ON s.id = o.store_id WHERE s.slug = $1 AND p.sku = $2",
    )
    .bind(STORE)
    .bind(sku)
    .fetch_one(&app.db().pool)
    .await
    .unwrap()
}

async fn ids(app: &TestApp) -> (i64, i64) {
    let store = app.store_id(STORE).await;
    let (product,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE sku = $1")
        .bind(SKU)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
    (store, product)
}

fn order(store: i64, product: i64, n: usize, units: i64) -> OrderRequest {
    OrderRequest {
        owner: format!("ops-owner-{n}"),
        store_id: store,
        idempotency_key: format!("ops-key-{n:012}-abcdef"),
        mode: Mode::Pickup,
        window: None,
        pickup_at: Some(2_000_000_000),
        address: None,
        location: None,
        contact_name: "王小明".into(),
        phone: "13800138000".into(),
        lines: vec![(product, units)],
        guide_code: None,
        member_id: None,
        coupon_id: None,
    }
}

both_backends! {
    /// No key, an unknown or revoked key → 401; a key without the scope → 403; each a JSON
    /// error and nothing changed. A foreign Origin means nothing here; every call is audited.
    #[tokio::test]
    async fn keys_and_scopes_guard_every_write(kind: DbKind) {
        let app = app(kind).await;
        let before = stock(&app, SKU).await;
        let body = json!([{"store": STORE, "sku": SKU, "delta": -1}]);
        let (s, b, _) = call(&app, "POST", "/ops/v1/stock/deltas", None, Some(body.clone()), None).await;
        assert_eq!((s, b["error"]["code"].as_str()), (401, Some("unauthorized")));
        let (s, _, _) = call(&app, "POST", "/ops/v1/stock/deltas", Some("cso_not-a-key-at-all-0000000000000000"), Some(body.clone()), None).await;
        assert_eq!(s, 401);
        let (admin,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM staff").fetch_one(&app.db().pool).await.unwrap();
        let db = app.db();
        let (id, reader) = app::ssr::ops::keys::create(&db, admin, "reader", &[Scope::OrdersRead]).await.unwrap();
        let (s, b, _) = call(&app, "POST", "/ops/v1/stock/deltas", Some(&reader), Some(body.clone()), None).await;
        assert_eq!((s, b["error"]["code"].as_str()), (403, Some("missing_scope")));
        assert_eq!(call(&app, "GET", "/ops/v1/orders", Some(&reader), None, None).await.0, 200);
        assert!(app::ssr::ops::keys::revoke(&db, admin, id).await.unwrap());
        assert_eq!(call(&app, "GET", "/ops/v1/orders", Some(&reader), None, None).await.0, 401);
        assert_eq!(stock(&app, SKU).await, before, "nothing changed");
        // A foreign Origin with a good key: the forms' rule does not apply.
        let r = app.http.post(app.url("/ops/v1/stock/deltas")).header("authorization", format!("Bearer {KEY}"))
            .header("origin", "https://evil.example").header("content-type", "application/json").body(body.to_string())
            .send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(stock(&app, SKU).await.1, before.1 - 1);
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE api_key_id IS NOT NULL").fetch_one(&app.db().pool).await.unwrap();
        // The 403, the feed read and the delta: each call that named a live key.
        assert_eq!(audited, 3, "{audited} calls audited");
        app.stop().await;
    }
}

both_backends! {
    /// One bad row among good ones: 422 naming it by index, and none of the rows written.
    #[tokio::test]
    async fn one_bad_row_writes_nothing(kind: DbKind) {
        let app = app(kind).await;
        let before = stock(&app, SKU).await;
        let rows = json!([
            {"store": STORE, "sku": SKU, "price_minor": 990, "stock": 5},
            {"store": STORE, "sku": "HC101102", "price_minor": 12.5},
        ]);
        let (s, b, _) = call(&app, "PUT", "/ops/v1/offers", Some(KEY), Some(rows), None).await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(b["error"]["problems"][0]["index"], 1);
        assert_eq!(b["error"]["problems"][0]["code"], "not_whole_fen");
        let rows = json!([
            {"store": STORE, "sku": SKU, "price_minor": 990, "stock": 5},
            {"store": STORE, "sku": "NOPE-404", "price_minor": 100},
        ]);
        let (s, b, _) = call(&app, "PUT", "/ops/v1/offers", Some(KEY), Some(rows), None).await;
        assert_eq!((s, b["error"]["problems"][0]["code"].as_str(), b["error"]["problems"][0]["index"].as_i64()), (422, Some("unknown_sku"), Some(1)));
        assert_eq!(stock(&app, SKU).await, before, "the good row was not written either");
        let (s, _, _) = call(&app, "PUT", "/ops/v1/offers", Some(KEY), Some(json!([{"store": STORE, "sku": SKU, "price_minor": 990, "stock": 5}])), None).await;
        assert_eq!(s, 200);
        let (price, st, version) = stock(&app, SKU).await;
        assert_eq!((price, st), (990, 5));
        assert_eq!(version, before.2 + i64::from(before.1 != 5));
        app.stop().await;
    }
}

both_backends! {
    /// Twenty requests at once with one Idempotency-Key: the delta is applied once and all
    /// get the same answer; the key with another body is refused.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn one_idempotency_key_writes_once_under_a_race(kind: DbKind) {
        let app = Arc::new(app(kind).await);
        let (_, before, _) = stock(&app, SKU).await;
        let body = json!([{"store": STORE, "sku": SKU, "delta": -3}]);
        let tasks: Vec<_> = (0..20).map(|_| {
            let (app, body) = (app.clone(), body.clone());
            tokio::spawn(async move { call(&app, "POST", "/ops/v1/stock/deltas", Some(KEY), Some(body), Some("race-1")).await })
        }).collect();
        let mut bodies = HashSet::new();
        let mut replays = 0;
        for t in tasks {
            let (s, b, replayed) = t.await.unwrap();
            assert_eq!(s, 200, "{b}");
            bodies.insert(b.to_string());
            replays += usize::from(replayed);
        }
        assert_eq!(bodies.len(), 1, "one answer: {bodies:?}");
        assert_eq!(replays, 19);
        assert_eq!(stock(&app, SKU).await.1, before - 3, "applied once");
        let (s, b, _) = call(&app, "POST", "/ops/v1/stock/deltas", Some(KEY), Some(json!([{"store": STORE, "sku": SKU, "delta": -4}])), Some("race-1")).await;
        assert_eq!((s, b["error"]["code"].as_str()), (422, Some("idempotency_key_reused")));
        assert_eq!(stock(&app, SKU).await.1, before - 3);
    }
}

both_backends! {
    /// Ten delta streams and web checkouts on one offer: the stock ends exactly at
    /// initial − sold + deltas, never below zero; a compare-and-set with a version read
    /// before a sale is refused.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn deltas_and_checkouts_lose_nothing(kind: DbKind) {
        let app = Arc::new(app(kind).await);
        let (store, product) = ids(&app).await;
        let (s, b, _) = call(&app, "PUT", "/ops/v1/stock", Some(KEY), Some(json!([{"store": STORE, "sku": SKU, "stock": 300}])), None).await;
        assert_eq!(s, 200, "{b}");
        let version = b["offers"][0]["version"].as_i64().unwrap();
        let deltas = Arc::new(AtomicUsize::new(0));
        let streams: Vec<_> = (0..10).map(|stream| {
            let (app, applied) = (app.clone(), deltas.clone());
            tokio::spawn(async move {
                let mut net = 0i64;
                for i in 0..15 {
                    let d = [-2i64, -1, 1, -3, 2][(stream + i) % 5];
                    let (s, b, _) = call(&app, "POST", "/ops/v1/stock/deltas", Some(KEY),
                        Some(json!([{"store": STORE, "sku": SKU, "delta": d}])), Some(&format!("s{stream}-{i}"))).await;
                    match s {
                        200 => { net += d; applied.fetch_add(1, Ordering::Relaxed); }
                        409 => assert_eq!(b["error"]["code"], "below_zero"),
                        _ => panic!("{s} {b}"),
                    }
                }
                net
            })
        }).collect();
        let orders: Vec<_> = (0..60).map(|n| {
            let (db, key) = (app.db(), app.key());
            tokio::spawn(async move {
                let units = 1 + (n % 3) as i64;
                match checkout::place(&db, &key, &order(store, product, n, units)).await.expect("no database error") {
                    Ok(Placed::New(_)) => units,
                    _ => 0,
                }
            })
        }).collect();
        let mut net = 0;
        for s in streams { net += s.await.unwrap(); }
        let mut sold = 0;
        for o in orders { sold += o.await.unwrap(); }
        let (_, now, v) = stock(&app, SKU).await;
        println!("{kind:?}: sold {sold}, deltas net {net} ({} applied), stock {now}, version {v}", deltas.load(Ordering::Relaxed));
        assert!(now >= 0);
        assert_eq!(now, 300 - sold + net);
        assert!(sold > 0 && v > version);
        let (s, b, _) = call(&app, "PUT", "/ops/v1/stock", Some(KEY), Some(json!([{"store": STORE, "sku": SKU, "stock": 1, "expected_version": version}])), None).await;
        assert_eq!((s, b["error"]["code"].as_str()), (409, Some("version_conflict")));
        assert_eq!(stock(&app, SKU).await.1, now, "nothing written");
    }
}

both_backends! {
    /// While orders commit concurrently, a reader following the cursor sees every event
    /// exactly once: nothing skipped, nothing repeated.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_feed_misses_and_repeats_nothing(kind: DbKind) {
        let app = Arc::new(app(kind).await);
        let (store, product) = ids(&app).await;
        let placing: Vec<_> = (0..40).map(|n| {
            let (db, key) = (app.db(), app.key());
            tokio::spawn(async move {
                let placed = checkout::place(&db, &key, &order(store, product, 1000 + n, 1)).await.unwrap();
                if let Ok(Placed::New(id)) = placed && n % 4 == 0 {
                    checkout::cancel(&db, &format!("ops-owner-{}", 1000 + n), &id).await.unwrap();
                }
            })
        }).collect();
        let mut seen = Vec::new();
        let mut cursor = String::new();
        // Once every order has committed, the reader goes on until it has as many events as
        // the table: on PostgreSQL the feed shows a transaction's events only once every
        // older transaction of the whole cluster has ended (other tests' included), so
        // "nothing new yet" is not "nothing more".
        let mut total = None;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let (s, b, _) = call(&app, "GET", &format!("/ops/v1/orders?limit=7&after={cursor}"), Some(KEY), None, None).await;
            assert_eq!(s, 200, "{b}");
            for e in b["events"].as_array().unwrap() {
                seen.push(e["id"].as_i64().unwrap());
                assert!(e["order"]["lines"].is_array() && e["order"]["store"] == STORE);
            }
            cursor = b["next"].as_str().unwrap().to_owned();
            if total.is_none() && placing.iter().all(|t| t.is_finished()) {
                let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM order_events").fetch_one(&app.db().pool).await.unwrap();
                total = Some(n as usize);
            }
            if total.is_some_and(|n| seen.len() >= n) { break; }
            assert!(std::time::Instant::now() < deadline, "the feed gave {} events; the table has {total:?}", seen.len());
            if b["events"].as_array().unwrap().is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
        let all: Vec<(i64,)> = sqlx::query_as("SELECT id FROM order_events ORDER BY id").fetch_all(&app.db().pool).await.unwrap();
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(sorted.len(), seen.iter().collect::<HashSet<_>>().len(), "no event twice");
        assert_eq!(sorted, all.into_iter().map(|r| r.0).collect::<Vec<_>>(), "every event once");
        assert!(seen.len() >= 50, "{} events", seen.len());
        let (s, _, _) = call(&app, "GET", "/ops/v1/orders?after=nonsense", Some(KEY), None, None).await;
        assert_eq!(s, 400);
    }
}

/// A receiver that fails the first `fail` posts, then records each body and signature.
async fn receiver(
    fail: usize,
) -> (
    String,
    Arc<std::sync::Mutex<Vec<(String, Vec<u8>)>>>,
    Arc<AtomicUsize>,
) {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode};
    let got = Arc::new(std::sync::Mutex::new(Vec::new()));
    let tries = Arc::new(AtomicUsize::new(0));
    let (g, t) = (got.clone(), tries.clone());
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (g, t) = (g.clone(), t.clone());
            async move {
                if t.fetch_add(1, Ordering::SeqCst) < fail {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let sig = headers
                    .get("x-cloudstore-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                g.lock().unwrap().push((sig, body.to_vec()));
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, got, tries)
}

async fn wait_for<F: Fn() -> bool>(what: &str, f: F) {
    for _ in 0..300 {
        if f() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

both_backends! {
    /// A webhook whose receiver fails twice is delivered on the third attempt, signed; one
    /// queued while the server was down is delivered after it starts again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn webhooks_arrive_signed_through_failures_and_a_restart(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let config = || {
            let mut c = fresh.config();
            c.ops_bootstrap_key = KEY.into();
            c.webhook_retry_seconds = 1;
            c
        };
        let first = server::start(config()).await.unwrap();
        let base = format!("http://{}", first.addr);
        let (url, got, tries) = receiver(2).await;
        let (s, hook, _) = call_at(&base, "POST", "/ops/v1/webhooks", Some(KEY), Some(json!({"url": url, "events": ["placed"]})), None).await;
        assert_eq!(s, 201, "{hook}");
        let secret = hook["secret"].as_str().unwrap().to_owned();
        let db = first.db.clone();
        let store = {
            let (id,): (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1").bind(STORE).fetch_one(&db.pool).await.unwrap();
            id
        };
        let (product,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE sku = $1").bind(SKU).fetch_one(&db.pool).await.unwrap();
        let key = app::ssr::settings::SigningKey::ephemeral();
        assert!(matches!(checkout::place(&db, &key, &order(store, product, 1, 1)).await.unwrap(), Ok(Placed::New(_))));
        wait_for("the third attempt", || !got.lock().unwrap().is_empty()).await;
        assert_eq!(tries.load(Ordering::SeqCst), 3);
        let (sig, body) = got.lock().unwrap()[0].clone();
        let now = chrono::Utc::now().timestamp();
        assert!(verify(&secret, &sig, &body, now, 300), "the signature verifies");
        assert!(!verify("whsec_wrong", &sig, &body, now, 300));
        let event: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(event["type"], "placed");
        let (_, log, _) = call_at(&base, "GET", &format!("/ops/v1/webhooks/{}/deliveries", hook["id"]), Some(KEY), None, None).await;
        assert_eq!((log[0]["state"].as_str(), log[0]["attempts"].as_i64()), (Some("delivered"), Some(3)));

        // Down: an order placed while no server runs is delivered once one starts again.
        first.stop().await;
        assert!(matches!(checkout::place(&db, &key, &order(store, product, 2, 1)).await.unwrap(), Ok(Placed::New(_))));
        assert_eq!(got.lock().unwrap().len(), 1, "nobody delivered it yet");
        let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'").fetch_one(&db.pool).await.unwrap();
        assert_eq!(pending, 1);
        let again = server::start(config()).await.unwrap();
        wait_for("the delivery after the restart", || got.lock().unwrap().len() == 2).await;
        again.stop().await;
    }
}

both_backends! {
    /// The document: OpenAPI 3.1, every path, the bearer scheme, no key needed.
    #[tokio::test]
    async fn the_openapi_document_names_every_operation(kind: DbKind) {
        let app = app(kind).await;
        let (s, doc, _) = call(&app, "GET", "/ops/v1/openapi.json", None, None, None).await;
        assert_eq!(s, 200);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        for p in ["/ops/v1/stores", "/ops/v1/products", "/ops/v1/offers", "/ops/v1/offers/{store}/{sku}", "/ops/v1/stock",
                  "/ops/v1/stock/deltas", "/ops/v1/orders", "/ops/v1/webhooks", "/ops/v1/webhooks/{id}", "/ops/v1/webhooks/{id}/deliveries"] {
            assert!(doc["paths"][p].is_object(), "{p} missing");
        }
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
        app.stop().await;
    }
}

both_backends! {
    /// A price lowered through the API reaches a shopper's bag as a price-drop notice,
    /// and the price history has it, as a console edit does.
    #[tokio::test]
    async fn a_price_lowered_through_the_api_reaches_the_bag(kind: DbKind) {
        use app::domain::i18n::bag::{drop_notice, price_down};
        use app::domain::lang::Lang;
        use app::domain::money::Money;
        let app = app(kind).await;
        let set = json!([{"store": STORE, "sku": SKU, "price_minor": 1290, "list_price_minor": 1500, "stock": 30}]);
        assert_eq!(call(&app, "PUT", "/ops/v1/offers", Some(KEY), Some(set), None).await.0, 200);
        let shopper = app.browser();
        let r = shopper.post_form("/bag/add", &[("store", STORE), ("sku", SKU), ("quantity", "1"), ("back", "/")]).await;
        assert_eq!(r.status().as_u16(), 303);
        shopper.page("/").await;
        let lower = json!([{"store": STORE, "sku": SKU, "price_minor": 990, "list_price_minor": 1500}]);
        let (s, b, _) = call(&app, "PUT", "/ops/v1/offers", Some(KEY), Some(lower), None).await;
        assert_eq!((s, b["prices_changed"].as_i64()), (200, Some(1)), "{b}");
        let (name, store_name): (String, String) = sqlx::query_as(
            "SELECT p.name_zh, s.name_zh FROM products p, stores s WHERE p.sku = $1 AND s.slug = $2",
        ).bind(SKU).bind(STORE).fetch_one(&app.db().pool).await.unwrap();
        let page = shopper.page("/bag").await;
        assert!(page.contains(&price_down(Lang::ZhCn, Money::cny(300))), "the bag's line shows the drop");
        assert!(page.contains(&drop_notice(Lang::ZhCn, &name, &store_name, Money::cny(1290), Money::cny(990))), "told");
        let (history,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM price_history h JOIN products p ON p.id = h.product_id WHERE p.sku = $1 AND h.price_minor = 990",
        ).bind(SKU).fetch_one(&app.db().pool).await.unwrap();
        assert_eq!(history, 1);
        app.stop().await;
    }
}

both_backends! {
    /// Two servers on one database, each with its webhook dispatcher: 30 orders placed
    /// through either are each delivered once — no event lost, none sent by both — and
    /// every delivery is signed with the subscription's secret.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_servers_deliver_each_event_once(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let config = || {
            let mut c = fresh.config();
            c.ops_bootstrap_key = KEY.into();
            c.webhook_retry_seconds = 1;
            c
        };
        let (a, b) = (server::start(config()).await.unwrap(), server::start(config()).await.unwrap());
        let (url, got, _) = receiver(0).await;
        let base = format!("http://{}", a.addr);
        let (s, hook, _) = call_at(&base, "POST", "/ops/v1/webhooks", Some(KEY), Some(json!({"url": url, "events": ["placed"]})), None).await;
        assert_eq!(s, 201, "{hook}");
        let secret = hook["secret"].as_str().unwrap().to_owned();
        let (store, product): (i64, i64) = sqlx::query_as(
            "SELECT s.id, p.id FROM stores s, products p WHERE s.slug = $1 AND p.sku = $2",
        )
        .bind(STORE)
        .bind(SKU)
        .fetch_one(&a.db.pool)
        .await
        .unwrap();
        let key = app::ssr::settings::SigningKey::ephemeral();
        for n in 0..30 {
            let db = if n % 2 == 0 { &a.db } else { &b.db };
            assert!(matches!(checkout::place(db, &key, &order(store, product, 500 + n, 1)).await.unwrap(), Ok(Placed::New(_))));
        }
        wait_for("30 deliveries", || got.lock().unwrap().len() >= 30).await;
        // Time for a second server's duplicate, were there one.
        tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
        let got = got.lock().unwrap().clone();
        let now = chrono::Utc::now().timestamp();
        let mut ids = HashSet::new();
        for (sig, body) in &got {
            assert!(verify(&secret, sig, body, now, 300), "signed");
            let event: Value = serde_json::from_slice(body).unwrap();
            assert!(ids.insert(event["id"].to_string()), "{} delivered twice", event["id"]);
        }
        assert_eq!(ids.len(), 30, "every event once");
        a.stop().await;
        b.stop().await;
    }
}
