//! In-store services by appointment on SQLite and PostgreSQL: a member books, moves and
//! cancels over HTTP with JavaScript off (plain form posts); the till verifies a booking
//! once and refuses it the second time, and only for its own store; the console's
//! services page is a manager's; bad input is refused beside its field and changes
//! nothing; 10,000 booking attempts at once never overbook a slot; a no-show's place is
//! freed by the sweep exactly once, however many servers sweep.

use crate::harness::{Browser, Fresh, TestApp};
use app::components::field_note::note_id;
use app::domain::appointments::{GRACE_SECS, grouped_code};
use app::domain::i18n::appointments::AppointmentText as A;
use app::domain::lang::Lang;
use app::error::AppError;
use app::ssr::appointments::{self, BookRefusal, VerifyRefusal};
use app::ssr::db::{Db, DbKind};
use app::ssr::session::now;
use app::ssr::settings::SigningKey;
use std::sync::Arc;
use tokio::sync::Semaphore;

const STORE: &str = "sh-jingan-temple";
const OTHER: &str = "sh-wujiang-road";
const PHONE: &str = "13800138000";
const FITTING: &str = "fitting-room";

/// The `<option>`s of the `<select id="{id}">` on a page: (value, can be chosen).
fn options(page: &str, id: &str) -> Vec<(i64, bool)> {
    let Some(select) = page
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|s| s.split("</select>").next())
    else {
        return Vec::new();
    };
    select
        .split("<option")
        .skip(1)
        .map(|o| {
            let tag = o.split('>').next().unwrap_or_default();
            let value = tag
                .split("value=\"")
                .nth(1)
                .and_then(|v| v.split('"').next())
                .and_then(|v| v.parse().ok())
                .expect("an option's value");
            (value, !tag.contains("disabled"))
        })
        .collect()
}

/// The free slots of a service on its store's services page.
fn free_slots(page: &str, service: &str) -> Vec<i64> {
    options(page, &format!("slot-{service}"))
        .into_iter()
        .filter(|(_, free)| *free)
        .map(|(v, _)| v)
        .collect()
}

/// Whether the page shows the refusal note of `field` (an element with its id and the
/// `field-error` class).
fn note_shown(page: &str, field: &str) -> bool {
    let id = format!("id=\"{}\"", note_id(field));
    let Some(at) = page.find(&id) else {
        return false;
    };
    let start = page[..at].rfind('<').unwrap_or(0);
    let end = at + page[at..].find('>').unwrap_or(0);
    page[start..end].contains("field-error")
}

/// A member signed in on a browser of their own.
async fn member(app: &TestApp, phone: &str) -> Browser {
    let b = app.browser();
    app.sign_in_member(&b, phone).await;
    b
}

/// Every place, booking and service setting, read back: equal means nothing changed.
async fn snapshot(db: &Db) -> String {
    let slots: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT service_id, starts_at, booked, capacity FROM service_slots ORDER BY service_id, starts_at",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let bookings: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, status, starts_at FROM bookings ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let services: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, capacity, active FROM services ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    format!("{slots:?} {bookings:?} {services:?}")
}

/// A slot's places taken (0 when it has no row yet).
async fn booked(db: &Db, store: &str, service: &str, starts_at: i64) -> i64 {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT t.booked FROM service_slots t JOIN services s ON s.id = t.service_id \
         JOIN stores st ON st.id = s.store_id WHERE st.slug = $1 AND s.slug = $2 AND t.starts_at = $3",
    )
    .bind(store)
    .bind(service)
    .bind(starts_at)
    .fetch_optional(&db.pool)
    .await
    .unwrap();
    row.map_or(0, |(b,)| b)
}

