//! The demo payment gateway (server, demo mode): Alipay's side of the open-platform
//! protocol, built into the app with a key pair of its own. A demo pays through the very
//! code a real Alipay app runs — requests signed by the app and checked here, notifies and
//! answers signed here and checked by the app, amounts as exact yuan text, refunds
//! idempotent by request number; only the gateway's address and keys differ.
//!
//! This file is the gateway's protocol and its book (`demo_trades`, `demo_refunds`); its
//! HTTP side (the pay page, the buyer's decision, the API endpoint, sending notifies) is
//! the server's `payment_http`. [`DemoProvider`] is the app's provider in demo mode.

use super::alipay::{
    Alipay, AlipayConfig, AlipayPublicKey, AppPrivateKey, NOTIFY_UNSIGNED, REQUEST_UNSIGNED,
    TRADE_QUERY, TRADE_REFUND, WAP_PAY, canonical_string,
};
use super::{
    MAX_AMOUNT_FEN, Notify, NotifyRefusal, PayRequest, PaymentError, PaymentProvider,
    PaymentTransport, Pending, RefundOutcome, SignatureError, TradeState, TradeStatus, is_http_url,
    is_trade_no,
};
use crate::domain::money::{format_yuan, parse_yuan};
use crate::error::AppError;
use crate::ssr::db::{Db, retrying};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Where the demo gateway listens, on the app's own server: the pay page (GET) and the
/// API (POST), as Alipay's `gateway.do` is both.
pub const GATEWAY_PATH: &str = "/demo/alipay/gateway.do";
/// Where the pay page posts the buyer's decision (pay or decline).
pub const DECIDE_PATH: &str = "/demo/alipay/decide";
/// The shop's notify route, which the demo config names as `notify_url`.
pub const NOTIFY_PATH: &str = crate::links::routes::PAYMENT_NOTIFY;
/// The demo app's id (an Alipay app id is up to 32 letters and digits).
pub const DEMO_APP_ID: &str = "2021000000000000";
/// The merchant the pay page names.
pub const MERCHANT: &str = "Cloud Store";

// The demo's keys are the test fixtures in `testdata/`, committed with the code. That is
// fine: they sign and check nothing but demo money on this demo gateway, which only demo
// mode serves. A real deployment sets `ALIPAY_*` with its own app's keys and never loads
// these; no real Alipay app trusts them.
/// The demo app's private key (the app's side signs requests with it).
const APP_PRIVATE_KEY: &str = include_str!("testdata/app_private_pkcs8.pem");
/// Its public half: the gateway checks requests with it.
const APP_PUBLIC_KEY: &str = include_str!("testdata/app_public.pem");
/// The gateway's private key: signs notifies and answers, as Alipay's key does.
const GATEWAY_PRIVATE_KEY: &str = include_str!("testdata/other_private_pkcs8.pem");
/// Its public half: the app's "Alipay public key" in demo mode.
const GATEWAY_PUBLIC_KEY: &str = include_str!("testdata/other_public.pem");

const SIGN_TYPE: &str = "RSA2";
const CHARSET: &str = "utf-8";
const VERSION: &str = "1.0";
/// Alipay's wall-clock format, in China time.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
const SUCCESS: &str = "10000";
const INVALID_ARGUMENTS: &str = "40002";
const BUSINESS_FAILED: &str = "40004";
/// What a paid demo trade shows as the buyer's account.
const BUYER_LOGON_ID: &str = "demo***@cloudstore.example";
const BUYER_ID: &str = "2088000000000000";
/// The method of the signed parameters Alipay appends to `return_url`.
const WAP_PAY_RETURN: &str = "alipay.trade.wap.pay.return";

/// The gateway's side: the app's public key (to check what the app signs) and its own
/// private key (to sign notifies and answers). `Debug` never shows the private key.
#[derive(Debug)]
pub struct DemoGateway {
    app_id: String,
    app_key: AlipayPublicKey,
    key: AppPrivateKey,
    /// `scheme://host:port` of `self_url`: URLs on it are sent to the browser as paths.
    origin: String,
}

impl DemoGateway {
    /// The app's Alipay settings pointed at the demo gateway on `self_url` (how the server
    /// reaches itself, e.g. `http://127.0.0.1:3000`), and the gateway.
    pub fn pair(self_url: &str) -> (AlipayConfig, DemoGateway) {
        let origin = self_url.trim_end_matches('/').to_owned();
        let private = |pem| AppPrivateKey::parse(pem).expect("the demo keys in testdata parse");
        let public = |pem| AlipayPublicKey::parse(pem).expect("the demo keys in testdata parse");
        let config = AlipayConfig {
            app_id: DEMO_APP_ID.to_owned(),
            private_key: private(APP_PRIVATE_KEY),
            alipay_public_key: public(GATEWAY_PUBLIC_KEY),
            gateway: format!("{origin}{GATEWAY_PATH}"),
            notify_url: Some(format!("{origin}{NOTIFY_PATH}")),
            return_url: None,
        };
        let gateway = DemoGateway {
            app_id: DEMO_APP_ID.to_owned(),
            app_key: public(APP_PUBLIC_KEY),
            key: private(GATEWAY_PRIVATE_KEY),
            origin,
        };
        (config, gateway)
    }

    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Checks a request's parameters as Alipay does: one value per key, `sign_type` RSA2,
    /// a signature by the app's key over every other non-empty parameter (`sign_type`
    /// included), and our app id.
    pub fn verify_request(
        &self,
        pairs: &[(String, String)],
    ) -> Result<BTreeMap<String, String>, RequestRefusal> {
        let mut params = BTreeMap::new();
        for (key, value) in pairs {
            if params.insert(key.clone(), value.clone()).is_some() {
                return Err(RequestRefusal::Duplicate);
            }
        }
        let sign = params
            .get("sign")
            .filter(|sign| !sign.is_empty())
            .ok_or(RequestRefusal::BadSignature(SignatureError::Missing))?;
        if params.get("sign_type").map(String::as_str) != Some(SIGN_TYPE) {
            return Err(RequestRefusal::BadSignature(SignatureError::WrongSignType));
        }
        self.app_key
            .verify(&canonical_string(&params, REQUEST_UNSIGNED), sign)
            .map_err(RequestRefusal::BadSignature)?;
        if params.get("app_id") != Some(&self.app_id) {
            return Err(RequestRefusal::WrongApp);
        }
        Ok(params)
    }

