//! Checkout, orders and the till (server functions; types shared). Placing an order,
//! cancelling and the till's actions are form posts (see the server's `forms`); these
//! functions read what the pages show.

use crate::domain::bag::StoreBag;
use crate::domain::money::Money;
use crate::domain::order::{Mode, Status};
use crate::domain::store::StoreCard;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The checkout form as last posted, with what was wrong (kept for browsers without
/// JavaScript, which come back to the page after a post).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub mode: Option<String>,
    pub place: Option<String>,
    pub address: String,
    pub window: Option<i64>,
    pub pickup_at: Option<i64>,
    pub name: String,
    pub phone: String,
    /// (field, message) for each field in error.
    pub errors: Vec<(String, String)>,
    /// A problem with the order as a whole (a window just filled, stock ran out).
    pub problem: Option<String>,
}

impl Draft {
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowOption {
    pub starts_at: i64,
    /// `今天`, `明天`, …: windows are grouped by it.
    pub day: String,
    pub time: String,
    pub full: bool,
    pub past_cutoff: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutPage {
    pub store: StoreCard,
    pub bag: Option<StoreBag>,
    pub windows: Vec<WindowOption>,
    pub pickup_times: Vec<(i64, String)>,
    pub earliest_pickup: Option<String>,
    /// Said when the store is closed now.
    pub closed_note: Option<String>,
    /// Districts to deliver to: (key, name).
    pub places: Vec<(String, String)>,
    /// The shopper shared a location this session.
    pub has_location: bool,
    pub draft: Draft,
    /// A fresh idempotency key for this rendering of the form.
    pub key: String,
    pub delivery_fee: Money,
    /// A signed-in member's coupon: (id, terms, value, usable on this bag).
    pub coupon: Option<(i64, String, Money, bool)>,
}

#[server]
pub async fn get_checkout(store: String) -> Result<CheckoutPage, AppError> {
    server::checkout_page(store).await
}

/// Which of the store's windows are full now (for the page's live refresh).
#[server]
pub async fn get_full_windows(store: String) -> Result<Vec<i64>, AppError> {
    server::full_windows(store).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub sku: String,
    pub name: String,
    pub image: String,
    pub quantity: u32,
    pub price: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub store_slug: String,
    pub store_name: String,
    pub mode: Mode,
    pub status: Status,
    /// The window or the pick-up time, in the store's local time.
    pub when: String,
    pub address: Option<String>,
    pub contact: String,
    pub lines: Vec<OrderLineView>,
    pub subtotal: Money,
    pub delivery_fee: Money,
    pub discount: Money,
    pub total: Money,
    /// Pick-up: the code's digits and its QR (inline SVG), until collected.
    pub pickup_code: Option<String>,
    pub pickup_qr: Option<String>,
    /// The guide credited with the sale.
    pub guide: Option<String>,
}

/// An order, for the shopper who placed it only (anyone else gets a 404).
#[server]
pub async fn get_order(id: String) -> Result<OrderView, AppError> {
    server::order_view(id).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillOrder {
    pub id: String,
    pub mode: Mode,
    pub status: Status,
    pub when: String,
    pub items: u32,
    pub next: Option<Status>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillPage {
    pub store_slug: String,
    pub store_name: String,
    pub signed_in: bool,
    pub orders: Vec<TillOrder>,
    /// The member being served (after their code was accepted).
    pub member: Option<TillMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillMember {
    /// The signed token that names them to the till's next posts.
    pub token: String,
    pub phone: String,
    pub points: i64,
    pub coupons: Vec<crate::api::members::CouponView>,
}

#[server]
pub async fn get_till(store: String, m: Option<String>) -> Result<TillPage, AppError> {
    server::till_page(store, m).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::domain::i18n::checkout::{self as text, CheckoutText};
    use crate::domain::store::StoreSlug;
    use crate::error::Missing;
    use crate::qr;
    use crate::ssr::checkout::{self, WINDOW_CAPACITY, money};
    use crate::ssr::schedule::Calendar;
    use crate::ssr::session::{self, Kind};
    use crate::ssr::stores::{StoreRow, pick, store_by_slug};
    use crate::ssr::{bag, places, request};

    pub async fn store_row(slug: &str) -> Result<StoreRow, AppError> {
        store_row_in(&request::db()?, slug).await
    }

    pub async fn store_row_in(db: &crate::ssr::db::Db, slug: &str) -> Result<StoreRow, AppError> {
        let slug = StoreSlug::parse(slug).ok_or(AppError::NotFound(Missing::Store))?;
        store_by_slug(db, slug.as_str())
            .await?
            .ok_or(AppError::NotFound(Missing::Store))
    }

    pub fn calendar(row: &StoreRow) -> Calendar {
        Calendar::new(
            &row.time_zone,
            row.weekly_hours()
                .unwrap_or_else(crate::domain::hours::WeeklyHours::around_the_clock),
            chrono::Utc::now(),
        )
    }

    pub async fn checkout_page(store: String) -> Result<CheckoutPage, AppError> {
        let db = request::db()?;
        let lang = request::lang();
        let row = store_row(&store).await?;
        let headers = request::headers();
        let session = session::current(&db, &headers, Kind::Shopper).await?;
        let bag = match &session {
            Some(s) => bag::bag(&db, &s.bag_owner(), lang)
                .await?
                .stores
                .into_iter()
                .find(|b| b.store_slug == row.slug),
            None => None,
        };
        let draft = match &session {
            Some(s) => load_draft(&db, &s.bag_owner(), row.id).await?,
            None => Draft::default(),
        };
        let cal = calendar(&row);
        let windows = cal.windows();
        let spans: Vec<(i64, i64)> = windows.iter().map(|w| (w.starts_at, w.ends_at)).collect();
        let booked = checkout::ensure_windows(&db, row.id, &spans).await?;
        let options: Vec<WindowOption> = windows
            .iter()
            .map(|w| {
                let (b, c) = booked
                    .get(&w.starts_at)
                    .copied()
                    .unwrap_or((0, WINDOW_CAPACITY));
                let label = cal.window_label(lang, w.local);
                let (day, time) = label
                    .rsplit_once(' ')
                    .map_or((label.clone(), String::new()), |(d, t)| {
                        (d.to_owned(), t.to_owned())
                    });
                WindowOption {
                    starts_at: w.starts_at,
                    day,
                    time,
                    full: b >= c,
                    past_cutoff: !w.open_for_orders,
                }
            })
            .collect();
        let lead = u16::try_from(row.pickup_lead_min).unwrap_or(20);
        let pickup: Vec<(i64, String)> = cal
            .pickup_times(lead)
            .into_iter()
            .map(|(at, t)| (at, cal.label(lang, t)))
            .collect();
        let earliest_pickup = pickup.first().map(|(_, l)| text::earliest_pickup(lang, l));
        let card = row.card(lang, chrono::Utc::now(), None);
        let closed_note = if card.open.is_open() {
            None
        } else {
            let first_window = options
                .iter()
                .find(|w| !w.full && !w.past_cutoff)
                .map(|w| format!("{} {}", w.day, w.time));
            match (first_window, pickup.first()) {
                (Some(w), Some((_, p))) => Some(text::closed_note(lang, &w, p)),
                _ => None,
            }
        };
        let (_, districts) = places::places(&db, lang).await?;
        let subtotal = bag.as_ref().map_or(Money::cny(0), StoreBag::subtotal);
        let coupon = match session.as_ref().and_then(|s| s.member_id) {
            Some(member) => crate::ssr::members::member(&db, member)
                .await?
                .and_then(|m| m.coupons.first().copied())
                .map(|(id, value, min, _)| {
                    (
                        id,
                        crate::domain::i18n::member::coupon(
                            lang,
                            Money::cny(value),
                            Money::cny(min),
                        ),
                        Money::cny(value),
                        subtotal.minor >= min,
                    )
                }),
            None => None,
        };
        Ok(CheckoutPage {
            coupon,
            store: card,
            bag,
            windows: options,
            pickup_times: pickup,
            earliest_pickup,
            closed_note,
            places: districts.into_iter().map(|p| (p.key, p.name)).collect(),
            has_location: crate::api::stores::remembered_location().is_some(),
            draft,
            key: new_key(),
            delivery_fee: crate::domain::order::delivery_fee(subtotal),
        })
    }

    pub fn new_key() -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>())
    }

    pub async fn load_draft(
        db: &crate::ssr::db::Db,
        owner: &str,
        store_id: i64,
    ) -> Result<Draft, AppError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT data FROM checkout_drafts WHERE owner = $1 AND store_id = $2")
                .bind(owner)
                .bind(store_id)
                .fetch_optional(&db.pool)
                .await?;
        Ok(row
            .and_then(|(data,)| serde_json::from_str(&data).ok())
            .unwrap_or_default())
    }

    pub async fn full_windows(store: String) -> Result<Vec<i64>, AppError> {
        let db = request::db()?;
        let row = store_row(&store).await?;
        let now = session::now();
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT starts_at FROM delivery_windows WHERE store_id = $1 AND starts_at > $2 \
             AND booked >= capacity ORDER BY starts_at",
        )
        .bind(row.id)
        .bind(now)
        .fetch_all(&db.pool)
        .await?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }

    pub async fn order_view(id: String) -> Result<OrderView, AppError> {
        let db = request::db()?;
        let lang = request::lang();
        let not_found = AppError::NotFound(Missing::Page);
        let session = session::current(&db, &request::headers(), Kind::Shopper)
            .await?
            .ok_or_else(|| not_found.clone())?;
        let id = id.trim().to_ascii_uppercase();
        if id.len() > 32 {
            return Err(not_found);
        }
        let order = checkout::order(&db, &id)
            .await?
            .filter(|o| o.owner == session.bag_owner())
            .ok_or_else(|| not_found.clone())?;
        let store: (String, String, String, String, String) = sqlx::query_as(
            "SELECT slug, name_zh, name_en, time_zone, hours FROM stores WHERE id = $1",
        )
        .bind(order.store_id)
        .fetch_one(&db.pool)
        .await?;
        let cal = Calendar::new(
            &store.3,
            crate::domain::hours::WeeklyHours::parse(&store.4)
                .unwrap_or_else(|_| crate::domain::hours::WeeklyHours::around_the_clock()),
            chrono::Utc::now(),
        );
        let mode = Mode::parse(&order.mode).unwrap_or(Mode::Pickup);
        let status = Status::parse(&order.status).unwrap_or(Status::Placed);
        let when = match (order.window_start, order.window_end, order.pickup_at) {
            (Some(s), Some(e), _) => {
                let end = cal.label_instant(lang, e);
                format!(
                    "{}–{}",
                    cal.label_instant(lang, s),
                    end.rsplit(' ').next().unwrap_or("")
                )
            }
            (_, _, Some(p)) => cal.label_instant(lang, p),
            _ => String::new(),
        };
        let lines = checkout::order_lines(&db, &order.id)
            .await?
            .into_iter()
            .map(|(sku, zh, en, image, q, price)| OrderLineView {
                sku,
                name: pick(lang, &zh, &en).to_owned(),
                image,
                quantity: u32::try_from(q).unwrap_or(0),
                price: money(price, &order.currency),
            })
            .collect();
        let show_code = mode == Mode::Pickup
            && matches!(status, Status::Placed | Status::Preparing | Status::Ready);
        let code = order.pickup_code.clone().filter(|_| show_code);
        let qr_svg = code
            .as_deref()
            .and_then(|c| qr::svg(c, 240, CheckoutText::PickupCode.t(lang)));
        let guide = match &order.guide_code {
            Some(code) => crate::ssr::guides::guide(&db, code, lang)
                .await?
                .map(|g| g.name),
            None => None,
        };
        Ok(OrderView {
            guide,
            store_slug: store.0,
            store_name: pick(lang, &store.1, &store.2).to_owned(),
            id: order.id,
            mode,
            status,
            when,
            address: order.address,
            contact: format!("{} · {}", order.contact_name, order.phone),
            lines,
            subtotal: money(order.subtotal_minor, &order.currency),
            delivery_fee: money(order.delivery_fee_minor, &order.currency),
            discount: money(order.discount_minor, &order.currency),
            total: money(order.total_minor, &order.currency),
            pickup_code: code,
            pickup_qr: qr_svg,
        })
    }

    pub async fn till_page(store: String, m: Option<String>) -> Result<TillPage, AppError> {
        let db = request::db()?;
        let lang = request::lang();
        let row = store_row(&store).await?;
        let staff = session::current(&db, &request::headers(), Kind::Staff)
            .await?
            .filter(|s| s.store_id == Some(row.id));
        let mut orders = Vec::new();
        if staff.is_some() {
            let cal = calendar(&row);
            #[derive(sqlx::FromRow)]
            struct TillRow {
                id: String,
                mode: String,
                status: String,
                at: Option<i64>,
                items: i64,
            }
            let rows = sqlx::query_as::<_, TillRow>(
                "SELECT o.id, o.mode, o.status, COALESCE(o.window_start, o.pickup_at) AS at, \
                        CAST(COALESCE((SELECT SUM(l.quantity) FROM order_lines l WHERE l.order_id = o.id), 0) AS BIGINT) AS items \
                 FROM orders o WHERE o.store_id = $1 AND o.status NOT IN ('completed', 'cancelled') \
                 ORDER BY COALESCE(o.window_start, o.pickup_at), o.id LIMIT 50",
            )
            .bind(row.id)
            .fetch_all(&db.pool)
            .await?;
            for r in rows {
                let mode = Mode::parse(&r.mode).unwrap_or(Mode::Pickup);
                let status = Status::parse(&r.status).unwrap_or(Status::Placed);
                orders.push(TillOrder {
                    id: r.id,
                    mode,
                    status,
                    when: r.at.map(|t| cal.label_instant(lang, t)).unwrap_or_default(),
                    items: u32::try_from(r.items).unwrap_or(0),
                    next: status.next(mode),
                });
            }
        }
        let member = match (&staff, m) {
            (Some(_), Some(token)) => till_member(&db, &token, lang).await?,
            _ => None,
        };
        Ok(TillPage {
            store_name: row.name(lang).to_owned(),
            store_slug: row.slug,
            signed_in: staff.is_some(),
            orders,
            member,
        })
    }

    async fn till_member(
        db: &crate::ssr::db::Db,
        token: &str,
        lang: crate::domain::lang::Lang,
    ) -> Result<Option<TillMember>, AppError> {
        use crate::domain::i18n::member::{self as mt, MemberText};
        use crate::ssr::token::{Purpose, verify};
        let key = request::settings()?.key;
        let Ok(v) = verify(&key, Purpose::TillMember, token, session::now()) else {
            return Ok(None);
        };
        let Ok(bytes) = <[u8; 8]>::try_from(v.data.as_slice()) else {
            return Ok(None);
        };
        let Some(m) = crate::ssr::members::member(db, i64::from_be_bytes(bytes)).await? else {
            return Ok(None);
        };
        Ok(Some(TillMember {
            token: token.to_owned(),
            phone: crate::ssr::members::mask(&m.phone),
            points: m.points,
            coupons: m
                .coupons
                .iter()
                .map(|&(id, value, min, _)| crate::api::members::CouponView {
                    id,
                    title: MemberText::NewMemberCoupon.t(lang).to_owned(),
                    terms: mt::coupon(lang, Money::cny(value), Money::cny(min)),
                })
                .collect(),
        }))
    }
}
