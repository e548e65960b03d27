//! A store's delivery and pick-up settings, its pause, one window's capacity and its
//! special days (server). Each change is a compare-and-set on what was just read, with
//! its audit entry in the same transaction: two managers at once never lose each other's
//! change — the later write finds the row moved, reads it again and retries (a special
//! day then joins the days stored now; a whole-form save is the later save). A change
//! that keeps losing is refused as "changed meanwhile", never half made.
//!
//! Nothing here is cached: checkout, the till and the console read the store's row on
//! each request. Shoppers' pages are cached for a second at most (`state::STORE_PAGE_TTL`
//! and the server's page cache, each server its own, with no way to drop one store's
//! entries), and another store's page lists this one among its neighbours from a
//! 60-second cache (`state::NEIGHBOURS_TTL`): a special day or a pause shows there within
//! that, on every server alike. Orders are always checked against the database.

use crate::domain::console::{
    FEE_MAX_FEN, InputProblem, PRICE_MAX_FEN, PauseScope, SPECIAL_DAYS_MAX, SpecialDay,
    SpecialDays, km_field, parse_count, parse_radius_km, parse_yuan_or_zero, pause_in_force,
    yuan_field,
};
use crate::domain::i18n::Text;
use crate::domain::i18n::settings::SettingsText as T;
use crate::error::{AppError, Missing};
use crate::forms::StoreSettingsForm;
use crate::ssr::audit::{self, Change};
use crate::ssr::db::Db;
use crate::ssr::db::retrying;
use crate::ssr::session::now;
use crate::ssr::stores::StoreRow;
use chrono::NaiveDate;
use std::collections::HashMap;

/// How often a change is tried again after another one landed between its read and its
/// write. Each lost try means someone else's change went in, so this is more than enough
/// for the people of one store.
const TRIES: usize = 20;

/// What a change came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Changed,
    /// It was so already: nothing written, nothing audited.
    Unchanged,
}

/// The settings form's values, parsed: counts, metres and fen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoreSettings {
    pub window_capacity: i64,
    pub delivery_radius_m: i64,
    pub delivery_fee_minor: i64,
    pub free_delivery_from_minor: i64,
    pub pickup_lead_min: i64,
    /// Pick-ups may be paid at the till: 1, or 0.
    pub pay_at_store: i64,
}

/// The most orders a window may take, and the longest pick-up lead.
pub const CAPACITY_MAX: i64 = 1000;
pub const LEAD_MAX_MIN: i64 = 24 * 60;

impl StoreSettings {
    pub fn of(row: &StoreRow) -> Self {
        StoreSettings {
            window_capacity: row.window_capacity,
            delivery_radius_m: i64::from(row.delivery_radius_m),
            delivery_fee_minor: row.delivery_fee_minor,
            free_delivery_from_minor: row.free_delivery_from_minor,
            pickup_lead_min: i64::from(row.pickup_lead_min),
            pay_at_store: row.pay_at_store,
        }
    }

    /// Reads the form; the first field that is wrong, in the form's order, is refused
    /// beside itself.
    pub fn parse(form: &StoreSettingsForm) -> Result<Self, AppError> {
        let f = StoreSettingsForm::FIELDS;
        // An empty field says "fill this in"; anything else wrong says what it takes.
        fn refuse(field: &'static str, range: T) -> impl Fn(InputProblem) -> AppError {
            move |p| {
                let text: Text = if p == InputProblem::Empty {
                    p.into()
                } else {
                    range.into()
                };
                AppError::validation(field, text)
            }
        }
        Ok(StoreSettings {
            window_capacity: parse_count(&form.window_capacity, 0..=CAPACITY_MAX)
                .map_err(refuse(f.window_capacity, T::CapacityRange))?,
            delivery_radius_m: parse_radius_km(&form.delivery_radius_km)
                .map(i64::from)
                .map_err(refuse(f.delivery_radius_km, T::RadiusRange))?,
            delivery_fee_minor: parse_yuan_or_zero(&form.delivery_fee, FEE_MAX_FEN)
                .map_err(refuse(f.delivery_fee, T::FeeFormat))?,
            free_delivery_from_minor: parse_yuan_or_zero(&form.free_delivery_from, PRICE_MAX_FEN)
                .map_err(refuse(f.free_delivery_from, T::FreeFromFormat))?,
            pickup_lead_min: parse_count(&form.pickup_lead_min, 0..=LEAD_MAX_MIN)
                .map_err(refuse(f.pickup_lead_min, T::LeadRange))?,
            // A checkbox: `1` when ticked, absent when not; nothing else is the form's.
            pay_at_store: match form.pay_at_store.as_str() {
                "" => 0,
                "1" => 1,
                _ => {
                    return Err(AppError::validation(
                        f.pay_at_store,
                        InputProblem::OutOfRange,
                    ));
                }
            },
        })
    }

