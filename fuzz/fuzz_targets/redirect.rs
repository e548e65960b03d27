//! Where a form post or a link sends the browser next (`back=`, `to=`):
//! `redirect::local_path` and the `LocalPath` form field. Whatever is let through is a
//! header-safe path on this site, however often it is decoded, and a fixed point.
#![no_main]

use app::domain::redirect::{self, LocalPath};
use cloud_store_fuzz::{assert_stays_on_site, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    // As sent, and with the leading slash most real targets have.
    for raw in [s.to_owned(), format!("/{s}")] {
        let path = redirect::local_path(&raw);
        assert_stays_on_site(&raw, path.as_deref());
        let field = LocalPath::parse(&raw);
        assert_eq!(field.get(), path.as_deref(), "{raw:?}");
        assert_eq!(
            redirect::local_path_or(&raw, "/fallback"),
            path.as_deref().unwrap_or("/fallback"),
            "{raw:?}"
        );
    }
});
