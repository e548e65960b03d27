//! Payment over HTTP (server): [`ReqwestTransport`], the HTTP client the app's payment
//! provider posts its signed forms through (HTTPS to Alipay, plain HTTP to the demo
//! gateway), and in demo mode the demo gateway's side on this server ([`demo_routes`]):
//! the buyer's pay page, their decision, the API endpoint, and the notifies it sends the
//! shop. The protocol itself is `app::ssr::payment::demo`.
//!
//! Signed forms carry order data: they are never logged, and no error message holds them.

use crate::forms::see_other;
use app::domain::lang::Lang;
use app::domain::money::format_yuan;
use app::error::AppError;
use app::ssr::db::Db;
use app::ssr::payment::alipay::NOTIFY_ACK;
use app::ssr::payment::demo::{
    DECIDE_PATH, DemoGateway, GATEWAY_PATH, MERCHANT, Opened, Paid, PayOrder, RequestRefusal, Trade,
};
use app::ssr::payment::{PaymentTransport, TradeStatus, TransportError};
use app::ssr::request::lang_of_headers;
use app::ssr::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Form, RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// How long an API call (query, refund) may take, answer included.
pub const API_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the demo gateway waits for the shop to answer a notify.
pub const NOTIFY_TIMEOUT: Duration = Duration::from_secs(5);
/// When a "late" notify is sent, after the buyer paid.
pub const LATE_NOTIFY: Duration = Duration::from_secs(8);
/// The pauses before sending an unacknowledged notify again (Alipay keeps trying for a
/// day; a demo need not).
pub const NOTIFY_RETRIES: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
];
const FORM_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
const JSON_TYPE: &str = "application/json; charset=utf-8";

/// Posts payment forms over HTTP(S). Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

/// The transport the server's payment provider uses.
pub fn transport() -> ReqwestTransport {
    ReqwestTransport::new()
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl ReqwestTransport {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .timeout(API_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            // A payment gateway answers where it was asked; a redirect is a failure.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("cloud-store/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client's settings are valid");
        ReqwestTransport { client }
    }

    /// POSTs `form` to `url` and returns the body of a 2xx answer, giving up after
    /// `timeout`. An error says what went wrong, never what was sent or answered.
    pub async fn post_form_within(
        &self,
        url: &str,
        form: &[(String, String)],
        timeout: Duration,
    ) -> Result<String, TransportError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let response = self
            .client
            .post(url)
            .timeout(timeout)
            .header(header::CONTENT_TYPE, FORM_TYPE)
            .body(body)
            .send()
            .await
            .map_err(failed)?;
        let status = response.status();
        if !status.is_success() {
            return Err(TransportError(format!("answered HTTP {}", status.as_u16())));
        }
        response.text().await.map_err(failed)
    }
}

impl PaymentTransport for ReqwestTransport {
    async fn post_form(
        &self,
        url: &str,
        form: &[(String, String)],
    ) -> Result<String, TransportError> {
        self.post_form_within(url, form, API_TIMEOUT).await
    }
}

/// What went wrong, and its innermost cause (e.g. "Connection refused"): no URL, form or
/// body.
fn failed(error: reqwest::Error) -> TransportError {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "could not read the answer"
    } else {
        "request failed"
    };
    let mut innermost = None;
    let mut cause = std::error::Error::source(&error);
    while let Some(next) = cause {
        innermost = Some(next);
        cause = next.source();
    }
    match innermost {
        Some(cause) => TransportError(format!("{what}: {cause}")),
        None => TransportError(what.to_owned()),
    }
}

/// The demo gateway's routes: `GET` [`GATEWAY_PATH`] (the pay page), `POST`
/// [`GATEWAY_PATH`] (the API) and `POST` [`DECIDE_PATH`]. Without a gateway (demo payment
/// off), none: the paths are not found.
pub fn demo_routes(gateway: Option<Arc<DemoGateway>>) -> Router<AppState> {
    let Some(gateway) = gateway else {
        return Router::new();
    };
    let demo = Arc::new(Demo {
        gateway,
        transport: transport(),
    });
    Router::new()
        .route(GATEWAY_PATH, get(pay_page).post(api))
        .route(DECIDE_PATH, post(decide))
        .layer(Extension(demo))
}

