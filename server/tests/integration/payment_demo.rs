//! The demo payment gateway over real HTTP, on SQLite and PostgreSQL: its routes on port 0
//! with a stand-in for the shop's notify route, spoken to by the app's own Alipay client
//! (`Alipay<ReqwestTransport>`) and a browser without JavaScript. Forged pay requests
//! record nothing; paying notifies the shop (verified as the shop verifies it) once,
//! however often the buyer clicks; declining leaves the trade payable; queries and refunds
//! read the gateway's book, a refund id moving money once.

use crate::harness::Fresh;
use app::ssr::db::{Db, DbKind};
use app::ssr::payment::alipay::{self, Alipay, AlipayConfig, AppPrivateKey};
use app::ssr::payment::demo::{DECIDE_PATH, DemoGateway, GATEWAY_PATH, NOTIFY_PATH};
use app::ssr::payment::{PayRequest, PaymentError, PaymentProvider, RefundOutcome, TradeStatus};
use app::ssr::settings::Settings;
use app::ssr::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::Extension;
use axum::routing::post;
use server::payment_http::{ReqwestTransport, demo_routes};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const FORGER_KEY: &str =
    include_str!("../../../app/src/ssr/payment/testdata/other_private_pkcs8.pem");
const MINUTES_15: Duration = Duration::from_secs(15 * 60);

type Form = Vec<(String, String)>;

/// The shop's notify route, standing in: keeps every form it is sent, and answers
/// `success` except to the first `refuse` of them.
#[derive(Default)]
struct Inbox {
    forms: Mutex<Vec<Form>>,
    refuse: AtomicU32,
}

async fn receive(Extension(inbox): Extension<Arc<Inbox>>, body: Bytes) -> &'static str {
    let form = form_urlencoded::parse(&body).into_owned().collect();
    inbox.forms.lock().unwrap().push(form);
    let refused = inbox
        .refuse
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if refused { "fail" } else { "success" }
}

