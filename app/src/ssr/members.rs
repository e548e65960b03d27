//! Members (server): one-time sign-in codes sent through a [`CodeSender`], members with a
//! points ledger and a new-member coupon, signing a session in (the anonymous bag merges
//! into the member's), the device key behind the member code, and checking member codes
//! at the till — each accepted once.

use crate::domain::i18n::member::MemberText as T;
use crate::domain::lang::Lang;
use crate::domain::member_code;
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use crate::ssr::session::{self, Kind, Session, now};
use crate::ssr::settings::{Settings, SigningKey};
use crate::ssr::{bag, rate_limit};
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

/// Sign-in codes live five minutes.
pub const CODE_TTL_SECS: i64 = 5 * 60;
/// Wrong tries before a code is locked.
pub const MAX_ATTEMPTS: i64 = 5;
/// The new-member coupon: ¥10 off ¥59, for 30 days; and welcome points.
pub const WELCOME_COUPON: (i64, i64) = (1_000, 5_900);
pub const WELCOME_POINTS: i64 = 100;

pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), AppError>> + Send + 'a>>;

/// How sign-in codes reach a phone. A real deployment plugs in its SMS provider here.
pub trait CodeSender: Debug + Send + Sync {
    fn send<'a>(&'a self, db: &'a Db, phone: &'a str, message: &'a str) -> Sending<'a>;
}

/// Demo mode: writes the message to the server log and to the demo inbox page.
#[derive(Debug)]
pub struct DemoSender;

impl CodeSender for DemoSender {
    fn send<'a>(&'a self, db: &'a Db, phone: &'a str, message: &'a str) -> Sending<'a> {
        Box::pin(async move {
            tracing::info!(phone = %mask(phone), %message, "demo code sender");
            sqlx::query("INSERT INTO demo_inbox (phone, message, created_at) VALUES ($1, $2, $3)")
                .bind(phone)
                .bind(message)
                .bind(now())
                .execute(&db.pool)
                .await?;
            Ok(())
        })
    }
}

/// No sender configured: sign-in is unavailable, and says so.
#[derive(Debug)]
pub struct NoSender;

impl CodeSender for NoSender {
    fn send<'a>(&'a self, _: &'a Db, _: &'a str, _: &'a str) -> Sending<'a> {
        Box::pin(async { Err(AppError::conflict(T::NoSender)) })
    }
}

/// `138****8000`.
pub fn mask(phone: &str) -> String {
    if phone.len() == 11 {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "***".to_owned()
    }
}

