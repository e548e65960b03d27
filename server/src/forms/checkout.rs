//! `POST /checkout/place` and `/orders/cancel`. Placing validates every field on the
//! server (the browser's checks are only a comfort); a form with mistakes goes back to the
//! checkout page with the fields as typed and a message beside each, kept as a draft. An
//! order placed goes to its page; the same form posted again (same idempotency key) goes
//! to the same order.

use super::{Reply, wants_json};
use app::api::checkout::Draft;
use app::domain::geo::LatLon;
use app::domain::i18n::checkout::{self as text, CheckoutText as T};
use app::domain::lang::Lang;
use app::domain::order::{self, Mode};
use app::error::{AppError, Missing};
use app::ssr::checkout::{self, OrderRequest, Placed, Refusal};
use app::ssr::db::Db;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind, cookie_value};
use app::ssr::settings::Settings;
use app::ssr::stores::StoreRow;
use app::ssr::{bag, nearby, places, rate_limit, stores};
use axum::extract::{Extension, Form};
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    store: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    pickup_at: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    window: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    /// The member's coupon to use (a checkbox: absent when not ticked).
    #[serde(default)]
    coupon: String,
}

/// The form checked: an order to place, or the draft to show again.
enum Checked {
    Order(Box<OrderRequest>),
    Draft(Box<Draft>),
}

pub async fn place(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    headers: HeaderMap,
    Form(form): Form<PlaceForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = format!(
        "/checkout/{}",
        app::domain::store::StoreSlug::parse(&form.store)
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default()
    );
    match place_inner(&db, &settings, &headers, &form, lang, &back).await {
        Ok(response) => response,
        Err(e) => Reply::refused(&e, lang, &back).respond(&headers, lang),
    }
}

async fn place_inner(
    db: &Db,
    settings: &Settings,
    headers: &HeaderMap,
    form: &PlaceForm,
    lang: Lang,
    back: &str,
) -> Result<Response, AppError> {
    let row = app::api::checkout::server::store_row_in(db, &form.store).await?;
    let Some(shopper) = session::current(db, headers, Kind::Shopper).await? else {
        return Err(AppError::Conflict(T::EmptyForStore.t(lang).to_owned()));
    };
    rate_limit::hit(
        db,
        &format!("checkout:{}", shopper.id),
        rate_limit::CHECKOUT,
    )
    .await?;
    // Signed in, the bag, the drafts and the orders are the member's (on any device).
    let owner = shopper.bag_owner();
    let lines = bag::store_lines(db, &owner, row.id).await?;
    // The form sent again after its order went through (the bag's lines are gone by then):
    // the same order, not an error about an empty bag.
    if lines.is_empty()
        && let Some(id) = checkout::order_for_key(db, &owner, form.key.trim()).await?
    {
        return Ok(placed_response(headers, &Placed::Again(id), lang));
    }
    let checked = check(
        db,
        headers,
        form,
        &row,
        (&owner, shopper.member_id),
        lines,
        lang,
    )
    .await?;
    let request = match checked {
        Checked::Order(request) => request,
        Checked::Draft(draft) => {
            return back_with(db, headers, &owner, row.id, *draft, back, lang).await;
        }
    };
    if let Some(window) = request.window {
        checkout::ensure_windows(db, row.id, &[window]).await?;
    }
    let mut draft = draft_of(form);
    match checkout::place(db, &settings.key, &request).await? {
        Ok(placed) => {
            sqlx::query("DELETE FROM checkout_drafts WHERE owner = $1 AND store_id = $2")
                .bind(&owner)
                .bind(row.id)
                .execute(&db.pool)
                .await?;
            Ok(placed_response(headers, &placed, lang))
        }
        Err(Refusal::WindowFull) => {
            draft
                .errors
                .push(("window".into(), T::WindowFullNow.t(lang).into()));
            back_with(db, headers, &owner, row.id, draft, back, lang).await
        }
        Err(Refusal::NoSuchWindow) => {
            draft
                .errors
                .push(("window".into(), T::NoSuchWindow.t(lang).into()));
            back_with(db, headers, &owner, row.id, draft, back, lang).await
        }
        Err(Refusal::OutOfStock(product)) => {
            let name = stores::product_name(db, product, lang).await?;
            draft.problem = Some(text::out_of_stock(lang, &name));
            back_with(db, headers, &owner, row.id, draft, back, lang).await
        }
        Err(Refusal::KeyReused) => {
            draft.problem = Some(T::KeyReused.t(lang).into());
            back_with(db, headers, &owner, row.id, draft, back, lang).await
        }
        Err(Refusal::CouponGone) => {
            draft.problem = Some(T::CouponGone.t(lang).into());
            back_with(db, headers, &owner, row.id, draft, back, lang).await
        }
        Err(Refusal::EmptyBag) => Err(AppError::Conflict(T::EmptyForStore.t(lang).to_owned())),
    }
}

