//! API keys (server): made and revoked by a brand admin, each with its scopes. A key is
//! `cso_` and 43 characters of base64url (32 random bytes); only its SHA-256 is kept, so
//! a database read gives nobody a key. Before any key exists, `OPS_BOOTSTRAP_KEY` is
//! written as the first one (all scopes), so an integration can start before the console
//! is opened; once any key exists the variable is ignored.

use crate::domain::ops::Scope;
use crate::error::AppError;
use crate::ssr::audit::{self, Change};
use crate::ssr::db::Db;
use crate::ssr::session::now;
use base64::Engine;
use sha2::{Digest, Sha256};

/// What every key starts with (so a leaked one is easy to find in a log or a repository).
pub const KEY_PREFIX: &str = "cso_";
/// How many characters of a key the console shows.
const SHOWN: usize = 12;
/// The shortest bootstrap key taken from the environment.
pub const BOOTSTRAP_MIN_LEN: usize = 24;

/// A key that authenticated: who it is and what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl ApiKey {
    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// A key as the console lists it (never the key itself).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_by_name: Option<String>,
}

pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn new_key() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn shown(key: &str) -> String {
    key.chars().take(SHOWN).collect()
}

/// Makes a key for `name` with `scopes`, by `staff_id` (audited). Returns its id and the
/// key, which is shown once and never again.
pub async fn create(
    db: &Db,
    staff_id: i64,
    name: &str,
    scopes: &[Scope],
) -> Result<(i64, String), AppError> {
    let key = new_key();
    let mut tx = db.pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(shown(&key))
    .bind(hash(&key))
    .bind(Scope::join(scopes))
    .bind(staff_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &Change {
            store_id: None,
            staff_id,
            action: "api_key.create",
            subject: name,
            before: "",
            after: &format!("{} {}", shown(&key), Scope::join(scopes)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, key))
}

/// Revokes key `id` (audited); `false` when there is no such key or it was revoked already.
pub async fn revoke(db: &Db, staff_id: i64, id: i64) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await?;
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if done {
        let (name, prefix): (String, String) =
            sqlx::query_as("SELECT name, prefix FROM api_keys WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        audit::record(
            &mut *tx,
            &Change {
                store_id: None,
                staff_id,
                action: "api_key.revoke",
                subject: &name,
                before: &prefix,
                after: "revoked",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Every key, newest first.
pub async fn list(db: &Db) -> Result<Vec<KeyRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.name, k.prefix, k.scopes, k.created_at, k.revoked_at, k.last_used_at, \
                s.name AS created_by_name \
         FROM api_keys k LEFT JOIN staff s ON s.id = k.created_by ORDER BY k.id DESC",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// The live key `presented` is, if any. A key's last use is written at most once a
/// minute (not a write on every call).
pub async fn authenticate(db: &Db, presented: &str) -> Result<Option<ApiKey>, AppError> {
    if !presented.starts_with(KEY_PREFIX) && presented.len() < BOOTSTRAP_MIN_LEN {
        return Ok(None);
    }
    let row: Option<(i64, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, scopes, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash(presented))
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, name, scopes, last)) = row else {
        return Ok(None);
    };
    let t = now();
    if last.is_none_or(|l| t - l >= 60) {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(t)
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(ApiKey {
        id,
        name,
        scopes: Scope::parse_list(&scopes),
    }))
}

/// Writes `key` as the first key, with every scope, if no key has been made yet (revoked
/// ones count: revoking every key does not bring the bootstrap key back). Safe when many
/// servers start at once. Returns whether it was written.
pub async fn ensure_bootstrap(db: &Db, key: &str) -> Result<bool, AppError> {
    let written = sqlx::query(
        "INSERT INTO api_keys (name, prefix, key_hash, scopes, created_at) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM api_keys) \
         ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind("bootstrap (OPS_BOOTSTRAP_KEY)")
    .bind(shown(key))
    .bind(hash(key))
    .bind(Scope::join(&Scope::ALL))
    .bind(now())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// A call made with `key`, in the audit log: what it did (`ops.offers`, `ops.feed` …),
/// to what, and what came of it.
pub async fn audit_call<'c, E>(
    conn: E,
    key: &ApiKey,
    action: &str,
    subject: &str,
    outcome: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (store_id, staff_id, api_key_id, action, subject, before, after, at) \
         VALUES (NULL, NULL, $1, $2, $3, '', $4, $5)",
    )
    .bind(key.id)
    .bind(action)
    .bind(subject)
    .bind(outcome)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_shown_only_by_their_start() {
        let (a, b) = (new_key(), new_key());
        assert_ne!(a, b);
        assert!(a.starts_with(KEY_PREFIX));
        assert_eq!(a.len(), KEY_PREFIX.len() + 43);
        assert_eq!(shown(&a).len(), SHOWN);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }
}
