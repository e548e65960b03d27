//! The member inbox (server): messages from the brand, a store or the member's guide —
//! each with an optional coupon and link — written in the sending transaction, read and
//! marked read by the member; what each member chose to receive; and the seam through
//! which another channel (SMS, WeChat) can also carry a message, as `CodeSender` does for
//! sign-in codes. The inbox is the channel that works today.

use crate::domain::i18n::Named;
use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::db::{Db, retrying};
use crate::ssr::members::Sending;
use crate::ssr::session::now;
use std::fmt::Debug;

/// Who a message is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    Brand,
    Store,
    Guide,
}

impl Sender {
    pub fn as_str(self) -> &'static str {
        match self {
            Sender::Brand => "brand",
            Sender::Store => "store",
            Sender::Guide => "guide",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Sender::Brand, Sender::Store, Sender::Guide]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The preference column that says whether a member receives this sender's messages.
    fn preference(self) -> &'static str {
        match self {
            Sender::Brand => "from_brand",
            Sender::Store => "from_store",
            Sender::Guide => "from_guide",
        }
    }
}

/// A message on its way to a member.
#[derive(Clone, Debug)]
pub struct Outgoing<'a> {
    pub member: i64,
    pub sender: Sender,
    pub store: Option<i64>,
    pub guide_code: Option<&'a str>,
    pub body: &'a str,
    pub coupon: Option<i64>,
    /// A path on this site (a product or a store).
    pub link: Option<&'a str>,
}

/// Another way a message reaches a member besides the inbox (a real deployment plugs its
/// SMS or WeChat template channel in here). Called after the inbox row is committed.
pub trait MessageChannel: Debug + Send + Sync {
    fn send<'a>(&'a self, db: &'a Db, member: i64, text: &'a str) -> Sending<'a>;
}

/// The inbox alone: nothing more to send.
#[derive(Debug)]
pub struct InboxOnly;

impl MessageChannel for InboxOnly {
    fn send<'a>(&'a self, _: &'a Db, _: i64, _: &'a str) -> Sending<'a> {
        Box::pin(async { Ok(()) })
    }
}

/// Whether `member` receives messages from `sender` (no choice made: yes).
pub async fn receives(tx: &mut Tx, member: i64, sender: Sender) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT {} FROM member_preferences WHERE member_id = $1",
        sender.preference()
    ))
    .bind(member)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_none_or(|(yes,)| yes == 1))
}

/// Puts a message in a member's inbox, in `tx`. Returns its id.
pub async fn deliver(tx: &mut Tx, message: &Outgoing<'_>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO member_messages (member_id, sender, store_id, guide_code, body, coupon_id, link, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(message.member)
    .bind(message.sender.as_str())
    .bind(message.store)
    .bind(message.guide_code)
    .bind(message.body)
    .bind(message.coupon)
    .bind(message.link)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// A message as the inbox lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub sender: String,
    pub body: String,
    pub coupon_id: Option<i64>,
    pub link: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub store_zh: Option<String>,
    pub store_en: Option<String>,
    pub guide_zh: Option<String>,
    pub guide_en: Option<String>,
}

impl MessageRow {
    /// Who sent it, by name: the store's or the guide's; `None` for the brand.
    pub fn from_name(&self) -> Option<Named> {
        match (
            &self.guide_zh,
            &self.guide_en,
            &self.store_zh,
            &self.store_en,
        ) {
            (Some(zh), Some(en), _, _) => Some(Named::new(zh.clone(), en.clone())),
            (_, _, Some(zh), Some(en)) => Some(Named::new(zh.clone(), en.clone())),
            _ => None,
        }
    }
}

/// A member's latest messages, newest first.
pub async fn messages(db: &Db, member: i64, limit: i64) -> Result<Vec<MessageRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.sender, m.body, m.coupon_id, m.link, m.created_at, m.read_at, \
           s.name_zh AS store_zh, s.name_en AS store_en, g.name_zh AS guide_zh, g.name_en AS guide_en \
         FROM member_messages m LEFT JOIN stores s ON s.id = m.store_id \
           LEFT JOIN guides g ON g.code = m.guide_code \
         WHERE m.member_id = $1 ORDER BY m.id DESC LIMIT $2",
    )
    .bind(member)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// A member's unread messages.
pub async fn unread(db: &Db, member: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM member_messages WHERE member_id = $1 AND read_at IS NULL",
    )
    .bind(member)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}

/// Marks every message of a member read. Returns how many were unread.
pub async fn mark_all_read(db: &Db, member: i64) -> Result<u64, AppError> {
    retrying(db, || async {
        let done = sqlx::query(
            "UPDATE member_messages SET read_at = $1 WHERE member_id = $2 AND read_at IS NULL",
        )
        .bind(now())
        .bind(member)
        .execute(&db.pool)
        .await?;
        Ok(done.rows_affected())
    })
    .await
}

/// What a member receives: from the brand, stores, their guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choices {
    pub brand: bool,
    pub store: bool,
    pub guide: bool,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            brand: true,
            store: true,
            guide: true,
        }
    }
}

pub async fn choices(db: &Db, member: i64) -> Result<Choices, AppError> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT from_brand, from_store, from_guide FROM member_preferences WHERE member_id = $1",
    )
    .bind(member)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map_or_else(Choices::default, |(b, s, g)| Choices {
        brand: b == 1,
        store: s == 1,
        guide: g == 1,
    }))
}

pub async fn set_choices(db: &Db, member: i64, c: Choices) -> Result<(), AppError> {
    retrying(db, || async {
        sqlx::query(
            "INSERT INTO member_preferences (member_id, from_brand, from_store, from_guide, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id) DO UPDATE SET \
             from_brand = $2, from_store = $3, from_guide = $4, updated_at = $5",
        )
        .bind(member)
        .bind(i64::from(c.brand))
        .bind(i64::from(c.store))
        .bind(i64::from(c.guide))
        .bind(now())
        .execute(&db.pool)
        .await?;
        Ok(())
    })
    .await
}
