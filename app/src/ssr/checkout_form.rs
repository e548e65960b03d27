//! The checkout form's rules (server): what a posted [`PlaceForm`] must say to become an
//! order, and the draft kept when it does not. No HTTP here: the handler passes what the
//! request carried (the shopper, their shared location, the guide they came through), so a
//! unit test can call every rule directly.

use crate::domain::geo::LatLon;
use crate::domain::i18n::checkout::CheckoutText as T;
use crate::domain::i18n::settings::paused_refusal;
use crate::domain::i18n::text::ContactField;
use crate::domain::i18n::{Named, Text};
use crate::domain::lang::Lang;
use crate::domain::order::{self, Mode};
use crate::domain::slots::LocalTime;
use crate::error::AppError;
use crate::ssr::checkout::{self, OrderRequest, Placed, Refusal};
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use crate::ssr::nearby::{self, NearFilter};
use crate::ssr::stores::{self, StoreRow};
use crate::ssr::{guides, places};
use crate::views::checkout::{CheckoutField as F, Draft, PlaceForm};

/// Who is checking out, as the request said.
#[derive(Clone, Debug, Default)]
pub struct Shopper {
    /// The bag's owner (the member's, when signed in).
    pub owner: String,
    pub member_id: Option<i64>,
    /// The location the shopper shared this session.
    pub location: Option<LatLon>,
    /// The guide code the shopper arrived through, if any (checked here).
    pub guide_code: Option<String>,
}

/// The form checked: an order to place, or the draft to show again.
#[derive(Debug)]
pub enum Checked {
    Order(Box<OrderRequest>),
    Draft(Box<Draft>),
}

/// What a submission came to.
#[derive(Debug)]
pub enum Submitted {
    Placed(Placed),
    /// The form goes back to the shopper with these messages.
    Draft(Box<Draft>),
}

/// A listed pick-up time, or a time up to 15 minutes before the first one: the page's
/// "earliest" option was the earliest when the page was made, and the clock has moved on.
pub fn pickup_allowed(times: &[(i64, LocalTime)], at: i64) -> bool {
    const GRACE_SECS: i64 = 15 * 60;
    times.iter().any(|(t, _)| *t == at)
        || times
            .first()
            .is_some_and(|(first, _)| (first - GRACE_SECS..*first).contains(&at))
}

/// The form as typed, bounded, to show again.
pub fn draft_of(form: &PlaceForm) -> Draft {
    Draft {
        mode: Mode::parse(&form.mode),
        place: (!form.place.is_empty()).then(|| form.place.chars().take(64).collect()),
        address: form.address.chars().take(120).collect(),
        window: form.window.trim().parse().ok(),
        pickup_at: form.pickup_at.trim().parse().ok(),
        name: form.name.chars().take(32).collect(),
        phone: form.phone.chars().take(20).collect(),
        coupon: match form.coupon.trim() {
            "none" => "none".to_owned(),
            id if !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()) => {
                id.to_owned()
            }
            _ => String::new(),
        },
        errors: Vec::new(),
        problem: None,
        pay: match form.pay.trim() {
            "store" => "store".to_owned(),
            _ => String::new(),
        },
    }
}

/// Checks every field; an order when all are right, else the draft with a message beside
/// each wrong one.
pub async fn check(
    db: &Db,
    form: &PlaceForm,
    row: &StoreRow,
    shopper: &Shopper,
    lines: Vec<(i64, i64)>,
) -> Result<Checked, AppError> {
    if lines.is_empty() {
        return Err(AppError::conflict(T::EmptyForStore));
    }
    let key = order::parse_idempotency_key(form.key.trim())
        .ok_or_else(|| AppError::validation(F::Key.name(), T::FormExpired))?
        .to_owned();
    let mut errors = Vec::new();
    let mode = Mode::parse(&form.mode).unwrap_or(Mode::Pickup);
    // Paused: said at once, before any field (the order's transaction checks again).
    if let Some((scope, _)) = row.pause_at(crate::ssr::session::now())
        && scope.stops(mode)
    {
        return Err(AppError::conflict(paused_refusal(scope)));
    }
    let name = order::parse_name(&form.name)
        .map_err(|e| errors.push((F::Name, Text::Field(ContactField::Name, e))))
        .ok();
    let phone = order::parse_phone(&form.phone)
        .map_err(|e| errors.push((F::Phone, Text::Field(ContactField::Phone, e))))
        .ok();
    let mut request = OrderRequest {
        owner: shopper.owner.clone(),
        store_id: row.id,
        idempotency_key: key,
        mode,
        window: None,
        pickup_at: None,
        address: None,
        location: None,
        contact_name: name.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        lines,
        guide_code: None,
        member_id: shopper.member_id,
        coupon_id: shopper.member_id.and(form.coupon.trim().parse().ok()),
    };
    match mode {
        Mode::Pickup => check_pickup(form, row, &mut request, &mut errors),
        Mode::Delivery => check_delivery(db, form, row, shopper, &mut request, &mut errors).await?,
    }
    if !errors.is_empty() {
        let mut draft = draft_of(form);
        draft.errors = errors;
        return Ok(Checked::Draft(Box::new(draft)));
    }
    request.guide_code = credited_guide(db, shopper.guide_code.as_deref()).await?;
    Ok(Checked::Order(Box::new(request)))
}

