//! The shopper's bag (server functions; types shared). Changes go through plain form
//! posts (see the server's `forms`), so they work without JavaScript.

use crate::domain::bag::{Bag, BagSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Every page's bag count and untold price drops. Free for a shopper without a session.
/// Worked out once per request, however often the page's header asks, and in a task of
/// its own: telling a shopper of a price drop marks it told, so a reckoning cut off by a
/// re-render (its future dropped after the claim) must still deliver what it claimed.
#[server]
pub async fn get_bag_summary() -> Result<BagSummary, AppError> {
    use crate::ssr::request;
    let (db, headers, lang) = (request::db()?, request::headers(), request::lang());
    // No session and no guide: nothing to reckon, and no task to spawn.
    if crate::ssr::cookies::read(&headers, crate::ssr::session::Kind::Shopper.cookie()).is_none()
        && crate::ssr::guides::attributed_code(&headers, crate::ssr::session::now()).is_none()
    {
        return Ok(BagSummary::default());
    }
    let Some(once) = use_context::<request::BagSummaryOnce>() else {
        return bag_summary(db, headers, lang).await;
    };
    let mut answer = {
        let mut slot = once.0.lock().map_err(|_| AppError::Internal)?;
        match &*slot {
            Some(rx) => rx.clone(),
            None => {
                let (tx, rx) = tokio::sync::watch::channel(None);
                tokio::spawn(async move {
                    let _ = tx.send(Some(bag_summary(db, headers, lang).await));
                });
                *slot = Some(rx.clone());
                rx
            }
        }
    };
    let summary = answer
        .wait_for(Option::is_some)
        .await
        .map_err(|_| AppError::Internal)?;
    summary.clone().unwrap_or(Err(AppError::Internal))
}

#[cfg(feature = "ssr")]
async fn bag_summary(
    db: crate::ssr::db::Db,
    headers: http::HeaderMap,
    lang: crate::domain::lang::Lang,
) -> Result<BagSummary, AppError> {
    crate::ssr::bag::summary_of_request(&db, &headers, lang).await
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