fn placed_response(headers: &HeaderMap, placed: &Placed, lang: Lang) -> Response {
    let href = format!("/orders/{}", placed.id());
    if wants_json(headers) {
        let body = serde_json::json!({ "ok": true, "order": placed.id(), "href": href,
            "message": T::OrderPlaced.t(lang) });
        (StatusCode::OK, axum::Json(body)).into_response()
    } else {
        Redirect::to(&href).into_response()
    }
}

fn draft_of(form: &PlaceForm) -> Draft {
    Draft {
        mode: Mode::parse(&form.mode).map(|m| m.as_str().to_owned()),
        place: (!form.place.is_empty()).then(|| form.place.chars().take(64).collect()),
        address: form.address.chars().take(120).collect(),
        window: form.window.trim().parse().ok(),
        pickup_at: form.pickup_at.trim().parse().ok(),
        name: form.name.chars().take(32).collect(),
        phone: form.phone.chars().take(20).collect(),
        errors: Vec::new(),
        problem: None,
    }
}

/// Keeps the draft and sends the shopper back to the form (JSON: the errors, 400).
async fn back_with(
    db: &Db,
    headers: &HeaderMap,
    owner: &str,
    store_id: i64,
    draft: Draft,
    back: &str,
    lang: Lang,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        let body = serde_json::json!({ "ok": false, "errors": draft.errors, "message": draft.problem
            .clone().unwrap_or_else(|| T::FixErrors.t(lang).to_owned()) });
        return Ok((StatusCode::BAD_REQUEST, axum::Json(body)).into_response());
    }
    let data = serde_json::to_string(&draft).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT INTO checkout_drafts (owner, store_id, data, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (owner, store_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
    )
    .bind(owner)
    .bind(store_id)
    .bind(data)
    .bind(session::now())
    .execute(&db.pool)
    .await?;
    Ok(Redirect::to(back).into_response())
}

async fn check(
    db: &Db,
    headers: &HeaderMap,
    form: &PlaceForm,
    row: &StoreRow,
    (owner, member_id): (&str, Option<i64>),
    lines: Vec<(i64, i64)>,
    lang: Lang,
) -> Result<Checked, AppError> {
    if lines.is_empty() {
        return Err(AppError::Conflict(T::EmptyForStore.t(lang).to_owned()));
    }
    let key = order::parse_idempotency_key(form.key.trim())
        .ok_or_else(|| AppError::validation("key", T::KeyReused.t(lang)))?
        .to_owned();
    let mut draft = draft_of(form);
    let mut errors = Vec::new();
    let mode = Mode::parse(&form.mode).unwrap_or(Mode::Pickup);
    let name = order::parse_name(&form.name)
        .map_err(|e| errors.push(draft_error("name", text::field_error(lang, "name", e))))
        .ok();
    let phone = order::parse_phone(&form.phone)
        .map_err(|e| errors.push(draft_error("phone", text::field_error(lang, "phone", e))))
        .ok();
    let cal = app::api::checkout::server::calendar(row);
    let (mut window, mut pickup_at, mut address, mut location) = (None, None, None, None);
    match mode {
        Mode::Pickup => {
            let chosen: Option<i64> = form.pickup_at.trim().parse().ok();
            let lead = u16::try_from(row.pickup_lead_min).unwrap_or(20);
            pickup_at = chosen.filter(|at| pickup_allowed(&cal.pickup_times(lead), *at));
            if pickup_at.is_none() {
                errors.push(draft_error("pickup_at", T::ChoosePickup.t(lang).to_owned()));
            }
        }
        Mode::Delivery => {
            match delivery_point(db, headers, &form.place, lang).await? {
                None => errors.push(draft_error("place", T::ChooseArea.t(lang).to_owned())),
                Some(point) => {
                    let radius = f64::from(u32::try_from(row.delivery_radius_m).unwrap_or(0));
                    if point.distance_m(row.location()) > radius {
                        let other = deliverer(db, point, row.id, lang).await?;
                        errors.push(draft_error(
                            "place",
                            text::outside_radius(lang, radius / 1000.0, other.as_deref()),
                        ));
                    } else {
                        location = Some((point.lat, point.lon));
                    }
                }
            }
            address = order::parse_address(&form.address)
                .map_err(|e| {
                    errors.push(draft_error(
                        "address",
                        text::field_error(lang, "address", e),
                    ))
                })
                .ok();
            let chosen: Option<i64> = form.window.trim().parse().ok();
            let found = chosen.and_then(|s| cal.windows().into_iter().find(|w| w.starts_at == s));
            match found {
                Some(w) if w.open_for_orders => window = Some((w.starts_at, w.ends_at)),
                Some(_) => errors.push(draft_error("window", T::NoSuchWindow.t(lang).to_owned())),
                None => errors.push(draft_error("window", T::ChooseWindow.t(lang).to_owned())),
            }
        }
    }
    if !errors.is_empty() {
        draft.errors = errors;
        return Ok(Checked::Draft(Box::new(draft)));
    }
    Ok(Checked::Order(Box::new(OrderRequest {
        owner: owner.to_owned(),
        store_id: row.id,
        idempotency_key: key,
        mode,
        window,
        pickup_at,
        address,
        location,
        contact_name: name.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        lines,
        guide_code: credited_guide(db, headers, lang).await?,
        member_id,
        coupon_id: member_id.and(form.coupon.trim().parse().ok()),
    })))
}

