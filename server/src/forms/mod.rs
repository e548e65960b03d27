//! Form posts that change things (bag, kiosk): each works without JavaScript — it answers
//! with a redirect back and a one-time message — and, asked for JSON by the page's form
//! enhancer, with the message, the new bag count and the real status instead.

pub mod api_keys;
pub mod appointments;
pub mod bag;
pub mod checkout;
pub mod console;
pub mod kiosk;
pub mod marketing;
pub mod members;
pub mod payment;
pub mod settings;
pub mod staff;
pub mod stock;
pub mod till;

use crate::extract::Answer;
use app::components::enhance::FormReply;
use app::domain::i18n::bag::bag_label;
use app::domain::lang::Lang;
use app::error::AppError;
use app::ssr::flash::Flash;
use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};

/// What a form post came to.
pub struct Reply {
    pub status: StatusCode,
    pub message: String,
    /// The bag's count after the change, when it changed.
    pub count: Option<u32>,
    /// Where a plain post goes next: a path on this site.
    pub back: String,
    /// Cookies to set (a new session, a cleared one).
    pub cookies: Vec<String>,
    /// The field a refusal is about, when the page shows it beside that field.
    pub field: Option<String>,
}

impl Reply {
    pub fn ok(message: String, back: &str) -> Self {
        Reply {
            status: StatusCode::OK,
            message,
            count: None,
            back: back.to_owned(),
            cookies: Vec::new(),
            field: None,
        }
    }

    /// A refusal whose message the page shows beside the field it names (console pages,
    /// which render `components::field_note::FieldNote` for each field).
    pub fn refused_beside(error: &AppError, lang: Lang, back: &str) -> Self {
        let mut reply = Reply::refused(error, lang, back);
        if let AppError::Validation { field, .. } = error {
            reply.field = Some(field.clone());
        }
        reply
    }

    pub fn refused(error: &AppError, lang: Lang, back: &str) -> Self {
        Reply {
            status: StatusCode::from_u16(error.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: error.message(lang),
            count: None,
            back: back.to_owned(),
            cookies: Vec::new(),
            field: None,
        }
    }

    pub fn with_count(mut self, count: u32) -> Self {
        self.count = Some(count);
        self
    }

    pub fn with_cookie(mut self, cookie: Option<String>) -> Self {
        self.cookies.extend(cookie);
        self
    }

    /// JSON for the form enhancer ([`FormReply`]), else a redirect back with the message
    /// in a one-time cookie. Never stored by a cache.
    pub fn respond(self, answer: Answer) -> Response {
        let mut response = if answer.json {
            let body = FormReply {
                ok: self.status.is_success(),
                message: self.message,
                count: self.count,
                label: self.count.map(|n| bag_label(answer.lang, n)),
                ..FormReply::default()
            };
            (self.status, Json(body)).into_response()
        } else {
            let mut r = see_other(&self.back);
            if !self.message.is_empty() {
                let flash = Flash {
                    ok: self.status.is_success(),
                    message: self.message,
                    field: self.field,
                };
                append_cookie(&mut r, &flash.set_cookie(answer.https));
            }
            r
        };
        for cookie in &self.cookies {
            append_cookie(&mut response, cookie);
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(app::error::RETRY_AFTER_SECS),
            );
        }
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// A handler's outcome as a response: the reply, or the error said for people.
pub fn finish(outcome: Result<Reply, AppError>, answer: Answer, back: &str) -> Response {
    outcome
        .unwrap_or_else(|e| Reply::refused(&e, answer.lang, back))
        .respond(answer)
}

/// A console handler's outcome: a field's refusal is shown beside the field.
pub fn finish_beside(outcome: Result<Reply, AppError>, answer: Answer, back: &str) -> Response {
    outcome
        .unwrap_or_else(|e| Reply::refused_beside(&e, answer.lang, back))
        .respond(answer)
}

/// The page's form enhancer asks for JSON; a plain form post does not.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// `303 See Other` to `to`, a path built here or checked by `app::domain::redirect`. The
/// one way a handler redirects: a target that is not a valid header value goes to `/`
/// rather than failing the request after its change was made.
pub fn see_other(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or_else(|_| {
        tracing::warn!("a redirect target was not a valid header value; going home");
        HeaderValue::from_static("/")
    });
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

pub fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
