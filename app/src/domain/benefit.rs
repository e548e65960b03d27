//! Triggered benefits (pure, shared): what sets a rule off, and a new rule as a store's
//! manager types it — a trigger (with its days, for "N days away"), and a reward of a
//! coupon, points or a message (at least one).

use serde::{Deserialize, Serialize};

/// What sets a benefit rule off, once per member per period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trigger {
    /// Becoming the store's member (brought by its guide, a first order or visit there).
    Join,
    /// The member's first order at the store.
    FirstOrder,
    /// No visit or order at the store for N days (once per absence).
    Lapsed,
    /// The price of something in the member's bag at the store dropped (once per price).
    PriceDrop,
    /// The member checked in at the store (once a day).
    CheckIn,
}

impl Trigger {
    pub const ALL: [Trigger; 5] = [
        Trigger::Join,
        Trigger::FirstOrder,
        Trigger::Lapsed,
        Trigger::PriceDrop,
        Trigger::CheckIn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Join => "join",
            Trigger::FirstOrder => "first_order",
            Trigger::Lapsed => "lapsed",
            Trigger::PriceDrop => "price_drop",
            Trigger::CheckIn => "check_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Trigger::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The longest a rule's message may be, in characters.
pub const MESSAGE_MAX: usize = 200;
/// Points a rule grants: at most this.
pub const POINTS_MAX: i64 = 10_000;

/// A field of the new-rule form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleField {
    Trigger,
    Days,
    Points,
    Message,
    /// The reward as a whole: none was given.
    Reward,
}

/// A rule as typed: the trigger, its days, and what it grants (the campaign is checked by
/// the server, which knows the store's campaigns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRule {
    pub trigger: Trigger,
    pub days: i64,
    pub points: i64,
    pub message: Option<String>,
}

/// Parses the new-rule form; `has_campaign` says whether a coupon was chosen.
pub fn parse_rule(
    trigger: &str,
    days: &str,
    points: &str,
    message: &str,
    has_campaign: bool,
) -> Result<NewRule, RuleField> {
    let trigger = Trigger::parse(trigger.trim()).ok_or(RuleField::Trigger)?;
    let days = match (trigger, days.trim()) {
        (Trigger::Lapsed, d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or(RuleField::Days)?,
        (_, "") => 0,
        (_, d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or(RuleField::Days)?,
    };
    let points = match points.trim() {
        "" => 0,
        p => p
            .parse::<i64>()
            .ok()
            .filter(|p| (0..=POINTS_MAX).contains(p))
            .ok_or(RuleField::Points)?,
    };
    let message = match message.trim() {
        "" => None,
        m => Some(
            crate::domain::audience::clean_body(m)
                .map_err(|_| RuleField::Message)?
                .chars()
                .take(MESSAGE_MAX)
                .collect(),
        ),
    };
    if !has_campaign && points == 0 && message.is_none() {
        return Err(RuleField::Reward);
    }
    Ok(NewRule {
        trigger,
        days,
        points,
        message,
    })
}

/// The day a moment falls on, China time (check-ins count once a day).
pub fn day_of(at: i64) -> i64 {
    (at + 8 * 3600).div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_needs_a_trigger_and_a_reward() {
        let r = parse_rule("lapsed", "30", "50", " 好久不见 ", false).unwrap();
        assert_eq!((r.trigger, r.days, r.points), (Trigger::Lapsed, 30, 50));
        assert_eq!(r.message.as_deref(), Some("好久不见"));
        assert_eq!(
            parse_rule("lapsed", "", "50", "", false),
            Err(RuleField::Days)
        );
        assert_eq!(
            parse_rule("sometimes", "", "50", "", false),
            Err(RuleField::Trigger)
        );
        assert_eq!(
            parse_rule("join", "", "", "", false),
            Err(RuleField::Reward)
        );
        assert!(parse_rule("join", "", "", "", true).is_ok());
        assert_eq!(
            parse_rule("check_in", "", "-5", "", false),
            Err(RuleField::Points)
        );
        assert_eq!(
            parse_rule("check_in", "", "", "a\u{0}", false),
            Err(RuleField::Message)
        );
        for t in Trigger::ALL {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
        }
        // A day runs from midnight, China time.
        assert_eq!(day_of(16 * 3600 - 1) + 1, day_of(16 * 3600));
    }
}
