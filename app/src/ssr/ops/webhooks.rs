//! Webhooks (server): subscriptions (a URL, a secret, the event kinds wanted) and their
//! deliveries. A delivery row is written with its event (`events::record`), so it
//! outlives any server; each server's dispatcher takes due rows by a lease (a conditional
//! update with a random token), so every delivery is attempted by one server at a time;
//! a delivery whose server died is taken again when its lease runs out. At least once:
//! a receiver keeps the event ids it has seen. A failed attempt is tried again after
//! a doubling pause (from `base` seconds, at most an hour) for a day, then given up.

use crate::domain::ops::EventKind;
use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::db::Db;
use crate::ssr::ops::catalog::Reply;
use crate::ssr::session::now;
use serde_json::{Value, json};

/// How long a delivery is retried before it is given up.
pub const GIVE_UP_AFTER: i64 = 24 * 60 * 60;
/// How long a server holds a delivery it is attempting.
pub const LEASE_SECS: i64 = 60;
/// Most webhooks one brand may have.
pub const MAX_WEBHOOKS: i64 = 50;

/// The pause before attempt `attempts + 1`: `base`·2^(attempts-1), at most an hour.
pub fn backoff(base: i64, attempts: i64) -> i64 {
    let n = attempts.clamp(1, 20) - 1;
    base.max(1).saturating_mul(1 << n).min(3_600)
}

pub fn new_secret() -> String {
    let bytes: [u8; 24] = rand::random();
    format!("whsec_{}", hex::encode(bytes))
}

/// Subscribes `url` to `events` (in the API's write transaction); the reply carries the
/// secret, the only time it is shown.
pub async fn subscribe(
    tx: &mut Tx,
    key_id: i64,
    url: &str,
    events: &[EventKind],
) -> Result<Reply, AppError> {
    let (live,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhooks WHERE deleted_at IS NULL")
        .fetch_one(&mut **tx)
        .await?;
    if live >= MAX_WEBHOOKS {
        return Ok(Reply::refused(
            409,
            "too_many_webhooks",
            &format!("at most {MAX_WEBHOOKS} webhooks"),
            Vec::new(),
        ));
    }
    let secret = new_secret();
    let kinds = events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO webhooks (api_key_id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(key_id)
    .bind(url)
    .bind(&secret)
    .bind(&kinds)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(Reply {
        status: 201,
        body: json!({"id": id, "url": url, "events": events, "secret": secret}),
        replayed: false,
    })
}

/// The live webhooks (without their secrets).
pub async fn list(db: &Db) -> Result<Value, AppError> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, url, events, created_at FROM webhooks WHERE deleted_at IS NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(Value::Array(
        rows.into_iter()
            .map(|(id, url, events, created)| {
                json!({"id": id, "url": url, "events": events.split_whitespace().collect::<Vec<_>>(), "created": created})
            })
            .collect(),
    ))
}

/// Ends webhook `id` (its pending deliveries are dropped); `false`: no such live webhook.
pub async fn delete(db: &Db, id: i64) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await?;
    let done =
        sqlx::query("UPDATE webhooks SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if done {
        sqlx::query("UPDATE webhook_deliveries SET state = 'failed', last_error = 'webhook deleted' WHERE webhook_id = $1 AND state = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// The delivery log of webhook `id`, newest first (`None`: no such webhook).
pub async fn deliveries(db: &Db, id: i64, limit: i64) -> Result<Option<Value>, AppError> {
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM webhooks WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, i64, String, String, i64, i64, Option<i64>, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT d.id, d.event_id, e.kind, d.state, d.attempts, d.next_at, d.last_status, d.last_error, d.delivered_at \
         FROM webhook_deliveries d JOIN order_events e ON e.id = d.event_id \
         WHERE d.webhook_id = $1 ORDER BY d.id DESC LIMIT $2",
    )
    .bind(id)
    .bind(limit.clamp(1, 500))
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(Value::Array(
        rows.into_iter()
            .map(|(id, event, kind, state, attempts, next_at, status, error, delivered)| {
                json!({
                    "id": id, "event_id": event, "type": kind, "state": state, "attempts": attempts,
                    "next_attempt_at": (state == "pending").then_some(next_at),
                    "last_status": status, "last_error": error, "delivered_at": delivered,
                })
            })
            .collect(),
    )))
}

/// A delivery this server has taken: where, with what secret, what, and its lease.
#[derive(Clone, Debug)]
pub struct Due {
    pub id: i64,
    pub token: String,
    pub url: String,
    pub secret: String,
    pub event_id: i64,
    pub attempts: i64,
    pub created_at: i64,
}

/// Takes up to `limit` due deliveries for this server (each by one conditional update:
/// of several servers asking at once, one gets each).
pub async fn take_due(db: &Db, now: i64, limit: i64) -> Result<Vec<Due>, AppError> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_at <= $1 \
           AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let mut taken = Vec::new();
    for (id,) in ids {
        let token = hex::encode(rand::random::<[u8; 12]>());
        let got = sqlx::query(
            "UPDATE webhook_deliveries SET lease_until = $1, lease_token = $2 \
             WHERE id = $3 AND state = 'pending' AND (lease_until IS NULL OR lease_until < $4)",
        )
        .bind(now + LEASE_SECS)
        .bind(&token)
        .bind(id)
        .bind(now)
        .execute(&db.pool)
        .await?
        .rows_affected()
            == 1;
        if !got {
            continue;
        }
        let row: Option<(String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT w.url, w.secret, d.event_id, d.attempts, d.created_at FROM webhook_deliveries d \
             JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
        if let Some((url, secret, event_id, attempts, created_at)) = row {
            taken.push(Due {
                id,
                token,
                url,
                secret,
                event_id,
                attempts,
                created_at,
            });
        }
    }
    Ok(taken)
}

/// What an attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered { status: u16 },
    /// Anything else: its status, or what went wrong on the way.
    Failed { status: Option<u16>, error: String },
}

