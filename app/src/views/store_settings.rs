//! What the console's delivery and pick-up settings page shows (shared): the settings as
//! the form's fields show them, the pause, the coming windows with their bookings, and the
//! special days.

use crate::views::checkout::DayLabel;
use crate::views::console::ConsoleFrame;
use crate::views::stores::{PauseNotice, SpecialDayNotice};
use serde::{Deserialize, Serialize};

/// The field a special day's removal is refused beside: the list as a whole (a day that
/// is not there has no row to say it beside). The server's refusal and the page's note
/// both name it by this.
pub const REMOVE_FIELD: &str = "remove_date";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSettings {
    pub frame: ConsoleFrame,
    /// Each setting as stored, written as its field takes it (`6.00`, `2.5`).
    pub window_capacity: String,
    pub delivery_radius_km: String,
    pub delivery_fee: String,
    pub free_delivery_from: String,
    pub pickup_lead_min: String,
    /// Pick-ups may be paid at the till (the shopper chooses at checkout).
    pub pay_at_store: bool,
    /// New orders paused now.
    pub pause: Option<PauseNotice>,
    /// Today's and tomorrow's windows that have not ended.
    pub windows: Vec<WindowCapacityRow>,
    pub special_days: Vec<SpecialDayNotice>,
    /// The store's local date (`YYYY-MM-DD`): the earliest a special day may be.
    pub today: String,
}

/// One delivery window and its bookings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowCapacityRow {
    pub starts_at: i64,
    pub day: DayLabel,
    /// `18:00–19:00`.
    pub time: String,
    pub booked: i64,
    pub capacity: i64,
}
