//! `POST /member/code` (send a sign-in code), `/member/verify` (sign in or join) and
//! `/member/logout`. The phone a code went to waits in a short HttpOnly cookie.

use super::Reply;
use crate::extract::{Answer, ShopperSession};
use crate::proxy::ClientIp;
use app::domain::i18n::member::{self as text, MemberText as T};
use app::domain::order::parse_phone;
use app::error::AppError;
use app::forms::{MemberCodeForm, MemberPhoneForm};
use app::ssr::cookies::{self, Cookie};
use app::ssr::db::Db;
use app::ssr::session;
use app::ssr::settings::Settings;
use app::ssr::{guides, members};
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

const BACK: &str = app::links::member();

pub async fn send_code(
    State(db): State<Db>,
    State(settings): State<Settings>,
    ClientIp(client): ClientIp,
    answer: Answer,
    Form(form): Form<MemberPhoneForm>,
) -> Response {
    let (lang, https) = (answer.lang, answer.https);
    if form.phone.trim().is_empty() {
        // "Use another number": forget the pending one.
        return Reply::ok(String::new(), BACK)
            .with_cookie(Some(cookies::clear(Cookie::PendingPhone, https)))
            .respond(answer);
    }
    let outcome = async {
        let phone = parse_phone(&form.phone)
            .map_err(|_| AppError::validation(MemberPhoneForm::FIELDS.phone, T::BadPhone))?;
        members::request_code(&db, &settings, &phone, &client.to_string(), lang).await?;
        Ok::<_, AppError>(
            Reply::ok(text::code_sent(lang, &members::mask(&phone)), BACK)
                .with_cookie(Some(cookies::set(Cookie::PendingPhone, &phone, https))),
        )
    }
    .await;
    super::finish(outcome, answer, BACK)
}

pub async fn verify(
    State(db): State<Db>,
    State(settings): State<Settings>,
    answer: Answer,
    ShopperSession(previous): ShopperSession,
    headers: HeaderMap,
    Form(form): Form<MemberCodeForm>,
) -> Response {
    let (lang, https) = (answer.lang, answer.https);
    let outcome = async {
        let phone = cookies::read(&headers, Cookie::PendingPhone)
            .and_then(|p| parse_phone(p).ok())
            .ok_or_else(|| AppError::conflict(T::AskFirst))?;
        let guide = match guides::attributed_code(&headers, session::now()) {
            Some(code) => guides::guide(&db, &code, lang).await?.map(|g| g.code),
            None => None,
        };
        let (member, _new) =
            members::verify_code(&db, &settings, &phone, &form.code, guide.as_deref()).await?;
        let signed_in = members::sign_in(&db, previous.as_ref(), member, https).await?;
        Ok::<_, AppError>(
            Reply::ok(T::SignedIn.t(lang).to_owned(), BACK)
                .with_cookie(Some(signed_in))
                .with_cookie(Some(cookies::clear(Cookie::PendingPhone, https))),
        )
    }
    .await;
    super::finish(outcome, answer, BACK)
}

/// Ends the session and revokes its device's member-code key. The member's bag stays
/// with the member.
pub async fn logout(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
) -> Response {
    let mut reply = Reply::ok(T::SignedOut.t(answer.lang).to_owned(), BACK);
    if let Some(s) = shopper
        && let Ok(cleared) = session::end(&db, &s, answer.https).await
    {
        reply = reply.with_cookie(Some(cleared));
    }
    reply.respond(answer)
}
