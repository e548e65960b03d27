//! The store console's orders and guides' results (server): the queue by state, one
//! order as a pick list, moving it on (a courier named for a delivery), the store
//! cancelling it with a reason the shopper sees, and each guide's members, orders and
//! sales for a period in the store's own time zone. Every change is audited in its own
//! transaction.

use crate::domain::ops::EventKind;
use crate::domain::order::{Mode, Status};
use crate::error::AppError;
use crate::ssr::audit::{self, Change};
use crate::ssr::checkout::{self, Tx};
use crate::ssr::db::retrying;
use crate::ssr::db::{Db, count};
use crate::ssr::ops::events;
use crate::ssr::session::now;
use chrono::{Datelike, Duration, TimeZone, Utc};
use chrono_tz::Tz;

/// An order in the console's queue.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QueueRow {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub mode: Mode,
    #[sqlx(try_from = "String")]
    pub status: Status,
    /// When it is due: the window's start or the pick-up time.
    pub due: Option<i64>,
    pub window_end: Option<i64>,
    pub created_at: i64,
    /// Since it entered its present state (its placing, for a new one).
    pub since: i64,
    pub contact_name: String,
    #[sqlx(try_from = "i64")]
    pub items: u32,
    pub total_minor: i64,
    #[sqlx(try_from = "String")]
    pub payment: crate::ssr::payments::PaymentCol,
}

/// The store's open orders (not completed or cancelled), soonest due first.
pub async fn queue(db: &Db, store_id: i64) -> Result<Vec<QueueRow>, AppError> {
    Ok(sqlx::query_as::<_, QueueRow>(
        "SELECT o.id, o.mode, o.status, COALESCE(o.window_start, o.pickup_at) AS due, o.window_end, \
                o.created_at, COALESCE(o.status_at, o.created_at) AS since, o.contact_name, \
                CAST(COALESCE((SELECT SUM(l.quantity) FROM order_lines l WHERE l.order_id = o.id), 0) AS BIGINT) AS items, \
                o.total_minor, o.payment \
         FROM orders o WHERE o.store_id = $1 AND o.status NOT IN ('completed', 'cancelled') \
         ORDER BY COALESCE(o.window_start, o.pickup_at), o.id LIMIT 500",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?)
}

/// How many open orders the store has in each state, and the newest one's placing time:
/// what the console's live update compares.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueCounts {
    pub placed: u32,
    pub preparing: u32,
    pub ready: u32,
    pub out_for_delivery: u32,
    pub newest: i64,
}

pub async fn queue_counts(db: &Db, store_id: i64) -> Result<QueueCounts, AppError> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*), CAST(MAX(created_at) AS BIGINT) FROM orders \
         WHERE store_id = $1 AND status NOT IN ('completed', 'cancelled') GROUP BY status",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?;
    let mut c = QueueCounts::default();
    for (status, n, newest) in rows {
        let n = count(n, "queue count")?;
        match Status::parse(&status) {
            Some(Status::Placed) => c.placed = n,
            Some(Status::Preparing) => c.preparing = n,
            Some(Status::Ready) => c.ready = n,
            Some(Status::OutForDelivery) => c.out_for_delivery = n,
            _ => {}
        }
        c.newest = c.newest.max(newest);
    }
    Ok(c)
}

/// The store's own order (none if it is another store's).
pub async fn store_order(
    db: &Db,
    store_id: i64,
    id: &str,
) -> Result<Option<(checkout::OrderRow, StoreOrderExtra)>, AppError> {
    let Some(order) = checkout::order(db, id)
        .await?
        .filter(|o| o.store_id == store_id)
    else {
        return Ok(None);
    };
    let extra: StoreOrderExtra = sqlx::query_as(
        "SELECT cancel_reason, cancelled_by, courier, COALESCE(status_at, created_at) AS since \
         FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(Some((order, extra)))
}

/// One line of an order as the console marks it short.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ShortLine {
    pub sku: String,
    pub product_id: i64,
    /// Units marked short (0: none yet).
    pub short_quantity: i64,
}

/// The order's lines with their product ids and units short, by SKU.
pub async fn short_lines(db: &Db, order_id: &str) -> Result<Vec<ShortLine>, AppError> {
    Ok(sqlx::query_as::<_, ShortLine>(
        "SELECT p.sku, l.product_id, l.short_quantity FROM order_lines l \
         JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 ORDER BY p.sku",
    )
    .bind(order_id)
    .fetch_all(&db.pool)
    .await?)
}

