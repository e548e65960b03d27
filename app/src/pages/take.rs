//! `/bag/take?t=…`: where a phone lands after scanning a kiosk's QR. It says what will be
//! moved and asks before moving (a link that changed things on a GET would be followed by
//! previewers and prefetchers); the button posts to `/bag/take`. A code already used or
//! expired says so in words (with the real 409) and offers the store it came from.

use crate::api::kiosk::{TakePreview, TakeStore, get_take_preview};
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::i18n::Msg;
use crate::domain::i18n::bag::{self as text, BagText};
use crate::forms::TakeForm;
use crate::links;
use crate::links::routes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn TakePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let token = move || query.read_untracked().get("t").unwrap_or_default();
    view! {
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="no-referrer" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let t = token();
                match get_take_preview(t.clone()).await {
                    Ok(TakePreview::Ready { store_name, count }) => view! {
                        <Title text=BagText::TakeTitle.t(lang) />
                        <section class="take" aria-labelledby="take-title">
                            <h1 id="take-title">{BagText::TakeTitle.t(lang)}</h1>
                            <p>{text::take_prompt(lang, count, &store_name)}</p>
                            <form method="post" action=routes::BAG_TAKE>
                                <input type="hidden" name=TakeForm::FIELDS.t value=t />
                                <button type="submit" class="button button-primary">
                                    {BagText::TakeButton.t(lang)}
                                </button>
                            </form>
                        </section>
                    }
                    .into_any(),
                    Ok(TakePreview::Used(store)) => {
                        view! { <Refused title=BagText::TakeUsedTitle hint=BagText::TakeUsedHint store /> }
                            .into_any()
                    }
                    Ok(TakePreview::Expired(store)) => view! {
                        <Refused title=BagText::TakeExpiredTitle hint=BagText::TakeExpiredHint store />
                    }
                    .into_any(),
                    Ok(TakePreview::Empty(store)) => {
                        view! { <Refused title=BagText::TakeEmptyTitle hint=BagText::TakeEmpty store /> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A genuine code that cannot be taken: what happened, and the way on — the store's own
/// cloud store when the code names it, else the home page.
#[component]
fn Refused(title: BagText, hint: BagText, store: Option<TakeStore>) -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::CONFLICT);
    }
    let way_on = match store {
        Some(store) => view! {
            <a class="button button-primary" href=links::store(&store.slug)>
                {text::visit_store(lang, &store.name)}
            </a>
        }
        .into_any(),
        None => {
            view! { <a class="button button-primary" href="/">{Msg::GoHome.t(lang)}</a> }.into_any()
        }
    };
    view! {
        <Title text=title.t(lang) />
        <section class="take take-refused" aria-labelledby="take-title">
            <h1 id="take-title">{title.t(lang)}</h1>
            <p role="alert">{hint.t(lang)}</p>
            {way_on}
        </section>
    }
}
