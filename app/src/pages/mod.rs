//! One module per route (server and browser).

pub mod home;
pub mod nearby;
pub mod product;
pub mod store;
