//! A member's own data (server), as China's personal information law expects: everything
//! the brand holds about them, to see and to download (JSON), and deleting the account —
//! personal data removed in one transaction, orders kept without it.

use crate::error::AppError;
use crate::ssr::db::{Db, retrying};
use crate::ssr::session::now;
use serde_json::{Value, json};

/// What the member page's data section counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub phone: String,
    pub joined_at: i64,
    pub guide_code: Option<String>,
    pub orders: i64,
    pub messages: i64,
    pub stores: i64,
    pub devices: i64,
}

async fn count(db: &Db, sql: &str, member: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(sql).bind(member).fetch_one(&db.pool).await?;
    Ok(n)
}

pub async fn summary(db: &Db, member: i64) -> Result<Option<Summary>, AppError> {
    let row: Option<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT phone, joined_at, guide_code FROM members WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(member)
    .fetch_optional(&db.pool)
    .await?;
    let Some((phone, joined_at, guide_code)) = row else {
        return Ok(None);
    };
    Ok(Some(Summary {
        phone,
        joined_at,
        guide_code,
        orders: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM orders WHERE member_id = $1",
            member,
        )
        .await?,
        messages: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM member_messages WHERE member_id = $1",
            member,
        )
        .await?,
        stores: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM store_members WHERE member_id = $1",
            member,
        )
        .await?,
        devices: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM devices WHERE member_id = $1",
            member,
        )
        .await?,
    }))
}

/// Rows of a query as JSON objects, by column name (integers, text and nulls: what these
/// tables hold).
async fn rows(db: &Db, sql: &str, member: i64) -> Result<Vec<Value>, AppError> {
    use sqlx::{Column, Row, TypeInfo, ValueRef};
    let found = sqlx::query(sql).bind(member).fetch_all(&db.pool).await?;
    Ok(found
        .iter()
        .map(|row| {
            let mut object = serde_json::Map::new();
            for (i, column) in row.columns().iter().enumerate() {
                let value = match row.try_get_raw(i) {
                    Ok(raw) if raw.is_null() => Value::Null,
                    Ok(raw) => {
                        let kind = raw.type_info().name().to_ascii_uppercase();
                        if kind.contains("INT") {
                            row.try_get::<i64, _>(i).map_or(Value::Null, Value::from)
                        } else if kind.contains("REAL")
                            || kind.contains("FLOAT")
                            || kind.contains("DOUBLE")
                        {
                            row.try_get::<f64, _>(i).map_or(Value::Null, Value::from)
                        } else {
                            row.try_get::<String, _>(i).map_or(Value::Null, Value::from)
                        }
                    }
                    Err(_) => Value::Null,
                };
                object.insert(column.name().to_owned(), value);
            }
            Value::Object(object)
        })
        .collect())
}

/// Everything held about a member, as one JSON document; `None` for no such member.
pub async fn export(db: &Db, member: i64) -> Result<Option<Value>, AppError> {
    let Some(s) = summary(db, member).await? else {
        return Ok(None);
    };
    let owner = format!("m:{member}");
    let bag: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.slug, p.sku, b.quantity, b.added_at FROM bag_lines b \
         JOIN stores s ON s.id = b.store_id JOIN products p ON p.id = b.product_id WHERE b.owner = $1",
    )
    .bind(&owner)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(json!({
        "member": {
            "phone": s.phone,
            "joined_at": s.joined_at,
            "guide_code": s.guide_code,
        },
        "points": rows(db, "SELECT delta, reason, store_id, at FROM points_ledger WHERE member_id = $1 ORDER BY id", member).await?,
        "coupons": rows(db, "SELECT id, kind, value_minor, percent_off, min_spend_minor, starts_at, expires_at, used_at \
            FROM coupons WHERE member_id = $1 ORDER BY id", member).await?,
        "orders": rows(db, "SELECT id, store_id, mode, status, created_at, contact_name, phone, address, \
            subtotal_minor, delivery_fee_minor, discount_minor, total_minor FROM orders WHERE member_id = $1 ORDER BY created_at", member).await?,
        "messages": rows(db, "SELECT sender, store_id, body, link, created_at, read_at FROM member_messages \
            WHERE member_id = $1 ORDER BY id", member).await?,
        "choices": rows(db, "SELECT from_brand, from_store, from_guide, updated_at FROM member_preferences WHERE member_id = $1", member).await?,
        "stores": rows(db, "SELECT store_id, guide_code, since, last_order_at, last_visit_at FROM store_members \
            WHERE member_id = $1", member).await?,
        "bookings": rows(db, "SELECT id, store_id, service_id, starts_at, status, created_at FROM bookings \
            WHERE member_id = $1 ORDER BY starts_at", member).await?,
        "check_ins": rows(db, "SELECT store_id, at FROM store_checkins WHERE member_id = $1 ORDER BY at", member).await?,
        "devices": rows(db, "SELECT id, created_at, revoked_at FROM devices WHERE member_id = $1 ORDER BY created_at", member).await?,
        "bag": bag.into_iter().map(|(store, sku, quantity, added_at)| json!({
            "store": store, "sku": sku, "quantity": quantity, "added_at": added_at,
        })).collect::<Vec<_>>(),
        "exported_at": now(),
    })))
}

