//! A page micro-cache: for one second, the store and product pages (and home) are
//! rendered once for every shopper and served again from memory. What every shopper is
//! shown is the page a shopper without cookies gets, so this changes no page, only how
//! often it is rendered; it holds at most a second's staleness of stock and open-now.
//! Each server keeps its own.
//!
//! - A request with no cookie but `lang` gets the shared page as it is.
//! - A shopper with a bag or a guide's credit (cookies `sid` and `guide` besides `lang`,
//!   nothing else) gets the shared page with the header's personal parts laid over it:
//!   the bag link with their count, and their notices (price drops, the guide's credit)
//!   in place of the shared page's none,
//!   rendered per request by the header's own components (`personal_parts`) from one
//!   reckoning of their bag. If the shared page does not hold the anonymous bag link
//!   exactly once, the page is rendered in full instead.
//! - A shopper whose location is known (cookie `loc`) gets the shared page with what is
//!   near them laid over it, from the same components as a full render: on home (without
//!   a search) the stores nearest them, on a product page where it is in stock near them
//!   (in place of the shared page's other stores of the city). The store page does not
//!   depend on it. Any other page with a location is rendered in full.
//! - Anything else — another cookie (a one-time form message, a staff or kiosk session),
//!   a non-GET, another path — and any shared render that sets a cookie, is not a 200 or
//!   says `no-store`, passes straight through.
//!
//! Each response says which in `X-Page-Cache`: `hit`, `miss`, `personal` or `bypass`.

use app::components::header::PersonalParts;
use app::domain::geo::LatLon;
use app::domain::lang::Lang;
use app::ssr::cookies::{self, Cookie};
use app::ssr::db::Db;
use app::ssr::micro_cache::MicroCache;
use app::ssr::state::Caches;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::sync::Arc;
use std::time::Duration;

pub const TTL: Duration = Duration::from_secs(1);
const MAX_ENTRIES: usize = 5_000;
const MAX_BODY: usize = 2 << 20;

/// A rendered page: its content type, its bytes, its Content-Security-Policy with the
/// nonce the page's scripts carry, and where a shopper's header parts go (worked out once,
/// when the page is kept).
#[derive(Debug)]
struct Page {
    content_type: HeaderValue,
    csp: Option<String>,
    nonce: Option<String>,
    body: Bytes,
    /// Where the anonymous bag link starts and where the header ends; `None`: the page is
    /// not shaped for an overlay (see [`overlay_points`]).
    overlay: Option<(usize, usize)>,
    /// The bytes a shopper's near-them part replaces;
    /// `None`: the page has no such place (see [`near_slot`]).
    near: Option<(usize, usize)>,
}

/// A stretch of a shared page and what one shopper gets in its place.
struct Splice<'a> {
    from: usize,
    to: usize,
    with: &'a [u8],
}

impl Page {
    fn new(
        content_type: HeaderValue,
        csp: Option<String>,
        body: Bytes,
        lang: Lang,
        path: &str,
    ) -> Self {
        let (link, notices) = app::components::header::anonymous_parts(lang);
        Page {
            content_type,
            nonce: csp.as_deref().and_then(nonce_of).map(str::to_owned),
            csp,
            overlay: overlay_points(&body, link, notices),
            near: near_slot(&body, path),
            body,
        }
    }

    /// The page again, under a fresh nonce: each response's scripts and policy carry a
    /// nonce no earlier response showed.
    fn serve(&self) -> Response {
        self.respond(&self.body)
    }

