//! Stores: the typed store slug and the store views pages show. Shared by server and browser.

use super::geo::LatLon;
use super::hours::{OpenState, WeeklyHours};
use serde::{Deserialize, Serialize};

/// A store's URL name, e.g. `sh-jingan-temple`: 1–64 of `a-z`, `0-9`, `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StoreSlug(String);

impl StoreSlug {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-');
        ok.then(|| StoreSlug(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a store offers besides walk-in shopping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Services {
    /// Delivery radius in metres; 0 when the store does not deliver.
    pub delivery_radius_m: u32,
    /// Minutes to prepare a pick-up order.
    pub pickup_lead_min: u32,
}

/// A store as lists show it, with names already in the shopper's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreCard {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub location: LatLon,
    pub open: OpenState,
    pub services: Services,
    /// Metres from the point the list was made for, when there was one.
    pub distance_m: Option<f64>,
}

/// A store's full header: the card plus hours and contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreDetail {
    pub card: StoreCard,
    /// `None` when the stored hours cannot be read (the store then shows as closed).
    pub hours: Option<WeeklyHours>,
    pub phone: String,
    /// IANA time zone, e.g. `Asia/Shanghai`.
    pub time_zone: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_url_names() {
        assert!(StoreSlug::parse("sh-jingan-temple").is_some());
        assert!(StoreSlug::parse("urc-1").is_some());
        assert!(StoreSlug::parse("").is_none());
        assert!(StoreSlug::parse("-x").is_none());
        assert!(StoreSlug::parse("Sh-Jingan").is_none());
        assert!(StoreSlug::parse("a/b").is_none());
        assert!(StoreSlug::parse("静安").is_none());
        assert!(StoreSlug::parse(&"a".repeat(65)).is_none());
    }
}
