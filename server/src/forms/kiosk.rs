//! `POST /kiosk/add` and `/kiosk/reset`: a kiosk screen's bag, kept in the screen's own
//! session (never a shopper's), and the reset that ends it when the screen goes idle.

use super::Reply;
use crate::extract::{Answer, KioskSession};
use app::error::{AppError, Missing};
use app::forms::{KioskResetForm, LineForm};
use app::ssr::db::Db;
use app::ssr::session::{self, Kind};
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

/// Keeps a product seen on the screen in the screen's bag.
pub async fn add(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<LineForm>,
) -> Response {
    super::bag::add_to(&db, &headers, answer, &form, Kind::Kiosk).await
}

/// Ends the screen's session and its bag, and goes back to the attract screen.
pub async fn reset(
    State(db): State<Db>,
    answer: Answer,
    KioskSession(screen): KioskSession,
    Form(form): Form<KioskResetForm>,
) -> Response {
    let outcome = async {
        let slug = app::domain::store::StoreSlug::parse(&form.store)
            .ok_or(AppError::NotFound(Missing::Store))?;
        let attract = app::links::kiosk(slug.as_str());
        let mut reply = Reply::ok(String::new(), &attract);
        if let Some(session) = screen {
            let cleared = session::end(&db, &session, answer.https).await?;
            reply = reply.with_cookie(Some(cleared));
        }
        Ok::<_, AppError>(reply.with_count(0))
    }
    .await;
    super::finish(outcome, answer, "/")
}
