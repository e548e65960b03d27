//! `/staff/{store}/audience?…`: choose the store's members (人群圈选) by the guide who
//! brought them, days away, spend in a period, a category bought, days with items in the
//! bag and points — a GET form, so the count comes first — then send those members a
//! message, with a coupon of a campaign and a link to a product if wanted. A manager
//! chooses among the store's members; a guide among the members they brought. Every
//! member gets at most two sends a week from the store, and only if they receive such
//! messages. Plain forms: works without JavaScript.

use super::ConsoleNav;
use crate::api::marketing::{ConsoleAudience, SendView, get_console_audience};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::audience::{AudienceField as A, BODY_MAX};
use crate::domain::i18n::marketing::{self as text, MarketingText as T};
use crate::domain::lang::Lang;
use crate::forms::AudienceSendForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn ConsoleAudiencePage() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    let query = move || location.search.get_untracked();
    crate::console_page!(
        T::AudienceTitle,
        get_console_audience(store(), query()),
        |page| view! { <Audience page /> }
    )
}

#[component]
fn Audience(page: ConsoleAudience) -> impl IntoView {
    let lang = use_lang();
    let slug = page.frame.store_slug.clone();
    let value = |f: A| {
        page.values
            .iter()
            .find(|(k, _)| k == f.name())
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // A refusal of the filter is said beside its field (it comes with the GET, not a
    // flash).
    let refused = page.refused.clone();
    let note = move |f: A| {
        refused
            .as_ref()
            .filter(|(k, _)| k == f.name())
            .map(|(_, why)| why.clone())
    };
    let number = |id: &'static str, f: A, label: T, hint: Option<T>| {
        let why = note(f);
        let note_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described = [
            why.as_ref().map(|_| note_id.clone()),
            hint.map(|_| hint_id.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        view! {
            <label for=id>{label.t(lang)}</label>
            <input id=id name=f.name() type="text" inputmode="numeric" autocomplete="off" maxlength="12"
                value=value(f) aria-invalid=why.is_some().then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described) />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h.t(lang)}</p> })}
            {why.map(|w| view! { <p class="field-error" id=note_id role="alert">{w}</p> })}
        }
    };
    let guide_choice = match &page.own_guide {
        Some(code) => view! {
            <input type="hidden" name=A::Guide.name() value=code.clone() />
            <p class="hint">{T::AudienceGuideIntro.t(lang)}</p>
        }
        .into_any(),
        None => {
            let chosen = value(A::Guide);
            let options = page
                .guides
                .iter()
                .map(|(code, name)| {
                    view! {
                        <option value=code.clone() selected=chosen == *code>
                            {T::JoinedGuide.t(lang)}{name.clone()}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <label for="audience-guide">{T::JoinedThrough.t(lang)}</label>
                <select id="audience-guide" name=A::Guide.name()>
                    <option value="">{T::JoinedAny.t(lang)}</option>
                    {options}
                </select>
            }
            .into_any()
        }
    };
    let chosen_category = value(A::Category);
    let categories = page
        .categories
        .iter()
        .map(|(id, name)| {
            let v = id.to_string();
            view! { <option value=v.clone() selected=chosen_category == v>{name.clone()}</option> }
        })
        .collect_view();
    let count = page.count.map(|n| {
        view! {
            <p class="audience-count" role="status">
                {T::AudienceCount.t(lang)}": "<strong>{text::members_count(lang, n)}</strong>
            </p>
        }
    });
    let send = page
        .count
        .filter(|n| *n > 0)
        .map(|_| view! { <SendForm slug=slug.clone() query=page.query.clone() campaigns=page.campaigns.clone() lang /> });
    view! {
        <ConsoleNav frame=page.frame current="audience" />
        <h1>{T::AudienceTitle.t(lang)}</h1>
        <p>{T::AudienceIntro.t(lang)}</p>
        <section aria-labelledby="audience-filters">
            <h2 id="audience-filters">{T::AudienceFilters.t(lang)}</h2>
            <form method="get" action=crate::links::console(&slug, "audience") class="stack-form">
                {guide_choice}
                {number("audience-away", A::AwayDays, T::AwayDays, Some(T::AwayDaysHint))}
                {number("audience-spend", A::SpendMin, T::SpendAtLeast, None)}
                {number("audience-spend-days", A::SpendDays, T::SpendDays, None)}
                <label for="audience-category">{T::BoughtCategory.t(lang)}</label>
                <select id="audience-category" name=A::Category.name()>
                    <option value="">{T::AnyCategory.t(lang)}</option>
                    {categories}
                </select>
                {number("audience-bag-days", A::BagDays, T::BagDays, Some(T::BagDaysHint))}
                {number("audience-points", A::PointsMin, T::PointsAtLeast, None)}
                <button type="submit" class="button">{T::CountAudience.t(lang)}</button>
            </form>
            {count}
        </section>
        {send}
        <Sends sends=page.sends lang />
    }
}

#[component]
fn SendForm(
    slug: String,
    query: String,
    campaigns: Vec<(i64, String)>,
    lang: Lang,
) -> impl IntoView {
    let f = AudienceSendForm::FIELDS;
    let body_described = match described_by(f.body) {
        Some(note) => format!("{note} send-body-hint"),
        None => "send-body-hint".to_owned(),
    };
    let sku_described = match described_by(f.sku) {
        Some(note) => format!("{note} send-sku-hint"),
        None => "send-sku-hint".to_owned(),
    };
    let options = campaigns
        .into_iter()
        .map(|(id, label)| view! { <option value=id.to_string()>{label}</option> })
        .collect_view();
    view! {
        <section aria-labelledby="send-title">
            <h2 id="send-title">{T::SendTitle.t(lang)}</h2>
            <form method="post" action=routes::STAFF_AUDIENCE_SEND class="stack-form">
                <input type="hidden" name=f.store value=slug />
                <input type="hidden" name=f.audience value=query />
                <label for="send-body">{T::SendBody.t(lang)}</label>
                <textarea id="send-body" name=f.body rows="3" maxlength=BODY_MAX.to_string() required
                    aria-invalid=is_refused(f.body).then_some("true") aria-describedby=body_described></textarea>
                <p class="hint" id="send-body-hint">{T::SendBodyHint.t(lang)}</p>
                <FieldNote field=f.body />
                <label for="send-campaign">{T::SendCoupon.t(lang)}</label>
                <select id="send-campaign" name=f.campaign aria-describedby=described_by(f.campaign)>
                    <option value="">{T::SendNoCoupon.t(lang)}</option>
                    {options}
                </select>
                <FieldNote field=f.campaign />
                <label for="send-sku">{T::SendLink.t(lang)}</label>
                <input id="send-sku" name=f.sku type="text" autocomplete="off" maxlength="32"
                    aria-invalid=is_refused(f.sku).then_some("true") aria-describedby=sku_described />
                <p class="hint" id="send-sku-hint">{T::SendLinkHint.t(lang)}</p>
                <FieldNote field=f.sku />
                <p class="hint">{T::WeeklyLimitHint.t(lang)}</p>
                <button type="submit" class="button button-primary">{T::SendNow.t(lang)}</button>
            </form>
        </section>
    }
}

#[component]
fn Sends(sends: Vec<SendView>, lang: Lang) -> impl IntoView {
    let body = if sends.is_empty() {
        view! { <p class="empty">{T::SendsEmpty.t(lang)}</p> }.into_any()
    } else {
        let items = sends
            .into_iter()
            .map(|s| {
                view! {
                    <li>
                        <span class="muted">{s.when}" · "{s.by}</span>
                        <br />{s.body}
                        {s.coupon.map(|c| view! { <br /><span class="hint">{T::SendCoupon.t(lang)}": "{c}</span> })}
                        <br /><span>{T::SendChosen.t(lang)}" "{s.chosen}" · "{T::SendReached.t(lang)}" "{s.reached}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="sends">{items}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="sends-title">
            <h2 id="sends-title">{T::SendsTitle.t(lang)}</h2>
            {body}
        </section>
    }
}
