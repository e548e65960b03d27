//! URLs of the app's pages, built in one place, and the paths of the form posts that both
//! the pages' `action=` and the server's router use (server and browser).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters is escaped in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Where each form posts (see `crate::forms` for what it sends).
pub mod routes {
    pub const LANG: &str = "/lang";
    pub const GUIDE_LINK: &str = "/g/{code}";
    pub const BAG_ADD: &str = "/bag/add";
    pub const BAG_SET: &str = "/bag/set";
    pub const BAG_REMOVE: &str = "/bag/remove";
    pub const BAG_TAKE: &str = "/bag/take";
    pub const KIOSK_ADD: &str = "/kiosk/add";
    pub const KIOSK_RESET: &str = "/kiosk/reset";
    pub const KIOSK_SET: &str = "/kiosk/set";
    pub const KIOSK_REMOVE: &str = "/kiosk/remove";
    pub const CHECKOUT_PLACE: &str = "/checkout/place";
    pub const ORDER_CANCEL: &str = "/orders/cancel";
    /// `GET`: off to the payment provider for this order (a link, so that the provider's
    /// address is a navigation, not a form's action).
    pub const ORDER_PAY: &str = "/orders/{id}/pay";
    /// The payment provider's asynchronous notify (server to server, signed).
    pub const PAYMENT_NOTIFY: &str = "/payment/alipay/notify";
    pub const MEMBER_CODE: &str = "/member/code";
    pub const MEMBER_VERIFY: &str = "/member/verify";
    pub const MEMBER_LOGOUT: &str = "/member/logout";
    /// `GET`: the member's inbox.
    pub const MEMBER_INBOX: &str = "/member/inbox";
    pub const MEMBER_CHOICES: &str = "/member/choices";
    /// `GET`: what the brand holds about the member; `.json` to download it.
    pub const MEMBER_DATA: &str = "/member/data";
    pub const MEMBER_DATA_JSON: &str = "/member/data.json";
    pub const MEMBER_DELETE: &str = "/member/delete";
    pub const STAFF_CAMPAIGN_CREATE: &str = "/staff/coupons/create";
    pub const STAFF_AUDIENCE_SEND: &str = "/staff/audience/send";
    pub const STAFF_BENEFIT_ADD: &str = "/staff/benefits/add";
    pub const STAFF_BENEFIT_TOGGLE: &str = "/staff/benefits/toggle";
    /// `GET` a store's check-in page (its QR at the door); `POST` checks in.
    pub const CHECK_IN: &str = "/checkin";
    /// `GET`: a shelf label's QR code (counted, then the product in the store).
    pub const SHELF_LABEL: &str = "/l/{store}/{sku}";
    pub const STAFF_LOGIN: &str = "/staff/login";
    pub const STAFF_LOGOUT: &str = "/staff/logout";
    pub const STAFF_PASSWORD: &str = "/staff/password";
    pub const STAFF_ORDER_ADVANCE: &str = "/staff/orders/advance";
    pub const STAFF_ORDER_CANCEL: &str = "/staff/orders/cancel";
    pub const STAFF_ORDER_SHORT: &str = "/staff/orders/short";
    pub const STAFF_TEAM_ADD: &str = "/staff/team/add";
    pub const STAFF_TEAM_RESET: &str = "/staff/team/reset";
    pub const STAFF_TEAM_REMOVE: &str = "/staff/team/remove";
    /// The brand's API keys: a brand admin's page, not a store's. The app matches it
    /// before `/staff/{store}` (a store slugged `api-keys` would be hidden behind it).
    pub const STAFF_API_KEYS: &str = "/staff/api-keys";
    pub const STAFF_API_KEY_CREATE: &str = "/staff/api-keys/create";
    pub const STAFF_API_KEY_REVOKE: &str = "/staff/api-keys/revoke";
    pub const STAFF_OFFER_SET: &str = "/staff/stock/set";
    pub const STAFF_STOCK_PREVIEW: &str = "/staff/stock/preview";
    pub const STAFF_STOCK_APPLY: &str = "/staff/stock/apply";
    pub const STAFF_SETTINGS_SAVE: &str = "/staff/settings/save";
    pub const STAFF_WINDOW_CAPACITY: &str = "/staff/settings/window";
    pub const STAFF_PAUSE: &str = "/staff/settings/pause";
    pub const STAFF_SPECIAL_DAY: &str = "/staff/settings/special-day";
    pub const STAFF_SPECIAL_DAY_REMOVE: &str = "/staff/settings/special-day/remove";
    /// A store's guides' results as CSV (GET, `?period=`).
    pub const STAFF_GUIDES_CSV: &str = "/staff/{store}/guides.csv";
    /// The order queue's counts as JSON (GET), for the console's live updates.
    pub const STAFF_QUEUE_JSON: &str = "/staff/{store}/queue.json";
    pub const TILL_COLLECT: &str = "/till/collect";
    pub const TILL_ADVANCE: &str = "/till/advance";
    pub const TILL_MEMBER: &str = "/till/member";
    pub const TILL_REDEEM: &str = "/till/redeem";
    pub const TILL_POINTS: &str = "/till/points";
    pub const TILL_VERIFY: &str = "/till/verify";
    pub const BOOKING_BOOK: &str = "/bookings/book";
    pub const BOOKING_MOVE: &str = "/bookings/move";
    pub const BOOKING_CANCEL: &str = "/bookings/cancel";
    pub const STAFF_SERVICE_SET: &str = "/staff/services/set";
    /// The nearby-stores search (a GET form).
    pub const STORES: &str = "/stores";
    pub const HOME: &str = "/";
}

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

pub const fn member() -> &'static str {
    "/member"
}

/// A member's bookings, with their codes.
pub const fn my_bookings() -> &'static str {
    "/member/bookings"
}

/// A store's services to book.
pub fn services(store: &str) -> String {
    format!("/s/{store}/services")
}

/// A store's till; `?m=` when it is serving a member (a signed token).
pub fn till(store: &str) -> String {
    format!("/till/{store}")
}

/// The staff sign-in and the list of one's stores.
pub const fn staff_home() -> &'static str {
    "/staff"
}

/// A page of a store's console: `console(s, "")` is its order queue; `console(s, "stock")`
/// its stock and prices, and so on.
pub fn console(store: &str, page: &str) -> String {
    if page.is_empty() {
        format!("/staff/{store}")
    } else {
        format!("/staff/{store}/{page}")
    }
}

pub fn console_order(store: &str, id: &str) -> String {
    format!("/staff/{store}/orders/{id}")
}

pub fn order(id: &str) -> String {
    format!("/orders/{id}")
}

/// Where the order's pay button goes (see `routes::ORDER_PAY`).
pub fn order_pay(id: &str) -> String {
    format!("/orders/{id}/pay")
}

/// The order page as the shopper comes back to it from paying: `paying` is when they
/// left (Unix seconds), so the page knows how long it has been waiting for the notify.
pub fn order_paying(id: &str, since: i64) -> String {
    format!("/orders/{id}?paying={since}")
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

/// A store's check-in page: `/checkin/{store}`.
pub fn check_in(store: &str) -> String {
    format!("/checkin/{store}")
}

/// A shelf label's link: `/l/{store}/{sku}`.
pub fn shelf_label(store: &str, sku: &str) -> String {
    format!("/l/{store}/{sku}")
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
