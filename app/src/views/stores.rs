//! What the nearby-stores page shows: places to search near and the stores found (shared).

use crate::domain::geo::LatLon;
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
