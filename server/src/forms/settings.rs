//! The console's delivery and pick-up settings posts (`Action::Settings`: a store's
//! manager or a brand admin): `POST /staff/settings/save` (the settings form),
//! `/staff/settings/window` (one window's capacity), `/staff/settings/pause` (pause new
//! orders for a while; 0 minutes resumes), `/staff/settings/special-day` and
//! `/staff/settings/special-day/remove`. Each checks the person first, then refuses bad
//! input beside its field and changes nothing; the change and its audit entry are one
//! transaction (`app::ssr::store_settings`). Without JavaScript each answers with a
//! redirect back to the settings page and a one-time message.

use super::{Reply, finish_beside};
use crate::extract::Answer;
use app::domain::console::{
    InputProblem, PAUSE_MAX_MIN, PauseScope, SpecialDay, parse_count, parse_special_date,
    parse_special_hours,
};
use app::domain::i18n::Text;
use app::domain::i18n::settings::{SettingsText as T, paused_until};
use app::domain::staff::Action;
use app::error::AppError;
use app::forms::{
    PauseForm, SpecialDayForm, SpecialDayRemoveForm, StoreSettingsForm, WindowCapacityForm,
};
use app::links;
use app::ssr::db::Db;
use app::ssr::staff::{self, Console};
use app::ssr::store_settings::{self, DayRefusal, Saved, StoreSettings, WindowRefusal};
use axum::extract::{Form, State};
use axum::response::Response;
use chrono::NaiveDate;
use http::HeaderMap;

/// The settings page of the store a form names (home when it names none).
fn settings_page(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => links::console(s.as_str(), "settings"),
        None => links::staff_home().to_owned(),
    }
}

async fn allowed(db: &Db, headers: &HeaderMap, store: &str) -> Result<Console, AppError> {
    staff::authorize(db, headers, store, Action::Settings).await
}

fn said(saved: Saved, changed: T, lang: app::domain::lang::Lang) -> String {
    match saved {
        Saved::Changed => changed.t(lang),
        Saved::Unchanged => T::NothingChanged.t(lang),
    }
    .to_owned()
}

/// `POST /staff/settings/save`.
pub async fn save(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StoreSettingsForm>,
) -> Response {
    let back = settings_page(&form.store);
    let outcome = async {
        let c = allowed(&db, &headers, &form.store).await?;
        let settings = StoreSettings::parse(&form)?;
        let saved = store_settings::save(&db, c.store.id, c.user.id, &settings).await?;
        Ok(Reply::ok(said(saved, T::Saved, answer.lang), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /staff/settings/window`: the window must be one the settings page lists (today's
/// and tomorrow's not ended; else refused beside `starts_at`, above the list); a capacity
/// refused is said beside that window's field, `{starts_at}.capacity`.
pub async fn window_capacity(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<WindowCapacityForm>,
) -> Response {
    let back = settings_page(&form.store);
    let outcome = async {
        let c = allowed(&db, &headers, &form.store).await?;
        let f = WindowCapacityForm::FIELDS;
        let now = app::ssr::session::now();
        let window = form
            .starts_at
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| {
                store_settings::listed_windows(&c.store.calendar(), now)
                    .into_iter()
                    .find(|w| w.starts_at == s)
            })
            .ok_or_else(|| AppError::validation(f.starts_at, T::NoSuchWindow))?;
        let field = format!("{}.{}", window.starts_at, f.capacity);
        let capacity =
            parse_count(&form.capacity, 0..=store_settings::CAPACITY_MAX).map_err(|p| {
                let text: Text = if p == InputProblem::Empty {
                    p.into()
                } else {
                    T::CapacityRange.into()
                };
                AppError::validation(&field, text)
            })?;
        match store_settings::set_window_capacity(
            &db,
            &c.store,
            c.user.id,
            (window.starts_at, window.ends_at),
            capacity,
        )
        .await?
        {
            Ok(saved) => Ok(Reply::ok(said(saved, T::CapacitySaved, answer.lang), &back)),
            Err(WindowRefusal::BelowBooked { .. }) => {
                Err(AppError::validation(&field, T::BelowBooked))
            }
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /staff/settings/pause`: `scope` delivery or all, for `minutes` from now (up to
/// eight hours); 0 resumes.
pub async fn pause(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<PauseForm>,
) -> Response {
    let back = settings_page(&form.store);
    let outcome = async {
        let c = allowed(&db, &headers, &form.store).await?;
        let f = PauseForm::FIELDS;
        let scope = PauseScope::parse(form.scope.trim())
            .ok_or_else(|| AppError::validation(f.scope, T::ChooseScope))?;
        let minutes = parse_count(&form.minutes, 0..=PAUSE_MAX_MIN)
            .map_err(|_| AppError::validation(f.minutes, T::PauseMinutesRange))?;
        let until = (minutes > 0).then(|| app::ssr::session::now() + minutes * 60);
        let saved = store_settings::pause(&db, &c.store, c.user.id, scope, until).await?;
        let message = match (until, saved) {
            (Some(u), _) => {
                let cal = c.store.calendar();
                paused_until(answer.lang, scope, &cal.label_soon(answer.lang, u))
            }
            (None, Saved::Changed) => T::Resumed.t(answer.lang).to_owned(),
            (None, Saved::Unchanged) => T::TakingOrders.t(answer.lang).to_owned(),
        };
        Ok(Reply::ok(message, &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /staff/settings/special-day`: a date from today (the store's) within a year, and
/// hours `HH:MM-HH:MM` (empty or `closed`: closed all day).
pub async fn special_day(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<SpecialDayForm>,
) -> Response {
    let back = settings_page(&form.store);
    let outcome = async {
        let c = allowed(&db, &headers, &form.store).await?;
        let f = SpecialDayForm::FIELDS;
        let today = c.store.local_date(chrono::Utc::now());
        let date =
            parse_special_date(&form.date, today).map_err(|p| AppError::validation(f.date, p))?;
        let hours =
            parse_special_hours(&form.hours).map_err(|p| AppError::validation(f.hours, p))?;
        let day = SpecialDay { date, hours };
        match store_settings::set_special_day(&db, c.store.id, c.user.id, day, today).await? {
            Ok(saved) => Ok(Reply::ok(said(saved, T::SpecialSaved, answer.lang), &back)),
            Err(DayRefusal::TooMany) => Err(AppError::validation(f.date, T::TooManySpecialDays)),
            Err(DayRefusal::NotThere) => Err(AppError::validation(f.date, T::NoSuchSpecialDay)),
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// `POST /staff/settings/special-day/remove`: a refusal is said above the list of days
/// (the field `REMOVE_FIELD`).
pub async fn remove_special_day(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<SpecialDayRemoveForm>,
) -> Response {
    let back = settings_page(&form.store);
    let outcome = async {
        let c = allowed(&db, &headers, &form.store).await?;
        let field = app::views::store_settings::REMOVE_FIELD;
        let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::validation(field, InputProblem::NotADate))?;
        let today = c.store.local_date(chrono::Utc::now());
        match store_settings::remove_special_day(&db, c.store.id, c.user.id, date, today).await? {
            Ok(saved) => Ok(Reply::ok(
                said(saved, T::SpecialRemoved, answer.lang),
                &back,
            )),
            Err(DayRefusal::NotThere | DayRefusal::TooMany) => {
                Err(AppError::validation(field, T::NoSuchSpecialDay))
            }
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}
