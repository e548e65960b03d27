//! `/guide/{code}`: what a guide shows and sends — a QR of their link (scanned in the
//! store, it credits them for 30 days and opens their store) and the link itself.

use crate::api::guides::get_guide_page;
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::i18n::bag::guide_link_label;
use crate::links;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn GuidePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    view! {
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let code = params.read_untracked().get("code").unwrap_or_default();
                match get_guide_page(code).await {
                    Ok(g) => {
                        let title = guide_link_label(lang, &g.name);
                        view! {
                            <Title text=title.clone() />
                            <section class="hand-off" aria-labelledby="guide-title">
                                <h1 id="guide-title">{title}</h1>
                                <p><a href=links::store(&g.store_slug)>{g.store_name.clone()}</a></p>
                                <div class="qr" inner_html=g.qr_svg.clone()></div>
                                <p class="share-link"><code>{g.link.clone()}</code></p>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