    /// `body` (this page's, or this page with a shopper's parts) under a fresh nonce.
    fn respond(&self, body: &[u8]) -> Response {
        let (body, csp) = match (&self.csp, &self.nonce) {
            (Some(csp), Some(old)) => {
                let new = leptos::nonce::Nonce::new().to_string();
                (
                    Bytes::from(replace_all(body, old.as_bytes(), new.as_bytes())),
                    Some(csp.replace(old.as_str(), &new)),
                )
            }
            _ => (Bytes::copy_from_slice(body), self.csp.clone()),
        };
        let mut response = Body::from(body).into_response();
        if let Some(v) = csp.and_then(|csp| HeaderValue::from_str(&csp).ok()) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, self.content_type.clone());
        response
    }

    /// The header's splices for a shopper's `parts`: the bag link replaced and the
    /// notices put in place of the shared page's none, right after the header. `None` if
    /// the page is not shaped so.
    fn header_splices<'a>(&self, parts: &'a PersonalParts) -> Option<[Splice<'a>; 2]> {
        let (at, after_header) = self.overlay?;
        Some([
            Splice {
                from: at,
                to: at + parts.anonymous_bag_link.len(),
                with: parts.bag_link.as_bytes(),
            },
            Splice {
                from: after_header,
                to: after_header + parts.anonymous_notices.len(),
                with: parts.notices.as_bytes(),
            },
        ])
    }

    /// The page for one shopper: the shared page with `splices` (in the page's order,
    /// not overlapping) laid over it. `None` if they are not so: render it in full instead.
    fn personal(&self, splices: &[Splice<'_>]) -> Option<Response> {
        let body = &self.body[..];
        let extra: usize = splices.iter().map(|s| s.with.len()).sum();
        let mut out = Vec::with_capacity(body.len() + extra);
        let mut last = 0;
        for splice in splices {
            if splice.from < last || splice.to < splice.from || splice.to > body.len() {
                return None;
            }
            out.extend_from_slice(&body[last..splice.from]);
            out.extend_from_slice(splice.with);
            last = splice.to;
        }
        out.extend_from_slice(&body[last..]);
        Some(self.respond(&out))
    }
}

/// Where the anonymous bag link starts and where the header ends, in `body`: `None`
/// unless the link is there exactly once, inside the header, and the anonymous notices
/// (none) follow the header.
fn overlay_points(
    body: &[u8],
    anonymous_bag_link: &str,
    anonymous_notices: &str,
) -> Option<(usize, usize)> {
    let anonymous = anonymous_bag_link.as_bytes();
    let at = find(body, anonymous)?;
    if find(&body[at + anonymous.len()..], anonymous).is_some() {
        return None;
    }
    let after_header = find(body, b"</header>")? + b"</header>".len();
    if after_header < at + anonymous.len()
        || !body[after_header..].starts_with(anonymous_notices.as_bytes())
    {
        return None;
    }
    Some((at, after_header))
}

/// Where a shopper's near-them part goes in the shared page at `path`: on home, the
/// nearest stores' mark for none, right before the results' heading; on a product page, the section of other
/// stores that have it. `None` when it is not there exactly once.
fn near_slot(body: &[u8], path: &str) -> Option<(usize, usize)> {
    let once = |needle: &[u8]| {
        let at = find(body, needle)?;
        find(&body[at + needle.len()..], needle)
            .is_none()
            .then_some(at)
    };
    match near_of_path(path)? {
        NearPart::Home => {
            let at = once(app::pages::home::RESULTS_HEADING.as_bytes())?;
            let none = app::pages::home::no_nearest_html().as_bytes();
            body[..at].ends_with(none).then(|| (at - none.len(), at))
        }
        NearPart::Product { .. } => {
            let at = once(app::pages::product::ELSEWHERE_START.as_bytes())?;
            let end = find(&body[at..], b"</section>")? + b"</section>".len();
            Some((at, at + end))
        }
        NearPart::Nothing => None,
    }
}

/// What of the page at `path` depends on where the shopper is; `None`: not known to be
/// only that, so a shopper with a location gets it rendered in full.
#[derive(Debug, PartialEq, Eq)]
enum NearPart {
    /// Home without a search: the stores nearest them.
    Home,
    /// A product page: where it is in stock near them.
    Product { store: String, sku: String },
    /// A store's page: nothing.
    Nothing,
}

fn near_of_path(path: &str) -> Option<NearPart> {
    if path == "/" {
        return Some(NearPart::Home);
    }
    let segments: Vec<&str> = path.strip_prefix("/s/")?.split('/').collect();
    match segments.as_slice() {
        [store] if !store.is_empty() => Some(NearPart::Nothing),
        [store, "p", sku] if !store.is_empty() && !sku.is_empty() => Some(NearPart::Product {
            store: (*store).to_owned(),
            sku: (*sku).to_owned(),
        }),
        _ => None,
    }
}

