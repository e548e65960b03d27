//! "Take your bag with you" (server): a kiosk shows a QR of a link carrying a signed token
//! (see `token`) whose data is the kiosk session's id and, since the kiosk redesign, its
//! store's slug (`{session}\n{slug}`; a session id never holds a newline). The token
//! expires after [`TTL_SECS`] and works once: taking records its nonce in `used_tokens`
//! in the same transaction that moves the lines and empties the kiosk's bag. A phone that
//! scans a used or expired code is told which, and offered the store the code came from.

use crate::domain::i18n::bag::BagText;
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::bag::merge_into;
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use crate::ssr::session::now;
use crate::ssr::settings::SigningKey;
use crate::ssr::stores::{pick, store_by_slug};
use crate::ssr::token::{self, Purpose, TokenError, Verified};

/// How long a hand-off QR works.
pub const TTL_SECS: i64 = 5 * 60;

/// A token for a kiosk session whose store is not named (the format before stores were).
pub fn issue(key: &SigningKey, kiosk_session: &str, now: i64) -> String {
    token::sign(
        key,
        Purpose::HandOff,
        now + TTL_SECS,
        kiosk_session.as_bytes(),
    )
}

/// A token for a kiosk session at `store` (a slug): a phone that finds it used or
/// expired can still be sent to that store.
pub fn issue_at(key: &SigningKey, kiosk_session: &str, store: &str, now: i64) -> String {
    let data = format!("{kiosk_session}\n{store}");
    token::sign(key, Purpose::HandOff, now + TTL_SECS, data.as_bytes())
}

/// What the phone is about to take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub store_name: String,
    pub store_slug: String,
    pub count: u32,
}

/// Why a genuine code cannot be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Another phone (or this one) took the bag with it already.
    Used,
    /// Older than [`TTL_SECS`]: the screen shows a new one.
    Expired,
    /// The screen's bag is empty (cleared, or reset when idle).
    Empty,
}

impl Refused {
    pub fn error(self) -> AppError {
        AppError::conflict(match self {
            Refused::Used => BagText::TakeUsed,
            Refused::Expired => BagText::TakeExpired,
            Refused::Empty => BagText::TakeEmpty,
        })
    }
}

/// A store a code names: where to send a phone that cannot take the bag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeStore {
    pub slug: String,
    pub name: String,
}

/// What a phone finds behind a genuine code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Ready(Preview),
    Refused(Refused, Option<CodeStore>),
}

/// The token's data: the kiosk session and, in newer tokens, the store's slug.
fn data_of(verified: &Verified) -> Result<(String, Option<String>), AppError> {
    let data = String::from_utf8(verified.data.clone())
        .map_err(|_| AppError::validation("t", BagText::TakeForged))?;
    Ok(match data.split_once('\n') {
        Some((session, store)) => (session.to_owned(), Some(store.to_owned())),
        None => (data, None),
    })
}

fn forged() -> AppError {
    AppError::validation("t", BagText::TakeForged)
}

/// A genuine token: still valid, or expired (with the store it names, if any).
#[derive(Debug)]
enum Checked {
    Valid {
        verified: Verified,
        kiosk: String,
        store: Option<String>,
    },
    Expired {
        store: Option<String>,
    },
}

/// Verifies the signature and the expiry. An expired token is still checked for its
/// signature (verifying "at the beginning of time" skips only the expiry), so its store
/// can be named without trusting anything unsigned.
fn check(key: &SigningKey, token: &str) -> Result<Checked, AppError> {
    match token::verify(key, Purpose::HandOff, token, now()) {
        Ok(verified) => {
            let (kiosk, store) = data_of(&verified)?;
            Ok(Checked::Valid {
                verified,
                kiosk,
                store,
            })
        }
        Err(TokenError::Expired) => {
            let verified =
                token::verify(key, Purpose::HandOff, token, i64::MIN).map_err(|_| forged())?;
            Ok(Checked::Expired {
                store: data_of(&verified)?.1,
            })
        }
        Err(TokenError::Forged | TokenError::Malformed) => Err(forged()),
    }
}

async fn used(db: &Db, nonce: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT used_at FROM used_tokens WHERE nonce = $1")
        .bind(nonce)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// The store a token names by slug, else (older tokens) the kiosk session's, if it lives.
async fn code_store(
    db: &Db,
    slug: Option<&str>,
    kiosk: Option<&str>,
    lang: Lang,
) -> Result<Option<CodeStore>, AppError> {
    if let Some(slug) = slug {
        return Ok(store_by_slug(db, slug).await?.map(|row| CodeStore {
            name: row.name(lang).to_owned(),
            slug: row.slug,
        }));
    }
    let Some(kiosk) = kiosk else { return Ok(None) };
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT s.slug, s.name_zh, s.name_en FROM sessions k JOIN stores s ON s.id = k.store_id \
         WHERE k.id = $1 AND k.kind = 'kiosk'",
    )
    .bind(kiosk)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(slug, zh, en)| CodeStore {
        name: pick(lang, &zh, &en).to_owned(),
        slug,
    }))
}

