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

/// `GET /member/data.json`: everything held about the signed-in member, as a download
/// (never cached). Anyone else: to `/member`.
pub async fn data_export(
    State(db): State<Db>,
    ShopperSession(shopper): ShopperSession,
) -> Response {
    use axum::response::IntoResponse;
    let Some(member) = shopper.and_then(|s| s.member_id) else {
        return super::see_other(BACK);
    };
    match app::ssr::privacy::export(&db, member).await {
        Ok(Some(data)) => (
            [
                (
                    http::header::CONTENT_TYPE,
                    "application/json; charset=utf-8",
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"my-cloud-store-data.json\"",
                ),
                (http::header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Ok(None) => super::see_other(BACK),
        Err(e) => {
            let status = http::StatusCode::from_u16(e.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.message(app::domain::lang::Lang::ZhCn)).into_response()
        }
    }
}

/// `POST /member/delete`: the account deleted when `confirm` is the last four digits of
/// the member's number (else refused beside it, nothing deleted); signed out everywhere.
pub async fn delete_account(
    State(db): State<Db>,
    answer: Answer,
    ShopperSession(shopper): ShopperSession,
    Form(form): Form<app::forms::MemberDeleteForm>,
) -> Response {
    use app::domain::i18n::marketing::MarketingText as MT;
    let (lang, https) = (answer.lang, answer.https);
    let back = app::links::routes::MEMBER_DATA;
    let outcome = async {
        let member = shopper
            .as_ref()
            .and_then(|s| s.member_id)
            .ok_or_else(|| AppError::conflict(MT::SignInForInbox))?;
        let summary = app::ssr::privacy::summary(&db, member)
            .await?
            .ok_or_else(|| AppError::conflict(MT::SignInForInbox))?;
        let last4 = &summary.phone[summary.phone.len().saturating_sub(4)..];
        if form.confirm.trim() != last4 {
            return Err(AppError::validation(
                app::forms::MemberDeleteForm::FIELDS.confirm,
                MT::DeleteMismatch,
            ));
        }
        app::ssr::privacy::delete(&db, member).await?;
        Ok(Reply::ok(MT::Deleted.t(lang).to_owned(), BACK)
            .with_cookie(Some(cookies::clear(session::Kind::Shopper.cookie(), https))))
    }
    .await;
    super::finish_beside(outcome, answer, back)
}
