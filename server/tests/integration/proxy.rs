//! Behind a proxy: `X-Forwarded-For` and `X-Forwarded-Proto` count only from a trusted
//! proxy (`TRUSTED_PROXIES`). Rate limits then count per real client, and a client that
//! talks to the server directly cannot claim another address or HTTPS.

use crate::harness::TestApp;
use app::ssr::db::DbKind;

/// Wrong staff passwords from one claimed client address until the address's limit
/// (fifty per quarter hour) answers 429; returns the status of the next try.
async fn exhaust_address_limit(app: &TestApp, forwarded_for: &str) -> u16 {
    let mut last = 0;
    for n in 0..51 {
        let r = app
            .http
            .post(app.url("/staff/login"))
            .header("x-forwarded-for", forwarded_for)
            .header("accept", "application/json")
            .form(&[
                ("phone", format!("1360000{n:04}").as_str()),
                ("password", "wrong wrong wrong"),
            ])
            .send()
            .await
            .unwrap();
        last = r.status().as_u16();
    }
    last
}

/// One wrong password for a number no one has tried (so only the address's limit applies).
async fn login_status(app: &TestApp, forwarded_for: &str) -> u16 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    app.http
        .post(app.url("/staff/login"))
        .header("x-forwarded-for", forwarded_for)
        .header("accept", "application/json")
        .form(&[
            ("phone", format!("1350000{n:04}").as_str()),
            ("password", "wrong wrong wrong"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() {
    let app = TestApp::start(DbKind::Sqlite).await; // the harness trusts loopback
    assert_eq!(exhaust_address_limit(&app, "203.0.113.7").await, 429);
    assert_eq!(
        login_status(&app, "203.0.113.7").await,
        429,
        "that client is limited"
    );
    assert_eq!(
        login_status(&app, "198.51.100.4").await,
        400,
        "another client is not"
    );
    // A client's own X-Forwarded-For in front of the proxy's entry changes nothing.
    assert_eq!(login_status(&app, "198.51.100.4, 203.0.113.7").await, 429);
    // HTTPS as the proxy says: the session cookie is Secure.
    let r = app
        .http
        .post(app.url("/bag/add"))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("store", "sh-jingan-temple"),
            ("sku", "HC101101"),
            ("back", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        crate::harness::set_cookies(&r)
            .iter()
            .any(|c| c.starts_with("__Host-sid=") && c.contains("Secure"))
    );
    app.stop().await;
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarding_headers_are_ignored() {
    let app = TestApp::start_with(DbKind::Sqlite, |c| c.trusted_proxies = String::new()).await;
    // Every claimed address is the one socket address: one budget.
    for n in 0..51 {
        let _ = login_status(&app, &format!("203.0.113.{}", n % 250)).await;
    }
    assert_eq!(
        login_status(&app, "198.51.100.4").await,
        429,
        "a made-up address is no way out"
    );
    // A claimed HTTPS is not believed: no Secure cookie, no HSTS.
    let r = app
        .http
        .post(app.url("/bag/add"))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("store", "sh-jingan-temple"),
            ("sku", "HC101101"),
            ("back", "/"),
        ])
        .send()
        .await
        .unwrap();
    let cookies = crate::harness::set_cookies(&r);
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("sid=") && !c.contains("Secure")),
        "{cookies:?}"
    );
    assert!(r.headers().get("strict-transport-security").is_none());
    app.stop().await;
}
