//! Alipay's open-platform protocol (server only): mobile-web pay by redirect
//! (`alipay.trade.wap.pay`), trade query, refund and the asynchronous notify, all signed
//! RSA2 (SHA256withRSA, PKCS#1 v1.5) over the sorted `key=value` pairs. The builders and
//! readers are pure (each takes `now`, HTTP goes through a [`PaymentTransport`]); [`Alipay`]
//! puts them together as the app's [`PaymentProvider`].
//!
//! The rules, from Alipay's open-platform documentation:
//! - A request signs every parameter except `sign`, skipping empty values, sorted by key,
//!   joined as `k=v` with `&`, over the raw (not URL-encoded) UTF-8 text.
//! - A notify is checked the same way, leaving out `sign` and `sign_type`.
//! - An API answer signs the exact text of its `<method>_response` object as it appears in
//!   the body, so it is cut out of the body, never re-serialized.

use super::{
    MAX_AMOUNT_FEN, Notify, NotifyRefusal, PayRequest, PaymentError, PaymentProvider,
    PaymentTransport, Pending, RefundOutcome, SignatureError, TradeState, TradeStatus, is_http_url,
    is_trade_no,
};
use crate::domain::money::{format_yuan, parse_yuan};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::sha2::Sha256;
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The production gateway.
pub const GATEWAY: &str = "https://openapi.alipay.com/gateway.do";
/// The sandbox gateway, for `ALIPAY_GATEWAY` with a sandbox app.
pub const SANDBOX_GATEWAY: &str = "https://openapi-sandbox.dl.alipaydev.com/gateway.do";
/// The body that acknowledges a handled notify; anything else and Alipay sends it again.
pub const NOTIFY_ACK: &str = "success";

pub const WAP_PAY: &str = "alipay.trade.wap.pay";
pub const TRADE_QUERY: &str = "alipay.trade.query";
pub const TRADE_REFUND: &str = "alipay.trade.refund";

/// Parameters a request's signature leaves out.
pub const REQUEST_UNSIGNED: &[&str] = &["sign"];
/// Parameters a notify's signature leaves out.
pub const NOTIFY_UNSIGNED: &[&str] = &["sign", "sign_type"];

pub const ENV_APP_ID: &str = "ALIPAY_APP_ID";
pub const ENV_PRIVATE_KEY: &str = "ALIPAY_PRIVATE_KEY";
pub const ENV_PRIVATE_KEY_FILE: &str = "ALIPAY_PRIVATE_KEY_FILE";
pub const ENV_PUBLIC_KEY: &str = "ALIPAY_PUBLIC_KEY";
pub const ENV_PUBLIC_KEY_FILE: &str = "ALIPAY_PUBLIC_KEY_FILE";
pub const ENV_GATEWAY: &str = "ALIPAY_GATEWAY";
pub const ENV_NOTIFY_URL: &str = "ALIPAY_NOTIFY_URL";
pub const ENV_RETURN_URL: &str = "ALIPAY_RETURN_URL";
const ENV_ALL: [&str; 8] = [
    ENV_APP_ID,
    ENV_PRIVATE_KEY,
    ENV_PRIVATE_KEY_FILE,
    ENV_PUBLIC_KEY,
    ENV_PUBLIC_KEY_FILE,
    ENV_GATEWAY,
    ENV_NOTIFY_URL,
    ENV_RETURN_URL,
];

const SIGN_TYPE: &str = "RSA2";
const CHARSET: &str = "utf-8";
const VERSION: &str = "1.0";
const FORMAT: &str = "JSON";
const PRODUCT_CODE_WAP: &str = "QUICK_WAP_WAY";
/// The `code` of an answer that did what was asked.
const SUCCESS: &str = "10000";
const TRADE_NOT_EXIST: &str = "ACQ.TRADE_NOT_EXIST";
/// Alipay's wall-clock format, in China time.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// RSA2 means a 2048-bit key or larger.
const MIN_KEY_BITS: usize = 2048;
const MAX_REFUND_REASON_CHARS: usize = 256;

/// Why a key's text was not a usable key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("not PEM and not base64")]
    NotBase64,
    #[error("not an RSA key of the expected kind")]
    Malformed,
    #[error("shorter than 2048 bits")]
    TooShort,
}

/// Our app's private key (应用私钥): signs every request. `Debug` never shows it.
#[derive(Clone)]
pub struct AppPrivateKey(rsa::PrivateKey);

impl AppPrivateKey {
    /// PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM, or the bare
    /// base64 body of either, as Alipay's key tool writes it. `\n` written out as two
    /// characters (a PEM squeezed into one environment line) counts as a line break.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = unescape_newlines(text);
        let key = if text.starts_with("-----BEGIN PRIVATE KEY-----") {
            rsa::PrivateKey::from_pkcs8_pem(&text).map_err(|_| KeyError::Malformed)?
        } else if text.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            rsa::PrivateKey::from_pkcs1_pem(&text).map_err(|_| KeyError::Malformed)?
        } else if text.starts_with("-----") {
            return Err(KeyError::Malformed);
        } else {
            let der = bare_base64(&text)?;
            rsa::PrivateKey::from_pkcs8_der(&der)
                .or_else(|_| rsa::PrivateKey::from_pkcs1_der(&der))
                .map_err(|_| KeyError::Malformed)?
        };
        if key.size() * 8 < MIN_KEY_BITS {
            return Err(KeyError::TooShort);
        }
        Ok(AppPrivateKey(key))
    }

    /// The base64 RSA2 signature of `content`'s UTF-8 bytes. PKCS#1 v1.5 is deterministic:
    /// the same content always signs the same.
    pub fn sign(&self, content: &str) -> String {
        let signature = self
            .0
            .pkcs1v15_sign::<Sha256>(content.as_bytes())
            .expect("a 2048-bit key signs a SHA-256 digest");
        B64.encode(signature)
    }
}

impl fmt::Debug for AppPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppPrivateKey(***)")
    }
}

/// Alipay's public key (支付宝公钥, not our app's public key): checks notifies and answers.
#[derive(Clone)]
pub struct AlipayPublicKey(rsa::PublicKey);

impl AlipayPublicKey {
    /// `BEGIN PUBLIC KEY` (SPKI) or `BEGIN RSA PUBLIC KEY` (PKCS#1) PEM, or the bare base64
    /// body as Alipay's console shows it.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = unescape_newlines(text);
        let key = if text.starts_with("-----BEGIN PUBLIC KEY-----") {
            rsa::PublicKey::from_public_key_pem(&text).map_err(|_| KeyError::Malformed)?
        } else if text.starts_with("-----BEGIN RSA PUBLIC KEY-----") {
            rsa::PublicKey::from_pkcs1_pem(&text).map_err(|_| KeyError::Malformed)?
        } else if text.starts_with("-----") {
            return Err(KeyError::Malformed);
        } else {
            let der = bare_base64(&text)?;
            rsa::PublicKey::from_public_key_der(&der)
                .or_else(|_| rsa::PublicKey::from_pkcs1_der(&der))
                .map_err(|_| KeyError::Malformed)?
        };
        if key.size() * 8 < MIN_KEY_BITS {
            return Err(KeyError::TooShort);
        }
        Ok(AlipayPublicKey(key))
    }

    /// Checks a base64 RSA2 signature over `content`'s UTF-8 bytes.
    pub fn verify(&self, content: &str, sign: &str) -> Result<(), SignatureError> {
        let signature = B64.decode(sign).map_err(|_| SignatureError::BadEncoding)?;
        self.0
            .pkcs1v15_verify::<Sha256>(content.as_bytes(), &signature)
            .map_err(|_| SignatureError::Mismatch)
    }
}

impl fmt::Debug for AlipayPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AlipayPublicKey({} bits)", self.0.size() * 8)
    }
}

fn unescape_newlines(text: &str) -> String {
    text.trim().replace("\\n", "\n")
}

fn bare_base64(text: &str) -> Result<Vec<u8>, KeyError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    B64.decode(compact).map_err(|_| KeyError::NotBase64)
}

/// One Alipay app's settings. `Debug` shows everything but the private key.
#[derive(Clone)]
pub struct AlipayConfig {
    pub app_id: String,
    pub private_key: AppPrivateKey,
    pub alipay_public_key: AlipayPublicKey,
    pub gateway: String,
    /// Where Alipay posts notifies; without it, only queries tell that an order was paid.
    pub notify_url: Option<String>,
    /// Where the buyer lands after paying, unless a [`PayRequest`] names its own.
    pub return_url: Option<String>,
}

impl fmt::Debug for AlipayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlipayConfig")
            .field("app_id", &self.app_id)
            .field("private_key", &self.private_key)
            .field("alipay_public_key", &self.alipay_public_key)
            .field("gateway", &self.gateway)
            .field("notify_url", &self.notify_url)
            .field("return_url", &self.return_url)
            .finish()
    }
}

