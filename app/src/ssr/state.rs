//! The application state (server): the database pool, the run-time settings, the
//! process's caches and Leptos's options. Built once at start; axum handlers take the
//! parts they need through `FromRef`, and pages and server functions find it in the
//! request's context (see `request::state`).

use crate::ssr::db::{BrandNames, Db};
use crate::ssr::micro_cache::MicroCache;
use crate::ssr::nearby::Near;
use crate::ssr::settings::Settings;
use crate::views::catalog::StorePage;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How long a store page's data is reused: a second, so under load most views share one
/// read of the database, and what they show is never more than a second old.
pub const STORE_PAGE_TTL: Duration = Duration::from_secs(1);

/// How long a store's neighbours are remembered: stores open and move on a scale of
/// weeks, and every store page shows its neighbours.
pub const NEIGHBOURS_TTL: Duration = Duration::from_secs(60);

/// What this process keeps in memory. Each server has its own; none of it is personal.
#[derive(Debug)]
pub struct Caches {
    /// The brand's names, read once: they change only with a new deployment.
    pub brand: OnceLock<BrandNames>,
    /// Each store's nearest neighbours (see `nearby::stores_near_store`).
    pub neighbours: MicroCache<i64, Vec<Near>>,
    /// Store pages' data, by language, store, category and page (see `api::catalog`).
    pub store_pages: MicroCache<String, StorePage>,
    /// What the near-them parts of pages read (see `nearby::stores_near_copied`).
    pub near: crate::ssr::nearby::NearCopies,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            brand: OnceLock::new(),
            neighbours: MicroCache::new(NEIGHBOURS_TTL, 10_000),
            store_pages: MicroCache::new(STORE_PAGE_TTL, 10_000),
            near: Default::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub settings: Settings,
    pub caches: Arc<Caches>,
    pub leptos: LeptosOptions,
}

impl AppState {
    pub fn new(db: Db, settings: Settings, leptos: LeptosOptions) -> Self {
        AppState {
            db,
            settings,
            caches: Arc::default(),
            leptos,
        }
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for Settings {
    fn from_ref(state: &AppState) -> Self {
        state.settings.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for Arc<Caches> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.caches)
    }
}
