//! The member page and the demo inbox (server functions; types shared). Signing in and
//! out are form posts (see the server's `forms::members`).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Name of the short cookie that remembers which phone a code was sent to.
pub const PENDING_PHONE_COOKIE: &str = "otp_phone";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponView {
    pub id: i64,
    pub title: String,
    pub terms: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub phone: String,
    pub points: i64,
    pub coupons: Vec<CouponView>,
    /// The device's number and key (hex) for the member code, and the server's clock.
    pub device: Option<(String, String)>,
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub member: Option<MemberView>,
    /// A code was sent to this (masked) phone: ask for it.
    pub pending: Option<String>,
    pub demo: bool,
}

#[server]
pub async fn get_member_page() -> Result<MemberPage, AppError> {
    use crate::domain::i18n::member::{self as text, MemberText};
    use crate::domain::money::Money;
    use crate::ssr::members;
    use crate::ssr::request;
    use crate::ssr::session::{self, Kind};
    let (db, lang, settings) = (request::db()?, request::lang(), request::settings()?);
    // The page carries the device's key: never cache it.
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    let headers = request::headers();
    let shopper = session::current(&db, &headers, Kind::Shopper).await?;
    let member = match shopper.as_ref().and_then(|s| s.member_id.map(|m| (s, m))) {
        Some((s, id)) => match members::member(&db, id).await? {
            Some(m) => Some(MemberView {
                phone: members::mask(&m.phone),
                points: m.points,
                coupons: m
                    .coupons
                    .iter()
                    .map(|&(id, value, min, _)| CouponView {
                        id,
                        title: MemberText::NewMemberCoupon.t(lang).to_owned(),
                        terms: text::coupon(lang, Money::cny(value), Money::cny(min)),
                    })
                    .collect(),
                device: members::device_of(&db, &s.id).await?,
                now: session::now(),
            }),
            None => None,
        },
        None => None,
    };
    let pending = session::cookie_value(&headers, PENDING_PHONE_COOKIE)
        .filter(|p| crate::domain::order::parse_phone(p).is_ok())
        .map(|p| members::mask(&p));
    Ok(MemberPage {
        member,
        pending,
        demo: settings.demo,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub phone: String,
    pub message: String,
}

/// The demo inbox: what the demo code sender "sent". Only in demo mode; a 404 otherwise.
#[server]
pub async fn get_demo_inbox() -> Result<Vec<InboxMessage>, AppError> {
    use crate::error::Missing;
    use crate::ssr::request;
    let (db, settings) = (request::db()?, request::settings()?);
    if !settings.demo {
        return Err(AppError::NotFound(Missing::Page));
    }
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT phone, message FROM demo_inbox ORDER BY id DESC LIMIT 20")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(phone, message)| InboxMessage { phone, message })
        .collect())
}
