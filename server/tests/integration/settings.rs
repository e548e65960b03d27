//! The console's delivery and pick-up settings over HTTP, on both databases: settings
//! saved and audited, then priced and offered by checkout (fee, new windows' capacity,
//! pick-up lead); bad input refused beside its field with nothing changed; a window's
//! capacity never below its bookings; special days taking windows and pick-up times
//! away or narrowing them, and moving open-now; a pause refusing what it stops; only a
//! manager of the store (or a brand admin) allowed; two managers' special days at once.

use crate::harness::{Browser, Fresh, TestApp};
use app::domain::console::PauseScope;
use app::domain::i18n::settings::{SettingsText, paused_refusal};
use app::domain::lang::Lang;
use app::ssr::db::DbKind;
use chrono::{Duration, FixedOffset, NaiveDate, Utc};

const STORE: &str = "sh-jingan-temple";
const OTHER: &str = "sh-wujiang-road";
/// The store's location: a shopper "here" is inside its delivery area.
const HERE: &str = "loc=31.22323,121.44568";

/// Shanghai keeps UTC+8 all year.
fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

fn local_today() -> NaiveDate {
    Utc::now().with_timezone(&shanghai()).date_naive()
}

/// The instant of `date` at `hh:mm` in Shanghai.
fn at(date: NaiveDate, hh: u32, mm: u32) -> i64 {
    date.and_hms_opt(hh, mm, 0)
        .unwrap()
        .and_local_timezone(shanghai())
        .unwrap()
        .timestamp()
}

/// A form post as the form enhancer sends it (for real statuses), with the store added.
async fn post(b: &Browser, path: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut form = form.to_vec();
    form.push(("store", STORE));
    b.post_form_json(path, &form).await
}

/// A shopper whose bag holds one `sku` from the store, at the store's door.
async fn shopper(app: &TestApp, sku: &str) -> Browser {
    let shopper = app.browser();
    let r = shopper
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
    assert_eq!(r.status().as_u16(), 303);
    shopper.set_cookie(HERE);
    shopper
}

/// The checkout page's delivery windows: (start, can be chosen).
fn windows(page: &str) -> Vec<(i64, bool)> {
    page.split("id=\"w-")
        .skip(1)
        .map(|rest| {
            let start = rest.split('"').next().unwrap().parse().unwrap();
            let tag = rest.split('>').next().unwrap();
            (start, !tag.contains("disabled"))
        })
        .collect()
}

/// The checkout page's pick-up times.
fn pickup_times(page: &str) -> Vec<i64> {
    page.split("name=\"pickup_at\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .unwrap()
        .split("<option value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect()
}

/// Whether the checkout page's `mode` radio for `mode` is disabled.
fn mode_disabled(page: &str, mode: &str) -> bool {
    page.split(&format!("id=\"mode-{mode}\""))
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap()
        .contains("disabled")
}

async fn checkout_page(shopper: &Browser) -> String {
    let (status, page) = shopper.get(&format!("/checkout/{STORE}")).await;
    assert_eq!(status, 200);
    page
}

/// Places an order from this shopper's bag: `window` for a delivery, else a pick-up at
/// the first time offered.
async fn place(shopper: &Browser, key: &str, window: Option<i64>) -> (u16, serde_json::Value) {
    let page = checkout_page(shopper).await;
    let pickup = pickup_times(&page)
        .first()
        .map(i64::to_string)
        .unwrap_or_default();
    let window = window.map(|w| w.to_string()).unwrap_or_default();
    let mut form = vec![
        ("store", STORE),
        ("key", key),
        ("name", "王小明"),
        ("phone", "138 0013 8000"),
    ];
    if window.is_empty() {
        form.extend([("mode", "pickup"), ("pickup_at", pickup.as_str())]);
    } else {
        form.extend([
            ("mode", "delivery"),
            ("place", "here"),
            ("address", "南京西路 1699 号 3 楼"),
            ("window", window.as_str()),
        ]);
    }
    shopper.post_form_json("/checkout/place", &form).await
}

/// The first delivery window the page lets a shopper choose.
async fn first_open_window(shopper: &Browser) -> i64 {
    windows(&checkout_page(shopper).await)
        .into_iter()
        .find(|(_, open)| *open)
        .map(|(w, _)| w)
        .expect("an open window")
}

/// Everything a settings post could change, read back.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let db = app.db();
    let mut out = Vec::new();
    for sql in [
        "SELECT slug || ':' || CAST(window_capacity AS TEXT) || ':' || CAST(delivery_radius_m AS TEXT) || ':' \
         || CAST(delivery_fee_minor AS TEXT) || ':' || CAST(free_delivery_from_minor AS TEXT) || ':' \
         || CAST(pickup_lead_min AS TEXT) || ':' || COALESCE(CAST(paused_until AS TEXT), '') || ':' \
         || paused_modes || ':' || special_days FROM stores ORDER BY id",
        "SELECT CAST(store_id AS TEXT) || ':' || CAST(starts_at AS TEXT) || ':' || CAST(capacity AS TEXT) \
         || ':' || CAST(booked AS TEXT) FROM delivery_windows ORDER BY store_id, starts_at",
        "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log",
        "SELECT CAST(COUNT(*) AS TEXT) FROM orders",
    ] {
        let rows: Vec<(Option<String>,)> = sqlx::query_as(sql).fetch_all(&db.pool).await.unwrap();
        out.push(format!("{sql} => {rows:?}"));
    }
    out
}

async fn audited(app: &TestApp, action: &str) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT subject, before, after FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.db().pool)
        .await
        .unwrap()
}