    /// The settings that differ from `to`, before and after, as the audit log writes
    /// them: `("capacity 10", "capacity 6")`.
    pub fn changes(&self, to: &Self) -> (String, String) {
        let (mut before, mut after) = (Vec::new(), Vec::new());
        let mut note = |old: i64, new: i64, say: &dyn Fn(i64) -> String| {
            if old != new {
                before.push(say(old));
                after.push(say(new));
            }
        };
        note(self.window_capacity, to.window_capacity, &|n| {
            format!("capacity {n}")
        });
        note(self.delivery_radius_m, to.delivery_radius_m, &|m| {
            format!("radius {} km", km_field(u32::try_from(m).unwrap_or(0)))
        });
        note(self.delivery_fee_minor, to.delivery_fee_minor, &|f| {
            format!("fee ¥{}", yuan_field(f))
        });
        note(
            self.free_delivery_from_minor,
            to.free_delivery_from_minor,
            &|f| format!("free from ¥{}", yuan_field(f)),
        );
        note(self.pickup_lead_min, to.pickup_lead_min, &|n| {
            format!("pick-up lead {n} min")
        });
        note(self.pay_at_store, to.pay_at_store, &|on| {
            if on == 1 {
                "pay at store on"
            } else {
                "pay at store off"
            }
            .to_owned()
        });
        (before.join(", "), after.join(", "))
    }
}

async fn settings_now(db: &Db, store_id: i64) -> Result<StoreSettings, AppError> {
    sqlx::query_as::<_, StoreSettings>(
        "SELECT window_capacity, delivery_radius_m, delivery_fee_minor, free_delivery_from_minor, \
         pickup_lead_min, pay_at_store FROM stores WHERE id = $1",
    )
    .bind(store_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound(Missing::Store))
}

/// Saves the store's settings as a whole (the form shows them all).
pub async fn save(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    new: &StoreSettings,
) -> Result<Saved, AppError> {
    retrying(db, || save_once(db, store_id, staff_id, new)).await
}

/// One attempt of [`save`], in its own transaction.
async fn save_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    new: &StoreSettings,
) -> Result<Saved, AppError> {
    for _ in 0..TRIES {
        let old = settings_now(db, store_id).await?;
        if old == *new {
            return Ok(Saved::Unchanged);
        }
        let mut tx = db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE stores SET window_capacity = $1, delivery_radius_m = $2, delivery_fee_minor = $3, \
               free_delivery_from_minor = $4, pickup_lead_min = $5, pay_at_store = $6 \
             WHERE id = $7 AND window_capacity = $8 AND delivery_radius_m = $9 \
               AND delivery_fee_minor = $10 AND free_delivery_from_minor = $11 AND pickup_lead_min = $12 \
               AND pay_at_store = $13",
        )
        .bind(new.window_capacity)
        .bind(new.delivery_radius_m)
        .bind(new.delivery_fee_minor)
        .bind(new.free_delivery_from_minor)
        .bind(new.pickup_lead_min)
        .bind(new.pay_at_store)
        .bind(store_id)
        .bind(old.window_capacity)
        .bind(old.delivery_radius_m)
        .bind(old.delivery_fee_minor)
        .bind(old.free_delivery_from_minor)
        .bind(old.pickup_lead_min)
        .bind(old.pay_at_store)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            continue;
        }
        let (before, after) = old.changes(new);
        audit::record(
            &mut *tx,
            &Change {
                store_id: Some(store_id),
                staff_id,
                action: "settings",
                subject: "delivery and pick-up",
                before: &before,
                after: &after,
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(Saved::Changed);
    }
    Err(AppError::conflict(T::ChangedMeanwhile))
}

/// Why a window's capacity was not set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowRefusal {
    /// More are booked in it than the capacity asked for.
    BelowBooked { booked: i64 },
}

