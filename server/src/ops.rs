//! The integration API (`/ops/v1`, issue #14): what a brand's ERP, tills and warehouse
//! call. JSON in and out; `Authorization: Bearer <key>` with scopes; every call rate
//! limited per key and written to the audit log; writes all or nothing and idempotent
//! under `Idempotency-Key`. Served beside the site but outside its page layers: cookies
//! mean nothing here, the forms' Origin rule does not apply, errors stay JSON and nothing
//! is cached. The OpenAPI 3.1 document (`/ops/v1/openapi.json`) is generated from the
//! handlers below.

// The early returns of a handler are its finished responses (401, 415 …), handed back as
// they are: boxing them would only move the allocation.
#![allow(clippy::result_large_err)]

use crate::proxy::ClientIp;
use app::domain::ops::{self as rules, EventKind, Problem, Scope};
use app::error::AppError;
use app::ssr::db::Db;
use app::ssr::ops::catalog::{self, Idem, Reply, Write};
use app::ssr::ops::events::{self, Cursor};
use app::ssr::ops::keys::{self, ApiKey};
use app::ssr::ops::webhooks;
use app::ssr::rate_limit::{self, Limit};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use utoipa::OpenApi;

/// Where the API is served.
pub const BASE: &str = "/ops/v1";
/// The largest body taken (10,000 rows of a few hundred bytes each).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Failed authentications one client address may make a minute.
const BAD_KEYS: Limit = Limit {
    max: 30,
    window_secs: 60,
};

#[derive(Clone)]
pub struct OpsState {
    pub db: Db,
    /// Calls a minute per key.
    pub per_key: Limit,
}

/// The API's routes, with their own state (nested under [`BASE`]).
pub fn router(db: Db, per_minute: u32) -> Router {
    let state = OpsState {
        db,
        per_key: Limit {
            max: i64::from(per_minute.max(1)),
            window_secs: 60,
        },
    };
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/stores", put(put_stores))
        .route("/products", put(put_products))
        .route("/offers", put(put_offers))
        .route("/offers/{store}/{sku}", get(get_offer))
        .route("/stock", put(put_stock))
        .route("/stock/deltas", axum::routing::post(post_deltas))
        .route("/orders", get(get_orders))
        .route(
            "/webhooks",
            axum::routing::post(post_webhook).get(get_webhooks),
        )
        .route("/webhooks/{id}", delete(delete_webhook))
        .route("/webhooks/{id}/deliveries", get(get_deliveries))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

// ---------------------------------------------------------------------------------------
// Replies

/// A JSON reply, never cached.
fn json_reply(status: u16, body: &Value, replayed: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, axum::Json(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if replayed {
        h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    r
}

fn refusal(status: u16, code: &str, message: &str) -> Response {
    let reply = Reply::refused(status, code, message, Vec::new());
    json_reply(reply.status, &reply.body, false)
}

/// An error as JSON: its status, a stable code, never the database's words.
fn error(e: &AppError) -> Response {
    let (code, message) = match e {
        AppError::NotFound(_) => ("not_found", "not found"),
        AppError::Validation { .. } => ("invalid", "the request is not valid"),
        AppError::Conflict(_) => ("conflict", "the request conflicts with the current state"),
        AppError::Unauthorized => ("unauthorized", "a valid API key is needed"),
        AppError::Forbidden => ("forbidden", "this key may not do that"),
        AppError::RateLimited => ("rate_limited", "too many calls: slow down"),
        AppError::Unavailable | AppError::Contended => ("unavailable", "try again in a moment"),
        AppError::Internal => ("internal", "something went wrong on our side"),
    };
    let mut r = refusal(e.status(), code, message);
    if e.status() == 503 || e.status() == 429 {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    r
}

async fn not_found() -> Response {
    refusal(
        404,
        "not_found",
        "no such route in /ops/v1 (see /ops/v1/openapi.json)",
    )
}

// ---------------------------------------------------------------------------------------
// Keys, scopes, limits, audit

/// The key a request carries, if it is live, has `scope` and is within its rate limit;
/// otherwise the response to send (401, 403, 429).
async fn authorize(
    state: &OpsState,
    headers: &HeaderMap,
    client: ClientIp,
    scope: &[Scope],
) -> Result<ApiKey, Response> {
    let ip_key = format!("ops-bad-key:{}", client.0);
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let Some(presented) = presented else {
        return Err(unauthorized("send Authorization: Bearer <API key>"));
    };
    // A valid key is never refused for its neighbours' mistakes (everyone behind one
    // proxy shares an address): only a failed key counts against the address, and only
    // failed keys are refused once the address is over its limit.
    let key = match keys::authenticate(&state.db, presented).await {
        Ok(Some(key)) => key,
        Ok(None) => {
            if let Err(e) = rate_limit::hit(&state.db, &ip_key, BAD_KEYS).await {
                return Err(error(&e));
            }
            tracing::warn!(client = %client.0, "an unknown or revoked API key");
            return Err(unauthorized("the API key is unknown or revoked"));
        }
        Err(e) => return Err(error(&e)),
    };
    if !scope.iter().any(|s| key.may(*s)) {
        let names: Vec<&str> = scope.iter().map(|s| s.as_str()).collect();
        let _ =
            keys::audit_call(&state.db.pool, &key, "ops.refused", &names.join(" "), "403").await;
        return Err(refusal(
            403,
            "missing_scope",
            &format!("this key lacks the scope {}", names.join(" or ")),
        ));
    }
    if let Err(e) = rate_limit::hit(&state.db, &format!("ops-key:{}", key.id), state.per_key).await
    {
        return Err(error(&e));
    }
    Ok(key)
}

fn unauthorized(message: &str) -> Response {
    let mut r = refusal(401, "unauthorized", message);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"ops\""),
    );
    r
}

/// Writes the call in the audit log (under its key) and sends its reply.
async fn answered(
    state: &OpsState,
    key: &ApiKey,
    action: &str,
    subject: &str,
    reply: &Reply,
) -> Response {
    let outcome = if reply.replayed {
        format!("{} (replayed)", reply.status)
    } else {
        reply.status.to_string()
    };
    if let Err(e) = keys::audit_call(&state.db.pool, key, action, subject, &outcome).await {
        tracing::warn!(error = %e, "could not write an API call to the audit log");
    }
    json_reply(reply.status, &reply.body, reply.replayed)
}

// ---------------------------------------------------------------------------------------
// Writes

/// The request's `Idempotency-Key`, checked: 1–255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Response> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
                Ok(Some(k.to_owned()))
            }
            _ => Err(refusal(
                400,
                "invalid_idempotency_key",
                "Idempotency-Key is 1–255 visible ASCII characters",
            )),
        },
    }
}

