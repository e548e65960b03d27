//! `/till/{store}`: the store's till for staff signed in at `/staff` whose role there works
//! the till: check a
//! pick-up code (typed, or from a scanner that types) and hand the order over — once — and
//! move open orders along (preparing, ready, out for delivery). An order paid at the store
//! is handed over with how the shopper paid (cash or card); one still waiting for its
//! online payment shows so, and cannot be moved along. A booking of an in-store service is
//! verified here too (核销), once.

use crate::api::checkout::TillMember;
use crate::api::checkout::{TillPage as TillData, get_till};
use crate::components::error_page::ErrorPage;
use crate::components::field_note::{FieldNote, described_by};
use crate::context::use_lang;
use crate::domain::i18n::appointments::AppointmentText as A;
use crate::domain::i18n::checkout::{CheckoutText as T, mode as mode_name, status as status_name};
use crate::domain::i18n::member::MemberText as M;
use crate::domain::i18n::payment::{
    PaymentText as P, method as method_name, payment as payment_name,
};
use crate::domain::i18n::staff::StaffText;
use crate::domain::lang::Lang;
use crate::domain::payment::{PaidMethod, Payment};
use crate::forms::{
    TillAdvanceForm, TillCollectForm, TillMemberForm, TillPointsForm, TillRedeemForm,
    TillVerifyForm,
};
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TillPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    view! {
        <Title text=T::TillTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let store = params.read_untracked().get("store").unwrap_or_default();
                let member = query.read_untracked().get("m");
                match get_till(store, member).await {
                    Ok(till) => view! { <Till till /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Till(till: TillData) -> impl IntoView {
    let lang = use_lang();
    let slug = till.store_slug.clone();
    let heading = view! { <h1>{T::TillTitle.t(lang)}" · "{till.store_name.clone()}</h1> };
    if !till.signed_in {
        let sign_in = format!(
            "{}?back={}",
            crate::links::staff_home(),
            crate::links::till(&slug)
        );
        return view! {
            {heading}
            <p>{StaffText::SignInFirst.t(lang)}</p>
            <a class="button" href=sign_in>{StaffText::SignInTitle.t(lang)}</a>
        }
        .into_any();
    }
    let orders = if till.orders.is_empty() {
        view! { <p class="empty">{T::TillNoOrders.t(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="till-orders">
                {till
                    .orders
                    .into_iter()
                    .map(|o| {
                        let next = o.next.map(|n| view! {
                            <form method="post" action=routes::TILL_ADVANCE>
                                <input type="hidden" name=TillAdvanceForm::FIELDS.store value=slug.clone() />
                                <input type="hidden" name=TillAdvanceForm::FIELDS.id value=o.id.clone() />
                                <button type="submit" aria-label=format!("{} {}: {}", T::TillAdvance.t(lang), o.id, status_name(lang, n))>
                                    {status_name(lang, n)}
                                </button>
                            </form>
                        });
                        let paying = (o.payment != Payment::None).then(|| view! {
                            " · "<span class=payment_class(o.payment)>{payment_name(lang, o.payment)}</span>
                        });
                        view! {
                            <li>
                                <strong>{o.id.clone()}</strong>
                                " · "{mode_name(lang, o.mode)}" · "{o.when.clone()}" · "{o.items}
                                " · "<span class="order-state">{status_name(lang, o.status)}</span>
                                {paying}
                                {next}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let desk = member_desk(lang, &slug, till.member);
    view! {
        {heading}
        {desk}
        <form method="post" action=routes::TILL_MEMBER class="till-code">
            <input type="hidden" name=TillMemberForm::FIELDS.store value=slug.clone() />
            <label for="member-code">{M::TillMemberCode.t(lang)}</label>
            <input id="member-code" name=TillMemberForm::FIELDS.code type="text" inputmode="numeric" autocomplete="off" maxlength="32" required />
            <button type="submit">{M::TillMemberCheck.t(lang)}</button>
        </form>
        <form method="post" action=routes::TILL_COLLECT class="till-code">
            <input type="hidden" name=TillCollectForm::FIELDS.store value=slug.clone() />
            <label for="code">{T::TillCode.t(lang)}</label>
            <input id="code" name=TillCollectForm::FIELDS.code type="text" inputmode="numeric" autocomplete="off" maxlength="32" required />
            {till.pay_at_till.then(|| view! { <PaidWith lang /> })}
            <button type="submit">{T::TillCheck.t(lang)}</button>
        </form>
        <VerifyBooking store=slug.clone() lang />
        <section aria-labelledby="open-orders">
            <h2 id="open-orders">{T::TillOpenOrders.t(lang)}</h2>
            {orders}
        </section>
        <p><a href=crate::links::console(&slug, "")>{StaffText::Console.t(lang)}</a></p>
    }
    .into_any()
}

/// How the shopper paid an order paid at the store: optional (an order paid online
/// needs none), refused beside itself when such an order comes without it.
#[component]
fn PaidWith(lang: Lang) -> impl IntoView {
    let field = TillCollectForm::FIELDS.paid;
    let described = match described_by(field) {
        Some(note) => format!("paid-hint {note}"),
        None => "paid-hint".to_owned(),
    };
    let options = PaidMethod::AT_TILL
        .into_iter()
        .map(|m| {
            let id = format!("paid-{}", m.as_str());
            let for_id = id.clone();
            view! {
                <label for=for_id>
                    <input type="radio" id=id name=field value=m.as_str() />
                    " "{method_name(lang, m)}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="paid-with" aria-describedby=described>
            <legend>{P::TillPaidWith.t(lang)}</legend>
            <p class="hint" id="paid-hint">{P::TillPaidWithHint.t(lang)}</p>
            {options}
        </fieldset>
        <FieldNote field=field />
    }
}

/// Verifying a booking of an in-store service (核销): its code typed, or typed by a
/// scanner from the member's QR; accepted once. A code that is not one is refused beside
/// the field.
#[component]
fn VerifyBooking(store: String, lang: Lang) -> impl IntoView {
    let field = TillVerifyForm::FIELDS.booking_code;
    let described = match described_by(field) {
        Some(note) => format!("booking-code-hint {note}"),
        None => "booking-code-hint".to_owned(),
    };
    view! {
        <section class="till-verify" aria-labelledby="verify-title">
            <h2 id="verify-title">{A::TillVerifyTitle.t(lang)}</h2>
            <form method="post" action=routes::TILL_VERIFY class="till-code">
                <input type="hidden" name=TillVerifyForm::FIELDS.store value=store />
                <label for="booking-code">{A::TillVerifyCode.t(lang)}</label>
                <p class="hint" id="booking-code-hint">{A::TillVerifyHint.t(lang)}</p>
                <input id="booking-code" name=field type="text" inputmode="numeric" autocomplete="off"
                    maxlength="32" required aria-invalid=crate::components::field_note::is_refused(field).then_some("true")
                    aria-describedby=described />
                <FieldNote field=field />
                <button type="submit">{A::TillVerify.t(lang)}</button>
            </form>
        </section>
    }
}

/// How an order's payment state is marked in the list: awaiting stands out.
fn payment_class(payment: Payment) -> &'static str {
    match payment {
        Payment::Awaiting | Payment::Expired => "payment-state payment-awaiting",
        Payment::AtStore => "payment-state payment-at-store",
        Payment::Paid | Payment::None => "payment-state",
    }
}

/// The member being served: points, coupons to redeem, and points to add.
fn member_desk(lang: Lang, store: &str, member: Option<TillMember>) -> impl IntoView + use<> {
    let store = store.to_owned();
    member.map(|m| {
        let coupons = m
            .coupons
            .into_iter()
            .map(|c| {
                view! {
                    <li>
                        {c.title.clone()}" · "{c.terms.clone()}
                        {c.limits.clone().map(|l| view! { " · "<span class="coupon-limits">{l}</span> })}
                        <form method="post" action=routes::TILL_REDEEM>
                            <input type="hidden" name=TillRedeemForm::FIELDS.store value=store.clone() />
                            <input type="hidden" name=TillRedeemForm::FIELDS.m value=m.token.clone() />
                            <input type="hidden" name=TillRedeemForm::FIELDS.coupon value=c.id.to_string() />
                            <button type="submit" aria-label=format!("{}: {}", M::Redeem.t(lang), c.terms)>
                                {M::Redeem.t(lang)}
                            </button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="till-member" aria-labelledby="till-member-title">
                <h2 id="till-member-title">{M::Member.t(lang)}" "{m.phone.clone()}</h2>
                <p>{M::Points.t(lang)}": "<strong class="points">{m.points}</strong></p>
                <ul class="coupons">{coupons}</ul>
                <form method="post" action=routes::TILL_POINTS class="till-code">
                    <input type="hidden" name=TillPointsForm::FIELDS.store value=store.clone() />
                    <input type="hidden" name=TillPointsForm::FIELDS.m value=m.token.clone() />
                    <label for="points">{M::PointsToAdd.t(lang)}</label>
                    <input id="points" name=TillPointsForm::FIELDS.points type="number" min="1" max="100000" inputmode="numeric" required />
                    <button type="submit">{M::AddPoints.t(lang)}</button>
                </form>
            </section>
        }
    })
}
