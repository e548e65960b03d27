//! `/member/data`: what the brand holds about the signed-in member (in short, with the
//! whole of it to download as JSON) and deleting the account, confirmed with the last
//! four digits of their number. A plain page and form: works without JavaScript.

use crate::api::marketing::{MemberData, get_member_data};
use crate::components::error_page::ErrorPage;
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::marketing::MarketingText as T;
use crate::domain::i18n::member::MemberText;
use crate::forms::MemberDeleteForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn MemberDataPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::DataTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match get_member_data().await {
                    Ok(data) => view! { <Data data /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Data(data: MemberData) -> impl IntoView {
    let lang = use_lang();
    if !data.signed_in {
        return view! {
            <h1>{T::DataTitle.t(lang)}</h1>
            <p>{T::SignInForInbox.t(lang)}</p>
            <a class="button" href=crate::links::member()>{MemberText::SignInTitle.t(lang)}</a>
        }
        .into_any();
    }
    let f = MemberDeleteForm::FIELDS;
    let described = match described_by(f.confirm) {
        Some(note) => format!("{note} delete-hint"),
        None => "delete-hint".to_owned(),
    };
    view! {
        <p><a href=crate::links::member()>{MemberText::Title.t(lang)}</a></p>
        <h1>{T::DataTitle.t(lang)}</h1>
        <p>{T::DataIntro.t(lang)}</p>
        <dl class="facts">
            <dt>{T::DataPhone.t(lang)}</dt><dd>{data.phone}</dd>
            <dt>{T::DataJoined.t(lang)}</dt><dd>{data.joined}</dd>
            <dt>{T::DataGuide.t(lang)}</dt><dd>{data.guide.unwrap_or_else(|| "—".to_owned())}</dd>
            <dt>{MemberText::Points.t(lang)}</dt><dd>{data.points}</dd>
            <dt>{MemberText::Coupons.t(lang)}</dt><dd>{data.coupons}</dd>
            <dt>{T::DataOrders.t(lang)}</dt><dd>{data.orders}</dd>
            <dt>{T::DataMessages.t(lang)}</dt><dd>{data.messages}</dd>
            <dt>{T::DataStores.t(lang)}</dt><dd>{data.stores}</dd>
            <dt>{T::DataDevices.t(lang)}</dt><dd>{data.devices}</dd>
        </dl>
        <p><a class="button" href=routes::MEMBER_DATA_JSON download="my-cloud-store-data.json">{T::DataDownload.t(lang)}</a></p>
        <section aria-labelledby="delete-title">
            <h2 id="delete-title">{T::DeleteTitle.t(lang)}</h2>
            <p>{T::DeleteIntro.t(lang)}</p>
            <form method="post" action=routes::MEMBER_DELETE class="stack-form">
                <label for="delete-confirm">{T::DeleteConfirm.t(lang)}</label>
                <input id="delete-confirm" name=f.confirm type="text" inputmode="numeric" autocomplete="off"
                    maxlength="4" required aria-invalid=is_refused(f.confirm).then_some("true")
                    aria-describedby=described />
                <p class="hint" id="delete-hint">{T::DeleteConfirmHint.t(lang)}</p>
                <FieldNote field=f.confirm />
                <button type="submit" class="button button-danger">{T::DeleteAccount.t(lang)}</button>
            </form>
        </section>
    }
    .into_any()
}
