//! An order's money on SQLite and PostgreSQL: the hold an unpaid order keeps and its
//! expiry, payments recorded once (a notify ten times is one payment), a payment that
//! races the hold's end (1,000 raced pairs, each with exactly one outcome), a payment
//! after the hold that cannot take its stock again (refunded), refunds asked once and
//! settled once, points earned at completion only.

use crate::harness::{Fresh, set_stock};
use app::domain::order::Mode;
use app::domain::payment::{PaidMethod, Payment, RefundReason, RefundState};
use app::ssr::checkout::{self, OrderRequest, Placed};
use app::ssr::db::Db;
use app::ssr::payment::{
    Notify, NotifyRefusal, PayRequest, PaymentError, PaymentProvider, Pending, RefundOutcome,
    TradeState,
};
use app::ssr::payments::{self, Paid, PayRefusal, Plan};
use app::ssr::settings::SigningKey;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const STORE: &str = "sh-jingan-temple";
const HOLD: Plan = Plan::Online { hold_secs: 900 };

/// A provider that moves no real money: it counts refunds by id (a repeat moves nothing,
/// as the real protocol promises) and can be told to fail.
#[derive(Debug, Default)]
struct Ledger {
    refunds: Mutex<HashMap<String, i64>>,
    calls: Mutex<u32>,
    down: Mutex<bool>,
    trades: Mutex<HashMap<String, TradeState>>,
}

impl PaymentProvider for Ledger {
    fn pay_url(&self, order: &PayRequest) -> String {
        format!("https://pay.example/{}", order.order_id())
    }

    fn parse_notify(&self, _form: &[(String, String)]) -> Result<Notify, NotifyRefusal> {
        Err(NotifyRefusal::Missing("sign"))
    }

    fn notify_ack(&self) -> &'static str {
        "success"
    }

    fn query<'a>(
        &'a self,
        order_id: &'a str,
    ) -> Pending<'a, Result<Option<TradeState>, PaymentError>> {
        let trade = self.trades.lock().unwrap().get(order_id).cloned();
        Box::pin(async move { Ok(trade) })
    }

    fn refund<'a>(
        &'a self,
        _order_id: &'a str,
        amount_fen: i64,
        refund_id: &'a str,
        _reason: &'a str,
    ) -> Pending<'a, Result<RefundOutcome, PaymentError>> {
        *self.calls.lock().unwrap() += 1;
        let down = *self.down.lock().unwrap();
        let outcome = if down {
            Err(PaymentError::Transport(app::ssr::payment::TransportError(
                "connection refused".into(),
            )))
        } else {
            let mut refunds = self.refunds.lock().unwrap();
            let fund_change = !refunds.contains_key(refund_id);
            refunds.entry(refund_id.to_owned()).or_insert(amount_fen);
            Ok(RefundOutcome {
                refunded_fen: refunds.values().sum(),
                fund_change,
            })
        };
        Box::pin(async move { outcome })
    }
}

