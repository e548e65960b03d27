//! In-store services by appointment (server): each store's services, their slots'
//! bookings and members' bookings. Every change that takes or gives back a place is one
//! transaction run by `db::retrying`, whose first statement writes (so on SQLite it holds
//! the write lock from there on, as `ssr::checkout` does):
//!
//! - **book**: the slot's row is made if missing, then a conditional update
//!   (`booked < capacity`) takes a place and the booking row goes in; a member holds one
//!   live booking per service and slot (a partial unique index stands behind the check);
//! - **move**: the booking is locked (still booked, not started), the new slot's place
//!   taken, the booking moved and the old place given back — all or nothing;
//! - **cancel**, **verify** at the till (核销) and the **no-show sweep**: a conditional
//!   update of the booking's status (`status = 'booked'`), so each happens once however
//!   many servers, tills or tabs try at once; a cancel or a no-show gives its place back
//!   in the same transaction.
//!
//! CHECK constraints (`booked <= capacity`, `booked >= 0`) stand behind the conditions.

use crate::domain::appointments::{self, BookingStatus};
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::audit::{self, Change};
use crate::ssr::checkout::Tx;
use crate::ssr::db::{Db, retrying};
use crate::ssr::settings::SigningKey;
use crate::ssr::store_settings::Saved;
use crate::ssr::stores::{StoreRow, pick};
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap};

/// A service a store offers.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub store_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub duration_min: i64,
    pub capacity: i64,
    pub active: i64,
}

impl ServiceRow {
    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh, &self.name_en)
    }

    pub fn is_active(&self) -> bool {
        self.active == 1
    }

    /// Its length in minutes (the column's CHECK keeps it within 5..=480).
    pub fn duration(&self) -> u16 {
        u16::try_from(self.duration_min).unwrap_or(0)
    }
}

const SERVICE_COLUMNS: &str =
    "id, store_id, slug, name_zh, name_en, duration_min, capacity, active";

/// A store's services, in the store's order (those not taking bookings too).
pub async fn services(db: &Db, store_id: i64) -> Result<Vec<ServiceRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE store_id = $1 ORDER BY position, id"
    ))
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?)
}

/// A store's service by its key.
pub async fn service(db: &Db, store_id: i64, slug: &str) -> Result<Option<ServiceRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE store_id = $1 AND slug = $2"
    ))
    .bind(store_id)
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?)
}

/// The places taken in a service's slots from `from` to `to` (starts): start → (booked,
/// capacity). A slot not in it has no booking yet, and the service's capacity.
pub async fn slot_bookings(
    db: &Db,
    service_id: i64,
    from: i64,
    to: i64,
) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT starts_at, booked, capacity FROM service_slots \
         WHERE service_id = $1 AND starts_at BETWEEN $2 AND $3",
    )
    .bind(service_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(s, b, c)| (s, (b, c))).collect())
}

/// Whether `starts_at` is the start of a slot `service` offers now (the only ones a form
/// may ask for: the pages list no other).
pub fn offers(store: &StoreRow, service: &ServiceRow, starts_at: i64) -> bool {
    store
        .calendar()
        .service_slots(service.duration())
        .iter()
        .any(|(s, _)| *s == starts_at)
}

/// A booking's time in its store's time, in the reader's language: `明天 10:00`.
pub fn when(store: &StoreRow, lang: Lang, starts_at: i64) -> String {
    store.calendar().label_instant(lang, starts_at)
}

/// The code of a booking: 10 digits of HMAC-SHA-256(key, "booking" ‖ id). Only the server
/// can make one, and the till checks it against the booking it names.
pub fn booking_code(key: &SigningKey, booking_id: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("any key size");
    mac.update(b"cloud-store/booking/v1\0");
    mac.update(booking_id.as_bytes());
    let tag = mac.finalize().into_bytes();
    let n = u64::from_be_bytes(tag[..8].try_into().expect("8 bytes"));
    format!("{:010}", n % 10_000_000_000)
}

/// Why a booking was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookRefusal {
    /// Every place in the slot is taken.
    Full,
    /// The member already holds a live booking of this service in this slot.
    AlreadyBooked,
    /// The service is not taking bookings.
    Unavailable,
}

