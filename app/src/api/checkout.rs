//! Checkout, orders and the till (server functions; types shared). Placing an order,
//! cancelling and the till's actions are form posts (see the server's `forms`); these
//! functions read what the pages show.

#[cfg(feature = "ssr")]
use crate::domain::bag::StoreBag;
#[cfg(feature = "ssr")]
use crate::domain::money::Money;
#[cfg(feature = "ssr")]
use crate::domain::order::{Mode, Status};
use crate::error::AppError;
pub use crate::views::checkout::{
    CheckoutPage, Draft, OrderLineView, OrderView, TillMember, TillOrder, TillPage, WindowOption,
};
use leptos::prelude::*;

#[server]
pub async fn get_checkout(store: String) -> Result<CheckoutPage, AppError> {
    server::checkout_page(store).await
}

/// Which of the store's windows are full now (for the page's live refresh).
#[server]
pub async fn get_full_windows(store: String) -> Result<Vec<i64>, AppError> {
    server::full_windows(store).await
}

/// An order, for the shopper who placed it only (anyone else gets a 404).
#[server]
pub async fn get_order(id: String) -> Result<OrderView, AppError> {
    server::order_view(id).await
}

#[server]
pub async fn get_till(store: String, m: Option<String>) -> Result<TillPage, AppError> {
    server::till_page(store, m).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::domain::i18n::checkout::{self as text, CheckoutText};
    use crate::domain::lang::Lang;
    use crate::error::Missing;
    use crate::qr;
    use crate::ssr::checkout;
    use crate::ssr::checkout_form;
    use crate::ssr::schedule::Calendar;
    use crate::ssr::session::{self, Kind, Session};
    use crate::ssr::stores::{self, StoreRow, pick};
    use crate::ssr::{bag, members, places, request};
    use crate::views::checkout::CheckoutCoupon;
    use crate::views::stores::PauseNotice;

    pub async fn checkout_page(store: String) -> Result<CheckoutPage, AppError> {
        let (db, lang) = (request::db()?, request::lang());
        let row = stores::store_or_404(&db, &store).await?;
        let session = session::current(&db, &request::headers(), Kind::Shopper).await?;
        let (bag, draft) = match &session {
            Some(s) => (
                bag::bag(&db, &s.bag_owner(), lang)
                    .await?
                    .stores
                    .into_iter()
                    .find(|b| b.store_slug == row.slug),
                checkout_form::load_draft(&db, &s.bag_owner(), row.id).await?,
            ),
            None => (None, Draft::default()),
        };
        let cal = row.calendar();
        let windows = window_options(&db, &row, &cal).await?;
        let pause = row
            .pause_at(session::now())
            .map(|(scope, until)| PauseNotice {
                scope,
                until: cal.label_soon(lang, until),
            });
        let lead = u16::try_from(row.pickup_lead_min).unwrap_or(20);
        let pickup: Vec<(i64, String)> = cal
            .pickup_times(lead)
            .into_iter()
            .map(|(at, t)| (at, cal.label(lang, t)))
            .collect();
        let card = row.card(lang, chrono::Utc::now(), None);
        let closed_note = (!card.open.is_open())
            .then(|| closed_note(lang, &windows, &pickup))
            .flatten();
        let (_, districts) = places::places(&db, lang).await?;
        let radius = f64::from(row.delivery_radius_m);
        let (near, beyond): (Vec<_>, Vec<_>) = districts
            .into_iter()
            .filter(|p| p.key.split('/').next() == Some(row.city_slug.as_str()))
            .partition(|p| p.center.distance_m(row.location()) <= radius);
        let pairs = |list: Vec<crate::views::stores::Place>| -> Vec<(String, String)> {
            list.into_iter().map(|p| (p.key, p.name)).collect()
        };
        let subtotal = bag.as_ref().map_or(Money::cny(0), StoreBag::subtotal);
        let pricing = row.pricing();
        Ok(CheckoutPage {
            coupon: checkout_coupon(&db, session.as_ref(), subtotal, lang).await?,
            store: card,
            bag,
            windows,
            earliest_pickup: pickup.first().map(|(_, l)| text::earliest_pickup(lang, l)),
            pickup_times: pickup,
            closed_note,
            places: pairs(near),
            places_beyond: pairs(beyond),
            has_location: crate::api::stores::remembered_location().is_some(),
            draft,
            key: new_key(),
            delivery_fee: pricing.fee_for(subtotal),
            free_delivery_from: (pricing.fee.minor > 0 && pricing.free_from.minor > 0)
                .then_some(pricing.free_from),
            pause,
        })
    }

    /// The next seven days' windows, each with whether it is full or past its cut-off.
    async fn window_options(
        db: &crate::ssr::db::Db,
        row: &StoreRow,
        cal: &Calendar,
    ) -> Result<Vec<WindowOption>, AppError> {
        let windows = cal.windows();
        let spans: Vec<(i64, i64)> = windows.iter().map(|w| (w.starts_at, w.ends_at)).collect();
        let booked = checkout::ensure_windows(db, row.id, &spans).await?;
        Ok(windows
            .iter()
            .map(|w| {
                let (b, c) = booked
                    .get(&w.starts_at)
                    .copied()
                    .unwrap_or((0, row.window_capacity));
                let (day, time) = cal.window_parts(w.local);
                WindowOption {
                    starts_at: w.starts_at,
                    day,
                    time,
                    full: b >= c,
                    past_cutoff: !w.open_for_orders,
                }
            })
            .collect())
    }

    /// Said while the store is closed: when the first delivery and the first pick-up are.
    fn closed_note(
        lang: Lang,
        windows: &[WindowOption],
        pickup: &[(i64, String)],
    ) -> Option<String> {
        let first = windows.iter().find(|w| !w.full && !w.past_cutoff)?;
        let (_, first_pickup) = pickup.first()?;
        let when = format!("{} {}", first.day.t(lang), first.time);
        Some(text::closed_note(lang, &when, first_pickup))
    }

    /// A signed-in member's first coupon, and whether this bag reaches its minimum.
    async fn checkout_coupon(
        db: &crate::ssr::db::Db,
        session: Option<&Session>,
        subtotal: Money,
        lang: Lang,
    ) -> Result<Option<CheckoutCoupon>, AppError> {
        let Some(member) = session.and_then(|s| s.member_id) else {
            return Ok(None);
        };
        Ok(members::member(db, member)
            .await?
            .and_then(|m| m.coupons.first().copied())
            .map(|c| CheckoutCoupon {
                id: c.id,
                terms: crate::domain::i18n::member::coupon(lang, c.value(), c.min_spend()),
                value: c.value(),
                usable: subtotal.minor >= c.min_spend_minor,
            }))
    }

    pub fn new_key() -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>())
    }

    pub async fn full_windows(store: String) -> Result<Vec<i64>, AppError> {
        let db = request::db()?;
        let row = stores::store_or_404(&db, &store).await?;
        checkout::full_windows(&db, row.id, session::now()).await
    }

    pub async fn order_view(id: String) -> Result<OrderView, AppError> {
        let (db, lang) = (request::db()?, request::lang());
        let not_found = || AppError::NotFound(Missing::Page);
        let session = session::current(&db, &request::headers(), Kind::Shopper)
            .await?
            .ok_or_else(not_found)?;
        let id = crate::domain::order::parse_order_id(&id).ok_or_else(not_found)?;
        let order = checkout::order(&db, &id)
            .await?
            .filter(|o| o.owner == session.bag_owner())
            .ok_or_else(not_found)?;
        let store = stores::store_by_id(&db, order.store_id)
            .await?
            .ok_or_else(not_found)?;
        let cal = store.calendar();
        let when = match (order.window_start, order.window_end, order.pickup_at) {
            (Some(s), Some(e), _) => cal.label_span(lang, s, e),
            (_, _, Some(p)) => cal.label_instant(lang, p),
            _ => String::new(),
        };
        let lines = checkout::order_lines(&db, &order.id)
            .await?
            .into_iter()
            .map(|l| OrderLineView {
                name: pick(lang, &l.name_zh, &l.name_en).to_owned(),
                sku: l.sku,
                image: l.image,
                quantity: l.quantity,
                price: order.money(l.price_minor),
            })
            .collect();
        let show_code = order.mode == Mode::Pickup
            && matches!(
                order.status,
                Status::Placed | Status::Preparing | Status::Ready
            );
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
        let store_cancel_reason = match crate::ssr::console::cancellation(&db, &order.id).await? {
            Some((by, reason)) if by == "store" => reason,
            _ => None,
        };
        Ok(OrderView {
            store_cancel_reason,
            guide,
            store_name: store.name(lang).to_owned(),
            store_slug: store.slug,
            mode: order.mode,
            status: order.status,
            when,
            contact: format!("{} · {}", order.contact_name, order.phone),
            lines,
            subtotal: order.money(order.subtotal_minor),
            delivery_fee: order.money(order.delivery_fee_minor),
            discount: order.money(order.discount_minor),
            total: order.money(order.total_minor),
            pickup_code: code,
            pickup_qr: qr_svg,
            address: order.address,
            id: order.id,
        })
    }

    pub async fn till_page(store: String, m: Option<String>) -> Result<TillPage, AppError> {
        let (db, lang) = (request::db()?, request::lang());
        let row = stores::store_or_404(&db, &store).await?;
        crate::api::console::no_store();
        // Signed out: 401 (the error page offers sign-in). Without the till here: 403.
        let staff = Some(
            crate::ssr::staff::authorize(
                &db,
                &request::headers(),
                &store,
                crate::domain::staff::Action::Till,
            )
            .await?,
        );
        let mut orders = Vec::new();
        if staff.is_some() {
            let cal = row.calendar();
            orders = checkout::open_orders(&db, row.id)
                .await?
                .into_iter()
                .map(|o| TillOrder {
                    next: o.status.next(o.mode),
                    when: o.at.map(|t| cal.label_instant(lang, t)).unwrap_or_default(),
                    items: o.items,
                    id: o.id,
                    mode: o.mode,
                    status: o.status,
                })
                .collect();
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
        lang: Lang,
    ) -> Result<Option<TillMember>, AppError> {
        let key = request::settings()?.key;
        let Ok(member) = members::till_token_member(&key, token, session::now()) else {
            return Ok(None);
        };
        let Some(m) = members::member(db, member).await? else {
            return Ok(None);
        };
        Ok(Some(TillMember {
            token: token.to_owned(),
            phone: members::mask(&m.phone),
            points: m.points,
            coupons: m.coupons.iter().map(|c| c.view(lang)).collect(),
        }))
    }
}
