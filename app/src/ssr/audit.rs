//! The audit log (server): every staff change — who, when, what, before and after —
//! written in the same transaction as the change itself, so neither is ever without the
//! other. Readable by the store's manager and brand admins.

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::session::now;

/// One change to write down.
#[derive(Clone, Debug)]
pub struct Change<'a> {
    /// The store it happened in (`None`: brand-wide).
    pub store_id: Option<i64>,
    pub staff_id: i64,
    /// What was done, a stable name: `price`, `stock`, `order.cancel`, `settings`, …
    pub action: &'a str,
    /// What it was done to: a SKU, an order id, a person's number.
    pub subject: &'a str,
    pub before: &'a str,
    pub after: &'a str,
}

/// Writes `change` on `conn` (a transaction, so it commits with the change).
pub async fn record<'c, E>(conn: E, change: &Change<'_>) -> Result<(), AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (store_id, staff_id, action, subject, before, after, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(change.store_id)
    .bind(change.staff_id)
    .bind(change.action)
    .bind(change.subject)
    .bind(change.before)
    .bind(change.after)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// A written change, with the name of who made it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Entry {
    pub at: i64,
    pub staff_name: String,
    pub staff_phone: String,
    pub action: String,
    pub subject: String,
    pub before: String,
    pub after: String,
}

/// A store's log, newest first (`limit` rows from `offset`).
pub async fn for_store(
    db: &Db,
    store_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.at, p.name AS staff_name, p.phone AS staff_phone, a.action, a.subject, a.before, a.after \
         FROM audit_log a JOIN staff p ON p.id = a.staff_id WHERE a.store_id = $1 \
         ORDER BY a.at DESC, a.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(store_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?)
}
