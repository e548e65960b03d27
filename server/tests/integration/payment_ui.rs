//! The staff and checkout side of payment over HTTP, on both databases, with the demo
//! payment on: the store's "pay at the store" setting (saved, audited, shown; a manager's
//! only), the checkout's pay note and its pay choice where the store allows it, a
//! pay-at-store pick-up handed over at the till once and only with how it was paid (the
//! member's points earned then), and a line marked short on a paid order refunded once,
//! with an unpaid order kept from being moved on.

use crate::harness::{Browser, TestApp};
use app::domain::i18n::checkout::CheckoutText;
use app::domain::i18n::payment::{PaymentText as P, pay_online_note};
use app::domain::lang::Lang;
use app::domain::payment::PaidMethod;
use app::links::routes;
use app::ssr::db::DbKind;

const STORE: &str = "sh-jingan-temple";
const SKU: &str = "HC101101";
const ZH: Lang = Lang::ZhCn;

/// A server taking payment through the demo gateway.
async fn paying_app(kind: DbKind) -> TestApp {
    TestApp::start_with(kind, |config| config.payment = "demo".into()).await
}

/// The settings form as the page sends it, with `pay_at_store` ticked or not.
fn settings_form(pay_at_store: bool) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![
        ("store", STORE),
        ("window_capacity", "10"),
        ("delivery_radius_km", "3"),
        ("delivery_fee", "6"),
        ("free_delivery_from", "59"),
        ("pickup_lead_min", "20"),
    ];
    if pay_at_store {
        form.push(("pay_at_store", "1"));
    }
    form
}

async fn pay_at_store(app: &TestApp) -> i64 {
    let (on,): (i64,) = sqlx::query_as("SELECT pay_at_store FROM stores WHERE slug = $1")
        .bind(STORE)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
    on
}

/// Whether the settings page's checkbox is ticked.
fn ticked(page: &str) -> bool {
    page.split("id=\"settings-pay-at-store\"")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .expect("the pay-at-store checkbox")
        .contains("checked")
}

/// A shopper (a new browser, or the one given) with `quantity` of [`SKU`] in the bag.
async fn with_bag(app: &TestApp, b: Option<Browser>, quantity: &str) -> Browser {
    let b = b.unwrap_or_else(|| app.browser());
    let r = b
        .post_form(
            routes::BAG_ADD,
            &[
                ("store", STORE),
                ("sku", SKU),
                ("quantity", quantity),
                ("back", "/"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "a bag");
    b
}

async fn checkout_page(b: &Browser) -> String {
    let (status, page) = b.get(&app::links::checkout(STORE)).await;
    assert_eq!(status, 200, "the checkout page");
    page
}

/// Places the bag as a pick-up at the first time offered, paying as `pay` says (`None`:
/// the field not sent): the order's id.
async fn place_pickup(b: &Browser, key: &str, pay: Option<&str>) -> String {
    let page = checkout_page(b).await;
    let pickup_at = page
        .split("name=\"pickup_at\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .expect("a pick-up time")
        .to_owned();
    let mut form = vec![
        ("store", STORE),
        ("key", key),
        ("mode", "pickup"),
        ("pickup_at", pickup_at.as_str()),
        ("name", "王小明"),
        ("phone", "138 0013 8000"),
    ];
    if let Some(pay) = pay {
        form.push(("pay", pay));
    }
    let (status, reply) = b.post_form_json(routes::CHECKOUT_PLACE, &form).await;
    assert_eq!(status, 200, "placed: {reply}");
    reply["order"].as_str().expect("its id").to_owned()
}

/// An order's payment, paid method and status.
async fn money(app: &TestApp, id: &str) -> (String, Option<String>, String) {
    sqlx::query_as("SELECT payment, paid_method, status FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
}

/// A signed-in member's browser and their id.
async fn member(app: &TestApp, phone: &str) -> (Browser, i64) {
    let b = app.browser();
    app.sign_in_member(&b, phone).await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM members WHERE phone = $1")
        .bind(phone)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
    (b, id)
}

async fn points(app: &TestApp, member: i64) -> i64 {
    app::ssr::members::member(&app.db(), member)
        .await
        .unwrap()
        .expect("the member")
        .points
}

/// The part of the page about one order in a list (from its id to the list item's end).
fn item<'a>(page: &'a str, id: &str) -> &'a str {
    page.split(&format!("<strong>{id}</strong>"))
        .nth(1)
        .and_then(|s| s.split("</li>").next())
        .unwrap_or_else(|| panic!("{id} is listed"))
}

async fn refund_rows(app: &TestApp, id: &str) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT amount_minor, reason FROM refunds WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&app.db().pool)
        .await
        .unwrap()
}

