//! Cloud Store: the Leptos app shared by the server (SSR, feature `ssr`) and the browser
//! (hydration, feature `hydrate`): the HTML shell, the router and every page.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod context;
pub mod domain;
pub mod error;
pub mod forms;
#[cfg(test)]
mod layers;
pub mod links;
pub mod pages;
pub mod qr;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod views;

use components::error_page::ErrorPage;
use components::header::SiteHeader;
use error::{AppError, Missing};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The name of the full wasm/JS bundle under `/pkg`, and of the site's CSS (see the
/// Makefile's `bundle`).
pub const BUNDLE_NAME: &str = "cloud_store";
/// The browse bundle: the same app with only the browsing pages' islands (feature
/// `browse`), so a first visit downloads less.
pub const BROWSE_BUNDLE_NAME: &str = "cloud_store_browse";

/// Whether a page at `path` loads the browse bundle: home, nearby, a store's pages and
/// the bag — every other page (checkout, orders, member, kiosk, staff) the full one.
pub fn loads_browse_bundle(path: &str) -> bool {
    path == "/" || path == "/stores" || path == "/bag" || path.starts_with("/s/")
}

/// Where the shell keeps Leptos's hydration scripts until the page has loaded.
pub const HYDRATION_TEMPLATE: &str = "hydration";

/// Puts the hydration scripts (kept inert in their template) into the document once the
/// page's load event has passed and the frame after it is painted; inserted copies run,
/// carrying their nonce.
const HYDRATE_AFTER_LOAD: &str = "addEventListener(\"load\",()=>requestAnimationFrame(()=>\
setTimeout(()=>{const t=document.getElementById(\"hydration\");\
if(t)document.head.append(document.importNode(t.content,true))})),{once:true})";

/// The HTML document around the app (server only: the browser hydrates `<body>`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = context::request_lang();
    #[cfg(feature = "ssr")]
    ssr::request::set_content_security_policy();
    #[cfg(feature = "ssr")]
    let options = bundle_for_this_page(options);
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b6e4f" />
                <link rel="stylesheet" href=format!("/pkg/{BUNDLE_NAME}.css") />
                <link rel="icon" href="/favicon.ico" sizes="any" />
                // The islands are hydrated once the page has loaded: their scripts and wasm
                // do not compete with the page's own CSS and pictures (its largest paint),
                // and every island works as a plain form until then.
                <template id=HYDRATION_TEMPLATE>
                    <HydrationScripts options islands=true />
                </template>
                <script nonce=leptos::nonce::use_nonce() inner_html=HYDRATE_AFTER_LOAD></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The options with the bundle the page being rendered loads.
#[cfg(feature = "ssr")]
fn bundle_for_this_page(mut options: LeptosOptions) -> LeptosOptions {
    if ssr::request::path().is_some_and(|p| loads_browse_bundle(&p)) {
        options.output_name = BROWSE_BUNDLE_NAME.into();
    }
    options
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    context::provide_lang();
    let lang = context::use_lang();
    view! {
        <Router>
            <a class="skip-link" href="#main">
                {domain::i18n::Msg::SkipToContent.t(lang)}
            </a>
            <SiteHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <ErrorPage error=AppError::NotFound(Missing::Page) /> }>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/stores") view=pages::nearby::NearbyPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:store") view=pages::store::StorePage ssr=SsrMode::Async />
                    <Route path=path!("/bag") view=pages::bag::BagPage ssr=SsrMode::Async />
                    <Route path=path!("/bag/take") view=pages::take::TakePage ssr=SsrMode::Async />
                    <Route path=path!("/checkout/:store") view=pages::checkout::CheckoutPage ssr=SsrMode::Async />
                    <Route path=path!("/orders/:id") view=pages::order::OrderPage ssr=SsrMode::Async />
                    <Route path=path!("/member") view=pages::member::MemberPage ssr=SsrMode::Async />
                    <Route path=path!("/member/inbox") view=pages::inbox::InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/member/data") view=pages::member_data::MemberDataPage ssr=SsrMode::Async />
                    <Route path=path!("/member/bookings") view=pages::bookings::MyBookingsPage ssr=SsrMode::Async />
                    <Route path=path!("/demo/inbox") view=pages::member::DemoInboxPage ssr=SsrMode::Async />
                    <Route path=path!("/guide/:code") view=pages::guide::GuidePage ssr=SsrMode::Async />
                    <Route path=path!("/till/:store") view=pages::till::TillPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=pages::console::home::StaffHomePage ssr=SsrMode::Async />
                    // Before `/staff/:store`: the first route that matches is taken.
                    <Route path=path!("/staff/api-keys") view=pages::console::api_keys::ConsoleApiKeysPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store") view=pages::console::orders::ConsoleOrdersPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/staff/:store/orders/:id")
                        view=pages::console::orders::ConsoleOrderPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/staff/:store/team") view=pages::console::team::ConsoleTeamPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store/guides") view=pages::console::guides::ConsoleGuidesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store/audit") view=pages::console::audit::ConsoleAuditPage ssr=SsrMode::Async />
                    // console routes: members who come back
                    <Route path=path!("/staff/:store/coupons") view=pages::console::coupons::ConsoleCouponsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store/audience") view=pages::console::audience::ConsoleAudiencePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store/benefits") view=pages::console::benefits::ConsoleBenefitsPage ssr=SsrMode::Async />
                    <Route path=path!("/checkin/:store") view=pages::check_in::CheckInPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store/labels") view=pages::console::labels::ConsoleLabelsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/:store/labels/print") view=pages::console::labels::LabelSheetPage ssr=SsrMode::Async />
                    // console routes: stock
                    <Route path=path!("/staff/:store/stock") view=pages::console::stock::ConsoleStockPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/staff/:store/stock/import/:id")
                        view=pages::console::stock::StockImportPage
                        ssr=SsrMode::Async
                    />
                    // console routes: services by appointment
                    <Route path=path!("/staff/:store/services") view=pages::console::services::ConsoleServicesPage ssr=SsrMode::Async />
                    // console routes: settings
                    <Route path=path!("/staff/:store/settings") view=pages::console::settings::ConsoleSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/kiosk/:store") view=pages::kiosk::KioskAttractPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/kiosk/:store/browse")
                        view=pages::kiosk::KioskAislePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/kiosk/:store/p/:sku")
                        view=pages::kiosk::KioskProductPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/kiosk/:store/bag") view=pages::kiosk::KioskBagPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:store/services") view=pages::services::ServicesPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/s/:store/p/:sku")
                        view=pages::product::ProductPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{domain::i18n::Msg::Footer.t(lang)}</p>
            </footer>
        </Router>
    }
}

/// Marks `<html data-hydrated>` once the islands are live (browser). Called by the
/// frontend's `hydrate()`, which also makes the linker keep this crate's island exports.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated_after_islands() {
    use std::time::Duration;
    // The page's script hydrates each island right after `hydrate()` returns.
    set_timeout(
        || {
            if let Some(html) = document().document_element() {
                let _ = html.set_attribute("data-hydrated", "true");
            }
        },
        Duration::ZERO,
    );
}
