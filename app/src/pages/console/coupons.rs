//! `/staff/{store}/coupons`: the store's coupon campaigns (and the brand's) with what
//! became of them — handed out, used — and a form to make one: an amount or a percentage
//! off (with a cap), a minimum spend, first and last days, categories, how many in all
//! and per member; a brand admin may make it good in every store. A store's manager (and
//! a brand admin) only. Plain forms: works without JavaScript.

use super::ConsoleNav;
use crate::api::marketing::{CampaignView, ConsoleCoupons, get_console_coupons};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::i18n::marketing::MarketingText as T;
use crate::domain::lang::Lang;
use crate::forms::CampaignForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConsoleCouponsPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.read_untracked().get("store").unwrap_or_default();
    crate::console_page!(
        T::CouponsTitle,
        get_console_coupons(store()),
        |page| view! { <Coupons page /> }
    )
}

#[component]
fn Coupons(page: ConsoleCoupons) -> impl IntoView {
    let lang = use_lang();
    let slug = page.frame.store_slug.clone();
    let brand_admin = page.frame.brand_admin;
    let list = if page.campaigns.is_empty() {
        view! { <p class="empty">{T::CouponsEmpty.t(lang)}</p> }.into_any()
    } else {
        let rows = page
            .campaigns
            .into_iter()
            .map(|c| view! { <CampaignRow c lang /> })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="campaigns-title">
                <table class="data-table campaigns">
                    <thead><tr>
                        <th scope="col">{T::CampaignTitle.t(lang)}</th>
                        <th scope="col">{T::CampaignTerms.t(lang)}</th>
                        <th scope="col">{T::CampaignDays.t(lang)}</th>
                        <th scope="col">{T::CampaignScope.t(lang)}</th>
                        <th scope="col">{T::CampaignIssued.t(lang)}</th>
                        <th scope="col">{T::CampaignUsed.t(lang)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <ConsoleNav frame=page.frame current="coupons" />
        <h1>{T::CouponsTitle.t(lang)}</h1>
        <p>{T::CouponsIntro.t(lang)}</p>
        <section aria-labelledby="campaigns-title">
            <h2 id="campaigns-title">{T::CouponsTitle.t(lang)}</h2>
            {list}
        </section>
        <NewCampaign slug categories=page.categories today=page.today brand_admin lang />
    }
}

#[component]
fn CampaignRow(c: CampaignView, lang: Lang) -> impl IntoView {
    let scope = if c.brand_wide {
        T::ScopeBrand
    } else {
        T::ScopeStore
    };
    view! {
        <tr>
            <th scope="row">{c.title}</th>
            <td>{c.terms}</td>
            <td>{c.days}</td>
            <td>{scope.t(lang)}</td>
            <td>{format!("{} / {}", c.issued, c.total)}</td>
            <td>{c.used}</td>
        </tr>
    }
}

/// A labelled input with its refusal beside it.
fn field(
    lang: Lang,
    id: &'static str,
    name: &'static str,
    label: T,
    kind: &'static str,
    value: String,
    hint: Option<T>,
) -> impl IntoView + use<> {
    let hint_id = format!("{id}-hint");
    let described = match (described_by(name), hint) {
        (Some(note), Some(_)) => Some(format!("{note} {hint_id}")),
        (Some(note), None) => Some(note),
        (None, Some(_)) => Some(hint_id.clone()),
        (None, None) => None,
    };
    let inputmode = match kind {
        "text" => None,
        _ => Some("decimal"),
    };
    let input_type = if kind == "date" { "date" } else { "text" };
    view! {
        <label for=id>{label.t(lang)}</label>
        <input id=id name=name type=input_type inputmode=inputmode autocomplete="off" value=value
            maxlength="40" aria-invalid=is_refused(name).then_some("true") aria-describedby=described />
        {hint.map(|h| view! { <p class="hint" id=hint_id>{h.t(lang)}</p> })}
        <FieldNote field=name />
    }
}

#[component]
fn NewCampaign(
    slug: String,
    categories: Vec<(i64, String)>,
    today: String,
    brand_admin: bool,
    lang: Lang,
) -> impl IntoView {
    let f = CampaignForm::FIELDS;
    let kinds = [("amount", T::KindAmount), ("percent", T::KindPercent)]
        .into_iter()
        .map(|(value, label)| {
            let id = format!("kind-{value}");
            view! {
                <label for=id.clone()>
                    <input type="radio" id=id.clone() name=f.kind value=value checked=value == "amount" />
                    " "{label.t(lang)}
                </label>
            }
        })
        .collect_view();
    let boxes = categories
        .into_iter()
        .map(|(id, name)| {
            let box_id = format!("category-{id}");
            view! {
                <label for=box_id.clone()>
                    <input type="checkbox" id=box_id.clone() name=f.category value=id.to_string() />
                    " "{name}
                </label>
            }
        })
        .collect_view();
    let brand_wide = brand_admin.then(|| {
        view! {
            <label for="brand-wide">
                <input type="checkbox" id="brand-wide" name=f.brand_wide value="1" aria-describedby="brand-wide-hint" />
                " "{T::CampaignWholeBrand.t(lang)}
            </label>
            <p class="hint" id="brand-wide-hint">{T::CampaignWholeBrandHint.t(lang)}</p>
        }
    });
    view! {
        <section aria-labelledby="new-campaign">
            <h2 id="new-campaign">{T::NewCampaign.t(lang)}</h2>
            <form method="post" action=routes::STAFF_CAMPAIGN_CREATE class="stack-form">
                <input type="hidden" name=f.store value=slug />
                {field(lang, "campaign-title", f.title, T::CampaignTitle, "text", String::new(), Some(T::CampaignTitleHint))}
                <fieldset aria-describedby=described_by(f.kind)>
                    <legend>{T::CampaignKind.t(lang)}</legend>
                    {kinds}
                </fieldset>
                <FieldNote field=f.kind />
                {field(lang, "campaign-amount", f.amount, T::CampaignAmount, "money", String::new(), None)}
                {field(lang, "campaign-percent", f.percent, T::CampaignPercent, "number", String::new(), None)}
                {field(lang, "campaign-cap", f.cap, T::CampaignCap, "money", String::new(), None)}
                {field(lang, "campaign-min", f.min_spend, T::CampaignMinSpend, "money", "0".to_owned(), Some(T::CampaignMinSpendHint))}
                {field(lang, "campaign-from", f.from, T::CampaignFrom, "date", today.clone(), None)}
                {field(lang, "campaign-to", f.to, T::CampaignTo, "date", today, None)}
                {field(lang, "campaign-total", f.total, T::CampaignTotal, "number", "100".to_owned(), None)}
                {field(lang, "campaign-per-member", f.per_member, T::CampaignPerMember, "number", "1".to_owned(), None)}
                <fieldset aria-describedby="categories-hint">
                    <legend>{T::CampaignCategories.t(lang)}</legend>
                    <p class="hint" id="categories-hint">{T::CampaignCategoriesHint.t(lang)}</p>
                    {boxes}
                </fieldset>
                <FieldNote field=f.category />
                {brand_wide}
                <button type="submit" class="button button-primary">{T::MakeCampaign.t(lang)}</button>
            </form>
        </section>
    }
}