/// A listed pick-up time, or a time up to 15 minutes before the first one: the page's
/// "earliest" option was the earliest when the page was made, and the clock has moved on.
fn pickup_allowed(times: &[(i64, app::domain::slots::LocalTime)], at: i64) -> bool {
    const GRACE_SECS: i64 = 15 * 60;
    times.iter().any(|(t, _)| *t == at)
        || times
            .first()
            .is_some_and(|(first, _)| (first - GRACE_SECS..*first).contains(&at))
}

fn draft_error(field: &str, message: String) -> (String, String) {
    (field.to_owned(), message)
}

/// The guide this shopper arrived through, if the code is a real guide's.
async fn credited_guide(
    db: &Db,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<Option<String>, AppError> {
    let Some(code) = app::ssr::guides::attributed_code(headers, session::now()) else {
        return Ok(None);
    };
    Ok(app::ssr::guides::guide(db, &code, lang)
        .await?
        .map(|g| g.code))
}

/// Where to deliver: the shopper's shared location, or a district's centre.
async fn delivery_point(
    db: &Db,
    headers: &HeaderMap,
    place: &str,
    lang: Lang,
) -> Result<Option<LatLon>, AppError> {
    if place == "here" {
        return Ok(cookie_value(headers, app::api::stores::LOCATION_COOKIE)
            .and_then(|v| LatLon::parse_pair(&v)));
    }
    if place.is_empty() {
        return Ok(None);
    }
    let (_, districts) = places::places(db, lang).await?;
    Ok(districts
        .into_iter()
        .find(|d| d.key == place)
        .map(|d| d.center))
}

/// The nearest other store whose delivery area covers `point`.
async fn deliverer(
    db: &Db,
    point: LatLon,
    except: i64,
    lang: Lang,
) -> Result<Option<String>, AppError> {
    let near = nearby::stores_near(
        db,
        point,
        10,
        nearby::NearFilter {
            in_stock: None,
            except: Some(except),
        },
    )
    .await?;
    Ok(near
        .into_iter()
        .find(|n| n.distance_m <= n.store.delivery_radius_m as f64)
        .map(|n| n.store.name(lang).to_owned()))
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    id: String,
}

pub async fn cancel(
    Extension(db): Extension<Db>,
    headers: HeaderMap,
    Form(form): Form<CancelForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let id = form.id.trim().to_ascii_uppercase();
    let back = if id.len() <= 32 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        format!("/orders/{id}")
    } else {
        "/".to_owned()
    };
    let outcome = async {
        let shopper = session::current(&db, &headers, Kind::Shopper)
            .await?
            .ok_or(AppError::NotFound(Missing::Page))?;
        let owner = shopper.bag_owner();
        if checkout::cancel(&db, &owner, &id).await? {
            return Ok(Reply::ok(T::Cancelled.t(lang).to_owned(), &back));
        }
        // Not cancelled now: say why — already cancelled, too late, or not theirs.
        match checkout::order(&db, &id)
            .await?
            .filter(|o| o.owner == owner)
        {
            Some(o) if o.status == "cancelled" => {
                Ok(Reply::ok(T::AlreadyCancelled.t(lang).to_owned(), &back))
            }
            Some(_) => Err(AppError::Conflict(T::TooLateToCancel.t(lang).to_owned())),
            None => Err(AppError::NotFound(Missing::Page)),
        }
    }
    .await;
    super::finish(outcome, &headers, lang, &back)
}
