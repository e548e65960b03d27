//! The store console's inputs, read strictly (pure, shared): a price in yuan, a stock
//! count, a stock-and-price CSV, special days. Each refusal names what is wrong, so the
//! page can say it beside the field or the CSV line.

use super::hours::{Interval, parse_span};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The highest price a store may set: ¥100,000.00.
pub const PRICE_MAX_FEN: i64 = 10_000_000;
/// The most of one thing a store may hold.
pub const STOCK_MAX: i64 = 100_000;
/// The most rows one CSV may carry.
pub const CSV_MAX_ROWS: usize = 20_000;

/// Why an input was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum InputProblem {
    /// Not a number of yuan with at most two decimals (`12`, `12.5`, `12.34`).
    NotAPrice,
    /// Zero, negative, or above the most a price may be.
    PriceOutOfRange,
    /// Not a whole number.
    NotAStock,
    /// Negative, or more than a store holds.
    StockOutOfRange,
    /// The list price is below the price.
    ListBelowPrice,
    /// No such product in this store.
    UnknownSku,
    /// A CSV row with too few or too many fields.
    BadRow,
    /// The same SKU twice in one CSV.
    DuplicateSku,
    /// Not a date `YYYY-MM-DD`.
    NotADate,
    /// A day already past.
    DateInPast,
    /// Not `HH:MM-HH:MM`.
    NotHours,
    /// A number of minutes or a count out of its range.
    OutOfRange,
    /// Nothing at all.
    Empty,
}

/// Yuan as typed (`12`, `12.3`, `12.34`, full-width digits refused) into fen.
pub fn parse_yuan(s: &str) -> Result<i64, InputProblem> {
    match parse_yuan_or_zero(s, PRICE_MAX_FEN) {
        Ok(0) => Err(InputProblem::PriceOutOfRange),
        Err(InputProblem::Empty) => Err(InputProblem::NotAPrice),
        read => read,
    }
}

/// Fen as a price field shows it: `12.30`.
pub fn yuan_field(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// A stock count as typed: a whole number from 0 to [`STOCK_MAX`].
pub fn parse_stock(s: &str) -> Result<i64, InputProblem> {
    let s = s.trim();
    if s.starts_with('-') && s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputProblem::StockOutOfRange);
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputProblem::NotAStock);
    }
    match s.parse::<i64>() {
        Ok(n) if n <= STOCK_MAX => Ok(n),
        _ => Err(InputProblem::StockOutOfRange),
    }
}

/// A whole number in `range`, for settings (capacity, radius, minutes).
pub fn parse_count(s: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, InputProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Err(InputProblem::Empty);
    }
    match s.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        Ok(_) => Err(InputProblem::OutOfRange),
        Err(_) if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
            Err(InputProblem::OutOfRange)
        }
        Err(_) => Err(InputProblem::NotAStock),
    }
}

/// One good row of a stock CSV: `sku,stock[,price_fen]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvRow {
    /// 1-based, as an editor counts (the header is line 1 when present).
    pub line: usize,
    pub sku: String,
    pub stock: i64,
    pub price_fen: Option<i64>,
}

/// A refused line of a CSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvProblem {
    pub line: usize,
    pub problem: InputProblem,
    /// The line as written (cut to 80 characters), to show beside the reason.
    pub text: String,
}

