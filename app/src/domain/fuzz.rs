//! Randomised input for every parser that reads text from a request or a data file: none
//! may panic, and whatever they accept must round-trip. Test-only.

use super::geo::LatLon;
use super::hours::WeeklyHours;
use super::lang::Lang;
use super::product::Sku;
use super::store::StoreSlug;

/// xorshift64*, seeded, so a failure names its input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Text biased towards the characters the grammars care about, plus anything else.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "mon", "tue", "sun", "-", " ", ";", ":", "24h", "00", "23", "24", "59", "60", "99",
            "08:00", "22:00", ",", "q=", "0.5", "en", "zh-CN", "*", "NaN", "inf", "-90", "91",
            "1e308", "%", "_", "\\", "'", "牛", "\u{0}", "é", "HC", "sh-", "\u{200b}", "..", "a",
        ];
        let len = self.next() % 12;
        (0..len)
            .map(|_| match self.next() % 5 {
                0 => char::from_u32((self.next() % 0x3_0000) as u32)
                    .unwrap_or('x')
                    .to_string(),
                _ => PIECES[(self.next() % PIECES.len() as u64) as usize].to_owned(),
            })
            .collect()
    }
}

#[test]
fn parsers_never_panic_and_round_trip_what_they_accept() {
    let mut rng = Rng(0xf022_5eed);
    for _ in 0..50_000 {
        let s = rng.text();
        if let Ok(hours) = WeeklyHours::parse(&s) {
            assert_eq!(WeeklyHours::parse(&hours.to_string()), Ok(hours), "{s:?}");
        }
        let _ = Lang::negotiate(&s);
        if let Some(lang) = Lang::from_tag(&s) {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        if let Some(p) = LatLon::parse_pair(&s) {
            assert!(LatLon::new(p.lat, p.lon).is_ok(), "{s:?}");
            let _ = p.bounding_box(1_000.0);
        }
        if let Some(sku) = Sku::parse(&s) {
            assert_eq!(Sku::parse(sku.as_str()).as_ref(), Some(&sku));
        }
        if let Some(slug) = StoreSlug::parse(&s) {
            assert_eq!(slug.as_str(), s);
        }
    }
}
