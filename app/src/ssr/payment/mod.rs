//! Taking payment (server only): the seam the order lifecycle talks to, [`PaymentProvider`],
//! and the provider-neutral types it speaks. One real protocol sits behind it: Alipay's
//! open platform ([`alipay`]). Money is integer fen throughout; the yuan text a provider
//! wants is made from fen and read back into fen exactly (`domain::money`).

pub mod alipay;
pub mod demo;

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A provider's answer that is still on its way. Boxed so that `dyn PaymentProvider` works:
/// the app state holds one provider chosen at start (Alipay, or a fake in tests and demos).
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The largest amount one trade may ask for: ¥100,000,000.00, Alipay's ceiling.
pub const MAX_AMOUNT_FEN: i64 = 10_000_000_000;
/// The shortest and longest a buyer may take to pay (Alipay closes trades after 15 days).
pub const MIN_PAY_WITHIN: Duration = Duration::from_secs(60);
pub const MAX_PAY_WITHIN: Duration = Duration::from_secs(15 * 24 * 3600);
/// Alipay cuts a trade's subject at 256 characters.
const MAX_SUBJECT_CHARS: usize = 256;

/// What a buyer is asked to pay, checked against everything a provider would refuse: build
/// it with [`PayRequest::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayRequest {
    order_id: String,
    amount_fen: i64,
    subject: String,
    pay_within: Duration,
    return_url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayRequestError {
    #[error("the order id must be 1 to 64 letters, digits or underscores")]
    OrderId,
    #[error("the amount must be between ¥0.01 and ¥100,000,000.00")]
    Amount,
    #[error("the subject is empty")]
    Subject,
    #[error("the time to pay must be between a minute and 15 days")]
    PayWithin,
    #[error("the return URL must be an http(s) URL")]
    ReturnUrl,
}

impl PayRequest {
    /// `order_id` becomes the provider's merchant trade number (`out_trade_no`), so queries,
    /// notifies and refunds all name the order. `subject` is what the buyer sees: characters
    /// Alipay forbids in it (`/ = &`) become spaces and it is cut at 256 characters.
    /// `return_url`, if given, is where the buyer lands after paying or giving up (the order
    /// page); otherwise the provider's configured one.
    pub fn new(
        order_id: &str,
        amount_fen: i64,
        subject: &str,
        pay_within: Duration,
        return_url: Option<&str>,
    ) -> Result<Self, PayRequestError> {
        if !is_trade_no(order_id) {
            return Err(PayRequestError::OrderId);
        }
        if !(1..=MAX_AMOUNT_FEN).contains(&amount_fen) {
            return Err(PayRequestError::Amount);
        }
        let subject: String = subject
            .chars()
            .map(|c| match c {
                '/' | '=' | '&' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect::<String>()
            .trim()
            .chars()
            .take(MAX_SUBJECT_CHARS)
            .collect();
        if subject.is_empty() {
            return Err(PayRequestError::Subject);
        }
        if !(MIN_PAY_WITHIN..=MAX_PAY_WITHIN).contains(&pay_within) {
            return Err(PayRequestError::PayWithin);
        }
        if return_url.is_some_and(|url| !is_http_url(url)) {
            return Err(PayRequestError::ReturnUrl);
        }
        Ok(PayRequest {
            order_id: order_id.to_owned(),
            amount_fen,
            subject,
            pay_within,
            return_url: return_url.map(str::to_owned),
        })
    }

    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub fn amount_fen(&self) -> i64 {
        self.amount_fen
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn pay_within(&self) -> Duration {
        self.pay_within
    }

    pub fn return_url(&self) -> Option<&str> {
        self.return_url.as_deref()
    }
}

/// Alipay's merchant trade number: 1 to 64 ASCII letters, digits and underscores.
pub(crate) fn is_trade_no(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub(crate) fn is_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= 256
        && !s
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
}

/// Where a trade stands at the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TradeStatus {
    /// Created, not paid yet (`WAIT_BUYER_PAY`).
    WaitBuyerPay,
    /// Paid; refunds are still possible (`TRADE_SUCCESS`).
    Success,
    /// Paid and final: no more refunds (`TRADE_FINISHED`).
    Finished,
    /// Closed unpaid after its time ran out, or refunded in full (`TRADE_CLOSED`).
    Closed,
}

impl TradeStatus {
    /// Money reached us: the order may go ahead.
    pub fn is_paid(self) -> bool {
        matches!(self, TradeStatus::Success | TradeStatus::Finished)
    }
}

/// A trade as the provider's query reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TradeState {
    pub status: TradeStatus,
    /// The provider's own trade number.
    pub trade_no: String,
    pub total_fen: i64,
}

/// What a refund call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundOutcome {
    /// Everything refunded on this trade so far, this refund included (Alipay's
    /// `refund_fee`), not just this refund.
    pub refunded_fen: i64,
    /// Money moved in this call. `false` on a repeat of a refund already made (same refund
    /// id): the refund stands, nothing moved twice.
    pub fund_change: bool,
}

