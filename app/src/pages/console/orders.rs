//! `/staff/{store}`: the order queue by state (new, preparing, ready for pick-up, out for
//! delivery) with counts, when each is due and how long it has waited; each order moves
//! on from here. `/staff/{store}/orders/{id}`: one order as a pick list with the
//! customer's contact and time, its payment and refunds, marking a line short while it is
//! picked (its money goes back), handing a delivery to a courier, and cancelling as the
//! store with a reason the shopper sees. An order waiting for its online payment cannot
//! be moved on. Hydrated, the queue updates itself (`components::console_live`).

use super::ConsoleNav;
use crate::api::console::{
    ConsoleOrder, ConsoleQueue, OrderPayment, PickLine, QueueOrder, get_console_order,
    get_console_queue,
};
use crate::components::console_live::ConsoleLive;
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::checkout::{mode as mode_name, status as status_name};
use crate::domain::i18n::payment::{
    PaymentText as P, method as method_name, payment as payment_name, refund_reason, refund_state,
};
use crate::domain::i18n::staff::StaffText as T;
use crate::domain::lang::Lang;
use crate::domain::order::{Mode, Status};
use crate::domain::payment::{Payment, RefundReason};
use crate::forms::{StaffAdvanceForm, StaffCancelForm, StaffShortForm};
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
            {(o.payment != Payment::None).then(|| view! {
                <span class=payment_class(o.payment)>{payment_name(lang, o.payment)}</span>
            })}
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

/// How an order's payment state is marked: one waiting for its payment stands out.
fn payment_class(payment: Payment) -> &'static str {
    match payment {
        Payment::Awaiting | Payment::Expired => "payment-state payment-awaiting",
        Payment::AtStore => "payment-state payment-at-store",
        Payment::Paid | Payment::None => "payment-state",
    }
}

/// A refund's reason as the store reads it (the shopper's page says "you cancelled").
fn staff_reason(lang: Lang, reason: RefundReason) -> &'static str {
    match reason {
        RefundReason::ShopperCancel => P::ShopperCancelled.t(lang),
        other => refund_reason(lang, other),
    }
}

/// A pick line's "units short": the count once marked; while the order is being picked,
/// a small form to mark it (1 up to the quantity ordered, once per line).
fn short_cell(lang: Lang, store: &str, id: &str, l: &PickLine, shortable: bool) -> AnyView {
    if l.short > 0 {
        return view! { <strong>{l.short}</strong> }.into_any();
    }
    if !shortable {
        return ().into_any();
    }
    let f = StaffShortForm::FIELDS;
    let field = StaffShortForm::short_field(&l.sku);
    let input = format!("short-{}", l.sku);
    let label = crate::domain::i18n::bag::labelled(lang, P::ShortQuantity.t(lang), &l.name);
    view! {
        <form method="post" action=routes::STAFF_ORDER_SHORT class="inline-form short-form">
            <input type="hidden" name=f.store value=store.to_owned() />
            <input type="hidden" name=f.id value=id.to_owned() />
            <input type="hidden" name=f.sku value=l.sku.clone() />
            <label for=input.clone() class="visually-hidden">{label.clone()}</label>
            <input id=input name=f.short type="number" inputmode="numeric" min="1"
                max=l.quantity.to_string() step="1" required autocomplete="off"
                aria-invalid=is_refused(&field).then_some("true")
                aria-describedby=described_by(&field) />
            <button type="submit" class="button button-secondary"
                aria-label=crate::domain::i18n::bag::labelled(lang, P::MarkShort.t(lang), &l.name)>
                {P::MarkShort.t(lang)}
            </button>
            <FieldNote field=field.clone() />
        </form>
    }
    .into_any()
}

/// The order's money: its payment state, how and when it was paid or when an unpaid
/// one's hold ends, and its refunds.
#[component]
fn Money(money: OrderPayment) -> impl IntoView {
    let lang = use_lang();
    if money.payment == Payment::None && money.refunds.is_empty() {
        return ().into_any();
    }
    let paid = money.paid.clone().map(|(method, at)| {
        view! {
            <dt>{P::PaidBy.t(lang)}</dt>
            <dd>{method_name(lang, method)}</dd>
            <dt>{P::PaidAt.t(lang)}</dt>
            <dd>{at}</dd>
        }
    });
    let hold = money.hold_ends.clone().map(|at| {
        view! { <dt>{P::HoldEnds.t(lang)}</dt><dd>{at}</dd> }
    });
    let waiting = (money.payment == Payment::Awaiting)
        .then(|| view! { <p class="notice" role="status">{P::UnpaidOrder.t(lang)}</p> });
    let at_store = (money.payment == Payment::AtStore)
        .then(|| view! { <p class="hint">{P::TillNeedsPayment.t(lang)}</p> });
    let refunds = (!money.refunds.is_empty()).then(|| {
        view! {
            <h3>{P::Refunds.t(lang)}</h3>
            <ul class="refunds">
                {money
                    .refunds
                    .iter()
                    .map(|r| view! {
                        <li>
                            <span>{r.amount.to_string()}" · "{staff_reason(lang, r.reason)}</span>
                            <span><strong>{refund_state(lang, r.state)}</strong>" · "{r.at.clone()}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section class="order-money" aria-labelledby="money-title">
            <h2 id="money-title">{P::PaymentHeading.t(lang)}</h2>
            <dl class="facts">
                <dt>{P::HowToPay.t(lang)}</dt>
                <dd><span class=payment_class(money.payment)>{payment_name(lang, money.payment)}</span></dd>
                {paid}
                {hold}
            </dl>
            {waiting}
            {at_store}
            {refunds}
        </section>
    }
    .into_any()
}

#[component]
fn Order(o: ConsoleOrder) -> impl IntoView {
    let lang = use_lang();
    let slug = o.frame.store_slug.clone();
    let shortable = o.shortable;
    let lines = o
        .lines
        .iter()
        .map(|l| {
            let short = short_cell(lang, &slug, &o.id, l, shortable);
            view! {
                <tr>
                    <td><label class="pick"><input type="checkbox" />" "{l.name.clone()}</label></td>
                    <td>{l.sku.clone()}</td>
                    <td class="num"><strong>{l.quantity}</strong></td>
                    <td class="num">{l.price.to_string()}</td>
                    <td>{short}</td>
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
        <Money money=o.money />
        <section aria-labelledby="pick-list">
            <h2 id="pick-list">{T::PickList.t(lang)}</h2>
            <div class="table-scroll">
                <table class="pick-list">
                    <thead><tr>
                        <th scope="col">{T::Name.t(lang)}</th>
                        <th scope="col">"SKU"</th>
                        <th scope="col" class="num">{T::Quantity.t(lang)}</th>
                        <th scope="col" class="num">{crate::domain::i18n::Msg::ListPrice.t(lang)}</th>
                        <th scope="col">{P::ShortLine.t(lang)}</th>
                    </tr></thead>
                    <tbody>{lines}</tbody>
                </table>
            </div>
            <p class="order-total"><strong>{o.total.to_string()}</strong></p>
        </section>
        <div class="console-actions">{next}</div>
        {cancel}
    }
}
