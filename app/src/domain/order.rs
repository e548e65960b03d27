//! Orders: how they are fulfilled, where they are in their life, the delivery fee, and
//! the checkout form's own fields (contact name, phone, address). Shared.

use super::money::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// 定时送: delivered in a chosen window.
    Delivery,
    /// 门店自提: collected from the store with a pick-up code.
    Pickup,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Delivery => "delivery",
            Mode::Pickup => "pickup",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "delivery" => Some(Mode::Delivery),
            "pickup" => Some(Mode::Pickup),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Placed,
    Preparing,
    Ready,
    OutForDelivery,
    Completed,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Placed => "placed",
            Status::Preparing => "preparing",
            Status::Ready => "ready",
            Status::OutForDelivery => "out_for_delivery",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Placed,
            Status::Preparing,
            Status::Ready,
            Status::OutForDelivery,
            Status::Completed,
            Status::Cancelled,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// The shopper may still cancel: nothing has been picked yet.
    pub fn cancellable(self) -> bool {
        self == Status::Placed
    }

    /// The next step a store moves the order to.
    pub fn next(self, mode: Mode) -> Option<Status> {
        match (self, mode) {
            (Status::Placed, _) => Some(Status::Preparing),
            (Status::Preparing, Mode::Pickup) => Some(Status::Ready),
            (Status::Preparing, Mode::Delivery) => Some(Status::OutForDelivery),
            (Status::OutForDelivery, _) => Some(Status::Completed),
            _ => None,
        }
    }
}

/// A stored value that names no known variant (a newer server's, or a damaged row).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl TryFrom<String> for Mode {
    type Error = UnknownValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Mode::parse(&value).ok_or(UnknownValue {
            kind: "mode",
            value,
        })
    }
}

impl TryFrom<String> for Status {
    type Error = UnknownValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Status::parse(&value).ok_or(UnknownValue {
            kind: "status",
            value,
        })
    }
}

impl TryFrom<String> for super::money::Currency {
    type Error = UnknownValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        super::money::Currency::parse(&value).ok_or(UnknownValue {
            kind: "currency",
            value,
        })
    }
}

/// What a store starts with (the `stores` columns' defaults): delivery free from ¥59,
/// below that ¥6. Each store sets its own ([`DeliveryPricing`]).
pub const FREE_DELIVERY_FROM: Money = Money::cny(5_900);
pub const DELIVERY_FEE: Money = Money::cny(600);

/// A store's delivery charge: `fee` below `free_from`, nothing from it on. A fee of 0, or
/// a threshold of 0, makes every delivery free.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryPricing {
    pub fee: Money,
    pub free_from: Money,
}

impl DeliveryPricing {
    pub const DEFAULT: DeliveryPricing = DeliveryPricing {
        fee: DELIVERY_FEE,
        free_from: FREE_DELIVERY_FROM,
    };

    /// The fee for a delivery of `subtotal`.
    pub fn fee_for(self, subtotal: Money) -> Money {
        if subtotal.minor >= self.free_from.minor {
            Money::cny(0)
        } else {
            self.fee
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize,
)]
pub enum FieldError {
    #[error("required")]
    Missing,
    #[error("too long")]
    TooLong,
    #[error("not a mainland mobile number")]
    BadPhone,
}

/// A name to call at the door or the counter: 1–32 characters, trimmed.
pub fn parse_name(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    match s.chars().count() {
        0 => Err(FieldError::Missing),
        n if n > 32 || s.chars().any(char::is_control) => Err(FieldError::TooLong),
        _ => Ok(s.to_owned()),
    }
}

/// A mainland China mobile number: 11 digits starting 1[3-9]; spaces, dashes and a
/// leading +86 are accepted and dropped.
pub fn parse_phone(s: &str) -> Result<String, FieldError> {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Err(FieldError::Missing);
    }
    let digits = digits.strip_prefix("+86").unwrap_or(&digits);
    let ok = digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    if ok {
        Ok(digits.to_owned())
    } else {
        Err(FieldError::BadPhone)
    }
}

