//! `POST /kiosk/add`, `/kiosk/set`, `/kiosk/remove` and `/kiosk/reset`: a kiosk screen's
//! bag, kept in the screen's own session (never a shopper's), a line's quantity changed
//! or removed on the screen, and the reset that ends it all when the screen goes idle.

use super::Reply;
use crate::extract::{Answer, KioskSession};
use app::domain::bag::MAX_QUANTITY;
use app::domain::i18n::bag::{self as text, BagText};
use app::domain::lang::Lang;
use app::error::{AppError, Missing};
use app::forms::{KioskResetForm, LineForm};
use app::ssr::bag::{self, Item, Refusal};
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

fn refusal(refusal: Refusal) -> AppError {
    AppError::from(refusal)
}

/// Where a kiosk's bag form goes back to: its `back`, else the screen's bag page.
fn back_of(form: &LineForm) -> String {
    form.back
        .get()
        .map(str::to_owned)
        .unwrap_or_else(|| app::links::kiosk_bag(&form.store))
}

/// Sets a line of the screen's bag to a quantity (the screen's − and + buttons); 0 removes.
pub async fn set(
    State(db): State<Db>,
    answer: Answer,
    KioskSession(screen): KioskSession,
    Form(form): Form<LineForm>,
) -> Response {
    let lang = answer.lang;
    let back = back_of(&form);
    let outcome = async {
        let quantity: u32 = form
            .quantity
            .as_deref()
            .and_then(|q| q.trim().parse().ok())
            .filter(|q| *q <= MAX_QUANTITY)
            .ok_or_else(|| AppError::validation(LineForm::FIELDS.quantity, BagText::BadQuantity))?;
        let (screen, item, name) = line_of(&db, screen, &form, lang).await?;
        let Some(screen) = screen else {
            return match quantity {
                0 => Ok(Reply::ok(text::updated(lang, &name, 0), &back).with_count(0)),
                _ => Err(refusal(Refusal::NotInBag)),
            };
        };
        let owner = screen.bag_owner();
        let now = bag::set_quantity(&db, &owner, item, quantity)
            .await?
            .map_err(refusal)?;
        let count = bag::summary_count(&db, &owner).await?;
        Ok::<_, AppError>(Reply::ok(text::updated(lang, &name, now), &back).with_count(count))
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
    let lang = answer.lang;
    let back = back_of(&form);
    let outcome = async {
        let (screen, item, name) = line_of(&db, screen, &form, lang).await?;
        let mut count = 0;
        if let Some(screen) = screen {
            bag::remove(&db, &screen.bag_owner(), item).await?;
            count = bag::summary_count(&db, &screen.bag_owner()).await?;
        }
        Ok::<_, AppError>(Reply::ok(text::updated(lang, &name, 0), &back).with_count(count))
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