/// Sets one delivery window's capacity (`window` is its start and end, one the store's
/// calendar offers). A window not made yet is made with it. The write is one
/// conditional statement (`booked <= capacity`), so it can never break the table's
/// CHECK, however many orders are booking the window meanwhile.
pub async fn set_window_capacity(
    db: &Db,
    store: &StoreRow,
    staff_id: i64,
    window: (i64, i64),
    capacity: i64,
) -> Result<Result<Saved, WindowRefusal>, AppError> {
    retrying(db, || {
        set_window_capacity_once(db, store, staff_id, window, capacity)
    })
    .await
}

/// One attempt of [`set_window_capacity`], in its own transaction.
async fn set_window_capacity_once(
    db: &Db,
    store: &StoreRow,
    staff_id: i64,
    window: (i64, i64),
    capacity: i64,
) -> Result<Result<Saved, WindowRefusal>, AppError> {
    let subject = store.calendar().stamp(window.0);
    let after = format!("capacity {capacity}");
    for _ in 0..TRIES {
        let found: Option<(i64, i64)> = sqlx::query_as(
            "SELECT booked, capacity FROM delivery_windows WHERE store_id = $1 AND starts_at = $2",
        )
        .bind(store.id)
        .bind(window.0)
        .fetch_optional(&db.pool)
        .await?;
        let (old, before) = match found {
            Some((booked, _)) if booked > capacity => {
                return Ok(Err(WindowRefusal::BelowBooked { booked }));
            }
            Some((_, old)) if old == capacity => return Ok(Ok(Saved::Unchanged)),
            Some((_, old)) => (Some(old), format!("capacity {old}")),
            // Not made yet: it would have opened with the store's capacity.
            None => (None, format!("capacity {}", store.window_capacity)),
        };
        let mut tx = db.pool.begin().await?;
        let done =
            match old {
                Some(old) => {
                    sqlx::query(
                        "UPDATE delivery_windows SET capacity = $1 \
                     WHERE store_id = $2 AND starts_at = $3 AND capacity = $4 AND booked <= $1",
                    )
                    .bind(capacity)
                    .bind(store.id)
                    .bind(window.0)
                    .bind(old)
                    .execute(&mut *tx)
                    .await?
                }
                None => sqlx::query(
                    "INSERT INTO delivery_windows (store_id, starts_at, ends_at, capacity, booked) \
                     VALUES ($1, $2, $3, $4, 0) ON CONFLICT (store_id, starts_at) DO NOTHING",
                )
                .bind(store.id)
                .bind(window.0)
                .bind(window.1)
                .bind(capacity)
                .execute(&mut *tx)
                .await?,
            };
        if done.rows_affected() != 1 {
            continue;
        }
        audit::record(
            &mut *tx,
            &Change {
                store_id: Some(store.id),
                staff_id,
                action: "settings.window",
                subject: &subject,
                before: &before,
                after: &after,
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(Ok(Saved::Changed));
    }
    Err(AppError::conflict(T::ChangedMeanwhile))
}

/// The windows whose capacity the console lists and sets: today's and tomorrow's that
/// have not ended (`now` in Unix seconds).
pub fn listed_windows(
    cal: &crate::ssr::schedule::Calendar,
    now: i64,
) -> Vec<crate::ssr::schedule::Window> {
    cal.windows()
        .into_iter()
        .filter(|w| w.local.start.day <= 1 && w.ends_at > now)
        .collect()
}

/// The store's windows from `from` to `to` (starts) that exist: start → (booked, capacity).
pub async fn window_bookings(
    db: &Db,
    store_id: i64,
    from: i64,
    to: i64,
) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT starts_at, booked, capacity FROM delivery_windows \
         WHERE store_id = $1 AND starts_at BETWEEN $2 AND $3",
    )
    .bind(store_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(s, b, c)| (s, (b, c))).collect())
}

/// Pauses new orders of `scope` until `until` (Unix seconds), or resumes (`None`).
pub async fn pause(
    db: &Db,
    store: &StoreRow,
    staff_id: i64,
    scope: PauseScope,
    until: Option<i64>,
) -> Result<Saved, AppError> {
    retrying(db, || pause_once(db, store, staff_id, scope, until)).await
}