both_backends! {
    /// The manager ticks "allow paying at the store": saved, audited and shown ticked;
    /// unticked (the box not sent) it is off again; a forged value is refused beside the
    /// box; staff without the settings role are refused and change nothing.
    #[tokio::test]
    async fn the_pay_at_store_setting_saves_shows_and_is_a_managers(kind: DbKind) {
        let app = paying_app(kind).await;
        let manager = app.staff(STORE, 1).await;
        let settings = app::links::console(STORE, "settings");
        let page = manager.page(&settings).await;
        assert!(page.contains(P::PayAtStoreSetting.t(ZH)), "the setting is on the page");
        assert!(!ticked(&page), "off to begin with");
        assert_eq!(pay_at_store(&app).await, 0);

        // Staff and guides have no settings role: refused, nothing changed.
        for n in [2, 3] {
            let other = app.staff(STORE, n).await;
            let (status, reply) = other
                .post_form_json(routes::STAFF_SETTINGS_SAVE, &settings_form(true))
                .await;
            assert_eq!(status, 403, "demo account {n}: {reply}");
            assert_eq!(other.get(&settings).await.0, 403, "demo account {n} sees no settings");
        }
        assert_eq!(pay_at_store(&app).await, 0, "a refusal changes nothing");

        let (status, reply) = manager
            .post_form_json(routes::STAFF_SETTINGS_SAVE, &settings_form(true))
            .await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(pay_at_store(&app).await, 1);
        assert!(ticked(&manager.page(&settings).await), "shown ticked");
        let (after,): (String,) = sqlx::query_as(
            "SELECT after FROM audit_log WHERE action = 'settings' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
        assert!(after.contains("pay at store on"), "audited: {after}");

        // A forged value is no checkbox of ours: refused beside it, without JavaScript too.
        let mut forged = settings_form(false);
        forged.push(("pay_at_store", "yes"));
        let (status, _) = manager.post_form_json(routes::STAFF_SETTINGS_SAVE, &forged).await;
        assert_eq!(status, 400);
        let r = manager.post_form(routes::STAFF_SETTINGS_SAVE, &forged).await;
        assert_eq!(r.status().as_u16(), 303);
        let page = manager.page(&settings).await;
        assert!(page.contains("id=\"note-pay-at-store\""), "the refusal is beside the box");
        assert_eq!(pay_at_store(&app).await, 1, "still on");

        // Unticked, the box is not sent: off.
        let (status, reply) = manager
            .post_form_json(routes::STAFF_SETTINGS_SAVE, &settings_form(false))
            .await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(pay_at_store(&app).await, 0);
        assert!(!ticked(&manager.page(&settings).await), "shown unticked");
        app.stop().await;
    }
}

both_backends! {
    /// With payment on, the checkout says the order is paid online next and how long the
    /// items are held; the pay choice is there only where the store allows paying at the
    /// till. With payment off there is neither.
    #[tokio::test]
    async fn the_checkout_offers_paying_at_the_store_only_where_allowed(kind: DbKind) {
        let app = paying_app(kind).await;
        let shopper = with_bag(&app, None, "1").await;
        let page = checkout_page(&shopper).await;
        assert!(page.contains(&pay_online_note(ZH, 15)), "the pay note, with the hold's minutes");
        assert!(!page.contains("name=\"pay\""), "no choice where the store does not allow it");

        let manager = app.staff(STORE, 1).await;
        let (status, reply) = manager
            .post_form_json(routes::STAFF_SETTINGS_SAVE, &settings_form(true))
            .await;
        assert_eq!(status, 200, "{reply}");
        let page = checkout_page(&shopper).await;
        assert!(page.contains(P::HowToPay.t(ZH)), "the choice's legend");
        assert!(page.contains(P::PayChoiceHint.t(ZH)), "it says it is for pick-ups");
        let radio = |value: &str| {
            page.split(&format!("id=\"pay-{value}\""))
                .nth(1)
                .and_then(|s| s.split('>').next())
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("a {value} radio"))
        };
        assert!(radio("online").contains("checked"), "online is the default");
        assert!(!radio("store").contains("checked"));
        assert!(page.matches("name=\"pay\"").count() == 2, "two choices");
        app.stop().await;

        // Payment off: orders go straight to the store, and the page says nothing of paying.
        let app = TestApp::start(kind).await;
        sqlx::query("UPDATE stores SET pay_at_store = 1 WHERE slug = $1")
            .bind(STORE)
            .execute(&app.db().pool)
            .await
            .unwrap();
        let page = checkout_page(&with_bag(&app, None, "1").await).await;
        assert!(!page.contains("id=\"pay-note\"") && !page.contains("name=\"pay\""));
        app.stop().await;
    }
}

