//! A storefront's security headers (#15, in part): every rendered page carries a
//! Content-Security-Policy whose script nonce is this response's own — also when the page
//! comes from the one-second page cache — and that its hydration scripts carry; HTML
//! without scripts of its own gets a no-script policy; the permissions the site asks for.

use crate::harness::TestApp;
use app::ssr::db::DbKind;

fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("a nonce source") + "'nonce-".len();
    let len = csp[start..].find('\'').unwrap();
    csp[start..start + len].to_owned()
}

async fn page(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, String) {
    let r = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let headers = r.headers().clone();
    (headers, r.text().await.unwrap())
}

#[tokio::test]
async fn every_page_has_a_policy_with_a_fresh_nonce_its_scripts_carry() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let mut seen = Vec::new();
    // The store page twice (the second from the page cache), and a personal page.
    for path in ["/s/sh-jingan-temple", "/s/sh-jingan-temple", "/bag", "/"] {
        let (headers, html) = page(&app, path).await;
        let csp = headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        for directive in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        let nonce = nonce_of(&csp);
        assert!(nonce.len() >= 16);
        // Every inline executable script carries this response's nonce.
        let scripts = html.matches("<script").count();
        let data_blocks = html.matches("<script type=\"application/ld+json\"").count();
        let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(scripts > data_blocks, "{path}: the page hydrates");
        assert!(
            with_nonce >= scripts - data_blocks,
            "{path}: {with_nonce} of {scripts}"
        );
        assert!(!seen.contains(&nonce), "{path}: a nonce seen before");
        seen.push(nonce);
        assert_eq!(
            headers["permissions-policy"].to_str().unwrap(),
            "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "plain HTTP: no HSTS"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_without_scripts_allow_none_and_https_gets_hsts() {
    let app = TestApp::start(DbKind::Sqlite).await;
    // axum's refusal made into a page (error_pages.rs): no script may run there.
    let r = app.http.get(app.url("/bag/add")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'none'"), "{csp}");
    let r = app
        .http
        .get(app.url("/healthz"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    app.stop().await;
}
