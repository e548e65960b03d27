//! `POST /lang`: remembers the shopper's language in a cookie and sends them back to the
//! page they were on. A plain form post, so it works without JavaScript.

use crate::extract::Answer;
use crate::forms::{append_cookie, see_other};
use app::domain::lang::Lang;
use app::forms::LanguageForm;
use app::ssr::cookies::{self, Cookie};
use axum::Form;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

pub async fn set_language(answer: Answer, Form(choice): Form<LanguageForm>) -> Response {
    let Some(lang) = Lang::from_tag(&choice.lang) else {
        return (StatusCode::BAD_REQUEST, "Unknown language / 不支持的语言").into_response();
    };
    let mut response = see_other(choice.back.or("/"));
    append_cookie(
        &mut response,
        &cookies::set(Cookie::Lang, lang.tag(), answer.https),
    );
    response
}