both_backends! {
    /// A member's pick-up to be paid at the store: the till shows it so, refuses to hand
    /// it over until told how the shopper paid (said beside that choice), then hands it
    /// over once, paid in cash, and the member's points are earned then and only then.
    #[tokio::test]
    async fn a_pay_at_store_pickup_is_handed_over_once_with_how_it_was_paid(kind: DbKind) {
        let app = paying_app(kind).await;
        sqlx::query("UPDATE stores SET pay_at_store = 1 WHERE slug = $1")
            .bind(STORE)
            .execute(&app.db().pool)
            .await
            .unwrap();
        let (shopper, member_id) = member(&app, "13800138011").await;
        let shopper = with_bag(&app, Some(shopper), "2").await;
        let id = place_pickup(&shopper, "pay-ui-at-store-0001", Some("store")).await;
        assert_eq!(money(&app, &id).await, ("at_store".into(), None, "placed".into()));
        let (total, code): (i64, String) =
            sqlx::query_as("SELECT total_minor, pickup_code FROM orders WHERE id = $1")
                .bind(&id)
                .fetch_one(&app.db().pool)
                .await
                .unwrap();
        let before = points(&app, member_id).await;

        let till = app.staff(STORE, 2).await;
        let till_path = app::links::till(STORE);
        let page = till.page(&till_path).await;
        assert!(
            item(&page, &id).contains(app::domain::i18n::payment::payment(ZH, app::domain::payment::Payment::AtStore)),
            "the till shows it is paid at the store"
        );
        assert!(page.contains(P::TillPaidWith.t(ZH)), "the collect form asks how it was paid");

        // Without how it was paid: refused, beside the choice, and nothing changes.
        let (status, reply) = till
            .post_form_json(routes::TILL_COLLECT, &[("store", STORE), ("code", &code)])
            .await;
        assert_eq!(status, 400, "{reply}");
        let r = till
            .post_form(routes::TILL_COLLECT, &[("store", STORE), ("code", &code)])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let page = till.page(&till_path).await;
        let note = page
            .split("id=\"note-paid\"")
            .nth(1)
            .expect("the refusal beside the choice (the till's collect answers with `finish_beside`)");
        assert!(note.contains(P::TillNeedsPayment.t(ZH)), "{note:.200}");
        assert_eq!(money(&app, &id).await, ("at_store".into(), None, "placed".into()));
        assert_eq!(points(&app, member_id).await, before, "no points before completion");

        // Paid in cash: handed over once.
        let (status, reply) = till
            .post_form_json(routes::TILL_COLLECT, &[("store", STORE), ("code", &code), ("paid", "cash")])
            .await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(
            money(&app, &id).await,
            ("paid".into(), Some(PaidMethod::Cash.as_str().into()), "completed".into())
        );
        assert_eq!(points(&app, member_id).await, before + total / 100, "points on completion");
        let (status, reply) = till
            .post_form_json(routes::TILL_COLLECT, &[("store", STORE), ("code", &code), ("paid", "cash")])
            .await;
        assert_eq!(status, 409, "once only: {reply}");
        assert_eq!(points(&app, member_id).await, before + total / 100, "earned once");
        app.stop().await;
    }
}