/// Reads a stock CSV (a header `sku,stock,price_fen` is optional; blank lines are
/// skipped; `\r\n` is fine). Rows are checked for shape and range here; that each SKU
/// is the store's is the repository's to say.
pub fn parse_stock_csv(body: &str) -> (Vec<CsvRow>, Vec<CsvProblem>) {
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    for (i, raw) in body.lines().enumerate() {
        let line = i + 1;
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        if line == 1
            && fields
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("sku"))
        {
            continue;
        }
        let problem = |problem| CsvProblem {
            line,
            problem,
            text: text.chars().take(80).collect(),
        };
        if rows.len() + problems.len() >= CSV_MAX_ROWS {
            problems.push(problem(InputProblem::OutOfRange));
            break;
        }
        if !(2..=3).contains(&fields.len()) || fields[0].is_empty() {
            problems.push(problem(InputProblem::BadRow));
            continue;
        }
        let stock = match parse_stock(fields[1]) {
            Ok(s) => s,
            Err(p) => {
                problems.push(problem(p));
                continue;
            }
        };
        let price_fen = match fields.get(2).filter(|f| !f.is_empty()) {
            None => None,
            Some(f) => match f.parse::<i64>() {
                Ok(p) if p > 0 && p <= PRICE_MAX_FEN => Some(p),
                Ok(_) => {
                    problems.push(problem(InputProblem::PriceOutOfRange));
                    continue;
                }
                Err(_) => {
                    problems.push(problem(InputProblem::NotAPrice));
                    continue;
                }
            },
        };
        let sku = fields[0].to_ascii_uppercase();
        if !seen.insert(sku.clone()) {
            problems.push(problem(InputProblem::DuplicateSku));
            continue;
        }
        rows.push(CsvRow {
            line,
            sku,
            stock,
            price_fen,
        });
    }
    (rows, problems)
}

/// A store's special day: holiday hours, or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    /// `None`: closed all day.
    pub hours: Option<Interval>,
}

/// A store's special days, sorted by date, one per date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDays(pub Vec<SpecialDay>);

impl SpecialDays {
    /// Reads the stored form `2026-12-25 closed;2026-12-31 10:00-18:00` (what
    /// [`SpecialDays::to_stored`] writes). A damaged entry is dropped, not fatal.
    pub fn parse(stored: &str) -> Self {
        let mut days: Vec<SpecialDay> = stored
            .split(';')
            .filter_map(|e| {
                let (d, h) = e.trim().split_once(' ')?;
                let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
                let hours = match h.trim() {
                    "closed" => None,
                    span => Some(parse_span(span).ok()?),
                };
                Some(SpecialDay { date, hours })
            })
            .collect();
        days.sort();
        days.dedup_by_key(|d| d.date);
        SpecialDays(days)
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|d| match d.hours {
                None => format!("{} closed", d.date),
                Some(i) => format!("{} {}", d.date, super::hours::span_text(i)),
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// With `day` set (replacing one on the same date).
    pub fn with(&self, day: SpecialDay) -> Self {
        let mut days: Vec<SpecialDay> = self
            .0
            .iter()
            .copied()
            .filter(|d| d.date != day.date)
            .collect();
        days.push(day);
        days.sort();
        SpecialDays(days)
    }

    pub fn without(&self, date: NaiveDate) -> Self {
        SpecialDays(self.0.iter().copied().filter(|d| d.date != date).collect())
    }

    /// Those from `today` on (past ones are history, and are dropped when written).
    pub fn upcoming(&self, today: NaiveDate) -> Self {
        SpecialDays(self.0.iter().copied().filter(|d| d.date >= today).collect())
    }

    /// The coming week's as `(days ahead, hours)` for `WeeklyHours::with_special_days`.
    pub fn this_week(&self, today: NaiveDate) -> Vec<(u8, Option<Interval>)> {
        self.0
            .iter()
            .filter_map(|d| {
                let ahead = (d.date - today).num_days();
                (0..7)
                    .contains(&ahead)
                    .then(|| (u8::try_from(ahead).ok(), d.hours))
                    .and_then(|(a, h)| Some((a?, h)))
            })
            .collect()
    }
}

/// A date typed in a form: `YYYY-MM-DD`, today or later, within a year.
pub fn parse_special_date(s: &str, today: NaiveDate) -> Result<NaiveDate, InputProblem> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| InputProblem::NotADate)?;
    if d < today {
        return Err(InputProblem::DateInPast);
    }
    if (d - today).num_days() > 366 {
        return Err(InputProblem::OutOfRange);
    }
    Ok(d)
}

/// A special day's hours as typed: empty or `closed` is closed; else `HH:MM-HH:MM`.
pub fn parse_special_hours(s: &str) -> Result<Option<Interval>, InputProblem> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    parse_span(s).map(Some).map_err(|_| InputProblem::NotHours)
}

