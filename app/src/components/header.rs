//! The site header on every page: the brand, the bag with its count, the language switch,
//! and below it the page's notices (a price drop in the bag, a form's result). On a kiosk
//! screen the header is the kiosk's own (no shopper's bag, nothing personal).

use crate::api::bag::get_bag_summary;
use crate::api::home::get_brand;
use crate::components::enhance::FormEnhancer;
use crate::context::use_lang;
use crate::domain::bag::BagSummary;
use crate::domain::i18n::Msg;
use crate::domain::i18n::bag::{self as text, BagText};
use crate::domain::i18n::member::MemberText;
use crate::domain::lang::Lang;
use crate::forms::LanguageForm;
use crate::links::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let kiosk = move || location.pathname.get().starts_with("/kiosk/");
    // The brand link is named by its visible text (the brand), which leads home.
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let brand = get_brand().await.map(|b| b.name).unwrap_or_default();
                let kiosk = kiosk();
                // A kiosk's header shows no shopper's bag; its own bag is on its pages.
                let summary = if kiosk {
                    BagSummary::default()
                } else {
                    get_bag_summary().await.unwrap_or_default()
                };
                view! {
                    <header class="site-header" class:kiosk-header=kiosk>
                        <a class="brand" href="/">
                            <img class="brand-mark" src="/img/logo.svg" alt="" width="28" height="28" />
                            <span class="brand-name">{brand}</span>
                        </a>
                        {(!kiosk).then(|| view! {
                            <HeaderLinks count=summary.count unread=summary.unread />
                        })}
                        <LanguageSwitch />
                    </header>
                    <Notices summary />
                    <FormEnhancer />
                }
            })}
        </Suspense>
    }
}

/// The member link (with the inbox's unread count, for a member who has unread messages)
/// and the bag link: the header's personal links, one piece the page cache lays over.
#[component]
fn HeaderLinks(count: u32, unread: u32) -> impl IntoView {
    let lang = use_lang();
    let inbox = (unread > 0).then(|| {
        let label = crate::domain::i18n::marketing::inbox_label(lang, i64::from(unread));
        // Named by its text ("消息（2 条未读）", hidden but read out), not an aria-label
        // that the badge's digits would not match.
        view! {
            <a class="inbox-link" href=routes::MEMBER_INBOX>
                <svg class="inbox-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M3 6h18v12H3zM3 6l9 7 9-7" fill="none" stroke="currentColor" stroke-width="2" />
                </svg>
                <span class="unread-count" aria-hidden="true">{unread}</span>
                <span class="visually-hidden">{label}</span>
            </a>
        }
    });
    view! {
        <a class="member-link" href="/member">{MemberText::Title.t(lang)}</a>
        {inbox}
        <BagLink count />
    }
}

#[component]
fn BagLink(count: u32) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="bag-link" href="/bag" aria-label=text::bag_label(lang, count)>
            <svg class="bag-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                <path d="M6 7h12l1 14H5L6 7zm3 0a3 3 0 0 1 6 0" fill="none" stroke="currentColor" stroke-width="2" />
            </svg>
            <span class="bag-count" data-bag-count="">{count}</span>
        </a>
    }
}

/// News for this page view: price drops not told before, and the result of a form posted
/// without JavaScript (carried by a one-time cookie).
#[component]
fn Notices(summary: BagSummary) -> impl IntoView {
    notices(use_lang(), take_flash(), summary)
}

fn notices(lang: Lang, flash: Option<(bool, String)>, summary: BagSummary) -> impl IntoView {
    let drops = summary
        .drops
        .into_iter()
        .map(|d| text::drop_notice(lang, &d.name, &d.store_name, d.was, d.now))
        .collect::<Vec<_>>();
    let guide = summary
        .guide
        .map(|(name, store)| crate::domain::i18n::bag::guide_credit(lang, &name, &store));
    let any = flash.is_some() || !drops.is_empty() || guide.is_some();
    any.then(|| {
        view! {
            <section class="notices" aria-label=BagText::Notices.t(lang)>
                {flash.map(|(ok, message)| {
                    view! {
                        <p class="notice" class:notice-error=!ok role=if ok { "status" } else { "alert" }>
                            {message}
                        </p>
                    }
                })}
                {drops
                    .into_iter()
                    .map(|m| view! { <p class="notice notice-drop" role="status">{m}</p> })
                    .collect_view()}
                {guide.map(|g| view! { <p class="notice notice-guide">{g}</p> })}
            </section>
        }
    })
}