/// Why the Alipay settings could not be read. It names variables, never their values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AlipayConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("set {0} or {1}, not both")]
    Both(&'static str, &'static str),
    #[error("cannot read the file named by {var}: {kind}")]
    Unreadable {
        var: &'static str,
        kind: std::io::ErrorKind,
    },
    #[error("{var} is not a usable key: {reason}")]
    BadKey { var: &'static str, reason: KeyError },
    #[error("{0} has an invalid value")]
    Invalid(&'static str),
}

impl AlipayConfig {
    /// Reads `ALIPAY_*` through `lookup` (`|name| std::env::var(name).ok()` in the server).
    /// `Ok(None)` when none is set: Alipay is off. Each key comes inline
    /// (`ALIPAY_PRIVATE_KEY`, `ALIPAY_PUBLIC_KEY`) or from the file a `…_FILE` variable
    /// names. The gateway defaults to production.
    pub fn from_env(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, AlipayConfigError> {
        let var = |name: &str| {
            lookup(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let Some(app_id) = var(ENV_APP_ID) else {
            // Nothing at all is "off"; anything without the app id is a half-done setup.
            return match ENV_ALL.iter().any(|name| var(name).is_some()) {
                true => Err(AlipayConfigError::Missing(ENV_APP_ID)),
                false => Ok(None),
            };
        };
        if app_id.len() > 32 || !app_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(AlipayConfigError::Invalid(ENV_APP_ID));
        }
        let (text, from) = key_text(&var, ENV_PRIVATE_KEY, ENV_PRIVATE_KEY_FILE)?;
        let private_key = AppPrivateKey::parse(&text)
            .map_err(|reason| AlipayConfigError::BadKey { var: from, reason })?;
        let (text, from) = key_text(&var, ENV_PUBLIC_KEY, ENV_PUBLIC_KEY_FILE)?;
        let alipay_public_key = AlipayPublicKey::parse(&text)
            .map_err(|reason| AlipayConfigError::BadKey { var: from, reason })?;
        let url = |name: &'static str| match var(name) {
            Some(url) if !is_http_url(&url) => Err(AlipayConfigError::Invalid(name)),
            url => Ok(url),
        };
        Ok(Some(AlipayConfig {
            app_id,
            private_key,
            alipay_public_key,
            gateway: url(ENV_GATEWAY)?.unwrap_or_else(|| GATEWAY.to_owned()),
            notify_url: url(ENV_NOTIFY_URL)?,
            return_url: url(ENV_RETURN_URL)?,
        }))
    }
}

/// A key's text, inline or from the file a variable names, and the variable it came from.
fn key_text(
    var: &impl Fn(&str) -> Option<String>,
    inline: &'static str,
    file: &'static str,
) -> Result<(String, &'static str), AlipayConfigError> {
    match (var(inline), var(file)) {
        (Some(_), Some(_)) => Err(AlipayConfigError::Both(inline, file)),
        (Some(text), None) => Ok((text, inline)),
        (None, Some(path)) => std::fs::read_to_string(path)
            .map(|text| (text, file))
            .map_err(|e| AlipayConfigError::Unreadable {
                var: file,
                kind: e.kind(),
            }),
        (None, None) => Err(AlipayConfigError::Missing(inline)),
    }
}

/// The text Alipay signs: every parameter not in `unsigned` and not empty, sorted by key
/// (byte order, which is ASCII order for Alipay's keys), as `k=v` joined with `&`. Values
/// are used raw, not URL-encoded.
pub fn canonical_string(params: &BTreeMap<String, String>, unsigned: &[&str]) -> String {
    let mut out = String::new();
    for (key, value) in params {
        if key.is_empty() || value.is_empty() || unsigned.contains(&key.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// The `sign` of a request's parameters (everything but `sign` itself).
pub fn sign_params(key: &AppPrivateKey, params: &BTreeMap<String, String>) -> String {
    key.sign(&canonical_string(params, REQUEST_UNSIGNED))
}

/// Checks a notify's `sign`: `sign_type` must be `RSA2`, and the signature must cover
/// every other non-empty parameter as sent.
pub fn verify_params(
    key: &AlipayPublicKey,
    params: &BTreeMap<String, String>,
) -> Result<(), SignatureError> {
    let sign = params
        .get("sign")
        .filter(|sign| !sign.is_empty())
        .ok_or(SignatureError::Missing)?;
    if params.get("sign_type").map(String::as_str) != Some(SIGN_TYPE) {
        return Err(SignatureError::WrongSignType);
    }
    key.verify(&canonical_string(params, NOTIFY_UNSIGNED), sign)
}

/// The exact text of an answer's `<method>_response` object (or `error_response`), and
/// whether its signature checked out. An answer without `sign` opens unverified; one with
/// a `sign` that does not match is refused.
struct Opened<'b> {
    json: &'b str,
    verified: bool,
}

fn open_response<'b>(
    key: &AlipayPublicKey,
    body: &'b str,
    method: &str,
) -> Result<Opened<'b>, PaymentError> {
    // `RawValue` keeps each member's text exactly as it appears in the body.
    let members: HashMap<String, &'b RawValue> = serde_json::from_str(body)
        .map_err(|_| PaymentError::BadResponse("the body is not a JSON object"))?;
    let name = format!("{}_response", method.replace('.', "_"));
    let json = members
        .get(&name)
        .or_else(|| members.get("error_response"))
        .ok_or(PaymentError::BadResponse("no response object in the body"))?
        .get();
    let sign = match members.get("sign") {
        Some(raw) => serde_json::from_str::<String>(raw.get())
            .map_err(|_| PaymentError::BadSignature(SignatureError::BadEncoding))?,
        None => String::new(),
    };
    if sign.is_empty() {
        return Ok(Opened {
            json,
            verified: false,
        });
    }
    match key.verify(json, &sign) {
        // Alipay's own SDKs retry with `\/` unescaped: some answers are signed before the
        // JSON writer escapes slashes. Still only Alipay's key can make either text pass.
        Err(SignatureError::Mismatch) if json.contains("\\/") => {
            key.verify(&json.replace("\\/", "/"), &sign)
        }
        other => other,
    }
    .map_err(PaymentError::BadSignature)?;
    Ok(Opened {
        json,
        verified: true,
    })
}

/// The exact, verified text of an answer's `<method>_response` object: what to parse.
pub fn verify_response<'b>(
    key: &AlipayPublicKey,
    body: &'b str,
    method: &str,
) -> Result<&'b str, PaymentError> {
    let opened = open_response(key, body, method)?;
    if !opened.verified {
        return Err(PaymentError::BadSignature(SignatureError::Missing));
    }
    Ok(opened.json)
}

/// The fields every answer has.
#[derive(Deserialize)]
struct Status {
    code: String,
    #[serde(default)]
    msg: String,
    sub_code: Option<String>,
    sub_msg: Option<String>,
}

fn read_status(json: &str) -> Result<Status, PaymentError> {
    serde_json::from_str(json).map_err(|_| PaymentError::BadResponse("no code in the answer"))
}

/// Success needs a verified `10000`; any other code is the provider refusing, signed or not.
fn check_status(status: Status, verified: bool) -> Result<(), PaymentError> {
    if status.code != SUCCESS {
        return Err(PaymentError::Business {
            code: status.code,
            msg: status.msg,
            sub_code: status.sub_code,
            sub_msg: status.sub_msg,
            verified,
        });
    }
    if !verified {
        return Err(PaymentError::BadSignature(SignatureError::Missing));
    }
    Ok(())
}

fn china_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai).format(TIME_FORMAT).to_string()
}

fn parse_china_time(text: &str) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::parse_from_str(text, TIME_FORMAT).ok()?;
    Some(
        Shanghai
            .from_local_datetime(&local)
            .single()?
            .with_timezone(&Utc),
    )
}

fn trade_status(text: &str) -> Option<TradeStatus> {
    match text {
        "WAIT_BUYER_PAY" => Some(TradeStatus::WaitBuyerPay),
        "TRADE_SUCCESS" => Some(TradeStatus::Success),
        "TRADE_FINISHED" => Some(TradeStatus::Finished),
        "TRADE_CLOSED" => Some(TradeStatus::Closed),
        _ => None,
    }
}

