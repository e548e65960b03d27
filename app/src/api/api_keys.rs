//! The brand's API keys for the integration API (server function; types shared): the
//! list a brand admin sees at `/staff/api-keys`, with the key just made shown once.
//! Only a brand admin gets it (`ssr::staff::authorize_brand_admin`); never cached. Making
//! and revoking are form posts (the server's `forms::api_keys`).

use crate::error::AppError;
pub use crate::views::api_keys::{ApiKeysPage, ListedKey, MadeKey, Stamp};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::ops::Scope;
    use crate::ssr::cookies::Cookie;
    use crate::ssr::key_reveal::KeyReveal;
    use crate::ssr::ops::keys;
    use crate::ssr::{request, session, staff};
    use chrono::TimeZone;

    /// Keys belong to the brand, not a store: their times are in the brand's home zone.
    const BRAND_ZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

    fn stamp(at: i64) -> Stamp {
        match BRAND_ZONE.timestamp_opt(at, 0).single() {
            Some(t) => Stamp {
                label: t.format("%Y-%m-%d %H:%M").to_string(),
                machine: t.to_rfc3339(),
            },
            None => Stamp {
                label: at.to_string(),
                machine: String::new(),
            },
        }
    }

    pub async fn page() -> Result<ApiKeysPage, AppError> {
        crate::api::console::no_store();
        // The key just made is taken once, whoever asks: its cookie is cleared here
        // whether or not it is shown.
        let reveal = request::cookie(Cookie::NewApiKey);
        if reveal.is_some() {
            request::set_cookie(&KeyReveal::clear_cookie(request::is_https()));
        }
        let db = request::db()?;
        let user = staff::authorize_brand_admin(&db, &request::headers()).await?;
        let rows = keys::list(&db).await?;
        let now = session::now();
        let made = reveal.as_deref().and_then(KeyReveal::parse).and_then(|r| {
            let row = rows.iter().find(|row| r.is_of(row, &user.name, now))?;
            Some(MadeKey {
                name: row.name.clone(),
                key: r.key,
                origin: request::origin(),
            })
        });
        let keys = rows
            .into_iter()
            .map(|r| ListedKey {
                id: r.id,
                scopes: Scope::parse_list(&r.scopes),
                created: stamp(r.created_at),
                created_by: r.created_by_name,
                last_used: r.last_used_at.map(stamp),
                revoked: r.revoked_at.map(stamp),
                name: r.name,
                prefix: r.prefix,
            })
            .collect();
        Ok(ApiKeysPage {
            user_name: user.name,
            keys,
            made,
        })
    }
}

#[server]
pub async fn get_api_keys() -> Result<ApiKeysPage, AppError> {
    server::page().await
}
