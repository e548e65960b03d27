//! The till's posts: `POST /till/login` (the store's staff PIN, rate-limited per address),
//! `/till/collect` (a pick-up code, accepted once), `/till/advance` (an order's next step),
//! `/till/logout`, and the member desk (`/till/member`, `/till/redeem`, `/till/points`).
//! Staff sessions are per store and use their own cookie. Each post has its own form.

use super::Reply;
use crate::extract::{Answer, StaffSession};
use app::domain::i18n::checkout::{self as text, CheckoutText as T};
use app::domain::i18n::member::{self as member_text, MemberText as M};
use app::error::{AppError, Missing};
use app::forms::{
    TillAdvanceForm, TillCollectForm, TillLoginForm, TillLogoutForm, TillMemberForm,
    TillPointsForm, TillRedeemForm,
};
use app::ssr::checkout::{self, AdvanceRefusal};
use app::ssr::cookies;
use app::ssr::db::Db;
use app::ssr::members::{self, CodeRefusal};
use app::ssr::rate_limit;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind};
use app::ssr::settings::Settings;
use app::ssr::token::same_secret;
use axum::extract::{ConnectInfo, Form, State};
use axum::response::Response;
use http::HeaderMap;
use std::net::SocketAddr;

fn till_path(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => app::links::till(s.as_str()),
        None => "/".to_owned(),
    }
}

pub async fn login(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<TillLoginForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let https = cookies::is_https(&headers);
    // Wrong PINs count, per till device (its own cookie) and, more loosely, per address;
    // a store's staff signing in all day do not count, and one device's misses do not lock
    // out the other tills behind the store's shared address.
    let (device, new_device) = match cookies::till_device(&headers) {
        Some(d) => (d.to_owned(), None),
        None => {
            let d = cookies::new_device_id();
            let cookie = cookies::set(cookies::Cookie::TillDevice, &d, https);
            (d, Some(cookie))
        }
    };
    let outcome = async {
        let row = app::ssr::stores::store_or_404(&db, &form.store).await?;
        let device_key = format!("pin-device:{device}");
        let address_key = format!("pin:{}", peer.ip());
        rate_limit::check(&db, &device_key, rate_limit::STAFF_PIN).await?;
        rate_limit::check(&db, &address_key, rate_limit::STAFF_PIN_ADDRESS).await?;
        let Some(pin) = settings.staff_pin.as_deref() else {
            return Err(AppError::conflict(T::TillNotConfigured));
        };
        if !same_secret(pin, form.pin.trim()) {
            rate_limit::hit(&db, &address_key, rate_limit::STAFF_PIN_ADDRESS).await?;
            rate_limit::hit(&db, &device_key, rate_limit::STAFF_PIN).await?;
            return Err(AppError::validation(
                TillLoginForm::FIELDS.pin,
                T::TillBadPin,
            ));
        }
        let (_, cookie) =
            session::create(&db, Kind::Staff, Some(row.id), cookies::is_https(&headers)).await?;
        Ok(Reply::ok(String::from(T::TillSignedIn.t(lang)), &back).with_cookie(Some(cookie)))
    }
    .await;
    outcome
        .unwrap_or_else(|e| Reply::refused(&e, lang, &back))
        .with_cookie(new_device)
        .respond(Answer::of(&headers))
}

/// The store a staff post is for, when the poster is signed in to that store's till.
async fn staff_store(db: &Db, staff: &StaffSession, store: &str) -> Result<i64, AppError> {
    let row = app::ssr::stores::store_or_404(db, store).await?;
    staff
        .0
        .as_ref()
        .filter(|s| s.store_id == Some(row.id))
        .ok_or(AppError::Unauthorized)?;
    Ok(row.id)
}

pub async fn collect(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    staff: StaffSession,
    headers: HeaderMap,
    Form(form): Form<TillCollectForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let store_id = staff_store(&db, &staff, &form.store).await?;
        rate_limit::hit(&db, &format!("till:{}", peer.ip()), rate_limit::TILL_CODES).await?;
        let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
        match checkout::collect(&db, &settings.key, store_id, &code).await? {
            Some(order) => Ok(Reply::ok(text::collected(lang, &order), &back)),
            None => Err(AppError::conflict(T::TillCodeRefused)),
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}

pub async fn advance(
    State(db): State<Db>,
    staff: StaffSession,
    headers: HeaderMap,
    Form(form): Form<TillAdvanceForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let store_id = staff_store(&db, &staff, &form.store).await?;
        let id = form.id.trim();
        match checkout::advance(&db, store_id, id).await? {
            Ok(next) => Ok(Reply::ok(text::advanced(lang, id, next), &back)),
            Err(AdvanceRefusal::NotFound) => Err(AppError::NotFound(Missing::Page)),
            Err(AdvanceRefusal::Moved) => Err(AppError::conflict(T::OrderMoved)),
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}

pub async fn logout(
    State(db): State<Db>,
    headers: HeaderMap,
    Form(form): Form<TillLogoutForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let mut reply = Reply::ok(String::from(T::TillSignedOut.t(lang)), &back);
    if let Ok(Some(staff)) = session::current(&db, &headers, Kind::Staff).await
        && let Ok(cleared) = session::end(&db, &staff, cookies::is_https(&headers)).await
    {
        reply = reply.with_cookie(Some(cleared));
    }
    reply.respond(Answer::of(&headers))
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
    staff: &StaffSession,
    store: &str,
    token: &str,
) -> Result<(i64, i64), AppError> {
    let store_id = staff_store(db, staff, store).await?;
    let member = members::till_token_member(&settings.key, token, session::now())
        .map_err(|_| AppError::conflict(M::DeskExpired))?;
    Ok((store_id, member))
}

/// Checks a member code (typed, or typed by a scanner): accepted once.
pub async fn member(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    staff: StaffSession,
    headers: HeaderMap,
    Form(form): Form<TillMemberForm>,
) -> Response {
    let back = till_path(&form.store);
    let outcome = async {
        staff_store(&db, &staff, &form.store).await?;
        let limit_key = format!("member-code:{}", peer.ip());
        rate_limit::hit(&db, &limit_key, rate_limit::MEMBER_CODES).await?;
        match members::check_member_code(&db, &form.code, session::now()).await? {
            Ok(member) => {
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
    staff: StaffSession,
    headers: HeaderMap,
    Form(form): Form<TillRedeemForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = serving(&form.store, &form.m);
    let outcome = async {
        let (_, member) = serving_member(&db, &settings, &staff, &form.store, &form.m).await?;
        let coupon: i64 = form
            .coupon
            .trim()
            .parse()
            .map_err(|_| AppError::validation(TillRedeemForm::FIELDS.coupon, M::CouponGone))?;
        if members::redeem_coupon(&db, member, coupon).await? {
            Ok(Reply::ok(M::CouponRedeemed.t(lang).to_owned(), &back))
        } else {
            Err(AppError::conflict(M::CouponGone))
        }
    }
    .await;
    super::finish(outcome, Answer::of(&headers), &back)
}

pub async fn points(
    State(db): State<Db>,
    State(settings): State<Settings>,
    staff: StaffSession,
    headers: HeaderMap,
    Form(form): Form<TillPointsForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = serving(&form.store, &form.m);
    let outcome = async {
        let (store_id, member) =
            serving_member(&db, &settings, &staff, &form.store, &form.m).await?;
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