/// The public parameters of a call, unsigned.
fn common_params(
    config: &AlipayConfig,
    method: &str,
    now: DateTime<Utc>,
) -> BTreeMap<String, String> {
    [
        ("app_id", config.app_id.as_str()),
        ("method", method),
        ("format", FORMAT),
        ("charset", CHARSET),
        ("sign_type", SIGN_TYPE),
        ("version", VERSION),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .chain([("timestamp".to_owned(), china_time(now))])
    .collect()
}

fn with_biz_content(
    mut params: BTreeMap<String, String>,
    content: &impl Serialize,
) -> BTreeMap<String, String> {
    let json = serde_json::to_string(content).expect("plain structs serialize");
    params.insert("biz_content".to_owned(), json);
    params
}

fn signed(config: &AlipayConfig, mut params: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let sign = sign_params(&config.private_key, &params);
    params.insert("sign".to_owned(), sign);
    params
}

fn form_encode(params: &BTreeMap<String, String>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

fn with_query(url: &str, query: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{query}")
}

#[derive(Serialize)]
struct WapPayContent<'a> {
    out_trade_no: &'a str,
    total_amount: String,
    subject: &'a str,
    product_code: &'static str,
    /// An absolute deadline: a relative `timeout_express` would only start when the buyer
    /// opens the cashier, and could outlive the order.
    time_expire: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quit_url: Option<&'a str>,
}

/// The signed parameters of `alipay.trade.wap.pay` for `order` at `now`. The buyer's
/// return (after paying) and quit (giving up) both go to the order's return URL.
pub fn wap_pay_params(
    config: &AlipayConfig,
    order: &PayRequest,
    now: DateTime<Utc>,
) -> BTreeMap<String, String> {
    let return_url = order.return_url().or(config.return_url.as_deref());
    let pay_within = TimeDelta::from_std(order.pay_within()).expect("at most 15 days");
    let content = WapPayContent {
        out_trade_no: order.order_id(),
        total_amount: format_yuan(order.amount_fen()).expect("a pay request's amount is positive"),
        subject: order.subject(),
        product_code: PRODUCT_CODE_WAP,
        time_expire: china_time(now + pay_within),
        quit_url: return_url,
    };
    let mut params = with_biz_content(common_params(config, WAP_PAY, now), &content);
    if let Some(url) = &config.notify_url {
        params.insert("notify_url".to_owned(), url.clone());
    }
    if let Some(url) = return_url {
        params.insert("return_url".to_owned(), url.to_owned());
    }
    signed(config, params)
}

/// The gateway URL that starts paying for `order`: every parameter, signed, form-encoded
/// into the query. Send the buyer's browser there (a 303 redirect or a link).
pub fn wap_pay_url(config: &AlipayConfig, order: &PayRequest, now: DateTime<Utc>) -> String {
    with_query(
        &config.gateway,
        &form_encode(&wap_pay_params(config, order, now)),
    )
}

/// Where API calls (query, refund) are posted. The charset rides in the URL too, so the
/// gateway knows how to read the body.
pub fn api_url(config: &AlipayConfig) -> String {
    with_query(&config.gateway, "charset=utf-8")
}

#[derive(Serialize)]
struct QueryContent<'a> {
    out_trade_no: &'a str,
}

/// The signed form of `alipay.trade.query` for our order `out_trade_no`.
pub fn trade_query_form(
    config: &AlipayConfig,
    out_trade_no: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, PaymentError> {
    if !is_trade_no(out_trade_no) {
        return Err(PaymentError::InvalidRequest(
            "the order id is not a trade number",
        ));
    }
    let params = with_biz_content(
        common_params(config, TRADE_QUERY, now),
        &QueryContent { out_trade_no },
    );
    Ok(signed(config, params).into_iter().collect())
}

#[derive(Serialize)]
struct RefundContent<'a> {
    out_trade_no: &'a str,
    refund_amount: String,
    out_request_no: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    refund_reason: &'a str,
}

/// The signed form of `alipay.trade.refund`: `refund_fen` of our order `out_trade_no`'s
/// trade, as the refund `out_request_no` (unique per trade: a repeat refunds nothing more).
pub fn refund_form(
    config: &AlipayConfig,
    out_trade_no: &str,
    refund_fen: i64,
    out_request_no: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, PaymentError> {
    if !is_trade_no(out_trade_no) {
        return Err(PaymentError::InvalidRequest(
            "the order id is not a trade number",
        ));
    }
    if !(1..=MAX_AMOUNT_FEN).contains(&refund_fen) {
        return Err(PaymentError::InvalidRequest(
            "the refund amount is out of range",
        ));
    }
    let request_no_ok = (1..=64).contains(&out_request_no.len())
        && out_request_no
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !request_no_ok {
        return Err(PaymentError::InvalidRequest(
            "the refund id must be 1 to 64 letters, digits, _ or -",
        ));
    }
    let reason: String = reason
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_REFUND_REASON_CHARS)
        .collect();
    let content = RefundContent {
        out_trade_no,
        refund_amount: format_yuan(refund_fen).expect("checked positive"),
        out_request_no,
        refund_reason: &reason,
    };
    let params = with_biz_content(common_params(config, TRADE_REFUND, now), &content);
    Ok(signed(config, params).into_iter().collect())
}

#[derive(Deserialize)]
struct QueryFields {
    out_trade_no: Option<String>,
    trade_no: Option<String>,
    trade_status: Option<String>,
    total_amount: Option<String>,
}

/// Reads the body of an `alipay.trade.query` answer about our order `out_trade_no`:
/// `None` when Alipay (verifiably) has no such trade.
pub fn read_trade_query(
    key: &AlipayPublicKey,
    body: &str,
    out_trade_no: &str,
) -> Result<Option<TradeState>, PaymentError> {
    let opened = open_response(key, body, TRADE_QUERY)?;
    let status = read_status(opened.json)?;
    let fields: QueryFields = serde_json::from_str(opened.json)
        .map_err(|_| PaymentError::BadResponse("the query answer has fields of the wrong type"))?;
    if fields
        .out_trade_no
        .as_deref()
        .is_some_and(|no| no != out_trade_no)
    {
        return Err(PaymentError::BadResponse(
            "the answer is about another trade",
        ));
    }
    let not_exist = status.code != SUCCESS && status.sub_code.as_deref() == Some(TRADE_NOT_EXIST);
    if opened.verified && not_exist {
        return Ok(None);
    }
    check_status(status, opened.verified)?;
    if fields.out_trade_no.is_none() {
        return Err(PaymentError::BadResponse("the answer names no trade"));
    }
    let status = fields
        .trade_status
        .as_deref()
        .and_then(trade_status)
        .ok_or(PaymentError::BadResponse("no known trade_status"))?;
    let total_fen = fields
        .total_amount
        .as_deref()
        .and_then(|text| parse_yuan(text).ok())
        .ok_or(PaymentError::BadResponse(
            "total_amount is not an exact yuan amount",
        ))?;
    let trade_no = fields
        .trade_no
        .filter(|no| !no.is_empty())
        .ok_or(PaymentError::BadResponse("no trade_no"))?;
    Ok(Some(TradeState {
        status,
        trade_no,
        total_fen,
    }))
}

#[derive(Deserialize)]
struct RefundFields {
    out_trade_no: Option<String>,
    fund_change: Option<String>,
    refund_fee: Option<String>,
}

/// Reads the body of an `alipay.trade.refund` answer about our order `out_trade_no`.
pub fn read_refund(
    key: &AlipayPublicKey,
    body: &str,
    out_trade_no: &str,
) -> Result<RefundOutcome, PaymentError> {
    let opened = open_response(key, body, TRADE_REFUND)?;
    check_status(read_status(opened.json)?, opened.verified)?;
    let fields: RefundFields = serde_json::from_str(opened.json)
        .map_err(|_| PaymentError::BadResponse("the refund answer has fields of the wrong type"))?;
    if fields.out_trade_no.as_deref() != Some(out_trade_no) {
        return Err(PaymentError::BadResponse(
            "the answer is about another trade",
        ));
    }
    let fund_change = match fields.fund_change.as_deref() {
        Some("Y") => true,
        Some("N") => false,
        _ => return Err(PaymentError::BadResponse("fund_change is not Y or N")),
    };
    let refunded_fen = fields
        .refund_fee
        .as_deref()
        .and_then(|text| parse_yuan(text).ok())
        .ok_or(PaymentError::BadResponse(
            "refund_fee is not an exact yuan amount",
        ))?;
    Ok(RefundOutcome {
        refunded_fen,
        fund_change,
    })
}

/// Verifies and reads a notify's form (URL-decoded pairs): the signature first, then that
/// it is for our app, then the fields, amounts read exactly.
pub fn parse_notify(
    config: &AlipayConfig,
    form: &[(String, String)],
) -> Result<Notify, NotifyRefusal> {
    let mut params = BTreeMap::new();
    for (key, value) in form {
        // Two values for one key: which one was signed is anyone's guess.
        if params.insert(key.clone(), value.clone()).is_some() {
            return Err(NotifyRefusal::Duplicate);
        }
    }
    verify_params(&config.alipay_public_key, &params).map_err(NotifyRefusal::BadSignature)?;
    let field = |name: &'static str| {
        params
            .get(name)
            .filter(|value| !value.is_empty())
            .ok_or(NotifyRefusal::Missing(name))
    };
    if *field("app_id")? != config.app_id {
        return Err(NotifyRefusal::WrongApp);
    }
    let amount = |name: &'static str| {
        params
            .get(name)
            .filter(|value| !value.is_empty())
            .map(|text| parse_yuan(text).map_err(|_| NotifyRefusal::BadAmount(name)))
            .transpose()
    };
    let total_fen = amount("total_amount")?.ok_or(NotifyRefusal::Missing("total_amount"))?;
    let refund_fen = amount("refund_fee")?;
    let trade_status =
        trade_status(field("trade_status")?).ok_or(NotifyRefusal::Unrecognised("trade_status"))?;
    // Only informational: a signed payment is not refused over the shape of its time.
    let gmt_payment = params
        .get("gmt_payment")
        .and_then(|text| parse_china_time(text));
    Ok(Notify {
        out_trade_no: field("out_trade_no")?.clone(),
        trade_no: field("trade_no")?.clone(),
        app_id: config.app_id.clone(),
        total_fen,
        trade_status,
        notify_id: field("notify_id")?.clone(),
        gmt_payment,
        refund_fen,
    })
}