/// Books a place in `service`'s slot at `starts_at` for `member_id` (the caller checks the
/// slot is one the service offers now): the new booking's id, or why not.
pub async fn book(
    db: &Db,
    key: &SigningKey,
    member_id: i64,
    service: &ServiceRow,
    starts_at: i64,
) -> Result<Result<String, BookRefusal>, AppError> {
    retrying(db, || book_once(db, key, member_id, service, starts_at)).await
}

/// One attempt of [`book`], in its own transaction.
async fn book_once(
    db: &Db,
    key: &SigningKey,
    member_id: i64,
    service: &ServiceRow,
    starts_at: i64,
) -> Result<Result<String, BookRefusal>, AppError> {
    let mut tx = db.pool.begin().await?;
    ensure_slot(&mut tx, service.id, starts_at).await?;
    if holds_live(&mut tx, member_id, service.id, starts_at).await? {
        return Ok(Err(BookRefusal::AlreadyBooked));
    }
    if let Err(refusal) = take_place(&mut tx, service.id, starts_at).await? {
        return Ok(Err(refusal));
    }
    let now = crate::ssr::session::now();
    // A code another booking of the store has already (about one in ten billion) is
    // refused by the unique index: then the booking gets another id, and so a new code.
    for _ in 0..3 {
        let id = appointments::booking_id(rand::random());
        let inserted = sqlx::query(
            "INSERT INTO bookings (id, member_id, store_id, service_id, starts_at, status, code, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'booked', $6, $7, $7) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(member_id)
        .bind(service.store_id)
        .bind(service.id)
        .bind(starts_at)
        .bind(booking_code(key, &id))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 1 {
            tx.commit().await?;
            return Ok(Ok(id));
        }
        // The same member booking the same slot at the same moment (another tab): the
        // other one's booking stands, and this one's place goes back with the rollback.
        if holds_live(&mut tx, member_id, service.id, starts_at).await? {
            return Ok(Err(BookRefusal::AlreadyBooked));
        }
    }
    tracing::error!("three booking ids in a row met a code already used");
    Err(AppError::Internal)
}

/// Makes the slot's row if it does not exist yet, with its service's capacity now (a
/// write: on SQLite the transaction holds the write lock from here).
async fn ensure_slot(tx: &mut Tx, service_id: i64, starts_at: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO service_slots (store_id, service_id, starts_at, capacity, booked) \
         SELECT store_id, id, $2, capacity, 0 FROM services WHERE id = $1 \
         ON CONFLICT (service_id, starts_at) DO NOTHING",
    )
    .bind(service_id)
    .bind(starts_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether the member holds a live booking of the service in the slot.
async fn holds_live(
    tx: &mut Tx,
    member_id: i64,
    service_id: i64,
    starts_at: i64,
) -> Result<bool, AppError> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM bookings WHERE member_id = $1 AND service_id = $2 AND starts_at = $3 AND status = 'booked'",
    )
    .bind(member_id)
    .bind(service_id)
    .bind(starts_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Takes one place in the slot if one is left and the service takes bookings.
async fn take_place(
    tx: &mut Tx,
    service_id: i64,
    starts_at: i64,
) -> Result<Result<(), BookRefusal>, AppError> {
    let taken = sqlx::query(
        "UPDATE service_slots SET booked = booked + 1 \
         WHERE service_id = $1 AND starts_at = $2 AND booked < capacity \
           AND EXISTS (SELECT 1 FROM services WHERE id = $1 AND active = 1)",
    )
    .bind(service_id)
    .bind(starts_at)
    .execute(&mut **tx)
    .await?;
    if taken.rows_affected() == 1 {
        return Ok(Ok(()));
    }
    let (active,): (i64,) = sqlx::query_as("SELECT active FROM services WHERE id = $1")
        .bind(service_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Err(if active == 1 {
        BookRefusal::Full
    } else {
        BookRefusal::Unavailable
    }))
}

/// Gives `n` places back to a slot.
async fn give_back(tx: &mut Tx, service_id: i64, starts_at: i64, n: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE service_slots SET booked = booked - $3 WHERE service_id = $1 AND starts_at = $2",
    )
    .bind(service_id)
    .bind(starts_at)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A live booking of `member_id`, locked for this transaction by a write (it must not
/// have started at `now`): its service and start.
async fn lock_live(
    tx: &mut Tx,
    member_id: i64,
    booking_id: &str,
    now: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "UPDATE bookings SET updated_at = $3 \
         WHERE id = $1 AND member_id = $2 AND status = 'booked' AND starts_at > $3 \
         RETURNING service_id, starts_at",
    )
    .bind(booking_id)
    .bind(member_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Why a booking was not moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveRefusal {
    /// Not the member's, cancelled, verified, or already started.
    NotChangeable,
    /// The new time is the one it has.
    SameSlot,
    /// The new slot is full (or the service stopped taking bookings).
    Full,
    /// The member already holds the new slot.
    AlreadyBooked,
}

/// Moves a member's booking to `new_start` (the caller checks the slot is one its service
/// offers now): the old place is given back only if the new one is taken.
pub async fn move_booking(
    db: &Db,
    member_id: i64,
    booking_id: &str,
    new_start: i64,
    now: i64,
) -> Result<Result<(), MoveRefusal>, AppError> {
    retrying(db, || move_once(db, member_id, booking_id, new_start, now)).await
}

/// One attempt of [`move_booking`].
async fn move_once(
    db: &Db,
    member_id: i64,
    booking_id: &str,
    new_start: i64,
    now: i64,
) -> Result<Result<(), MoveRefusal>, AppError> {
    let mut tx = db.pool.begin().await?;
    let Some((service_id, old_start)) = lock_live(&mut tx, member_id, booking_id, now).await?
    else {
        return Ok(Err(MoveRefusal::NotChangeable));
    };
    if old_start == new_start {
        return Ok(Err(MoveRefusal::SameSlot));
    }
    ensure_slot(&mut tx, service_id, new_start).await?;
    if holds_live(&mut tx, member_id, service_id, new_start).await? {
        return Ok(Err(MoveRefusal::AlreadyBooked));
    }
    if take_place(&mut tx, service_id, new_start).await?.is_err() {
        return Ok(Err(MoveRefusal::Full));
    }
    sqlx::query("UPDATE bookings SET starts_at = $2 WHERE id = $1")
        .bind(booking_id)
        .bind(new_start)
        .execute(&mut *tx)
        .await?;
    give_back(&mut tx, service_id, old_start, 1).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Cancels a member's booking that has not started: its place goes back, once. False
/// when it is not theirs, not live, or too late.
pub async fn cancel(db: &Db, member_id: i64, booking_id: &str, now: i64) -> Result<bool, AppError> {
    retrying(db, || cancel_once(db, member_id, booking_id, now)).await
}

async fn cancel_once(
    db: &Db,
    member_id: i64,
    booking_id: &str,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await?;
    let cancelled: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE bookings SET status = 'cancelled', updated_at = $3 \
         WHERE id = $1 AND member_id = $2 AND status = 'booked' AND starts_at > $3 \
         RETURNING service_id, starts_at",
    )
    .bind(booking_id)
    .bind(member_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((service_id, starts_at)) = cancelled else {
        return Ok(false);
    };
    give_back(&mut tx, service_id, starts_at, 1).await?;
    tx.commit().await?;
    Ok(true)
}

/// A booking the till verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub id: String,
    pub starts_at: i64,
    pub service_zh: String,
    pub service_en: String,
}

/// Why the till refused a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyRefusal {
    /// No booking of this store has it (or it is forged).
    Unknown,
    /// Verified already: a code is good once.
    AlreadyVerified,
    Cancelled,
    /// Past its grace period, or marked a no-show.
    Missed,
}

/// The till's check of a booking code (核销): marks the booking done, once. The code must
/// be the one the key makes for the booking it names; then a conditional update lets
/// exactly one of any number of concurrent scans through.
pub async fn verify(
    db: &Db,
    key: &SigningKey,
    store_id: i64,
    code: &str,
    now: i64,
) -> Result<Result<Verified, VerifyRefusal>, AppError> {
    retrying(db, || verify_once(db, key, store_id, code, now)).await
}

async fn verify_once(
    db: &Db,
    key: &SigningKey,
    store_id: i64,
    code: &str,
    now: i64,
) -> Result<Result<Verified, VerifyRefusal>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Found {
        id: String,
        #[sqlx(try_from = "String")]
        status: BookingStatus,
        starts_at: i64,
        name_zh: String,
        name_en: String,
    }
    let found: Option<Found> = sqlx::query_as(
        "SELECT b.id, b.status, b.starts_at, s.name_zh, s.name_en FROM bookings b \
         JOIN services s ON s.id = b.service_id WHERE b.store_id = $1 AND b.code = $2",
    )
    .bind(store_id)
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    let Some(found) = found.filter(|f| booking_code(key, &f.id) == code) else {
        return Ok(Err(VerifyRefusal::Unknown));
    };
    let refusal = |status| match status {
        BookingStatus::Done => VerifyRefusal::AlreadyVerified,
        BookingStatus::Cancelled => VerifyRefusal::Cancelled,
        BookingStatus::NoShow | BookingStatus::Booked => VerifyRefusal::Missed,
    };
    if found.status != BookingStatus::Booked || !appointments::verifiable(found.starts_at, now) {
        return Ok(Err(refusal(found.status)));
    }
    let done = sqlx::query(
        "UPDATE bookings SET status = 'done', updated_at = $2 \
         WHERE id = $1 AND status = 'booked' AND starts_at >= $3",
    )
    .bind(&found.id)
    .bind(now)
    .bind(appointments::no_show_before(now))
    .execute(&db.pool)
    .await?;
    if done.rows_affected() != 1 {
        // Another till (or the sweep) got there first: say what it came to.
        let (status,): (String,) = sqlx::query_as("SELECT status FROM bookings WHERE id = $1")
            .bind(&found.id)
            .fetch_one(&db.pool)
            .await?;
        let status = BookingStatus::try_from(status).map_err(|e| {
            tracing::error!(value = %e.value, "a booking with an unknown status");
            AppError::Internal
        })?;
        return Ok(Err(refusal(status)));
    }
    Ok(Ok(Verified {
        id: found.id,
        starts_at: found.starts_at,
        service_zh: found.name_zh,
        service_en: found.name_en,
    }))
}

/// How many bookings the no-show sweep marks in one transaction.
const SWEEP_BATCH: i64 = 500;

/// Marks bookings still `booked` past their grace period as no-shows and gives their
/// places back, in one transaction per batch: each booking once, however many servers
/// sweep at once (the status condition is checked again on the locked rows). Returns how
/// many were marked.
pub async fn sweep_no_shows(db: &Db, now: i64) -> Result<u64, AppError> {
    let mut marked = 0;
    loop {
        let n = retrying(db, || sweep_once(db, now)).await?;
        marked += n;
        if n < SWEEP_BATCH as u64 {
            return Ok(marked);
        }
    }
}

async fn sweep_once(db: &Db, now: i64) -> Result<u64, AppError> {
    let mut tx = db.pool.begin().await?;
    let before = appointments::no_show_before(now);
    let freed: Vec<(i64, i64)> = sqlx::query_as(
        "UPDATE bookings SET status = 'no_show', updated_at = $1 \
         WHERE status = 'booked' AND starts_at < $2 AND id IN \
           (SELECT id FROM bookings WHERE status = 'booked' AND starts_at < $2 ORDER BY starts_at LIMIT $3) \
         RETURNING service_id, starts_at",
    )
    .bind(now)
    .bind(before)
    .bind(SWEEP_BATCH)
    .fetch_all(&mut *tx)
    .await?;
    let mut per_slot: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for slot in &freed {
        *per_slot.entry(*slot).or_default() += 1;
    }
    // In slot order, so two sweepers never lock the same slots in opposite orders.
    for ((service_id, starts_at), n) in per_slot {
        give_back(&mut tx, service_id, starts_at, n).await?;
    }
    tx.commit().await?;
    Ok(freed.len() as u64)
}

/// A member's booking with its service.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BookingRow {
    pub id: String,
    pub store_id: i64,
    pub service_id: i64,
    pub service_slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub duration_min: i64,
    pub starts_at: i64,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    pub code: String,
}

impl BookingRow {
    pub fn service_name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh, &self.name_en)
    }
}

