//! What the staff pages show (shared): the console's frame (who, which store, what they
//! may open), the staff home, the order queue and one order (with its payment and
//! refunds), the team, guides' results and the audit log.

use crate::domain::money::Money;
use crate::domain::order::{Mode, Status};
use crate::domain::payment::{PaidMethod, Payment};
use crate::domain::staff::{Action, Role};
use serde::{Deserialize, Serialize};

/// The frame around every console page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleFrame {
    pub store_slug: String,
    pub store_name: String,
    pub user_name: String,
    pub role: Role,
    pub brand_admin: bool,
    /// The actions this person may take here (the nav shows only these pages).
    pub may: Vec<Action>,
}

impl ConsoleFrame {
    pub fn may(&self, action: Action) -> bool {
        self.may.contains(&action)
    }
}

/// A store the signed-in person may open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyStore {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHome {
    /// `None`: not signed in (the page shows the sign-in form).
    pub me: Option<Me>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub phone: String,
    pub brand_admin: bool,
    pub stores: Vec<MyStore>,
}

/// One order in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueOrder {
    pub id: String,
    pub mode: Mode,
    pub status: Status,
    /// When it is due, said for people (`今天 18:00–19:00`).
    pub due: String,
    /// Minutes since it entered this state.
    pub waiting_min: i64,
    /// Due within the hour, or past due.
    pub urgent: bool,
    pub items: u32,
    pub contact: String,
    pub total: Money,
    /// Its next step; `None` too while it waits for its online payment.
    pub next: Option<Status>,
    pub payment: Payment,
}

/// The queue: one group per state, in the order a store works them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueGroup {
    pub status: Status,
    pub orders: Vec<QueueOrder>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleQueue {
    pub frame: ConsoleFrame,
    pub groups: Vec<QueueGroup>,
    /// The newest order's placing time (the live update compares it).
    pub newest: i64,
}

/// A line of the pick list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickLine {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub price: Money,
    /// Units marked short (0: none; a line is marked once).
    pub short: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleOrder {
    pub frame: ConsoleFrame,
    pub id: String,
    pub mode: Mode,
    pub status: Status,
    pub due: String,
    pub placed: String,
    pub waiting_min: i64,
    pub contact_name: String,
    pub phone: String,
    pub address: Option<String>,
    pub lines: Vec<PickLine>,
    pub total: Money,
    pub next: Option<Status>,
    pub courier: Option<String>,
    pub cancel_reason: Option<String>,
    /// Still open: the store may cancel it.
    pub cancellable: bool,
    /// Being picked (placed or preparing): a line may be marked short.
    pub shortable: bool,
    pub money: OrderPayment,
}

/// An order's money as the store sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPayment {
    pub payment: Payment,
    /// How and when it was paid (the store's local time).
    pub paid: Option<(PaidMethod, String)>,
    /// Awaiting payment: when its hold ends (the store's local time).
    pub hold_ends: Option<String>,
    pub refunds: Vec<crate::views::checkout::RefundView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub role: Role,
    pub is_me: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleTeam {
    pub frame: ConsoleFrame,
    pub members: Vec<TeamMember>,
    /// The roles this person may give here.
    pub may_appoint: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideRow {
    pub code: String,
    pub name: String,
    pub members: u32,
    pub orders: u32,
    pub sales: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleGuides {
    pub frame: ConsoleFrame,
    /// `day`, `week` or `month`.
    pub period: String,
    pub rows: Vec<GuideRow>,
    /// Only the signed-in guide's own row (a guide sees no one else's).
    pub own_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub subject: String,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleAudit {
    pub frame: ConsoleFrame,
    pub rows: Vec<AuditRow>,
    pub page: u32,
    pub more: bool,
}
