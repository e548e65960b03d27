//! The shopper's bag (server functions; types shared). Changes go through plain form
//! posts (see the server's `forms`), so they work without JavaScript.

use crate::domain::bag::{Bag, BagSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Every page's bag count and untold price drops. Free for a shopper without a session.
#[server]
pub async fn get_bag_summary() -> Result<BagSummary, AppError> {
    use crate::ssr::session::{self, Kind};
    use crate::ssr::{bag, request};
    let headers = request::headers();
    if session::cookie_value(
        &headers,
        &Kind::Shopper.cookie_name(session::is_https(&headers)),
    )
    .is_none()
    {
        return Ok(BagSummary::default());
    }
    let db = request::db()?;
    match session::current(&db, &headers, Kind::Shopper).await? {
        Some(s) => bag::summary(&db, &s.id, request::lang()).await,
        None => Ok(BagSummary::default()),
    }
}

#[server]
pub async fn get_bag() -> Result<Bag, AppError> {
    use crate::ssr::session::{self, Kind};
    use crate::ssr::{bag, request};
    let db = request::db()?;
    match session::current(&db, &request::headers(), Kind::Shopper).await? {
        Some(s) => bag::bag(&db, &s.id, request::lang()).await,
        None => Ok(Bag::default()),
    }
}
