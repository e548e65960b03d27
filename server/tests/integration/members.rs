//! Members on SQLite and PostgreSQL: one-time sign-in codes (single use, expiry, locked
//! after five misses, rate-limited), the anonymous bag merging into the member's, and the
//! member code — accepted once even when a hundred tills try it at once, refused when
//! replayed, expired, forged or signed out.

use crate::harness::{Fresh, TestApp, set_stock};
use app::domain::member_code;
use app::ssr::db::DbKind;
use app::ssr::members::{self, CodeRefusal};
use app::ssr::session::now;

const STORE: &str = "sh-jingan-temple";
const PHONE: &str = "13800138000";

/// The latest code the demo sender "sent" to the phone.
async fn latest_code(app: &TestApp) -> String {
    let (message,): (String,) =
        sqlx::query_as("SELECT message FROM demo_inbox ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
    message
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()[..6]
        .to_owned()
}

both_backends! {
    #[tokio::test]
    async fn sign_in_codes_are_single_use_expire_and_lock(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let phone = app.browser();
        assert_eq!(
            phone
                .post_form_json("/member/code", &[("phone", "138 0013 8000")])
                .await.0,
            200
        );
        let code = latest_code(&app).await;
        // Five misses lock it: then even the right code is refused.
        for _ in 0..5 {
            assert_eq!(
                phone.post_form_json("/member/verify", &[("code", "000000")]).await.0,
                400
            );
        }
        assert_eq!(
            phone.post_form_json("/member/verify", &[("code", &code)]).await.0,
            409,
            "{:?}",
            app.kind()
        );
        // A new code, expired by the clock: refused.
        assert_eq!(phone.post_form_json("/member/code", &[("phone", PHONE)]).await.0, 200);
        sqlx::query("UPDATE login_codes SET expires_at = $1 WHERE phone = $2")
            .bind(now() - 1)
            .bind(PHONE)
            .execute(&app.db().pool)
            .await
            .unwrap();
        let code = latest_code(&app).await;
        assert_eq!(phone.post_form_json("/member/verify", &[("code", &code)]).await.0, 409);
        // A third: it signs in, once.
        assert_eq!(phone.post_form_json("/member/code", &[("phone", PHONE)]).await.0, 200);
        let code = latest_code(&app).await;
        let other = phone.copy();
        assert_eq!(phone.post_form_json("/member/verify", &[("code", &code)]).await.0, 200);
        assert!(phone.page("/member").await.contains("138****8000"));
        assert_eq!(
            other.post_form_json("/member/verify", &[("code", &code)]).await.0,
            409,
            "used"
        );
        // The fourth request in ten minutes for one phone is refused.
        assert_eq!(phone.post_form_json("/member/code", &[("phone", PHONE)]).await.0, 429);
        app.stop().await;
    }
}

both_backends! {
    #[tokio::test]
    async fn signing_in_keeps_the_bag_and_the_member_bag_follows_to_another_device(kind: DbKind) {
        let app = TestApp::start(kind).await;
        let db = app.db();
        let guide: (String,) = sqlx::query_as("SELECT MIN(code) FROM guides")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let phone = app.browser();
        phone.set_cookie(&format!("guide={}.{}", guide.0, now()));
        assert_eq!(
            phone
                .post_form_json(
                    "/bag/add",
                    &[
                        ("store", STORE),
                        ("sku", "HC101101"),
                        ("quantity", "2"),
                        ("back", "/")
                    ]
                )
                .await.0,
            200
        );
        assert_eq!(phone.post_form_json("/member/code", &[("phone", PHONE)]).await.0, 200);
        let code = latest_code(&app).await;
        assert_eq!(phone.post_form_json("/member/verify", &[("code", &code)]).await.0, 200);
        let page = phone.page("/bag").await;
        assert!(
            page.contains("购物袋，2 件"),
            "the anonymous bag survives signing in"
        );
        assert!(
            phone.page("/member").await.contains("满 ¥59.00 减 ¥10.00"),
            "new-member coupon"
        );
        let (recorded,): (Option<String>,) =
            sqlx::query_as("SELECT guide_code FROM members WHERE phone = $1")
                .bind(PHONE)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(recorded, Some(guide.0.clone()), "joining records the guide");

        // A second device with a bag of its own signs in: the bags add up.
        let tablet = app.browser();
        tablet
            .post_form_json(
                "/bag/add",
                &[
                    ("store", STORE),
                    ("sku", "HC101101"),
                    ("quantity", "1"),
                    ("back", "/"),
                ],
            )
            .await;
        tablet.post_form_json("/member/code", &[("phone", PHONE)]).await;
        let code = latest_code(&app).await;
        assert_eq!(tablet.post_form_json("/member/verify", &[("code", &code)]).await.0, 200);
        assert!(
            tablet.page("/bag").await.contains("购物袋，3 件"),
            "{:?}",
            app.kind()
        );
        assert!(phone.page("/bag").await.contains("购物袋，3 件"));

        // Signing out on the phone revokes its member-code key, and its bag view.
        let device = phone.page("/member").await;
        let number = device.split("&quot;device&quot;:&quot;").nth(1).unwrap()[..8].to_owned();
        assert_eq!(phone.post_form_json("/member/logout", &[]).await.0, 200);
        assert!(phone.page("/bag").await.contains("购物袋，0 件"));
        let (revoked,): (Option<i64>,) =
            sqlx::query_as("SELECT revoked_at FROM devices WHERE id = $1")
                .bind(&number)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert!(revoked.is_some());
        let code = format!("{number}000000");
        assert_eq!(
            members::check_member_code(&db, &code, now()).await.unwrap(),
            Err(CodeRefusal::Unknown)
        );
        assert!(
            tablet.page("/bag").await.contains("购物袋，3 件"),
            "the member's bag stays"
        );
        app.stop().await;
    }
}

every_isolation! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_member_code_is_accepted_once_among_a_hundred_tries(fresh: Fresh) {
        let db = fresh.open().await;
        let (member, new) = members::join(&db, PHONE, None).await.unwrap();
        assert!(new);
        let cookie = members::sign_in(&db, None, member, false).await.unwrap();
        let token = cookie.split(';').next().unwrap().trim_start_matches("sid=");
        let session = app::ssr::session::hash_token(token);
        let (device, secret) = members::device_of(&db, &session).await.unwrap().unwrap();
        let key = hex::decode(&secret).unwrap();
        let at = now();
        let code = member_code::code(&device, &key, at);

        let tries = (0..100).map(|_| {
            let (db, code) = (db.clone(), code.clone());
            tokio::spawn(async move { members::check_member_code(&db, &code, at).await.unwrap() })
        });
        let results: Vec<_> = futures::future::join_all(tries)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            results.iter().filter(|r| **r == Ok(member)).count(),
            1,
            "{:?}",
            fresh.kind
        );
        assert!(
            results
                .iter()
                .all(|r| *r == Ok(member) || *r == Err(CodeRefusal::Replayed))
        );

        // A screenshot two steps later, a code from a forged key, and garbage.
        let later = at + 2 * member_code::STEP_SECS;
        let old = member_code::code(&device, &key, at - 2 * member_code::STEP_SECS);
        assert_eq!(
            members::check_member_code(&db, &old, later)
                .await
                .unwrap()
                .ok(),
            None
        );
        let forged = member_code::code(&device, &[0u8; 32], at);
        if forged != code {
            assert_eq!(
                members::check_member_code(&db, &forged, at).await.unwrap(),
                Err(CodeRefusal::NotValid)
            );
        }
        assert_eq!(
            members::check_member_code(&db, "12345", at).await.unwrap(),
            Err(CodeRefusal::Malformed)
        );
        assert_eq!(
            members::check_member_code(&db, "99999999123456", at)
                .await
                .unwrap(),
            Err(CodeRefusal::Unknown)
        );
        // The next step's code (one step of skew) still works, once.
        let next = member_code::code(&device, &key, at + member_code::STEP_SECS);
        assert_eq!(
            members::check_member_code(&db, &next, at).await.unwrap(),
            Ok(member)
        );
    }
}

