//! `POST /kiosk/add` and `/kiosk/reset`: a kiosk screen's bag, kept in the screen's own
//! session (never a shopper's), and the reset that ends it when the screen goes idle.

use super::Reply;
use super::bag::LineForm;
use app::error::{AppError, Missing};
use app::ssr::db::Db;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind, is_https};
use axum::extract::{Extension, Form};
use axum::response::Response;
use http::HeaderMap;
use serde::Deserialize;

/// Keeps a product seen on the screen in the screen's bag.
pub async fn add(
    Extension(db): Extension<Db>,
    headers: HeaderMap,
    Form(form): Form<LineForm>,
) -> Response {
    super::bag::add_to(&db, &headers, &form, Kind::Kiosk).await
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    store: String,
}

/// Ends the screen's session and its bag, and goes back to the attract screen.
pub async fn reset(
    Extension(db): Extension<Db>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let outcome = async {
        let slug = app::domain::store::StoreSlug::parse(&form.store)
            .ok_or(AppError::NotFound(Missing::Store))?;
        let attract = app::links::kiosk(slug.as_str());
        let mut reply = Reply::ok(String::new(), &attract);
        if let Some(session) = session::current(&db, &headers, Kind::Kiosk).await? {
            let cleared = session::end(&db, &session, is_https(&headers)).await?;
            reply = reply.with_cookie(Some(cleared));
        }
        Ok::<_, AppError>(reply.with_count(0))
    }
    .await;
    super::finish(outcome, &headers, lang, "/")
}
