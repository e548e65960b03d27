//! An order's money (server): the hold an unpaid order keeps, the payment that arrives
//! for it, the refunds that send money back, and the points a completed order earns.
//!
//! Every change is a conditional update inside one transaction, so each race has one
//! outcome:
//! - a payment (a verified notify, a trade query, or the till) moves `awaiting` or
//!   `at_store` to `paid` only while the order is not cancelled and only for its exact
//!   total; a repeat finds it `paid` and changes nothing;
//! - a hold ends by moving `awaiting` to `expired` (and the order to cancelled) only
//!   after `pay_by`, giving its stock, window and coupon back in the same transaction;
//! - a payment that finds its hold already ended takes stock, window and coupon again if
//!   they are all still there, and otherwise keeps the money only to refund it;
//! - a refund is a row with its own id (the provider's refund request number): asked
//!   once, settled once, and safe to ask again after a crash.

use crate::domain::ops::EventKind;
use crate::domain::payment::{PaidMethod, Payment, RefundReason, RefundState, points_for};
use crate::error::AppError;
use crate::ssr::checkout::{self, Tx};
use crate::ssr::db::{Db, retrying};
use crate::ssr::ops::events;
use crate::ssr::payment::PaymentProvider;
use crate::ssr::session::now;

/// How long an unpaid order holds what it took, unless `PAYMENT_HOLD_MINUTES` says.
pub const DEFAULT_HOLD_SECS: i64 = 15 * 60;
/// A refund the provider has not confirmed is asked again after this long (the provider
/// was down, or the server stopped between our commit and its answer).
pub const REFUND_RETRY_SECS: i64 = 60;

/// How a new order is to be paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The app takes no payment (payment is off).
    None,
    /// Online, within `hold_secs`, or everything it took goes back.
    Online { hold_secs: i64 },
    /// A pick-up paid at the till when collected.
    AtStore,
}

impl Plan {
    /// The order row's `payment` and `pay_by` for an order placed at `now`.
    pub fn columns(self, now: i64) -> (Payment, Option<i64>) {
        match self {
            Plan::None => (Payment::None, None),
            Plan::Online { hold_secs } => (Payment::Awaiting, Some(now + hold_secs)),
            Plan::AtStore => (Payment::AtStore, None),
        }
    }
}

/// What a payment did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paid {
    /// The order is paid now.
    Now,
    /// It was paid before (a repeated notify, or a query after the notify).
    Already,
    /// Its hold had ended; what it held was all still there and is taken again.
    Retaken,
    /// Its hold had ended (or the shopper had cancelled) and it cannot go ahead: the money
    /// is kept only to be refunded, under this refund id.
    Refunding(String),
}

/// Why a payment was not recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayRefusal {
    /// No order with that id.
    UnknownOrder,
    /// The amount is not the order's total.
    WrongAmount,
    /// The app takes no payment for this order.
    NotPayable,
}

/// An order's money, as its page and the till show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MoneyRow {
    #[sqlx(try_from = "String")]
    pub payment: PaymentCol,
    pub pay_by: Option<i64>,
    pub paid_at: Option<i64>,
    pub paid_method: Option<String>,
    pub trade_no: Option<String>,
    pub refunded_minor: i64,
    pub total_minor: i64,
}

/// `orders.payment` read through [`Payment::parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentCol(pub Payment);

impl TryFrom<String> for PaymentCol {
    type Error = crate::domain::order::UnknownValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Payment::parse(&value)
            .map(PaymentCol)
            .ok_or(crate::domain::order::UnknownValue {
                kind: "payment",
                value,
            })
    }
}

impl MoneyRow {
    pub fn payment(&self) -> Payment {
        self.payment.0
    }

    pub fn method(&self) -> Option<PaidMethod> {
        self.paid_method.as_deref().and_then(PaidMethod::parse)
    }
}

