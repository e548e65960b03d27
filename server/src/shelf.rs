//! `GET /l/{store}/{sku}`: a shelf label's QR code. It counts the scan for that product in
//! that store (shown in the console's labels page) and goes on to the product's page in
//! the store's cloud store, which tells the shopper they are in the store (`?shelf=1`).
//! A label of a product the store does not sell counts nothing and leads to its page
//! (a 404 there); a database that cannot count still lets the shopper through.

use crate::forms::see_other;
use app::domain::product::Sku;
use app::domain::store::StoreSlug;
use app::ssr::db::Db;
use app::ssr::labels;
use axum::extract::{Path, State};
use axum::response::Response;

pub async fn scan(State(db): State<Db>, Path((store, sku)): Path<(String, String)>) -> Response {
    let (Some(store), Some(sku)) = (StoreSlug::parse(&store), Sku::parse(&sku)) else {
        return see_other("/");
    };
    let page = app::links::product(store.as_str(), sku.as_str());
    match labels::record_scan(&db, store.as_str(), sku.as_str()).await {
        Ok(true) => see_other(&format!("{page}?shelf=1")),
        Ok(false) => see_other(&page),
        Err(e) => {
            tracing::warn!(error = %e, "a shelf label scan was not counted");
            see_other(&format!("{page}?shelf=1"))
        }
    }
}
