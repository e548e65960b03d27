//! Form bodies (and the guide link's query) as axum's `Form` and `Query` read them:
//! `serde_urlencoded` into each of the app's form structs (`app::forms`, and the checkout's
//! `PlaceForm`), then the app's own checks of the fields. Nothing panics; a `back=` or
//! `to=` field is exactly what `LocalPath::parse` makes of the text sent, so a path on this
//! site or nothing; the store settings form is in range when accepted; the checkout draft
//! kept for the page is bounded.
#![no_main]

use app::domain::bag::Quantity;
use app::domain::console::{FEE_MAX_FEN, PRICE_MAX_FEN, RADIUS_MAX_KM};
use app::domain::console::{
    PAUSE_MAX_MIN, PauseScope, parse_count, parse_special_date, parse_special_hours, parse_stock,
    parse_yuan,
};
use app::domain::lang::Lang;
use app::domain::order::{Status, parse_phone};
use app::domain::product::Sku;
use app::domain::redirect::LocalPath;
use app::domain::staff::Role;
use app::domain::store::StoreSlug;
use app::forms::*;
use app::ssr::checkout_form::draft_of;
use app::ssr::store_settings::{CAPACITY_MAX, LEAD_MAX_MIN, StoreSettings};
use app::ssr::{guides, stock};
use app::views::checkout::PlaceForm;
use cloud_store_fuzz::assert_stays_on_site;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_urlencoded::from_bytes;

fn form<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    from_bytes(body).ok()
}

fuzz_target!(|body: &[u8]| {
    // The raw pairs, to compare a path field with what was sent.
    let pairs: Vec<(String, String)> = from_bytes(body).unwrap_or_default();
    let sent = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let path_field = |name: &str, field: &LocalPath| {
        let raw = sent(name).unwrap_or_default();
        assert_eq!(field, &LocalPath::parse(raw), "{name}={raw:?}");
        assert_stays_on_site(raw, field.get());
    };

    if let Some(f) = form::<LanguageForm>(body) {
        path_field("back", &f.back);
        let _ = Lang::from_tag(&f.lang);
    }
    if let Some(f) = form::<LineForm>(body) {
        path_field("back", &f.back);
        let _ = (StoreSlug::parse(&f.store), Sku::parse(&f.sku));
        let _ = Quantity::parse(f.quantity.as_deref().unwrap_or("1"));
    }
    if let Some(f) = form::<StaffLoginForm>(body) {
        path_field("back", &f.back);
        let _ = parse_phone(&f.phone);
    }
    if let Some(f) = form::<StaffAdvanceForm>(body) {
        path_field("back", &f.back);
        let _ = Status::parse(f.to.trim());
    }
    if let Some(f) = form::<OfferSetForm>(body) {
        path_field("back", &f.back);
        let _ = (
            Sku::parse(&f.sku),
            parse_yuan(&f.price),
            parse_yuan(&f.list_price),
        );
        let _ = (parse_stock(&f.stock), parse_stock(&f.was_stock));
    }
    if let Some(f) = form::<GuideLinkQuery>(body) {
        path_field("to", &f.to);
    }
    if let Some(f) = form::<StoreSettingsForm>(body)
        && let Ok(s) = StoreSettings::parse(&f)
    {
        assert!((0..=CAPACITY_MAX).contains(&s.window_capacity), "{s:?}");
        assert!(
            (0..=i64::from(RADIUS_MAX_KM) * 1000).contains(&s.delivery_radius_m),
            "{s:?}"
        );
        assert!((0..=FEE_MAX_FEN).contains(&s.delivery_fee_minor), "{s:?}");
        assert!(
            (0..=PRICE_MAX_FEN).contains(&s.free_delivery_from_minor),
            "{s:?}"
        );
        assert!((0..=LEAD_MAX_MIN).contains(&s.pickup_lead_min), "{s:?}");
        assert_eq!(s.changes(&s), (String::new(), String::new()));
    }
    if let Some(f) = form::<PlaceForm>(body) {
        let d = draft_of(&f);
        assert!(
            d.address.chars().count() <= 120 && d.name.chars().count() <= 32,
            "{d:?}"
        );
        assert!(d.phone.chars().count() <= 20, "{d:?}");
        assert!(
            d.place
                .as_ref()
                .is_none_or(|p| !p.is_empty() && p.chars().count() <= 64)
        );
    }
    if let Some(f) = form::<TeamAddForm>(body) {
        let _ = (parse_phone(&f.phone), Role::parse(&f.role));
    }
    if let Some(f) = form::<PauseForm>(body) {
        let _ = PauseScope::parse(f.scope.trim());
        let _ = parse_count(&f.minutes, 0..=PAUSE_MAX_MIN);
    }
    if let Some(f) = form::<SpecialDayForm>(body) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 21).expect("a date");
        let _ = (
            parse_special_date(&f.date, today),
            parse_special_hours(&f.hours),
        );
    }
    if let Some(f) = form::<WindowCapacityForm>(body) {
        let _ = parse_count(&f.capacity, 0..=CAPACITY_MAX);
    }
    if let Some(f) = form::<StockApplyForm>(body) {
        let _ = stock::is_import_id(&f.import);
    }
    if let Some(f) = form::<TillMemberForm>(body) {
        let _ = app::domain::member_code::parse(&f.code);
    }
    if let Some(f) = form::<MemberPhoneForm>(body) {
        let _ = parse_phone(&f.phone);
    }
    // The rest are read as they are, and checked against the database.
    let _ = form::<TakeForm>(body);
    let _ = form::<KioskResetForm>(body);
    let _ = form::<CancelForm>(body);
    let _ = form::<MemberCodeForm>(body);
    let _ = form::<TillCollectForm>(body);
    let _ = form::<TillAdvanceForm>(body);
    let _ = form::<TillRedeemForm>(body);
    let _ = form::<TillPointsForm>(body);
    let _ = form::<StaffLogoutForm>(body);
    let _ = form::<StaffPasswordForm>(body);
    let _ = form::<StaffCancelForm>(body);
    let _ = form::<TeamResetForm>(body);
    let _ = form::<TeamRemoveForm>(body);
    let _ = form::<StockPreviewForm>(body);
    let _ = form::<SpecialDayRemoveForm>(body);
    let _ = guides::parse_code(sent("code").unwrap_or_default());
});
