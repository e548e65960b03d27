//! Paying for an order: `GET /orders/{id}/pay` sends the shopper to the payment provider,
//! and `POST /payment/alipay/notify` is the provider telling us that they paid. The
//! notify is the one post exempt from the cross-origin check (see `security`): it comes
//! from the provider's servers, and it is believed only because its signature verifies.

use crate::extract::Answer;
use crate::forms::see_other;
use crate::proxy::ClientIp;
use app::domain::i18n::payment::PaymentText as P;
use app::domain::order::parse_order_id;
use app::error::{AppError, Missing};
use app::ssr::db::Db;
use app::ssr::payment::{PayRequest, PaymentProvider};
use app::ssr::payments;
use app::ssr::session::{self, Kind};
use app::ssr::settings::Settings;
use app::ssr::{checkout, rate_limit};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use std::time::Duration;

/// `GET /orders/{id}/pay`: for the shopper who placed it, an order that can still be
/// paid goes to the provider's pay page (a 303), which comes back to the order page.
pub async fn pay(
    State(db): State<Db>,
    State(settings): State<Settings>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let answer = Answer::of(&headers);
    match pay_url(&db, &settings, &id, &headers, answer.https).await {
        Ok(url) => {
            let mut response = see_other(&url);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(AppError::Conflict(_)) | Err(AppError::NotFound(_)) => {
            // Nothing to pay (paid already, cancelled, not theirs): the order page says why.
            match parse_order_id(&id) {
                Some(id) => see_other(&app::links::order(&id)),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
        // A plain status: the error-page layer makes it a page in the shopper's language.
        Err(e) => StatusCode::from_u16(e.status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

async fn pay_url(
    db: &Db,
    settings: &Settings,
    id: &str,
    headers: &HeaderMap,
    https: bool,
) -> Result<String, AppError> {
    let not_found = || AppError::NotFound(Missing::Page);
    let payment = settings.payment.as_ref().ok_or_else(not_found)?;
    let id = parse_order_id(id).ok_or_else(not_found)?;
    let shopper = session::current(db, headers, Kind::Shopper)
        .await?
        .ok_or_else(not_found)?;
    let order = checkout::order(db, &id)
        .await?
        .filter(|o| o.owner == shopper.bag_owner())
        .ok_or_else(not_found)?;
    let now = session::now();
    let money = payments::money(db, &id).await?.ok_or_else(not_found)?;
    if money.pay_by.is_some_and(|by| by <= now) {
        // Over: ended now (if it still awaits payment), and not paid for any more.
        payments::end_hold(db, Some(payment.provider.as_ref()), &id, now).await?;
        return Err(AppError::conflict(P::HoldEnded));
    }
    if !money.payment().payable() || order.status == app::domain::order::Status::Cancelled {
        return Err(AppError::conflict(P::PaymentUnavailable));
    }
    // The provider closes the trade when the hold ends (at least a minute from now).
    let left = money
        .pay_by
        .map_or(payment.hold_secs, |by| by - now)
        .max(60);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or(AppError::validation(
            "host",
            app::domain::i18n::Msg::BadRequest,
        ))?;
    let scheme = if https { "https" } else { "http" };
    let back = format!("{scheme}://{host}{}", app::links::order_paying(&id, now));
    let subject = format!("Cloud Store {id}");
    let request = PayRequest::new(
        &id,
        money.total_minor,
        &subject,
        Duration::from_secs(left as u64),
        Some(&back),
    )
    .map_err(|e| {
        tracing::error!(order = %id, error = %e, "an order that cannot be paid for");
        AppError::Internal
    })?;
    Ok(payment.provider.pay_url(&request))
}

/// `POST /payment/alipay/notify`: verified, then recorded once; answered with the
/// provider's acknowledgement (`success`) when handled, so it stops resending, or a 400
/// `fail` when refused (forged, tampered, not ours), logged.
pub async fn notify(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ClientIp(client): ClientIp,
    body: Bytes,
) -> Response {
    let Some(payment) = settings.payment.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Err(e) = rate_limit::hit(&db, &format!("notify:{client}"), rate_limit::NOTIFIES).await {
        return (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::TOO_MANY_REQUESTS),
            "fail",
        )
            .into_response();
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    match handle_notify(&db, payment.provider.as_ref(), &form).await {
        Ok(()) => (StatusCode::OK, payment.provider.notify_ack()).into_response(),
        Err(NotifyOutcome::Refused(why)) => {
            tracing::warn!(%client, why, "payment notify refused");
            (StatusCode::BAD_REQUEST, "fail").into_response()
        }
        Err(NotifyOutcome::Failed(e)) => {
            // Ours, not theirs (the database is away): the provider sends it again later.
            tracing::warn!(error = %e, "payment notify not recorded; the provider will resend");
            (StatusCode::SERVICE_UNAVAILABLE, "fail").into_response()
        }
    }
}

enum NotifyOutcome {
    Refused(String),
    Failed(AppError),
}

impl From<AppError> for NotifyOutcome {
    fn from(e: AppError) -> Self {
        NotifyOutcome::Failed(e)
    }
}

async fn handle_notify(
    db: &Db,
    provider: &dyn PaymentProvider,
    form: &[(String, String)],
) -> Result<(), NotifyOutcome> {
    let notify = provider
        .parse_notify(form)
        .map_err(|e| NotifyOutcome::Refused(e.to_string()))?;
    if !notify.trade_status.is_paid() {
        // Created or closed: nothing for us to do, but it is a true message.
        return Ok(());
    }
    let id = parse_order_id(&notify.out_trade_no)
        .ok_or_else(|| NotifyOutcome::Refused("not one of our order ids".to_owned()))?;
    payments::settle_payment(db, provider, &id, notify.total_fen, &notify.trade_no)
        .await
        .map_err(NotifyOutcome::from)?
        .map_err(|refusal| NotifyOutcome::Refused(format!("{refusal:?}")))
}
