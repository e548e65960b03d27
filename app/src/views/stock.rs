//! What the console's stock and prices pages show (shared): the store's offers, searched,
//! filtered and paged, each with its recent price changes; and a CSV import's preview —
//! the changes it would make and the lines it refuses.

use crate::domain::console::InputProblem;
use crate::domain::money::Money;
use crate::views::console::ConsoleFrame;
use serde::{Deserialize, Serialize};

/// At or below this many units an offer is "low stock" in the console's filter.
pub const LOW_STOCK_AT: i64 = 5;

/// Which offers the table lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockFilter {
    #[default]
    All,
    /// [`LOW_STOCK_AT`] or fewer (none included: those need restocking most).
    Low,
    /// None left.
    Out,
}

impl StockFilter {
    pub const ALL: [StockFilter; 3] = [StockFilter::All, StockFilter::Low, StockFilter::Out];

    /// As in the page's query (`?filter=low`); anything else is everything.
    pub fn parse(s: &str) -> Self {
        match s {
            "low" => StockFilter::Low,
            "out" => StockFilter::Out,
            _ => StockFilter::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StockFilter::All => "all",
            StockFilter::Low => "low",
            StockFilter::Out => "out",
        }
    }

    /// The most stock an offer listed may have (`None`: no bound).
    pub fn max_stock(self) -> Option<i64> {
        match self {
            StockFilter::All => None,
            StockFilter::Low => Some(LOW_STOCK_AT),
            StockFilter::Out => Some(0),
        }
    }
}

/// One price change as the history shows it: the price and list price set, by whom, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceChange {
    pub when: String,
    pub who: String,
    pub price: Money,
    pub list_price: Money,
}

/// One offer of the store, as the stock table lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLine {
    pub sku: String,
    pub name: String,
    pub price: Money,
    pub list_price: Money,
    pub stock: i64,
    /// Newest first, a few.
    pub history: Vec<PriceChange>,
}

/// `/staff/{store}/stock`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleStock {
    pub frame: ConsoleFrame,
    /// The search as typed (empty: none).
    pub query: String,
    pub filter: StockFilter,
    pub lines: Vec<StockLine>,
    /// How many offers match, over every page.
    pub total: u32,
    pub page: u32,
    pub pages: u32,
}

/// One row of an import that changes something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChange {
    pub line: usize,
    pub sku: String,
    pub name: String,
    /// The stock the preview saw, and the CSV's.
    pub stock_seen: i64,
    pub stock_to: i64,
    /// The stock now, when it moved since the preview (what applying makes of it:
    /// `now + (to - seen)`).
    pub stock_now: Option<i64>,
    pub price_now: Money,
    /// `None`: the price stays.
    pub price_to: Option<Money>,
    /// The list price raised to the new price, when the new price is above it.
    pub list_raised_to: Option<Money>,
}

/// A line of an import refused, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub line: usize,
    pub text: String,
    pub problem: InputProblem,
}

/// `/staff/{store}/stock/import/{id}`: a CSV's preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockImport {
    pub frame: ConsoleFrame,
    pub id: String,
    /// When it was applied, said for people (`None`: not yet).
    pub applied: Option<String>,
    /// At most a page's worth (see `changes_total`).
    pub changes: Vec<ImportChange>,
    pub changes_total: usize,
    pub problems: Vec<ImportProblem>,
    pub problems_total: usize,
}

impl StockImport {
    /// Whether the apply button is offered: unapplied, nothing refused, something to do.
    pub fn may_apply(&self) -> bool {
        self.applied.is_none() && self.problems_total == 0 && self.changes_total > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_from_the_query_and_back() {
        for f in StockFilter::ALL {
            assert_eq!(StockFilter::parse(f.as_str()), f);
        }
        assert_eq!(StockFilter::parse("nonsense"), StockFilter::All);
        assert_eq!(StockFilter::Low.max_stock(), Some(5));
        assert_eq!(StockFilter::Out.max_stock(), Some(0));
        assert_eq!(StockFilter::All.max_stock(), None);
    }
}
