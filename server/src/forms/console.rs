//! The console's order posts — `POST /staff/orders/advance` (the next step; a courier for
//! a delivery leaving), `/staff/orders/cancel` (the store cancels, saying why) and
//! `/staff/orders/short` (a line the store could not pick in full) — and
//! two GETs for the console: the queue's counts as JSON (its live update) and guides'
//! results as CSV. Each is checked against the person's role in that store.

use super::{Reply, finish_beside};
use crate::extract::Answer;
use app::domain::i18n::checkout::{CheckoutText, status as status_name};
use app::domain::i18n::payment::PaymentText;
use app::domain::i18n::staff::StaffText as T;
use app::domain::order::{Status, parse_order_id};
use app::domain::staff::Action;
use app::error::{AppError, Missing};
use app::forms::{StaffAdvanceForm, StaffCancelForm, StaffShortForm};
use app::links;
use app::ssr::console::{self, OrderRefusal, Period};
use app::ssr::db::Db;
use app::ssr::payments::{self, ShortRefusal};
use app::ssr::staff;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};

fn order_page(store: &str, id: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s)
            if !id.is_empty()
                && id.len() <= 40
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            links::console_order(s.as_str(), id)
        }
        Some(s) => links::console(s.as_str(), ""),
        None => links::staff_home().to_owned(),
    }
}

/// A free-text field cleaned: trimmed, control characters dropped, at most `max` characters.
fn clean_text(s: &str, max: usize) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect()
}

pub async fn advance(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StaffAdvanceForm>,
) -> Response {
    let lang = answer.lang;
    // From the queue, back to the queue; from the order's page, back to it.
    let back = match form.back.get() {
        Some(b) => b.to_owned(),
        None => order_page(&form.store, form.id.trim()),
    };
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Orders).await?;
        let to =
            Status::parse(form.to.trim()).ok_or(AppError::conflict(CheckoutText::OrderMoved))?;
        let courier = clean_text(&form.courier, 40);
        if to == Status::OutForDelivery && courier.is_empty() {
            return Err(AppError::validation(
                StaffAdvanceForm::FIELDS.courier,
                T::CourierRequired,
            ));
        }
        let courier = (!courier.is_empty()).then_some(courier.as_str());
        let id = parse_order_id(&form.id).ok_or(AppError::NotFound(Missing::Page))?;
        match console::advance(&db, c.store.id, c.user.id, &id, Some(to), courier).await? {
            Ok(now) => Ok(Reply::ok(
                format!("{} {}", T::OrderMovedOn.t(lang), status_name(lang, now)),
                &back,
            )),
            Err(OrderRefusal::NotFound) => Err(AppError::NotFound(Missing::Page)),
            Err(OrderRefusal::Moved) => Err(AppError::conflict(CheckoutText::OrderMoved)),
            Err(OrderRefusal::Unpaid) => Err(AppError::conflict(PaymentText::UnpaidOrder)),
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

pub async fn cancel(
    State(db): State<Db>,
    State(settings): State<app::ssr::settings::Settings>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StaffCancelForm>,
) -> Response {
    let lang = answer.lang;
    let back = order_page(&form.store, form.id.trim());
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Orders).await?;
        let reason = clean_text(&form.reason, 200);
        if reason.is_empty() {
            return Err(AppError::validation(
                StaffCancelForm::FIELDS.reason,
                T::CancelReasonRequired,
            ));
        }
        let id = parse_order_id(&form.id).ok_or(AppError::NotFound(Missing::Page))?;
        match console::cancel(&db, c.store.id, c.user.id, &id, &reason).await? {
            Ok(()) => {
                if let Some(payment) = settings.payment.as_ref() {
                    app::ssr::payments::settle_refunds(&db, payment.provider.as_ref(), &id).await?;
                }
                Ok(Reply::ok(T::OrderCancelled.t(lang).to_owned(), &back))
            }
            Err(OrderRefusal::NotFound) => Err(AppError::NotFound(Missing::Page)),
            Err(OrderRefusal::Moved | OrderRefusal::Unpaid) => {
                Err(AppError::conflict(CheckoutText::OrderMoved))
            }
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

fn refusal(e: &AppError, answer: Answer) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.message(answer.lang)).into_response()
}