async fn ids(db: &Db, sku: &str) -> (i64, i64) {
    sqlx::query_as("SELECT s.id, p.id FROM stores s, products p WHERE s.slug = $1 AND p.sku = $2")
        .bind(STORE)
        .bind(sku)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn stock(db: &Db, store: i64, product: i64) -> i64 {
    sqlx::query_as::<_, (i64,)>("SELECT stock FROM offers WHERE store_id = $1 AND product_id = $2")
        .bind(store)
        .bind(product)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .0
}

fn pickup(store: i64, product: i64, n: usize, quantity: i64) -> OrderRequest {
    OrderRequest {
        owner: format!("payer-{n}"),
        store_id: store,
        idempotency_key: format!("pay-key-{n:012}-abc"),
        mode: Mode::Pickup,
        window: None,
        pickup_at: Some(2_000_000_000),
        address: None,
        location: None,
        contact_name: "王小明".into(),
        phone: "13800138000".into(),
        lines: vec![(product, quantity)],
        guide_code: None,
        member_id: None,
        coupon_id: None,
    }
}

async fn place(db: &Db, req: &OrderRequest, plan: Plan) -> String {
    let key = SigningKey::ephemeral();
    match checkout::place_with(db, &key, req, plan).await.unwrap() {
        Ok(Placed::New(id)) => id,
        other => panic!("not placed: {other:?}"),
    }
}

async fn state(db: &Db, id: &str) -> (String, String) {
    sqlx::query_as("SELECT payment, status FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Moves an order's hold end into the past, as if its minutes had run out.
async fn run_out(db: &Db, id: &str) -> i64 {
    let now = app::ssr::session::now();
    sqlx::query("UPDATE orders SET pay_by = $1 WHERE id = $2")
        .bind(now - 1)
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
    now
}

async fn total(db: &Db, id: &str) -> i64 {
    payments::money(db, id).await.unwrap().unwrap().total_minor
}

both_backends! {
    /// An order placed to be paid online awaits payment and holds its stock; the hold
    /// ends only after its time, by one conditional update that gives the stock back
    /// once; a payment that comes before is recorded once, ten notifies or not.
    #[tokio::test]
    async fn a_hold_is_kept_until_paid_or_ended(kind: app::ssr::db::DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101101").await;
        set_stock(&db, store, product, 10).await;
        let id = place(&db, &pickup(store, product, 1, 3), HOLD).await;
        assert_eq!(state(&db, &id).await, ("awaiting".into(), "placed".into()));
        assert_eq!(stock(&db, store, product).await, 7, "held while unpaid");
        let now = app::ssr::session::now();
        assert!(!payments::expire_hold(&db, &id, now).await.unwrap(), "not over yet");
        assert_eq!(stock(&db, store, product).await, 7);

        let amount = total(&db, &id).await;
        assert_eq!(
            payments::record_payment(&db, &id, amount + 1, PaidMethod::Online, Some("T1"))
                .await
                .unwrap(),
            Err(PayRefusal::WrongAmount),
            "a tampered amount changes nothing"
        );
        assert_eq!(state(&db, &id).await.0, "awaiting");
        assert_eq!(
            payments::record_payment(&db, "CS000000000000", amount, PaidMethod::Online, Some("T1"))
                .await
                .unwrap(),
            Err(PayRefusal::UnknownOrder)
        );
        let mut outcomes = Vec::new();
        for _ in 0..10 {
            outcomes.push(
                payments::record_payment(&db, &id, amount, PaidMethod::Online, Some("T1"))
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(outcomes[0], Ok(Paid::Now));
        assert!(outcomes[1..].iter().all(|o| *o == Ok(Paid::Already)), "{outcomes:?}");
        let money = payments::money(&db, &id).await.unwrap().unwrap();
        assert_eq!(money.payment(), Payment::Paid);
        assert_eq!(money.method(), Some(PaidMethod::Online));
        assert_eq!(money.trade_no.as_deref(), Some("T1"));
        // Paid: its time running out changes nothing.
        let now = run_out(&db, &id).await;
        assert!(!payments::expire_hold(&db, &id, now).await.unwrap());
        assert_eq!(stock(&db, store, product).await, 7);

        // Another, unpaid: its end gives its stock back, once.
        let unpaid = place(&db, &pickup(store, product, 2, 2), HOLD).await;
        assert_eq!(stock(&db, store, product).await, 5);
        let now = run_out(&db, &unpaid).await;
        assert_eq!(payments::expire_holds(&db, now).await.unwrap(), vec![unpaid.clone()]);
        assert!(!payments::expire_hold(&db, &unpaid, now).await.unwrap());
        assert_eq!(stock(&db, store, product).await, 7);
        assert_eq!(state(&db, &unpaid).await, ("expired".into(), "cancelled".into()));

    }
}

both_backends! {
    /// A payment after the hold ended: taken again if its stock is still there; refunded
    /// (and the refund settled once, however often it is asked) when it is not.
    #[tokio::test]
    async fn a_late_payment_takes_its_stock_again_or_is_refunded(kind: app::ssr::db::DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101102").await;
        set_stock(&db, store, product, 4).await;
        let ledger = Ledger::default();

        let first = place(&db, &pickup(store, product, 1, 2), HOLD).await;
        let now = run_out(&db, &first).await;
        assert!(payments::expire_hold(&db, &first, now).await.unwrap());
        assert_eq!(stock(&db, store, product).await, 4);
        let amount = total(&db, &first).await;
        assert_eq!(
            payments::record_payment(&db, &first, amount, PaidMethod::Online, Some("T1"))
                .await
                .unwrap(),
            Ok(Paid::Retaken)
        );
        assert_eq!(state(&db, &first).await, ("paid".into(), "placed".into()));
        assert_eq!(stock(&db, store, product).await, 2);

        // The second's stock is bought by someone else while its hold is over.
        let second = place(&db, &pickup(store, product, 2, 2), HOLD).await;
        let now = run_out(&db, &second).await;
        assert!(payments::expire_hold(&db, &second, now).await.unwrap());
        let _rival = place(&db, &pickup(store, product, 3, 2), Plan::None).await;
        assert_eq!(stock(&db, store, product).await, 0);
        let amount = total(&db, &second).await;
        let outcome = payments::record_payment(&db, &second, amount, PaidMethod::Online, Some("T2"))
            .await
            .unwrap();
        let Ok(Paid::Refunding(refund_id)) = outcome else {
            panic!("expected a refund: {outcome:?}");
        };
        assert_eq!(stock(&db, store, product).await, 0, "nothing oversold");
        assert_eq!(state(&db, &second).await, ("paid".into(), "cancelled".into()));
        // The same notify again: one refund, not two.
        assert_eq!(
            payments::record_payment(&db, &second, amount, PaidMethod::Online, Some("T2"))
                .await
                .unwrap(),
            Ok(Paid::Already)
        );
        let refunds = payments::refunds(&db, &second).await.unwrap();
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].id, refund_id);
        assert_eq!(refunds[0].reason, RefundReason::LatePayment);
        assert_eq!(refunds[0].state, RefundState::Pending);
        assert_eq!(refunds[0].amount_minor, amount);

        // The provider is down: the refund stays pending, and is asked again later.
        *ledger.down.lock().unwrap() = true;
        assert_eq!(payments::settle_refunds(&db, &ledger, &second).await.unwrap(), 0);
        assert_eq!(payments::refunds(&db, &second).await.unwrap()[0].state, RefundState::Pending);
        *ledger.down.lock().unwrap() = false;
        let later = app::ssr::session::now() + payments::REFUND_RETRY_SECS + 1;
        assert_eq!(payments::sweep(&db, Some(&ledger), later).await.unwrap(), (0, 1));
        assert_eq!(payments::settle_refunds(&db, &ledger, &second).await.unwrap(), 0);
        let refunds = payments::refunds(&db, &second).await.unwrap();
        assert_eq!(refunds[0].state, RefundState::Refunded);
        assert_eq!(ledger.refunds.lock().unwrap().get(&refund_id), Some(&amount));
        assert_eq!(payments::money(&db, &second).await.unwrap().unwrap().refunded_minor, amount);

    }
}

every_isolation! {
    /// 1,000 orders whose holds end just as their payments arrive, each pair raced with a
    /// third shopper who wants the same two units: every order has one outcome — the
    /// payment wins; the hold ends first and the payment takes the stock again; or the
    /// hold ends, the other shopper takes the stock, and the payment is kept only to be
    /// refunded — never two, never none; stock is exactly what the placed orders hold.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_thousand_notifies_race_their_holds_ending(fresh: Fresh) {
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101103").await;
        set_stock(&db, store, product, 2_000).await;
        let mut orders = Vec::new();
        for n in 0..1_000 {
            let id = place(&db, &pickup(store, product, n, 2), Plan::Online { hold_secs: 0 }).await;
            orders.push(id);
        }
        assert_eq!(stock(&db, store, product).await, 0);
        let amount = total(&db, &orders[0]).await;
        let now = app::ssr::session::now() + 1;
        // 10 races (30 transactions) in flight for a pool of 8: every connection always
        // busy with a race, and no queue long enough to outrun the acquire timeout.
        let gate = Arc::new(tokio::sync::Semaphore::new(10));
        let mut tasks = Vec::new();
        for (n, id) in orders.clone().into_iter().enumerate() {
            let (db, gate) = (db.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                let _slot = gate.acquire_owned().await.unwrap();
                let end = {
                    let (db, id) = (db.clone(), id.clone());
                    tokio::spawn(async move { payments::expire_hold(&db, &id, now).await })
                };
                let other = {
                    let db = db.clone();
                    tokio::spawn(async move {
                        let req = pickup(store, product, 10_000 + n, 2);
                        let key = SigningKey::ephemeral();
                        match checkout::place_with(&db, &key, &req, HOLD).await.unwrap() {
                            Ok(Placed::New(id)) => Some(id),
                            Ok(other) => panic!("{other:?}"),
                            Err(_) => None,
                        }
                    })
                };
                let pay = {
                    let (db, id) = (db.clone(), id.clone());
                    tokio::spawn(async move {
                        payments::record_payment(&db, &id, amount, PaidMethod::Online, Some("T"))
                            .await
                    })
                };
                (id, pay.await.unwrap(), end.await.unwrap(), other.await.unwrap())
            }));
        }
        // Any shopper may take the units any expired hold gave back, so the count is
        // brand-wide: as many payments refunded as other shoppers' orders placed.
        let mut won = HashMap::<&'static str, u32>::new();
        let mut others = Vec::new();
        for task in tasks {
            let (id, pay, end, other) = task.await.unwrap();
            let (pay, ended) = (pay.unwrap(), end.unwrap());
            let (kind, status) = match (pay, ended) {
                (Ok(Paid::Now), false) => ("payment first", "placed"),
                (Ok(Paid::Retaken), true) => ("hold ended first, taken again", "placed"),
                (Ok(Paid::Refunding(_)), true) => ("hold ended, stock gone, refunded", "cancelled"),
                outcome => panic!("{id}: not one outcome: {outcome:?}"),
            };
            assert_eq!(state(&db, &id).await, ("paid".into(), status.into()), "{id}");
            *won.entry(kind).or_default() += 1;
            others.extend(other);
        }
        println!("raced triples on {:?}: {won:?}", db.kind);
        assert_eq!(won.values().sum::<u32>(), 1_000);
        assert_eq!(stock(&db, store, product).await, 0, "every unit is held by exactly one order");
        let refunds: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM refunds WHERE amount_minor = $1")
            .bind(amount)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(refunds.0 as usize, others.len(), "one refund per unit pair another shopper took");
        assert_eq!(
            won.get("hold ended, stock gone, refunded").copied().unwrap_or(0) as usize,
            others.len()
        );
    }
}

