//! The bag's repository (server). Each change is one statement, so concurrent adds to one
//! bag neither lose an update nor pass the store's stock: the insert-or-add checks stock in
//! the same statement that writes.

use crate::domain::bag::{Bag, BagLine, BagSummary, DropNotice, MAX_QUANTITY, Quantity, StoreBag};
use crate::domain::lang::Lang;
use crate::domain::money::{Currency, Money};
use crate::domain::product::StockLevel;
use crate::error::AppError;
use crate::ssr::db::retrying;
use crate::ssr::db::{Db, count};
use crate::ssr::session::now;
use crate::ssr::stores::pick;

/// Why an add or a change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The store does not sell it.
    NotSold,
    /// The bag would hold more than the store has: `units` in stock, `in_bag` already.
    Stock { units: u32, in_bag: u32 },
    /// A line holds at most [`MAX_QUANTITY`].
    TooMany,
    /// Setting a quantity of something the bag does not hold.
    NotInBag,
}

impl From<Refusal> for AppError {
    /// A refusal said for people: a conflict with what the store or the bag holds.
    fn from(refusal: Refusal) -> Self {
        use crate::domain::i18n::{Text, bag::BagText};
        match refusal {
            Refusal::NotSold => AppError::conflict(BagText::NotSold),
            Refusal::TooMany => AppError::conflict(BagText::TooMany),
            Refusal::NotInBag => AppError::conflict(BagText::NotInBag),
            Refusal::Stock { units, in_bag } => {
                AppError::conflict(Text::StockRefusal { units, in_bag })
            }
        }
    }
}

/// The store and product a form names (slug and SKU, as typed), with the product's name
/// in `lang`; a 404 for either when unknown.
pub async fn named_item(
    db: &Db,
    store: &str,
    sku: &str,
    lang: Lang,
) -> Result<(Item, String), AppError> {
    use crate::domain::product::Sku;
    use crate::domain::store::StoreSlug;
    use crate::error::Missing;
    let slug = StoreSlug::parse(store).ok_or(AppError::NotFound(Missing::Store))?;
    let sku = Sku::parse(sku).ok_or(AppError::NotFound(Missing::Product))?;
    let item = find_item(db, slug.as_str(), sku.as_str())
        .await?
        .ok_or(AppError::NotFound(Missing::Product))?;
    let name = crate::ssr::stores::product_name(db, item.product_id, lang).await?;
    Ok((item, name))
}

/// The store and product a form names, by slug and SKU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub store_id: i64,
    pub product_id: i64,
}

pub async fn find_item(db: &Db, store: &str, sku: &str) -> Result<Option<Item>, AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, p.id FROM stores s, products p WHERE s.slug = $1 AND p.sku = $2",
    )
    .bind(store)
    .bind(sku)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(store_id, product_id)| Item {
        store_id,
        product_id,
    }))
}

/// Adds `quantity` to the owner's line (made at the store's current price if new).
/// Returns the line's new quantity, or why not.
pub async fn add(
    db: &Db,
    owner: &str,
    item: Item,
    quantity: Quantity,
    seen_in_store: bool,
) -> Result<Result<u32, Refusal>, AppError> {
    retrying(db, || add_once(db, owner, item, quantity, seen_in_store)).await
}

/// One attempt of [`add`], in its own transaction.
async fn add_once(
    db: &Db,
    owner: &str,
    item: Item,
    quantity: Quantity,
    seen_in_store: bool,
) -> Result<Result<u32, Refusal>, AppError> {
    let q = i64::from(quantity.get());
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO bag_lines \
           (owner, store_id, product_id, quantity, added_price_minor, told_price_minor, seen_in_store, added_at) \
         SELECT $1, o.store_id, o.product_id, $2, o.price_minor, o.price_minor, $3, $4 \
           FROM offers o WHERE o.store_id = $5 AND o.product_id = $6 AND o.stock >= $2 \
         ON CONFLICT (owner, store_id, product_id) DO UPDATE \
           SET quantity = bag_lines.quantity + excluded.quantity, \
               seen_in_store = CASE WHEN excluded.seen_in_store = 1 THEN 1 ELSE bag_lines.seen_in_store END \
           WHERE bag_lines.quantity + excluded.quantity <= $7 \
             AND bag_lines.quantity + excluded.quantity <= (SELECT stock FROM offers \
                 WHERE store_id = excluded.store_id AND product_id = excluded.product_id) \
         RETURNING quantity",
    )
    .bind(owner)
    .bind(q)
    .bind(i64::from(seen_in_store))
    .bind(now())
    .bind(item.store_id)
    .bind(item.product_id)
    .bind(i64::from(MAX_QUANTITY))
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some((n,)) => Ok(Ok(count(n, "bag line quantity")?)),
        None => Ok(Err(why_not(db, owner, item, q).await?)),
    }
}

