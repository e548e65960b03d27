//! One module per route (server and browser).

pub mod bag;
pub mod bookings;
pub mod check_in;
pub mod checkout;
pub mod console;
pub mod guide;
pub mod home;
pub mod inbox;
pub mod kiosk;
pub mod member;
pub mod member_data;
pub mod nearby;
pub mod order;
pub mod product;
pub mod services;
pub mod store;
pub mod take;
pub mod till;
