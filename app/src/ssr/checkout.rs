//! Placing and cancelling orders (server). One transaction books everything or nothing:
//!
//! 1. the order row goes in first, keyed by the form's idempotency key — a write, so on
//!    SQLite the transaction takes the database's write lock here (as `BEGIN IMMEDIATE`
//!    would), and on PostgreSQL a second request with the same key waits on that key;
//!    then the store's terms are read: a pause that stops this kind of order refuses it,
//!    and the store's delivery fee and free-delivery threshold price it;
//! 2. each line takes its stock with a conditional update (`stock >= quantity`);
//! 3. a delivery books its window with a conditional update (`booked < capacity`);
//! 4. totals are written and the bag's lines at that store are cleared.
//!
//! Any refusal rolls it all back. CHECK constraints (`stock >= 0`, `booked <= capacity`)
//! stand behind the conditional updates as a last line.

use crate::domain::console::{PauseScope, pause_in_force};
use crate::domain::money::{Currency, Money};
use crate::domain::ops::EventKind;
use crate::domain::order::{DeliveryPricing, Mode, Status};
use crate::domain::payment::{PaidMethod, Payment, RefundReason};
use crate::error::AppError;
use crate::ssr::coupons;
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use crate::ssr::ops::events;
use crate::ssr::payments::{self, Plan};
use crate::ssr::session::now;
use crate::ssr::settings::SigningKey;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Orders a window takes before it is full, until its store sets another: the
/// `stores.window_capacity` column's default. New windows take their store's
/// (see [`ensure_windows`]).
pub const WINDOW_CAPACITY: i64 = 10;

/// What the shopper asked for.
#[derive(Clone, Debug)]
pub struct OrderRequest {
    pub owner: String,
    pub store_id: i64,
    pub idempotency_key: String,
    pub mode: Mode,
    /// Delivery: the window's start and end.
    pub window: Option<(i64, i64)>,
    /// Pick-up: when.
    pub pickup_at: Option<i64>,
    pub address: Option<String>,
    pub location: Option<(f64, f64)>,
    pub contact_name: String,
    pub phone: String,
    /// (product id, quantity), as in the bag.
    pub lines: Vec<(i64, i64)>,
    /// The guide credited with the sale.
    pub guide_code: Option<String>,
    /// The signed-in member, and the coupon they chose to use.
    pub member_id: Option<i64>,
    pub coupon_id: Option<i64>,
}

