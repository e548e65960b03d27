//! The order-event outbox (server): every event of an order — placed, paid, a status
//! moved on, cancelled, refunded — is a row of `order_events` written in the same
//! transaction as the change itself, with a snapshot of the order as it then stood, and
//! one `webhook_deliveries` row per subscription that wants it. So an event exists if and
//! only if its change committed, and a webhook survives any restart.
//!
//! **The feed never skips.** An id is taken when the row is written, not when it
//! commits, so on PostgreSQL a transaction that took id 5 may commit after one that took
//! id 6. Each row keeps its transaction's id (`tx`); the feed reads in `(tx, id)` order,
//! and only rows of transactions older than every transaction still running
//! (`pg_snapshot_xmin`): no row can appear later below a cursor already handed out. On
//! SQLite one writer at a time takes ids and commits in the same order, so `tx` is 0 and
//! the order is the id's.

use crate::domain::ops::EventKind;
use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::db::{Db, DbKind};
use crate::ssr::session::now;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Most events one feed page returns.
pub const MAX_PAGE: i64 = 500;

/// A position in the feed: after the event `(tx, id)`. Opaque to clients (`"<tx>-<id>"`);
/// the empty cursor is the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub tx: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> Option<Self> {
        if s.is_empty() {
            return Some(Cursor::default());
        }
        let (tx, id) = s.split_once('-')?;
        let (tx, id) = (tx.parse().ok()?, id.parse().ok()?);
        (tx >= 0 && id >= 0).then_some(Cursor { tx, id })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.tx, self.id)
    }
}

/// One event as the feed and webhooks send it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The event's own id: a receiver that keeps the ids it has seen drops a repeat.
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub order_id: String,
    pub created: i64,
    /// The order as it stood when the event committed.
    pub order: Value,
}

#[derive(sqlx::FromRow)]
struct OrderSnap {
    id: String,
    store_id: i64,
    store: String,
    mode: String,
    status: String,
    payment: String,
    window_start: Option<i64>,
    window_end: Option<i64>,
    pickup_at: Option<i64>,
    address: Option<String>,
    contact_name: String,
    phone: String,
    subtotal_minor: i64,
    delivery_fee_minor: i64,
    total_minor: i64,
    refunded_minor: i64,
    currency: String,
    cancel_reason: Option<String>,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct LineSnap {
    sku: String,
    name_zh: String,
    name_en: String,
    quantity: i64,
    short_quantity: i64,
    unit_price_minor: i64,
}

/// Writes `kind` for `order_id` in `tx` (the transaction that made the change), with the
/// order as it now stands and `extra` (a refund's id and amount …), and queues it for
/// every live webhook that asked for `kind`.
pub async fn record(
    tx: &mut Tx,
    order_id: &str,
    kind: EventKind,
    extra: Value,
) -> Result<i64, AppError> {
    let o: OrderSnap = sqlx::query_as(
        "SELECT o.id, o.store_id, s.slug AS store, o.mode, o.status, o.payment, o.window_start, o.window_end, \
                o.pickup_at, o.address, o.contact_name, o.phone, o.subtotal_minor, o.delivery_fee_minor, \
                o.total_minor, o.refunded_minor, o.currency, o.cancel_reason, o.created_at \
         FROM orders o JOIN stores s ON s.id = o.store_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let lines: Vec<LineSnap> = sqlx::query_as(
        "SELECT p.sku, p.name_zh, p.name_en, l.quantity, l.short_quantity, l.price_minor AS unit_price_minor \
         FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 ORDER BY p.sku",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut order = json!({
        "id": o.id,
        "store": o.store,
        "mode": o.mode,
        "status": o.status,
        "payment": o.payment,
        "window_start": o.window_start,
        "window_end": o.window_end,
        "pickup_at": o.pickup_at,
        "address": o.address,
        "contact_name": o.contact_name,
        "phone": o.phone,
        "subtotal_minor": o.subtotal_minor,
        "delivery_fee_minor": o.delivery_fee_minor,
        "total_minor": o.total_minor,
        "refunded_minor": o.refunded_minor,
        "currency": o.currency,
        "cancel_reason": o.cancel_reason,
        "created_at": o.created_at,
        "lines": lines.iter().map(|l| json!({
            "sku": l.sku,
            "name_zh": l.name_zh,
            "name_en": l.name_en,
            "quantity": l.quantity,
            "short_quantity": l.short_quantity,
            "unit_price_minor": l.unit_price_minor,
        })).collect::<Vec<_>>(),
    });
    if let (Value::Object(extra), Value::Object(map)) = (extra, &mut order) {
        map.extend(extra);
    }
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO order_events (order_id, store_id, kind, payload, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(order_id)
    .bind(o.store_id)
    .bind(kind.as_str())
    .bind(order.to_string())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO webhook_deliveries (webhook_id, event_id, next_at, created_at) \
         SELECT id, $1, $2, $2 FROM webhooks \
         WHERE deleted_at IS NULL AND (' ' || events || ' ') LIKE $3",
    )
    .bind(id)
    .bind(at)
    .bind(format!("% {} %", kind.as_str()))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// [`record`] with nothing more than the order itself.
pub async fn emit(tx: &mut Tx, order_id: &str, kind: EventKind) -> Result<i64, AppError> {
    record(tx, order_id, kind, Value::Object(Default::default())).await
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    tx: i64,
    order_id: String,
    kind: String,
    payload: String,
    at: i64,
}

impl EventRow {
    fn event(self) -> Event {
        Event {
            id: self.id,
            kind: self.kind,
            order_id: self.order_id,
            created: self.at,
            order: serde_json::from_str(&self.payload).unwrap_or(Value::Null),
        }
    }
}

/// Up to `limit` events after `after`, in feed order, and the cursor to ask from next
/// (`after` itself when there is nothing new).
pub async fn feed(db: &Db, after: Cursor, limit: i64) -> Result<(Vec<Event>, Cursor), AppError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let sql = match db.kind {
        DbKind::Postgres => {
            "SELECT id, tx, order_id, kind, payload, at FROM order_events \
             WHERE (tx > $1 OR (tx = $1 AND id > $2)) \
               AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
             ORDER BY tx, id LIMIT $3"
        }
        DbKind::Sqlite => {
            "SELECT id, tx, order_id, kind, payload, at FROM order_events \
             WHERE (tx > $1 OR (tx = $1 AND id > $2)) ORDER BY tx, id LIMIT $3"
        }
    };
    let rows: Vec<EventRow> = sqlx::query_as(sql)
        .bind(after.tx)
        .bind(after.id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    let next = rows.last().map_or(after, |r| Cursor { tx: r.tx, id: r.id });
    Ok((rows.into_iter().map(EventRow::event).collect(), next))
}

/// One event by id, as a webhook sends it.
pub async fn event(db: &Db, id: i64) -> Result<Option<Event>, AppError> {
    let row: Option<EventRow> = sqlx::query_as(
        "SELECT id, tx, order_id, kind, payload, at FROM order_events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(EventRow::event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_nonsense_is_refused() {
        let c = Cursor { tx: 812, id: 5 };
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        assert_eq!(Cursor::parse(""), Some(Cursor::default()));
        for bad in ["5", "a-b", "-1-2", "1-", "1-2-3"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
        assert!(Cursor { tx: 1, id: 9 } < Cursor { tx: 2, id: 1 });
    }
}
