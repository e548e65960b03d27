//! Staff accounts and the console over HTTP: every staff route × every role, on both
//! databases — a person acting on a store they have no role in (or a role that does not
//! allow it) gets 403 and nothing changes; signed out, 401. Also sign-in, sign out
//! everywhere, the first admin from the environment, the order queue's moves and a
//! store's cancel that the shopper then sees with its reason.

use crate::harness::{Browser, TestApp};
use app::domain::staff::{Action, Role, allows};
use app::ssr::db::DbKind;

const STORE: &str = "sh-jingan-temple";
const OTHER: &str = "sh-wujiang-road";

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Nobody,
    Admin,
    /// A role in [`STORE`].
    Here(Role),
    /// The manager of [`OTHER`] (no role in [`STORE`]).
    OtherManager,
}

impl Who {
    fn may(self, action: Action) -> bool {
        match self {
            Who::Nobody | Who::OtherManager => false,
            Who::Admin => true,
            Who::Here(role) => allows(role, action),
        }
    }

    /// The status a refusal comes with.
    fn refusal(self) -> u16 {
        if self == Who::Nobody { 401 } else { 403 }
    }
}

/// A staff route: GET a page, or POST a form (as the form enhancer does, for statuses).
struct Route {
    action: Action,
    method: &'static str,
    path: String,
    form: Vec<(&'static str, String)>,
}

fn get(action: Action, path: String) -> Route {
    Route {
        action,
        method: "GET",
        path,
        form: vec![],
    }
}

fn post(action: Action, path: &str, form: &[(&'static str, &str)]) -> Route {
    let mut form: Vec<(&'static str, String)> =
        form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    form.push(("store", STORE.to_owned()));
    Route {
        action,
        method: "POST",
        path: path.to_owned(),
        form,
    }
}

async fn place_pickup(app: &TestApp, key: &str) -> String {
    place_pickup_by(app, key).await.1
}

/// The shopper and their new pick-up order's id.
async fn place_pickup_by(app: &TestApp, key: &str) -> (Browser, String) {
    let shopper = app.browser();
    shopper
        .post_form(
            "/bag/add",
            &[
                ("store", STORE),
                ("sku", "HC101101"),
                ("quantity", "1"),
                ("back", "/"),
            ],
        )
        .await;
    let page = shopper.page(&format!("/checkout/{STORE}")).await;
    let pickup_at = page
        .split("name=\"pickup_at\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(2))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let (status, body) = shopper
        .post_form_json(
            "/checkout/place",
            &[
                ("store", STORE),
                ("key", key),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", "Li"),
                ("phone", "13900000000"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (shopper, body["order"].as_str().unwrap().to_owned())
}

/// Everything a staff route could change, read back: equal before and after means
/// nothing changed.
async fn fingerprint(app: &TestApp) -> Vec<String> {
    let db = app.db();
    let mut out = Vec::new();
    for sql in [
        "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log",
        "SELECT CAST(SUM(stock) AS TEXT) || ':' || CAST(SUM(price_minor) AS TEXT) || ':' || CAST(SUM(list_price_minor) AS TEXT) FROM offers",
        "SELECT CAST(COUNT(*) AS TEXT) FROM price_history",
        "SELECT id || ':' || status || ':' || COALESCE(courier, '') || ':' || COALESCE(cancel_reason, '') FROM orders ORDER BY id",
        "SELECT slug || ':' || CAST(window_capacity AS TEXT) || ':' || CAST(delivery_radius_m AS TEXT) || ':' || CAST(delivery_fee_minor AS TEXT) || ':' || CAST(free_delivery_from_minor AS TEXT) || ':' || CAST(pickup_lead_min AS TEXT) || ':' || COALESCE(CAST(paused_until AS TEXT), '') || ':' || paused_modes || ':' || special_days FROM stores ORDER BY id",
        "SELECT CAST(staff_id AS TEXT) || ':' || CAST(store_id AS TEXT) || ':' || role FROM staff_roles ORDER BY staff_id, store_id",
        "SELECT phone || ':' || password_hash FROM staff ORDER BY id",
        "SELECT CAST(COUNT(*) AS TEXT) FROM points_ledger",
        "SELECT CAST(COUNT(*) AS TEXT) FROM coupons WHERE used_at IS NOT NULL",
        "SELECT CAST(COUNT(*) AS TEXT) FROM stock_imports",
        "SELECT CAST(starts_at AS TEXT) || ':' || CAST(capacity AS TEXT) FROM delivery_windows ORDER BY store_id, starts_at",
        "SELECT slug || ':' || CAST(capacity AS TEXT) || ':' || CAST(active AS TEXT) FROM services ORDER BY id",
        "SELECT id || ':' || status FROM bookings ORDER BY id",
    ] {
        let rows: Vec<(Option<String>,)> = sqlx::query_as(sql).fetch_all(&db.pool).await.unwrap();
        out.push(format!("{sql} => {:?}", rows));
    }
    out
}

async fn ask(b: &Browser, r: &Route) -> (u16, String) {
    if r.method == "GET" {
        b.get(&r.path).await
    } else {
        let form: Vec<(&str, &str)> = r.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = b.post_form_json(&r.path, &form).await;
        (status, body.to_string())
    }
}

both_backends! {
    /// Every staff page and post × every role: refused ones are 401/403 and change
    /// nothing; allowed ones get past the check.
    #[tokio::test]
    async fn every_staff_route_checks_the_role_for_that_store(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let order = place_pickup(&app, "matrix-order-key-0001").await;
        let store_id = app.store_id(STORE).await;
        // Someone for the team posts to act on: a second staff member of STORE.
        let (target,) : (i64,) = {
            let id = app::ssr::staff::add_to_store(&app.db(), store_id, "备用", "13700009999", Role::Staff, "a long password 1")
                .await
                .unwrap()
                .unwrap();
            (id,)
        };
        let target = target.to_string();
        let s = STORE;
        let routes = vec![
            get(Action::Orders, format!("/staff/{s}")),
            get(Action::Orders, format!("/staff/{s}/orders/{order}")),
            get(Action::Orders, format!("/staff/{s}/queue.json")),
            get(Action::Till, format!("/till/{s}")),
            get(Action::Stock, format!("/staff/{s}/stock")),
            get(Action::Stock, format!("/staff/{s}/stock/import/no-such-import")),
            get(Action::Settings, format!("/staff/{s}/settings")),
            get(Action::Team, format!("/staff/{s}/team")),
            get(Action::Audit, format!("/staff/{s}/audit")),
            get(Action::Services, format!("/staff/{s}/services")),
            get(Action::OwnResults, format!("/staff/{s}/guides?period=month")),
            get(Action::OwnResults, format!("/staff/{s}/guides.csv?period=day")),
            post(Action::Orders, "/staff/orders/advance", &[("id", &order), ("to", "preparing")]),
            post(Action::Orders, "/staff/orders/cancel", &[("id", &order), ("reason", "售罄 sold out")]),
            post(Action::Orders, "/staff/orders/short", &[("id", &order), ("sku", "HC101101"), ("short", "1")]),
            post(Action::Till, "/till/collect", &[("code", "1234567890")]),
            post(Action::Till, "/till/advance", &[("id", &order)]),
            post(Action::Till, "/till/member", &[("code", "12345678901234")]),
            post(Action::Till, "/till/redeem", &[("m", "x"), ("coupon", "1")]),
            post(Action::Till, "/till/points", &[("m", "x"), ("points", "5")]),
            post(Action::Till, "/till/verify", &[("booking_code", "1234567890")]),
            post(Action::Services, "/staff/services/set", &[("service", "fitting-room"), ("capacity", "3"), ("active", "1")]),
            post(Action::Stock, "/staff/stock/set", &[("sku", "HC101101"), ("price", "1.23"), ("list_price", ""), ("stock", ""), ("was_stock", "")]),
            post(Action::Stock, "/staff/stock/preview", &[("csv", "HC101101,7")]),
            post(Action::Stock, "/staff/stock/apply", &[("import", "no-such-import")]),
            post(Action::Settings, "/staff/settings/save", &[("window_capacity", "7"), ("delivery_radius_km", "2"), ("delivery_fee", "5"), ("free_delivery_from", "60"), ("pickup_lead_min", "45")]),
            post(Action::Settings, "/staff/settings/window", &[("starts_at", "0"), ("capacity", "3")]),
            post(Action::Settings, "/staff/settings/pause", &[("scope", "delivery"), ("minutes", "30")]),
            post(Action::Settings, "/staff/settings/special-day", &[("date", "2099-01-01"), ("hours", "")]),
            post(Action::Settings, "/staff/settings/special-day/remove", &[("date", "2099-01-01")]),
            post(Action::Team, "/staff/team/add", &[("name", "新人"), ("phone", "13700001234"), ("role", "staff"), ("password", "a long password 2")]),
            post(Action::Team, "/staff/team/reset", &[("staff", &target), ("password", "a long password 3")]),
            post(Action::Team, "/staff/team/remove", &[("staff", &target)]),
        ];
        let people = [
            (Who::Nobody, app.browser()),
            (Who::OtherManager, app.staff(OTHER, 1).await),
            (Who::Here(Role::Guide), app.staff(STORE, 3).await),
            (Who::Here(Role::Staff), app.staff(STORE, 2).await),
            (Who::Here(Role::Manager), app.staff(STORE, 1).await),
            (Who::Admin, app.admin().await),
        ];
        // Refusals first, each checked to change nothing…
        let mut checked = 0;
        for (who, browser) in &people {
            for r in routes.iter().filter(|r| !who.may(r.action)) {
                let before = fingerprint(&app).await;
                let (status, body) = ask(browser, r).await;
                assert_eq!(status, who.refusal(), "{who:?} {} {}: {body:.300}", r.method, r.path);
                assert!(!body.contains(&format!(">{order}<")), "{who:?} {} saw the order", r.path);
                assert_eq!(fingerprint(&app).await, before, "{who:?} {} {} changed something", r.method, r.path);
                checked += 1;
            }
        }
        // …then everyone allowed gets past the check (the post may still be refused on
        // its merits: a wrong code, an order already moved).
        for (who, browser) in &people {
            for r in routes.iter().filter(|r| who.may(r.action)) {
                let (status, body) = ask(browser, r).await;
                assert!(![401, 403].contains(&status), "{who:?} {} {}: {status} {body:.300}", r.method, r.path);
                assert!(status < 500, "{who:?} {} {}: {status} {body:.300}", r.method, r.path);
                checked += 1;
            }
        }
        assert_eq!(checked, routes.len() * people.len());
        app.stop().await;
    }
}

both_backends! {
    /// Sign in, sign out, and sign out everywhere: sessions live in the database, so a
    /// second device's session ends too.
    #[tokio::test]
    async fn signing_out_everywhere_ends_every_device(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let phone = crate::harness::ADMIN_PHONE;
        let first = app.signed_in(phone, crate::harness::ADMIN_PASSWORD).await;
        let second = app.signed_in(phone, crate::harness::ADMIN_PASSWORD).await;
        assert_eq!(first.get(&format!("/staff/{STORE}")).await.0, 200);
        assert_eq!(second.get(&format!("/staff/{STORE}")).await.0, 200);
        // The cookie is HttpOnly and SameSite.
        let r = app
            .browser()
            .post_form("/staff/login", &[("phone", phone), ("password", crate::harness::ADMIN_PASSWORD)])
            .await;
        let cookie = crate::harness::set_cookies(&r).into_iter().find(|c| c.starts_with("tid=")).unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite"), "{cookie}");
        // Signing out one device leaves the other…
        let (status, _) = first.post_form_json("/staff/logout", &[]).await;
        assert_eq!(status, 200);
        assert_eq!(first.get(&format!("/staff/{STORE}")).await.0, 401);
        assert_eq!(second.get(&format!("/staff/{STORE}")).await.0, 200);
        // …and "everywhere" ends them all.
        let third = app.signed_in(phone, crate::harness::ADMIN_PASSWORD).await;
        let (status, _) = third.post_form_json("/staff/logout", &[("everywhere", "1")]).await;
        assert_eq!(status, 200);
        assert_eq!(second.get(&format!("/staff/{STORE}")).await.0, 401);
        assert_eq!(third.get(&format!("/staff/{STORE}")).await.0, 401);
        // A wrong password says so beside the field, and no session is made.
        let r = app.browser().post_form("/staff/login", &[("phone", phone), ("password", "wrong password!")]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(crate::harness::set_cookies(&r).iter().all(|c| !c.starts_with("tid=")));
        app.stop().await;
    }
}

both_backends! {
    /// The store moves an order along and then cancels another with a reason: stock
    /// comes back, the audit log has both, and the shopper's order page says why.
    #[tokio::test]
    async fn the_store_moves_orders_and_cancels_with_a_reason(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let stock = || async {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT o.stock FROM offers o JOIN products p ON p.id = o.product_id \
                 JOIN stores s ON s.id = o.store_id WHERE s.slug = $1 AND p.sku = 'HC101101'",
            )
            .bind(STORE)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            n
        };
        let before = stock().await;
        let moving = place_pickup(&app, "console-move-key-0001").await;
        let staff = app.staff(STORE, 2).await;
        let queue = staff.page(&format!("/staff/{STORE}")).await;
        assert!(queue.contains(&moving), "the new order is in the queue");
        let advance = |to: &'static str| {
            let id = moving.clone();
            let staff = &staff;
            async move {
                staff
                    .post_form_json("/staff/orders/advance", &[("store", STORE), ("id", &id), ("to", to)])
                    .await
                    .0
            }
        };
        assert_eq!(advance("preparing").await, 200);
        assert_eq!(advance("preparing").await, 409, "a second press does not move it twice");
        assert_eq!(advance("completed").await, 409, "steps are not skipped");
        assert_eq!(advance("ready").await, 200);

        let (shopper, cancelled) = place_pickup_by(&app, "console-cancel-key-01").await;
        assert_eq!(stock().await, before - 2);
        let (status, _) = staff
            .post_form_json("/staff/orders/cancel", &[("store", STORE), ("id", &cancelled), ("reason", " ")])
            .await;
        assert_eq!(status, 400, "a reason is required");
        let (status, _) = staff
            .post_form_json(
                "/staff/orders/cancel",
                &[("store", STORE), ("id", &cancelled), ("reason", "冷柜故障 the fridge failed")],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(stock().await, before - 1, "the cancelled order's stock is back");
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'order.%'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(count, 3);
        // The shopper who placed it reads the reason on their order's page.
        let page = shopper.page(&format!("/orders/{cancelled}")).await;
        assert!(page.contains("冷柜故障 the fridge failed") && page.contains("门店已取消此订单"), "{page:.3000}");
        // Another store's staff cannot see it.
        let other = app.staff(OTHER, 2).await;
        assert_eq!(other.get(&format!("/staff/{STORE}/orders/{cancelled}")).await.0, 403);
        assert_eq!(other.get(&format!("/staff/{OTHER}/orders/{cancelled}")).await.0, 404);
        app.stop().await;
    }
}

both_backends! {
    /// The first admin comes from the environment once; a manager adds staff but not
    /// managers; a password reset ends the person's sessions; passwords are checked.
    #[tokio::test]
    async fn the_team_is_made_by_those_allowed(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let (admins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff WHERE brand_admin = 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(admins, 1);
        assert!(!app::ssr::staff::ensure_admin(&db, "x", "13811112222", "another password").await.unwrap(),
            "a second start with other settings makes no second admin");
        let manager = app.staff(STORE, 1).await;
        let add = |role: &'static str, phone: &'static str, password: &'static str| {
            let manager = &manager;
            async move {
                manager
                    .post_form_json(
                        "/staff/team/add",
                        &[("store", STORE), ("name", "新同事"), ("phone", phone), ("role", role), ("password", password)],
                    )
                    .await
                    .0
            }
        };
        assert_eq!(add("staff", "13700000001", "short").await, 400, "a password too short");
        assert_eq!(add("manager", "13700000001", "long enough password").await, 400, "managers are the brand's to appoint");
        assert_eq!(add("staff", "12345", "long enough password").await, 400, "a bad number");
        assert_eq!(add("staff", "13700000001", "long enough password").await, 200);
        assert_eq!(add("staff", "13700000001", "long enough password").await, 400, "already in the store");
        let newcomer = app.signed_in("13700000001", "long enough password").await;
        assert_eq!(newcomer.get(&format!("/till/{STORE}")).await.0, 200);
        assert_eq!(newcomer.get(&format!("/staff/{STORE}/stock")).await.0, 403);
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE phone = '13700000001'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let (status, _) = manager
            .post_form_json("/staff/team/reset", &[("store", STORE), ("staff", &id.to_string()), ("password", "a new long password")])
            .await;
        assert_eq!(status, 200);
        assert_eq!(newcomer.get(&format!("/till/{STORE}")).await.0, 401, "a reset signs them out");
        app.signed_in("13700000001", "a new long password").await;
        // The admin appoints a manager.
        let admin = app.admin().await;
        let (status, _) = admin
            .post_form_json(
                "/staff/team/add",
                &[("store", OTHER), ("name", "新店长"), ("phone", "13700000002"), ("role", "manager"), ("password", "long enough password")],
            )
            .await;
        assert_eq!(status, 200);
        let audit = manager.page(&format!("/staff/{STORE}/audit")).await;
        assert!(audit.contains("team.add") && audit.contains("team.password"), "{audit:.2000}");
        app.stop().await;
    }
}

both_backends! {
    /// One's own password: the present one is needed, the new one is checked, and the
    /// person's other sessions end.
    #[tokio::test]
    async fn a_person_changes_their_own_password(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let phone = app::ssr::staff::demo_phone(app.store_id(OTHER).await, 2);
        let here = app.staff(OTHER, 2).await;
        let there = app.staff(OTHER, 2).await;
        let change = |current: &'static str, new: &'static str| {
            let here = &here;
            async move {
                here.post_form_json("/staff/password", &[("current", current), ("password", new)])
                    .await
                    .0
            }
        };
        assert_eq!(change("not my password", "a brand new password").await, 400);
        assert_eq!(change(app::ssr::staff::DEMO_PASSWORD, "short").await, 400);
        assert_eq!(change(app::ssr::staff::DEMO_PASSWORD, "a brand new password").await, 200);
        assert_eq!(here.get(&format!("/till/{OTHER}")).await.0, 200, "this session stays");
        assert_eq!(there.get(&format!("/till/{OTHER}")).await.0, 401, "the other one ends");
        app.signed_in(&phone, "a brand new password").await;
        assert_eq!(app.browser().post_form_json("/staff/password", &[("current", "x"), ("password", "y")]).await.0, 401);
        app.stop().await;
    }
}
