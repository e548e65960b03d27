//! HTTP integration: the real server on port 0 with a fresh database renders complete
//! pages (content in the HTML, not behind a placeholder), real 404s and both languages.

use crate::harness::TestApp;
use app::ssr::db::DbKind;

both_backends! {
    #[tokio::test]
    async fn home_lists_stores_by_city_in_the_negotiated_language(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let (status, zh) = app.get("/", None).await;
        assert_eq!(status, 200);
        assert!(zh.contains(r#"<html lang="zh-CN""#), "zh-CN is the default");
        assert!(zh.contains("禾川生活·静安寺店") && zh.contains("上海市") && zh.contains("北京市"));
        let (_, en) = app.get("/", Some("en-GB,en;q=0.9")).await;
        assert!(en.contains(r#"<html lang="en""#));
        assert!(
            en.contains("Hechuan Living Jing&#x27;an Temple")
                || en.contains("Hechuan Living Jing'an Temple")
        );
        assert!(en.contains("All stores"));
        app.stop().await;
    }
}

both_backends! {
    #[tokio::test]
    async fn store_page_is_complete_in_the_server_html(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let (status, html) = app.get("/s/sh-jingan-temple", Some("en")).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<h1>Hechuan Living Jing"),
            "store header rendered"
        );
        assert!(html.contains("1699 Nanjing West Road"));
        assert!(
            html.contains("Open 24 hours"),
            "the Jing'an Temple store never closes"
        );
        assert!(
            html.contains("class=\"product-tile"),
            "product grid rendered"
        );
        assert!(html.contains("¥"), "prices rendered");
        assert!(
            html.contains(r#"type="application/ld+json""#)
                && html.contains(r#""@type":"GroceryStore""#)
        );
        assert!(html.contains(r#""geo":{"#) && html.contains("openingHoursSpecification"));
        assert!(
            html.contains(&format!("/pkg/{}.js", app::BROWSE_BUNDLE_NAME)),
            "hydration script included (the browse bundle)"
        );
        hydrated_after_load(&html);
        app.stop().await;
    }
}

/// The page's hydration scripts (the wasm's preload, the module preload and Leptos's
/// island script) wait inert in their template, and one script with the page's nonce puts
/// them into the document once the page has loaded: nothing of the wasm is fetched
/// before the page's own CSS and pictures.
fn hydrated_after_load(html: &str) {
    let (head, _) = html.split_once("</head>").expect("a head");
    let template = format!("<template id=\"{}\">", app::HYDRATION_TEMPLATE);
    let (before, rest) = head.split_once(&template).expect("the hydration template");
    let (inside, after) = rest.split_once("</template>").expect("the template closed");
    for part in [
        "rel=\"modulepreload\"",
        ".wasm\"",
        "<script type=\"module\"",
    ] {
        assert!(inside.contains(part), "{part} inside the template");
        assert!(
            !before.contains(part) && !after.contains(part),
            "{part} only there"
        );
    }
    let loader = after
        .split("<script nonce=\"")
        .nth(1)
        .expect("a script with a nonce after the template");
    assert!(
        loader.contains("addEventListener(\"load\"")
            && loader.contains(&format!("getElementById(\"{}\")", app::HYDRATION_TEMPLATE)),
        "the loader waits for the load event: {loader:.200}"
    );
}

#[tokio::test]
async fn category_filter_and_search_narrow_the_grid() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let (_, all) = app.get("/s/sh-jingan-temple", Some("en")).await;
    let (status, dairy) = app.get("/s/sh-jingan-temple?c=dairy", Some("en")).await;
    assert_eq!(status, 200);
    assert!(dairy.contains(r#"aria-current="page""#));
    assert_ne!(all, dairy);
    assert!(
        dairy.contains("Milk") || dairy.contains("milk"),
        "dairy shows milk"
    );
    assert!(!dairy.contains("Fuji Apple"), "no fruit among the dairy");
    let (status, search) = app.get("/s/sh-jingan-temple?q=milk", Some("en")).await;
    assert_eq!(status, 200);
    assert!(search.contains("Results for “milk”"));
    let (_, nothing) = app.get("/s/sh-jingan-temple?q=zzzzqqq", Some("en")).await;
    assert!(nothing.contains("0 products") && nothing.contains("Nothing matched"));
    app.stop().await;
}

both_backends! {
    #[tokio::test]
    async fn product_page_shows_price_stock_and_other_city_stores(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let (_, store) = app.get("/s/sh-jingan-temple", Some("en")).await;
        let href = store
            .split("href=\"/s/sh-jingan-temple/p/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a product link in the grid")
            .to_owned();
        let (status, html) = app
            .get(&format!("/s/sh-jingan-temple/p/{href}"), Some("en"))
            .await;
        assert_eq!(status, 200);
        assert!(html.contains(r#""@type":"Product""#) && html.contains(r#""priceCurrency":"CNY""#));
        assert!(html.contains("Other stores in the city that have it"));
        assert!(
            html.contains("/p/") && html.contains("Hechuan Living"),
            "links to other stores"
        );
        assert!(
            !html.contains("Hechuan Living Sanlitun"),
            "only the same city"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn unknown_store_product_and_page_are_real_404s() {
    let app = TestApp::start(DbKind::Sqlite).await;
    for (path, zh_text) in [
        ("/s/no-such-store", "找不到这家门店"),
        ("/s/NOT_A_SLUG!", "找不到这家门店"),
        ("/s/sh-jingan-temple/p/HC999999", "这家门店没有这件商品"),
        ("/s/no-such-store/p/HC101101", "找不到这家门店"),
        ("/no/such/page", "这个页面不存在"),
    ] {
        let (status, html) = app.get(path, None).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains(zh_text), "{path}: translated message");
        assert!(html.contains("返回首页"));
    }
    let (status, html) = app.get("/s/no-such-store", Some("en")).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("We couldn&#x27;t find that store")
            || html.contains("We couldn't find that store")
    );
    app.stop().await;
}

both_backends! {
    #[tokio::test]
    async fn bad_input_gets_a_clear_message_and_no_database_text(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let long = "牛".repeat(65);
        let (status, html) = app
            .get(&format!("/s/sh-jingan-temple?q={long}"), Some("en"))
            .await;
        assert_eq!(status, 400);
        assert!(html.contains("Search for at most 64 characters."));
        // Each odd input gets the answer meant for it, and never a database's words.
        let products = |html: &str| html.matches("class=\"product-tile").count();
        let (_, first_page) = app.get("/s/sh-jingan-temple", Some("en")).await;
        for (path, meant) in [
            // A page number that is not one shows the first page.
            ("/s/sh-jingan-temple?page=-1", "the first page"),
            ("/s/sh-jingan-temple?page=99999999999", "the first page"),
            // An unknown category shows everything rather than an empty grid.
            ("/s/sh-jingan-temple?c=%27%20OR%201%3D1", "the first page"),
            // SQL in a search is text to look for, found nowhere.
            ("/s/sh-jingan-temple?q=%25%27%22%3B--", "nothing found"),
            ("/?q=%27%20OR%201%3D1%20--", "nothing found"),
        ] {
            let (status, html) = app.get(path, Some("en")).await;
            assert_eq!(status, 200, "{path}");
            match meant {
                "the first page" => assert_eq!(
                    products(&html),
                    products(&first_page),
                    "{path} shows {meant}"
                ),
                _ => assert!(
                    html.contains("Nothing matched") && products(&html) == 0,
                    "{path} shows {meant}"
                ),
            }
            for leak in ["sqlite", "SQLITE", "syntax error", "postgres", "sqlx"] {
                assert!(!html.contains(leak), "{path} leaks {leak}");
            }
        }
        app.stop().await;
    }
}

both_backends! {
    /// A NUL in a search is refused (400) or matches nothing; it is neither a wildcard
    /// that lists every store (SQLite ends the pattern there) nor a 500 (PostgreSQL refuses
    /// the text).
    #[tokio::test]
    async fn a_nul_in_a_search_matches_nothing_and_breaks_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        for path in ["/?q=%00", "/?q=milk%00", "/s/sh-jingan-temple?q=%00"] {
            let (status, html) = app.get(path, Some("en")).await;
            assert!(status == 200 || status == 400, "{path}: {status}");
            assert_eq!(html.matches(r#"class="store-card""#).count(), 0, "{path} lists stores");
            assert_eq!(html.matches("class=\"product-tile").count(), 0, "{path} lists products");
            if status == 200 {
                assert!(html.contains("Nothing matched"), "{path}");
            }
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn healthz_answers() {
    let app = TestApp::start(DbKind::Sqlite).await;
    assert_eq!(app.get("/healthz", None).await, (200, "ok".to_owned()));
    app.stop().await;
}

/// The islands a page's HTML asks the wasm to hydrate (`data-component="Name_…"`).
fn islands(html: &str) -> Vec<String> {
    html.split("data-component=\"")
        .skip(1)
        .filter_map(|s| s.split('_').next())
        .map(str::to_owned)
        .collect()
}

/// The browse bundle exports only these (app's feature `browse`).
const BROWSE_ISLANDS: [&str; 3] = ["InPlace", "LocateMe", "FormEnhancer"];

/// Browsing pages load the browse bundle, and ask it only for islands it has; the
/// checkout, member and order pages load the full one. (A browsing page that used
/// another island would leave it dead in the browser: this is what catches it.)
#[tokio::test]
async fn each_page_loads_the_bundle_that_has_its_islands() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let shopper = app.browser();
    let r = shopper
        .post_form(
            app::links::routes::BAG_ADD,
            &[
                ("store", "sh-jingan-temple"),
                ("sku", "HC101101"),
                ("quantity", "1"),
                ("back", "/"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    shopper.page("/bag").await;
    let browse = format!("/pkg/{}.js", app::BROWSE_BUNDLE_NAME);
    let full = format!("/pkg/{}.js", app::BUNDLE_NAME);
    let mut seen = std::collections::HashSet::new();
    for path in [
        "/",
        "/stores",
        "/stores?city=shanghai",
        "/s/sh-jingan-temple",
        "/s/sh-jingan-temple?c=fruit&q=%E5%A5%B6",
        "/s/sh-jingan-temple/p/HC101101",
        "/bag",
    ] {
        let (status, html) = shopper.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&browse) && !html.contains(&full),
            "{path} loads the browse bundle"
        );
        for island in islands(&html) {
            assert!(
                BROWSE_ISLANDS.contains(&island.as_str()),
                "{path} asks for {island}"
            );
            seen.insert(island);
        }
    }
    assert!(seen.len() >= 2, "the pages do use islands: {seen:?}");
    for path in ["/checkout/sh-jingan-temple", "/member"] {
        let (status, html) = shopper.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&full) && !html.contains(&browse),
            "{path} loads the full bundle"
        );
    }
    app.stop().await;
}
