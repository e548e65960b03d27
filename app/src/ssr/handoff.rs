//! "Take your bag with you" (server): a kiosk shows a QR of a link carrying a signed token
//! (see `token`) whose data is the kiosk session's id. The token expires after
//! [`TTL_SECS`] and works once: taking records its nonce in `used_tokens` in the same
//! transaction that moves the lines and empties the kiosk's bag.

use crate::domain::i18n::bag::BagText;
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::bag::merge_into;
use crate::ssr::db::Db;
use crate::ssr::session::now;
use crate::ssr::settings::SigningKey;
use crate::ssr::stores::pick;
use crate::ssr::token::{self, Purpose, TokenError, Verified};

/// How long a hand-off QR works.
pub const TTL_SECS: i64 = 5 * 60;

pub fn issue(key: &SigningKey, kiosk_session: &str, now: i64) -> String {
    token::sign(
        key,
        Purpose::HandOff,
        now + TTL_SECS,
        kiosk_session.as_bytes(),
    )
}

/// What the phone is about to take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub store_name: String,
    pub count: u32,
}

fn check(key: &SigningKey, token: &str) -> Result<(Verified, String), AppError> {
    let verified = token::verify(key, Purpose::HandOff, token, now()).map_err(|e| match e {
        TokenError::Expired => AppError::conflict(BagText::TakeExpired),
        TokenError::Forged | TokenError::Malformed => {
            AppError::validation("t", BagText::TakeForged)
        }
    })?;
    let kiosk = String::from_utf8(verified.data.clone())
        .map_err(|_| AppError::validation("t", BagText::TakeForged))?;
    Ok((verified, kiosk))
}

async fn used(db: &Db, nonce: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT used_at FROM used_tokens WHERE nonce = $1")
        .bind(nonce)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Checks a token without using it, for the phone's confirmation page.
pub async fn preview(
    db: &Db,
    key: &SigningKey,
    token: &str,
    lang: Lang,
) -> Result<Preview, AppError> {
    let (verified, kiosk) = check(key, token)?;
    if used(db, &verified.nonce).await? {
        return Err(AppError::conflict(BagText::TakeUsed));
    }
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT s.name_zh, s.name_en, \
                CAST(COALESCE((SELECT SUM(b.quantity) FROM bag_lines b WHERE b.owner = k.id), 0) AS BIGINT) \
         FROM sessions k JOIN stores s ON s.id = k.store_id WHERE k.id = $1 AND k.kind = 'kiosk'",
    )
    .bind(&kiosk)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some((zh, en, count)) if count > 0 => Ok(Preview {
            store_name: pick(lang, &zh, &en).to_owned(),
            count: u32::try_from(count).unwrap_or(0),
        }),
        _ => Err(AppError::conflict(BagText::TakeEmpty)),
    }
}

/// Uses the token: moves the kiosk's lines into `to` and returns how many items moved.
pub async fn take(db: &Db, key: &SigningKey, token: &str, to: &str) -> Result<u32, AppError> {
    let (verified, kiosk) = check(key, token)?;
    let mut tx = db.pool.begin().await?;
    // The first statement writes, so on SQLite the transaction holds the write lock from
    // here on; on PostgreSQL a second taker waits on the nonce's key, then finds it taken.
    let claimed = sqlx::query(
        "INSERT INTO used_tokens (nonce, used_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING",
    )
    .bind(&verified.nonce)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::conflict(BagText::TakeUsed));
    }
    let moved = merge_into(&mut tx, &kiosk, to).await?;
    if moved == 0 {
        // Nothing to take: leave the token unused (the rollback drops the claim).
        return Err(AppError::conflict(BagText::TakeEmpty));
    }
    tx.commit().await?;
    Ok(moved)
}
