//! Randomised input for every parser that reads text from a request or a data file: none
//! may panic, and whatever they accept must round-trip. Test-only.

use super::bag::Quantity;
use super::geo::LatLon;
use super::hours::WeeklyHours;
use super::lang::Lang;
use super::order::{self, Mode, Status};
use super::product::Sku;
use super::redirect;
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
            "138", "0013", "+86", "1", "9", "pickup", "delivery", ".", "ok", "err", "/", "//",
            "%2F", "%2f", "%5C", "%09", "%0A", "%25", "?", "#", "\t", "\n", "\u{7f}",
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
        if let Ok(q) = Quantity::parse(&s) {
            assert!((1..=99).contains(&q.get()), "{s:?}");
        }
        if let Ok(phone) = order::parse_phone(&s) {
            assert_eq!(order::parse_phone(&phone), Ok(phone.clone()), "{s:?}");
            assert_eq!(phone.len(), 11);
        }
        if let Ok(name) = order::parse_name(&s) {
            assert_eq!(order::parse_name(&name), Ok(name.clone()));
        }
        if let Ok(address) = order::parse_address(&s) {
            assert_eq!(order::parse_address(&address), Ok(address.clone()));
        }
        if let Some(key) = order::parse_idempotency_key(&s) {
            assert_eq!(key, s);
        }
        if let Some(mode) = Mode::parse(&s) {
            assert_eq!(mode.as_str(), s);
        }
        if let Some((device, otp)) = super::member_code::parse(&s) {
            assert_eq!(device.len(), 8);
            assert!(otp < 1_000_000);
        }
        if let Some(status) = Status::parse(&s) {
            assert_eq!(status.as_str(), s);
        }
        redirect_target_stays_on_site(&s);
        redirect_target_stays_on_site(&format!("/{s}"));
    }
}

/// Whatever [`redirect::local_path`] lets through is a header-safe path on this site, and
/// passing it through again changes nothing.
fn redirect_target_stays_on_site(s: &str) {
    let Some(path) = redirect::local_path(s) else {
        return;
    };
    let bytes = path.as_bytes();
    assert!(bytes.len() <= redirect::MAX_LEN, "{s:?}");
    assert!(
        bytes.iter().all(|b| (0x21..0x7f).contains(b)),
        "{s:?} -> {path:?}"
    );
    assert!(bytes[0] == b'/' && bytes.get(1) != Some(&b'/'), "{s:?}");
    assert!(!path.contains('\\'), "{s:?}");
    let decoded = percent_encoding::percent_decode_str(&path).collect::<Vec<u8>>();
    assert!(!decoded.starts_with(b"//"), "{s:?}");
    assert!(decoded.iter().all(|b| *b >= 0x20 && *b != 0x7f), "{s:?}");
    assert_eq!(
        redirect::local_path(&path).as_deref(),
        Some(&*path),
        "{s:?}"
    );
}