fn code_hash(key: &SigningKey, phone: &str, code: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.bytes()).expect("any key size");
    mac.update(b"cloud-store/login/v1\0");
    mac.update(phone.as_bytes());
    mac.update(b"\0");
    mac.update(code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Sends a new sign-in code to `phone` (rate-limited per phone and per address).
pub async fn request_code(
    db: &Db,
    settings: &Settings,
    phone: &str,
    client: &str,
    lang: Lang,
) -> Result<(), AppError> {
    rate_limit::hit(db, &format!("otp-phone:{phone}"), rate_limit::OTP_PER_PHONE).await?;
    rate_limit::hit(
        db,
        &format!("otp-addr:{client}"),
        rate_limit::OTP_PER_ADDRESS,
    )
    .await?;
    let code = format!("{:06}", rand::random::<u32>() % 1_000_000);
    let at = now();
    sqlx::query(
        "INSERT INTO login_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(phone)
    .bind(code_hash(&settings.key, phone, &code))
    .bind(at)
    .bind(at + CODE_TTL_SECS)
    .execute(&db.pool)
    .await?;
    settings
        .sender
        .send(
            db,
            phone,
            &crate::domain::i18n::member::code_message(lang, &code),
        )
        .await
}

#[derive(Debug, sqlx::FromRow)]
struct CodeRow {
    id: i64,
    code_hash: String,
    expires_at: i64,
    attempts: i64,
    used_at: Option<i64>,
}

/// Checks a sign-in code: the phone's latest code, unexpired, unused, under five misses.
/// A miss counts; the fifth locks the code. A match is claimed by a conditional update,
/// so a code signs in once. Returns the member (joined now if new).
pub async fn verify_code(
    db: &Db,
    settings: &Settings,
    phone: &str,
    code: &str,
    guide: Option<&str>,
) -> Result<(i64, bool), AppError> {
    retrying(db, || claim_code(db, settings, phone, code)).await?;
    join(db, phone, guide).await
}

/// The code checked and used up, once (a lost race runs this again, not the joining).
async fn claim_code(db: &Db, settings: &Settings, phone: &str, code: &str) -> Result<(), AppError> {
    let row = sqlx::query_as::<_, CodeRow>(
        "SELECT id, code_hash, expires_at, attempts, used_at FROM login_codes \
         WHERE phone = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::conflict(T::AskFirst))?;
    let refuse = |t: T| Err(AppError::conflict(t));
    if row.used_at.is_some() {
        return refuse(T::CodeUsed);
    }
    if row.attempts >= MAX_ATTEMPTS {
        return refuse(T::CodeLocked);
    }
    if now() >= row.expires_at {
        return refuse(T::CodeExpired);
    }
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if code_hash(&settings.key, phone, &code) != row.code_hash {
        let (attempts,): (i64,) = sqlx::query_as(
            "UPDATE login_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts",
        )
        .bind(row.id)
        .fetch_one(&db.pool)
        .await?;
        return Err(AppError::validation(
            "code",
            crate::domain::i18n::Text::WrongCode {
                tries_left: MAX_ATTEMPTS - attempts,
            },
        ));
    }
    let claimed = sqlx::query(
        "UPDATE login_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND attempts < $3",
    )
    .bind(now())
    .bind(row.id)
    .bind(MAX_ATTEMPTS)
    .execute(&db.pool)
    .await?;
    if claimed.rows_affected() != 1 {
        return refuse(T::CodeUsed);
    }
    Ok(())
}

/// The member with this phone, joining them (coupon, welcome points, guide) if new.
pub async fn join(db: &Db, phone: &str, guide: Option<&str>) -> Result<(i64, bool), AppError> {
    retrying(db, || join_once(db, phone, guide)).await
}

/// One attempt of [`join`], in its own transaction.
async fn join_once(db: &Db, phone: &str, guide: Option<&str>) -> Result<(i64, bool), AppError> {
    let at = now();
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO members (phone, joined_at, guide_code) VALUES ($1, $2, $3) ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone)
    .bind(at)
    .bind(guide)
    .execute(&mut *tx)
    .await?;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM members WHERE phone = $1")
        .bind(phone)
        .fetch_one(&mut *tx)
        .await?;
    let new = inserted.rows_affected() == 1;
    if new {
        sqlx::query(
            "INSERT INTO coupons (member_id, kind, value_minor, min_spend_minor, created_at, expires_at, starts_at) \
             VALUES ($1, 'new_member', $2, $3, $4, $5, $4)",
        )
        .bind(id)
        .bind(WELCOME_COUPON.0)
        .bind(WELCOME_COUPON.1)
        .bind(at)
        .bind(at + 30 * 24 * 3600)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO points_ledger (member_id, delta, reason, at) VALUES ($1, $2, 'welcome', $3)",
        )
        .bind(id)
        .bind(WELCOME_POINTS)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        // The guide who brought them makes them a member of the guide's store too.
        sqlx::query(
            "INSERT INTO store_members (store_id, member_id, guide_code, since) \
             SELECT store_id, $1, code, $2 FROM guides WHERE code = $3 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(at)
        .bind(guide)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((id, new))
}

/// Signs `member` in on a new session (a new token: no fixation), moving the anonymous
/// bag into the member's and ending the old session. Issues the device's member-code key.
/// Returns the cookie to set.
pub async fn sign_in(
    db: &Db,
    previous: Option<&Session>,
    member: i64,
    https: bool,
) -> Result<String, AppError> {
    let (new, cookie) = session::create(db, Kind::Shopper, None, https).await?;
    // A row only this request knows yet: nothing races this write.
    sqlx::query("UPDATE sessions SET member_id = $1 WHERE id = $2")
        .bind(member)
        .bind(&new.id)
        .execute(&db.pool)
        .await?;
    if let Some(old) = previous {
        retrying(db, || hand_over(db, old, member)).await?;
    }
    issue_device(db, member, &new.id).await?;
    Ok(cookie)
}

/// One transaction, a write first (SQLite's write lock at once): the old session goes
/// and its bag moves to the member, or neither.
async fn hand_over(db: &Db, old: &Session, member: i64) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(&old.id)
        .execute(&mut *tx)
        .await?;
    bag::merge_into(&mut tx, &old.bag_owner(), &format!("m:{member}")).await?;
    tx.commit().await?;
    Ok(())
}

async fn issue_device(db: &Db, member: i64, session_id: &str) -> Result<(), AppError> {
    for _ in 0..5 {
        let number = format!("{:08}", rand::random::<u32>() % 100_000_000);
        let secret = hex::encode(rand::random::<[u8; 32]>());
        let done = sqlx::query(
            "INSERT INTO devices (id, member_id, session_id, secret, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&number)
        .bind(member)
        .bind(session_id)
        .bind(&secret)
        .bind(now())
        .execute(&db.pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
    }
    Err(AppError::Internal)
}

/// This session's device: its number and key (hex), while not revoked.
pub async fn device_of(db: &Db, session_id: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, secret FROM devices WHERE session_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    .bind(session_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// Why a member code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRefusal {
    Malformed,
    /// No such device, or signed out.
    Unknown,
    /// Not a code of that device within a step of now: expired or forged.
    NotValid,
    /// Already accepted once.
    Replayed,
}

/// Checks a member code at `now`; accepts it once. Returns the member.
pub async fn check_member_code(
    db: &Db,
    code: &str,
    now: i64,
) -> Result<Result<i64, CodeRefusal>, AppError> {
    retrying(db, || check_member_code_once(db, code, now)).await
}

/// One attempt of [`check_member_code`].
async fn check_member_code_once(
    db: &Db,
    code: &str,
    now: i64,
) -> Result<Result<i64, CodeRefusal>, AppError> {
    let Some((device, otp)) = member_code::parse(code) else {
        return Ok(Err(CodeRefusal::Malformed));
    };
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT member_id, secret FROM devices WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(&device)
    .fetch_optional(&db.pool)
    .await?;
    let Some((member, secret)) = row else {
        return Ok(Err(CodeRefusal::Unknown));
    };
    let key = hex::decode(&secret).map_err(|_| AppError::Internal)?;
    let Some(step) = member_code::matching_step(&key, otp, now) else {
        return Ok(Err(CodeRefusal::NotValid));
    };
    let claimed = sqlx::query(
        "INSERT INTO used_member_codes (device_id, step, used_at) VALUES ($1, $2, $3) \
         ON CONFLICT (device_id, step) DO NOTHING",
    )
    .bind(&device)
    .bind(step)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(if claimed.rows_affected() == 1 {
        Ok(member)
    } else {
        Err(CodeRefusal::Replayed)
    })
}

/// A member as the member page and the till show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i64,
    pub phone: String,
    pub points: i64,
    /// Coupons not used and not expired, ending soonest first.
    pub coupons: Vec<crate::ssr::coupons::MemberCoupon>,
}

/// The demo inbox's latest messages (demo mode only shows it).
pub async fn demo_inbox(db: &Db) -> Result<Vec<crate::views::members::InboxMessage>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        phone: String,
        message: String,
    }
    let rows: Vec<Row> =
        sqlx::query_as("SELECT phone, message FROM demo_inbox ORDER BY id DESC LIMIT 20")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::views::members::InboxMessage {
            phone: r.phone,
            message: r.message,
        })
        .collect())
}

