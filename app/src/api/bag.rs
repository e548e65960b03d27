//! The shopper's bag (server functions; types shared). Changes go through plain form
//! posts (see the server's `forms`), so they work without JavaScript.

use crate::domain::bag::{Bag, BagSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Every page's bag count and untold price drops. Free for a shopper without a session.
#[server]
pub async fn get_bag_summary() -> Result<BagSummary, AppError> {
    use crate::ssr::session::{self, Kind};
    use crate::ssr::{bag, guides, request};
    let headers = request::headers();
    let guide_code = guides::attributed_code(&headers, session::now());
    let has_session = crate::ssr::cookies::read(&headers, Kind::Shopper.cookie()).is_some();
    if guide_code.is_none() && !has_session {
        return Ok(BagSummary::default());
    }
    let (db, lang) = (request::db()?, request::lang());
    let mut summary = match session::current(&db, &headers, Kind::Shopper).await? {
        Some(s) => bag::summary(&db, &s.bag_owner(), lang).await?,
        None => BagSummary::default(),
    };
    if let Some(code) = guide_code {
        summary.guide = guides::guide(&db, &code, lang)
            .await?
            .map(|g| (g.name, g.store_name));
    }
    Ok(summary)
}

#[server]
pub async fn get_bag() -> Result<Bag, AppError> {
    use crate::ssr::session::{self, Kind};
    use crate::ssr::{bag, request};
    let db = request::db()?;
    match session::current(&db, &request::headers(), Kind::Shopper).await? {
        Some(s) => bag::bag(&db, &s.bag_owner(), request::lang()).await,
        None => Ok(Bag::default()),
    }
}
