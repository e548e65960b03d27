//! WGS-84 coordinates (what phone browsers report) and great-circle distance. Shared.

use serde::{Deserialize, Serialize};

/// Mean Earth radius used by the haversine formula, in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize,
)]
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

    /// Reads `lat,lon` in decimal degrees, as the location cookie stores it.
    pub fn parse_pair(s: &str) -> Option<LatLon> {
        let (lat, lon) = s.split_once(',')?;
        LatLon::new(lat.trim().parse().ok()?, lon.trim().parse().ok()?).ok()
    }

    /// `lat,lon` with 5 decimals (about a metre): the inverse of [`LatLon::parse_pair`].
    pub fn pair(self) -> String {
        format!("{:.5},{:.5}", self.lat, self.lon)
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

/// A latitude/longitude rectangle in degrees (inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    pub fn contains(&self, p: LatLon) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lon..=self.max_lon).contains(&p.lon)
    }
}

/// Half the Earth's circumference: no two points are farther apart than this.
pub const MAX_DISTANCE_M: f64 = std::f64::consts::PI * EARTH_RADIUS_M;

impl LatLon {
    /// The smallest rectangle holding every point within `radius_m` of `self` (on the
    /// haversine sphere). Near a pole or across the antimeridian it widens to all
    /// longitudes, which stays correct, merely less selective.
    pub fn bounding_box(self, radius_m: f64) -> BoundingBox {
        let angular = (radius_m / EARTH_RADIUS_M).max(0.0);
        let dlat = angular.to_degrees();
        let (min_lat, max_lat) = (self.lat - dlat, self.lat + dlat);
        let whole = BoundingBox {
            min_lat: min_lat.max(-90.0),
            max_lat: max_lat.min(90.0),
            min_lon: -180.0,
            max_lon: 180.0,
        };
        if min_lat <= -90.0 || max_lat >= 90.0 || angular >= std::f64::consts::FRAC_PI_2 {
            return whole;
        }
        // The widest longitude reached by a circle of angular radius `angular`.
        let ratio = angular.sin() / self.lat.to_radians().cos();
        if ratio >= 1.0 {
            return whole;
        }
        // A hair of slack absorbs floating-point rounding at the rim.
        let dlon = ratio.asin().to_degrees() * (1.0 + 1e-9) + 1e-9;
        let (min_lon, max_lon) = (self.lon - dlon, self.lon + dlon);
        if min_lon < -180.0 || max_lon > 180.0 {
            return whole;
        }
        BoundingBox {
            min_lat,
            max_lat,
            min_lon,
            max_lon,
        }
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
    fn pairs_round_trip() {
        let p = LatLon::new(31.22361, 121.44571).unwrap();
        assert_eq!(LatLon::parse_pair(&p.pair()), Some(p));
        assert_eq!(LatLon::parse_pair("91,0"), None);
        assert_eq!(LatLon::parse_pair("NaN,1"), None);
        assert_eq!(LatLon::parse_pair("31.2"), None);
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
    fn bounding_boxes_hold_their_circle() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2_000 {
            let center = LatLon::new(next() * 178.0 - 89.0, next() * 360.0 - 180.0).unwrap();
            let radius = 10f64.powf(next() * 7.0); // 1 m … 10,000 km
            let bbox = center.bounding_box(radius);
            // Points on the rim, all around, are inside the box.
            for k in 0..36 {
                let bearing = (k as f64 * 10.0).to_radians();
                let (lat1, lon1, d) = (
                    center.lat.to_radians(),
                    center.lon.to_radians(),
                    radius * 0.999_999 / EARTH_RADIUS_M,
                );
                let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * bearing.cos()).asin();
                let lon2 = lon1
                    + (bearing.sin() * d.sin() * lat1.cos())
                        .atan2(d.cos() - lat1.sin() * lat2.sin());
                let lon2 = (lon2.to_degrees() + 540.0) % 360.0 - 180.0;
                let rim = LatLon {
                    lat: lat2.to_degrees(),
                    lon: lon2,
                };
                assert!(
                    bbox.contains(rim),
                    "{center:?} r={radius} rim {rim:?} outside {bbox:?}"
                );
            }
        }
    }

    #[test]
    fn bounding_box_is_tight_where_it_can_be() {
        let jingan = LatLon::new(31.2236, 121.4457).unwrap();
        let b = jingan.bounding_box(1_000.0);
        assert!((b.max_lat - b.min_lat - 0.018).abs() < 0.001, "{b:?}");
        assert!(b.max_lon - b.min_lon < 0.025, "{b:?}");
        let pole = LatLon::new(89.99, 0.0).unwrap().bounding_box(5_000.0);
        assert_eq!(
            (pole.min_lon, pole.max_lon, pole.max_lat),
            (-180.0, 180.0, 90.0)
        );
        let dateline = LatLon::new(0.0, 179.99).unwrap().bounding_box(5_000.0);
        assert_eq!((dateline.min_lon, dateline.max_lon), (-180.0, 180.0));
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_distance(846.0, false), "850 m");
        assert_eq!(format_distance(1234.0, false), "1.2 km");
        assert_eq!(format_distance(846.0, true), "850米");
        assert_eq!(format_distance(12_345.0, true), "12.3公里");
    }
}
