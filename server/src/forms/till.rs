//! The till's posts: `/till/collect` (a pick-up code, accepted once), `/till/advance` (an
//! order's next step), `/till/verify` (a booking's code, 核销, accepted once), and the member desk (`/till/member`, `/till/redeem`,
//! `/till/points`). Each is for a person signed in at `/staff` whose role in that store
//! works the till (`ssr::staff::authorize`). Each post has its own form.

use super::Reply;
use crate::extract::Answer;
use crate::proxy::ClientIp;
use app::domain::i18n::checkout::{self as text, CheckoutText as T};
use app::domain::i18n::marketing::MarketingText;
use app::domain::i18n::member::{self as member_text, MemberText as M};
use app::domain::i18n::payment::PaymentText;
use app::domain::order::parse_order_id;
use app::domain::payment::PaidMethod;
use app::domain::staff::Action;
use app::error::{AppError, Missing};
use app::forms::{
    TillAdvanceForm, TillCollectForm, TillMemberForm, TillPointsForm, TillRedeemForm,
    TillVerifyForm,
};
use app::ssr::checkout;
use app::ssr::checkout::CollectRefusal;
use app::ssr::console::{self, OrderRefusal};
use app::ssr::coupons::{self, RedeemRefusal};
use app::ssr::db::Db;
use app::ssr::members::{self, CodeRefusal};
use app::ssr::rate_limit;
use app::ssr::request::lang_of_headers;
use app::ssr::session;
use app::ssr::settings::Settings;
use app::ssr::staff;
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

fn till_path(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => app::links::till(s.as_str()),
        None => "/".to_owned(),
    }
}

/// The store a till post is for, when the poster's role there works the till.
async fn staff_store(db: &Db, headers: &HeaderMap, store: &str) -> Result<i64, AppError> {
    Ok(staff::authorize(db, headers, store, Action::Till)
        .await?
        .store
        .id)
}

pub async fn collect(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Form(form): Form<TillCollectForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let store_id = staff_store(&db, &headers, &form.store).await?;
        rate_limit::hit(&db, &format!("till:{}", client), rate_limit::TILL_CODES).await?;
        let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
        let paid = PaidMethod::parse(form.paid.trim());
        match checkout::collect_with(&db, &settings.key, store_id, &code, paid).await? {
            Ok(order) => Ok(Reply::ok(text::collected(lang, &order), &back)),
            Err(CollectRefusal::BadCode) => Err(AppError::conflict(T::TillCodeRefused)),
            Err(CollectRefusal::Unpaid) => Err(AppError::conflict(PaymentText::TillUnpaid)),
            Err(CollectRefusal::NeedsPayment) => Err(AppError::validation(
                TillCollectForm::FIELDS.paid,
                PaymentText::TillNeedsPayment,
            )),
        }
    }
    .await;
    // "How did they pay?" is said beside the choice.
    super::finish_beside(outcome, Answer::of(&headers), &back)
}

/// Verifies a booking of an in-store service by its code (typed, or typed by a scanner
/// from the member's QR): accepted once; a second time, however soon, refused.
pub async fn verify(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Form(form): Form<TillVerifyForm>,
) -> Response {
    use app::domain::i18n::appointments::{self as booking_text, AppointmentText as A};
    use app::ssr::appointments::{self, VerifyRefusal};
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Till).await?;
        let code = app::domain::appointments::parse_code(&form.booking_code).map_err(|p| {
            AppError::validation(
                TillVerifyForm::FIELDS.booking_code,
                booking_text::code_problem(p),
            )
        })?;
        rate_limit::hit(&db, &format!("till:{}", client), rate_limit::TILL_CODES).await?;
        let now = session::now();
        match appointments::verify(&db, &settings.key, c.store.id, &code, now).await? {
            Ok(v) => {
                let service = app::ssr::stores::pick(lang, &v.service_zh, &v.service_en);
                let when = c.store.calendar().label_instant(lang, v.starts_at);
                Ok(Reply::ok(
                    booking_text::verified(lang, service, &when),
                    &back,
                ))
            }
            Err(VerifyRefusal::Unknown) => Err(AppError::conflict(A::CodeUnknown)),
            Err(VerifyRefusal::AlreadyVerified) => Err(AppError::conflict(A::CodeUsed)),
            Err(VerifyRefusal::Cancelled) => Err(AppError::conflict(A::CodeCancelled)),
            Err(VerifyRefusal::Missed) => Err(AppError::conflict(A::CodeMissed)),
        }
    }
    .await;
    // A code that is not one is said beside the field.
    super::finish_beside(outcome, Answer::of(&headers), &back)
}

