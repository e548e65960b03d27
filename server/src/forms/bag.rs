//! `POST /bag/add`, `/bag/set`, `/bag/remove` and `/bag/take` (moving a kiosk's bag to
//! this phone through the link in the kiosk's QR code).

use super::Reply;
use crate::extract::{Answer, ShopperSession};
use app::domain::bag::Quantity;
use app::domain::i18n::bag::{self as text, BagText};
use app::domain::lang::Lang;
use app::error::AppError;
use app::forms::{LineForm, TakeForm};
use app::links::routes;
use app::ssr::bag::{self, Item, Refusal};
use app::ssr::db::Db;
use app::ssr::handoff;
use app::ssr::session::{self, Kind};
use app::ssr::settings::Settings;
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

/// The store and product a form names, with the product's display name.
async fn item_of(db: &Db, form: &LineForm, lang: Lang) -> Result<(Item, String), AppError> {
    bag::named_item(db, &form.store, &form.sku, lang).await
}

fn quantity_of(form: &LineForm) -> Result<Quantity, AppError> {
    Quantity::parse(form.quantity.as_deref().unwrap_or("1"))
        .map_err(|_| AppError::validation(LineForm::FIELDS.quantity, BagText::BadQuantity))
}

fn refusal(refusal: Refusal) -> AppError {
    AppError::from(refusal)
}

/// Adds to the shopper's bag at `store`, making their session if they have none yet.
pub async fn add(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<LineForm>,
) -> Response {
    add_to(&db, &headers, answer, &form, Kind::Shopper).await
}

/// Adds to the bag of a shopper's session or, for `Kind::Kiosk`, of the screen's own
/// session at the item's store (those lines are marked seen in store).
pub async fn add_to(
    db: &Db,
    headers: &HeaderMap,
    answer: Answer,
    form: &LineForm,
    kind: Kind,
) -> Response {
    let lang = answer.lang;
    let back = form.back.or("/");
    let outcome = async {
        let quantity = quantity_of(form)?;
        let (item, name) = item_of(db, form, lang).await?;
        let kiosk = kind == Kind::Kiosk;
        let (session, cookie) =
            session::ensure(db, headers, kind, kiosk.then_some(item.store_id)).await?;
        let owner = session.bag_owner();
        bag::add(db, &owner, item, quantity, kiosk)
            .await?
            .map_err(refusal)?;
        let count = bag::summary_count(db, &owner).await?;
        Ok::<_, AppError>(
            Reply::ok(text::added(lang, &name, quantity.get()), back)
                .with_count(count)
                .with_cookie(cookie),
        )
    }
    .await;
    super::finish(outcome, answer, back)
}

/// The quantity a set form asks for: 0 (remove) to [`MAX_QUANTITY`](app::domain::bag::MAX_QUANTITY).
pub(super) fn set_quantity_of(form: &LineForm) -> Result<u32, AppError> {
    form.quantity
        .as_deref()
        .and_then(|q| q.trim().parse().ok())
        .filter(|q| *q <= app::domain::bag::MAX_QUANTITY)
        .ok_or_else(|| AppError::validation(LineForm::FIELDS.quantity, BagText::BadQuantity))
}

/// Sets the line of `item` in `owner`'s bag (0 removes it), for the shopper's and the
/// kiosk's forms alike. Without a bag there is nothing to set, only to remove.
pub(super) async fn set_line(
    db: &Db,
    owner: Option<String>,
    (item, name): (Item, String),
    quantity: u32,
    lang: Lang,
    back: &str,
) -> Result<Reply, AppError> {
    let Some(owner) = owner else {
        return match quantity {
            0 => Ok(Reply::ok(text::updated(lang, &name, 0), back).with_count(0)),
            _ => Err(refusal(Refusal::NotInBag)),
        };
    };
    let now = match quantity {
        0 => {
            bag::remove(db, &owner, item).await?;
            0
        }
        _ => bag::set_quantity(db, &owner, item, quantity)
            .await?
            .map_err(refusal)?,
    };
    let count = bag::summary_count(db, &owner).await?;
    Ok(Reply::ok(text::updated(lang, &name, now), back).with_count(count))
}

/// Sets a line's quantity; 0 removes it.
pub async fn set(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<LineForm>,
) -> Response {
    let back = form.back.or("/");
    let outcome = async {
        let quantity = set_quantity_of(&form)?;
        let line = item_of(&db, &form, answer.lang).await?;
        let owner = shopper.map(|s| s.bag_owner());
        set_line(&db, owner, line, quantity, answer.lang, back).await
    }
    .await;
    super::finish(outcome, answer, back)
}

pub async fn remove(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<LineForm>,
) -> Response {
    let back = form.back.or("/");
    let outcome = async {
        let line = item_of(&db, &form, answer.lang).await?;
        let owner = shopper.map(|s| s.bag_owner());
        set_line(&db, owner, line, 0, answer.lang, back).await
    }
    .await;
    super::finish(outcome, answer, back)
}

/// Moves a kiosk's bag into this phone's bag, once: the token is checked, its nonce
/// recorded, the lines moved and the kiosk's bag emptied in one transaction.
pub async fn take(
    State(db): State<Db>,
    State(settings): State<Settings>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<TakeForm>,
) -> Response {
    let lang = answer.lang;
    let outcome = async {
        let (session, cookie) = session::ensure(&db, &headers, Kind::Shopper, None).await?;
        let moved = handoff::take(&db, &settings.key, &form.t, &session.bag_owner()).await?;
        let count = bag::summary_count(&db, &session.bag_owner()).await?;
        Ok::<_, AppError>(
            Reply::ok(text::taken(lang, moved), app::links::bag())
                .with_count(count)
                .with_cookie(cookie),
        )
    }
    .await;
    let back = format!("{}?t={}", routes::BAG_TAKE, urlencode(&form.t));
    super::finish(outcome, answer, &back)
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
