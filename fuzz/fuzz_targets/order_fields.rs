//! The checkout and sign-in fields (`order::parse_name`, `parse_phone`,
//! `parse_address`, `parse_idempotency_key`) and the names of modes, statuses and roles
//! read back from forms and rows. What is accepted is what the rules say, and reads back
//! as itself.
#![no_main]

use app::domain::order::{self, Mode, Status};
use app::domain::staff::Role;
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    if let Ok(phone) = order::parse_phone(s) {
        let b = phone.as_bytes();
        assert!(
            b.len() == 11
                && b.iter().all(u8::is_ascii_digit)
                && b[0] == b'1'
                && (b'3'..=b'9').contains(&b[1]),
            "{s:?} -> {phone:?}"
        );
        assert_eq!(order::parse_phone(&phone).as_ref(), Ok(&phone), "{s:?}");
        // The digits typed are the number, bar a leading +86 and the separators.
        let typed: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        assert_eq!(typed.strip_prefix("+86").unwrap_or(&typed), phone, "{s:?}");
    }
    if let Ok(name) = order::parse_name(s) {
        let n = name.chars().count();
        assert!(
            (1..=32).contains(&n) && !name.chars().any(char::is_control),
            "{s:?}"
        );
        assert_eq!(name, s.trim());
        assert_eq!(order::parse_name(&name).as_ref(), Ok(&name));
    }
    if let Ok(address) = order::parse_address(s) {
        let n = address.chars().count();
        assert!(
            (2..=120).contains(&n) && !address.chars().any(char::is_control),
            "{s:?}"
        );
        assert_eq!(address, s.trim());
        assert_eq!(order::parse_address(&address).as_ref(), Ok(&address));
    }
    if let Some(key) = order::parse_idempotency_key(s) {
        assert_eq!(key, s);
        assert!((16..=64).contains(&key.len()));
    }
    if let Some(mode) = Mode::parse(s) {
        assert_eq!(mode.as_str(), s);
        assert_eq!(Mode::try_from(s.to_owned()), Ok(mode));
    }
    if let Some(status) = Status::parse(s) {
        assert_eq!(status.as_str(), s);
        assert_eq!(Status::try_from(s.to_owned()), Ok(status));
        for mode in [Mode::Delivery, Mode::Pickup] {
            if let Some(next) = status.next(mode) {
                assert_ne!(next, status, "{s:?}");
            }
        }
    }
    if let Some(role) = Role::parse(s) {
        assert_eq!(role.as_str(), s);
    }
});
