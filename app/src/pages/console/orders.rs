//! `/staff/{store}`: the order queue by state (new, preparing, ready for pick-up, out for
//! delivery) with counts, when each is due and how long it has waited; each order moves
//! on from here. `/staff/{store}/orders/{id}`: one order as a pick list with the
//! customer's contact and time, handing a delivery to a courier, and cancelling as the
//! store with a reason the shopper sees. Hydrated, the queue updates itself
//! (`components::console_live`).

use super::ConsoleNav;
use crate::api::console::{
    ConsoleOrder, ConsoleQueue, QueueOrder, get_console_order, get_console_queue,
};
use crate::components::console_live::ConsoleLive;
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::checkout::{mode as mode_name, status as status_name};
use crate::domain::i18n::staff::StaffText as T;
use crate::domain::lang::Lang;
use crate::domain::order::{Mode, Status};
use crate::forms::{StaffAdvanceForm, StaffCancelForm};
use crate::links::{self, routes};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The id of the queue's region (the live update swaps it).
pub const QUEUE_ID: &str = "console-queue";

#[component]
pub fn ConsoleOrdersPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::NavOrders,
        get_console_queue(store()),
        |q| view! { <Queue q /> }
    )
}

fn group_name(lang: Lang, status: Status) -> &'static str {
    match status {
        Status::Placed => T::QueueNew.t(lang),
        Status::Preparing => T::QueuePreparing.t(lang),
        Status::Ready => T::QueueReady.t(lang),
        _ => T::QueueOut.t(lang),
    }
}

fn waited(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::ZhCn if minutes < 60 => format!("{minutes} 分钟"),
        Lang::ZhCn => format!("{} 小时 {} 分钟", minutes / 60, minutes % 60),
        Lang::En if minutes < 60 => format!("{minutes} min"),
        Lang::En => format!("{} h {} min", minutes / 60, minutes % 60),
    }
}

