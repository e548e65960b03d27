//! A store's delivery and pick-up settings (server functions; types shared): the
//! console's settings page (a manager's or brand admin's, `Action::Settings`; never
//! cached), and what a store's page tells shoppers of them — a pause and the coming
//! special days. Changes are form posts (the server's `forms::settings`).

use crate::error::AppError;
pub use crate::views::store_settings::{ConsoleSettings, REMOVE_FIELD, WindowCapacityRow};
pub use crate::views::stores::{PauseNotice, SpecialDayNotice, StoreNotices};
use leptos::prelude::*;

/// The most special days a store's page lists.
pub const NOTICES_MAX: usize = 10;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::console::{SpecialDays, km_field, yuan_field};
    use crate::domain::staff::Action;
    use crate::ssr::schedule::Calendar;
    use crate::ssr::store_settings;
    use crate::ssr::stores::{self, StoreRow};
    use crate::ssr::{request, session, staff};

    fn special_notices(cal: &Calendar, days: &SpecialDays, max: usize) -> Vec<SpecialDayNotice> {
        days.upcoming(cal.today())
            .0
            .into_iter()
            .take(max)
            .map(|d| SpecialDayNotice {
                date: d.date.to_string(),
                day: cal.day_of(d.date),
                hours: d.hours,
            })
            .collect()
    }

    fn pause_notice(row: &StoreRow, cal: &Calendar) -> Option<PauseNotice> {
        let lang = request::lang();
        row.pause_at(session::now())
            .map(|(scope, until)| PauseNotice {
                scope,
                until: cal.label_soon(lang, until),
            })
    }

    pub async fn settings_page(store: String) -> Result<ConsoleSettings, AppError> {
        let (c, lang) = crate::api::console::allow(&store, Action::Settings).await?;
        let db = request::db()?;
        let row = &c.store;
        let cal = row.calendar();
        let now = session::now();
        // Today's and tomorrow's windows that have not ended; those not made yet show
        // the capacity they will open with (the page only reads).
        let windows = store_settings::listed_windows(&cal, now);
        let booked = match (windows.first(), windows.last()) {
            (Some(first), Some(last)) => {
                store_settings::window_bookings(&db, row.id, first.starts_at, last.starts_at)
                    .await?
            }
            _ => Default::default(),
        };
        let windows = windows
            .iter()
            .map(|w| {
                let (booked, capacity) = booked
                    .get(&w.starts_at)
                    .copied()
                    .unwrap_or((0, row.window_capacity));
                let (day, time) = cal.window_parts(w.local);
                WindowCapacityRow {
                    starts_at: w.starts_at,
                    day,
                    time,
                    booked,
                    capacity,
                }
            })
            .collect();
        Ok(ConsoleSettings {
            window_capacity: row.window_capacity.to_string(),
            delivery_radius_km: km_field(row.delivery_radius_m),
            delivery_fee: yuan_field(row.delivery_fee_minor),
            free_delivery_from: yuan_field(row.free_delivery_from_minor),
            pickup_lead_min: row.pickup_lead_min.to_string(),
            pay_at_store: row.pay_at_store == 1,
            pause: pause_notice(row, &cal),
            windows,
            special_days: special_notices(&cal, &row.special(), usize::MAX),
            today: cal.today().to_string(),
            frame: staff::frame(&c, lang),
        })
    }

    pub async fn store_notices(store: String) -> Result<StoreNotices, AppError> {
        let db = request::db()?;
        let row = stores::store_or_404(&db, &store).await?;
        let cal = row.calendar();
        Ok(StoreNotices {
            pause: pause_notice(&row, &cal),
            special_days: special_notices(&cal, &row.special(), NOTICES_MAX),
        })
    }
}

#[server]
pub async fn get_console_settings(store: String) -> Result<ConsoleSettings, AppError> {
    server::settings_page(store).await
}

/// What a store's page says of its pause and coming special days.
#[server]
pub async fn get_store_notices(store: String) -> Result<StoreNotices, AppError> {
    server::store_notices(store).await
}
