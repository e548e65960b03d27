//! Members who come back, over HTTP: `POST /staff/coupons/create` (a coupon campaign:
//! `Action::Coupons`, a store's manager or a brand admin; only a brand admin makes one
//! good in every store), `/staff/audience/send` (a message, a coupon, a link to the
//! members an audience picks: `Action::Audience`, a guide only to the members they
//! brought) and `/member/choices` (what a signed-in member receives). Each checks the
//! person first, then refuses bad input beside its field and changes nothing.

use super::{Reply, finish, finish_beside};
use crate::extract::{Answer, ShopperSession};
use app::domain::audience::{Audience, AudienceField, BodyProblem, clean_body};
use app::domain::benefit::{RuleField, parse_rule};
use app::domain::coupon::{CampaignField, CampaignInput, parse_campaign};
use app::domain::i18n::Text;
use app::domain::i18n::marketing::{self as text, MarketingText as T};
use app::domain::product::Sku;
use app::domain::staff::{Action, Role};
use app::error::AppError;
use app::forms::{
    AudienceSendForm, BenefitRuleForm, BenefitToggleForm, CampaignForm, CheckInForm,
    MemberChoicesForm,
};
use app::links;
use app::ssr::audience::{self, Outreach};
use app::ssr::benefits;
use app::ssr::coupons;
use app::ssr::db::Db;
use app::ssr::inbox::{self, Choices, InboxOnly, Sender};
use app::ssr::staff;
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

fn page(store: &str, page: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => links::console(s.as_str(), page),
        None => links::staff_home().to_owned(),
    }
}

/// The field of the form a campaign problem is said beside.
fn campaign_field(f: CampaignField) -> &'static str {
    let n = CampaignForm::FIELDS;
    match f {
        CampaignField::Title => n.title,
        CampaignField::Kind => n.kind,
        CampaignField::Amount => n.amount,
        CampaignField::Percent => n.percent,
        CampaignField::Cap => n.cap,
        CampaignField::MinSpend => n.min_spend,
        CampaignField::From => n.from,
        CampaignField::To => n.to,
        CampaignField::Total => n.total,
        CampaignField::PerMember => n.per_member,
    }
}

