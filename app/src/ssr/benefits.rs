//! Triggered benefits (server): a store's rules, members' check-ins, and the job that
//! grants each rule's reward — a coupon, points, a message — once per member per period.
//! The grant's key (rule, member, period) is written first in the granting transaction,
//! so any number of servers may run the job at once and each grant happens once.

use crate::domain::benefit::{NewRule, Trigger, day_of};
use crate::error::AppError;
use crate::ssr::coupons;
use crate::ssr::db::{Db, retrying};
use crate::ssr::inbox::{self, Outgoing, Sender};
use crate::ssr::session::now;

/// How often each server runs the job.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// A rule with what it has granted.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RuleRow {
    pub id: i64,
    pub store_id: i64,
    pub trigger: String,
    pub days: i64,
    pub campaign_id: Option<i64>,
    pub campaign_title: Option<String>,
    pub points: i64,
    pub message: Option<String>,
    pub enabled: i64,
    pub created_at: i64,
    pub granted: i64,
}

impl RuleRow {
    pub fn trigger(&self) -> Option<Trigger> {
        Trigger::parse(&self.trigger)
    }
}

const RULE_COLUMNS: &str = "r.id, r.store_id, r.trigger, r.days, r.campaign_id, k.title AS campaign_title, \
    r.points, r.message, r.enabled, r.created_at, \
    CAST((SELECT COUNT(*) FROM benefit_grants g WHERE g.rule_id = r.id) AS BIGINT) AS granted \
    FROM benefit_rules r LEFT JOIN coupon_campaigns k ON k.id = r.campaign_id";

/// The store's rules, newest first.
pub async fn rules(db: &Db, store: i64) -> Result<Vec<RuleRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} WHERE r.store_id = $1 ORDER BY r.id DESC"
    ))
    .bind(store)
    .fetch_all(&db.pool)
    .await?)
}

