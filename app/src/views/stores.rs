//! What the nearby-stores page shows: places to search near and the stores found; and
//! what a store's page and its checkout say of its pause and special days (shared).

use crate::domain::console::PauseScope;
use crate::domain::geo::LatLon;
use crate::domain::hours::Interval;
use crate::domain::store::StoreCard;
use serde::{Deserialize, Serialize};

/// A city or district to search near when the browser gives no location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// `shanghai` or `shanghai/静安区`: the value the pickers send.
    pub key: String,
    pub name: String,
    pub center: LatLon,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearbyPage {
    /// The point the list is for, when there is one.
    pub origin: Option<LatLon>,
    /// Which picker entry it came from, if any.
    pub place: Option<String>,
    pub stores: Vec<StoreCard>,
    pub cities: Vec<Place>,
    pub districts: Vec<Place>,
    /// Why the given point was refused (the page answers 400 and offers the pickers).
    pub problem: Option<String>,
}

/// New orders paused: what is stopped, and until when in the store's local time (`18:30`,
/// `明天 01:00`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseNotice {
    pub scope: PauseScope,
    pub until: String,
}

/// A special day as shoppers and staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDayNotice {
    /// `2026-12-25`, as the forms send it.
    pub date: String,
    /// Said when shown: today, tomorrow, or `周五 12月25日` / `Fri 25 Dec`.
    pub day: crate::views::checkout::DayLabel,
    /// `None`: closed all day.
    pub hours: Option<Interval>,
}

/// What a store's page says beside its usual hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreNotices {
    pub pause: Option<PauseNotice>,
    /// The coming special days, soonest first.
    pub special_days: Vec<SpecialDayNotice>,
}