    /// Reads the pay page's query (`alipay.trade.wap.pay`, URL-decoded pairs) at `now`:
    /// verified, then what the buyer is asked to pay.
    pub fn read_pay_request(
        &self,
        pairs: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<PayOrder, RequestRefusal> {
        let params = self.verify_request(pairs)?;
        if params.get("method").map(String::as_str) != Some(WAP_PAY) {
            return Err(RequestRefusal::Invalid("method"));
        }
        let content: WapContent = serde_json::from_str(
            params
                .get("biz_content")
                .ok_or(RequestRefusal::Missing("biz_content"))?,
        )
        .map_err(|_| RequestRefusal::Invalid("biz_content"))?;
        let out_trade_no = content
            .out_trade_no
            .ok_or(RequestRefusal::Missing("out_trade_no"))?;
        if !is_trade_no(&out_trade_no) {
            return Err(RequestRefusal::Invalid("out_trade_no"));
        }
        let total_fen = content
            .total_amount
            .as_deref()
            .ok_or(RequestRefusal::Missing("total_amount"))
            .and_then(|text| read_amount(text).ok_or(RequestRefusal::Invalid("total_amount")))?;
        let subject = content
            .subject
            .filter(|s| !s.trim().is_empty())
            .ok_or(RequestRefusal::Missing("subject"))?;
        let time_expire = match content.time_expire.as_deref().filter(|t| !t.is_empty()) {
            Some(text) => {
                Some(parse_china_time(text).ok_or(RequestRefusal::Invalid("time_expire"))?)
            }
            None => None,
        };
        if time_expire.is_some_and(|deadline| deadline <= now) {
            return Err(RequestRefusal::Expired);
        }
        let url = |value: Option<&String>, name| match value.filter(|v| !v.is_empty()) {
            Some(url) if !is_http_url(url) => Err(RequestRefusal::Invalid(name)),
            url => Ok(url.cloned()),
        };
        let notify_url = url(params.get("notify_url"), "notify_url")?;
        let return_url = url(params.get("return_url"), "return_url")?;
        let quit_url = url(content.quit_url.as_ref(), "quit_url")?;
        Ok(PayOrder {
            out_trade_no,
            total_fen,
            subject,
            time_expire,
            notify_url,
            // The shop sends both to its order page; one column keeps them.
            return_url: return_url.or(quit_url),
        })
    }

    /// Records the trade a pay page is for: new ones wait for the buyer; one already known
    /// is kept as it is (paying again after declining works).
    pub async fn open(
        &self,
        db: &Db,
        order: &PayOrder,
        now: DateTime<Utc>,
    ) -> Result<Opened, AppError> {
        let trade_no = new_trade_no(now);
        retrying(db, || async {
            sqlx::query(
                "INSERT INTO demo_trades (out_trade_no, trade_no, app_id, total_minor, subject, \
                   status, notify_url, return_url, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'WAIT_BUYER_PAY', $6, $7, $8) \
                 ON CONFLICT (out_trade_no) DO NOTHING",
            )
            .bind(&order.out_trade_no)
            .bind(&trade_no)
            .bind(&self.app_id)
            .bind(order.total_fen)
            .bind(&order.subject)
            .bind(&order.notify_url)
            .bind(&order.return_url)
            .bind(now.timestamp())
            .execute(&db.pool)
            .await?;
            Ok(())
        })
        .await?;
        let trade = self.trade(db, &order.out_trade_no).await?.ok_or_else(|| {
            tracing::error!("a demo trade just recorded cannot be read back");
            AppError::Internal
        })?;
        Ok(if trade.total_fen != order.total_fen {
            Opened::OtherAmount(trade)
        } else {
            match trade.status {
                TradeStatus::WaitBuyerPay => Opened::Waiting(trade),
                TradeStatus::Closed => Opened::Closed(trade),
                TradeStatus::Success | TradeStatus::Finished => Opened::Paid(trade),
            }
        })
    }

    /// The trade for the shop's order `out_trade_no`, if the gateway has one.
    pub async fn trade(&self, db: &Db, out_trade_no: &str) -> Result<Option<Trade>, AppError> {
        read_trade(&db.pool, &self.app_id, out_trade_no).await
    }

    /// The buyer pays: a waiting trade becomes paid, once (`newly`); a second click finds
    /// it paid already. `None` for an unknown trade.
    pub async fn pay(
        &self,
        db: &Db,
        out_trade_no: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Paid>, AppError> {
        let newly = retrying(db, || async {
            let done = sqlx::query(
                "UPDATE demo_trades SET status = 'TRADE_SUCCESS', paid_at = $1 \
                 WHERE out_trade_no = $2 AND app_id = $3 AND status = 'WAIT_BUYER_PAY'",
            )
            .bind(now.timestamp())
            .bind(out_trade_no)
            .bind(&self.app_id)
            .execute(&db.pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
        .await?;
        Ok(self
            .trade(db, out_trade_no)
            .await?
            .map(|trade| Paid { trade, newly }))
    }

    /// The notify Alipay posts to the shop's `notify_url` for a paid trade: every field as
    /// Alipay sends it, signed with the gateway's key over all but `sign` and `sign_type`.
    /// Its `notify_id` is new with each call; resend the same form to repeat it.
    pub fn notify_form(&self, trade: &Trade, now: DateTime<Utc>) -> Vec<(String, String)> {
        let total = yuan(trade.total_fen);
        let mut params: BTreeMap<String, String> = [
            ("notify_time", china_time(now)),
            ("notify_type", "trade_status_sync".to_owned()),
            ("notify_id", new_notify_id(now)),
            ("app_id", self.app_id.clone()),
            ("auth_app_id", self.app_id.clone()),
            ("charset", CHARSET.to_owned()),
            ("version", VERSION.to_owned()),
            ("sign_type", SIGN_TYPE.to_owned()),
            ("trade_no", trade.trade_no.clone()),
            ("out_trade_no", trade.out_trade_no.clone()),
            ("buyer_id", BUYER_ID.to_owned()),
            ("total_amount", total.clone()),
            ("receipt_amount", total.clone()),
            ("buyer_pay_amount", total),
            ("trade_status", status_text(trade.status).to_owned()),
            ("gmt_create", china_time_of(trade.created_at)),
            ("subject", trade.subject.clone()),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        if let Some(paid_at) = trade.paid_at {
            params.insert("gmt_payment".to_owned(), china_time_of(paid_at));
        }
        self.signed(params, NOTIFY_UNSIGNED)
    }

    /// Where the buyer goes back after paying: the trade's return URL with the signed
    /// parameters Alipay appends (the shop trusts none of them: it waits for the notify or
    /// queries). A URL on this server becomes its path, so the browser stays on its host.
    pub fn return_after_paying(&self, trade: &Trade, now: DateTime<Utc>) -> Option<String> {
        let url = trade.return_url.as_deref()?;
        let params: BTreeMap<String, String> = [
            ("charset", CHARSET.to_owned()),
            ("out_trade_no", trade.out_trade_no.clone()),
            ("method", WAP_PAY_RETURN.to_owned()),
            ("total_amount", yuan(trade.total_fen)),
            ("trade_no", trade.trade_no.clone()),
            ("auth_app_id", self.app_id.clone()),
            ("version", VERSION.to_owned()),
            ("app_id", self.app_id.clone()),
            ("sign_type", SIGN_TYPE.to_owned()),
            ("timestamp", china_time(now)),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.signed(params, NOTIFY_UNSIGNED))
            .finish();
        let url = self.local(url);
        let separator = if url.contains('?') { '&' } else { '?' };
        Some(format!("{url}{separator}{query}"))
    }

    /// Where a buyer who gives up (or finds the trade settled) goes back: the trade's
    /// return URL as given, a path when it is on this server.
    pub fn return_without_paying(&self, trade: &Trade) -> Option<String> {
        trade.return_url.as_deref().map(|url| self.local(url))
    }

    /// `url` as a path when it is on this server's own origin.
    fn local(&self, url: &str) -> String {
        match url.strip_prefix(self.origin.as_str()) {
            Some("") => "/".to_owned(),
            Some(rest) if rest.starts_with(['/', '?']) => rest.to_owned(),
            _ => url.to_owned(),
        }
    }

    fn signed(
        &self,
        mut params: BTreeMap<String, String>,
        unsigned: &[&str],
    ) -> Vec<(String, String)> {
        let sign = self.key.sign(&canonical_string(&params, unsigned));
        params.insert("sign".to_owned(), sign);
        params.into_iter().collect()
    }

    /// The body answering an API call (the form the app posted, URL-decoded pairs): the
    /// `<method>_response` object and the gateway's signature over its exact text. A
    /// request that does not authenticate gets an unsigned `error_response`, as Alipay
    /// signs nothing for a caller it could not check.
    pub async fn answer(
        &self,
        db: &Db,
        pairs: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let params = match self.verify_request(pairs) {
            Ok(params) => params,
            Err(refusal) => {
                tracing::warn!(%refusal, "demo gateway: refused an API call");
                return Ok(unauthenticated(refusal));
            }
        };
        match params.get("method").map(String::as_str) {
            Some(TRADE_QUERY) => self.answer_query(db, &params).await,
            Some(TRADE_REFUND) => self.answer_refund(db, &params, now).await,
            _ => Ok(error_response(
                "isv.invalid-method",
                "不存在的方法名 (no such method)",
            )),
        }
    }

    async fn answer_query(
        &self,
        db: &Db,
        params: &BTreeMap<String, String>,
    ) -> Result<String, AppError> {
        let Some(content) = biz_content::<QueryContent>(params) else {
            return Ok(self.failure(TRADE_QUERY, invalid_parameter(None)));
        };
        let Some(out_trade_no) = content.out_trade_no.filter(|no| is_trade_no(no)) else {
            return Ok(self.failure(TRADE_QUERY, invalid_parameter(None)));
        };
        Ok(match self.trade(db, &out_trade_no).await? {
            Some(trade) => self.query_answer(&trade),
            None => self.failure(
                TRADE_QUERY,
                Failure::business("ACQ.TRADE_NOT_EXIST", "交易不存在", Some(&out_trade_no)),
            ),
        })
    }

    /// The signed answer to `alipay.trade.query` for a trade the gateway has.
    pub fn query_answer(&self, trade: &Trade) -> String {
        let paid = trade.paid_at.is_some();
        let answer = QueryAnswer {
            code: SUCCESS,
            msg: "Success",
            out_trade_no: &trade.out_trade_no,
            trade_no: &trade.trade_no,
            trade_status: status_text(trade.status),
            total_amount: yuan(trade.total_fen),
            buyer_pay_amount: yuan(if paid { trade.total_fen } else { 0 }),
            send_pay_date: trade.paid_at.map(china_time_of),
            buyer_logon_id: paid.then_some(BUYER_LOGON_ID),
        };
        self.answer_with(TRADE_QUERY, &answer)
    }

    async fn answer_refund(
        &self,
        db: &Db,
        params: &BTreeMap<String, String>,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let content = biz_content::<RefundContent>(params);
        let asked = content.and_then(|c| {
            let out_trade_no = c.out_trade_no.filter(|no| is_trade_no(no))?;
            let request_no = c.out_request_no.filter(|no| is_request_no(no))?;
            let amount = read_amount(c.refund_amount.as_deref()?)?;
            Some((out_trade_no, request_no, amount))
        });
        let Some((out_trade_no, request_no, amount)) = asked else {
            return Ok(self.failure(TRADE_REFUND, invalid_parameter(None)));
        };
        let business = |sub_code, sub_msg| {
            self.failure(
                TRADE_REFUND,
                Failure::business(sub_code, sub_msg, Some(&out_trade_no)),
            )
        };
        Ok(
            match self
                .refund(db, &out_trade_no, &request_no, amount, now)
                .await?
            {
                Refunded::Done {
                    trade,
                    amount,
                    fund_change,
                } => self.answer_with(
                    TRADE_REFUND,
                    &RefundAnswer {
                        code: SUCCESS,
                        msg: "Success",
                        trade_no: &trade.trade_no,
                        out_trade_no: &trade.out_trade_no,
                        buyer_logon_id: BUYER_LOGON_ID,
                        fund_change: if fund_change { "Y" } else { "N" },
                        refund_fee: yuan(trade.refunded_fen),
                        send_back_fee: yuan(amount),
                        gmt_refund_pay: china_time(now),
                    },
                ),
                Refunded::NoTrade => business("ACQ.TRADE_NOT_EXIST", "交易不存在"),
                Refunded::NotPaid => business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
                Refunded::Closed => business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
                Refunded::TooMuch => business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限"),
                Refunded::OtherAmount => business(
                    "ACQ.INVALID_PARAMETER",
                    "退款请求号已用于另一金额 (refund request number used with another amount)",
                ),
            },
        )
    }

    /// Refunds `amount` of a paid trade as the refund `request_no`: a new number moves money
    /// (never past what is left), a repeat moves nothing and reports the refund as it stands.
    /// A trade refunded in full is closed.
    pub async fn refund(
        &self,
        db: &Db,
        out_trade_no: &str,
        request_no: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> Result<Refunded, AppError> {
        retrying(db, || {
            self.refund_once(db, out_trade_no, request_no, amount, now)
        })
        .await
    }

    async fn refund_once(
        &self,
        db: &Db,
        out_trade_no: &str,
        request_no: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> Result<Refunded, AppError> {
        let mut tx = db.pool.begin().await?;
        // The refund's row first: it is the idempotency key, and writing first takes
        // SQLite's write lock before anything is read.
        let inserted = sqlx::query(
            "INSERT INTO demo_refunds (out_trade_no, out_request_no, amount_minor, at) \
             SELECT $1, $2, $3, $4 \
             WHERE EXISTS (SELECT 1 FROM demo_trades WHERE out_trade_no = $5 AND app_id = $6) \
             ON CONFLICT (out_trade_no, out_request_no) DO NOTHING",
        )
        .bind(out_trade_no)
        .bind(request_no)
        .bind(amount)
        .bind(now.timestamp())
        .bind(out_trade_no)
        .bind(&self.app_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !inserted {
            let earlier: Option<(i64,)> = sqlx::query_as(
                "SELECT amount_minor FROM demo_refunds WHERE out_trade_no = $1 AND out_request_no = $2",
            )
            .bind(out_trade_no)
            .bind(request_no)
            .fetch_optional(&mut *tx)
            .await?;
            let trade = read_trade(&mut *tx, &self.app_id, out_trade_no).await?;
            tx.commit().await?;
            return Ok(match (earlier, trade) {
                (Some((earlier,)), Some(trade)) if earlier == amount => Refunded::Done {
                    trade,
                    amount,
                    fund_change: false,
                },
                (Some(_), Some(_)) => Refunded::OtherAmount,
                _ => Refunded::NoTrade,
            });
        }
        let moved = sqlx::query(
            "UPDATE demo_trades SET refunded_minor = refunded_minor + $1, \
               status = CASE WHEN refunded_minor + $2 = total_minor THEN 'TRADE_CLOSED' ELSE status END \
             WHERE out_trade_no = $3 AND app_id = $4 AND status = 'TRADE_SUCCESS' \
               AND refunded_minor + $5 <= total_minor",
        )
        .bind(amount)
        .bind(amount)
        .bind(out_trade_no)
        .bind(&self.app_id)
        .bind(amount)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let trade = read_trade(&mut *tx, &self.app_id, out_trade_no).await?;
        let Some(trade) = trade else {
            return Ok(Refunded::NoTrade);
        };
        if !moved {
            // The refund's row goes with the transaction: a refused refund is no refund.
            tx.rollback().await?;
            return Ok(match trade.status {
                TradeStatus::WaitBuyerPay => Refunded::NotPaid,
                TradeStatus::Closed => Refunded::Closed,
                TradeStatus::Success | TradeStatus::Finished => Refunded::TooMuch,
            });
        }
        tx.commit().await?;
        Ok(Refunded::Done {
            trade,
            amount,
            fund_change: true,
        })
    }

    /// An answer body: the object's exact text and the gateway's signature over it.
    fn answer_with(&self, method: &str, answer: &impl Serialize) -> String {
        let json = serde_json::to_string(answer).expect("plain structs serialize");
        let name = format!("{}_response", method.replace('.', "_"));
        format!(r#"{{"{name}":{json},"sign":"{}"}}"#, self.key.sign(&json))
    }

    /// A signed refusal of an authenticated call.
    fn failure(&self, method: &str, failure: Failure<'_>) -> String {
        self.answer_with(method, &failure)
    }
}

/// Why the gateway refused a request (pay page or API call). Nothing is recorded for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestRefusal {
    #[error("the request's signature is not valid ({0})")]
    BadSignature(SignatureError),
    #[error("a parameter appears twice")]
    Duplicate,
    #[error("the request is for another app")]
    WrongApp,
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error("{0} is not valid")]
    Invalid(&'static str),
    #[error("the time to pay has run out")]
    Expired,
}

/// What the buyer is asked to pay, from a verified pay request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayOrder {
    pub out_trade_no: String,
    pub total_fen: i64,
    pub subject: String,
    /// The deadline the shop set (`time_expire`), if any.
    pub time_expire: Option<DateTime<Utc>>,
    pub notify_url: Option<String>,
    /// Where the buyer goes back to (`return_url`, else `quit_url`).
    pub return_url: Option<String>,
}

/// A trade in the gateway's book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trade {
    pub out_trade_no: String,
    /// The gateway's trade number (28 digits, as Alipay's).
    pub trade_no: String,
    pub total_fen: i64,
    pub subject: String,
    /// `WaitBuyerPay`, `Success` or `Closed` (refunded in full).
    pub status: TradeStatus,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub refunded_fen: i64,
}

/// What a pay page found when it recorded its trade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// Waiting for the buyer (new, or declined before).
    Waiting(Trade),
    /// Paid already.
    Paid(Trade),
    /// Refunded in full.
    Closed(Trade),
    /// This order was opened before with another amount: refused.
    OtherAmount(Trade),
}

/// A trade after the buyer chose to pay; `newly` when this call paid it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paid {
    pub trade: Trade,
    pub newly: bool,
}

/// What a refund call came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refunded {
    /// The refund stands: `trade.refunded_fen` is everything refunded so far;
    /// `fund_change` false for a repeat of a refund already made.
    Done {
        trade: Trade,
        amount: i64,
        fund_change: bool,
    },
    NoTrade,
    NotPaid,
    /// Refunded in full already.
    Closed,
    /// More than what is left to refund.
    TooMuch,
    /// A refund number already used with another amount.
    OtherAmount,
}

#[derive(sqlx::FromRow)]
struct TradeRow {
    out_trade_no: String,
    trade_no: String,
    total_minor: i64,
    subject: String,
    status: String,
    notify_url: Option<String>,
    return_url: Option<String>,
    created_at: i64,
    paid_at: Option<i64>,
    refunded_minor: i64,
}

impl TryFrom<TradeRow> for Trade {
    type Error = AppError;

    fn try_from(row: TradeRow) -> Result<Self, AppError> {
        let status = match row.status.as_str() {
            "WAIT_BUYER_PAY" => TradeStatus::WaitBuyerPay,
            "TRADE_SUCCESS" => TradeStatus::Success,
            "TRADE_CLOSED" => TradeStatus::Closed,
            other => {
                tracing::error!(status = other, "a demo trade with an unknown status");
                return Err(AppError::Internal);
            }
        };
        Ok(Trade {
            out_trade_no: row.out_trade_no,
            trade_no: row.trade_no,
            total_fen: row.total_minor,
            subject: row.subject,
            status,
            notify_url: row.notify_url,
            return_url: row.return_url,
            created_at: row.created_at,
            paid_at: row.paid_at,
            refunded_fen: row.refunded_minor,
        })
    }
}

async fn read_trade<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    app_id: &str,
    out_trade_no: &str,
) -> Result<Option<Trade>, AppError> {
    let row: Option<TradeRow> = sqlx::query_as(
        "SELECT out_trade_no, trade_no, total_minor, subject, status, notify_url, return_url, \
           created_at, paid_at, refunded_minor \
         FROM demo_trades WHERE out_trade_no = $1 AND app_id = $2",
    )
    .bind(out_trade_no)
    .bind(app_id)
    .fetch_optional(executor)
    .await?;
    row.map(Trade::try_from).transpose()
}

#[derive(Deserialize)]
struct WapContent {
    out_trade_no: Option<String>,
    total_amount: Option<String>,
    subject: Option<String>,
    time_expire: Option<String>,
    quit_url: Option<String>,
}

#[derive(Deserialize)]
struct QueryContent {
    out_trade_no: Option<String>,
}

#[derive(Deserialize)]
struct RefundContent {
    out_trade_no: Option<String>,
    refund_amount: Option<String>,
    out_request_no: Option<String>,
}

fn biz_content<T: for<'de> Deserialize<'de>>(params: &BTreeMap<String, String>) -> Option<T> {
    serde_json::from_str(params.get("biz_content")?).ok()
}

#[derive(Serialize)]
struct QueryAnswer<'a> {
    code: &'static str,
    msg: &'static str,
    out_trade_no: &'a str,
    trade_no: &'a str,
    trade_status: &'static str,
    total_amount: String,
    buyer_pay_amount: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_pay_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_logon_id: Option<&'static str>,
}

#[derive(Serialize)]
struct RefundAnswer<'a> {
    code: &'static str,
    msg: &'static str,
    trade_no: &'a str,
    out_trade_no: &'a str,
    buyer_logon_id: &'static str,
    fund_change: &'static str,
    refund_fee: String,
    send_back_fee: String,
    gmt_refund_pay: String,
}

#[derive(Serialize)]
struct Failure<'a> {
    code: &'static str,
    msg: &'static str,
    sub_code: &'static str,
    sub_msg: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    out_trade_no: Option<&'a str>,
}