pub async fn money(db: &Db, order_id: &str) -> Result<Option<MoneyRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT payment, pay_by, paid_at, paid_method, trade_no, refunded_minor, total_minor \
         FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// One refund of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    pub id: String,
    pub amount_minor: i64,
    pub reason: RefundReason,
    pub state: RefundState,
    pub created_at: i64,
    pub done_at: Option<i64>,
}

pub async fn refunds(db: &Db, order_id: &str) -> Result<Vec<Refund>, AppError> {
    let rows: Vec<(String, i64, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, amount_minor, reason, state, created_at, done_at FROM refunds \
         WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order_id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(id, amount_minor, reason, state, created_at, done_at)| {
            let damaged = || {
                tracing::error!(refund = %id, "a refund row names an unknown reason or state");
                AppError::Internal
            };
            Ok(Refund {
                reason: RefundReason::parse(&reason).ok_or_else(damaged)?,
                state: RefundState::parse(&state).ok_or_else(damaged)?,
                id,
                amount_minor,
                created_at,
                done_at,
            })
        })
        .collect()
}

/// Money arrived for `order_id` (a verified notify or trade query, or the till): records
/// it once. `trade_no` is the provider's trade (None at the till).
pub async fn record_payment(
    db: &Db,
    order_id: &str,
    amount_minor: i64,
    method: PaidMethod,
    trade_no: Option<&str>,
) -> Result<Result<Paid, PayRefusal>, AppError> {
    // A `Refunding` outcome leaves a pending refund: the caller, which holds the
    // provider, settles it (`settle_refunds`) after this has committed.
    retrying(db, || {
        record_payment_once(db, order_id, amount_minor, method, trade_no)
    })
    .await
}

