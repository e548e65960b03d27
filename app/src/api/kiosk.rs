//! Kiosk screens in a store (server functions; types shared): the attract loop, the
//! endless aisle, a product, and the screen's bag with its hand-off QR. A kiosk never
//! sees a shopper's session: its bag belongs to the screen's own session.

use crate::domain::bag::StoreBag;
use crate::domain::product::{Category, Offer, ProductCard};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskStore {
    pub slug: String,
    pub name: String,
    /// Items in this screen's bag.
    pub bag_count: u32,
    pub idle_secs: u32,
    pub warn_secs: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AisleItem {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub image: String,
    /// This store's offer; `None` when it is not on this store's shelves.
    pub offer: Option<Offer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskHome {
    pub store: KioskStore,
    pub featured: Vec<ProductCard>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskAisle {
    pub store: KioskStore,
    pub categories: Vec<Category>,
    pub category: String,
    pub items: Vec<AisleItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskProduct {
    pub store: KioskStore,
    pub item: AisleItem,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskBag {
    pub store: KioskStore,
    pub bag: Option<StoreBag>,
    /// The hand-off QR (inline SVG) and the link it encodes, when the bag has items.
    pub qr_svg: Option<String>,
    pub take_link: Option<String>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::store::StoreSlug;
    use crate::error::Missing;
    use crate::ssr::session::{self, Kind, Session};
    use crate::ssr::stores::{StoreRow, pick, store_by_slug};
    use crate::ssr::{bag, request};

    pub async fn store(slug: &str) -> Result<(StoreRow, Option<Session>, KioskStore), AppError> {
        let db = request::db()?;
        let settings = request::settings()?;
        let slug = StoreSlug::parse(slug).ok_or(AppError::NotFound(Missing::Store))?;
        let row = store_by_slug(&db, slug.as_str())
            .await?
            .ok_or(AppError::NotFound(Missing::Store))?;
        let session = session::current(&db, &request::headers(), Kind::Kiosk)
            .await?
            .filter(|s| s.store_id == Some(row.id));
        let bag_count = match &session {
            Some(s) => bag::summary_count(&db, &s.id).await?,
            None => 0,
        };
        let store = KioskStore {
            slug: row.slug.clone(),
            name: row.name(request::lang()).to_owned(),
            bag_count,
            idle_secs: settings.kiosk_idle_secs,
            warn_secs: settings.kiosk_warn_secs,
        };
        Ok((row, session, store))
    }

    pub fn item(row: crate::ssr::kiosk::AisleRow) -> AisleItem {
        let lang = request::lang();
        AisleItem {
            offer: row.offer(),
            name: pick(lang, &row.name_zh, &row.name_en).to_owned(),
            unit: pick(lang, &row.unit_zh, &row.unit_en).to_owned(),
            sku: row.sku,
            image: row.image,
        }
    }
}

#[server]
pub async fn get_kiosk_home(store: String) -> Result<KioskHome, AppError> {
    use crate::ssr::{kiosk, request};
    let (row, _, store) = server::store(&store).await?;
    let db = request::db()?;
    let lang = request::lang();
    let featured = kiosk::featured(&db, row.id, 8)
        .await?
        .iter()
        .map(|o| o.card(lang))
        .collect();
    Ok(KioskHome { store, featured })
}

#[server]
pub async fn get_kiosk_aisle(
    store: String,
    category: Option<String>,
) -> Result<KioskAisle, AppError> {
    use crate::ssr::{kiosk, request};
    let (row, _, store) = server::store(&store).await?;
    let db = request::db()?;
    let categories = kiosk::categories(&db, request::lang()).await?;
    let category = category
        .filter(|c| categories.iter().any(|k| &k.slug == c))
        .or_else(|| categories.first().map(|c| c.slug.clone()))
        .unwrap_or_default();
    let items = kiosk::aisle(&db, row.id, &category)
        .await?
        .into_iter()
        .map(server::item)
        .collect();
    Ok(KioskAisle {
        store,
        categories,
        category,
        items,
    })
}

#[server]
pub async fn get_kiosk_product(store: String, sku: String) -> Result<KioskProduct, AppError> {
    use crate::domain::product::Sku;
    use crate::error::Missing;
    use crate::ssr::{kiosk, request};
    let (row, _, store) = server::store(&store).await?;
    let sku = Sku::parse(&sku).ok_or(AppError::NotFound(Missing::Product))?;
    let item = kiosk::aisle_item(&request::db()?, row.id, sku.as_str())
        .await?
        .ok_or(AppError::NotFound(Missing::Product))?;
    Ok(KioskProduct {
        store,
        item: server::item(item),
    })
}

#[server]
pub async fn get_kiosk_bag(store: String) -> Result<KioskBag, AppError> {
    use crate::domain::i18n::bag::BagText;
    use crate::qr;
    use crate::ssr::{bag, handoff, request, session};
    let (_, session, store) = server::store(&store).await?;
    let Some(session) = session else {
        return Ok(KioskBag {
            store,
            bag: None,
            qr_svg: None,
            take_link: None,
        });
    };
    let db = request::db()?;
    let lang = request::lang();
    let bag = bag::bag(&db, &session.id, lang)
        .await?
        .stores
        .into_iter()
        .next();
    let (qr_svg, take_link) = match &bag {
        Some(_) => {
            let key = &request::settings()?.key;
            let token = handoff::issue_at(key, &session.id, &store.slug, session::now());
            let link = format!("{}/bag/take?t={token}", request::origin());
            (
                qr::svg(&link, 320, BagText::KioskTakeBag.t(lang)),
                Some(link),
            )
        }
        None => (None, None),
    };
    Ok(KioskBag {
        store,
        bag,
        qr_svg,
        take_link,
    })
}

/// How many items this screen's bag holds now: the bag page asks every few seconds, and
/// goes back to the attract screen once a phone has taken them (0).
#[server]
pub async fn get_kiosk_bag_count(store: String) -> Result<u32, AppError> {
    Ok(server::store(&store).await?.2.bag_count)
}

/// A store a hand-off code came from, for a phone that cannot take the bag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeStore {
    pub slug: String,
    pub name: String,
}

/// What a phone finds behind a kiosk's QR code (a forged one is an error instead).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TakePreview {
    /// The confirmation before the post: how many items, from which store's screen.
    Ready { store_name: String, count: u32 },
    /// Taken already by a phone.
    Used(Option<TakeStore>),
    /// Older than a few minutes: the screen shows a new code.
    Expired(Option<TakeStore>),
    /// The screen's bag is empty (cleared or reset).
    Empty(Option<TakeStore>),
}

#[server]
pub async fn get_take_preview(t: String) -> Result<TakePreview, AppError> {
    use crate::ssr::handoff::{self, Found, Refused};
    use crate::ssr::request;
    let db = request::db()?;
    let found = handoff::look(&db, &request::settings()?.key, &t, request::lang()).await?;
    Ok(match found {
        Found::Ready(preview) => TakePreview::Ready {
            store_name: preview.store_name,
            count: preview.count,
        },
        Found::Refused(why, store) => {
            let store = store.map(|s| TakeStore {
                slug: s.slug,
                name: s.name,
            });
            match why {
                Refused::Used => TakePreview::Used(store),
                Refused::Expired => TakePreview::Expired(store),
                Refused::Empty => TakePreview::Empty(store),
            }
        }
    })
}
