//! In-store services by appointment (预约到店), pure rules shared by server and browser: a
//! service's slots for the coming week from its store's opening hours in the store's own
//! local time (the server places them on the calendar, `ssr::schedule`), when a booking
//! may still be moved or cancelled, until when the till may verify it (核销), and the
//! typed values the forms carry (a booking's id and code, a service's key).
//!
//! - Slots run back to back, each as long as the service, from opening (rounded up to the
//!   quarter hour) and only between 09:00 and 21:00 — a 24-hour store gives no makeup
//!   trial at night — and none runs past closing.
//! - A slot can be booked from [`LEAD_MIN`] minutes ahead, for [`DAYS_AHEAD`] days.
//! - A booking can be moved or cancelled until it starts; the till verifies it until
//!   [`GRACE_MIN`] minutes after its start. A booking still not verified then is a
//!   no-show, and its place is given back (the server's sweep).

use super::hours::{LocalMoment, WeeklyHours};
use super::slots::LocalTime;
use serde::{Deserialize, Serialize};

/// Today and the six days after it.
pub const DAYS_AHEAD: u8 = 7;
/// Services are given from 09:00 …
pub const SERVICE_FROM: u16 = 9 * 60;
/// … and end by 21:00, whatever the opening hours.
pub const SERVICE_UNTIL: u16 = 21 * 60;
/// The first slot of a day starts on a quarter hour.
pub const ALIGN_MIN: u16 = 15;
/// A slot can be booked until this long before it starts.
pub const LEAD_MIN: u16 = 30;
/// How late a member may be: the till verifies until then, the sweep frees the place after.
pub const GRACE_MIN: i64 = 15;
pub const GRACE_SECS: i64 = GRACE_MIN * 60;
/// The most members one slot of a service takes.
pub const CAPACITY_MAX: i64 = 50;

/// The local start times of a service's slots that can still be booked at `now`: every
/// slot of the next [`DAYS_AHEAD`] days (today included) from [`LEAD_MIN`] ahead.
pub fn service_slots(hours: &WeeklyHours, now: LocalMoment, duration_min: u16) -> Vec<LocalTime> {
    if duration_min == 0 {
        return Vec::new();
    }
    let earliest = u32::from(now.minute) + u32::from(LEAD_MIN);
    let mut slots = Vec::new();
    for day in 0..DAYS_AHEAD {
        let Some(open) = hours.on(now.weekday.plus(day)) else {
            continue;
        };
        let from = open.open.max(SERVICE_FROM);
        // `close` past midnight is later than 21:00 anyway.
        let until = open.close.min(SERVICE_UNTIL);
        let mut start = from.div_ceil(ALIGN_MIN) * ALIGN_MIN;
        while start + duration_min <= until {
            let t = LocalTime { day, minute: start };
            if t.minutes() >= earliest {
                slots.push(t);
            }
            start += duration_min;
        }
    }
    slots
}

/// Whether a booking starting at `starts_at` can still be moved or cancelled at `now`.
pub fn changeable(starts_at: i64, now: i64) -> bool {
    now < starts_at
}

/// Whether the till may still verify a booking starting at `starts_at`: until
/// [`GRACE_MIN`] after it starts.
pub fn verifiable(starts_at: i64, now: i64) -> bool {
    now <= starts_at + GRACE_SECS
}

/// Bookings still `booked` that started before this are no-shows at `now`.
pub fn no_show_before(now: i64) -> i64 {
    now - GRACE_SECS
}

/// Where a booking is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BookingStatus {
    /// Live: it holds a place in its slot.
    Booked,
    /// The member cancelled it (its place went back).
    Cancelled,
    /// Verified at the till (核销).
    Done,
    /// Not verified within the grace period (its place went back).
    NoShow,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 4] = [
        BookingStatus::Booked,
        BookingStatus::Cancelled,
        BookingStatus::Done,
        BookingStatus::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Done => "done",
            BookingStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

impl TryFrom<String> for BookingStatus {
    type Error = super::order::UnknownValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        BookingStatus::parse(&value).ok_or(super::order::UnknownValue {
            kind: "booking status",
            value,
        })
    }
}

