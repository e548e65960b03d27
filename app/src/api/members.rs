//! The member page and the demo inbox (server functions; types shared). Signing in and
//! out are form posts (see the server's `forms::members`).

use crate::error::AppError;
pub use crate::views::members::{CouponView, InboxMessage, MemberPage, MemberView};
use leptos::prelude::*;

#[server]
pub async fn get_member_page() -> Result<MemberPage, AppError> {
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
                coupons: m.coupons.iter().map(|c| c.view(lang)).collect(),
                device: members::device_of(&db, &s.id).await?,
                now: session::now(),
            }),
            None => None,
        },
        None => None,
    };
    let pending = crate::ssr::cookies::read(&headers, crate::ssr::cookies::Cookie::PendingPhone)
        .filter(|p| crate::domain::order::parse_phone(p).is_ok())
        .map(members::mask);
    Ok(MemberPage {
        member,
        pending,
        demo: settings.demo,
    })
}

/// The demo inbox: what the demo code sender "sent". Only in demo mode; a 404 otherwise.
#[server]
pub async fn get_demo_inbox() -> Result<Vec<InboxMessage>, AppError> {
    use crate::error::Missing;
    use crate::ssr::{members, request};
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
    members::demo_inbox(&db).await
}
