//! A stock-and-price CSV as a store pastes or uploads it (`parse_stock_csv`): every line
//! is either a row or a problem naming its line, rows are in range and unique by SKU, and
//! the rows written back as a CSV read back as the same rows with no problem.
#![no_main]

use app::domain::console::{CSV_MAX_ROWS, PRICE_MAX_FEN, STOCK_MAX, parse_stock_csv};
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(body) = text(data) else {
        return;
    };
    let (rows, problems) = parse_stock_csv(body);
    assert!(rows.len() <= CSV_MAX_ROWS && rows.len() + problems.len() <= CSV_MAX_ROWS + 1);
    let lines: Vec<&str> = body
        .strip_prefix('\u{feff}')
        .unwrap_or(body)
        .lines()
        .collect();

    let mut seen = std::collections::HashSet::new();
    for row in &rows {
        assert!(seen.insert(row.sku.as_str()), "{body:?}: {} twice", row.sku);
        assert!(
            !row.sku.is_empty() && row.sku == row.sku.to_ascii_uppercase(),
            "{row:?}"
        );
        assert!(
            !row.sku.contains(',') && row.sku.trim() == row.sku,
            "{row:?}"
        );
        assert!((0..=STOCK_MAX).contains(&row.stock), "{row:?}");
        assert!(
            row.price_fen
                .is_none_or(|p| (1..=PRICE_MAX_FEN).contains(&p)),
            "{row:?}"
        );
        let line = lines
            .get(row.line - 1)
            .expect("a row names a line of the CSV");
        let first = line.split(',').next().unwrap_or_default().trim();
        assert_eq!(
            first.to_ascii_uppercase(),
            row.sku,
            "{body:?}: line {}",
            row.line
        );
    }
    // Each line is counted once, in order.
    let mut numbers: Vec<usize> = rows.iter().map(|r| r.line).collect();
    numbers.extend(problems.iter().map(|p| p.line));
    let count = numbers.len();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(
        numbers.len(),
        count,
        "{body:?}: a line both a row and a problem"
    );
    assert!(rows.windows(2).all(|w| w[0].line < w[1].line));
    for p in &problems {
        assert!(p.line >= 1 && p.line <= lines.len(), "{p:?}");
        assert!(p.text.chars().count() <= 80, "{p:?}");
    }

    // What was read, written out again under the usual header.
    let mut again = String::from("sku,stock,price_fen\n");
    for row in &rows {
        match row.price_fen {
            Some(p) => again.push_str(&format!("{},{},{p}\n", row.sku, row.stock)),
            None => again.push_str(&format!("{},{}\n", row.sku, row.stock)),
        }
    }
    let (rows_again, problems_again) = parse_stock_csv(&again);
    assert_eq!(problems_again, vec![], "{body:?} written as {again:?}");
    assert_eq!(
        rows_again.len(),
        rows.len(),
        "{body:?} written as {again:?}"
    );
    for (a, b) in rows.iter().zip(&rows_again) {
        assert_eq!(
            (&a.sku, a.stock, a.price_fen),
            (&b.sku, b.stock, b.price_fen),
            "{body:?}"
        );
    }
});