/// What the console shows of an order beyond the shopper's view.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoreOrderExtra {
    pub cancel_reason: Option<String>,
    pub cancelled_by: Option<String>,
    pub courier: Option<String>,
    pub since: i64,
}

/// Why the console could not change an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderRefusal {
    /// No such order at this store.
    NotFound,
    /// It is not where the page showed it (someone moved it first), or that step is not
    /// its next.
    Moved,
    /// It is waiting for its online payment: the store does not start on it yet.
    Unpaid,
}

/// Moves an order to `to`, which must be its next step from the state it is in now (the
/// till passes `None`: whatever its next step is); a delivery leaving the store names its
/// courier. Two staff pressing at once: one moves it, the other is told it moved.
pub async fn advance(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    id: &str,
    to: Option<Status>,
    courier: Option<&str>,
) -> Result<Result<Status, OrderRefusal>, AppError> {
    retrying(db, || advance_once(db, store_id, staff_id, id, to, courier)).await
}

/// One attempt of [`advance`], in its own transaction.
async fn advance_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    id: &str,
    to: Option<Status>,
    courier: Option<&str>,
) -> Result<Result<Status, OrderRefusal>, AppError> {
    #[derive(sqlx::FromRow)]
    struct State {
        #[sqlx(try_from = "String")]
        mode: Mode,
        #[sqlx(try_from = "String")]
        status: Status,
        #[sqlx(try_from = "String")]
        payment: crate::ssr::payments::PaymentCol,
    }
    let state: Option<State> =
        sqlx::query_as("SELECT mode, status, payment FROM orders WHERE id = $1 AND store_id = $2")
            .bind(id)
            .bind(store_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some(state) = state else {
        return Ok(Err(OrderRefusal::NotFound));
    };
    if !state.payment.0.lets_store_start() && state.status != Status::Cancelled {
        return Ok(Err(OrderRefusal::Unpaid));
    }
    let Some(to) = state
        .status
        .next(state.mode)
        .filter(|next| to.is_none_or(|t| t == *next))
    else {
        return Ok(Err(OrderRefusal::Moved));
    };
    let courier = (to == Status::OutForDelivery).then_some(courier).flatten();
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE orders SET status = $1, status_at = $2, courier = COALESCE($3, courier) \
         WHERE id = $4 AND store_id = $5 AND status = $6 AND payment IN ('none', 'paid', 'at_store')",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(courier)
    .bind(id)
    .bind(store_id)
    .bind(state.status.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Err(OrderRefusal::Moved));
    }
    if to == Status::Completed {
        crate::ssr::payments::earn_points(&mut tx, id).await?;
    }
    let after = match courier {
        Some(c) => format!("{} ({c})", to.as_str()),
        None => to.as_str().to_owned(),
    };
    audit::record(
        &mut *tx,
        &Change {
            store_id: Some(store_id),
            staff_id,
            action: "order.status",
            subject: id,
            before: state.status.as_str(),
            after: &after,
        },
    )
    .await?;
    events::emit(&mut tx, id, EventKind::Status).await?;
    tx.commit().await?;
    Ok(Ok(to))
}

/// The store cancels an open order, saying why (the shopper's order page shows it):
/// its stock, window and coupon go back in the same transaction, and a paid order's
/// money is asked back (a pending refund: settle it with `payments::settle_refunds`).
pub async fn cancel(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    id: &str,
    reason: &str,
) -> Result<Result<(), OrderRefusal>, AppError> {
    retrying(db, || cancel_once(db, store_id, staff_id, id, reason)).await
}