/// A member's bookings: live ones first, soonest first; then the rest, latest first (at
/// most 50).
pub async fn member_bookings(db: &Db, member_id: i64) -> Result<Vec<BookingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.store_id, b.service_id, s.slug AS service_slug, s.name_zh, s.name_en, \
                s.duration_min, b.starts_at, b.status, b.code \
         FROM bookings b JOIN services s ON s.id = b.service_id WHERE b.member_id = $1 \
         ORDER BY CASE WHEN b.status = 'booked' THEN 0 ELSE 1 END, \
                  CASE WHEN b.status = 'booked' THEN b.starts_at ELSE -b.starts_at END, b.id \
         LIMIT 50",
    )
    .bind(member_id)
    .fetch_all(&db.pool)
    .await?)
}

/// One of a member's bookings (`None`: no such booking, or not theirs).
pub async fn member_booking(
    db: &Db,
    member_id: i64,
    booking_id: &str,
) -> Result<Option<BookingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.store_id, b.service_id, s.slug AS service_slug, s.name_zh, s.name_en, \
                s.duration_min, b.starts_at, b.status, b.code \
         FROM bookings b JOIN services s ON s.id = b.service_id WHERE b.member_id = $1 AND b.id = $2",
    )
    .bind(member_id)
    .bind(booking_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// A booking of the store's day, for the console.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoreBookingRow {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub starts_at: i64,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    pub phone: String,
}