/// A verified payment notification (the provider's asynchronous callback). Checking the
/// amount against the order and handling repeats are the caller's: the provider resends
/// until it is acknowledged, and a replay parses identically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notify {
    /// Our order id.
    pub out_trade_no: String,
    /// The provider's trade number.
    pub trade_no: String,
    pub app_id: String,
    pub total_fen: i64,
    pub trade_status: TradeStatus,
    /// The provider's id for this notification (the same across its resends).
    pub notify_id: String,
    /// When the buyer paid, if they have.
    pub gmt_payment: Option<chrono::DateTime<chrono::Utc>>,
    /// Refunded so far, on a notify that follows a refund.
    pub refund_fen: Option<i64>,
}

/// Why a signature was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no signature")]
    Missing,
    #[error("signature type is not RSA2")]
    WrongSignType,
    #[error("signature is not base64")]
    BadEncoding,
    #[error("signature does not match")]
    Mismatch,
}

/// Why a notification was refused. Answer it with an error status (not the provider's
/// acknowledgement), and log the refusal: a forged or tampered one is worth seeing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotifyRefusal {
    #[error("bad signature: {0}")]
    BadSignature(SignatureError),
    #[error("a parameter appears twice")]
    Duplicate,
    #[error("meant for another app")]
    WrongApp,
    #[error("{0} is not an exact yuan amount")]
    BadAmount(&'static str),
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error("{0} has a value we do not know")]
    Unrecognised(&'static str),
}

/// The transport could not deliver a request or get a 2xx answer. The message is the
/// transport's (e.g. a timeout); it must not contain the request form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