every_isolation! {
    /// Two payments of one order racing after its hold ended (the notify and the page's
    /// trade query, say), for 200 orders: one takes the stock again, the other finds it
    /// paid; stock is taken once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_late_payments_take_the_stock_once(fresh: Fresh) {
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101107").await;
        set_stock(&db, store, product, 1_000).await;
        let mut orders = Vec::new();
        for n in 0..200 {
            orders.push(place(&db, &pickup(store, product, n, 2), Plan::Online { hold_secs: 0 }).await);
        }
        let now = app::ssr::session::now() + 1;
        for id in &orders {
            assert!(payments::expire_hold(&db, id, now).await.unwrap());
        }
        assert_eq!(stock(&db, store, product).await, 1_000);
        let amount = total(&db, &orders[0]).await;
        let mut tasks = Vec::new();
        for id in orders.clone() {
            for trade in ["T-notify", "T-query"] {
                let (db, id) = (db.clone(), id.clone());
                tasks.push(tokio::spawn(async move {
                    let outcome =
                        payments::record_payment(&db, &id, amount, PaidMethod::Online, Some(trade)).await;
                    (id, outcome.unwrap())
                }));
            }
        }
        let mut retaken = HashMap::<String, u32>::new();
        for task in tasks {
            let (id, outcome) = task.await.unwrap();
            match outcome {
                Ok(Paid::Retaken) => *retaken.entry(id).or_default() += 1,
                Ok(Paid::Already) => {}
                other => panic!("{id}: {other:?}"),
            }
        }
        assert_eq!(retaken.len(), 200, "every order retaken");
        assert!(retaken.values().all(|n| *n == 1), "once each");
        assert_eq!(stock(&db, store, product).await, 600, "200 orders × 2, taken once");
        for id in &orders {
            assert_eq!(state(&db, id).await, ("paid".into(), "placed".into()));
        }
    }
}

