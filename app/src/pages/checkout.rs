//! `/checkout/{store}`: check out this store's part of the bag — timed delivery to an
//! address in the store's radius, in a window with room, or pick-up at a chosen time.
//! One plain form: without JavaScript the server validates and comes back here with the
//! fields as typed and a message beside each wrong one; hydrated, windows that fill up
//! meanwhile are disabled live and the button sends once. While the store has paused
//! deliveries, the page says until when and offers pick-up (chosen for the shopper);
//! paused altogether, it says so and the form cannot be sent. While the app takes payment
//! the page says, under the total, that the order is paid online next; a store that allows
//! it offers paying a pick-up at the till instead (`pay`).

use crate::api::checkout::get_checkout;
use crate::components::checkout_live::CheckoutLive;
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::console::PauseScope;
use crate::domain::i18n::checkout::{CheckoutText as T, mode as mode_name};
use crate::domain::i18n::settings::{free_from as free_from_note, paused_until};
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::order::Mode;
use crate::links;
use crate::views::checkout::{
    CheckoutCoupon, CheckoutField as F, CheckoutPage, CheckoutPayment, DayLabel, Draft,
    WindowOption,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    view! {
        <Title text=T::Title.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let store = params.read_untracked().get("store").unwrap_or_default();
                match get_checkout(store).await {
                    Ok(page) => view! { <CheckoutForm page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The message beside a field, tied to it by `aria-describedby`.
fn field_error(draft: &Draft, field: F, lang: Lang) -> impl IntoView + use<> {
    draft.error(field).map(|m| {
        view! { <p class="field-error" id=field.error_id()>{m.t(lang)}</p> }
    })
}

fn described_by(draft: &Draft, field: F) -> Option<String> {
    draft.error(field).map(|_| field.error_id())
}

fn invalid(draft: &Draft, field: F) -> Option<&'static str> {
    draft.error(field).map(|_| "true")
}

#[component]
fn CheckoutForm(page: CheckoutPage) -> impl IntoView {
    let lang = use_lang();
    let slug = page.store.slug.clone();
    let Some(bag) = page.bag else {
        return view! {
            <h1>{T::Title.t(lang)}" · "{page.store.name.clone()}</h1>
            <p class="empty">{T::EmptyForStore.t(lang)}</p>
            <a class="button" href=links::store(&slug)>{page.store.name.clone()}</a>
        }
        .into_any();
    };
    let draft = page.draft;
    let draft_pay = draft.pay.clone();
    let stopped = |m: Mode| page.pause.as_ref().is_some_and(|p| p.scope.stops(m));
    let all_paused = stopped(Mode::Pickup);
    let mode = match draft.mode {
        Some(Mode::Delivery) if !stopped(Mode::Delivery) => Mode::Delivery,
        _ => Mode::Pickup,
    };
    let subtotal = bag.subtotal();
    let has_errors = !draft.errors.is_empty();
    let pause_note = page.pause.as_ref().map(|p| {
        let class = if p.scope == PauseScope::All { "notice notice-error" } else { "notice" };
        view! { <p class=class role="status" id="pause-note">{paused_until(lang, p.scope, &p.until)}</p> }
    });
    let paused_by = page.pause.as_ref().map(|_| "pause-note");
    view! {
        <h1>{T::Title.t(lang)}" · "{page.store.name.clone()}</h1>
        {pause_note}
        {page.closed_note.map(|n| view! { <p class="cloud-note">{n}</p> })}
        {draft.problem.as_ref().map(|p| view! { <p class="notice notice-error" role="alert">{p.t(lang)}</p> })}
        {has_errors.then(|| view! { <p class="notice notice-error" role="alert">{T::FixErrors.t(lang)}</p> })}
        <section class="checkout-items" aria-labelledby="items-title">
            <h2 id="items-title">{T::YourItems.t(lang)}</h2>
            <ul class="summary-lines">
                {bag
                    .lines
                    .iter()
                    .map(|l| view! {
                        <li>
                            <span>{l.name.clone()}" × "{l.quantity}</span>
                            <span>{l.total().to_string()}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
            <a href=links::bag()>{crate::domain::i18n::bag::BagText::BagTitle.t(lang)}</a>
        </section>
        <form class="checkout" method="post" action=links::routes::CHECKOUT_PLACE data-submit-once="">
            <input type="hidden" name=F::Store.name() value=slug.clone() />
            <input type="hidden" name=F::Key.name() value=page.key />
            <fieldset class="modes" aria-describedby=paused_by>
                <legend>{T::HowToGet.t(lang)}</legend>
                {[Mode::Pickup, Mode::Delivery]
                    .into_iter()
                    .map(|m| view! {
                        <label class="mode">
                            <input type="radio" name=F::Mode.name() value=m.as_str() id=format!("mode-{}", m.as_str())
                                checked=mode == m disabled=stopped(m) />
                            {mode_name(lang, m)}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <PickupFields draft=draft.clone() times=page.pickup_times earliest=page.earliest_pickup lang />
            <DeliveryFields draft=draft.clone() places=page.places beyond=page.places_beyond
                has_location=page.has_location
                windows=page.windows fee=page.delivery_fee free_from=page.free_delivery_from lang />
            <ContactFields draft=draft.clone() lang />
            <Totals subtotal fee=page.delivery_fee coupons=page.coupons chosen=draft.coupon.clone() lang />
            {page.payment.map(|payment| {
                let at_store = draft_pay == "store";
                view! { <Paying payment at_store lang /> }
            })}
            <button type="submit" class="button button-primary place-order" disabled=all_paused
                aria-describedby=paused_by>{T::PlaceOrder.t(lang)}</button>
        </form>
        <CheckoutLive store=slug />
    }
    .into_any()
}

#[component]
fn PickupFields(
    draft: Draft,
    times: Vec<(i64, String)>,
    earliest: Option<String>,
    lang: Lang,
) -> impl IntoView {
    view! {
        <fieldset class="pickup-fields">
            <legend>{T::Pickup.t(lang)}</legend>
            {earliest.map(|e| view! { <p class="hint">{e}</p> })}
            <label for="pickup_at">{T::PickupTime.t(lang)}</label>
            <select id="pickup_at" name=F::PickupAt.name() aria-invalid=invalid(&draft, F::PickupAt)
                aria-describedby=described_by(&draft, F::PickupAt)>
                {times
                    .into_iter()
                    .map(|(at, label)| {
                        let chosen = draft.pickup_at == Some(at);
                        view! { <option value=at.to_string() selected=chosen>{label}</option> }
                    })
                    .collect_view()}
            </select>
            {field_error(&draft, F::PickupAt, lang)}
        </fieldset>
    }
}

#[component]
fn DeliveryFields(
    draft: Draft,
    places: Vec<(String, String)>,
    beyond: Vec<(String, String)>,
    has_location: bool,
    windows: Vec<WindowOption>,
    fee: Money,
    free_from: Option<Money>,
    lang: Lang,
) -> impl IntoView {
    let fee_text = if fee.minor == 0 {
        T::Free.t(lang).to_owned()
    } else {
        fee.to_string()
    };
    let free_note = free_from.map(|m| format!(" · {}", free_from_note(lang, &m.to_string())));
    view! {
        <fieldset class="delivery-fields">
            <legend>{T::DeliveryTo.t(lang)}</legend>
            <label for="place">{T::Area.t(lang)}</label>
            <select id="place" name=F::Place.name() aria-invalid=invalid(&draft, F::Place)
                aria-describedby=described_by(&draft, F::Place)>
                <option value="">{T::AreaPlaceholder.t(lang)}</option>
                {has_location.then(|| {
                    let chosen = draft.place.as_deref() == Some("here");
                    view! { <option value="here" selected=chosen>{T::MyLocation.t(lang)}</option> }
                })}
                {area_group(&draft, T::AreasDelivered.t(lang), places)}
                {area_group(&draft, T::AreasBeyond.t(lang), beyond)}
            </select>
            {field_error(&draft, F::Place, lang)}
            <label for="address">{T::Address.t(lang)}</label>
            <input id="address" name=F::Address.name() type="text" maxlength="120" autocomplete="street-address"
                placeholder=T::AddressHint.t(lang) value=draft.address.clone()
                aria-invalid=invalid(&draft, F::Address)
                aria-describedby=described_by(&draft, F::Address) />
            {field_error(&draft, F::Address, lang)}
            <fieldset class="windows" aria-describedby=described_by(&draft, F::Window)>
                <legend>{T::Window.t(lang)}</legend>
                {field_error(&draft, F::Window, lang)}
                <Windows windows chosen=draft.window lang />
            </fieldset>
            <p class="hint">{T::DeliveryFee.t(lang)}" "{fee_text}{free_note}</p>
        </fieldset>
    }
}

/// One `<optgroup>` of districts (none when the list is empty).
fn area_group(
    draft: &Draft,
    label: &'static str,
    list: Vec<(String, String)>,
) -> impl IntoView + use<> {
    let chosen = draft.place.clone();
    (!list.is_empty()).then(|| {
        view! {
            <optgroup label=label>
                {list
                    .into_iter()
                    .map(|(key, name)| {
                        let selected = chosen.as_deref() == Some(key.as_str());
                        view! { <option value=key selected=selected>{name}</option> }
                    })
                    .collect_view()}
            </optgroup>
        }
    })
}

#[component]
fn ContactFields(draft: Draft, lang: Lang) -> impl IntoView {
    view! {
        <fieldset class="contact">
            <legend>{T::Contact.t(lang)}</legend>
            <label for="name">{T::Name.t(lang)}</label>
            <input id="name" name=F::Name.name() type="text" maxlength="32" autocomplete="name" required
                value=draft.name.clone() aria-invalid=invalid(&draft, F::Name)
                aria-describedby=described_by(&draft, F::Name) />
            {field_error(&draft, F::Name, lang)}
            <label for="phone">{T::Phone.t(lang)}</label>
            <input id="phone" name=F::Phone.name() type="tel" inputmode="tel" autocomplete="tel" required
                placeholder=T::PhoneHint.t(lang) value=draft.phone.clone()
                aria-invalid=invalid(&draft, F::Phone)
                aria-describedby=described_by(&draft, F::Phone) />
            {field_error(&draft, F::Phone, lang)}
        </fieldset>
    }
}

/// The member's coupons to choose from (the best chosen unless the draft chose another,
/// or none) and the totals for each way of getting the order: the totals of the chosen
/// coupon show and the others hide (CSS `:has` on the coupon's place, no script needed).
#[component]
fn Totals(
    subtotal: Money,
    fee: Money,
    coupons: Vec<CheckoutCoupon>,
    /// The draft's choice: a coupon's id, `none`, or empty (the best).
    chosen: String,
    lang: Lang,
) -> impl IntoView {
    use crate::domain::i18n::marketing::{MarketingText as MT, saves};
    let with_delivery = subtotal.checked_add(fee).unwrap_or(subtotal);
    let usable: Vec<&CheckoutCoupon> = coupons.iter().filter(|c| c.off.is_some()).collect();
    let chosen_id = match chosen.as_str() {
        "none" => None,
        "" => usable.first().map(|c| c.id),
        id => usable
            .iter()
            .find(|c| c.id.to_string() == id)
            .or(usable.first())
            .map(|c| c.id),
    };
    let less = |m: Money, off: Money| Money::cny((m.minor - off.minor.min(subtotal.minor)).max(0));
    // One discount line and one pair of totals per usable coupon, each in its place.
    let per_coupon = usable
        .iter()
        .enumerate()
        .filter_map(|(place, c)| {
            let off = c.off?;
            let class = |extra: &str| format!("{extra} with-coupon coupon-place-{place}");
            Some(view! {
                <dt class=class("")>{T::Discount.t(lang)}</dt>
                <dd class=class("")>"-"{off.to_string()}</dd>
                <dt class=class("")>{T::Total.t(lang)}</dt>
                <dd class=class("pickup-only")><strong>{less(subtotal, off).to_string()}</strong></dd>
                <dd class=class("delivery-only")><strong>{less(with_delivery, off).to_string()}</strong></dd>
            })
        })
        .collect_view();
    let choice = (!coupons.is_empty()).then(|| {
        let mut place = 0usize;
        let options = coupons
            .iter()
            .map(|c| {
                let id = match c.off {
                    Some(_) => {
                        let id = format!("coupon-{place}");
                        place += 1;
                        id
                    }
                    None => format!("coupon-off-{}", c.id),
                };
                let best = c.off.is_some() && usable.first().is_some_and(|b| b.id == c.id);
                let note = match (c.off, &c.why_not) {
                    (Some(off), _) => saves(lang, off),
                    (None, Some(why)) => format!("{} · {why}", MT::CouponUnusable.t(lang)),
                    (None, None) => MT::CouponUnusable.t(lang).to_owned(),
                };
                let for_id = id.clone();
                view! {
                    <label class="coupon-option" for=for_id>
                        <input type="radio" id=id name=F::Coupon.name() value=c.id.to_string()
                            class:coupon-choice=c.off.is_some()
                            disabled=c.off.is_none() checked=chosen_id == Some(c.id) />
                        <span>
                            <strong>{c.title.clone()}</strong>" · "{c.terms.clone()}
                            {best.then(|| view! { " "<span class="badge">{MT::BestCoupon.t(lang)}</span> })}
                            <br /><span class="hint">{note}</span>
                        </span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset class="coupon">
                <legend>{MT::CouponChoice.t(lang)}</legend>
                {options}
                <label class="coupon-option" for="coupon-none">
                    <input type="radio" id="coupon-none" name=F::Coupon.name() value="none"
                        checked=chosen_id.is_none() />
                    <span>{MT::NoCouponChoice.t(lang)}</span>
                </label>
            </fieldset>
        }
    });
    view! {
        {choice}
        <dl class="totals">
            <dt>{T::Subtotal.t(lang)}</dt>
            <dd>{subtotal.to_string()}</dd>
            <dt class="delivery-only">{T::DeliveryFee.t(lang)}</dt>
            <dd class="delivery-only">{fee.to_string()}</dd>
            <dt class="no-coupon">{T::Total.t(lang)}</dt>
            <dd class="pickup-only no-coupon"><strong>{subtotal.to_string()}</strong></dd>
            <dd class="delivery-only no-coupon"><strong>{with_delivery.to_string()}</strong></dd>
            {per_coupon}
        </dl>
    }
}

/// How the order will be paid, under its total: online on the next page, its items held
/// meanwhile; and where the store allows it, the choice to pay a pick-up at the till
/// instead (shown whichever way is chosen, with the hint that it is for pick-ups: a
/// delivery is always paid online, whatever was picked here).
#[component]
fn Paying(payment: CheckoutPayment, at_store: bool, lang: Lang) -> impl IntoView {
    use crate::domain::i18n::payment::{PaymentText as P, pay_online_note};
    let choice = payment.pay_at_store.then(|| {
        let options = [
            ("online", P::PayOnlineChoice),
            ("store", P::PayAtStoreChoice),
        ]
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="mode">
                    <input type="radio" name=F::Pay.name() value=value id=format!("pay-{value}")
                        checked=(value == "store") == at_store />
                    {label.t(lang)}
                </label>
            }
        })
        .collect_view();
        view! {
            <fieldset class="pay-choice" aria-describedby="pay-choice-hint">
                <legend>{P::HowToPay.t(lang)}</legend>
                <p class="hint" id="pay-choice-hint">{P::PayChoiceHint.t(lang)}</p>
                <div class="modes">{options}</div>
            </fieldset>
        }
    });
    view! {
        <p class="pay-note" id="pay-note">{pay_online_note(lang, payment.hold_minutes)}</p>
        {choice}
    }
}

/// The windows grouped by day; full ones and those past their cut-off are shown but
/// cannot be chosen.
#[component]
fn Windows(windows: Vec<WindowOption>, chosen: Option<i64>, lang: Lang) -> impl IntoView {
    let mut days: Vec<(DayLabel, Vec<WindowOption>)> = Vec::new();
    for w in windows {
        match days.last_mut() {
            Some((day, list)) if *day == w.day => list.push(w),
            _ => days.push((w.day, vec![w])),
        }
    }
    days.into_iter()
        .map(|(day, list)| {
            let day = day.t(lang);
            let label = day.clone();
            view! {
                <div class="window-day" role="group" aria-label=label>
                    <p class="window-day-name" aria-hidden="true">{day}</p>
                    {list
                        .into_iter()
                        .map(|w| {
                            let id = format!("w-{}", w.starts_at);
                            let for_id = id.clone();
                            let unavailable = w.full || w.past_cutoff;
                            let note = if w.full {
                                Some(T::WindowFull.t(lang))
                            } else if w.past_cutoff {
                                Some(T::WindowPast.t(lang))
                            } else {
                                None
                            };
                            view! {
                                <label class="window" class:window-off=unavailable for=for_id>
                                    <input type="radio" name="window" id=id value=w.starts_at.to_string()
                                        disabled=unavailable checked=chosen == Some(w.starts_at) && !unavailable />
                                    <span>{w.time}</span>
                                    {note.map(|n| view! { <span class="window-note">" · "{n}</span> })}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
        .collect_view()
}
