//! `/staff/{store}/settings`: the store's delivery and pick-up settings (a window's
//! default capacity, the delivery radius, fee and free-delivery threshold, the pick-up
//! lead time, whether pick-ups may be paid at the till), a pause of new orders for a busy
//! hour, today's and tomorrow's delivery windows with their bookings and capacity, and
//! special days (holiday hours, closed days). Plain forms, each refusal said beside its
//! field; a manager's or brand admin's.

use super::ConsoleNav;
use crate::api::store_settings::{
    ConsoleSettings, PauseNotice, REMOVE_FIELD, SpecialDayNotice, WindowCapacityRow,
    get_console_settings,
};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::console::{PAUSE_CHOICES_MIN, PauseScope};
use crate::domain::i18n::settings::{
    SettingsText as T, capacity_of, pause_length, paused_until, remove_day,
};
use crate::domain::i18n::{self};
use crate::domain::lang::Lang;
use crate::forms::{
    PauseForm, SpecialDayForm, SpecialDayRemoveForm, StoreSettingsForm, WindowCapacityForm,
};
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConsoleSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::Title,
        get_console_settings(store()),
        |s| view! { <Settings s /> }
    )
}

/// `aria-invalid` for a field the last post refused.
fn invalid(field: &str) -> Option<&'static str> {
    is_refused(field).then_some("true")
}

#[component]
fn Settings(s: ConsoleSettings) -> impl IntoView {
    let lang = use_lang();
    let slug = s.frame.store_slug.clone();
    view! {
        <ConsoleNav frame=s.frame current="settings" />
        <h1>{T::Title.t(lang)}</h1>
        <Pause store=slug.clone() pause=s.pause lang />
        <SettingsForm
            store=slug.clone()
            values=[
                s.window_capacity,
                s.delivery_radius_km,
                s.delivery_fee,
                s.free_delivery_from,
                s.pickup_lead_min,
            ]
            pay_at_store=s.pay_at_store
            lang
        />
        <Windows store=slug.clone() windows=s.windows lang />
        <SpecialDays store=slug days=s.special_days today=s.today lang />
    }
}

#[component]
fn Pause(store: String, pause: Option<PauseNotice>, lang: Lang) -> impl IntoView {
    let f = PauseForm::FIELDS;
    let status = match &pause {
        Some(p) => view! {
            <p class="notice" role="status">{paused_until(lang, p.scope, &p.until)}</p>
        }
        .into_any(),
        None => view! { <p class="hint">{T::TakingOrders.t(lang)}</p> }.into_any(),
    };
    let current = pause.as_ref().map_or(PauseScope::Delivery, |p| p.scope);
    let scopes = [(PauseScope::Delivery, T::PauseDelivery), (PauseScope::All, T::PauseAll)]
        .into_iter()
        .map(|(scope, label)| {
            let id = format!("pause-scope-{}", scope.as_str());
            let for_id = id.clone();
            view! {
                <label for=for_id>
                    <input type="radio" id=id name=f.scope value=scope.as_str() checked=scope == current />
                    " "{label.t(lang)}
                </label>
            }
        })
        .collect_view();
    let lengths = PAUSE_CHOICES_MIN
        .into_iter()
        .map(|minutes| {
            let id = format!("pause-minutes-{minutes}");
            let for_id = id.clone();
            view! {
                <label for=for_id>
                    <input type="radio" id=id name=f.minutes value=minutes.to_string() checked=minutes == 30 />
                    " "{pause_length(lang, minutes)}
                </label>
            }
        })
        .collect_view();
    let resume = pause.map(|p| {
        view! {
            <form method="post" action=routes::STAFF_PAUSE class="inline-form">
                <input type="hidden" name=f.store value=store.clone() />
                <input type="hidden" name=f.scope value=p.scope.as_str() />
                <input type="hidden" name=f.minutes value="0" />
                <button type="submit" class="button button-secondary">{T::ResumeButton.t(lang)}</button>
            </form>
        }
    });
    view! {
        <section aria-labelledby="pause-title">
            <h2 id="pause-title">{T::PauseTitle.t(lang)}</h2>
            {status}
            {resume}
            <form method="post" action=routes::STAFF_PAUSE class="stack-form">
                <input type="hidden" name=f.store value=store.clone() />
                <fieldset aria-describedby=described_by(f.scope)>
                    <legend>{T::PauseWhat.t(lang)}</legend>
                    {scopes}
                </fieldset>
                <FieldNote field=f.scope />
                <fieldset aria-describedby=described_by(f.minutes)>
                    <legend>{T::PauseFor.t(lang)}</legend>
                    {lengths}
                </fieldset>
                <FieldNote field=f.minutes />
                <button type="submit" class="button button-primary">{T::PauseButton.t(lang)}</button>
            </form>
        </section>
    }
}