/// The store's row now.
async fn store(app: &TestApp) -> app::ssr::stores::StoreRow {
    app::ssr::stores::store_by_slug(&app.db(), STORE)
        .await
        .unwrap()
        .unwrap()
}

const GOOD: [(&str, &str); 5] = [
    ("window_capacity", "6"),
    ("delivery_radius_km", "2.5"),
    ("delivery_fee", "8"),
    ("free_delivery_from", "100"),
    ("pickup_lead_min", "45"),
];

/// The settings form with one field changed.
fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    GOOD.iter()
        .map(|&(k, v)| (k, if k == field { value } else { v }))
        .collect()
}

both_backends! {
    /// Saved settings are audited and are what checkout then charges and offers.
    #[tokio::test]
    async fn saved_settings_are_audited_and_used_by_checkout(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        let (status, page) = manager.get(&format!("/staff/{STORE}/settings")).await;
        assert_eq!(status, 200);
        for shown in ["name=\"window_capacity\"", "value=\"6.00\"", "value=\"59.00\"", "value=\"3\"", "value=\"20\""] {
            assert!(page.contains(shown), "the page shows {shown}");
        }
        let (status, body) = post(&manager, "/staff/settings/save", &GOOD).await;
        assert_eq!(status, 200, "{body}");
        let row = store(&app).await;
        assert_eq!(
            (row.window_capacity, row.delivery_radius_m, row.delivery_fee_minor, row.free_delivery_from_minor, row.pickup_lead_min),
            (6, 2500, 800, 10_000, 45)
        );
        let audit = audited(&app, "settings").await;
        assert_eq!(audit.len(), 1);
        let (_, before, after) = &audit[0];
        assert!(before.contains("capacity 10") && after.contains("capacity 6"), "{before} → {after}");
        assert!(before.contains("fee ¥6.00") && after.contains("fee ¥8.00"), "{before} → {after}");
        assert!(after.contains("radius 2.5 km") && after.contains("pick-up lead 45 min"), "{after}");
        // The same again changes nothing and writes nothing.
        let (status, body) = post(&manager, "/staff/settings/save", &GOOD).await;
        assert_eq!(status, 200);
        assert_eq!(body["message"], SettingsText::NothingChanged.t(Lang::ZhCn));
        assert_eq!(audited(&app, "settings").await.len(), 1);

        // Checkout: the store's fee, new windows at the store's capacity, its lead time.
        let shopper = shopper(&app, "HC101101").await;
        let before = Utc::now().timestamp();
        let page = checkout_page(&shopper).await;
        assert!(page.contains("¥8.00"), "the store's fee is shown");
        assert!(page.contains("¥100.00"), "and where delivery becomes free");
        let first_pickup = pickup_times(&page)[0];
        assert!(
            (before + 44 * 60..=Utc::now().timestamp() + 46 * 60).contains(&first_pickup),
            "the first pick-up is 45 minutes out: {}",
            first_pickup - before
        );
        let (made, other): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN capacity <> 6 THEN 1 ELSE 0 END), 0) \
             FROM delivery_windows WHERE store_id = $1",
        )
        .bind(row.id)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
        assert!(made > 0 && other == 0, "{made} windows, {other} not at the store's capacity");
        let window = first_open_window(&shopper).await;
        let (status, body) = place(&shopper, "settings-delivery-key-1", Some(window)).await;
        assert_eq!(status, 200, "{body}");
        let (subtotal, fee): (i64, i64) =
            sqlx::query_as("SELECT subtotal_minor, delivery_fee_minor FROM orders WHERE id = $1")
                .bind(body["order"].as_str().unwrap())
                .fetch_one(&app.db().pool)
                .await
                .unwrap();
        assert!(subtotal < 10_000);
        assert_eq!(fee, 800, "the store's fee below its threshold");

        // A fee of 0 is free delivery.
        let (status, body) = post(&manager, "/staff/settings/save", &with("delivery_fee", "0")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(store(&app).await.delivery_fee_minor, 0);
        let free = self::shopper(&app, "HC101101").await;
        let window = first_open_window(&free).await;
        let (status, body) = place(&free, "settings-delivery-key-2", Some(window)).await;
        assert_eq!(status, 200, "{body}");
        let (fee,): (i64,) = sqlx::query_as("SELECT delivery_fee_minor FROM orders WHERE id = $1")
            .bind(body["order"].as_str().unwrap())
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
        assert_eq!(fee, 0);
        app.stop().await;
    }
}

