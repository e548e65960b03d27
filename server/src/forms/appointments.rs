//! The appointment posts: a member's `POST /bookings/book`, `/bookings/move` and
//! `/bookings/cancel` (a signed-in member's own bookings only; anyone else is sent to
//! `/member`), and the console's `/staff/services/set` (a service's places per slot and
//! whether it takes bookings; `Action::Services`). The till's verification is
//! `forms::till::verify`. Each refuses bad input beside its field and changes nothing;
//! the places a booking takes and gives back are `app::ssr::appointments`' transactions.
//! Without JavaScript each answers with a redirect and a one-time message.

use super::{Reply, finish, finish_beside};
use crate::extract::{Answer, ShopperSession};
use app::domain::appointments::{
    BookingStatus, CAPACITY_MAX, changeable, parse_booking_id, parse_service_key, parse_ticked,
};
use app::domain::console::{InputProblem, parse_count};
use app::domain::i18n::Text;
use app::domain::i18n::appointments::{self as text, AppointmentText as A};
use app::domain::staff::Action;
use app::error::{AppError, Missing};
use app::forms::{BookForm, BookingCancelForm, BookingMoveForm, ServiceSetForm};
use app::links;
use app::ssr::appointments::{self, BookRefusal, MoveRefusal, ServiceRow, offers, when};
use app::ssr::db::Db;
use app::ssr::session;
use app::ssr::settings::Settings;
use app::ssr::staff;
use app::ssr::store_settings::Saved;
use app::ssr::stores::{self, StoreRow};
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

const BOOKINGS: &str = links::my_bookings();

/// A store's services page, for a form that names the store (home when it names none).
fn services_page(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => links::services(s.as_str()),
        None => links::routes::HOME.to_owned(),
    }
}

/// The reply to a post only a member may make, from anyone else: 401, and a plain post
/// goes to `/member` to sign in first.
fn sign_in_first(answer: Answer) -> Response {
    let mut reply = Reply::refused(&AppError::Unauthorized, answer.lang, links::member());
    reply.message = A::SignInToBook.t(answer.lang).to_owned();
    reply.respond(answer)
}

/// A store's service by the key a form sends (404 for one it has not).
async fn service_of(db: &Db, store: &StoreRow, key: &str) -> Result<ServiceRow, AppError> {
    let key = parse_service_key(key).ok_or(AppError::NotFound(Missing::Page))?;
    appointments::service(db, store.id, key)
        .await?
        .ok_or(AppError::NotFound(Missing::Page))
}

/// The slot a form asks for: a start the service offers now, else refused beside `field`.
fn slot_of(
    store: &StoreRow,
    service: &ServiceRow,
    posted: &str,
    field: &str,
) -> Result<i64, AppError> {
    posted
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|s| offers(store, service, *s))
        .ok_or_else(|| AppError::validation(field, A::NotASlot))
}

