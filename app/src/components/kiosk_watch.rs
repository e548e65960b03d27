//! The kiosk bag page's watch (an island): while the screen shows a hand-off QR it asks
//! the server every [`EVERY_MS`] how many items the screen's bag still holds, and once a
//! phone has taken them (0) replaces the page with the attract screen, as the idle reset
//! does — so the next person never sees the last shopper's bag or its used code. Without
//! JavaScript the page refreshes itself instead (see `pages::kiosk`).

use leptos::prelude::*;

/// How often the screen asks (ms): a hand-off clears the screen within about this.
pub const EVERY_MS: u64 = 2_000;

// Not in the browse bundle (feature `browse`): no browsing page uses it.
#[cfg_attr(not(feature = "browse"), island)]
#[cfg_attr(feature = "browse", component)]
pub fn KioskWatch(store: String, attract: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start(store, attract);
    #[cfg(not(feature = "hydrate"))]
    let _ = (store, attract);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::EVERY_MS;
    use crate::api::kiosk::get_kiosk_bag_count;
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    pub fn start(store: String, attract: String) {
        // One question at a time: a slow answer is not asked again on top of.
        let asking = Rc::new(Cell::new(false));
        let _ = set_interval_with_handle(
            move || {
                if asking.replace(true) {
                    return;
                }
                let (store, attract, asking) = (store.clone(), attract.clone(), asking.clone());
                leptos::task::spawn_local(async move {
                    // An error (offline, a restart) is asked again next time.
                    if let Ok(0) = get_kiosk_bag_count(store).await {
                        let _ = window().location().replace(&attract);
                        return;
                    }
                    asking.set(false);
                });
            },
            Duration::from_millis(EVERY_MS),
        );
    }
}
