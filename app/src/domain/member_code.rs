//! The member code (会员码): what a member shows at the till. Shared — the server checks
//! codes, and the browser makes them, offline too, from the device's own key.
//!
//! A code is 14 digits: the device's 8-digit number, then a 6-digit TOTP (RFC 6238 with
//! HMAC-SHA-256, 30-second steps) under the key issued to that device at sign-in. The
//! server finds the device by its number, refuses a revoked one, accepts the current step
//! or one either side (clock skew), and records the (device, step) it accepted, so a code
//! works once. The server's own signing key is never sent to a browser.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const STEP_SECS: i64 = 30;
pub const OTP_DIGITS: u32 = 6;
pub const DEVICE_DIGITS: usize = 8;
/// Steps either side of the server's that are still accepted.
pub const SKEW_STEPS: i64 = 1;

/// The time step of a Unix time.
pub fn step_at(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECS)
}

/// Seconds until the code of `unix` changes.
pub fn seconds_left(unix: i64) -> i64 {
    STEP_SECS - unix.rem_euclid(STEP_SECS)
}

/// HOTP (RFC 4226 truncation) over HMAC-SHA-256, as TOTP uses it with T = `step`.
pub fn totp(key: &[u8], step: i64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key size");
    mac.update(&step.to_be_bytes());
    let tag = mac.finalize().into_bytes();
    let offset = (tag[tag.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        tag[offset] & 0x7f,
        tag[offset + 1],
        tag[offset + 2],
        tag[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// The code a device shows at `unix`.
pub fn code(device: &str, key: &[u8], unix: i64) -> String {
    format!("{device}{:06}", totp(key, step_at(unix), OTP_DIGITS))
}

/// `12345678 901234`: the digits grouped for reading aloud.
pub fn grouped(code: &str) -> String {
    match code.len() {
        14 => format!("{} {}", &code[..DEVICE_DIGITS], &code[DEVICE_DIGITS..]),
        _ => code.to_owned(),
    }
}

/// A typed or scanned code: 14 digits (spaces ignored) → (device number, OTP).
pub fn parse(s: &str) -> Option<(String, u32)> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DEVICE_DIGITS + OTP_DIGITS as usize
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let otp = digits[DEVICE_DIGITS..].parse().ok()?;
    Some((digits[..DEVICE_DIGITS].to_owned(), otp))
}

/// The step an OTP belongs to, within the skew of `now`, if it is genuine.
pub fn matching_step(key: &[u8], otp: u32, now: i64) -> Option<i64> {
    let current = step_at(now);
    (current - SKEW_STEPS..=current + SKEW_STEPS).find(|s| totp(key, *s, OTP_DIGITS) == otp)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, Appendix B: the SHA-256 seed and its 8-digit codes.
    #[test]
    fn rfc_6238_sha256_test_vectors() {
        let seed = b"12345678901234567890123456789012";
        for (time, expected) in [
            (59, 46_119_246),
            (1_111_111_109, 68_084_774),
            (1_111_111_111, 67_062_674),
            (1_234_567_890, 91_819_424),
            (2_000_000_000, 90_698_825),
            (20_000_000_000, 77_737_706),
        ] {
            assert_eq!(totp(seed, step_at(time), 8), expected, "T = {time}");
        }
    }

    #[test]
    fn codes_parse_and_group() {
        let key = [7u8; 32];
        let c = code("00012345", &key, 1_000_000);
        assert_eq!(c.len(), 14);
        let (device, otp) = parse(&grouped(&c)).unwrap();
        assert_eq!(device, "00012345");
        assert_eq!(format!("{otp:06}"), &c[8..]);
        for bad in [
            "",
            "123",
            "0001234512345x",
            "000123451234567",
            "０００１２３４５１２３４５６",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_no_more() {
        let key = [9u8; 32];
        let now = 1_700_000_015;
        let step = step_at(now);
        for s in [step - 1, step, step + 1] {
            assert_eq!(matching_step(&key, totp(&key, s, OTP_DIGITS), now), Some(s));
        }
        for s in [step - 2, step + 2, step - 20] {
            let otp = totp(&key, s, OTP_DIGITS);
            // (A 1-in-a-million collision with a nearby step would be a genuine code.)
            if (step - 1..=step + 1).all(|n| totp(&key, n, OTP_DIGITS) != otp) {
                assert_eq!(matching_step(&key, otp, now), None, "step {s}");
            }
        }
        // Another device's key does not make this device's codes.
        let other = [1u8; 32];
        assert_eq!(
            matching_step(&other, totp(&key, step, OTP_DIGITS), now),
            None
        );
    }

    #[test]
    fn the_countdown_runs_to_the_next_step() {
        assert_eq!(seconds_left(60), 30);
        assert_eq!(seconds_left(89), 1);
        assert_eq!(step_at(-1), -1);
    }
}
