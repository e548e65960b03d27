//! The site header on every page: the brand and the language switch (server and browser).

use crate::api::home::get_brand;
use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::domain::lang::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn SiteHeader() -> impl IntoView {
    // The brand link is named by its visible text (the brand), which leads home.
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <img class="brand-mark" src="/img/logo.svg" alt="" width="28" height="28" />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        get_brand().await.map(|b| view! { <span class="brand-name">{b.name}</span> }).ok()
                    })}
                </Suspense>
            </a>
            <LanguageSwitch />
        </header>
    }
}

/// A plain form that posts to `/lang`: works without JavaScript, and the server sends the
/// shopper back to the page they were on, now in the other language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    // `search` comes without its `?`.
    let back = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    view! {
        <form class="lang-switch" method="post" action="/lang">
            <input type="hidden" name="back" prop:value=back value=back />
            {Lang::ALL
                .into_iter()
                .filter(|l| *l != lang)
                .map(|other| {
                    view! {
                        <button
                            type="submit"
                            name="lang"
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