/// What a pause stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseScope {
    /// Deliveries only: pick-up is still taken.
    Delivery,
    /// Every new order.
    All,
}

impl PauseScope {
    pub fn as_str(self) -> &'static str {
        match self {
            PauseScope::Delivery => "delivery",
            PauseScope::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "delivery" => Some(PauseScope::Delivery),
            "all" => Some(PauseScope::All),
            _ => None,
        }
    }

    /// Whether an order of `mode` is refused while paused.
    pub fn stops(self, mode: super::order::Mode) -> bool {
        match self {
            PauseScope::All => true,
            PauseScope::Delivery => mode == super::order::Mode::Delivery,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_strictly() {
        assert_eq!(parse_yuan("12"), Ok(1200));
        assert_eq!(parse_yuan(" 12.5 "), Ok(1250));
        assert_eq!(parse_yuan("12.34"), Ok(1234));
        assert_eq!(parse_yuan("0.01"), Ok(1));
        assert_eq!(parse_yuan("12.345"), Err(InputProblem::NotAPrice));
        assert_eq!(parse_yuan("-1"), Err(InputProblem::PriceOutOfRange));
        assert_eq!(parse_yuan("0"), Err(InputProblem::PriceOutOfRange));
        assert_eq!(parse_yuan("1e3"), Err(InputProblem::NotAPrice));
        assert_eq!(parse_yuan("１２"), Err(InputProblem::NotAPrice));
        assert_eq!(parse_yuan("12."), Err(InputProblem::NotAPrice));
        assert_eq!(parse_yuan(".5"), Err(InputProblem::NotAPrice));
        assert_eq!(parse_yuan("100001"), Err(InputProblem::PriceOutOfRange));
        assert_eq!(
            parse_yuan("99999999999999999999"),
            Err(InputProblem::PriceOutOfRange)
        );
        assert_eq!(yuan_field(1230), "12.30");
    }

    #[test]
    fn stock_is_a_whole_number_in_range() {
        assert_eq!(parse_stock("0"), Ok(0));
        assert_eq!(parse_stock("42"), Ok(42));
        assert_eq!(parse_stock("1e9"), Err(InputProblem::NotAStock));
        assert_eq!(parse_stock("-3"), Err(InputProblem::StockOutOfRange));
        assert_eq!(
            parse_stock("1000000000"),
            Err(InputProblem::StockOutOfRange)
        );
        assert_eq!(parse_stock("4.5"), Err(InputProblem::NotAStock));
        assert_eq!(parse_stock(""), Err(InputProblem::NotAStock));
        assert_eq!(parse_count("12", 0..=100), Ok(12));
        assert_eq!(parse_count("101", 0..=100), Err(InputProblem::OutOfRange));
        assert_eq!(parse_count("-1", 0..=100), Err(InputProblem::OutOfRange));
    }

    #[test]
    fn a_csv_says_which_lines_are_bad() {
        let (rows, bad) = parse_stock_csv(
            "sku,stock,price_fen\r\nhc101101,5\nHC101102,7,1290\n\nX,1e9\nY\nHC101102,3\nZ,2,-5\n",
        );
        assert_eq!(
            rows,
            vec![
                CsvRow {
                    line: 2,
                    sku: "HC101101".into(),
                    stock: 5,
                    price_fen: None
                },
                CsvRow {
                    line: 3,
                    sku: "HC101102".into(),
                    stock: 7,
                    price_fen: Some(1290)
                },
            ]
        );
        let lines: Vec<(usize, InputProblem)> = bad.iter().map(|p| (p.line, p.problem)).collect();
        assert_eq!(
            lines,
            vec![
                (5, InputProblem::NotAStock),
                (6, InputProblem::BadRow),
                (7, InputProblem::DuplicateSku),
                (8, InputProblem::PriceOutOfRange),
            ]
        );
    }

    #[test]
    fn special_days_round_trip_and_fall_in_the_week() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 22).unwrap();
        let d =
            SpecialDays::parse("2026-12-31 10:00-18:00;2026-12-25 closed;junk;2026-12-20 closed");
        assert_eq!(
            d.to_stored(),
            "2026-12-20 closed;2026-12-25 closed;2026-12-31 10:00-18:00"
        );
        assert_eq!(SpecialDays::parse(&d.to_stored()), d);
        assert_eq!(d.this_week(today), vec![(3, None)]);
        assert_eq!(d.upcoming(today).0.len(), 2);
        let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        assert_eq!(d.without(christmas).this_week(today), vec![]);
        let open = d.with(SpecialDay {
            date: christmas,
            hours: parse_special_hours("12:00-16:00").unwrap(),
        });
        assert_eq!(
            open.this_week(today),
            vec![(
                3,
                Some(Interval {
                    open: 720,
                    close: 960
                })
            )]
        );
        assert_eq!(
            parse_special_date("2026-12-21", today),
            Err(InputProblem::DateInPast)
        );
        assert_eq!(
            parse_special_date("12/25", today),
            Err(InputProblem::NotADate)
        );
        assert_eq!(parse_special_hours("closed"), Ok(None));
        assert_eq!(parse_special_hours("9-5"), Err(InputProblem::NotHours));
    }

    #[test]
    fn special_hours_come_back_as_they_were_saved() {
        let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        for typed in ["00:00-24:00", "10:00-24:00", "18:00-02:00", "closed"] {
            let saved = SpecialDays::default().with(SpecialDay {
                date: christmas,
                hours: parse_special_hours(typed).unwrap(),
            });
            assert_eq!(SpecialDays::parse(&saved.to_stored()), saved, "{typed}");
        }
        assert_eq!(
            parse_special_hours("24:00-08:00"),
            Err(InputProblem::NotHours)
        );
    }

    #[test]
    fn a_delivery_pause_leaves_pick_up() {
        use crate::domain::order::Mode;
        assert!(PauseScope::Delivery.stops(Mode::Delivery));
        assert!(!PauseScope::Delivery.stops(Mode::Pickup));
        assert!(PauseScope::All.stops(Mode::Pickup));
    }
}