/// `POST /bookings/book`: a place in one of a service's slots for the signed-in member;
/// then their bookings, with the code.
pub async fn book(
    State(db): State<Db>,
    State(settings): State<Settings>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<BookForm>,
) -> Response {
    let Some(member) = shopper.and_then(|s| s.member_id) else {
        return sign_in_first(answer);
    };
    let lang = answer.lang;
    let back = services_page(&form.store);
    let outcome = async {
        let store = stores::store_or_404(&db, &form.store).await?;
        let service = service_of(&db, &store, &form.service).await?;
        if !service.is_active() {
            return Err(AppError::conflict(A::ServiceUnavailable));
        }
        let field = BookForm::slot_field(&service.slug);
        let starts_at = slot_of(&store, &service, &form.starts_at, &field)?;
        match appointments::book(&db, &settings.key, member, &service, starts_at).await? {
            Ok(_) => Ok(Reply::ok(
                text::booked(lang, service.name(lang), &when(&store, lang, starts_at)),
                BOOKINGS,
            )),
            Err(BookRefusal::Full) => Err(AppError::conflict(A::SlotFull)),
            Err(BookRefusal::AlreadyBooked) => Err(AppError::conflict(A::AlreadyBooked)),
            Err(BookRefusal::Unavailable) => Err(AppError::conflict(A::ServiceUnavailable)),
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /bookings/move`: one of the member's live bookings to another free slot of its
/// service, before it starts.
pub async fn move_booking(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<BookingMoveForm>,
) -> Response {
    let Some(member) = shopper.and_then(|s| s.member_id) else {
        return sign_in_first(answer);
    };
    let lang = answer.lang;
    let outcome = async {
        let id = parse_booking_id(&form.id).ok_or(AppError::NotFound(Missing::Page))?;
        let booking = appointments::member_booking(&db, member, &id)
            .await?
            .ok_or(AppError::NotFound(Missing::Page))?;
        let now = session::now();
        if booking.status != BookingStatus::Booked || !changeable(booking.starts_at, now) {
            return Err(AppError::conflict(A::NotChangeable));
        }
        let store = stores::store_by_id(&db, booking.store_id)
            .await?
            .ok_or(AppError::NotFound(Missing::Store))?;
        let service = service_of(&db, &store, &booking.service_slug).await?;
        let field = BookingMoveForm::slot_field(&id);
        let starts_at = slot_of(&store, &service, &form.starts_at, &field)?;
        match appointments::move_booking(&db, member, &id, starts_at, now).await? {
            Ok(()) => Ok(Reply::ok(
                text::moved(lang, service.name(lang), &when(&store, lang, starts_at)),
                BOOKINGS,
            )),
            Err(MoveRefusal::NotChangeable) => Err(AppError::conflict(A::NotChangeable)),
            Err(MoveRefusal::SameSlot) => Err(AppError::validation(&field, A::SameSlot)),
            Err(MoveRefusal::Full) => Err(AppError::conflict(A::SlotFull)),
            Err(MoveRefusal::AlreadyBooked) => Err(AppError::conflict(A::AlreadyBooked)),
        }
    }
    .await;
    finish_beside(outcome, answer, BOOKINGS)
}

/// `POST /bookings/cancel`: one of the member's live bookings, before it starts; its
/// place goes back once.
pub async fn cancel(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<BookingCancelForm>,
) -> Response {
    let Some(member) = shopper.and_then(|s| s.member_id) else {
        return sign_in_first(answer);
    };
    let outcome = async {
        let id = parse_booking_id(&form.id).ok_or(AppError::NotFound(Missing::Page))?;
        if appointments::cancel(&db, member, &id, session::now()).await? {
            Ok(Reply::ok(A::Cancelled.t(answer.lang).to_owned(), BOOKINGS))
        } else {
            Err(AppError::conflict(A::NotChangeable))
        }
    }
    .await;
    finish(outcome, answer, BOOKINGS)
}

/// The console's services page of the store a form names (staff home when it names none).
fn console_page(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => links::console(s.as_str(), "services"),
        None => links::staff_home().to_owned(),
    }
}

/// `POST /staff/services/set`: a service's places per slot (0 to [`CAPACITY_MAX`]) and
/// whether it takes bookings, audited; slots to come follow, never below their bookings.
pub async fn set_service(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<ServiceSetForm>,
) -> Response {
    let back = console_page(&form.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Services).await?;
        let service = service_of(&db, &c.store, &form.service).await?;
        let f = ServiceSetForm::FIELDS;
        let capacity = parse_count(&form.capacity, 0..=CAPACITY_MAX).map_err(|p| {
            let said: Text = if p == InputProblem::Empty {
                p.into()
            } else {
                A::CapacityRange.into()
            };
            AppError::validation(&ServiceSetForm::field(&service.slug, f.capacity), said)
        })?;
        let active = parse_ticked(form.active.trim()).ok_or_else(|| {
            AppError::validation(
                &ServiceSetForm::field(&service.slug, f.active),
                A::ActiveBad,
            )
        })?;
        let saved =
            appointments::set_service(&db, &service, c.user.id, capacity, active, session::now())
                .await?;
        let said = match saved {
            Saved::Changed => A::ServiceSaved,
            Saved::Unchanged => A::NothingChanged,
        };
        Ok(Reply::ok(said.t(answer.lang).to_owned(), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}
