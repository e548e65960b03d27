//! Products of the brand catalogue and one store's offer of them. Shared by server and browser.

use super::money::Money;
use serde::{Deserialize, Serialize};

/// A stock-keeping unit code, e.g. `HC100101`: 2–32 of `A-Z`, `0-9`, `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sku(String);

impl Sku {
    /// Accepts lowercase input from a hand-typed URL and normalises it.
    pub fn parse(s: &str) -> Option<Self> {
        let upper = s.trim().to_ascii_uppercase();
        let ok = (2..=32).contains(&upper.len())
            && upper
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        ok.then_some(Sku(upper))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Below this many units a product shows "only N left".
pub const LOW_STOCK: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockLevel {
    InStock,
    Low(u32),
    Out,
}

impl StockLevel {
    pub fn of(units: i64) -> Self {
        match u32::try_from(units) {
            Ok(0) | Err(_) => StockLevel::Out,
            Ok(n) if n <= LOW_STOCK => StockLevel::Low(n),
            Ok(_) => StockLevel::InStock,
        }
    }
    pub fn available(self) -> bool {
        self != StockLevel::Out
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    /// Products of this category on offer in the store being shown.
    pub count: u32,
}

/// One store's price and stock for a product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub price: Money,
    /// The regular price; above `price` when the store discounts.
    pub list_price: Money,
    pub stock: StockLevel,
}

impl Offer {
    pub fn percent_off(&self) -> Option<u8> {
        self.price.percent_off(self.list_price)
    }
}

/// A product as the grid shows it, names already in the shopper's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub image: String,
    pub offer: Offer,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_normalise_case_and_reject_junk() {
        assert_eq!(Sku::parse("hc100101").unwrap().as_str(), "HC100101");
        assert!(Sku::parse("H").is_none());
        assert!(Sku::parse("HC 1").is_none());
        assert!(Sku::parse("HC1'--").is_none());
        assert!(Sku::parse(&"A".repeat(33)).is_none());
    }

    #[test]
    fn stock_levels() {
        assert_eq!(StockLevel::of(0), StockLevel::Out);
        assert_eq!(StockLevel::of(-3), StockLevel::Out);
        assert_eq!(StockLevel::of(1), StockLevel::Low(1));
        assert_eq!(StockLevel::of(5), StockLevel::Low(5));
        assert_eq!(StockLevel::of(6), StockLevel::InStock);
        assert!(!StockLevel::Out.available());
    }

    #[test]
    fn discounts() {
        let offer = Offer {
            price: Money::cny(800),
            list_price: Money::cny(1000),
            stock: StockLevel::InStock,
        };
        assert_eq!(offer.percent_off(), Some(20));
    }
}