impl OrderRequest {
    /// Everything that makes two submissions "the same order".
    pub fn fingerprint(&self) -> String {
        let mut lines = self.lines.clone();
        lines.sort_unstable();
        let text = format!(
            "{}|{}|{:?}|{:?}|{:?}|{:?}",
            self.store_id,
            self.mode.as_str(),
            self.window,
            self.pickup_at,
            lines,
            self.coupon_id
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placed {
    /// A new order.
    New(String),
    /// The same key and the same order again: the first one's id.
    Again(String),
}

impl Placed {
    pub fn id(&self) -> &str {
        match self {
            Placed::New(id) | Placed::Again(id) => id,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    EmptyBag,
    /// Not enough of this product (id) left.
    OutOfStock(i64),
    WindowFull,
    /// The window does not exist at this store.
    NoSuchWindow,
    /// The key was used for a different order.
    KeyReused,
    /// The coupon is used, expired, not the member's, not for this store or these goods,
    /// or the order is below its minimum.
    CouponGone,
    /// The store paused new orders of this kind (deliveries, or all).
    Paused(PauseScope),
}

/// A new order id: `CS` and 12 characters of Crockford base32 (60 random bits).
fn new_order_id() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut n: u64 = rand::random();
    let mut id = String::from("CS");
    for _ in 0..12 {
        id.push(ALPHABET[(n % 32) as usize] as char);
        n /= 32;
    }
    id
}

/// The pick-up code of an order: 10 digits of HMAC-SHA-256(key, "pickup" ‖ order id).
/// Only the server can make one, and it is checked against the order it names.
pub fn pickup_code(key: &SigningKey, order_id: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("any key size");
    mac.update(b"cloud-store/pickup/v1\0");
    mac.update(order_id.as_bytes());
    let tag = mac.finalize().into_bytes();
    let n = u64::from_be_bytes(tag[..8].try_into().expect("8 bytes"));
    format!("{:010}", n % 10_000_000_000)
}

/// Places an order the app takes no payment for (payment off), in one transaction (see
/// the module's steps), or says why not.
pub async fn place(
    db: &Db,
    key: &SigningKey,
    req: &OrderRequest,
) -> Result<Result<Placed, Refusal>, AppError> {
    place_with(db, key, req, Plan::None).await
}

/// Places an order to be paid as `plan` says: online (awaiting payment, everything it
/// takes held until the hold ends), at the store, or not through the app.
pub async fn place_with(
    db: &Db,
    key: &SigningKey,
    req: &OrderRequest,
    plan: Plan,
) -> Result<Result<Placed, Refusal>, AppError> {
    retrying(db, || place_once(db, key, req, plan)).await
}

/// One attempt of [`place_with`], in its own transaction.
async fn place_once(
    db: &Db,
    key: &SigningKey,
    req: &OrderRequest,
    plan: Plan,
) -> Result<Result<Placed, Refusal>, AppError> {
    if req.lines.is_empty() {
        return Ok(Err(Refusal::EmptyBag));
    }
    let fingerprint = req.fingerprint();
    let id = new_order_id();
    let mut tx = db.pool.begin().await?;
    if !insert_order(&mut tx, &id, req, &fingerprint, plan).await? {
        drop(tx);
        return again(db, req, &fingerprint).await;
    }
    let pricing = match store_terms(&mut tx, req).await? {
        Ok(pricing) => pricing,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let subtotal = match take_stock(&mut tx, &id, req).await? {
        Ok(subtotal) => subtotal,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if let Some((start, _)) = req.window
        && let Err(refusal) = book_window(&mut tx, req.store_id, start).await?
    {
        return Ok(Err(refusal));
    }
    let discount = match take_coupon(&mut tx, &id, req).await? {
        Ok(discount) => discount,
        Err(refusal) => return Ok(Err(refusal)),
    };
    touch_store_member(&mut tx, req, now()).await?;
    let totals = Totals::of(req.mode, subtotal, discount, pricing);
    write_totals(&mut tx, key, &id, req, &totals).await?;
    if totals.total == 0 && matches!(plan, Plan::Online { .. }) {
        // A coupon covered everything: nothing to pay, nothing to hold.
        sqlx::query(
            "UPDATE orders SET payment = 'paid', pay_by = NULL, paid_at = $1 WHERE id = $2",
        )
        .bind(now())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM bag_lines WHERE owner = $1 AND store_id = $2")
        .bind(&req.owner)
        .bind(req.store_id)
        .execute(&mut *tx)
        .await?;
    // The outbox: the order's events commit with it.
    events::emit(&mut tx, &id, EventKind::Placed).await?;
    if totals.total == 0 && matches!(plan, Plan::Online { .. }) {
        events::emit(&mut tx, &id, EventKind::Paid).await?;
    }
    tx.commit().await?;
    Ok(Ok(Placed::New(id)))
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Step 1: the order row under its idempotency key. False when the key was seen before.
async fn insert_order(
    tx: &mut Tx,
    id: &str,
    req: &OrderRequest,
    fingerprint: &str,
    plan: Plan,
) -> Result<bool, AppError> {
    let at = now();
    let (payment, pay_by) = plan.columns(at);
    let inserted = sqlx::query(
        "INSERT INTO orders (id, owner, store_id, mode, status, window_start, window_end, pickup_at, \
           address, lat, lon, contact_name, phone, subtotal_minor, delivery_fee_minor, total_minor, \
           currency, idempotency_key, fingerprint, created_at, guide_code, payment, pay_by) \
         VALUES ($1, $2, $3, $4, 'placed', $5, $6, $7, $8, $9, $10, $11, $12, 0, 0, 0, 'CNY', $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    // Not a cached statement: sqlx 0.8.6's `Any` driver sends a NULL `f64` (a pick-up's
    // missing lat/lon) typed as a 4-byte float, PostgreSQL prepares the statement so, and
    // the next delivery's 8-byte coordinates on that connection were refused (a 500).
    // Unnamed, the statement is typed by each execution's own arguments.
    .persistent(false)
    .bind(id)
    .bind(&req.owner)
    .bind(req.store_id)
    .bind(req.mode.as_str())
    .bind(req.window.map(|w| w.0))
    .bind(req.window.map(|w| w.1))
    .bind(req.pickup_at)
    .bind(req.address.as_deref())
    .bind(req.location.map(|l| l.0))
    .bind(req.location.map(|l| l.1))
    .bind(&req.contact_name)
    .bind(&req.phone)
    .bind(&req.idempotency_key)
    .bind(fingerprint)
    .bind(at)
    .bind(req.guide_code.as_deref())
    .bind(payment.as_str())
    .bind(pay_by)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Step 1, continued: the store's terms now. A pause that stops this kind of order
/// refuses it (read in the order's transaction: a pause committed before this read
/// is seen; one committed a moment after lets this order through, as it would have
/// been placed first).
async fn store_terms(
    tx: &mut Tx,
    req: &OrderRequest,
) -> Result<Result<DeliveryPricing, Refusal>, AppError> {
    let (fee, free_from, paused_until, paused_modes): (i64, i64, Option<i64>, String) =
        sqlx::query_as(
            "SELECT delivery_fee_minor, free_delivery_from_minor, paused_until, paused_modes \
             FROM stores WHERE id = $1",
        )
        .bind(req.store_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound(crate::error::Missing::Store))?;
    if let Some((scope, _)) = pause_in_force(paused_until, &paused_modes, now())
        && scope.stops(req.mode)
    {
        return Ok(Err(Refusal::Paused(scope)));
    }
    Ok(Ok(DeliveryPricing {
        fee: Money::cny(fee),
        free_from: Money::cny(free_from),
    }))
}

/// Step 2: each line takes its stock (`stock >= quantity`) at the store's price now.
/// Returns the subtotal in fen.
async fn take_stock(
    tx: &mut Tx,
    id: &str,
    req: &OrderRequest,
) -> Result<Result<i64, Refusal>, AppError> {
    let mut subtotal: i64 = 0;
    for &(product_id, quantity) in &req.lines {
        let taken: Option<(i64,)> = sqlx::query_as(
            "UPDATE offers SET stock = stock - $1, version = version + 1 \
             WHERE store_id = $2 AND product_id = $3 AND stock >= $1 RETURNING price_minor",
        )
        .bind(quantity)
        .bind(req.store_id)
        .bind(product_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((price,)) = taken else {
            return Ok(Err(Refusal::OutOfStock(product_id)));
        };
        sqlx::query(
            "INSERT INTO order_lines (order_id, product_id, quantity, price_minor) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(product_id)
        .bind(quantity)
        .bind(price)
        .execute(&mut **tx)
        .await?;
        subtotal = subtotal.saturating_add(price.saturating_mul(quantity));
    }
    Ok(Ok(subtotal))
}

/// Step 3: a delivery books its window (`booked < capacity`).
async fn book_window(
    tx: &mut Tx,
    store_id: i64,
    start: i64,
) -> Result<Result<(), Refusal>, AppError> {
    let booked = sqlx::query(
        "UPDATE delivery_windows SET booked = booked + 1 \
         WHERE store_id = $1 AND starts_at = $2 AND booked < capacity",
    )
    .bind(store_id)
    .bind(start)
    .execute(&mut **tx)
    .await?;
    if booked.rows_affected() == 1 {
        return Ok(Ok(()));
    }
    let exists: Option<(i64,)> = sqlx::query_as(
        "SELECT capacity FROM delivery_windows WHERE store_id = $1 AND starts_at = $2",
    )
    .bind(store_id)
    .bind(start)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(Err(if exists.is_some() {
        Refusal::WindowFull
    } else {
        Refusal::NoSuchWindow
    }))
}

/// Step 4: the member's coupon, taken like stock: once, by a conditional update, after
/// its terms (days, store, categories, minimum) are checked against the order's lines.
/// Returns the discount in fen (0 without a coupon).
async fn take_coupon(
    tx: &mut Tx,
    id: &str,
    req: &OrderRequest,
) -> Result<Result<i64, Refusal>, AppError> {
    let (Some(coupon), Some(member)) = (req.coupon_id, req.member_id) else {
        return Ok(Ok(0));
    };
    Ok(
        match coupons::claim_for_order(tx, coupon, member, req.store_id, id, now()).await? {
            Ok(discount) => Ok(discount),
            Err(_) => Err(Refusal::CouponGone),
        },
    )
}

/// A member's order makes them a member of the store, last ordered now.
async fn touch_store_member(tx: &mut Tx, req: &OrderRequest, at: i64) -> Result<(), AppError> {
    let Some(member) = req.member_id else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO store_members (store_id, member_id, guide_code, since, last_order_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (store_id, member_id) DO UPDATE SET last_order_at = $4",
    )
    .bind(req.store_id)
    .bind(member)
    .bind(req.guide_code.as_deref())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An order's money in fen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: i64,
    pub fee: i64,
    pub discount: i64,
    pub total: i64,
}

impl Totals {
    /// A delivery pays the store's fee below its threshold (on the subtotal before any
    /// coupon, as the checkout page shows it).
    pub fn of(mode: Mode, subtotal: i64, discount: i64, pricing: DeliveryPricing) -> Self {
        let fee = match mode {
            Mode::Delivery => pricing.fee_for(Money::cny(subtotal)).minor,
            Mode::Pickup => 0,
        };
        Totals {
            subtotal,
            fee,
            discount,
            total: subtotal - discount + fee,
        }
    }
}

/// Step 5: totals, the pick-up code, the member and coupon on the order row.
async fn write_totals(
    tx: &mut Tx,
    key: &SigningKey,
    id: &str,
    req: &OrderRequest,
    totals: &Totals,
) -> Result<(), AppError> {
    let code = (req.mode == Mode::Pickup).then(|| pickup_code(key, id));
    sqlx::query(
        "UPDATE orders SET subtotal_minor = $1, delivery_fee_minor = $2, total_minor = $3, pickup_code = $4, \
           member_id = $5, coupon_id = $6, discount_minor = $7 WHERE id = $8",
    )
    .bind(totals.subtotal)
    .bind(totals.fee)
    .bind(totals.total)
    .bind(code)
    .bind(req.member_id)
    .bind(req.coupon_id.filter(|_| totals.discount > 0))
    .bind(totals.discount)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The key was seen before: the same order again is that order; anything else is refused.
async fn again(
    db: &Db,
    req: &OrderRequest,
    fingerprint: &str,
) -> Result<Result<Placed, Refusal>, AppError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, owner, fingerprint FROM orders WHERE idempotency_key = $1")
            .bind(&req.idempotency_key)
            .fetch_optional(&db.pool)
            .await?;
    Ok(match row {
        Some((id, owner, fp)) if owner == req.owner && fp == fingerprint => Ok(Placed::Again(id)),
        _ => Err(Refusal::KeyReused),
    })
}

/// The order this owner placed with this idempotency key, if any.
pub async fn order_for_key(db: &Db, owner: &str, key: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM orders WHERE idempotency_key = $1 AND owner = $2")
            .bind(key)
            .bind(owner)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Cancels an order of `owner` that is not yet being prepared: stock, window and coupon go
/// back, and a paid order's money is asked back (a pending refund, in the same
/// transaction: settle it with `payments::settle_refunds` once this returns). Returns
/// false when it is too late (or not theirs).
pub async fn cancel(db: &Db, owner: &str, order_id: &str) -> Result<bool, AppError> {
    retrying(db, || cancel_once(db, owner, order_id)).await
}

/// One attempt of [`cancel`], in its own transaction.
async fn cancel_once(db: &Db, owner: &str, order_id: &str) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE orders SET status = 'cancelled', cancelled_by = 'shopper', status_at = $3 WHERE id = $1 AND owner = $2 AND status = 'placed'",
    )
    .bind(order_id)
    .bind(owner)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    give_back(&mut tx, order_id).await?;
    payments::refund_cancelled(&mut tx, order_id, RefundReason::ShopperCancel).await?;
    events::emit(&mut tx, order_id, EventKind::Cancelled).await?;
    tx.commit().await?;
    Ok(true)
}

/// What a cancelled order held goes back, in the cancelling transaction: its stock, its
/// delivery window's place, its coupon; points it earned (none before it completes) are
/// taken back.
pub async fn give_back(tx: &mut Tx, order_id: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE offers SET version = version + 1, stock = stock + (SELECT l.quantity FROM order_lines l \
           WHERE l.order_id = $1 AND l.product_id = offers.product_id) \
         WHERE store_id = (SELECT store_id FROM orders WHERE id = $1) \
           AND product_id IN (SELECT product_id FROM order_lines WHERE order_id = $1)",
    )
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE delivery_windows SET booked = booked - 1 \
         WHERE (store_id, starts_at) IN (SELECT store_id, window_start FROM orders WHERE id = $1 AND mode = 'delivery')",
    )
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    // The coupon comes back, and the points earned go.
    sqlx::query(
        "UPDATE coupons SET used_at = NULL WHERE id = (SELECT coupon_id FROM orders WHERE id = $1)",
    )
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO points_ledger (member_id, delta, reason, store_id, at) \
         SELECT member_id, -points_earned, 'cancelled', store_id, $2 FROM orders \
         WHERE id = $1 AND member_id IS NOT NULL AND points_earned > 0",
    )
    .bind(order_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE orders SET points_earned = 0 WHERE id = $1")
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Makes the store's delivery windows that do not exist yet (each with the store's
/// `window_capacity` now); existing ones keep their bookings and capacity. Returns every
/// window's bookings: start → (booked, capacity), read in the same pass.
pub async fn ensure_windows(
    db: &Db,
    store_id: i64,
    windows: &[(i64, i64)],
) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    retrying(db, || ensure_windows_once(db, store_id, windows)).await
}

/// One attempt of [`ensure_windows`].
async fn ensure_windows_once(
    db: &Db,
    store_id: i64,
    windows: &[(i64, i64)],
) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    let (Some(first), Some(last)) = (windows.first(), windows.last()) else {
        return Ok(HashMap::new());
    };
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT starts_at, booked, capacity FROM delivery_windows \
         WHERE store_id = $1 AND starts_at BETWEEN $2 AND $3",
    )
    .bind(store_id)
    .bind(first.0)
    .bind(last.0)
    .fetch_all(&db.pool)
    .await?;
    let mut bookings: HashMap<i64, (i64, i64)> =
        rows.into_iter().map(|(s, b, c)| (s, (b, c))).collect();
    let missing: Vec<&(i64, i64)> = windows
        .iter()
        .filter(|w| !bookings.contains_key(&w.0))
        .collect();
    if missing.is_empty() {
        return Ok(bookings);
    }
    let (capacity,): (i64,) = sqlx::query_as("SELECT window_capacity FROM stores WHERE id = $1")
        .bind(store_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound(crate::error::Missing::Store))?;
    for chunk in missing.chunks(100) {
        let mut sql = String::from(
            "INSERT INTO delivery_windows (store_id, starts_at, ends_at, capacity, booked) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, 0)",
                b + 1,
                b + 2,
                b + 3,
                b + 4
            ));
        }
        sql.push_str(" ON CONFLICT (store_id, starts_at) DO NOTHING");
        let mut query = sqlx::query(&sql);
        for (start, end) in chunk {
            query = query.bind(store_id).bind(*start).bind(*end).bind(capacity);
            // Another server may have made it a moment ago; either way it starts empty
            // or nearly so, and the booking itself is checked by the order's transaction.
            bookings.insert(*start, (0, capacity));
        }
        query.execute(&db.pool).await?;
    }
    Ok(bookings)
}

/// Why the till could not hand an order over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectRefusal {
    /// Unknown, forged, used or cancelled code.
    BadCode,
    /// The order is waiting for its online payment.
    Unpaid,
    /// A pay-at-store order: the till must say how it was paid (cash or card).
    NeedsPayment,
}

/// The till's check of a pick-up code: marks the order collected, once. The code must
/// be one the key makes for the order it names; then a conditional update lets exactly one
/// of any number of concurrent scans through. Returns the order id, or `None` for an
/// unknown, forged, used or cancelled code, or an order that is not paid.
pub async fn collect(
    db: &Db,
    key: &SigningKey,
    store_id: i64,
    code: &str,
) -> Result<Option<String>, AppError> {
    Ok(collect_with(db, key, store_id, code, None).await?.ok())
}

/// [`collect`], with how the shopper paid at the till (a pay-at-store order needs it;
/// a paid one ignores it). Completing the order earns its points.
pub async fn collect_with(
    db: &Db,
    key: &SigningKey,
    store_id: i64,
    code: &str,
    paid: Option<PaidMethod>,
) -> Result<Result<String, CollectRefusal>, AppError> {
    retrying(db, || collect_once(db, key, store_id, code, paid)).await
}

/// One attempt of [`collect_with`].
async fn collect_once(
    db: &Db,
    key: &SigningKey,
    store_id: i64,
    code: &str,
    paid: Option<PaidMethod>,
) -> Result<Result<String, CollectRefusal>, AppError> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT id, payment FROM orders WHERE store_id = $1 AND pickup_code = $2 AND mode = 'pickup'",
    )
    .bind(store_id)
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, payment)) = found.filter(|(id, _)| pickup_code(key, id) == code) else {
        return Ok(Err(CollectRefusal::BadCode));
    };
    let at_till = paid.filter(|m| PaidMethod::AT_TILL.contains(m));
    match Payment::parse(&payment) {
        Some(Payment::Awaiting | Payment::Expired) => return Ok(Err(CollectRefusal::Unpaid)),
        Some(Payment::AtStore) if at_till.is_none() => {
            return Ok(Err(CollectRefusal::NeedsPayment));
        }
        _ => {}
    }
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE orders SET status = 'completed', collected_at = $1, status_at = $1 \
         WHERE id = $2 AND collected_at IS NULL AND status IN ('placed', 'preparing', 'ready') \
           AND payment = $3",
    )
    .bind(now())
    .bind(&id)
    .bind(&payment)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Err(CollectRefusal::BadCode));
    }
    if payment == Payment::AtStore.as_str()
        && let Some(method) = at_till
    {
        sqlx::query(
            "UPDATE orders SET payment = 'paid', paid_method = $1, paid_at = $2 WHERE id = $3",
        )
        .bind(method.as_str())
        .bind(now())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        events::emit(&mut tx, &id, EventKind::Paid).await?;
    }
    payments::earn_points(&mut tx, &id).await?;
    events::emit(&mut tx, &id, EventKind::Status).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

