//! Errors a person can reach, as pages (server): axum's own refusals — a body too large
//! (413), a form that does not decode (400/415/422), a method not allowed (405) — come as
//! plain text. This layer turns any plain-text error into a page in the shopper's language
//! with a way on, or into JSON for a client that asked for it (the form enhancer, an API
//! client). Pages the app renders itself (HTML), JSON errors and server functions' replies
//! pass untouched.

use app::domain::i18n::Msg;
use app::domain::lang::Lang;
use app::ssr::request::lang_of_headers;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

/// The most a form post may carry: a form needs a few KB.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

pub async fn humane(request: Request, next: Next) -> Response {
    // Server functions encode their errors for the page that called them: never rewritten.
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    // The payment provider reads the notify's answer as text (`success` or not).
    if request.uri().path() == app::links::routes::PAYMENT_NOTIFY {
        return next.run(request).await;
    }
    let lang = lang_of_headers(request.headers());
    let json = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (title, message) = words(status);
    let mut page = if json {
        let body = serde_json::json!({ "ok": false, "message": message.t(lang) });
        (status, axum::Json(body)).into_response()
    } else {
        (status, page(lang, status, title, message)).into_response()
    };
    for kept in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&kept) {
            page.headers_mut().insert(kept, value.clone());
        }
    }
    page.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    page
}

/// The title and the sentence for a status.
fn words(status: StatusCode) -> (Msg, Msg) {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => (Msg::InvalidRequestTitle, Msg::TooLarge),
        StatusCode::NOT_FOUND => (Msg::NotFoundTitle, Msg::NotFoundPage),
        StatusCode::TOO_MANY_REQUESTS => (Msg::TooManyRequests, Msg::TooManyRequests),
        StatusCode::UNAUTHORIZED => (Msg::Unauthorized, Msg::Unauthorized),
        StatusCode::METHOD_NOT_ALLOWED => (Msg::InvalidRequestTitle, Msg::UseThePage),
        StatusCode::FORBIDDEN => (Msg::ForbiddenTitle, Msg::Forbidden),
        StatusCode::SERVICE_UNAVAILABLE => (Msg::TryAgainSoonTitle, Msg::TryAgainSoon),
        s if s.is_server_error() => (Msg::InternalError, Msg::InternalError),
        _ => (Msg::InvalidRequestTitle, Msg::FormUnreadable),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A whole page, like the app's own error page, without needing the app to render.
fn page(lang: Lang, status: StatusCode, title: Msg, message: Msg) -> axum::response::Html<String> {
    let (title, message, home) = (
        escape(title.t(lang)),
        escape(message.t(lang)),
        escape(Msg::GoHome.t(lang)),
    );
    axum::response::Html(format!(
        "<!DOCTYPE html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/{bundle}.css\"></head><body>\
         <main id=\"main\"><section class=\"error-page\" aria-labelledby=\"error-title\">\
         <p class=\"error-code\" aria-hidden=\"true\">{code}</p>\
         <h1 id=\"error-title\">{title}</h1><p role=\"alert\">{message}</p>\
         <a class=\"button\" href=\"/\">{home}</a></section></main></body></html>",
        tag = lang.tag(),
        bundle = app::BUNDLE_NAME,
        code = status.as_u16(),
    ))
}
