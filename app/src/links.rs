//! URLs of the app's pages, built in one place (server and browser).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters is escaped in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The current page's path and query, to come back to after a form post.
pub fn here(location: &leptos_router::location::Location) -> String {
    use leptos::prelude::GetUntracked;
    // `search` comes without its `?`.
    let (path, search) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

pub fn bag() -> &'static str {
    "/bag"
}

pub fn checkout(store: &str) -> String {
    format!("/checkout/{store}")
}

pub fn kiosk(store: &str) -> String {
    format!("/kiosk/{store}")
}

pub fn kiosk_browse(store: &str) -> String {
    format!("/kiosk/{store}/browse")
}

pub fn kiosk_product(store: &str, sku: &str) -> String {
    format!("/kiosk/{store}/p/{sku}")
}

pub fn kiosk_bag(store: &str) -> String {
    format!("/kiosk/{store}/bag")
}

pub fn store(slug: &str) -> String {
    format!("/s/{slug}")
}

pub fn product(store: &str, sku: &str) -> String {
    format!("/s/{store}/p/{sku}")
}

/// A store's grid with its filters: `/s/x?c=dairy&q=milk&page=2` (empty ones left out).
pub fn store_grid(slug: &str, category: Option<&str>, query: Option<&str>, page: u32) -> String {
    let mut params = Vec::new();
    if let Some(c) = category {
        params.push(format!("c={}", utf8_percent_encode(c, QUERY_VALUE)));
    }
    if let Some(q) = query {
        params.push(format!("q={}", utf8_percent_encode(q, QUERY_VALUE)));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        store(slug)
    } else {
        format!("/s/{slug}?{}", params.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_links_encode_and_omit_defaults() {
        assert_eq!(store_grid("sh-a", None, None, 1), "/s/sh-a");
        assert_eq!(
            store_grid("sh-a", Some("dairy"), None, 2),
            "/s/sh-a?c=dairy&page=2"
        );
        assert_eq!(
            store_grid("sh-a", None, Some("牛奶 & co"), 1),
            "/s/sh-a?q=%E7%89%9B%E5%A5%B6%20%26%20co"
        );
    }
}
