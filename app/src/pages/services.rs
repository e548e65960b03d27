//! `/s/{store}/services`: a store's services by appointment (a fitting room held for a
//! member, a makeup trial, a skin test…) with the slots still free in the coming week, and
//! for a signed-in member a plain form per service to book one (JavaScript or not). A
//! shopper who is not signed in sees the times and is sent to `/member` first.

use crate::api::appointments::{ServicesPage as Data, SlotDay, get_services_page};
use crate::components::error_page::ErrorPage;
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::domain::i18n::appointments::{AppointmentText as T, acting_on, duration, slot_option};
use crate::domain::i18n::member::MemberText;
use crate::domain::lang::Lang;
use crate::forms::BookForm;
use crate::links::{self, routes};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ServicesPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let store = params.read_untracked().get("store").unwrap_or_default();
                match get_services_page(store).await {
                    Ok(page) => view! { <Services page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Services(page: Data) -> impl IntoView {
    let lang = use_lang();
    let slug = page.store_slug.clone();
    let who = if page.member {
        view! { <p><a href=links::my_bookings()>{T::MyBookingsLink.t(lang)}</a></p> }.into_any()
    } else {
        view! {
            <p class="notice" role="status">
                {T::SignInToBook.t(lang)}" "
                <a href=links::member()>{MemberText::SignInTitle.t(lang)}</a>
            </p>
        }
        .into_any()
    };
    let services = if page.services.is_empty() {
        view! { <p class="empty">{T::NoServices.t(lang)}</p> }.into_any()
    } else {
        page.services
            .into_iter()
            .map(|s| {
                let heading = format!("service-{}", s.key);
                let labelled = heading.clone();
                let form = if s.days.is_empty() {
                    view! { <p class="empty">{T::NoSlots.t(lang)}</p> }.into_any()
                } else {
                    view! {
                        <form method="post" action=routes::BOOKING_BOOK class="stack-form">
                            <input type="hidden" name=BookForm::FIELDS.store value=slug.clone() />
                            <input type="hidden" name=BookForm::FIELDS.service value=s.key.clone() />
                            <SlotSelect
                                id=format!("slot-{}", s.key)
                                field=BookForm::slot_field(&s.key)
                                label=T::ChooseTime
                                days=s.days
                                lang
                            />
                            <button type="submit" class="button button-primary"
                                aria-label=acting_on(lang, T::Book, &s.name)>{T::Book.t(lang)}</button>
                        </form>
                    }
                    .into_any()
                };
                view! {
                    <section class="service" aria-labelledby=labelled>
                        <h2 id=heading>{s.name.clone()}</h2>
                        <p class="hint">{duration(lang, s.duration_min)}</p>
                        {form}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <Title text=format!("{} · {}", T::ServicesTitle.t(lang), page.store_name) />
        <p><a href=links::store(&slug)>{Msg::BackToStore.t(lang)}</a></p>
        <h1>{T::ServicesTitle.t(lang)}" · "{page.store_name.clone()}</h1>
        <p>{T::ServicesIntro.t(lang)}</p>
        {who}
        {services}
    }
}

/// A labelled choice of slots (named `starts_at`, as both the booking and the moving form
/// take it), grouped by day; a full slot is shown and cannot be chosen.
/// `field` names the note a refusal of this choice is said in.
#[component]
pub fn SlotSelect(
    id: String,
    field: String,
    label: T,
    days: Vec<SlotDay>,
    lang: Lang,
) -> impl IntoView {
    let groups = days
        .into_iter()
        .map(|d| {
            let options = d
                .slots
                .into_iter()
                .map(|s| {
                    view! {
                        <option value=s.starts_at.to_string() disabled=s.left <= 0>
                            {slot_option(lang, &s.time, s.left)}
                        </option>
                    }
                })
                .collect_view();
            view! { <optgroup label=d.day.t(lang)>{options}</optgroup> }
        })
        .collect_view();
    let for_id = id.clone();
    view! {
        <label for=for_id>{label.t(lang)}</label>
        <select id=id name=BookForm::FIELDS.starts_at required
            aria-invalid=is_refused(&field).then_some("true") aria-describedby=described_by(&field)>
            {groups}
        </select>
        <FieldNote field=field />
    }
}
