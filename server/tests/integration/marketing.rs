//! Members who come back, on SQLite and PostgreSQL: coupon campaigns handed out at most
//! their total and per-member limit, a coupon used once (checkout and till racing) and
//! given back once; a store's audiences counted by each filter; a manager's send reaching
//! members' inboxes with a coupon, at most twice a week, never to a member who turned it
//! off; a guide reaching only their own members; and checkout choosing the best coupon.

use crate::harness::{Browser, Fresh, TestApp, set_stock};
use app::domain::audience::{Audience, WEEKLY_LIMIT};
use app::domain::coupon::{Benefit, NewCampaign};
use app::domain::order::Mode;
use app::ssr::audience::{self as audiences, Outreach};
use app::ssr::checkout::{self, OrderRequest, Refusal};
use app::ssr::coupons::{self, IssueRefusal, RedeemRefusal};
use app::ssr::db::{Db, DbKind};
use app::ssr::inbox::{self, Choices, InboxOnly, Sender};
use app::ssr::members;
use app::ssr::session::now;
use app::ssr::settings::SigningKey;
use std::sync::Arc;

const STORE: &str = "sh-jingan-temple";
const OTHER: &str = "sh-xujiahui";
const DAY: i64 = 86_400;

async fn store_id(db: &Db, slug: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1")
        .bind(slug)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    id
}

/// A campaign of `store` (or the brand's): ¥`off` off ¥`min`, `total` coupons, `per`
/// each, good from yesterday for a week.
async fn campaign(
    db: &Db,
    store: i64,
    brand_wide: bool,
    off: i64,
    min: i64,
    total: i64,
    per: i64,
) -> i64 {
    let (staff,): (i64,) = sqlx::query_as("SELECT id FROM staff ORDER BY id LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let c = NewCampaign {
        title: "测试券".into(),
        benefit: Benefit::AmountOff(off),
        min_spend: min,
        from: today,
        to: today,
        total,
        per_member: per,
    };
    coupons::create_campaign(
        db,
        store,
        brand_wide,
        staff,
        &c,
        &[],
        (now() - DAY, now() + 7 * DAY),
    )
    .await
    .unwrap()
}

/// The demo apples at `store` (its product id and price), `stock` of them in stock.
async fn stocked_apples(db: &Db, store: i64, stock: i64) -> (i64, i64) {
    let (product, price): (i64, i64) = sqlx::query_as(
        "SELECT o.product_id, o.price_minor FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.store_id = $1 AND p.sku = 'HC101101'",
    )
    .bind(store)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    set_stock(db, store, product, stock).await;
    (product, price)
}

/// A member's pick-up order of one line, under `key`, with a coupon or none.
fn pickup_order(
    member: i64,
    store: i64,
    line: (i64, i64),
    key: &str,
    coupon: Option<i64>,
) -> OrderRequest {
    OrderRequest {
        owner: format!("m:{member}"),
        store_id: store,
        idempotency_key: key.to_owned(),
        mode: Mode::Pickup,
        window: None,
        pickup_at: Some(2_000_000_000),
        address: None,
        location: None,
        contact_name: "Li".into(),
        phone: "13900000000".into(),
        lines: vec![line],
        guide_code: None,
        member_id: Some(member),
        coupon_id: coupon,
    }
}

async fn members_n(db: &Db, n: usize, first: u64) -> Vec<i64> {
    let mut out = Vec::new();
    for i in 0..n {
        let phone = format!("139{:08}", first + i as u64);
        out.push(members::join(db, &phone, None).await.unwrap().0);
    }
    out
}

every_isolation! {
    /// 40 members each ask 5 times at once for a campaign of 50 coupons, 2 per member:
    /// exactly 50 go out, nobody holds more than 2, and every attempt has one outcome.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_campaign_hands_out_its_total_and_per_member_limit_exactly(fresh: Fresh) {
        let db = fresh.open().await;
        let store = store_id(&db, STORE).await;
        let id = campaign(&db, store, false, 500, 0, 50, 2).await;
        let people = members_n(&db, 40, 1).await;
        let mut tasks = Vec::new();
        for round in 0..5 {
            for &m in &people {
                let db = db.clone();
                tasks.push(tokio::spawn(async move {
                    let _ = round;
                    coupons::issue(&db, id, m).await.unwrap()
                }));
            }
        }
        let (mut ok, mut limit, mut sold_out) = (0, 0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(IssueRefusal::LimitReached) => limit += 1,
                Err(IssueRefusal::SoldOut) => sold_out += 1,
                Err(IssueRefusal::Ended) => panic!("the campaign is running"),
            }
        }
        assert_eq!(ok + limit + sold_out, 200);
        assert_eq!(ok, 50, "{:?}: limit {limit}, sold out {sold_out}", fresh.kind);
        let (issued, held, most): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT issued FROM coupon_campaigns WHERE id = $1), \
                    (SELECT CAST(COUNT(*) AS BIGINT) FROM coupons WHERE campaign_id = $1), \
                    (SELECT CAST(COALESCE(MAX(n), 0) AS BIGINT) FROM \
                       (SELECT COUNT(*) AS n FROM coupons WHERE campaign_id = $1 GROUP BY member_id) t)",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!((issued, held), (50, 50));
        assert!(most <= 2, "a member holds {most}");
        // Sold out now: nobody gets one, and the count stays.
        let late = members_n(&db, 1, 900).await[0];
        assert_eq!(coupons::issue(&db, id, late).await.unwrap(), Err(IssueRefusal::SoldOut));
    }
}

