//! Embeds schema.org JSON-LD prepared (and made script-safe) on the server.

use leptos::prelude::*;

#[component]
pub fn JsonLd(json: String) -> impl IntoView {
    view! { <script type="application/ld+json" inner_html=json></script> }
}