both_backends! {
    /// An order awaiting its online payment shows so at the till and the console, with no
    /// button to move it on; once paid, a line marked short asks its money back (a refund
    /// row, shown with its reason), a count above the line's is refused beside its field,
    /// and a second short of the same line is refused.
    #[tokio::test]
    async fn a_short_line_of_a_paid_order_is_refunded_once(kind: DbKind) {
        let app = paying_app(kind).await;
        let shopper = with_bag(&app, None, "2").await;
        let id = place_pickup(&shopper, "pay-ui-short-00001", None).await;
        assert_eq!(money(&app, &id).await.0, "awaiting");
        let staff = app.staff(STORE, 2).await;
        let order_page = app::links::console_order(STORE, &id);

        // Awaiting payment: shown so, and nothing moves it on.
        let till_page = staff.page(&app::links::till(STORE)).await;
        let listed = item(&till_page, &id);
        assert!(listed.contains(P::NotPaidYet.t(ZH)), "the till says it awaits payment");
        assert!(!listed.contains(routes::TILL_ADVANCE), "no next step at the till");
        let page = staff.page(&order_page).await;
        assert!(page.contains(P::HoldEnds.t(ZH)), "the console shows when the hold ends");
        assert!(page.contains(P::UnpaidOrder.t(ZH)));
        assert!(!page.contains(routes::STAFF_ORDER_ADVANCE), "no advance button");
        let queue = staff.page(&app::links::console(STORE, "")).await;
        let queued = queue
            .split(&format!("<strong>{id}</strong>"))
            .nth(1)
            .and_then(|s| s.split("</li>").next())
            .expect("queued");
        assert!(!queued.contains(routes::STAFF_ORDER_ADVANCE), "no advance from the queue");

        let (total, price): (i64, i64) = sqlx::query_as(
            "SELECT o.total_minor, l.price_minor FROM orders o JOIN order_lines l ON l.order_id = o.id \
             WHERE o.id = $1",
        )
        .bind(&id)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
        let paid = app::ssr::payments::record_payment(&app.db(), &id, total, PaidMethod::Online, Some("T1"))
            .await
            .unwrap();
        assert!(paid.is_ok(), "paid: {paid:?}");
        let page = staff.page(&order_page).await;
        assert!(page.contains(app::domain::i18n::payment::method(ZH, PaidMethod::Online)), "paid by");
        assert!(page.contains(routes::STAFF_ORDER_ADVANCE), "paid, it may be moved on");
        assert!(page.contains(routes::STAFF_ORDER_SHORT), "a line may be marked short");

        let short = |n: &'static str| vec![("store", STORE), ("id", id.as_str()), ("sku", SKU), ("short", n)];
        // A guide has no orders role; more than ordered is refused beside the line.
        let guide = app.staff(STORE, 3).await;
        assert_eq!(guide.post_form_json(routes::STAFF_ORDER_SHORT, &short("1")).await.0, 403);
        let (status, reply) = staff.post_form_json(routes::STAFF_ORDER_SHORT, &short("3")).await;
        assert_eq!(status, 400, "{reply}");
        assert_eq!(reply["message"], P::ShortTooMany.t(ZH), "{reply}");
        let r = staff.post_form(routes::STAFF_ORDER_SHORT, &short("0")).await;
        assert_eq!(r.status().as_u16(), 303);
        let page = staff.page(&order_page).await;
        let field = app::forms::StaffShortForm::short_field(SKU);
        let note = page
            .split(&format!("id=\"{}\"", app::components::field_note::note_id(&field)))
            .nth(1)
            .expect("the refusal beside the line's field");
        assert!(note.contains(P::ShortTooMany.t(ZH)), "{note:.200}");
        assert!(refund_rows(&app, &id).await.is_empty(), "refusals refund nothing");

        let (status, reply) = staff.post_form_json(routes::STAFF_ORDER_SHORT, &short("1")).await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(reply["message"], P::ShortSaved.t(ZH));
        assert_eq!(refund_rows(&app, &id).await, vec![(price, "short".to_owned())]);
        let page = staff.page(&order_page).await;
        assert!(page.contains(P::Refunds.t(ZH)), "the refund is listed");
        assert!(
            page.contains(app::domain::i18n::payment::refund_reason(ZH, app::domain::payment::RefundReason::Short)),
            "with its reason"
        );
        assert!(page.contains(&app::domain::money::Money::cny(price).to_string()), "and amount");

        // The same line again: refused, and still one refund.
        let (status, reply) = staff.post_form_json(routes::STAFF_ORDER_SHORT, &short("1")).await;
        assert_eq!(status, 409, "{reply}");
        assert_eq!(reply["message"], CheckoutText::OrderMoved.t(ZH));
        assert_eq!(refund_rows(&app, &id).await.len(), 1);
        app.stop().await;
    }
}

