//! Opening hours as a store's settings or `stores.csv` write them (`WeeklyHours::parse`,
//! `parse_span`), and the rules read from them: open now, when that changes, delivery
//! windows and pick-up times. What is accepted prints back to itself, and every answer
//! agrees with `is_open` at the minute it names.
#![no_main]

use app::domain::hours::{self, LocalMoment, MINUTES_PER_DAY, OpenState, Weekday, WeeklyHours};
use app::domain::slots;
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(spec) = text(data) else {
        return;
    };
    if let Ok(span) = hours::parse_span(spec) {
        assert!(
            span.open < span.close
                && span.open < MINUTES_PER_DAY
                && span.close < 2 * MINUTES_PER_DAY,
            "{spec:?} -> {span:?}"
        );
    }
    let Ok(week) = WeeklyHours::parse(spec) else {
        return;
    };
    for i in (0..7)
        .filter_map(Weekday::from_monday0)
        .filter_map(|d| week.on(d))
    {
        assert!(
            i.open < i.close && i.open < MINUTES_PER_DAY,
            "{spec:?} -> {i:?}"
        );
        assert_eq!(hours::parse_span(&hours::span_text(i)), Ok(i), "{spec:?}");
    }
    let printed = week.to_string();
    assert_eq!(
        WeeklyHours::parse(&printed).as_ref(),
        Ok(&week),
        "{spec:?} printed as {printed:?}"
    );
    for day in (0..7).filter_map(Weekday::from_monday0) {
        for minute in moments_of(&week) {
            check_moment(
                &week,
                LocalMoment {
                    weekday: day,
                    minute,
                },
            );
        }
    }
});

/// The minutes where something may change, on any day: each opening and closing, the
/// minute either side, and midnight.
fn moments_of(week: &WeeklyHours) -> Vec<u16> {
    let mut minutes = vec![0, 1, 480, 720, 1320, MINUTES_PER_DAY - 1];
    for i in (0..7)
        .filter_map(Weekday::from_monday0)
        .filter_map(|d| week.on(d))
    {
        for m in [i.open, i.close] {
            let m = m % MINUTES_PER_DAY;
            minutes.extend([
                m,
                (m + 1) % MINUTES_PER_DAY,
                (m + MINUTES_PER_DAY - 1) % MINUTES_PER_DAY,
            ]);
        }
    }
    minutes.sort_unstable();
    minutes.dedup();
    minutes
}

fn at(day: Weekday, minute: u16) -> LocalMoment {
    LocalMoment {
        weekday: day,
        minute,
    }
}

fn check_moment(week: &WeeklyHours, now: LocalMoment) {
    let state = week.state_at(now);
    assert_eq!(state.is_open(), week.is_open(now), "{week} at {now:?}");
    match state {
        OpenState::Open { closes: Some(t) } => {
            assert_eq!(
                t.weekday,
                now.weekday.plus(t.days_ahead % 7),
                "{week} {now:?} {t:?}"
            );
            assert!(
                t.days_ahead > 0 || t.minute > now.minute,
                "{week} {now:?} {t:?}"
            );
            assert!(t.minute < MINUTES_PER_DAY, "{week} {now:?} {t:?}");
            assert!(
                !week.is_open(at(t.weekday, t.minute)),
                "{week}: open at {now:?}, said to close at {t:?}, but open then"
            );
        }
        OpenState::Open { closes: None } => {
            assert!(
                week.is_around_the_clock(),
                "{week} at {now:?}: never closes?"
            );
        }
        OpenState::Closed { opens: Some(t) } => {
            assert_eq!(
                t.weekday,
                now.weekday.plus(t.days_ahead % 7),
                "{week} {now:?} {t:?}"
            );
            assert!(
                t.days_ahead > 0 || t.minute > now.minute,
                "{week} {now:?} {t:?}"
            );
            assert!(
                week.is_open(at(t.weekday, t.minute)),
                "{week}: closed at {now:?}, said to open at {t:?}, but closed then"
            );
        }
        OpenState::Closed { opens: None } => {
            panic!("{week} at {now:?}: parsed hours always open some day");
        }
    }
    if week.is_around_the_clock() {
        assert_eq!(state, OpenState::Open { closes: None }, "{week}");
    }

    // Delivery windows: inside the day's opening hours and 08:00–22:00.
    for w in slots::delivery_windows(week, now) {
        assert!(w.start.day < slots::DAYS_AHEAD, "{week} {now:?} {w:?}");
        assert!(
            w.start.minute >= slots::DELIVERY_FROM
                && w.end_minute == w.start.minute + slots::WINDOW_MIN
                && w.end_minute <= slots::DELIVERY_UNTIL,
            "{week} {now:?} {w:?}"
        );
        let day = now.weekday.plus(w.start.day);
        for minute in [w.start.minute, w.end_minute - 1] {
            assert!(
                week.is_open(at(day, minute)),
                "{week} {now:?}: window {w:?} while closed"
            );
        }
    }

    // Pick-up times: later than the lead, rising, at most a day's worth, while open.
    for lead in [0, 20, 95] {
        let times = slots::pickup_times(week, now, lead);
        assert!(times.len() <= slots::PICKUP_MAX, "{week} {now:?}");
        assert!(
            times.windows(2).all(|p| p[0] < p[1]),
            "{week} {now:?} {times:?}"
        );
        for t in &times {
            assert!(
                t.minutes() >= u32::from(now.minute) + u32::from(lead)
                    && t.day < slots::PICKUP_DAYS,
                "{week} {now:?} lead {lead}: {t:?}"
            );
            assert!(
                week.is_open(at(now.weekday.plus(t.day), t.minute)),
                "{week} {now:?} lead {lead}: pick-up at {t:?} while closed"
            );
        }
    }
}
