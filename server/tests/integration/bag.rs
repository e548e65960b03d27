//! The bag on SQLite and PostgreSQL: adding within stock, merging, price drops told once,
//! concurrent adds, the kiosk hand-off token, and the no-JavaScript form flow over HTTP.

use crate::harness::{Fresh, TestApp, set_cookies, set_stock};
use app::domain::bag::Quantity;
use app::domain::lang::Lang;
use app::ssr::bag::{self, Item, Refusal};
use app::ssr::db::{Db, DbKind};
use app::ssr::handoff;
use app::ssr::session::{self, Kind};
use app::ssr::settings::SigningKey;
use app::ssr::token::{self, Purpose};

const STORE: &str = "sh-jingan-temple";

async fn item(db: &Db, sku: &str) -> Item {
    bag::find_item(db, STORE, sku)
        .await
        .unwrap()
        .expect("demo item")
}

async fn set_price(db: &Db, item: Item, price: i64) {
    sqlx::query(
        "UPDATE offers SET price_minor = $1, list_price_minor = $1 WHERE store_id = $2 AND product_id = $3",
    )
    .bind(price)
    .bind(item.store_id)
    .bind(item.product_id)
    .execute(&db.pool)
    .await
    .unwrap();
}

fn q(n: i64) -> Quantity {
    Quantity::new(n).unwrap()
}

both_backends! {
    #[tokio::test]
    async fn adds_stay_within_stock_and_the_line_limit(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (s, _) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        let apples = item(&db, "HC101101").await;
        set_stock(&db, apples.store_id, apples.product_id, 5).await;
        assert_eq!(
            bag::add(&db, &s.id, apples, q(3), false).await.unwrap(),
            Ok(3)
        );
        assert_eq!(
            bag::add(&db, &s.id, apples, q(2), false).await.unwrap(),
            Ok(5)
        );
        assert_eq!(
            bag::add(&db, &s.id, apples, q(1), false).await.unwrap(),
            Err(Refusal::Stock {
                units: 5,
                in_bag: 5
            }),
            "{:?}",
            fresh.kind
        );
        assert_eq!(
            bag::set_quantity(&db, &s.id, apples, 6).await.unwrap(),
            Err(Refusal::Stock {
                units: 5,
                in_bag: 0
            })
        );
        assert_eq!(
            bag::set_quantity(&db, &s.id, apples, 4).await.unwrap(),
            Ok(4)
        );
        set_stock(&db, apples.store_id, apples.product_id, 500).await;
        assert_eq!(
            bag::add(&db, &s.id, apples, q(99), false).await.unwrap(),
            Err(Refusal::TooMany)
        );
        // A product the store does not carry.
        sqlx::query("DELETE FROM offers WHERE store_id = $1 AND product_id = $2")
            .bind(apples.store_id)
            .bind(item(&db, "HC101103").await.product_id)
            .execute(&db.pool)
            .await
            .unwrap();
        let oranges = item(&db, "HC101103").await;
        assert_eq!(
            bag::add(&db, &s.id, oranges, q(1), false).await.unwrap(),
            Err(Refusal::NotSold)
        );
        assert_eq!(bag::summary_count(&db, &s.id).await.unwrap(), 4);
        bag::set_quantity(&db, &s.id, apples, 0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bag::summary_count(&db, &s.id).await.unwrap(), 0);
    }
}

both_backends! {
    #[tokio::test]
    async fn merging_sums_quantities_and_loses_no_line(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (a, _) = session::create(&db, Kind::Kiosk, None, false)
            .await
            .unwrap();
        let (b, _) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        let (apples, grapes) = (item(&db, "HC101101").await, item(&db, "HC101104").await);
        set_stock(&db, apples.store_id, apples.product_id, 200).await;
        set_stock(&db, grapes.store_id, grapes.product_id, 200).await;
        bag::add(&db, &a.id, apples, q(2), true)
            .await
            .unwrap()
            .unwrap();
        bag::add(&db, &a.id, grapes, q(1), true)
            .await
            .unwrap()
            .unwrap();
        bag::add(&db, &b.id, apples, q(3), false)
            .await
            .unwrap()
            .unwrap();
        let mut conn = db.pool.acquire().await.unwrap();
        assert_eq!(bag::merge_into(&mut conn, &a.id, &b.id).await.unwrap(), 3);
        drop(conn);
        let merged = bag::bag(&db, &b.id, Lang::En).await.unwrap();
        let lines = &merged.stores[0].lines;
        assert_eq!(lines.len(), 2, "{:?}", fresh.kind);
        let apple_line = lines.iter().find(|l| l.sku == "HC101101").unwrap();
        assert_eq!(apple_line.quantity, 5);
        assert!(
            apple_line.seen_in_store,
            "the kiosk's flag survives the merge"
        );
        assert_eq!(bag::summary_count(&db, &a.id).await.unwrap(), 0);
    }
}