/// What the demo handlers share: the gateway, and the client it sends notifies with.
struct Demo {
    gateway: Arc<DemoGateway>,
    transport: ReqwestTransport,
}

fn pairs_of(text: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(text).into_owned().collect()
}

/// `GET` [`GATEWAY_PATH`]`?<signed alipay.trade.wap.pay parameters>`: checks the request,
/// records its trade and asks the buyer to pay or decline.
async fn pay_page(
    Extension(demo): Extension<Arc<Demo>>,
    State(db): State<Db>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of_headers(&headers);
    let pairs = pairs_of(query.unwrap_or_default().as_bytes());
    let now = Utc::now();
    let order = match demo.gateway.read_pay_request(&pairs, now) {
        Ok(order) => order,
        Err(refusal) => {
            tracing::warn!(%refusal, "demo gateway: refused a pay request");
            return refused(lang, refusal);
        }
    };
    let gateway = &demo.gateway;
    match gateway.open(&db, &order, now).await {
        Ok(Opened::Waiting(trade)) => page(
            StatusCode::OK,
            lang,
            words(lang).title,
            &pay_form(lang, &order, &trade),
        ),
        Ok(Opened::Paid(trade)) => message(
            StatusCode::OK,
            lang,
            words(lang).already_paid,
            words(lang).already_paid_text,
            gateway.return_without_paying(&trade).as_deref(),
        ),
        Ok(Opened::Closed(trade)) => message(
            StatusCode::CONFLICT,
            lang,
            words(lang).closed,
            words(lang).closed_text,
            gateway.return_without_paying(&trade).as_deref(),
        ),
        Ok(Opened::OtherAmount(trade)) => {
            tracing::warn!(
                out_trade_no = %trade.out_trade_no,
                "demo gateway: an order came back with another amount; refused"
            );
            message(
                StatusCode::CONFLICT,
                lang,
                words(lang).refused,
                words(lang).other_amount,
                None,
            )
        }
        Err(e) => failed_page(lang, &e),
    }
}

/// `POST` [`GATEWAY_PATH`]: the API, form-encoded as Alipay takes it (the charset may ride
/// in the query). Answers JSON, signed unless the call did not authenticate.
async fn api(
    Extension(demo): Extension<Arc<Demo>>,
    State(db): State<Db>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut pairs = pairs_of(&body);
    // Parameters may come in the URL too (Alipay's SDKs send the public ones there); the
    // same pair twice is one parameter, two values for one key are refused.
    for pair in pairs_of(query.unwrap_or_default().as_bytes()) {
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    match demo.gateway.answer(&db, &pairs, Utc::now()).await {
        Ok(body) => no_store((
            StatusCode::OK,
            [(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE))],
            body,
        )),
        Err(e) => no_store((status_of(&e), e.to_string())),
    }
}

#[derive(Deserialize)]
struct Decision {
    out_trade_no: String,
    decision: String,
    notify: Option<String>,
}

/// When the shop hears of a payment: how the demo exercises the shop's "confirming" page
/// and its trade-query fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NotifyWhen {
    Now,
    Late,
    Never,
}

impl NotifyWhen {
    fn parse(text: Option<&str>) -> Option<Self> {
        match text.unwrap_or("now") {
            "now" => Some(NotifyWhen::Now),
            "late" => Some(NotifyWhen::Late),
            "never" => Some(NotifyWhen::Never),
            _ => None,
        }
    }
}

