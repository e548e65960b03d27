//! What a brand admin types when making an API key for the integration API (pure,
//! shared): its name, read strictly, and the scopes ticked. The keys themselves, and
//! what each scope allows, are `domain::ops` and `ssr::ops::keys`.

use super::ops::Scope;
use serde::{Deserialize, Serialize};

/// The longest name a key may have, in characters.
pub const NAME_MAX: usize = 60;

/// A key's name: what it is for (`ERP 同步`), 1 to [`NAME_MAX`] characters after
/// trimming, with no control characters (a name is shown in tables and the audit log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyName(String);

/// Why a key's name was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyNameProblem {
    Empty,
    TooLong,
    /// A line break, a tab or another control character.
    ControlCharacter,
}

impl KeyName {
    pub fn parse(s: &str) -> Result<KeyName, KeyNameProblem> {
        let s = s.trim();
        if s.is_empty() {
            Err(KeyNameProblem::Empty)
        } else if s.chars().any(char::is_control) {
            Err(KeyNameProblem::ControlCharacter)
        } else if s.chars().count() > NAME_MAX {
            Err(KeyNameProblem::TooLong)
        } else {
            Ok(KeyName(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The scopes ticked, in [`Scope::ALL`]'s order; `None` when none is (a key that may do
/// nothing is refused rather than made).
pub fn chosen_scopes(ticked: impl Fn(Scope) -> bool) -> Option<Vec<Scope>> {
    let scopes: Vec<Scope> = Scope::ALL.into_iter().filter(|s| ticked(*s)).collect();
    (!scopes.is_empty()).then_some(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(KeyName::parse("  ERP 同步 ").unwrap().as_str(), "ERP 同步");
        assert_eq!(KeyName::parse(""), Err(KeyNameProblem::Empty));
        assert_eq!(KeyName::parse(" \u{3000} "), Err(KeyNameProblem::Empty));
        let longest = "键".repeat(NAME_MAX);
        assert_eq!(KeyName::parse(&longest).unwrap().as_str(), longest);
        assert_eq!(
            KeyName::parse(&"键".repeat(NAME_MAX + 1)),
            Err(KeyNameProblem::TooLong)
        );
    }

    #[test]
    fn names_carry_no_control_characters() {
        for bad in ["ERP\nsync", "a\tb", "bell\u{7}", "del\u{7f}x", "a\u{85}b"] {
            assert_eq!(
                KeyName::parse(bad),
                Err(KeyNameProblem::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn at_least_one_scope_is_chosen() {
        assert_eq!(chosen_scopes(|_| false), None);
        assert_eq!(
            chosen_scopes(|s| s != Scope::CatalogWrite),
            Some(vec![
                Scope::StockWrite,
                Scope::OrdersRead,
                Scope::WebhooksWrite
            ])
        );
    }
}