every_isolation! {
    /// One coupon, 20 checkouts and 20 till redemptions at once: exactly one uses it.
    /// Its order cancelled twice at once gives it back once; then it is used again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_coupon_is_used_once_and_given_back_once(fresh: Fresh) {
        let db = fresh.open().await;
        let key = SigningKey::ephemeral();
        let store = store_id(&db, STORE).await;
        let id = campaign(&db, store, false, 300, 1_000, 10, 1).await;
        let member = members_n(&db, 1, 50).await[0];
        let coupon = coupons::issue(&db, id, member).await.unwrap().unwrap();
        let (product, price) = stocked_apples(&db, store, 10000).await;
        let quantity = 1_000 / price + 1;
        let request = move |n: usize| {
            pickup_order(member, store, (product, quantity), &format!("race-coupon-key-{n:04}"), Some(coupon))
        };
        let mut orders = Vec::new();
        let mut tills = Vec::new();
        for n in 0..20 {
            let (db2, key) = (db.clone(), key.clone());
            orders.push(tokio::spawn(async move {
                checkout::place(&db2, &key, &request(n)).await.unwrap()
            }));
            let db = db.clone();
            tills.push(tokio::spawn(async move {
                coupons::redeem_at_till(&db, member, coupon, store).await.unwrap()
            }));
        }
        let mut placed = Vec::new();
        for t in orders {
            match t.await.unwrap() {
                Ok(p) => placed.push(p.id().to_owned()),
                Err(Refusal::CouponGone) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        let mut redeemed = 0;
        for t in tills {
            match t.await.unwrap() {
                Ok(()) => redeemed += 1,
                Err(RedeemRefusal::Gone) => {}
                Err(RedeemRefusal::NotHere) => panic!("good in this store"),
            }
        }
        assert_eq!(placed.len() + redeemed, 1, "{:?}", fresh.kind);
        let used: (Option<i64>,) = sqlx::query_as("SELECT used_at FROM coupons WHERE id = $1")
            .bind(coupon)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(used.0.is_some());
        if let Some(order) = placed.first() {
            let o = checkout::order(&db, order).await.unwrap().unwrap();
            assert_eq!(o.discount_minor, 300);
            assert_eq!(o.total_minor, price * quantity - 300);
            // Two cancels at once: one cancels, the coupon comes back once.
            let owner = format!("m:{member}");
            let (a, b) = tokio::join!(
                checkout::cancel(&db, &owner, order),
                checkout::cancel(&db, &owner, order)
            );
            assert_eq!(u8::from(a.unwrap()) + u8::from(b.unwrap()), 1);
            let back = coupons::member_coupons(&db, member, now()).await.unwrap();
            assert_eq!(back.iter().filter(|c| c.id == coupon).count(), 1);
            // And it works once more.
            assert!(checkout::place(&db, &key, &request(99)).await.unwrap().is_ok());
            assert_eq!(
                checkout::place(&db, &key, &request(98)).await.unwrap(),
                Err(Refusal::CouponGone)
            );
        }
    }
}

both_backends! {
    /// A store's coupon: refused at another store's till and on another store's order,
    /// and below its minimum; a brand coupon works anywhere.
    #[tokio::test]
    async fn a_store_coupon_is_good_only_there(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (here, there) = (store_id(&db, STORE).await, store_id(&db, OTHER).await);
        let mine = campaign(&db, here, false, 500, 0, 10, 1).await;
        let brand = campaign(&db, here, true, 200, 0, 10, 1).await;
        let member = members_n(&db, 1, 70).await[0];
        let local = coupons::issue(&db, mine, member).await.unwrap().unwrap();
        let anywhere = coupons::issue(&db, brand, member).await.unwrap().unwrap();
        assert_eq!(
            coupons::redeem_at_till(&db, member, local, there).await.unwrap(),
            Err(RedeemRefusal::NotHere)
        );
        // Refused, it is still there to use.
        assert!(coupons::member_coupons(&db, member, now()).await.unwrap().iter().any(|c| c.id == local));
        assert_eq!(coupons::redeem_at_till(&db, member, anywhere, there).await.unwrap(), Ok(()));
        assert_eq!(
            coupons::redeem_at_till(&db, member, anywhere, there).await.unwrap(),
            Err(RedeemRefusal::Gone)
        );
        assert_eq!(coupons::redeem_at_till(&db, member, local, here).await.unwrap(), Ok(()));
        // Someone else's coupon is nobody's to redeem.
        let other = members_n(&db, 1, 71).await[0];
        let theirs = coupons::issue(&db, mine, other).await.unwrap().unwrap();
        assert_eq!(
            coupons::redeem_at_till(&db, member, theirs, here).await.unwrap(),
            Err(RedeemRefusal::Gone)
        );
    }
}

/// Members with known histories at the store: each filter counts exactly its own.
async fn audience_fixture(db: &Db, store: i64) -> Vec<i64> {
    let people = members_n(db, 6, 200).await;
    let at = now();
    let (guide,): (String,) =
        sqlx::query_as("SELECT code FROM guides WHERE store_id = $1 ORDER BY code LIMIT 1")
            .bind(store)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    // 0: brought by the guide, new. 1: last order 40 days ago, spent ¥300 (fruit).
    // 2: visited yesterday. 3: bag line 10 days old. 4: 5,000 points. 5: nothing here.
    /// (member, guide, last order, last visit).
    type Row<'a> = (usize, Option<&'a str>, Option<i64>, Option<i64>);
    let rows: [Row; 5] = [
        (0, Some(guide.as_str()), None, None),
        (1, None, Some(at - 40 * DAY), None),
        (2, None, None, Some(at - DAY)),
        (3, None, None, None),
        (4, None, None, None),
    ];
    for (i, g, order, visit) in rows {
        sqlx::query(
            "INSERT INTO store_members (store_id, member_id, guide_code, since, last_order_at, last_visit_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(store)
        .bind(people[i])
        .bind(g)
        .bind(at - 60 * DAY)
        .bind(order)
        .bind(visit)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let (product, category): (i64, i64) = sqlx::query_as(
        "SELECT p.id, p.category_id FROM products p JOIN offers o ON o.product_id = p.id \
         WHERE o.store_id = $1 ORDER BY p.id LIMIT 1",
    )
    .bind(store)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO orders (id, owner, store_id, mode, status, pickup_at, contact_name, phone, subtotal_minor, \
           delivery_fee_minor, total_minor, currency, idempotency_key, fingerprint, created_at, member_id) \
         VALUES ('CSAUDIENCE0001', $1, $2, 'pickup', 'completed', $3, 'Li', '13900000201', 30000, 0, 30000, 'CNY', \
           'audience-fixture-1', 'x', $3, $4)",
    )
    .bind(format!("m:{}", people[1]))
    .bind(store)
    .bind(at - 40 * DAY)
    .bind(people[1])
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO order_lines (order_id, product_id, quantity, price_minor) VALUES ('CSAUDIENCE0001', $1, 1, 30000)")
        .bind(product)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO bag_lines (owner, store_id, product_id, quantity, added_price_minor, told_price_minor, added_at) \
         VALUES ($1, $2, $3, 1, 100, 100, $4)",
    )
    .bind(format!("m:{}", people[3]))
    .bind(store)
    .bind(product)
    .bind(at - 10 * DAY)
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO points_ledger (member_id, delta, reason, at) VALUES ($1, 5000, 'till', $2)",
    )
    .bind(people[4])
    .bind(at)
    .execute(&db.pool)
    .await
    .unwrap();
    let _ = category;
    people
}

