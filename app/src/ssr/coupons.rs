//! Coupons (server): campaigns a store or the brand makes, handing a campaign's coupon to
//! a member (at most its total, at most its per-member limit, whatever runs at once),
//! a member's coupons with their terms, claiming one at checkout or the till (once), and
//! giving one back when its order is cancelled (in the cancelling transaction).

use crate::domain::coupon::{Benefit, CoveredLine, NewCampaign, NotUsable, Terms};
use crate::domain::i18n::Named;
use crate::domain::i18n::marketing as text;
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::db::{Db, retrying};
use crate::ssr::session::now;
use std::collections::HashMap;

/// The kind of the new-member coupon (the one coupon not of a campaign).
pub const NEW_MEMBER: &str = "new_member";

/// A campaign's row with what became of its coupons.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub title: String,
    pub percent_off: Option<i64>,
    pub value_minor: i64,
    pub min_spend_minor: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub store_id: Option<i64>,
    pub per_member: i64,
    pub total: i64,
    pub issued: i64,
    /// Coupons of it used (at checkout or the till).
    pub used: i64,
}

impl CampaignRow {
    pub fn benefit(&self) -> Benefit {
        benefit(self.percent_off, self.value_minor)
    }
}

fn benefit(percent_off: Option<i64>, value_minor: i64) -> Benefit {
    match percent_off.and_then(|p| u8::try_from(p).ok()) {
        Some(percent) => Benefit::PercentOff {
            percent,
            cap: value_minor,
        },
        None => Benefit::AmountOff(value_minor),
    }
}

/// Makes a campaign in store `made_in`'s console: for that store, or (`brand_wide`) the
/// brand's; its coupons can be used from `starts_at` to `ends_at`, on `categories`
/// (empty: everything). Audited with the campaign, in one transaction.
pub async fn create_campaign(
    db: &Db,
    made_in: i64,
    brand_wide: bool,
    staff: i64,
    campaign: &NewCampaign,
    categories: &[i64],
    (starts_at, ends_at): (i64, i64),
) -> Result<i64, AppError> {
    retrying(db, || async {
        let mut tx = db.pool.begin().await?;
        let (percent, value) = match campaign.benefit {
            Benefit::AmountOff(v) => (None, v),
            Benefit::PercentOff { percent, cap } => (Some(i64::from(percent)), cap),
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO coupon_campaigns (title, percent_off, value_minor, min_spend_minor, starts_at, ends_at, \
               store_id, per_member, total, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&campaign.title)
        .bind(percent)
        .bind(value)
        .bind(campaign.min_spend)
        .bind(starts_at)
        .bind(ends_at)
        .bind((!brand_wide).then_some(made_in))
        .bind(campaign.per_member)
        .bind(campaign.total)
        .bind(staff)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        for category in categories {
            sqlx::query(
                "INSERT INTO coupon_campaign_categories (campaign_id, category_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(category)
            .execute(&mut *tx)
            .await?;
        }
        let after = format!(
            "{:?}, min {} fen, {} coupons, {} per member, {}{}",
            campaign.benefit,
            campaign.min_spend,
            campaign.total,
            campaign.per_member,
            text::days(starts_at, ends_at),
            if brand_wide { ", every store" } else { "" }
        );
        crate::ssr::audit::record(
            &mut *tx,
            &crate::ssr::audit::Change {
                store_id: Some(made_in),
                staff_id: staff,
                action: "coupon.campaign",
                subject: &campaign.title,
                before: "",
                after: &after,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

const CAMPAIGN_COLUMNS: &str = "k.id, k.title, k.percent_off, k.value_minor, k.min_spend_minor, k.starts_at, \
    k.ends_at, k.store_id, k.per_member, k.total, k.issued, \
    CAST((SELECT COUNT(*) FROM coupons c WHERE c.campaign_id = k.id AND c.used_at IS NOT NULL) AS BIGINT) AS used";

/// The campaigns whose coupons can be used in this store: its own and the brand's,
/// newest first.
pub async fn campaigns_for_store(db: &Db, store: i64) -> Result<Vec<CampaignRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM coupon_campaigns k \
         WHERE k.store_id = $1 OR k.store_id IS NULL ORDER BY k.id DESC LIMIT 100"
    ))
    .bind(store)
    .fetch_all(&db.pool)
    .await?)
}

/// One campaign, when this store may hand it out (its own or the brand's).
pub async fn campaign_for_store(
    db: &Db,
    store: i64,
    id: i64,
) -> Result<Option<CampaignRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM coupon_campaigns k \
         WHERE k.id = $1 AND (k.store_id = $2 OR k.store_id IS NULL)"
    ))
    .bind(id)
    .bind(store)
    .fetch_optional(&db.pool)
    .await?)
}

