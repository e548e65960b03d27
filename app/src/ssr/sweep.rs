//! The sweep (server): deletes what has expired and nothing else, so tables that grow with
//! use stay small. Every delete is idempotent, so any number of servers may run it.

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::db::retrying;

/// How often each server sweeps.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);
/// How long records that only guard against reuse are kept after they could matter: far
/// past the few minutes a hand-off token, a sign-in code or a member code lives.
const KEEP_SECS: i64 = 24 * 3600;
/// Checkout drafts older than this are forgotten.
const DRAFT_SECS: i64 = 7 * 24 * 3600;

/// Deletes expired rows as of `now`; returns how many rows went.
pub async fn sweep(db: &Db, now: i64) -> Result<u64, AppError> {
    retrying(db, || sweep_once(db, now)).await
}

/// One attempt of [`sweep`].
async fn sweep_once(db: &Db, now: i64) -> Result<u64, AppError> {
    let old = now - KEEP_SECS;
    let statements: [(&str, i64); 11] = [
        // Anonymous bags of expired sessions, then the sessions and their device keys.
        (
            "DELETE FROM bag_lines WHERE owner IN (SELECT id FROM sessions WHERE expires_at <= $1)",
            now,
        ),
        (
            "UPDATE devices SET revoked_at = $1 WHERE revoked_at IS NULL \
             AND session_id IN (SELECT id FROM sessions WHERE expires_at <= $1)",
            now,
        ),
        ("DELETE FROM sessions WHERE expires_at <= $1", now),
        ("DELETE FROM used_tokens WHERE used_at < $1", old),
        ("DELETE FROM login_codes WHERE expires_at < $1", old),
        ("DELETE FROM used_member_codes WHERE used_at < $1", old),
        ("DELETE FROM rate_limits WHERE window_start < $1", old),
        ("DELETE FROM demo_inbox WHERE created_at < $1", old),
        // A CSV previewed and never applied (or applied) a day ago is no use.
        ("DELETE FROM stock_imports WHERE created_at < $1", old),
        // The integration API's Idempotency-Keys are kept a day.
        ("DELETE FROM ops_idempotency WHERE created_at < $1", old),
        (
            "DELETE FROM checkout_drafts WHERE updated_at < $1",
            now - DRAFT_SECS,
        ),
    ];
    let mut removed = 0;
    for (sql, at) in statements {
        removed += sqlx::query(sql)
            .bind(at)
            .execute(&db.pool)
            .await?
            .rows_affected();
    }
    Ok(removed)
}
