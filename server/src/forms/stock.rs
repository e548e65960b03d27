//! The console's stock and price posts: `POST /staff/stock/set` (one offer's price, list
//! price and stock), `/staff/stock/preview` (a CSV, pasted or uploaded as a file, kept;
//! then its preview page) and `/staff/stock/apply` (all of a previewed CSV, once). Each is
//! checked against `Action::Stock` in that store; a refused field is said beside it, and a
//! refusal changes nothing. The rules (compare-and-set stock, apply by difference) are
//! `app::ssr::stock`'s.

use super::{Reply, finish_beside, see_other};
use crate::extract::Answer;
use app::components::enhance::FormReply;
use app::domain::console::{InputProblem, parse_stock, parse_yuan};
use app::domain::i18n::stock::{self as text, StockText as T};
use app::domain::product::Sku;
use app::domain::staff::Action;
use app::domain::store::StoreSlug;
use app::error::{AppError, Missing};
use app::forms::{OfferSetForm, StockApplyForm, StockPreviewForm};
use app::links;
use app::ssr::db::Db;
use app::ssr::staff;
use app::ssr::stock::{self, ApplyRefusal, EditRefusal, OfferEdit};
use axum::Json;
use axum::extract::{Form, FromRequest, Multipart, Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};

/// The most a CSV post may carry (the router sets it on that route; every other form
/// keeps `error_pages::MAX_FORM_BYTES`): 20,000 rows of `sku,stock,price_fen` fit.
pub const MAX_CSV_BYTES: usize = 2 << 20;

fn stock_page(store: &str) -> String {
    match StoreSlug::parse(store) {
        Some(s) => links::console(s.as_str(), "stock"),
        None => links::staff_home().to_owned(),
    }
}

fn import_page(store: &str, id: &str) -> String {
    links::console(store, &format!("stock/import/{id}"))
}

/// An optional field: empty is `None`, else it must parse.
fn optional(
    raw: &str,
    parse: fn(&str) -> Result<i64, InputProblem>,
) -> Result<Option<i64>, InputProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// A refusal said at the top of the page with its real status (a field that is not on
/// the page, or a message that names a number).
fn refused_with(status: StatusCode, message: String, field: Option<String>, back: &str) -> Reply {
    Reply {
        status,
        field,
        ..Reply::ok(message, back)
    }
}