both_backends! {
    #[tokio::test]
    async fn each_audience_filter_counts_its_own_members(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = store_id(&db, STORE).await;
        let before = audiences::count(&db, store, &Audience::default()).await.unwrap();
        let _people = audience_fixture(&db, store).await;
        let (guide,): (String,) = sqlx::query_as("SELECT code FROM guides WHERE store_id = $1 ORDER BY code LIMIT 1")
            .bind(store)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let (category,): (i64,) = sqlx::query_as(
            "SELECT p.category_id FROM products p JOIN offers o ON o.product_id = p.id \
             WHERE o.store_id = $1 ORDER BY p.id LIMIT 1",
        )
        .bind(store)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let count = |a: Audience| {
            let db = db.clone();
            async move { audiences::count(&db, store, &a).await.unwrap() }
        };
        let base = Audience { spend_days: 90, ..Audience::default() };
        assert_eq!(count(base.clone()).await, before + 5, "{kind:?}");
        assert_eq!(count(Audience { guide: Some(guide), ..base.clone() }).await, 1);
        // Away 30 days: the new one (since 60 days), 1 (order 40 days ago), 3 and 4; not 2.
        assert_eq!(count(Audience { away_days: Some(30), ..base.clone() }).await - before, 4);
        assert_eq!(count(Audience { away_days: Some(50), ..base.clone() }).await - before, 3);
        assert_eq!(count(Audience { spend_min: Some(30_000), ..base.clone() }).await, 1);
        assert_eq!(count(Audience { spend_min: Some(30_001), ..base.clone() }).await, 0);
        assert_eq!(count(Audience { spend_min: Some(100), spend_days: 30, ..base.clone() }).await, 0);
        assert_eq!(count(Audience { category: Some(category), ..base.clone() }).await, 1);
        assert_eq!(count(Audience { bag_days: Some(7), ..base.clone() }).await, 1);
        assert_eq!(count(Audience { bag_days: Some(11), ..base.clone() }).await, 0);
        assert_eq!(count(Audience { points_min: Some(5_000), ..base.clone() }).await, 1);
        // Another store has none of them.
        let there = store_id(&db, OTHER).await;
        assert_eq!(
            audiences::count(&db, there, &Audience { points_min: Some(5_000), ..base }).await.unwrap(),
            0
        );
    }
}

