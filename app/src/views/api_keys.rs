//! What the brand's API-keys page shows (shared): every key as the console lists it
//! (never the key itself), and the one just made, shown once.

use crate::domain::ops::Scope;
use serde::{Deserialize, Serialize};

/// A time on the page: as people read it (China Standard Time) and as `<time>` states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// `2026-12-24 18:30`.
    pub label: String,
    /// RFC 3339, for `<time datetime>`.
    pub machine: String,
}

/// A key as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedKey {
    pub id: i64,
    pub name: String,
    /// Its first characters (`cso_` and eight more): enough to tell keys apart.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub created: Stamp,
    /// Who made it; `None`: written at start from `OPS_BOOTSTRAP_KEY`.
    pub created_by: Option<String>,
    pub last_used: Option<Stamp>,
    /// When it was revoked; `None`: live.
    pub revoked: Option<Stamp>,
}

/// The key just made: the one time it is on a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadeKey {
    pub name: String,
    pub key: String,
    /// `scheme://host` of this site, for the sample call.
    pub origin: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeysPage {
    /// The brand admin signed in.
    pub user_name: String,
    /// Newest first.
    pub keys: Vec<ListedKey>,
    pub made: Option<MadeKey>,
}