/// The names of each campaign's categories (none listed: it covers everything).
pub async fn campaign_categories(
    db: &Db,
    campaigns: &[i64],
) -> Result<HashMap<i64, Vec<(i64, Named)>>, AppError> {
    let mut out: HashMap<i64, Vec<(i64, Named)>> = HashMap::new();
    if campaigns.is_empty() {
        return Ok(out);
    }
    let list = campaigns
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT cc.campaign_id, c.id, c.name_zh, c.name_en FROM coupon_campaign_categories cc \
         JOIN categories c ON c.id = cc.category_id WHERE cc.campaign_id IN ({list}) \
         ORDER BY cc.campaign_id, c.position"
    ))
    .fetch_all(&db.pool)
    .await?;
    for (campaign, id, zh, en) in rows {
        out.entry(campaign)
            .or_default()
            .push((id, Named::new(zh, en)));
    }
    Ok(out)
}

/// Every category of the catalogue, in its order: (id, names).
pub async fn categories(db: &Db) -> Result<Vec<(i64, Named)>, AppError> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name_zh, name_en FROM categories ORDER BY position")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, zh, en)| (id, Named::new(zh, en)))
        .collect())
}

/// Why a campaign's coupon was not handed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueRefusal {
    /// No such campaign, or its last day is past.
    Ended,
    /// Every coupon of it is handed out.
    SoldOut,
    /// The member holds as many of it as one may.
    LimitReached,
}

/// Hands a coupon of `campaign` to `member`, in its own transaction. Returns the coupon.
pub async fn issue(
    db: &Db,
    campaign: i64,
    member: i64,
) -> Result<Result<i64, IssueRefusal>, AppError> {
    retrying(db, || async {
        let mut tx = db.pool.begin().await?;
        let issued = issue_in(&mut tx, campaign, member, now()).await?;
        if issued.is_ok() {
            tx.commit().await?;
        }
        Ok(issued)
    })
    .await
}

/// Hands a coupon of `campaign` to `member` in `tx`. The campaign's count goes first (a
/// write: on SQLite the transaction holds the write lock from here; on PostgreSQL the
/// campaign's row is locked until commit, and a concurrent hand-out re-reads it), then
/// the member's next free place of the campaign's per-member limit (a member at the limit
/// gives the count back in the same transaction).
pub async fn issue_in(
    tx: &mut Tx,
    campaign: i64,
    member: i64,
    at: i64,
) -> Result<Result<i64, IssueRefusal>, AppError> {
    let counted: Option<(i64, Option<i64>, i64, i64, i64, i64)> = sqlx::query_as(
        "UPDATE coupon_campaigns SET issued = issued + 1 WHERE id = $1 AND issued < total AND ends_at > $2 \
         RETURNING per_member, percent_off, value_minor, min_spend_minor, starts_at, ends_at",
    )
    .bind(campaign)
    .bind(at)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((per_member, percent, value, min_spend, starts_at, ends_at)) = counted else {
        let row: Option<(i64, i64, i64)> =
            sqlx::query_as("SELECT issued, total, ends_at FROM coupon_campaigns WHERE id = $1")
                .bind(campaign)
                .fetch_optional(&mut **tx)
                .await?;
        return Ok(Err(match row {
            Some((_, _, ends_at)) if ends_at <= at => IssueRefusal::Ended,
            Some(_) => IssueRefusal::SoldOut,
            None => IssueRefusal::Ended,
        }));
    };
    for n in 1..=per_member {
        let placed: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO coupons (member_id, kind, campaign_id, percent_off, value_minor, min_spend_minor, \
               starts_at, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (member_id, kind) DO NOTHING RETURNING id",
        )
        .bind(member)
        .bind(format!("c{campaign}#{n}"))
        .bind(campaign)
        .bind(percent)
        .bind(value)
        .bind(min_spend)
        .bind(starts_at)
        .bind(at)
        .bind(ends_at)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((id,)) = placed {
            return Ok(Ok(id));
        }
    }
    // Not handed out after all: the count goes back in the same transaction.
    sqlx::query("UPDATE coupon_campaigns SET issued = issued - 1 WHERE id = $1")
        .bind(campaign)
        .execute(&mut **tx)
        .await?;
    Ok(Err(IssueRefusal::LimitReached))
}

