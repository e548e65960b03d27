//! What the appointment pages show (shared): a store's services with their free slots,
//! a member's bookings with their codes, and the console's services and today's bookings.

use crate::domain::appointments::BookingStatus;
use crate::views::checkout::DayLabel;
use crate::views::console::ConsoleFrame;
use serde::{Deserialize, Serialize};

/// `/s/{store}/services`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesPage {
    pub store_name: String,
    pub store_slug: String,
    /// A member is signed in (only members book).
    pub member: bool,
    /// The services taking bookings.
    pub services: Vec<ServiceView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub key: String,
    pub name: String,
    pub duration_min: i64,
    /// The slots that can still be booked, grouped by day.
    pub days: Vec<SlotDay>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotDay {
    pub day: DayLabel,
    pub slots: Vec<SlotOption>,
}

/// One slot: its start (the form's value), its time of day, and the places left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOption {
    pub starts_at: i64,
    /// `10:30`.
    pub time: String,
    pub left: i64,
}

/// `/member/bookings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBookings {
    /// `false`: nobody is signed in (the page links to `/member`).
    pub member: bool,
    pub bookings: Vec<BookingView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingView {
    pub id: String,
    pub store_name: String,
    pub store_slug: String,
    pub service: String,
    pub duration_min: i64,
    /// `明天 10:00`, in the store's time.
    pub when: String,
    pub status: BookingStatus,
    /// A live booking's code (10 digits) and its QR as inline SVG.
    pub code: Option<String>,
    pub qr_svg: Option<String>,
    /// A live booking not started yet: the service's other free slots to move to.
    pub changeable: bool,
    pub move_to: Vec<SlotDay>,
}

/// `/staff/{store}/services`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleServices {
    pub frame: ConsoleFrame,
    pub services: Vec<ConsoleServiceRow>,
    /// The store's local date (`2026-12-04`).
    pub today: String,
    pub bookings: Vec<ConsoleBookingRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleServiceRow {
    pub key: String,
    pub name: String,
    pub duration_min: i64,
    pub capacity: i64,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleBookingRow {
    /// `10:30`.
    pub time: String,
    pub service: String,
    /// The member's number, masked.
    pub member: String,
    pub status: BookingStatus,
}