/// `POST /staff/coupons/create`.
pub async fn campaign_create(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (form, categories) = match CampaignForm::from_pairs(&pairs) {
        Ok(parsed) => parsed,
        Err(twice) => {
            let error = AppError::validation(&twice, app::domain::i18n::Msg::BadRequest);
            return finish_beside(Err(error), answer, links::staff_home());
        }
    };
    let back = page(&form.store, "coupons");
    let lang = answer.lang;
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Coupons).await?;
        let brand_wide = match form.brand_wide.as_str() {
            "" => false,
            "1" if c.user.grants.brand_admin => true,
            _ => return Err(AppError::Forbidden),
        };
        let today = c.store.local_date(chrono::Utc::now());
        let input = CampaignInput {
            title: &form.title,
            kind: &form.kind,
            amount: &form.amount,
            percent: &form.percent,
            cap: &form.cap,
            min_spend: &form.min_spend,
            from: &form.from,
            to: &form.to,
            total: &form.total,
            per_member: &form.per_member,
        };
        let campaign = parse_campaign(&input, today).map_err(|problems| {
            let (field, problem) = problems[0];
            AppError::validation(campaign_field(field), Text::Campaign(problem))
        })?;
        let known = coupons::categories(&db).await?;
        let mut chosen = Vec::new();
        for raw in &categories {
            let id = raw
                .trim()
                .parse::<i64>()
                .ok()
                // A category the catalogue has, once (the page's boxes each send their own).
                .filter(|id| known.iter().any(|(k, _)| k == id) && !chosen.contains(id))
                .ok_or_else(|| {
                    AppError::validation(CampaignForm::FIELDS.category, T::UnknownCategory)
                })?;
            chosen.push(id);
        }
        let span = (
            c.store.midnight(campaign.from),
            c.store.midnight(campaign.to + chrono::Days::new(1)),
        );
        coupons::create_campaign(
            &db, c.store.id, brand_wide, c.user.id, &campaign, &chosen, span,
        )
        .await?;
        Ok(Reply::ok(T::CampaignMade.t(lang).to_owned(), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /staff/audience/send`.
pub async fn audience_send(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<AudienceSendForm>,
) -> Response {
    let f = AudienceSendForm::FIELDS;
    let lang = answer.lang;
    // Back to the same audience, counted again.
    let query: String = form
        .audience
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=&-_.%".contains(*c))
        .take(300)
        .collect();
    let back = format!("{}?{query}", page(&form.store, "audience"));
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Audience).await?;
        let raw: Vec<(AudienceField, String)> = form_urlencoded::parse(form.audience.as_bytes())
            .filter_map(|(k, v)| {
                let field = AudienceField::ALL.into_iter().find(|f| f.name() == k)?;
                Some((field, v.into_owned()))
            })
            .collect();
        let mut chosen =
            Audience::parse(&raw).map_err(|_| AppError::validation(f.audience, T::BadNumber))?;
        // A guide reaches only the members they brought, whatever the form said.
        let (sender, guide_code) = if c.role == Role::Guide {
            let code = audience::guide_code_of(&db, c.user.id, c.store.id)
                .await?
                .ok_or(AppError::Forbidden)?;
            if chosen.guide.as_deref().is_some_and(|g| g != code) {
                return Err(AppError::validation(f.audience, T::NotYourGuide));
            }
            chosen.guide = Some(code.clone());
            (Sender::Guide, Some(code))
        } else {
            (Sender::Store, None)
        };
        let body = clean_body(&form.body).map_err(|p| {
            AppError::validation(
                f.body,
                match p {
                    BodyProblem::Required => T::BodyRequired,
                    BodyProblem::TooLong => T::BodyTooLong,
                },
            )
        })?;
        let campaign = match form.campaign.trim() {
            "" => None,
            id => {
                let id: i64 = id
                    .parse()
                    .map_err(|_| AppError::validation(f.campaign, T::NotYourCampaign))?;
                let row = coupons::campaign_for_store(&db, c.store.id, id)
                    .await?
                    .ok_or_else(|| AppError::validation(f.campaign, T::NotYourCampaign))?;
                if row.ends_at <= app::ssr::session::now() || row.issued >= row.total {
                    return Err(AppError::validation(f.campaign, T::CampaignGone));
                }
                Some(id)
            }
        };
        let link = match form.sku.trim() {
            "" => None,
            sku => {
                let sku = Sku::parse(sku).ok_or_else(|| AppError::validation(f.sku, T::BadLink))?;
                if !audience::store_sells(&db, c.store.id, sku.as_str()).await? {
                    return Err(AppError::validation(f.sku, T::BadLink));
                }
                Some(links::product(&c.store.slug, sku.as_str()))
            }
        };
        let sent = audience::send(
            &db,
            &InboxOnly,
            &Outreach {
                store: c.store.id,
                staff: c.user.id,
                sender,
                guide_code: guide_code.as_deref(),
                audience: &chosen,
                body: &body,
                campaign,
                link: link.as_deref(),
            },
        )
        .await?;
        if sent.chosen == 0 {
            return Err(AppError::conflict(T::NobodyChosen));
        }
        Ok(Reply::ok(
            text::sent(lang, sent.reached, sent.chosen),
            &back,
        ))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /member/choices`: a member's choices; anyone else is asked to sign in.
pub async fn member_choices(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<MemberChoicesForm>,
) -> Response {
    let back = links::routes::MEMBER_INBOX;
    let lang = answer.lang;
    let outcome = async {
        let member = shopper
            .and_then(|s| s.member_id)
            .ok_or_else(|| AppError::conflict(T::SignInForInbox))?;
        let ticked = |v: &str| v == "1";
        inbox::set_choices(
            &db,
            member,
            Choices {
                brand: ticked(&form.brand),
                store: ticked(&form.store),
                guide: ticked(&form.guide),
            },
        )
        .await?;
        Ok(Reply::ok(T::ChoicesSaved.t(lang).to_owned(), back))
    }
    .await;
    finish(outcome, answer, back)
}

/// `POST /staff/benefits/add`: a rule for the store, on at once.
pub async fn benefit_add(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<BenefitRuleForm>,
) -> Response {
    let f = BenefitRuleForm::FIELDS;
    let back = page(&form.store, "benefits");
    let lang = answer.lang;
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Coupons).await?;
        let campaign = match form.campaign.trim() {
            "" => None,
            id => {
                let id: i64 = id
                    .parse()
                    .map_err(|_| AppError::validation(f.campaign, T::NotYourCampaign))?;
                coupons::campaign_for_store(&db, c.store.id, id)
                    .await?
                    .ok_or_else(|| AppError::validation(f.campaign, T::NotYourCampaign))?;
                Some(id)
            }
        };
        let rule = parse_rule(
            &form.trigger,
            &form.days,
            &form.points,
            &form.message,
            campaign.is_some(),
        )
        .map_err(|field| match field {
            RuleField::Trigger => AppError::validation(f.trigger, T::UnknownTrigger),
            RuleField::Days => AppError::validation(f.days, T::BadDays),
            RuleField::Points => AppError::validation(f.points, T::BadNumber),
            RuleField::Message => AppError::validation(f.message, T::BodyTooLong),
            RuleField::Reward => AppError::validation(BenefitRuleForm::REWARD, T::RuleNeedsReward),
        })?;
        benefits::add_rule(&db, c.store.id, c.user.id, &rule, campaign).await?;
        Ok(Reply::ok(T::RuleAdded.t(lang).to_owned(), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /staff/benefits/toggle`: a rule of the store on (`1`) or off (`0`).
pub async fn benefit_toggle(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<BenefitToggleForm>,
) -> Response {
    let f = BenefitToggleForm::FIELDS;
    let back = page(&form.store, "benefits");
    let lang = answer.lang;
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Coupons).await?;
        let on = match form.on.as_str() {
            "1" => true,
            "0" => false,
            _ => {
                return Err(AppError::validation(
                    f.on,
                    app::domain::i18n::Msg::BadRequest,
                ));
            }
        };
        let rule: i64 = form
            .rule
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound(app::error::Missing::Page))?;
        if !benefits::set_enabled(&db, c.store.id, c.user.id, rule, on).await? {
            return Err(AppError::NotFound(app::error::Missing::Page));
        }
        Ok(Reply::ok(T::RuleSwitched.t(lang).to_owned(), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /checkin`: a signed-in member checks in at the store (once a day), and the
/// store's rules grant what is due at once.
pub async fn check_in(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<CheckInForm>,
) -> Response {
    let lang = answer.lang;
    let back = match app::domain::store::StoreSlug::parse(&form.store) {
        Some(s) => links::check_in(s.as_str()),
        None => "/".to_owned(),
    };
    let outcome = async {
        let member = shopper
            .and_then(|s| s.member_id)
            .ok_or_else(|| AppError::conflict(T::SignInForInbox))?;
        let store = app::ssr::stores::store_or_404(&db, &form.store).await?;
        let at = app::ssr::session::now();
        let first = benefits::check_in(&db, store.id, member, at).await?;
        if !first {
            return Ok(Reply::ok(T::CheckedInAlready.t(lang).to_owned(), &back));
        }
        if let Err(e) = benefits::run(&db, Some(store.id), at).await {
            // The job grants it on its next run.
            tracing::warn!(error = %e, "benefits after a check-in: left to the job");
        }
        Ok(Reply::ok(
            T::CheckedIn.t(lang).to_owned(),
            &links::store(&store.slug),
        ))
    }
    .await;
    finish(outcome, answer, &back)
}
