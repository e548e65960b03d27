//! `GET /g/{code}`: a guide's share link. It credits the guide (first touch, 30 days; see
//! `app::ssr::guides`) and goes on to `?to=` — a store or product page on this site — or
//! to the guide's own store. An unknown code still takes the shopper where the link
//! points, just without crediting anyone.

use crate::lang::safe_back_path;
use app::ssr::db::Db;
use app::ssr::guides;
use app::ssr::request::lang_of_headers;
use axum::extract::{Extension, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, HeaderValue, header};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Target {
    #[serde(default)]
    to: String,
}

pub async fn arrive(
    Extension(db): Extension<Db>,
    Path(code): Path<String>,
    Query(target): Query<Target>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of_headers(&headers);
    let guide = guides::guide(&db, &code, lang).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "guide lookup failed; following the link without credit");
        None
    });
    let to = match (&guide, target.to.is_empty()) {
        (_, false) => safe_back_path(&target.to).to_owned(),
        (Some(g), true) => app::links::store(&g.store_slug),
        (None, true) => "/".to_owned(),
    };
    let mut response = Redirect::to(&to).into_response();
    if let Some(cookie) = guide.and_then(|g| guides::attribution_cookie(&headers, &g.code))
        && let Ok(value) = HeaderValue::from_str(&cookie)
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
