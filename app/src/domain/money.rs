//! Money in integer minor units (fen for CNY); never floats. Shared by server and browser.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The currencies the brand sells in. Only CNY today; the type keeps sums honest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    Cny,
}

impl Currency {
    /// ISO 4217 code, as schema.org and payment providers want it.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Cny => "¥",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "CNY" => Some(Currency::Cny),
            _ => None,
        }
    }
}

/// An amount of money: `minor` is in the currency's smallest unit (1 yuan = 100 fen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn cny(fen: i64) -> Self {
        Money {
            minor: fen,
            currency: Currency::Cny,
        }
    }

    /// `self × quantity`, or `None` on overflow.
    pub fn times(self, quantity: u32) -> Option<Money> {
        self.minor
            .checked_mul(i64::from(quantity))
            .map(|minor| Money { minor, ..self })
    }

    /// Sum of two amounts in the same currency; `None` on a currency mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money { minor, ..self })
    }

    /// The decimal amount without symbol, e.g. `12.90`, as schema.org's `price` wants it.
    pub fn decimal(self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Whole-percent saving of `self` against a higher `list` price (e.g. 20 for 20% off).
    pub fn percent_off(self, list: Money) -> Option<u8> {
        if list.currency != self.currency || list.minor <= 0 || self.minor >= list.minor {
            return None;
        }
        let saved = (list.minor - self.minor) * 100 / list.minor;
        u8::try_from(saved).ok().filter(|p| *p > 0)
    }
}

impl fmt::Display for Money {
    /// `¥12.90`; a negative amount is `-¥12.90`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decimal = self.decimal();
        match decimal.strip_prefix('-') {
            Some(abs) => write!(f, "-{}{abs}", self.currency.symbol()),
            None => write!(f, "{}{decimal}", self.currency.symbol()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_fen_as_yuan() {
        assert_eq!(Money::cny(1290).to_string(), "¥12.90");
        assert_eq!(Money::cny(5).to_string(), "¥0.05");
        assert_eq!(Money::cny(0).to_string(), "¥0.00");
        assert_eq!(Money::cny(-250).to_string(), "-¥2.50");
        assert_eq!(Money::cny(123_456_789).decimal(), "1234567.89");
    }

    #[test]
    fn multiplies_and_adds_without_overflow() {
        assert_eq!(Money::cny(1290).times(3), Some(Money::cny(3870)));
        assert_eq!(Money::cny(i64::MAX).times(2), None);
        assert_eq!(
            Money::cny(1).checked_add(Money::cny(2)),
            Some(Money::cny(3))
        );
        assert_eq!(Money::cny(i64::MAX).checked_add(Money::cny(1)), None);
    }

    #[test]
    fn percent_off_only_for_real_discounts() {
        assert_eq!(Money::cny(800).percent_off(Money::cny(1000)), Some(20));
        assert_eq!(Money::cny(1000).percent_off(Money::cny(1000)), None);
        assert_eq!(Money::cny(1200).percent_off(Money::cny(1000)), None);
        assert_eq!(
            Money::cny(999).percent_off(Money::cny(1000)),
            None,
            "0.1% rounds to nothing"
        );
        assert_eq!(Money::cny(1).percent_off(Money::cny(0)), None);
    }

    #[test]
    fn currency_codes_round_trip() {
        assert_eq!(Currency::parse(Currency::Cny.code()), Some(Currency::Cny));
        assert_eq!(Currency::parse("USD"), None);
    }
}
