//! Security over HTTP: cross-origin mutating requests are refused before they reach a
//! handler or server function; the language cookie is HttpOnly and SameSite.

use crate::harness::TestApp;
use app::ssr::db::DbKind;

#[tokio::test]
async fn language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let response = app
        .http
        .post(app.url("/lang"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", "en"), ("back", "/s/sh-jingan-temple?c=dairy")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        "/s/sh-jingan-temple?c=dairy"
    );
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("lang=en;")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    assert!(!cookie.contains("Secure"), "plain HTTP here");

    let html = app
        .http
        .get(app.url("/"))
        .header("cookie", "lang=en")
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<html lang="en""#),
        "the cookie beats Accept-Language"
    );

    let over_https = app
        .http
        .post(app.url("/lang"))
        .header("x-forwarded-proto", "https")
        .form(&[("lang", "zh-CN"), ("back", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(over_https.headers()["location"], "/", "no open redirect");
    assert!(
        over_https.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_language_is_refused() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let response = app
        .http
        .post(app.url("/lang"))
        .form(&[("lang", "xx")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.headers().get("set-cookie").is_none());
    app.stop().await;
}

#[tokio::test]
async fn cross_origin_posts_are_refused_everywhere() {
    let app = TestApp::start(DbKind::Sqlite).await;
    for path in ["/lang", "/api/get_store_page", "/s/sh-jingan-temple"] {
        let by_fetch_metadata = app
            .http
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .form(&[("lang", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(by_fetch_metadata.status().as_u16(), 403, "{path}");
        assert!(by_fetch_metadata.headers().get("set-cookie").is_none());
        let by_origin = app
            .http
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .form(&[("lang", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(by_origin.status().as_u16(), 403, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn responses_carry_baseline_security_headers() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let response = app.http.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    app.stop().await;
}
