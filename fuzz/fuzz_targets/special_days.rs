//! A store's special days: the stored list (`SpecialDays::parse`, which drops a damaged
//! entry) and the console's date and hours fields (`parse_special_date`,
//! `parse_special_hours`). What the console accepts is saved with `to_stored` and must
//! come back from the database as it was saved.
#![no_main]

use app::domain::console::{SpecialDay, SpecialDays, parse_special_date, parse_special_hours};
use app::domain::hours::{MINUTES_PER_DAY, WeeklyHours};
use chrono::NaiveDate;
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    // 2026-12-21 is a Monday.
    let today = NaiveDate::from_ymd_opt(2026, 12, 21).expect("a date");

    let days = SpecialDays::parse(s);
    assert!(
        days.0.windows(2).all(|w| w[0].date < w[1].date),
        "{s:?}: not sorted, one per date: {days:?}"
    );
    let stored = days.to_stored();
    assert_eq!(
        SpecialDays::parse(&stored),
        days,
        "{s:?} stored as {stored:?}"
    );
    for (ahead, _) in days.this_week(today) {
        assert!(ahead < 7, "{s:?}");
    }
    let usual = WeeklyHours::parse("mon-sat 10:00-02:00").expect("hours");
    let _ = days.hours_now(&usual, today);
    let _ = days.hours_ahead(&usual, today);
    assert!(
        days.kept(today)
            .0
            .iter()
            .all(|d| d.date >= today.pred_opt().unwrap())
    );

    // The console's two fields, each as typed, and the day they make once saved.
    let hours = parse_special_hours(s);
    if let Ok(Some(i)) = hours {
        assert!(
            i.open < i.close && i.open < MINUTES_PER_DAY && i.close < 2 * MINUTES_PER_DAY,
            "{s:?} -> {i:?}"
        );
    }
    let date = parse_special_date(s, today);
    if let Ok(d) = date {
        assert!(d >= today && (d - today).num_days() <= 366, "{s:?} -> {d}");
        assert_eq!(parse_special_date(&d.to_string(), today), Ok(d), "{s:?}");
    }
    // The same text as the hours of a day the console accepts.
    if let Ok(hours) = hours {
        let saved = days.with(SpecialDay { date: today, hours });
        let stored = saved.to_stored();
        assert_eq!(
            SpecialDays::parse(&stored),
            saved,
            "hours {s:?} ({hours:?}) saved as {stored:?} do not come back"
        );
    }
    // Each entry's hours, as the console would have read them.
    for entry in s.split(';') {
        if let Some((d, h)) = entry.trim().split_once(' ')
            && let (Ok(date), Ok(hours)) = (parse_special_date(d, today), parse_special_hours(h))
        {
            let saved = SpecialDays::default().with(SpecialDay { date, hours });
            assert_eq!(SpecialDays::parse(&saved.to_stored()), saved, "{entry:?}");
        }
    }
});
