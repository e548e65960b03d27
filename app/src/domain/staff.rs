//! Staff and what each role may do (pure, shared).
//!
//! - A **brand admin** may do everything in every store.
//! - A **store manager** may do everything in their store.
//! - **Store staff** work the till and the orders of their store.
//! - A **guide** sees their own links, members and sales in their store.
//!
//! A person may hold a different role in each of several stores; the check is always
//! "this person, this store, this action".

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum Role {
    Manager,
    Staff,
    Guide,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Staff => "staff",
            Role::Guide => "guide",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Manager, Role::Staff, Role::Guide]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

impl TryFrom<String> for Role {
    type Error = super::order::UnknownValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Role::parse(&value).ok_or(super::order::UnknownValue {
            kind: "role",
            value,
        })
    }
}

/// Something a person does in a store's console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum Action {
    /// See the store's console at all (its home, their own guide results).
    Enter,
    /// The order queue, an order's pick list, moving orders along, cancelling.
    Orders,
    /// The till: pick-up codes, the member desk, points and coupons.
    Till,
    /// Prices and stock.
    Stock,
    /// Delivery, pick-up, pause and special days.
    Settings,
    /// The store's staff: create, reset passwords.
    Team,
    /// Guides' results: one's own (a guide's).
    OwnResults,
    /// Every guide's results in the store.
    GuideResults,
    /// The store's audit log.
    Audit,
    /// Make the store's coupon campaigns.
    Coupons,
    /// Choose members and send them messages and coupons (a guide: only the members
    /// they brought).
    Audience,
    /// In-store services by appointment: today's bookings, a service's capacity and
    /// whether it takes bookings. (Verifying a booking at the till is [`Action::Till`].)
    Services,
}

/// Whether `role` (in a store) may do `action` there.
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Manager => true,
        Role::Staff => matches!(action, Enter | Orders | Till),
        Role::Guide => matches!(action, Enter | OwnResults | Audience),
    }
}

/// What a signed-in person may do: brand admin, or a role in each of some stores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    pub brand_admin: bool,
    /// `(store id, role)`, one per store.
    pub roles: Vec<(i64, Role)>,
}

impl Grants {
    /// The person's role in a store (a brand admin acts as its manager).
    pub fn role_in(&self, store_id: i64) -> Option<Role> {
        if self.brand_admin {
            return Some(Role::Manager);
        }
        self.roles
            .iter()
            .find(|(s, _)| *s == store_id)
            .map(|(_, r)| *r)
    }

    pub fn may(&self, store_id: i64, action: Action) -> bool {
        self.role_in(store_id).is_some_and(|r| allows(r, action))
    }

    /// Who may give `role` in a store: a brand admin any role; a manager of that store
    /// staff and guides (not other managers).
    pub fn may_appoint(&self, store_id: i64, role: Role) -> bool {
        if self.brand_admin {
            return true;
        }
        self.role_in(store_id) == Some(Role::Manager) && role != Role::Manager
    }
}

/// A password a person sets: 10 to 128 characters.
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
}

pub fn check_password(p: &str) -> Result<(), PasswordProblem> {
    let n = p.chars().count();
    if n < PASSWORD_MIN {
        Err(PasswordProblem::TooShort)
    } else if n > PASSWORD_MAX {
        Err(PasswordProblem::TooLong)
    } else {
        Ok(())
    }
}

/// A staff name: 1 to 40 characters, no control characters, trimmed.
pub fn clean_name(s: &str) -> Option<String> {
    let s = s.trim();
    let n = s.chars().count();
    ((1..=40).contains(&n) && !s.chars().any(char::is_control)).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn roles_allow_what_the_issue_says() {
        use strum::IntoEnumIterator;
        assert!(Action::iter().all(|a| allows(Role::Manager, a)));
        assert!(allows(Role::Staff, Action::Till) && allows(Role::Staff, Action::Orders));
        assert!(!allows(Role::Staff, Action::Stock) && !allows(Role::Staff, Action::Team));
        assert!(allows(Role::Guide, Action::Enter) && allows(Role::Guide, Action::OwnResults));
        assert!(
            !allows(Role::Guide, Action::GuideResults) && !allows(Role::Staff, Action::OwnResults)
        );
        assert!(!allows(Role::Guide, Action::Orders) && !allows(Role::Guide, Action::Till));
        assert!(allows(Role::Guide, Action::Audience) && !allows(Role::Guide, Action::Coupons));
        assert!(!allows(Role::Staff, Action::Audience) && !allows(Role::Staff, Action::Coupons));
        // Services: the manager sets them; staff verify bookings at the till only.
        assert!(!allows(Role::Staff, Action::Services) && !allows(Role::Guide, Action::Services));
    }

    #[test]
    fn grants_are_per_store() {
        let g = Grants {
            brand_admin: false,
            roles: vec![(1, Role::Manager), (2, Role::Staff)],
        };
        assert!(g.may(1, Action::Stock));
        assert!(!g.may(2, Action::Stock) && g.may(2, Action::Till));
        assert!(!g.may(3, Action::Enter));
        assert!(g.may_appoint(1, Role::Staff) && !g.may_appoint(1, Role::Manager));
        assert!(!g.may_appoint(2, Role::Staff));
        let admin = Grants {
            brand_admin: true,
            roles: vec![],
        };
        assert!(admin.may(99, Action::Audit) && admin.may_appoint(99, Role::Manager));
        assert!(g.may(1, Action::Services) && !g.may(2, Action::Services));
    }

    #[test]
    fn passwords_and_names() {
        assert_eq!(check_password("short"), Err(PasswordProblem::TooShort));
        assert_eq!(check_password("long enough pass"), Ok(()));
        assert_eq!(
            check_password(&"x".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(clean_name("  王小明 "), Some("王小明".to_owned()));
        assert_eq!(clean_name(" "), None);
        assert_eq!(clean_name("a\u{0}b"), None);
    }
}
