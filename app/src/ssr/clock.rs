//! The local moment in a store's time zone (server): turns "now" into the weekday and
//! minute that the pure opening-hours rules take.

use crate::domain::hours::{LocalMoment, Weekday};
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

/// The local weekday and minute at `utc` in `time_zone`; an unknown zone falls back to
/// China Standard Time, the brand's home zone, rather than failing a page.
pub fn local_moment(time_zone: &str, utc: DateTime<Utc>) -> LocalMoment {
    let tz: Tz = time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    let local = utc.with_timezone(&tz);
    LocalMoment {
        weekday: Weekday::from_monday0(local.weekday().num_days_from_monday() as u8)
            .unwrap_or(Weekday::MONDAY),
        minute: (local.hour() * 60 + local.minute()) as u16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hours::{OpenState, WeeklyHours};
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn shanghai_is_eight_hours_ahead_and_crosses_midnight() {
        // 2026-11-22 is a Sunday. 17:30 UTC is Monday 01:30 in Shanghai.
        let m = local_moment("Asia/Shanghai", utc(2026, 11, 22, 17, 30));
        assert_eq!(
            m,
            LocalMoment {
                weekday: Weekday::MONDAY,
                minute: 90
            }
        );
    }

    #[test]
    fn the_same_instant_differs_by_store_time_zone() {
        let hours = WeeklyHours::parse("mon-sun 08:00-22:00").unwrap();
        // 00:30 UTC: 08:30 in Shanghai (open), 06:30 in Ürümqi (closed).
        let instant = utc(2026, 11, 23, 0, 30);
        assert!(hours.is_open(local_moment("Asia/Shanghai", instant)));
        let urumqi = hours.state_at(local_moment("Asia/Urumqi", instant));
        assert!(
            matches!(urumqi, OpenState::Closed { opens: Some(t) } if t.days_ahead == 0 && t.minute == 480)
        );
    }

    #[test]
    fn late_night_store_open_after_local_midnight() {
        let hours = WeeklyHours::parse("mon-sat 10:00-02:00").unwrap();
        // Saturday 2026-11-28 17:00 UTC = Sunday 01:00 Shanghai: Saturday's hours still run.
        assert!(hours.is_open(local_moment("Asia/Shanghai", utc(2026, 11, 28, 17, 0))));
        // Sunday 17:00 UTC = Monday 01:00 Shanghai: Sunday has no hours, so closed.
        assert!(!hours.is_open(local_moment("Asia/Shanghai", utc(2026, 11, 29, 17, 0))));
    }

    #[test]
    fn unknown_zone_falls_back_to_china_time() {
        let instant = utc(2026, 11, 23, 0, 30);
        assert_eq!(
            local_moment("Mars/Olympus", instant),
            local_moment("Asia/Shanghai", instant)
        );
    }
}