fn request_hash(method: &Method, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// NDJSON when the body says so; JSON otherwise (415 for anything else).
fn is_ndjson(headers: &HeaderMap) -> Result<bool, Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(false),
        "application/x-ndjson" | "application/ndjson" => Ok(true),
        _ => Err(refusal(
            415,
            "unsupported_media_type",
            "send application/json or application/x-ndjson",
        )),
    }
}

/// The common path of every bulk write: authorize, read the rows, check them, write.
/// One bulk operation: the scope it needs, its name in the audit log, its path.
struct Op {
    scope: Scope,
    action: &'static str,
    path: &'static str,
}

async fn bulk(
    state: &OpsState,
    headers: &HeaderMap,
    client: ClientIp,
    op: Op,
    body: &Bytes,
    check: impl FnOnce(Vec<Value>) -> Result<Write, Vec<Problem>>,
) -> Response {
    let Op {
        scope,
        action,
        path,
    } = op;
    let method = if path.ends_with("/deltas") {
        Method::POST
    } else {
        Method::PUT
    };
    let key = match authorize(state, headers, client, &[scope]).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let idem = match idempotency_key(headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let ndjson = match is_ndjson(headers) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return answered(
            state,
            &key,
            action,
            path,
            &Reply::refused(400, "invalid", "the body is not UTF-8", Vec::new()),
        )
        .await;
    };
    let rows = match rules::split_rows(text, ndjson) {
        Ok(rows) => rows,
        Err(p) => {
            let status = if p.code == "too_many_rows" { 413 } else { 400 };
            let reply = Reply::refused(status, &p.code.clone(), &p.message.clone(), vec![p]);
            return answered(state, &key, action, path, &reply).await;
        }
    };
    let n = rows.len();
    let write = match check(rows) {
        Ok(w) => w,
        Err(problems) => {
            return answered(
                state,
                &key,
                action,
                &format!("{path} ({n} rows)"),
                &Reply::rows(problems),
            )
            .await;
        }
    };
    let hash = request_hash(&method, path, body);
    let idem = idem.as_deref().map(|k| Idem {
        key: k,
        request_hash: &hash,
    });
    match catalog::write(&state.db, &key, idem, &write).await {
        Ok(reply) => answered(state, &key, action, &format!("{path} ({n} rows)"), &reply).await,
        Err(e) => error(&e),
    }
}