/// The highest delivery fee a store may charge: ¥1,000.00.
pub const FEE_MAX_FEN: i64 = 100_000;
/// The widest delivery radius a store may set, in kilometres.
pub const RADIUS_MAX_KM: u32 = 50;
/// The longest a store may pause new orders for at once: eight hours.
pub const PAUSE_MAX_MIN: i64 = 8 * 60;
/// The pauses the console offers (any whole number of minutes up to [`PAUSE_MAX_MIN`] is
/// accepted; 0 resumes).
pub const PAUSE_CHOICES_MIN: [i64; 4] = [15, 30, 60, 120];
/// The most upcoming special days a store keeps (a year's holidays, with room).
pub const SPECIAL_DAYS_MAX: usize = 60;

/// Yuan as typed where 0 is a real answer (a free delivery, a threshold of nothing):
/// `0`, `0.00`, `6`, `5.5`, up to `max_fen`: the exact reading of `money::parse_yuan`
/// (no sign, exponent or third decimal), said in the console's words.
pub fn parse_yuan_or_zero(s: &str, max_fen: i64) -> Result<i64, InputProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Err(InputProblem::Empty);
    }
    if t.starts_with('-') {
        return Err(InputProblem::PriceOutOfRange);
    }
    match super::money::parse_yuan(t) {
        Ok(fen) if fen <= max_fen => Ok(fen),
        Ok(_) | Err(super::money::YuanError::Overflow) => Err(InputProblem::PriceOutOfRange),
        Err(_) => Err(InputProblem::NotAPrice),
    }
}

/// A delivery radius typed in kilometres (`3`, `2.5`: at most one decimal, 0 to
/// [`RADIUS_MAX_KM`]) as metres.
pub fn parse_radius_km(s: &str) -> Result<u32, InputProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Err(InputProblem::Empty);
    }
    if t.starts_with('-') {
        return Err(InputProblem::OutOfRange);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (t.contains('.') && !digits(frac)) || frac.len() > 1 || whole.len() > 4 {
        return Err(InputProblem::NotAStock);
    }
    let whole: u32 = whole.parse().map_err(|_| InputProblem::NotAStock)?;
    let tenths: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| InputProblem::NotAStock)?
    };
    let metres = whole * 1000 + tenths * 100;
    if metres > RADIUS_MAX_KM * 1000 {
        return Err(InputProblem::OutOfRange);
    }
    Ok(metres)
}

