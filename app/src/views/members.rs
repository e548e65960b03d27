//! What the member page and the demo inbox show (shared by server and browser).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponView {
    pub id: i64,
    pub title: String,
    /// "满 ¥59.00 减 ¥10.00".
    pub terms: String,
    /// "限静安寺店使用", when it is limited to a store or categories.
    pub limits: Option<String>,
    /// "有效期至 2026-12-31".
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub phone: String,
    pub points: i64,
    pub coupons: Vec<CouponView>,
    /// The device's number and key (hex) for the member code, and the server's clock.
    pub device: Option<(String, String)>,
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub member: Option<MemberView>,
    /// A code was sent to this (masked) phone: ask for it.
    pub pending: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub phone: String,
    pub message: String,
}