impl<'a> Failure<'a> {
    fn business(
        sub_code: &'static str,
        sub_msg: &'static str,
        out_trade_no: Option<&'a str>,
    ) -> Self {
        Failure {
            code: BUSINESS_FAILED,
            msg: "Business Failed",
            sub_code,
            sub_msg,
            out_trade_no,
        }
    }
}

fn invalid_parameter(out_trade_no: Option<&str>) -> Failure<'_> {
    Failure {
        code: INVALID_ARGUMENTS,
        msg: "Invalid Arguments",
        sub_code: "isv.invalid-parameter",
        sub_msg: "参数无效 (invalid biz_content)",
        out_trade_no,
    }
}

/// The unsigned answer to a call that did not authenticate.
fn unauthenticated(refusal: RequestRefusal) -> String {
    let (sub_code, sub_msg) = match refusal {
        RequestRefusal::BadSignature(_) => ("isv.invalid-signature", "验签出错 (bad signature)"),
        RequestRefusal::WrongApp => ("isv.invalid-app-id", "无效的AppID参数 (unknown app id)"),
        _ => ("isv.invalid-parameter", "参数无效 (invalid parameters)"),
    };
    error_response(sub_code, sub_msg)
}

fn error_response(sub_code: &'static str, sub_msg: &'static str) -> String {
    let failure = Failure {
        code: INVALID_ARGUMENTS,
        msg: "Invalid Arguments",
        sub_code,
        sub_msg,
        out_trade_no: None,
    };
    let json = serde_json::to_string(&failure).expect("plain structs serialize");
    format!(r#"{{"error_response":{json}}}"#)
}

/// An exact, positive yuan amount within Alipay's ceiling, in fen.
fn read_amount(text: &str) -> Option<i64> {
    parse_yuan(text)
        .ok()
        .filter(|fen| (1..=MAX_AMOUNT_FEN).contains(fen))
}

/// A refund request number: 1 to 64 letters, digits, `_` or `-`.
fn is_request_no(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn yuan(fen: i64) -> String {
    format_yuan(fen.max(0)).expect("not negative")
}

fn status_text(status: TradeStatus) -> &'static str {
    match status {
        TradeStatus::WaitBuyerPay => "WAIT_BUYER_PAY",
        TradeStatus::Success => "TRADE_SUCCESS",
        TradeStatus::Finished => "TRADE_FINISHED",
        TradeStatus::Closed => "TRADE_CLOSED",
    }
}

fn china_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai).format(TIME_FORMAT).to_string()
}

