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