/// Why a provider call gave no usable answer. Nothing in it echoes secrets or the body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("payment request not delivered: {0}")]
    Transport(TransportError),
    #[error("payment response signature: {0}")]
    BadSignature(SignatureError),
    #[error("payment response not understood: {0}")]
    BadResponse(&'static str),
    /// The provider answered with an error code (Alipay: `code` other than `10000`).
    /// `verified` is false for an unsigned answer (the gateway signs no answer to a
    /// request it could not authenticate): take it as a failure, never as a fact.
    #[error("payment provider refused: {code} {msg} ({sub_code:?} {sub_msg:?})")]
    Business {
        code: String,
        msg: String,
        sub_code: Option<String>,
        sub_msg: Option<String>,
        verified: bool,
    },
    #[error("payment request invalid: {0}")]
    InvalidRequest(&'static str),
}

/// Sends a signed form to the provider's gateway. The server implements it with its HTTP
/// client; tests with a canned answer.
pub trait PaymentTransport: Send + Sync {
    /// POSTs `form` to `url` as `application/x-www-form-urlencoded; charset=utf-8` and
    /// returns the body text of a 2xx answer. Do not log the form or the body at info level.
    fn post_form(
        &self,
        url: &str,
        form: &[(String, String)],
    ) -> impl Future<Output = Result<String, TransportError>> + Send;
}

/// What the order lifecycle needs from a payment provider.
pub trait PaymentProvider: Debug + Send + Sync {
    /// Where to send the buyer's browser to pay (a GET URL, signed). Make it when the buyer
    /// asks to pay: it carries a timestamp.
    fn pay_url(&self, order: &PayRequest) -> String;

    /// Verifies and reads a notification's form fields (already URL-decoded).
    fn parse_notify(&self, form: &[(String, String)]) -> Result<Notify, NotifyRefusal>;

    /// The plain-text body that acknowledges a handled notification (Alipay: `success`).
    /// Anything else makes the provider send it again later.
    fn notify_ack(&self) -> &'static str;

    /// The trade for an order, or `None` if the provider has none (the buyer never reached
    /// the payment page).
    fn query<'a>(
        &'a self,
        order_id: &'a str,
    ) -> Pending<'a, Result<Option<TradeState>, PaymentError>>;

    /// Refunds `amount_fen` of an order's trade. `refund_id` names this refund: repeating a
    /// call with the same id is safe and moves no money twice.
    fn refund<'a>(
        &'a self,
        order_id: &'a str,
        amount_fen: i64,
        refund_id: &'a str,
        reason: &'a str,
    ) -> Pending<'a, Result<RefundOutcome, PaymentError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTES_15: Duration = Duration::from_secs(15 * 60);

    #[test]
    fn a_pay_request_checks_what_the_provider_would_refuse() {
        let ok = PayRequest::new("CS0123456789AB", 1234, "Latte ×2", MINUTES_15, None).unwrap();
        assert_eq!(ok.order_id(), "CS0123456789AB");
        assert_eq!(ok.amount_fen(), 1234);
        assert_eq!(ok.subject(), "Latte ×2");
        let new = |id: &str, fen, subject: &str, within, url| {
            PayRequest::new(id, fen, subject, within, url).map(|_| ())
        };
        use PayRequestError as E;
        assert_eq!(new("", 1, "x", MINUTES_15, None), Err(E::OrderId));
        assert_eq!(new("CS-1", 1, "x", MINUTES_15, None), Err(E::OrderId));
        assert_eq!(
            new(&"A".repeat(65), 1, "x", MINUTES_15, None),
            Err(E::OrderId)
        );
        assert_eq!(new(&"A".repeat(64), 1, "x", MINUTES_15, None), Ok(()));
        assert_eq!(new("CS1", 0, "x", MINUTES_15, None), Err(E::Amount));
        assert_eq!(new("CS1", -100, "x", MINUTES_15, None), Err(E::Amount));
        assert_eq!(new("CS1", MAX_AMOUNT_FEN, "x", MINUTES_15, None), Ok(()));
        assert_eq!(
            new("CS1", MAX_AMOUNT_FEN + 1, "x", MINUTES_15, None),
            Err(E::Amount)
        );
        assert_eq!(new("CS1", 1, " / & ", MINUTES_15, None), Err(E::Subject));
        let short = Duration::from_secs(59);
        assert_eq!(new("CS1", 1, "x", short, None), Err(E::PayWithin));
        let long = MAX_PAY_WITHIN + Duration::from_secs(1);
        assert_eq!(new("CS1", 1, "x", long, None), Err(E::PayWithin));
        let bad_url = Some("javascript:alert(1)");
        assert_eq!(new("CS1", 1, "x", MINUTES_15, bad_url), Err(E::ReturnUrl));
        let good_url = Some("https://shop.example/orders/CS1");
        assert_eq!(new("CS1", 1, "x", MINUTES_15, good_url), Ok(()));
    }

    #[test]
    fn a_subject_loses_forbidden_characters_and_is_cut() {
        let req = PayRequest::new("CS1", 1, " Tea 1/2 sugar & milk=yes\n", MINUTES_15, None);
        assert_eq!(req.unwrap().subject(), "Tea 1 2 sugar   milk yes");
        let long = "茶".repeat(300);
        let req = PayRequest::new("CS1", 1, &long, MINUTES_15, None).unwrap();
        assert_eq!(req.subject().chars().count(), 256);
    }

    #[test]
    fn only_success_and_finished_are_paid() {
        assert!(TradeStatus::Success.is_paid());
        assert!(TradeStatus::Finished.is_paid());
        assert!(!TradeStatus::WaitBuyerPay.is_paid());
        assert!(!TradeStatus::Closed.is_paid());
    }
}
