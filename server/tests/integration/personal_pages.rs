//! Personal pages at the shared page's speed, on SQLite and PostgreSQL: a shopper with a
//! bag or a guide's credit gets the store, product and home pages rendered once for every
//! shopper with their header laid over it (`X-Page-Cache: personal`). The overlaid page
//! is byte for byte the page rendered in full for the same shopper; shoppers racing on one
//! page each see only their own bag; a lowered price is told once, to its bag's owner.

use crate::harness::{Browser, TestApp};
use app::domain::i18n::bag::{bag_label, drop_notice, guide_credit};
use app::domain::lang::Lang;
use app::domain::money::Money;
use app::links::routes;
use app::ssr::db::DbKind;
use std::sync::Arc;

const STORE: &str = "sh-jingan-temple";
const SKU: &str = "HC101101";
const ZH: Lang = Lang::ZhCn;

/// A GET as `browser`, with `extra` cookies besides its own: the page with its nonce
/// replaced by a fixed word (every response has its own), and how the cache served it.
async fn fetch(browser: &Browser, path: &str, extra: &str) -> (String, String) {
    let mut cookies = browser.cookies();
    if !extra.is_empty() {
        cookies = if cookies.is_empty() {
            extra.to_owned()
        } else {
            format!("{cookies}; {extra}")
        };
    }
    let response = browser
        .http
        .get(browser.url(path))
        .header("cookie", cookies)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let how = response.headers()["x-page-cache"]
        .to_str()
        .unwrap()
        .to_owned();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce")
        .to_owned();
    let body = response
        .text()
        .await
        .expect("body")
        .replace(&nonce, "NONCE");
    (body, how)
}

/// Two pages are the same bytes; if not, where they part.
fn same(a: &str, b: &str, what: &str) {
    if a == b {
        return;
    }
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let from = a.floor_char_boundary(at.saturating_sub(200));
    let (ea, eb) = (
        a.ceil_char_boundary((at + 300).min(a.len())),
        b.ceil_char_boundary((at + 300).min(b.len())),
    );
    panic!(
        "{what}: the pages part at byte {at}:\n  overlaid: {}\n  in full:  {}",
        &a[from..ea],
        &b[from..eb]
    );
}