/// The store's bookings starting from `from` to `to`, not cancelled, in time order.
pub async fn store_bookings(
    db: &Db,
    store_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<StoreBookingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, s.name_zh, s.name_en, b.starts_at, b.status, m.phone \
         FROM bookings b JOIN services s ON s.id = b.service_id JOIN members m ON m.id = b.member_id \
         WHERE b.store_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3 AND b.status <> 'cancelled' \
         ORDER BY b.starts_at, s.position, b.id LIMIT 500",
    )
    .bind(store_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?)
}

/// How many times an optimistic change is tried against concurrent ones.
const TRIES: usize = 5;

/// Sets a service's capacity per slot and whether it takes bookings, with its audit entry
/// in the same transaction. Slots to come take the new capacity, but never below their
/// bookings: lowering it stops new bookings and cancels none.
pub async fn set_service(
    db: &Db,
    service: &ServiceRow,
    staff_id: i64,
    capacity: i64,
    active: bool,
    now: i64,
) -> Result<Saved, AppError> {
    retrying(db, || {
        set_service_once(db, service, staff_id, capacity, active, now)
    })
    .await
}

async fn set_service_once(
    db: &Db,
    service: &ServiceRow,
    staff_id: i64,
    capacity: i64,
    active: bool,
    now: i64,
) -> Result<Saved, AppError> {
    let active = i64::from(active);
    for _ in 0..TRIES {
        let (old_capacity, old_active): (i64, i64) =
            sqlx::query_as("SELECT capacity, active FROM services WHERE id = $1")
                .bind(service.id)
                .fetch_one(&db.pool)
                .await?;
        if (old_capacity, old_active) == (capacity, active) {
            return Ok(Saved::Unchanged);
        }
        let mut tx = db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE services SET capacity = $2, active = $3 \
             WHERE id = $1 AND capacity = $4 AND active = $5",
        )
        .bind(service.id)
        .bind(capacity)
        .bind(active)
        .bind(old_capacity)
        .bind(old_active)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            continue;
        }
        sqlx::query(
            "UPDATE service_slots SET capacity = CASE WHEN booked > $2 THEN booked ELSE $2 END \
             WHERE service_id = $1 AND starts_at > $3",
        )
        .bind(service.id)
        .bind(capacity)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let said = |c: i64, a: i64| format!("capacity={c} active={a}");
        audit::record(
            &mut *tx,
            &Change {
                store_id: Some(service.store_id),
                staff_id,
                action: "service",
                subject: &service.slug,
                before: &said(old_capacity, old_active),
                after: &said(capacity, active),
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(Saved::Changed);
    }
    Err(AppError::Contended)
}

/// The demo services every seeded store offers: (key, zh, en, minutes, capacity).
pub const DEMO_SERVICES: [(&str, &str, &str, i64, i64); 3] = [
    (
        "fitting-room",
        "专属试衣间",
        "Fitting room held for you",
        30,
        2,
    ),
    ("makeup-trial", "试妆", "Makeup trial", 45, 1),
    ("skin-test", "肤质检测", "Skin test", 20, 1),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_digits_of_the_key_and_the_id() {
        let key = SigningKey::from_secret("a signing secret that is long enough here").unwrap();
        let other = SigningKey::from_secret("another secret that is long enough here").unwrap();
        let code = booking_code(&key, "BK0000000000AA");
        assert_eq!(code.len(), 10);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(code, booking_code(&key, "BK0000000000AA"));
        assert_ne!(code, booking_code(&key, "BK0000000000AB"));
        assert_ne!(code, booking_code(&other, "BK0000000000AA"));
        assert_ne!(
            code,
            crate::ssr::checkout::pickup_code(&key, "BK0000000000AA"),
            "a pick-up code is not a booking code"
        );
    }
}