/// Sets a line's quantity (0 removes it). Refused above the store's stock.
pub async fn set_quantity(
    db: &Db,
    owner: &str,
    item: Item,
    quantity: u32,
) -> Result<Result<u32, Refusal>, AppError> {
    retrying(db, || set_quantity_once(db, owner, item, quantity)).await
}

/// One attempt of [`set_quantity`], in its own transaction.
async fn set_quantity_once(
    db: &Db,
    owner: &str,
    item: Item,
    quantity: u32,
) -> Result<Result<u32, Refusal>, AppError> {
    if quantity == 0 {
        remove(db, owner, item).await?;
        return Ok(Ok(0));
    }
    if quantity > MAX_QUANTITY {
        return Ok(Err(Refusal::TooMany));
    }
    let done = sqlx::query(
        "UPDATE bag_lines SET quantity = $1 \
         WHERE owner = $2 AND store_id = $3 AND product_id = $4 \
           AND $1 <= (SELECT stock FROM offers WHERE store_id = $3 AND product_id = $4)",
    )
    .bind(i64::from(quantity))
    .bind(owner)
    .bind(item.store_id)
    .bind(item.product_id)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Ok(quantity));
    }
    // No such line: say so, rather than claim it was removed.
    let line = line_quantity(db, owner, item).await?;
    if line == 0 {
        return Ok(Err(Refusal::NotInBag));
    }
    // Setting (not adding): say what the store has, not what the bag already holds.
    let adding = i64::from(quantity) - i64::from(line);
    Ok(Err(match why_not(db, owner, item, adding).await? {
        Refusal::Stock { units, .. } => Refusal::Stock { units, in_bag: 0 },
        other => other,
    }))
}

pub async fn remove(db: &Db, owner: &str, item: Item) -> Result<(), AppError> {
    retrying(db, || remove_once(db, owner, item)).await
}

/// One attempt of [`remove`], in its own transaction.
async fn remove_once(db: &Db, owner: &str, item: Item) -> Result<(), AppError> {
    sqlx::query("DELETE FROM bag_lines WHERE owner = $1 AND store_id = $2 AND product_id = $3")
        .bind(owner)
        .bind(item.store_id)
        .bind(item.product_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

async fn line_quantity(db: &Db, owner: &str, item: Item) -> Result<u32, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT quantity FROM bag_lines WHERE owner = $1 AND store_id = $2 AND product_id = $3",
    )
    .bind(owner)
    .bind(item.store_id)
    .bind(item.product_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map_or(Ok(0), |(n,)| count(n, "bag line quantity"))
}

async fn why_not(db: &Db, owner: &str, item: Item, adding: i64) -> Result<Refusal, AppError> {
    let stock: Option<(i64,)> =
        sqlx::query_as("SELECT stock FROM offers WHERE store_id = $1 AND product_id = $2")
            .bind(item.store_id)
            .bind(item.product_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some((stock,)) = stock else {
        return Ok(Refusal::NotSold);
    };
    let in_bag = line_quantity(db, owner, item).await?;
    if i64::from(in_bag) + adding > i64::from(MAX_QUANTITY) && stock >= i64::from(MAX_QUANTITY) {
        return Ok(Refusal::TooMany);
    }
    Ok(Refusal::Stock {
        units: count(stock, "stock")?,
        in_bag,
    })
}

/// Moves every line of `from` into `to`: quantities of the same product at the same store
/// are summed (up to the line limit), flags kept, and `from` is left empty.
/// Runs inside the caller's transaction when given one.
pub async fn merge_into(
    conn: &mut sqlx::AnyConnection,
    from: &str,
    to: &str,
) -> Result<u32, AppError> {
    let moved: Option<(i64,)> = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM bag_lines WHERE owner = $1",
    )
    .bind(from)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO bag_lines \
           (owner, store_id, product_id, quantity, added_price_minor, told_price_minor, seen_in_store, added_at) \
         SELECT $1, store_id, product_id, quantity, added_price_minor, told_price_minor, seen_in_store, added_at \
           FROM bag_lines WHERE owner = $2 \
         ON CONFLICT (owner, store_id, product_id) DO UPDATE \
           SET quantity = CASE WHEN bag_lines.quantity + excluded.quantity > $3 THEN $3 \
                               ELSE bag_lines.quantity + excluded.quantity END, \
               seen_in_store = CASE WHEN excluded.seen_in_store = 1 THEN 1 ELSE bag_lines.seen_in_store END",
    )
    .bind(to)
    .bind(from)
    .bind(i64::from(MAX_QUANTITY))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM bag_lines WHERE owner = $1")
        .bind(from)
        .execute(&mut *conn)
        .await?;
    moved.map_or(Ok(0), |(n,)| count(n, "lines moved"))
}

