//! A store's audiences (server): counting the store's members an [`Audience`] picks (one
//! query over the store's `store_members` rows), and sending them a message with an
//! optional coupon and link — each member at most [`WEEKLY_LIMIT`] times a week from one
//! store, only if they receive such messages, and each send recorded.

use crate::domain::audience::{Audience, WEEKLY_LIMIT, week_of};
use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::coupons::{self, IssueRefusal};
use crate::ssr::db::{Db, retrying};
use crate::ssr::inbox::{self, MessageChannel, Outgoing, Sender};
use crate::ssr::session::now;

const DAY: i64 = 86_400;

/// The `WHERE` of an audience over `store_members sm` and its arguments (all integers,
/// but for the guide's code, which comes first when there is one).
struct Filter {
    sql: String,
    guide: Option<String>,
    args: Vec<i64>,
}

impl Filter {
    /// The filter's arguments bound to a query of its `WHERE`, in their places' order.
    fn bind<'q, O>(
        &self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for a in &self.args {
            q = q.bind(*a);
        }
        if let Some(g) = &self.guide {
            q = q.bind(g.clone());
        }
        q
    }
}

fn filter(store: i64, audience: &Audience, at: i64) -> Filter {
    let mut sql = String::from("sm.store_id = $1");
    let mut args = vec![store];
    let mut n = 1;
    let mut next = |args: &mut Vec<i64>, v: i64| {
        args.push(v);
        n += 1;
        format!("${n}")
    };
    let guide = audience.guide.clone();
    if guide.is_some() {
        // The code is bound last; its place is named after the integers (below).
        sql.push_str(" AND sm.guide_code = $G");
    }
    if let Some(days) = audience.away_days {
        let cut = next(&mut args, at - days * DAY);
        sql.push_str(&format!(
            " AND sm.since <= {cut} AND COALESCE(sm.last_order_at, 0) <= {cut} \
              AND COALESCE(sm.last_visit_at, 0) <= {cut}"
        ));
    }
    // Each of these is a set of members worked out once for the store (not a subquery per
    // member): a store of 100,000 members is counted in one pass over each table's index.
    if let Some(min) = audience.spend_min.filter(|m| *m > 0) {
        let since = next(&mut args, at - audience.spend_days * DAY);
        let min = next(&mut args, min);
        sql.push_str(&format!(
            " AND sm.member_id IN (SELECT o.member_id FROM orders o WHERE o.store_id = $1 \
               AND o.member_id IS NOT NULL AND o.created_at >= {since} AND o.status <> 'cancelled' \
               GROUP BY o.member_id HAVING SUM(o.total_minor) >= {min})"
        ));
    }
    if let Some(category) = audience.category {
        let c = next(&mut args, category);
        sql.push_str(&format!(
            " AND sm.member_id IN (SELECT o.member_id FROM orders o JOIN order_lines l ON l.order_id = o.id \
               JOIN products p ON p.id = l.product_id WHERE o.store_id = $1 AND o.member_id IS NOT NULL \
               AND o.status <> 'cancelled' AND p.category_id = {c})"
        ));
    }
    if let Some(days) = audience.bag_days {
        let cut = next(&mut args, at - days * DAY);
        sql.push_str(&format!(
            " AND sm.member_id IN (SELECT CAST(SUBSTR(b.owner, 3) AS BIGINT) FROM bag_lines b \
               WHERE b.store_id = $1 AND b.added_at <= {cut} AND b.owner LIKE 'm:%')"
        ));
    }
    if let Some(points) = audience.points_min.filter(|p| *p > 0) {
        let p = next(&mut args, points);
        sql.push_str(&format!(
            " AND sm.member_id IN (SELECT pl.member_id FROM points_ledger pl \
               GROUP BY pl.member_id HAVING SUM(pl.delta) >= {p})"
        ));
    }
    let sql = sql.replace("$G", &format!("${}", args.len() + 1));
    Filter { sql, guide, args }
}

/// How many of the store's members the audience picks.
pub async fn count(db: &Db, store: i64, audience: &Audience) -> Result<i64, AppError> {
    let f = filter(store, audience, now());
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM store_members sm WHERE {}",
        f.sql
    );
    let q = f.bind(sqlx::query_as::<_, (i64,)>(&sql));
    let (n,) = q.fetch_one(&db.pool).await?;
    Ok(n)
}

/// The members the audience picks.
async fn members(db: &Db, store: i64, audience: &Audience, at: i64) -> Result<Vec<i64>, AppError> {
    let f = filter(store, audience, at);
    let sql = format!(
        "SELECT sm.member_id FROM store_members sm WHERE {} ORDER BY sm.member_id",
        f.sql
    );
    let q = f.bind(sqlx::query_as::<_, (i64,)>(&sql));
    Ok(q.fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(m,)| m)
        .collect())
}

/// What to send, from whom.
#[derive(Clone, Debug)]
pub struct Outreach<'a> {
    pub store: i64,
    pub staff: i64,
    /// A store's send, or a guide's (then only to the members the guide brought).
    pub sender: Sender,
    pub guide_code: Option<&'a str>,
    pub audience: &'a Audience,
    pub body: &'a str,
    pub campaign: Option<i64>,
    pub link: Option<&'a str>,
}

/// What a send came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    pub id: i64,
    /// Members the audience picked.
    pub chosen: i64,
    /// Members it reached (the rest had reached the weekly limit, turned such messages
    /// off, or could hold no more of the coupon, or the coupons ran out).
    pub reached: i64,
}

/// Members written per transaction.
const BATCH: usize = 500;