/// One attempt of [`pause`], in its own transaction.
async fn pause_once(
    db: &Db,
    store: &StoreRow,
    staff_id: i64,
    scope: PauseScope,
    until: Option<i64>,
) -> Result<Saved, AppError> {
    let cal = store.calendar();
    let say = |p: Option<(PauseScope, i64)>| match p {
        None => "taking orders".to_owned(),
        Some((PauseScope::Delivery, u)) => format!("deliveries paused until {}", cal.stamp(u)),
        Some((PauseScope::All, u)) => format!("all orders paused until {}", cal.stamp(u)),
    };
    for _ in 0..TRIES {
        let (old_until, old_modes): (Option<i64>, String) =
            sqlx::query_as("SELECT paused_until, paused_modes FROM stores WHERE id = $1")
                .bind(store.id)
                .fetch_optional(&db.pool)
                .await?
                .ok_or(AppError::NotFound(Missing::Store))?;
        let was = pause_in_force(old_until, &old_modes, now());
        let will = until.map(|u| (scope, u));
        if was.is_none() && will.is_none() {
            return Ok(Saved::Unchanged);
        }
        let mut tx = db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE stores SET paused_until = $1, paused_modes = $2 \
             WHERE id = $3 AND COALESCE(paused_until, -1) = $4 AND paused_modes = $5",
        )
        .bind(until)
        .bind(scope.as_str())
        .bind(store.id)
        .bind(old_until.unwrap_or(-1))
        .bind(&old_modes)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            continue;
        }
        audit::record(
            &mut *tx,
            &Change {
                store_id: Some(store.id),
                staff_id,
                action: "settings.pause",
                subject: "new orders",
                before: &say(was),
                after: &say(will),
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(Saved::Changed);
    }
    Err(AppError::conflict(T::ChangedMeanwhile))
}

/// Why a special day was not set or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayRefusal {
    /// The store already plans [`SPECIAL_DAYS_MAX`] days.
    TooMany,
    /// No special day on that date.
    NotThere,
}

/// A special day's hours as the audit log writes them.
fn hours_text(day: Option<&SpecialDay>) -> String {
    match day {
        None => "usual hours".to_owned(),
        Some(SpecialDay { hours: None, .. }) => "closed".to_owned(),
        Some(SpecialDay { hours: Some(i), .. }) => format!(
            "{}-{}",
            crate::domain::hours::hhmm(i.open),
            crate::domain::hours::hhmm(i.close)
        ),
    }
}

/// Sets a special day (replacing one on its date), or removes the one on `date` when
/// `day` is `None`. `today` is the store's date: days before yesterday are dropped as
/// the list is written.
async fn change_special_day(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    date: NaiveDate,
    day: Option<SpecialDay>,
    today: NaiveDate,
) -> Result<Result<Saved, DayRefusal>, AppError> {
    for _ in 0..TRIES {
        let (stored,): (String,) = sqlx::query_as("SELECT special_days FROM stores WHERE id = $1")
            .bind(store_id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound(Missing::Store))?;
        let days = SpecialDays::parse(&stored);
        let old = days.0.iter().find(|d| d.date == date).copied();
        if old == day {
            return Ok(if day.is_none() {
                Err(DayRefusal::NotThere)
            } else {
                Ok(Saved::Unchanged)
            });
        }
        let next = match day {
            Some(d) => days.kept(today).with(d),
            None => days.kept(today).without(date),
        };
        if next.upcoming(today).0.len() > SPECIAL_DAYS_MAX {
            return Ok(Err(DayRefusal::TooMany));
        }
        let mut tx = db.pool.begin().await?;
        let done =
            sqlx::query("UPDATE stores SET special_days = $1 WHERE id = $2 AND special_days = $3")
                .bind(next.to_stored())
                .bind(store_id)
                .bind(&stored)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            continue;
        }
        audit::record(
            &mut *tx,
            &Change {
                store_id: Some(store_id),
                staff_id,
                action: "settings.special_day",
                subject: &date.to_string(),
                before: &hours_text(old.as_ref()),
                after: &hours_text(day.as_ref()),
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(Ok(Saved::Changed));
    }
    Err(AppError::conflict(T::ChangedMeanwhile))
}

/// Sets holiday hours or a closed day (replacing what that date had).
pub async fn set_special_day(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    day: SpecialDay,
    today: NaiveDate,
) -> Result<Result<Saved, DayRefusal>, AppError> {
    retrying(db, || {
        set_special_day_once(db, store_id, staff_id, day, today)
    })
    .await
}

/// One attempt of [`set_special_day`], in its own transaction.
async fn set_special_day_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    day: SpecialDay,
    today: NaiveDate,
) -> Result<Result<Saved, DayRefusal>, AppError> {
    change_special_day(db, store_id, staff_id, day.date, Some(day), today).await
}

