//! The console's stock and prices over HTTP on SQLite and PostgreSQL: an offer's edit
//! (price history and audit in its transaction), bad inputs refused beside their field
//! and changing nothing, the role check on every stock route, stock edits and imports
//! racing checkouts without a lost update or a negative stock, CSV imports applied all
//! or nothing and once, and a lowered price reaching a shopper's bag.

use crate::harness::{Browser, Fresh, TestApp};
use app::domain::console::InputProblem;
use app::domain::i18n::bag::{drop_notice, price_down};
use app::domain::i18n::staff::input_problem;
use app::domain::lang::Lang;
use app::domain::money::Money;
use app::domain::order::Mode;
use app::ssr::checkout::{self, OrderRequest, Placed};
use app::ssr::db::DbKind;
use std::sync::Arc;

const STORE: &str = "sh-jingan-temple";
const OTHER: &str = "sh-wujiang-road";
const SKU: &str = "HC101101";
const SET: &str = "/staff/stock/set";
const PREVIEW: &str = "/staff/stock/preview";
const APPLY: &str = "/staff/stock/apply";

async fn product_id(app: &TestApp, sku: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE sku = $1")
        .bind(sku)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
    id
}

/// (price, list price, stock) of an offer of [`STORE`].
async fn offer(app: &TestApp, sku: &str) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT o.price_minor, o.list_price_minor, o.stock FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN stores s ON s.id = o.store_id WHERE s.slug = $1 AND p.sku = $2",
    )
    .bind(STORE)
    .bind(sku)
    .fetch_one(&app.db().pool)
    .await
    .unwrap()
}

async fn set_offer(app: &TestApp, sku: &str, price: i64, list: i64, stock: i64) {
    let store = app.store_id(STORE).await;
    let product = product_id(app, sku).await;
    let done = sqlx::query(
        "UPDATE offers SET price_minor = $1, list_price_minor = $2, stock = $3 WHERE store_id = $4 AND product_id = $5",
    )
    .bind(price)
    .bind(list)
    .bind(stock)
    .bind(store)
    .bind(product)
    .execute(&app.db().pool)
    .await
    .unwrap();
    assert_eq!(done.rows_affected(), 1, "{sku} is offered in {STORE}");
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_as::<_, (i64,)>(sql)
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .0
}

/// Everything the stock routes could change, read back.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT CAST(SUM(stock) AS BIGINT) FROM offers",
        "SELECT CAST(SUM(price_minor) AS BIGINT) FROM offers",
        "SELECT CAST(SUM(list_price_minor) AS BIGINT) FROM offers",
        "SELECT COUNT(*) FROM audit_log",
        "SELECT COUNT(*) FROM price_history",
        "SELECT COUNT(*) FROM stock_imports",
        "SELECT COUNT(*) FROM stock_imports WHERE applied_at IS NOT NULL",
    ] {
        out.push(scalar(app, sql).await);
    }
    out
}

/// The first `n` SKUs [`STORE`] offers.
async fn store_skus(app: &TestApp, n: i64) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT p.sku FROM offers o JOIN products p ON p.id = o.product_id JOIN stores s ON s.id = o.store_id \
         WHERE s.slug = $1 ORDER BY p.sku LIMIT $2",
    )
    .bind(STORE)
    .bind(n)
    .fetch_all(&app.db().pool)
    .await
    .unwrap();
    rows.into_iter().map(|(s,)| s).collect()
}

async fn manager_id(app: &TestApp) -> i64 {
    let phone = app::ssr::staff::demo_phone(app.store_id(STORE).await, 1);
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE phone = $1")
        .bind(phone)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
    id
}

/// Some of a form's fields.
type Fields = &'static [(&'static str, &'static str)];

