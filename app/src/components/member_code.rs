//! The member code (an island): a QR and the same 14 digits underneath, with a countdown.
//! The server renders the code of the moment; in the browser the island makes each next
//! code itself from the device's key (see `domain::member_code`), so it keeps rotating
//! with the network off. The QR is drawn by the same `qrcode` crate on both sides.

use crate::context::use_lang;
use crate::domain::i18n::member::{MemberText, refreshes_in};
use crate::domain::member_code::{self, grouped, seconds_left};
use leptos::prelude::*;

// Not in the browse bundle (feature `browse`): no browsing page uses it.
#[cfg_attr(not(feature = "browse"), island)]
#[cfg_attr(feature = "browse", component)]
pub fn MemberCode(device: String, key: String, now: i64) -> impl IntoView {
    let lang = use_lang();
    let key = hex::decode(&key).unwrap_or_default();
    let clock = RwSignal::new(now);
    // Until the island runs, the code does not change by itself: say so (no JavaScript).
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| live.set(true));
        let tick = move || {
            let unix = (js_sys::Date::now() / 1000.0).floor() as i64;
            clock.set(unix);
        };
        tick();
        let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(1));
    }
    let code = Memo::new(move |_| {
        let unix = clock.get();
        member_code::code(&device, &key, unix)
    });
    let label = MemberText::MemberCode.t(lang);
    let qr = move || crate::qr::svg(&code.get(), 240, label).unwrap_or_default();
    view! {
        <div class="qr member-qr" inner_html=qr></div>
        <p class="code-digits" aria-label=label>{move || grouped(&code.get())}</p>
        <p class="countdown" aria-live="off">
            {move || {
                if live.get() {
                    refreshes_in(lang, seconds_left(clock.get()))
                } else {
                    MemberText::ReloadForNewCode.t(lang).to_owned()
                }
            }}
        </p>
    }
}