both_backends! {
    /// Paid at the till in cash, then online too (the pay page was still open): the online
    /// money goes back whole, once, and the cash payment and its points stand. The store
    /// does not mark lines short on an order that is not paid yet.
    #[tokio::test]
    async fn a_second_payment_goes_back_and_unpaid_orders_are_not_shorted(kind: app::ssr::db::DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101108").await;
        set_stock(&db, store, product, 10).await;
        let ledger = Ledger::default();
        let key = SigningKey::ephemeral();
        let member = app::ssr::members::join(&db, "13900002222", None).await.unwrap().0;
        let mut req = pickup(store, product, 1, 2);
        req.member_id = Some(member);
        req.owner = format!("m:{member}");
        let Ok(Placed::New(id)) = checkout::place_with(&db, &key, &req, Plan::AtStore).await.unwrap() else {
            panic!("not placed");
        };
        assert_eq!(
            payments::mark_short(&db, store, 1, &id, product, 1).await.unwrap(),
            Err(payments::ShortRefusal::Unpaid)
        );
        let code = checkout::pickup_code(&key, &id);
        checkout::collect_with(&db, &key, store, &code, Some(PaidMethod::Cash)).await.unwrap().unwrap();
        let points = app::ssr::members::member(&db, member).await.unwrap().unwrap().points;
        let amount = total(&db, &id).await;
        let outcome = payments::record_payment(&db, &id, amount, PaidMethod::Online, Some("T1"))
            .await
            .unwrap();
        assert_eq!(outcome, Ok(Paid::Refunding(format!("{id}RD"))));
        assert_eq!(
            payments::record_payment(&db, &id, amount, PaidMethod::Online, Some("T1")).await.unwrap(),
            Ok(Paid::Already),
            "the same notify again asks nothing more"
        );
        assert_eq!(payments::settle_refunds(&db, &ledger, &id).await.unwrap(), 1);
        let refunds = payments::refunds(&db, &id).await.unwrap();
        assert_eq!(refunds.len(), 1);
        assert_eq!((refunds[0].reason, refunds[0].state), (RefundReason::Duplicate, RefundState::Refunded));
        let money = payments::money(&db, &id).await.unwrap().unwrap();
        assert_eq!((money.method(), money.refunded_minor), (Some(PaidMethod::Cash), 0));
        assert_eq!(
            app::ssr::members::member(&db, member).await.unwrap().unwrap().points,
            points,
            "the cash payment's points stand"
        );

        // Awaiting payment: not shorted either.
        let online = place(&db, &pickup(store, product, 2, 1), HOLD).await;
        assert_eq!(
            payments::mark_short(&db, store, 1, &online, product, 1).await.unwrap(),
            Err(payments::ShortRefusal::Unpaid)
        );
    }
}

