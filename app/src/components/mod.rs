//! Reusable view pieces (server and browser).

pub mod add_to_bag;
pub mod checkout_live;
pub mod console_live;
pub mod enhance;
pub mod error_page;
pub mod field_note;
pub mod header;
pub mod in_place;
pub mod json_ld;
pub mod kiosk_idle;
pub mod kiosk_watch;
pub mod locate;
pub mod member_code;
pub mod payment_watch;
pub mod price;
pub mod product_card;
pub mod store_card;
pub mod store_section;
