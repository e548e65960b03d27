//! A store's audience (pure, shared): which of the store's members a manager or a guide
//! picks (人群圈选) — by the guide who brought them, days away, spend in a period, a
//! category bought, days with items in the bag, points — parsed from the page's GET form,
//! and what is sent to them: a message, a coupon, a link to a product.

use serde::{Deserialize, Serialize};

/// The longest a message to members may be, in characters.
pub const BODY_MAX: usize = 200;
/// At most this many sends reach one member from one store in one week.
pub const WEEKLY_LIMIT: i64 = 2;
/// Days and points in a filter: at most this.
pub const FILTER_MAX: i64 = 100_000;
/// Spend is counted over this many days when the form says no other.
pub const DEFAULT_SPEND_DAYS: i64 = 90;

/// Who is chosen (every part optional; none: all the store's members).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    /// Brought by this guide (their code).
    pub guide: Option<String>,
    /// No visit or order for at least this many days.
    pub away_days: Option<i64>,
    /// Spent at least this much (fen) in the store in the last `spend_days` days.
    pub spend_min: Option<i64>,
    pub spend_days: i64,
    /// Bought something of this category in the store.
    pub category: Option<i64>,
    /// Has had something of the store in the bag for at least this many days.
    pub bag_days: Option<i64>,
    /// Holds at least this many points.
    pub points_min: Option<i64>,
}

/// A field of the audience form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AudienceField {
    Guide,
    AwayDays,
    SpendMin,
    SpendDays,
    Category,
    BagDays,
    PointsMin,
}

impl AudienceField {
    /// The query parameter's name.
    pub const fn name(self) -> &'static str {
        match self {
            AudienceField::Guide => "guide",
            AudienceField::AwayDays => "away",
            AudienceField::SpendMin => "spend",
            AudienceField::SpendDays => "spend_days",
            AudienceField::Category => "category",
            AudienceField::BagDays => "bag_days",
            AudienceField::PointsMin => "points",
        }
    }

    pub const ALL: [AudienceField; 7] = [
        AudienceField::Guide,
        AudienceField::AwayDays,
        AudienceField::SpendMin,
        AudienceField::SpendDays,
        AudienceField::Category,
        AudienceField::BagDays,
        AudienceField::PointsMin,
    ];
}

/// The audience form's raw values, by field (empty: not given).
pub type RawAudience = Vec<(AudienceField, String)>;

fn whole(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .ok()
        .filter(|v| (0..=FILTER_MAX).contains(v))
        .map(Some)
        .ok_or(())
}

impl Audience {
    /// Parses the form's values; the first field refused is named.
    pub fn parse(raw: &[(AudienceField, String)]) -> Result<Audience, AudienceField> {
        let get = |f: AudienceField| {
            raw.iter()
                .find(|(k, _)| *k == f)
                .map_or("", |(_, v)| v.as_str())
        };
        let guide = get(AudienceField::Guide).trim();
        let guide = if guide.is_empty() {
            None
        } else if guide.len() <= 32 && guide.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            Some(guide.to_owned())
        } else {
            return Err(AudienceField::Guide);
        };
        let num = |f: AudienceField| whole(get(f)).map_err(|_| f);
        let spend_min = match get(AudienceField::SpendMin).trim() {
            "" => None,
            yuan => Some(
                crate::domain::money::parse_yuan(yuan)
                    .ok()
                    .filter(|v| (0..=FILTER_MAX * 100).contains(v))
                    .ok_or(AudienceField::SpendMin)?,
            ),
        };
        // The period only means something with a spend: without one it is the default,
        // so the same audience always reads the same (checked, all the same).
        let spend_days = num(AudienceField::SpendDays)?
            .filter(|d| *d > 0 && spend_min.is_some())
            .unwrap_or(DEFAULT_SPEND_DAYS);
        Ok(Audience {
            guide,
            away_days: num(AudienceField::AwayDays)?,
            spend_min,
            spend_days,
            category: num(AudienceField::Category)?,
            bag_days: num(AudienceField::BagDays)?,
            points_min: num(AudienceField::PointsMin)?,
        })
    }

    /// The audience as a query string (the page's links and the send's record).
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |f: AudienceField, v: String| parts.push(format!("{}={v}", f.name()));
        if let Some(g) = &self.guide {
            push(AudienceField::Guide, g.clone());
        }
        if let Some(d) = self.away_days {
            push(AudienceField::AwayDays, d.to_string());
        }
        if let Some(s) = self.spend_min {
            push(
                AudienceField::SpendMin,
                crate::domain::money::format_yuan(s).unwrap_or_default(),
            );
            push(AudienceField::SpendDays, self.spend_days.to_string());
        }
        if let Some(c) = self.category {
            push(AudienceField::Category, c.to_string());
        }
        if let Some(d) = self.bag_days {
            push(AudienceField::BagDays, d.to_string());
        }
        if let Some(p) = self.points_min {
            push(AudienceField::PointsMin, p.to_string());
        }
        parts.join("&")
    }
}