/// `GET /staff/{store}/queue.json`: the open orders' counts and the newest's time.
pub async fn queue_json(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Path(store): Path<String>,
) -> Response {
    let outcome = async {
        let c = staff::authorize(&db, &headers, &store, Action::Orders).await?;
        console::queue_counts(&db, c.store.id).await
    }
    .await;
    match outcome {
        Ok(counts) => {
            let mut r = Json(counts).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => refusal(&e, answer),
    }
}

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// `GET /staff/{store}/guides.csv?period=`: the guides' results a person may see, as CSV
/// (a guide: their own row).
pub async fn guides_csv(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Path(store): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let outcome = async {
        let c = staff::authorize(&db, &headers, &store, Action::OwnResults).await?;
        let own_only = !app::domain::staff::allows(c.role, Action::GuideResults);
        let period = Period::parse(&q.period);
        let (from, to) = period.span(&c.store.time_zone, chrono::Utc::now());
        let rows = console::guide_results(&db, c.store.id, from, to, own_only.then_some(c.user.id))
            .await?;
        let mut out =
            String::from("guide_code,name_zh,name_en,members_joined,orders_credited,sales_yuan\n");
        for r in rows {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                csv_cell(&r.code),
                csv_cell(&r.name_zh),
                csv_cell(&r.name_en),
                r.members,
                r.orders,
                app::domain::console::yuan_field(r.sales_minor)
            ));
        }
        Ok((c.store.slug, period, out))
    }
    .await;
    match outcome {
        Ok((slug, period, body)) => {
            let disposition = format!(
                "attachment; filename=\"guides-{slug}-{}.csv\"",
                period.as_str()
            );
            let mut r = body.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => refusal(&e, answer),
    }
}

/// `POST /staff/orders/short`: the store could not pick `short` units of a line of an
/// order it is picking. The line is marked once; a paid order's money for those units is
/// asked back of the provider at once (a refund the provider does not confirm now is
/// asked again by the sweep). A count out of range is refused beside that line's field.
pub async fn short(
    State(db): State<Db>,
    State(settings): State<app::ssr::settings::Settings>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StaffShortForm>,
) -> Response {
    let back = order_page(&form.store, form.id.trim());
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Orders).await?;
        let id = parse_order_id(&form.id).ok_or(AppError::NotFound(Missing::Page))?;
        let sku =
            app::domain::product::Sku::parse(&form.sku).ok_or(AppError::NotFound(Missing::Page))?;
        let field = StaffShortForm::short_field(sku.as_str());
        let short = app::domain::console::parse_count(&form.short, 1..=i64::from(u32::MAX))
            .map_err(|p| match p {
                app::domain::console::InputProblem::Empty => AppError::validation(&field, p),
                _ => AppError::validation(&field, PaymentText::ShortTooMany),
            })?;
        let product = console::short_lines(&db, &id)
            .await?
            .into_iter()
            .find(|l| l.sku == sku.as_str())
            .ok_or(AppError::NotFound(Missing::Page))?
            .product_id;
        match payments::mark_short(&db, c.store.id, c.user.id, &id, product, short).await? {
            Ok(refund) => {
                if refund.is_some()
                    && let Some(payment) = settings.payment.as_ref()
                {
                    payments::settle_refunds(&db, payment.provider.as_ref(), &id).await?;
                }
                Ok(Reply::ok(
                    PaymentText::ShortSaved.t(answer.lang).to_owned(),
                    &back,
                ))
            }
            Err(ShortRefusal::NotFound) => Err(AppError::NotFound(Missing::Page)),
            Err(ShortRefusal::Moved) => Err(AppError::conflict(CheckoutText::OrderMoved)),
            Err(ShortRefusal::Unpaid) => Err(AppError::conflict(PaymentText::UnpaidOrder)),
            Err(ShortRefusal::TooMany) => {
                Err(AppError::validation(&field, PaymentText::ShortTooMany))
            }
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// A CSV cell: quoted when it holds a comma, quote or line break; a leading `=`, `+`,
/// `-` or `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_safe_in_a_spreadsheet() {
        assert_eq!(csv_cell("小王"), "小王");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