fn china_time_of(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(china_time)
        .unwrap_or_default()
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

/// `n` random decimal digits.
fn digits(n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + (rand::random::<u8>() % 10)))
        .collect()
}

/// A trade number like Alipay's: the China date, then 20 digits (28 in all).
fn new_trade_no(now: DateTime<Utc>) -> String {
    let date = now.with_timezone(&Shanghai).format("%Y%m%d");
    format!("{date}22001{}", digits(15))
}

/// A notify id like Alipay's: the China date, then 26 digits.
fn new_notify_id(now: DateTime<Utc>) -> String {
    let date = now.with_timezone(&Shanghai).format("%Y%m%d");
    format!("{date}{}", digits(26))
}

/// The app's provider in demo mode: Alipay's protocol against the demo gateway, except that
/// the pay URL is a path on this server, so the buyer's browser stays on whatever host it
/// came by (a proxy in front, a phone on the LAN).
pub struct DemoProvider<T> {
    alipay: Alipay<T>,
}

impl<T> DemoProvider<T> {
    pub fn new(config: AlipayConfig, transport: T) -> Self {
        DemoProvider {
            alipay: Alipay::new(config, transport),
        }
    }

    pub fn config(&self) -> &AlipayConfig {
        self.alipay.config()
    }
}

impl<T> fmt::Debug for DemoProvider<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoProvider")
            .field("alipay", &self.alipay)
            .finish()
    }
}

