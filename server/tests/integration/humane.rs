//! Errors a person can reach are pages in their language with a way on, and JSON for a
//! client that asks for it — never axum's plain-text refusals (#11). Also the small
//! things the phone showed wrong: a quantity set for a line not in the bag, and a 24-hour
//! store's opening hours.

use crate::harness::TestApp;
use app::domain::i18n::Msg;
use app::domain::i18n::bag::BagText;
use app::domain::lang::Lang;
use app::ssr::db::DbKind;

const STORE: &str = "sh-jingan-temple";

fn content_type(r: &reqwest::Response) -> String {
    r.headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn refusals_are_pages_in_the_shoppers_language() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let origin = app.url("");
    // Too large: a form needs a few KB.
    let big = format!(
        "store={STORE}&sku=HC101101&back=/{}",
        "a".repeat(100 * 1024)
    );
    let r = app
        .http
        .post(app.url("/bag/add"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &origin)
        .header("accept-language", "en")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(
        content_type(&r).starts_with("text/html"),
        "{}",
        content_type(&r)
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""), "{html}");
    assert!(html.contains(Msg::TooLarge.t(Lang::En)), "{html}");
    assert!(html.contains(&format!("href=\"/\">{}</a>", Msg::GoHome.t(Lang::En))));
    assert!(!html.contains("Failed to buffer"), "{html}");

    // Not a form at all, in Chinese by default.
    let r = app
        .http
        .post(app.url("/bag/add"))
        .header("content-type", "application/json")
        .header("origin", &origin)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let html = r.text().await.unwrap();
    assert!(html.contains(Msg::FormUnreadable.t(Lang::ZhCn)), "{html}");
    assert!(!html.contains("Content-Type"), "{html}");

    // The same for a client that asked for JSON.
    let r = app
        .http
        .post(app.url("/bag/add"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("origin", &origin)
        .header("accept-language", "en")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["ok"], false);
    assert_eq!(body["message"], Msg::FormUnreadable.t(Lang::En));

    // A GET of a form's address: 405 as a page, still saying what is allowed.
    let r = app.http.get(app.url("/bag/add")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().get("allow").is_some());
    let html = r.text().await.unwrap();
    assert!(html.contains(Msg::UseThePage.t(Lang::ZhCn)), "{html}");
    assert!(html.contains(Msg::GoHome.t(Lang::ZhCn)));
    app.stop().await;
}

#[tokio::test]
async fn setting_a_line_that_is_not_in_the_bag_says_so() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let shopper = app.browser();
    // With a bag (another product in it) and without one at all.
    let add = [
        ("store", STORE),
        ("sku", "HC101102"),
        ("quantity", "1"),
        ("back", "/bag"),
    ];
    assert_eq!(shopper.post_form("/bag/add", &add).await.status(), 303);
    for who in [&shopper, &app.browser()] {
        let set = [
            ("store", STORE),
            ("sku", "HC101101"),
            ("quantity", "2"),
            ("back", "/bag"),
        ];
        let (status, body) = who.post_form_json("/bag/set", &set).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["message"], BagText::NotInBag.t(Lang::ZhCn), "{body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_24_hour_store_says_so_instead_of_an_empty_hours_table() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let (status, html) = app.get(&format!("/s/{STORE}"), Some("en")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<p class=\"hours\">Opening hours · Open 24 hours</p>"));
    assert!(!html.contains("<details class=\"hours\">"));
    // A store with hours still has its table.
    let (_, html) = app.get("/s/sh-wujiang-road", Some("en")).await;
    assert!(html.contains("<details class=\"hours\">"), "{html}");
    app.stop().await;
}