fn check_pickup(
    form: &PlaceForm,
    row: &StoreRow,
    request: &mut OrderRequest,
    errors: &mut Vec<(F, Text)>,
) {
    let chosen: Option<i64> = form.pickup_at.trim().parse().ok();
    let lead = u16::try_from(row.pickup_lead_min).unwrap_or(20);
    request.pickup_at = chosen.filter(|at| pickup_allowed(&row.calendar().pickup_times(lead), *at));
    if request.pickup_at.is_none() {
        errors.push((F::PickupAt, T::ChoosePickup.into()));
    }
}

async fn check_delivery(
    db: &Db,
    form: &PlaceForm,
    row: &StoreRow,
    shopper: &Shopper,
    request: &mut OrderRequest,
    errors: &mut Vec<(F, Text)>,
) -> Result<(), AppError> {
    match delivery_point(db, shopper.location, &form.place).await? {
        None => errors.push((F::Place, T::ChooseArea.into())),
        Some(point) => {
            let radius_m = row.delivery_radius_m;
            if point.distance_m(row.location()) > f64::from(radius_m) {
                let nearest = deliverer(db, point, row.id).await?;
                errors.push((F::Place, Text::OutsideRadius { radius_m, nearest }));
            } else {
                request.location = Some((point.lat, point.lon));
            }
        }
    }
    request.address = order::parse_address(&form.address)
        .map_err(|e| errors.push((F::Address, Text::Field(ContactField::Address, e))))
        .ok();
    let chosen: Option<i64> = form.window.trim().parse().ok();
    let found = chosen.and_then(|s| {
        row.calendar()
            .windows()
            .into_iter()
            .find(|w| w.starts_at == s)
    });
    match found {
        Some(w) if w.open_for_orders => request.window = Some((w.starts_at, w.ends_at)),
        Some(_) => errors.push((F::Window, T::NoSuchWindow.into())),
        None => errors.push((F::Window, T::ChooseWindow.into())),
    }
    Ok(())
}

/// The guide code, if it is a real guide's.
async fn credited_guide(db: &Db, code: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(code) = code else {
        return Ok(None);
    };
    // Only the code is kept; the language only names the guide, which is not used here.
    Ok(guides::guide(db, code, Lang::ZhCn).await?.map(|g| g.code))
}

/// Where to deliver: the shopper's shared location (`here`), or a district's centre.
pub async fn delivery_point(
    db: &Db,
    location: Option<LatLon>,
    place: &str,
) -> Result<Option<LatLon>, AppError> {
    if place == "here" {
        return Ok(location);
    }
    if place.is_empty() {
        return Ok(None);
    }
    // Keys are the same in every language.
    let (_, districts) = places::places(db, Lang::ZhCn).await?;
    Ok(districts
        .into_iter()
        .find(|d| d.key == place)
        .map(|d| d.center))
}

/// The nearest other store whose delivery area covers `point`.
pub async fn deliverer(db: &Db, point: LatLon, except: i64) -> Result<Option<Named>, AppError> {
    let near = nearby::stores_near(
        db,
        point,
        10,
        NearFilter {
            in_stock: None,
            except: Some(except),
        },
    )
    .await?;
    Ok(near
        .into_iter()
        .find(|n| n.distance_m <= n.store.delivery_radius_m as f64)
        .map(|n| n.store.names()))
}