#[derive(Debug, sqlx::FromRow)]
struct LineRow {
    store_slug: String,
    store_zh: String,
    store_en: String,
    sku: String,
    name_zh: String,
    name_en: String,
    unit_zh: String,
    unit_en: String,
    image: String,
    #[sqlx(try_from = "i64")]
    quantity: u32,
    added_price_minor: i64,
    price_minor: i64,
    #[sqlx(try_from = "String")]
    currency: Currency,
    stock: i64,
    seen_in_store: i64,
}

/// The owner's bag, grouped by store in the order stores were first added to.
pub async fn bag(db: &Db, owner: &str, lang: Lang) -> Result<Bag, AppError> {
    let rows = sqlx::query_as::<_, LineRow>(
        "SELECT s.slug AS store_slug, s.name_zh AS store_zh, s.name_en AS store_en, p.sku, \
                p.name_zh, p.name_en, p.unit_zh, p.unit_en, p.image, b.quantity, \
                b.added_price_minor, o.price_minor, o.currency, o.stock, b.seen_in_store \
         FROM bag_lines b \
         JOIN stores s ON s.id = b.store_id \
         JOIN products p ON p.id = b.product_id \
         JOIN offers o ON o.store_id = b.store_id AND o.product_id = b.product_id \
         WHERE b.owner = $1 \
         ORDER BY (SELECT MIN(f.added_at) FROM bag_lines f WHERE f.owner = b.owner AND f.store_id = b.store_id), \
                  s.id, b.added_at, p.sku",
    )
    .bind(owner)
    .fetch_all(&db.pool)
    .await?;
    let mut bag = Bag::default();
    for row in rows {
        let currency = row.currency;
        let money = |minor| Money { minor, currency };
        let line = BagLine {
            sku: row.sku,
            name: pick(lang, &row.name_zh, &row.name_en).to_owned(),
            unit: pick(lang, &row.unit_zh, &row.unit_en).to_owned(),
            image: row.image,
            quantity: row.quantity,
            price: money(row.price_minor),
            added_price: money(row.added_price_minor),
            stock: StockLevel::of(row.stock),
            units: count(row.stock, "stock")?,
            seen_in_store: row.seen_in_store == 1,
        };
        match bag.stores.last_mut() {
            Some(store) if store.store_slug == row.store_slug => store.lines.push(line),
            _ => bag.stores.push(StoreBag {
                store_name: pick(lang, &row.store_zh, &row.store_en).to_owned(),
                store_slug: row.store_slug,
                lines: vec![line],
            }),
        }
    }
    Ok(bag)
}

#[derive(Debug, sqlx::FromRow)]
struct DropRow {
    store_id: i64,
    product_id: i64,
    told_price_minor: i64,
    price_minor: i64,
    #[sqlx(try_from = "String")]
    currency: Currency,
    name_zh: String,
    name_en: String,
    store_zh: String,
    store_en: String,
}

/// How many items the owner's bag holds.
pub async fn summary_count(db: &Db, owner: &str) -> Result<u32, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM bag_lines WHERE owner = $1",
    )
    .bind(owner)
    .fetch_one(&db.pool)
    .await?;
    count(n, "bag count")
}

/// The header's bag count, untold price drops and guide credit for the shopper a
/// request's cookies name (session and guide link): nothing to read for a shopper with
/// neither. Telling a drop marks it told.
pub async fn summary_of_request(
    db: &Db,
    headers: &http::HeaderMap,
    lang: Lang,
) -> Result<BagSummary, AppError> {
    use crate::ssr::guides;
    use crate::ssr::session::{self, Kind};
    let guide_code = guides::attributed_code(headers, session::now());
    let has_session = crate::ssr::cookies::read(headers, Kind::Shopper.cookie()).is_some();
    if guide_code.is_none() && !has_session {
        return Ok(BagSummary::default());
    }
    let mut summary = match header_count(db, headers).await? {
        // Drops to tell (rare): read and claim them, as every page did before.
        Some(HeaderCount {
            owner,
            drops: true,
            unread,
            ..
        }) => BagSummary {
            unread,
            ..summary(db, &owner, lang).await?
        },
        Some(HeaderCount { count, unread, .. }) => BagSummary {
            count,
            unread,
            ..BagSummary::default()
        },
        None => BagSummary::default(),
    };
    if let Some(code) = guide_code {
        summary.guide = guides::guide(db, &code, lang)
            .await?
            .map(|g| (g.name, g.store_name));
    }
    Ok(summary)
}

