//! The member inbox and the console's coupons and audiences pages (server functions;
//! types shared). Console pages ask `ssr::staff::authorize` for this person, this store
//! and the page's action; a guide's audience is only the members they brought. Changes
//! are form posts (the server's `forms::marketing`). Never cached.

use crate::error::AppError;
pub use crate::views::marketing::{
    CampaignView, ConsoleAudience, ConsoleCoupons, ConsoleLabels, InboxItem, InboxPage, LabelItem,
    LabelSheet, MemberData, PrintLabel, SendView,
};
pub use crate::views::marketing::{CheckInPage, ConsoleBenefits, RuleView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::api::console::no_store;
    use crate::domain::audience::{Audience, AudienceField};
    use crate::domain::i18n::marketing::{self as text, MarketingText as T};
    use crate::domain::lang::Lang;
    use crate::domain::staff::{Action, Role};
    use crate::ssr::coupons::{self, CampaignRow};
    use crate::ssr::db::Db;
    use crate::ssr::inbox::{self, Sender};
    use crate::ssr::stores::pick;
    use crate::ssr::{audience, request, session, staff};

    /// "2026-12-04 10:30", China time.
    fn stamp(at: i64) -> String {
        use chrono::TimeZone;
        let zone = chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset");
        zone.timestamp_opt(at, 0)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }

    async fn categories(db: &Db, lang: Lang) -> Result<Vec<(i64, String)>, AppError> {
        Ok(coupons::categories(db)
            .await?
            .into_iter()
            .map(|(id, name)| (id, name.t(lang).to_owned()))
            .collect())
    }

    /// A campaign's terms as the console and the send form say them.
    fn campaign_terms(
        lang: Lang,
        row: &CampaignRow,
        cats: &std::collections::HashMap<i64, Vec<(i64, crate::domain::i18n::Named)>>,
    ) -> String {
        let terms = crate::domain::coupon::Terms {
            benefit: row.benefit(),
            min_spend: row.min_spend_minor,
            starts_at: row.starts_at,
            expires_at: row.ends_at,
            stores: vec![],
            categories: vec![],
        };
        let names: Vec<&str> = cats
            .get(&row.id)
            .map(|c| c.iter().map(|(_, n)| n.t(lang)).collect())
            .unwrap_or_default();
        match text::limits(lang, None, &names) {
            Some(l) => format!("{} · {l}", text::terms(lang, &terms)),
            None => text::terms(lang, &terms),
        }
    }

    /// The campaigns this store may hand out now (running, not run out): (id, title and
    /// terms), for a send or a rule to give.
    async fn open_campaigns(
        db: &Db,
        store: i64,
        lang: Lang,
    ) -> Result<Vec<(i64, String)>, AppError> {
        let now = session::now();
        let rows = coupons::campaigns_for_store(db, store).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let cats = coupons::campaign_categories(db, &ids).await?;
        Ok(rows
            .iter()
            .filter(|r| r.ends_at > now && r.issued < r.total)
            .map(|r| {
                (
                    r.id,
                    format!("{} · {}", r.title, campaign_terms(lang, r, &cats)),
                )
            })
            .collect())
    }

    pub async fn coupons_page(store: String) -> Result<ConsoleCoupons, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let c = staff::authorize(&db, &request::headers(), &store, Action::Coupons).await?;
        let rows = coupons::campaigns_for_store(&db, c.store.id).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let cats = coupons::campaign_categories(&db, &ids).await?;
        let campaigns = rows
            .iter()
            .map(|r| CampaignView {
                id: r.id,
                title: r.title.clone(),
                terms: campaign_terms(lang, r, &cats),
                days: text::days(r.starts_at, r.ends_at),
                brand_wide: r.store_id.is_none(),
                issued: r.issued,
                total: r.total,
                used: r.used,
                per_member: r.per_member,
            })
            .collect();
        Ok(ConsoleCoupons {
            frame: staff::frame(&c, lang),
            campaigns,
            categories: categories(&db, lang).await?,
            today: c
                .store
                .local_date(chrono::Utc::now())
                .format("%Y-%m-%d")
                .to_string(),
        })
    }

    /// The query's pairs as the audience form's values.
    fn form_values(query: &str) -> Vec<(AudienceField, String)> {
        form_urlencoded::parse(query.as_bytes())
            .filter_map(|(k, v)| {
                let field = AudienceField::ALL.into_iter().find(|f| f.name() == k)?;
                Some((field, v.chars().take(40).collect()))
            })
            .collect()
    }

    pub async fn audience_page(store: String, query: String) -> Result<ConsoleAudience, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let c = staff::authorize(&db, &request::headers(), &store, Action::Audience).await?;
        let own_guide = if c.role == Role::Guide {
            Some(
                audience::guide_code_of(&db, c.user.id, c.store.id)
                    .await?
                    .ok_or(AppError::Forbidden)?,
            )
        } else {
            None
        };
        let raw = form_values(&query);
        let (count, refused, query) = match Audience::parse(&raw) {
            Ok(mut chosen) => {
                if let Some(code) = &own_guide {
                    chosen.guide = Some(code.clone());
                }
                (
                    Some(audience::count(&db, c.store.id, &chosen).await?),
                    None,
                    chosen.to_query(),
                )
            }
            Err(field) => {
                let why = match field {
                    AudienceField::Guide => T::NotYourGuide,
                    AudienceField::SpendMin => T::BadAmount,
                    _ => T::BadNumber,
                };
                (
                    None,
                    Some((field.name().to_owned(), why.t(lang).to_owned())),
                    String::new(),
                )
            }
        };
        let guides = audience::store_guides(&db, c.store.id)
            .await?
            .into_iter()
            .map(|(code, zh, en)| (code, pick(lang, &zh, &en).to_owned()))
            .collect();
        let campaigns = open_campaigns(&db, c.store.id, lang).await?;
        let own_sends = (c.role == Role::Guide).then_some(c.user.id);
        let sends = audience::sends(&db, c.store.id, own_sends)
            .await?
            .into_iter()
            .map(|s| SendView {
                when: stamp(s.created_at),
                by: s.staff_name,
                body: s.body,
                coupon: s.campaign_title,
                chosen: s.chosen,
                reached: s.reached,
            })
            .collect();
        Ok(ConsoleAudience {
            frame: staff::frame(&c, lang),
            own_guide,
            guides,
            categories: categories(&db, lang).await?,
            values: raw
                .into_iter()
                .map(|(f, v)| (f.name().to_owned(), v))
                .collect(),
            count,
            refused,
            query,
            campaigns,
            sends,
        })
    }

    pub async fn labels_page(store: String) -> Result<ConsoleLabels, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let c = staff::authorize(&db, &request::headers(), &store, Action::Stock).await?;
        let products = crate::ssr::labels::store_products(&db, c.store.id)
            .await?
            .into_iter()
            .map(|r| LabelItem {
                name: r.name.t(lang).to_owned(),
                category: r.category.t(lang).to_owned(),
                price: r.price.to_string(),
                scans: r.scans,
                sku: r.sku,
            })
            .collect();
        Ok(ConsoleLabels {
            frame: staff::frame(&c, lang),
            products,
        })
    }

    /// The most labels one sheet prints (three A4 pages of 24).
    const SHEET_MAX: usize = 72;

    pub async fn label_sheet(store: String, query: String) -> Result<LabelSheet, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let c = staff::authorize(&db, &request::headers(), &store, Action::Stock).await?;
        let skus: Vec<String> = form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k == "sku")
            .filter_map(|(_, v)| crate::domain::product::Sku::parse(&v))
            .map(|s| s.as_str().to_owned())
            .take(SHEET_MAX)
            .collect();
        let origin = request::origin();
        let labels = crate::ssr::labels::labels(&db, c.store.id, &skus)
            .await?
            .into_iter()
            .map(|r| {
                let url = format!(
                    "{origin}{}",
                    crate::links::shelf_label(&c.store.slug, &r.sku)
                );
                let name = r.name.t(lang).to_owned();
                PrintLabel {
                    qr_svg: crate::qr::svg(&url, 96, &format!("{name} · QR")).unwrap_or_default(),
                    unit: r.unit.t(lang).to_owned(),
                    price: r.price.to_string(),
                    name,
                    url,
                }
            })
            .collect();
        Ok(LabelSheet {
            store_slug: c.store.slug.clone(),
            store_name: c.store.name(lang).to_owned(),
            labels,
        })
    }

    fn trigger_name(t: crate::domain::benefit::Trigger) -> T {
        use crate::domain::benefit::Trigger;
        match t {
            Trigger::Join => T::TriggerJoin,
            Trigger::FirstOrder => T::TriggerFirstOrder,
            Trigger::Lapsed => T::TriggerLapsed,
            Trigger::PriceDrop => T::TriggerPriceDrop,
            Trigger::CheckIn => T::TriggerCheckIn,
        }
    }

    pub async fn benefits_page(store: String) -> Result<ConsoleBenefits, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let c = staff::authorize(&db, &request::headers(), &store, Action::Coupons).await?;
        let rules = crate::ssr::benefits::rules(&db, c.store.id)
            .await?
            .into_iter()
            .map(|r| {
                let when = match r.trigger() {
                    Some(t @ crate::domain::benefit::Trigger::Lapsed) => {
                        format!("{} · {}", trigger_name(t).t(lang), r.days)
                    }
                    Some(t) => trigger_name(t).t(lang).to_owned(),
                    None => r.trigger.clone(),
                };
                let mut gives = Vec::new();
                if let Some(title) = &r.campaign_title {
                    gives.push(format!("{}: {title}", T::RuleCoupon.t(lang)));
                }
                if r.points > 0 {
                    gives.push(format!("{}: {}", T::RulePoints.t(lang), r.points));
                }
                if let Some(m) = &r.message {
                    gives.push(format!("{}: {m}", T::RuleMessage.t(lang)));
                }
                RuleView {
                    id: r.id,
                    when,
                    gives: gives.join(" · "),
                    on: r.enabled == 1,
                    granted: r.granted,
                }
            })
            .collect();
        let campaigns = open_campaigns(&db, c.store.id, lang).await?;
        let url = format!(
            "{}{}",
            request::origin(),
            crate::links::check_in(&c.store.slug)
        );
        Ok(ConsoleBenefits {
            frame: staff::frame(&c, lang),
            rules,
            campaigns,
            check_in_qr: crate::qr::svg(&url, 160, T::CheckInQr.t(lang)).unwrap_or_default(),
            check_in_url: url,
        })
    }

    pub async fn check_in_page(store: String) -> Result<CheckInPage, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let row = crate::ssr::stores::store_or_404(&db, &store).await?;
        let shopper = session::current(&db, &request::headers(), session::Kind::Shopper).await?;
        Ok(CheckInPage {
            store_name: row.name(lang).to_owned(),
            store_slug: row.slug,
            signed_in: shopper.and_then(|s| s.member_id).is_some(),
        })
    }

    pub async fn member_data() -> Result<MemberData, AppError> {
        no_store();
        let db = request::db()?;
        let shopper = session::current(&db, &request::headers(), session::Kind::Shopper).await?;
        let none = MemberData {
            signed_in: false,
            phone: String::new(),
            joined: String::new(),
            guide: None,
            points: 0,
            coupons: 0,
            orders: 0,
            messages: 0,
            stores: 0,
            devices: 0,
        };
        let Some(member) = shopper.and_then(|s| s.member_id) else {
            return Ok(none);
        };
        let (Some(s), Some(m)) = (
            crate::ssr::privacy::summary(&db, member).await?,
            crate::ssr::members::member(&db, member).await?,
        ) else {
            return Ok(none);
        };
        Ok(MemberData {
            signed_in: true,
            phone: crate::ssr::members::mask(&s.phone),
            joined: stamp(s.joined_at),
            guide: s.guide_code,
            points: m.points,
            coupons: m.coupons.len() as i64,
            orders: s.orders,
            messages: s.messages,
            stores: s.stores,
            devices: s.devices,
        })
    }

    pub async fn inbox_page() -> Result<InboxPage, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let headers = request::headers();
        let shopper = session::current(&db, &headers, session::Kind::Shopper).await?;
        let Some(member) = shopper.and_then(|s| s.member_id) else {
            return Ok(InboxPage {
                signed_in: false,
                messages: Vec::new(),
                choices: (true, true, true),
            });
        };
        let rows = inbox::messages(&db, member, 50).await?;
        let held = coupons::member_coupons(&db, member, 0).await?;
        let messages = rows
            .into_iter()
            .map(|m| {
                let sender = Sender::parse(&m.sender).unwrap_or(Sender::Brand);
                let kind = match sender {
                    Sender::Brand => T::FromBrand,
                    Sender::Store => T::FromStore,
                    Sender::Guide => T::FromGuide,
                };
                let from = match m.from_name() {
                    Some(name) => format!("{} · {}", kind.t(lang), name.t(lang)),
                    None => kind.t(lang).to_owned(),
                };
                let coupon = m.coupon_id.and_then(|id| {
                    let c = held.iter().find(|c| c.id == id)?.view(lang);
                    Some(format!("{} · {} · {}", c.title, c.terms, c.until))
                });
                let link = m.link.clone().map(|path| {
                    let label = if path.contains("/p/") {
                        T::SeeProduct
                    } else {
                        T::SeeStore
                    };
                    (path, label.t(lang).to_owned())
                });
                InboxItem {
                    id: m.id,
                    from,
                    body: m.body,
                    coupon,
                    link,
                    when: stamp(m.created_at),
                    unread: m.read_at.is_none(),
                }
            })
            .collect();
        // Opened: every message is read now (the page still marks which were new).
        inbox::mark_all_read(&db, member).await?;
        let c = inbox::choices(&db, member).await?;
        Ok(InboxPage {
            signed_in: true,
            messages,
            choices: (c.brand, c.store, c.guide),
        })
    }
}

#[server]
pub async fn get_console_coupons(store: String) -> Result<ConsoleCoupons, AppError> {
    server::coupons_page(store).await
}

#[server]
pub async fn get_console_audience(
    store: String,
    query: String,
) -> Result<ConsoleAudience, AppError> {
    server::audience_page(store, query).await
}

#[server]
pub async fn get_inbox() -> Result<InboxPage, AppError> {
    server::inbox_page().await
}

#[server]
pub async fn get_console_labels(store: String) -> Result<ConsoleLabels, AppError> {
    server::labels_page(store).await
}

#[server]
pub async fn get_label_sheet(store: String, query: String) -> Result<LabelSheet, AppError> {
    server::label_sheet(store, query).await
}

#[server]
pub async fn get_member_data() -> Result<MemberData, AppError> {
    server::member_data().await
}

#[server]
pub async fn get_console_benefits(store: String) -> Result<ConsoleBenefits, AppError> {
    server::benefits_page(store).await
}

#[server]
pub async fn get_check_in(store: String) -> Result<CheckInPage, AppError> {
    server::check_in_page(store).await
}