pub async fn set(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<OfferSetForm>,
) -> Response {
    let lang = answer.lang;
    let page = stock_page(&form.store);
    let back = form.back.or(&page).to_owned();
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Stock).await?;
        let f = OfferSetForm::FIELDS;
        let Some(sku) = Sku::parse(&form.sku) else {
            let unknown = AppError::validation(f.sku, InputProblem::UnknownSku);
            return Ok(Reply::refused(&unknown, lang, &back));
        };
        let key = |field: &str| format!("{}.{field}", sku.as_str());
        let price = optional(&form.price, parse_yuan)
            .map_err(|p| AppError::validation(&key(f.price), p))?;
        let list_price = optional(&form.list_price, parse_yuan)
            .map_err(|p| AppError::validation(&key(f.list_price), p))?;
        if let (Some(p), Some(l)) = (price, list_price)
            && l < p
        {
            return Err(AppError::validation(
                &key(f.list_price),
                InputProblem::ListBelowPrice,
            ));
        }
        let stock = optional(&form.stock, parse_stock)
            .map_err(|p| AppError::validation(&key(f.stock), p))?;
        if price.is_none() && list_price.is_none() && stock.is_none() {
            return Ok(Reply::ok(T::NothingChanged.t(lang).to_owned(), &back));
        }
        let edit = OfferEdit {
            price,
            list_price,
            stock,
            was_stock: parse_stock(&form.was_stock).ok(),
        };
        match stock::edit_offer(&db, c.store.id, c.user.id, sku.as_str(), edit).await? {
            Ok(done) if done.changed => Ok(Reply::ok(T::Saved.t(lang).to_owned(), &back)),
            Ok(_) => Ok(Reply::ok(T::NothingChanged.t(lang).to_owned(), &back)),
            Err(EditRefusal::UnknownSku) => {
                let unknown = AppError::validation(f.sku, InputProblem::UnknownSku);
                Ok(Reply::refused(&unknown, lang, &back))
            }
            Err(EditRefusal::ListBelowPrice { list_given }) => Err(AppError::validation(
                &key(if list_given { f.list_price } else { f.price }),
                InputProblem::ListBelowPrice,
            )),
            Err(EditRefusal::StockMoved { now }) => Ok(refused_with(
                StatusCode::CONFLICT,
                text::stock_moved(lang, now),
                Some(key(f.stock)),
                &back,
            )),
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// A preview post as read: the store, and the CSV (or why it is not text).
struct PreviewPost {
    store: String,
    csv: Result<String, T>,
}

/// Reads the post: a multipart form (the page's, which may carry a file in `csv` beside
/// the pasted `csv`; a file chosen wins) or an urlencoded one. A body that cannot be read
/// is axum's own refusal (413 over [`MAX_CSV_BYTES`], 400), which `error_pages` words.
async fn read_preview(request: Request) -> Result<PreviewPost, Response> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<StockPreviewForm>::from_request(request, &())
            .await
            .map_err(IntoResponse::into_response)?;
        return Ok(PreviewPost {
            store: form.store,
            csv: Ok(form.csv),
        });
    }
    let f = StockPreviewForm::FIELDS;
    let mut parts = Multipart::from_request(request, &())
        .await
        .map_err(IntoResponse::into_response)?;
    let (mut store, mut pasted, mut file) = (String::new(), String::new(), None);
    while let Some(part) = parts
        .next_field()
        .await
        .map_err(IntoResponse::into_response)?
    {
        let name = part.name().unwrap_or_default().to_owned();
        let is_file = part.file_name().is_some();
        let bytes = part.bytes().await.map_err(IntoResponse::into_response)?;
        if name == f.store {
            store = String::from_utf8_lossy(&bytes).into_owned();
        } else if name == f.csv && is_file {
            if !bytes.is_empty() {
                file = Some(bytes);
            }
        } else if name == f.csv {
            pasted = String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    let csv = match file {
        Some(bytes) => String::from_utf8(bytes.to_vec()).map_err(|_| T::CsvNotText),
        None => Ok(pasted),
    };
    Ok(PreviewPost { store, csv })
}

pub async fn preview(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    request: Request,
) -> Response {
    // Nobody signed in is refused before a large body is read.
    match staff::current(&db, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return finish_beside(Err(AppError::Unauthorized), answer, links::staff_home()),
        Err(e) => return finish_beside(Err(e), answer, links::staff_home()),
    }
    let post = match read_preview(request).await {
        Ok(post) => post,
        Err(refused) => return refused,
    };
    let back = stock_page(&post.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &post.store, Action::Stock).await?;
        let f = StockPreviewForm::FIELDS;
        let csv = post.csv.map_err(|t| AppError::validation(f.csv, t))?;
        if csv.trim().is_empty() {
            return Err(AppError::validation(f.csv, T::CsvMissing));
        }
        let id = stock::save_import(&db, c.store.id, c.user.id, &csv).await?;
        Ok(import_page(&c.store.slug, &id))
    }
    .await;
    let to = match outcome {
        Ok(to) => to,
        Err(e) => return finish_beside(Err(e), answer, &back),
    };
    let mut response = if answer.json {
        Json(FormReply {
            ok: true,
            href: Some(to),
            ..FormReply::default()
        })
        .into_response()
    } else {
        see_other(&to)
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn apply(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StockApplyForm>,
) -> Response {
    let lang = answer.lang;
    let page = stock_page(&form.store);
    let id = form.import.trim();
    let back = match StoreSlug::parse(&form.store) {
        Some(s) if stock::is_import_id(id) => import_page(s.as_str(), id),
        _ => page.clone(),
    };
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Stock).await?;
        let f = StockApplyForm::FIELDS;
        match stock::apply_import(&db, c.store.id, c.user.id, id).await? {
            Ok(changed) => Ok(Reply::ok(text::applied(lang, changed), &page)),
            Err(ApplyRefusal::NotFound) => Err(AppError::NotFound(Missing::Page)),
            Err(ApplyRefusal::AlreadyApplied) => Err(AppError::conflict(T::AlreadyApplied)),
            Err(ApplyRefusal::Problems) => Err(AppError::validation(f.import, T::ApplyBlocked)),
            Err(ApplyRefusal::WouldGoNegative { sku, now, change }) => Ok(refused_with(
                StatusCode::CONFLICT,
                text::would_go_negative(lang, &sku, now, change),
                Some(f.import.to_owned()),
                &back,
            )),
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_left_alone_and_others_must_parse() {
        assert_eq!(optional("  ", parse_yuan), Ok(None));
        assert_eq!(optional("9.90", parse_yuan), Ok(Some(990)));
        assert_eq!(
            optional("-1", parse_yuan),
            Err(InputProblem::PriceOutOfRange)
        );
        assert_eq!(optional("1e9", parse_stock), Err(InputProblem::NotAStock));
        assert_eq!(stock_page("../x"), links::staff_home());
        assert_eq!(import_page("sh-a", "ab"), "/staff/sh-a/stock/import/ab");
    }
}