/// The latest booking of the member with `phone`: (id, status, starts_at, code).
async fn latest_booking(db: &Db, phone: &str) -> (String, String, i64, String) {
    sqlx::query_as(
        "SELECT b.id, b.status, b.starts_at, b.code FROM bookings b JOIN members m ON m.id = b.member_id \
         WHERE m.phone = $1 ORDER BY b.created_at DESC, b.id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// Books the first free fitting-room slot as `b` (a plain post) and returns its start.
async fn book_first(b: &Browser) -> i64 {
    let page = b.page(&format!("/s/{STORE}/services")).await;
    let slot = free_slots(&page, FITTING)[0];
    let r = b
        .post_form(
            "/bookings/book",
            &[
                ("store", STORE),
                ("service", FITTING),
                ("starts_at", &slot.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/member/bookings");
    slot
}

both_backends! {
    /// Book, see the code and its QR, move, cancel — each a plain form post.
    #[tokio::test]
    async fn a_member_books_moves_and_cancels_with_javascript_off(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        // Signed out: the times show, booking sends the shopper to sign in, nothing booked.
        let shopper = app.browser();
        let page = shopper.page(&format!("/s/{STORE}/services")).await;
        assert!(page.contains(A::SignInToBook.t(Lang::ZhCn)) && page.contains("href=\"/member\""));
        let slots = free_slots(&page, FITTING);
        assert!(slots.len() >= 2, "the fitting room has times this week");
        for skin in ["makeup-trial", "skin-test"] {
            assert!(!free_slots(&page, skin).is_empty(), "{skin}");
        }
        let r = shopper
            .post_form("/bookings/book", &[("store", STORE), ("service", FITTING), ("starts_at", &slots[0].to_string())])
            .await;
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/member"));
        let (status, _) = shopper
            .post_form_json("/bookings/book", &[("store", STORE), ("service", FITTING), ("starts_at", &slots[0].to_string())])
            .await;
        assert_eq!(status, 401);
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bookings").fetch_one(&db.pool).await.unwrap();
        assert_eq!(count, 0);
        // The store's page links to its services.
        assert!(shopper.page(&format!("/s/{STORE}")).await.contains(&format!("href=\"/s/{STORE}/services\"")));

        // A member books the first time: off to their bookings, with the code and its QR.
        let phone = member(&app, PHONE).await;
        let first = book_first(&phone).await;
        assert_eq!(first, slots[0]);
        assert_eq!(booked(&db, STORE, FITTING, first).await, 1);
        let (id, status, starts_at, code) = latest_booking(&db, PHONE).await;
        assert_eq!((status.as_str(), starts_at), ("booked", first));
        let page = phone.page("/member/bookings").await;
        assert!(page.contains("已预约专属试衣间"), "the booking is confirmed: {page:.2000}");
        assert!(page.contains(&grouped_code(&code)), "the code in digits");
        assert!(page.contains("<svg role=\"img\""), "and as a QR");
        // The same slot again: refused, nothing taken.
        let before = snapshot(&db).await;
        let (status, reply) = phone
            .post_form_json("/bookings/book", &[("store", STORE), ("service", FITTING), ("starts_at", &first.to_string())])
            .await;
        assert_eq!(status, 409, "{reply}");
        assert_eq!(reply["message"], A::AlreadyBooked.t(Lang::ZhCn));
        assert_eq!(snapshot(&db).await, before);

        // Move it to another free time: the old place comes back, the new one is taken,
        // the code stays.
        let page = phone.page("/member/bookings").await;
        let to = options(&page, &format!("move-{id}"))
            .into_iter()
            .find(|(v, free)| *free && *v != first)
            .map(|(v, _)| v)
            .expect("a time to move to");
        assert!(!options(&page, &format!("move-{id}")).iter().any(|(v, _)| *v == first), "not the time it has");
        let r = phone.post_form("/bookings/move", &[("id", &id), ("starts_at", &to.to_string())]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!((booked(&db, STORE, FITTING, first).await, booked(&db, STORE, FITTING, to).await), (0, 1));
        let (same_id, status, starts_at, same_code) = latest_booking(&db, PHONE).await;
        assert_eq!((same_id.as_str(), status.as_str(), starts_at, same_code.as_str()), (id.as_str(), "booked", to, code.as_str()));
        assert!(phone.page("/member/bookings").await.contains("已改约到"));

        // Another member can neither move nor cancel it.
        let other = member(&app, "13900139000").await;
        let before = snapshot(&db).await;
        assert_eq!(other.post_form_json("/bookings/cancel", &[("id", &id)]).await.0, 409);
        assert_eq!(other.post_form_json("/bookings/move", &[("id", &id), ("starts_at", &first.to_string())]).await.0, 404);
        assert_eq!(snapshot(&db).await, before);

        // Cancel: its place comes back, once.
        let r = phone.post_form("/bookings/cancel", &[("id", &id)]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(booked(&db, STORE, FITTING, to).await, 0);
        let page = phone.page("/member/bookings").await;
        assert!(page.contains(A::Cancelled.t(Lang::ZhCn)) && page.contains(A::StatusCancelled.t(Lang::ZhCn)));
        assert!(!page.contains(&grouped_code(&code)), "a cancelled booking shows no code");
        let before = snapshot(&db).await;
        let (status, reply) = phone.post_form_json("/bookings/cancel", &[("id", &id)]).await;
        assert_eq!(status, 409, "{reply}");
        assert_eq!(snapshot(&db).await, before, "a second cancel gives nothing back");
        app.stop().await;
    }
}

both_backends! {
    /// The till verifies a booking once; the second time is refused, and so is another
    /// store's till, a guide, and anyone signed out.
    #[tokio::test]
    async fn the_till_verifies_a_booking_once(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let phone = member(&app, PHONE).await;
        let slot = book_first(&phone).await;
        let (id, _, _, code) = latest_booking(&db, PHONE).await;
        let till = app.staff(STORE, 2).await;
        assert!(till.page(&format!("/till/{STORE}")).await.contains(A::TillVerifyTitle.t(Lang::ZhCn)));
        let form = [("store", STORE), ("booking_code", code.as_str())];

        // Not the till's people: nothing changes.
        let before = snapshot(&db).await;
        for (who, status) in [
            (app.browser(), 401),
            (app.staff(STORE, 3).await, 403),
            (app.staff(OTHER, 2).await, 403),
            (app.staff(OTHER, 1).await, 403),
        ] {
            assert_eq!(who.post_form_json("/till/verify", &form).await.0, status);
        }
        // Another store's till, with its own store: no such booking there.
        let (status, reply) = app
            .staff(OTHER, 2)
            .await
            .post_form_json("/till/verify", &[("store", OTHER), ("booking_code", code.as_str())])
            .await;
        assert_eq!((status, reply["message"].as_str()), (409, Some(A::CodeUnknown.t(Lang::ZhCn))));
        assert_eq!(snapshot(&db).await, before);

        // Once (the code typed grouped, as the page shows it)…
        let grouped = grouped_code(&code);
        let (status, reply) = till.post_form_json("/till/verify", &[("store", STORE), ("booking_code", &grouped)]).await;
        assert_eq!(status, 200, "{reply}");
        assert!(reply["message"].as_str().unwrap().starts_with("核销成功：专属试衣间"), "{reply}");
        let (_, status, _, _) = latest_booking(&db, PHONE).await;
        assert_eq!(status, "done");
        assert_eq!(booked(&db, STORE, FITTING, slot).await, 1, "a verified booking keeps its place");
        // …and never again, with JavaScript or without.
        let (status, reply) = till.post_form_json("/till/verify", &form).await;
        assert_eq!((status, reply["message"].as_str()), (409, Some(A::CodeUsed.t(Lang::ZhCn))));
        let r = till.post_form("/till/verify", &form).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], format!("/till/{STORE}"));
        assert!(till.page(&format!("/till/{STORE}")).await.contains(A::CodeUsed.t(Lang::ZhCn)));
        // A code one digit off is no booking's.
        let mut forged = code.clone().into_bytes();
        forged[9] = if forged[9] == b'9' { b'0' } else { forged[9] + 1 };
        let forged = String::from_utf8(forged).unwrap();
        assert_eq!(till.post_form_json("/till/verify", &[("store", STORE), ("booking_code", &forged)]).await.0, 409);
        // The member's page says it was verified, and shows the code no more.
        let page = phone.page("/member/bookings").await;
        assert!(page.contains(A::StatusDone.t(Lang::ZhCn)) && !page.contains(&grouped));
        // A verified booking cannot be cancelled for its place back.
        assert_eq!(phone.post_form_json("/bookings/cancel", &[("id", &id)]).await.0, 409);
        assert_eq!(booked(&db, STORE, FITTING, slot).await, 1);
        app.stop().await;
    }
}

both_backends! {
    /// Bad input is refused (400), said beside its field, and changes nothing.
    #[tokio::test]
    async fn bad_input_is_refused_beside_its_field_and_changes_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let phone = member(&app, PHONE).await;
        let slot = book_first(&phone).await;
        let (id, _, _, _) = latest_booking(&db, PHONE).await;
        let manager = app.staff(STORE, 1).await;
        let till = app.staff(STORE, 2).await;
        let services = format!("/s/{STORE}/services");
        let console = format!("/staff/{STORE}/services");
        let till_page = format!("/till/{STORE}");
        let slot_field = format!("{FITTING}.starts_at");
        let move_field = format!("{id}.starts_at");
        let not_a_slot = (slot + 60).to_string();
        let past = (now() - 3600).to_string();
        let same = slot.to_string();
        // (who, path, form, the page it goes back to, the field it is said beside)
        type Bad<'a> = (&'a Browser, &'a str, Vec<(&'a str, &'a str)>, &'a str, String);
        let bad: Vec<Bad> = vec![
            (&phone, "/bookings/book", vec![("store", STORE), ("service", FITTING), ("starts_at", "abc")], &services, slot_field.clone()),
            (&phone, "/bookings/book", vec![("store", STORE), ("service", FITTING), ("starts_at", &not_a_slot)], &services, slot_field.clone()),
            (&phone, "/bookings/book", vec![("store", STORE), ("service", FITTING), ("starts_at", &past)], &services, slot_field.clone()),
            (&phone, "/bookings/book", vec![("store", STORE), ("service", FITTING), ("starts_at", "")], &services, slot_field.clone()),
            (&phone, "/bookings/move", vec![("id", &id), ("starts_at", "tomorrow")], "/member/bookings", move_field.clone()),
            (&phone, "/bookings/move", vec![("id", &id), ("starts_at", &not_a_slot)], "/member/bookings", move_field.clone()),
            (&phone, "/bookings/move", vec![("id", &id), ("starts_at", &same)], "/member/bookings", move_field.clone()),
            (&manager, "/staff/services/set", vec![("store", STORE), ("service", FITTING), ("capacity", "-1"), ("active", "1")], &console, format!("{FITTING}.capacity")),
            (&manager, "/staff/services/set", vec![("store", STORE), ("service", FITTING), ("capacity", "51"), ("active", "1")], &console, format!("{FITTING}.capacity")),
            (&manager, "/staff/services/set", vec![("store", STORE), ("service", FITTING), ("capacity", "two"), ("active", "1")], &console, format!("{FITTING}.capacity")),
            (&manager, "/staff/services/set", vec![("store", STORE), ("service", FITTING), ("capacity", ""), ("active", "1")], &console, format!("{FITTING}.capacity")),
            (&manager, "/staff/services/set", vec![("store", STORE), ("service", FITTING), ("capacity", "3"), ("active", "yes")], &console, format!("{FITTING}.active")),
            (&till, "/till/verify", vec![("store", STORE), ("booking_code", "12ab567890")], &till_page, "booking_code".into()),
            (&till, "/till/verify", vec![("store", STORE), ("booking_code", "12345")], &till_page, "booking_code".into()),
            (&till, "/till/verify", vec![("store", STORE), ("booking_code", " ")], &till_page, "booking_code".into()),
        ];
        let before = snapshot(&db).await;
        for (who, path, form, page, field) in &bad {
            let (status, body) = who.post_form_json(path, form).await;
            assert_eq!(status, 400, "{path} {form:?}: {body}");
            let said = body["message"].as_str().unwrap_or_default();
            assert!(!said.is_empty() && said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{path} {form:?} says why, in Chinese: {body}");
            assert_eq!(snapshot(&db).await, before, "{path} {form:?} changed something");
            // Without JavaScript: back to the page, the message beside that very field.
            let r = who.post_form(path, form).await;
            assert_eq!(r.status().as_u16(), 303, "{path} {form:?}");
            assert_eq!(r.headers()["location"], *page, "{path} {form:?}");
            let shown = who.page(page).await;
            assert!(note_shown(&shown, field), "{path} {form:?}: no note for {field} on {page}");
            assert_eq!(snapshot(&db).await, before, "{path} {form:?} changed something");
        }
        // In English too, and the field itself points at its note.
        phone.set_cookie("lang=en");
        let (_, body) = phone.post_form_json("/bookings/book", &bad[0].2).await;
        assert_eq!(body["message"], A::NotASlot.t(Lang::En));
        phone.post_form("/bookings/book", &bad[0].2).await;
        let page = phone.page(&services).await;
        let select = page.split("id=\"slot-fitting-room\"").nth(1).unwrap().split('>').next().unwrap();
        assert!(select.contains("aria-invalid=\"true\"") && select.contains(&note_id(&slot_field)), "{select}");
        // Unknown things are not found, and change nothing either.
        for (who, path, form) in [
            (&phone, "/bookings/book", vec![("store", STORE), ("service", "no-such-service"), ("starts_at", same.as_str())]),
            (&phone, "/bookings/book", vec![("store", "no-such-store"), ("service", FITTING), ("starts_at", same.as_str())]),
            (&phone, "/bookings/cancel", vec![("id", "BK0000000000AA")]),
            (&phone, "/bookings/move", vec![("id", "not an id"), ("starts_at", same.as_str())]),
            (&manager, "/staff/services/set", vec![("store", STORE), ("service", "no-such-service"), ("capacity", "1"), ("active", "1")]),
        ] {
            let status = who.post_form_json(path, &form).await.0;
            assert!([404, 409].contains(&status), "{path} {form:?}: {status}");
        }
        assert_eq!(snapshot(&db).await, before);
        app.stop().await;
    }
}

both_backends! {
    /// The console's services page and its form are a manager's (or a brand admin's):
    /// a capacity set is audited and followed by booking; a service switched off takes
    /// no bookings.
    #[tokio::test]
    async fn a_manager_sets_services_and_sees_todays_bookings(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let page = format!("/staff/{STORE}/services");
        let set = |capacity: &'static str, active: &'static str| {
            vec![("store", STORE), ("service", "makeup-trial"), ("capacity", capacity), ("active", active)]
        };
        for (who, status) in [
            (app.browser(), 401),
            (app.staff(STORE, 2).await, 403),
            (app.staff(STORE, 3).await, 403),
            (app.staff(OTHER, 1).await, 403),
        ] {
            assert_eq!(who.get(&page).await.0, status);
            assert_eq!(who.post_form_json("/staff/services/set", &set("3", "1")).await.0, status);
        }
        let manager = app.staff(STORE, 1).await;
        let (status, body) = manager.get(&page).await;
        assert_eq!(status, 200);
        assert!(body.contains(A::TodayBookings.t(Lang::ZhCn)) && body.contains("试妆"));
        // A member's booking today shows, masked.
        let store_id = app.store_id(STORE).await;
        let makeup = appointments::service(&db, store_id, "makeup-trial").await.unwrap().unwrap();
        let today_noon = {
            let offset = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
            let today = chrono::Utc::now().with_timezone(&offset).date_naive();
            today.and_hms_opt(12, 0, 0).unwrap().and_local_timezone(offset).unwrap().timestamp()
        };
        let member_id = members(&db, 1).await[0];
        appointments::book(&db, &app.key(), member_id, &makeup, today_noon).await.unwrap().unwrap();
        let body = manager.page(&page).await;
        assert!(body.contains("137****0000") && body.contains("12:00"), "{:.3000}", body.split("<h1").nth(1).unwrap_or_default());

        // Capacity 3: audited, and the services page offers three places.
        let (status, reply) = manager.post_form_json("/staff/services/set", &set("3", "1")).await;
        assert_eq!((status, reply["message"].as_str()), (200, Some(A::ServiceSaved.t(Lang::ZhCn))));
        let (status, reply) = manager.post_form_json("/staff/services/set", &set("3", "1")).await;
        assert_eq!((status, reply["message"].as_str()), (200, Some(A::NothingChanged.t(Lang::ZhCn))));
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'service' AND subject = 'makeup-trial'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(audited, 1);
        let shopper = app.browser().page(&format!("/s/{STORE}/services")).await;
        assert!(shopper.contains("剩 3 位"), "the new capacity is offered");
        // Capacity down to 0 keeps today's booking (its slot keeps its place), then off.
        assert_eq!(manager.post_form_json("/staff/services/set", &set("0", "1")).await.0, 200);
        assert_eq!(booked(&db, STORE, "makeup-trial", today_noon).await, 1);
        let r = manager.post_form("/staff/services/set", &set("0", "")).await;
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, page.as_str()));
        let shopper_page = app.browser().page(&format!("/s/{STORE}/services")).await;
        assert!(!shopper_page.contains("id=\"slot-makeup-trial\""), "a service off is not listed");
        let phone = member(&app, PHONE).await;
        let slot = free_slots(&shopper_page, FITTING)[0];
        let (status, reply) = phone
            .post_form_json("/bookings/book", &[("store", STORE), ("service", "makeup-trial"), ("starts_at", &slot.to_string())])
            .await;
        assert_eq!((status, reply["message"].as_str()), (409, Some(A::ServiceUnavailable.t(Lang::ZhCn))));
        // A brand admin may too.
        assert_eq!(app.admin().await.post_form_json("/staff/services/set", &set("1", "1")).await.0, 200);
        app.stop().await;
    }
}

/// `n` members made for a test: their ids.
async fn members(db: &Db, n: usize) -> Vec<i64> {
    for chunk in (0..n).collect::<Vec<_>>().chunks(200) {
        let values: Vec<String> = chunk.iter().map(|i| format!("('137{i:08}', 0)")).collect();
        sqlx::query(&format!(
            "INSERT INTO members (phone, joined_at) VALUES {}",
            values.join(", ")
        ))
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM members WHERE phone LIKE '137%' ORDER BY phone")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// Attempts in flight at once: four per pooled connection (see `checkout.rs`).
const IN_FLIGHT: usize = 32;

every_isolation! {
    /// 10,000 attempts by 250 members on 40 slots of three services (60 places in all),
    /// all at once: exactly the places are booked, every other attempt is told the slot
    /// is full (or, under SERIALIZABLE, to try again), and no slot passes its capacity.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn ten_thousand_attempts_never_overbook_a_slot(fresh: Fresh) {
        let db = fresh.open().await;
        let key = SigningKey::ephemeral();
        let store_id: (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1").bind(STORE).fetch_one(&db.pool).await.unwrap();
        let services = appointments::services(&db, store_id.0).await.unwrap();
        assert_eq!(services.iter().map(|s| s.capacity).collect::<Vec<_>>(), [2, 1, 1]);
        let base = 2_000_000_000;
        // 20 fitting-room slots (2 places), 10 makeup and 10 skin-test slots (1 place).
        let slots: Vec<(usize, i64)> = (0..40i64)
            .map(|i| {
                let service = match i { 0..20 => 0, 20..30 => 1, _ => 2 };
                (service, base + i * 3600)
            })
            .collect();
        let places: i64 = slots.iter().map(|(s, _)| services[*s].capacity).sum();
        assert_eq!(places, 60);
        let people = members(&db, 250).await;
        let gate = Arc::new(Semaphore::new(IN_FLIGHT));
        let services = Arc::new(services);
        let tasks: Vec<_> = (0..10_000usize)
            .map(|n| {
                let (db, key, gate, services) = (db.clone(), key.clone(), gate.clone(), services.clone());
                let (service, starts_at) = slots[n % 40];
                // Each member tries each slot once.
                let member = people[n / 40];
                tokio::spawn(async move {
                    let _permit = gate.acquire_owned().await.unwrap();
                    appointments::book(&db, &key, member, &services[service], starts_at).await
                })
            })
            .collect();
        let (mut booked_ids, mut full, mut told_to_retry) = (Vec::new(), 0, 0);
        for t in tasks {
            match t.await.expect("no panic") {
                Ok(Ok(id)) => booked_ids.push(id),
                Ok(Err(BookRefusal::Full)) => full += 1,
                Ok(Err(other)) => panic!("{:?}: an attempt refused as {other:?}", fresh.kind),
                Err(AppError::Contended) if fresh.serializable => told_to_retry += 1,
                Err(e) => panic!("{:?}: a database error in a race: {e:?}", fresh.kind),
            }
        }
        eprintln!(
            "{:?}{}: {} booked, {full} full, {told_to_retry} told to try again, {} run again",
            fresh.kind,
            if fresh.serializable { " (serializable)" } else { "" },
            booked_ids.len(),
            db.retries()
        );
        assert_eq!(booked_ids.len() as i64, places, "{:?}: every place booked, none twice", fresh.kind);
        assert_eq!(booked_ids.len() + full + told_to_retry, 10_000, "one outcome each");
        if fresh.serializable {
            assert!(db.retries() > 0, "a serializable race with no lost transaction");
        }
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT t.starts_at, t.booked, t.capacity, \
               (SELECT COUNT(*) FROM bookings b WHERE b.service_id = t.service_id AND b.starts_at = t.starts_at AND b.status = 'booked') \
             FROM service_slots t WHERE t.store_id = $1",
        )
        .bind(store_id.0)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(rows.len(), 40);
        for (starts_at, booked, capacity, live) in rows {
            assert!(booked <= capacity, "slot {starts_at}: {booked} > {capacity}");
            assert_eq!(booked, capacity, "slot {starts_at} exactly full");
            assert_eq!(live, booked, "slot {starts_at}: its bookings are its places");
        }
        let (live,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bookings WHERE status = 'booked'").fetch_one(&db.pool).await.unwrap();
        assert_eq!(live, places);
        let (distinct,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT code) FROM bookings").fetch_one(&db.pool).await.unwrap();
        assert_eq!(distinct, places, "a code per booking");
    }
}

both_backends! {
    /// A booking past its grace is a no-show: four sweepers at once free its place once,
    /// and the till refuses it; a booking within its grace is verified, by one of fifty
    /// tills scanning it at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_no_show_is_freed_once_and_a_code_is_verified_once(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let key = SigningKey::ephemeral();
        let (store_id,): (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1").bind(STORE).fetch_one(&db.pool).await.unwrap();
        let fitting = appointments::service(&db, store_id, FITTING).await.unwrap().unwrap();
        let people = members(&db, 3).await;
        let t = now();
        let later = t + 86_400;
        let late = appointments::book(&db, &key, people[0], &fitting, later).await.unwrap().unwrap();
        let on_time = appointments::book(&db, &key, people[1], &fitting, later).await.unwrap().unwrap();
        assert_eq!(
            appointments::book(&db, &key, people[2], &fitting, later).await.unwrap(),
            Err(BookRefusal::Full)
        );
        // Time passes: both bookings' slot started a grace period and a minute ago, and
        // the second member's booking is moved to one that started a minute ago.
        let gone = t - GRACE_SECS - 60;
        let just = t - 60;
        for (sql, at) in [
            ("UPDATE service_slots SET starts_at = $1, booked = 1 WHERE service_id = $2 AND starts_at = $3", gone),
            ("INSERT INTO service_slots (store_id, service_id, starts_at, capacity, booked) SELECT store_id, id, $1, capacity, 1 FROM services WHERE id = $2 AND $3 > 0", just),
        ] {
            sqlx::query(sql).bind(at).bind(fitting.id).bind(later).execute(&db.pool).await.unwrap();
        }
        sqlx::query("UPDATE bookings SET starts_at = $1 WHERE id = $2").bind(gone).bind(&late).execute(&db.pool).await.unwrap();
        sqlx::query("UPDATE bookings SET starts_at = $1 WHERE id = $2").bind(just).bind(&on_time).execute(&db.pool).await.unwrap();

        let sweeps = (0..4).map(|_| {
            let db = db.clone();
            tokio::spawn(async move { appointments::sweep_no_shows(&db, t).await.unwrap() })
        });
        let mut marked = 0;
        for s in sweeps {
            marked += s.await.unwrap();
        }
        assert_eq!(marked, 1, "the late booking, once");
        let status = |id: String| {
            let db = db.clone();
            async move {
                let (s,): (String,) = sqlx::query_as("SELECT status FROM bookings WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
                s
            }
        };
        assert_eq!(status(late.clone()).await, "no_show");
        assert_eq!(status(on_time.clone()).await, "booked", "within its grace");
        assert_eq!(booked_by_id(&db, fitting.id, gone).await, 0, "its place is free");
        assert_eq!(appointments::sweep_no_shows(&db, t).await.unwrap(), 0);
        assert_eq!(booked_by_id(&db, fitting.id, gone).await, 0, "and freed only once");
        let code_of = |id: &str| appointments::booking_code(&key, id);
        assert_eq!(
            appointments::verify(&db, &key, store_id, &code_of(&late), t).await.unwrap(),
            Err(VerifyRefusal::Missed)
        );

        // Fifty tills scan the on-time booking at once: one verifies it.
        let scans: Vec<_> = (0..50)
            .map(|_| {
                let (db, key, code) = (db.clone(), key.clone(), code_of(&on_time));
                tokio::spawn(async move { appointments::verify(&db, &key, store_id, &code, t).await.unwrap() })
            })
            .collect();
        let mut outcomes = Vec::new();
        for s in scans {
            outcomes.push(s.await.unwrap());
        }
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
        assert!(outcomes.iter().filter(|o| o.is_err()).all(|o| *o == Err(VerifyRefusal::AlreadyVerified)));
        assert_eq!(status(on_time.clone()).await, "done");
        // Done is not a no-show, however late the sweep.
        assert_eq!(appointments::sweep_no_shows(&db, t + 86_400).await.unwrap(), 0);
        assert_eq!(booked_by_id(&db, fitting.id, just).await, 1);
        // Another store's till, or a code the key did not make: unknown.
        let (other_id,): (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1").bind(OTHER).fetch_one(&db.pool).await.unwrap();
        assert_eq!(
            appointments::verify(&db, &key, other_id, &code_of(&on_time), t).await.unwrap(),
            Err(VerifyRefusal::Unknown)
        );
        assert_eq!(
            appointments::verify(&db, &SigningKey::ephemeral(), store_id, &code_of(&on_time), t).await.unwrap(),
            Err(VerifyRefusal::Unknown)
        );
    }
}

async fn booked_by_id(db: &Db, service_id: i64, starts_at: i64) -> i64 {
    let (b,): (i64,) =
        sqlx::query_as("SELECT booked FROM service_slots WHERE service_id = $1 AND starts_at = $2")
            .bind(service_id)
            .bind(starts_at)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    b
}

every_isolation! {
    /// Fifty members move their bookings into one slot of two places at once: two get
    /// there, the rest keep theirs; then twenty cancels of one booking give one place back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn moves_and_cancels_at_once_keep_every_count(fresh: Fresh) {
        let db = fresh.open().await;
        let key = SigningKey::ephemeral();
        let (store_id,): (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1").bind(STORE).fetch_one(&db.pool).await.unwrap();
        let fitting = Arc::new(appointments::service(&db, store_id, FITTING).await.unwrap().unwrap());
        let people = members(&db, 50).await;
        let base = 2_000_000_000;
        let target = base - 3600;
        let mut ids = Vec::new();
        for (i, m) in people.iter().enumerate() {
            let at = base + i as i64 * 3600;
            ids.push(appointments::book(&db, &key, *m, &fitting, at).await.unwrap().unwrap());
        }
        let moves: Vec<_> = people
            .iter()
            .zip(&ids)
            .map(|(m, id)| {
                let (db, m, id) = (db.clone(), *m, id.clone());
                tokio::spawn(async move { appointments::move_booking(&db, m, &id, target, now()).await })
            })
            .collect();
        let (mut moved, mut full, mut told_to_retry) = (0, 0, 0);
        for t in moves {
            match t.await.unwrap() {
                Ok(Ok(())) => moved += 1,
                Ok(Err(appointments::MoveRefusal::Full)) => full += 1,
                Ok(Err(other)) => panic!("{:?}: a move refused as {other:?}", fresh.kind),
                Err(AppError::Contended) if fresh.serializable => told_to_retry += 1,
                Err(e) => panic!("{:?}: {e:?}", fresh.kind),
            }
        }
        assert_eq!(moved, 2, "{:?}", fresh.kind);
        assert_eq!(moved + full + told_to_retry, 50);
        // Every slot's places are exactly its live bookings: 50 in all, 2 in the target.
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT t.starts_at, t.booked, (SELECT COUNT(*) FROM bookings b WHERE b.service_id = t.service_id \
               AND b.starts_at = t.starts_at AND b.status = 'booked') FROM service_slots t WHERE t.service_id = $1",
        )
        .bind(fitting.id)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert!(rows.iter().all(|(_, booked, live)| booked == live), "{rows:?}");
        assert_eq!(rows.iter().map(|(_, b, _)| b).sum::<i64>(), 50);
        assert_eq!(rows.iter().find(|(s, _, _)| *s == target).map(|r| r.1), Some(2));

        // Twenty cancels of one booking at once: one cancels it, its place comes back once.
        let (id, member) = (ids[10].clone(), people[10]);
        let (starts_at,): (i64,) = sqlx::query_as("SELECT starts_at FROM bookings WHERE id = $1").bind(&id).fetch_one(&db.pool).await.unwrap();
        let before = booked_by_id(&db, fitting.id, starts_at).await;
        let cancels: Vec<_> = (0..20)
            .map(|_| {
                let (db, id) = (db.clone(), id.clone());
                tokio::spawn(async move { appointments::cancel(&db, member, &id, now()).await })
            })
            .collect();
        let mut cancelled = 0;
        for t in cancels {
            match t.await.unwrap() {
                Ok(true) => cancelled += 1,
                Ok(false) => {}
                Err(AppError::Contended) if fresh.serializable => {}
                Err(e) => panic!("{:?}: {e:?}", fresh.kind),
            }
        }
        assert_eq!(cancelled, 1);
        assert_eq!(booked_by_id(&db, fitting.id, starts_at).await, before - 1);
    }
}