/// `POST` [`DECIDE_PATH`]: the buyer pays (once, however often they click) and the shop
/// is notified as chosen, or declines; either way back to the shop.
async fn decide(
    Extension(demo): Extension<Arc<Demo>>,
    State(db): State<Db>,
    headers: HeaderMap,
    Form(form): Form<Decision>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let gateway = &demo.gateway;
    let Some(when) = NotifyWhen::parse(form.notify.as_deref()) else {
        return bad_form(lang);
    };
    let now = Utc::now();
    match form.decision.as_str() {
        "decline" => match gateway.trade(&db, &form.out_trade_no).await {
            Ok(Some(trade)) => match gateway.return_without_paying(&trade) {
                Some(back) => no_store(see_other(&back)),
                None => message(
                    StatusCode::OK,
                    lang,
                    words(lang).declined,
                    words(lang).declined_text,
                    None,
                ),
            },
            Ok(None) => no_trade(lang),
            Err(e) => failed_page(lang, &e),
        },
        "pay" => match gateway.pay(&db, &form.out_trade_no, now).await {
            Ok(Some(Paid { trade, .. })) if trade.status == TradeStatus::Closed => message(
                StatusCode::CONFLICT,
                lang,
                words(lang).closed,
                words(lang).closed_text,
                gateway.return_without_paying(&trade).as_deref(),
            ),
            Ok(Some(Paid { trade, newly })) => {
                if newly {
                    notify_shop(&demo, &trade, when, now).await;
                }
                match gateway.return_after_paying(&trade, now) {
                    Some(back) => no_store(see_other(&back)),
                    None => message(
                        StatusCode::OK,
                        lang,
                        words(lang).paid,
                        words(lang).paid_text,
                        None,
                    ),
                }
            }
            Ok(None) => no_trade(lang),
            Err(e) => failed_page(lang, &e),
        },
        _ => bad_form(lang),
    }
}

/// Sends the paid trade's notify as the buyer chose: now (before they go back, and again
/// in the background until acknowledged), later, or never.
async fn notify_shop(demo: &Demo, trade: &Trade, when: NotifyWhen, now: DateTime<Utc>) {
    let Some(url) = trade.notify_url.clone() else {
        return;
    };
    let notice = Notice {
        transport: demo.transport.clone(),
        url,
        form: demo.gateway.notify_form(trade, now),
        out_trade_no: trade.out_trade_no.clone(),
    };
    match when {
        NotifyWhen::Now => {
            if !notice.deliver().await {
                tokio::spawn(async move { notice.retry().await });
            }
        }
        NotifyWhen::Late => {
            tokio::spawn(async move {
                tokio::time::sleep(LATE_NOTIFY).await;
                if !notice.deliver().await {
                    notice.retry().await;
                }
            });
        }
        NotifyWhen::Never => {
            tracing::info!(out_trade_no = %notice.out_trade_no, "demo gateway: notify withheld, as the buyer chose");
        }
    }
}

/// One notify on its way to the shop. The same form (and `notify_id`) is sent each time.
struct Notice {
    transport: ReqwestTransport,
    url: String,
    form: Vec<(String, String)>,
    out_trade_no: String,
}

impl Notice {
    /// True when the shop acknowledged it (`success`, exactly, as Alipay requires).
    async fn deliver(&self) -> bool {
        match self
            .transport
            .post_form_within(&self.url, &self.form, NOTIFY_TIMEOUT)
            .await
        {
            Ok(body) if body == NOTIFY_ACK => true,
            Ok(_) => {
                tracing::warn!(out_trade_no = %self.out_trade_no, "demo gateway: the shop did not acknowledge a notify");
                false
            }
            Err(e) => {
                tracing::warn!(out_trade_no = %self.out_trade_no, error = %e, "demo gateway: a notify was not delivered");
                false
            }
        }
    }

    async fn retry(&self) {
        for pause in NOTIFY_RETRIES {
            tokio::time::sleep(pause).await;
            if self.deliver().await {
                return;
            }
        }
        tracing::warn!(out_trade_no = %self.out_trade_no, "demo gateway: gave up on a notify; the shop must query");
    }
}

// Pages. Plain HTML (no script, the site's stylesheet): the CSP of a page without scripts
// applies (`security::NO_SCRIPT_POLICY`).

/// The gateway's words in each language.
struct Words {
    title: &'static str,
    demo_notice: &'static str,
    merchant: &'static str,
    merchant_name: &'static str,
    subject: &'static str,
    order_no: &'static str,
    amount: &'static str,
    pay_by: &'static str,
    china_time: &'static str,
    notify_legend: &'static str,
    notify_now: &'static str,
    notify_late: &'static str,
    notify_never: &'static str,
    pay: &'static str,
    decline: &'static str,
    back: &'static str,
    refused: &'static str,
    bad_signature: &'static str,
    expired: &'static str,
    invalid: &'static str,
    other_amount: &'static str,
    already_paid: &'static str,
    already_paid_text: &'static str,
    closed: &'static str,
    closed_text: &'static str,
    paid: &'static str,
    paid_text: &'static str,
    declined: &'static str,
    declined_text: &'static str,
    no_trade: &'static str,
    bad_form: &'static str,
}