#[component]
fn Queue(q: ConsoleQueue) -> impl IntoView {
    let lang = use_lang();
    let slug = q.frame.store_slug.clone();
    let groups = q
        .groups
        .into_iter()
        .map(|g| {
            let heading = format!("queue-{}", g.status.as_str());
            let heading_id = heading.clone();
            let count = g.orders.len();
            let body = if g.orders.is_empty() {
                view! { <p class="empty">{T::QueueEmpty.t(lang)}</p> }.into_any()
            } else {
                let slug = slug.clone();
                view! {
                    <ul class="queue-orders">
                        {g.orders.into_iter().map(|o| view! { <QueueItem store=slug.clone() o /> }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                <section class="queue-group" aria-labelledby=heading.clone()>
                    <h2 id=heading_id>
                        {group_name(lang, g.status)}" "<span class="queue-count">{count}</span>
                    </h2>
                    {body}
                </section>
            }
        })
        .collect_view();
    view! {
        <ConsoleNav frame=q.frame current="" />
        <h1>{T::NavOrders.t(lang)}</h1>
        <ConsoleLive store=slug.clone() newest=q.newest region=QUEUE_ID.to_owned() />
        <p><a class="button button-secondary" href=links::console(&slug, "")>{T::Refresh.t(lang)}</a></p>
        <div id=QUEUE_ID class="queue">{groups}</div>
    }
}

#[component]
fn QueueItem(store: String, o: QueueOrder) -> impl IntoView {
    let lang = use_lang();
    let href = links::console_order(&store, &o.id);
    let next = o.next.map(
        |n| view! { <AdvanceForm store=store.clone() id=o.id.clone() to=n with_courier=false /> },
    );
    view! {
        <li class="queue-order" class:urgent=o.urgent>
            <a href=href class="queue-id"><strong>{o.id.clone()}</strong></a>
            <span>{mode_name(lang, o.mode)}</span>
            <span>{T::Due.t(lang)}": "<time>{o.due.clone()}</time></span>
            <span>{T::Waiting.t(lang)}": "{waited(lang, o.waiting_min)}</span>
            <span>{o.items}" × · "{o.total.to_string()}</span>
            <span>{o.contact.clone()}</span>
            {next}
        </li>
    }
}

/// The button that moves an order to `to`; a delivery leaving the store names its
/// courier (on the order's page; from the queue it opens the order).
#[component]
fn AdvanceForm(store: String, id: String, to: Status, with_courier: bool) -> impl IntoView {
    let lang = use_lang();
    let f = StaffAdvanceForm::FIELDS;
    if to == Status::OutForDelivery && !with_courier {
        return view! {
            <a class="button" href=links::console_order(&store, &id)>{T::HandToCourier.t(lang)}</a>
        }
        .into_any();
    }
    let label = match to {
        Status::OutForDelivery => T::HandToCourier.t(lang).to_owned(),
        Status::Completed => T::MarkDelivered.t(lang).to_owned(),
        _ => format!("{} {}", T::MoveTo.t(lang), status_name(lang, to)),
    };
    let courier = (to == Status::OutForDelivery).then(|| {
        let field = f.courier;
        view! {
            <label for=format!("courier-{id}")>{T::Courier.t(lang)}</label>
            <input id=format!("courier-{id}") name=field type="text" maxlength="40" required
                autocomplete="off" aria-invalid=is_refused(field).then_some("true")
                aria-describedby=described_by(field) />
            <FieldNote field=field />
        }
    });
    // From the queue, the post comes back to the queue.
    let back = (!with_courier)
        .then(|| view! { <input type="hidden" name=f.back value=links::console(&store, "") /> });
    view! {
        <form method="post" action=routes::STAFF_ORDER_ADVANCE class="inline-form">
            <input type="hidden" name=f.store value=store />
            <input type="hidden" name=f.id value=id.clone() />
            <input type="hidden" name=f.to value=to.as_str() />
            {back}
            {courier}
            <button type="submit" class="button button-primary" aria-label=format!("{id}: {label}")>{label.clone()}</button>
        </form>
    }
    .into_any()
}

#[component]
pub fn ConsoleOrderPage() -> impl IntoView {
    let params = use_params_map();
    let args = move || {
        let p = params.read_untracked();
        (
            p.get("store").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    };
    crate::console_page!(
        T::PickList,
        {
            let (s, id) = args();
            get_console_order(s, id)
        },
        |o| view! { <Order o /> }
    )
}

#[component]
fn Order(o: ConsoleOrder) -> impl IntoView {
    let lang = use_lang();
    let slug = o.frame.store_slug.clone();
    let lines = o
        .lines
        .into_iter()
        .map(|l| {
            view! {
                <tr>
                    <td><label class="pick"><input type="checkbox" />" "{l.name}</label></td>
                    <td>{l.sku}</td>
                    <td class="num"><strong>{l.quantity}</strong></td>
                    <td class="num">{l.price.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let when_label = match o.mode {
        Mode::Delivery => crate::domain::i18n::checkout::CheckoutText::Window.t(lang),
        Mode::Pickup => crate::domain::i18n::checkout::CheckoutText::PickupTime.t(lang),
    };
    let next = o.next.map(
        |n| view! { <AdvanceForm store=slug.clone() id=o.id.clone() to=n with_courier=true /> },
    );
    let f = StaffCancelForm::FIELDS;
    let cancel = o.cancellable.then(|| {
        view! {
            <form method="post" action=routes::STAFF_ORDER_CANCEL class="stack-form cancel-form">
                <input type="hidden" name=f.store value=slug.clone() />
                <input type="hidden" name=f.id value=o.id.clone() />
                <label for="cancel-reason">{T::CancelReason.t(lang)}</label>
                <textarea id="cancel-reason" name=f.reason maxlength="200" rows="2" required
                    aria-invalid=is_refused(f.reason).then_some("true") aria-describedby=described_by(f.reason)></textarea>
                <FieldNote field=f.reason />
                <button type="submit" class="button button-danger">{T::CancelAsStore.t(lang)}</button>
            </form>
        }
    });
    view! {
        <ConsoleNav frame=o.frame current="" />
        <p><a href=links::console(&slug, "")>{T::BackToQueue.t(lang)}</a></p>
        <h1>{o.id.clone()}" · "{status_name(lang, o.status)}</h1>
        <dl class="order-facts">
            <dt>{mode_name(lang, o.mode)}" · "{when_label}</dt><dd>{o.due}</dd>
            <dt>{T::Waiting.t(lang)}</dt><dd>{waited(lang, o.waiting_min)}</dd>
            <dt>{T::Customer.t(lang)}</dt>
            <dd>{o.contact_name}" · "<a href=format!("tel:{}", o.phone)>{o.phone.clone()}</a></dd>
            {o.address.map(|a| view! { <dt>{T::DeliverTo.t(lang)}</dt><dd>{a}</dd> })}
            {o.courier.map(|c| view! { <dt>{T::Courier.t(lang)}</dt><dd>{c}</dd> })}
            {o.cancel_reason.map(|r| view! { <dt>{T::CancelledByStore.t(lang)}</dt><dd>{r}</dd> })}
        </dl>
        <section aria-labelledby="pick-list">
            <h2 id="pick-list">{T::PickList.t(lang)}</h2>
            <table class="pick-list">
                <thead><tr>
                    <th scope="col">{T::Name.t(lang)}</th>
                    <th scope="col">"SKU"</th>
                    <th scope="col" class="num">{T::Quantity.t(lang)}</th>
                    <th scope="col" class="num">{crate::domain::i18n::Msg::ListPrice.t(lang)}</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
            <p class="order-total"><strong>{o.total.to_string()}</strong></p>
        </section>
        <div class="console-actions">{next}</div>
        {cancel}
    }
}
