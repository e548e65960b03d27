//! Rate limits shared by every server (server): a fixed-window counter per key in the
//! database, bumped and read in one statement, so many servers behind a load balancer
//! count together.

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::session::now;

/// A limit: at most `max` hits per `window_secs`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// Checkout: ten orders a minute from one session.
pub const CHECKOUT: Limit = Limit {
    max: 10,
    window_secs: 60,
};
/// Pick-up codes at a till: thirty checks a minute from one address.
pub const TILL_CODES: Limit = Limit {
    max: 30,
    window_secs: 60,
};

/// Payment notifies: 120 a minute from one address (the provider resends a handful; a
/// flood of forged ones stops here, before any signature is checked).
pub const NOTIFIES: Limit = Limit {
    max: 120,
    window_secs: 60,
};

/// Refuses once `key` has used up this window's allowance, without counting a hit (for
/// limits that count failures only: see [`hit`] after a failure).
pub async fn check(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    let window = now() / limit.window_secs * limit.window_secs;
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT hits FROM rate_limits WHERE key = $1 AND window_start = $2")
            .bind(key)
            .bind(window)
            .fetch_optional(&db.pool)
            .await?;
    match row {
        Some((hits,)) if hits >= limit.max => Err(AppError::RateLimited),
        _ => Ok(()),
    }
}

/// Counts a hit on `key`; `Err(RateLimited)` once the window's allowance is spent.
pub async fn hit(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    crate::ssr::db::retrying(db, || hit_once(db, key, limit)).await
}

/// One attempt of [`hit`]: one statement, its own transaction.
async fn hit_once(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    let window = now() / limit.window_secs * limit.window_secs;
    let (hits,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start = excluded.window_start \
                       THEN rate_limits.hits + 1 ELSE 1 END, \
           window_start = excluded.window_start \
         RETURNING hits",
    )
    .bind(key)
    .bind(window)
    .fetch_one(&db.pool)
    .await?;
    if hits > limit.max {
        Err(AppError::RateLimited)
    } else {
        Ok(())
    }
}

/// Sign-in codes: three per phone in ten minutes.
pub const OTP_PER_PHONE: Limit = Limit {
    max: 3,
    window_secs: 10 * 60,
};
/// Sign-in codes: twenty per address in ten minutes.
pub const OTP_PER_ADDRESS: Limit = Limit {
    max: 20,
    window_secs: 10 * 60,
};
/// Member codes at a till: sixty checks a minute from one address.
pub const MEMBER_CODES: Limit = Limit {
    max: 60,
    window_secs: 60,
};