both_backends! {
    /// A paid order the store cancels asks all its money back through the provider (the
    /// demo gateway, over HTTP): one refund row with the store's reason, the shopper's
    /// order page shows it with its state and the store's words, the stock comes back once, and
    /// a second cancel changes nothing.
    #[tokio::test]
    async fn a_store_cancel_of_a_paid_order_refunds_it_once(kind: DbKind) {
        let app = paying_app(kind).await;
        let shopper = with_bag(&app, None, "2").await;
        let id = place_pickup(&shopper, "pay-ui-store-cancel-01", None).await;
        let (total,): (i64,) = sqlx::query_as("SELECT total_minor FROM orders WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
        let stock = || async {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT o.stock FROM offers o JOIN products p ON p.id = o.product_id \
                 JOIN stores s ON s.id = o.store_id WHERE s.slug = $1 AND p.sku = $2",
            )
            .bind(STORE)
            .bind(SKU)
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
            n
        };
        let held = stock().await;
        let paid = app::ssr::payments::record_payment(&app.db(), &id, total, PaidMethod::Online, Some("T1"))
            .await
            .unwrap();
        assert!(paid.is_ok(), "paid: {paid:?}");

        let staff = app.staff(STORE, 2).await;
        let cancel = [("store", STORE), ("id", id.as_str()), ("reason", "售罄 sold out")];
        let (status, reply) = staff.post_form_json(routes::STAFF_ORDER_CANCEL, &cancel).await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(refund_rows(&app, &id).await, vec![(total, "store_cancel".to_owned())]);
        assert_eq!(stock().await, held + 2, "the stock back once");
        let (status, _) = staff.post_form_json(routes::STAFF_ORDER_CANCEL, &cancel).await;
        assert_eq!(status, 409, "a second cancel is refused");
        assert_eq!(refund_rows(&app, &id).await.len(), 1, "and asks nothing again");
        assert_eq!(stock().await, held + 2);

        let (status, page) = shopper.get(&app::links::order(&id)).await;
        assert_eq!(status, 200);
        assert!(page.contains(P::Refunds.t(ZH)), "the refund is listed");
        // The payment was recorded directly, so the demo gateway knows no such trade and
        // does not confirm the refund: it stays pending, for the sweep to ask again.
        let pending = app::domain::i18n::payment::refund_state(ZH, app::domain::payment::RefundState::Pending);
        assert!(page.contains(pending), "shown as pending");
        assert!(
            page.contains(app::domain::i18n::payment::refund_reason(ZH, app::domain::payment::RefundReason::StoreCancel)),
            "and why"
        );
        assert!(page.contains("售罄 sold out"), "the store's words");
        app.stop().await;
    }
}

both_backends! {
    /// A payment that arrives after the hold ended and another shopper took the stock is
    /// kept only to be refunded, and the order's page tells its shopper so (and nobody
    /// else sees the order).
    #[tokio::test]
    async fn a_late_payment_whose_stock_is_gone_is_refunded_and_the_shopper_told(kind: DbKind) {
        let app = paying_app(kind).await;
        let shopper = with_bag(&app, None, "2").await;
        let id = place_pickup(&shopper, "pay-ui-late-refund-01", None).await;
        let (total,): (i64,) = sqlx::query_as("SELECT total_minor FROM orders WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
        let (status, page) = shopper.get(&app::links::order(&id)).await;
        assert_eq!(status, 200);
        assert!(!page.contains(P::RefundLateNote.t(ZH)), "nothing to say yet");
        // The hold runs out and ends; the units it gave back are sold to someone else.
        let now = app::ssr::session::now();
        sqlx::query("UPDATE orders SET pay_by = $1 WHERE id = $2")
            .bind(now - 1)
            .bind(&id)
            .execute(&app.db().pool)
            .await
            .unwrap();
        assert!(app::ssr::payments::expire_hold(&app.db(), &id, now).await.unwrap());
        sqlx::query(
            "UPDATE offers SET stock = 0 WHERE product_id = (SELECT id FROM products WHERE sku = $1) \
             AND store_id = (SELECT id FROM stores WHERE slug = $2)",
        )
        .bind(SKU)
        .bind(STORE)
        .execute(&app.db().pool)
        .await
        .unwrap();
        let paid = app::ssr::payments::record_payment(&app.db(), &id, total, PaidMethod::Online, Some("T-late"))
            .await
            .unwrap();
        assert!(matches!(paid, Ok(app::ssr::payments::Paid::Refunding(_))), "{paid:?}");
        assert_eq!(refund_rows(&app, &id).await, vec![(total, "late_payment".to_owned())]);
        let (status, page) = shopper.get(&app::links::order(&id)).await;
        assert_eq!(status, 200);
        assert!(page.contains(P::RefundLateNote.t(ZH)), "the shopper is told");
        let (status, _) = app.browser().get(&app::links::order(&id)).await;
        assert_eq!(status, 404, "and nobody else");
        app.stop().await;
    }
}