/// The characters of a booking id after its `BK` (Crockford base32).
const ID_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ID_LEN: usize = 12;

/// A new booking's id from 60 random bits: `BK` and 12 characters of Crockford base32.
pub fn booking_id(mut bits: u64) -> String {
    let mut id = String::from("BK");
    for _ in 0..ID_LEN {
        id.push(ID_ALPHABET[(bits % 32) as usize] as char);
        bits /= 32;
    }
    id
}

/// A booking id as a form sends it back (`None`: not one this app makes).
pub fn parse_booking_id(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s.strip_prefix("BK")?;
    (rest.len() == ID_LEN && rest.bytes().all(|b| ID_ALPHABET.contains(&b))).then(|| s.to_owned())
}

/// How many digits a booking's code has.
pub const CODE_DIGITS: usize = 10;

/// Why a code typed (or scanned) at the till is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeProblem {
    Empty,
    /// Something other than digits, spaces and dashes.
    NotDigits,
    /// Not [`CODE_DIGITS`] digits.
    Length,
}

/// A booking code as typed: digits, with any spaces or dashes between them (the page
/// shows it grouped, `123 456 7890`).
pub fn parse_code(s: &str) -> Result<String, CodeProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Err(CodeProblem::Empty);
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return Err(CodeProblem::NotDigits);
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == CODE_DIGITS {
        Ok(digits)
    } else {
        Err(CodeProblem::Length)
    }
}

/// A code as people read it out: `123 456 7890`.
pub fn grouped_code(code: &str) -> String {
    if code.len() != CODE_DIGITS || !code.is_ascii() {
        return code.to_owned();
    }
    format!("{} {} {}", &code[..3], &code[3..6], &code[6..])
}