both_backends! {
    /// Bad input is refused (400), said beside its field, and changes nothing.
    #[tokio::test]
    async fn bad_input_is_refused_beside_its_field_and_changes_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        // Windows exist (a shopper opened checkout), so a window's capacity can be tried.
        let window = first_open_window(&shopper(&app, "HC101101").await).await;
        let window = window.to_string();
        let yesterday = (local_today() - Duration::days(1)).to_string();
        let tomorrow = (local_today() + Duration::days(1)).to_string();
        // (path, form, the field the refusal is said beside)
        type Bad<'a> = (&'a str, Vec<(&'a str, &'a str)>, String);
        let bad: Vec<Bad> = vec![
            ("/staff/settings/save", with("window_capacity", "-1"), "window_capacity".into()),
            ("/staff/settings/save", with("window_capacity", "1e9"), "window_capacity".into()),
            ("/staff/settings/save", with("window_capacity", ""), "window_capacity".into()),
            ("/staff/settings/save", with("delivery_fee", "12.345"), "delivery_fee".into()),
            ("/staff/settings/save", with("delivery_fee", "-1"), "delivery_fee".into()),
            ("/staff/settings/save", with("free_delivery_from", "-1"), "free_delivery_from".into()),
            ("/staff/settings/save", with("delivery_radius_km", "2.55"), "delivery_radius_km".into()),
            ("/staff/settings/save", with("delivery_radius_km", "51"), "delivery_radius_km".into()),
            ("/staff/settings/save", with("pickup_lead_min", "abc"), "pickup_lead_min".into()),
            ("/staff/settings/window", vec![("starts_at", window.as_str()), ("capacity", "1e9")], format!("{window}.capacity")),
            ("/staff/settings/window", vec![("starts_at", window.as_str()), ("capacity", "-1")], format!("{window}.capacity")),
            ("/staff/settings/window", vec![("starts_at", "12345"), ("capacity", "3")], "starts_at".into()),
            ("/staff/settings/pause", vec![("scope", "everything"), ("minutes", "30")], "scope".into()),
            ("/staff/settings/pause", vec![("scope", "delivery"), ("minutes", "abc")], "minutes".into()),
            ("/staff/settings/pause", vec![("scope", "delivery"), ("minutes", "-1")], "minutes".into()),
            ("/staff/settings/special-day", vec![("date", yesterday.as_str()), ("hours", "")], "date".into()),
            ("/staff/settings/special-day", vec![("date", "25/12/2026"), ("hours", "")], "date".into()),
            ("/staff/settings/special-day", vec![("date", tomorrow.as_str()), ("hours", "9-5")], "hours".into()),
            ("/staff/settings/special-day/remove", vec![("date", tomorrow.as_str())], app::views::store_settings::REMOVE_FIELD.into()),
        ];
        let before = snapshot(&app).await;
        for (path, form, field) in &bad {
            let (status, body) = post(&manager, path, form).await;
            assert_eq!(status, 400, "{path} {form:?}: {body}");
            assert!(!body["message"].as_str().unwrap_or_default().is_empty(), "{path} {form:?} says why");
            assert_eq!(snapshot(&app).await, before, "{path} {form:?} changed something");
            // Without JavaScript: back to the page, the message beside that very field.
            let mut plain = form.clone();
            plain.push(("store", STORE));
            let r = manager.post_form(path, &plain).await;
            assert_eq!(r.status().as_u16(), 303);
            assert_eq!(r.headers()["location"], format!("/staff/{STORE}/settings"));
            let page = manager.page(&format!("/staff/{STORE}/settings")).await;
            let note = app::components::field_note::note_id(field);
            let shown = page
                .split(&format!("id=\"{note}\""))
                .nth(1)
                .and_then(|s| s.split('>').next())
                .is_some_and(|tag| tag.contains("field-error"));
            assert!(
                shown,
                "{path} {form:?}: no note {note} on the page: {}",
                page.split("<h1").nth(1).unwrap_or(&page)
            );
        }
        // The input itself is marked and points at its note.
        post(&manager, "/staff/settings/save", &with("delivery_fee", "12.345")).await;
        manager.post_form("/staff/settings/save", &[with("delivery_fee", "12.345"), vec![("store", STORE)]].concat()).await;
        let page = manager.page(&format!("/staff/{STORE}/settings")).await;
        let input = page.split("name=\"delivery_fee\"").nth(1).unwrap().split('>').next().unwrap();
        assert!(input.contains("aria-invalid=\"true\"") && input.contains("note-delivery-fee"), "{input}");
        assert_eq!(snapshot(&app).await, before);
        app.stop().await;
    }
}

