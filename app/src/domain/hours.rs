//! A store's weekly opening hours in its own local time, and whether it is open at a
//! given local moment (across midnight too). Pure rules, shared by server and browser.
//!
//! The stored form is compact and human-editable: `24h`, or `;`-separated rules such as
//! `mon-fri 07:00-22:00;sat-sun 08:00-23:00`. A closing time earlier than the opening
//! time means "after midnight" (`mon-sun 10:00-02:00`); a day without a rule is closed.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const MINUTES_PER_DAY: u16 = 24 * 60;
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Day of the week, Monday = 0 … Sunday = 6 (ISO order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Weekday(u8);

impl Weekday {
    pub const MONDAY: Weekday = Weekday(0);
    pub const SUNDAY: Weekday = Weekday(6);

    pub fn from_monday0(index: u8) -> Option<Self> {
        (index < 7).then_some(Weekday(index))
    }
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
    pub fn plus(self, days: u8) -> Self {
        Weekday(((u16::from(self.0) + u16::from(days)) % 7) as u8)
    }
    pub fn minus_one(self) -> Self {
        self.plus(6)
    }
    /// English schema.org name, e.g. `Monday`.
    pub fn schema_name(self) -> &'static str {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][self.index()]
    }
    fn parse(s: &str) -> Option<Self> {
        DAY_NAMES
            .iter()
            .position(|d| *d == s)
            .map(|i| Weekday(i as u8))
    }
}

/// One opening interval starting on some day: `open` and `close` are minutes after that
/// day's local midnight; `close` may exceed 1440 when the store closes after midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Interval {
    pub open: u16,
    pub close: u16,
}

impl Interval {
    pub fn is_all_day(self) -> bool {
        self.open == 0 && self.close == MINUTES_PER_DAY
    }
}

/// A local moment in a store's time zone: the weekday and minutes after midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalMoment {
    pub weekday: Weekday,
    pub minute: u16,
}

/// A point later in the week, relative to a [`LocalMoment`]: `days_ahead` 0 is today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaterTime {
    pub days_ahead: u8,
    pub weekday: Weekday,
    pub minute: u16,
}

/// Whether a store is open now, and when that changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenState {
    /// Open; `closes` is `None` when it never closes (open around the clock).
    Open { closes: Option<LaterTime> },
    /// Closed; `opens` is `None` when the store has no opening hours at all.
    Closed { opens: Option<LaterTime> },
}

impl OpenState {
    pub fn is_open(self) -> bool {
        matches!(self, OpenState::Open { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("opening-hours rule `{0}` is not `DAYS HH:MM-HH:MM`")]
    Malformed(String),
    #[error("unknown day `{0}` (use mon … sun)")]
    UnknownDay(String),
    #[error("time `{0}` is not a valid HH:MM")]
    BadTime(String),
    #[error("day `{0}` has more than one rule")]
    DayTwice(&'static str),
    #[error("a rule that opens and closes at the same minute")]
    Empty,
}

/// At most one opening interval per weekday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    days: [Option<Interval>; 7],
}

impl WeeklyHours {
    pub fn around_the_clock() -> Self {
        WeeklyHours {
            days: [Some(Interval {
                open: 0,
                close: MINUTES_PER_DAY,
            }); 7],
        }
    }

    pub fn parse(spec: &str) -> Result<Self, HoursError> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("24h") {
            return Ok(Self::around_the_clock());
        }
        let mut days = [None; 7];
        for rule in spec.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            let (day_part, time_part) = rule
                .split_once(' ')
                .ok_or_else(|| HoursError::Malformed(rule.to_owned()))?;
            let (open, close) = time_part
                .trim()
                .split_once('-')
                .ok_or_else(|| HoursError::Malformed(rule.to_owned()))?;
            let (open, close) = (parse_opening(open)?, parse_hhmm(close)?);
            let interval = match close.cmp(&open) {
                std::cmp::Ordering::Greater => Interval { open, close },
                std::cmp::Ordering::Less => Interval {
                    open,
                    close: close + MINUTES_PER_DAY,
                },
                std::cmp::Ordering::Equal => return Err(HoursError::Empty),
            };
            for day in parse_days(day_part)? {
                let slot = &mut days[day.index()];
                if slot.is_some() {
                    return Err(HoursError::DayTwice(DAY_NAMES[day.index()]));
                }
                *slot = Some(interval);
            }
        }
        if days.iter().all(Option::is_none) {
            return Err(HoursError::Malformed(spec.to_owned()));
        }
        Ok(WeeklyHours { days })
    }

