//! The till's posts: `POST /till/login` (the store's staff PIN, rate-limited per address),
//! `/till/collect` (a pick-up code, accepted once), `/till/advance` (an order's next step)
//! and `/till/logout`. Staff sessions are per store and use their own cookie.

use super::Reply;
use app::domain::i18n::checkout::{self as text, CheckoutText as T};
use app::domain::lang::Lang;
use app::domain::order::{Mode, Status};
use app::error::AppError;
use app::ssr::checkout;
use app::ssr::db::Db;
use app::ssr::rate_limit;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind, Session, is_https};
use app::ssr::settings::Settings;
use axum::extract::{ConnectInfo, Extension, Form};
use axum::response::Response;
use http::HeaderMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct TillForm {
    #[serde(default)]
    store: String,
    #[serde(default)]
    pin: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    id: String,
    /// The signed token of the member being served.
    #[serde(default)]
    m: String,
    #[serde(default)]
    coupon: String,
    #[serde(default)]
    points: String,
}

fn till_path(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => format!("/till/{}", s.as_str()),
        None => "/".to_owned(),
    }
}

/// Compares without exiting early at the first differing byte.
fn same_secret(a: &str, b: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

pub async fn login(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let row = app::api::checkout::server::store_row_in(&db, &form.store).await?;
        // Wrong PINs count; a store's staff signing in all day behind one address do not.
        let limit_key = format!("pin:{}", peer.ip());
        rate_limit::check(&db, &limit_key, rate_limit::STAFF_PIN).await?;
        let Some(pin) = settings.staff_pin.as_deref() else {
            return Err(AppError::Forbidden);
        };
        if !same_secret(pin, form.pin.trim()) {
            rate_limit::hit(&db, &limit_key, rate_limit::STAFF_PIN).await?;
            return Err(AppError::validation("pin", T::TillBadPin.t(lang)));
        }
        let (_, cookie) =
            session::create(&db, Kind::Staff, Some(row.id), is_https(&headers)).await?;
        Ok(Reply::ok(String::from(T::TillTitle.t(lang)), &back).with_cookie(Some(cookie)))
    }
    .await;
    outcome
        .unwrap_or_else(|e| match e {
            AppError::Forbidden => Reply::refused(
                &AppError::Conflict(T::TillNotConfigured.t(lang).to_owned()),
                lang,
                &back,
            ),
            e => Reply::refused(&e, lang, &back),
        })
        .respond(&headers, lang)
}

async fn staff_of(db: &Db, headers: &HeaderMap, store: &str) -> Result<(Session, i64), AppError> {
    let row = app::api::checkout::server::store_row_in(db, store).await?;
    let staff = session::current(db, headers, Kind::Staff)
        .await?
        .filter(|s| s.store_id == Some(row.id))
        .ok_or(AppError::Unauthorized)?;
    Ok((staff, row.id))
}

pub async fn collect(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let (_, store_id) = staff_of(&db, &headers, &form.store).await?;
        rate_limit::hit(&db, &format!("till:{}", peer.ip()), rate_limit::TILL_CODES).await?;
        let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
        match checkout::collect(&db, &settings.key, store_id, &code).await? {
            Some(order) => Ok(Reply::ok(text::collected(lang, &order), &back)),
            None => Err(AppError::Conflict(T::TillCodeRefused.t(lang).to_owned())),
        }
    }
    .await;
    super::finish(outcome, &headers, lang, &back)
}

pub async fn advance(
    Extension(db): Extension<Db>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        let (_, store_id) = staff_of(&db, &headers, &form.store).await?;
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT mode, status FROM orders WHERE id = $1 AND store_id = $2")
                .bind(form.id.trim())
                .bind(store_id)
                .fetch_optional(&db.pool)
                .await?;
        let (mode, status) = row.ok_or(AppError::NotFound(app::error::Missing::Page))?;
        let mode = Mode::parse(&mode).unwrap_or(Mode::Pickup);
        let status = Status::parse(&status).unwrap_or(Status::Placed);
        let next = status
            .next(mode)
            .ok_or_else(|| AppError::Conflict(T::OrderMoved.t(lang).to_owned()))?;
        // Only from the state the page showed: two staff pressing at once move it one step.
        let done = sqlx::query("UPDATE orders SET status = $1 WHERE id = $2 AND status = $3")
            .bind(next.as_str())
            .bind(form.id.trim())
            .bind(status.as_str())
            .execute(&db.pool)
            .await?;
        if done.rows_affected() == 1 {
            Ok(Reply::ok(text::advanced(lang, form.id.trim(), next), &back))
        } else {
            Err(AppError::Conflict(T::OrderMoved.t(lang).to_owned()))
        }
    }
    .await;
    super::finish(outcome, &headers, lang, &back)
}

