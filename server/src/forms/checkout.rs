//! `POST /checkout/place` and `/orders/cancel`. Placing validates every field on the
//! server (the rules are in `app::ssr::checkout_form`; the browser's checks are only a
//! comfort); a form with mistakes goes back to the checkout page with the fields as typed
//! and a message beside each, kept as a draft. An order placed goes to its page; the same
//! form posted again (same idempotency key) goes to the same order.

use super::{Reply, see_other, wants_json};
use crate::extract::Answer;
use app::components::enhance::FormReply;
use app::domain::geo::LatLon;
use app::domain::i18n::checkout::CheckoutText as T;
use app::domain::lang::Lang;
use app::domain::order::{Status, parse_order_id};
use app::error::{AppError, Missing};
use app::forms::CancelForm;
use app::ssr::checkout::{self, Placed};
use app::ssr::checkout_form::{self, Shopper, Submitted};
use app::ssr::cookies::{self, Cookie};
use app::ssr::db::Db;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind};
use app::ssr::settings::Settings;
use app::ssr::{bag, rate_limit, stores};
use app::views::checkout::{Draft, PlaceForm};
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};

pub async fn place(
    State(db): State<Db>,
    State(settings): State<Settings>,
    headers: HeaderMap,
    Form(form): Form<PlaceForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = app::domain::store::StoreSlug::parse(&form.store)
        .map_or_else(|| "/".to_owned(), |s| app::links::checkout(s.as_str()));
    match place_inner(&db, &settings, &headers, &form, lang, &back).await {
        Ok(response) => response,
        Err(e) => Reply::refused(&e, lang, &back).respond(Answer::of(&headers)),
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
    let row = stores::store_or_404(db, &form.store).await?;
    let Some(session) = session::current(db, headers, Kind::Shopper).await? else {
        return Err(AppError::conflict(T::EmptyForStore));
    };
    // Signed in, the bag, the drafts and the orders are the member's (on any device).
    let owner = session.bag_owner();
    let lines = bag::store_lines(db, &owner, row.id).await?;
    // The same form sent again (a double tap, a resubmission) after its order went through
    // (the bag's lines are gone by then): that order, before any rate limit applies.
    if lines.is_empty()
        && let Some(id) = checkout::order_for_key(db, &owner, form.key.trim()).await?
    {
        return Ok(placed_response(headers, &Placed::Again(id), lang));
    }
    rate_limit::hit(
        db,
        &format!("checkout:{}", session.id),
        rate_limit::CHECKOUT,
    )
    .await?;
    let shopper = Shopper {
        owner,
        member_id: session.member_id,
        location: cookies::read(headers, Cookie::Location).and_then(LatLon::parse_pair),
        guide_code: app::ssr::guides::attributed_code(headers, session::now()),
    };
    let payment = settings.payment.as_ref();
    match checkout_form::submit(db, &settings.key, payment, form, &row, &shopper, lines).await? {
        Submitted::Placed(placed) => Ok(placed_response(headers, &placed, lang)),
        Submitted::Draft(draft) => {
            back_with(db, headers, &shopper.owner, row.id, &draft, back, lang).await
        }
    }
}

fn placed_response(headers: &HeaderMap, placed: &Placed, lang: Lang) -> Response {
    let href = app::links::order(placed.id());
    if wants_json(headers) {
        let body = FormReply {
            ok: true,
            message: T::OrderPlaced.t(lang).to_owned(),
            order: Some(placed.id().to_owned()),
            href: Some(href),
            ..FormReply::default()
        };
        (StatusCode::OK, axum::Json(body)).into_response()
    } else {
        // The order page says so once ("Order placed"), from the one-time notice.
        Reply::ok(T::OrderPlaced.t(lang).to_owned(), &href).respond(Answer::of(headers))
    }
}

/// Keeps the draft and sends the shopper back to the form (JSON: the errors, 400).
async fn back_with(
    db: &Db,
    headers: &HeaderMap,
    owner: &str,
    store_id: i64,
    draft: &Draft,
    back: &str,
    lang: Lang,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        let body = FormReply {
            ok: false,
            errors: draft
                .errors
                .iter()
                .map(|(field, text)| (field.name().to_owned(), text.t(lang)))
                .collect(),
            message: draft
                .problem
                .as_ref()
                .map_or_else(|| T::FixErrors.t(lang).to_owned(), |p| p.t(lang)),
            ..FormReply::default()
        };
        return Ok((StatusCode::BAD_REQUEST, axum::Json(body)).into_response());
    }
    checkout_form::save_draft(db, owner, store_id, draft).await?;
    Ok(see_other(back))
}

pub async fn cancel(
    State(db): State<Db>,
    State(settings): State<Settings>,
    headers: HeaderMap,
    Form(form): Form<CancelForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let id = parse_order_id(&form.id);
    let back = id
        .as_deref()
        .map_or_else(|| "/".to_owned(), app::links::order);
    let outcome = async {
        let shopper = session::current(&db, &headers, Kind::Shopper)
            .await?
            .ok_or(AppError::NotFound(Missing::Page))?;
        let id = id.as_deref().ok_or(AppError::NotFound(Missing::Page))?;
        let owner = shopper.bag_owner();
        if checkout::cancel(&db, &owner, id).await? {
            // A paid order's refund was asked in the cancelling transaction; the provider
            // is asked now (and by the sweep, if it does not answer).
            if let Some(payment) = settings.payment.as_ref() {
                app::ssr::payments::settle_refunds(&db, payment.provider.as_ref(), id).await?;
            }
            return Ok(Reply::ok(T::Cancelled.t(lang).to_owned(), &back));
        }
        // Not cancelled now: say why — already cancelled, too late, or not theirs.
        match checkout::order(&db, id).await?.filter(|o| o.owner == owner) {
            Some(o) if o.status == Status::Cancelled => {
                Ok(Reply::ok(T::AlreadyCancelled.t(lang).to_owned(), &back))
            }
            Some(_) => Err(AppError::conflict(T::TooLateToCancel)),
            None => Err(AppError::NotFound(Missing::Page)),
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}