both_backends! {
    /// Cancelling a paid order asks for its whole payment back (once); the store marking a
    /// line short refunds that line; points come when the order completes, on what was
    /// kept.
    #[tokio::test]
    async fn refunds_on_cancel_and_short_and_points_at_completion(kind: app::ssr::db::DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101104").await;
        set_stock(&db, store, product, 10).await;
        let ledger = Ledger::default();

        let req = pickup(store, product, 1, 2);
        let id = place(&db, &req, HOLD).await;
        let amount = total(&db, &id).await;
        payments::record_payment(&db, &id, amount, PaidMethod::Online, Some("T1"))
            .await
            .unwrap()
            .unwrap();
        assert!(checkout::cancel(&db, &req.owner, &id).await.unwrap());
        assert!(!checkout::cancel(&db, &req.owner, &id).await.unwrap(), "once");
        let refunds = payments::refunds(&db, &id).await.unwrap();
        assert_eq!(refunds.len(), 1);
        assert_eq!((refunds[0].amount_minor, refunds[0].reason), (amount, RefundReason::ShopperCancel));
        assert_eq!(payments::settle_refunds(&db, &ledger, &id).await.unwrap(), 1);
        assert_eq!(payments::settle_refunds(&db, &ledger, &id).await.unwrap(), 0);
        assert_eq!(*ledger.calls.lock().unwrap(), 1);
        assert_eq!(stock(&db, store, product).await, 10);

        // A member's order: one unit of two short, then collected.
        let member = app::ssr::members::join(&db, "13900001111", None).await.unwrap().0;
        let mut req = pickup(store, product, 2, 2);
        req.member_id = Some(member);
        req.owner = format!("m:{member}");
        let key = SigningKey::ephemeral();
        let Ok(Placed::New(id)) = checkout::place_with(&db, &key, &req, HOLD).await.unwrap() else {
            panic!("not placed");
        };
        let amount = total(&db, &id).await;
        let price = amount / 2;
        let points = || async {
            app::ssr::members::member(&db, member).await.unwrap().unwrap().points
        };
        let before = points().await;
        payments::record_payment(&db, &id, amount, PaidMethod::Online, Some("T2"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(points().await, before, "no points for placing or paying");
        let refund = payments::mark_short(&db, store, 1, &id, product, 1).await.unwrap().unwrap();
        assert!(refund.is_some());
        assert_eq!(
            payments::mark_short(&db, store, 1, &id, product, 1).await.unwrap(),
            Err(payments::ShortRefusal::Moved),
            "a line is marked short once"
        );
        assert_eq!(
            payments::mark_short(&db, store, 1, &id, product + 100_000, 1).await.unwrap(),
            Err(payments::ShortRefusal::NotFound)
        );
        let refunds = payments::refunds(&db, &id).await.unwrap();
        assert_eq!((refunds[0].amount_minor, refunds[0].reason), (price, RefundReason::Short));
        let code = checkout::pickup_code(&key, &id);
        assert_eq!(checkout::collect(&db, &key, store, &code).await.unwrap(), Some(id.clone()));
        assert_eq!(points().await, before + (amount - price) / 100, "points on what was kept");
        assert_eq!(checkout::collect(&db, &key, store, &code).await.unwrap(), None);
        assert_eq!(points().await, before + (amount - price) / 100, "once");

    }
}

both_backends! {
    /// Pay at the store: placed without a hold, collected only once the till says how it
    /// was paid; an unpaid online order is not handed over.
    #[tokio::test]
    async fn the_till_takes_payment_for_pay_at_store_orders(kind: app::ssr::db::DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101105").await;
        set_stock(&db, store, product, 10).await;
        let key = SigningKey::ephemeral();
        let req = pickup(store, product, 1, 1);
        let Ok(Placed::New(id)) = checkout::place_with(&db, &key, &req, Plan::AtStore).await.unwrap()
        else {
            panic!("not placed");
        };
        assert_eq!(state(&db, &id).await.0, "at_store");
        let code = checkout::pickup_code(&key, &id);
        assert_eq!(
            checkout::collect_with(&db, &key, store, &code, None).await.unwrap(),
            Err(checkout::CollectRefusal::NeedsPayment)
        );
        assert_eq!(
            checkout::collect_with(&db, &key, store, &code, Some(PaidMethod::Online)).await.unwrap(),
            Err(checkout::CollectRefusal::NeedsPayment),
            "online is the provider's to record, not the till's"
        );
        assert_eq!(
            checkout::collect_with(&db, &key, store, &code, Some(PaidMethod::Cash)).await.unwrap(),
            Ok(id.clone())
        );
        let money = payments::money(&db, &id).await.unwrap().unwrap();
        assert_eq!((money.payment(), money.method()), (Payment::Paid, Some(PaidMethod::Cash)));

        let Ok(Placed::New(online)) =
            checkout::place_with(&db, &key, &pickup(store, product, 2, 1), HOLD).await.unwrap()
        else {
            panic!("not placed");
        };
        let code = checkout::pickup_code(&key, &online);
        assert_eq!(
            checkout::collect_with(&db, &key, store, &code, Some(PaidMethod::Cash)).await.unwrap(),
            Err(checkout::CollectRefusal::Unpaid)
        );
        // The console does not start on it either.
        assert_eq!(
            app::ssr::console::advance(&db, store, 1, &online, None, None).await.unwrap(),
            Err(app::ssr::console::OrderRefusal::Unpaid)
        );

    }
}

both_backends! {
    /// A payment whose notify never came (lost, or the server stopped between the
    /// provider's confirmation and our commit): when the hold is due, the sweep asks the
    /// provider first and records the payment instead of ending the order.
    #[tokio::test]
    async fn a_lost_notify_is_found_by_the_sweep(kind: app::ssr::db::DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (store, product) = ids(&db, "HC101106").await;
        set_stock(&db, store, product, 10).await;
        let ledger = Ledger::default();
        let paid = place(&db, &pickup(store, product, 1, 1), HOLD).await;
        let unpaid = place(&db, &pickup(store, product, 2, 1), HOLD).await;
        let total_fen = total(&db, &paid).await;
        ledger.trades.lock().unwrap().insert(
            paid.clone(),
            TradeState {
                status: app::ssr::payment::TradeStatus::Success,
                trade_no: "T9".into(),
                total_fen,
            },
        );
        run_out(&db, &paid).await;
        let now = run_out(&db, &unpaid).await;
        assert_eq!(payments::sweep(&db, Some(&ledger), now).await.unwrap(), (1, 0));
        assert_eq!(state(&db, &paid).await, ("paid".into(), "placed".into()));
        assert_eq!(state(&db, &unpaid).await, ("expired".into(), "cancelled".into()));
        assert_eq!(stock(&db, store, product).await, 9);

    }
}

/// The HTTP side, through a real server with the demo gateway: a shopper with
/// JavaScript off places a pick-up, pays on the gateway's page, comes back to a paid
/// receipt; the notify is idempotent and refuses forgeries; cancelling refunds.
mod over_http {
    use super::STORE;
    use crate::harness::{Browser, TestApp};
    use app::domain::payment::{Payment, RefundState};
    use app::ssr::db::DbKind;
    use app::ssr::payment::demo::{DECIDE_PATH, DemoGateway};
    use app::ssr::payments;

    async fn demo_app(kind: DbKind) -> TestApp {
        TestApp::start_with(kind, |config| config.payment = "demo".into()).await
    }

    fn location(r: &reqwest::Response) -> String {
        r.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// A pick-up of one item placed with JavaScript off: its order id.
    pub async fn place_pickup(b: &Browser, sku: &str) -> String {
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
        assert_eq!(r.status().as_u16(), 303);
        let page = b.page(&format!("/checkout/{STORE}")).await;
        let time = page
            .split("name=\"pickup_at\"")
            .nth(1)
            .and_then(|s| s.split("<option value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .expect("a pick-up time")
            .to_owned();
        let key = format!("pay-http-{}-0123456789", sku);
        let r = b
            .post_form(
                "/checkout/place",
                &[
                    ("store", STORE),
                    ("key", &key),
                    ("mode", "pickup"),
                    ("pickup_at", &time),
                    ("name", "王小明"),
                    ("phone", "13800138000"),
                ],
            )
            .await;
        let to = location(&r);
        assert_eq!(r.status().as_u16(), 303);
        to.strip_prefix("/orders/")
            .expect("to the order page")
            .to_owned()
    }

    /// `form` with `field` set to `value`, signed again with the demo gateway's key (as the
    /// gateway itself would sign such a notify).
    fn resigned(form: &[(String, String)], field: &str, value: &str) -> Vec<(String, String)> {
        use app::ssr::payment::alipay::{AppPrivateKey, NOTIFY_UNSIGNED, canonical_string};
        let mut params: std::collections::BTreeMap<String, String> =
            form.iter().filter(|(k, _)| k != "sign").cloned().collect();
        params.insert(field.to_owned(), value.to_owned());
        let key = AppPrivateKey::parse(include_str!(
            "../../../app/src/ssr/payment/testdata/other_private_pkcs8.pem"
        ))
        .unwrap();
        let sign = key.sign(&canonical_string(&params, NOTIFY_UNSIGNED));
        params.insert("sign".to_owned(), sign);
        params.into_iter().collect()
    }

    /// The `paying=` time of a return URL (the gateway appends its own parameters).
    fn paying_since(url: &str) -> i64 {
        url.split("paying=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no paying= in {url}"))
    }

    /// The shopper presses "pay", and on the gateway's page `decision` with `notify`:
    /// where the gateway sends them back to.
    pub async fn pay(b: &Browser, id: &str, decision: &str, notify: &str) -> String {
        let r = b
            .http
            .get(b.url(&format!("/orders/{id}/pay")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        let gateway = location(&r);
        assert!(gateway.starts_with("/demo/alipay/gateway.do?"), "{gateway}");
        let page = b.page(&gateway).await;
        assert!(
            page.contains(&format!("name=\"out_trade_no\" value=\"{id}\"")),
            "the gateway's page is for this order: {page}"
        );
        let r = b
            .post_form(
                DECIDE_PATH,
                &[
                    ("out_trade_no", id),
                    ("decision", decision),
                    ("notify", notify),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        location(&r)
    }

    both_backends! {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_pickup_is_paid_through_the_demo_gateway_and_refunded_on_cancel(kind: DbKind) {
            let app = demo_app(kind).await;
            let db = app.db();
            let b = app.browser();
            let id = place_pickup(&b, "HC101101").await;
            let page = b.page(&format!("/orders/{id}")).await;
            assert!(page.contains("去支付"), "a pay link: {page}");
            assert!(page.contains("待支付"), "{page}");
            assert!(!page.contains("code-digits"), "no pick-up code before it is paid");
            assert_eq!(payments::money(&db, &id).await.unwrap().unwrap().payment(), Payment::Awaiting);

            let back = pay(&b, &id, "pay", "now").await;
            assert!(back.starts_with(&format!("/orders/{id}?paying=")), "{back}");
            let money = payments::money(&db, &id).await.unwrap().unwrap();
            assert_eq!(money.payment(), Payment::Paid, "the notify came over HTTP first");
            let receipt = b.page(&back).await;
            assert!(receipt.contains("已支付") && receipt.contains("支付宝"), "{receipt}");
            assert!(receipt.contains("code-digits"), "the pick-up code once paid");
            assert!(!receipt.contains("data-confirming"), "nothing to wait for");

            // The notify again, ten times, as the provider resends: one payment, `success`
            // each time; a foreign Origin does not matter (it is signed, not a page's post).
            let (_, gateway) = DemoGateway::pair(&app.base);
            let trade = gateway.trade(&db, &id).await.unwrap().expect("the trade");
            let form = gateway.notify_form(&trade, chrono::Utc::now());
            for _ in 0..10 {
                let r = app
                    .http
                    .post(app.url("/payment/alipay/notify"))
                    .header("origin", "https://evil.example")
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 200);
                assert_eq!(r.text().await.unwrap(), "success");
            }
            let paid_at = money.paid_at;
            assert_eq!(payments::money(&db, &id).await.unwrap().unwrap().paid_at, paid_at);
            // Tampered (the amount changed after signing) or unsigned: refused, nothing moves.
            let tampered: Vec<(String, String)> = form
                .iter()
                .map(|(k, v)| match k.as_str() {
                    "total_amount" => (k.clone(), "0.01".to_owned()),
                    _ => (k.clone(), v.clone()),
                })
                .collect();
            let unsigned: Vec<(String, String)> =
                form.iter().filter(|(k, _)| k != "sign").cloned().collect();
            for bad in [tampered, unsigned] {
                let r = app.http.post(app.url("/payment/alipay/notify")).form(&bad).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 400);
                assert_eq!(r.text().await.unwrap(), "fail");
            }

            // Out of order: a signed "closed" (or "waiting") notify after the payment is a
            // true message about the trade, acknowledged, and changes nothing here.
            for status in ["TRADE_CLOSED", "WAIT_BUYER_PAY"] {
                let stale = resigned(&form, "trade_status", status);
                let r = app.http.post(app.url("/payment/alipay/notify")).form(&stale).send().await.unwrap();
                assert_eq!((r.status().as_u16(), r.text().await.unwrap()), (200, "success".to_owned()));
                assert_eq!(payments::money(&db, &id).await.unwrap().unwrap().payment(), Payment::Paid);
            }
            // Signed, but for another amount than the order's: refused.
            let wrong = resigned(&form, "total_amount", "0.01");
            let r = app.http.post(app.url("/payment/alipay/notify")).form(&wrong).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 400);

            // Cancelled after payment: refunded through the gateway, shown on the receipt.
            let r = b.post_form("/orders/cancel", &[("id", &id)]).await;
            assert_eq!(r.status().as_u16(), 303);
            let refunds = payments::refunds(&db, &id).await.unwrap();
            assert_eq!(refunds.len(), 1);
            assert_eq!(refunds[0].state, RefundState::Refunded);
            assert_eq!(refunds[0].amount_minor, money.total_minor);
            let receipt = b.page(&format!("/orders/{id}")).await;
            assert!(receipt.contains("已退款"), "{receipt}");
            let trade = gateway.trade(&db, &id).await.unwrap().unwrap();
            assert_eq!(trade.refunded_fen, money.total_minor, "the gateway moved it once");
            app.stop().await;
        }
    }

    both_backends! {
        /// Declined, the shopper is told and pays again; with the notify held back, the
        /// page waits ("confirming"), then asks the gateway and shows it paid.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_declined_payment_then_a_late_notify(kind: DbKind) {
            let app = demo_app(kind).await;
            let db = app.db();
            let b = app.browser();
            let id = place_pickup(&b, "HC101102").await;
            let back = pay(&b, &id, "decline", "now").await;
            let page = b.page(&back).await;
            assert!(page.contains("正在确认支付结果"), "just back: waiting {page}");
            assert!(page.contains("查看支付结果"), "without JS: a link to look again");
            assert!(!page.contains("http-equiv=\"refresh\""), "nothing reloads by itself");
            // Seconds later, the gateway is asked: not paid.
            let since = paying_since(&back);
            let later = format!("/orders/{id}?paying={}", since - 5);
            let page = b.page(&later).await;
            assert!(page.contains("支付未完成"), "{page}");
            assert!(page.contains("去支付"), "{page}");
            assert_eq!(payments::money(&db, &id).await.unwrap().unwrap().payment(), Payment::Awaiting);

            let back = pay(&b, &id, "pay", "never").await;
            assert_eq!(payments::money(&db, &id).await.unwrap().unwrap().payment(), Payment::Awaiting);
            assert!(b.page(&back).await.contains("正在确认支付结果"));
            let since = paying_since(&back);
            let page = b.page(&format!("/orders/{id}?paying={}", since - 5)).await;
            assert!(page.contains("已支付"), "the trade query found it paid: {page}");
            assert_eq!(payments::money(&db, &id).await.unwrap().unwrap().payment(), Payment::Paid);
            app.stop().await;
        }
    }
}