/// Writes what came of `due`'s attempt (only while this server still holds its lease).
pub async fn finish(
    db: &Db,
    due: &Due,
    attempt: &Attempt,
    now: i64,
    base: i64,
) -> Result<(), AppError> {
    let attempts = due.attempts + 1;
    match attempt {
        Attempt::Delivered { status } => {
            sqlx::query(
                "UPDATE webhook_deliveries SET state = 'delivered', attempts = $1, last_status = $2, \
                     last_error = NULL, delivered_at = $3, lease_until = NULL \
                 WHERE id = $4 AND lease_token = $5 AND state = 'pending'",
            )
            .bind(attempts)
            .bind(i64::from(*status))
            .bind(now)
            .bind(due.id)
            .bind(&due.token)
            .execute(&db.pool)
            .await?;
        }
        Attempt::Failed { status, error } => {
            let next = now + backoff(base, attempts);
            let state = if next - due.created_at > GIVE_UP_AFTER {
                "failed"
            } else {
                "pending"
            };
            let error: String = error.chars().take(300).collect();
            sqlx::query(
                "UPDATE webhook_deliveries SET state = $1, attempts = $2, last_status = $3, last_error = $4, \
                     next_at = $5, lease_until = NULL \
                 WHERE id = $6 AND lease_token = $7 AND state = 'pending'",
            )
            .bind(state)
            .bind(attempts)
            .bind(status.map(i64::from))
            .bind(error)
            .bind(next)
            .bind(due.id)
            .bind(&due.token)
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_and_stop_growing_at_an_hour() {
        assert_eq!(backoff(10, 1), 10);
        assert_eq!(backoff(10, 2), 20);
        assert_eq!(backoff(10, 5), 160);
        assert_eq!(backoff(10, 30), 3_600);
        assert_eq!(backoff(0, 1), 1);
        // A day of attempts at the default pace is a few dozen, not thousands.
        let (mut t, mut n) = (0, 0);
        while t < GIVE_UP_AFTER {
            n += 1;
            t += backoff(10, n);
        }
        assert!((20..40).contains(&n), "{n}");
    }
}