/// The street, building and door: 2–120 characters.
pub fn parse_address(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    match s.chars().count() {
        0 => Err(FieldError::Missing),
        1 => Err(FieldError::Missing),
        n if n > 120 || s.chars().any(char::is_control) => Err(FieldError::TooLong),
        _ => Ok(s.to_owned()),
    }
}

/// An order's id as a form or a link names it: trimmed and upper-cased, 1–32 ASCII
/// letters and digits (every id is `CS` and 12 of Crockford base32). Anything else names
/// no order and is never looked up: PostgreSQL refuses a NUL in a parameter outright.
pub fn parse_order_id(s: &str) -> Option<String> {
    let id = s.trim().to_ascii_uppercase();
    let ok = (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then_some(id)
}

/// The form's idempotency key: 16–64 of `A-Za-z0-9_-`.
pub fn parse_idempotency_key(s: &str) -> Option<&str> {
    let ok = (16..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_is_free_from_the_threshold() {
        let usual = DeliveryPricing::DEFAULT;
        assert_eq!(usual.fee_for(Money::cny(5_899)), DELIVERY_FEE);
        assert_eq!(usual.fee_for(Money::cny(5_900)), Money::cny(0));
        let always_free = DeliveryPricing {
            fee: Money::cny(800),
            free_from: Money::cny(0),
        };
        assert_eq!(always_free.fee_for(Money::cny(1)), Money::cny(0));
        let no_fee = DeliveryPricing {
            fee: Money::cny(0),
            free_from: Money::cny(9_900),
        };
        assert_eq!(no_fee.fee_for(Money::cny(100)), Money::cny(0));
    }

    #[test]
    fn phones_are_mainland_mobiles() {
        assert_eq!(parse_phone("138 0013 8000"), Ok("13800138000".into()));
        assert_eq!(parse_phone("+86-139-0000-0000"), Ok("13900000000".into()));
        assert_eq!(parse_phone(""), Err(FieldError::Missing));
        for bad in [
            "12800138000",
            "1380013800",
            "138001380000",
            "abc",
            "１３８００１３８０００",
        ] {
            assert_eq!(parse_phone(bad), Err(FieldError::BadPhone), "{bad}");
        }
    }

    #[test]
    fn order_ids_are_letters_and_digits() {
        assert_eq!(
            parse_order_id(" cs1tzhhm5ed91b "),
            Some("CS1TZHHM5ED91B".into())
        );
        let long = "A".repeat(33);
        for bad in ["", "CS1\u{0}2", "CS-1", "<script>", "１２", long.as_str()] {
            assert_eq!(parse_order_id(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn names_and_addresses_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  王小明 "), Ok("王小明".into()));
        assert_eq!(parse_name("   "), Err(FieldError::Missing));
        assert_eq!(parse_name(&"名".repeat(33)), Err(FieldError::TooLong));
        assert_eq!(parse_name("a\u{0}b"), Err(FieldError::TooLong));
        assert_eq!(
            parse_address("南京西路 1699 号 5 楼"),
            Ok("南京西路 1699 号 5 楼".into())
        );
        assert_eq!(parse_address("x"), Err(FieldError::Missing));
    }

    #[test]
    fn statuses_round_trip_and_move_forward() {
        for s in [
            "placed",
            "preparing",
            "ready",
            "out_for_delivery",
            "completed",
            "cancelled",
        ] {
            assert_eq!(Status::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(Status::Placed.next(Mode::Pickup), Some(Status::Preparing));
        assert_eq!(Status::Preparing.next(Mode::Pickup), Some(Status::Ready));
        assert_eq!(
            Status::Preparing.next(Mode::Delivery),
            Some(Status::OutForDelivery)
        );
        assert_eq!(
            Status::Ready.next(Mode::Pickup),
            None,
            "collected only with the code"
        );
        assert!(Status::Placed.cancellable() && !Status::Preparing.cancellable());
    }

    #[test]
    fn idempotency_keys_are_bounded_tokens() {
        assert!(parse_idempotency_key("abcDEF0123456789").is_some());
        assert!(parse_idempotency_key("short").is_none());
        assert!(parse_idempotency_key("has space 0123456789").is_none());
    }
}
