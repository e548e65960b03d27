//! When an order can arrive or be collected, from a store's opening hours in its own local
//! time (pure; the server turns local times into instants with the store's time zone).
//!
//! - Delivery (定时送): one-hour windows for the next [`DAYS_AHEAD`] days, from an hour after
//!   opening (the first picking) until closing, and only between 08:00 and 22:00 — a
//!   24-hour store does not deliver at night. A window starting within [`CUTOFF_MIN`]
//!   minutes is past its cut-off.
//! - Pick-up (门店自提): ready `lead` minutes after the order, or after opening when the
//!   store is closed; then every half hour while the store is open, for three days.

use super::hours::{LocalMoment, MINUTES_PER_DAY, WeeklyHours};
use serde::{Deserialize, Serialize};

pub const DAYS_AHEAD: u8 = 7;
pub const WINDOW_MIN: u16 = 60;
pub const DELIVERY_FROM: u16 = 8 * 60;
pub const DELIVERY_UNTIL: u16 = 22 * 60;
/// Picking starts this long after opening.
pub const FIRST_PICK_MIN: u16 = 60;
/// A window closes for orders this long before it starts.
pub const CUTOFF_MIN: u16 = 60;
pub const PICKUP_DAYS: u8 = 3;
pub const PICKUP_STEP_MIN: u16 = 30;
/// At most this many pick-up times are offered (a day of half hours).
pub const PICKUP_MAX: usize = 48;

/// A local time `day` days after today (0 = today), `minute` after that day's midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LocalTime {
    pub day: u8,
    pub minute: u16,
}

impl LocalTime {
    /// Minutes from today's midnight, across days.
    pub fn minutes(self) -> u32 {
        u32::from(self.day) * u32::from(MINUTES_PER_DAY) + u32::from(self.minute)
    }

    fn from_minutes(total: u32) -> Option<LocalTime> {
        let day = u8::try_from(total / u32::from(MINUTES_PER_DAY)).ok()?;
        let minute = u16::try_from(total % u32::from(MINUTES_PER_DAY)).ok()?;
        Some(LocalTime { day, minute })
    }
}

/// A delivery window in local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalWindow {
    pub start: LocalTime,
    pub end_minute: u16,
}

