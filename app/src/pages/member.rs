//! `/member`: sign in or join with a phone number and a one-time code; signed in, the
//! member's points, coupons and member code, a link to their bookings, and signing out.
//! `/demo/inbox` shows what the demo code sender sent (demo mode only).

use crate::api::members::{MemberPage as Data, MemberView, get_demo_inbox, get_member_page};
use crate::components::error_page::ErrorPage;
use crate::components::member_code::MemberCode;
use crate::context::use_lang;
use crate::domain::i18n::member::MemberText as T;
use crate::forms::{MemberCodeForm, MemberPhoneForm};
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn MemberPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::Title.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_member_page().await {
                    Ok(page) => view! { <Member page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Member(page: Data) -> impl IntoView {
    let lang = use_lang();
    match (page.member, page.pending) {
        (Some(member), _) => view! { <SignedIn member /> }.into_any(),
        (None, Some(phone)) => view! {
            <section class="member-sign-in" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">{T::SignInTitle.t(lang)}</h1>
                <p>{crate::domain::i18n::member::code_sent(lang, &phone)}</p>
                <form method="post" action=routes::MEMBER_VERIFY class="stack-form">
                    <label for="code">{T::Code.t(lang)}</label>
                    <input id="code" name=MemberCodeForm::FIELDS.code type="text" inputmode="numeric" autocomplete="one-time-code"
                        maxlength="6" required />
                    <button type="submit" class="button button-primary">{T::SignIn.t(lang)}</button>
                </form>
                <form method="post" action=routes::MEMBER_CODE class="stack-form">
                    <input type="hidden" name=MemberPhoneForm::FIELDS.phone value="" />
                    <button type="submit" class="link-button">{T::ChangePhone.t(lang)}</button>
                </form>
                {page.demo.then(|| view! { <p><a href="/demo/inbox">{T::DemoInbox.t(lang)}</a></p> })}
            </section>
        }
        .into_any(),
        (None, None) => view! {
            <section class="member-sign-in" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">{T::SignInTitle.t(lang)}</h1>
                <p>{T::SignInIntro.t(lang)}</p>
                <form method="post" action=routes::MEMBER_CODE class="stack-form">
                    <label for="phone">{T::Phone.t(lang)}</label>
                    <input id="phone" name=MemberPhoneForm::FIELDS.phone type="tel" inputmode="tel" autocomplete="tel" required />
                    <button type="submit" class="button button-primary">{T::SendCode.t(lang)}</button>
                </form>
                {page.demo.then(|| view! { <p><a href="/demo/inbox">{T::DemoInbox.t(lang)}</a></p> })}
            </section>
        }
        .into_any(),
    }
}

#[component]
fn SignedIn(member: MemberView) -> impl IntoView {
    let lang = use_lang();
    let code = member.device.clone().map(|(device, key)| {
        view! {
            <section class="member-code" aria-labelledby="member-code-title">
                <h2 id="member-code-title">{T::MemberCode.t(lang)}</h2>
                <MemberCode device key now=member.now />
                <p class="hint">{T::MemberCodeHint.t(lang)}</p>
            </section>
        }
    });
    let coupons = if member.coupons.is_empty() {
        view! { <p class="empty">{T::NoCoupons.t(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="coupons">
                {member
                    .coupons
                    .into_iter()
                    .map(|c| view! {
                        <li>
                            <strong>{c.title}</strong>" · "{c.terms}
                            {c.limits.map(|l| view! { " · "<span class="coupon-limits">{l}</span> })}
                            <br /><span class="hint">{c.until}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h1>{T::Title.t(lang)}</h1>
        <p class="member-phone">{member.phone.clone()}</p>
        {code}
        <dl class="facts">
            <dt>{T::Points.t(lang)}</dt>
            <dd class="points">{member.points}</dd>
        </dl>
        <section aria-labelledby="coupons-title">
            <h2 id="coupons-title">{T::Coupons.t(lang)}</h2>
            {coupons}
        </section>
        <ul class="member-links">
            <li><a href=routes::MEMBER_INBOX>{crate::domain::i18n::marketing::MarketingText::InboxLink.t(lang)}</a></li>
            <li><a href=crate::links::my_bookings()>{crate::domain::i18n::appointments::AppointmentText::MyBookings.t(lang)}</a></li>
            <li><a href=routes::MEMBER_DATA>{crate::domain::i18n::marketing::MarketingText::DataLink.t(lang)}</a></li>
        </ul>
        <form method="post" action=routes::MEMBER_LOGOUT>
            <button type="submit" class="button button-secondary">{T::SignOut.t(lang)}</button>
        </form>
    }
}

#[component]
pub fn DemoInboxPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::DemoInbox.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_demo_inbox().await {
                    Ok(messages) => view! {
                        <h1>{T::DemoInbox.t(lang)}</h1>
                        {messages.is_empty().then(|| view! { <p class="empty">{T::DemoInboxEmpty.t(lang)}</p> })}
                        <ul class="inbox">
                            {messages
                                .into_iter()
                                .map(|m| view! { <li><span class="inbox-phone">{m.phone}</span>" · "<span class="inbox-message">{m.message}</span></li> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
