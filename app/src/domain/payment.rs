//! How an order is paid and refunded: its payment state, the way it was paid, its refunds.
//! Shared: the order page and the till show them. The rules that move money are the
//! server's (`ssr::payments`); here are only the names and the arithmetic.

use serde::{Deserialize, Serialize};

/// Where an order's money stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Payment {
    /// The app takes no payment for this order (payment is off, or it predates it).
    None,
    /// Placed and holding its stock, window and coupon until the hold ends.
    Awaiting,
    /// Paid (online, or at the till).
    Paid,
    /// A pick-up to be paid at the store when collected.
    AtStore,
    /// The hold ended unpaid: everything it held went back.
    Expired,
}

impl Payment {
    pub const ALL: [Payment; 5] = [
        Payment::None,
        Payment::Awaiting,
        Payment::Paid,
        Payment::AtStore,
        Payment::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Payment::None => "none",
            Payment::Awaiting => "awaiting",
            Payment::Paid => "paid",
            Payment::AtStore => "at_store",
            Payment::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Payment> {
        Payment::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The store may work on the order: it is paid, or it will be paid at the till, or
    /// the app takes no payment for it. An order awaiting payment waits.
    pub fn lets_store_start(self) -> bool {
        matches!(self, Payment::None | Payment::Paid | Payment::AtStore)
    }

    /// The shopper can still pay online (a pay-at-store order may be paid ahead, too).
    pub fn payable(self) -> bool {
        matches!(self, Payment::Awaiting | Payment::AtStore)
    }
}

/// How the money was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaidMethod {
    /// Through the payment provider (on the phone, or scanned at the till).
    Online,
    Cash,
    Card,
}

impl PaidMethod {
    pub const ALL: [PaidMethod; 3] = [PaidMethod::Online, PaidMethod::Cash, PaidMethod::Card];
    /// What a till may record by hand (online payments are recorded by the provider).
    pub const AT_TILL: [PaidMethod; 2] = [PaidMethod::Cash, PaidMethod::Card];

    pub fn as_str(self) -> &'static str {
        match self {
            PaidMethod::Online => "online",
            PaidMethod::Cash => "cash",
            PaidMethod::Card => "card",
        }
    }

    pub fn parse(s: &str) -> Option<PaidMethod> {
        PaidMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Why money went back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundReason {
    /// The shopper cancelled a paid order.
    ShopperCancel,
    /// The store cancelled it.
    StoreCancel,
    /// The store could not pick some of a line.
    Short,
    /// The payment arrived after the hold had ended and what it held could not be taken
    /// again.
    LatePayment,
    /// A second payment of an order already paid (at the till, then online): it goes back
    /// whole, and the order's own payment stands.
    Duplicate,
}

impl RefundReason {
    pub const ALL: [RefundReason; 5] = [
        RefundReason::ShopperCancel,
        RefundReason::StoreCancel,
        RefundReason::Short,
        RefundReason::LatePayment,
        RefundReason::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundReason::ShopperCancel => "shopper_cancel",
            RefundReason::StoreCancel => "store_cancel",
            RefundReason::Short => "short",
            RefundReason::LatePayment => "late_payment",
            RefundReason::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<RefundReason> {
        RefundReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A refund's progress: asked of the provider, then confirmed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundState {
    Pending,
    Refunded,
}

impl RefundState {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundState::Pending => "pending",
            RefundState::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<RefundState> {
        [RefundState::Pending, RefundState::Refunded]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Points for what was finally paid: one per whole yuan of the total less its refunds.
pub fn points_for(total_minor: i64, refunded_minor: i64) -> i64 {
    (total_minor - refunded_minor).max(0) / 100
}

/// What a short line gives back: its price for each unit short, but never more than is
/// left of the payment (a coupon's discount is kept by the order, not the line).
pub fn short_refund(price_minor: i64, short: i64, paid_minor: i64, refunded_minor: i64) -> i64 {
    price_minor
        .saturating_mul(short.max(0))
        .min((paid_minor - refunded_minor).max(0))
}

/// Seconds left on a hold at `now`, 0 once it has ended.
pub fn hold_left(pay_by: i64, now: i64) -> i64 {
    (pay_by - now).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Payment::ALL {
            assert_eq!(Payment::parse(p.as_str()), Some(p));
        }
        for m in PaidMethod::ALL {
            assert_eq!(PaidMethod::parse(m.as_str()), Some(m));
        }
        for r in RefundReason::ALL {
            assert_eq!(RefundReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(RefundState::parse("refunded"), Some(RefundState::Refunded));
        assert_eq!(Payment::parse("PAID"), None);
        assert_eq!(PaidMethod::parse(""), None);
    }

    #[test]
    fn only_an_unpaid_online_order_holds_the_store_back() {
        assert!(!Payment::Awaiting.lets_store_start());
        assert!(!Payment::Expired.lets_store_start());
        assert!(Payment::Paid.lets_store_start());
        assert!(Payment::AtStore.lets_store_start());
        assert!(Payment::None.lets_store_start());
        assert!(Payment::Awaiting.payable() && Payment::AtStore.payable());
        assert!(!Payment::Paid.payable() && !Payment::Expired.payable());
    }

    #[test]
    fn points_and_short_refunds_are_whole_and_bounded() {
        assert_eq!(points_for(12_399, 0), 123);
        assert_eq!(points_for(12_399, 2_400), 99);
        assert_eq!(points_for(100, 500), 0);
        assert_eq!(short_refund(1_250, 2, 10_000, 0), 2_500);
        assert_eq!(short_refund(1_250, 2, 10_000, 9_000), 1_000);
        assert_eq!(short_refund(1_250, -1, 10_000, 0), 0);
        assert_eq!(short_refund(i64::MAX, 3, 10_000, 0), 10_000);
        assert_eq!(hold_left(1_000, 400), 600);
        assert_eq!(hold_left(1_000, 1_400), 0);
    }
}