/// Stores, upserted by store code.
#[utoipa::path(put, path = "/ops/v1/stores", tag = "catalogue",
    request_body(content = Vec<rules::StoreIn>, description = "Up to 10,000 stores (a JSON array, or NDJSON with Content-Type application/x-ndjson). Coordinates in GCJ-02 (`\"datum\": \"gcj02\"`) are converted to WGS-84.",
        example = json!([{"code": "sh-xintiandi", "name_zh": "新天地店", "name_en": "Xintiandi", "city_slug": "shanghai", "city_zh": "上海", "city_en": "Shanghai", "district_zh": "黄浦区", "district_en": "Huangpu", "address_zh": "马当路245号", "address_en": "245 Madang Rd", "lat": 31.2197, "lon": 121.4749, "datum": "gcj02", "time_zone": "Asia/Shanghai", "hours": "mon-sun 09:00-22:00", "special_days": ["2026-12-31 10:00-18:00"], "phone": "021-5383 0000", "services": {"delivery_radius_m": 3000, "pickup_lead_min": 30, "pay_at_store": true}}])),
    params(IdempotencyKey),
    responses(
        (status = 200, description = "Written", body = WriteResult),
        (status = 400, description = "Not JSON, not UTF-8, or a bad Idempotency-Key", body = ErrorBody),
        (status = 401, description = "No key, or an unknown or revoked one", body = ErrorBody),
        (status = 403, description = "The key lacks catalog:write", body = ErrorBody),
        (status = 413, description = "More than 10,000 rows", body = ErrorBody),
        (status = 415, description = "Neither JSON nor NDJSON", body = ErrorBody),
        (status = 422, description = "Rows that cannot be written (by index); nothing was written", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn put_stores(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bulk(
        &s,
        &headers,
        client,
        Op {
            scope: Scope::CatalogWrite,
            action: "ops.stores",
            path: "/ops/v1/stores",
        },
        &body,
        |rows| rules::check_stores(rows, catalog::valid_zone).map(Write::Stores),
    )
    .await
}

/// Products, upserted by SKU.
#[utoipa::path(put, path = "/ops/v1/products", tag = "catalogue",
    request_body(content = Vec<rules::ProductIn>, description = "Up to 10,000 products (JSON array or NDJSON). The category must exist.",
        example = json!([{"sku": "HC101101", "category": "fruit", "name_zh": "红富士苹果", "name_en": "Fuji apples", "unit_zh": "约500克", "unit_en": "about 500 g", "image": "/img/p/HC101101.svg"}])),
    params(IdempotencyKey),
    responses(
        (status = 200, description = "Written", body = WriteResult),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Rows that cannot be written (unknown category …); nothing was written", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn put_products(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bulk(
        &s,
        &headers,
        client,
        Op {
            scope: Scope::CatalogWrite,
            action: "ops.products",
            path: "/ops/v1/products",
        },
        &body,
        |rows| rules::check_products(rows).map(Write::Products),
    )
    .await
}

/// Offers (store × SKU): price, list price and optionally stock, upserted.
#[utoipa::path(put, path = "/ops/v1/offers", tag = "catalogue",
    request_body(content = Vec<rules::OfferIn>, description = "Up to 10,000 offers (JSON array or NDJSON). Prices are whole fen. A row with `expected_version` is written only if the offer is still at that version (409 otherwise, and nothing is written).",
        example = json!([{"store": "sh-xintiandi", "sku": "HC101101", "price_minor": 1290, "list_price_minor": 1490, "stock": 24}])),
    params(IdempotencyKey),
    responses(
        (status = 200, description = "Written", body = WriteResult),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "An offer's version moved; nothing was written", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Unknown store or SKU, a price that is not whole fen, negative stock …; nothing was written", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn put_offers(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bulk(
        &s,
        &headers,
        client,
        Op {
            scope: Scope::CatalogWrite,
            action: "ops.offers",
            path: "/ops/v1/offers",
        },
        &body,
        |rows| rules::check_offers(rows).map(Write::Offers),
    )
    .await
}