/// Sends a message (and coupon) to the members an audience picks, now.
pub async fn send(
    db: &Db,
    channel: &dyn MessageChannel,
    s: &Outreach<'_>,
) -> Result<Sent, AppError> {
    let at = now();
    let chosen = members(db, s.store, s.audience, at).await?;
    if chosen.is_empty() {
        // Nobody to send to: nothing is written.
        return Ok(Sent {
            id: 0,
            chosen: 0,
            reached: 0,
        });
    }
    let id = retrying(db, || async {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO audience_sends (store_id, staff_id, audience, body, campaign_id, chosen, reached, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
        )
        .bind(s.store)
        .bind(s.staff)
        .bind(s.audience.to_query())
        .bind(s.body)
        .bind(s.campaign)
        .bind(chosen.len() as i64)
        .bind(at)
        .fetch_one(&db.pool)
        .await?;
        Ok(id)
    })
    .await?;
    let mut reached_members = Vec::new();
    for batch in chosen.chunks(BATCH) {
        let reached = retrying(db, || async {
            let mut tx = db.pool.begin().await?;
            // A write first: on SQLite the batch holds the write lock from here, so its
            // reads (choices, places) are never of a state another writer moved past.
            sqlx::query("UPDATE audience_sends SET reached = reached WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let mut reached = Vec::new();
            for &member in batch {
                if reach(&mut tx, s, id, member, at).await? {
                    reached.push(member);
                }
            }
            sqlx::query("UPDATE audience_sends SET reached = reached + $1 WHERE id = $2")
                .bind(reached.len() as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(reached)
        })
        .await?;
        reached_members.extend(reached);
    }
    for member in &reached_members {
        // Another channel failing does not undo the inbox: the message is there.
        if let Err(e) = channel.send(db, *member, s.body).await {
            tracing::warn!(error = ?e, "a message channel failed");
        }
    }
    Ok(Sent {
        id,
        chosen: chosen.len() as i64,
        reached: reached_members.len() as i64,
    })
}

/// One member of a send, in the batch's transaction: a place of their week at this store
/// (the weekly limit: the places' primary key decides under any concurrency), the
/// coupon, the message. Whatever of it was written is undone when the member can't be
/// reached after all.
async fn reach(
    tx: &mut Tx,
    s: &Outreach<'_>,
    send: i64,
    member: i64,
    at: i64,
) -> Result<bool, AppError> {
    if !inbox::receives(tx, member, s.sender).await? {
        return Ok(false);
    }
    let week = week_of(at);
    let mut placed = None;
    for n in 1..=WEEKLY_LIMIT {
        let done = sqlx::query(
            "INSERT INTO member_contacts (member_id, store_id, week, n, send_id) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(member)
        .bind(s.store)
        .bind(week)
        .bind(n)
        .bind(send)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 1 {
            placed = Some(n);
            break;
        }
    }
    let Some(n) = placed else {
        return Ok(false);
    };
    let coupon = match s.campaign {
        None => None,
        Some(campaign) => match coupons::issue_in(tx, campaign, member, at).await? {
            Ok(coupon) => Some(coupon),
            Err(IssueRefusal::LimitReached | IssueRefusal::SoldOut | IssueRefusal::Ended) => {
                sqlx::query(
                    "DELETE FROM member_contacts WHERE member_id = $1 AND store_id = $2 AND week = $3 AND n = $4",
                )
                .bind(member)
                .bind(s.store)
                .bind(week)
                .bind(n)
                .execute(&mut **tx)
                .await?;
                return Ok(false);
            }
        },
    };
    inbox::deliver(
        tx,
        &Outgoing {
            member,
            sender: s.sender,
            store: Some(s.store),
            guide_code: s.guide_code,
            body: s.body,
            coupon,
            link: s.link,
        },
    )
    .await?;
    Ok(true)
}

/// A store's sends, newest first.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SendRow {
    pub id: i64,
    pub staff_name: String,
    pub audience: String,
    pub body: String,
    pub campaign_title: Option<String>,
    pub chosen: i64,
    pub reached: i64,
    pub created_at: i64,
}

/// The store's last sends (a guide's own only, when `staff` is given).
pub async fn sends(db: &Db, store: i64, staff: Option<i64>) -> Result<Vec<SendRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, st.name AS staff_name, a.audience, a.body, k.title AS campaign_title, a.chosen, a.reached, a.created_at \
         FROM audience_sends a JOIN staff st ON st.id = a.staff_id \
           LEFT JOIN coupon_campaigns k ON k.id = a.campaign_id \
         WHERE a.store_id = $1 AND ($2 = 0 OR a.staff_id = $2) ORDER BY a.id DESC LIMIT 20",
    )
    .bind(store)
    .bind(staff.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?)
}

/// A guide's code in a store, for the person signed in as that guide.
pub async fn guide_code_of(db: &Db, staff: i64, store: i64) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT code FROM guides WHERE staff_id = $1 AND store_id = $2")
            .bind(staff)
            .bind(store)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(c,)| c))
}

/// The store's guides (code, names), for the audience form.
pub async fn store_guides(db: &Db, store: i64) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT code, name_zh, name_en FROM guides WHERE store_id = $1 ORDER BY code",
    )
    .bind(store)
    .fetch_all(&db.pool)
    .await?)
}

/// Whether the store sells the product with this SKU (a send's link must lead somewhere).
pub async fn store_sells(db: &Db, store: i64, sku: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT o.product_id FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.store_id = $1 AND p.sku = $2",
    )
    .bind(store)
    .bind(sku)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.is_some())
}
