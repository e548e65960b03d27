//! What every handler takes from a request (server), as axum extractors: how to answer
//! it ([`Answer`]: language, JSON or a redirect, HTTPS) and the shopper's or staff's
//! session. A safe `back=`/`to=` is a field type, `app::domain::redirect::LocalPath`,
//! since it comes in the form's body.

use crate::forms::{Reply, wants_json};
use app::domain::lang::Lang;
use app::error::AppError;
use app::ssr::cookies;
use app::ssr::db::Db;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind, Session};
use axum::extract::{FromRef, FromRequestParts};
use axum::response::Response;
use http::HeaderMap;
use http::request::Parts;
use std::convert::Infallible;

/// How this request wants its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The shopper's language: the `lang` cookie, else Accept-Language, else zh-CN.
    pub lang: Lang,
    /// The page's form enhancer asked for JSON; a plain form post did not.
    pub json: bool,
    /// The shopper came over HTTPS: cookies set in reply are Secure.
    pub https: bool,
}

impl Answer {
    pub fn of(headers: &HeaderMap) -> Self {
        Answer {
            lang: lang_of_headers(headers),
            json: wants_json(headers),
            https: cookies::is_https(headers),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Answer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Answer::of(&parts.headers))
    }
}

/// The request's live session of one kind, if it carries one.
async fn session_of<S>(parts: &Parts, state: &S, kind: Kind) -> Result<Option<Session>, Response>
where
    Db: FromRef<S>,
{
    session::current(&Db::from_ref(state), &parts.headers, kind)
        .await
        .map_err(|e: AppError| {
            let answer = Answer::of(&parts.headers);
            Reply::refused(&e, answer.lang, "/").respond(answer)
        })
}

/// An extractor for the request's live session of one kind (`None` without one).
macro_rules! session_extractor {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub Option<Session>);

        impl<S> FromRequestParts<S> for $name
        where
            Db: FromRef<S>,
            S: Send + Sync,
        {
            type Rejection = Response;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
                session_of(parts, state, $kind).await.map(Self)
            }
        }
    };
}

session_extractor!(
    /// The shopper's session, if the request carries a live one.
    ShopperSession,
    Kind::Shopper
);
session_extractor!(
    /// The till's staff session, if the request carries a live one (which store it is
    /// for is the handler's to check against the form).
    StaffSession,
    Kind::Staff
);
session_extractor!(
    /// A kiosk screen's session, if the request carries a live one.
    KioskSession,
    Kind::Kiosk
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_follows_the_request() {
        let mut h = HeaderMap::new();
        h.insert(http::header::ACCEPT, "application/json".parse().unwrap());
        h.insert(http::header::COOKIE, "lang=en".parse().unwrap());
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(
            Answer::of(&h),
            Answer {
                lang: Lang::En,
                json: true,
                https: true
            }
        );
        let plain = Answer::of(&HeaderMap::new());
        assert!(!plain.json && !plain.https);
    }
}