pub async fn logout(
    Extension(db): Extension<Db>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let mut reply = Reply::ok(String::from(T::TillSignOut.t(lang)), &back);
    if let Ok(Some(staff)) = session::current(&db, &headers, Kind::Staff).await
        && let Ok(cleared) = session::end(&db, &staff, is_https(&headers)).await
    {
        reply = reply.with_cookie(Some(cleared));
    }
    reply.respond(&headers, lang)
}

/// The till page serving a member: `?m=` carries a signed token naming them, good for
/// ten minutes of that till's work.
fn serving(store: &str, token: &str) -> String {
    format!("{}?m={}", till_path(store), token)
}

/// The member a till token names, while it is valid.
fn member_of(settings: &Settings, token: &str, lang: Lang) -> Result<i64, AppError> {
    use app::domain::i18n::member::MemberText as M;
    use app::ssr::token::{Purpose, verify};
    let v = verify(&settings.key, Purpose::TillMember, token, session::now())
        .map_err(|_| AppError::Conflict(M::DeskExpired.t(lang).to_owned()))?;
    let bytes: [u8; 8] = v.data.try_into().map_err(|_| AppError::Internal)?;
    Ok(i64::from_be_bytes(bytes))
}

/// The till's store and the member it is serving, for a post from the member desk.
async fn serving_member(
    db: &Db,
    settings: &Settings,
    headers: &HeaderMap,
    form: &TillForm,
) -> Result<(i64, i64), AppError> {
    let (_, store_id) = staff_of(db, headers, &form.store).await?;
    Ok((
        store_id,
        member_of(settings, &form.m, lang_of_headers(headers))?,
    ))
}

/// Checks a member code (typed, or typed by a scanner): accepted once.
pub async fn member(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    use app::domain::i18n::member::MemberText as M;
    use app::ssr::members::{self, CodeRefusal};
    let lang = lang_of_headers(&headers);
    let back = till_path(&form.store);
    let outcome = async {
        staff_of(&db, &headers, &form.store).await?;
        rate_limit::hit(
            &db,
            &format!("member-code:{}", peer.ip()),
            rate_limit::MEMBER_CODES,
        )
        .await?;
        match members::check_member_code(&db, &form.code, session::now()).await? {
            Ok(member) => {
                let token = app::ssr::token::sign(
                    &settings.key,
                    app::ssr::token::Purpose::TillMember,
                    session::now() + 600,
                    &member.to_be_bytes(),
                );
                Ok(Reply::ok(String::new(), &serving(&form.store, &token)))
            }
            Err(refusal) => Err(AppError::Conflict(
                match refusal {
                    CodeRefusal::Malformed => M::CodeMalformed,
                    CodeRefusal::Unknown => M::CodeUnknown,
                    CodeRefusal::NotValid => M::CodeNotValid,
                    CodeRefusal::Replayed => M::CodeReplayed,
                }
                .t(lang)
                .to_owned(),
            )),
        }
    }
    .await;
    super::finish(outcome, &headers, lang, &back)
}

pub async fn redeem(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    use app::domain::i18n::member::MemberText as M;
    let lang = lang_of_headers(&headers);
    let back = serving(&form.store, &form.m);
    let outcome = async {
        let (_, member) = serving_member(&db, &settings, &headers, &form).await?;
        let coupon: i64 = form
            .coupon
            .trim()
            .parse()
            .map_err(|_| AppError::validation("coupon", M::CouponGone.t(lang)))?;
        if app::ssr::members::redeem_coupon(&db, member, coupon).await? {
            Ok(Reply::ok(M::CouponRedeemed.t(lang).to_owned(), &back))
        } else {
            Err(AppError::Conflict(M::CouponGone.t(lang).to_owned()))
        }
    }
    .await;
    super::finish(outcome, &headers, lang, &back)
}

pub async fn points(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    headers: HeaderMap,
    Form(form): Form<TillForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let back = serving(&form.store, &form.m);
    let outcome = async {
        let (store_id, member) = serving_member(&db, &settings, &headers, &form).await?;
        let points: i64 = form
            .points
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| {
                AppError::validation(
                    "points",
                    app::domain::i18n::member::MemberText::BadPoints.t(lang),
                )
            })?;
        app::ssr::members::add_points(&db, member, points, store_id).await?;
        Ok::<_, AppError>(Reply::ok(
            app::domain::i18n::member::points_added(lang, points),
            &back,
        ))
    }
    .await;
    super::finish(outcome, &headers, lang, &back)
}