/// Stock set absolute, each row optionally compare-and-set against the offer's version.
#[utoipa::path(put, path = "/ops/v1/stock", tag = "stock",
    request_body(content = Vec<rules::StockSetIn>, description = "Up to 10,000 stock counts (JSON array or NDJSON).",
        example = json!([{"store": "sh-xintiandi", "sku": "HC101101", "stock": 30, "expected_version": 7}])),
    params(IdempotencyKey),
    responses(
        (status = 200, description = "Written: each offer's stock and version now", body = StockResult),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "A version moved (a sale came between): read it again; nothing was written", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Unknown store, SKU or offer, negative stock …; nothing was written", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn put_stock(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bulk(
        &s,
        &headers,
        client,
        Op {
            scope: Scope::StockWrite,
            action: "ops.stock",
            path: "/ops/v1/stock",
        },
        &body,
        |rows| rules::check_stock_sets(rows).map(Write::StockSets),
    )
    .await
}

/// Stock deltas: a till sold two (`-2`), a delivery came in (`+12`).
#[utoipa::path(post, path = "/ops/v1/stock/deltas", tag = "stock",
    request_body(content = Vec<rules::StockDeltaIn>, description = "Up to 10,000 deltas (JSON array or NDJSON); several on one offer add up. None takes stock below 0: if one would, nothing is written (409).",
        example = json!([{"store": "sh-xintiandi", "sku": "HC101101", "delta": -2}])),
    params(IdempotencyKey),
    responses(
        (status = 200, description = "Written: each offer's stock and version now", body = StockResult),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "A delta would take stock below 0; nothing was written", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Unknown store, SKU or offer …; nothing was written", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn post_deltas(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bulk(
        &s,
        &headers,
        client,
        Op {
            scope: Scope::StockWrite,
            action: "ops.stock.deltas",
            path: "/ops/v1/stock/deltas",
        },
        &body,
        |rows| rules::check_stock_deltas(rows).map(Write::StockDeltas),
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Reads

/// One offer: its price, stock and version (what a compare-and-set names).
#[utoipa::path(get, path = "/ops/v1/offers/{store}/{sku}", tag = "stock",
    params(("store" = String, Path, description = "Store code", example = "sh-jingan"), ("sku" = String, Path, description = "SKU", example = "HC101101")),
    responses(
        (status = 200, body = Offer),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "The store does not offer it", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn get_offer(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    Path((store, sku)): Path<(String, String)>,
) -> Response {
    let key = match authorize(
        &s,
        &headers,
        client,
        &[Scope::StockWrite, Scope::CatalogWrite],
    )
    .await
    {
        Ok(k) => k,
        Err(r) => return r,
    };
    let subject = format!("{store}/{sku}");
    let (Some(store), Some(sku)) = (
        app::domain::store::StoreSlug::parse(&store),
        app::domain::product::Sku::parse(&sku),
    ) else {
        return answered(
            &s,
            &key,
            "ops.offer",
            &subject,
            &Reply::refused(404, "not_found", "no such offer", Vec::new()),
        )
        .await;
    };
    let reply = match catalog::offer(&s.db, store.as_str(), sku.as_str()).await {
        Ok(Some(offer)) => Reply::ok(offer),
        Ok(None) => Reply::refused(404, "not_found", "no such offer", Vec::new()),
        Err(e) => return error(&e),
    };
    answered(&s, &key, "ops.offer", &subject, &reply).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FeedQuery {
    /// The `next` cursor of the previous page; empty or left out: from the start.
    #[serde(default)]
    after: Option<String>,
    /// Events per page, 1 to 500 (default 100).
    #[serde(default)]
    limit: Option<i64>,
}

/// The order-event feed: placed, paid, status, cancelled, refunded, in commit order.
#[utoipa::path(get, path = "/ops/v1/orders", tag = "orders",
    params(FeedQuery),
    responses(
        (status = 200, description = "A page of events; ask again with `after=next` (an empty page keeps the cursor)", body = Feed),
        (status = 400, description = "A cursor this API did not give", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn get_orders(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    query: Result<Query<FeedQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let key = match authorize(&s, &headers, client, &[Scope::OrdersRead]).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let Ok(Query(q)) = query else {
        return answered(
            &s,
            &key,
            "ops.feed",
            "",
            &Reply::refused(
                400,
                "invalid",
                "after is a cursor, limit 1 to 500",
                Vec::new(),
            ),
        )
        .await;
    };
    let after = q.after.unwrap_or_default();
    let Some(cursor) = Cursor::parse(&after) else {
        return answered(
            &s,
            &key,
            "ops.feed",
            &after,
            &Reply::refused(
                400,
                "invalid_cursor",
                "after must be a cursor this API gave",
                Vec::new(),
            ),
        )
        .await;
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=events::MAX_PAGE).contains(&limit) {
        return answered(
            &s,
            &key,
            "ops.feed",
            &after,
            &Reply::refused(400, "invalid", "limit is 1 to 500", Vec::new()),
        )
        .await;
    }
    let reply = match events::feed(&s.db, cursor, limit).await {
        Ok((events, next)) => Reply::ok(json!({"events": events, "next": next.to_string()})),
        Err(e) => return error(&e),
    };
    answered(&s, &key, "ops.feed", &after, &reply).await
}

// ---------------------------------------------------------------------------------------
// Webhooks

/// A subscription to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://erp.example.com/hooks/cloud-store", "events": ["placed", "cancelled", "refunded"]}))]
pub struct WebhookIn {
    /// Where deliveries are POSTed (http or https).
    pub url: String,
    /// The event kinds wanted (at least one).
    pub events: Vec<EventKind>,
}

fn check_webhook(w: &WebhookIn) -> Result<(String, Vec<EventKind>), Vec<Problem>> {
    let mut problems = Vec::new();
    let url = url::Url::parse(&w.url).ok().filter(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && w.url.len() <= 500
    });
    if url.is_none() {
        problems.push(Problem::row(
            0,
            "url",
            "invalid",
            "an http:// or https:// URL of at most 500 characters",
        ));
    }
    let mut events = w.events.clone();
    events.sort_by_key(|e| e.as_str());
    events.dedup();
    if events.is_empty() {
        problems.push(Problem::row(
            0,
            "events",
            "invalid",
            "at least one event kind",
        ));
    }
    if problems.is_empty() {
        Ok((url.map(String::from).unwrap_or_default(), events))
    } else {
        Err(problems)
    }
}

/// Subscribes a URL to order events. The reply carries the signing secret, once.
#[utoipa::path(post, path = "/ops/v1/webhooks", tag = "webhooks",
    request_body = WebhookIn,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "Subscribed. Each delivery is a POST of one event with `X-CloudStore-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" with the secret>`; retried with backoff for a day until a 2xx", body = WebhookCreated),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Too many webhooks", body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Not a URL, no event kinds", body = ErrorBody), (status = 429, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn post_webhook(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let key = match authorize(&s, &headers, client, &[Scope::WebhooksWrite]).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let idem = match idempotency_key(&headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    if let Err(r) = is_ndjson(&headers).and_then(|nd| {
        if nd {
            Err(refusal(
                415,
                "unsupported_media_type",
                "send application/json",
            ))
        } else {
            Ok(())
        }
    }) {
        return r;
    }
    let w: WebhookIn = match serde_json::from_slice(&body) {
        Ok(w) => w,
        Err(e) => {
            let reply = Reply::rows(vec![Problem::row(0, "", "invalid", e.to_string())]);
            return answered(&s, &key, "ops.webhook.create", "", &reply).await;
        }
    };
    let (url, events) = match check_webhook(&w) {
        Ok(v) => v,
        Err(p) => return answered(&s, &key, "ops.webhook.create", &w.url, &Reply::rows(p)).await,
    };
    let hash = request_hash(&Method::POST, "/ops/v1/webhooks", &body);
    let idem = idem.as_deref().map(|k| Idem {
        key: k,
        request_hash: &hash,
    });
    match catalog::write(
        &s.db,
        &key,
        idem,
        &Write::Webhook {
            url: url.clone(),
            events,
        },
    )
    .await
    {
        Ok(reply) => answered(&s, &key, "ops.webhook.create", &url, &reply).await,
        Err(e) => error(&e),
    }
}

/// The live webhooks (without their secrets).
#[utoipa::path(get, path = "/ops/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<Webhook>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
async fn get_webhooks(State(s): State<OpsState>, client: ClientIp, headers: HeaderMap) -> Response {
    let key = match authorize(&s, &headers, client, &[Scope::WebhooksWrite]).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    match webhooks::list(&s.db).await {
        Ok(list) => answered(&s, &key, "ops.webhooks", "", &Reply::ok(list)).await,
        Err(e) => error(&e),
    }
}

/// Ends a webhook; its pending deliveries are dropped.
#[utoipa::path(delete, path = "/ops/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses((status = 200, body = Deleted), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete_webhook(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let key = match authorize(&s, &headers, client, &[Scope::WebhooksWrite]).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let reply = match id.parse::<i64>() {
        Ok(n) => match webhooks::delete(&s.db, n).await {
            Ok(true) => Reply::ok(json!({"id": n, "deleted": true})),
            Ok(false) => Reply::refused(404, "not_found", "no such webhook", Vec::new()),
            Err(e) => return error(&e),
        },
        Err(_) => Reply::refused(404, "not_found", "no such webhook", Vec::new()),
    };
    answered(&s, &key, "ops.webhook.delete", &id, &reply).await
}

/// A webhook's delivery log, newest first (at most 100).
#[utoipa::path(get, path = "/ops/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses((status = 200, body = Vec<Delivery>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
async fn get_deliveries(
    State(s): State<OpsState>,
    client: ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let key = match authorize(&s, &headers, client, &[Scope::WebhooksWrite]).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let reply = match id.parse::<i64>() {
        Ok(n) => match webhooks::deliveries(&s.db, n, 100).await {
            Ok(Some(log)) => Reply::ok(log),
            Ok(None) => Reply::refused(404, "not_found", "no such webhook", Vec::new()),
            Err(e) => return error(&e),
        },
        Err(_) => Reply::refused(404, "not_found", "no such webhook", Vec::new()),
    };
    answered(&s, &key, "ops.webhook.deliveries", &id, &reply).await
}

// ---------------------------------------------------------------------------------------
// The document

/// `Idempotency-Key` on a write.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct IdempotencyKey {
    /// Any unique string (a UUID): a repeat with the same key and body returns the first
    /// response (with `Idempotent-Replayed: true`); the same key with another body is refused (422).
    #[serde(rename = "Idempotency-Key")]
    #[param(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
}

/// What a write did.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct WriteResult {
    written: u64,
    created: u64,
    updated: u64,
    /// Offers only: how many prices changed (each is in the price history).
    #[schema(required = false)]
    prices_changed: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct OfferStock {
    store: String,
    sku: String,
    stock: i64,
    /// Bumped by every change of the offer's stock.
    version: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct StockResult {
    written: u64,
    offers: Vec<OfferStock>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct Offer {
    store: String,
    sku: String,
    price_minor: i64,
    list_price_minor: i64,
    stock: i64,
    version: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct ErrorDetail {
    /// Stable: `unauthorized`, `missing_scope`, `invalid_rows`, `version_conflict`, `below_zero`, …
    code: String,
    message: String,
    problems: Vec<Problem>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct ErrorBody {
    error: ErrorDetail,
}

/// One order event.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct EventDoc {
    /// The event's id: keep the ids seen to drop a repeated delivery.
    id: i64,
    #[serde(rename = "type")]
    kind: EventKind,
    order_id: String,
    /// Unix seconds.
    created: i64,
    /// The order as it stood when the event committed: store, mode, status, payment,
    /// window, address, contact, totals in fen, lines (and a refund's id and amount).
    #[schema(value_type = Object)]
    order: Value,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct Feed {
    events: Vec<EventDoc>,
    /// Where the next page starts.
    next: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct WebhookCreated {
    id: i64,
    url: String,
    events: Vec<EventKind>,
    /// Signs every delivery; shown only here.
    secret: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct Webhook {
    id: i64,
    url: String,
    events: Vec<EventKind>,
    created: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct Deleted {
    id: i64,
    deleted: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct Delivery {
    id: i64,
    event_id: i64,
    #[serde(rename = "type")]
    kind: EventKind,
    /// `pending`, `delivered` or `failed` (given up after a day).
    state: String,
    attempts: i64,
    next_attempt_at: Option<i64>,
    last_status: Option<i64>,
    last_error: Option<String>,
    delivered_at: Option<i64>,
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key made in the staff console (Brand → API keys), or OPS_BOOTSTRAP_KEY before any exists"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Cloud Store integration API", version = "1",
        description = "Stores, products, offers and stock in; order events out (a feed and webhooks). Every write is all or nothing and takes an Idempotency-Key. Money is integer fen."),
    paths(put_stores, put_products, put_offers, put_stock, post_deltas, get_offer, get_orders, post_webhook, get_webhooks, delete_webhook, get_deliveries),
    modifiers(&BearerAuth),
    tags((name = "catalogue"), (name = "stock"), (name = "orders"), (name = "webhooks")),
)]
pub struct ApiDoc;

/// The document as served.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi() -> Response {
    let mut r = axum::Json(document()).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