pub async fn advance(
    State(db): State<Db>,
    headers: HeaderMap,
    Form(form): Form<TillAdvanceForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Till).await?;
        let id = parse_order_id(&form.id).ok_or(AppError::NotFound(Missing::Page))?;
        match console::advance(&db, c.store.id, c.user.id, &id, None, None).await? {
            Ok(next) => Ok(Reply::ok(text::advanced(lang, &id, next), &back)),
            Err(OrderRefusal::NotFound) => Err(AppError::NotFound(Missing::Page)),
            Err(OrderRefusal::Moved) => Err(AppError::conflict(T::OrderMoved)),
            Err(OrderRefusal::Unpaid) => Err(AppError::conflict(PaymentText::UnpaidOrder)),
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}

/// The till page serving a member: `?m=` carries a signed token naming them, good for
/// ten minutes of that till's work.
fn serving(store: &str, token: &str) -> String {
    format!("{}?m={}", till_path(store), token)
}

/// The till's store and the member it is serving, for a post from the member desk.
async fn serving_member(
    db: &Db,
    settings: &Settings,
    headers: &HeaderMap,
    store: &str,
    token: &str,
) -> Result<(i64, i64), AppError> {
    let store_id = staff_store(db, headers, store).await?;
    let member = members::till_token_member(&settings.key, token, session::now())
        .map_err(|_| AppError::conflict(M::DeskExpired))?;
    Ok((store_id, member))
}

/// Checks a member code (typed, or typed by a scanner): accepted once.
pub async fn member(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Form(form): Form<TillMemberForm>,
) -> Response {
    let back = till_path(&form.store);
    let outcome = async {
        let store_id = staff_store(&db, &headers, &form.store).await?;
        let limit_key = format!("member-code:{}", client);
        rate_limit::hit(&db, &limit_key, rate_limit::MEMBER_CODES).await?;
        match members::check_member_code(&db, &form.code, session::now()).await? {
            Ok(member) => {
                members::touch_visit(&db, store_id, member).await?;
                let token = members::till_token(&settings.key, member, session::now());
                Ok(Reply::ok(String::new(), &serving(&form.store, &token)))
            }
            Err(refusal) => Err(AppError::conflict(match refusal {
                CodeRefusal::Malformed => M::CodeMalformed,
                CodeRefusal::Unknown => M::CodeUnknown,
                CodeRefusal::NotValid => M::CodeNotValid,
                CodeRefusal::Replayed => M::CodeReplayed,
            })),
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}

pub async fn redeem(
    State(db): State<Db>,
    State(settings): State<Settings>,
    headers: HeaderMap,
    Form(form): Form<TillRedeemForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = serving(&form.store, &form.m);
    let outcome = async {
        let (store_id, member) =
            serving_member(&db, &settings, &headers, &form.store, &form.m).await?;
        let coupon: i64 = form
            .coupon
            .trim()
            .parse()
            .map_err(|_| AppError::validation(TillRedeemForm::FIELDS.coupon, M::CouponGone))?;
        match coupons::redeem_at_till(&db, member, coupon, store_id).await? {
            Ok(()) => Ok(Reply::ok(M::CouponRedeemed.t(lang).to_owned(), &back)),
            Err(RedeemRefusal::Gone) => Err(AppError::conflict(M::CouponGone)),
            Err(RedeemRefusal::NotHere) => Err(AppError::conflict(MarketingText::CouponNotHere)),
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}

pub async fn points(
    State(db): State<Db>,
    State(settings): State<Settings>,
    headers: HeaderMap,
    Form(form): Form<TillPointsForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = serving(&form.store, &form.m);
    let outcome = async {
        let (store_id, member) =
            serving_member(&db, &settings, &headers, &form.store, &form.m).await?;
        let points: i64 = form
            .points
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| AppError::validation(TillPointsForm::FIELDS.points, M::BadPoints))?;
        members::add_points(&db, member, points, store_id).await?;
        Ok(Reply::ok(member_text::points_added(lang, points), &back))
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}
