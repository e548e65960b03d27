//! Coordinates as the location cookie and the "near me" form carry them
//! (`LatLon::parse_pair`): what is accepted is on the globe, prints back (`pair`) to
//! within rounding, and the nearby search's box and distance stay sane around it.
#![no_main]

use app::domain::geo::{LatLon, MAX_DISTANCE_M, format_distance};
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    let Some(p) = LatLon::parse_pair(s) else {
        return;
    };
    assert_eq!(LatLon::new(p.lat, p.lon), Ok(p), "{s:?}");
    let printed = p.pair();
    let back =
        LatLon::parse_pair(&printed).unwrap_or_else(|| panic!("{s:?} printed as {printed:?}"));
    assert!(
        (back.lat - p.lat).abs() <= 5.000_001e-6 && (back.lon - p.lon).abs() <= 5.000_001e-6,
        "{s:?} -> {p:?} -> {printed:?} -> {back:?}"
    );
    assert_eq!(LatLon::parse_pair(&back.pair()), Some(back), "{printed:?}");

    // Distances to Jing'an Temple, to itself once printed, and to its mirror image across
    // the equator.
    let shanghai = LatLon::new(31.2236, 121.4457).expect("a point");
    for other in [
        shanghai,
        back,
        LatLon {
            lat: -p.lat,
            lon: p.lon,
        },
    ] {
        let d = p.distance_m(other);
        assert!(
            d.is_finite() && (0.0..=MAX_DISTANCE_M * (1.0 + 1e-12)).contains(&d),
            "{p:?} to {other:?}: {d}"
        );
        let _ = format_distance(d, true);
        let _ = format_distance(d, false);
    }
    assert_eq!(p.distance_m(p), 0.0, "{p:?}");
    for radius_m in [0.0, 1.0, 850.0, 5_000.0, 50_000.0, 2_000_000.0, 3e7] {
        let b = p.bounding_box(radius_m);
        assert!(
            b.contains(p),
            "{p:?} outside its own box {b:?} (r = {radius_m})"
        );
        assert!(b.min_lat <= b.max_lat && b.min_lon <= b.max_lon, "{b:?}");
        assert!(b.min_lat >= -90.0 && b.max_lat <= 90.0, "{b:?}");
        assert!(b.min_lon >= -180.0 && b.max_lon <= 180.0, "{b:?}");
    }
});