/// Removes the special day on `date`: the store keeps its usual hours that day.
pub async fn remove_special_day(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<Result<Saved, DayRefusal>, AppError> {
    retrying(db, || {
        remove_special_day_once(db, store_id, staff_id, date, today)
    })
    .await
}

/// One attempt of [`remove_special_day`], in its own transaction.
async fn remove_special_day_once(
    db: &Db,
    store_id: i64,
    staff_id: i64,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<Result<Saved, DayRefusal>, AppError> {
    change_special_day(db, store_id, staff_id, date, None, today).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(capacity: &str, radius: &str, fee: &str, free: &str, lead: &str) -> StoreSettingsForm {
        StoreSettingsForm {
            store: "sh-a".into(),
            window_capacity: capacity.into(),
            delivery_radius_km: radius.into(),
            delivery_fee: fee.into(),
            free_delivery_from: free.into(),
            pickup_lead_min: lead.into(),
            pay_at_store: String::new(),
        }
    }

    fn refused_field(f: StoreSettingsForm) -> String {
        match StoreSettings::parse(&f) {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn the_form_parses_into_counts_metres_and_fen() {
        let s = StoreSettings::parse(&form("6", "2.5", "0", "49.90", "30")).unwrap();
        assert_eq!(
            s,
            StoreSettings {
                window_capacity: 6,
                delivery_radius_m: 2500,
                delivery_fee_minor: 0,
                free_delivery_from_minor: 4990,
                pickup_lead_min: 30,
                pay_at_store: 0,
            }
        );
        let ticked = StoreSettingsForm {
            pay_at_store: "1".into(),
            ..form("6", "2.5", "0", "49.90", "30")
        };
        assert_eq!(StoreSettings::parse(&ticked).unwrap().pay_at_store, 1);
        let forged = StoreSettingsForm {
            pay_at_store: "on; yes".into(),
            ..form("6", "2.5", "0", "49.90", "30")
        };
        assert_eq!(
            refused_field(forged),
            StoreSettingsForm::FIELDS.pay_at_store
        );
        let f = StoreSettingsForm::FIELDS;
        // capacity, radius km, fee, free from, lead minutes → the field refused.
        let refusals = [
            (["1e9", "3", "6", "59", "20"], f.window_capacity),
            (["-1", "3", "6", "59", "20"], f.window_capacity),
            (["1001", "3", "6", "59", "20"], f.window_capacity),
            (["10", "51", "6", "59", "20"], f.delivery_radius_km),
            (["10", "3", "12.345", "59", "20"], f.delivery_fee),
            (["10", "3", "-1", "59", "20"], f.delivery_fee),
            (["10", "3", "6", "", "20"], f.free_delivery_from),
            (["10", "3", "6", "59", "abc"], f.pickup_lead_min),
            (["10", "3", "6", "59", "1441"], f.pickup_lead_min),
        ];
        for ([capacity, radius, fee, free, lead], field) in refusals {
            assert_eq!(
                refused_field(form(capacity, radius, fee, free, lead)),
                field,
                "{capacity} {radius} {fee} {free} {lead}"
            );
        }
        let Err(AppError::Validation { message, .. }) =
            StoreSettings::parse(&form("", "3", "6", "59", "20"))
        else {
            panic!("an empty capacity is refused");
        };
        assert_eq!(message, Text::Input(InputProblem::Empty));
    }

    #[test]
    fn the_audit_says_only_what_changed() {
        let old = StoreSettings {
            window_capacity: 10,
            delivery_radius_m: 3000,
            delivery_fee_minor: 600,
            free_delivery_from_minor: 5900,
            pickup_lead_min: 20,
            pay_at_store: 0,
        };
        let new = StoreSettings {
            window_capacity: 6,
            delivery_fee_minor: 0,
            ..old
        };
        let paying = StoreSettings {
            pay_at_store: 1,
            ..old
        };
        assert_eq!(
            old.changes(&paying),
            ("pay at store off".to_owned(), "pay at store on".to_owned())
        );
        assert_eq!(
            old.changes(&new),
            (
                "capacity 10, fee ¥6.00".to_owned(),
                "capacity 6, fee ¥0.00".to_owned()
            )
        );
        assert_eq!(old.changes(&old), (String::new(), String::new()));
        let day = SpecialDay {
            date: NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
            hours: None,
        };
        assert_eq!(hours_text(Some(&day)), "closed");
        assert_eq!(hours_text(None), "usual hours");
    }
}