both_backends! {
    /// Sends at once to one audience: each member gets at most the weekly limit from the
    /// store, never anything once they turned store messages off, and each sent coupon is
    /// theirs, within the campaign's total.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sends_respect_the_weekly_limit_and_choices(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let store = store_id(&db, STORE).await;
        let people = audience_fixture(&db, store).await;
        inbox::set_choices(&db, people[2], Choices { store: false, ..Choices::default() }).await.unwrap();
        let id = campaign(&db, store, false, 500, 0, 1_000, 5).await;
        let (staff,): (i64,) = sqlx::query_as("SELECT id FROM staff ORDER BY id LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let all = Arc::new(Audience { spend_days: 90, ..Audience::default() });
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let (db, all) = (db.clone(), all.clone());
            tasks.push(tokio::spawn(async move {
                audiences::send(&db, &InboxOnly, &Outreach {
                    store,
                    staff,
                    sender: Sender::Store,
                    guide_code: None,
                    audience: &all,
                    body: "周末来店里看看",
                    campaign: Some(id),
                    link: None,
                })
                .await
                .unwrap()
            }));
        }
        let mut reached = 0;
        for t in tasks {
            reached += t.await.unwrap().reached;
        }
        let chosen = audiences::count(&db, store, &all).await.unwrap();
        // Everyone but the one who turned it off, at most WEEKLY_LIMIT times.
        assert_eq!(reached, (chosen - 1) * WEEKLY_LIMIT, "{kind:?}");
        for (i, m) in people.iter().enumerate().take(5) {
            let got = inbox::messages(&db, *m, 50).await.unwrap();
            let expected = if i == 2 { 0 } else { WEEKLY_LIMIT as usize };
            assert_eq!(got.len(), expected, "member {i}");
            assert!(got.iter().all(|g| g.coupon_id.is_some() && g.body == "周末来店里看看"));
            assert_eq!(inbox::unread(&db, *m).await.unwrap(), expected as i64);
        }
        let (issued, held): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT issued FROM coupon_campaigns WHERE id = $1), \
                    (SELECT CAST(COUNT(*) AS BIGINT) FROM coupons WHERE campaign_id = $1)",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!((issued, held), (reached, reached));
        // The member who has no store messages stays without them; read marks them read.
        assert_eq!(inbox::mark_all_read(&db, people[0]).await.unwrap(), WEEKLY_LIMIT as u64);
        assert_eq!(inbox::unread(&db, people[0]).await.unwrap(), 0);
    }
}

