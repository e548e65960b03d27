//! The shopping bag: quantities, lines at one store's price and stock, price drops since a
//! line was added, and the bag grouped by store. Shared by server and browser.

use super::money::Money;
use super::product::StockLevel;
use serde::{Deserialize, Serialize};

/// The most of one product a line can hold.
pub const MAX_QUANTITY: u32 = 99;

/// How many of a product: 1 to [`MAX_QUANTITY`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity(u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("not a whole number")]
    NotANumber,
    #[error("out of range")]
    OutOfRange,
}

impl Quantity {
    pub fn parse(s: &str) -> Result<Self, QuantityError> {
        let n: i64 = s.trim().parse().map_err(|_| QuantityError::NotANumber)?;
        Self::new(n)
    }

    pub fn new(n: i64) -> Result<Self, QuantityError> {
        u32::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_QUANTITY).contains(n))
            .map(Quantity)
            .ok_or(QuantityError::OutOfRange)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// The price a line was added at against the store's price now: the drop, if cheaper.
pub fn price_drop(added: Money, now: Money) -> Option<Money> {
    (added.currency == now.currency && now.minor < added.minor).then(|| Money {
        minor: added.minor - now.minor,
        ..now
    })
}

/// One product in the bag, at one store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BagLine {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub image: String,
    pub quantity: u32,
    /// The store's price now.
    pub price: Money,
    /// The store's price when the line was added.
    pub added_price: Money,
    pub stock: StockLevel,
    /// Units the store has: a line above it cannot be checked out as is.
    pub units: u32,
    /// Kept from a screen in the store.
    pub seen_in_store: bool,
}

impl BagLine {
    pub fn drop(&self) -> Option<Money> {
        price_drop(self.added_price, self.price)
    }

    pub fn total(&self) -> Money {
        self.price.times(self.quantity).unwrap_or(self.price)
    }

    pub fn short_of_stock(&self) -> bool {
        self.quantity > self.units
    }
}

/// The lines of one store, and what they cost there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreBag {
    pub store_slug: String,
    pub store_name: String,
    pub lines: Vec<BagLine>,
}

impl StoreBag {
    pub fn subtotal(&self) -> Money {
        self.lines
            .iter()
            .map(BagLine::total)
            .try_fold(Money::cny(0), Money::checked_add)
            .unwrap_or(Money::cny(0))
    }

    pub fn count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bag {
    pub stores: Vec<StoreBag>,
}

impl Bag {
    pub fn count(&self) -> u32 {
        self.stores.iter().map(StoreBag::count).sum()
    }
}

/// A price drop the shopper has not been told about yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DropNotice {
    pub name: String,
    pub store_name: String,
    pub was: Money,
    pub now: Money,
}

/// What every page shows of the bag: its count, news of price drops, and the guide the
/// shopper's visit is credited to (name, store), if any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BagSummary {
    pub count: u32,
    /// A signed-in member's unread messages.
    pub unread: u32,
    pub drops: Vec<DropNotice>,
    pub guide: Option<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_and_bounded() {
        assert_eq!(Quantity::parse(" 3 ").unwrap().get(), 3);
        assert_eq!(Quantity::parse("99").unwrap().get(), 99);
        assert_eq!(Quantity::parse("0"), Err(QuantityError::OutOfRange));
        assert_eq!(Quantity::parse("100"), Err(QuantityError::OutOfRange));
        assert_eq!(Quantity::parse("-1"), Err(QuantityError::OutOfRange));
        assert_eq!(Quantity::parse("1.5"), Err(QuantityError::NotANumber));
        assert_eq!(Quantity::parse(""), Err(QuantityError::NotANumber));
        assert_eq!(
            Quantity::parse("99999999999999999999"),
            Err(QuantityError::NotANumber)
        );
    }

    #[test]
    fn a_drop_is_only_a_lower_price() {
        assert_eq!(
            price_drop(Money::cny(1290), Money::cny(990)),
            Some(Money::cny(300))
        );
        assert_eq!(price_drop(Money::cny(990), Money::cny(990)), None);
        assert_eq!(price_drop(Money::cny(990), Money::cny(1290)), None);
    }

    fn line(quantity: u32, price: i64, added: i64, units: u32) -> BagLine {
        BagLine {
            sku: "HC100101".into(),
            name: "苹果".into(),
            unit: "1 kg".into(),
            image: "/img/p.svg".into(),
            quantity,
            price: Money::cny(price),
            added_price: Money::cny(added),
            stock: StockLevel::of(i64::from(units)),
            units,
            seen_in_store: false,
        }
    }

    #[test]
    fn totals_add_up_per_store_and_overall() {
        let a = StoreBag {
            store_slug: "sh-a".into(),
            store_name: "A".into(),
            lines: vec![line(2, 1290, 1290, 10), line(3, 500, 600, 2)],
        };
        assert_eq!(a.subtotal(), Money::cny(2 * 1290 + 3 * 500));
        assert_eq!(a.count(), 5);
        assert_eq!(a.lines[1].drop(), Some(Money::cny(100)));
        assert!(a.lines[1].short_of_stock());
        assert!(!a.lines[0].short_of_stock());
        let bag = Bag {
            stores: vec![a.clone(), a],
        };
        assert_eq!(bag.count(), 10);
    }
}
