//! `POST /member/code` (send a sign-in code), `/member/verify` (sign in or join) and
//! `/member/logout`. The phone a code went to waits in a short HttpOnly cookie.

use super::Reply;
use app::api::members::PENDING_PHONE_COOKIE;
use app::domain::i18n::member::{self as text, MemberText as T};
use app::domain::order::parse_phone;
use app::error::AppError;
use app::ssr::db::Db;
use app::ssr::request::lang_of_headers;
use app::ssr::session::{self, Kind, cookie, cookie_value, is_https};
use app::ssr::settings::Settings;
use app::ssr::{guides, members};
use axum::extract::{ConnectInfo, Extension, Form};
use axum::response::Response;
use http::HeaderMap;
use serde::Deserialize;
use std::net::SocketAddr;

const BACK: &str = "/member";

#[derive(Debug, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
}

pub async fn send_code(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<MemberForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let https = is_https(&headers);
    if form.phone.trim().is_empty() {
        // "Use another number": forget the pending one.
        return Reply::ok(String::new(), BACK)
            .with_cookie(Some(cookie(PENDING_PHONE_COOKIE, "", Some(0), https)))
            .respond(&headers, lang);
    }
    let outcome = async {
        let phone = parse_phone(&form.phone)
            .map_err(|_| AppError::validation("phone", T::BadPhone.t(lang)))?;
        members::request_code(&db, &settings, &phone, &peer.ip().to_string(), lang).await?;
        Ok::<_, AppError>(
            Reply::ok(text::code_sent(lang, &members::mask(&phone)), BACK).with_cookie(Some(
                cookie(
                    PENDING_PHONE_COOKIE,
                    &phone,
                    Some(members::CODE_TTL_SECS),
                    https,
                ),
            )),
        )
    }
    .await;
    super::finish(outcome, &headers, lang, BACK)
}

pub async fn verify(
    Extension(db): Extension<Db>,
    Extension(settings): Extension<Settings>,
    headers: HeaderMap,
    Form(form): Form<MemberForm>,
) -> Response {
    let lang = lang_of_headers(&headers);
    let https = is_https(&headers);
    let outcome = async {
        let phone = cookie_value(&headers, PENDING_PHONE_COOKIE)
            .and_then(|p| parse_phone(&p).ok())
            .ok_or_else(|| AppError::Conflict(T::AskFirst.t(lang).to_owned()))?;
        let guide = match guides::attributed_code(&headers, session::now()) {
            Some(code) => guides::guide(&db, &code, lang).await?.map(|g| g.code),
            None => None,
        };
        let (member, _new) =
            members::verify_code(&db, &settings, &phone, &form.code, guide.as_deref(), lang)
                .await?;
        let previous = session::current(&db, &headers, Kind::Shopper).await?;
        let signed_in = members::sign_in(&db, previous.as_ref(), member, https).await?;
        Ok::<_, AppError>(
            Reply::ok(T::SignedIn.t(lang).to_owned(), BACK)
                .with_cookie(Some(signed_in))
                .with_cookie(Some(cookie(PENDING_PHONE_COOKIE, "", Some(0), https))),
        )
    }
    .await;
    super::finish(outcome, &headers, lang, BACK)
}

/// Ends the session and revokes its device's member-code key. The member's bag stays
/// with the member.
pub async fn logout(Extension(db): Extension<Db>, headers: HeaderMap) -> Response {
    let lang = lang_of_headers(&headers);
    let mut reply = Reply::ok(T::SignedOut.t(lang).to_owned(), BACK);
    if let Ok(Some(s)) = session::current(&db, &headers, Kind::Shopper).await
        && let Ok(cleared) = session::end(&db, &s, is_https(&headers)).await
    {
        reply = reply.with_cookie(Some(cleared));
    }
    reply.respond(&headers, lang)
}
