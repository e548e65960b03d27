//! One module per route (server and browser).

pub mod bag;
pub mod home;
pub mod kiosk;
pub mod nearby;
pub mod product;
pub mod store;
pub mod take;