/// The open spans (start, end) in minutes from today's midnight for days `0..days`,
/// including yesterday's hours that run past midnight into today.
fn open_spans(hours: &WeeklyHours, now: LocalMoment, days: u8) -> Vec<(u32, u32)> {
    let day_len = u32::from(MINUTES_PER_DAY);
    let mut spans = Vec::new();
    if let Some(y) = hours.on(now.weekday.minus_one())
        && y.close > MINUTES_PER_DAY
    {
        spans.push((0, u32::from(y.close) - day_len));
    }
    for d in 0..days {
        if let Some(i) = hours.on(now.weekday.plus(d)) {
            let base = u32::from(d) * day_len;
            spans.push((base + u32::from(i.open), base + u32::from(i.close)));
        }
    }
    // Merge touching spans (a 24-hour store is one long span).
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Every delivery window of the next [`DAYS_AHEAD`] days (today included), past or not.
pub fn delivery_windows(hours: &WeeklyHours, now: LocalMoment) -> Vec<LocalWindow> {
    let mut windows = Vec::new();
    for day in 0..DAYS_AHEAD {
        let Some(i) = hours.on(now.weekday.plus(day)) else {
            continue;
        };
        // Picking starts an hour after opening; a day's deliveries keep to daytime.
        let from = (i.open + FIRST_PICK_MIN).max(DELIVERY_FROM);
        let until = i.close.min(DELIVERY_UNTIL);
        let mut start = from.div_ceil(WINDOW_MIN) * WINDOW_MIN;
        while start + WINDOW_MIN <= until {
            windows.push(LocalWindow {
                start: LocalTime { day, minute: start },
                end_minute: start + WINDOW_MIN,
            });
            start += WINDOW_MIN;
        }
    }
    windows
}

/// Whether a window can still be chosen at `now`.
pub fn before_cutoff(window: LocalWindow, now: LocalMoment) -> bool {
    window.start.minutes() >= u32::from(now.minute) + u32::from(CUTOFF_MIN)
}

/// Pick-up times from the earliest ready time on, every half hour while the store is
/// open, for [`PICKUP_DAYS`] days. The first is the earliest ready time itself.
pub fn pickup_times(hours: &WeeklyHours, now: LocalMoment, lead_min: u16) -> Vec<LocalTime> {
    let now_min = u32::from(now.minute);
    let lead = u32::from(lead_min);
    let step = u32::from(PICKUP_STEP_MIN);
    let horizon = u32::from(PICKUP_DAYS) * u32::from(MINUTES_PER_DAY);
    let mut times = Vec::new();
    for (open, close) in open_spans(hours, now, PICKUP_DAYS) {
        // Ready `lead` after the order, or `lead` after opening if that is later.
        let ready = (now_min + lead).max(open + lead);
        let mut t = ready;
        while t < close && t < horizon {
            if let Some(lt) = LocalTime::from_minutes(t) {
                times.push(lt);
            }
            if times.len() == PICKUP_MAX {
                return times;
            }
            t = if t == ready {
                (t / step + 1) * step
            } else {
                t + step
            };
        }
    }
    times
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hours::Weekday;

    fn at(weekday: u8, h: u16, m: u16) -> LocalMoment {
        LocalMoment {
            weekday: Weekday::from_monday0(weekday).unwrap(),
            minute: h * 60 + m,
        }
    }

    fn lt(day: u8, h: u16, m: u16) -> LocalTime {
        LocalTime {
            day,
            minute: h * 60 + m,
        }
    }

    #[test]
    fn a_day_store_delivers_from_an_hour_after_opening_until_closing() {
        let hours = WeeklyHours::parse("mon-sun 07:00-22:00").unwrap();
        let w = delivery_windows(&hours, at(0, 6, 0));
        assert_eq!(w.len(), 14 * 7);
        assert_eq!(w[0].start, lt(0, 8, 0));
        assert_eq!(w[13].start, lt(0, 21, 0));
        assert_eq!(w[13].end_minute, 22 * 60);
        assert_eq!(w[14].start, lt(1, 8, 0));
    }

    #[test]
    fn a_24h_store_still_delivers_by_day_and_a_late_store_from_late_morning() {
        let w = delivery_windows(&WeeklyHours::around_the_clock(), at(0, 12, 0));
        assert_eq!(w.len(), 14 * 7);
        assert!(
            w.iter()
                .all(|w| w.start.minute >= 8 * 60 && w.end_minute <= 22 * 60)
        );
        let late = WeeklyHours::parse("mon-sun 10:30-02:00").unwrap();
        let w = delivery_windows(&late, at(0, 12, 0));
        // Opens 10:30, picking from 11:30, so the first whole window is 12:00–13:00.
        assert_eq!(w[0].start, lt(0, 12, 0));
        assert_eq!(w.iter().filter(|w| w.start.day == 0).count(), 10);
    }

    #[test]
    fn closed_days_have_no_windows() {
        // Closed on Tuesdays; today is Monday.
        let hours = WeeklyHours::parse("mon 09:00-21:00;wed-sun 09:00-21:00").unwrap();
        let w = delivery_windows(&hours, at(0, 8, 0));
        assert!(w.iter().all(|w| w.start.day != 1));
        assert!(w.iter().any(|w| w.start.day == 2));
    }

    #[test]
    fn the_cutoff_is_an_hour_before_the_window() {
        let hours = WeeklyHours::parse("mon-sun 07:00-22:00").unwrap();
        let w = delivery_windows(&hours, at(0, 9, 0));
        let ten = w.iter().find(|w| w.start == lt(0, 10, 0)).copied().unwrap();
        let nine = w.iter().find(|w| w.start == lt(0, 9, 0)).copied().unwrap();
        assert!(before_cutoff(ten, at(0, 9, 0)));
        assert!(!before_cutoff(ten, at(0, 9, 1)));
        assert!(!before_cutoff(nine, at(0, 9, 0)));
        // Tomorrow's windows stay open.
        assert!(
            w.iter()
                .filter(|w| w.start.day == 1)
                .all(|w| before_cutoff(*w, at(0, 21, 59)))
        );
    }

    #[test]
    fn pickup_is_ready_after_the_lead_time_when_open() {
        let hours = WeeklyHours::parse("mon-sun 07:00-22:00").unwrap();
        let t = pickup_times(&hours, at(0, 10, 10), 20);
        assert_eq!(t[0], lt(0, 10, 30));
        assert_eq!(t[1], lt(0, 11, 0));
        let t = pickup_times(&hours, at(0, 10, 20), 20);
        assert_eq!((t[0], t[1]), (lt(0, 10, 40), lt(0, 11, 0)));
        assert!(t.iter().all(|t| t.minute >= 7 * 60 && t.minute < 22 * 60));
        assert!(t.iter().any(|t| t.day == 1), "into tomorrow");
        assert_eq!(t.len(), PICKUP_MAX, "a day's worth of choices, not three");
    }

    #[test]
    fn pickup_when_closed_is_ready_after_opening() {
        let hours = WeeklyHours::parse("mon-sun 09:00-21:00").unwrap();
        // 23:00: ready tomorrow at 09:20.
        let t = pickup_times(&hours, at(0, 23, 0), 20);
        assert_eq!(t[0], lt(1, 9, 20));
        assert_eq!(t[1], lt(1, 9, 30));
        // 06:00: ready today at 09:20.
        assert_eq!(pickup_times(&hours, at(0, 6, 0), 20)[0], lt(0, 9, 20));
    }

    #[test]
    fn pickup_after_midnight_belongs_to_the_late_store() {
        // Open 10:00–02:00 (next day). At 00:30 on Tuesday, Monday's hours still run.
        let hours = WeeklyHours::parse("mon-sun 10:00-02:00").unwrap();
        let t = pickup_times(&hours, at(1, 0, 30), 20);
        assert_eq!(t[0], lt(0, 0, 50));
        assert_eq!(t[1], lt(0, 1, 0));
        assert_eq!(t[3], lt(0, 10, 20), "then after opening");
        // Around the clock: ready in 20 minutes, even at night.
        let t = pickup_times(&WeeklyHours::around_the_clock(), at(3, 23, 50), 20);
        assert_eq!(t[0], lt(1, 0, 10));
    }
}