/// The week a moment falls in, for the weekly limit: weeks start on Monday at midnight,
/// China time (UTC+8; 1970-01-01 was a Thursday).
pub fn week_of(at: i64) -> i64 {
    (at + 8 * 3600 + 3 * 86_400).div_euclid(7 * 86_400)
}

/// A message's text: trimmed, 1 to [`BODY_MAX`] characters, no control characters but
/// line breaks.
pub fn clean_body(text: &str) -> Result<String, BodyProblem> {
    let text = text.trim().replace("\r\n", "\n");
    let n = text.chars().count();
    if n == 0 || text.chars().any(|c| c.is_control() && c != '\n') {
        Err(BodyProblem::Required)
    } else if n > BODY_MAX {
        Err(BodyProblem::TooLong)
    } else {
        Ok(text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyProblem {
    Required,
    TooLong,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(AudienceField, &str)]) -> RawAudience {
        pairs.iter().map(|(f, v)| (*f, (*v).to_owned())).collect()
    }

    #[test]
    fn an_empty_form_is_everyone_and_each_field_is_checked() {
        let all = Audience::parse(&[]).unwrap();
        assert_eq!(
            all,
            Audience {
                spend_days: DEFAULT_SPEND_DAYS,
                ..Audience::default()
            }
        );
        assert_eq!(all.to_query(), "");
        let some = Audience::parse(&raw(&[
            (AudienceField::AwayDays, " 30 "),
            (AudienceField::SpendMin, "99.5"),
            (AudienceField::SpendDays, "60"),
            (AudienceField::Guide, "g-sh-01"),
        ]))
        .unwrap();
        assert_eq!(some.away_days, Some(30));
        assert_eq!(some.spend_min, Some(9_950));
        assert_eq!(
            some.to_query(),
            "guide=g-sh-01&away=30&spend=99.50&spend_days=60"
        );
        // The query reads back as the same audience.
        let back: RawAudience = some
            .to_query()
            .split('&')
            .filter_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                let f = AudienceField::ALL.into_iter().find(|f| f.name() == k)?;
                Some((f, v.to_owned()))
            })
            .collect();
        assert_eq!(Audience::parse(&back).unwrap(), some);
        // A period without a spend is no part of the audience (found by the fuzzer: it
        // did not read back the same from its query).
        let alone = Audience::parse(&raw(&[(AudienceField::SpendDays, "60")])).unwrap();
        assert_eq!(alone, Audience::parse(&[]).unwrap());
        for (field, bad) in [
            (AudienceField::AwayDays, "-1"),
            (AudienceField::BagDays, "ten"),
            (AudienceField::PointsMin, "100001"),
            (AudienceField::SpendMin, "1e9"),
            (AudienceField::Guide, "a b"),
        ] {
            assert_eq!(Audience::parse(&raw(&[(field, bad)])), Err(field), "{bad}");
        }
    }

    #[test]
    fn weeks_start_on_monday_in_china() {
        // 2026-11-30 is a Monday: 00:00 +08:00 is 2026-11-29T16:00Z.
        let monday = 1_795_968_000;
        assert_eq!(week_of(monday), week_of(monday + 7 * 86_400 - 1));
        assert_eq!(week_of(monday - 1) + 1, week_of(monday));
    }

    #[test]
    fn a_message_is_one_to_two_hundred_characters() {
        assert_eq!(clean_body("  你好\r\n再见 ").unwrap(), "你好\n再见");
        assert_eq!(clean_body(" "), Err(BodyProblem::Required));
        assert_eq!(clean_body("a\u{7}b"), Err(BodyProblem::Required));
        assert_eq!(clean_body(&"字".repeat(201)), Err(BodyProblem::TooLong));
        assert!(clean_body(&"字".repeat(200)).is_ok());
    }
}
