//! The console's stock and prices pages (server functions; types shared): the store's
//! offers with their recent price changes, and a CSV import's preview. Each asks
//! `ssr::staff::authorize` for `Action::Stock` in that store; changes are form posts (the
//! server's `forms::stock`). Never cached.

use crate::error::AppError;
pub use crate::views::stock::{
    ConsoleStock, ImportChange, ImportProblem, PriceChange, StockFilter, StockImport, StockLine,
};
use leptos::prelude::*;

/// Offers per page of the stock table.
pub const PER_PAGE: u32 = 30;
/// Price changes shown per offer.
pub const HISTORY: i64 = 5;
/// Rows of each of an import's tables shown (the counts say how many there are).
pub const PREVIEW_ROWS: usize = 500;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::api::console::allow;
    use crate::domain::money::Money;
    use crate::domain::staff::Action;
    use crate::error::Missing;
    use crate::ssr::stock;
    use crate::ssr::stores::pick;
    use crate::ssr::{request, staff};
    use std::collections::HashMap;

    pub async fn console_stock(
        store: String,
        q: String,
        filter: String,
        page: u32,
    ) -> Result<ConsoleStock, AppError> {
        let (c, lang) = allow(&store, Action::Stock).await?;
        let db = request::db()?;
        let query = crate::api::home::parse_query(Some(q))?;
        let filter = StockFilter::parse(&filter);
        let page = page.clamp(1, 10_000);
        let (rows, total) = stock::offers(
            &db,
            c.store.id,
            query.as_deref(),
            filter,
            i64::from(PER_PAGE),
            i64::from((page - 1) * PER_PAGE),
        )
        .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.product_id).collect();
        let cal = c.store.calendar();
        let mut history: HashMap<i64, Vec<PriceChange>> = HashMap::new();
        for h in stock::recent_prices(&db, c.store.id, &ids, HISTORY).await? {
            history.entry(h.product_id).or_default().push(PriceChange {
                when: cal.label_instant(lang, h.at),
                who: h.staff_name.unwrap_or_default(),
                price: Money::cny(h.price_minor),
                list_price: Money::cny(h.list_price_minor),
            });
        }
        let total = u32::try_from(total).unwrap_or(0);
        Ok(ConsoleStock {
            frame: staff::frame(&c, lang),
            query: query.unwrap_or_default(),
            filter,
            lines: rows
                .into_iter()
                .map(|r| StockLine {
                    name: pick(lang, &r.name_zh, &r.name_en).to_owned(),
                    history: history.remove(&r.product_id).unwrap_or_default(),
                    sku: r.sku,
                    price: Money::cny(r.price_minor),
                    list_price: Money::cny(r.list_price_minor),
                    stock: r.stock,
                })
                .collect(),
            total,
            page,
            pages: total.div_ceil(PER_PAGE).max(1),
        })
    }

    pub async fn stock_import(store: String, id: String) -> Result<StockImport, AppError> {
        let (c, lang) = allow(&store, Action::Stock).await?;
        let db = request::db()?;
        let preview = stock::preview(&db, c.store.id, &id)
            .await?
            .ok_or(AppError::NotFound(Missing::Page))?;
        let changing: Vec<&stock::PlannedRow> =
            preview.plan.rows.iter().filter(|r| r.changes()).collect();
        let changes = changing
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| {
                let o = &r.offer;
                let price_to = r.price_to.filter(|p| *p != o.price_minor);
                ImportChange {
                    line: r.line,
                    sku: o.sku.clone(),
                    name: pick(lang, &o.name_zh, &o.name_en).to_owned(),
                    stock_seen: r.seen,
                    stock_to: r.stock_to,
                    stock_now: (o.stock != r.seen).then_some(o.stock),
                    price_now: Money::cny(o.price_minor),
                    price_to: price_to.map(Money::cny),
                    list_raised_to: price_to.filter(|p| *p > o.list_price_minor).map(Money::cny),
                }
            })
            .collect();
        let problems = preview
            .plan
            .problems
            .iter()
            .take(PREVIEW_ROWS)
            .map(|p| ImportProblem {
                line: p.line,
                text: p.text.clone(),
                problem: p.problem,
            })
            .collect();
        Ok(StockImport {
            frame: staff::frame(&c, lang),
            applied: preview
                .applied_at
                .map(|at| c.store.calendar().label_instant(lang, at)),
            changes,
            changes_total: changing.len(),
            problems,
            problems_total: preview.plan.problems.len(),
            id,
        })
    }
}

#[server]
pub async fn get_console_stock(
    store: String,
    q: String,
    filter: String,
    page: u32,
) -> Result<ConsoleStock, AppError> {
    server::console_stock(store, q, filter, page).await
}

#[server]
pub async fn get_stock_import(store: String, id: String) -> Result<StockImport, AppError> {
    server::stock_import(store, id).await
}
