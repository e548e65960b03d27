//! `POST /kiosk/add`, `/kiosk/set`, `/kiosk/remove` and `/kiosk/reset`: a kiosk screen's
//! bag, kept in the screen's own session (never a shopper's), a line's quantity changed
//! or removed on the screen, and the reset that ends it all when the screen goes idle.

use super::Reply;
use crate::extract::{Answer, KioskSession};
use app::domain::lang::Lang;
use app::error::{AppError, Missing};
use app::forms::{KioskResetForm, LineForm};
use app::ssr::bag::{self, Item};
use app::ssr::db::Db;
use app::ssr::session::{self, Kind, Session};
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

/// The line a form names, in the screen's bag at that store, with the product's name.
/// `None` for the session when the screen has no bag there (nothing to change).
async fn line_of(
    db: &Db,
    screen: Option<Session>,
    form: &LineForm,
    lang: Lang,
) -> Result<(Option<Session>, Item, String), AppError> {
    let (item, name) = bag::named_item(db, &form.store, &form.sku, lang).await?;
    // A screen's session belongs to one store: a form naming another changes nothing.
    let screen = screen.filter(|s| s.store_id == Some(item.store_id));
    Ok((screen, item, name))
}

/// Where a kiosk's bag form goes back to: its `back`, else the screen's bag page.
fn back_of(form: &LineForm) -> String {
    form.back
        .get()
        .map(str::to_owned)
        .unwrap_or_else(|| app::links::kiosk_bag(&form.store))
}

/// Sets a line's quantity in the screen's bag (0 removes it).
pub async fn set(
    State(db): State<Db>,
    answer: Answer,
    KioskSession(screen): KioskSession,
    Form(form): Form<LineForm>,
) -> Response {
    let back = back_of(&form);
    let outcome = async {
        let quantity = super::bag::set_quantity_of(&form)?;
        let (screen, item, name) = line_of(&db, screen, &form, answer.lang).await?;
        let owner = screen.map(|s| s.bag_owner());
        super::bag::set_line(&db, owner, (item, name), quantity, answer.lang, &back).await
    }
    .await;
    super::finish(outcome, answer, &back)
}

/// Removes a line from the screen's bag.
pub async fn remove(
    State(db): State<Db>,
    answer: Answer,
    KioskSession(screen): KioskSession,
    Form(form): Form<LineForm>,
) -> Response {
    let back = back_of(&form);
    let outcome = async {
        let (screen, item, name) = line_of(&db, screen, &form, answer.lang).await?;
        let owner = screen.map(|s| s.bag_owner());
        super::bag::set_line(&db, owner, (item, name), 0, answer.lang, &back).await
    }
    .await;
    super::finish(outcome, answer, &back)
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
