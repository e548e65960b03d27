//! What the checkout, order and till pages show (shared by server and browser).

use crate::domain::bag::StoreBag;
use crate::domain::i18n::Text;
use crate::domain::money::Money;
use crate::domain::order::{Mode, Status};
use crate::domain::store::StoreCard;
use serde::{Deserialize, Serialize};

/// The checkout form's fields: their `name=` on the page, the parser's field, and the
/// key of a message beside them, defined once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutField {
    Store,
    Key,
    Mode,
    PickupAt,
    Place,
    Address,
    Window,
    Name,
    Phone,
    Coupon,
    Pay,
}

impl CheckoutField {
    pub const ALL: [CheckoutField; 11] = [
        CheckoutField::Store,
        CheckoutField::Key,
        CheckoutField::Mode,
        CheckoutField::PickupAt,
        CheckoutField::Place,
        CheckoutField::Address,
        CheckoutField::Window,
        CheckoutField::Name,
        CheckoutField::Phone,
        CheckoutField::Coupon,
        CheckoutField::Pay,
    ];

    /// The form field's `name`.
    pub const fn name(self) -> &'static str {
        match self {
            CheckoutField::Store => "store",
            CheckoutField::Key => "key",
            CheckoutField::Mode => "mode",
            CheckoutField::PickupAt => "pickup_at",
            CheckoutField::Place => "place",
            CheckoutField::Address => "address",
            CheckoutField::Window => "window",
            CheckoutField::Name => "name",
            CheckoutField::Phone => "phone",
            CheckoutField::Coupon => "coupon",
            CheckoutField::Pay => "pay",
        }
    }

    /// The id of the message shown beside the field (for `aria-describedby`).
    pub fn error_id(self) -> String {
        format!("{}-error", self.name())
    }
}

/// `POST /checkout/place` as sent: every field as text (the server parses each, and a
/// missing one is the same as an empty one). Field names are [`CheckoutField::name`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceForm {
    pub store: String,
    pub key: String,
    pub mode: String,
    pub pickup_at: String,
    pub place: String,
    pub address: String,
    pub window: String,
    pub name: String,
    pub phone: String,
    /// The member's coupon to use: its id, or `none` (absent: the best one).
    pub coupon: String,
    /// How to pay: `online` (the default) or `store` (a pick-up at a store that takes
    /// payment at the till).
    pub pay: String,
}

/// The checkout form as last posted, with what was wrong (kept for browsers without
/// JavaScript, which come back to the page after a post).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub mode: Option<Mode>,
    pub place: Option<String>,
    pub address: String,
    pub window: Option<i64>,
    pub pickup_at: Option<i64>,
    pub name: String,
    pub phone: String,
    /// The coupon chosen: its id, `none`, or empty (the best).
    #[serde(default)]
    pub coupon: String,
    /// The message for each field in error.
    pub errors: Vec<(CheckoutField, Text)>,
    /// A problem with the order as a whole (a window just filled, stock ran out).
    pub problem: Option<Text>,
    /// How the shopper chose to pay (`online`, `store`; empty: the default, online).
    #[serde(default)]
    pub pay: String,
}

impl Draft {
    pub fn error(&self, field: CheckoutField) -> Option<&Text> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m)
    }
}

/// A delivery window's day, said when the page renders: today, tomorrow, or a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayLabel {
    pub days_ahead: i64,
    /// Monday = 0.
    pub weekday: u8,
    pub month: u8,
    pub day: u8,
}

impl DayLabel {
    pub fn t(self, lang: crate::domain::lang::Lang) -> String {
        crate::domain::i18n::checkout::day_label(
            lang,
            self.days_ahead,
            usize::from(self.weekday),
            u32::from(self.month),
            u32::from(self.day),
        )
    }
}

/// A member's coupon offered at checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutCoupon {
    pub id: i64,
    pub title: String,
    /// "¥10 off ¥59", in the shopper's language.
    pub terms: String,
    /// What it takes off this bag; `None` when it can't be used on it.
    pub off: Option<Money>,
    /// Why it can't be used on this bag ("¥9.00 more to use it").
    pub why_not: Option<String>,
}

