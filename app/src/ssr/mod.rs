//! Server-only code (feature `ssr`): database, repositories, seeding, request context.
//! Nothing here is compiled into the wasm.

pub mod catalog;
pub mod clock;
pub mod datum;
pub mod db;
pub mod nearby;
pub mod places;
pub mod request;
pub mod seed;
pub mod stores;
pub mod structured_data;
