//! A store's delivery windows and pick-up times as instants and labels (server): the pure
//! rules in `domain::slots` work in the store's local time; this file places them on the
//! calendar in the store's own time zone (chrono-tz) and names them for the shopper.
//! A store's special days replace its usual hours on their dates (see
//! [`Calendar::with_special_days`]).

use crate::domain::console::SpecialDays;
use crate::domain::hours::WeeklyHours;
use crate::domain::i18n::checkout::day_label;
use crate::domain::lang::Lang;
use crate::domain::slots::{self, LocalTime, LocalWindow};
use crate::ssr::clock::local_moment;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// A store's calendar from one moment: its zone, hours and local "today".
pub struct Calendar {
    tz: Tz,
    /// The hours delivery windows are cut from (they never look back to yesterday).
    hours: WeeklyHours,
    /// The hours pick-up times are cut from: yesterday's may run past midnight into today.
    hours_now: WeeklyHours,
    now: DateTime<Utc>,
    today: NaiveDate,
}

/// A delivery window placed on the calendar.
#[derive(Clone, Debug)]
pub struct Window {
    pub starts_at: i64,
    pub ends_at: i64,
    pub local: LocalWindow,
    /// Still before its cut-off.
    pub open_for_orders: bool,
}

impl Calendar {
    pub fn new(time_zone: &str, hours: WeeklyHours, now: DateTime<Utc>) -> Self {
        let tz: Tz = time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = now.with_timezone(&tz).date_naive();
        Calendar {
            tz,
            hours_now: hours.clone(),
            hours,
            now,
            today,
        }
    }

    /// With the store's special days in place of its usual hours on their dates (this
    /// week's: the calendar reaches seven days ahead).
    pub fn with_special_days(self, special: &SpecialDays) -> Self {
        if special.0.is_empty() {
            return self;
        }
        Calendar {
            hours_now: special.hours_now(&self.hours, self.today),
            hours: special.hours_ahead(&self.hours, self.today),
            ..self
        }
    }

    /// The store's local date.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// A date's label: today, tomorrow, or `周五 12月25日` / `Fri 25 Dec`.
    pub fn day_of(&self, date: NaiveDate) -> crate::views::checkout::DayLabel {
        crate::views::checkout::DayLabel {
            days_ahead: (date - self.today).num_days(),
            weekday: date.weekday().num_days_from_monday() as u8,
            month: date.month() as u8,
            day: date.day() as u8,
        }
    }

    /// An instant as `HH:MM` when it is today, else with its day (`明天 01:00`).
    pub fn label_soon(&self, lang: Lang, at: i64) -> String {
        match self.tz.timestamp_opt(at, 0).single() {
            Some(local) if local.date_naive() == self.today => local.format("%H:%M").to_string(),
            _ => self.label_instant(lang, at),
        }
    }

