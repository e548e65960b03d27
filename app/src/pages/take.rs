//! `/bag/take?t=…`: where a phone lands after scanning a kiosk's QR. It says what will be
//! moved and asks before moving (a link that changed things on a GET would be followed by
//! previewers and prefetchers); the button posts to `/bag/take`.

use crate::api::kiosk::get_take_preview;
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::i18n::bag::{self as text, BagText};
use crate::forms::TakeForm;
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
        <Title text=BagText::TakeTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="no-referrer" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let t = token();
                match get_take_preview(t.clone()).await {
                    Ok(preview) => view! {
                        <section class="take" aria-labelledby="take-title">
                            <h1 id="take-title">{BagText::TakeTitle.t(lang)}</h1>
                            <p>{text::take_prompt(lang, preview.count, &preview.store_name)}</p>
                            <form method="post" action=routes::BAG_TAKE>
                                <input type="hidden" name=TakeForm::FIELDS.t value=t />
                                <button type="submit" class="button button-primary">
                                    {BagText::TakeButton.t(lang)}
                                </button>
                            </form>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
