//! The brand's API keys over HTTP (server): `POST /staff/api-keys/create` (a name and the
//! scopes ticked) and `/staff/api-keys/revoke`, each a brand admin's alone (anyone else
//! 403, signed out 401, and nothing changes) and audited by `ssr::ops::keys`. Both go
//! back to `/staff/api-keys`; a refused field is said beside it there.
//!
//! The key made is shown once: it rides the redirect in its own one-time cookie
//! (`ssr::key_reveal`: HttpOnly, SameSite=Strict, sent only to the page), never in the
//! redirect's URL, the flash message, a log line or the audit log.

use super::{Reply, finish_beside};
use crate::extract::Answer;
use app::domain::api_keys::{KeyName, chosen_scopes};
use app::domain::i18n::staff::{StaffText as T, key_name_problem};
use app::domain::ops::Scope;
use app::error::{AppError, Missing};
use app::forms::{ApiKeyCreateForm, ApiKeyRevokeForm};
use app::links::routes;
use app::ssr::db::Db;
use app::ssr::key_reveal::KeyReveal;
use app::ssr::ops::keys;
use app::ssr::staff;
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

const BACK: &str = routes::STAFF_API_KEYS;

pub async fn create(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<ApiKeyCreateForm>,
) -> Response {
    let lang = answer.lang;
    let outcome = async {
        let admin = staff::authorize_brand_admin(&db, &headers).await?;
        let name = KeyName::parse(&form.name).map_err(|p| {
            AppError::validation(ApiKeyCreateForm::FIELDS.name, key_name_problem(p))
        })?;
        let scopes_field = ApiKeyCreateForm::SCOPES;
        if Scope::ALL.into_iter().any(|s| form.ticked(s).is_none()) {
            return Err(AppError::validation(scopes_field, T::KeyScopeNotListed));
        }
        let scopes = chosen_scopes(|s| form.ticked(s) == Some(true))
            .ok_or_else(|| AppError::validation(scopes_field, T::KeyScopeRequired))?;
        let (id, key) = keys::create(&db, admin.id, name.as_str(), &scopes).await?;
        let reveal = KeyReveal { id, key };
        Ok(Reply::ok(T::KeyMade.t(lang).to_owned(), BACK)
            .with_cookie(Some(reveal.set_cookie(answer.https))))
    }
    .await;
    finish_beside(outcome, answer, BACK)
}

pub async fn revoke(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<ApiKeyRevokeForm>,
) -> Response {
    let lang = answer.lang;
    let outcome = async {
        let admin = staff::authorize_brand_admin(&db, &headers).await?;
        let id: i64 = form
            .id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound(Missing::Page))?;
        if keys::revoke(&db, admin.id, id).await? {
            return Ok(Reply::ok(T::KeyRevoked.t(lang).to_owned(), BACK));
        }
        // Not revoked now: revoked before (a second press says so), or no such key.
        let known = keys::list(&db).await?.into_iter().any(|k| k.id == id);
        if known {
            Ok(Reply::ok(T::KeyAlreadyRevoked.t(lang).to_owned(), BACK))
        } else {
            Err(AppError::NotFound(Missing::Page))
        }
    }
    .await;
    finish_beside(outcome, answer, BACK)
}