/// A service's key within its store, as its URL and forms name it: 1 to 40 of `a-z`,
/// `0-9` and inner dashes.
pub fn parse_service_key(s: &str) -> Option<&str> {
    let s = s.trim();
    let ok = (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    ok.then_some(s)
}

/// A checkbox as posted: ticked `1`, unticked absent; `None` for anything else.
pub fn parse_ticked(s: &str) -> Option<bool> {
    match s {
        "" => Some(false),
        "1" => Some(true),
        _ => None,
    }
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

    fn on(slots: &[LocalTime], day: u8) -> Vec<LocalTime> {
        slots.iter().copied().filter(|t| t.day == day).collect()
    }

    #[test]
    fn slots_run_back_to_back_from_opening_and_none_past_closing() {
        // Open 10:00–20:00; a 45-minute service, asked at 06:00.
        let hours = WeeklyHours::parse("mon-sun 10:00-20:00").unwrap();
        let slots = service_slots(&hours, at(0, 6, 0), 45);
        let today = on(&slots, 0);
        assert_eq!(today[0], lt(0, 10, 0));
        assert_eq!(today[1], lt(0, 10, 45));
        // 10:00 + 13 × 45 min = 19:45 would end at 20:30: the last starts at 19:00.
        assert_eq!(*today.last().unwrap(), lt(0, 19, 0));
        assert!(today.iter().all(|t| t.minute + 45 <= 20 * 60));
        assert_eq!(today.len(), 13);
        assert_eq!(on(&slots, 6).len(), 13, "a week ahead");
        assert!(slots.iter().all(|t| t.day < DAYS_AHEAD));
    }

    #[test]
    fn an_odd_opening_time_starts_on_the_quarter_hour() {
        let hours = WeeklyHours::parse("mon-sun 09:50-21:00").unwrap();
        let slots = service_slots(&hours, at(0, 6, 0), 30);
        assert_eq!(slots[0], lt(0, 10, 0));
        assert_eq!(*on(&slots, 0).last().unwrap(), lt(0, 20, 30));
    }

    #[test]
    fn a_24h_store_gives_services_by_day_only() {
        let slots = service_slots(&WeeklyHours::around_the_clock(), at(2, 23, 0), 20);
        assert!(on(&slots, 0).is_empty(), "23:00: nothing left today");
        let tomorrow = on(&slots, 1);
        assert_eq!(tomorrow[0], lt(1, 9, 0));
        assert_eq!(*tomorrow.last().unwrap(), lt(1, 20, 40));
        assert_eq!(tomorrow.len(), 36);
        // A store open late into the night still ends its services at 21:00.
        let late = WeeklyHours::parse("mon-sun 18:00-02:00").unwrap();
        let slots = service_slots(&late, at(0, 6, 0), 30);
        assert_eq!(
            on(&slots, 0),
            vec![
                lt(0, 18, 0),
                lt(0, 18, 30),
                lt(0, 19, 0),
                lt(0, 19, 30),
                lt(0, 20, 0),
                lt(0, 20, 30)
            ]
        );
    }

    #[test]
    fn the_lead_time_and_closed_days_take_slots_away() {
        let hours = WeeklyHours::parse("mon 10:00-20:00;wed-sun 10:00-20:00").unwrap();
        // Monday 11:10: the 11:30 slot is within the lead time; 12:00 is not.
        let slots = service_slots(&hours, at(0, 11, 10), 30);
        assert_eq!(slots[0], lt(0, 12, 0));
        let slots = service_slots(&hours, at(0, 11, 0), 30);
        assert_eq!(
            slots[0],
            lt(0, 11, 30),
            "exactly the lead time is still fine"
        );
        assert!(on(&slots, 1).is_empty(), "closed on Tuesday");
        assert!(!on(&slots, 2).is_empty());
        // A service longer than the day is open has no slots; nor has a zero-length one.
        let short = WeeklyHours::parse("mon-sun 10:00-10:30").unwrap();
        assert!(service_slots(&short, at(0, 6, 0), 45).is_empty());
        assert!(service_slots(&hours, at(0, 6, 0), 0).is_empty());
    }

    #[test]
    fn moving_ends_at_the_start_and_the_till_at_the_grace() {
        let start = 1_800_000_000;
        assert!(changeable(start, start - 1));
        assert!(!changeable(start, start));
        assert!(
            verifiable(start, start - 86_400),
            "an early member is verified"
        );
        assert!(verifiable(start, start + GRACE_SECS));
        assert!(!verifiable(start, start + GRACE_SECS + 1));
        assert_eq!(no_show_before(start + GRACE_SECS + 1), start + 1);
    }

    #[test]
    fn statuses_round_trip_and_unknown_ones_are_refused() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(s.as_str()), Some(s));
            assert_eq!(BookingStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        assert!(BookingStatus::try_from("noshow".to_owned()).is_err());
    }

    #[test]
    fn ids_codes_and_keys_parse_only_what_the_app_makes() {
        let id = booking_id(u64::MAX >> 4);
        assert_eq!(id.len(), 14);
        assert_eq!(parse_booking_id(&id), Some(id.clone()));
        assert_eq!(parse_booking_id(&format!(" {id} ")), Some(id.clone()));
        assert_eq!(parse_booking_id("BK123"), None);
        assert_eq!(parse_booking_id("CS0123456789AB"), None);
        assert_eq!(
            parse_booking_id("BK0123456789AI"),
            None,
            "I is not Crockford"
        );
        assert_eq!(parse_code("123 456-7890"), Ok("1234567890".to_owned()));
        assert_eq!(parse_code("  "), Err(CodeProblem::Empty));
        assert_eq!(parse_code("12345abc90"), Err(CodeProblem::NotDigits));
        assert_eq!(parse_code("123456789"), Err(CodeProblem::Length));
        assert_eq!(grouped_code("1234567890"), "123 456 7890");
        assert_eq!(grouped_code("12"), "12");
        assert_eq!(parse_service_key("fitting-room"), Some("fitting-room"));
        assert_eq!(parse_service_key("Fitting"), None);
        assert_eq!(parse_service_key("-x"), None);
        assert_eq!(parse_service_key(""), None);
        assert_eq!(parse_ticked(""), Some(false));
        assert_eq!(parse_ticked("1"), Some(true));
        assert_eq!(parse_ticked("on"), None);
    }
}