/// Adds a rule to the store (on), audited with it.
pub async fn add_rule(
    db: &Db,
    store: i64,
    staff: i64,
    rule: &NewRule,
    campaign: Option<i64>,
) -> Result<i64, AppError> {
    retrying(db, || async {
        let mut tx = db.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO benefit_rules (store_id, trigger, days, campaign_id, points, message, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(store)
        .bind(rule.trigger.as_str())
        .bind(rule.days)
        .bind(campaign)
        .bind(rule.points)
        .bind(rule.message.as_deref())
        .bind(staff)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        crate::ssr::audit::record(
            &mut *tx,
            &crate::ssr::audit::Change {
                store_id: Some(store),
                staff_id: staff,
                action: "benefit.rule",
                subject: rule.trigger.as_str(),
                before: "",
                after: &format!(
                    "days {}, coupon {campaign:?}, points {}, message {:?}",
                    rule.days, rule.points, rule.message
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Turns a store's rule on or off; false when the store has no such rule.
pub async fn set_enabled(
    db: &Db,
    store: i64,
    staff: i64,
    rule: i64,
    on: bool,
) -> Result<bool, AppError> {
    retrying(db, || async {
        let mut tx = db.pool.begin().await?;
        let done =
            sqlx::query("UPDATE benefit_rules SET enabled = $1 WHERE id = $2 AND store_id = $3")
                .bind(i64::from(on))
                .bind(rule)
                .bind(store)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        crate::ssr::audit::record(
            &mut *tx,
            &crate::ssr::audit::Change {
                store_id: Some(store),
                staff_id: staff,
                action: "benefit.rule",
                subject: &rule.to_string(),
                before: if on { "off" } else { "on" },
                after: if on { "on" } else { "off" },
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    })
    .await
}

/// A member checks in at a store (its QR at the door or the till): once a day; they are
/// the store's member, last seen now. Returns whether this was the day's first.
pub async fn check_in(db: &Db, store: i64, member: i64, at: i64) -> Result<bool, AppError> {
    retrying(db, || async {
        let mut tx = db.pool.begin().await?;
        let first = sqlx::query(
            "INSERT INTO store_checkins (store_id, member_id, day, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(store)
        .bind(member)
        .bind(day_of(at))
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query(
            "INSERT INTO store_members (store_id, member_id, since, last_visit_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (store_id, member_id) DO UPDATE SET last_visit_at = $3",
        )
        .bind(store)
        .bind(member)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(first)
    })
    .await
}

/// The members a rule reaches now, each with the period of their grant; those granted for
/// that period already are left out.
async fn candidates(db: &Db, rule: &RuleRow, at: i64) -> Result<Vec<(i64, String)>, AppError> {
    let Some(trigger) = rule.trigger() else {
        return Ok(Vec::new());
    };
    let not_granted = "NOT EXISTS (SELECT 1 FROM benefit_grants g WHERE g.rule_id = $2 \
        AND g.member_id = c.member_id AND g.period = c.period)";
    let sql = match trigger {
        // Members who became the store's after the rule was turned on.
        Trigger::Join => format!(
            "SELECT c.member_id, c.period FROM (SELECT sm.member_id, 'once' AS period FROM store_members sm \
               WHERE sm.store_id = $1 AND sm.since >= $3) c WHERE {not_granted}"
        ),
        // Members whose first (not cancelled) order at the store came after the rule.
        Trigger::FirstOrder => format!(
            "SELECT c.member_id, c.period FROM (SELECT o.member_id, 'once' AS period FROM orders o \
               WHERE o.store_id = $1 AND o.member_id IS NOT NULL AND o.status <> 'cancelled' \
               GROUP BY o.member_id HAVING MIN(o.created_at) >= $3) c WHERE {not_granted}"
        ),
        // Away N days: once per absence (its period is when they were last seen).
        Trigger::Lapsed => format!(
            "SELECT c.member_id, c.period FROM (SELECT sm.member_id, CAST(CASE \
                 WHEN COALESCE(sm.last_order_at, 0) >= COALESCE(sm.last_visit_at, 0) AND COALESCE(sm.last_order_at, 0) >= sm.since THEN sm.last_order_at \
                 WHEN COALESCE(sm.last_visit_at, 0) >= sm.since THEN sm.last_visit_at ELSE sm.since END AS TEXT) AS period \
               FROM store_members sm WHERE sm.store_id = $1 AND sm.since <= $4 \
                 AND COALESCE(sm.last_order_at, 0) <= $4 AND COALESCE(sm.last_visit_at, 0) <= $4) c \
             WHERE {not_granted}"
        ),
        // A bag line at the store below the price it was added at: once per product and price.
        Trigger::PriceDrop => format!(
            "SELECT c.member_id, c.period FROM (SELECT CAST(SUBSTR(b.owner, 3) AS BIGINT) AS member_id, \
                 CAST(b.product_id AS TEXT) || '@' || CAST(o.price_minor AS TEXT) AS period \
               FROM bag_lines b JOIN offers o ON o.store_id = b.store_id AND o.product_id = b.product_id \
               WHERE b.store_id = $1 AND b.owner LIKE 'm:%' AND o.price_minor < b.added_price_minor \
                 AND b.added_at <= $5) c \
             WHERE {not_granted} AND EXISTS (SELECT 1 FROM members m WHERE m.id = c.member_id AND m.deleted_at IS NULL)"
        ),
        // A check-in after the rule was turned on: once a day.
        Trigger::CheckIn => format!(
            "SELECT c.member_id, c.period FROM (SELECT ci.member_id, CAST(ci.day AS TEXT) AS period \
               FROM store_checkins ci WHERE ci.store_id = $1 AND ci.at >= $3) c WHERE {not_granted}"
        ),
    };
    let rows: Vec<(i64, String)> = sqlx::query_as(&sql)
        .bind(rule.store_id)
        .bind(rule.id)
        .bind(rule.created_at)
        .bind(at - rule.days * 86_400)
        .bind(at)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows)
}

/// Grants one rule's reward to one member for one period, once: the grant's key goes in
/// first (a second server, or a second run, finds it there and grants nothing). Returns
/// whether this call granted it.
pub async fn grant(
    db: &Db,
    rule: &RuleRow,
    member: i64,
    period: &str,
    at: i64,
) -> Result<bool, AppError> {
    retrying(db, || async {
        let mut tx = db.pool.begin().await?;
        let fresh = sqlx::query(
            "INSERT INTO benefit_grants (rule_id, member_id, period, granted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(rule.id)
        .bind(member)
        .bind(period)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !fresh {
            return Ok(false);
        }
        let coupon = match rule.campaign_id {
            Some(campaign) => coupons::issue_in(&mut tx, campaign, member, at).await?.ok(),
            None => None,
        };
        if let Some(coupon) = coupon {
            sqlx::query(
                "UPDATE benefit_grants SET coupon_id = $1 WHERE rule_id = $2 AND member_id = $3 AND period = $4",
            )
            .bind(coupon)
            .bind(rule.id)
            .bind(member)
            .bind(period)
            .execute(&mut *tx)
            .await?;
        }
        if rule.points > 0 {
            sqlx::query(
                "INSERT INTO points_ledger (member_id, delta, reason, store_id, at) VALUES ($1, $2, 'benefit', $3, $4)",
            )
            .bind(member)
            .bind(rule.points)
            .bind(rule.store_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let body = rule.message.clone().or_else(|| {
            coupon.map(|_| rule.campaign_title.clone().unwrap_or_default())
        });
        if let Some(body) = body
            && inbox::receives(&mut tx, member, Sender::Store).await?
        {
            inbox::deliver(
                &mut tx,
                &Outgoing {
                    member,
                    sender: Sender::Store,
                    store: Some(rule.store_id),
                    guide_code: None,
                    body: &body,
                    coupon,
                    link: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    })
    .await
}

/// Runs every rule that is on (of one store, or all): grants what is due. Returns how
/// many grants this run made.
pub async fn run(db: &Db, store: Option<i64>, at: i64) -> Result<u64, AppError> {
    let rules: Vec<RuleRow> = sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} WHERE r.enabled = 1 AND ($1 = 0 OR r.store_id = $1) ORDER BY r.id"
    ))
    .bind(store.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    let mut granted = 0;
    for rule in &rules {
        for (member, period) in candidates(db, rule, at).await? {
            if grant(db, rule, member, &period, at).await? {
                granted += 1;
            }
        }
    }
    Ok(granted)
}
