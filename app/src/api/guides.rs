//! A guide's own page (server function; types shared): their share link as a QR code to
//! show a shopper in the store, and links for their store to send.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidePage {
    pub code: String,
    pub name: String,
    pub store_slug: String,
    pub store_name: String,
    /// `https://host/g/{code}`: credits the guide and opens their store.
    pub link: String,
    pub qr_svg: String,
}

#[server]
pub async fn get_guide_page(code: String) -> Result<GuidePage, AppError> {
    use crate::domain::i18n::bag::guide_link_label;
    use crate::error::Missing;
    use crate::qr;
    use crate::ssr::{guides, request};
    let (db, lang) = (request::db()?, request::lang());
    let guide = guides::guide(&db, &code, lang)
        .await?
        .ok_or(AppError::NotFound(Missing::Page))?;
    let link = format!("{}/g/{}", request::origin(), guide.code);
    let qr_svg =
        qr::svg(&link, 280, &guide_link_label(lang, &guide.name)).ok_or(AppError::Internal)?;
    Ok(GuidePage {
        code: guide.code,
        name: guide.name,
        store_slug: guide.store_slug,
        store_name: guide.store_name,
        link,
        qr_svg,
    })
}