/// The gateway's routes and the stand-in on one server, and the app's side of them.
struct Gateway {
    base: String,
    /// The app's Alipay settings, as demo mode makes them.
    config: AlipayConfig,
    db: Db,
    inbox: Arc<Inbox>,
    /// A browser without JavaScript: follows no redirect, so each `303` is seen.
    browser: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    _fresh: Fresh,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Gateway {
    async fn start(kind: DbKind) -> Gateway {
        let fresh = Fresh::new(kind).await;
        let db = fresh.migrate().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (config, gateway) = DemoGateway::pair(&base);
        let options = server::leptos_options(&fresh.config());
        let state = AppState::new(db.clone(), Settings::for_tests(), options);
        let inbox = Arc::new(Inbox::default());
        let app = Router::new()
            .merge(demo_routes(Some(Arc::new(gateway))))
            .route(NOTIFY_PATH, post(receive))
            .layer(Extension(inbox.clone()))
            .with_state(state);
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Gateway {
            base,
            config,
            db,
            inbox,
            browser: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            server,
            _fresh: fresh,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn order_path(order: &str) -> String {
        format!("/orders/{order}")
    }

    /// What the shop asks the buyer to pay for `order`.
    fn request(&self, order: &str, fen: i64) -> PayRequest {
        let back = self.url(&Self::order_path(order));
        PayRequest::new(order, fen, "Latte <b>\"hot\"</b>", MINUTES_15, Some(&back)).unwrap()
    }

    /// The signed pay URL, as the shop sends the buyer to it.
    fn pay_url(&self, order: &str, fen: i64) -> String {
        alipay::wap_pay_url(&self.config, &self.request(order, fen), chrono::Utc::now())
    }

    /// The app's Alipay client over real HTTP.
    fn alipay(&self) -> Alipay<ReqwestTransport> {
        Alipay::new(self.config.clone(), ReqwestTransport::new())
    }

    async fn get(&self, url: &str, lang: &str) -> (u16, String) {
        let response = self
            .browser
            .get(url)
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// Opens the pay page for `order` (English) and expects it to ask for payment.
    async fn open(&self, order: &str, fen: i64) {
        let (status, page) = self.get(&self.pay_url(order, fen), "en").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Demo payment gateway"), "{page}");
    }

    /// The buyer's choice on the pay page: the status and where it sends them.
    async fn decide(&self, order: &str, decision: &str, notify: &str) -> (u16, String) {
        let response = self
            .browser
            .post(self.url(DECIDE_PATH))
            .form(&[
                ("out_trade_no", order),
                ("decision", decision),
                ("notify", notify),
            ])
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location)
    }

    fn notifies(&self) -> Vec<Form> {
        self.inbox.forms.lock().unwrap().clone()
    }

    /// Waits up to `within` for `n` notifies to have arrived; then all that arrived.
    async fn notifies_after(&self, n: usize, within: Duration) -> Vec<Form> {
        let deadline = tokio::time::Instant::now() + within;
        while self.notifies().len() < n && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.notifies()
    }

    async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_as::<_, (i64,)>(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .0
    }

    async fn status(&self, order: &str) -> String {
        sqlx::query_as::<_, (String,)>("SELECT status FROM demo_trades WHERE out_trade_no = $1")
            .bind(order)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .0
    }
}

fn business_sub_code(result: &Result<RefundOutcome, PaymentError>) -> Option<(&str, bool)> {
    match result {
        Err(PaymentError::Business {
            sub_code: Some(sub),
            verified,
            ..
        }) => Some((sub.as_str(), *verified)),
        _ => None,
    }
}

both_backends! {
    /// A pay request not signed by the app's key, or changed after signing, is refused
    /// with a page saying so, and the gateway records nothing; the genuine one is shown.
    #[tokio::test]
    async fn forged_or_tampered_pay_requests_are_refused_and_record_nothing(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        let genuine = gw.pay_url("CS0000000000A1", 1234);
        assert!(genuine.contains("12.34"));

        let mut forger = gw.config.clone();
        forger.private_key = AppPrivateKey::parse(FORGER_KEY).unwrap();
        let forged = alipay::wap_pay_url(&forger, &gw.request("CS0000000000A1", 1234), chrono::Utc::now());
        let tampered = genuine.replace("12.34", "0.01");
        let unsigned = gw.url(GATEWAY_PATH);
        for url in [&forged, &tampered, &unsigned] {
            let (status, page) = gw.get(url, "en").await;
            assert_eq!(status, 400, "{url}: {page}");
            assert!(page.contains("signature is not valid"), "{page}");
            assert!(!page.contains("name=\"decision\""), "{page}");
            let (status, page) = gw.get(url, "zh-CN").await;
            assert_eq!(status, 400);
            assert!(page.contains("签名无效") && page.contains("lang=\"zh-CN\""), "{page}");
        }
        assert_eq!(gw.scalar("SELECT COUNT(*) FROM demo_trades").await, 0);

        let response = gw.browser.get(&genuine).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let page = response.text().await.unwrap();
        // No lang cookie, no Accept-Language: zh-CN.
        assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("演示支付网关"), "{page}");
        let (_, page) = gw.get(&genuine, "en-GB,en;q=0.9").await;
        for expected in [
            "<h1 id=\"gateway-title\">Demo payment gateway</h1>",
            "Cloud Store",
            "Pay ¥12.34",
            "Decline",
            "<legend>Notify the shop</legend>",
            "value=\"now\" checked",
            "value=\"late\"",
            "value=\"never\"",
            "action=\"/demo/alipay/decide\"",
            "value=\"CS0000000000A1\"",
            "Latte &lt;b&gt;&quot;hot&quot;",
            "/pkg/cloud_store.css",
        ] {
            assert!(page.contains(expected), "{expected} in {page}");
        }
        assert!(!page.contains("<b>") && !page.contains("<script") && !page.contains("style="));
        assert_eq!(page.matches("<h1").count(), 1);
        assert_eq!(gw.scalar("SELECT COUNT(*) FROM demo_trades").await, 1);
        // The same order again with another amount is refused; the book keeps the first.
        let (status, page) = gw.get(&gw.pay_url("CS0000000000A1", 99), "en").await;
        assert_eq!(status, 409, "{page}");
        assert_eq!(
            gw.scalar("SELECT total_minor FROM demo_trades").await,
            1234
        );
        // A decision about a trade the gateway never saw, or that is no decision.
        assert_eq!(gw.decide("CS0000000000ZZ", "pay", "now").await.0, 404);
        assert_eq!(gw.decide("CS0000000000A1", "maybe", "now").await.0, 400);
        assert_eq!(gw.decide("CS0000000000A1", "pay", "tomorrow").await.0, 400);
        assert_eq!(gw.status("CS0000000000A1").await, "WAIT_BUYER_PAY");
        assert!(gw.notifies().is_empty());
    }
}

both_backends! {
    /// Paying notifies the shop over HTTP before the buyer is sent back: a notify the
    /// app's own parser verifies and reads, then a 303 to the order page with Alipay's
    /// signed return parameters.
    #[tokio::test]
    async fn paying_notifies_the_shop_then_sends_the_buyer_back(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        let order = "CS0000000000B1";
        gw.open(order, 1234).await;
        let (status, location) = gw.decide(order, "pay", "now").await;
        assert_eq!(status, 303);
        let (path, query) = location.split_once('?').expect("return parameters");
        assert_eq!(path, Gateway::order_path(order));
        let back: BTreeMap<String, String> =
            form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert_eq!(back["method"], "alipay.trade.wap.pay.return");
        assert_eq!(back["out_trade_no"], order);
        assert_eq!(back["total_amount"], "12.34");
        assert_eq!(
            alipay::verify_params(&gw.config.alipay_public_key, &back),
            Ok(())
        );

        // `now`: delivered before the redirect.
        let forms = gw.notifies();
        assert_eq!(forms.len(), 1);
        let notify = alipay::parse_notify(&gw.config, &forms[0]).expect("a verified notify");
        assert_eq!(notify.out_trade_no, order);
        assert_eq!(notify.total_fen, 1234);
        assert_eq!(notify.trade_status, TradeStatus::Success);
        assert_eq!(notify.trade_no, back["trade_no"]);
        assert!(notify.gmt_payment.is_some());
        assert_eq!(gw.status(order).await, "TRADE_SUCCESS");
        // The provider reads it the same way.
        assert_eq!(gw.alipay().parse_notify(&forms[0]), Ok(notify.clone()));
        // A notify changed on the way is refused by the shop's parser.
        let mut changed = forms[0].clone();
        for (key, value) in &mut changed {
            if key == "total_amount" {
                *value = "0.01".into();
            }
        }
        assert!(alipay::parse_notify(&gw.config, &changed).is_err());

        // Opening the pay page again says it is paid, with the way back.
        let (status, page) = gw.get(&gw.pay_url(order, 1234), "en").await;
        assert_eq!(status, 200);
        assert!(page.contains("already paid") && page.contains("href=\"/orders/CS0000000000B1\""), "{page}");
        assert!(!page.contains("name=\"decision\""));
    }
}

both_backends! {
    /// Declining sends the buyer back with nothing paid and the trade still payable:
    /// paying afterwards works and notifies once.
    #[tokio::test]
    async fn declining_then_paying_again_works(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        let order = "CS0000000000C1";
        gw.open(order, 1234).await;
        let (status, location) = gw.decide(order, "decline", "now").await;
        assert_eq!((status, location.as_str()), (303, "/orders/CS0000000000C1"));
        assert_eq!(gw.status(order).await, "WAIT_BUYER_PAY");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(gw.notifies().is_empty());

        gw.open(order, 1234).await;
        assert_eq!(gw.scalar("SELECT COUNT(*) FROM demo_trades").await, 1);
        let (status, location) = gw.decide(order, "pay", "now").await;
        assert_eq!(status, 303);
        assert!(location.starts_with("/orders/CS0000000000C1?"), "{location}");
        let forms = gw.notifies();
        assert_eq!(forms.len(), 1);
        let notify = alipay::parse_notify(&gw.config, &forms[0]).unwrap();
        assert_eq!((notify.out_trade_no.as_str(), notify.total_fen), (order, 1234));
        // Declining a paid trade changes nothing.
        assert_eq!(gw.decide(order, "decline", "now").await.0, 303);
        assert_eq!(gw.status(order).await, "TRADE_SUCCESS");
    }
}

both_backends! {
    /// A double click, or two tabs at once, pays once and notifies once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn paying_twice_at_once_notifies_once(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        let order = "CS0000000000D1";
        gw.open(order, 1234).await;
        let clicks: Vec<_> = (0..6).map(|_| gw.decide(order, "pay", "now")).collect();
        for (status, location) in futures::future::join_all(clicks).await {
            assert_eq!(status, 303);
            assert!(location.starts_with("/orders/CS0000000000D1?"), "{location}");
        }
        assert_eq!(gw.decide(order, "pay", "now").await.0, 303);
        // Long enough for a retry to have come, had there been one.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let forms = gw.notifies();
        assert_eq!(forms.len(), 1, "{forms:?}");
        let notify = alipay::parse_notify(&gw.config, &forms[0]).unwrap();
        assert_eq!(notify.trade_status, TradeStatus::Success);
    }
}

both_backends! {
    /// The app's trade query over HTTP: no trade before the pay page, waiting after it,
    /// paid after paying — with no notify at all (`never`), as when notifies are lost.
    #[tokio::test]
    async fn the_trade_query_sees_waiting_then_paid_and_nothing_for_an_unknown_trade(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        let alipay = gw.alipay();
        let order = "CS0000000000E1";
        assert_eq!(alipay.query(order).await, Ok(None));
        gw.open(order, 1234).await;
        let waiting = alipay.query(order).await.unwrap().expect("a trade");
        assert_eq!(waiting.status, TradeStatus::WaitBuyerPay);
        assert_eq!((waiting.total_fen, waiting.trade_no.len()), (1234, 28));
        let (status, _) = gw.decide(order, "pay", "never").await;
        assert_eq!(status, 303);
        let paid = alipay.query(order).await.unwrap().expect("a trade");
        assert_eq!(paid.status, TradeStatus::Success);
        assert_eq!((paid.total_fen, &paid.trade_no), (1234, &waiting.trade_no));
        assert_eq!(alipay.query("CS0000000000E2").await, Ok(None));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(gw.notifies().is_empty(), "never means never");

        // A caller without the app's key learns nothing: an unsigned refusal.
        let mut forger = gw.config.clone();
        forger.private_key = AppPrivateKey::parse(FORGER_KEY).unwrap();
        let forged = Alipay::new(forger, ReqwestTransport::new());
        assert!(matches!(
            forged.query(order).await,
            Err(PaymentError::Business { code, verified: false, .. }) if code == "40002"
        ));
        assert!(matches!(
            forged.refund(order, 100, "R1", "").await,
            Err(PaymentError::Business { code, verified: false, .. }) if code == "40002"
        ));
        assert_eq!(gw.scalar("SELECT COUNT(*) FROM demo_refunds").await, 0);
    }
}

both_backends! {
    /// A refund id moves money once: a repeat answers the same refund with no fund change;
    /// more than what is left is refused; refunding the rest closes the trade. Eight
    /// concurrent calls with one id refund once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_refund_id_moves_money_once(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        let alipay = gw.alipay();
        let order = "CS0000000000F1";
        gw.open(order, 1234).await;
        let unpaid = alipay.refund(order, 100, "CS0000000000F1_R0", "").await;
        assert_eq!(business_sub_code(&unpaid), Some(("ACQ.TRADE_STATUS_ERROR", true)));
        assert_eq!(gw.decide(order, "pay", "never").await.0, 303);

        let first = alipay.refund(order, 500, "CS0000000000F1_R1", "缺货").await;
        assert_eq!(first, Ok(RefundOutcome { refunded_fen: 500, fund_change: true }));
        let repeat = alipay.refund(order, 500, "CS0000000000F1_R1", "缺货").await;
        assert_eq!(repeat, Ok(RefundOutcome { refunded_fen: 500, fund_change: false }));
        let too_much = alipay.refund(order, 735, "CS0000000000F1_R2", "").await;
        assert_eq!(
            business_sub_code(&too_much),
            Some(("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", true))
        );
        assert_eq!(gw.scalar("SELECT COUNT(*) FROM demo_refunds").await, 1);
        assert_eq!(gw.scalar("SELECT refunded_minor FROM demo_trades").await, 500);
        assert_eq!(gw.status(order).await, "TRADE_SUCCESS");

        let rest = alipay.refund(order, 734, "CS0000000000F1_R2", "").await;
        assert_eq!(rest, Ok(RefundOutcome { refunded_fen: 1234, fund_change: true }));
        let closed = alipay.query(order).await.unwrap().unwrap();
        assert_eq!(closed.status, TradeStatus::Closed);
        let more = alipay.refund(order, 1, "CS0000000000F1_R3", "").await;
        assert_eq!(business_sub_code(&more), Some(("ACQ.TRADE_HAS_CLOSE", true)));
        let unknown = alipay.refund("CS0000000000F9", 1, "R1", "").await;
        assert_eq!(business_sub_code(&unknown), Some(("ACQ.TRADE_NOT_EXIST", true)));

        let order = "CS0000000000F2";
        gw.open(order, 1000).await;
        assert_eq!(gw.decide(order, "pay", "never").await.0, 303);
        let calls: Vec<_> = (0..8)
            .map(|_| alipay.refund(order, 100, "CS0000000000F2_R1", ""))
            .collect();
        let outcomes = futures::future::join_all(calls).await;
        let moved = outcomes
            .iter()
            .filter(|o| matches!(o, Ok(RefundOutcome { fund_change: true, .. })))
            .count();
        assert_eq!(moved, 1, "{outcomes:?}");
        assert!(outcomes
            .iter()
            .all(|o| matches!(o, Ok(RefundOutcome { refunded_fen: 100, .. }))));
        let refunded: (i64,) = sqlx::query_as("SELECT refunded_minor FROM demo_trades WHERE out_trade_no = $1")
            .bind(order)
            .fetch_one(&gw.db.pool)
            .await
            .unwrap();
        assert_eq!(refunded.0, 100);
    }
}

