//! Coupons (pure, shared): what a coupon takes off (an amount, or a percentage up to a
//! cap), what it needs (a minimum spend on the goods it covers, its days, its stores and
//! categories), the discount it gives a bag, and the best of a member's coupons. The
//! server holds coupons and claims them once; this file decides what they are worth.

use crate::domain::money::parse_yuan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a coupon takes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Benefit {
    /// This much off (fen).
    AmountOff(i64),
    /// `percent` off the goods it covers, at most `cap` fen.
    PercentOff { percent: u8, cap: i64 },
}

/// Everything a coupon needs to be used, and what it gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub benefit: Benefit,
    /// On the goods it covers, before any discount (fen).
    pub min_spend: i64,
    /// Usable from (inclusive) to (exclusive), unix seconds.
    pub starts_at: i64,
    pub expires_at: i64,
    /// The stores it is good in; empty: every store of the brand.
    pub stores: Vec<i64>,
    /// The categories of goods it covers; empty: everything.
    pub categories: Vec<i64>,
}

/// Why a coupon cannot be used on this bag now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotUsable {
    NotYet,
    Expired,
    OtherStore,
    /// Nothing in the bag is of the categories it covers.
    NothingCovered,
    /// The goods it covers come to less than its minimum: `short` fen more are needed.
    BelowMinimum {
        short: i64,
    },
}

/// One line of a bag as a coupon sees it: its category and its total (fen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoveredLine {
    pub category: i64,
    pub total: i64,
}

impl Terms {
    /// The goods this coupon covers in these lines (fen).
    pub fn covered(&self, lines: &[CoveredLine]) -> i64 {
        lines
            .iter()
            .filter(|l| self.categories.is_empty() || self.categories.contains(&l.category))
            .map(|l| l.total)
            .fold(0i64, i64::saturating_add)
    }

    /// What this coupon takes off these lines at this store now, or why it can't be used.
    /// Never more than the goods it covers.
    pub fn discount(&self, store: i64, lines: &[CoveredLine], now: i64) -> Result<i64, NotUsable> {
        if now < self.starts_at {
            return Err(NotUsable::NotYet);
        }
        if now >= self.expires_at {
            return Err(NotUsable::Expired);
        }
        if !self.stores.is_empty() && !self.stores.contains(&store) {
            return Err(NotUsable::OtherStore);
        }
        let covered = self.covered(lines);
        if covered == 0 {
            return Err(NotUsable::NothingCovered);
        }
        if covered < self.min_spend {
            return Err(NotUsable::BelowMinimum {
                short: self.min_spend - covered,
            });
        }
        let off = match self.benefit {
            Benefit::AmountOff(amount) => amount,
            // Rounded down to the fen: a coupon never gives more than it says.
            Benefit::PercentOff { percent, cap } => {
                (i128::from(covered) * i128::from(percent) / 100).min(i128::from(cap)) as i64
            }
        };
        Ok(off.clamp(0, covered))
    }

    /// Whether it can be used at this store at all now (the till's question: the till
    /// sees no bag).
    pub fn usable_at(&self, store: i64, now: i64) -> bool {
        self.starts_at <= now
            && now < self.expires_at
            && (self.stores.is_empty() || self.stores.contains(&store))
    }
}

/// The index of the coupon that takes the most off (ties: the one that ends first, then
/// the first listed), among those usable on these lines.
pub fn best<'a>(
    coupons: impl IntoIterator<Item = &'a Terms>,
    store: i64,
    lines: &[CoveredLine],
    now: i64,
) -> Option<usize> {
    coupons
        .into_iter()
        .enumerate()
        .filter_map(|(i, t)| {
            t.discount(store, lines, now)
                .ok()
                .map(|off| (i, off, t.expires_at))
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)).then(b.0.cmp(&a.0)))
        .map(|(i, _, _)| i)
}

/// The longest a coupon's title may be, in characters.
pub const TITLE_MAX: usize = 30;
/// A campaign runs at most a year (days, first and last counted), and hands out at most
/// a million coupons.
pub const MAX_DAYS: i64 = 366;
pub const MAX_TOTAL: i64 = 1_000_000;
pub const MAX_PER_MEMBER: i64 = 10;
/// Amounts (off, cap, minimum): at most ¥100,000.
pub const MAX_AMOUNT: i64 = 10_000_000;

/// A field of the new-coupon form a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CampaignField {
    Title,
    Kind,
    Amount,
    Percent,
    Cap,
    MinSpend,
    From,
    To,
    Total,
    PerMember,
}

/// What is wrong with a field of the new-coupon form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignProblem {
    TitleRequired,
    TitleTooLong,
    KindUnknown,
    /// Not a sum of money in yuan, or out of range.
    BadAmount,
    PercentRange,
    /// Not a date, or before today.
    BadDate,
    /// The last day before the first, or more than a year after it.
    DaysRange,
    TotalRange,
    PerMemberRange,
    /// An amount off at least its own minimum spend would give goods away.
    AmountOverMinimum,
}

