//! The names in URLs and form fields that pick a thing: a SKU (`Sku::parse`, which takes
//! lowercase), a store slug (`StoreSlug::parse`), a bag quantity (`Quantity::parse`) and
//! a stock import's id (`is_import_id`). What is accepted is of the documented alphabet
//! and length, and reads back as itself.
#![no_main]

use app::domain::bag::{MAX_QUANTITY, Quantity};
use app::domain::product::Sku;
use app::domain::store::StoreSlug;
use app::ssr::stock::is_import_id;
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    if let Some(sku) = Sku::parse(s) {
        let b = sku.as_str().as_bytes();
        assert!(
            (2..=32).contains(&b.len())
                && b.iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'-'),
            "{s:?} -> {sku:?}"
        );
        assert_eq!(sku.as_str(), s.trim().to_ascii_uppercase());
        assert_eq!(Sku::parse(sku.as_str()).as_ref(), Some(&sku));
        assert_eq!(
            Sku::parse(&sku.as_str().to_ascii_lowercase()).as_ref(),
            Some(&sku)
        );
    }
    if let Some(slug) = StoreSlug::parse(s) {
        assert_eq!(slug.as_str(), s);
        assert!(!s.starts_with('-') && (1..=64).contains(&s.len()));
        // A slug goes into paths as it is: nothing in it needs encoding.
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
    }
    if let Ok(q) = Quantity::parse(s) {
        assert!((1..=MAX_QUANTITY).contains(&q.get()), "{s:?}");
        assert_eq!(Quantity::parse(&q.get().to_string()), Ok(q));
        assert_eq!(Quantity::new(i64::from(q.get())), Ok(q));
    }
    if is_import_id(s) {
        assert!(
            s.len() == 32
                && s.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
});