pub async fn member(db: &Db, id: i64) -> Result<Option<MemberRow>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        phone: String,
        points: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT m.phone, CAST(COALESCE((SELECT SUM(delta) FROM points_ledger WHERE member_id = m.id), 0) AS BIGINT) AS points \
         FROM members m WHERE m.id = $1 AND m.deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(Row { phone, points }) = row else {
        return Ok(None);
    };
    let coupons = crate::ssr::coupons::member_coupons(db, id, now()).await?;
    Ok(Some(MemberRow {
        id,
        phone,
        points,
        coupons,
    }))
}

/// How long a till serves a member after their code was accepted.
pub const TILL_DESK_SECS: i64 = 600;

/// The signed token that names a member to a till's next posts, for [`TILL_DESK_SECS`].
pub fn till_token(key: &crate::ssr::settings::SigningKey, member: i64, now: i64) -> String {
    use crate::ssr::token::{Purpose, sign};
    sign(
        key,
        Purpose::TillMember,
        now + TILL_DESK_SECS,
        &member.to_be_bytes(),
    )
}

/// The member a till token names, while it is valid.
pub fn till_token_member(
    key: &crate::ssr::settings::SigningKey,
    token: &str,
    now: i64,
) -> Result<i64, crate::ssr::token::TokenError> {
    use crate::ssr::token::{Purpose, TokenError, verify};
    let v = verify(key, Purpose::TillMember, token, now)?;
    let bytes: [u8; 8] = v.data.try_into().map_err(|_| TokenError::Malformed)?;
    Ok(i64::from_be_bytes(bytes))
}

/// The store's till served `member` now: they are the store's member, last seen now.
pub async fn touch_visit(db: &Db, store: i64, member: i64) -> Result<(), AppError> {
    retrying(db, || async {
        let at = now();
        sqlx::query(
            "INSERT INTO store_members (store_id, member_id, since, last_visit_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (store_id, member_id) DO UPDATE SET last_visit_at = $3",
        )
        .bind(store)
        .bind(member)
        .bind(at)
        .execute(&db.pool)
        .await?;
        Ok(())
    })
    .await
}

/// The till adds points for a purchase in the store.
pub async fn add_points(db: &Db, member: i64, points: i64, store: i64) -> Result<(), AppError> {
    retrying(db, || add_points_once(db, member, points, store)).await
}

/// One attempt of [`add_points`], in its own transaction.
async fn add_points_once(db: &Db, member: i64, points: i64, store: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO points_ledger (member_id, delta, reason, store_id, at) VALUES ($1, $2, 'till', $3, $4)",
    )
    .bind(member)
    .bind(points)
    .bind(store)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}
