//! Geodetic datums (server): we store WGS-84, what phone browsers report. Coordinates
//! copied from Chinese map providers (Amap, Tencent) are GCJ-02, offset by a few hundred
//! metres; imports convert them with the `coordtransform` crate's refined inverse.

use crate::domain::geo::LatLon;

/// The datum a source's coordinates are in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datum {
    #[default]
    Wgs84,
    Gcj02,
}

/// The WGS-84 position of a point given in `datum`. Outside mainland China GCJ-02 equals
/// WGS-84, and the crate leaves such points unchanged.
pub fn to_wgs84(point: LatLon, datum: Datum) -> LatLon {
    match datum {
        Datum::Wgs84 => point,
        Datum::Gcj02 => {
            let (lon, lat) = coordtransform::gcj02_to_wgs84(point.lon, point.lat);
            LatLon { lat, lon }
        }
    }
}

/// The GCJ-02 position of a WGS-84 point (what a Chinese map app would show).
pub fn to_gcj02(point: LatLon) -> LatLon {
    let (lon, lat) = coordtransform::wgs84_to_gcj02(point.lon, point.lat);
    LatLon { lat, lon }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference pair published with the widely used coordtransform (JS) and
    // eviltransform libraries: WGS-84 (116.404, 39.915) ↔ GCJ-02 (116.41024449916938, 39.91640428150164).
    const WGS: LatLon = LatLon {
        lat: 39.915,
        lon: 116.404,
    };
    const GCJ: LatLon = LatLon {
        lat: 39.91640428150164,
        lon: 116.41024449916938,
    };

    #[test]
    fn matches_the_published_reference_pair() {
        let gcj = to_gcj02(WGS);
        assert!(
            (gcj.lat - GCJ.lat).abs() < 1e-9 && (gcj.lon - GCJ.lon).abs() < 1e-9,
            "{gcj:?}"
        );
        let back = to_wgs84(GCJ, Datum::Gcj02);
        assert!(
            back.distance_m(WGS) < 0.01,
            "{back:?} is {} m off",
            back.distance_m(WGS)
        );
    }

    #[test]
    fn the_offset_is_hundreds_of_metres_in_china_and_none_outside() {
        let jingan = LatLon {
            lat: 31.2236,
            lon: 121.4457,
        };
        let offset = to_gcj02(jingan).distance_m(jingan);
        assert!((300.0..800.0).contains(&offset), "{offset}");
        let london = LatLon {
            lat: 51.5074,
            lon: -0.1278,
        };
        assert_eq!(to_wgs84(london, Datum::Gcj02), london);
        assert_eq!(to_wgs84(jingan, Datum::Wgs84), jingan);
    }

    #[test]
    fn round_trips_across_the_country() {
        for (lat, lon) in [
            (39.9042, 116.4074),
            (23.1291, 113.2644),
            (22.5431, 114.0579),
            (30.2741, 120.1551),
            (43.8256, 87.6168),
        ] {
            let p = LatLon { lat, lon };
            assert!(to_wgs84(to_gcj02(p), Datum::Gcj02).distance_m(p) < 0.01);
        }
    }
}
