//! What a server function or page needs from the current request (server): the database
//! handle from context and the shopper's language from cookie or Accept-Language.

use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::db::Db;
use http::request::Parts;
use leptos::prelude::use_context;

pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("database handle missing from the request context");
        AppError::Internal
    })
}

/// The language of this request: `lang` cookie, else Accept-Language, else zh-CN.
pub fn lang_of(parts: &Parts) -> Lang {
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let cookie = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(Lang::COOKIE)?.strip_prefix('='));
    Lang::choose(cookie, header(http::header::ACCEPT_LANGUAGE))
}

pub fn lang() -> Lang {
    use_context::<Parts>()
        .map(|p| lang_of(&p))
        .unwrap_or_default()
}