both_backends! {
    /// A notify the shop does not acknowledge is sent again (the same form) until it is;
    /// `late` comes after the buyer is back, and `never` not at all.
    #[tokio::test]
    async fn notifies_are_retried_late_or_withheld_as_chosen(kind: DbKind) {
        let gw = Gateway::start(kind).await;
        gw.inbox.refuse.store(1, Ordering::SeqCst);
        let order = "CS0000000000G1";
        gw.open(order, 1234).await;
        assert_eq!(gw.decide(order, "pay", "now").await.0, 303);
        assert_eq!(gw.notifies().len(), 1, "the first, refused");
        let forms = gw.notifies_after(2, Duration::from_secs(5)).await;
        assert_eq!(forms.len(), 2, "sent again after a second");
        assert_eq!(forms[0], forms[1], "the same notify, the same notify_id");
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert_eq!(gw.notifies().len(), 2, "acknowledged: no more");

        let late = "CS0000000000G2";
        let never = "CS0000000000G3";
        gw.open(late, 500).await;
        gw.open(never, 600).await;
        assert_eq!(gw.decide(late, "pay", "late").await.0, 303);
        assert_eq!(gw.decide(never, "pay", "never").await.0, 303);
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(gw.notifies().len(), 2, "late is not yet");
        assert_eq!(gw.status(late).await, "TRADE_SUCCESS");
        let forms = gw.notifies_after(3, Duration::from_secs(12)).await;
        assert_eq!(forms.len(), 3);
        let notify = alipay::parse_notify(&gw.config, &forms[2]).unwrap();
        assert_eq!((notify.out_trade_no.as_str(), notify.total_fen), (late, 500));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(gw.notifies().len(), 3, "never is never");
        assert_eq!(gw.status(never).await, "TRADE_SUCCESS");
    }
}

both_backends! {
    /// The app serves the gateway only when demo payment is on, behind its usual layers:
    /// the pay page as a page without scripts, the API to a caller with no Origin.
    #[tokio::test]
    async fn the_app_serves_the_gateway_only_in_demo_payment(kind: DbKind) {
        let app = crate::harness::TestApp::start_with(kind, |c| c.payment = "demo".into()).await;
        let response = app.http.get(app.url(GATEWAY_PATH)).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("script-src 'none'") && csp.contains("form-action 'self'"), "{csp}");
        assert!(response.text().await.unwrap().contains("签名无效"));
        let response = app
            .http
            .post(app.url(GATEWAY_PATH))
            .form(&[("method", "alipay.trade.query"), ("sign", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/json; charset=utf-8"
        );
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["error_response"]["code"], "40002");
        assert!(body.get("sign").is_none());
        app.stop().await;

        let app = crate::harness::TestApp::start_with(kind, |c| c.payment = "off".into()).await;
        assert_eq!(app.get(GATEWAY_PATH, None).await.0, 404);
        app.stop().await;
    }
}