every_isolation! {
    /// A member's coupon comes off the total once, and cancelling gives it back; points
    /// come only when an order completes (collected), on what was paid.
    #[tokio::test]
    async fn a_coupon_is_used_once_and_cancelling_gives_it_back(fresh: Fresh) {
        use app::domain::order::Mode;
        use app::ssr::checkout::{self, OrderRequest, Refusal};
        use app::ssr::settings::SigningKey;
        let db = fresh.open().await;
        let key = SigningKey::ephemeral();
        let (member, _) = members::join(&db, PHONE, None).await.unwrap();
        let coupon = members::member(&db, member).await.unwrap().unwrap().coupons[0].id;
        let (store, product, price): (i64, i64, i64) = sqlx::query_as(
            "SELECT o.store_id, o.product_id, o.price_minor FROM offers o JOIN stores s ON s.id = o.store_id \
             JOIN products p ON p.id = o.product_id WHERE s.slug = $1 AND p.sku = 'HC101101'",
        )
        .bind(STORE)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        set_stock(&db, store, product, 100).await;
        let quantity = 5_900 / price + 1; // over the ¥59 minimum
        let request = |n: u32| OrderRequest {
            owner: format!("m:{member}"),
            store_id: store,
            idempotency_key: format!("coupon-order-key-{n:04}"),
            mode: Mode::Pickup,
            window: None,
            pickup_at: Some(2_000_000_000),
            address: None,
            location: None,
            contact_name: "Li".into(),
            phone: PHONE.into(),
            lines: vec![(product, quantity)],
            guide_code: None,
            member_id: Some(member),
            coupon_id: Some(coupon),
        };
        let first = checkout::place(&db, &key, &request(1))
            .await
            .unwrap()
            .unwrap();
        let order = checkout::order(&db, first.id()).await.unwrap().unwrap();
        assert_eq!(
            order.discount_minor,
            members::WELCOME_COUPON.0,
            "{:?}",
            fresh.kind
        );
        assert_eq!(
            order.total_minor,
            price * quantity - members::WELCOME_COUPON.0
        );
        assert_eq!(
            checkout::place(&db, &key, &request(2)).await.unwrap(),
            Err(Refusal::CouponGone)
        );
        let points = members::member(&db, member).await.unwrap().unwrap().points;
        assert_eq!(points, members::WELCOME_POINTS, "no points before it completes");
        assert!(
            checkout::cancel(&db, &format!("m:{member}"), first.id())
                .await
                .unwrap()
        );
        let after = members::member(&db, member).await.unwrap().unwrap();
        assert_eq!(after.points, members::WELCOME_POINTS);
        assert_eq!(after.coupons.len(), 1, "the coupon is back");
        // Used again and collected: now the points come, on what was paid.
        let second = checkout::place(&db, &key, &request(3))
            .await
            .unwrap()
            .unwrap();
        let order = checkout::order(&db, second.id()).await.unwrap().unwrap();
        let code = checkout::pickup_code(&key, second.id());
        assert!(checkout::collect(&db, &key, store, &code).await.unwrap().is_some());
        let after = members::member(&db, member).await.unwrap().unwrap();
        assert_eq!(
            after.points,
            members::WELCOME_POINTS + order.total_minor / 100
        );
    }
}

