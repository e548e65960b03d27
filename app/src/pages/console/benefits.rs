//! `/staff/{store}/benefits`: the store's triggered benefits (触点营销) — each rule's
//! moment, what it gives, whether it is on and how often it granted — with a switch for
//! each and a form for a new one; and the store's check-in QR code to print for the door
//! or the till. A store's manager (and a brand admin). Plain forms: works without
//! JavaScript.

use super::ConsoleNav;
use crate::api::marketing::{ConsoleBenefits, RuleView, get_console_benefits};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::benefit::Trigger;
use crate::domain::i18n::marketing::MarketingText as T;
use crate::domain::lang::Lang;
use crate::forms::{BenefitRuleForm, BenefitToggleForm};
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConsoleBenefitsPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::BenefitsTitle,
        get_console_benefits(store()),
        |page| view! { <Benefits page /> }
    )
}

fn trigger_label(t: Trigger) -> T {
    match t {
        Trigger::Join => T::TriggerJoin,
        Trigger::FirstOrder => T::TriggerFirstOrder,
        Trigger::Lapsed => T::TriggerLapsed,
        Trigger::PriceDrop => T::TriggerPriceDrop,
        Trigger::CheckIn => T::TriggerCheckIn,
    }
}

#[component]
fn Benefits(page: ConsoleBenefits) -> impl IntoView {
    let lang = use_lang();
    let slug = page.frame.store_slug.clone();
    let list = if page.rules.is_empty() {
        view! { <p class="empty">{T::BenefitsEmpty.t(lang)}</p> }.into_any()
    } else {
        let rows = page
            .rules
            .into_iter()
            .map(|r| view! { <Rule r slug=slug.clone() lang /> })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="rules-title">
                <table class="data-table rules">
                    <thead><tr>
                        <th scope="col">{T::RuleTrigger.t(lang)}</th>
                        <th scope="col">{T::RuleReward.t(lang)}</th>
                        <th scope="col">{T::RuleGranted.t(lang)}</th>
                        <th scope="col">{T::RuleState.t(lang)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <ConsoleNav frame=page.frame current="benefits" />
        <h1>{T::BenefitsTitle.t(lang)}</h1>
        <p>{T::BenefitsIntro.t(lang)}</p>
        <section aria-labelledby="rules-title">
            <h2 id="rules-title">{T::BenefitsTitle.t(lang)}</h2>
            {list}
        </section>
        <NewRule slug=slug.clone() campaigns=page.campaigns lang />
        <section aria-labelledby="check-in-qr">
            <h2 id="check-in-qr">{T::CheckInQr.t(lang)}</h2>
            <p class="hint">{T::CheckInQrHint.t(lang)}</p>
            <div class="qr" data-link=page.check_in_url.clone() inner_html=page.check_in_qr></div>
            <p><a href=page.check_in_url.clone()>{page.check_in_url.clone()}</a></p>
        </section>
    }
}

#[component]
fn Rule(r: RuleView, slug: String, lang: Lang) -> impl IntoView {
    let f = BenefitToggleForm::FIELDS;
    let (state, action, to) = if r.on {
        (T::RuleOn, T::TurnOff, "0")
    } else {
        (T::RuleOff, T::TurnOn, "1")
    };
    let label = format!("{}: {}", action.t(lang), r.when);
    view! {
        <tr>
            <th scope="row">{r.when}</th>
            <td>{r.gives}</td>
            <td>{r.granted}</td>
            <td>
                {state.t(lang)}
                <form method="post" action=routes::STAFF_BENEFIT_TOGGLE class="inline-form">
                    <input type="hidden" name=f.store value=slug />
                    <input type="hidden" name=f.rule value=r.id.to_string() />
                    <input type="hidden" name=f.on value=to />
                    <button type="submit" class="button button-secondary" aria-label=label>{action.t(lang)}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn NewRule(slug: String, campaigns: Vec<(i64, String)>, lang: Lang) -> impl IntoView {
    let f = BenefitRuleForm::FIELDS;
    let triggers = Trigger::ALL
        .into_iter()
        .map(|t| view! { <option value=t.as_str()>{trigger_label(t).t(lang)}</option> })
        .collect_view();
    let options = campaigns
        .into_iter()
        .map(|(id, label)| view! { <option value=id.to_string()>{label}</option> })
        .collect_view();
    let days_described = match described_by(f.days) {
        Some(note) => format!("{note} rule-days-hint"),
        None => "rule-days-hint".to_owned(),
    };
    view! {
        <section aria-labelledby="new-rule">
            <h2 id="new-rule">{T::NewRule.t(lang)}</h2>
            <form method="post" action=routes::STAFF_BENEFIT_ADD class="stack-form">
                <input type="hidden" name=f.store value=slug />
                <label for="rule-trigger">{T::RuleTrigger.t(lang)}</label>
                <select id="rule-trigger" name=f.trigger aria-describedby=described_by(f.trigger)>{triggers}</select>
                <FieldNote field=f.trigger />
                <label for="rule-days">{T::RuleDays.t(lang)}</label>
                <input id="rule-days" name=f.days type="text" inputmode="numeric" autocomplete="off" maxlength="3"
                    aria-invalid=is_refused(f.days).then_some("true") aria-describedby=days_described />
                <p class="hint" id="rule-days-hint">{T::RuleDaysHint.t(lang)}</p>
                <FieldNote field=f.days />
                <fieldset aria-describedby=described_by(BenefitRuleForm::REWARD)>
                    <legend>{T::RuleReward.t(lang)}</legend>
                    <label for="rule-campaign">{T::RuleCoupon.t(lang)}</label>
                    <select id="rule-campaign" name=f.campaign aria-describedby=described_by(f.campaign)>
                        <option value="">{T::SendNoCoupon.t(lang)}</option>
                        {options}
                    </select>
                    <FieldNote field=f.campaign />
                    <label for="rule-points">{T::RulePoints.t(lang)}</label>
                    <input id="rule-points" name=f.points type="text" inputmode="numeric" autocomplete="off" maxlength="6"
                        aria-invalid=is_refused(f.points).then_some("true") aria-describedby=described_by(f.points) />
                    <FieldNote field=f.points />
                    <label for="rule-message">{T::RuleMessage.t(lang)}</label>
                    <textarea id="rule-message" name=f.message rows="2" maxlength="200"
                        aria-invalid=is_refused(f.message).then_some("true") aria-describedby=described_by(f.message)></textarea>
                    <FieldNote field=f.message />
                </fieldset>
                <FieldNote field=BenefitRuleForm::REWARD />
                <button type="submit" class="button button-primary">{T::AddRule.t(lang)}</button>
            </form>
        </section>
    }
}