/// An edit as the page posts it, asking for JSON (for the status): status and message.
async fn edit(b: &Browser, fields: &[(&str, &str)]) -> (u16, String) {
    let mut form = vec![
        ("store", STORE),
        ("sku", SKU),
        ("price", ""),
        ("list_price", ""),
        ("stock", ""),
    ];
    for (k, v) in fields {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    let (status, body) = b.post_form_json(SET, &form).await;
    (
        status,
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// Previews `csv` without JavaScript; returns the import's id from the redirect.
async fn preview(b: &Browser, csv: &str) -> String {
    let r = b
        .post_form(PREVIEW, &[("store", STORE), ("csv", csv)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let prefix = format!("/staff/{STORE}/stock/import/");
    assert!(location.starts_with(&prefix), "{location}");
    location[prefix.len()..].to_owned()
}

/// A multipart post as the page's form sends it: the pasted text and a file, both `csv`.
async fn preview_multipart(b: &Browser, pasted: &str, file: &str) -> reqwest::Response {
    let boundary = "cloud-store-test-boundary-7f3a";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"store\"\r\n\r\n{STORE}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n{pasted}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"stock.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    b.http
        .post(b.url(PREVIEW))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("POST")
}

async fn apply(b: &Browser, id: &str) -> (u16, String) {
    let (status, body) = b
        .post_form_json(APPLY, &[("store", STORE), ("import", id)])
        .await;
    (
        status,
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

fn order(store: i64, product: i64, n: usize) -> OrderRequest {
    OrderRequest {
        owner: format!("stock-owner-{n}"),
        store_id: store,
        idempotency_key: format!("stock-key-{n:012}-abcdef"),
        mode: Mode::Pickup,
        window: None,
        pickup_at: Some(2_000_000_000),
        address: None,
        location: None,
        contact_name: "王小明".into(),
        phone: "13800138000".into(),
        lines: vec![(product, 1)],
        guide_code: None,
        member_id: None,
        coupon_id: None,
    }
}

/// `n` checkouts of one unit each, spawned at once; how many were placed.
fn checkouts(
    app: &TestApp,
    store: i64,
    product: i64,
    n: usize,
) -> Vec<tokio::task::JoinHandle<bool>> {
    (0..n)
        .map(|i| {
            let (db, key) = (app.db(), app.key());
            tokio::spawn(async move {
                let placed = checkout::place(&db, &key, &order(store, product, i))
                    .await
                    .expect("no database error");
                matches!(placed, Ok(Placed::New(_)))
            })
        })
        .collect()
}

both_backends! {
    /// A manager changes a price and the stock: both made, a price-history row and an
    /// audit row per change written, and the page shows the new price and its history.
    #[tokio::test]
    async fn a_manager_changes_price_and_stock(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        set_offer(&app, SKU, 1290, 1500, 5).await;
        let back = format!("/staff/{STORE}/stock?q={SKU}");
        let r = manager
            .post_form(SET, &[
                ("store", STORE), ("sku", "hc101101"), ("price", " 9.9 "), ("list_price", ""),
                ("stock", "12"), ("was_stock", "5"), ("back", &back),
            ])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], back.as_str());
        assert_eq!(offer(&app, SKU).await, (990, 1500, 12));
        let store = app.store_id(STORE).await;
        let product = product_id(&app, SKU).await;
        let history: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT price_minor, list_price_minor, staff_id FROM price_history WHERE store_id = $1 AND product_id = $2",
        )
        .bind(store)
        .bind(product)
        .fetch_all(&app.db().pool)
        .await
        .unwrap();
        assert_eq!(history, vec![(990, 1500, Some(manager_id(&app).await))]);
        let audit: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT action, subject, before, after FROM audit_log WHERE store_id = $1 ORDER BY id",
        )
        .bind(store)
        .fetch_all(&app.db().pool)
        .await
        .unwrap();
        let row = |a: &str, b: &str, c: &str| (a.to_owned(), SKU.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(audit, vec![row("stock", "stock 5", "stock 12"), row("price", "¥12.90", "¥9.90")]);
        // The page: the new price, the stock, the change in the history, the message once.
        let page = manager.page(&back).await;
        assert!(page.contains("已保存"), "{page:.2000}");
        assert!(page.contains("¥9.90") && page.contains(">12<"));
        assert!(page.contains("最近调价") && page.contains("店长"), "the history names who");
        assert!(page.contains("<label for=\"price-HC101101\""), "every input has its label");
        assert!(!manager.page(&back).await.contains("已保存"), "only once");
        // The same values again change nothing, and say so.
        let (status, message) = edit(&manager, &[("price", "9.90"), ("stock", "12"), ("was_stock", "12")]).await;
        assert_eq!((status, message.contains("没有要修改")), (200, true), "{message}");
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM price_history").await, 1);
        app.stop().await;
    }
}

both_backends! {
    /// Each bad input is refused with 400 and what is wrong, named beside its field, and
    /// changes nothing; a stock that moved since the page is a 409 that says it.
    #[tokio::test]
    async fn bad_inputs_are_refused_beside_their_field_and_change_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        set_offer(&app, SKU, 1290, 1500, 5).await;
        let before = fingerprint(&app).await;
        let cases: Vec<(Fields, InputProblem)> = vec![
            (&[("price", "-1")], InputProblem::PriceOutOfRange),
            (&[("price", "12.345")], InputProblem::NotAPrice),
            (&[("price", "0")], InputProblem::PriceOutOfRange),
            (&[("price", "1e3")], InputProblem::NotAPrice),
            (&[("stock", "1e9"), ("was_stock", "5")], InputProblem::NotAStock),
            (&[("stock", "-3"), ("was_stock", "5")], InputProblem::StockOutOfRange),
            (&[("stock", "4.5"), ("was_stock", "5")], InputProblem::NotAStock),
            (&[("price", "9"), ("list_price", "5")], InputProblem::ListBelowPrice),
            // Above the list price kept: the database's rule, checked first.
            (&[("price", "16")], InputProblem::ListBelowPrice),
            (&[("list_price", "12.80")], InputProblem::ListBelowPrice),
            (&[("sku", "ZZ999999"), ("price", "9")], InputProblem::UnknownSku),
            (&[("sku", "../../etc"), ("price", "9")], InputProblem::UnknownSku),
            // A good price with a bad stock: nothing of it is made.
            (&[("price", "9"), ("stock", "x"), ("was_stock", "5")], InputProblem::NotAStock),
        ];
        for (fields, problem) in cases {
            let got = edit(&manager, fields).await;
            assert_eq!(got, (400, input_problem(Lang::ZhCn, problem).to_owned()), "{fields:?}");
            assert_eq!(fingerprint(&app).await, before, "{fields:?} changed something");
        }
        // The page showed 4, a checkout made it 5: refused, saying 5, price untouched too.
        let (status, message) = edit(&manager, &[("price", "9"), ("stock", "20"), ("was_stock", "4")]).await;
        assert_eq!(status, 409);
        assert!(message.contains("现在是 5 件"), "{message}");
        assert_eq!(fingerprint(&app).await, before);
        // Without JavaScript: a redirect back, and the page says it beside the field.
        let back = format!("/staff/{STORE}/stock?q={SKU}");
        let r = manager
            .post_form(SET, &[("store", STORE), ("sku", SKU), ("price", "12.345"), ("back", &back)])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let page = manager.page(&back).await;
        let note = "id=\"note-HC101101-price\"";
        assert!(page.contains(note), "{page:.3000}");
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(page.contains("aria-describedby=\"note-HC101101-price\""));
        assert!(!manager.page(&back).await.contains(note), "once");
        assert_eq!(fingerprint(&app).await, before);
        app.stop().await;
    }
}

both_backends! {
    /// A staff member and a guide of the store, and another store's manager, get 403 on
    /// every stock page and post (signed out, 401); nothing changes. A brand admin may.
    #[tokio::test]
    async fn only_managers_of_the_store_touch_its_stock(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        set_offer(&app, SKU, 1290, 1500, 5).await;
        let id = preview(&manager, &format!("{SKU},9")).await;
        let before = fingerprint(&app).await;
        let people = [
            (app.staff(STORE, 2).await, 403, "staff"),
            (app.staff(STORE, 3).await, 403, "guide"),
            (app.staff(OTHER, 1).await, 403, "another store's manager"),
            (app.browser(), 401, "nobody"),
        ];
        let pages = [format!("/staff/{STORE}/stock"), format!("/staff/{STORE}/stock/import/{id}")];
        for (b, refusal, who) in &people {
            for path in &pages {
                let (status, body) = b.get(path).await;
                assert_eq!(status, *refusal, "{who} GET {path}");
                assert!(!body.contains("¥12.90") && !body.contains(SKU), "{who} saw {path}");
            }
            let posts: [(&str, Vec<(&str, &str)>); 3] = [
                (SET, vec![("sku", SKU), ("price", "1.23"), ("stock", "7"), ("was_stock", "5")]),
                (PREVIEW, vec![("csv", "HC101101,7")]),
                (APPLY, vec![("import", &id)]),
            ];
            for (path, fields) in &posts {
                let mut form = fields.clone();
                form.push(("store", STORE));
                let (status, _) = b.post_form_json(path, &form).await;
                assert_eq!(status, *refusal, "{who} POST {path}");
            }
            let r = preview_multipart(b, "", "HC101101,7").await;
            assert!(r.status().as_u16() == 303 || r.status().as_u16() >= 400, "{who}");
            assert_eq!(fingerprint(&app).await, before, "{who} changed something");
        }
        let admin = app.admin().await;
        assert_eq!(admin.get(&format!("/staff/{STORE}/stock")).await.0, 200);
        assert_eq!(apply(&admin, &id).await.0, 200);
        assert_eq!(offer(&app, SKU).await.2, 9);
        app.stop().await;
    }
}

every_isolation! {
    /// Checkouts of one unit race compare-and-set edits (each adding 5 to the stock it
    /// read): the stock never goes negative and no update is lost — it ends at the
    /// start, less the orders placed, plus 5 for each edit accepted.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn stock_edits_race_checkouts_without_losing_an_update(fresh: Fresh) {
        let app = TestApp::on(fresh).await;
        let kind = app.kind();
        let manager = Arc::new(app.staff(STORE, 1).await);
        let store = app.store_id(STORE).await;
        let product = product_id(&app, SKU).await;
        set_offer(&app, SKU, 1290, 1500, 60).await;
        let orders = checkouts(&app, store, product, 200);
        let edits: Vec<_> = (0..40)
            .map(|_| {
                let (manager, db) = (manager.clone(), app.db());
                tokio::spawn(async move {
                    // Read, then compare-and-set; refused (the stock moved), read again.
                    let mut conflicts = 0;
                    for _ in 0..20 {
                        let (was,): (i64,) =
                            sqlx::query_as("SELECT stock FROM offers WHERE store_id = $1 AND product_id = $2")
                                .bind(store)
                                .bind(product)
                                .fetch_one(&db.pool)
                                .await
                                .unwrap();
                        let (to, was) = ((was + 5).to_string(), was.to_string());
                        let (status, message) =
                            edit(&manager, &[("stock", &to), ("was_stock", &was)]).await;
                        match status {
                            200 => return (true, conflicts),
                            409 => {
                                assert!(message.contains("现在是"), "{message}");
                                conflicts += 1;
                            }
                            _ => panic!("{status} {message}"),
                        }
                    }
                    (false, conflicts)
                })
            })
            .collect();
        let mut placed = 0;
        for o in orders {
            placed += i64::from(o.await.unwrap());
        }
        let (mut accepted, mut conflicts) = (0, 0);
        for e in edits {
            let (done, refused) = e.await.unwrap();
            accepted += i64::from(done);
            conflicts += refused;
        }
        let (_, _, stock) = offer(&app, SKU).await;
        println!("{kind:?}: {placed} of 200 checkouts placed, {accepted} of 40 edits accepted after {conflicts} conflicts, stock {stock}");
        assert!(stock >= 0);
        assert_eq!(stock, 60 - placed + 5 * accepted, "placed {placed}, edits {accepted} ({kind:?})");
        let audited = scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'stock'").await;
        assert_eq!(audited, accepted, "one audit row per edit made");
        let sold = scalar(&app, "SELECT COUNT(*) FROM orders").await;
        assert_eq!(sold, placed);
        app.stop().await;
    }
}

both_backends! {
    /// Imports applied by difference race checkouts: every sale between preview and
    /// apply is still taken off; an import that would then go negative is refused whole.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn imports_apply_by_difference_while_checkouts_run(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = Arc::new(app.staff(STORE, 1).await);
        let store = app.store_id(STORE).await;
        let product = product_id(&app, SKU).await;
        set_offer(&app, SKU, 1290, 1500, 50).await;
        // Five previews, each seeing 50: each adds 10 × (i + 1).
        let mut ids = Vec::new();
        for i in 1..=5 {
            ids.push(preview(&manager, &format!("sku,stock\n{SKU},{}", 50 + 10 * i)).await);
        }
        let orders = checkouts(&app, store, product, 80);
        let applies: Vec<_> = ids
            .iter()
            .map(|id| {
                let (manager, id) = (manager.clone(), id.clone());
                tokio::spawn(async move { apply(&manager, &id).await })
            })
            .collect();
        let mut placed = 0;
        for o in orders {
            placed += i64::from(o.await.unwrap());
        }
        for a in applies {
            let (status, message) = a.await.unwrap();
            assert_eq!(status, 200, "{message}");
        }
        let (_, _, stock) = offer(&app, SKU).await;
        assert_eq!(stock, 50 - placed + 150, "placed {placed} ({kind:?})");
        // Seen `stock`, set to 0, then one more sold: 0 by difference would be -1.
        let id = preview(&manager, &format!("{SKU},0")).await;
        let shopper_order = order(store, product, 10_000);
        let sold = checkout::place(&app.db(), &app.key(), &shopper_order).await.unwrap();
        assert!(matches!(sold, Ok(Placed::New(_))));
        let before = fingerprint(&app).await;
        let (status, message) = apply(&manager, &id).await;
        assert_eq!(status, 409);
        assert!(message.contains(SKU) && message.contains("少于 0"), "{message}");
        assert_eq!(fingerprint(&app).await, before, "refused whole, not even claimed");
        assert_eq!(offer(&app, SKU).await.2, stock - 1);
        app.stop().await;
    }
}

both_backends! {
    /// A CSV with bad lines: the preview names each line and why, offers no apply, and an
    /// apply anyway is refused with 400 and writes nothing. Also as an uploaded file.
    #[tokio::test]
    async fn a_csv_with_bad_lines_writes_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        let skus = store_skus(&app, 2).await;
        let first = offer(&app, &skus[0]).await;
        let csv = format!("sku,stock,price_fen\n{},7\nZZ999999,3\n{},1e9\n\n{},4,abc\n", skus[0], skus[1], skus[1]);
        let before = fingerprint(&app).await;
        let id = preview(&manager, &csv).await;
        let (status, page) = manager.get(&format!("/staff/{STORE}/stock/import/{id}")).await;
        assert_eq!(status, 200);
        for (line, problem) in [(3, InputProblem::UnknownSku), (4, InputProblem::NotAStock), (6, InputProblem::NotAPrice)] {
            assert!(page.contains(&format!(">{line}</th>")), "line {line}: {page:.4000}");
            assert!(page.contains(input_problem(Lang::ZhCn, problem)), "{problem:?}");
        }
        assert!(page.contains("ZZ999999,3"), "the line as written");
        assert!(!page.contains("全部应用"), "no apply button");
        let (status, message) = apply(&manager, &id).await;
        assert_eq!(status, 400, "{message}");
        let mut after = fingerprint(&app).await;
        after[5] -= 1; // the kept import itself
        assert_eq!(after, before);
        // The page's multipart form, with the file chosen (it wins over the empty text).
        let r = preview_multipart(&manager, "", &format!("{},9\nnot a row\n", skus[0])).await;
        assert_eq!(r.status().as_u16(), 303);
        let page = manager.page(r.headers()["location"].to_str().unwrap()).await;
        assert!(page.contains(input_problem(Lang::ZhCn, InputProblem::BadRow)), "{page:.3000}");
        // Neither text nor file: said beside the field.
        let r = preview_multipart(&manager, "  ", "").await;
        assert_eq!(r.status().as_u16(), 303);
        let page = manager.page(&format!("/staff/{STORE}/stock")).await;
        assert!(page.contains("id=\"note-csv\""), "{page:.3000}");
        assert_eq!(offer(&app, &skus[0]).await, first, "nothing applied");
        app.stop().await;
    }
}