/// The settings form; `values` are the stored settings in the form's order, then whether
/// pick-ups may be paid at the till (a checkbox: unticked, it is not sent at all).
#[component]
fn SettingsForm(
    store: String,
    values: [String; 5],
    pay_at_store: bool,
    lang: Lang,
) -> impl IntoView {
    let f = StoreSettingsForm::FIELDS;
    let [capacity, radius, fee, free_from, lead] = values;
    // (id, name, label, hint, value, inputmode)
    let fields = [
        (
            "settings-capacity",
            f.window_capacity,
            T::WindowCapacity,
            Some(T::WindowCapacityHint),
            capacity,
            "numeric",
        ),
        (
            "settings-radius",
            f.delivery_radius_km,
            T::DeliveryRadius,
            None,
            radius,
            "decimal",
        ),
        (
            "settings-fee",
            f.delivery_fee,
            T::DeliveryFee,
            Some(T::DeliveryFeeHint),
            fee,
            "decimal",
        ),
        (
            "settings-free-from",
            f.free_delivery_from,
            T::FreeDeliveryFrom,
            Some(T::FreeDeliveryFromHint),
            free_from,
            "decimal",
        ),
        (
            "settings-lead",
            f.pickup_lead_min,
            T::PickupLead,
            None,
            lead,
            "numeric",
        ),
    ]
    .into_iter()
    .map(|(id, name, label, hint, value, mode)| {
        let hint_id = format!("{id}-hint");
        // The hint always; the note only while there is one.
        let described = match (hint, described_by(name)) {
            (Some(_), Some(note)) => Some(format!("{hint_id} {note}")),
            (Some(_), None) => Some(hint_id.clone()),
            (None, note) => note,
        };
        view! {
            <label for=id>{label.t(lang)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.t(lang)}</p> })}
            <input id=id name=name type="text" inputmode=mode maxlength="12" required value=value
                autocomplete="off" aria-invalid=invalid(name) aria-describedby=described />
            <FieldNote field=name />
        }
    })
    .collect_view();
    view! {
        <section aria-labelledby="settings-title">
            <h2 id="settings-title">{T::SettingsTitle.t(lang)}</h2>
            <form method="post" action=routes::STAFF_SETTINGS_SAVE class="stack-form">
                <input type="hidden" name=f.store value=store />
                {fields}
                <PayAtStore on=pay_at_store lang />
                <button type="submit" class="button button-primary">{T::Save.t(lang)}</button>
            </form>
        </section>
    }
}

/// "Allow paying at the store (pick-up only)": ticked, a pick-up's shopper may choose
/// to pay at the till on collection.
#[component]
fn PayAtStore(on: bool, lang: Lang) -> impl IntoView {
    use crate::domain::i18n::payment::PaymentText as P;
    let name = StoreSettingsForm::FIELDS.pay_at_store;
    let described = match described_by(name) {
        Some(note) => format!("settings-pay-at-store-hint {note}"),
        None => "settings-pay-at-store-hint".to_owned(),
    };
    view! {
        <label for="settings-pay-at-store" class="check">
            <input id="settings-pay-at-store" name=name type="checkbox" value="1" checked=on
                aria-invalid=invalid(name) aria-describedby=described />
            " "{P::PayAtStoreSetting.t(lang)}
        </label>
        <p class="hint" id="settings-pay-at-store-hint">{P::PayAtStoreSettingHint.t(lang)}</p>
        <FieldNote field=name />
    }
}