/// What the header of a shopper with a session needs, read in one query.
struct HeaderCount {
    /// The bag's owner.
    owner: String,
    count: u32,
    /// Whether any line's price has dropped since the shopper was last told (then
    /// [`summary`] reads and claims the drops).
    drops: bool,
    /// A member's unread messages.
    unread: u32,
}

/// For the header of every page a shopper with a session opens, in one query: the bag's
/// owner, its count, whether any price dropped, and a member's unread messages. `None`
/// without a live session.
/// The owner is [`Session::bag_owner`](crate::ssr::session::Session::bag_owner)'s rule, in
/// SQL: the member's bag once signed in, else the session's.
async fn header_count(db: &Db, headers: &http::HeaderMap) -> Result<Option<HeaderCount>, AppError> {
    use crate::ssr::session::{self, Kind};
    let Some(id) = session::token_id(headers, Kind::Shopper) else {
        return Ok(None);
    };
    let row: Option<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT CASE WHEN s.member_id IS NULL THEN s.id ELSE 'm:' || CAST(s.member_id AS TEXT) END, \
                CAST(COALESCE(SUM(b.quantity), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN o.price_minor < b.told_price_minor THEN 1 ELSE 0 END), 0) AS BIGINT), \
                CAST((SELECT COUNT(*) FROM member_messages mm \
                      WHERE mm.member_id = s.member_id AND mm.read_at IS NULL) AS BIGINT) \
         FROM sessions s \
         LEFT JOIN bag_lines b \
           ON b.owner = CASE WHEN s.member_id IS NULL THEN s.id ELSE 'm:' || CAST(s.member_id AS TEXT) END \
         LEFT JOIN offers o ON o.store_id = b.store_id AND o.product_id = b.product_id \
         WHERE s.id = $1 AND s.kind = $2 AND s.expires_at > $3 \
         GROUP BY s.id, s.member_id",
    )
    .bind(&id)
    .bind(Kind::Shopper.as_str())
    .bind(session::now())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(owner, n, drops, unread)| {
        Ok(HeaderCount {
            owner,
            count: count(n, "bag count")?,
            drops: drops > 0,
            unread: count(unread, "unread messages")?,
        })
    })
    .transpose()
}

/// The bag's count, and the price drops not yet told — each told once: the notice is
/// claimed by a conditional update, so two pages loading at once show it only once.
pub async fn summary(db: &Db, owner: &str, lang: Lang) -> Result<BagSummary, AppError> {
    let count = summary_count(db, owner).await?;
    let mut summary = BagSummary {
        count,
        ..BagSummary::default()
    };
    if count == 0 {
        return Ok(summary);
    }
    let drops = sqlx::query_as::<_, DropRow>(
        "SELECT b.store_id, b.product_id, b.told_price_minor, o.price_minor, o.currency, \
                p.name_zh, p.name_en, s.name_zh AS store_zh, s.name_en AS store_en \
         FROM bag_lines b \
         JOIN offers o ON o.store_id = b.store_id AND o.product_id = b.product_id \
         JOIN products p ON p.id = b.product_id JOIN stores s ON s.id = b.store_id \
         WHERE b.owner = $1 AND o.price_minor < b.told_price_minor",
    )
    .bind(owner)
    .fetch_all(&db.pool)
    .await?;
    for d in drops {
        let claimed = sqlx::query(
            "UPDATE bag_lines SET told_price_minor = $1 \
             WHERE owner = $2 AND store_id = $3 AND product_id = $4 AND told_price_minor = $5",
        )
        .bind(d.price_minor)
        .bind(owner)
        .bind(d.store_id)
        .bind(d.product_id)
        .bind(d.told_price_minor)
        .execute(&db.pool)
        .await?;
        if claimed.rows_affected() == 1 {
            let currency = d.currency;
            summary.drops.push(DropNotice {
                name: pick(lang, &d.name_zh, &d.name_en).to_owned(),
                store_name: pick(lang, &d.store_zh, &d.store_en).to_owned(),
                was: Money {
                    minor: d.told_price_minor,
                    currency,
                },
                now: Money {
                    minor: d.price_minor,
                    currency,
                },
            });
        }
    }
    Ok(summary)
}

/// The owner's lines at one store as (product id, quantity), for placing an order.
pub async fn store_lines(db: &Db, owner: &str, store_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT product_id, quantity FROM bag_lines WHERE owner = $1 AND store_id = $2 ORDER BY product_id",
    )
    .bind(owner)
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?)
}