both_backends! {
    #[tokio::test]
    async fn a_price_drop_is_shown_on_the_line_and_told_once(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let (s, _) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        let apples = item(&db, "HC101101").await;
        set_price(&db, apples, 1690).await;
        bag::add(&db, &s.id, apples, q(1), false)
            .await
            .unwrap()
            .unwrap();
        assert!(
            bag::summary(&db, &s.id, Lang::En)
                .await
                .unwrap()
                .drops
                .is_empty()
        );
        set_price(&db, apples, 1290).await;
        let line = bag::bag(&db, &s.id, Lang::En).await.unwrap().stores[0].lines[0].clone();
        assert_eq!(line.drop().map(|m| m.minor), Some(400));
        // Ten page views at once: one notice among them.
        let views = (0..10).map(|_| bag::summary(&db, &s.id, Lang::ZhCn));
        let told: usize = futures::future::join_all(views)
            .await
            .into_iter()
            .map(|s| s.unwrap().drops.len())
            .sum();
        assert_eq!(told, 1, "{:?}", fresh.kind);
        assert!(
            bag::summary(&db, &s.id, Lang::En)
                .await
                .unwrap()
                .drops
                .is_empty()
        );
        // A further drop is news again; a rise back is not.
        set_price(&db, apples, 990).await;
        let again = bag::summary(&db, &s.id, Lang::En).await.unwrap().drops;
        assert_eq!(
            (again.len(), again[0].was.minor, again[0].now.minor),
            (1, 1290, 990)
        );
        set_price(&db, apples, 1500).await;
        assert!(
            bag::summary(&db, &s.id, Lang::En)
                .await
                .unwrap()
                .drops
                .is_empty()
        );
    }
}

every_isolation! {
    #[tokio::test]
    async fn a_hundred_concurrent_adds_give_the_right_total(fresh: Fresh) {
        let db = fresh.open().await;
        let (s, _) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        let skus = ["HC101101", "HC101103", "HC101104", "HC101102"];
        let mut items = Vec::new();
        for sku in skus {
            let it = item(&db, sku).await;
            set_stock(&db, it.store_id, it.product_id, 1000).await;
            items.push(it);
        }
        let adds = (0..100).map(|i| {
            let (db, owner, it) = (db.clone(), s.id.clone(), items[i % 4]);
            tokio::spawn(async move { bag::add(&db, &owner, it, q(1), false).await })
        });
        for done in futures::future::join_all(adds).await {
            assert!(done.unwrap().unwrap().is_ok());
        }
        let bag = bag::bag(&db, &s.id, Lang::En).await.unwrap();
        assert_eq!(bag.count(), 100, "{:?}", fresh.kind);
        assert!(bag.stores[0].lines.iter().all(|l| l.quantity == 25));

        // Scarce stock: 100 shoppers' worth of adds to one line, 30 units.
        let (t, _) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        set_stock(&db, items[0].store_id, items[0].product_id, 30).await;
        let adds = (0..100).map(|_| {
            let (db, owner, it) = (db.clone(), t.id.clone(), items[0]);
            tokio::spawn(async move { bag::add(&db, &owner, it, q(1), false).await })
        });
        let accepted = futures::future::join_all(adds)
            .await
            .into_iter()
            .filter(|r| matches!(r, Ok(Ok(Ok(_)))))
            .count();
        assert_eq!(accepted, 30, "{:?}", fresh.kind);
        assert_eq!(bag::summary_count(&db, &t.id).await.unwrap(), 30);
    }
}

