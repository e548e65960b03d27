//! Redirect targets over HTTP: every entry point that takes `back=` or `to=` sends the
//! browser only to a path on this site, and a target with a tab, a newline or a
//! backslash falls back to the handler's own page instead of leaving the site or failing
//! with a 500 (the rule itself is unit-tested in `app::domain::redirect`).

use crate::harness::TestApp;
use app::ssr::db::DbKind;

const STORE: &str = "sh-jingan-temple";

/// Targets that must never reach a `Location` as given.
const HOSTILE: &[&str] = &[
    "/\t/evil.example/",
    "/%09/evil.example/",
    "/\n",
    "/x\r\nSet-Cookie: a=b",
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "/%2F/evil.example",
];

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn form_posts_only_go_back_to_this_site() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let line = [("store", STORE), ("sku", "HC101101"), ("quantity", "1")];
    for path in ["/bag/add", "/bag/set", "/bag/remove", "/kiosk/add"] {
        for back in HOSTILE {
            let mut form = line.to_vec();
            form.push(("back", back));
            let response = app
                .http
                .post(app.url(path))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 303, "{path} back={back:?}");
            assert_eq!(location(&response), "/", "{path} back={back:?}");
        }
        // A path on this site is kept, query and all.
        let mut form = line.to_vec();
        form.push(("back", "/s/sh-jingan-temple?c=dairy"));
        let response = app
            .http
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), "/s/sh-jingan-temple?c=dairy", "{path}");
    }
    for back in HOSTILE {
        let response = app
            .http
            .post(app.url("/lang"))
            .form(&[("lang", "en"), ("back", back)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "/lang back={back:?}");
        assert_eq!(location(&response), "/", "/lang back={back:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_change_is_made_and_the_shopper_comes_back_even_with_a_newline() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let shopper = app.browser();
    let response = shopper
        .post_form(
            "/bag/add",
            &[
                ("store", STORE),
                ("sku", "HC101101"),
                ("quantity", "2"),
                ("back", "/s/sh-jingan-temple\n"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/");
    let (_, bag) = shopper.get("/bag").await;
    assert!(bag.contains("HC101101"), "the item was added");
    app.stop().await;
}

#[tokio::test]
async fn a_guide_link_goes_nowhere_but_this_site() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let (code, slug): (String, String) = sqlx::query_as(
        "SELECT g.code, s.slug FROM guides g JOIN stores s ON s.id = g.store_id ORDER BY g.code LIMIT 1",
    )
    .fetch_one(&app.db().pool)
    .await
    .unwrap();
    for to in [
        "%2F%09%2Fevil.example%2F",
        "%2F%0A",
        "%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "https%3A%2F%2Fevil.example",
    ] {
        // A known guide's link falls back to the guide's store; an unknown one, home.
        for (code, fallback) in [(code.as_str(), format!("/s/{slug}")), ("GNOPE", "/".into())] {
            let response = app
                .http
                .get(app.url(&format!("/g/{code}?to={to}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 303, "/g/{code}?to={to}");
            assert_eq!(location(&response), fallback, "/g/{code}?to={to}");
        }
    }
    app.stop().await;
}