every_isolation! {
    /// A window's capacity can be set down to its bookings, never below.
    #[tokio::test]
    async fn a_window_never_goes_below_its_bookings(fresh: Fresh) {
        let app = TestApp::on(fresh).await;
        let manager = app.staff(STORE, 1).await;
        let first = shopper(&app, "HC101101").await;
        let window = first_open_window(&first).await;
        assert_eq!(place(&first, "window-capacity-key-01", Some(window)).await.0, 200);
        let second = shopper(&app, "HC101102").await;
        assert_eq!(place(&second, "window-capacity-key-02", Some(window)).await.0, 200);
        let w = window.to_string();
        let before = snapshot(&app).await;
        let (status, body) = post(&manager, "/staff/settings/window", &[("starts_at", &w), ("capacity", "1")]).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["message"], SettingsText::BelowBooked.t(Lang::ZhCn));
        assert_eq!(snapshot(&app).await, before, "nothing changed");
        let (status, body) = post(&manager, "/staff/settings/window", &[("starts_at", &w), ("capacity", "2")]).await;
        assert_eq!(status, 200, "{body}");
        let (booked, capacity): (i64, i64) =
            sqlx::query_as("SELECT booked, capacity FROM delivery_windows WHERE starts_at = $1 AND store_id = $2")
                .bind(window)
                .bind(store(&app).await.id)
                .fetch_one(&app.db().pool)
                .await
                .unwrap();
        assert_eq!((booked, capacity), (2, 2));
        let audit = audited(&app, "settings.window").await;
        assert_eq!(audit.len(), 1);
        assert_eq!((audit[0].1.as_str(), audit[0].2.as_str()), ("capacity 10", "capacity 2"));
        // Full now: the page shows it so, and a third order is turned away.
        let page = manager.page(&format!("/staff/{STORE}/settings")).await;
        assert!(page.contains(&format!("id=\"capacity-{window}\"")), "the window is listed");
        let third = shopper(&app, "HC101103").await;
        assert!(windows(&checkout_page(&third).await).contains(&(window, false)));
        let (status, body) = place(&third, "window-capacity-key-03", Some(window)).await;
        assert_eq!(status, 400, "{body}");
        app.stop().await;
    }
}

