//! Amounts and counts as typed or sent: the store console's prices in yuan
//! (`console::parse_yuan`, and `parse_yuan_or_zero` for fees), stock counts, settings
//! counts and delivery radii, and a payment provider's amount (`money::parse_yuan`). What
//! is accepted is in range and reads back the same from the text shown or sent
//! (`yuan_field`, `km_field`, `Money::decimal`, `money::format_yuan`); the console's
//! reading of a price agrees with the provider's.
#![no_main]

use app::domain::console::{
    FEE_MAX_FEN, PAUSE_MAX_MIN, PRICE_MAX_FEN, PauseScope, RADIUS_MAX_KM, STOCK_MAX, km_field,
    parse_count, parse_radius_km, parse_stock, parse_yuan, parse_yuan_or_zero, yuan_field,
};
use app::domain::money::{self, Currency, Money};
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    if let Ok(fen) = parse_yuan(s) {
        assert!((1..=PRICE_MAX_FEN).contains(&fen), "{s:?} -> {fen}");
        assert_eq!(parse_yuan(&yuan_field(fen)), Ok(fen), "{s:?}");
        let money = Money::cny(fen);
        assert_eq!(parse_yuan(&money.decimal()), Ok(fen), "{s:?}");
        assert_eq!(money.to_string(), format!("¥{}", money.decimal()));
    }
    if let Ok(fen) = money::parse_yuan(s) {
        assert!(fen >= 0, "{s:?} -> {fen}");
        let text = money::format_yuan(fen).expect("not negative");
        assert_eq!(
            money::parse_yuan(&text),
            Ok(fen),
            "{s:?} sent back as {text:?}"
        );
        assert_eq!(text, Money::cny(fen).decimal());
        // Exactly two decimals and no leading zero: what was sent is what we send.
        let plain = s
            .split_once('.')
            .is_some_and(|(w, d)| d.len() == 2 && (w == "0" || !w.starts_with('0')));
        if plain {
            assert_eq!(text, s);
        }
    }
    if let Ok(fen) = parse_yuan(s) {
        assert_eq!(
            money::parse_yuan(s.trim()),
            Ok(fen),
            "{s:?}: the console and the provider disagree"
        );
    }
    for max in [FEE_MAX_FEN, PRICE_MAX_FEN] {
        if let Ok(fen) = parse_yuan_or_zero(s, max) {
            assert!((0..=max).contains(&fen), "{s:?} -> {fen}");
            assert_eq!(parse_yuan_or_zero(&yuan_field(fen), max), Ok(fen), "{s:?}");
            // Strict prices are the same, bar zero.
            if fen > 0 {
                assert_eq!(parse_yuan(s), Ok(fen), "{s:?}");
            }
        }
    }
    // A price against a list price, as the stock form sends both (`price,list`).
    if let Some((price, list)) = s.split_once(',')
        && let (Ok(price), Ok(list)) = (parse_yuan(price), parse_yuan(list))
        && let Some(off) = Money::cny(price).percent_off(Money::cny(list))
    {
        assert!(price < list && (1..=99).contains(&off), "{s:?} -> {off}%");
    }
    if let Ok(n) = parse_stock(s) {
        assert!((0..=STOCK_MAX).contains(&n), "{s:?} -> {n}");
        assert_eq!(parse_stock(&n.to_string()), Ok(n));
    }
    for range in [0..=1000, 1..=PAUSE_MAX_MIN, -5..=5] {
        if let Ok(n) = parse_count(s, range.clone()) {
            assert!(range.contains(&n), "{s:?} -> {n}");
            assert_eq!(parse_count(&n.to_string(), range), Ok(n));
        }
    }
    if let Ok(metres) = parse_radius_km(s) {
        assert!(
            metres <= RADIUS_MAX_KM * 1000 && metres % 100 == 0,
            "{s:?} -> {metres}"
        );
        assert_eq!(parse_radius_km(&km_field(metres)), Ok(metres), "{s:?}");
    }
    if let Some(scope) = PauseScope::parse(s) {
        assert_eq!(scope.as_str(), s);
    }
    if let Some(currency) = Currency::parse(s) {
        assert_eq!(currency.code(), s);
    }
});
