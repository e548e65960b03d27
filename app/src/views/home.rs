//! What the home page shows: the brand, stores by city, product hits (shared).

use crate::domain::money::Money;
use crate::domain::store::StoreCard;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Brand {
    pub name: String,
    pub tagline: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityStores {
    pub city: String,
    pub stores: Vec<StoreCard>,
}

/// A catalogue product matching a home search, and a store that has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductHit {
    pub sku: String,
    pub name: String,
    pub image: String,
    pub from_price: Money,
    pub stores_in_stock: u32,
    pub store_slug: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    pub query: Option<String>,
    pub cities: Vec<CityStores>,
    pub products: Vec<ProductHit>,
    /// The stores nearest to the shopper's remembered location (none when unknown).
    pub nearest: Vec<StoreCard>,
}