    /// An instant as the audit log writes it: `2026-12-24 18:30` in the store's time.
    pub fn stamp(&self, at: i64) -> String {
        self.tz
            .timestamp_opt(at, 0)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| at.to_string())
    }

    /// The instant of a local time (`None` in a daylight-saving gap).
    pub fn instant(&self, t: LocalTime) -> Option<i64> {
        let date = self.today + Duration::days(i64::from(t.day));
        let naive = date.and_hms_opt(u32::from(t.minute / 60), u32::from(t.minute % 60), 0)?;
        Some(self.tz.from_local_datetime(&naive).earliest()?.timestamp())
    }

    pub fn windows(&self) -> Vec<Window> {
        let moment = local_moment(self.tz.name(), self.now);
        slots::delivery_windows(&self.hours, moment)
            .into_iter()
            .filter_map(|w| {
                let starts_at = self.instant(w.start)?;
                let end = LocalTime {
                    day: w.start.day,
                    minute: w.end_minute,
                };
                Some(Window {
                    starts_at,
                    ends_at: self.instant(end)?,
                    local: w,
                    open_for_orders: slots::before_cutoff(w, moment),
                })
            })
            .collect()
    }

    /// Pick-up times: the instant and the local time.
    pub fn pickup_times(&self, lead_min: u16) -> Vec<(i64, LocalTime)> {
        let moment = local_moment(self.tz.name(), self.now);
        slots::pickup_times(&self.hours_now, moment, lead_min)
            .into_iter()
            .filter_map(|t| Some((self.instant(t)?, t)))
            .collect()
    }

    /// The slots of a service `duration_min` long that can still be booked (see
    /// `domain::appointments`): the instant and the local time. Cut from the same hours
    /// as the delivery windows, special days applied.
    pub fn service_slots(&self, duration_min: u16) -> Vec<(i64, LocalTime)> {
        let moment = local_moment(self.tz.name(), self.now);
        crate::domain::appointments::service_slots(&self.hours, moment, duration_min)
            .into_iter()
            .filter_map(|t| Some((self.instant(t)?, t)))
            .collect()
    }

    /// The day of a local time, typed (said when shown).
    pub fn day_of_time(&self, t: LocalTime) -> crate::views::checkout::DayLabel {
        self.day_of(self.today + Duration::days(i64::from(t.day)))
    }

    /// `明天 09:00` for a local time.
    pub fn label(&self, lang: Lang, t: LocalTime) -> String {
        let date = self.today + Duration::days(i64::from(t.day));
        format!(
            "{} {}",
            self.day(lang, date),
            crate::domain::hours::hhmm(t.minute)
        )
    }

    /// `明天 09:00–10:00` for a window.
    pub fn window_label(&self, lang: Lang, w: LocalWindow) -> String {
        format!(
            "{}–{}",
            self.label(lang, w.start),
            crate::domain::hours::hhmm(w.end_minute)
        )
    }

    /// A window's day (typed, said when shown) and its `09:00–10:00`.
    pub fn window_parts(&self, w: LocalWindow) -> (crate::views::checkout::DayLabel, String) {
        let date = self.today + Duration::days(i64::from(w.start.day));
        let time = format!(
            "{}–{}",
            crate::domain::hours::hhmm(w.start.minute),
            crate::domain::hours::hhmm(w.end_minute)
        );
        (self.day_of(date), time)
    }

    /// A span between two instants: `明天 09:00–10:00`.
    pub fn label_span(&self, lang: Lang, start: i64, end: i64) -> String {
        match self.tz.timestamp_opt(end, 0).single() {
            Some(e) => format!("{}–{}", self.label_instant(lang, start), e.format("%H:%M")),
            None => self.label_instant(lang, start),
        }
    }

    /// An instant in this store's local time, labelled as above.
    pub fn label_instant(&self, lang: Lang, at: i64) -> String {
        let Some(local) = self.tz.timestamp_opt(at, 0).single() else {
            return String::new();
        };
        let date = local.date_naive();
        format!("{} {}", self.day(lang, date), local.format("%H:%M"))
    }

    fn day(&self, lang: Lang, date: NaiveDate) -> String {
        day_label(
            lang,
            (date - self.today).num_days(),
            date.weekday().num_days_from_monday() as usize,
            date.month(),
            date.day(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_placed_in_the_stores_zone() {
        // 2026-11-23 00:30 UTC is Monday 08:30 in Shanghai and 06:30 in Ürümqi.
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 30, 0).unwrap();
        let hours = WeeklyHours::parse("mon-sun 08:00-22:00").unwrap();
        let sh = Calendar::new("Asia/Shanghai", hours.clone(), now);
        let first = &sh.windows()[0];
        // First window 09:00–10:00 Shanghai = 01:00 UTC; within the hour's cut-off.
        assert_eq!(
            first.starts_at,
            Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0)
                .unwrap()
                .timestamp()
        );
        assert_eq!(first.ends_at - first.starts_at, 3600);
        assert!(!first.open_for_orders);
        assert!(sh.windows()[1].open_for_orders, "10:00 is 90 minutes away");
        assert_eq!(sh.window_label(Lang::ZhCn, first.local), "今天 09:00–10:00");
        let urc = Calendar::new("Asia/Urumqi", hours, now);
        let first = &urc.windows()[0];
        assert_eq!(
            first.starts_at,
            Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0)
                .unwrap()
                .timestamp()
        );
        assert_eq!(urc.label_instant(Lang::En, first.starts_at), "today 09:00");
        assert!(
            urc.label_instant(Lang::En, first.starts_at + 86_400)
                .starts_with("tomorrow")
        );
        assert!(
            urc.label_instant(Lang::En, first.starts_at + 3 * 86_400)
                .starts_with("Thu 26 Nov")
        );
    }

    #[test]
    fn special_days_take_windows_and_pick_up_times_away_or_narrow_them() {
        // Monday 2026-11-23 08:30 in Shanghai; a 24-hour store.
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 30, 0).unwrap();
        let hours = WeeklyHours::parse("24h").unwrap();
        let usual = Calendar::new("Asia/Shanghai", hours.clone(), now);
        let special = SpecialDays::parse("2026-11-24 closed;2026-11-25 10:00-14:00");
        let cal = Calendar::new("Asia/Shanghai", hours, now).with_special_days(&special);
        let on = |cal: &Calendar, day: u8| -> Vec<u16> {
            cal.windows()
                .iter()
                .filter(|w| w.local.start.day == day)
                .map(|w| w.local.start.minute)
                .collect()
        };
        assert_eq!(on(&usual, 1).len(), 14, "08:00 to 22:00 on a usual day");
        assert!(on(&cal, 1).is_empty(), "closed on Tuesday");
        assert_eq!(
            on(&cal, 2),
            vec![660, 720, 780],
            "holiday hours: 11:00 to 14:00"
        );
        assert_eq!(on(&cal, 0), on(&usual, 0), "today as usual");
        let pickup_days: Vec<(u8, u16)> = cal
            .pickup_times(20)
            .iter()
            .map(|(_, t)| (t.day, t.minute))
            .collect();
        assert!(
            pickup_days.iter().all(|(d, _)| *d != 1),
            "no pick-up on a closed day"
        );
        assert!(
            pickup_days
                .iter()
                .filter(|(d, _)| *d == 2)
                .all(|(_, m)| (600..840).contains(m))
        );
        assert_eq!(cal.day_of(cal.today()).days_ahead, 0);
        assert_eq!(cal.stamp(now.timestamp()), "2026-11-23 08:30");
        assert_eq!(cal.label_soon(Lang::En, now.timestamp() + 600), "08:40");
        // Services keep to the same special days: none on Tuesday, 10:00–14:00 on Wednesday.
        let slots = cal.service_slots(30);
        assert!(slots.iter().all(|(_, t)| t.day != 1));
        let wednesday: Vec<u16> = slots
            .iter()
            .filter(|(_, t)| t.day == 2)
            .map(|(_, t)| t.minute)
            .collect();
        assert_eq!(wednesday.first(), Some(&600));
        assert_eq!(wednesday.last(), Some(&810));
        assert_eq!(cal.day_of_time(slots[0].1).days_ahead, 0);
        let (at, t) = slots[0];
        assert_eq!(cal.instant(t), Some(at));
        assert_eq!(
            at - now.timestamp(),
            30 * 60,
            "Monday 09:00, 30 minutes ahead"
        );
    }
}
