//! The browser entry point (wasm): hydrates the page's islands and nothing else.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Also the reference that links `app` (and so its `#[island]` exports) into the wasm.
    app::mark_hydrated_after_islands();
}
