//! `/member/bookings`: a signed-in member's bookings of in-store services: each live one
//! with its code as a QR and in digits (shown at the till, verified once), a form to move
//! it to another free slot and one to cancel it, while it has not started; then the past
//! ones with how they ended. Plain forms: everything works without JavaScript.

use crate::api::appointments::{BookingView, MyBookings, get_my_bookings};
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::appointments::{BookingStatus, grouped_code};
use crate::domain::i18n::appointments::{AppointmentText as T, acting_on, duration, status};
use crate::domain::i18n::member::MemberText;
use crate::domain::lang::Lang;
use crate::forms::{BookingCancelForm, BookingMoveForm};
use crate::links::{self, routes};
use crate::pages::services::SlotSelect;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::MyBookings.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_my_bookings().await {
                    Ok(page) => view! { <Bookings page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Bookings(page: MyBookings) -> impl IntoView {
    let lang = use_lang();
    let body = if !page.member {
        view! {
            <p>{T::SignInToBook.t(lang)}</p>
            <p><a class="button" href=links::member()>{MemberText::SignInTitle.t(lang)}</a></p>
        }
        .into_any()
    } else if page.bookings.is_empty() {
        view! { <p class="empty">{T::NoBookings.t(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="bookings">
                {page.bookings.into_iter().map(|b| view! { <Booking b lang /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h1>{T::MyBookings.t(lang)}</h1>
        {body}
    }
}

#[component]
fn Booking(b: BookingView, lang: Lang) -> impl IntoView {
    let heading = format!("booking-{}", b.id);
    let labelled = heading.clone();
    let what = format!("{} {}", b.service, b.when);
    let code = b.code.clone().map(|digits| {
        view! {
            <div class="pickup-code booking-code">
                <div class="qr" inner_html=b.qr_svg.clone().unwrap_or_default()></div>
                <p class="code-digits" aria-label=T::BookingCode.t(lang)>{grouped_code(&digits)}</p>
                <p class="hint">{T::BookingCodeHint.t(lang)}</p>
            </div>
        }
    });
    let change = b.changeable.then(|| {
        let move_form = (!b.move_to.is_empty()).then(|| {
            view! {
                <form method="post" action=routes::BOOKING_MOVE class="stack-form">
                    <input type="hidden" name=BookingMoveForm::FIELDS.id value=b.id.clone() />
                    <SlotSelect
                        id=format!("move-{}", b.id)
                        field=BookingMoveForm::slot_field(&b.id)
                        label=T::NewTime
                        days=b.move_to.clone()
                        lang
                    />
                    <button type="submit" class="button"
                        aria-label=acting_on(lang, T::Move, &what)>{T::Move.t(lang)}</button>
                </form>
            }
        });
        view! {
            {move_form}
            <form method="post" action=routes::BOOKING_CANCEL class="inline-form">
                <input type="hidden" name=BookingCancelForm::FIELDS.id value=b.id.clone() />
                <button type="submit" class="button button-secondary"
                    aria-label=acting_on(lang, T::Cancel, &what)>{T::Cancel.t(lang)}</button>
            </form>
        }
    });
    let state_class = if b.status == BookingStatus::Booked {
        "booking-state booking-live"
    } else {
        "booking-state"
    };
    view! {
        <li class="booking">
            <article aria-labelledby=labelled>
                <h2 id=heading>{b.service.clone()}" · "<a href=links::services(&b.store_slug)>{b.store_name.clone()}</a></h2>
                <p>
                    {b.when.clone()}" · "{duration(lang, b.duration_min)}" · "
                    <span class=state_class>{status(lang, b.status)}</span>
                </p>
                {code}
                {change}
            </article>
        </li>
    }
}