const ZH: Words = Words {
    title: "演示支付网关",
    demo_notice: "这是演示用的支付页面：不会动用真实的钱。",
    merchant: "商户",
    merchant_name: "云店 Cloud Store",
    subject: "商品",
    order_no: "订单号",
    amount: "金额",
    pay_by: "请在此前付款",
    china_time: "北京时间",
    notify_legend: "通知商户",
    notify_now: "立即通知",
    notify_late: "8 秒后通知",
    notify_never: "不通知（只有查询交易才能得知）",
    pay: "付款",
    decline: "不付了",
    back: "返回商户",
    refused: "付款请求被拒绝",
    bad_signature: "这个付款请求的签名无效，网关没有记录它。",
    expired: "这笔订单的付款时间已过。",
    invalid: "这个付款请求无效，网关没有记录它",
    other_amount: "这笔订单之前以另一个金额发起过付款，网关拒绝了它。",
    already_paid: "已付款",
    already_paid_text: "这笔订单已经付过款了。",
    closed: "交易已关闭",
    closed_text: "这笔交易已全额退款并关闭。",
    paid: "付款成功",
    paid_text: "付款成功。可以关闭此页面。",
    declined: "已放弃付款",
    declined_text: "没有付款。可以关闭此页面。",
    no_trade: "网关没有这笔交易。",
    bad_form: "这个表单无法处理，请从付款页面重新操作。",
};