    /// These hours with some days of the coming week replaced (`days_ahead` 0 = today, up
    /// to 6): holiday hours, or `None` for a closed day. The week repeats, so a special day
    /// seven or more days ahead has no place here; callers pass only the coming six.
    pub fn with_special_days(&self, today: Weekday, special: &[(u8, Option<Interval>)]) -> Self {
        let mut days = self.days;
        for (ahead, interval) in special {
            if *ahead < 7 {
                days[today.plus(*ahead).index()] = *interval;
            }
        }
        WeeklyHours { days }
    }

    pub fn on(&self, day: Weekday) -> Option<Interval> {
        self.days[day.index()]
    }

    pub fn is_around_the_clock(&self) -> bool {
        self.days
            .iter()
            .all(|d| d.is_some_and(Interval::is_all_day))
    }

    /// Open at `at`? Today's interval counts, and so does yesterday's when it runs past midnight.
    pub fn is_open(&self, at: LocalMoment) -> bool {
        self.open_interval_end(at).is_some()
    }

    /// When the interval covering `at` ends, in minutes after today's midnight: the later
    /// end when both today's and yesterday's cover it.
    fn open_interval_end(&self, at: LocalMoment) -> Option<u16> {
        let today = self
            .on(at.weekday)
            .filter(|t| t.open <= at.minute && at.minute < t.close)
            .map(|t| t.close);
        let yesterday = self
            .on(at.weekday.minus_one())
            .filter(|y| y.close > MINUTES_PER_DAY + at.minute)
            .map(|y| y.close - MINUTES_PER_DAY);
        today.max(yesterday)
    }

    pub fn state_at(&self, at: LocalMoment) -> OpenState {
        match self.open_interval_end(at) {
            Some(end) => OpenState::Open {
                closes: self.closing_after(at, end),
            },
            None => OpenState::Closed {
                opens: self.next_opening(at),
            },
        }
    }

    /// Follows back-to-back intervals (e.g. 24h days) to the real closing time.
    fn closing_after(&self, at: LocalMoment, mut end: u16) -> Option<LaterTime> {
        let mut days_ahead = 0u8;
        // Yesterday's hours may run past midnight into today's own.
        if let Some(today) = self.on(at.weekday)
            && today.open <= end
            && end < today.close
        {
            end = today.close;
        }
        while days_ahead < 8 {
            if end < MINUTES_PER_DAY {
                return Some(later(at, days_ahead, end));
            }
            let next_day = at.weekday.plus(days_ahead + 1);
            let carry = end - MINUTES_PER_DAY;
            match self.on(next_day) {
                Some(next) if next.open <= carry && next.close > carry => {
                    end = next.close;
                    days_ahead += 1;
                }
                _ => return Some(later(at, days_ahead + 1, carry)),
            }
        }
        None
    }

    fn next_opening(&self, at: LocalMoment) -> Option<LaterTime> {
        if let Some(today) = self.on(at.weekday)
            && today.open > at.minute
        {
            return Some(later(at, 0, today.open));
        }
        (1..=7).find_map(|d| self.on(at.weekday.plus(d)).map(|i| later(at, d, i.open)))
    }

