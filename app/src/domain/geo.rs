//! WGS-84 coordinates (what phone browsers report) and great-circle distance. Shared.

use serde::{Deserialize, Serialize};

/// Mean Earth radius used by the haversine formula, in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LatLonError {
    #[error("latitude must be a number between -90 and 90")]
    Latitude,
    #[error("longitude must be a number between -180 and 180")]
    Longitude,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Result<Self, LatLonError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(LatLonError::Latitude);
        }
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(LatLonError::Longitude);
        }
        Ok(LatLon { lat, lon })
    }

    /// Great-circle distance in metres (haversine on a sphere; < 0.5 % from the ellipsoid).
    pub fn distance_m(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// A distance for people: `850 m` / `1.2 km` (zh: `850米` / `1.2公里`).
pub fn format_distance(metres: f64, zh: bool) -> String {
    let m = metres.max(0.0);
    match (m < 1000.0, zh) {
        (true, true) => format!("{:.0}米", (m / 10.0).round() * 10.0),
        (true, false) => format!("{:.0} m", (m / 10.0).round() * 10.0),
        (false, true) => format!("{:.1}公里", m / 1000.0),
        (false, false) => format!("{:.1} km", m / 1000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_ranges() {
        assert!(LatLon::new(31.2, 121.4).is_ok());
        assert_eq!(LatLon::new(91.0, 0.0), Err(LatLonError::Latitude));
        assert_eq!(LatLon::new(f64::NAN, 0.0), Err(LatLonError::Latitude));
        assert_eq!(LatLon::new(0.0, 180.5), Err(LatLonError::Longitude));
        assert_eq!(LatLon::new(0.0, f64::INFINITY), Err(LatLonError::Longitude));
    }

    #[test]
    fn known_distances() {
        // People's Square to Jing'an Temple, Shanghai: about 2.7 km.
        let people_sq = LatLon::new(31.2304, 121.4737).unwrap();
        let jingan = LatLon::new(31.2236, 121.4457).unwrap();
        let d = people_sq.distance_m(jingan);
        assert!((2_600.0..2_800.0).contains(&d), "{d}");
        // Shanghai to Beijing: about 1,070 km.
        let beijing = LatLon::new(39.9042, 116.4074).unwrap();
        let d = people_sq.distance_m(beijing) / 1000.0;
        assert!((1_060.0..1_075.0).contains(&d), "{d}");
        assert_eq!(jingan.distance_m(jingan), 0.0);
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_distance(846.0, false), "850 m");
        assert_eq!(format_distance(1234.0, false), "1.2 km");
        assert_eq!(format_distance(846.0, true), "850米");
        assert_eq!(format_distance(12_345.0, true), "12.3公里");
    }
}
