//! What the member inbox and the console's coupons and audiences pages show (shared by
//! server and browser).

use crate::views::console::ConsoleFrame;
use serde::{Deserialize, Serialize};

/// A campaign as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: i64,
    pub title: String,
    /// "满 ¥99.00 减 ¥20.00", with its categories when limited.
    pub terms: String,
    /// "2026-12-04 – 2026-12-10".
    pub days: String,
    /// Good in every store (else this one).
    pub brand_wide: bool,
    pub issued: i64,
    pub total: i64,
    pub used: i64,
    pub per_member: i64,
}

/// `/staff/{store}/coupons`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleCoupons {
    pub frame: ConsoleFrame,
    pub campaigns: Vec<CampaignView>,
    /// Categories to limit a campaign to: (id, name).
    pub categories: Vec<(i64, String)>,
    /// The store's today, `YYYY-MM-DD` (the form's first day).
    pub today: String,
}

/// A send to an audience, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendView {
    pub when: String,
    pub by: String,
    pub body: String,
    pub coupon: Option<String>,
    pub chosen: i64,
    pub reached: i64,
}

/// `/staff/{store}/audience?…`: the filter as typed, the count it comes to, what may be
/// sent, and the last sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleAudience {
    pub frame: ConsoleFrame,
    /// A guide chooses only among their own members (their code).
    pub own_guide: Option<String>,
    /// The store's guides: (code, name).
    pub guides: Vec<(String, String)>,
    pub categories: Vec<(i64, String)>,
    /// The form's values as typed, by query name.
    pub values: Vec<(String, String)>,
    /// The members chosen; `None` when the filter was refused.
    pub count: Option<i64>,
    /// The field refused (its query name) and why.
    pub refused: Option<(String, String)>,
    /// The audience as a query string, for the send.
    pub query: String,
    /// Campaigns this store may hand out now: (id, title and terms).
    pub campaigns: Vec<(i64, String)>,
    pub sends: Vec<SendView>,
}

/// One message of the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    /// "门店 · 静安寺店".
    pub from: String,
    pub body: String,
    /// The coupon that came with it, as the member page shows coupons.
    pub coupon: Option<String>,
    /// Where it links: (path, label).
    pub link: Option<(String, String)>,
    pub when: String,
    /// Unread until this page was opened.
    pub unread: bool,
}

/// `/member/inbox`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub signed_in: bool,
    pub messages: Vec<InboxItem>,
    /// From the brand, stores, the guide.
    pub choices: (bool, bool, bool),
}

/// A product of the store on the labels page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelItem {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price: String,
    pub scans: i64,
}

/// `/staff/{store}/labels`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleLabels {
    pub frame: ConsoleFrame,
    pub products: Vec<LabelItem>,
}

/// One label of the print page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintLabel {
    pub name: String,
    pub unit: String,
    pub price: String,
    /// Where its QR code leads (counted, then the product in this store).
    pub url: String,
    pub qr_svg: String,
}

/// `/staff/{store}/labels/print?sku=…`: an A4 sheet of labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSheet {
    pub store_slug: String,
    pub store_name: String,
    pub labels: Vec<PrintLabel>,
}

/// `/member/data`: what the brand holds about the member, in short.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberData {
    pub signed_in: bool,
    /// Masked.
    pub phone: String,
    pub joined: String,
    pub guide: Option<String>,
    pub points: i64,
    pub coupons: i64,
    pub orders: i64,
    pub messages: i64,
    pub stores: i64,
    pub devices: i64,
}

/// A benefit rule as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub id: i64,
    /// "多少天没来店或下单时 · 30 天".
    pub when: String,
    /// What it gives, said.
    pub gives: String,
    pub on: bool,
    pub granted: i64,
}

/// `/staff/{store}/benefits`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleBenefits {
    pub frame: ConsoleFrame,
    pub rules: Vec<RuleView>,
    /// Campaigns a rule may give: (id, title and terms).
    pub campaigns: Vec<(i64, String)>,
    /// The store's check-in link and its QR code.
    pub check_in_url: String,
    pub check_in_qr: String,
}

/// `/checkin/{store}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInPage {
    pub store_slug: String,
    pub store_name: String,
    pub signed_in: bool,
}
