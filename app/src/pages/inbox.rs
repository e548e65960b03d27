//! `/member/inbox`: a member's messages from the brand, their stores and their guide —
//! newest first, the new ones marked, each with the coupon that came with it and its
//! link — and what they choose to receive (each sender, or nothing at all). Opening it
//! reads them. A plain page and form: works without JavaScript.

use crate::api::marketing::{InboxItem, InboxPage as Data, get_inbox};
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::i18n::marketing::MarketingText as T;
use crate::domain::i18n::member::MemberText;
use crate::domain::lang::Lang;
use crate::forms::MemberChoicesForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn InboxPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::InboxTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_inbox().await {
                    Ok(page) => view! { <Inbox page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Inbox(page: Data) -> impl IntoView {
    let lang = use_lang();
    if !page.signed_in {
        return view! {
            <h1>{T::InboxTitle.t(lang)}</h1>
            <p>{T::SignInForInbox.t(lang)}</p>
            <a class="button" href=crate::links::member()>{MemberText::SignInTitle.t(lang)}</a>
        }
        .into_any();
    }
    let list = if page.messages.is_empty() {
        view! { <p class="empty">{T::InboxEmpty.t(lang)}</p> }.into_any()
    } else {
        let items = page
            .messages
            .into_iter()
            .map(|m| view! { <Message m lang /> })
            .collect_view();
        view! { <ul class="inbox-messages">{items}</ul> }.into_any()
    };
    let (brand, store, guide) = page.choices;
    let f = MemberChoicesForm::FIELDS;
    let choice = move |id: &'static str, name: &'static str, label: T, on: bool| {
        view! {
            <label for=id>
                <input type="checkbox" id=id name=name value="1" checked=on />
                " "{label.t(lang)}
            </label>
        }
    };
    view! {
        <p><a href=crate::links::member()>{MemberText::Title.t(lang)}</a></p>
        <h1>{T::InboxTitle.t(lang)}</h1>
        {list}
        <section aria-labelledby="choices-title">
            <h2 id="choices-title">{T::ChoicesTitle.t(lang)}</h2>
            <p id="choices-intro">{T::ChoicesIntro.t(lang)}</p>
            <form method="post" action=routes::MEMBER_CHOICES class="stack-form">
                <fieldset aria-describedby="choices-intro">
                    <legend>{T::ChoicesTitle.t(lang)}</legend>
                    {choice("choice-brand", f.brand, T::ChoiceBrand, brand)}
                    {choice("choice-store", f.store, T::ChoiceStore, store)}
                    {choice("choice-guide", f.guide, T::ChoiceGuide, guide)}
                    <p class="hint">{T::ChoiceNothing.t(lang)}</p>
                </fieldset>
                <button type="submit" class="button button-primary">{T::SaveChoices.t(lang)}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn Message(m: InboxItem, lang: Lang) -> impl IntoView {
    view! {
        <li class="inbox-message" class:inbox-unread=m.unread>
            <p class="inbox-from">
                <strong>{m.from}</strong>" · "<span class="muted">{m.when}</span>
                {m.unread.then(|| view! { " "<span class="badge">{T::InboxUnread.t(lang)}</span> })}
            </p>
            <p class="inbox-body">{m.body}</p>
            {m.coupon.map(|c| view! { <p class="inbox-coupon">{T::CouponAttached.t(lang)}" "<strong>{c}</strong></p> })}
            {m.link.map(|(href, label)| view! { <p><a href=href>{label}</a></p> })}
        </li>
    }
}
