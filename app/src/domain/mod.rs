//! Pure domain types and rules shared by the server and the browser (no leptos, no sqlx).

pub mod api_keys;
pub mod appointments;
pub mod audience;
pub mod bag;
pub mod benefit;
pub mod console;
pub mod coupon;
#[cfg(test)]
mod fuzz;
pub mod geo;
pub mod hours;
pub mod i18n;
pub mod lang;
pub mod member_code;
pub mod money;
pub mod ops;
pub mod order;
pub mod payment;
pub mod product;
pub mod redirect;
pub mod slots;
pub mod staff;
pub mod store;
