//! The till's posts: `POST /till/login` (the store's staff PIN, rate-limited per address),
//! `/till/collect` (a pick-up code, accepted once), `/till/advance` (an order's next step)
//! and `/till/logout`. Staff sessions are per store and use their own cookie.

use super::Reply;
use app::domain::i18n::checkout::{self as text, CheckoutText as T};
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
        rate_limit::hit(&db, &format!("pin:{}", peer.ip()), rate_limit::STAFF_PIN).await?;
        let Some(pin) = settings.staff_pin.as_deref() else {
            return Err(AppError::Forbidden);
        };
        if !same_secret(pin, form.pin.trim()) {
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
    outcome
        .unwrap_or_else(|e| Reply::refused(&e, lang, &back))
        .respond(&headers, lang)
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
            .ok_or_else(|| AppError::Conflict(T::TillCodeRefused.t(lang).to_owned()))?;
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
            Err(AppError::Conflict(T::TillCodeRefused.t(lang).to_owned()))
        }
    }
    .await;
    outcome
        .unwrap_or_else(|e| Reply::refused(&e, lang, &back))
        .respond(&headers, lang)
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
