//! Server functions, one area per file: thin wrappers that parse input, call the
//! server-only repositories and map errors. Their result types are shared with the browser.

pub mod api_keys;
pub mod appointments;
pub mod bag;
pub mod catalog;
pub mod checkout;
pub mod console;
pub mod guides;
pub mod home;
pub mod kiosk;
pub mod marketing;
pub mod members;
pub mod stock;
pub mod store_settings;
pub mod stores;