/// Where `needle` first is in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The nonce in a policy's `'nonce-…'` source, if any.
fn nonce_of(csp: &str) -> Option<&str> {
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(&csp[start..start + len]).filter(|n| n.len() >= 16)
}

/// `haystack` with every `needle` replaced by `with`.
fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + 64);
    let mut last = 0;
    for at in memchr::memmem::find_iter(haystack, needle) {
        out.extend_from_slice(&haystack[last..at]);
        out.extend_from_slice(with);
        last = at + needle.len();
    }
    out.extend_from_slice(&haystack[last..]);
    out
}

#[derive(Clone, Debug)]
pub struct PageCache {
    pages: Arc<MicroCache<String, Page>>,
    /// For the personal parts: the shopper's bag, drops and guide.
    db: Db,
    /// For the near-them parts: the app's second's copies of stores and stock.
    caches: Arc<Caches>,
}

impl PageCache {
    pub fn new(db: Db, caches: Arc<Caches>) -> Self {
        PageCache {
            pages: Arc::new(MicroCache::new(TTL, MAX_ENTRIES)),
            db,
            caches,
        }
    }
}

/// What the cache does with a request.
#[derive(Debug, PartialEq)]
enum Route {
    /// The shared page, under this key.
    Shared(String),
    /// The shared page under this key, with this shopper's parts laid over it.
    Personal(String, Shopper),
    /// Straight through.
    Pass,
}

/// What of a shared page is one shopper's own.
#[derive(Debug, PartialEq)]
struct Shopper {
    /// A bag or a guide's credit: the header's bag link and notices.
    header: bool,
    /// Where they are, and what of this page depends on it.
    near: Option<(LatLon, NearPart)>,
}

/// Cookies whose whole effect on these pages is the header's personal parts.
fn personal_cookie(name: &str) -> bool {
    [Cookie::ShopperSession, Cookie::Guide]
        .into_iter()
        .any(|c| is_cookie(name, c))
}

/// Home and a store's pages; not a store's services page, which is a member's own (who
/// is signed in decides whether it offers booking).
fn shared_path(path: &str) -> bool {
    path == "/" || (path.starts_with("/s/") && !path.ends_with("/services"))
}

fn route_of(method: &Method, uri: &http::Uri, headers: &HeaderMap) -> Route {
    let path = uri.path();
    if *method != Method::GET || !shared_path(path) {
        return Route::Pass;
    }
    let mut header = false;
    for (name, _) in cookies::pairs(headers) {
        if name == Cookie::Lang.plain_name() || is_cookie(name, Cookie::Location) {
            continue;
        }
        if !personal_cookie(name) {
            return Route::Pass;
        }
        header = true;
    }
    // The location as the page would read it: one it cannot read is no location.
    let near = match cookies::read(headers, Cookie::Location).and_then(LatLon::parse_pair) {
        None => None,
        Some(point) => match near_of_path(path) {
            // A search on home lists no nearest stores, but its page is rendered in full
            // (a blank search is no search: the page, not this, knows which).
            Some(NearPart::Home) if uri.query().is_some() => return Route::Pass,
            Some(part) => Some((point, part)),
            None => return Route::Pass,
        },
    };
    // The language is all that varies among the shared pages.
    let lang = app::ssr::request::lang_of_headers(headers);
    let key = format!("{}|{}", lang.tag(), uri);
    if header || near.is_some() {
        Route::Personal(key, Shopper { header, near })
    } else {
        Route::Shared(key)
    }
}

fn is_cookie(name: &str, cookie: Cookie) -> bool {
    name == cookie.name(false) || name == cookie.name(true)
}

fn mark(mut response: Response, how: &'static str) -> Response {
    response
        .headers_mut()
        .insert("x-page-cache", HeaderValue::from_static(how));
    response
}

pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    match route_of(request.method(), request.uri(), request.headers()) {
        Route::Pass => mark(next.run(request).await, "bypass"),
        Route::Shared(key) => match cache.pages.get(&key) {
            Some(page) => mark(page.serve(), "hit"),
            None => match cache.render_shared(key, request, next).await {
                Ok(page) => mark(page.serve(), "miss"),
                Err(response) => mark(response, "bypass"),
            },
        },
        Route::Personal(key, shopper) => cache.personal(key, shopper, request, next).await,
    }
}

impl PageCache {
    /// Renders the shared page and keeps it; the response itself if it may not be shared.
    async fn render_shared(
        &self,
        key: String,
        request: Request,
        next: Next,
    ) -> Result<Arc<Page>, Response> {
        let lang = app::ssr::request::lang_of_headers(request.headers());
        let path = request.uri().path().to_owned();
        let response = next.run(request).await;
        let cacheable = response.status() == StatusCode::OK
            && !response.headers().contains_key(header::SET_COOKIE)
            && !response
                .headers()
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("no-store"));
        if !cacheable {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
            return Err((StatusCode::INTERNAL_SERVER_ERROR, "").into_response());
        };
        let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() else {
            return Err(Response::from_parts(parts, Body::from(bytes)));
        };
        let csp = parts
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(self
            .pages
            .put(key, Page::new(content_type, csp, bytes, lang, &path)))
    }

    /// A shopper's page: the shared one (from memory, or rendered as a shopper without
    /// cookies would get it) with their parts laid over it; rendered in full when that
    /// cannot be done.
    async fn personal(
        &self,
        key: String,
        shopper: Shopper,
        request: Request,
        next: Next,
    ) -> Response {
        let (parts, body) = request.into_parts();
        let full = |parts, body, next: Next| async move {
            mark(next.run(Request::from_parts(parts, body)).await, "bypass")
        };
        let page = match self.pages.get(&key) {
            Some(page) => page,
            None => {
                let mut shared = Request::from_parts(parts.clone(), Body::empty());
                let lang = cookies::read(&parts.headers, Cookie::Lang)
                    .and_then(|v| HeaderValue::from_str(&format!("lang={v}")).ok());
                shared.headers_mut().remove(header::COOKIE);
                if let Some(lang) = lang {
                    shared.headers_mut().insert(header::COOKIE, lang);
                }
                match self.render_shared(key, shared, next.clone()).await {
                    Ok(page) => page,
                    Err(_) => return full(parts, body, next).await,
                }
            }
        };
        let lang = app::ssr::request::lang_of_headers(&parts.headers);
        // Shaped for the overlay? Asked before the bag is reckoned: reckoning tells the
        // shopper's price drops, which a full render after it would not show again.
        let shaped = (!shopper.header || page.overlay.is_some())
            && match &shopper.near {
                None | Some((_, NearPart::Nothing)) => true,
                Some(_) => page.near.is_some(),
            };
        if !shaped {
            tracing::warn!(uri = %parts.uri, "a shared page not shaped for a shopper's parts: rendered in full");
            return full(parts, body, next).await;
        }
        // What is near them, before the bag for the same reason.
        let near = match &shopper.near {
            None | Some((_, NearPart::Nothing)) => None,
            Some((point, NearPart::Home)) => {
                match app::api::home::nearest_to(
                    &self.db,
                    &self.caches,
                    lang,
                    chrono::Utc::now(),
                    *point,
                )
                .await
                {
                    Ok(stores) => Some(app::pages::home::nearest_html(lang, stores)),
                    Err(_) => return full(parts, body, next).await,
                }
            }
            Some((point, NearPart::Product { store, sku })) => {
                match app::api::catalog::in_stock_near(
                    &self.db,
                    &self.caches,
                    lang,
                    store,
                    sku,
                    *point,
                )
                .await
                {
                    Ok(Some(elsewhere)) => Some(app::pages::product::near_you_html(
                        lang,
                        sku.clone(),
                        elsewhere,
                    )),
                    _ => return full(parts, body, next).await,
                }
            }
        };
        let header = if shopper.header {
            match app::ssr::bag::summary_of_request(&self.db, &parts.headers, lang).await {
                Ok(summary) => Some(app::components::header::personal_parts(lang, summary)),
                Err(_) => return full(parts, body, next).await,
            }
        } else {
            None
        };
        let mut splices = Vec::with_capacity(3);
        if let Some(header) = &header {
            match page.header_splices(header) {
                Some(s) => splices.extend(s),
                None => return full(parts, body, next).await,
            }
        }
        if let (Some(html), Some((from, to))) = (&near, page.near) {
            splices.push(Splice {
                from,
                to,
                with: html.as_bytes(),
            });
        }
        match page.personal(&splices) {
            Some(response) => mark(response, "personal"),
            None => full(parts, body, next).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if !cookie.is_empty() {
            h.insert(header::COOKIE, cookie.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_cached_page_is_served_under_a_fresh_nonce() {
        let csp = "script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'wasm-unsafe-eval'";
        assert_eq!(nonce_of(csp), Some("AAAAAAAAAAAAAAAAAAAAAA"));
        assert_eq!(nonce_of("script-src 'self'"), None);
        let page = Page {
            content_type: HeaderValue::from_static("text/html"),
            csp: Some(csp.to_owned()),
            nonce: Some("AAAAAAAAAAAAAAAAAAAAAA".to_owned()),
            body: Bytes::from_static(
                b"<script nonce=\"AAAAAAAAAAAAAAAAAAAAAA\">a</script><link nonce=\"AAAAAAAAAAAAAAAAAAAAAA\">",
            ),
            overlay: None,
            near: None,
        };
        let a = page.serve();
        let b = page.serve();
        let policy = |r: &Response| {
            r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned()
        };
        let (pa, pb) = (policy(&a), policy(&b));
        assert_ne!(pa, pb, "each hit gets its own nonce");
        assert!(!pa.contains("AAAAAAAAAAAAAAAAAAAAAA"));
        let nonce = nonce_of(&pa).unwrap().to_owned();
        assert_eq!(replace_all(b"xAAy", b"AA", b"B"), b"xBy");
        let body = futures_lite_body(a);
        assert_eq!(body.matches(&nonce).count(), 2, "{body}");
    }

    fn futures_lite_body(r: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let bytes = to_bytes(r.into_body(), usize::MAX).await.unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        })
    }

    #[test]
    fn shared_pages_are_for_anonymous_gets_and_bags_guides_and_places_get_them_overlaid() {
        let uri: http::Uri = "/s/sh-a?c=dairy".parse().unwrap();
        let route = |cookie: &str| route_of(&Method::GET, &uri, &headers(cookie));
        assert!(matches!(route(""), Route::Shared(_)));
        assert!(matches!(route("lang=en"), Route::Shared(k) if k.starts_with("en|")));
        // A location the page cannot read is none.
        assert!(matches!(route("loc=north"), Route::Shared(_)));
        for cookie in [
            "sid=abc",
            "__Host-sid=abc",
            "guide=G001A.1",
            "lang=en; sid=a; guide=G",
        ] {
            assert!(
                matches!(
                    route(cookie),
                    Route::Personal(
                        _,
                        Shopper {
                            header: true,
                            near: None
                        }
                    )
                ),
                "{cookie}"
            );
        }
        let shanghai = LatLon::parse_pair("31,121").unwrap();
        assert_eq!(
            route("lang=en; sid=a"),
            Route::Personal(
                format!("en|{uri}"),
                Shopper {
                    header: true,
                    near: None
                }
            )
        );
        assert_eq!(
            route("lang=en; loc=31,121"),
            Route::Personal(
                format!("en|{uri}"),
                Shopper {
                    header: false,
                    near: Some((shanghai, NearPart::Nothing))
                }
            )
        );
        let at = |path: &str, cookie: &str| {
            route_of(&Method::GET, &path.parse().unwrap(), &headers(cookie))
        };
        assert_eq!(
            at("/s/sh-a/p/HC1?shelf=1", "sid=a; loc=31,121"),
            Route::Personal(
                "zh-CN|/s/sh-a/p/HC1?shelf=1".into(),
                Shopper {
                    header: true,
                    near: Some((
                        shanghai,
                        NearPart::Product {
                            store: "sh-a".into(),
                            sku: "HC1".into()
                        }
                    ))
                }
            )
        );
        assert!(matches!(
            at("/", "loc=31,121"),
            Route::Personal(
                _,
                Shopper {
                    near: Some((_, NearPart::Home)),
                    ..
                }
            )
        ));
        // With a location: a search on home, or a page not known to use it, in full.
        assert_eq!(at("/?q=milk", "loc=31,121"), Route::Pass);
        assert_eq!(at("/s/sh-a/p/HC1/", "loc=31,121"), Route::Pass);
        assert_eq!(at("/s/sh-a/x", "loc=31,121"), Route::Pass);
        assert!(matches!(at("/?q=milk", "sid=a"), Route::Personal(..)));
        for cookie in [
            "flash=ok.x",
            "sid=abc; flash=ok.x",
            "loc=31,121; flash=ok.x",
            "tid=staff",
            "kid=screen",
        ] {
            assert_eq!(route(cookie), Route::Pass, "{cookie}");
        }
        assert_eq!(route_of(&Method::POST, &uri, &headers("")), Route::Pass);
        for path in [
            "/bag",
            "/member",
            "/checkout/sh-a",
            "/orders/CS1",
            "/demo/inbox",
            "/kiosk/sh-a",
            "/s/sh-a/services",
        ] {
            for cookie in ["sid=a", "loc=31,121"] {
                assert_eq!(at(path, cookie), Route::Pass, "{path} {cookie}");
            }
        }
    }

    #[test]
    fn the_near_part_has_its_one_place() {
        let none = app::pages::home::no_nearest_html();
        let home = format!(
            "<main>{none}{}x</h2></main>",
            app::pages::home::RESULTS_HEADING
        );
        assert_eq!(near_slot(home.as_bytes(), "/"), Some((6, 6 + none.len())));
        let unmarked = format!("<main>{}x</h2></main>", app::pages::home::RESULTS_HEADING);
        assert_eq!(near_slot(unmarked.as_bytes(), "/"), None);
        let twice = format!("{0}{0}", app::pages::home::RESULTS_HEADING);
        assert_eq!(near_slot(twice.as_bytes(), "/"), None);
        let start = app::pages::product::ELSEWHERE_START;
        let product = format!("<main><section>a</section>{start}<h2>b</h2></section><p></p>");
        let (from, to) = near_slot(product.as_bytes(), "/s/a/p/B").unwrap();
        assert_eq!(&product[from..to], format!("{start}<h2>b</h2></section>"));
        assert_eq!(near_slot(product.as_bytes(), "/s/a"), None);
        assert_eq!(near_slot(b"<main></main>", "/s/a/p/B"), None);
    }

    #[test]
    fn the_overlay_replaces_the_bag_link_once_and_puts_notices_after_the_header() {
        let page = |body: &'static str| Page {
            content_type: HeaderValue::from_static("text/html"),
            csp: None,
            nonce: None,
            body: Bytes::from_static(body.as_bytes()),
            overlay: overlay_points(body.as_bytes(), "<a>0</a>", "<!>"),
            near: None,
        };
        let parts = PersonalParts {
            anonymous_bag_link: "<a>0</a>",
            bag_link: "<a>3</a>".into(),
            anonymous_notices: "<!>",
            notices: "<section class=\"notices\">drop</section>".into(),
        };
        let overlaid = |page: Page| {
            let splices = page.header_splices(&parts)?;
            page.personal(&splices)
        };
        let good = page("<header><a>0</a></header><!><main><a>0!</a><!></main>");
        let body = futures_lite_body(overlaid(good).unwrap());
        assert_eq!(
            body,
            "<header><a>3</a></header><section class=\"notices\">drop</section><main><a>0!</a><!></main>"
        );
        for bad in [
            "<header></header><!><main></main>",
            "<header><a>0</a><a>0</a></header><!>",
            "<header></header><!><a>0</a>",
            "<header><a>0</a></header><section class=\"notices\">x</section>",
        ] {
            assert!(overlaid(page(bad)).is_none(), "{bad}");
        }
    }
}
