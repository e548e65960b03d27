//! What a store page and a product page show (shared by server and browser).

use crate::domain::product::{Category, Offer, ProductCard};
use crate::domain::store::{StoreCard, StoreDetail};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorePage {
    pub store: StoreDetail,
    pub categories: Vec<Category>,
    /// The selected category, when one is.
    pub category: Option<String>,
    pub query: Option<String>,
    pub products: Vec<ProductCard>,
    pub total: u32,
    pub page: u32,
    pub pages: u32,
    /// schema.org `Store` as JSON-LD.
    pub json_ld: String,
    /// The nearest other stores, with their distance from this one.
    pub nearby: Vec<StoreCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub store: StoreCard,
    pub product: ProductCard,
    pub category: Category,
    /// Stores with the product in stock, nearest first: to the shopper when their
    /// location is known (`near_you`), else the other stores of this store's city.
    pub elsewhere: Vec<(StoreCard, Offer)>,
    pub near_you: bool,
    /// schema.org `Product` with its `Offer` as JSON-LD.
    pub json_ld: String,
}