/// A new shopper, arrived by `guide`'s link if given, with `quantity` of [`SKU`] in the bag.
async fn shopper(app: &TestApp, guide: Option<&str>, quantity: u32) -> Browser {
    let b = app.browser();
    if let Some(code) = guide {
        let (status, _) = b.get(&format!("/g/{code}?to=/")).await;
        assert_eq!(status, 303, "the guide's link");
    }
    if quantity > 0 {
        let quantity = quantity.to_string();
        let r = b
            .post_form(
                routes::BAG_ADD,
                &[
                    ("store", STORE),
                    ("sku", SKU),
                    ("quantity", &quantity),
                    ("back", "/"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        // The "added" message (a one-time cookie) is shown, and gone.
        b.page("/bag").await;
    }
    b
}

/// A guide of [`STORE`]: their code, and the credit their shoppers' pages show.
async fn guide(app: &TestApp) -> (String, String) {
    let (code, name, store): (String, String, String) = sqlx::query_as(
        "SELECT g.code, g.name_zh, s.name_zh FROM guides g JOIN stores s ON s.id = g.store_id \
         WHERE s.slug = $1 ORDER BY g.code LIMIT 1",
    )
    .bind(STORE)
    .fetch_one(&app.db().pool)
    .await
    .unwrap();
    (code, guide_credit(ZH, &name, &store))
}

both_backends! {
    /// Two shoppers with the same bag and the same guide: one gets the overlaid page, the
    /// other — carrying a cookie the overlay does not know, so the page is rendered in
    /// full — the page as the app renders it. They are the same bytes, on the store page,
    /// a category, a product and home; and with a price drop in both bags.
    #[tokio::test]
    async fn the_overlaid_page_is_the_page_rendered_in_full(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let (code, credit) = guide(&app).await;
        let (a, b) = (shopper(&app, Some(&code), 2).await, shopper(&app, Some(&code), 2).await);
        let pages = [
            format!("/s/{STORE}"),
            format!("/s/{STORE}?c=fruit"),
            format!("/s/{STORE}/p/{SKU}"),
            "/".to_owned(),
        ];
        for round in ["plain", "a price drop"] {
            if round == "a price drop" {
                sqlx::query(
                    "UPDATE offers SET price_minor = price_minor - 100 WHERE product_id = \
                     (SELECT id FROM products WHERE sku = $1) AND store_id = (SELECT id FROM stores WHERE slug = $2)",
                )
                .bind(SKU)
                .bind(STORE)
                .execute(&app.db().pool)
                .await
                .unwrap();
                // Let the shared page catch up with the new price (its second to live).
                tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
            }
            for page in &pages {
                let (overlaid, how) = fetch(&a, page, "").await;
                assert_eq!(how, "personal", "{page}");
                let (full, how) = fetch(&b, page, "probe=1").await;
                assert_eq!(how, "bypass", "{page}");
                assert!(overlaid.contains(&bag_label(ZH, 2)), "{page}: the count");
                assert!(overlaid.contains(&credit), "{page}: the guide");
                if round == "a price drop" && page == &pages[0] {
                    assert!(overlaid.contains("notice-drop"), "{page}: the drop told");
                }
                same(&overlaid, &full, &format!("{page} ({round})"));
            }
        }
        app.stop().await;
    }
}

both_backends! {
    /// Twenty shoppers, each with their own count, load the same page 200 times at once,
    /// interleaved with shoppers without cookies: every page shows its own shopper's count
    /// and guide, and the anonymous pages none.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn shoppers_racing_on_one_page_each_see_their_own(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let (code, credit) = guide(&app).await;
        let mut shoppers = Vec::new();
        for n in 1..=20u32 {
            let guide = (n % 2 == 0).then_some(code.as_str());
            shoppers.push((n, guide.is_some(), Arc::new(shopper(&app, guide, n).await)));
        }
        let anonymous = Arc::new(app.browser());
        let page = format!("/s/{STORE}");
        let mut tasks = Vec::new();
        for round in 0..10 {
            for (n, guided, b) in &shoppers {
                let (n, guided, b, page, credit) = (*n, *guided, b.clone(), page.clone(), credit.clone());
                tasks.push(tokio::spawn(async move {
                    let (body, how) = fetch(&b, &page, "").await;
                    assert_eq!(how, "personal");
                    let shown = body.split("class=\"bag-count\">").nth(1).and_then(|s| s.split('<').next());
                    assert_eq!(shown, Some(n.to_string().as_str()), "shopper {n}'s count");
                    assert!(body.contains(&bag_label(ZH, n)), "shopper {n}'s label");
                    assert_eq!(body.matches("data-bag-count").count(), 1);
                    (guided, body.contains(&credit))
                }));
            }
            let (anonymous, page) = (anonymous.clone(), page.clone());
            tasks.push(tokio::spawn(async move {
                let (body, how) = fetch(&anonymous, &page, "").await;
                assert!(how == "hit" || how == "miss", "{how} in round {round}");
                assert!(body.contains(&bag_label(ZH, 0)) && !body.contains("class=\"notices\""));
                (false, false)
            }));
        }
        for task in tasks {
            let (guided, shown) = task.await.unwrap();
            assert_eq!(guided, shown, "a guide's credit only on their shoppers' pages");
        }
        app.stop().await;
    }
}

both_backends! {
    /// A lowered price is told once, on the next page of the shopper whose bag holds it,
    /// and never on another shopper's page.
    #[tokio::test]
    async fn a_lowered_price_is_told_once_and_only_to_its_bag(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let holder = shopper(&app, None, 1).await;
        let other = shopper(&app, None, 0).await;
        let r = other
            .post_form(routes::BAG_ADD, &[("store", STORE), ("sku", "HC101102"), ("quantity", "1"), ("back", "/")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        other.page("/bag").await;
        let (was, name, store_name): (i64, String, String) = sqlx::query_as(
            "SELECT o.price_minor, p.name_zh, s.name_zh FROM offers o JOIN products p ON p.id = o.product_id \
             JOIN stores s ON s.id = o.store_id WHERE p.sku = $1 AND s.slug = $2",
        )
        .bind(SKU)
        .bind(STORE)
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
        let page = format!("/s/{STORE}");
        // Both pages served once from the shared page before the change.
        assert_eq!(fetch(&holder, &page, "").await.1, "personal");
        sqlx::query(
            "UPDATE offers SET price_minor = $1 WHERE product_id = (SELECT id FROM products WHERE sku = $2) \
             AND store_id = (SELECT id FROM stores WHERE slug = $3)",
        )
        .bind(was - 200)
        .bind(SKU)
        .bind(STORE)
        .execute(&app.db().pool)
        .await
        .unwrap();
        let notice = drop_notice(ZH, &name, &store_name, Money::cny(was), Money::cny(was - 200));
        let (body, how) = fetch(&other, &page, "").await;
        assert_eq!(how, "personal");
        assert!(!body.contains(&notice), "not another shopper's news");
        let (body, _) = fetch(&holder, &page, "").await;
        assert!(body.contains(&notice), "told on the next page");
        let (body, _) = fetch(&holder, &page, "").await;
        assert!(!body.contains(&notice), "and only once");
        app.stop().await;
    }
}

fn shown_count(body: &str) -> Option<String> {
    body.split("class=\"bag-count\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .map(str::to_owned)
}

both_backends! {
    /// A signed-in member's header counts the member's bag — on every device — as the
    /// full render does: the overlay's one query follows the same owner rule.
    #[tokio::test]
    async fn a_members_header_counts_the_members_bag_on_every_device(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let phone = "13912345678";
        let phone_a = shopper(&app, None, 3).await;
        app.sign_in_member(&phone_a, phone).await;
        let page = format!("/s/{STORE}");
        let (body, how) = fetch(&phone_a, &page, "").await;
        assert_eq!(how, "personal");
        assert_eq!(shown_count(&body).as_deref(), Some("3"), "the bag came along");
        let (full, how) = fetch(&phone_a, &page, "probe=1").await;
        assert_eq!(how, "bypass");
        assert_eq!(shown_count(&full), shown_count(&body));
        // Another device, empty until the member signs in there.
        let phone_b = shopper(&app, None, 1).await;
        assert_eq!(shown_count(&fetch(&phone_b, &page, "").await.0).as_deref(), Some("1"));
        app.sign_in_member(&phone_b, phone).await;
        let (body, _) = fetch(&phone_b, &page, "").await;
        let (full, _) = fetch(&phone_b, &page, "probe=1").await;
        assert_eq!(shown_count(&body), shown_count(&full), "the same count as the full render");
        assert!(shown_count(&body).is_some_and(|n| n != "1"), "the member's bag, not the device's: {body:.0}");
        app.stop().await;
    }
}

/// Where shoppers stand: 静安寺, 北京 and 广州 (cookie `loc`, as the nearby page sets it).
const PLACES: [&str; 3] = [
    "loc=31.22320,121.44570",
    "loc=39.90870,116.39750",
    "loc=23.12910,113.26440",
];

both_backends! {
    /// A shopper whose location is known gets home and the product page with what is near
    /// them laid over the shared page, the store page as it is: byte for byte the page
    /// rendered in full for them, with and without a bag, in both languages.
    #[tokio::test]
    async fn the_page_near_a_shopper_is_the_page_rendered_in_full(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let (empty, with_bag) = (shopper(&app, None, 0).await, shopper(&app, None, 2).await);
        let pages = [
            "/".to_owned(),
            format!("/s/{STORE}/p/{SKU}"),
            format!("/s/{STORE}/p/{SKU}?shelf=1"),
            format!("/s/{STORE}"),
            format!("/s/{STORE}?c=fruit"),
        ];
        let (anonymous, _) = fetch(&empty, &pages[1], "").await;
        let near_you = app::domain::i18n::Msg::InStockNearYou.t(ZH);
        assert!(!anonymous.contains(near_you), "the shared page is for nobody's place");
        for place in PLACES {
            for lang in ["", "lang=en"] {
                let extra = [place, lang].into_iter().filter(|c| !c.is_empty()).collect::<Vec<_>>().join("; ");
                for (who, b) in [("no bag", &empty), ("a bag", &with_bag)] {
                    for page in &pages {
                        let (overlaid, how) = fetch(b, page, &extra).await;
                        assert_eq!(how, "personal", "{page} {extra} {who}");
                        let (full, how) = fetch(b, page, &format!("{extra}; probe=1")).await;
                        assert_eq!(how, "bypass");
                        same(&overlaid, &full, &format!("{page} ({extra}, {who})"));
                    }
                }
            }
            let (product, _) = fetch(&empty, &pages[1], place).await;
            assert!(product.contains(near_you), "{place}: in stock near you");
            let (home, _) = fetch(&empty, "/", place).await;
            assert!(
                home.contains("id=\"nearest\""),
                "{place}: the nearest stores on home"
            );
        }
        // A search on home with a place is rendered in full (it lists no nearest stores).
        let (searched, how) = fetch(&empty, "/?q=%E7%89%9B%E5%A5%B6", PLACES[0]).await;
        assert_eq!(how, "bypass");
        assert!(!searched.contains("id=\"nearest\""));
        app.stop().await;
    }
}

both_backends! {
    /// Shoppers in three cities load the same product page at once, interleaved with a
    /// shopper without cookies; each gets the list for their own place (as rendered in full
    /// for it beforehand), the anonymous one none. Then a price changes in the store
    /// nearest the first place: a page near it shows the new price within a second, as
    /// the shared page does.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn shoppers_in_different_places_racing_on_one_page_each_see_their_own(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let page = format!("/s/{STORE}/p/{SKU}");
        let b = Arc::new(app.browser());
        let mut expected = Vec::new();
        for place in PLACES {
            expected.push(fetch(&b, &page, &format!("{place}; probe=1")).await.0);
        }
        assert!(expected[0] != expected[1] && expected[1] != expected[2], "three different lists");
        let expected = Arc::new(expected);
        let mut tasks = Vec::new();
        for round in 0..40 {
            for (i, place) in PLACES.into_iter().enumerate() {
                let (b, page, expected) = (b.clone(), page.clone(), expected.clone());
                tasks.push(tokio::spawn(async move {
                    let (body, how) = fetch(&b, &page, place).await;
                    assert_eq!(how, "personal");
                    same(&body, &expected[i], &format!("{place} in round {round}"));
                }));
            }
            let (b, page) = (b.clone(), page.clone());
            tasks.push(tokio::spawn(async move {
                let (body, _) = fetch(&b, &page, "").await;
                assert!(!body.contains(app::domain::i18n::Msg::InStockNearYou.t(ZH)));
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        // The first store listed near 静安寺.
        let first = expected[0]
            .split(app::pages::product::ELSEWHERE_START)
            .nth(1)
            .and_then(|s| s.split("href=\"/s/").nth(1))
            .and_then(|s| s.split('/').next())
            .expect("a store listed near 静安寺")
            .to_owned();
        assert_ne!(first, STORE);
        sqlx::query(
            "UPDATE offers SET price_minor = 4321, list_price_minor = 4321 WHERE product_id = (SELECT id FROM products WHERE sku = $1) \
             AND store_id = (SELECT id FROM stores WHERE slug = $2)",
        )
        .bind(SKU)
        .bind(&first)
        .execute(&app.db().pool)
        .await
        .unwrap();
        // What is near a shopper is as fresh as the shared page: a second at most.
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let (body, how) = fetch(&b, &page, PLACES[0]).await;
        assert_eq!(how, "personal");
        assert!(body.contains(&Money::cny(4321).to_string()), "the new price within a second");
        let (full, _) = fetch(&b, &page, &format!("{}; probe=1", PLACES[0])).await;
        same(&body, &full, "after the price change");
        app.stop().await;
    }
}