/// One attempt of [`cancel`], in its own transaction.
async fn cancel_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    id: &str,
    reason: &str,
) -> Result<Result<(), OrderRefusal>, AppError> {
    let mut tx: Tx = db.pool.begin().await?;
    let before: Option<(String,)> =
        sqlx::query_as("SELECT status FROM orders WHERE id = $1 AND store_id = $2")
            .bind(id)
            .bind(store_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((before,)) = before else {
        return Ok(Err(OrderRefusal::NotFound));
    };
    let done = sqlx::query(
        "UPDATE orders SET status = 'cancelled', cancelled_by = 'store', cancel_reason = $1, status_at = $2 \
         WHERE id = $3 AND store_id = $4 AND status NOT IN ('completed', 'cancelled')",
    )
    .bind(reason)
    .bind(now())
    .bind(id)
    .bind(store_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Err(OrderRefusal::Moved));
    }
    checkout::give_back(&mut tx, id).await?;
    crate::ssr::payments::refund_cancelled(
        &mut tx,
        id,
        crate::domain::payment::RefundReason::StoreCancel,
    )
    .await?;
    audit::record(
        &mut *tx,
        &Change {
            store_id: Some(store_id),
            staff_id,
            action: "order.cancel",
            subject: id,
            before: &before,
            after: &format!("cancelled: {reason}"),
        },
    )
    .await?;
    events::emit(&mut tx, id, EventKind::Cancelled).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Why and by whom an order was cancelled, for the shopper's order page.
pub async fn cancellation(db: &Db, id: &str) -> Result<Option<(String, Option<String>)>, AppError> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT cancelled_by, cancel_reason FROM orders WHERE id = $1 AND status = 'cancelled'",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(|(by, reason)| by.map(|b| (b, reason))))
}

/// A period of guides' results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn parse(s: &str) -> Self {
        match s {
            "day" => Period::Day,
            "month" => Period::Month,
            _ => Period::Week,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// `[from, to)` in Unix seconds: today, this week (from Monday) or this month, in
    /// the store's time zone, up to now.
    pub fn span(self, time_zone: &str, now: chrono::DateTime<Utc>) -> (i64, i64) {
        let tz: Tz = time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = now.with_timezone(&tz).date_naive();
        let first = match self {
            Period::Day => today,
            Period::Week => {
                today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
            }
            Period::Month => today.with_day(1).unwrap_or(today),
        };
        let from = first
            .and_hms_opt(0, 0, 0)
            .and_then(|n| tz.from_local_datetime(&n).earliest())
            .map_or(now.timestamp(), |t| t.timestamp());
        (from, now.timestamp() + 1)
    }
}

/// One guide's results for a period.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct GuideResult {
    pub guide_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub staff_id: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub members: u32,
    #[sqlx(try_from = "i64")]
    pub orders: u32,
    pub sales_minor: i64,
}

/// Every guide of the store (or only `only_staff`'s own) with members who joined through
/// them, orders credited to them (cancelled ones not) and those orders' total, in
/// `[from, to)`.
pub async fn guide_results(
    db: &Db,
    store_id: i64,
    from: i64,
    to: i64,
    only_staff: Option<i64>,
) -> Result<Vec<GuideResult>, AppError> {
    Ok(sqlx::query_as::<_, GuideResult>(
        "SELECT g.id AS guide_id, g.code, g.name_zh, g.name_en, g.staff_id, \
            CAST((SELECT COUNT(*) FROM members m WHERE m.guide_code = g.code AND m.joined_at >= $2 AND m.joined_at < $3) AS BIGINT) AS members, \
            CAST((SELECT COUNT(*) FROM orders o WHERE o.guide_code = g.code AND o.status <> 'cancelled' AND o.created_at >= $2 AND o.created_at < $3) AS BIGINT) AS orders, \
            CAST(COALESCE((SELECT SUM(o.total_minor) FROM orders o WHERE o.guide_code = g.code AND o.status <> 'cancelled' AND o.created_at >= $2 AND o.created_at < $3), 0) AS BIGINT) AS sales_minor \
         FROM guides g WHERE g.store_id = $1 AND ($4 = 0 OR g.staff_id = $4) ORDER BY g.code",
    )
    .bind(store_id)
    .bind(from)
    .bind(to)
    .bind(only_staff.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_at_the_stores_midnight() {
        // 2026-12-02 (a Wednesday) 10:00 in Shanghai = 02:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap();
        let midnight = Utc
            .with_ymd_and_hms(2026, 12, 1, 16, 0, 0)
            .unwrap()
            .timestamp();
        assert_eq!(Period::Day.span("Asia/Shanghai", now).0, midnight);
        assert_eq!(
            Period::Week.span("Asia/Shanghai", now).0,
            midnight - 2 * 86_400
        );
        assert_eq!(
            Period::Month.span("Asia/Shanghai", now).0,
            midnight - 86_400
        );
        assert_eq!(Period::parse("nonsense"), Period::Week);
    }
}
