//! What the fuzz targets share (fuzzing only, on the server's side): the checks more than
//! one target makes, and the key everything signed while fuzzing is signed with.

use app::domain::redirect;
use app::ssr::settings::SigningKey;

/// The secret behind [`key`]. The seed tokens in `corpus/tokens/` were signed with it.
pub const SECRET: &str = "cloud-store fuzzing secret, not a real one";

/// The signing key of the targets that sign or check tokens and pick-up codes.
pub fn key() -> SigningKey {
    SigningKey::from_secret(SECRET).expect("the secret is long enough")
}

/// The input as text, as the parsers take it; `None` for bytes that are not UTF-8 (axum
/// refuses those before a handler runs, or decodes them lossily into text anyway).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// What [`redirect::local_path`] made of `raw`, if anything, is a header-safe path on
/// this site, and passing it through again changes nothing (the properties of
/// `app/src/domain/fuzz.rs`).
pub fn assert_stays_on_site(raw: &str, path: Option<&str>) {
    let Some(path) = path else {
        return;
    };
    let bytes = path.as_bytes();
    assert!(bytes.len() <= redirect::MAX_LEN, "{raw:?} -> {path:?}");
    assert!(
        bytes.iter().all(|b| (0x21..0x7f).contains(b)),
        "{raw:?} -> {path:?}: not a visible-ASCII header value"
    );
    assert!(
        bytes[0] == b'/' && bytes.get(1) != Some(&b'/'),
        "{raw:?} -> {path:?}: not a path on this site"
    );
    assert!(!path.contains('\\'), "{raw:?} -> {path:?}");
    // However often a proxy or browser decodes it, it stays a path here.
    let mut stage = bytes.to_vec();
    loop {
        assert!(!stage.starts_with(b"//"), "{raw:?} -> {path:?}");
        assert!(
            !stage.iter().any(|b| *b < 0x20 || *b == 0x7f || *b == b'\\'),
            "{raw:?} -> {path:?}: decodes to a control byte or a backslash"
        );
        let decoded: Vec<u8> = percent_encoding::percent_decode(&stage).collect();
        if decoded == stage {
            break;
        }
        stage = decoded;
    }
    assert_eq!(
        redirect::local_path(path).as_deref(),
        Some(path),
        "{raw:?} -> {path:?}: not a fixed point"
    );
    assert!(
        http::HeaderValue::from_str(path).is_ok(),
        "{raw:?} -> {path:?}"
    );
}