/// Metres as the radius field shows them: `3` or `2.5` (kilometres).
pub fn km_field(metres: u32) -> String {
    let tenths = (metres + 50) / 100;
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A store's pause as stored (`paused_until`, `paused_modes`), if it still holds at `now`
/// (Unix seconds): what it stops and until when.
pub fn pause_in_force(until: Option<i64>, modes: &str, now: i64) -> Option<(PauseScope, i64)> {
    let until = until.filter(|u| *u > now)?;
    Some((PauseScope::parse(modes).unwrap_or(PauseScope::All), until))
}

impl SpecialDays {
    /// `hours` for the days from `today` (the store's local date) on, with this week's
    /// special days in place: what delivery windows are cut from, which never look back.
    pub fn hours_ahead(
        &self,
        hours: &super::hours::WeeklyHours,
        today: NaiveDate,
    ) -> super::hours::WeeklyHours {
        hours.with_special_days(weekday_of(today), &self.this_week(today))
    }

    /// `hours` for rules that also read yesterday's hours running past midnight: open now
    /// and pick-up times. The week has seven places and the sixth day ahead shares its
    /// place with yesterday; here that place holds what yesterday really was (its special
    /// day, or its usual hours), so a special day six days ahead does not make this
    /// morning look open or closed. The pick-up times reach three days ahead only, and
    /// open-now looks six ahead only for "opens …" after six closed days.
    pub fn hours_now(
        &self,
        hours: &super::hours::WeeklyHours,
        today: NaiveDate,
    ) -> super::hours::WeeklyHours {
        let weekday = weekday_of(today);
        let mut days: Vec<(u8, Option<Interval>)> = self
            .this_week(today)
            .into_iter()
            .filter(|(ahead, _)| *ahead < 6)
            .collect();
        let yesterday = today
            .pred_opt()
            .and_then(|y| self.0.iter().find(|d| d.date == y))
            .map_or_else(|| hours.on(weekday.minus_one()), |d| d.hours);
        days.push((6, yesterday));
        hours.with_special_days(weekday, &days)
    }

    /// What a store keeps when it writes its special days: from yesterday on (yesterday's
    /// hours may run past midnight into today), at most [`SPECIAL_DAYS_MAX`] ahead.
    pub fn kept(&self, today: NaiveDate) -> Self {
        self.upcoming(today.pred_opt().unwrap_or(today))
    }
}

fn weekday_of(date: NaiveDate) -> super::hours::Weekday {
    use chrono::Datelike;
    super::hours::Weekday::from_monday0(date.weekday().num_days_from_monday() as u8)
        .unwrap_or(super::hours::Weekday::MONDAY)
}

#[cfg(test)]
mod settings_tests {
    use super::*;
    use crate::domain::hours::{LocalMoment, WeeklyHours};

    #[test]
    fn fees_allow_zero_and_are_otherwise_strict() {
        for zero in ["0", " 0 ", "0.0", "0.00", "00"] {
            assert_eq!(parse_yuan_or_zero(zero, FEE_MAX_FEN), Ok(0), "{zero}");
        }
        assert_eq!(parse_yuan_or_zero("6", FEE_MAX_FEN), Ok(600));
        assert_eq!(parse_yuan_or_zero("5.5", FEE_MAX_FEN), Ok(550));
        assert_eq!(
            parse_yuan_or_zero("12.345", FEE_MAX_FEN),
            Err(InputProblem::NotAPrice)
        );
        assert_eq!(
            parse_yuan_or_zero("-1", FEE_MAX_FEN),
            Err(InputProblem::PriceOutOfRange)
        );
        assert_eq!(
            parse_yuan_or_zero("0.000", FEE_MAX_FEN),
            Err(InputProblem::NotAPrice)
        );
        assert_eq!(
            parse_yuan_or_zero("0.", FEE_MAX_FEN),
            Err(InputProblem::NotAPrice)
        );
        assert_eq!(
            parse_yuan_or_zero("1001", FEE_MAX_FEN),
            Err(InputProblem::PriceOutOfRange)
        );
        assert_eq!(parse_yuan_or_zero("1000", FEE_MAX_FEN), Ok(100_000));
        assert_eq!(
            parse_yuan_or_zero("", FEE_MAX_FEN),
            Err(InputProblem::Empty)
        );
        assert_eq!(
            parse_yuan_or_zero("1e3", FEE_MAX_FEN),
            Err(InputProblem::NotAPrice)
        );
    }

    #[test]
    fn radii_are_kilometres_with_one_decimal() {
        assert_eq!(parse_radius_km("3"), Ok(3000));
        assert_eq!(parse_radius_km(" 2.5 "), Ok(2500));
        assert_eq!(parse_radius_km("0"), Ok(0));
        assert_eq!(parse_radius_km("50"), Ok(50_000));
        assert_eq!(parse_radius_km("50.1"), Err(InputProblem::OutOfRange));
        assert_eq!(parse_radius_km("-1"), Err(InputProblem::OutOfRange));
        assert_eq!(parse_radius_km("2.55"), Err(InputProblem::NotAStock));
        assert_eq!(parse_radius_km("1e3"), Err(InputProblem::NotAStock));
        assert_eq!(parse_radius_km("９"), Err(InputProblem::NotAStock));
        assert_eq!(parse_radius_km("99999999"), Err(InputProblem::NotAStock));
        assert_eq!(km_field(3000), "3");
        assert_eq!(km_field(2500), "2.5");
        assert_eq!(km_field(2520), "2.5");
    }

    #[test]
    fn a_pause_holds_until_its_time() {
        assert_eq!(
            pause_in_force(Some(100), "delivery", 99),
            Some((PauseScope::Delivery, 100))
        );
        assert_eq!(
            pause_in_force(Some(100), "all", 99),
            Some((PauseScope::All, 100))
        );
        assert_eq!(pause_in_force(Some(100), "delivery", 100), None);
        assert_eq!(pause_in_force(None, "all", 0), None);
    }

    #[test]
    fn special_days_replace_their_weekday_and_yesterday_stays_yesterday() {
        // 2026-12-21 is a Monday.
        let today = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
        let late = WeeklyHours::parse("mon-sun 10:00-02:00").unwrap();
        let at = |weekday: u8, minute: u16| LocalMoment {
            weekday: crate::domain::hours::Weekday::from_monday0(weekday).unwrap(),
            minute,
        };
        // Closed on Sunday the 27th, six days ahead: Sunday's place is also yesterday's,
        // whose hours run into this Monday morning.
        let sunday = SpecialDays::parse("2026-12-27 closed");
        assert!(
            sunday.hours_now(&late, today).is_open(at(0, 60)),
            "Monday 01:00 is still Sunday night"
        );
        assert_eq!(
            sunday
                .hours_ahead(&late, today)
                .on(crate::domain::hours::Weekday::SUNDAY),
            None
        );
        // Yesterday (Sunday the 20th) was closed: this morning is closed too.
        let was_closed = SpecialDays::parse("2026-12-20 closed");
        assert!(!was_closed.hours_now(&late, today).is_open(at(0, 60)));
        // Today closed; tomorrow holiday hours.
        let days = SpecialDays::parse("2026-12-21 closed;2026-12-22 12:00-16:00");
        let now = days.hours_now(&late, today);
        assert!(!now.is_open(at(0, 12 * 60)));
        assert_eq!(
            now.on(crate::domain::hours::Weekday::from_monday0(1).unwrap()),
            Some(Interval {
                open: 720,
                close: 960
            })
        );
        assert_eq!(days.kept(today).0.len(), 2);
        assert_eq!(
            SpecialDays::parse("2026-12-19 closed;2026-12-20 closed")
                .kept(today)
                .0
                .len(),
            1
        );
    }
}