both_backends! {
    /// A closed day takes its windows and pick-up times away, holiday hours narrow them,
    /// and open-now follows the day.
    #[tokio::test]
    async fn special_days_change_what_shoppers_are_offered(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        let today = local_today();
        let (tomorrow, after) = (today + Duration::days(1), today + Duration::days(2));
        let day = |d: NaiveDate| at(d, 0, 0)..at(d + Duration::days(1), 0, 0);
        let shopper = shopper(&app, "HC101101").await;
        let page = checkout_page(&shopper).await;
        let tomorrows: Vec<i64> = windows(&page).iter().map(|(w, _)| *w).filter(|w| day(tomorrow).contains(w)).collect();
        assert_eq!(tomorrows.len(), 14, "a usual day delivers 08:00 to 22:00");

        let tomorrow_s = tomorrow.to_string();
        let after_s = after.to_string();
        let (status, body) = post(&manager, "/staff/settings/special-day", &[("date", &tomorrow_s), ("hours", "")]).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = post(&manager, "/staff/settings/special-day", &[("date", &after_s), ("hours", "10:00-14:00")]).await;
        assert_eq!(status, 200, "{body}");
        let page = checkout_page(&shopper).await;
        let offered = windows(&page);
        assert!(offered.iter().all(|(w, _)| !day(tomorrow).contains(w)), "no windows on the closed day");
        let narrowed: Vec<i64> = offered.iter().map(|(w, _)| *w).filter(|w| day(after).contains(w)).collect();
        assert_eq!(narrowed, vec![at(after, 11, 0), at(after, 12, 0), at(after, 13, 0)]);
        let pickups = pickup_times(&page);
        assert!(!pickups.is_empty());
        assert!(pickups.iter().all(|t| !day(tomorrow).contains(t)), "no pick-up on the closed day");
        assert!(
            pickups.iter().filter(|t| day(after).contains(t)).all(|t| (at(after, 10, 0)..at(after, 14, 0)).contains(t)),
            "pick-up within the holiday hours"
        );
        // A window of the closed day, chosen from an older page, is refused.
        let (status, body) = place(&shopper, "special-day-key-00001", Some(tomorrows[3])).await;
        assert_eq!(status, 400, "{body}");

        // Open now follows today's special day (the store page's data may be a second old).
        let header = |page: &str| -> String {
            page.split("class=\"store-header\"").nth(1).and_then(|s| s.split("</header>").next()).unwrap().to_owned()
        };
        let open = |page: &str| header(page).contains("open-state is-open");
        assert!(open(&manager.page(&format!("/s/{STORE}")).await));
        let today_s = today.to_string();
        let (status, _) = post(&manager, "/staff/settings/special-day", &[("date", &today_s), ("hours", "closed")]).await;
        assert_eq!(status, 200);
        tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
        let page = manager.page(&format!("/s/{STORE}")).await;
        assert!(header(&page).contains("open-state is-closed") && !open(&page), "closed today");
        assert!(header(&page).contains(SettingsText::StoreSpecialDays.t(Lang::ZhCn)), "the special days are listed");
        assert!(checkout_page(&shopper).await.contains("cloud-note"), "checkout says when it reopens");
        let (status, _) = post(&manager, "/staff/settings/special-day/remove", &[("date", &today_s)]).await;
        assert_eq!(status, 200);
        tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
        assert!(open(&manager.page(&format!("/s/{STORE}")).await), "open again");
        let audit = audited(&app, "settings.special_day").await;
        let trail: Vec<(&str, &str)> = audit.iter().map(|(_, b, a)| (b.as_str(), a.as_str())).collect();
        assert_eq!(
            trail,
            vec![("usual hours", "closed"), ("usual hours", "10:00-14:00"), ("usual hours", "closed"), ("closed", "usual hours")]
        );
        app.stop().await;
    }
}