/// The new-coupon form as posted (strings; yuan for money).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignInput<'a> {
    pub title: &'a str,
    /// `amount` or `percent`.
    pub kind: &'a str,
    pub amount: &'a str,
    pub percent: &'a str,
    pub cap: &'a str,
    pub min_spend: &'a str,
    /// `YYYY-MM-DD`, the first and last days it can be used (the store's days).
    pub from: &'a str,
    pub to: &'a str,
    pub total: &'a str,
    pub per_member: &'a str,
}

/// A campaign ready to store: coupons of the same terms handed out to members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCampaign {
    pub title: String,
    pub benefit: Benefit,
    pub min_spend: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: i64,
    pub per_member: i64,
}

fn money_in(text: &str, min: i64) -> Option<i64> {
    parse_yuan(text.trim())
        .ok()
        .filter(|v| (min..=MAX_AMOUNT).contains(v))
}

fn whole_in(text: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| range.contains(v))
}

fn date_from(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d >= today)
}

/// Parses the new-coupon form (`today` in the store's time zone): the campaign, or every
/// field's problem.
pub fn parse_campaign(
    input: &CampaignInput<'_>,
    today: NaiveDate,
) -> Result<NewCampaign, Vec<(CampaignField, CampaignProblem)>> {
    use CampaignField as F;
    use CampaignProblem as P;
    let mut problems = Vec::new();
    let title = input.title.trim();
    if title.is_empty() || title.chars().any(char::is_control) {
        problems.push((F::Title, P::TitleRequired));
    } else if title.chars().count() > TITLE_MAX {
        problems.push((F::Title, P::TitleTooLong));
    }
    let min_spend = money_in(input.min_spend, 0);
    if min_spend.is_none() {
        problems.push((F::MinSpend, P::BadAmount));
    }
    let benefit = match input.kind.trim() {
        "amount" => match money_in(input.amount, 1) {
            Some(amount) => {
                if min_spend.is_some_and(|m| m > 0 && amount >= m) {
                    problems.push((F::Amount, P::AmountOverMinimum));
                }
                Some(Benefit::AmountOff(amount))
            }
            None => {
                problems.push((F::Amount, P::BadAmount));
                None
            }
        },
        "percent" => {
            let percent = whole_in(input.percent, 1..=90);
            if percent.is_none() {
                problems.push((F::Percent, P::PercentRange));
            }
            let cap = money_in(input.cap, 1);
            if cap.is_none() {
                problems.push((F::Cap, P::BadAmount));
            }
            match (percent, cap) {
                (Some(p), Some(cap)) => Some(Benefit::PercentOff {
                    percent: p as u8,
                    cap,
                }),
                _ => None,
            }
        }
        _ => {
            problems.push((F::Kind, P::KindUnknown));
            None
        }
    };
    let from = date_from(input.from, today);
    if from.is_none() {
        problems.push((F::From, P::BadDate));
    }
    let to = match date_from(input.to, today) {
        None => {
            problems.push((F::To, P::BadDate));
            None
        }
        Some(to) => match from {
            Some(from) if to < from || (to - from).num_days() >= MAX_DAYS => {
                problems.push((F::To, P::DaysRange));
                None
            }
            _ => Some(to),
        },
    };
    let total = whole_in(input.total, 1..=MAX_TOTAL);
    if total.is_none() {
        problems.push((F::Total, P::TotalRange));
    }
    let per_member = whole_in(input.per_member, 1..=MAX_PER_MEMBER);
    if per_member.is_none() {
        problems.push((F::PerMember, P::PerMemberRange));
    }
    match (benefit, min_spend, from, to, total, per_member) {
        (Some(benefit), Some(min_spend), Some(from), Some(to), Some(total), Some(per_member))
            if problems.is_empty() =>
        {
            Ok(NewCampaign {
                title: title.to_owned(),
                benefit,
                min_spend,
                from,
                to,
                total,
                per_member,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn terms(benefit: Benefit, min_spend: i64) -> Terms {
        Terms {
            benefit,
            min_spend,
            starts_at: 0,
            expires_at: 10 * DAY,
            stores: vec![],
            categories: vec![],
        }
    }

    fn line(category: i64, total: i64) -> CoveredLine {
        CoveredLine { category, total }
    }

    #[test]
    fn an_amount_comes_off_once_the_minimum_is_reached() {
        let t = terms(Benefit::AmountOff(1_000), 5_900);
        assert_eq!(
            t.discount(1, &[line(1, 5_000)], DAY),
            Err(NotUsable::BelowMinimum { short: 900 })
        );
        assert_eq!(
            t.discount(1, &[line(1, 5_000), line(2, 900)], DAY),
            Ok(1_000)
        );
        // Never more than the goods.
        let big = terms(Benefit::AmountOff(9_000), 0);
        assert_eq!(big.discount(1, &[line(1, 500)], DAY), Ok(500));
    }

    #[test]
    fn a_percentage_is_capped_and_rounded_down() {
        let t = terms(
            Benefit::PercentOff {
                percent: 15,
                cap: 2_000,
            },
            0,
        );
        assert_eq!(t.discount(1, &[line(1, 999)], DAY), Ok(149));
        assert_eq!(t.discount(1, &[line(1, 100_000)], DAY), Ok(2_000));
    }

    #[test]
    fn days_stores_and_categories_limit_it() {
        let mut t = terms(Benefit::AmountOff(500), 1_000);
        t.starts_at = DAY;
        t.stores = vec![7];
        t.categories = vec![3];
        let lines = [line(3, 800), line(4, 5_000)];
        assert_eq!(t.discount(7, &lines, 0), Err(NotUsable::NotYet));
        assert_eq!(t.discount(7, &lines, 10 * DAY), Err(NotUsable::Expired));
        assert_eq!(t.discount(8, &lines, DAY), Err(NotUsable::OtherStore));
        // Only category 3 counts toward the minimum.
        assert_eq!(
            t.discount(7, &lines, DAY),
            Err(NotUsable::BelowMinimum { short: 200 })
        );
        assert_eq!(
            t.discount(7, &[line(4, 9_000)], DAY),
            Err(NotUsable::NothingCovered)
        );
        assert_eq!(t.discount(7, &[line(3, 1_000)], DAY), Ok(500));
        assert!(t.usable_at(7, DAY) && !t.usable_at(8, DAY) && !t.usable_at(7, 0));
    }

    #[test]
    fn the_best_takes_the_most_off_then_ends_first() {
        let ten = terms(Benefit::AmountOff(1_000), 0);
        let mut also_ten = terms(Benefit::AmountOff(1_000), 0);
        also_ten.expires_at = 5 * DAY;
        let pct = terms(
            Benefit::PercentOff {
                percent: 20,
                cap: 3_000,
            },
            0,
        );
        let out = terms(Benefit::AmountOff(9_999), 100_000);
        let all = [ten.clone(), also_ten, pct, out];
        assert_eq!(best(&all, 1, &[line(1, 4_000)], DAY), Some(1));
        assert_eq!(best(&all, 1, &[line(1, 10_000)], DAY), Some(2));
        assert_eq!(best(&all[3..], 1, &[line(1, 10_000)], DAY), None);
        assert_eq!(best(&[ten], 1, &[], DAY), None);
    }

    #[test]
    fn the_form_says_what_is_wrong_beside_each_field() {
        let good = CampaignInput {
            title: " 周末满减 ",
            kind: "amount",
            amount: "20",
            percent: "",
            cap: "",
            min_spend: "99",
            from: "2026-12-04",
            to: "2026-12-10",
            total: "500",
            per_member: "1",
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let c = parse_campaign(&good, today).unwrap();
        assert_eq!(c.title, "周末满减");
        assert_eq!(c.benefit, Benefit::AmountOff(2_000));
        assert_eq!((c.min_spend, c.total), (9_900, 500));
        assert_eq!((c.to - c.from).num_days(), 6);
        let pct = CampaignInput {
            kind: "percent",
            percent: "12",
            cap: "30.5",
            ..good.clone()
        };
        assert_eq!(
            parse_campaign(&pct, today).unwrap().benefit,
            Benefit::PercentOff {
                percent: 12,
                cap: 3_050
            }
        );
        let bad = CampaignInput {
            title: "",
            kind: "amount",
            amount: "120",
            percent: "",
            cap: "",
            min_spend: "99",
            from: "2026-12-03",
            to: "2027-12-31",
            total: "-1",
            per_member: "11",
        };
        let fields: Vec<CampaignField> = parse_campaign(&bad, today)
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                CampaignField::Title,
                CampaignField::Amount,
                CampaignField::From,
                CampaignField::Total,
                CampaignField::PerMember
            ]
        );
        let odd = CampaignInput {
            kind: "free",
            ..good.clone()
        };
        assert_eq!(
            parse_campaign(&odd, today).unwrap_err(),
            [(CampaignField::Kind, CampaignProblem::KindUnknown)]
        );
        let long = CampaignInput {
            to: "2027-12-05",
            ..good.clone()
        };
        assert_eq!(
            parse_campaign(&long, today).unwrap_err(),
            [(CampaignField::To, CampaignProblem::DaysRange)]
        );
        let pct_bad = CampaignInput {
            kind: "percent",
            percent: "95",
            cap: "x",
            ..good
        };
        assert_eq!(parse_campaign(&pct_bad, today).unwrap_err().len(), 2);
    }
}