#[component]
fn Windows(store: String, windows: Vec<WindowCapacityRow>, lang: Lang) -> impl IntoView {
    let f = WindowCapacityForm::FIELDS;
    let body = if windows.is_empty() {
        view! { <p class="empty">{T::NoWindows.t(lang)}</p> }.into_any()
    } else {
        let rows = windows
            .into_iter()
            .map(|w| {
                let field = format!("{}.{}", w.starts_at, f.capacity);
                let id = format!("capacity-{}", w.starts_at);
                let label = format!("{} {}", w.day.t(lang), w.time);
                view! {
                    <tr>
                        <th scope="row">{label.clone()}</th>
                        <td class="num">{w.booked}</td>
                        <td>
                            <form method="post" action=routes::STAFF_WINDOW_CAPACITY class="inline-form">
                                <input type="hidden" name=f.store value=store.clone() />
                                <input type="hidden" name=f.starts_at value=w.starts_at.to_string() />
                                <label for=id.clone() class="visually-hidden">{capacity_of(lang, &label)}</label>
                                <input id=id name=f.capacity type="number" inputmode="numeric" min="0" max="1000"
                                    step="1" required value=w.capacity.to_string()
                                    aria-invalid=invalid(&field) aria-describedby=described_by(&field) />
                                <button type="submit" class="button"
                                    aria-label=crate::domain::i18n::bag::labelled(lang, T::SetCapacity.t(lang), &label)>{T::SetCapacity.t(lang)}</button>
                                <FieldNote field=field.clone() />
                            </form>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{T::Window.t(lang)}</th>
                            <th scope="col" class="num">{T::Booked.t(lang)}</th>
                            <th scope="col">{T::Capacity.t(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="windows-title">
            <h2 id="windows-title">{T::WindowsTitle.t(lang)}</h2>
            <p class="hint">{T::WindowsHint.t(lang)}</p>
            <FieldNote field=WindowCapacityForm::FIELDS.starts_at />
            {body}
        </section>
    }
}

#[component]
fn SpecialDays(
    store: String,
    days: Vec<SpecialDayNotice>,
    today: String,
    lang: Lang,
) -> impl IntoView {
    let f = SpecialDayForm::FIELDS;
    let r = SpecialDayRemoveForm::FIELDS;
    let list = if days.is_empty() {
        view! { <p class="empty">{T::NoSpecialDays.t(lang)}</p> }.into_any()
    } else {
        let rows = days
            .into_iter()
            .map(|d| {
                let label = format!("{} ({})", d.day.t(lang), d.date);
                view! {
                    <tr>
                        <th scope="row">{label.clone()}</th>
                        <td>{i18n::interval(lang, d.hours)}</td>
                        <td>
                            <form method="post" action=routes::STAFF_SPECIAL_DAY_REMOVE class="inline-form">
                                <input type="hidden" name=r.store value=store.clone() />
                                <input type="hidden" name=r.date value=d.date.clone() />
                                <button type="submit" class="button button-secondary"
                                    aria-label=remove_day(lang, &label)>{T::SpecialRemove.t(lang)}</button>
                            </form>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{T::SpecialDate.t(lang)}</th>
                            <th scope="col">{T::SpecialHours.t(lang)}</th>
                            <th scope="col"><span class="visually-hidden">{T::SpecialRemove.t(lang)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="special-title">
            <h2 id="special-title">{T::SpecialTitle.t(lang)}</h2>
            <p class="hint">{T::SpecialHint.t(lang)}</p>
            <FieldNote field=REMOVE_FIELD />
            {list}
            <form method="post" action=routes::STAFF_SPECIAL_DAY class="stack-form">
                <input type="hidden" name=f.store value=store />
                <label for="special-date">{T::SpecialDate.t(lang)}</label>
                <input id="special-date" name=f.date type="date" min=today required
                    aria-invalid=invalid(f.date) aria-describedby=described_by(f.date) />
                <FieldNote field=f.date />
                <label for="special-hours">{T::SpecialHours.t(lang)}</label>
                <p class="hint" id="special-hours-hint">{T::SpecialHoursHint.t(lang)}</p>
                <input id="special-hours" name=f.hours type="text" maxlength="11" placeholder="10:00-18:00"
                    autocomplete="off" aria-invalid=invalid(f.hours)
                    aria-describedby=match described_by(f.hours) {
                        Some(note) => format!("special-hours-hint {note}"),
                        None => "special-hours-hint".to_owned(),
                    } />
                <FieldNote field=f.hours />
                <button type="submit" class="button button-primary">{T::SpecialAdd.t(lang)}</button>
            </form>
        </section>
    }
}