/// The most coupons checkout offers (usable first, then the best of the rest): the
/// totals for each are shown by the stylesheet, which knows this many places.
pub const COUPON_PLACES: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowOption {
    pub starts_at: i64,
    /// Windows are grouped by their day.
    pub day: DayLabel,
    /// `10:00–11:00`.
    pub time: String,
    pub full: bool,
    pub past_cutoff: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutPage {
    pub store: StoreCard,
    pub bag: Option<StoreBag>,
    pub windows: Vec<WindowOption>,
    pub pickup_times: Vec<(i64, String)>,
    pub earliest_pickup: Option<String>,
    /// Said when the store is closed now.
    pub closed_note: Option<String>,
    /// The store's city's districts it delivers to: (key, name).
    pub places: Vec<(String, String)>,
    /// The rest of its city's districts, beyond its radius (offered, marked as such).
    pub places_beyond: Vec<(String, String)>,
    /// The shopper shared a location this session.
    pub has_location: bool,
    pub draft: Draft,
    /// A fresh idempotency key for this rendering of the form.
    pub key: String,
    /// The store's fee for this bag's subtotal.
    pub delivery_fee: Money,
    /// From this subtotal delivery is free (`None`: delivery is always free here).
    pub free_delivery_from: Option<Money>,
    /// A signed-in member's coupons, usable ones first, the best first of all.
    pub coupons: Vec<CheckoutCoupon>,
    /// The store paused new orders (deliveries, or all) for now.
    pub pause: Option<crate::views::stores::PauseNotice>,
    /// The app takes payment (`None`: orders go to the store unpaid, as before).
    pub payment: Option<CheckoutPayment>,
}

/// How an order placed here is paid, as the checkout page says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutPayment {
    /// Whole minutes an unpaid order holds its items.
    pub hold_minutes: i64,
    /// The store lets pick-ups be paid at the till (the `pay` choice is offered).
    pub pay_at_store: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub sku: String,
    pub name: String,
    pub image: String,
    pub quantity: u32,
    pub price: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub store_slug: String,
    pub store_name: String,
    pub mode: Mode,
    pub status: Status,
    /// The window or the pick-up time, in the store's local time.
    pub when: String,
    pub address: Option<String>,
    pub contact: String,
    pub lines: Vec<OrderLineView>,
    pub subtotal: Money,
    pub delivery_fee: Money,
    pub discount: Money,
    pub total: Money,
    /// Pick-up: the code's digits and its QR (inline SVG), until collected.
    pub pickup_code: Option<String>,
    pub pickup_qr: Option<String>,
    /// The guide credited with the sale.
    pub guide: Option<String>,
    /// Cancelled by the store: the reason it gave.
    pub store_cancel_reason: Option<String>,
    /// How it is paid, and its refunds.
    pub money: OrderMoney,
}

/// An order's payment as its page (the receipt) shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderMoney {
    pub payment: crate::domain::payment::Payment,
    /// The app takes payment now and this order can be paid online (the pay button).
    pub can_pay: bool,
    /// Awaiting payment: when the hold ends (the store's local time) and the whole
    /// minutes left.
    pub pay_by: Option<String>,
    pub minutes_left: Option<i64>,
    /// Back from the provider, and its confirmation has not arrived yet: the page reloads
    /// itself every few seconds (a `<meta http-equiv=refresh>`, so without JavaScript too).
    pub confirming: bool,
    /// The page to look at again while confirming (the order with its `paying` time).
    pub check_again: Option<String>,
    /// Back from the provider, which says it is not paid (declined or given up).
    pub declined: bool,
    /// How and when it was paid.
    pub paid: Option<(crate::domain::payment::PaidMethod, String)>,
    pub refunds: Vec<RefundView>,
    /// The payment came after the order had ended, and is being sent back.
    pub late: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub id: String,
    pub amount: Money,
    pub reason: crate::domain::payment::RefundReason,
    pub state: crate::domain::payment::RefundState,
    /// When it was asked, or done (the store's local time).
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillOrder {
    pub id: String,
    pub mode: Mode,
    pub status: Status,
    pub when: String,
    pub items: u32,
    /// Its next step; `None` too while it waits for its online payment.
    pub next: Option<Status>,
    pub payment: crate::domain::payment::Payment,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillPage {
    pub store_slug: String,
    pub store_name: String,
    pub signed_in: bool,
    pub orders: Vec<TillOrder>,
    /// The collect form asks how the shopper paid (cash or card): the app takes payment,
    /// or an open order is still to be paid at the till.
    pub pay_at_till: bool,
    /// The member being served (after their code was accepted).
    pub member: Option<TillMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillMember {
    /// The signed token that names them to the till's next posts.
    pub token: String,
    pub phone: String,
    pub points: i64,
    pub coupons: Vec<crate::views::members::CouponView>,
}
