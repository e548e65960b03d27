//! The brand's API keys page over HTTP, on both databases: a brand admin makes a key and
//! sees it once (never in a URL or the audit log), the key then opens `/ops/v1` as far as
//! its scopes go and revoking it ends it; a store manager, staff and guides are refused
//! the page and both posts, and bad input is said beside its field — and in both cases
//! nothing changes.

use crate::harness::{Browser, TestApp, set_cookies};
use app::domain::i18n::staff::StaffText as T;
use app::domain::lang::Lang;
use app::ssr::db::DbKind;

const PAGE: &str = "/staff/api-keys";
const CREATE: &str = "/staff/api-keys/create";
const REVOKE: &str = "/staff/api-keys/revoke";
const STORE: &str = "sh-jingan-temple";

/// A text as the page says it to a browser that asks for no language (zh-CN).
fn zh(t: T) -> &'static str {
    t.t(Lang::ZhCn)
}

/// The whole keys on a page, each once (it is in the sample call too): `cso_` and 43
/// characters of base64url (the listed prefixes, `cso_` and 8, are not whole keys).
fn keys_on(page: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (at, _) in page.match_indices("cso_") {
        let key: String = page[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if key.len() == 47 && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Makes a key as a browser without JavaScript does: the post, then the page it goes
/// back to. Returns the redirect and that page.
async fn make(b: &Browser, name: &str, scopes: &[&str]) -> (reqwest::Response, String) {
    let mut form = vec![("name", name)];
    form.extend(scopes.iter().map(|s| (*s, "1")));
    let posted = b.post_form(CREATE, &form).await;
    let page = b.page(PAGE).await;
    (posted, page)
}

/// `GET /ops/v1/webhooks` with `key`: its status.
async fn webhooks_status(app: &TestApp, key: &str) -> u16 {
    app.http
        .get(app.url("/ops/v1/webhooks"))
        .bearer_auth(key)
        .send()
        .await
        .expect("GET /ops/v1/webhooks")
        .status()
        .as_u16()
}

/// The keys and the audit log, read back: equal before and after means nothing changed.
async fn fingerprint(app: &TestApp) -> (Vec<(i64, String, String, String, Option<i64>)>, i64) {
    let db = app.db();
    let keys =
        sqlx::query_as("SELECT id, name, prefix, scopes, revoked_at FROM api_keys ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let (audit,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    (keys, audit)
}

/// The message said beside `field` (its `FieldNote`), if any.
fn note(page: &str, field: &str) -> Option<String> {
    let at = page.find(&format!("id=\"note-{field}\""))?;
    let rest = &page[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find("</p>")?;
    Some(rest[start..end].to_owned())
}

/// The live key's id on the page (the revoke form's hidden field), by the key's name.
fn revoke_id(page: &str, name: &str) -> String {
    let row = page
        .split("<tr>")
        .skip(1)
        .find(|r| r.contains(&format!(">{name}<")))
        .unwrap_or_else(|| panic!("no row for {name}: {page:.3000}"));
    row.split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no revoke button for {name}: {row}"))
        .to_owned()
}

both_backends! {
    /// A brand admin makes a key: the page after the post shows it once, with the words
    /// to copy it now; a reload shows only its prefix. The key answers `/ops/v1` as far
    /// as its scopes go, and once revoked not at all.
    #[tokio::test]
    async fn a_brand_admin_makes_a_key_that_is_shown_once_and_works(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let admin = app.admin().await;
        let (status, empty) = admin.get(PAGE).await;
        assert_eq!(status, 200, "{empty:.2000}");
        assert!(empty.contains(zh(T::ApiKeysEmpty)) && empty.contains(zh(T::NewKey)), "{empty:.3000}");
        // The console leads there, for a brand admin.
        assert!(admin.page("/staff").await.contains(&format!("href=\"{PAGE}\"")));
        assert!(admin.page(&format!("/staff/{STORE}")).await.contains(&format!("href=\"{PAGE}\"")));

        let (posted, shown) = make(&admin, "ERP 同步", &["webhooks_write", "orders_read"]).await;
        assert_eq!(posted.status().as_u16(), 303);
        assert_eq!(posted.headers()["location"], PAGE, "the key is not in the redirect");
        let cookie = set_cookies(&posted)
            .into_iter()
            .find(|c| c.starts_with("new_api_key="))
            .expect("the key rides the redirect in its own cookie");
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/staff/api-keys", "Max-Age=60"] {
            assert!(cookie.contains(flag), "{flag} missing: {cookie:.20}…");
        }
        let keys = keys_on(&shown);
        assert_eq!(keys.len(), 1, "the new key, and only it, is on the page: {shown:.4000}");
        let key = keys[0].clone();
        assert!(shown.contains(&format!("Bearer {key}")), "with a call to try it");
        assert!(shown.contains(zh(T::NewKeyCopyNow)), "it says to copy it now");
        assert!(shown.contains(zh(T::KeyMade)));
        assert!(!set_cookies(&posted).iter().any(|c| c.starts_with("flash=") && c.contains(&key[4..])),
            "the key is not in the flash message");

        // Once: the page that showed it cleared it; a reload lists the prefix only.
        let again = admin.page(PAGE).await;
        assert!(keys_on(&again).is_empty(), "a reload does not show the key again");
        assert!(again.contains(&key[..12]), "the list shows its prefix: {again:.4000}");
        assert!(again.contains("ERP 同步") && again.contains("webhooks:write") && again.contains("orders:read"));
        assert!(again.contains(zh(T::KeyLive)));
        // The key is nowhere in the database but as its hash, nor in the audit log.
        let audit: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT action, subject, before, after FROM audit_log")
                .fetch_all(&app.db().pool)
                .await
                .unwrap();
        assert!(audit.iter().any(|(a, s, _, _)| a == "api_key.create" && s == "ERP 同步"), "{audit:?}");
        assert!(audit.iter().all(|row| !format!("{row:?}").contains(&key[12..])), "the key is not audited");

        // It opens what its scopes allow, and nothing else.
        assert_eq!(webhooks_status(&app, &key).await, 200);
        let (_, shown) = make(&admin, "仓库", &["stock_write"]).await;
        let stock_only = keys_on(&shown).first().cloned().expect("the second key is shown");
        assert_ne!(stock_only, key);
        assert_eq!(webhooks_status(&app, &stock_only).await, 403, "no webhooks:write");
        assert_eq!(webhooks_status(&app, "cso_not-a-key-at-all").await, 401);

        // Revoked, it opens nothing; the page says when, and offers no second revoke.
        let id = revoke_id(&admin.page(PAGE).await, "ERP 同步");
        let r = admin.post_form(REVOKE, &[("id", &id)]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(webhooks_status(&app, &key).await, 401);
        let after = admin.page(PAGE).await;
        assert!(after.contains(zh(T::KeyRevoked)), "{after:.3000}");
        let row = after.split("<tr>").skip(1).find(|r| r.contains(">ERP 同步<")).unwrap();
        assert!(row.contains(zh(T::KeyRevokedAt)) && !row.contains("name=\"id\""), "{row}");
        assert_eq!(webhooks_status(&app, &stock_only).await, 403, "the other key is untouched");
        let (status, _) = admin.post_form_json(REVOKE, &[("id", &id)]).await;
        assert_eq!(status, 200, "a second press is no error");
        let (status, _) = admin.post_form_json(REVOKE, &[("id", "999999")]).await;
        assert_eq!(status, 404);
        app.stop().await;
    }
}

both_backends! {
    /// Anyone but a brand admin is refused the page and both posts, as the console
    /// refuses a role elsewhere (403; signed out 401, with the way to sign in), sees no
    /// link to it, and changes nothing: the keys, their states and the audit log stay.
    #[tokio::test]
    async fn only_a_brand_admin_may_see_make_or_revoke_keys(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let admin = app.admin().await;
        let (_, shown) = make(&admin, "ERP", &["webhooks_write"]).await;
        let key = keys_on(&shown).first().cloned().expect("the admin's key is shown");
        let id = revoke_id(&admin.page(PAGE).await, "ERP");
        let people = [
            ("nobody", app.browser(), 401),
            ("manager", app.staff(STORE, 1).await, 403),
            ("staff", app.staff(STORE, 2).await, 403),
            ("guide", app.staff(STORE, 3).await, 403),
        ];
        for (who, b, refusal) in &people {
            let before = fingerprint(&app).await;
            let (status, page) = b.get(PAGE).await;
            assert_eq!(status, *refusal, "{who} GET: {page:.1000}");
            assert!(!page.contains(&key[..12]) && !page.contains("ERP"), "{who} saw the list");
            if *refusal == 401 {
                assert!(page.contains(&format!("/staff?back={PAGE}")), "the way to sign in: {page:.2000}");
            }
            let making = [("name", "偷偷"), ("webhooks_write", "1"), ("catalog_write", "1")];
            let (status, reply) = b.post_form_json(CREATE, &making).await;
            assert_eq!(status, *refusal, "{who} create: {reply}");
            let (status, reply) = b.post_form_json(REVOKE, &[("id", &id)]).await;
            assert_eq!(status, *refusal, "{who} revoke: {reply}");
            // Without JavaScript too: back to the page, with no key cookie.
            let plain = b.post_form(CREATE, &making).await;
            assert_eq!(plain.status().as_u16(), 303, "{who}");
            assert!(set_cookies(&plain).iter().all(|c| !c.starts_with("new_api_key=")), "{who}");
            let plain = b.post_form(REVOKE, &[("id", &id)]).await;
            assert_eq!(plain.status().as_u16(), 303, "{who}");
            assert_eq!(fingerprint(&app).await, before, "{who} changed something");
            assert_eq!(webhooks_status(&app, &key).await, 200, "{who}: the key still works");
        }
        let manager = &people[1].1;
        let console = manager.page(&format!("/staff/{STORE}")).await;
        assert!(console.contains(&format!("/staff/{STORE}/team")), "{console:.2000}");
        assert!(!console.contains(&format!("href=\"{PAGE}\"")), "no link for a manager");
        assert!(!manager.page("/staff").await.contains(&format!("href=\"{PAGE}\"")));
        app.stop().await;
    }
}

both_backends! {
    /// A name missing, too long or with a control character, or no scope ticked: the
    /// refusal is said beside its field (with JavaScript off, after the redirect), the
    /// status is 400 for the form enhancer, and no key is made.
    #[tokio::test]
    async fn bad_input_is_refused_beside_its_field_and_makes_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let admin = app.admin().await;
        let long = "键".repeat(61);
        let cases: [(&str, &[&str], T, &str); 5] = [
            ("", &["stock_write"], T::KeyNameEmpty, "name"),
            ("   ", &["stock_write"], T::KeyNameEmpty, "name"),
            (&long, &["stock_write"], T::KeyNameTooLong, "name"),
            ("ERP\nsync", &["stock_write"], T::KeyNameControl, "name"),
            ("ERP", &[], T::KeyScopeRequired, "scopes"),
        ];
        for (name, scopes, message, field) in cases {
            let before = fingerprint(&app).await;
            let (posted, page) = make(&admin, name, scopes).await;
            assert_eq!(posted.status().as_u16(), 303, "{name:?}");
            assert!(set_cookies(&posted).iter().all(|c| !c.starts_with("new_api_key=")), "{name:?}");
            assert_eq!(note(&page, field).as_deref(), Some(zh(message)), "{name:?}: {page:.5000}");
            let other = if field == "name" { "scopes" } else { "name" };
            assert_eq!(note(&page, other), None, "{name:?}: said beside its own field only");
            assert!(keys_on(&page).is_empty(), "{name:?}");
            let mut form = vec![("name", name)];
            form.extend(scopes.iter().map(|s| (*s, "1")));
            let (status, reply) = admin.post_form_json(CREATE, &form).await;
            assert_eq!(status, 400, "{name:?}: {reply}");
            assert_eq!(reply["message"], zh(message), "{name:?}");
            assert_eq!(fingerprint(&app).await, before, "{name:?} made something");
        }
        assert!(fingerprint(&app).await.0.is_empty(), "no key was made");
        // The longest name and a trimmed one are fine.
        let (_, page) = make(&admin, &format!("  {}  ", "键".repeat(60)), &["orders_read"]).await;
        assert_eq!(keys_on(&page).len(), 1, "{page:.3000}");
        let (keys, _) = fingerprint(&app).await;
        assert_eq!(keys.len(), 1);
        assert_eq!((keys[0].1.as_str(), keys[0].3.as_str()), ("键".repeat(60).as_str(), "orders:read"));
        app.stop().await;
    }
}

both_backends! {
    /// A key cookie the server did not just set for this admin shows nothing: a made-up
    /// key, and a real one replayed after it was revoked.
    #[tokio::test]
    async fn a_key_cookie_not_just_made_shows_nothing(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let admin = app.admin().await;
        let (posted, _) = make(&admin, "ERP", &["orders_read"]).await;
        let value = set_cookies(&posted)
            .into_iter()
            .find_map(|c| c.strip_prefix("new_api_key=").and_then(|v| v.split(';').next()).map(str::to_owned))
            .expect("the key cookie");
        let (id, key) = value.split_once('.').unwrap();
        let replay = |b: &Browser, v: &str| b.set_cookie(&format!("new_api_key={v}"));
        // The same admin on a second device: a made-up key under the real one's id…
        let other_device = app.admin().await;
        replay(&other_device, &format!("{id}.cso_{}", "A".repeat(43)));
        assert!(keys_on(&other_device.page(PAGE).await).is_empty(), "a made-up key is not shown");
        // …and the real cookie replayed once the key is revoked.
        admin.post_form(REVOKE, &[("id", id)]).await;
        replay(&other_device, &value);
        assert!(!other_device.page(PAGE).await.contains(key), "a revoked key is not shown");
        // Signed out, the cookie opens nothing.
        let signed_out = app.browser();
        replay(&signed_out, &value);
        let (status, page) = signed_out.get(PAGE).await;
        assert_eq!(status, 401);
        assert!(!page.contains(key));
        app.stop().await;
    }
}