const EN: Words = Words {
    title: "Demo payment gateway",
    demo_notice: "This is a demo payment page: no real money moves.",
    merchant: "Merchant",
    merchant_name: MERCHANT,
    subject: "Item",
    order_no: "Order number",
    amount: "Amount",
    pay_by: "Pay by",
    china_time: "China time",
    notify_legend: "Notify the shop",
    notify_now: "Now",
    notify_late: "After 8 seconds",
    notify_never: "Never (only the trade query will tell)",
    pay: "Pay",
    decline: "Decline",
    back: "Back to the shop",
    refused: "Payment request refused",
    bad_signature: "The request's signature is not valid. Nothing was recorded.",
    expired: "The time to pay for this order has run out.",
    invalid: "The payment request is not valid and nothing was recorded",
    other_amount: "This order was sent before with another amount; the gateway refuses it.",
    already_paid: "Already paid",
    already_paid_text: "This order is already paid.",
    closed: "Trade closed",
    closed_text: "This trade was refunded in full and is closed.",
    paid: "Paid",
    paid_text: "Payment done. You can close this page.",
    declined: "Payment declined",
    declined_text: "Nothing was paid. You can close this page.",
    no_trade: "The gateway has no such trade.",
    bad_form: "This form cannot be handled; please start again from the payment page.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::ZhCn => &ZH,
        Lang::En => &EN,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn no_store(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A whole page around `main` (already escaped), titled `title`.
fn page(status: StatusCode, lang: Lang, title: &str, main: &str) -> Response {
    let gateway = words(lang).title;
    let title = if title == gateway {
        escape(title)
    } else {
        format!("{} · {}", escape(title), escape(gateway))
    };
    no_store((
        status,
        Html(format!(
            "<!DOCTYPE html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
             <link rel=\"stylesheet\" href=\"/pkg/{bundle}.css\"></head><body>\
             <main id=\"main\">{main}</main></body></html>",
            tag = lang.tag(),
            bundle = app::BUNDLE_NAME,
        )),
    ))
}

/// A page that says one thing, with a way back to the shop when there is one.
fn message(
    status: StatusCode,
    lang: Lang,
    heading: &str,
    text: &str,
    back: Option<&str>,
) -> Response {
    let w = words(lang);
    let back = back
        .map(|href| {
            format!(
                "<a class=\"button\" href=\"{}\">{}</a>",
                escape(href),
                escape(w.back)
            )
        })
        .unwrap_or_default();
    let role = if status.is_success() {
        "status"
    } else {
        "alert"
    };
    let main = format!(
        "<section class=\"error-page\" aria-labelledby=\"gateway-title\">\
         <p class=\"hint\">{gateway}</p><h1 id=\"gateway-title\">{heading}</h1>\
         <p role=\"{role}\">{text}</p>{back}</section>",
        gateway = escape(w.title),
        heading = escape(heading),
        text = escape(text),
    );
    page(status, lang, heading, &main)
}

fn refused(lang: Lang, refusal: RequestRefusal) -> Response {
    let w = words(lang);
    let text = match refusal {
        RequestRefusal::BadSignature(_) => w.bad_signature.to_owned(),
        RequestRefusal::Expired => w.expired.to_owned(),
        other => format!("{} ({other}).", w.invalid),
    };
    message(StatusCode::BAD_REQUEST, lang, w.refused, &text, None)
}

fn no_trade(lang: Lang) -> Response {
    let w = words(lang);
    message(StatusCode::NOT_FOUND, lang, w.refused, w.no_trade, None)
}

fn bad_form(lang: Lang) -> Response {
    let w = words(lang);
    message(StatusCode::BAD_REQUEST, lang, w.refused, w.bad_form, None)
}

fn status_of(e: &AppError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn failed_page(lang: Lang, e: &AppError) -> Response {
    let w = words(lang);
    message(status_of(e), lang, w.title, &e.message(lang), None)
}

/// The pay page's content: who is paid what for what, how the shop is to hear of it, and
/// the two buttons.
fn pay_form(lang: Lang, order: &PayOrder, trade: &Trade) -> String {
    let w = words(lang);
    let amount = format!(
        "¥{}",
        format_yuan(trade.total_fen).expect("a trade's amount is positive")
    );
    let pay_by = order
        .time_expire
        .map(|deadline| {
            // China keeps +08:00 all year.
            let china = chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset");
            let local = deadline.with_timezone(&china);
            format!(
                "<dt>{}</dt><dd><time datetime=\"{}\">{} ({})</time></dd>",
                escape(w.pay_by),
                deadline.to_rfc3339(),
                local.format("%Y-%m-%d %H:%M"),
                escape(w.china_time),
            )
        })
        .unwrap_or_default();
    let radio = |value: &str, label: &str, checked: bool| {
        format!(
            "<label class=\"mode\"><input type=\"radio\" name=\"notify\" value=\"{value}\"{}> {}</label>",
            if checked { " checked" } else { "" },
            escape(label),
        )
    };
    format!(
        "<section class=\"order\" aria-labelledby=\"gateway-title\">\
         <h1 id=\"gateway-title\">{title}</h1>\
         <p class=\"notice\">{notice}</p>\
         <dl class=\"totals\">\
         <dt>{merchant}</dt><dd>{merchant_name}</dd>\
         <dt>{subject_label}</dt><dd>{subject}</dd>\
         <dt>{order_label}</dt><dd>{order_no}</dd>\
         <dt>{amount_label}</dt><dd><strong>{amount}</strong></dd>{pay_by}\
         </dl>\
         <form class=\"checkout\" method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"out_trade_no\" value=\"{order_no}\">\
         <fieldset><legend>{legend}</legend><div class=\"modes\">{now}{late}{never}</div></fieldset>\
         <button type=\"submit\" name=\"decision\" value=\"pay\" class=\"button button-primary place-order\">{pay} {amount}</button> \
         <button type=\"submit\" name=\"decision\" value=\"decline\" class=\"button button-secondary\">{decline}</button>\
         </form></section>",
        title = escape(w.title),
        notice = escape(w.demo_notice),
        merchant = escape(w.merchant),
        merchant_name = escape(w.merchant_name),
        subject_label = escape(w.subject),
        subject = escape(&trade.subject),
        order_label = escape(w.order_no),
        order_no = escape(&trade.out_trade_no),
        amount_label = escape(w.amount),
        amount = escape(&amount),
        action = DECIDE_PATH,
        legend = escape(w.notify_legend),
        now = radio("now", w.notify_now, true),
        late = radio("late", w.notify_late, false),
        never = radio("never", w.notify_never, false),
        pay = escape(w.pay),
        decline = escape(w.decline),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape(r#"<b a="x">'&'</b>"#),
            "&lt;b a=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn notify_choices_default_to_now() {
        assert_eq!(NotifyWhen::parse(None), Some(NotifyWhen::Now));
        assert_eq!(NotifyWhen::parse(Some("late")), Some(NotifyWhen::Late));
        assert_eq!(NotifyWhen::parse(Some("never")), Some(NotifyWhen::Never));
        assert_eq!(NotifyWhen::parse(Some("tomorrow")), None);
    }
}