both_backends! {
    /// 5,000 rows (a 100 KB post, over the 64 KiB every other form may send) apply in one
    /// transaction: every stock and price, a history row per price, the list price raised
    /// under a new price above it, an audit row per change. A file whose last row would go
    /// negative changes none of its rows.
    #[tokio::test]
    async fn five_thousand_rows_apply_all_or_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        let store = app.store_id(STORE).await;
        let db = app.db();
        // 5,000 more products, each offered at ¥10.00 (list ¥12.00) with 20 in stock.
        let (category,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM categories").fetch_one(&db.pool).await.unwrap();
        for batch in 0..10 {
            let mut sql = String::from("INSERT INTO products (sku, category_id, name_zh, name_en, unit_zh, unit_en, image) VALUES ");
            let rows: Vec<String> = (0..500)
                .map(|i| format!("('BULK{:05}', {category}, '批量{i}', 'Bulk {i}', '件', 'each', '')", batch * 500 + i))
                .collect();
            sql.push_str(&rows.join(", "));
            sqlx::query(&sql).execute(&db.pool).await.unwrap();
        }
        sqlx::query(
            "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) \
             SELECT $1, id, 1000, 1200, 20 FROM products WHERE sku LIKE 'BULK%'",
        )
        .bind(store)
        .execute(&db.pool)
        .await
        .unwrap();
        // Every row adds 1; every 10th sets a price, every 20th one above the list price.
        let mut csv = String::from("sku,stock,price_fen\n");
        for i in 0..5000 {
            match i % 20 {
                0 => csv.push_str(&format!("BULK{i:05},21,1500\n")),
                10 => csv.push_str(&format!("BULK{i:05},21,800\n")),
                _ => csv.push_str(&format!("BULK{i:05},21\n")),
            }
        }
        assert!(csv.len() > 64 * 1024);
        let audit_before = scalar(&app, "SELECT COUNT(*) FROM audit_log").await;
        let started = std::time::Instant::now();
        let id = preview(&manager, &csv).await;
        let previewed = started.elapsed();
        let (status, page) = manager.get(&format!("/staff/{STORE}/stock/import/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("(5000)") && page.contains("全部应用"), "{page:.2000}");
        let started = std::time::Instant::now();
        let (status, message) = apply(&manager, &id).await;
        let applied = started.elapsed();
        assert_eq!(status, 200, "{message}");
        assert!(message.contains("5000"), "{message}");
        println!("{kind:?}: 5,000 rows previewed in {previewed:?}, applied in {applied:?}");
        let count = |sql: &'static str| scalar(&app, sql);
        assert_eq!(count("SELECT COUNT(*) FROM offers o JOIN products p ON p.id = o.product_id WHERE p.sku LIKE 'BULK%' AND o.stock = 21").await, 5000);
        assert_eq!(count("SELECT COUNT(*) FROM offers o JOIN products p ON p.id = o.product_id WHERE p.sku LIKE 'BULK%' AND o.price_minor = 1500 AND o.list_price_minor = 1500").await, 250);
        assert_eq!(count("SELECT COUNT(*) FROM offers o JOIN products p ON p.id = o.product_id WHERE p.sku LIKE 'BULK%' AND o.price_minor = 800 AND o.list_price_minor = 1200").await, 250);
        assert_eq!(count("SELECT COUNT(*) FROM price_history").await, 500);
        // 5,000 stock rows, 500 prices, 250 list prices raised, and the import itself.
        assert_eq!(count("SELECT COUNT(*) FROM audit_log").await - audit_before, 5000 + 500 + 250 + 1);
        // All or nothing: the first rows are fine, the last would go below zero.
        let id = preview(&manager, "BULK00001,0\nBULK00002,0\nBULK04999,0\n").await;
        sqlx::query(
            "UPDATE offers SET stock = stock - 1 WHERE store_id = $1 AND product_id = (SELECT id FROM products WHERE sku = 'BULK04999')",
        )
        .bind(store)
        .execute(&db.pool)
        .await
        .unwrap();
        let before = fingerprint(&app).await;
        let (status, message) = apply(&manager, &id).await;
        assert_eq!(status, 409, "{message}");
        assert!(message.contains("BULK04999"), "{message}");
        assert_eq!(fingerprint(&app).await, before);
        assert_eq!(count("SELECT stock FROM offers o JOIN products p ON p.id = o.product_id WHERE p.sku = 'BULK00001'").await, 21);
        app.stop().await;
    }
}

every_isolation! {
    /// The same import applied eight times at once, then again: applied once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn an_import_applies_once(fresh: Fresh) {
        let app = TestApp::on(fresh).await;
        let manager = Arc::new(app.staff(STORE, 1).await);
        set_offer(&app, SKU, 1290, 1500, 5).await;
        let id = preview(&manager, &format!("{SKU},8,990")).await;
        let tries: Vec<_> = (0..8)
            .map(|_| {
                let (manager, id) = (manager.clone(), id.clone());
                tokio::spawn(async move { apply(&manager, &id).await })
            })
            .collect();
        let mut statuses = Vec::new();
        for t in tries {
            statuses.push(t.await.unwrap().0);
        }
        statuses.sort_unstable();
        assert_eq!(statuses, vec![200, 409, 409, 409, 409, 409, 409, 409]);
        let (status, message) = apply(&manager, &id).await;
        assert_eq!(status, 409);
        assert!(message.contains("已经应用过"), "{message}");
        assert_eq!(offer(&app, SKU).await, (990, 1500, 8));
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM price_history").await, 1);
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'stock.import'").await, 1);
        let page = manager.page(&format!("/staff/{STORE}/stock/import/{id}")).await;
        assert!(page.contains("已应用") && !page.contains("全部应用"), "{page:.2000}");
        app.stop().await;
    }
}

both_backends! {
    /// A shopper's bag holds an item; a manager lowers its price; the shopper's next page
    /// tells them, once, and shows the new price. A page cached for shoppers without
    /// cookies catches up within its time to live.
    #[tokio::test]
    async fn a_lowered_price_reaches_the_shoppers_bag(kind: DbKind) {
        let app = TestApp::start(kind).await;
        set_offer(&app, SKU, 1290, 1500, 30).await;
        let product_page = format!("/s/{STORE}/p/{SKU}");
        let anonymous = app.browser();
        assert!(anonymous.page(&product_page).await.contains("¥12.90"), "cached at the old price");
        let shopper = app.browser();
        let r = shopper
            .post_form("/bag/add", &[("store", STORE), ("sku", SKU), ("quantity", "1"), ("back", "/")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        shopper.page("/").await; // the "added" message, out of the way
        let manager = app.staff(STORE, 1).await;
        let (status, message) = edit(&manager, &[("price", "9.90")]).await;
        assert_eq!(status, 200, "{message}");
        let (name, store_name): (String, String) = sqlx::query_as(
            "SELECT p.name_zh, s.name_zh FROM products p, stores s WHERE p.sku = $1 AND s.slug = $2",
        )
        .bind(SKU)
        .bind(STORE)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
        let notice = drop_notice(Lang::ZhCn, &name, &store_name, Money::cny(1290), Money::cny(990));
        let page = shopper.page("/bag").await;
        let by = price_down(Lang::ZhCn, Money::cny(300));
        assert!(page.contains(&by), "the bag's line shows {by}");
        // Told on the next page (the header reckons the bag once per request, in a task of
        // its own: a re-render cannot drop a claimed notice — see api::bag).
        assert!(page.contains(&notice), "{notice} on the next page");
        assert!(!shopper.page(&product_page).await.contains(&notice), "told once");
        // The shared micro-caches hold a page a second or two at most (see ssr::stock),
        // for the shopper with a bag (whose header is laid over the shared page) as for
        // the one without cookies.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            if anonymous.page(&product_page).await.contains("¥9.90")
                && shopper.page(&product_page).await.contains("¥9.90")
            {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the cached page never caught up");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        app.stop().await;
    }
}
