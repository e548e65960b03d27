//! `/staff/{store}/services`: the store's services by appointment — each one's length,
//! places per slot and whether it takes bookings (a plain form per service, each refusal
//! said beside its field) — and today's bookings with how each stands. A manager's or
//! brand admin's (`Action::Services`); staff verify bookings at the till.

use super::ConsoleNav;
use crate::api::appointments::{
    ConsoleBookingRow, ConsoleServiceRow, ConsoleServices, get_console_services,
};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::appointments::CAPACITY_MAX;
use crate::domain::i18n::appointments::{AppointmentText as T, duration, of_service, status};
use crate::domain::lang::Lang;
use crate::forms::ServiceSetForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConsoleServicesPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::ConsoleTitle,
        get_console_services(store()),
        |s| view! { <Services s /> }
    )
}

#[component]
fn Services(s: ConsoleServices) -> impl IntoView {
    let lang = use_lang();
    let slug = s.frame.store_slug.clone();
    let rows = s
        .services
        .into_iter()
        .map(|service| view! { <ServiceRow store=slug.clone() service lang /> })
        .collect_view();
    view! {
        <ConsoleNav frame=s.frame current="services" />
        <h1>{T::ConsoleTitle.t(lang)}</h1>
        <section aria-labelledby="services-title">
            <h2 id="services-title">{T::ConsoleServices.t(lang)}</h2>
            <p class="hint" id="capacity-hint">{T::CapacityHint.t(lang)}</p>
            <ul class="console-services">{rows}</ul>
        </section>
        <Today date=s.today bookings=s.bookings lang />
    }
}

#[component]
fn ServiceRow(store: String, service: ConsoleServiceRow, lang: Lang) -> impl IntoView {
    let f = ServiceSetForm::FIELDS;
    let capacity_field = ServiceSetForm::field(&service.key, f.capacity);
    let active_field = ServiceSetForm::field(&service.key, f.active);
    let capacity_id = format!("capacity-{}", service.key);
    let active_id = format!("active-{}", service.key);
    let heading = format!("service-{}", service.key);
    let labelled = heading.clone();
    let (capacity_for, active_for) = (capacity_id.clone(), active_id.clone());
    let capacity_described = match described_by(&capacity_field) {
        Some(note) => format!("capacity-hint {note}"),
        None => "capacity-hint".to_owned(),
    };
    view! {
        <li>
            <form method="post" action=routes::STAFF_SERVICE_SET class="stack-form" aria-labelledby=labelled>
                <h3 id=heading>{service.name.clone()}" · "{duration(lang, service.duration_min)}</h3>
                <input type="hidden" name=f.store value=store />
                <input type="hidden" name=f.service value=service.key.clone() />
                <label for=capacity_for>{T::Capacity.t(lang)}</label>
                <input id=capacity_id name=f.capacity type="number" inputmode="numeric" min="0"
                    max=CAPACITY_MAX.to_string() step="1" required value=service.capacity.to_string()
                    aria-invalid=is_refused(&capacity_field).then_some("true")
                    aria-describedby=capacity_described />
                <FieldNote field=capacity_field />
                <label for=active_for class="check">
                    <input id=active_id name=f.active type="checkbox" value="1" checked=service.active
                        aria-invalid=is_refused(&active_field).then_some("true")
                        aria-describedby=described_by(&active_field) />
                    " "{T::Active.t(lang)}
                </label>
                <FieldNote field=active_field />
                <button type="submit" class="button button-primary"
                    aria-label=of_service(lang, T::Save, &service.name)>{T::Save.t(lang)}</button>
            </form>
        </li>
    }
}

#[component]
fn Today(date: String, bookings: Vec<ConsoleBookingRow>, lang: Lang) -> impl IntoView {
    let body = if bookings.is_empty() {
        view! { <p class="empty">{T::NoBookingsToday.t(lang)}</p> }.into_any()
    } else {
        let rows = bookings
            .into_iter()
            .map(|b| {
                view! {
                    <tr>
                        <th scope="row">{b.time}</th>
                        <td>{b.service}</td>
                        <td>{b.member}</td>
                        <td>{status(lang, b.status)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{T::Time.t(lang)}</th>
                            <th scope="col">{T::Service.t(lang)}</th>
                            <th scope="col">{T::Member.t(lang)}</th>
                            <th scope="col">{T::Status.t(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="today-title">
            <h2 id="today-title">{T::TodayBookings.t(lang)}" · "{date}</h2>
            {body}
        </section>
    }
}