/// Deletes a member's account: their sessions, devices, bag, messages, choices, store
/// memberships, check-ins, points and unused coupons go, their live bookings are
/// cancelled (places freed); their orders stay without name, phone or
/// address; the member row stays as a placeholder (used coupons and orders point at it)
/// with no phone. One transaction. Returns false when there was no such member left.
pub async fn delete(db: &Db, member: i64) -> Result<bool, AppError> {
    retrying(db, || async {
        let at = now();
        let mut tx = db.pool.begin().await?;
        // The write first (on SQLite the transaction holds the write lock from here):
        // only one of two deletes at once finds the member still there.
        let marked = sqlx::query(
            "UPDATE members SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
        )
        .bind(at)
        .bind(member)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() != 1 {
            return Ok(false);
        }
        let (phone,): (String,) = sqlx::query_as("SELECT phone FROM members WHERE id = $1")
            .bind(member)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("UPDATE members SET phone = $1, guide_code = NULL WHERE id = $2")
            .bind(format!("deleted:{member}"))
            .bind(member)
            .execute(&mut *tx)
            .await?;
        let owner = format!("m:{member}");
        let by_member = [
            "DELETE FROM devices WHERE member_id = $1",
            "DELETE FROM member_messages WHERE member_id = $1",
            "DELETE FROM member_preferences WHERE member_id = $1",
            "DELETE FROM member_contacts WHERE member_id = $1",
            "DELETE FROM store_members WHERE member_id = $1",
            "DELETE FROM points_ledger WHERE member_id = $1",
            "DELETE FROM benefit_grants WHERE member_id = $1",
            // Live bookings give their places back and are cancelled; past ones stay
            // (a service's record), tied to nobody who can be named.
            "UPDATE service_slots SET booked = booked - 1 WHERE (service_id, starts_at) IN \
               (SELECT service_id, starts_at FROM bookings WHERE member_id = $1 AND status = 'booked')",
            "UPDATE bookings SET status = 'cancelled' WHERE member_id = $1 AND status = 'booked'",
            "DELETE FROM store_checkins WHERE member_id = $1",
            // Unused coupons go; a used one stays with its order (it holds nothing personal).
            "DELETE FROM coupons WHERE member_id = $1 AND used_at IS NULL \
               AND id NOT IN (SELECT coupon_id FROM orders WHERE coupon_id IS NOT NULL)",
            "UPDATE orders SET contact_name = '', phone = '', address = NULL, lat = NULL, lon = NULL, \
               member_id = NULL WHERE member_id = $1",
        ];
        for sql in by_member {
            sqlx::query(sql).bind(member).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM sessions WHERE member_id = $1")
            .bind(member)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM bag_lines WHERE owner = $1")
            .bind(&owner)
            .execute(&mut *tx)
            .await?;
        for sql in [
            "DELETE FROM login_codes WHERE phone = $1",
            "DELETE FROM demo_inbox WHERE phone = $1",
        ] {
            sqlx::query(sql).bind(&phone).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    })
    .await
}