/// The header's personal parts, rendered alone by the same components as in a page
/// (server): the bag link and the notices as a shopper without a bag gets them and as
/// this shopper does. The page cache lays them over
/// a page rendered once for every shopper (`server::page_cache`).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PersonalParts {
    pub anonymous_bag_link: &'static str,
    pub bag_link: String,
    /// The notices as a shopper with none gets them (Leptos's placeholder for nothing).
    pub anonymous_notices: &'static str,
    pub notices: String,
}

#[cfg(feature = "ssr")]
pub fn personal_parts(lang: Lang, summary: BagSummary) -> PersonalParts {
    let (anonymous_bag_link, anonymous_notices) = anonymous_parts(lang);
    let told = !summary.drops.is_empty() || summary.guide.is_some();
    PersonalParts {
        anonymous_bag_link,
        bag_link: links_html(lang, summary.count, summary.unread),
        anonymous_notices,
        notices: if told {
            Owner::new().with(|| {
                provide_context(lang);
                notices(lang, None, summary).to_html()
            })
        } else {
            anonymous_notices.to_owned()
        },
    }
}

/// The header's links for `count` in the bag and `unread` messages in `lang`: without
/// unread messages rendered once for each of the counts most bags have.
#[cfg(feature = "ssr")]
fn links_html(lang: Lang, count: u32, unread: u32) -> String {
    use std::sync::OnceLock;
    const KEPT: usize = 100;
    static LINKS: [[OnceLock<String>; KEPT]; Lang::ALL.len()] =
        [const { [const { OnceLock::new() }; KEPT] }; Lang::ALL.len()];
    let render = || {
        Owner::new().with(|| {
            provide_context(lang);
            view! { <HeaderLinks count unread /> }.to_html()
        })
    };
    if unread > 0 {
        return render();
    }
    let slot = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    match LINKS[slot].get(count as usize) {
        Some(kept) => kept.get_or_init(render).clone(),
        None => render(),
    }
}

/// The header's links and notices of a shopper without a bag, in `lang`: rendered once.
#[cfg(feature = "ssr")]
pub fn anonymous_parts(lang: Lang) -> (&'static str, &'static str) {
    use std::sync::OnceLock;
    static PARTS: [OnceLock<(String, String)>; Lang::ALL.len()] =
        [const { OnceLock::new() }; Lang::ALL.len()];
    let slot = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    let (link, notices) = PARTS[slot].get_or_init(|| {
        Owner::new().with(|| {
            provide_context(lang);
            (
                view! { <HeaderLinks count=0 unread=0 /> }.to_html(),
                notices(lang, None, BagSummary::default()).to_html(),
            )
        })
    });
    (link, notices)
}

/// The one-time message of a form just posted, cleared as it is shown (server).
fn take_flash() -> Option<(bool, String)> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::cookies::Cookie;
        use crate::ssr::flash::Flash;
        use crate::ssr::request;
        let flash = request::cookie(Cookie::Flash).and_then(|v| Flash::parse(&v));
        if flash.is_some() {
            request::set_cookie(&Flash::clear_cookie(request::is_https()));
        }
        // A message about one field is shown beside it (`components::field_note`).
        flash
            .filter(|f| f.field.is_none())
            .map(|f| (f.ok, f.message))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A plain form that posts to `/lang`: works without JavaScript, and the server sends the
/// shopper back to the page they were on, now in the other language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let back = crate::links::here(&use_location());
    view! {
        <form class="lang-switch" method="post" action=routes::LANG>
            <input type="hidden" name=LanguageForm::FIELDS.back value=back />
            {Lang::ALL
                .into_iter()
                .filter(|l| *l != lang)
                .map(|other| {
                    view! {
                        <button
                            type="submit"
                            name=LanguageForm::FIELDS.lang
                            value=other.tag()
                            lang=other.tag()
                            aria-label=format!("{}: {}", Msg::LanguageLabel.t(lang), other.endonym())
                        >
                            {other.endonym()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