/// `http://host:port/path?query` as `/path?query`.
fn path_of(url: &str) -> &str {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or(url)
}

impl<T: PaymentTransport> PaymentProvider for DemoProvider<T> {
    fn pay_url(&self, order: &PayRequest) -> String {
        path_of(&self.alipay.pay_url(order)).to_owned()
    }

    fn parse_notify(&self, form: &[(String, String)]) -> Result<Notify, NotifyRefusal> {
        self.alipay.parse_notify(form)
    }

    fn notify_ack(&self) -> &'static str {
        self.alipay.notify_ack()
    }

    fn query<'a>(
        &'a self,
        order_id: &'a str,
    ) -> Pending<'a, Result<Option<TradeState>, PaymentError>> {
        self.alipay.query(order_id)
    }

    fn refund<'a>(
        &'a self,
        order_id: &'a str,
        amount_fen: i64,
        refund_id: &'a str,
        reason: &'a str,
    ) -> Pending<'a, Result<RefundOutcome, PaymentError>> {
        self.alipay.refund(order_id, amount_fen, refund_id, reason)
    }
}

/// Demo payment in one call: the app's provider (over `transport`, pointed at the gateway
/// on `self_url`) and the gateway to serve.
pub fn demo_provider<T: PaymentTransport + 'static>(
    self_url: &str,
    transport: T,
) -> (Arc<dyn PaymentProvider>, Arc<DemoGateway>) {
    let (config, gateway) = DemoGateway::pair(self_url);
    (
        Arc::new(DemoProvider::new(config, transport)),
        Arc::new(gateway),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::payment::TransportError;
    use crate::ssr::payment::alipay::{
        parse_notify, read_refund, read_trade_query, refund_form, trade_query_form, verify_params,
        wap_pay_params,
    };
    use std::time::Duration;

    const SELF_URL: &str = "http://127.0.0.1:3000";
    const ORDER: &str = "CS0123456789AB";
    const ORDER_URL: &str = "http://127.0.0.1:3000/orders/CS0123456789AB";

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

    fn pairs(params: BTreeMap<String, String>) -> Vec<(String, String)> {
        params.into_iter().collect()
    }

    fn trade(status: TradeStatus) -> Trade {
        Trade {
            out_trade_no: ORDER.to_owned(),
            trade_no: new_trade_no(now()),
            total_fen: 1234,
            subject: "云店 拿铁".to_owned(),
            status,
            notify_url: Some(format!("{SELF_URL}{NOTIFY_PATH}")),
            return_url: Some(ORDER_URL.to_owned()),
            created_at: now().timestamp(),
            paid_at: (status != TradeStatus::WaitBuyerPay).then(|| now().timestamp() + 9),
            refunded_fen: 0,
        }
    }

    #[test]
    fn the_pair_points_the_app_at_the_gateway_with_matching_keys() {
        let (config, gateway) = DemoGateway::pair("http://127.0.0.1:3000/");
        assert_eq!(
            config.gateway,
            "http://127.0.0.1:3000/demo/alipay/gateway.do"
        );
        assert_eq!(
            config.notify_url.as_deref(),
            Some("http://127.0.0.1:3000/payment/alipay/notify")
        );
        assert_eq!(config.return_url, None);
        assert!(config.app_id.len() <= 32 && config.app_id.bytes().all(|b| b.is_ascii_digit()));
        // What the app signs the gateway checks, and the other way round; never crossed.
        assert_eq!(
            gateway.app_key.verify("x", &config.private_key.sign("x")),
            Ok(())
        );
        assert_eq!(
            config.alipay_public_key.verify("x", &gateway.key.sign("x")),
            Ok(())
        );
        assert_eq!(
            config
                .alipay_public_key
                .verify("x", &config.private_key.sign("x")),
            Err(SignatureError::Mismatch)
        );
        assert!(!format!("{gateway:?}").contains("MII"));
    }

    #[test]
    fn a_signed_pay_request_is_read_and_a_tampered_or_forged_one_refused() {
        let (config, gateway) = DemoGateway::pair(SELF_URL);
        let params = wap_pay_params(&config, &order(), now());
        let read = gateway
            .read_pay_request(&pairs(params.clone()), now())
            .unwrap();
        assert_eq!(
            read,
            PayOrder {
                out_trade_no: ORDER.to_owned(),
                total_fen: 1234,
                subject: "云店 拿铁".to_owned(),
                time_expire: Some(now() + chrono::TimeDelta::minutes(15)),
                notify_url: Some(format!("{SELF_URL}{NOTIFY_PATH}")),
                return_url: Some(ORDER_URL.to_owned()),
            }
        );

        let mut tampered = params.clone();
        let cheaper = tampered["biz_content"].replace("12.34", "0.01");
        tampered.insert("biz_content".into(), cheaper);
        assert_eq!(
            gateway.read_pay_request(&pairs(tampered), now()),
            Err(RequestRefusal::BadSignature(SignatureError::Mismatch))
        );
        let mut forger = config.clone();
        forger.private_key = AppPrivateKey::parse(GATEWAY_PRIVATE_KEY).unwrap();
        let forged = wap_pay_params(&forger, &order(), now());
        assert_eq!(
            gateway.read_pay_request(&pairs(forged), now()),
            Err(RequestRefusal::BadSignature(SignatureError::Mismatch))
        );
        let mut unsigned = params.clone();
        unsigned.remove("sign");
        assert_eq!(
            gateway.read_pay_request(&pairs(unsigned), now()),
            Err(RequestRefusal::BadSignature(SignatureError::Missing))
        );
        let mut twice = pairs(params.clone());
        twice.push(("method".into(), WAP_PAY.into()));
        assert_eq!(
            gateway.read_pay_request(&twice, now()),
            Err(RequestRefusal::Duplicate)
        );
        let mut other_app = config.clone();
        other_app.app_id = "2021000000000001".into();
        assert_eq!(
            gateway.read_pay_request(&pairs(wap_pay_params(&other_app, &order(), now())), now()),
            Err(RequestRefusal::WrongApp)
        );
        let late = now() + chrono::TimeDelta::minutes(15);
        assert_eq!(
            gateway.read_pay_request(&pairs(params), late),
            Err(RequestRefusal::Expired)
        );
        // A query form is signed too, but it is no pay request.
        let query = trade_query_form(&config, ORDER, now()).unwrap();
        assert_eq!(
            gateway.read_pay_request(&query, now()),
            Err(RequestRefusal::Invalid("method"))
        );
    }

    #[test]
    fn the_notify_is_what_the_apps_parser_accepts() {
        let (config, gateway) = DemoGateway::pair(SELF_URL);
        let trade = trade(TradeStatus::Success);
        let form = gateway.notify_form(&trade, now());
        let notify = parse_notify(&config, &form).unwrap();
        assert_eq!(notify.out_trade_no, ORDER);
        assert_eq!(notify.trade_no, trade.trade_no);
        assert_eq!(notify.total_fen, 1234);
        assert_eq!(notify.trade_status, TradeStatus::Success);
        assert_eq!(notify.app_id, DEMO_APP_ID);
        assert_eq!(notify.gmt_payment.map(|t| t.timestamp()), trade.paid_at);
        assert_eq!(notify.notify_id.len(), 34);
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(field("notify_type"), Some("trade_status_sync"));
        assert_eq!(field("receipt_amount"), Some("12.34"));
        assert_eq!(field("subject"), Some("云店 拿铁"));
        // Signed by the gateway, not by anyone holding the app's key.
        let mut forged: BTreeMap<String, String> = form.iter().cloned().collect();
        forged.insert("total_amount".into(), "0.01".into());
        assert!(parse_notify(&config, &pairs(forged)).is_err());
        let (_, stranger) = DemoGateway::pair(SELF_URL);
        let mut app_signed = config.clone();
        app_signed.alipay_public_key = stranger.app_key.clone();
        assert!(parse_notify(&app_signed, &form).is_err());
    }

    #[test]
    fn the_buyer_returns_to_a_path_with_signed_parameters() {
        let (config, gateway) = DemoGateway::pair(SELF_URL);
        let trade = trade(TradeStatus::Success);
        let url = gateway.return_after_paying(&trade, now()).unwrap();
        let (path, query) = url.split_once('?').unwrap();
        assert_eq!(path, "/orders/CS0123456789AB");
        let params: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(params["method"], WAP_PAY_RETURN);
        assert_eq!(params["out_trade_no"], ORDER);
        assert_eq!(params["total_amount"], "12.34");
        assert_eq!(verify_params(&config.alipay_public_key, &params), Ok(()));
        assert_eq!(
            gateway.return_without_paying(&trade).as_deref(),
            Some("/orders/CS0123456789AB")
        );
        let elsewhere = Trade {
            return_url: Some("https://shop.example/orders/CS1?x=1".into()),
            ..trade
        };
        let url = gateway.return_after_paying(&elsewhere, now()).unwrap();
        assert!(
            url.starts_with("https://shop.example/orders/CS1?x=1&"),
            "{url}"
        );
        assert_eq!(
            gateway.local("http://127.0.0.1:30001/x"),
            "http://127.0.0.1:30001/x"
        );
        assert_eq!(gateway.local(SELF_URL), "/");
    }

    #[test]
    fn query_answers_read_back_through_the_apps_reader() {
        let (config, gateway) = DemoGateway::pair(SELF_URL);
        let key = &config.alipay_public_key;
        let waiting = trade(TradeStatus::WaitBuyerPay);
        let state = read_trade_query(key, &gateway.query_answer(&waiting), ORDER)
            .unwrap()
            .unwrap();
        assert_eq!(state.status, TradeStatus::WaitBuyerPay);
        assert_eq!((state.trade_no, state.total_fen), (waiting.trade_no, 1234));
        let paid = trade(TradeStatus::Success);
        let state = read_trade_query(key, &gateway.query_answer(&paid), ORDER).unwrap();
        assert_eq!(state.map(|s| s.status), Some(TradeStatus::Success));

        let missing = gateway.failure(
            TRADE_QUERY,
            Failure::business("ACQ.TRADE_NOT_EXIST", "交易不存在", Some(ORDER)),
        );
        assert_eq!(read_trade_query(key, &missing, ORDER), Ok(None));
        assert!(matches!(
            read_trade_query(key, &unauthenticated(RequestRefusal::BadSignature(SignatureError::Mismatch)), ORDER),
            Err(PaymentError::Business { code, verified: false, .. }) if code == "40002"
        ));
    }

    /// Hands each form to the gateway as the HTTP side would, over an in-memory database.
    struct Loopback {
        gateway: Arc<DemoGateway>,
        db: Db,
    }

    impl PaymentTransport for Loopback {
        async fn post_form(
            &self,
            url: &str,
            form: &[(String, String)],
        ) -> Result<String, TransportError> {
            assert_eq!(url, format!("{SELF_URL}{GATEWAY_PATH}?charset=utf-8"));
            self.gateway
                .answer(&self.db, form, Utc::now())
                .await
                .map_err(|e| TransportError(e.to_string()))
        }
    }

    #[tokio::test]
    async fn the_provider_queries_and_refunds_against_the_gateways_book() {
        let db = Db::connect("sqlite::memory:", 1).await.unwrap();
        let (config, gateway) = DemoGateway::pair(SELF_URL);
        let params = wap_pay_params(&config, &order(), Utc::now());
        let asked = gateway
            .read_pay_request(&pairs(params), Utc::now())
            .unwrap();
        let gateway = Arc::new(gateway);
        let loopback = Loopback {
            gateway: gateway.clone(),
            db: db.clone(),
        };
        let provider = DemoProvider::new(config.clone(), loopback);
        let db = &db;

        assert_eq!(provider.query(ORDER).await, Ok(None));
        assert!(matches!(
            gateway.open(db, &asked, Utc::now()).await,
            Ok(Opened::Waiting(_))
        ));
        let waiting = provider.query(ORDER).await.unwrap().unwrap();
        assert_eq!(waiting.status, TradeStatus::WaitBuyerPay);
        assert!(matches!(
            provider.refund(ORDER, 100, "R0", "").await,
            Err(PaymentError::Business { sub_code: Some(s), verified: true, .. }) if s == "ACQ.TRADE_STATUS_ERROR"
        ));
        let paid = gateway.pay(db, ORDER, Utc::now()).await.unwrap().unwrap();
        assert!(paid.newly);
        assert!(
            !gateway
                .pay(db, ORDER, Utc::now())
                .await
                .unwrap()
                .unwrap()
                .newly
        );
        let state = provider.query(ORDER).await.unwrap().unwrap();
        assert_eq!(
            (state.status, state.trade_no),
            (TradeStatus::Success, waiting.trade_no)
        );

        let once = RefundOutcome {
            refunded_fen: 500,
            fund_change: true,
        };
        assert_eq!(provider.refund(ORDER, 500, "R1", "缺货").await, Ok(once));
        let again = RefundOutcome {
            refunded_fen: 500,
            fund_change: false,
        };
        assert_eq!(provider.refund(ORDER, 500, "R1", "缺货").await, Ok(again));
        assert!(matches!(
            provider.refund(ORDER, 735, "R2", "").await,
            Err(PaymentError::Business { sub_code: Some(s), verified: true, .. }) if s == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
        ));
        let rest = RefundOutcome {
            refunded_fen: 1234,
            fund_change: true,
        };
        assert_eq!(provider.refund(ORDER, 734, "R2", "").await, Ok(rest));
        let closed = provider.query(ORDER).await.unwrap().unwrap();
        assert_eq!(closed.status, TradeStatus::Closed);

        // The refund form the app signs is what the gateway read.
        let form = refund_form(&config, ORDER, 1, "R3", "", Utc::now()).unwrap();
        let body = gateway.answer(db, &form, Utc::now()).await.unwrap();
        assert!(matches!(
            read_refund(&config.alipay_public_key, &body, ORDER),
            Err(PaymentError::Business { sub_code: Some(s), .. }) if s == "ACQ.TRADE_HAS_CLOSE"
        ));
    }

    #[test]
    fn the_demo_pay_url_is_a_path_on_this_server() {
        let (provider, _) = demo_provider(SELF_URL, Loopless);
        let url = provider.pay_url(&order());
        assert!(url.starts_with("/demo/alipay/gateway.do?"), "{url}");
        assert_eq!(path_of("https://a.example"), "https://a.example");
        assert_eq!(path_of("https://a.example/b?c=d"), "/b?c=d");
    }

    struct Loopless;

    impl PaymentTransport for Loopless {
        async fn post_form(
            &self,
            _: &str,
            _: &[(String, String)],
        ) -> Result<String, TransportError> {
            Err(TransportError("no network in this test".into()))
        }
    }
}