every_isolation! {
    #[tokio::test]
    async fn the_hand_off_works_once_and_refuses_expired_or_forged_tokens(fresh: Fresh) {
        let db = fresh.open().await;
        let key = SigningKey::ephemeral();
        let apples = item(&db, "HC101101").await;
        let (kiosk, _) = session::create(&db, Kind::Kiosk, Some(apples.store_id), false)
            .await
            .unwrap();
        let (phone, _) = session::create(&db, Kind::Shopper, None, false)
            .await
            .unwrap();
        bag::add(&db, &kiosk.id, apples, q(2), true)
            .await
            .unwrap()
            .unwrap();

        let now = session::now();
        let expired = token::sign(&key, Purpose::HandOff, now - 1, kiosk.id.as_bytes());
        let forged = handoff::issue(&SigningKey::ephemeral(), &kiosk.id, now);
        for bad in [expired.as_str(), forged.as_str(), "garbage"] {
            assert!(
                handoff::take(&db, &key, bad, &phone.id)
                    .await
                    .is_err()
            );
        }
        assert_eq!(
            bag::summary_count(&db, &kiosk.id).await.unwrap(),
            2,
            "nothing moved"
        );

        let good = handoff::issue(&key, &kiosk.id, now);
        let preview = handoff::preview(&db, &key, &good, Lang::En).await.unwrap();
        assert_eq!(preview.count, 2);
        // Ten phones scan at once: one takes the bag.
        let takes = (0..10).map(|_| {
            let (db, key, good, to) = (db.clone(), key.clone(), good.clone(), phone.id.clone());
            tokio::spawn(async move { handoff::take(&db, &key, &good, &to).await })
        });
        let ok = futures::future::join_all(takes)
            .await
            .into_iter()
            .filter(|r| matches!(r, Ok(Ok(2))))
            .count();
        assert_eq!(ok, 1, "{:?}", fresh.kind);
        assert_eq!(bag::summary_count(&db, &phone.id).await.unwrap(), 2);
        assert_eq!(
            bag::summary_count(&db, &kiosk.id).await.unwrap(),
            0,
            "the kiosk is cleared"
        );
        assert!(
            handoff::preview(&db, &key, &good, Lang::En).await.is_err(),
            "used"
        );
    }
}

/// A form posted without JavaScript: a redirect back, the message once, the count in the
/// header; the same post asking for JSON gets the count and a real status.
#[tokio::test]
async fn forms_work_without_javascript_and_answer_json_when_asked() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let shopper = app.browser();
    let r = shopper
        .post_form(
            "/bag/add",
            &[
                ("store", STORE),
                ("sku", "HC101101"),
                ("quantity", "2"),
                ("back", &format!("/s/{STORE}")),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], format!("/s/{STORE}"));
    let all = set_cookies(&r).join("\n");
    assert!(
        all.contains("sid=") && all.contains("HttpOnly") && all.contains("SameSite=Lax"),
        "{all}"
    );
    let page = shopper.page(&format!("/s/{STORE}")).await;
    assert!(page.contains("购物袋，2 件"), "count in the header");
    assert!(page.contains("已加入购物袋"), "the message, once");
    let again = shopper.page(&format!("/s/{STORE}")).await;
    assert!(!again.contains("已加入购物袋"), "only once");

    let (status, body) = shopper
        .post_form_json(
            "/bag/add",
            &[
                ("store", STORE),
                ("sku", "HC101101"),
                ("quantity", "1000"),
                ("back", "/"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["ok"], false);
    assert!(body["message"].as_str().unwrap().contains("1 到 99"));
    let (_, body) = shopper
        .post_form_json(
            "/bag/add",
            &[("store", STORE), ("sku", "HC101101"), ("back", "/")],
        )
        .await;
    assert_eq!(body["count"], 3);
    // Off-site `back` goes home instead.
    let r = shopper
        .post_form(
            "/bag/remove",
            &[
                ("store", STORE),
                ("sku", "HC101101"),
                ("back", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/");
    assert!(shopper.page("/bag").await.contains("购物袋还是空的"));
    app.stop().await;
}
