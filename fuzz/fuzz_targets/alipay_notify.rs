//! The payment notify (`alipay::parse_notify`): what the provider's servers post to
//! `/payment/alipay/notify`, and what anyone else can post there too. A notify is believed
//! only as it was signed: starting from one genuinely signed notify, the input's pairs
//! (URL-encoded) replace or add fields; whatever comes of it, a notify that parses says
//! exactly what the signed one said, and any change to a signed field is refused. The
//! input alone, as a whole form, is never believed.
#![no_main]

use app::ssr::payment::alipay::{
    AlipayConfig, AlipayPublicKey, AppPrivateKey, NOTIFY_UNSIGNED, canonical_string,
    parse_notify,
};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const APP_PRIVATE: &str = include_str!("../../app/src/ssr/payment/testdata/app_private_pkcs8.pem");
const GATEWAY_PRIVATE: &str =
    include_str!("../../app/src/ssr/payment/testdata/other_private_pkcs8.pem");
const GATEWAY_PUBLIC: &str = include_str!("../../app/src/ssr/payment/testdata/other_public.pem");

struct Fixture {
    config: AlipayConfig,
    signed: BTreeMap<String, String>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let config = AlipayConfig {
            app_id: "2021000000000000".into(),
            private_key: AppPrivateKey::parse(APP_PRIVATE).expect("the app's test key"),
            alipay_public_key: AlipayPublicKey::parse(GATEWAY_PUBLIC).expect("the gateway's"),
            gateway: "http://127.0.0.1/gateway.do".into(),
            notify_url: None,
            return_url: None,
        };
        let mut signed: BTreeMap<String, String> = [
            ("app_id", "2021000000000000"),
            ("charset", "utf-8"),
            ("gmt_payment", "2026-12-02 10:00:00"),
            ("notify_id", "2026120200222100000000000000"),
            ("notify_time", "2026-12-02 10:00:01"),
            ("notify_type", "trade_status_sync"),
            ("out_trade_no", "CS0123456789AB"),
            ("sign_type", "RSA2"),
            ("subject", "Cloud Store CS0123456789AB"),
            ("total_amount", "12.34"),
            ("trade_no", "2026120222001400000000000001"),
            ("trade_status", "TRADE_SUCCESS"),
            ("version", "1.0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let key = AppPrivateKey::parse(GATEWAY_PRIVATE).expect("the gateway's test key");
        let sign = key.sign(&canonical_string(&signed, NOTIFY_UNSIGNED));
        signed.insert("sign".into(), sign);
        Fixture { config, signed }
    })
}

fuzz_target!(|data: &[u8]| {
    let fx = fixture();
    let edits: Vec<(String, String)> = form_urlencoded::parse(data).into_owned().collect();
    // The input alone: never believed (it cannot carry the gateway's signature of a
    // different text, and the genuine one it cannot guess).
    if let Ok(notify) = parse_notify(&fx.config, &edits) {
        let as_map: BTreeMap<String, String> = edits.iter().cloned().collect();
        assert_eq!(
            canonical_string(&as_map, NOTIFY_UNSIGNED),
            canonical_string(&fx.signed, NOTIFY_UNSIGNED),
            "an unsigned text believed: {notify:?}"
        );
    }
    // The signed notify, edited.
    let mut form = fx.signed.clone();
    for (k, v) in &edits {
        form.insert(k.clone(), v.clone());
    }
    let pairs: Vec<(String, String)> = form.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Ok(notify) = parse_notify(&fx.config, &pairs) {
        assert_eq!(
            canonical_string(&form, NOTIFY_UNSIGNED),
            canonical_string(&fx.signed, NOTIFY_UNSIGNED),
            "a changed notify believed: {notify:?}"
        );
        assert_eq!(notify.out_trade_no, "CS0123456789AB");
        assert_eq!(notify.total_fen, 1234);
        assert_eq!(notify.app_id, "2021000000000000");
    }
});