    /// Consecutive days with the same hours grouped, Monday first, for display:
    /// `(first day, last day, hours or None when closed)`.
    pub fn grouped(&self) -> Vec<(Weekday, Weekday, Option<Interval>)> {
        let mut groups: Vec<(Weekday, Weekday, Option<Interval>)> = Vec::new();
        for i in 0..7u8 {
            let day = Weekday(i);
            let hours = self.days[day.index()];
            match groups.last_mut() {
                Some((_, last, h)) if *h == hours => *last = day,
                _ => groups.push((day, day, hours)),
            }
        }
        groups
    }
}

impl fmt::Display for WeeklyHours {
    /// Writes the same compact form that [`WeeklyHours::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_around_the_clock() {
            return f.write_str("24h");
        }
        let rules: Vec<String> = self
            .grouped()
            .into_iter()
            .filter_map(|(first, last, hours)| {
                let hours = hours?;
                let days = if first == last {
                    DAY_NAMES[first.index()].to_owned()
                } else {
                    format!("{}-{}", DAY_NAMES[first.index()], DAY_NAMES[last.index()])
                };
                Some(format!("{days} {}", span_text(hours)))
            })
            .collect();
        f.write_str(&rules.join(";"))
    }
}

fn later(at: LocalMoment, days_ahead: u8, minute: u16) -> LaterTime {
    LaterTime {
        days_ahead,
        weekday: at.weekday.plus(days_ahead),
        minute,
    }
}

