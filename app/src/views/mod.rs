//! View types: what pages show, shared by the server (which fills them) and the browser
//! (which renders them). They sit over `domain` and under `api`, `ssr` and `pages`, so the
//! server's repositories can build them without knowing the server functions.

pub mod api_keys;
pub mod appointments;
pub mod catalog;
pub mod checkout;
pub mod console;
pub mod home;
pub mod marketing;
pub mod members;
pub mod stock;
pub mod store_settings;
pub mod stores;