/// The till's member desk says what went wrong: a timed-out desk (a correctly signed
/// token whose ten minutes are over), points out of range.
#[tokio::test]
async fn the_member_desk_explains_its_refusals() {
    use app::ssr::token::{self, Purpose};
    let app = TestApp::start(DbKind::Sqlite).await;
    let db = app.db();
    let till = app.staff(STORE, 2).await;
    let (member, _) = members::join(&db, PHONE, None).await.unwrap();
    let cookie = members::sign_in(&db, None, member, false).await.unwrap();
    let session =
        app::ssr::session::hash_token(cookie.split(';').next().unwrap().trim_start_matches("sid="));
    let (device, secret) = members::device_of(&db, &session).await.unwrap().unwrap();
    let code = member_code::code(&device, &hex::decode(secret).unwrap(), now());

    let r = till
        .post_form("/till/member", &[("store", STORE), ("code", &code)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let serving = r.headers()["location"].to_str().unwrap().to_owned();
    let token = serving.split("?m=").nth(1).unwrap().to_owned();

    let points = |m: String, n: &'static str| {
        let till = &till;
        async move {
            let (status, body) = till
                .post_form_json(
                    "/till/points",
                    &[("store", STORE), ("m", &m), ("points", n)],
                )
                .await;
            (
                status,
                body["message"].as_str().unwrap_or_default().to_owned(),
            )
        }
    };
    assert_eq!(
        points(token.clone(), "0").await,
        (400, "积分请填写 1 到 100000 之间的整数。".to_owned())
    );
    // The same member, signed with the server's key, but expired a second ago.
    let expired = token::sign(
        &app.key(),
        Purpose::TillMember,
        now() - 1,
        &member.to_be_bytes(),
    );
    assert_eq!(
        points(expired, "10").await,
        (409, "为这位会员服务的时间已过，请重新扫会员码。".to_owned())
    );
    assert_eq!(
        members::member(&db, member).await.unwrap().unwrap().points,
        members::WELCOME_POINTS,
        "nothing added"
    );
    // Signed the same way with time left, it is accepted: the refusal above was the clock.
    let live = token::sign(
        &app.key(),
        Purpose::TillMember,
        now() + 600,
        &member.to_be_bytes(),
    );
    assert_eq!(points(live, "5").await, (200, "已加 5 积分。".to_owned()));
    assert_eq!(
        points(token, "10").await,
        (200, "已加 10 积分。".to_owned())
    );
    assert_eq!(
        members::member(&db, member).await.unwrap().unwrap().points,
        members::WELCOME_POINTS + 15
    );
    app.stop().await;
}
