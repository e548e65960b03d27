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

/// Why a decimal yuan amount (`"12.34"`) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum YuanError {
    #[error("the amount is negative")]
    Negative,
    #[error("not a plain decimal amount like 12.34")]
    Malformed,
    #[error("more than two decimals")]
    TooPrecise,
    #[error("the amount is too large")]
    Overflow,
}

/// `1234` fen as `"12.34"`: the text payment providers take (Alipay's `total_amount`).
/// Made from the integer, never through a float; a negative amount is refused.
pub fn format_yuan(fen: i64) -> Result<String, YuanError> {
    if fen < 0 {
        return Err(YuanError::Negative);
    }
    Ok(format!("{}.{:02}", fen / 100, fen % 100))
}

/// `"12.34"` (or `"12.3"`, `"12"`) as `1234` fen, exactly. Only ASCII digits with at most
/// one point and at most two decimals: no sign, exponent, whitespace or separators, and
/// nothing that does not fit an `i64` of fen. The text of a provider's amount is what was
/// signed, so it is read as written or refused, never rounded.
pub fn parse_yuan(text: &str) -> Result<i64, YuanError> {
    let (whole, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (text.contains('.') && !digits(decimals)) {
        return Err(YuanError::Malformed);
    }
    if decimals.len() > 2 {
        return Err(YuanError::TooPrecise);
    }
    let cents = decimals
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(2)
        .fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
    whole
        .bytes()
        .try_fold(0i64, |acc, b| {
            acc.checked_mul(10)?.checked_add(i64::from(b - b'0'))
        })
        .and_then(|yuan| yuan.checked_mul(100)?.checked_add(cents))
        .ok_or(YuanError::Overflow)
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

    #[test]
    fn yuan_text_is_made_from_integer_fen() {
        assert_eq!(format_yuan(1234).as_deref(), Ok("12.34"));
        assert_eq!(format_yuan(5).as_deref(), Ok("0.05"));
        assert_eq!(format_yuan(100).as_deref(), Ok("1.00"));
        assert_eq!(format_yuan(0).as_deref(), Ok("0.00"));
        assert_eq!(format_yuan(i64::MAX).as_deref(), Ok("92233720368547758.07"));
        assert_eq!(format_yuan(-1), Err(YuanError::Negative));
    }

    #[test]
    fn yuan_text_parses_exactly() {
        assert_eq!(parse_yuan("12.34"), Ok(1234));
        assert_eq!(parse_yuan("12.3"), Ok(1230));
        assert_eq!(parse_yuan("12"), Ok(1200));
        assert_eq!(parse_yuan("0.01"), Ok(1));
        assert_eq!(parse_yuan("0.00"), Ok(0));
        assert_eq!(parse_yuan("0.10"), Ok(10));
        assert_eq!(parse_yuan("92233720368547758.07"), Ok(i64::MAX));
    }

    #[test]
    fn yuan_text_that_is_not_plain_is_refused() {
        for bad in [
            "",
            ".",
            "12.",
            ".5",
            "-1.00",
            "+1.00",
            "1e3",
            "1E3",
            "1.2e1",
            " 1.00",
            "1.00 ",
            "1 000.00",
            "1,000.00",
            "1_000",
            "12.3.4",
            "0x10",
            "１２.34",
            "NaN",
            "inf",
            "1.-1",
        ] {
            assert_eq!(parse_yuan(bad), Err(YuanError::Malformed), "{bad:?}");
        }
        assert_eq!(parse_yuan("12.345"), Err(YuanError::TooPrecise));
        assert_eq!(parse_yuan("0.001"), Err(YuanError::TooPrecise));
        assert_eq!(parse_yuan("92233720368547758.08"), Err(YuanError::Overflow));
        assert_eq!(parse_yuan("99999999999999999999"), Err(YuanError::Overflow));
    }

    #[test]
    fn yuan_text_round_trips_over_many_amounts() {
        let mut state: u64 = 0x00c0_ffee;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let edges = (0..=1_000).chain([i64::MAX, i64::MAX - 1, 99, 100, 101, 99_999_999_999]);
        // Random amounts at every magnitude, not just small ones.
        let random = (0..20_000).map(|_| (next() >> (next() % 64)) as i64 & i64::MAX);
        for fen in edges.chain(random) {
            let text = format_yuan(fen).unwrap();
            assert_eq!(parse_yuan(&text), Ok(fen), "{text}");
            assert_eq!(text, Money::cny(fen).decimal());
        }
    }
}