/// Looks at a token without using it, for the phone's page: ready to take, or why not
/// and which store it came from. A forged or malformed token is an error (400).
pub async fn look(db: &Db, key: &SigningKey, token: &str, lang: Lang) -> Result<Found, AppError> {
    let (verified, kiosk, slug) = match check(key, token)? {
        Checked::Valid {
            verified,
            kiosk,
            store,
        } => (verified, kiosk, store),
        Checked::Expired { store: slug } => {
            let store = code_store(db, slug.as_deref(), None, lang).await?;
            return Ok(Found::Refused(Refused::Expired, store));
        }
    };
    if used(db, &verified.nonce).await? {
        let store = code_store(db, slug.as_deref(), Some(&kiosk), lang).await?;
        return Ok(Found::Refused(Refused::Used, store));
    }
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "SELECT s.slug, s.name_zh, s.name_en, \
                CAST(COALESCE((SELECT SUM(b.quantity) FROM bag_lines b WHERE b.owner = k.id), 0) AS BIGINT) \
         FROM sessions k JOIN stores s ON s.id = k.store_id WHERE k.id = $1 AND k.kind = 'kiosk'",
    )
    .bind(&kiosk)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some((store_slug, zh, en, count)) if count > 0 => Ok(Found::Ready(Preview {
            store_name: pick(lang, &zh, &en).to_owned(),
            store_slug,
            count: u32::try_from(count).unwrap_or(0),
        })),
        Some((store_slug, zh, en, _)) => Ok(Found::Refused(
            Refused::Empty,
            Some(CodeStore {
                name: pick(lang, &zh, &en).to_owned(),
                slug: store_slug,
            }),
        )),
        None => {
            let store = code_store(db, slug.as_deref(), None, lang).await?;
            Ok(Found::Refused(Refused::Empty, store))
        }
    }
}

/// Checks a token without using it: what it would move, or why it cannot (an error).
pub async fn preview(
    db: &Db,
    key: &SigningKey,
    token: &str,
    lang: Lang,
) -> Result<Preview, AppError> {
    match look(db, key, token, lang).await? {
        Found::Ready(preview) => Ok(preview),
        Found::Refused(why, _) => Err(why.error()),
    }
}

/// Uses the token: moves the kiosk's lines into `to` and returns how many items moved.
pub async fn take(db: &Db, key: &SigningKey, token: &str, to: &str) -> Result<u32, AppError> {
    retrying(db, || take_once(db, key, token, to)).await
}

/// One attempt of [`take`], in its own transaction.
async fn take_once(db: &Db, key: &SigningKey, token: &str, to: &str) -> Result<u32, AppError> {
    let Checked::Valid {
        verified, kiosk, ..
    } = check(key, token)?
    else {
        return Err(Refused::Expired.error());
    };
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
        return Err(Refused::Used.error());
    }
    let moved = merge_into(&mut tx, &kiosk, to).await?;
    if moved == 0 {
        // Nothing to take: leave the token unused (the rollback drops the claim).
        return Err(Refused::Empty.error());
    }
    tx.commit().await?;
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_session_and_store_and_old_ones_only_the_session() {
        let key = SigningKey::ephemeral();
        let now = now();
        let new = token::verify(
            &key,
            Purpose::HandOff,
            &issue_at(&key, "abc", "sh-a", now),
            now,
        )
        .unwrap();
        assert_eq!(data_of(&new).unwrap(), ("abc".into(), Some("sh-a".into())));
        let old = token::verify(&key, Purpose::HandOff, &issue(&key, "abc", now), now).unwrap();
        assert_eq!(data_of(&old).unwrap(), ("abc".into(), None));
    }

    #[test]
    fn an_expired_code_still_names_its_store_but_a_forged_one_does_not() {
        let key = SigningKey::ephemeral();
        let old = issue_at(&key, "abc", "sh-a", now() - TTL_SECS - 1);
        assert!(matches!(
            check(&key, &old).unwrap(),
            Checked::Expired { store: Some(s) } if s == "sh-a"
        ));
        let other = issue_at(
            &SigningKey::ephemeral(),
            "abc",
            "sh-a",
            now() - TTL_SECS - 1,
        );
        assert!(check(&key, &other).is_err());
        assert!(check(&key, "garbage").is_err());
    }
}