/// Checks the form and, when it is right, places the order: the draft is cleared on
/// success and a refusal (a window just filled, stock ran out) comes back as a draft.
pub async fn submit(
    db: &Db,
    key: &crate::ssr::settings::SigningKey,
    payment: Option<&crate::ssr::settings::PaymentSettings>,
    form: &PlaceForm,
    row: &StoreRow,
    shopper: &Shopper,
    lines: Vec<(i64, i64)>,
) -> Result<Submitted, AppError> {
    let request = match check(db, form, row, shopper, lines).await? {
        Checked::Order(request) => request,
        Checked::Draft(draft) => return Ok(Submitted::Draft(draft)),
    };
    if let Some(window) = request.window {
        checkout::ensure_windows(db, row.id, &[window]).await?;
    }
    let mut draft = draft_of(form);
    let plan = plan(payment, form, row, request.mode);
    match checkout::place_with(db, key, &request, plan).await? {
        Ok(placed) => {
            clear_draft(db, &shopper.owner, row.id).await?;
            return Ok(Submitted::Placed(placed));
        }
        Err(Refusal::WindowFull) => draft.errors.push((F::Window, T::WindowFullNow.into())),
        Err(Refusal::NoSuchWindow) => draft.errors.push((F::Window, T::NoSuchWindow.into())),
        Err(Refusal::OutOfStock(product)) => {
            draft.problem = Some(Text::OutOfStock(stores::product_names(db, product).await?));
        }
        Err(Refusal::KeyReused) => draft.problem = Some(T::KeyReused.into()),
        Err(Refusal::CouponGone) => draft.problem = Some(T::CouponGone.into()),
        Err(Refusal::EmptyBag) => return Err(AppError::conflict(T::EmptyForStore)),
        Err(Refusal::Paused(scope)) => return Err(AppError::conflict(paused_refusal(scope))),
    }
    Ok(Submitted::Draft(Box::new(draft)))
}

/// How the order is to be paid: not through the app when payment is off; at the till
/// for a pick-up whose shopper chose it at a store that allows it; otherwise online.
pub fn plan(
    payment: Option<&crate::ssr::settings::PaymentSettings>,
    form: &PlaceForm,
    row: &StoreRow,
    mode: crate::domain::order::Mode,
) -> crate::ssr::payments::Plan {
    use crate::ssr::payments::Plan;
    match payment {
        None => Plan::None,
        Some(_)
            if mode == crate::domain::order::Mode::Pickup
                && row.pay_at_store == 1
                && form.pay.trim() == "store" =>
        {
            Plan::AtStore
        }
        Some(p) => Plan::Online {
            hold_secs: p.hold_secs,
        },
    }
}

pub async fn load_draft(db: &Db, owner: &str, store_id: i64) -> Result<Draft, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT data FROM checkout_drafts WHERE owner = $1 AND store_id = $2")
            .bind(owner)
            .bind(store_id)
            .fetch_optional(&db.pool)
            .await?;
    // A draft written by an older server (another shape) is simply not shown again.
    Ok(row
        .and_then(|(data,)| serde_json::from_str(&data).ok())
        .unwrap_or_default())
}

pub async fn save_draft(
    db: &Db,
    owner: &str,
    store_id: i64,
    draft: &Draft,
) -> Result<(), AppError> {
    retrying(db, || save_draft_once(db, owner, store_id, draft)).await
}

/// One attempt of [`save_draft`].
async fn save_draft_once(
    db: &Db,
    owner: &str,
    store_id: i64,
    draft: &Draft,
) -> Result<(), AppError> {
    let data = serde_json::to_string(draft).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT INTO checkout_drafts (owner, store_id, data, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (owner, store_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
    )
    .bind(owner)
    .bind(store_id)
    .bind(data)
    .bind(crate::ssr::session::now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn clear_draft(db: &Db, owner: &str, store_id: i64) -> Result<(), AppError> {
    retrying(db, || clear_draft_once(db, owner, store_id)).await
}

/// One attempt of [`clear_draft`].
async fn clear_draft_once(db: &Db, owner: &str, store_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM checkout_drafts WHERE owner = $1 AND store_id = $2")
        .bind(owner)
        .bind(store_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u8, minute: u16) -> LocalTime {
        LocalTime { day, minute }
    }

    #[test]
    fn pickup_times_are_the_listed_ones_or_just_before_the_first() {
        let times = [(10_000, at(0, 600)), (11_800, at(0, 630))];
        assert!(pickup_allowed(&times, 10_000));
        assert!(pickup_allowed(&times, 11_800));
        assert!(pickup_allowed(&times, 10_000 - 15 * 60));
        assert!(!pickup_allowed(&times, 10_000 - 15 * 60 - 1));
        assert!(!pickup_allowed(&times, 10_001));
        assert!(!pickup_allowed(&[], 10_000));
    }

    #[test]
    fn a_draft_keeps_what_was_typed_within_bounds() {
        let form = PlaceForm {
            mode: "delivery".into(),
            name: "王".repeat(100),
            window: " 1700000000 ".into(),
            place: String::new(),
            ..PlaceForm::default()
        };
        let d = draft_of(&form);
        assert_eq!(d.mode, Some(Mode::Delivery));
        assert_eq!(d.name.chars().count(), 32);
        assert_eq!(d.window, Some(1_700_000_000));
        assert_eq!(d.place, None);
    }
}
