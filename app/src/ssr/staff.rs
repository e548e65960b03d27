//! Staff accounts (server): people with an argon2id password, their roles per store, and
//! sessions in the database that name them, so every server behind a load balancer knows
//! who is signed in. Every console page and post asks [`authorize`]: this person, this
//! store, this action — or 401 (sign in), 404 (no such store) or 403 (not theirs).

use crate::domain::staff::{Action, Grants, Role};
use crate::error::AppError;
use crate::ssr::cookies;
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use crate::ssr::rate_limit::{self, Limit};
use crate::ssr::session::{self, Kind, hash_token, now};
use crate::ssr::stores::{self, StoreRow};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use http::HeaderMap;

/// The password every demo account has (demo mode only; `make run` prints it).
pub const DEMO_PASSWORD: &str = "cloudstore-demo";

/// Wrong passwords: five per account in fifteen minutes, then it is locked for the rest
/// of the window (as member sign-in codes lock after five misses).
pub const LOGIN_PER_PHONE: Limit = Limit {
    max: 5,
    window_secs: 15 * 60,
};
/// Wrong passwords: fifty per address in fifteen minutes, whatever numbers it tries.
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    max: 50,
    window_secs: 15 * 60,
};

/// A signed-in person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub grants: Grants,
    /// Their session's key (signing out ends it).
    pub session_id: String,
}

/// A console request allowed through: who, in which store, as what.
#[derive(Clone, Debug)]
pub struct Console {
    pub user: StaffUser,
    pub store: StoreRow,
    pub role: Role,
}

/// Hashes a password with argon2id (its default, recommended cost) on a blocking thread.
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::from_b64(&salt_b64()).map_err(|e| {
            tracing::error!(error = %e, "salt");
            AppError::Internal
        })?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    })
    .await
    .map_err(|_| AppError::Internal)?
}

fn salt_b64() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(rand::random::<[u8; 16]>())
}

/// Whether `password` matches the PHC string `hash` (a damaged hash matches nothing).
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of no one's password, verified against when the number is unknown, so that an
/// unknown number takes as long to refuse as a wrong password.
static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn decoy_hash() -> String {
    if let Some(h) = DECOY.get() {
        return h.clone();
    }
    let h = hash_password(&salt_b64()).await.unwrap_or_default();
    DECOY.get_or_init(|| h).clone()
}

/// Why a sign-in was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    /// The number and password do not match an account (which of the two is not said).
    Wrong,
    /// Too many misses for this number or from this address.
    Locked,
}

/// Signs `phone` in with `password` from `address`: a new session and its cookie.
pub async fn sign_in(
    db: &Db,
    phone: &str,
    password: &str,
    address: &str,
    https: bool,
) -> Result<Result<(StaffUser, String), SignInRefusal>, AppError> {
    let phone_key = format!("staff-login:{phone}");
    let address_key = format!("staff-login-addr:{address}");
    for (key, limit) in [
        (&phone_key, LOGIN_PER_PHONE),
        (&address_key, LOGIN_PER_ADDRESS),
    ] {
        if let Err(AppError::RateLimited) = rate_limit::check(db, key, limit).await {
            return Ok(Err(SignInRefusal::Locked));
        }
    }
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM staff WHERE phone = $1 AND disabled_at IS NULL",
    )
    .bind(phone)
    .fetch_optional(&db.pool)
    .await?;
    let matched = match &row {
        Some((_, hash)) => verify_password(password, hash).await,
        None => {
            let _ = verify_password(password, &decoy_hash().await).await;
            false
        }
    };
    let Some((id, _)) = row.filter(|_| matched) else {
        let a = rate_limit::hit(db, &address_key, LOGIN_PER_ADDRESS).await;
        let p = rate_limit::hit(db, &phone_key, LOGIN_PER_PHONE).await;
        return match (a, p) {
            (Err(AppError::RateLimited), _) | (_, Err(AppError::RateLimited)) => {
                Ok(Err(SignInRefusal::Locked))
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
            _ => Ok(Err(SignInRefusal::Wrong)),
        };
    };
    let (session, cookie) = session::create(db, Kind::Staff, None, https).await?;
    sqlx::query("UPDATE sessions SET staff_id = $1 WHERE id = $2")
        .bind(id)
        .bind(&session.id)
        .execute(&db.pool)
        .await?;
    let user = user_of_session(db, &session.id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(Ok((user, cookie)))
}

/// The person signed in on this request, if any.
pub async fn current(db: &Db, headers: &HeaderMap) -> Result<Option<StaffUser>, AppError> {
    let Some(token) = cookies::read(headers, Kind::Staff.cookie()) else {
        return Ok(None);
    };
    if token.len() != 43 {
        return Ok(None);
    }
    user_of_session(db, &hash_token(token)).await
}

async fn user_of_session(db: &Db, session_id: &str) -> Result<Option<StaffUser>, AppError> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.name, p.phone, p.brand_admin FROM sessions s JOIN staff p ON p.id = s.staff_id \
         WHERE s.id = $1 AND s.kind = 'staff' AND s.expires_at > $2 AND p.disabled_at IS NULL",
    )
    .bind(session_id)
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, name, phone, brand_admin)) = row else {
        return Ok(None);
    };
    Ok(Some(StaffUser {
        grants: grants(db, id, brand_admin != 0).await?,
        id,
        name,
        phone,
        session_id: session_id.to_owned(),
    }))
}