async fn record_payment_once(
    db: &Db,
    order_id: &str,
    amount_minor: i64,
    method: PaidMethod,
    trade_no: Option<&str>,
) -> Result<Result<Paid, PayRefusal>, AppError> {
    let at = now();
    let mut tx = db.pool.begin().await?;
    let paid = sqlx::query(
        "UPDATE orders SET payment = 'paid', paid_at = $1, paid_method = $2, trade_no = $3 \
         WHERE id = $4 AND total_minor = $5 AND payment IN ('awaiting', 'at_store') \
           AND status <> 'cancelled'",
    )
    .bind(at)
    .bind(method.as_str())
    .bind(trade_no)
    .bind(order_id)
    .bind(amount_minor)
    .execute(&mut *tx)
    .await?;
    if paid.rows_affected() == 1 {
        events::emit(&mut tx, order_id, EventKind::Paid).await?;
        tx.commit().await?;
        return Ok(Ok(Paid::Now));
    }
    let row: Option<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT payment, total_minor, cancelled_by, paid_method FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((payment, total, cancelled_by, paid_method)) = row else {
        return Ok(Err(PayRefusal::UnknownOrder));
    };
    if total != amount_minor {
        return Ok(Err(PayRefusal::WrongAmount));
    }
    match Payment::parse(&payment) {
        // Paid at the till (cash or card), and now online too (the pay page was still
        // open): the online money goes back, once (the refund's id is fixed).
        Some(Payment::Paid)
            if method == PaidMethod::Online
                && paid_method
                    .as_deref()
                    .and_then(PaidMethod::parse)
                    .is_some_and(|m| m != PaidMethod::Online) =>
        {
            let id = format!("{order_id}RD");
            let asked = sqlx::query(
                "INSERT INTO refunds (id, order_id, amount_minor, reason, state, created_at) \
                 VALUES ($1, $2, $3, 'duplicate', 'pending', $4) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&id)
            .bind(order_id)
            .bind(amount_minor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Ok(if asked.rows_affected() == 1 {
                Paid::Refunding(id)
            } else {
                Paid::Already
            }))
        }
        Some(Payment::Paid) => Ok(Ok(Paid::Already)),
        Some(Payment::None) | None => Ok(Err(PayRefusal::NotPayable)),
        // The hold ended (`expired`), or the shopper or store cancelled the order while
        // the payment was on its way (`awaiting`/`at_store` and cancelled).
        Some(Payment::Expired | Payment::Awaiting | Payment::AtStore) => {
            if payment == Payment::Expired.as_str() && cancelled_by.is_none() {
                // Claimed first, by one conditional update: of two payments racing here,
                // one takes the stock again and the other finds the order paid.
                let claimed = sqlx::query(
                    "UPDATE orders SET payment = 'paid', paid_at = $1, paid_method = $2, trade_no = $3, \
                       status = 'placed', status_at = $1, cancel_reason = NULL \
                     WHERE id = $4 AND payment = 'expired' AND status = 'cancelled' AND cancelled_by IS NULL",
                )
                .bind(at)
                .bind(method.as_str())
                .bind(trade_no)
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
                if claimed.rows_affected() != 1 {
                    return Ok(Ok(Paid::Already));
                }
                if retake(&mut tx, order_id).await? {
                    events::emit(&mut tx, order_id, EventKind::Paid).await?;
                    tx.commit().await?;
                    return Ok(Ok(Paid::Retaken));
                }
            }
            // `retake` may have taken some of it before finding the rest gone: start over
            // (the claim undone too) in a transaction that only keeps the money to send
            // it back.
            drop(tx);
            keep_to_refund(db, order_id, amount_minor, method, trade_no).await
        }
    }
}

/// A payment for an order that cannot go ahead: recorded as paid (the money is ours until
/// it goes back) with a pending refund of all of it.
async fn keep_to_refund(
    db: &Db,
    order_id: &str,
    amount_minor: i64,
    method: PaidMethod,
    trade_no: Option<&str>,
) -> Result<Result<Paid, PayRefusal>, AppError> {
    let at = now();
    let mut tx = db.pool.begin().await?;
    let kept = sqlx::query(
        "UPDATE orders SET payment = 'paid', paid_at = $1, paid_method = $2, trade_no = $3 \
         WHERE id = $4 AND total_minor = $5 AND payment IN ('expired', 'awaiting', 'at_store') \
           AND status = 'cancelled'",
    )
    .bind(at)
    .bind(method.as_str())
    .bind(trade_no)
    .bind(order_id)
    .bind(amount_minor)
    .execute(&mut *tx)
    .await?;
    if kept.rows_affected() != 1 {
        // Someone else recorded it between our two transactions.
        return Ok(Ok(Paid::Already));
    }
    let id = ask_refund(&mut tx, order_id, amount_minor, RefundReason::LatePayment).await?;
    events::emit(&mut tx, order_id, EventKind::Paid).await?;
    tx.commit().await?;
    Ok(Ok(Paid::Refunding(id)))
}

/// Takes again what an expired hold gave back: every line's stock, the window, the coupon.
/// False (with some of it perhaps taken: roll back) if anything is gone.
async fn retake(tx: &mut Tx, order_id: &str) -> Result<bool, AppError> {
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT o.store_id, l.product_id, l.quantity FROM order_lines l \
         JOIN orders o ON o.id = l.order_id WHERE l.order_id = $1",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    for (store_id, product_id, quantity) in lines {
        let taken = sqlx::query(
            "UPDATE offers SET stock = stock - $1, version = version + 1 \
             WHERE store_id = $2 AND product_id = $3 AND stock >= $1",
        )
        .bind(quantity)
        .bind(store_id)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Ok(false);
        }
    }
    let window: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT store_id, window_start FROM orders WHERE id = $1 AND mode = 'delivery'",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((store_id, Some(start))) = window {
        let booked = sqlx::query(
            "UPDATE delivery_windows SET booked = booked + 1 \
             WHERE store_id = $1 AND starts_at = $2 AND booked < capacity",
        )
        .bind(store_id)
        .bind(start)
        .execute(&mut **tx)
        .await?;
        if booked.rows_affected() != 1 {
            return Ok(false);
        }
    }
    let coupon: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT coupon_id FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((Some(coupon),)) = coupon {
        let taken = sqlx::query(
            "UPDATE coupons SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now())
        .bind(coupon)
        .execute(&mut **tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Orders whose hold is over at `now` and still to end (oldest first, at most 500 a pass):
/// the sweep's work list.
async fn due_holds(db: &Db, now: i64) -> Result<Vec<String>, AppError> {
    let due: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE payment = 'awaiting' AND status = 'placed' AND pay_by <= $1 \
         ORDER BY pay_by LIMIT 500",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    Ok(due.into_iter().map(|(id,)| id).collect())
}

/// Ends the holds that are over at `now`: each by one conditional update (`awaiting` and
/// past `pay_by`) that gives its stock, window and coupon back in the same transaction.
/// Returns the orders it ended. A payment that wins the race first leaves nothing to end.
pub async fn expire_holds(db: &Db, now: i64) -> Result<Vec<String>, AppError> {
    let mut ended = Vec::new();
    for id in due_holds(db, now).await? {
        if expire_hold(db, &id, now).await? {
            ended.push(id);
        }
    }
    Ok(ended)
}

/// Ends one order's hold if it is over at `now` (its page calls this too, so a shopper
/// never sees a hold that has run out as still running). True if this call ended it.
pub async fn expire_hold(db: &Db, order_id: &str, now: i64) -> Result<bool, AppError> {
    retrying(db, || expire_hold_once(db, order_id, now)).await
}

async fn expire_hold_once(db: &Db, order_id: &str, now: i64) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await?;
    let ended = sqlx::query(
        "UPDATE orders SET payment = 'expired', status = 'cancelled', status_at = $1, \
           cancel_reason = 'payment_expired' \
         WHERE id = $2 AND payment = 'awaiting' AND pay_by <= $1 AND status = 'placed'",
    )
    .bind(now)
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    if ended.rows_affected() != 1 {
        return Ok(false);
    }
    checkout::give_back(&mut tx, order_id).await?;
    events::emit(&mut tx, order_id, EventKind::Cancelled).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records a refund to ask of the provider, in the caller's transaction (the one that
/// cancels the order or marks a line short), and returns its id. Ids are the order's id,
/// `R` and the refund's number: unique, and the same on every retry of this refund.
pub async fn ask_refund(
    tx: &mut Tx,
    order_id: &str,
    amount_minor: i64,
    reason: RefundReason,
) -> Result<String, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM refunds WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?;
    let id = format!("{order_id}R{}", n + 1);
    sqlx::query(
        "INSERT INTO refunds (id, order_id, amount_minor, reason, state, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5)",
    )
    .bind(&id)
    .bind(order_id)
    .bind(amount_minor)
    .bind(reason.as_str())
    .bind(now())
    .execute(&mut **tx)
    .await
    .map_err(|e| match &e {
        // Another refund of this order took the number first (a cancel racing a short):
        // the whole transaction runs again and counts anew.
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::Contended,
        _ => AppError::from(e),
    })?;
    Ok(id)
}

/// What is left of an order's payment to refund: its total less every refund asked.
pub async fn refundable(tx: &mut Tx, order_id: &str) -> Result<i64, AppError> {
    let (left,): (i64,) = sqlx::query_as(
        "SELECT o.total_minor - CAST(COALESCE((SELECT SUM(r.amount_minor) FROM refunds r \
           WHERE r.order_id = o.id AND r.reason <> 'duplicate'), 0) AS BIGINT) \
         FROM orders o WHERE o.id = $1 AND o.payment = 'paid'",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or((0,));
    Ok(left.max(0))
}

/// A cancelled order's refund, in the cancelling transaction: all that is left of its
/// payment, if it was paid. Returns the refund id, if one was asked.
pub async fn refund_cancelled(
    tx: &mut Tx,
    order_id: &str,
    reason: RefundReason,
) -> Result<Option<String>, AppError> {
    let left = refundable(tx, order_id).await?;
    if left == 0 {
        return Ok(None);
    }
    Ok(Some(ask_refund(tx, order_id, left, reason).await?))
}

/// Asks the provider for every pending refund of `order_id` and records what it
/// confirms. Safe to run any number of times, on any server: the provider moves money
/// once per refund id, and a refund is marked done once. Errors from the provider leave
/// the refund pending (the sweep asks again) and are logged, not returned.
pub async fn settle_refunds(
    db: &Db,
    provider: &dyn PaymentProvider,
    order_id: &str,
) -> Result<u32, AppError> {
    let pending: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT id, amount_minor, reason FROM refunds WHERE order_id = $1 AND state = 'pending' ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(&db.pool)
    .await?;
    let mut settled = 0;
    for (refund_id, amount, reason) in pending {
        match provider.refund(order_id, amount, &refund_id, &reason).await {
            Ok(_) => {
                if retrying(db, || mark_refunded(db, order_id, &refund_id, amount)).await? {
                    settled += 1;
                }
            }
            Err(e) => {
                tracing::warn!(order = %order_id, refund = %refund_id, error = %e, "refund not confirmed; will ask again");
            }
        }
    }
    Ok(settled)
}

/// The provider confirmed a refund: it is done, the order's refunded total grows, and
/// points earned on what went back are taken back. Once: false if it was already done.
async fn mark_refunded(
    db: &Db,
    order_id: &str,
    refund_id: &str,
    amount: i64,
) -> Result<bool, AppError> {
    let at = now();
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE refunds SET state = 'refunded', done_at = $1 WHERE id = $2 AND state = 'pending'",
    )
    .bind(at)
    .bind(refund_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let (reason,): (String,) = sqlx::query_as("SELECT reason FROM refunds WHERE id = $1")
        .bind(refund_id)
        .fetch_one(&mut *tx)
        .await?;
    let refunded =
        serde_json::json!({"refund": {"id": refund_id, "amount_minor": amount, "reason": reason}});
    if reason == RefundReason::Duplicate.as_str() {
        // A second payment went back: the order's own payment, and its points, stand.
        events::record(&mut tx, order_id, EventKind::Refunded, refunded).await?;
        tx.commit().await?;
        return Ok(true);
    }
    sqlx::query("UPDATE orders SET refunded_minor = refunded_minor + $1 WHERE id = $2")
        .bind(amount)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    // Points already earned (a completed order) shrink to what is left paid.
    let earned: Option<(Option<i64>, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT member_id, points_earned, total_minor, refunded_minor, store_id FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((Some(member), earned, total, refunded, store_id)) = earned {
        let due = points_for(total, refunded);
        if earned > due {
            sqlx::query(
                "INSERT INTO points_ledger (member_id, delta, reason, store_id, at) VALUES ($1, $2, 'refunded', $3, $4)",
            )
            .bind(member)
            .bind(due - earned)
            .bind(store_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE orders SET points_earned = $1 WHERE id = $2")
                .bind(due)
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    events::record(&mut tx, order_id, EventKind::Refunded, refunded).await?;
    tx.commit().await?;
    Ok(true)
}

/// Refunds still pending after [`REFUND_RETRY_SECS`]: their orders, for the sweep to
/// settle.
pub async fn stale_refunds(db: &Db, now: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT order_id FROM refunds WHERE state = 'pending' AND created_at <= $1 LIMIT 500",
    )
    .bind(now - REFUND_RETRY_SECS)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A completed order's points, in the completing transaction: one per whole yuan of
/// what was paid less what was refunded or is being refunded. Once per order.
pub async fn earn_points(tx: &mut Tx, order_id: &str) -> Result<(), AppError> {
    let row: Option<(Option<i64>, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.member_id, o.total_minor, CAST(COALESCE((SELECT SUM(r.amount_minor) FROM refunds r \
           WHERE r.order_id = o.id AND r.reason <> 'duplicate'), 0) AS BIGINT), o.store_id \
         FROM orders o WHERE o.id = $1 AND o.points_earned = 0",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((Some(member), total, refunded, store_id)) = row else {
        return Ok(());
    };
    let points = points_for(total, refunded);
    if points == 0 {
        return Ok(());
    }
    let set =
        sqlx::query("UPDATE orders SET points_earned = $1 WHERE id = $2 AND points_earned = 0")
            .bind(points)
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
    if set.rows_affected() == 1 {
        sqlx::query(
            "INSERT INTO points_ledger (member_id, delta, reason, store_id, at) VALUES ($1, $2, 'order', $3, $4)",
        )
        .bind(member)
        .bind(points)
        .bind(store_id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The sweep's part for payments: ends holds that are over — asking the provider first,
/// so that a payment whose notify was lost (or whose recording a crash cut short) is
/// recorded rather than refunded — and asks again for refunds the provider has not
/// confirmed. Returns (holds ended, refunds settled).
pub async fn sweep(
    db: &Db,
    provider: Option<&dyn PaymentProvider>,
    now: i64,
) -> Result<(usize, u32), AppError> {
    let mut ended = 0;
    for id in due_holds(db, now).await? {
        if end_hold(db, provider, &id, now).await? {
            ended += 1;
        }
    }
    let mut settled = 0;
    if let Some(provider) = provider {
        for order in stale_refunds(db, now).await? {
            settled += settle_refunds(db, provider, &order).await?;
        }
    }
    Ok((ended, settled))
}

/// Ends one order's hold that is over at `now`, asking the provider first (when there is
/// one) so that a payment whose notify was lost, or whose recording a crash cut short, is
/// recorded rather than ended and refunded. The sweep, the order's page, its pay link and
/// the console all end holds through this. True if this call ended the hold.
pub async fn end_hold(
    db: &Db,
    provider: Option<&dyn PaymentProvider>,
    order_id: &str,
    now: i64,
) -> Result<bool, AppError> {
    if let Some(provider) = provider {
        query_trade(db, provider, order_id).await;
    }
    expire_hold(db, order_id, now).await
}

/// A payment the provider vouches for (a notify or a trade query): recorded once; one
/// that cannot go ahead is refunded at once.
pub async fn settle_payment(
    db: &Db,
    provider: &dyn PaymentProvider,
    id: &str,
    amount_fen: i64,
    trade_no: &str,
) -> Result<Result<(), PayRefusal>, AppError> {
    match record_payment(db, id, amount_fen, PaidMethod::Online, Some(trade_no)).await? {
        Ok(Paid::Now | Paid::Already | Paid::Retaken) => Ok(Ok(())),
        Ok(Paid::Refunding(refund)) => {
            tracing::info!(order = %id, %refund, "a payment after the order ended: refunding it");
            settle_refunds(db, provider, id).await?;
            Ok(Ok(()))
        }
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// What the provider said of a trade when asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queried {
    /// Paid (and now recorded, or refunded if the order had ended).
    Paid,
    /// Not paid: no trade, or one waiting or closed (the buyer declined or gave up).
    NotPaid,
    /// No usable answer (the provider is unreachable): nothing is known.
    Unknown,
}

/// The order page's fallback when the notify is late, and the sweep's check before a
/// hold ends: asks the provider about the trade and records a payment it reports.
/// Errors are logged, not returned (the caller keeps waiting, or ends the hold).
pub async fn query_trade(db: &Db, provider: &dyn PaymentProvider, id: &str) -> Queried {
    match provider.query(id).await {
        Ok(Some(trade)) if trade.status.is_paid() => {
            match settle_payment(db, provider, id, trade.total_fen, &trade.trade_no).await {
                Ok(Ok(())) => Queried::Paid,
                Ok(Err(refusal)) => {
                    tracing::warn!(order = %id, ?refusal, "a queried payment refused");
                    Queried::Unknown
                }
                Err(e) => {
                    tracing::warn!(order = %id, error = %e, "a queried payment not recorded");
                    Queried::Unknown
                }
            }
        }
        Ok(_) => Queried::NotPaid,
        Err(e) => {
            tracing::warn!(order = %id, error = %e, "trade query failed");
            Queried::Unknown
        }
    }
}

/// Why a line could not be marked short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortRefusal {
    /// No such order at this store, or no such line in it.
    NotFound,
    /// The order is past picking (out, ready, completed or cancelled), or the line was
    /// marked short already.
    Moved,
    /// More units short than were ordered, or none.
    TooMany,
    /// Not paid yet (awaiting payment, or to be paid at the till).
    Unpaid,
}

/// The store could not pick `short` of a line while preparing: the line keeps the
/// count, and the money for it goes back — a refund of a paid order (settle it with
/// [`settle_refunds`]), or a smaller total to pay for one paid at the till or not through
/// the app. Once per line. Returns the refund id, if a refund was asked.
pub async fn mark_short(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    order_id: &str,
    product_id: i64,
    short: i64,
) -> Result<Result<Option<String>, ShortRefusal>, AppError> {
    retrying(db, || {
        mark_short_once(db, store_id, staff_id, order_id, product_id, short)
    })
    .await
}

async fn mark_short_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    order_id: &str,
    product_id: i64,
    short: i64,
) -> Result<Result<Option<String>, ShortRefusal>, AppError> {
    let mut tx = db.pool.begin().await?;
    let line: Option<(i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT l.quantity, l.price_minor, l.short_quantity, o.status, o.payment FROM order_lines l \
         JOIN orders o ON o.id = l.order_id \
         WHERE l.order_id = $1 AND l.product_id = $2 AND o.store_id = $3",
    )
    .bind(order_id)
    .bind(product_id)
    .bind(store_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((quantity, price, already, status, payment)) = line else {
        return Ok(Err(ShortRefusal::NotFound));
    };
    if !(1..=quantity).contains(&short) {
        return Ok(Err(ShortRefusal::TooMany));
    }
    if already > 0 || !matches!(status.as_str(), "placed" | "preparing") {
        return Ok(Err(ShortRefusal::Moved));
    }
    // Awaiting payment, or to be paid at the till: a trade for the whole total may be open
    // at the provider, so the total is not changed under it. The store starts on (and
    // picks) an order once it is paid.
    if !matches!(payment.as_str(), "paid" | "none") {
        return Ok(Err(ShortRefusal::Unpaid));
    }
    let marked = sqlx::query(
        "UPDATE order_lines SET short_quantity = $1 WHERE order_id = $2 AND product_id = $3 \
           AND short_quantity = 0 AND quantity >= $1",
    )
    .bind(short)
    .bind(order_id)
    .bind(product_id)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() != 1 {
        return Ok(Err(ShortRefusal::Moved));
    }
    let refund = match Payment::parse(&payment) {
        Some(Payment::Paid) => {
            let left = refundable(&mut tx, order_id).await?;
            let amount = crate::domain::payment::short_refund(price, short, left, 0);
            if amount > 0 {
                Some(ask_refund(&mut tx, order_id, amount, RefundReason::Short).await?)
            } else {
                None
            }
        }
        // Not paid through the app (payment off): what is to be paid shrinks (never
        // below nothing).
        _ => {
            let less = price.saturating_mul(short);
            sqlx::query(
                "UPDATE orders SET \
                   subtotal_minor = CASE WHEN subtotal_minor > $1 THEN subtotal_minor - $1 ELSE 0 END, \
                   total_minor = CASE WHEN total_minor > $1 THEN total_minor - $1 ELSE 0 END \
                 WHERE id = $2",
            )
            .bind(less)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
            None
        }
    };
    crate::ssr::audit::record(
        &mut *tx,
        &crate::ssr::audit::Change {
            store_id: Some(store_id),
            staff_id,
            action: "order.short",
            subject: order_id,
            before: &format!("{product_id} x{quantity}"),
            after: &format!("{short} short"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(refund))
}
