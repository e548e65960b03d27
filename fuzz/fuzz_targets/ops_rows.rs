//! The integration API's rows (`app::domain::ops`): whatever a brand's system sends to
//! `/ops/v1` — JSON or NDJSON, any shape — is either refused with problems that each name
//! a row in the request, or accepted as rows that keep every rule: as many as were sent,
//! prices whole fen within range, the list price not below the price, stock never below
//! zero, deltas never zero. A webhook signature header of any shape never verifies.
#![no_main]

use app::domain::ops::{
    MAX_PRICE_FEN, MAX_STOCK, check_offers, check_products, check_stock_deltas, check_stock_sets,
    check_stores, split_rows, verify,
};
use libfuzzer_sys::fuzz_target;

fn indexed(problems: &[app::domain::ops::Problem], n: usize) {
    assert!(!problems.is_empty(), "refused without a reason");
    for p in problems {
        assert!(p.index.is_none_or(|i| i < n), "{p:?} names no row of {n}");
        assert!(!p.code.is_empty() && !p.message.is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert!(!verify("secret", text, data, 1_700_000_000, 300));
    for ndjson in [false, true] {
        let Ok(rows) = split_rows(text, ndjson) else {
            continue;
        };
        let n = rows.len();
        match check_offers(rows.clone()) {
            Ok(ok) => {
                assert_eq!(ok.len(), n);
                for o in ok {
                    assert!((1..=MAX_PRICE_FEN).contains(&o.price_minor));
                    assert!(
                        o.list_price_minor >= o.price_minor && o.list_price_minor <= MAX_PRICE_FEN
                    );
                    assert!(o.stock.is_none_or(|s| (0..=MAX_STOCK).contains(&s)));
                }
            }
            Err(p) => indexed(&p, n),
        }
        match check_stock_sets(rows.clone()) {
            Ok(ok) => {
                assert!(ok.len() == n && ok.iter().all(|s| (0..=MAX_STOCK).contains(&s.stock)))
            }
            Err(p) => indexed(&p, n),
        }
        match check_stock_deltas(rows.clone()) {
            Ok(ok) => assert!(
                ok.len() == n
                    && ok
                        .iter()
                        .all(|d| d.delta != 0 && d.delta.unsigned_abs() <= MAX_STOCK as u64)
            ),
            Err(p) => indexed(&p, n),
        }
        match check_products(rows.clone()) {
            Ok(ok) => assert_eq!(ok.len(), n),
            Err(p) => indexed(&p, n),
        }
        match check_stores(rows, |z| z == "Asia/Shanghai") {
            Ok(ok) => assert!(ok.len() == n && ok.iter().all(|s| s.time_zone == "Asia/Shanghai")),
            Err(p) => indexed(&p, n),
        }
    }
});
