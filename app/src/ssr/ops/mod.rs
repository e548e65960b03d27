//! The integration API's repositories (server): API keys, the writes a brand's systems
//! make (catalogue, offers, stock), the order-event outbox and webhooks.

pub mod catalog;
pub mod events;
pub mod keys;
pub mod webhooks;