/// Alipay as the app's payment provider, over a transport the server supplies.
pub struct Alipay<T> {
    config: AlipayConfig,
    transport: T,
}

impl<T> Alipay<T> {
    pub fn new(config: AlipayConfig, transport: T) -> Self {
        Alipay { config, transport }
    }

    pub fn config(&self) -> &AlipayConfig {
        &self.config
    }
}

impl<T> fmt::Debug for Alipay<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alipay")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<T: PaymentTransport> PaymentProvider for Alipay<T> {
    fn pay_url(&self, order: &PayRequest) -> String {
        wap_pay_url(&self.config, order, Utc::now())
    }

    fn parse_notify(&self, form: &[(String, String)]) -> Result<Notify, NotifyRefusal> {
        parse_notify(&self.config, form)
    }

    fn notify_ack(&self) -> &'static str {
        NOTIFY_ACK
    }

    fn query<'a>(
        &'a self,
        order_id: &'a str,
    ) -> Pending<'a, Result<Option<TradeState>, PaymentError>> {
        Box::pin(async move {
            let form = trade_query_form(&self.config, order_id, Utc::now())?;
            let body = self
                .transport
                .post_form(&api_url(&self.config), &form)
                .await
                .map_err(PaymentError::Transport)?;
            read_trade_query(&self.config.alipay_public_key, &body, order_id)
        })
    }

    fn refund<'a>(
        &'a self,
        order_id: &'a str,
        amount_fen: i64,
        refund_id: &'a str,
        reason: &'a str,
    ) -> Pending<'a, Result<RefundOutcome, PaymentError>> {
        Box::pin(async move {
            let form = refund_form(
                &self.config,
                order_id,
                amount_fen,
                refund_id,
                reason,
                Utc::now(),
            )?;
            let body = self
                .transport
                .post_form(&api_url(&self.config), &form)
                .await
                .map_err(PaymentError::Transport)?;
            read_refund(&self.config.alipay_public_key, &body, order_id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::payment::TransportError;
    use std::sync::Mutex;
    use std::time::Duration;

    const PRIVATE_PKCS8: &str = include_str!("testdata/app_private_pkcs8.pem");
    const PRIVATE_PKCS1: &str = include_str!("testdata/app_private_pkcs1.pem");
    const PUBLIC: &str = include_str!("testdata/app_public.pem");
    const PUBLIC_PKCS1: &str = include_str!("testdata/app_public_pkcs1.pem");
    const OTHER_PRIVATE: &str = include_str!("testdata/other_private_pkcs8.pem");
    const OTHER_PUBLIC: &str = include_str!("testdata/other_public.pem");
    const SHORT_PRIVATE: &str = include_str!("testdata/short_private_pkcs8.pem");

    const APP_ID: &str = "2021000000000001";
    const ORDER: &str = "CS0123456789AB";
    const TRADE_NO: &str = "2026112322001403030500123456";
    const NOTIFY_URL: &str = "https://shop.example/payment/alipay/notify";
    const ORDER_URL: &str = "https://shop.example/orders/CS0123456789AB";

    /// A request's parameters, with an empty one and a stale `sign` that must not count.
    const KAT_CANONICAL: &str = concat!(
        "app_id=2021000000000001",
        r#"&biz_content={"out_trade_no":"CS0123456789AB","total_amount":"12.34","#,
        r#""subject":"云店 拿铁","product_code":"QUICK_WAP_WAY"}"#,
        "&charset=utf-8&format=JSON&method=alipay.trade.wap.pay",
        "&notify_url=https://shop.example/payment/alipay/notify",
        "&sign_type=RSA2&timestamp=2026-11-23 08:30:00&version=1.0",
    );
    /// OpenSSL's SHA256withRSA of `KAT_CANONICAL` with the test key (see testdata/README.md).
    const KAT_SIGN: &str = "JzJJ6XqO4yvpY0BV6uoLZHxEkGm+xK1nT+o2H9p3ecZ2hJtF2eJbkI8+sbkyvKXG77tAfQ/lWc/XlmA34ZXumsn6ubUQDJmDfHe0KIdDeuWd2JLhXxSxG+5/bu57/kzXzs/ouM6jR1PSRMGUOwhfpUm7/e/Y6OoDxCqhC4viWf+5xoegWZM31cuTWrND6jcWbkDvk3J/skzXMzFnbtHDaE986o4k8wQpaX1km5s1sqwJ5o+6qe7xEXmD0w8C3HvlL1X4F7ldOjt/5ZsHLJfogVCsILwXwnB1NI/b7k2Wy5B/cfW1YsJ/k2pAcd9nWKtUEyvG3ru8ytpSYFyRhPINLA==";

    /// What `wap_pay_params` signs for `order()` at `now()`.
    const WAP_CANONICAL: &str = concat!(
        "app_id=2021000000000001",
        r#"&biz_content={"out_trade_no":"CS0123456789AB","total_amount":"12.34","#,
        r#""subject":"云店 拿铁","product_code":"QUICK_WAP_WAY","#,
        r#""time_expire":"2026-11-23 08:45:00","#,
        r#""quit_url":"https://shop.example/orders/CS0123456789AB"}"#,
        "&charset=utf-8&format=JSON&method=alipay.trade.wap.pay",
        "&notify_url=https://shop.example/payment/alipay/notify",
        "&return_url=https://shop.example/orders/CS0123456789AB",
        "&sign_type=RSA2&timestamp=2026-11-23 08:30:00&version=1.0",
    );
    const WAP_SIGN: &str = "jEXIawg6g0DLdSodqFStktdeYo7JVn2pU07If+YWMBmwwcD/T9i5448Im1FH/kpdhjQ0CwWgogowZqz48I1zq2EU5i2Bs/Y3jEr3+2/crwqIts4GzuiwXpP2TPr1rUX0FJoXDZ4Op5FYwACD6dTdn4LunIM8OrtzGt/tUp8suaUgC9A/X7iU+ahYav+zT6bWZCisFY/djuprqT0jdsZCFcwMLhRlJ4zRWaxLf3hdVKN2sRgW7b5D3jd14V1srsGyUlh6jjEZQGmPhTvFYlDkMl+gNWOGvJ2neC2xanJBq9E749z9jdmFekEnYw/hlwKcDwJG9MpotI4/SNgTjRLi7w==";

    /// OpenSSL's signature over `notify_fields()` without `sign` and `sign_type`.
    const NOTIFY_SIGN: &str = "WienfDXG2sgSFAD17EV/lPLLWtkZy0Q2qxnUJLwkoYl8fmEx5XCflUDJfFjyvh1QlrqTagBXAs7CLipvXTnWOxXaqMIl7bvynS7O0VrfrGTrcf4jznQ08+Yd0223e77QwzblscDZWJfBuuDimI23ECZ02r0rJHNNbDWm1WQZAYnDGQ0LKVlBV5sy3Bcag7SRnK702L23mnz+Kpo8SFnNAGp8v7cGXXCv+z1I+BKgf8+5ktoqfLCg1M4CvZRmJEBQuW0cjnvf9OGg6Au3Wf5uoj+Mtv266mHHgWA3x1n96cv0k3NSrnKSlOcctNucMhiHaynZBCplkUaeurlPM/kZ1g==";

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn form(params: &BTreeMap<String, String>) -> Vec<(String, String)> {
        params.clone().into_iter().collect()
    }

    fn config() -> AlipayConfig {
        AlipayConfig {
            app_id: APP_ID.to_owned(),
            private_key: AppPrivateKey::parse(PRIVATE_PKCS8).unwrap(),
            alipay_public_key: AlipayPublicKey::parse(PUBLIC).unwrap(),
            gateway: GATEWAY.to_owned(),
            notify_url: Some(NOTIFY_URL.to_owned()),
            return_url: None,
        }
    }

    /// Alipay's side, played with the test key whose public half `config()` trusts.
    fn alipay_key() -> AppPrivateKey {
        AppPrivateKey::parse(PRIVATE_PKCS8).unwrap()
    }

    fn stranger_key() -> AppPrivateKey {
        AppPrivateKey::parse(OTHER_PRIVATE).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 30, 0).unwrap()
    }

    fn order() -> PayRequest {
        PayRequest::new(
            ORDER,
            1234,
            "云店 拿铁",
            Duration::from_secs(900),
            Some(ORDER_URL),
        )
        .unwrap()
    }

    fn bare(pem: &str) -> String {
        pem.lines()
            .filter(|line| !line.starts_with("-----"))
            .collect()
    }

    // Signing: known answers from OpenSSL.

    fn kat_params() -> BTreeMap<String, String> {
        map(&[
            ("version", "1.0"),
            ("timestamp", "2026-11-23 08:30:00"),
            ("sign_type", "RSA2"),
            ("sign", "a stale signature that is not signed"),
            ("notify_url", NOTIFY_URL),
            ("method", "alipay.trade.wap.pay"),
            ("format", "JSON"),
            ("charset", "utf-8"),
            (
                "biz_content",
                r#"{"out_trade_no":"CS0123456789AB","total_amount":"12.34","subject":"云店 拿铁","product_code":"QUICK_WAP_WAY"}"#,
            ),
            ("app_id", APP_ID),
            ("app_auth_token", ""),
        ])
    }

    #[test]
    fn the_canonical_string_sorts_skips_empty_values_and_leaves_out_sign() {
        assert_eq!(
            canonical_string(&kat_params(), REQUEST_UNSIGNED),
            KAT_CANONICAL
        );
        assert_eq!(
            canonical_string(&kat_params(), NOTIFY_UNSIGNED),
            KAT_CANONICAL.replace("&sign_type=RSA2", "")
        );
        assert_eq!(canonical_string(&BTreeMap::new(), REQUEST_UNSIGNED), "");
        assert_eq!(
            canonical_string(&map(&[("", "x"), ("b", "2"), ("a", "1")]), &[]),
            "a=1&b=2"
        );
    }

    #[test]
    fn a_request_signature_is_the_openssl_vector() {
        assert_eq!(sign_params(&config().private_key, &kat_params()), KAT_SIGN);
        assert_eq!(alipay_key().sign(KAT_CANONICAL), KAT_SIGN);
        assert_eq!(
            config().alipay_public_key.verify(KAT_CANONICAL, KAT_SIGN),
            Ok(())
        );
        let other = AlipayPublicKey::parse(OTHER_PUBLIC).unwrap();
        assert_eq!(
            other.verify(KAT_CANONICAL, KAT_SIGN),
            Err(SignatureError::Mismatch)
        );
        let altered = KAT_CANONICAL.replace("12.34", "12.35");
        assert_eq!(
            config().alipay_public_key.verify(&altered, KAT_SIGN),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn keys_read_from_pkcs8_pkcs1_bare_base64_and_one_line_pem() {
        for private in [
            PRIVATE_PKCS8.to_owned(),
            PRIVATE_PKCS1.to_owned(),
            bare(PRIVATE_PKCS8),
            bare(PRIVATE_PKCS1),
            PRIVATE_PKCS8.trim().replace('\n', "\\n"),
            format!("\n  {PRIVATE_PKCS1}  \n"),
        ] {
            assert_eq!(
                AppPrivateKey::parse(&private).unwrap().sign(KAT_CANONICAL),
                KAT_SIGN
            );
        }
        for public in [
            PUBLIC.to_owned(),
            PUBLIC_PKCS1.to_owned(),
            bare(PUBLIC),
            bare(PUBLIC_PKCS1),
            PUBLIC.trim().replace('\n', "\\n"),
        ] {
            let key = AlipayPublicKey::parse(&public).unwrap();
            assert_eq!(key.verify(KAT_CANONICAL, KAT_SIGN), Ok(()));
        }
    }

    #[test]
    fn what_is_not_a_usable_key_is_refused() {
        assert_eq!(
            AppPrivateKey::parse("not a key!").unwrap_err(),
            KeyError::NotBase64
        );
        assert_eq!(
            AppPrivateKey::parse("aGVsbG8=").unwrap_err(),
            KeyError::Malformed
        );
        assert_eq!(AppPrivateKey::parse("").unwrap_err(), KeyError::Malformed);
        assert_eq!(
            AppPrivateKey::parse(PUBLIC).unwrap_err(),
            KeyError::Malformed
        );
        assert_eq!(
            AppPrivateKey::parse(&bare(PUBLIC)).unwrap_err(),
            KeyError::Malformed
        );
        assert_eq!(
            AlipayPublicKey::parse(PRIVATE_PKCS8).unwrap_err(),
            KeyError::Malformed
        );
        let cut = &PUBLIC[..PUBLIC.len() / 2];
        assert_eq!(
            AlipayPublicKey::parse(cut).unwrap_err(),
            KeyError::Malformed
        );
        assert_eq!(
            AppPrivateKey::parse(SHORT_PRIVATE).unwrap_err(),
            KeyError::TooShort
        );
    }

    #[test]
    fn debug_output_never_shows_the_private_key() {
        let shown = format!("{:?}", config());
        assert!(shown.contains("AppPrivateKey(***)"), "{shown}");
        assert!(shown.contains(APP_ID));
        assert!(shown.contains("AlipayPublicKey(2048 bits)"));
        let provider = format!("{:?}", Alipay::new(config(), Canned::answering("")));
        for line in PRIVATE_PKCS8.lines().chain(PRIVATE_PKCS1.lines()) {
            if !line.starts_with("-----") {
                assert!(!shown.contains(&line[..16]) && !provider.contains(&line[..16]));
            }
        }
    }

    // Configuration from the environment.

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    fn testdata(file: &str) -> String {
        format!(
            "{}/src/ssr/payment/testdata/{file}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    #[test]
    fn nothing_set_means_alipay_is_off() {
        assert!(AlipayConfig::from_env(env(&[])).unwrap().is_none());
        let blank = env(&[(ENV_APP_ID, " "), (ENV_GATEWAY, "")]);
        assert!(AlipayConfig::from_env(blank).unwrap().is_none());
    }

    #[test]
    fn settings_come_inline_or_from_named_files() {
        let inline = env(&[
            (ENV_APP_ID, APP_ID),
            (ENV_PRIVATE_KEY, PRIVATE_PKCS8),
            (ENV_PUBLIC_KEY, &bare(PUBLIC)),
        ]);
        let config = AlipayConfig::from_env(inline).unwrap().unwrap();
        assert_eq!(config.app_id, APP_ID);
        assert_eq!(config.gateway, GATEWAY);
        assert_eq!((config.notify_url, config.return_url), (None, None));
        assert_eq!(config.private_key.sign(KAT_CANONICAL), KAT_SIGN);

        let files = env(&[
            (ENV_APP_ID, APP_ID),
            (ENV_PRIVATE_KEY_FILE, &testdata("app_private_pkcs1.pem")),
            (ENV_PUBLIC_KEY_FILE, &testdata("app_public.pem")),
            (ENV_GATEWAY, SANDBOX_GATEWAY),
            (ENV_NOTIFY_URL, NOTIFY_URL),
            (ENV_RETURN_URL, "https://shop.example/orders"),
        ]);
        let config = AlipayConfig::from_env(files).unwrap().unwrap();
        assert_eq!(config.gateway, SANDBOX_GATEWAY);
        assert_eq!(config.notify_url.as_deref(), Some(NOTIFY_URL));
        assert_eq!(
            config.return_url.as_deref(),
            Some("https://shop.example/orders")
        );
        assert_eq!(config.private_key.sign(KAT_CANONICAL), KAT_SIGN);
        assert_eq!(
            config.alipay_public_key.verify(KAT_CANONICAL, KAT_SIGN),
            Ok(())
        );
    }

    #[test]
    fn bad_settings_name_the_variable_and_never_its_value() {
        use AlipayConfigError as E;
        let secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-really";
        let with = |extra: &[(&'static str, &str)]| {
            let mut vars = vec![
                (ENV_APP_ID, APP_ID.to_owned()),
                (ENV_PRIVATE_KEY, PRIVATE_PKCS8.to_owned()),
                (ENV_PUBLIC_KEY, PUBLIC.to_owned()),
            ];
            for (name, value) in extra {
                vars.retain(|(n, _)| n != name);
                if !value.is_empty() {
                    vars.push((name, value.to_string()));
                }
            }
            let vars: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (*n, v.as_str())).collect();
            AlipayConfig::from_env(env(&vars)).map(|_| ())
        };
        let cases = [
            (with(&[(ENV_APP_ID, "")]), E::Missing(ENV_APP_ID)),
            (with(&[(ENV_PRIVATE_KEY, "")]), E::Missing(ENV_PRIVATE_KEY)),
            (with(&[(ENV_PUBLIC_KEY, "")]), E::Missing(ENV_PUBLIC_KEY)),
            (
                with(&[(ENV_PRIVATE_KEY_FILE, &testdata("app_private_pkcs8.pem"))]),
                E::Both(ENV_PRIVATE_KEY, ENV_PRIVATE_KEY_FILE),
            ),
            (
                with(&[
                    (ENV_PUBLIC_KEY, ""),
                    (ENV_PUBLIC_KEY_FILE, &testdata("no_such_file.pem")),
                ]),
                E::Unreadable {
                    var: ENV_PUBLIC_KEY_FILE,
                    kind: std::io::ErrorKind::NotFound,
                },
            ),
            (
                with(&[(ENV_PRIVATE_KEY, secret)]),
                E::BadKey {
                    var: ENV_PRIVATE_KEY,
                    reason: KeyError::NotBase64,
                },
            ),
            (
                with(&[(ENV_PUBLIC_KEY, PRIVATE_PKCS8)]),
                E::BadKey {
                    var: ENV_PUBLIC_KEY,
                    reason: KeyError::Malformed,
                },
            ),
            (
                with(&[(ENV_PRIVATE_KEY, SHORT_PRIVATE)]),
                E::BadKey {
                    var: ENV_PRIVATE_KEY,
                    reason: KeyError::TooShort,
                },
            ),
            (with(&[(ENV_APP_ID, "2021 0001")]), E::Invalid(ENV_APP_ID)),
            (with(&[(ENV_GATEWAY, "ftp://gw")]), E::Invalid(ENV_GATEWAY)),
            (
                with(&[(ENV_NOTIFY_URL, "/notify")]),
                E::Invalid(ENV_NOTIFY_URL),
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, Err(want));
            let shown = format!("{want} {want:?}");
            assert!(!shown.contains(secret) && !shown.contains(&bare(PRIVATE_PKCS8)[..16]));
        }
        assert_eq!(
            with(&[(ENV_PRIVATE_KEY, "oops")]).unwrap_err().to_string(),
            "ALIPAY_PRIVATE_KEY is not a usable key: not an RSA key of the expected kind"
        );
        // A key without the app id is a half-done setup, not "off".
        let half = env(&[(ENV_PUBLIC_KEY, PUBLIC)]);
        assert_eq!(
            AlipayConfig::from_env(half).unwrap_err(),
            E::Missing(ENV_APP_ID)
        );
    }

    // Requests.

    #[test]
    fn wap_pay_params_are_exactly_these_and_signed() {
        let params = wap_pay_params(&config(), &order(), now());
        assert_eq!(canonical_string(&params, REQUEST_UNSIGNED), WAP_CANONICAL);
        assert_eq!(params["sign"], WAP_SIGN);
        // No return URL anywhere: neither return_url nor quit_url is sent.
        let plain = PayRequest::new(ORDER, 1, "x", Duration::from_secs(60), None).unwrap();
        let params = wap_pay_params(&config(), &plain, now());
        assert!(!params.contains_key("return_url"));
        assert!(!params["biz_content"].contains("quit_url"));
        assert!(params["biz_content"].contains(r#""total_amount":"0.01""#));
        assert!(params["biz_content"].contains(r#""time_expire":"2026-11-23 08:31:00""#));
    }

    #[test]
    fn the_wap_pay_url_form_encodes_every_signed_param() {
        let url = wap_pay_url(&config(), &order(), now());
        let (gateway, query) = url.split_once('?').unwrap();
        assert_eq!(gateway, GATEWAY);
        assert!(
            query.contains("timestamp=2026-11-23+08%3A30%3A00"),
            "{query}"
        );
        assert!(!query.contains(' ') && !query.contains('"') && !query.contains('云'));
        let sent: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(sent, wap_pay_params(&config(), &order(), now()));
        // A gateway URL that already has a query gets `&`.
        let mut odd = config();
        odd.gateway = format!("{GATEWAY}?charset=utf-8");
        assert!(
            wap_pay_url(&odd, &order(), now()).starts_with(&format!("{GATEWAY}?charset=utf-8&"))
        );
    }

    #[test]
    fn the_provider_pay_url_verifies_with_the_apps_key() {
        let provider = Alipay::new(config(), Canned::answering(""));
        let url = PaymentProvider::pay_url(&provider, &order());
        let query = url.split_once('?').unwrap().1;
        let sent: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let content = canonical_string(&sent, REQUEST_UNSIGNED);
        assert_eq!(
            config().alipay_public_key.verify(&content, &sent["sign"]),
            Ok(())
        );
        assert_eq!(sent["method"], WAP_PAY);
        assert_eq!(sent["notify_url"], NOTIFY_URL);
    }

    #[test]
    fn query_and_refund_forms_carry_the_trade_and_amount() {
        let query: BTreeMap<_, _> = trade_query_form(&config(), ORDER, now())
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(query["method"], TRADE_QUERY);
        assert_eq!(query["biz_content"], r#"{"out_trade_no":"CS0123456789AB"}"#);
        assert_eq!(query["timestamp"], "2026-11-23 08:30:00");
        assert_eq!(query["sign"], sign_params(&config().private_key, &query));

        let refund: BTreeMap<_, _> = refund_form(
            &config(),
            ORDER,
            500,
            "CS0123456789AB-R1",
            " 门店缺货\n",
            now(),
        )
        .unwrap()
        .into_iter()
        .collect();
        assert_eq!(refund["method"], TRADE_REFUND);
        assert_eq!(
            refund["biz_content"],
            r#"{"out_trade_no":"CS0123456789AB","refund_amount":"5.00","out_request_no":"CS0123456789AB-R1","refund_reason":"门店缺货"}"#
        );
        assert_eq!(refund["sign"], sign_params(&config().private_key, &refund));
        let no_reason = refund_form(&config(), ORDER, 1, "R1", "", now()).unwrap();
        assert!(no_reason.iter().all(|(_, v)| !v.contains("refund_reason")));
    }

    #[test]
    fn requests_the_gateway_would_refuse_are_not_made() {
        let invalid = |r: Result<Vec<(String, String)>, PaymentError>| {
            matches!(r, Err(PaymentError::InvalidRequest(_)))
        };
        assert!(invalid(trade_query_form(&config(), "CS-1", now())));
        assert!(invalid(trade_query_form(&config(), "", now())));
        assert!(invalid(refund_form(&config(), ORDER, 0, "R1", "", now())));
        assert!(invalid(refund_form(
            &config(),
            ORDER,
            -100,
            "R1",
            "",
            now()
        )));
        assert!(invalid(refund_form(
            &config(),
            ORDER,
            MAX_AMOUNT_FEN + 1,
            "R1",
            "",
            now()
        )));
        assert!(invalid(refund_form(&config(), ORDER, 1, "R 1", "", now())));
        assert!(invalid(refund_form(&config(), ORDER, 1, "", "", now())));
        assert!(invalid(refund_form(&config(), "CS/1", 1, "R1", "", now())));
    }

    // Notifies.

    /// A payment notify as Alipay posts it (URL-decoded), signed by OpenSSL.
    fn notify_fields() -> BTreeMap<String, String> {
        map(&[
            ("app_id", APP_ID),
            ("buyer_id", "2088102116773037"),
            ("charset", "utf-8"),
            ("gmt_create", "2026-11-23 08:31:02"),
            ("gmt_payment", "2026-11-23 08:31:09"),
            ("notify_id", "2026112300222083109012345678901234"),
            ("notify_time", "2026-11-23 08:31:10"),
            ("notify_type", "trade_status_sync"),
            ("out_trade_no", ORDER),
            ("seller_id", "2088102119685838"),
            ("subject", "云店 拿铁"),
            ("total_amount", "12.34"),
            ("trade_no", TRADE_NO),
            ("trade_status", "TRADE_SUCCESS"),
            ("version", "1.0"),
            ("sign_type", "RSA2"),
            ("sign", NOTIFY_SIGN),
        ])
    }

    /// Re-signs a notify as Alipay would, after the test changed it.
    fn signed_by(
        key: &AppPrivateKey,
        mut params: BTreeMap<String, String>,
    ) -> Vec<(String, String)> {
        params.remove("sign");
        params.insert("sign_type".into(), "RSA2".into());
        let sign = key.sign(&canonical_string(&params, NOTIFY_UNSIGNED));
        params.insert("sign".into(), sign);
        form(&params)
    }

    fn with(field: &str, value: &str) -> BTreeMap<String, String> {
        let mut params = notify_fields();
        params.insert(field.into(), value.into());
        params
    }

    fn without(field: &str) -> BTreeMap<String, String> {
        let mut params = notify_fields();
        params.remove(field);
        params
    }

    #[test]
    fn an_alipay_signed_notify_parses() {
        let notify = parse_notify(&config(), &form(&notify_fields())).unwrap();
        assert_eq!(
            notify,
            Notify {
                out_trade_no: ORDER.into(),
                trade_no: TRADE_NO.into(),
                app_id: APP_ID.into(),
                total_fen: 1234,
                trade_status: TradeStatus::Success,
                notify_id: "2026112300222083109012345678901234".into(),
                gmt_payment: Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 31, 9).unwrap()),
                refund_fen: None,
            }
        );
        // Order of the form's fields does not matter.
        let mut reversed = form(&notify_fields());
        reversed.reverse();
        assert_eq!(parse_notify(&config(), &reversed), Ok(notify));
    }

    #[test]
    fn a_replayed_notify_parses_identically() {
        let provider = Alipay::new(config(), Canned::answering(""));
        let first = provider.parse_notify(&form(&notify_fields()));
        let again = provider.parse_notify(&form(&notify_fields()));
        assert!(first.is_ok());
        assert_eq!(first, again);
        assert_eq!(provider.notify_ack(), "success");
    }

    #[test]
    fn changing_any_signed_field_breaks_the_signature() {
        for key in notify_fields()
            .keys()
            .filter(|k| !NOTIFY_UNSIGNED.contains(&k.as_str()))
        {
            let mut value = notify_fields()[key].clone();
            value.push('0');
            assert_eq!(
                parse_notify(&config(), &form(&with(key, &value))),
                Err(NotifyRefusal::BadSignature(SignatureError::Mismatch)),
                "{key}"
            );
            // Dropping a signed field is tampering too.
            assert_eq!(
                parse_notify(&config(), &form(&without(key))),
                Err(NotifyRefusal::BadSignature(SignatureError::Mismatch)),
                "{key}"
            );
        }
        // An added field is signed too, unless empty: Alipay's rule skips empty values.
        let added = with("passback_params", "x");
        assert_eq!(
            parse_notify(&config(), &form(&added)),
            Err(NotifyRefusal::BadSignature(SignatureError::Mismatch))
        );
        assert!(parse_notify(&config(), &form(&with("passback_params", ""))).is_ok());
        // One bit of the signature itself.
        let mut bytes = B64.decode(NOTIFY_SIGN).unwrap();
        bytes[100] ^= 1;
        assert_eq!(
            parse_notify(&config(), &form(&with("sign", &B64.encode(bytes)))),
            Err(NotifyRefusal::BadSignature(SignatureError::Mismatch))
        );
    }

    #[test]
    fn forged_notifies_are_refused_before_anything_is_read() {
        use NotifyRefusal::BadSignature as Bad;
        let parse = |params: BTreeMap<String, String>| parse_notify(&config(), &form(&params));
        assert_eq!(parse(without("sign")), Err(Bad(SignatureError::Missing)));
        assert_eq!(parse(with("sign", "")), Err(Bad(SignatureError::Missing)));
        assert_eq!(
            parse(with("sign", "%%%not base64")),
            Err(Bad(SignatureError::BadEncoding))
        );
        assert_eq!(
            parse(with("sign_type", "RSA")),
            Err(Bad(SignatureError::WrongSignType))
        );
        assert_eq!(
            parse(with("sign_type", "rsa2")),
            Err(Bad(SignatureError::WrongSignType))
        );
        assert_eq!(
            parse(without("sign_type")),
            Err(Bad(SignatureError::WrongSignType))
        );
        // A stranger's key, over a notify that would otherwise be fine.
        let forged = signed_by(&stranger_key(), notify_fields());
        assert_eq!(
            parse_notify(&config(), &forged),
            Err(Bad(SignatureError::Mismatch))
        );
        // Forged and wrong in other ways: the signature is what is reported.
        let forged = signed_by(&stranger_key(), with("app_id", "2021999999999999"));
        assert_eq!(
            parse_notify(&config(), &forged),
            Err(Bad(SignatureError::Mismatch))
        );
        let mut twice = form(&notify_fields());
        twice.push(("total_amount".into(), "0.01".into()));
        assert_eq!(
            parse_notify(&config(), &twice),
            Err(NotifyRefusal::Duplicate)
        );
    }

    #[test]
    fn signed_notifies_for_another_app_or_with_odd_amounts_are_refused() {
        let parse = |params| parse_notify(&config(), &signed_by(&alipay_key(), params));
        assert_eq!(parse(notify_fields()).map(|n| n.total_fen), Ok(1234));
        assert_eq!(
            parse(with("app_id", "2021999999999999")),
            Err(NotifyRefusal::WrongApp)
        );
        assert_eq!(
            parse(without("app_id")),
            Err(NotifyRefusal::Missing("app_id"))
        );
        for bad in ["12.345", "-1.00", "1e3", "12,34", " 12.34", "0x10", "+5"] {
            assert_eq!(
                parse(with("total_amount", bad)),
                Err(NotifyRefusal::BadAmount("total_amount")),
                "{bad}"
            );
        }
        assert_eq!(
            parse(without("total_amount")),
            Err(NotifyRefusal::Missing("total_amount"))
        );
        assert_eq!(
            parse(with("refund_fee", "1.2.3")),
            Err(NotifyRefusal::BadAmount("refund_fee"))
        );
        for field in ["out_trade_no", "trade_no", "trade_status", "notify_id"] {
            assert_eq!(parse(without(field)), Err(NotifyRefusal::Missing(field)));
        }
        assert_eq!(
            parse(with("trade_status", "TRADE_PENDING")),
            Err(NotifyRefusal::Unrecognised("trade_status"))
        );
        let odd_time = parse(with("gmt_payment", "yesterday")).unwrap();
        assert_eq!((odd_time.total_fen, odd_time.gmt_payment), (1234, None));
    }

    #[test]
    fn a_refund_notify_reads_its_refunded_amount() {
        let mut params = without("gmt_payment");
        params.insert("trade_status".into(), "TRADE_CLOSED".into());
        params.insert("refund_fee".into(), "12.34".into());
        params.insert("gmt_refund".into(), "2026-11-23 09:00:00.123".into());
        let notify = parse_notify(&config(), &signed_by(&alipay_key(), params)).unwrap();
        assert_eq!(notify.trade_status, TradeStatus::Closed);
        assert_eq!(notify.refund_fen, Some(1234));
        assert_eq!(notify.gmt_payment, None);
    }

    // Answers.

    /// An answer body as Alipay sends it: the object's text, and a signature over it.
    fn answer(key: &AppPrivateKey, method: &str, json: &str) -> String {
        let name = format!("{}_response", method.replace('.', "_"));
        format!(r#"{{"{name}":{json},"sign":"{}"}}"#, key.sign(json))
    }

    fn unsigned(method: &str, json: &str) -> String {
        format!(r#"{{"{}_response":{json}}}"#, method.replace('.', "_"))
    }

    const QUERY_OK: &str = r#"{"code":"10000","msg":"Success","buyer_logon_id":"159****5620","buyer_pay_amount":"12.34","out_trade_no":"CS0123456789AB","send_pay_date":"2026-11-23 08:31:09","total_amount":"12.34","trade_no":"2026112322001403030500123456","trade_status":"TRADE_SUCCESS"}"#;

    #[test]
    fn an_answer_is_verified_over_its_exact_text_not_a_re_serialization() {
        let key = config().alipay_public_key;
        // Spaces, a line break, raw and escaped non-ASCII: as the body has them.
        let json = "{ \"code\" : \"10000\", \"msg\":\"Success\",\n \"subject\": \"云店 拿铁 \\u2615\", \"out_trade_no\":\"CS0123456789AB\" }";
        let sign = alipay_key().sign(json);
        let body = format!(
            "{{\n  \"alipay_trade_query_response\" :  {json} ,\n  \"sign\": \"{sign}\"\n}}"
        );
        assert_eq!(verify_response(&key, &body, TRADE_QUERY), Ok(json));
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let reserialized = serde_json::to_string(&value).unwrap();
        assert_ne!(reserialized, json);
        assert_eq!(
            key.verify(&reserialized, &sign),
            Err(SignatureError::Mismatch)
        );
        // The sign may come first, and other members may sit beside it.
        let body = format!(
            r#"{{"sign":"{sign}","alipay_cert_sn":"x","alipay_trade_query_response":{json}}}"#
        );
        assert_eq!(verify_response(&key, &body, TRADE_QUERY), Ok(json));
    }

    #[test]
    fn tampered_forged_or_unsigned_answers_are_refused() {
        let key = config().alipay_public_key;
        let body = answer(&alipay_key(), TRADE_QUERY, QUERY_OK);
        assert_eq!(verify_response(&key, &body, TRADE_QUERY), Ok(QUERY_OK));
        let tampered = body.replace(r#""total_amount":"12.34""#, r#""total_amount":"0.01""#);
        assert_eq!(
            verify_response(&key, &tampered, TRADE_QUERY),
            Err(PaymentError::BadSignature(SignatureError::Mismatch))
        );
        let forged = answer(&stranger_key(), TRADE_QUERY, QUERY_OK);
        assert_eq!(
            verify_response(&key, &forged, TRADE_QUERY),
            Err(PaymentError::BadSignature(SignatureError::Mismatch))
        );
        assert_eq!(
            verify_response(&key, &unsigned(TRADE_QUERY, QUERY_OK), TRADE_QUERY),
            Err(PaymentError::BadSignature(SignatureError::Missing))
        );
        // Signed, but for another method.
        assert!(matches!(
            verify_response(&key, &body, TRADE_REFUND),
            Err(PaymentError::BadResponse(_))
        ));
        let not_a_string = format!(r#"{{"alipay_trade_query_response":{QUERY_OK},"sign":1}}"#);
        assert_eq!(
            verify_response(&key, &not_a_string, TRADE_QUERY),
            Err(PaymentError::BadSignature(SignatureError::BadEncoding))
        );
        for garbage in ["", "<html>502</html>", "[]", "{\"a\":", "null"] {
            assert!(matches!(
                verify_response(&key, garbage, TRADE_QUERY),
                Err(PaymentError::BadResponse(_))
            ));
        }
    }

    #[test]
    fn an_answer_signed_before_its_slashes_were_escaped_verifies() {
        let key = config().alipay_public_key;
        let signed = r#"{"code":"10000","msg":"Success","url":"https://shop.example/a"}"#;
        let sent = signed.replace('/', "\\/");
        let body = format!(
            r#"{{"alipay_trade_query_response":{sent},"sign":"{}"}}"#,
            alipay_key().sign(signed)
        );
        assert_eq!(verify_response(&key, &body, TRADE_QUERY), Ok(sent.as_str()));
    }

    /// Each request a transport was asked to send: the URL and the form.
    type Sent = Vec<(String, Vec<(String, String)>)>;

    /// A transport with one canned answer, keeping what it was asked to send.
    struct Canned {
        answer: Result<String, TransportError>,
        sent: Mutex<Sent>,
    }

    impl Canned {
        fn answering(body: &str) -> Self {
            Canned {
                answer: Ok(body.to_owned()),
                sent: Mutex::new(Vec::new()),
            }
        }

        fn failing(message: &str) -> Self {
            Canned {
                answer: Err(TransportError(message.to_owned())),
                sent: Mutex::new(Vec::new()),
            }
        }
    }

    impl PaymentTransport for Canned {
        async fn post_form(
            &self,
            url: &str,
            form: &[(String, String)],
        ) -> Result<String, TransportError> {
            self.sent
                .lock()
                .unwrap()
                .push((url.to_owned(), form.to_vec()));
            self.answer.clone()
        }
    }

    fn alipay_answering(body: String) -> Alipay<Canned> {
        Alipay::new(config(), Canned::answering(&body))
    }

    fn business(code: &str, sub_code: &str, verified: bool) -> PaymentError {
        PaymentError::Business {
            code: code.into(),
            msg: "Business Failed".into(),
            sub_code: Some(sub_code.into()),
            sub_msg: Some("交易不存在".into()),
            verified,
        }
    }

    #[tokio::test]
    async fn a_query_reads_the_trade_and_sends_a_signed_form() {
        let alipay = alipay_answering(answer(&alipay_key(), TRADE_QUERY, QUERY_OK));
        let provider: &dyn PaymentProvider = &alipay;
        assert_eq!(
            provider.query(ORDER).await,
            Ok(Some(TradeState {
                status: TradeStatus::Success,
                trade_no: TRADE_NO.into(),
                total_fen: 1234,
            }))
        );
        let sent = alipay.transport.sent.lock().unwrap();
        let (url, form) = &sent[0];
        assert_eq!(url, "https://openapi.alipay.com/gateway.do?charset=utf-8");
        let form: BTreeMap<String, String> = form.iter().cloned().collect();
        assert_eq!(form["method"], TRADE_QUERY);
        assert_eq!(form["biz_content"], r#"{"out_trade_no":"CS0123456789AB"}"#);
        let content = canonical_string(&form, REQUEST_UNSIGNED);
        assert_eq!(
            config().alipay_public_key.verify(&content, &form["sign"]),
            Ok(())
        );
    }

    #[tokio::test]
    async fn a_query_tells_waiting_missing_and_refused_trades_apart() {
        let waiting = QUERY_OK.replace("TRADE_SUCCESS", "WAIT_BUYER_PAY");
        let answer_for = |json: &str| alipay_answering(answer(&alipay_key(), TRADE_QUERY, json));
        let state = answer_for(&waiting).query(ORDER).await.unwrap().unwrap();
        assert_eq!(state.status, TradeStatus::WaitBuyerPay);

        let missing = r#"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在","buyer_pay_amount":"0.00","out_trade_no":"CS0123456789AB"}"#;
        assert_eq!(answer_for(missing).query(ORDER).await, Ok(None));
        let elsewhere = missing.replace("CS0123456789AB", "CS0000000000ZZ");
        assert!(matches!(
            answer_for(&elsewhere).query(ORDER).await,
            Err(PaymentError::BadResponse(_))
        ));
        // Unsigned, "no such trade" is only a failure, never a fact to act on.
        let unsigned_missing = alipay_answering(unsigned(TRADE_QUERY, missing));
        assert_eq!(
            unsigned_missing.query(ORDER).await,
            Err(business("40004", "ACQ.TRADE_NOT_EXIST", false))
        );
        let refused = missing.replace("ACQ.TRADE_NOT_EXIST", "ACQ.INVALID_PARAMETER");
        assert_eq!(
            answer_for(&refused).query(ORDER).await,
            Err(business("40004", "ACQ.INVALID_PARAMETER", true))
        );
        // The gateway signs nothing it could not authenticate.
        let gateway = r#"{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}}"#;
        assert!(matches!(
            alipay_answering(gateway.into()).query(ORDER).await,
            Err(PaymentError::Business { code, sub_code: Some(sub), verified: false, .. })
                if code == "40002" && sub == "isv.invalid-app-id"
        ));
    }

    #[tokio::test]
    async fn a_query_answer_that_cannot_be_trusted_is_an_error() {
        let forged = alipay_answering(answer(&stranger_key(), TRADE_QUERY, QUERY_OK));
        assert_eq!(
            forged.query(ORDER).await,
            Err(PaymentError::BadSignature(SignatureError::Mismatch))
        );
        let unsigned_ok = alipay_answering(unsigned(TRADE_QUERY, QUERY_OK));
        assert_eq!(
            unsigned_ok.query(ORDER).await,
            Err(PaymentError::BadSignature(SignatureError::Missing))
        );
        let signed = |json: String| alipay_answering(answer(&alipay_key(), TRADE_QUERY, &json));
        for odd in [
            QUERY_OK.replace("CS0123456789AB", "CS0000000000ZZ"),
            QUERY_OK.replace(r#""total_amount":"12.34""#, r#""total_amount":"12.345""#),
            QUERY_OK.replace(r#""total_amount":"12.34""#, r#""total_amount":12.34"#),
            QUERY_OK.replace("TRADE_SUCCESS", "TRADE_PENDING"),
            QUERY_OK.replace(r#""trade_no":"2026112322001403030500123456","#, ""),
            QUERY_OK.replace(r#""out_trade_no":"CS0123456789AB","#, ""),
            "[1,2]".to_owned(),
        ] {
            assert!(
                matches!(
                    signed(odd.clone()).query(ORDER).await,
                    Err(PaymentError::BadResponse(_))
                ),
                "{odd}"
            );
        }
        let down = Alipay::new(config(), Canned::failing("timed out"));
        assert_eq!(
            down.query(ORDER).await,
            Err(PaymentError::Transport(TransportError("timed out".into())))
        );
        let nothing_sent = alipay_answering(String::new());
        assert!(matches!(
            nothing_sent.query("CS-1").await,
            Err(PaymentError::InvalidRequest(_))
        ));
        assert!(nothing_sent.transport.sent.lock().unwrap().is_empty());
    }

    const REFUND_OK: &str = r#"{"code":"10000","msg":"Success","buyer_logon_id":"159****5620","fund_change":"Y","gmt_refund_pay":"2026-11-23 09:00:00","out_trade_no":"CS0123456789AB","refund_fee":"12.34","send_back_fee":"5.00","trade_no":"2026112322001403030500123456"}"#;

    #[tokio::test]
    async fn a_refund_reports_what_was_refunded() {
        let alipay = alipay_answering(answer(&alipay_key(), TRADE_REFUND, REFUND_OK));
        let provider: &dyn PaymentProvider = &alipay;
        assert_eq!(
            provider
                .refund(ORDER, 500, "CS0123456789AB_R1", "门店缺货")
                .await,
            Ok(RefundOutcome {
                refunded_fen: 1234,
                fund_change: true,
            })
        );
        let form: BTreeMap<String, String> = alipay.transport.sent.lock().unwrap()[0]
            .1
            .iter()
            .cloned()
            .collect();
        assert_eq!(form["method"], TRADE_REFUND);
        assert!(form["biz_content"].contains(r#""refund_amount":"5.00""#));
        assert!(form["biz_content"].contains(r#""out_request_no":"CS0123456789AB_R1""#));

        let repeat = REFUND_OK.replace(r#""fund_change":"Y""#, r#""fund_change":"N""#);
        let repeated = alipay_answering(answer(&alipay_key(), TRADE_REFUND, &repeat));
        let outcome = repeated.refund(ORDER, 500, "R1", "").await.unwrap();
        assert!(!outcome.fund_change);
    }

    #[tokio::test]
    async fn a_refused_or_forged_refund_is_an_error() {
        let refused = r#"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_ALLOW_REFUND","sub_msg":"当前交易不允许退款"}"#;
        let alipay = alipay_answering(answer(&alipay_key(), TRADE_REFUND, refused));
        assert!(matches!(
            alipay.refund(ORDER, 500, "R1", "").await,
            Err(PaymentError::Business { code, sub_code: Some(sub), verified: true, .. })
                if code == "40004" && sub == "ACQ.TRADE_NOT_ALLOW_REFUND"
        ));
        let forged = alipay_answering(answer(&stranger_key(), TRADE_REFUND, REFUND_OK));
        assert_eq!(
            forged.refund(ORDER, 500, "R1", "").await,
            Err(PaymentError::BadSignature(SignatureError::Mismatch))
        );
        let odd = REFUND_OK.replace(r#""fund_change":"Y""#, r#""fund_change":"maybe""#);
        let odd = alipay_answering(answer(&alipay_key(), TRADE_REFUND, &odd));
        assert!(matches!(
            odd.refund(ORDER, 500, "R1", "").await,
            Err(PaymentError::BadResponse(_))
        ));
        let nothing_sent = alipay_answering(String::new());
        assert!(matches!(
            nothing_sent.refund(ORDER, 0, "R1", "").await,
            Err(PaymentError::InvalidRequest(_))
        ));
        assert!(nothing_sent.transport.sent.lock().unwrap().is_empty());
    }

    #[test]
    fn china_time_is_eight_hours_ahead() {
        assert_eq!(china_time(now()), "2026-11-23 08:30:00");
        let late = Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap();
        assert_eq!(china_time(late), "2027-01-01 00:00:00");
        assert_eq!(parse_china_time("2026-11-23 08:30:00"), Some(now()));
        assert_eq!(parse_china_time("2026-11-23T08:30:00"), None);
    }
}
