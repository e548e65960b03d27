//! The codes typed or scanned at a till or in a link: member codes
//! (`member_code::parse`, checked with `matching_step`), pick-up codes (`pickup_code`,
//! made from any order id) and guide codes (`guides::parse_code`). What is accepted has
//! the documented shape, a code made reads back to what made it, and a one-time code is
//! only accepted for a step within the skew.
#![no_main]

use app::domain::member_code::{self, DEVICE_DIGITS, OTP_DIGITS, SKEW_STEPS};
use app::ssr::checkout::pickup_code;
use app::ssr::guides;
use cloud_store_fuzz::{key, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = key();
    if let Some(s) = text(data) {
        if let Some((device, otp)) = member_code::parse(s) {
            assert!(
                device.len() == DEVICE_DIGITS && device.bytes().all(|b| b.is_ascii_digit()),
                "{s:?} -> {device:?}"
            );
            assert!(otp < 10u32.pow(OTP_DIGITS), "{s:?} -> {otp}");
            let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(digits, format!("{device}{otp:06}"), "{s:?}");
            // A device's key and a clock from the code itself: an OTP the check accepts
            // is that key's OTP for a step within the skew.
            let now: i64 = device.parse::<i64>().expect("digits") * 997;
            if let Some(step) = member_code::matching_step(key.bytes(), otp, now) {
                assert!(
                    (step - member_code::step_at(now)).abs() <= SKEW_STEPS,
                    "{s:?}"
                );
                assert_eq!(
                    member_code::totp(key.bytes(), step, OTP_DIGITS),
                    otp,
                    "{s:?}"
                );
            }
            // The code this device shows now reads back, grouped or not, and is accepted.
            let shown = member_code::code(&device, key.bytes(), now);
            let expected = (
                device.clone(),
                member_code::totp(key.bytes(), member_code::step_at(now), OTP_DIGITS),
            );
            assert_eq!(member_code::parse(&shown).as_ref(), Some(&expected));
            assert_eq!(
                member_code::parse(&member_code::grouped(&shown)).as_ref(),
                Some(&expected)
            );
            assert!(member_code::matching_step(key.bytes(), expected.1, now).is_some());
        }
        if let Some(code) = guides::parse_code(s) {
            assert!(
                (3..=16).contains(&code.len())
                    && code.starts_with('G')
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                "{s:?} -> {code:?}"
            );
            assert_eq!(code, s.trim().to_ascii_uppercase());
            assert_eq!(guides::parse_code(&code).as_ref(), Some(&code));
        }
    }
    // Any order id makes a ten-digit code, the same each time.
    let id = String::from_utf8_lossy(data);
    let code = pickup_code(&key, &id);
    assert!(
        code.len() == 10 && code.bytes().all(|b| b.is_ascii_digit()),
        "{id:?} -> {code:?}"
    );
    assert_eq!(pickup_code(&key, &id), code);
});
