//! Checkout, orders and the till over HTTP: the JSON answers of the form handlers, a
//! cross-origin post refused before it changes anything, cookies over HTTPS, the staff
//! PIN's rate limit, and a pick-up code accepted once.

use crate::harness::{Browser, TestApp};
use app::ssr::db::DbKind;

const STORE: &str = "sh-jingan-temple";

/// A shopper whose bag holds `quantity` of `sku` from the store, added without JavaScript.
async fn shopper_with_bag(app: &TestApp, sku: &str, quantity: u32) -> Browser {
    let shopper = app.browser();
    let r = shopper
        .post_form(
            "/bag/add",
            &[
                ("store", STORE),
                ("sku", sku),
                ("quantity", &quantity.to_string()),
                ("back", "/"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(shopper.cookie("sid").is_some(), "a session");
    shopper
}

/// The `n`-th `<option value="…">` after `marker` in a page.
fn option_after(html: &str, marker: &str, n: usize) -> String {
    html.split(marker)
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(n))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

both_backends! {
    #[tokio::test]
    async fn placing_answers_json_with_errors_by_field_or_the_order(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let shopper = shopper_with_bag(&app, "HC101101", 2).await;
        let (status, page) = shopper.get(&format!("/checkout/{STORE}")).await;
        assert_eq!(status, 200);
        let pickup_at = option_after(&page, "name=\"pickup_at\"", 2);
        let key = "json-test-key-0001";

        let (status, body) = shopper
            .post_form_json("/checkout/place", &[
                ("store", STORE),
                ("key", key),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", ""),
                ("phone", "12345"),
            ])
            .await;
        assert_eq!(status, 400);
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[0].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name", "phone"]);

        let good = [
            ("store", STORE),
            ("key", key),
            ("mode", "pickup"),
            ("pickup_at", pickup_at.as_str()),
            ("name", "王小明"),
            ("phone", "138 0013 8000"),
        ];
        let (status, body) = shopper.post_form_json("/checkout/place", &good).await;
        assert_eq!(status, 200, "{body}");
        let id = body["order"].as_str().unwrap().to_owned();
        // The same form again: the same order.
        let (status, again) = shopper.post_form_json("/checkout/place", &good).await;
        assert_eq!((status, again["order"].as_str()), (200, Some(id.as_str())));

        let (status, order) = shopper.get(&format!("/orders/{id}")).await;
        assert_eq!(status, 200);
        assert!(order.contains("code-digits") && order.contains("<svg role=\"img\""));
        assert!(order.contains("13800138000"));
        // Another shopper, or nobody, gets nothing.
        let other = shopper_with_bag(&app, "HC101103", 1).await;
        assert_eq!(other.get(&format!("/orders/{id}")).await.0, 404);
        assert_eq!(app.get(&format!("/orders/{id}"), None).await.0, 404);
        app.stop().await;
    }
}

#[tokio::test]
async fn cross_origin_posts_change_nothing() {
    let app = TestApp::start(DbKind::Sqlite).await;
    for path in [
        "/bag/add",
        "/checkout/place",
        "/staff/login",
        "/kiosk/reset",
        "/orders/cancel",
    ] {
        let r = app
            .http
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .form(&[("store", STORE), ("sku", "HC101101"), ("back", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{path}");
        assert!(
            r.headers().get("set-cookie").is_none(),
            "{path} made no session"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn session_cookies_are_host_only_and_secure_over_https() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let r = app
        .http
        .post(app.url("/bag/add"))
        .header("x-forwarded-proto", "https")
        .form(&[("store", STORE), ("sku", "HC101101"), ("back", "/")])
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("sid="))
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-sid="), "{cookie}");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    app.stop().await;
}

#[tokio::test]
async fn staff_sign_in_locks_out_guessing_and_the_till_accepts_a_code_once() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let shopper = shopper_with_bag(&app, "HC101104", 1).await;
    let (_, page) = shopper.get(&format!("/checkout/{STORE}")).await;
    let pickup_at = option_after(&page, "name=\"pickup_at\"", 2);
    let (_, body) = shopper
        .post_form_json(
            "/checkout/place",
            &[
                ("store", STORE),
                ("key", "till-test-key-00001"),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", "Li"),
                ("phone", "13900000000"),
            ],
        )
        .await;
    let id = body["order"].as_str().unwrap().to_owned();
    let (_, order) = shopper.get(&format!("/orders/{id}")).await;
    let code: String = order
        .split("code-digits\">")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(code.len(), 10);

    // Not signed in: the till refuses codes.
    let stranger = app.browser();
    let collect = [("store", STORE), ("code", code.as_str())];
    let (status, _) = stranger.post_form_json("/till/collect", &collect).await;
    assert_eq!(status, 401);
    // Wrong passwords for one number, then its lock: five misses per quarter hour.
    let staff_phone = app::ssr::staff::demo_phone(app.store_id(STORE).await, 2);
    let password = app::ssr::staff::DEMO_PASSWORD;
    let login = |phone: &str, pw: &str| {
        let (phone, pw) = (phone.to_owned(), pw.to_owned());
        let b = app.browser();
        async move {
            b.post_form_json("/staff/login", &[("phone", &phone), ("password", &pw)])
                .await
                .0
        }
    };
    for _ in 0..5 {
        assert_eq!(login(&staff_phone, "not the password").await, 400);
    }
    assert_eq!(
        login(&staff_phone, password).await,
        429,
        "even the right password waits out the lock"
    );
    // Another person's number is not locked by those misses…
    let manager_phone = app::ssr::staff::demo_phone(app.store_id(STORE).await, 1);
    assert_eq!(login(&manager_phone, password).await, 200);
    // …but guessing across many numbers from one address meets the address's limit:
    // fifty misses in all per quarter hour.
    for n in 5..50 {
        let phone = format!("1370000{n:04}");
        assert_eq!(login(&phone, "wrong password here").await, 400, "miss {n}");
    }
    assert_eq!(
        login(&manager_phone, password).await,
        429,
        "the address's limit holds across numbers"
    );
    let db = app.db();
    sqlx::query("DELETE FROM rate_limits")
        .execute(&db.pool)
        .await
        .unwrap();

    // Store staff of this store: the code, once.
    let till = app.staff(STORE, 2).await;
    assert_eq!(till.post_form_json("/till/collect", &collect).await.0, 200);
    assert_eq!(till.post_form_json("/till/collect", &collect).await.0, 409);
    let (_, order) = shopper.get(&format!("/orders/{id}")).await;
    assert!(order.contains("已完成") && !order.contains("code-digits"));
    app.stop().await;
}

both_backends! {
    /// A guide's link credits them (first touch), the shopper sees it, and the order records it.
    #[tokio::test]
    async fn a_guide_link_credits_the_guide_on_the_order(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let (code, other): (String, String) = sqlx::query_as(
            "SELECT MIN(g.code), MAX(g.code) FROM guides g JOIN stores s ON s.id = g.store_id WHERE s.slug = $1",
        )
        .bind(STORE)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let arrive = |code: String, cookie: Option<String>| {
            let mut r = app
                .http
                .get(app.url(&format!("/g/{code}?to=/s/{STORE}/p/HC101101")));
            if let Some(c) = cookie {
                r = r.header("cookie", c);
            }
            r.send()
        };
        let r = arrive(code.clone(), None).await.unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], format!("/s/{STORE}/p/HC101101"));
        let credit = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            credit.starts_with(&format!("guide={code}.")) && credit.contains("Max-Age=2592000")
        );
        let credit = credit.split(';').next().unwrap().to_owned();
        // A second guide's link does not take the credit over; a bogus one credits nobody.
        let r = arrive(other, Some(credit.clone())).await.unwrap();
        assert!(r.headers().get("set-cookie").is_none());
        let r = arrive("GNOPE".into(), None).await.unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert!(r.headers().get("set-cookie").is_none());

        // Shop with the credit: the header says who, the order records them.
        let shopper = shopper_with_bag(&app, "HC101101", 1).await;
        shopper.set_cookie(&credit);
        let (_, page) = shopper.get(&format!("/checkout/{STORE}")).await;
        assert!(page.contains("notice-guide") && page.contains("为你服务"));
        let pickup_at = option_after(&page, "name=\"pickup_at\"", 2);
        let (status, body) = shopper
            .post_form_json("/checkout/place", &[
                ("store", STORE),
                ("key", "guided-order-key-001"),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", "Li"),
                ("phone", "13900000000"),
            ])
            .await;
        assert_eq!(status, 200, "{body}");
        let (recorded,): (Option<String>,) =
            sqlx::query_as("SELECT guide_code FROM orders WHERE id = $1")
                .bind(body["order"].as_str().unwrap())
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(recorded.as_deref(), Some(code.as_str()), "{:?}", app.kind());
        let (status, guide_page) = app.get(&format!("/guide/{code}"), None).await;
        assert_eq!(status, 200);
        assert!(
            guide_page.contains(&format!("/g/{code}")) && guide_page.contains("<svg role=\"img\"")
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_repeat_of_a_placed_order_is_answered_before_any_rate_limit() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let shopper = shopper_with_bag(&app, "HC101104", 1).await;
    let (_, page) = shopper.get(&format!("/checkout/{STORE}")).await;
    let pickup_at = option_after(&page, "name=\"pickup_at\"", 2);
    let form = |key: &'static str| {
        vec![
            ("store", STORE.to_owned()),
            ("key", key.to_owned()),
            ("mode", "pickup".to_owned()),
            ("pickup_at", pickup_at.clone()),
            ("name", "Li".to_owned()),
            ("phone", "13900000000".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let shopper = &shopper;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            shopper.post_form_json("/checkout/place", &pairs).await
        }
    };
    let (status, first) = post(form("repeat-test-key-00001")).await;
    assert_eq!(status, 200, "{first}");
    let id = first["order"].as_str().unwrap().to_owned();
    // Other posts use up the session's checkout allowance…
    let mut limited = false;
    for _ in 0..12 {
        let (status, _) = post(form("repeat-test-key-other")).await;
        limited |= status == 429;
    }
    assert!(limited, "the checkout limit was reached");
    // …yet the placed order's form sent again (a double tap) gets its order, not a 429.
    let (status, again) = post(form("repeat-test-key-00001")).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["order"].as_str(), Some(id.as_str()));
    app.stop().await;
}