async fn grants(db: &Db, staff_id: i64, brand_admin: bool) -> Result<Grants, AppError> {
    #[derive(sqlx::FromRow)]
    struct RoleRow {
        store_id: i64,
        #[sqlx(try_from = "String")]
        role: Role,
    }
    let roles: Vec<RoleRow> = sqlx::query_as(
        "SELECT store_id, role FROM staff_roles WHERE staff_id = $1 ORDER BY store_id",
    )
    .bind(staff_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Grants {
        brand_admin,
        roles: roles.into_iter().map(|r| (r.store_id, r.role)).collect(),
    })
}

/// This request's person acting in `store` (a slug) for `action`: signed in (else 401),
/// the store exists (else 404), and their role there allows it (else 403).
pub async fn authorize(
    db: &Db,
    headers: &HeaderMap,
    store: &str,
    action: Action,
) -> Result<Console, AppError> {
    let user = current(db, headers).await?.ok_or(AppError::Unauthorized)?;
    let store = stores::store_or_404(db, store).await?;
    let role = user.grants.role_in(store.id).ok_or(AppError::Forbidden)?;
    if !crate::domain::staff::allows(role, action) {
        return Err(AppError::Forbidden);
    }
    Ok(Console { user, store, role })
}

/// This request's person acting for the whole brand (its API keys): signed in (else
/// 401) and a brand admin (else 403, as a store's page refuses a role it does not allow).
pub async fn authorize_brand_admin(db: &Db, headers: &HeaderMap) -> Result<StaffUser, AppError> {
    let user = current(db, headers).await?.ok_or(AppError::Unauthorized)?;
    if !user.grants.brand_admin {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// Ends this session.
pub async fn sign_out(db: &Db, user: &StaffUser) -> Result<(), AppError> {
    retrying(db, || sign_out_once(db, user)).await
}

/// One attempt of [`sign_out`].
async fn sign_out_once(db: &Db, user: &StaffUser) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(&user.session_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends every session of this person, on every device. Returns how many.
pub async fn sign_out_everywhere(db: &Db, staff_id: i64) -> Result<u64, AppError> {
    retrying(db, || sign_out_everywhere_once(db, staff_id)).await
}

/// One attempt of [`sign_out_everywhere`].
async fn sign_out_everywhere_once(db: &Db, staff_id: i64) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE kind = 'staff' AND staff_id = $1")
            .bind(staff_id)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

/// A member of a store's team, as the team page lists them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

pub async fn team(db: &Db, store_id: i64) -> Result<Vec<TeamRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.name, p.phone, r.role FROM staff_roles r JOIN staff p ON p.id = r.staff_id \
         WHERE r.store_id = $1 AND p.disabled_at IS NULL ORDER BY r.role, p.name, p.id",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Why a new account was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddRefusal {
    /// That number already has a role in this store.
    AlreadyInStore,
}

/// Gives `role` in `store_id` to the person with `phone`, making their account (with
/// `password`) if they have none; an existing person keeps their password. Returns the
/// person's id.
pub async fn add_to_store(
    db: &Db,
    store_id: i64,
    name: &str,
    phone: &str,
    role: Role,
    password: &str,
) -> Result<Result<i64, AddRefusal>, AppError> {
    retrying(db, || {
        add_to_store_once(db, store_id, name, phone, role, password)
    })
    .await
}

/// One attempt of [`add_to_store`].
async fn add_to_store_once(
    db: &Db,
    store_id: i64,
    name: &str,
    phone: &str,
    role: Role,
    password: &str,
) -> Result<Result<i64, AddRefusal>, AppError> {
    let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM staff WHERE phone = $1")
        .bind(phone)
        .fetch_optional(&db.pool)
        .await?;
    let id = match existing {
        Some((id,)) => id,
        None => {
            let hash = hash_password(password).await?;
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO staff (name, phone, password_hash, brand_admin, created_at) \
                 VALUES ($1, $2, $3, 0, $4) ON CONFLICT (phone) DO NOTHING RETURNING id",
            )
            .bind(name)
            .bind(phone)
            .bind(&hash)
            .bind(now())
            .fetch_optional(&db.pool)
            .await?;
            match inserted {
                Some((id,)) => id,
                // Made at the same moment by someone else: use theirs.
                None => {
                    sqlx::query_as::<_, (i64,)>("SELECT id FROM staff WHERE phone = $1")
                        .bind(phone)
                        .fetch_one(&db.pool)
                        .await?
                        .0
                }
            }
        }
    };
    let added = sqlx::query(
        "INSERT INTO staff_roles (staff_id, store_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (staff_id, store_id) DO NOTHING",
    )
    .bind(id)
    .bind(store_id)
    .bind(role.as_str())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(if added == 1 {
        Ok(id)
    } else {
        Err(AddRefusal::AlreadyInStore)
    })
}

/// The role a person holds in a store, if any.
pub async fn role_in_store(
    db: &Db,
    staff_id: i64,
    store_id: i64,
) -> Result<Option<Role>, AppError> {
    #[derive(sqlx::FromRow)]
    struct RoleOnly {
        #[sqlx(try_from = "String")]
        role: Role,
    }
    let r: Option<RoleOnly> =
        sqlx::query_as("SELECT role FROM staff_roles WHERE staff_id = $1 AND store_id = $2")
            .bind(staff_id)
            .bind(store_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(r.map(|r| r.role))
}

/// Sets a new password and ends every session of that person.
pub async fn reset_password(db: &Db, staff_id: i64, password: &str) -> Result<(), AppError> {
    retrying(db, || reset_password_once(db, staff_id, password)).await
}

/// One attempt of [`reset_password`].
async fn reset_password_once(db: &Db, staff_id: i64, password: &str) -> Result<(), AppError> {
    let hash = hash_password(password).await?;
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(staff_id)
        .execute(&db.pool)
        .await?;
    sign_out_everywhere(db, staff_id).await?;
    Ok(())
}

/// Changes one's own password, given the present one: every other session of theirs ends.
pub async fn change_password(
    db: &Db,
    user: &StaffUser,
    current: &str,
    new: &str,
) -> Result<bool, AppError> {
    retrying(db, || change_password_once(db, user, current, new)).await
}

/// One attempt of [`change_password`].
async fn change_password_once(
    db: &Db,
    user: &StaffUser,
    current: &str,
    new: &str,
) -> Result<bool, AppError> {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM staff WHERE id = $1")
        .bind(user.id)
        .fetch_one(&db.pool)
        .await?;
    if !verify_password(current, &hash).await {
        return Ok(false);
    }
    let new_hash = hash_password(new).await?;
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(&new_hash)
        .bind(user.id)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE kind = 'staff' AND staff_id = $1 AND id <> $2")
        .bind(user.id)
        .bind(&user.session_id)
        .execute(&db.pool)
        .await?;
    Ok(true)
}

/// Takes a person's role in a store away (their account stays for other stores).
pub async fn remove_from_store(db: &Db, staff_id: i64, store_id: i64) -> Result<bool, AppError> {
    retrying(db, || remove_from_store_once(db, staff_id, store_id)).await
}

/// One attempt of [`remove_from_store`].
async fn remove_from_store_once(db: &Db, staff_id: i64, store_id: i64) -> Result<bool, AppError> {
    Ok(
        sqlx::query("DELETE FROM staff_roles WHERE staff_id = $1 AND store_id = $2")
            .bind(staff_id)
            .bind(store_id)
            .execute(&db.pool)
            .await?
            .rows_affected()
            == 1,
    )
}

/// The first brand admin, from `ADMIN_PHONE` / `ADMIN_PASSWORD`, made when the database
/// has no brand admin yet. Later starts change nothing (the password is the admin's now).
pub async fn ensure_admin(
    db: &Db,
    name: &str,
    phone: &str,
    password: &str,
) -> Result<bool, AppError> {
    let (admins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff WHERE brand_admin = 1")
        .fetch_one(&db.pool)
        .await?;
    if admins > 0 {
        return Ok(false);
    }
    let hash = hash_password(password).await?;
    let made = sqlx::query(
        "INSERT INTO staff (name, phone, password_hash, brand_admin, created_at) VALUES ($1, $2, $3, 1, $4) \
         ON CONFLICT (phone) DO UPDATE SET brand_admin = 1, password_hash = excluded.password_hash",
    )
    .bind(name)
    .bind(phone)
    .bind(&hash)
    .bind(now())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(made == 1)
}

/// One demo account, as `make run` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub store: String,
    pub role: Role,
    pub name: String,
    pub phone: String,
}

/// Demo mode: a manager, a staff member and the store's guides as accounts, for every
/// store, all with [`DEMO_PASSWORD`]; made once (when no store has staff yet).
pub async fn ensure_demo_staff(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    let (with_roles,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_roles")
        .fetch_one(&db.pool)
        .await?;
    if with_roles == 0 {
        let hash = hash_password(DEMO_PASSWORD).await?;
        let stores: Vec<(i64,)> = sqlx::query_as("SELECT id FROM stores ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
        let mut tx = db.pool.begin().await?;
        for (store_id,) in stores {
            let guides: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, name_zh FROM guides WHERE store_id = $1 ORDER BY code")
                    .bind(store_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut people = vec![
                (
                    Role::Manager,
                    "店长".to_owned(),
                    demo_phone(store_id, 1),
                    None,
                ),
                (
                    Role::Staff,
                    "店员".to_owned(),
                    demo_phone(store_id, 2),
                    None,
                ),
            ];
            for (n, (guide_id, name)) in guides.into_iter().enumerate() {
                people.push((
                    Role::Guide,
                    format!("导购{name}"),
                    demo_phone(store_id, 3 + n as i64),
                    Some(guide_id),
                ));
            }
            for (role, name, phone, guide) in people {
                // Several servers starting at once on one database may all get here: the
                // first to commit makes each account, the others' inserts do nothing.
                let made: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO staff (name, phone, password_hash, brand_admin, created_at) \
                     VALUES ($1, $2, $3, 0, $4) ON CONFLICT (phone) DO NOTHING RETURNING id",
                )
                .bind(&name)
                .bind(&phone)
                .bind(&hash)
                .bind(now())
                .fetch_optional(&mut *tx)
                .await?;
                let Some((id,)) = made else { continue };
                sqlx::query(
                    "INSERT INTO staff_roles (staff_id, store_id, role) VALUES ($1, $2, $3) \
                     ON CONFLICT (staff_id, store_id) DO NOTHING",
                )
                .bind(id)
                .bind(store_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
                if let Some(g) = guide {
                    sqlx::query("UPDATE guides SET staff_id = $1 WHERE id = $2")
                        .bind(id)
                        .bind(g)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
    }
    demo_accounts(db).await
}

/// `139 SSSS 00NN`: store id and person number, so each demo number says whose it is.
pub fn demo_phone(store_id: i64, n: i64) -> String {
    format!("139{store_id:04}{n:04}")
}

async fn demo_accounts(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        #[sqlx(try_from = "String")]
        role: Role,
        name: String,
        phone: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.slug, r.role, p.name, p.phone FROM staff_roles r JOIN staff p ON p.id = r.staff_id \
         JOIN stores s ON s.id = r.store_id WHERE p.phone LIKE '139%' ORDER BY s.id, p.phone",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DemoAccount {
            store: r.slug,
            role: r.role,
            name: r.name,
            phone: r.phone,
        })
        .collect())
}

/// The stores a person may open, with their role in each (a brand admin: all, as manager).
pub async fn my_stores(db: &Db, user: &StaffUser) -> Result<Vec<(StoreRow, Role)>, AppError> {
    let all = stores::all_stores(db).await?;
    Ok(all
        .into_iter()
        .filter_map(|s| user.grants.role_in(s.id).map(|r| (s, r)))
        .collect())
}

/// The console's frame for a request allowed through.
pub fn frame(
    console: &Console,
    lang: crate::domain::lang::Lang,
) -> crate::views::console::ConsoleFrame {
    use crate::domain::staff::allows;
    crate::views::console::ConsoleFrame {
        store_slug: console.store.slug.clone(),
        store_name: console.store.name(lang).to_owned(),
        user_name: console.user.name.clone(),
        role: console.role,
        brand_admin: console.user.grants.brand_admin,
        may: <Action as strum::IntoEnumIterator>::iter()
            .filter(|a| allows(console.role, *a))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h).await);
        assert!(!verify_password("correct horse batterx", &h).await);
        assert!(!verify_password("anything", "not a hash").await);
        assert_ne!(
            h,
            hash_password("correct horse battery").await.unwrap(),
            "salted"
        );
    }

    #[test]
    fn demo_numbers_name_their_store() {
        assert_eq!(demo_phone(3, 1), "13900030001");
        assert_eq!(demo_phone(3, 1).len(), 11);
    }
}
