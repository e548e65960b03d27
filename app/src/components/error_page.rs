//! An error as a page: the message in the shopper's language and a way on; during SSR it
//! also sets the response's real HTTP status (404, 400, 500 …).

use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
        if error.status() == 503 {
            response.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(crate::error::RETRY_AFTER_SECS),
            );
        }
    }
    let title = match error {
        AppError::NotFound(_) => Msg::NotFoundTitle.t(lang),
        AppError::Validation { .. } => Msg::InvalidRequestTitle.t(lang),
        AppError::Forbidden => Msg::ForbiddenTitle.t(lang),
        AppError::RateLimited => Msg::TooManyRequests.t(lang),
        AppError::Unauthorized => Msg::UnauthorizedTitle.t(lang),
        AppError::Conflict(_) => Msg::ConflictTitle.t(lang),
        AppError::Unavailable | AppError::Contended => Msg::TryAgainSoonTitle.t(lang),
        AppError::Internal => Msg::InternalError.t(lang),
    };
    let code = error.status();
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex" />
        <section class="error-page" aria-labelledby="error-title">
            <p class="error-code" aria-hidden="true">{code}</p>
            <h1 id="error-title">{title}</h1>
            <p role="alert">{error.message(lang)}</p>
            {matches!(error, AppError::Unauthorized | AppError::Forbidden).then(|| {
                // Signed in, the way back is this page.
                let here = leptos_router::hooks::use_location().pathname.get_untracked();
                let href = format!("{}?back={here}", crate::links::staff_home());
                view! {
                    <a class="button" href=href>{crate::domain::i18n::staff::StaffText::SignInTitle.t(lang)}</a>
                }
            })}
            <a class="button" href="/">{Msg::GoHome.t(lang)}</a>
        </section>
    }
}