/// `HH:MM` of a minute count, wrapping past midnight (`1560` → `02:00`).
pub fn hhmm(minute: u16) -> String {
    let m = minute % MINUTES_PER_DAY;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// An interval as the rules write it, `HH:MM-HH:MM`, read back by [`parse_span`] and
/// [`WeeklyHours::parse`]. A close at the end of the day is `24:00`: `00:00-00:00` would
/// read as a rule that opens and closes at the same minute.
pub fn span_text(interval: Interval) -> String {
    let close = match interval.close {
        MINUTES_PER_DAY => "24:00".to_owned(),
        close => hhmm(close),
    };
    format!("{}-{close}", hhmm(interval.open))
}

/// One day's `HH:MM-HH:MM` (closing after midnight allowed, as in the weekly rules).
pub fn parse_span(s: &str) -> Result<Interval, HoursError> {
    let (open, close) = s
        .trim()
        .split_once('-')
        .ok_or_else(|| HoursError::Malformed(s.to_owned()))?;
    let (open, close) = (parse_opening(open)?, parse_hhmm(close)?);
    match close.cmp(&open) {
        std::cmp::Ordering::Greater => Ok(Interval { open, close }),
        std::cmp::Ordering::Less if close < MINUTES_PER_DAY => Ok(Interval {
            open,
            close: close + MINUTES_PER_DAY,
        }),
        _ => Err(HoursError::Empty),
    }
}

fn parse_hhmm(s: &str) -> Result<u16, HoursError> {
    let bad = || HoursError::BadTime(s.to_owned());
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    match (h, m) {
        (24, 0) => Ok(MINUTES_PER_DAY),
        (0..=23, 0..=59) => Ok(h * 60 + m),
        _ => Err(bad()),
    }
}

/// An opening time: `24:00` is the end of a day, so it only ever closes one.
fn parse_opening(s: &str) -> Result<u16, HoursError> {
    match parse_hhmm(s)? {
        MINUTES_PER_DAY => Err(HoursError::BadTime(s.to_owned())),
        minute => Ok(minute),
    }
}

fn parse_days(s: &str) -> Result<Vec<Weekday>, HoursError> {
    let day = |d: &str| Weekday::parse(d).ok_or_else(|| HoursError::UnknownDay(d.to_owned()));
    match s.split_once('-') {
        None => Ok(vec![day(s)?]),
        Some((first, last)) => {
            let (first, last) = (day(first)?, day(last)?);
            let span = (last.0 + 7 - first.0) % 7;
            Ok((0..=span).map(|d| first.plus(d)).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str, time: &str) -> LocalMoment {
        LocalMoment {
            weekday: Weekday::parse(day).unwrap(),
            minute: parse_hhmm(time).unwrap(),
        }
    }

    #[test]
    fn parses_and_prints_the_compact_form() {
        for spec in [
            "24h",
            "mon-fri 07:00-22:00;sat-sun 08:00-23:00",
            "tue-sun 09:00-21:00",
            "mon-sun 10:00-02:00",
        ] {
            assert_eq!(WeeklyHours::parse(spec).unwrap().to_string(), spec);
        }
        assert_eq!(
            WeeklyHours::parse("sat-mon 10:00-18:00")
                .unwrap()
                .to_string(),
            "mon 10:00-18:00;sat-sun 10:00-18:00"
        );
    }

    #[test]
    fn rejects_malformed_specs() {
        assert!(matches!(
            WeeklyHours::parse("mon-fri"),
            Err(HoursError::Malformed(_))
        ));
        assert!(matches!(
            WeeklyHours::parse("mon-fry 08:00-20:00"),
            Err(HoursError::UnknownDay(_))
        ));
        assert!(matches!(
            WeeklyHours::parse("mon 25:00-26:00"),
            Err(HoursError::BadTime(_))
        ));
        assert!(matches!(
            WeeklyHours::parse("mon 8:00-20:00"),
            Err(HoursError::BadTime(_))
        ));
        assert!(matches!(
            WeeklyHours::parse("mon 08:00-08:00"),
            Err(HoursError::Empty)
        ));
        assert!(matches!(
            WeeklyHours::parse("mon-sun 08:00-20:00;sun 09:00-10:00"),
            Err(HoursError::DayTwice("sun"))
        ));
        assert!(WeeklyHours::parse("").is_err());
    }

    #[test]
    fn daytime_store_opens_and_closes() {
        let h = WeeklyHours::parse("mon-sun 08:00-22:00").unwrap();
        assert!(!h.is_open(at("mon", "07:59")));
        assert!(h.is_open(at("mon", "08:00")));
        assert!(h.is_open(at("mon", "21:59")));
        assert!(
            !h.is_open(at("mon", "22:00")),
            "closing minute is exclusive"
        );
        assert_eq!(
            h.state_at(at("mon", "23:30")),
            OpenState::Closed {
                opens: Some(LaterTime {
                    days_ahead: 1,
                    weekday: Weekday::parse("tue").unwrap(),
                    minute: 480
                })
            }
        );
        assert_eq!(
            h.state_at(at("mon", "06:00")),
            OpenState::Closed {
                opens: Some(LaterTime {
                    days_ahead: 0,
                    weekday: Weekday::MONDAY,
                    minute: 480
                })
            }
        );
    }

    #[test]
    fn late_store_stays_open_past_midnight_into_the_next_day() {
        let h = WeeklyHours::parse("mon-sat 10:00-02:00").unwrap();
        assert!(h.is_open(at("mon", "23:59")));
        assert!(
            h.is_open(at("tue", "01:59")),
            "Monday's hours run into Tuesday"
        );
        assert!(!h.is_open(at("tue", "02:00")));
        assert!(
            h.is_open(at("sun", "01:00")),
            "Saturday night runs into Sunday"
        );
        assert!(
            !h.is_open(at("mon", "01:00")),
            "no Sunday hours, so Monday 01:00 is closed"
        );
        assert_eq!(
            h.state_at(at("mon", "23:00")),
            OpenState::Open {
                closes: Some(LaterTime {
                    days_ahead: 1,
                    weekday: Weekday::parse("tue").unwrap(),
                    minute: 120
                })
            }
        );
        assert_eq!(
            h.state_at(at("sun", "03:00")),
            OpenState::Closed {
                opens: Some(LaterTime {
                    days_ahead: 1,
                    weekday: Weekday::MONDAY,
                    minute: 600
                })
            }
        );
    }

    #[test]
    fn around_the_clock_never_closes() {
        let h = WeeklyHours::parse("24h").unwrap();
        assert!(h.is_around_the_clock());
        for day in DAY_NAMES {
            for time in ["00:00", "12:00", "23:59"] {
                assert_eq!(h.state_at(at(day, time)), OpenState::Open { closes: None });
            }
        }
    }

    #[test]
    fn back_to_back_days_close_at_the_real_end() {
        let h = WeeklyHours::parse("fri-sat 00:00-24:00;sun 00:00-20:00").unwrap();
        assert_eq!(
            h.state_at(at("fri", "09:00")),
            OpenState::Open {
                closes: Some(LaterTime {
                    days_ahead: 2,
                    weekday: Weekday::SUNDAY,
                    minute: 1200
                })
            }
        );
    }

    #[test]
    fn a_day_open_until_midnight_prints_as_it_parses() {
        for spec in [
            "fri-sat 00:00-24:00;sun 00:00-20:00",
            "mon 10:00-24:00",
            "mon 10:00-00:00",
        ] {
            let h = WeeklyHours::parse(spec).unwrap();
            assert_eq!(WeeklyHours::parse(&h.to_string()), Ok(h), "{spec}");
        }
        assert_eq!(
            WeeklyHours::parse("fri-sat 00:00-24:00;sun 00:00-20:00")
                .unwrap()
                .to_string(),
            "fri-sat 00:00-24:00;sun 00:00-20:00"
        );
    }

    #[test]
    fn midnight_at_the_end_of_a_day_only_closes() {
        for spec in ["mon 24:00-08:00", "mon 24:00-00:00"] {
            assert!(
                matches!(WeeklyHours::parse(spec), Err(HoursError::BadTime(_))),
                "{spec}"
            );
        }
        assert!(matches!(
            parse_span("24:00-08:00"),
            Err(HoursError::BadTime(_))
        ));
        assert_eq!(
            parse_span("00:00-24:00"),
            Ok(Interval {
                open: 0,
                close: MINUTES_PER_DAY
            })
        );
    }

    #[test]
    fn overlapping_rules_close_at_the_end_of_the_last() {
        // Friday's hours run past midnight into Saturday's own.
        let h = WeeklyHours::parse("mon-fri 14:00-11:00;sat-sun 04:00-23:00").unwrap();
        assert_eq!(
            h.state_at(at("sat", "00:00")),
            OpenState::Open {
                closes: Some(LaterTime {
                    days_ahead: 0,
                    weekday: Weekday::parse("sat").unwrap(),
                    minute: 23 * 60
                })
            }
        );
        // Sunday's hours run past midnight beyond Monday's short ones.
        let h = WeeklyHours::parse("sun 10:00-09:20;mon 01:00-05:00").unwrap();
        assert_eq!(
            h.state_at(at("mon", "02:00")),
            OpenState::Open {
                closes: Some(LaterTime {
                    days_ahead: 0,
                    weekday: Weekday::MONDAY,
                    minute: 9 * 60 + 20
                })
            }
        );
    }

    #[test]
    fn closed_weekday_skips_to_the_next_open_day() {
        let h = WeeklyHours::parse("tue-sun 09:00-21:00").unwrap();
        assert!(!h.is_open(at("mon", "12:00")));
        assert_eq!(
            h.state_at(at("sun", "22:00")),
            OpenState::Closed {
                opens: Some(LaterTime {
                    days_ahead: 2,
                    weekday: Weekday::parse("tue").unwrap(),
                    minute: 540
                })
            }
        );
        let grouped = h.grouped();
        assert_eq!(grouped[0], (Weekday::MONDAY, Weekday::MONDAY, None));
        assert_eq!(grouped.len(), 2);
    }
}