/// A member's coupon, not used and not expired, with what it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberCoupon {
    pub id: i64,
    /// The campaign's title; `None`: the new-member coupon.
    pub title: Option<String>,
    pub terms: Terms,
    /// The store it is limited to, by name.
    pub store: Option<Named>,
    /// The categories it is limited to, by name.
    pub categories: Vec<Named>,
}

impl MemberCoupon {
    /// The coupon as the member page and the till show it.
    pub fn view(&self, lang: Lang) -> crate::views::members::CouponView {
        crate::views::members::CouponView {
            id: self.id,
            title: match &self.title {
                Some(t) => t.clone(),
                None => crate::domain::i18n::member::MemberText::NewMemberCoupon
                    .t(lang)
                    .to_owned(),
            },
            terms: text::terms(lang, &self.terms),
            limits: text::limits(
                lang,
                self.store.as_ref().map(|s| s.t(lang)),
                &self
                    .categories
                    .iter()
                    .map(|c| c.t(lang))
                    .collect::<Vec<_>>(),
            ),
            until: text::until(lang, self.terms.expires_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct CouponLine {
    id: i64,
    campaign_id: Option<i64>,
    percent_off: Option<i64>,
    value_minor: i64,
    min_spend_minor: i64,
    starts_at: i64,
    expires_at: i64,
    title: Option<String>,
    store_id: Option<i64>,
    store_zh: Option<String>,
    store_en: Option<String>,
}

/// A member's coupons not used and not expired at `at`, ending soonest first.
pub async fn member_coupons(db: &Db, member: i64, at: i64) -> Result<Vec<MemberCoupon>, AppError> {
    let rows: Vec<CouponLine> = sqlx::query_as(
        "SELECT c.id, c.campaign_id, c.percent_off, c.value_minor, c.min_spend_minor, c.starts_at, c.expires_at, \
           k.title, k.store_id, s.name_zh AS store_zh, s.name_en AS store_en \
         FROM coupons c LEFT JOIN coupon_campaigns k ON k.id = c.campaign_id \
           LEFT JOIN stores s ON s.id = k.store_id \
         WHERE c.member_id = $1 AND c.used_at IS NULL AND c.expires_at > $2 \
         ORDER BY c.expires_at, c.id",
    )
    .bind(member)
    .bind(at)
    .fetch_all(&db.pool)
    .await?;
    let campaigns: Vec<i64> = rows.iter().filter_map(|r| r.campaign_id).collect();
    let categories = campaign_categories(db, &campaigns).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let cats = r
                .campaign_id
                .and_then(|c| categories.get(&c))
                .cloned()
                .unwrap_or_default();
            MemberCoupon {
                id: r.id,
                title: r.title,
                terms: Terms {
                    benefit: benefit(r.percent_off, r.value_minor),
                    min_spend: r.min_spend_minor,
                    starts_at: r.starts_at,
                    expires_at: r.expires_at,
                    stores: r.store_id.into_iter().collect(),
                    categories: cats.iter().map(|(id, _)| *id).collect(),
                },
                store: match (r.store_zh, r.store_en) {
                    (Some(zh), Some(en)) => Some(Named::new(zh, en)),
                    _ => None,
                },
                categories: cats.into_iter().map(|(_, n)| n).collect(),
            }
        })
        .collect())
}

/// The lines of a member's bag at a store as a coupon sees them (category, total now).
pub async fn bag_lines(db: &Db, owner: &str, store: i64) -> Result<Vec<CoveredLine>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.category_id, b.quantity * o.price_minor FROM bag_lines b \
         JOIN products p ON p.id = b.product_id \
         JOIN offers o ON o.store_id = b.store_id AND o.product_id = b.product_id \
         WHERE b.owner = $1 AND b.store_id = $2",
    )
    .bind(owner)
    .bind(store)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(category, total)| CoveredLine { category, total })
        .collect())
}

/// Why a coupon could not be claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// Used already (or at once by another), expired, or not this member's.
    Gone,
    NotUsable(NotUsable),
}

