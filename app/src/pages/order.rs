//! `/orders/{id}`: an order for the shopper who placed it — its status, the window or the
//! pick-up time, what is in it, and for a pick-up the code as a QR and as digits. It can
//! be cancelled until the store starts preparing it.

use crate::api::checkout::{OrderView, get_order};
use crate::components::error_page::ErrorPage;
use crate::components::payment_watch::PaymentWatch;
use crate::context::use_lang;
use crate::domain::i18n::checkout::{CheckoutText as T, mode as mode_name, status as status_name};
use crate::domain::order::{Mode, Status};
use crate::forms::CancelForm;
use crate::links;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    view! {
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let id = params.read_untracked().get("id").unwrap_or_default();
                let paying = query.read_untracked().get("paying").and_then(|p| p.parse().ok());
                match get_order(id, paying).await {
                    Ok(order) => view! { <Order order /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

const STEPS_PICKUP: [Status; 4] = [
    Status::Placed,
    Status::Preparing,
    Status::Ready,
    Status::Completed,
];
const STEPS_DELIVERY: [Status; 4] = [
    Status::Placed,
    Status::Preparing,
    Status::OutForDelivery,
    Status::Completed,
];

#[component]
fn Order(order: OrderView) -> impl IntoView {
    let lang = use_lang();
    let title = format!("{} {}", T::OrderTitle.t(lang), order.id);
    let steps = if order.mode == Mode::Pickup {
        STEPS_PICKUP
    } else {
        STEPS_DELIVERY
    };
    let reached = steps.iter().position(|s| *s == order.status);
    let progress = (order.status != Status::Cancelled).then(|| {
        view! {
            <ol class="order-steps" aria-label=T::OrderStatus.t(lang)>
                {steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let current = Some(i) == reached;
                        let done = reached.is_some_and(|r| i <= r);
                        view! {
                            <li class:done=done aria-current=if current { "step" } else { "false" }>
                                {status_name(lang, *s)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
    });
    let when_label = match order.mode {
        Mode::Delivery => T::DeliversAt.t(lang),
        Mode::Pickup => T::PickupAt.t(lang),
    };
    let code = order.pickup_code.clone().map(|digits| {
        view! {
            <section class="pickup-code" aria-labelledby="code-title">
                <h2 id="code-title">{T::PickupCode.t(lang)}</h2>
                <div class="qr" inner_html=order.pickup_qr.clone().unwrap_or_default()></div>
                <p class="code-digits" aria-label=T::PickupCode.t(lang)>{digits}</p>
                <p class="hint">{T::PickupCodeHint.t(lang)}</p>
            </section>
        }
    });
    let store_cancelled = order.store_cancel_reason.clone().map(|reason| {
        view! {
            <p class="notice notice-error" role="status">
                <strong>{crate::domain::i18n::staff::StaffText::CancelledByStore.t(lang)}</strong>": "{reason}
            </p>
        }
    });
    let cancel = order.status.cancellable().then(|| {
        view! {
            <form method="post" action=routes::ORDER_CANCEL class="cancel-form">
                <input type="hidden" name=CancelForm::FIELDS.id value=order.id.clone() />
                <button type="submit" class="button button-secondary">{T::Cancel.t(lang)}</button>
            </form>
        }
    });
    view! {
        <Title text=title.clone() />
        <article class="order" aria-labelledby="order-title">
            <h1 id="order-title">{title}</h1>
            <p class="order-status">
                {T::OrderStatus.t(lang)}": "<strong>{status_name(lang, order.status)}</strong>
            </p>
            {progress}
            <dl class="facts">
                <dt>{T::HowToGet.t(lang)}</dt>
                <dd>{mode_name(lang, order.mode)}" · "<a href=links::store(&order.store_slug)>{order.store_name.clone()}</a></dd>
                <dt>{when_label}</dt>
                <dd>{order.when.clone()}</dd>
                {order.address.clone().map(|a| view! { <dt>{T::Address.t(lang)}</dt><dd>{a}</dd> })}
                <dt>{T::Contact.t(lang)}</dt>
                <dd>{order.contact.clone()}</dd>
                {order.guide.clone().map(|g| view! { <dt>{T::Guide.t(lang)}</dt><dd>{g}</dd> })}
            </dl>
            {code}
            <ul class="summary-lines">
                {order
                    .lines
                    .iter()
                    .map(|l| view! {
                        <li>
                            <span>{l.name.clone()}" × "{l.quantity}</span>
                            <span>{l.price.times(l.quantity).unwrap_or(l.price).to_string()}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
            <dl class="totals">
                <dt>{T::Subtotal.t(lang)}</dt>
                <dd>{order.subtotal.to_string()}</dd>
                {(order.mode == Mode::Delivery).then(|| view! {
                    <dt>{T::DeliveryFee.t(lang)}</dt>
                    <dd>{order.delivery_fee.to_string()}</dd>
                })}
                {(order.discount.minor > 0).then(|| view! {
                    <dt>{T::Discount.t(lang)}</dt>
                    <dd>"-"{order.discount.to_string()}</dd>
                })}
                <dt>{T::Total.t(lang)}</dt>
                <dd><strong>{order.total.to_string()}</strong></dd>
            </dl>
            <Money order=order.clone() />
            {store_cancelled}
            {cancel}
        </article>
    }
}

/// The receipt's money part: how the order is paid (or is to be: the pay button and the
/// time left), and its refunds.
#[component]
fn Money(order: OrderView) -> impl IntoView {
    use crate::domain::i18n::payment::{
        PaymentText as P, method as method_name, payment as payment_name, refund_reason,
        refund_state,
    };
    use crate::domain::payment::Payment;
    let lang = use_lang();
    let money = order.money.clone();
    if money.payment == Payment::None && money.refunds.is_empty() {
        return ().into_any();
    }
    let confirming = money.confirming.then(|| {
        let href = money
            .check_again
            .clone()
            .unwrap_or_else(|| links::order(&order.id));
        view! {
            <p class="notice" role="status" data-confirming="">
                <strong>{P::Confirming.t(lang)}</strong>" "{P::ConfirmingHint.t(lang)}
            </p>
            <p><a class="button button-secondary" href=href.clone()>{P::CheckAgain.t(lang)}</a></p>
            <PaymentWatch href />
        }
    });
    let hold = (money.payment == Payment::Awaiting && !money.confirming).then(|| {
        let left = money.minutes_left.unwrap_or(0);
        let left = match lang {
            crate::domain::lang::Lang::ZhCn => format!("（还剩 {left} 分钟）"),
            crate::domain::lang::Lang::En => format!(" ({left} min left)"),
        };
        view! {
            <p class="notice">
                {P::PayWithin.t(lang)}": "<strong>{money.pay_by.clone().unwrap_or_default()}</strong>{left}
                <br />{P::AwaitingPaymentNote.t(lang)}
            </p>
        }
    });
    let at_store = (money.payment == Payment::AtStore).then(|| {
        view! { <p class="hint">{P::PayAtStoreNote.t(lang)}</p> }
    });
    let ended = (money.payment == Payment::Expired).then(|| {
        view! { <p class="notice notice-error" role="status">{P::HoldEnded.t(lang)}</p> }
    });
    let declined = money
        .declined
        .then(|| view! { <p class="notice notice-error" role="status">{P::Declined.t(lang)}</p> });
    let late = money
        .late
        .then(|| view! { <p class="notice" role="status">{P::RefundLateNote.t(lang)}</p> });
    let pay = (money.can_pay && !money.confirming).then(|| {
        view! {
            <p>
                <a class="button" href=links::order_pay(&order.id)>
                    {P::PayNow.t(lang)}" "{order.total.to_string()}
                </a>
            </p>
        }
    });
    let paid = money.paid.clone().map(|(method, at)| {
        view! {
            <dt>{P::PaidBy.t(lang)}</dt>
            <dd>{method_name(lang, method)}</dd>
            <dt>{P::PaidAt.t(lang)}</dt>
            <dd>{at}</dd>
        }
    });
    let refunds = (!money.refunds.is_empty()).then(|| {
        view! {
            <h3>{P::Refunds.t(lang)}</h3>
            <ul class="refunds">
                {money
                    .refunds
                    .iter()
                    .map(|r| view! {
                        <li>
                            <span>{r.amount.to_string()}" · "{refund_reason(lang, r.reason)}</span>
                            <span>
                                <strong>{refund_state(lang, r.state)}</strong>" · "{r.at.clone()}
                            </span>
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
                <dd>{payment_name(lang, money.payment)}</dd>
                {paid}
            </dl>
            {confirming}
            {declined}
            {hold}
            {at_store}
            {ended}
            {late}
            {pay}
            {refunds}
        </section>
    }
    .into_any()
}
