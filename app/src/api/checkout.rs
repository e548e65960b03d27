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

/// An order, for the shopper who placed it only (anyone else gets a 404). `paying`: the
/// shopper is back from the payment provider, which they left then (Unix seconds).
#[server]
pub async fn get_order(id: String, paying: Option<i64>) -> Result<OrderView, AppError> {
    server::order_view(id, paying).await
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
        let payment = request::state()?.settings.payment.as_ref().map(|p| {
            crate::views::checkout::CheckoutPayment {
                hold_minutes: (p.hold_secs + 59) / 60,
                pay_at_store: row.pay_at_store == 1,
            }
        });
        Ok(CheckoutPage {
            payment,
            coupons: checkout_coupons(&db, session.as_ref(), row.id, lang).await?,
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

    /// A signed-in member's coupons against this bag: the usable ones by what they take
    /// off (the best first), then the others with why not.
    async fn checkout_coupons(
        db: &crate::ssr::db::Db,
        session: Option<&Session>,
        store: i64,
        lang: Lang,
    ) -> Result<Vec<CheckoutCoupon>, AppError> {
        use crate::domain::i18n::marketing as mtext;
        use crate::views::checkout::COUPON_PLACES;
        let Some((session, member)) = session.and_then(|s| s.member_id.map(|m| (s, m))) else {
            return Ok(Vec::new());
        };
        let at = session::now();
        let held = crate::ssr::coupons::member_coupons(db, member, at).await?;
        let lines = crate::ssr::coupons::bag_lines(db, &session.bag_owner(), store).await?;
        let mut offered: Vec<(i64, CheckoutCoupon)> = held
            .iter()
            .map(|c| {
                let outcome = c.terms.discount(store, &lines, at);
                let view = c.view(lang);
                let terms = match view.limits {
                    Some(limits) => format!("{} · {limits}", view.terms),
                    None => view.terms,
                };
                let rank = outcome.as_ref().map_or(-1, |off| *off);
                (
                    rank,
                    CheckoutCoupon {
                        id: c.id,
                        title: view.title,
                        terms,
                        off: outcome.ok().map(Money::cny),
                        why_not: outcome.err().map(|why| mtext::not_usable(lang, why)),
                    },
                )
            })
            .collect();
        // The best first (`domain::coupon::best`'s order: most off, then ending first,
        // which the list already is).
        offered.sort_by_key(|c| std::cmp::Reverse(c.0));
        Ok(offered
            .into_iter()
            .map(|(_, c)| c)
            .take(COUPON_PLACES)
            .collect())
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

    /// After this long back from paying without a notify, the page asks the provider.
    pub const QUERY_AFTER_SECS: i64 = 3;
    /// The page stops waiting (and offers to pay again) after this long.
    pub const CONFIRM_FOR_SECS: i64 = 90;

    /// An order's refunds as its pages show them (the shopper's receipt, the console's
    /// order): amount, reason, state, and when asked or done in the store's time.
    pub async fn refund_views(
        db: &crate::ssr::db::Db,
        order: &checkout::OrderRow,
        cal: &Calendar,
        lang: Lang,
    ) -> Result<Vec<crate::views::checkout::RefundView>, AppError> {
        Ok(crate::ssr::payments::refunds(db, &order.id)
            .await?
            .into_iter()
            .map(|r| crate::views::checkout::RefundView {
                amount: order.money(r.amount_minor),
                at: cal.label_instant(lang, r.done_at.unwrap_or(r.created_at)),
                id: r.id,
                reason: r.reason,
                state: r.state,
            })
            .collect())
    }

    /// An order's payment for its page: ends a hold that is over, and for a shopper back
    /// from paying whose notify has not come, asks the provider (the fallback).
    async fn order_money(
        db: &crate::ssr::db::Db,
        order: &checkout::OrderRow,
        cal: &Calendar,
        lang: Lang,
        paying: Option<i64>,
    ) -> Result<crate::views::checkout::OrderMoney, AppError> {
        use crate::domain::payment::{Payment, RefundReason, hold_left};
        use crate::ssr::payments;
        let now = session::now();
        let provider = request::state()?.settings.payment.clone();
        let mut money = payments::money(db, &order.id)
            .await?
            .ok_or(AppError::NotFound(Missing::Page))?;
        // A hold that is over ends now, so the page never shows it running (a write only
        // then: most views of an order change nothing).
        if money.payment() == Payment::Awaiting
            && money.pay_by.is_some_and(|by| by <= now)
            && payments::end_hold(
                db,
                provider.as_ref().map(|p| p.provider.as_ref()),
                &order.id,
                now,
            )
            .await?
        {
            money = payments::money(db, &order.id)
                .await?
                .ok_or(AppError::NotFound(Missing::Page))?;
        }
        let waited = paying.map(|since| now - since);
        let mut queried = None;
        if money.payment() == Payment::Awaiting
            && let (Some(waited), Some(p)) = (waited, &provider)
            && (QUERY_AFTER_SECS..=CONFIRM_FOR_SECS * 10).contains(&waited)
        {
            queried = Some(payments::query_trade(db, p.provider.as_ref(), &order.id).await);
            money = payments::money(db, &order.id)
                .await?
                .ok_or(AppError::NotFound(Missing::Page))?;
        }
        let payment = money.payment();
        let refunds = refund_views(db, order, cal, lang).await?;
        let open = order.status != Status::Cancelled;
        Ok(crate::views::checkout::OrderMoney {
            can_pay: provider.is_some() && payment.payable() && open,
            pay_by: money
                .pay_by
                .filter(|_| payment == Payment::Awaiting)
                .map(|by| cal.label_instant(lang, by)),
            minutes_left: money
                .pay_by
                .filter(|_| payment == Payment::Awaiting)
                .map(|by| (hold_left(by, now) + 59) / 60),
            // Just back, or the provider could not be asked: keep waiting a while.
            confirming: payment == Payment::Awaiting
                && open
                && waited.is_some_and(|w| (0..=CONFIRM_FOR_SECS).contains(&w))
                && matches!(queried, None | Some(payments::Queried::Unknown)),
            check_again: paying.map(|since| crate::links::order_paying(&order.id, since)),
            // The provider says it is not paid: declined, or given up.
            declined: payment == Payment::Awaiting
                && open
                && queried == Some(payments::Queried::NotPaid),
            paid: match (money.method(), money.paid_at) {
                (Some(method), Some(at)) if payment == Payment::Paid => {
                    Some((method, cal.label_instant(lang, at)))
                }
                _ => None,
            },
            late: refunds
                .iter()
                .any(|r| r.reason == RefundReason::LatePayment),
            refunds,
            payment,
        })
    }

    pub async fn order_view(id: String, paying: Option<i64>) -> Result<OrderView, AppError> {
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
        let money = order_money(&db, &order, &cal, lang, paying).await?;
        // The hold may have ended just now: the status shown is the one after it.
        let order = if money.payment == crate::domain::payment::Payment::Expired
            && order.status != Status::Cancelled
        {
            checkout::order(&db, &id).await?.ok_or_else(not_found)?
        } else {
            order
        };
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
        // No code to collect with until the order is paid (or is paid at the till).
        let show_code = show_code && money.payment != crate::domain::payment::Payment::Awaiting;
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
            money,
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
                    // An order waiting for its online payment is not worked on yet.
                    next: o
                        .status
                        .next(o.mode)
                        .filter(|_| o.payment.0.lets_store_start()),
                    when: o.at.map(|t| cal.label_instant(lang, t)).unwrap_or_default(),
                    items: o.items,
                    payment: o.payment.0,
                    id: o.id,
                    mode: o.mode,
                    status: o.status,
                })
                .collect();
        }
        let pay_at_till = request::state()?.settings.payment.is_some()
            || orders
                .iter()
                .any(|o| o.payment == crate::domain::payment::Payment::AtStore);
        let member = match (&staff, m) {
            (Some(_), Some(token)) => till_member(&db, &token, lang).await?,
            _ => None,
        };
        Ok(TillPage {
            store_name: row.name(lang).to_owned(),
            store_slug: row.slug,
            signed_in: staff.is_some(),
            orders,
            pay_at_till,
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