/// The second pick-up time a checkout page offers (the first may be about to pass).
fn second_pickup_time(page: &str) -> String {
    page.split("name=\"pickup_at\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(2))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

/// The first radio's value after `id="coupon-0"` (the checked best coupon) in a page.
fn checked_coupon(page: &str) -> Option<String> {
    let at = page.find("id=\"coupon-0\"")?;
    let input_start = page[..at].rfind("<input")?;
    let input = &page[input_start..at + page[at..].find('>')?];
    input.contains("checked").then(|| {
        input
            .split("value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or_default()
            .to_owned()
    })
}

both_backends! {
    /// The journey over HTTP without JavaScript: the manager makes a campaign (bad input
    /// refused beside its field, nothing made), counts an audience, sends it a message
    /// with the coupon; the member sees it in the header and the inbox, and checkout
    /// chooses the best coupon and takes it off. A guide may not make coupons, and sends
    /// only to the members they brought.
    #[tokio::test]
    async fn a_manager_sends_a_coupon_that_a_member_uses_at_checkout(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let store = app.store_id(STORE).await;
        let manager = app.staff(STORE, 1).await;
        let guide = app.staff(STORE, 3).await;
        let today = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .format("%Y-%m-%d")
            .to_string();
        let form = |title: &'static str, amount: &'static str| {
            vec![
                ("store", STORE.to_owned()),
                ("title", title.to_owned()),
                ("kind", "amount".to_owned()),
                ("amount", amount.to_owned()),
                ("min_spend", "20".to_owned()),
                ("from", today.clone()),
                ("to", today.clone()),
                ("total", "100".to_owned()),
                ("per_member", "1".to_owned()),
            ]
        };
        let post = |b: &Browser, fields: Vec<(&'static str, String)>| {
            let b = b.copy();
            async move {
                let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.post_form_json("/staff/coupons/create", &pairs).await
            }
        };
        // An amount over its minimum: refused beside the amount; nothing made.
        let (status, reply) = post(&manager, form("周末券", "25")).await;
        assert_eq!(status, 400, "{reply}");
        let made = || async {
            let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM coupon_campaigns")
                .fetch_one(&db.pool)
                .await
                .unwrap();
            n
        };
        assert_eq!(made().await, 0);
        // A guide may not make one; nor may a brand-wide one come from a manager.
        assert_eq!(post(&guide, form("周末券", "5")).await.0, 403);
        let mut wide = form("周末券", "5");
        wide.push(("brand_wide", "1".to_owned()));
        assert_eq!(post(&manager, wide).await.0, 403);
        assert_eq!(made().await, 0);
        let (status, reply) = post(&manager, form("周末券", "5")).await;
        assert_eq!(status, 200, "{reply}");
        let (campaign_id,): (i64,) = sqlx::query_as("SELECT id FROM coupon_campaigns")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let page = manager.page(&format!("/staff/{STORE}/coupons")).await;
        assert!(page.contains("周末券") && page.contains("满 ¥20.00 减 ¥5.00"), "{page}");
        // Plain pages for the guide: no coupons page; an audience page of their own.
        assert_eq!(guide.get(&format!("/staff/{STORE}/coupons")).await.0, 403);
        assert_eq!(guide.get(&format!("/staff/{STORE}/audience")).await.0, 200);

        // A member of the store (a pick-up there), with a bag.
        let shopper = app.browser();
        app.sign_in_member(&shopper, "13900000301").await;
        let member: i64 = members::join(&db, "13900000301", None).await.unwrap().0;
        sqlx::query("INSERT INTO store_members (store_id, member_id, since) VALUES ($1, $2, $3)")
            .bind(store)
            .bind(member)
            .bind(now())
            .execute(&db.pool)
            .await
            .unwrap();
        let audience = manager.page(&format!("/staff/{STORE}/audience")).await;
        assert!(audience.contains("audience-count"), "{audience}");
        // The guide's audience is theirs alone: this member is not in it.
        let (status, reply) = guide
            .post_form_json("/staff/audience/send", &[
                ("store", STORE),
                ("audience", ""),
                ("body", "hi"),
            ])
            .await;
        assert_eq!(status, 409, "nobody brought by this guide: {reply}");
        assert_eq!(inbox::messages(&db, member, 10).await.unwrap().len(), 0);
        // Bad input beside its field, nothing sent.
        let campaign_field = campaign_id.to_string();
        let (status, _) = manager
            .post_form_json("/staff/audience/send", &[
                ("store", STORE),
                ("audience", ""),
                ("body", " "),
                ("campaign", &campaign_field),
            ])
            .await;
        assert_eq!(status, 400);
        let (status, _) = manager
            .post_form_json("/staff/audience/send", &[
                ("store", STORE),
                ("audience", ""),
                ("body", "新品到店"),
                ("sku", "NOPE-1"),
            ])
            .await;
        assert_eq!(status, 400);
        assert_eq!(inbox::messages(&db, member, 10).await.unwrap().len(), 0);
        let (status, reply) = manager
            .post_form_json("/staff/audience/send", &[
                ("store", STORE),
                ("audience", ""),
                ("body", "新品到店，送你一张券"),
                ("campaign", &campaign_field),
                ("sku", "hc101101"),
            ])
            .await;
        assert_eq!(status, 200, "{reply}");

        // The member: an unread count in the header, the message with its coupon.
        let home = shopper.page("/").await;
        assert!(home.contains("class=\"unread-count\">1<"), "unread in the header");
        let inbox_page = shopper.page("/member/inbox").await;
        assert!(inbox_page.contains("新品到店，送你一张券"));
        assert!(inbox_page.contains("满 ¥20.00 减 ¥5.00"));
        assert!(inbox_page.contains(&format!("/s/{STORE}/p/HC101101")));
        let home = shopper.page("/").await;
        assert!(!home.contains("unread-count"), "read once opened");

        // Checkout: a bag of ¥20 to ¥59; the best coupon (this ¥5 one: the welcome ¥10
        // needs ¥59) is chosen, and comes off.
        sqlx::query(
            "UPDATE offers SET price_minor = 1000, list_price_minor = 1000, stock = 100 \
             WHERE store_id = $1 AND product_id = (SELECT id FROM products WHERE sku = 'HC101101')",
        )
        .bind(store)
        .execute(&db.pool)
        .await
        .unwrap();
        let subtotal = 3_000;
        shopper
            .post_form("/bag/add", &[("store", STORE), ("sku", "HC101101"), ("quantity", "3"), ("back", "/")])
            .await;
        let page = shopper.page(&format!("/checkout/{STORE}")).await;
        let (coupon,): (i64,) = sqlx::query_as("SELECT id FROM coupons WHERE campaign_id = $1 AND member_id = $2")
            .bind(campaign_id)
            .bind(member)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(checked_coupon(&page), Some(coupon.to_string()), "the best is chosen");
        assert!(page.contains("还差 ¥29.00 可用"), "the welcome coupon says what it needs");
        let pickup_at = second_pickup_time(&page);
        let coupon_field = coupon.to_string();
        let (status, body) = shopper
            .post_form_json("/checkout/place", &[
                ("store", STORE),
                ("key", "marketing-journey-key-1"),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", "王小明"),
                ("phone", "139 0000 0301"),
                ("coupon", &coupon_field),
            ])
            .await;
        assert_eq!(status, 200, "{body}");
        let order = checkout::order(&db, body["order"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(order.discount_minor, 500);
        assert_eq!(order.total_minor, subtotal - 500);
        // The campaign page counts it used.
        let page = manager.page(&format!("/staff/{STORE}/coupons")).await;
        assert!(page.contains("<td>1 / 100</td><td>1</td>"), "issued 1, used 1");
        app.stop().await;
    }
}

both_backends! {
    /// Shelf labels: the print page carries each chosen product's name, this store's price
    /// and a QR code of its label link; the link counts each scan once (50 at once: 50)
    /// and opens the product at that store, which says the shopper is in the store. Only
    /// whoever manages the store's prices prints them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn shelf_labels_print_and_count_their_scans(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let manager = app.staff(STORE, 1).await;
        let guide = app.staff(STORE, 3).await;
        assert_eq!(guide.get(&format!("/staff/{STORE}/labels")).await.0, 403);
        assert_eq!(guide.get(&format!("/staff/{STORE}/labels/print?sku=HC101101")).await.0, 403);
        let page = manager.page(&format!("/staff/{STORE}/labels")).await;
        assert!(page.contains("value=\"HC101101\""), "the store's products to choose");
        let sheet = manager
            .page(&format!("/staff/{STORE}/labels/print?sku=HC101101&sku=hc101103&sku=NOPE-9"))
            .await;
        let labels = sheet.matches("class=\"shelf-label\"").count();
        assert_eq!(labels, 2, "the two the store sells, none for an unknown SKU");
        let link = app.url(&format!("/l/{STORE}/HC101101"));
        assert!(sheet.contains(&format!("data-link=\"{link}\"")), "{sheet}");
        assert!(sheet.contains("<svg role=\"img\""));
        let (price,): (i64,) = sqlx::query_as(
            "SELECT o.price_minor FROM offers o JOIN stores s ON s.id = o.store_id \
             JOIN products p ON p.id = o.product_id WHERE s.slug = $1 AND p.sku = 'HC101101'",
        )
        .bind(STORE)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
        assert!(sheet.contains(&app::domain::money::Money::cny(price).to_string()));

        // Fifty scans at once: fifty counted, each sent to the product in this store.
        let mut scans = Vec::new();
        for _ in 0..50 {
            let shopper = app.browser();
            scans.push(tokio::spawn(async move {
                let r = shopper
                    .http
                    .get(shopper.url(&format!("/l/{STORE}/HC101101")))
                    .send()
                    .await
                    .unwrap();
                (
                    r.status().as_u16(),
                    r.headers()["location"].to_str().unwrap().to_owned(),
                )
            }));
        }
        for s in scans {
            let (status, location) = s.await.unwrap();
            assert_eq!(status, 303);
            assert_eq!(location, format!("/s/{STORE}/p/HC101101?shelf=1"));
        }
        let (n,): (i64,) = sqlx::query_as("SELECT scans FROM label_scans")
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
        assert_eq!(n, 50, "{kind:?}");
        // A product the store doesn't have: nothing counted.
        let r = app.browser().http.get(app.url(&format!("/l/{STORE}/NOPE-9"))).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 303);
        let (rows,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM label_scans")
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
        assert_eq!(rows, 1);
        let product = app.browser().page(&format!("/s/{STORE}/p/HC101101?shelf=1")).await;
        assert!(product.contains("notice-shelf") && product.contains("就在店里的货架上"));
        let plain = app.browser().page(&format!("/s/{STORE}/p/HC101101")).await;
        assert!(!plain.contains("就在店里的货架上"));
        let page = manager.page(&format!("/staff/{STORE}/labels")).await;
        assert!(page.contains("<td class=\"label-scans\">50</td>"));
        app.stop().await;
    }
}

both_backends! {
    /// A member sees and downloads what the brand holds, and deletes their account:
    /// refused without the right four digits (nothing deleted); then their personal data
    /// is gone, their order stays without it, they are signed out, and the number can
    /// join again as a new member. Another member is untouched.
    #[tokio::test]
    async fn a_member_exports_their_data_and_deletes_their_account(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let phone = "13900000555";
        let shopper = app.browser();
        app.sign_in_member(&shopper, phone).await;
        let other = app.browser();
        app.sign_in_member(&other, "13900000556").await;
        let (member,): (i64,) = sqlx::query_as("SELECT id FROM members WHERE phone = $1")
            .bind(phone)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        shopper
            .post_form("/bag/add", &[("store", STORE), ("sku", "HC101101"), ("quantity", "1"), ("back", "/")])
            .await;
        let page = shopper.page(&format!("/checkout/{STORE}")).await;
        let pickup_at = second_pickup_time(&page);
        let (status, body) = shopper
            .post_form_json("/checkout/place", &[
                ("store", STORE),
                ("key", "privacy-order-key-0001"),
                ("mode", "pickup"),
                ("pickup_at", &pickup_at),
                ("name", "隐私测试"),
                ("phone", phone),
                ("coupon", "none"),
            ])
            .await;
        assert_eq!(status, 200, "{body}");
        let order = body["order"].as_str().unwrap().to_owned();
        shopper
            .post_form("/bag/add", &[("store", STORE), ("sku", "HC101103"), ("quantity", "2"), ("back", "/")])
            .await;

        let data = shopper.page("/member/data").await;
        assert!(data.contains("139****0555"), "masked");
        let r = shopper.http.get(shopper.url("/member/data.json")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let json: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(json["member"]["phone"], phone);
        assert_eq!(json["orders"][0]["id"], order.as_str());
        assert_eq!(json["orders"][0]["contact_name"], "隐私测试");
        assert_eq!(json["coupons"].as_array().unwrap().len(), 1, "the welcome coupon");
        assert_eq!(json["points"][0]["delta"], members::WELCOME_POINTS);
        assert_eq!(json["bag"][0]["sku"], "HC101103");
        // Signed out, nobody's data is there to take.
        let r = app.browser().http.get(app.url("/member/data.json")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 303);

        // The wrong digits: refused beside the field, nothing deleted.
        let (status, _) = shopper.post_form_json("/member/delete", &[("confirm", "0556")]).await;
        assert_eq!(status, 400);
        assert!(members::member(&db, member).await.unwrap().is_some());
        let (status, reply) = shopper.post_form_json("/member/delete", &[("confirm", "0555")]).await;
        assert_eq!(status, 200, "{reply}");

        assert!(members::member(&db, member).await.unwrap().is_none());
        let (stored, deleted): (String, Option<i64>) =
            sqlx::query_as("SELECT phone, deleted_at FROM members WHERE id = $1")
                .bind(member)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert!(!stored.contains("0555") && deleted.is_some());
        let (name, order_phone, owner_member, total): (String, String, Option<i64>, i64) = sqlx::query_as(
            "SELECT contact_name, phone, member_id, total_minor FROM orders WHERE id = $1",
        )
        .bind(&order)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!((name.as_str(), order_phone.as_str(), owner_member), ("", "", None));
        assert!(total > 0, "the order itself stays");
        for (table, sql) in [
            ("coupons", "SELECT CAST(COUNT(*) AS BIGINT) FROM coupons WHERE member_id = $1"),
            ("points", "SELECT CAST(COUNT(*) AS BIGINT) FROM points_ledger WHERE member_id = $1"),
            ("devices", "SELECT CAST(COUNT(*) AS BIGINT) FROM devices WHERE member_id = $1"),
            ("sessions", "SELECT CAST(COUNT(*) AS BIGINT) FROM sessions WHERE member_id = $1"),
            ("stores", "SELECT CAST(COUNT(*) AS BIGINT) FROM store_members WHERE member_id = $1"),
        ] {
            let (n,): (i64,) = sqlx::query_as(sql).bind(member).fetch_one(&db.pool).await.unwrap();
            assert_eq!(n, 0, "{table}");
        }
        let (bag,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM bag_lines WHERE owner = $1")
            .bind(format!("m:{member}"))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(bag, 0);
        let (codes,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM login_codes WHERE phone = $1")
            .bind(phone)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(codes, 0);
        // Signed out: the member page asks to sign in; the other member is still there.
        assert!(!shopper.page("/member").await.contains("139****0555"));
        assert!(other.page("/member").await.contains("139****0556"));
        // The number joins again as someone new.
        let (again, new) = members::join(&db, phone, None).await.unwrap();
        assert!(new && again != member);
        app.stop().await;
    }
}

both_backends! {
    /// Triggered benefits: rules on joining, the first order, 30 days away, a price drop
    /// and a check-in each grant their reward once per member per period, however many
    /// servers run the job at once; a rule turned off grants nothing; a check-in over HTTP
    /// counts once a day and its benefit is granted at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn triggered_benefits_are_granted_once_per_period(kind: DbKind) {
        use app::domain::benefit::parse_rule;
        use app::ssr::benefits;
        let app = TestApp::start(kind).await;
        let db = app.db();
        let store = app.store_id(STORE).await;
        let (manager,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE phone = $1")
            .bind(app::ssr::staff::demo_phone(store, 1))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let coupon = campaign(&db, store, false, 300, 0, 1_000, 10).await;
        let add = |trigger: &'static str, days: &'static str, points: &'static str, with_coupon: bool| {
            let db = db.clone();
            async move {
                let rule = parse_rule(trigger, days, points, "", with_coupon).unwrap();
                benefits::add_rule(&db, store, manager, &rule, with_coupon.then_some(coupon))
                    .await
                    .unwrap()
            }
        };
        // Rules made a minute ago: what happened since is theirs.
        let join = add("join", "", "10", false).await;
        let first = add("first_order", "", "", true).await;
        let lapsed = add("lapsed", "30", "7", false).await;
        let drop = add("price_drop", "", "3", false).await;
        let check_in = add("check_in", "", "1", false).await;
        sqlx::query("UPDATE benefit_rules SET created_at = created_at - 60")
            .execute(&db.pool)
            .await
            .unwrap();
        let people = members_n(&db, 3, 600).await;
        let at = now();
        // 0 joins the store now; 1 joined 40 days ago and was not seen since; 2 ordered.
        for (m, since) in [(people[0], at), (people[1], at - 40 * DAY)] {
            sqlx::query("INSERT INTO store_members (store_id, member_id, since) VALUES ($1, $2, $3)")
                .bind(store)
                .bind(m)
                .bind(since)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        let (product, price) = stocked_apples(&db, store, 100).await;
        let order = pickup_order(people[2], store, (product, 1), "benefit-first-order-1", None);
        let placed = checkout::place(&db, &SigningKey::ephemeral(), &order).await.unwrap();
        assert!(placed.is_ok());
        // Member 0's bag line, then its price lowered.
        sqlx::query(
            "INSERT INTO bag_lines (owner, store_id, product_id, quantity, added_price_minor, told_price_minor, added_at) \
             VALUES ($1, $2, $3, 1, $4, $4, $5)",
        )
        .bind(format!("m:{}", people[0]))
        .bind(store)
        .bind(product)
        .bind(price)
        .bind(at)
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE offers SET price_minor = price_minor - 10 WHERE store_id = $1 AND product_id = $2")
            .bind(store)
            .bind(product)
            .execute(&db.pool)
            .await
            .unwrap();

        // Three "servers" run the job at once, twice.
        let granted = |round: i64| {
            let db = db.clone();
            async move {
                let mut jobs = Vec::new();
                for _ in 0..3 {
                    let db = db.clone();
                    jobs.push(tokio::spawn(async move { benefits::run(&db, None, at + round).await.unwrap() }));
                }
                let mut n = 0;
                for j in jobs {
                    n += j.await.unwrap();
                }
                n
            }
        };
        let first_round = granted(0).await;
        assert_eq!(granted(1).await, 0, "nothing twice");
        let count = |rule: i64| {
            let db = db.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM benefit_grants WHERE rule_id = $1")
                    .bind(rule)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
                n
            }
        };
        // Join: members 0 (now) and 2 (their order made them the store's); not 1 (before).
        assert_eq!(count(join).await, 2, "{kind:?}");
        assert_eq!(count(first).await, 1);
        assert_eq!(count(lapsed).await, 1);
        assert_eq!(count(drop).await, 1);
        assert_eq!(count(check_in).await, 0);
        assert_eq!(first_round, 5);
        let points = |m: i64| {
            let db = db.clone();
            async move { members::member(&db, m).await.unwrap().unwrap().points - members::WELCOME_POINTS }
        };
        assert_eq!(points(people[0]).await, 10 + 3);
        assert_eq!(points(people[1]).await, 7);
        assert_eq!(points(people[2]).await, 10);
        let (coupons_given,): (i64,) = sqlx::query_as("SELECT issued FROM coupon_campaigns WHERE id = $1")
            .bind(coupon)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(coupons_given, 1, "the first order's coupon");
        assert_eq!(inbox::messages(&db, people[2], 10).await.unwrap().len(), 1);
        // A second drop is a new period; a rule turned off grants nothing.
        sqlx::query("UPDATE offers SET price_minor = price_minor - 10 WHERE store_id = $1 AND product_id = $2")
            .bind(store)
            .bind(product)
            .execute(&db.pool)
            .await
            .unwrap();
        assert!(benefits::set_enabled(&db, store, manager, lapsed, false).await.unwrap());
        sqlx::query("UPDATE store_members SET last_visit_at = $1 WHERE member_id = $2")
            .bind(at - 35 * DAY)
            .bind(people[1])
            .execute(&db.pool)
            .await
            .unwrap();
        assert_eq!(granted(2).await, 1, "the second drop only");

        // A check-in over HTTP: once a day, its benefit at once.
        let shopper = app.browser();
        app.sign_in_member(&shopper, "13900000699").await;
        let (status, page) = shopper.get(&format!("/checkin/{STORE}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("action=\"/checkin\""), "a member's check-in button");
        let (status, reply) = shopper.post_form_json("/checkin", &[("store", STORE)]).await;
        assert_eq!(status, 200, "{reply}");
        let (status, reply) = shopper.post_form_json("/checkin", &[("store", STORE)]).await;
        assert_eq!(status, 200);
        assert!(reply["message"].as_str().unwrap().contains("已经签到"));
        assert_eq!(count(check_in).await, 1);
        // Staff pages: the manager's; not a guide's.
        let guide = app.staff(STORE, 3).await;
        assert_eq!(guide.get(&format!("/staff/{STORE}/benefits")).await.0, 403);
        let page = app.staff(STORE, 1).await.page(&format!("/staff/{STORE}/benefits")).await;
        assert!(page.contains(&format!("{}/checkin/{STORE}", app.url("").trim_end_matches('/'))));
        app.stop().await;
    }
}
