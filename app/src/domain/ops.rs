//! The integration API's own rules (`/ops/v1`), shared and pure: API-key scopes, the
//! rows a brand's systems send (stores, products, offers, stock) and how each is checked,
//! order-event kinds, and the signature on a webhook delivery.
//!
//! A bulk request is checked whole before anything is written: every bad row is reported
//! with its index, field and a stable code, and one bad row means nothing is written.

use crate::domain::geo::LatLon;
use crate::domain::hours::{WeeklyHours, parse_span};
use crate::domain::product::Sku;
use crate::domain::store::StoreSlug;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};
use sha2::Sha256;
use std::collections::HashSet;

/// Most rows one bulk request may carry.
pub const MAX_ROWS: usize = 10_000;
/// The largest price the API takes, in fen (what the console allows too).
pub const MAX_PRICE_FEN: i64 = crate::domain::console::PRICE_MAX_FEN;
/// The largest stock of one offer.
pub const MAX_STOCK: i64 = 1_000_000_000;

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Scope {
    /// Stores, products and offers (prices and stock with them).
    #[serde(rename = "catalog:write")]
    CatalogWrite,
    /// Stock: set (compare-and-set) and deltas.
    #[serde(rename = "stock:write")]
    StockWrite,
    /// The order-event feed.
    #[serde(rename = "orders:read")]
    OrdersRead,
    /// Webhook subscriptions and their delivery log.
    #[serde(rename = "webhooks:write")]
    WebhooksWrite,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::CatalogWrite,
        Scope::StockWrite,
        Scope::OrdersRead,
        Scope::WebhooksWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CatalogWrite => "catalog:write",
            Scope::StockWrite => "stock:write",
            Scope::OrdersRead => "orders:read",
            Scope::WebhooksWrite => "webhooks:write",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Scope::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Scopes as stored (space-separated; unknown words are dropped).
    pub fn parse_list(s: &str) -> Vec<Scope> {
        let mut v: Vec<Scope> = s.split_whitespace().filter_map(Scope::parse).collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What happened to an order, as the feed and webhooks name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum EventKind {
    Placed,
    Paid,
    /// Its status moved on (accepted, ready, out for delivery, completed …).
    Status,
    Cancelled,
    /// A refund the provider confirmed.
    Refunded,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Placed,
        EventKind::Paid,
        EventKind::Status,
        EventKind::Cancelled,
        EventKind::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Placed => "placed",
            EventKind::Paid => "paid",
            EventKind::Status => "status",
            EventKind::Cancelled => "cancelled",
            EventKind::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why one row (or the request) was refused. The code is stable; the message says it for
/// a person reading a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    /// The row's index in the request (0-based); `None`: the request as a whole.
    pub index: Option<usize>,
    /// The field to blame, when one is.
    pub field: Option<String>,
    /// `invalid`, `unknown_store`, `unknown_sku`, `unknown_category`, `negative_stock`,
    /// `not_whole_fen`, `list_below_price`, `duplicate`, `too_many_rows`,
    /// `version_conflict`, `below_zero`.
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn row(index: usize, field: &str, code: &str, message: impl Into<String>) -> Self {
        Problem {
            index: Some(index),
            field: (!field.is_empty()).then(|| field.to_owned()),
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn request(code: &str, message: impl Into<String>) -> Self {
        Problem {
            index: None,
            field: None,
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The rows of a bulk body: a JSON array, or NDJSON (one object per line, blank lines
/// skipped). More than [`MAX_ROWS`] is refused before any row is read.
pub fn split_rows(body: &str, ndjson: bool) -> Result<Vec<Value>, Problem> {
    let rows: Vec<Value> = if ndjson {
        let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.len() > MAX_ROWS {
            return Err(too_many(lines.len()));
        }
        let mut rows = Vec::with_capacity(lines.len());
        for (i, line) in lines.into_iter().enumerate() {
            rows.push(serde_json::from_str(line).map_err(|e| {
                Problem::row(i, "", "invalid", format!("line {} is not JSON: {e}", i + 1))
            })?);
        }
        rows
    } else {
        match serde_json::from_str::<Value>(body) {
            Ok(Value::Array(rows)) => rows,
            Ok(_) => {
                return Err(Problem::request(
                    "invalid",
                    "the body must be a JSON array of rows",
                ));
            }
            Err(e) => {
                return Err(Problem::request(
                    "invalid",
                    format!("the body is not JSON: {e}"),
                ));
            }
        }
    };
    if rows.len() > MAX_ROWS {
        return Err(too_many(rows.len()));
    }
    if rows.is_empty() {
        return Err(Problem::request("invalid", "no rows"));
    }
    Ok(rows)
}

fn too_many(n: usize) -> Problem {
    Problem::request(
        "too_many_rows",
        format!("{n} rows: at most {MAX_ROWS} in one request"),
    )
}

/// Each row read as `T` (serde's words for a row that does not fit), or every problem.
fn typed<T: for<'de> Deserialize<'de>>(rows: Vec<Value>) -> Result<Vec<T>, Vec<Problem>> {
    let mut out = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        match serde_json::from_value::<T>(row) {
            Ok(t) => out.push(t),
            Err(e) => problems.push(Problem::row(i, "", "invalid", e.to_string())),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A whole number of fen from a JSON number: `12.5` is not whole fen.
fn fen(n: &Number, i: usize, field: &str, problems: &mut Vec<Problem>) -> Option<i64> {
    // `100.0` is whole fen (JSON does not tell 100 from 100.0 apart for every sender).
    let whole = n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
            .map(|f| f as i64)
    });
    match whole {
        Some(v) if (1..=MAX_PRICE_FEN).contains(&v) => Some(v),
        Some(_) => {
            problems.push(Problem::row(
                i,
                field,
                "invalid",
                format!("{field} must be from 1 to {MAX_PRICE_FEN} fen"),
            ));
            None
        }
        None => {
            let whole = n
                .as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15);
            problems.push(if whole {
                Problem::row(i, field, "invalid", format!("{field} is out of range"))
            } else {
                Problem::row(
                    i,
                    field,
                    "not_whole_fen",
                    format!("{field} is {n}: prices are whole fen (1 yuan = 100)"),
                )
            });
            None
        }
    }
}

fn stock_of(n: &Number, i: usize, field: &str, problems: &mut Vec<Problem>) -> Option<i64> {
    match n.as_i64() {
        Some(v) if v < 0 => {
            problems.push(Problem::row(
                i,
                field,
                "negative_stock",
                format!("{field} is {v}: stock is never below 0"),
            ));
            None
        }
        Some(v) if v <= MAX_STOCK => Some(v),
        _ => {
            problems.push(Problem::row(
                i,
                field,
                "invalid",
                format!("{field} must be a whole number from 0 to {MAX_STOCK}"),
            ));
            None
        }
    }
}

fn sku_of(s: &str, i: usize, problems: &mut Vec<Problem>) -> Option<String> {
    match Sku::parse(s) {
        Some(sku) => Some(sku.as_str().to_owned()),
        None => {
            problems.push(Problem::row(
                i,
                "sku",
                "invalid",
                "a SKU is 2–32 letters, digits or '-'",
            ));
            None
        }
    }
}

fn store_of(s: &str, i: usize, field: &str, problems: &mut Vec<Problem>) -> Option<String> {
    match StoreSlug::parse(s) {
        Some(slug) => Some(slug.as_str().to_owned()),
        None => {
            problems.push(Problem::row(
                i,
                field,
                "invalid",
                "a store code is 1–64 lowercase letters, digits or '-'",
            ));
            None
        }
    }
}

fn text(s: &str, i: usize, field: &str, max: usize, problems: &mut Vec<Problem>) -> String {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
        problems.push(Problem::row(
            i,
            field,
            "invalid",
            format!("{field} must be 1–{max} characters, no control characters"),
        ));
    }
    t.to_owned()
}

/// Flags a key seen earlier in the request.
fn once(
    seen: &mut HashSet<String>,
    key: String,
    i: usize,
    field: &str,
    problems: &mut Vec<Problem>,
) {
    if !seen.insert(key.clone()) {
        problems.push(Problem::row(
            i,
            field,
            "duplicate",
            format!("{key} comes twice in this request"),
        ));
    }
}

// ---------------------------------------------------------------------------------------
// Stores

/// A store as sent.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoreIn {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub city_slug: String,
    pub city_zh: String,
    pub city_en: String,
    pub district_zh: String,
    pub district_en: String,
    pub address_zh: String,
    pub address_en: String,
    pub lat: f64,
    pub lon: f64,
    /// `wgs84` (default) or `gcj02` (copied from a Chinese map app).
    #[serde(default)]
    pub datum: Option<String>,
    /// An IANA zone: `Asia/Shanghai`.
    pub time_zone: String,
    /// `mon-sun 09:00-22:00`, `mon-fri 08:00-20:00; sat-sun 10:00-18:00`, `24h`.
    pub hours: String,
    /// `2026-12-25 closed`, `2026-12-31 10:00-18:00`.
    #[serde(default)]
    pub special_days: Vec<String>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub services: ServicesIn,
}

/// What a store offers: delivery within a radius (0: none), pick-up after a lead time,
/// paying at the store.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServicesIn {
    #[serde(default = "default_radius")]
    pub delivery_radius_m: i64,
    #[serde(default = "default_lead")]
    pub pickup_lead_min: i64,
    #[serde(default)]
    pub pay_at_store: bool,
}

fn default_radius() -> i64 {
    3_000
}
fn default_lead() -> i64 {
    30
}

impl Default for ServicesIn {
    fn default() -> Self {
        ServicesIn {
            delivery_radius_m: default_radius(),
            pickup_lead_min: default_lead(),
            pay_at_store: false,
        }
    }
}

/// A store checked: coordinates as given (the server converts GCJ-02), everything else
/// as it is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub city_slug: String,
    pub city_zh: String,
    pub city_en: String,
    pub district_zh: String,
    pub district_en: String,
    pub address_zh: String,
    pub address_en: String,
    pub at: LatLon,
    pub gcj02: bool,
    pub time_zone: String,
    pub hours: String,
    pub special_days: String,
    pub phone: String,
    pub delivery_radius_m: i64,
    pub pickup_lead_min: i64,
    pub pay_at_store: bool,
}

/// Checks every store row; `valid_zone` says whether a time zone name is known (the
/// zone database is the server's).
pub fn check_stores(
    rows: Vec<Value>,
    valid_zone: impl Fn(&str) -> bool,
) -> Result<Vec<StoreRow>, Vec<Problem>> {
    let rows: Vec<StoreIn> = typed(rows)?;
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let p = &mut problems;
        let code = store_of(&r.code, i, "code", p).unwrap_or_default();
        once(&mut seen, code.clone(), i, "code", p);
        if StoreSlug::parse(&r.city_slug).is_none() {
            p.push(Problem::row(
                i,
                "city_slug",
                "invalid",
                "a city slug is lowercase letters, digits or '-'",
            ));
        }
        let at = match LatLon::new(r.lat, r.lon) {
            Ok(at) => at,
            Err(e) => {
                p.push(Problem::row(i, "lat", "invalid", e.to_string()));
                LatLon { lat: 0.0, lon: 0.0 }
            }
        };
        let gcj02 = match r.datum.as_deref() {
            None | Some("wgs84") => false,
            Some("gcj02") => true,
            Some(other) => {
                p.push(Problem::row(
                    i,
                    "datum",
                    "invalid",
                    format!("datum {other:?}: wgs84 or gcj02"),
                ));
                false
            }
        };
        if !valid_zone(&r.time_zone) {
            p.push(Problem::row(
                i,
                "time_zone",
                "invalid",
                format!("{:?} is not a time zone (Asia/Shanghai)", r.time_zone),
            ));
        }
        if let Err(e) = WeeklyHours::parse(&r.hours) {
            p.push(Problem::row(i, "hours", "invalid", e.to_string()));
        }
        let mut days = Vec::new();
        for d in &r.special_days {
            match special_day(d) {
                Some(s) => days.push(s),
                None => p.push(Problem::row(
                    i,
                    "special_days",
                    "invalid",
                    format!("{d:?}: YYYY-MM-DD closed, or YYYY-MM-DD HH:MM-HH:MM"),
                )),
            }
        }
        let s = r.services;
        if !(0..=100_000).contains(&s.delivery_radius_m) {
            p.push(Problem::row(
                i,
                "services.delivery_radius_m",
                "invalid",
                "0 to 100,000 metres",
            ));
        }
        if !(0..=24 * 60).contains(&s.pickup_lead_min) {
            p.push(Problem::row(
                i,
                "services.pickup_lead_min",
                "invalid",
                "0 to 1,440 minutes",
            ));
        }
        if r.phone.chars().count() > 32 || r.phone.chars().any(char::is_control) {
            p.push(Problem::row(i, "phone", "invalid", "at most 32 characters"));
        }
        out.push(StoreRow {
            name_zh: text(&r.name_zh, i, "name_zh", 100, p),
            name_en: text(&r.name_en, i, "name_en", 100, p),
            city_zh: text(&r.city_zh, i, "city_zh", 50, p),
            city_en: text(&r.city_en, i, "city_en", 50, p),
            district_zh: text(&r.district_zh, i, "district_zh", 50, p),
            district_en: text(&r.district_en, i, "district_en", 50, p),
            address_zh: text(&r.address_zh, i, "address_zh", 200, p),
            address_en: text(&r.address_en, i, "address_en", 200, p),
            code,
            city_slug: r.city_slug,
            at,
            gcj02,
            time_zone: r.time_zone,
            hours: r.hours,
            special_days: days.join(";"),
            phone: r.phone.trim().to_owned(),
            delivery_radius_m: s.delivery_radius_m,
            pickup_lead_min: s.pickup_lead_min,
            pay_at_store: s.pay_at_store,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// One special day in the stored form (`2026-12-25 closed`, `2026-12-31 10:00-18:00`).
fn special_day(s: &str) -> Option<String> {
    let (d, h) = s.trim().split_once(' ')?;
    let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    match h.trim() {
        "closed" => Some(format!("{date} closed")),
        span => {
            let i = parse_span(span).ok()?;
            Some(format!("{date} {}", crate::domain::hours::span_text(i)))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Products

/// A product as sent.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductIn {
    pub sku: String,
    /// A category's slug (`fruit`, `dairy` …).
    pub category: String,
    pub name_zh: String,
    pub name_en: String,
    /// The spec or unit: `500g`, `1 L`.
    pub unit_zh: String,
    pub unit_en: String,
    /// An `https://` URL, or a path on this site (`/img/p/apple.svg`).
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub featured: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRow {
    pub sku: String,
    pub category: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    pub image: Option<String>,
    pub featured: bool,
}

pub fn check_products(rows: Vec<Value>) -> Result<Vec<ProductRow>, Vec<Problem>> {
    let rows: Vec<ProductIn> = typed(rows)?;
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let p = &mut problems;
        let sku = sku_of(&r.sku, i, p).unwrap_or_default();
        once(&mut seen, sku.clone(), i, "sku", p);
        if StoreSlug::parse(r.category.trim()).is_none() {
            p.push(Problem::row(
                i,
                "category",
                "invalid",
                "a category is its slug: lowercase letters, digits or '-'",
            ));
        }
        if let Some(img) = &r.image {
            let ok = (img.starts_with("https://")
                || (img.starts_with('/') && !img.starts_with("//")))
                && img.len() <= 500
                && !img
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '"' || c == '<');
            if !ok {
                p.push(Problem::row(
                    i,
                    "image",
                    "invalid",
                    "an https:// URL or a path on this site",
                ));
            }
        }
        out.push(ProductRow {
            sku,
            category: r.category.trim().to_owned(),
            name_zh: text(&r.name_zh, i, "name_zh", 100, p),
            name_en: text(&r.name_en, i, "name_en", 100, p),
            unit_zh: text(&r.unit_zh, i, "unit_zh", 30, p),
            unit_en: text(&r.unit_en, i, "unit_en", 30, p),
            image: r.image,
            featured: r.featured,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------------------------------
// Offers and stock

/// A store's offer of a product as sent: its price (fen), list price (fen; the price if
/// left out), and optionally its stock, with the version it expects to replace.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OfferIn {
    pub store: String,
    pub sku: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64, example = 1290))]
    pub price_minor: Number,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, example = 1490))]
    pub list_price_minor: Option<Number>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, example = 24))]
    pub stock: Option<Number>,
    #[serde(default)]
    pub expected_version: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferRow {
    pub store: String,
    pub sku: String,
    pub price_minor: i64,
    pub list_price_minor: i64,
    pub stock: Option<i64>,
    pub expected_version: Option<i64>,
}

pub fn check_offers(rows: Vec<Value>) -> Result<Vec<OfferRow>, Vec<Problem>> {
    let rows: Vec<OfferIn> = typed(rows)?;
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let p = &mut problems;
        let store = store_of(&r.store, i, "store", p).unwrap_or_default();
        let sku = sku_of(&r.sku, i, p).unwrap_or_default();
        once(&mut seen, format!("{store}/{sku}"), i, "sku", p);
        let price = fen(&r.price_minor, i, "price_minor", p);
        let list = match &r.list_price_minor {
            Some(n) => fen(n, i, "list_price_minor", p),
            None => price,
        };
        if let (Some(price), Some(list)) = (price, list)
            && list < price
        {
            p.push(Problem::row(
                i,
                "list_price_minor",
                "list_below_price",
                "the list price is below the price",
            ));
        }
        let stock = r.stock.as_ref().and_then(|n| stock_of(n, i, "stock", p));
        if r.expected_version.is_some() && r.stock.is_none() {
            p.push(Problem::row(
                i,
                "expected_version",
                "invalid",
                "expected_version goes with a stock to set",
            ));
        }
        out.push(OfferRow {
            store,
            sku,
            price_minor: price.unwrap_or(0),
            list_price_minor: list.unwrap_or(0),
            stock,
            expected_version: r.expected_version,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A stock to set: absolute, optionally only if the offer's version is still `expected_version`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockSetIn {
    pub store: String,
    pub sku: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64, example = 24))]
    pub stock: Number,
    #[serde(default)]
    pub expected_version: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockSet {
    pub store: String,
    pub sku: String,
    pub stock: i64,
    pub expected_version: Option<i64>,
}

pub fn check_stock_sets(rows: Vec<Value>) -> Result<Vec<StockSet>, Vec<Problem>> {
    let rows: Vec<StockSetIn> = typed(rows)?;
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let p = &mut problems;
        let store = store_of(&r.store, i, "store", p).unwrap_or_default();
        let sku = sku_of(&r.sku, i, p).unwrap_or_default();
        once(&mut seen, format!("{store}/{sku}"), i, "sku", p);
        let stock = stock_of(&r.stock, i, "stock", p).unwrap_or(0);
        out.push(StockSet {
            store,
            sku,
            stock,
            expected_version: r.expected_version,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A change of stock: `-2` (a till sold two), `+12` (a delivery came in).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockDeltaIn {
    pub store: String,
    pub sku: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64, example = -2))]
    pub delta: Number,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockDelta {
    pub store: String,
    pub sku: String,
    pub delta: i64,
}

/// Deltas may name an offer more than once (two sales in one batch): they add up.
pub fn check_stock_deltas(rows: Vec<Value>) -> Result<Vec<StockDelta>, Vec<Problem>> {
    let rows: Vec<StockDeltaIn> = typed(rows)?;
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let p = &mut problems;
        let store = store_of(&r.store, i, "store", p).unwrap_or_default();
        let sku = sku_of(&r.sku, i, p).unwrap_or_default();
        let delta = match r.delta.as_i64() {
            Some(d) if d != 0 && d.unsigned_abs() <= MAX_STOCK.unsigned_abs() => d,
            _ => {
                p.push(Problem::row(
                    i,
                    "delta",
                    "invalid",
                    format!("a whole number, not 0, at most {MAX_STOCK} either way"),
                ));
                0
            }
        };
        out.push(StockDelta { store, sku, delta });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------------------------------
// Webhook signatures

/// The header each delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the MAC
/// over `<t>.<body>` with the subscription's secret (as Stripe signs its webhooks).
pub const SIGNATURE_HEADER: &str = "x-cloudstore-signature";

/// The signature header's value for `body` sent at `t`.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, body)))
}

fn mac(secret: &str, t: i64, body: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.finalize().into_bytes().to_vec()
}

/// What a receiver does: the header's MAC matches `body` (in constant time) and its time
/// is within `tolerance` seconds of `now`.
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    if now.abs_diff(t) > tolerance.unsigned_abs() {
        return false;
    }
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.verify_slice(&v1).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(v: Value) -> Vec<Value> {
        match v {
            Value::Array(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn scopes_round_trip_and_unknown_words_drop() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
        assert_eq!(
            Scope::parse_list("orders:read admin catalog:write orders:read"),
            vec![Scope::CatalogWrite, Scope::OrdersRead]
        );
        assert_eq!(
            Scope::join(&[Scope::StockWrite, Scope::OrdersRead]),
            "stock:write orders:read"
        );
    }

    #[test]
    fn a_bulk_body_is_an_array_or_ndjson_and_at_most_ten_thousand_rows() {
        assert_eq!(split_rows("[{\"a\":1},{\"a\":2}]", false).unwrap().len(), 2);
        assert_eq!(
            split_rows("{\"a\":1}\n\n{\"a\":2}\n", true).unwrap().len(),
            2
        );
        assert_eq!(split_rows("{\"a\":1}", false).unwrap_err().code, "invalid");
        assert_eq!(split_rows("[]", false).unwrap_err().code, "invalid");
        let bad = split_rows("{\"a\":1}\nnope", true).unwrap_err();
        assert_eq!((bad.index, bad.code.as_str()), (Some(1), "invalid"));
        let many = format!("[{}]", vec!["{}"; MAX_ROWS + 1].join(","));
        assert_eq!(split_rows(&many, false).unwrap_err().code, "too_many_rows");
        let lines = vec!["{}"; MAX_ROWS + 1].join("\n");
        assert_eq!(split_rows(&lines, true).unwrap_err().code, "too_many_rows");
        let max = format!("[{}]", vec!["{}"; MAX_ROWS].join(","));
        assert_eq!(split_rows(&max, false).unwrap().len(), MAX_ROWS);
    }

    #[test]
    fn every_bad_offer_row_is_reported_by_index_and_code() {
        let got = check_offers(rows(json!([
            {"store": "sh-jingan", "sku": "APL-1", "price_minor": 1290, "stock": 5},
            {"store": "sh-jingan", "sku": "APL-2", "price_minor": 12.5},
            {"store": "sh-jingan", "sku": "APL-3", "price_minor": 100, "stock": -1},
            {"store": "sh-jingan", "sku": "APL-4", "price_minor": 100, "list_price_minor": 90},
            {"store": "sh-jingan", "sku": "apl-1", "price_minor": 100},
            {"store": "SH JINGAN", "sku": "APL-5", "price_minor": 100},
            {"store": "sh-jingan", "sku": "APL-6", "price_minor": 100, "expected_version": 3},
        ])))
        .unwrap_err();
        let codes: Vec<(Option<usize>, &str)> =
            got.iter().map(|p| (p.index, p.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                (Some(1), "not_whole_fen"),
                (Some(2), "negative_stock"),
                (Some(3), "list_below_price"),
                (Some(4), "duplicate"),
                (Some(5), "invalid"),
                (Some(6), "invalid"),
            ]
        );
        let fine = check_offers(rows(
            json!([{"store": "a", "sku": "ab", "price_minor": 100.0, "stock": 0}]),
        ))
        .unwrap();
        assert_eq!(fine[0].price_minor, 100, "100.0 is whole fen");
        assert_eq!(
            fine[0].list_price_minor, 100,
            "the list price defaults to the price"
        );
    }

    #[test]
    fn a_row_that_does_not_fit_says_what_serde_saw() {
        let got = check_offers(rows(json!([{"store": "a", "sku": "ab"}, {"store": "a", "sku": "ab", "price_minor": 1, "colour": "red"}]))).unwrap_err();
        assert_eq!(got.len(), 2);
        assert!(got[0].message.contains("price_minor"), "{got:?}");
        assert!(got[1].message.contains("colour"), "{got:?}");
    }

    #[test]
    fn stores_are_checked_field_by_field() {
        let good = json!({
            "code": "sh-new", "name_zh": "新店", "name_en": "New", "city_slug": "shanghai",
            "city_zh": "上海", "city_en": "Shanghai", "district_zh": "静安", "district_en": "Jing'an",
            "address_zh": "南京西路1号", "address_en": "1 West Nanjing Rd", "lat": 31.23, "lon": 121.45,
            "datum": "gcj02", "time_zone": "Asia/Shanghai", "hours": "mon-sun 09:00-22:00",
            "special_days": ["2026-12-25 closed", "2026-12-31 10:00-18:00"]
        });
        let ok = check_stores(vec![good.clone()], |z| z == "Asia/Shanghai").unwrap();
        assert!(ok[0].gcj02);
        assert_eq!(
            ok[0].special_days,
            "2026-12-25 closed;2026-12-31 10:00-18:00"
        );
        let mut bad = good.clone();
        bad["time_zone"] = json!("Mars/Olympus");
        bad["hours"] = json!("sometimes");
        bad["lat"] = json!(95.0);
        bad["special_days"] = json!(["tomorrow"]);
        bad["datum"] = json!("bd09");
        let got = check_stores(vec![good, bad], |z| z == "Asia/Shanghai").unwrap_err();
        let mut fields: Vec<&str> = got
            .iter()
            .map(|p| p.field.as_deref().unwrap_or(""))
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            vec!["code", "datum", "hours", "lat", "special_days", "time_zone"]
        );
        assert!(got.iter().all(|p| p.index == Some(1)));
    }

    #[test]
    fn deltas_are_whole_and_never_zero() {
        let got = check_stock_deltas(rows(json!([
            {"store": "a", "sku": "ab", "delta": -2},
            {"store": "a", "sku": "ab", "delta": 0},
            {"store": "a", "sku": "ab", "delta": 1.5},
            // Found by schemathesis: the smallest i64 has no absolute value (it panicked).
            {"store": "a", "sku": "ab", "delta": i64::MIN},
        ])))
        .unwrap_err();
        assert_eq!(
            got.iter().map(|p| p.index).collect::<Vec<_>>(),
            vec![Some(1), Some(2), Some(3)]
        );
    }

    #[test]
    fn a_signature_verifies_only_for_its_body_secret_and_time() {
        let h = sign("s3cret", 1_700_000_000, b"{\"id\":1}");
        assert!(verify("s3cret", &h, b"{\"id\":1}", 1_700_000_100, 300));
        assert!(!verify("s3cret", &h, b"{\"id\":2}", 1_700_000_100, 300));
        assert!(!verify("other", &h, b"{\"id\":1}", 1_700_000_100, 300));
        assert!(!verify("s3cret", &h, b"{\"id\":1}", 1_700_001_000, 300));
        assert!(!verify("s3cret", "t=1,v1=zz", b"", 1, 300));
        assert!(h.starts_with("t=1700000000,v1="));
    }
}