both_backends! {
    /// A delivery pause refuses deliveries (409) and leaves pick-up; a pause of all
    /// refuses both; 0 minutes resumes.
    #[tokio::test]
    async fn a_pause_refuses_what_it_stops(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        let a = shopper(&app, "HC101101").await;
        let window = first_open_window(&a).await;
        let (status, body) = post(&manager, "/staff/settings/pause", &[("scope", "delivery"), ("minutes", "30")]).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["message"].as_str().unwrap().contains("配送暂停至"), "{body}");
        let page = checkout_page(&a).await;
        assert!(page.contains("配送暂停至"), "checkout says so");
        assert!(mode_disabled(&page, "delivery") && !mode_disabled(&page, "pickup"));
        assert!(manager.page(&format!("/s/{STORE}")).await.contains("配送暂停至"), "and the store page");
        let before = snapshot(&app).await;
        let (status, body) = place(&a, "pause-delivery-key-0001", Some(window)).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["message"], paused_refusal(PauseScope::Delivery).t(Lang::ZhCn));
        assert_eq!(snapshot(&app).await, before, "a refused order changes nothing");
        let (status, body) = place(&a, "pause-pickup-key-00001", None).await;
        assert_eq!(status, 200, "pick-up is still open: {body}");

        let (status, _) = post(&manager, "/staff/settings/pause", &[("scope", "all"), ("minutes", "15")]).await;
        assert_eq!(status, 200);
        let b = shopper(&app, "HC101102").await;
        assert!(mode_disabled(&checkout_page(&b).await, "pickup"));
        let before = snapshot(&app).await;
        let (status, body) = place(&b, "pause-all-pickup-key-01", None).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["message"], paused_refusal(PauseScope::All).t(Lang::ZhCn));
        let (status, _) = place(&b, "pause-all-deliver-key-1", Some(window)).await;
        assert_eq!(status, 409);
        assert_eq!(snapshot(&app).await, before);

        let (status, body) = post(&manager, "/staff/settings/pause", &[("scope", "all"), ("minutes", "0")]).await;
        assert_eq!(status, 200, "{body}");
        assert!(store(&app).await.pause_at(Utc::now().timestamp()).is_none());
        let (status, body) = place(&b, "pause-resumed-key-00001", Some(window)).await;
        assert_eq!(status, 200, "resumed: {body}");
        let audit = audited(&app, "settings.pause").await;
        assert_eq!(audit.len(), 3);
        assert!(audit[0].1 == "taking orders" && audit[0].2.starts_with("deliveries paused until "), "{audit:?}");
        assert_eq!(audit[2].2, "taking orders");
        app.stop().await;
    }
}

both_backends! {
    /// Store staff, guides and another store's manager get 403 on every settings route
    /// (signed out, 401), and nothing changes; the brand admin may.
    #[tokio::test]
    async fn only_the_stores_manager_changes_its_settings(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let window = first_open_window(&shopper(&app, "HC101101").await).await.to_string();
        let tomorrow = (local_today() + Duration::days(1)).to_string();
        let routes: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("/staff/settings/save", GOOD.to_vec()),
            ("/staff/settings/window", vec![("starts_at", window.as_str()), ("capacity", "3")]),
            ("/staff/settings/pause", vec![("scope", "all"), ("minutes", "60")]),
            ("/staff/settings/special-day", vec![("date", tomorrow.as_str()), ("hours", "")]),
            ("/staff/settings/special-day/remove", vec![("date", tomorrow.as_str())]),
        ];
        let refused = [
            (app.staff(STORE, 2).await, 403),
            (app.staff(STORE, 3).await, 403),
            (app.staff(STORE, 4).await, 403),
            (app.staff(OTHER, 1).await, 403),
            (app.browser(), 401),
        ];
        let before = snapshot(&app).await;
        for (who, expected) in &refused {
            assert_eq!(who.get(&format!("/staff/{STORE}/settings")).await.0, *expected);
            for (path, form) in &routes {
                let (status, body) = post(who, path, form).await;
                assert_eq!(status, *expected, "{path}: {body}");
                assert_eq!(snapshot(&app).await, before, "{path} changed something");
            }
        }
        let admin = app.admin().await;
        assert_eq!(admin.get(&format!("/staff/{STORE}/settings")).await.0, 200);
        for (path, form) in &routes {
            let (status, body) = post(&admin, path, form).await;
            assert_eq!(status, 200, "{path}: {body}");
        }
        assert_eq!(audited(&app, "settings.special_day").await.len(), 2);
        app.stop().await;
    }
}

every_isolation! {
    /// Two managers adding special days at the same moment lose none of them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn special_days_added_at_once_are_all_kept(fresh: Fresh) {
        let app = TestApp::on(fresh).await;
        let (manager, admin) = (app.staff(STORE, 1).await, app.admin().await);
        let dates: Vec<String> = (10..20).map(|d| (local_today() + Duration::days(d)).to_string()).collect();
        let posts = dates.iter().enumerate().map(|(i, date)| {
            let who = if i % 2 == 0 { &manager } else { &admin };
            async move { post(who, "/staff/settings/special-day", &[("date", date), ("hours", "09:00-12:00")]).await.0 }
        });
        let statuses = futures::future::join_all(posts).await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        let kept = store(&app).await.special();
        let kept: Vec<String> = kept.0.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(kept, dates);
        assert_eq!(audited(&app, "settings.special_day").await.len(), dates.len());
        app.stop().await;
    }
}
