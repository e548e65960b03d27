//! `AppError`: the one error type from the database to the page. Shared by server and
//! browser; server functions return it, pages render it, and the HTTP status follows it.

use crate::domain::i18n::{Msg, Text};
use crate::domain::lang::Lang;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// What was not found, so the page can say so precisely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Missing {
    Store,
    Product,
    Page,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// 404: an unknown store, product or page.
    #[error("not found: {0:?}")]
    NotFound(Missing),
    /// 400: input that does not parse; `field` names the form field, `message` is for
    /// people, translated when it is shown.
    #[error("invalid {field}: {message:?}")]
    Validation { field: String, message: Text },
    /// 409: the request is valid but the state forbids it (out of stock, slot full, key reused).
    #[error("conflict: {0:?}")]
    Conflict(Text),
    /// 401: sign-in needed.
    #[error("unauthorized")]
    Unauthorized,
    /// 403: a cross-origin mutating request, or not allowed.
    #[error("forbidden")]
    Forbidden,
    /// 429: too many attempts.
    #[error("rate limited")]
    RateLimited,
    /// 503: the database cannot be reached just now (restarting, failing over, full):
    /// try again in a moment (`Retry-After`).
    #[error("unavailable")]
    Unavailable,
    /// 503 as well: a write lost a race with a concurrent transaction (PostgreSQL's
    /// serialization failure `40001` or deadlock `40P01`). `ssr::db::retrying` runs the
    /// transaction again; only one that keeps losing leaves the server, as "try again".
    #[error("contended")]
    Contended,
    /// 500: anything else. The cause is logged on the server, never sent.
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<Text>) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<Text>) -> Self {
        AppError::Conflict(message.into())
    }

    /// The HTTP status this error is served with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Validation { .. } => 400,
            AppError::Conflict(_) => 409,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::RateLimited => 429,
            AppError::Unavailable | AppError::Contended => 503,
            AppError::Internal => 500,
        }
    }

    /// A sentence for the shopper in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::NotFound(Missing::Store) => Msg::NotFoundStore.t(lang).to_owned(),
            AppError::NotFound(Missing::Product) => Msg::NotFoundProduct.t(lang).to_owned(),
            AppError::NotFound(Missing::Page) => Msg::NotFoundPage.t(lang).to_owned(),
            AppError::Validation { message, .. } | AppError::Conflict(message) => message.t(lang),
            AppError::Unauthorized => Msg::Unauthorized.t(lang).to_owned(),
            AppError::Forbidden => Msg::Forbidden.t(lang).to_owned(),
            AppError::RateLimited => Msg::TooManyRequests.t(lang).to_owned(),
            AppError::Unavailable | AppError::Contended => Msg::TryAgainSoon.t(lang).to_owned(),
            AppError::Internal => Msg::InternalError.t(lang).to_owned(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Transport failures (network, decoding) are not the shopper's fault: Internal.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) => {
                #[cfg(feature = "ssr")]
                tracing::debug!(%message, "server function arguments refused");
                #[cfg(not(feature = "ssr"))]
                let _ = message;
                AppError::validation("request", Msg::BadRequest)
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Row-not-found is a 404 for the caller to refine; constraint violations are
    /// conflicts; everything else is logged here and leaves as a bare Internal.
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => AppError::NotFound(Missing::Page),
            sqlx::Error::Database(db) if db.is_unique_violation() || db.is_check_violation() => {
                tracing::warn!(error = %err, "constraint violation");
                AppError::conflict(Msg::ConflictError)
            }
            // Text the database cannot hold (a NUL byte, SQLSTATE 22021): the input was
            // bad, whichever parser let it through.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("22021") => {
                tracing::warn!(error = %err, "text the database refuses");
                AppError::validation("request", Msg::BadRequest)
            }
            e if contended(e) => {
                tracing::debug!(error = %err, "transaction lost a race; to be retried");
                AppError::Contended
            }
            e if unavailable(e) => {
                tracing::warn!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            _ => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}

/// The seconds a 503 asks the client to wait before trying again.
pub const RETRY_AFTER_SECS: u32 = 3;

/// Whether a database error means "not reachable now" rather than "this request is
/// wrong": no connection to be had in time, a connection lost, or PostgreSQL shutting
/// down, starting up or out of connections (SQLSTATE class 08, 57P01–57P03, 53300).
#[cfg(feature = "ssr")]
fn unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// Whether a database error means "this transaction lost to a concurrent one; run it
/// again": PostgreSQL's serialization failure (`40001`) or deadlock (`40P01`); and
/// SQLite's `SQLITE_BUSY_SNAPSHOT` (517): a transaction that read first and then wrote,
/// after another connection committed in between (WAL mode cannot wait that out: its
/// snapshot is stale). Other SQLite writers queue on its lock (`busy_timeout`) instead.
#[cfg(feature = "ssr")]
fn contended(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| matches!(&*c, "40001" | "40P01" | "517")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_messages() {
        assert_eq!(AppError::NotFound(Missing::Store).status(), 404);
        assert_eq!(
            AppError::validation("q", Text::QueryTooLong { max: 64 }).status(),
            400
        );
        assert_eq!(
            AppError::Internal.message(Lang::En),
            "Something went wrong. Please try again."
        );
        assert!(
            AppError::NotFound(Missing::Store)
                .message(Lang::ZhCn)
                .contains("门店")
        );
    }

    #[test]
    fn conflicts_are_said_in_the_readers_language() {
        let e = AppError::conflict(Msg::ConflictError);
        assert_eq!(e.message(Lang::En), Msg::ConflictError.t(Lang::En));
        assert_eq!(e.message(Lang::ZhCn), Msg::ConflictError.t(Lang::ZhCn));
        assert_ne!(e.message(Lang::En), e.message(Lang::ZhCn));
    }

    #[test]
    fn round_trips_through_the_server_fn_encoding() {
        let err = AppError::validation(
            "lat",
            Text::LatLon(crate::domain::geo::LatLonError::Latitude),
        );
        assert_eq!(AppError::de(err.ser()), err);
        assert_eq!(AppError::de("garbage".into()), AppError::Internal);
    }
}