/// Claims a member's coupon for an order's lines at a store in `tx`: its terms checked
/// against the lines, then a conditional update that only one claim can win. Returns
/// the discount (fen).
pub async fn claim_for_order(
    tx: &mut Tx,
    coupon: i64,
    member: i64,
    store: i64,
    order_id: &str,
    at: i64,
) -> Result<Result<i64, ClaimRefusal>, AppError> {
    let lines: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.category_id, l.quantity * l.price_minor FROM order_lines l \
         JOIN products p ON p.id = l.product_id WHERE l.order_id = $1",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    let lines: Vec<CoveredLine> = lines
        .into_iter()
        .map(|(category, total)| CoveredLine { category, total })
        .collect();
    let Some(terms) = terms_in(tx, coupon, member, true).await? else {
        return Ok(Err(ClaimRefusal::Gone));
    };
    let discount = match terms.discount(store, &lines, at) {
        Ok(d) => d,
        Err(NotUsable::Expired) => return Ok(Err(ClaimRefusal::Gone)),
        Err(why) => return Ok(Err(ClaimRefusal::NotUsable(why))),
    };
    if !mark_used(tx, coupon, member, at).await? {
        return Ok(Err(ClaimRefusal::Gone));
    }
    Ok(Ok(discount))
}

/// A member's coupon's terms (only while unused, if `unused`), read in `tx`.
async fn terms_in(
    tx: &mut Tx,
    coupon: i64,
    member: i64,
    unused: bool,
) -> Result<Option<Terms>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        campaign_id: Option<i64>,
        percent_off: Option<i64>,
        value_minor: i64,
        min_spend_minor: i64,
        starts_at: i64,
        expires_at: i64,
        store_id: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.campaign_id, c.percent_off, c.value_minor, c.min_spend_minor, c.starts_at, c.expires_at, \
           k.store_id FROM coupons c LEFT JOIN coupon_campaigns k ON k.id = c.campaign_id \
         WHERE c.id = $1 AND c.member_id = $2 AND (c.used_at IS NULL OR $3 = 0)",
    )
    .bind(coupon)
    .bind(member)
    .bind(i64::from(unused))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(Row {
        campaign_id: campaign,
        percent_off: percent,
        value_minor: value,
        min_spend_minor: min_spend,
        starts_at,
        expires_at,
        store_id: store,
    }) = row
    else {
        return Ok(None);
    };
    let categories: Vec<(i64,)> = match campaign {
        Some(c) => {
            sqlx::query_as(
                "SELECT category_id FROM coupon_campaign_categories WHERE campaign_id = $1",
            )
            .bind(c)
            .fetch_all(&mut **tx)
            .await?
        }
        None => Vec::new(),
    };
    Ok(Some(Terms {
        benefit: benefit(percent, value),
        min_spend,
        starts_at,
        expires_at,
        stores: store.into_iter().collect(),
        categories: categories.into_iter().map(|(c,)| c).collect(),
    }))
}

/// The one write that uses a coupon: only the first of any number of concurrent claims
/// finds it unused.
async fn mark_used(tx: &mut Tx, coupon: i64, member: i64, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE coupons SET used_at = $1 WHERE id = $2 AND member_id = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(coupon)
    .bind(member)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Why the till could not redeem a coupon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedeemRefusal {
    /// Used already, expired, or not this member's.
    Gone,
    /// Not good in this store, or not yet.
    NotHere,
}

/// The till redeems a member's coupon in its store: once. The use is written first (on
/// SQLite the write lock is taken before anything is read), then its terms are checked,
/// and a coupon not good here is given back by rolling the transaction back.
pub async fn redeem_at_till(
    db: &Db,
    member: i64,
    coupon: i64,
    store: i64,
) -> Result<Result<(), RedeemRefusal>, AppError> {
    retrying(db, || async {
        let at = now();
        let mut tx = db.pool.begin().await?;
        if !mark_used(&mut tx, coupon, member, at).await? {
            return Ok(Err(RedeemRefusal::Gone));
        }
        let terms = terms_in(&mut tx, coupon, member, false).await?;
        if !terms.is_some_and(|t| t.usable_at(store, at)) {
            return Ok(Err(RedeemRefusal::NotHere));
        }
        tx.commit().await?;
        Ok(Ok(()))
    })
    .await
}