#[derive(Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub id: String,
    pub owner: String,
    pub store_id: i64,
    #[sqlx(try_from = "String")]
    pub mode: Mode,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    pub pickup_at: Option<i64>,
    pub address: Option<String>,
    pub contact_name: String,
    pub phone: String,
    pub subtotal_minor: i64,
    pub delivery_fee_minor: i64,
    pub discount_minor: i64,
    pub total_minor: i64,
    #[sqlx(try_from = "String")]
    pub currency: Currency,
    pub pickup_code: Option<String>,
    pub created_at: i64,
    pub guide_code: Option<String>,
}

pub async fn order(db: &Db, id: &str) -> Result<Option<OrderRow>, AppError> {
    Ok(sqlx::query_as::<_, OrderRow>(
        "SELECT id, owner, store_id, mode, status, window_start, window_end, pickup_at, address, \
                contact_name, phone, subtotal_minor, delivery_fee_minor, discount_minor, total_minor, currency, \
                pickup_code, created_at, guide_code \
         FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

impl OrderRow {
    pub fn money(&self, minor: i64) -> Money {
        Money {
            minor,
            currency: self.currency,
        }
    }
}

/// One line of an order, with its product's names.
#[derive(Debug, sqlx::FromRow)]
pub struct OrderLineRow {
    pub sku: String,
    pub name_zh: String,
    pub name_en: String,
    pub image: String,
    #[sqlx(try_from = "i64")]
    pub quantity: u32,
    pub price_minor: i64,
}

pub async fn order_lines(db: &Db, id: &str) -> Result<Vec<OrderLineRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.sku, p.name_zh, p.name_en, p.image, l.quantity, l.price_minor \
         FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 ORDER BY p.sku",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// The store's windows that are full now, from `after` on (start times).
pub async fn full_windows(db: &Db, store_id: i64, after: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT starts_at FROM delivery_windows WHERE store_id = $1 AND starts_at > $2 \
         AND booked >= capacity ORDER BY starts_at",
    )
    .bind(store_id)
    .bind(after)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

/// An open order in the till's queue.
#[derive(Debug, sqlx::FromRow)]
pub struct QueuedOrder {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub mode: Mode,
    #[sqlx(try_from = "String")]
    pub status: Status,
    /// The window's start or the pick-up time.
    pub at: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub items: u32,
    #[sqlx(try_from = "String")]
    pub payment: payments::PaymentCol,
}

/// The store's orders not yet completed or cancelled, soonest first (at most 50).
pub async fn open_orders(db: &Db, store_id: i64) -> Result<Vec<QueuedOrder>, AppError> {
    Ok(sqlx::query_as::<_, QueuedOrder>(
        "SELECT o.id, o.mode, o.status, COALESCE(o.window_start, o.pickup_at) AS at, \
                CAST(COALESCE((SELECT SUM(l.quantity) FROM order_lines l WHERE l.order_id = o.id), 0) AS BIGINT) AS items, \
                o.payment \
         FROM orders o WHERE o.store_id = $1 AND o.status NOT IN ('completed', 'cancelled') \
         ORDER BY COALESCE(o.window_start, o.pickup_at), o.id LIMIT 50",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?)
}
