//! `GET /g/{code}`: a guide's share link. It credits the guide (first touch, 30 days; see
//! `app::ssr::guides`) and goes on to `?to=` — a store or product page on this site — or
//! to the guide's own store. An unknown code still takes the shopper where the link
//! points, just without crediting anyone; a `to=` that is not a path on this site is
//! ignored.

use crate::extract::Answer;
use crate::forms::{append_cookie, see_other};
use app::forms::GuideLinkQuery;
use app::ssr::db::Db;
use app::ssr::guides;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use http::HeaderMap;

pub async fn arrive(
    State(db): State<Db>,
    Path(code): Path<String>,
    Query(target): Query<GuideLinkQuery>,
    answer: Answer,
    headers: HeaderMap,
) -> Response {
    let guide = guides::guide(&db, &code, answer.lang)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "guide lookup failed; following the link without credit");
            None
        });
    let to = match (&guide, target.to.get()) {
        (_, Some(to)) => to.to_owned(),
        (Some(g), None) => app::links::store(&g.store_slug),
        (None, None) => "/".to_owned(),
    };
    let mut response = see_other(&to);
    if let Some(cookie) = guide.and_then(|g| guides::attribution_cookie(&headers, &g.code)) {
        append_cookie(&mut response, &cookie);
    }
    response
}
