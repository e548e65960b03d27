//! The server's integration tests, one binary (server, tests): the real server on port 0
//! over a fresh database, spoken to over HTTP, and the repositories on both databases.
//! One module per area; every database test runs once per backend as `…_sqlite` and
//! `…_postgres` (see [`harness`]).

#[macro_use]
mod harness;

mod headers;
mod humane;

mod api_keys;
mod appointments;
mod bag;
mod checkout;
mod crash;
mod fleet;
mod hostile;
mod marketing;
mod members;
mod nearby;
mod ops_core;
mod orders_http;
mod pages;
mod payment;
mod payment_demo;
mod payment_ui;
mod personal_pages;
mod proxy;
mod redirects;
mod repository;
mod schema;
mod search;
mod security;
mod settings;
mod staff;
mod stock;
