//! Server-only code (feature `ssr`): database, repositories, seeding, request context.
//! Nothing here is compiled into the wasm.

pub mod audit;
pub mod bag;
pub mod catalog;
pub mod checkout;
pub mod checkout_form;
pub mod clock;
pub mod console;
pub mod cookies;
pub mod datum;
pub mod db;
pub mod flash;
pub mod guides;
pub mod handoff;
pub mod kiosk;
pub mod members;
pub mod micro_cache;
pub mod nearby;
pub mod payment;
pub mod places;
pub mod rate_limit;
pub mod request;
pub mod schedule;
pub mod seed;
pub mod session;
pub mod settings;
pub mod staff;
pub mod state;
pub mod stock;
pub mod store_settings;
pub mod stores;
pub mod structured_data;
pub mod sweep;
pub mod token;
