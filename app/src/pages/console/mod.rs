//! The staff side: `/staff` (sign in; then one's stores) and each store's console under
//! `/staff/{store}`: orders, stock and prices, delivery and pick-up settings, services by
//! appointment, team, guides' results and the audit log (the till stays at
//! `/till/{store}`); and, for brand admins only, the brand's API keys at
//! `/staff/api-keys`. Plain pages and forms: everything works without JavaScript; the
//! order queue also updates itself when hydrated. Every page is checked against the
//! person's role for that store.

pub mod api_keys;
pub mod audience;
pub mod audit;
pub mod benefits;
pub mod coupons;
pub mod guides;
pub mod home;
pub mod labels;
pub mod orders;
pub mod services;
pub mod settings;
pub mod stock;
pub mod team;

use crate::context::use_lang;
use crate::domain::i18n::staff::{StaffText as T, role_name};
use crate::domain::lang::Lang;
use crate::domain::staff::Action;
use crate::links::{self, routes};
use crate::views::console::ConsoleFrame;
use leptos::prelude::*;

/// The pages of a store's console, in the nav's order: the action each needs, its path
/// under `/staff/{store}` (`None`: the till, at `/till/{store}`) and its name.
const PAGES: [(Action, Option<&str>, T); 12] = [
    (Action::Orders, Some(""), T::NavOrders),
    (Action::Till, None, T::NavTill),
    (Action::Stock, Some("stock"), T::NavStock),
    (Action::Stock, Some("labels"), T::NavLabels),
    (Action::Settings, Some("settings"), T::NavSettings),
    (Action::Services, Some("services"), T::NavServices),
    (Action::Team, Some("team"), T::NavTeam),
    (Action::OwnResults, Some("guides"), T::NavGuides),
    (Action::Coupons, Some("coupons"), T::NavCoupons),
    (Action::Audience, Some("audience"), T::NavAudience),
    (Action::Coupons, Some("benefits"), T::NavBenefits),
    (Action::Audit, Some("audit"), T::NavAudit),
];

/// Where a person lands in a store: the orders when they may see them, else their
/// guide results.
pub fn landing(store: &str, may_orders: bool) -> String {
    if may_orders {
        links::console(store, "")
    } else {
        links::console(store, "guides")
    }
}

/// The console's header: the store, who is signed in as what, and the pages they may
/// open (`current` is this page's path under the store: "", "stock", …); a brand admin
/// also the brand's own pages.
#[component]
pub fn ConsoleNav(frame: ConsoleFrame, current: &'static str) -> impl IntoView {
    let lang = use_lang();
    let slug = frame.store_slug.clone();
    let links = PAGES
        .into_iter()
        .filter(|(action, _, _)| frame.may(*action))
        .map(|(_, page, name)| {
            let (href, here) = match page {
                Some(p) => (links::console(&slug, p), p == current),
                None => (links::till(&slug), current == "till"),
            };
            view! {
                <li>
                    <a href=href aria-current=here.then_some("page")>{name.t(lang)}</a>
                </li>
            }
        })
        .collect_view();
    let brand = frame.brand_admin.then(|| {
        view! {
            <li>
                <a href=routes::STAFF_API_KEYS>{T::NavApiKeys.t(lang)}</a>
            </li>
        }
    });
    view! {
        <header class="console-head">
            <p class="console-store">
                <a href=links::staff_home()>{T::Console.t(lang)}</a>
                " · "<strong>{frame.store_name.clone()}</strong>
            </p>
            <p class="console-who">
                {frame.user_name.clone()}" · "{who(lang, &frame)}
            </p>
            <nav aria-label=T::Console.t(lang)>
                <ul class="console-nav">{links}{brand}</ul>
            </nav>
        </header>
    }
}

fn who(lang: Lang, frame: &ConsoleFrame) -> &'static str {
    if frame.brand_admin {
        T::RoleBrandAdmin.t(lang)
    } else {
        role_name(lang, frame.role)
    }
}

/// A console page's body: the frame's nav, then the page, or the error page.
#[macro_export]
macro_rules! console_page {
    ($title:expr, $fetch:expr, |$data:ident| $body:expr) => {{
        use leptos::prelude::*;
        let lang = $crate::context::use_lang();
        view! {
            <leptos_meta::Title text=$title.t(lang) />
            <leptos_meta::Meta name="robots" content="noindex" />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match $fetch.await {
                        Ok($data) => $body.into_any(),
                        Err(error) => view! { <$crate::components::error_page::ErrorPage error /> }.into_any(),
                    }
                })}
            </Transition>
        }
    }};
}
