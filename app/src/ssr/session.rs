//! Sessions (server): a random token in a cookie, found in `sessions` by its SHA-256.
//! A shopper's session holds their bag; a kiosk's session holds the screen's bag and ends
//! when the screen resets. Nothing else is kept in the cookie.
//!
//! The cookies' names and flags are in `ssr::cookies`.

use crate::error::AppError;
use crate::ssr::cookies::{self, Cookie};
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use http::HeaderMap;
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Shopper,
    Kiosk,
    /// A store's staff at the till.
    Staff,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Shopper => "shopper",
            Kind::Kiosk => "kiosk",
            Kind::Staff => "staff",
        }
    }

    /// The cookie that carries this kind's token.
    pub fn cookie(self) -> Cookie {
        match self {
            Kind::Shopper => Cookie::ShopperSession,
            Kind::Kiosk => Cookie::KioskSession,
            Kind::Staff => Cookie::StaffSession,
        }
    }

    /// How long an idle session lives: a shopper's bag for 30 days; a kiosk's for a day
    /// at most (the screen resets it long before).
    fn lifetime_secs(self) -> i64 {
        match self {
            Kind::Shopper => 30 * 24 * 3600,
            Kind::Kiosk | Kind::Staff => 24 * 3600,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The token's hash: the key of `sessions`, and the owner of an anonymous bag.
    pub id: String,
    pub kind: Kind,
    pub store_id: Option<i64>,
    /// The member signed in on this session.
    pub member_id: Option<i64>,
}

impl Session {
    /// Whose bag this session shows: the member's own (on every device) once signed in.
    pub fn bag_owner(&self) -> String {
        match self.member_id {
            Some(m) => format!("m:{m}"),
            None => self.id.clone(),
        }
    }
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The id (the token's hash) of the session of `kind` this request names, if its cookie
/// is well formed; whether it is live is the database's to say.
pub fn token_id(headers: &HeaderMap, kind: Kind) -> Option<String> {
    let token = cookies::read(headers, kind.cookie())?;
    (token.len() == 43).then(|| hash_token(token))
}

/// The live session of `kind` this request carries, if any.
pub async fn current(
    db: &Db,
    headers: &HeaderMap,
    kind: Kind,
) -> Result<Option<Session>, AppError> {
    let Some(id) = token_id(headers, kind) else {
        return Ok(None);
    };
    let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT store_id, member_id FROM sessions WHERE id = $1 AND kind = $2 AND expires_at > $3",
    )
    .bind(&id)
    .bind(kind.as_str())
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(store_id, member_id)| Session {
        id,
        kind,
        store_id,
        member_id,
    }))
}

/// A new session, and the `Set-Cookie` that hands its token to the browser.
pub async fn create(
    db: &Db,
    kind: Kind,
    store_id: Option<i64>,
    https: bool,
) -> Result<(Session, String), AppError> {
    retrying(db, || create_once(db, kind, store_id, https)).await
}

/// One attempt of [`create`].
async fn create_once(
    db: &Db,
    kind: Kind,
    store_id: Option<i64>,
    https: bool,
) -> Result<(Session, String), AppError> {
    let token = B64.encode(rand::random::<[u8; 32]>());
    let id = hash_token(&token);
    let now = now();
    sqlx::query(
        "INSERT INTO sessions (id, kind, store_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(kind.as_str())
    .bind(store_id)
    .bind(now)
    .bind(now + kind.lifetime_secs())
    .execute(&db.pool)
    .await?;
    let set_cookie = cookies::set(kind.cookie(), &token, https);
    Ok((
        Session {
            id,
            kind,
            store_id,
            member_id: None,
        },
        set_cookie,
    ))
}

/// The request's session of `kind`, made if it has none (the cookie to set comes back).
pub async fn ensure(
    db: &Db,
    headers: &HeaderMap,
    kind: Kind,
    store_id: Option<i64>,
) -> Result<(Session, Option<String>), AppError> {
    match current(db, headers, kind).await? {
        Some(session) if session.store_id == store_id => Ok((session, None)),
        _ => {
            let (session, cookie) = create(db, kind, store_id, cookies::is_https(headers)).await?;
            Ok((session, Some(cookie)))
        }
    }
}

/// Ends a session: its bag lines, then its row. Returns the cookie that clears it.
pub async fn end(db: &Db, session: &Session, https: bool) -> Result<String, AppError> {
    retrying(db, || end_once(db, session, https)).await
}

/// One attempt of [`end`].
async fn end_once(db: &Db, session: &Session, https: bool) -> Result<String, AppError> {
    sqlx::query("DELETE FROM bag_lines WHERE owner = $1")
        .bind(&session.id)
        .execute(&db.pool)
        .await?;
    // Its member-code key dies with it.
    sqlx::query("UPDATE devices SET revoked_at = $1 WHERE session_id = $2 AND revoked_at IS NULL")
        .bind(now())
        .bind(&session.id)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(&session.id)
        .execute(&db.pool)
        .await?;
    Ok(cookies::clear(session.kind.cookie(), https))
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_cookie() {
        assert_eq!(Kind::Shopper.cookie().name(true), "__Host-sid");
        assert_eq!(Kind::Kiosk.cookie().name(false), "kid");
        assert_eq!(Kind::Staff.cookie().name(false), "tid");
        // The browser forgets a shopper's token when the server does.
        assert_eq!(
            Kind::Shopper.cookie().max_age(),
            Some(Kind::Shopper.lifetime_secs())
        );
    }
}
