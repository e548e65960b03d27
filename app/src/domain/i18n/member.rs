//! Texts of membership, sign-in, the member code and the till's member desk.

use crate::domain::lang::Lang;
use crate::domain::money::Money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum MemberText {
    Title,
    SignInTitle,
    SignInIntro,
    Phone,
    SendCode,
    Code,
    SignIn,
    SignOut,
    ChangePhone,
    Points,
    ReloadForNewCode,
    Coupons,
    NoCoupons,
    MemberCode,
    MemberCodeHint,
    NoSender,
    AskFirst,
    CodeUsed,
    CodeLocked,
    CodeExpired,
    BadPhone,
    SignedIn,
    SignedOut,
    DemoInbox,
    DemoInboxEmpty,
    Member,
    TillMemberCode,
    TillMemberCheck,
    CodeMalformed,
    CodeUnknown,
    CodeNotValid,
    CodeReplayed,
    Redeem,
    AddPoints,
    PointsToAdd,
    CouponRedeemed,
    CouponGone,
    NewMemberCoupon,
    DeskExpired,
    BadPoints,
}

impl MemberText {
    pub fn t(self, lang: Lang) -> &'static str {
        use MemberText::*;
        let (zh, en) = match self {
            Title => ("会员", "Membership"),
            SignInTitle => ("登录 / 注册会员", "Sign in or join"),
            SignInIntro => (
                "用手机号登录，新会员送 ¥10 新人券和 100 积分。",
                "Sign in with your mobile number. New members get a ¥10 coupon and 100 points.",
            ),
            Phone => ("手机号", "Mobile number"),
            SendCode => ("获取验证码", "Send me a code"),
            Code => ("验证码", "Code"),
            SignIn => ("登录", "Sign in"),
            SignOut => ("退出登录", "Sign out"),
            ChangePhone => ("换个手机号", "Use another number"),
            Points => ("积分", "Points"),
            Coupons => ("优惠券", "Coupons"),
            NoCoupons => ("暂无可用优惠券。", "No coupons to use."),
            MemberCode => ("会员码", "Member code"),
            MemberCodeHint => (
                "结账时出示给店员扫码，或报出上面的数字。每个会员码只能使用一次。",
                "Show it at the till to be scanned, or read out the digits above. Each code works once.",
            ),
            ReloadForNewCode => (
                "刷新页面可获得新的会员码。",
                "Reload the page for a fresh code.",
            ),
            NoSender => (
                "暂时无法发送验证码（没有配置短信服务）。",
                "Codes can't be sent right now (no SMS service is configured).",
            ),
            AskFirst => ("请先获取验证码。", "Ask for a code first."),
            CodeUsed => (
                "这个验证码已经用过了，请重新获取。",
                "That code was already used. Ask for a new one.",
            ),
            CodeLocked => (
                "验证码输错太多次，已失效，请重新获取。",
                "Too many wrong tries: that code is locked. Ask for a new one.",
            ),
            CodeExpired => (
                "验证码已过期，请重新获取。",
                "That code has expired. Ask for a new one.",
            ),
            BadPhone => (
                "请填写 11 位大陆手机号，例如 138 0013 8000。",
                "Enter an 11-digit mainland mobile number, e.g. 138 0013 8000.",
            ),
            SignedIn => ("已登录。", "You're signed in."),
            SignedOut => ("已退出登录。", "You're signed out."),
            DemoInbox => ("演示收件箱", "Demo inbox"),
            DemoInboxEmpty => ("还没有消息。", "No messages yet."),
            Member => ("会员", "Member"),
            TillMemberCode => ("会员码", "Member code"),
            TillMemberCheck => ("识别会员", "Look up member"),
            CodeMalformed => ("会员码应为 14 位数字。", "A member code is 14 digits."),
            CodeUnknown => (
                "找不到这个会员码，或会员已退出登录。",
                "Unknown member code, or the member signed out.",
            ),
            CodeNotValid => (
                "会员码已过期或无效，请让会员刷新后再试。",
                "That member code has expired or isn't valid. Ask for a fresh one.",
            ),
            CodeReplayed => (
                "这个会员码已经用过了，请让会员刷新。",
                "That member code was already used. Ask for a fresh one.",
            ),
            Redeem => ("核销", "Redeem"),
            AddPoints => ("加积分", "Add points"),
            PointsToAdd => ("要加的积分", "Points to add"),
            CouponRedeemed => ("优惠券已核销。", "Coupon redeemed."),
            CouponGone => (
                "这张优惠券已用过或已过期。",
                "That coupon is used or expired.",
            ),
            NewMemberCoupon => ("新人券", "New-member coupon"),
            DeskExpired => (
                "为这位会员服务的时间已过，请重新扫会员码。",
                "Serving this member has timed out. Scan their member code again.",
            ),
            BadPoints => (
                "积分请填写 1 到 100000 之间的整数。",
                "Enter the points as a whole number from 1 to 100,000.",
            ),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

pub fn code_message(lang: Lang, code: &str) -> String {
    match lang {
        Lang::ZhCn => format!("【禾川生活】你的验证码是 {code}，5 分钟内有效。"),
        Lang::En => format!("Hechuan Living: your code is {code}. It works for 5 minutes."),
    }
}

pub fn code_sent(lang: Lang, masked: &str) -> String {
    match lang {
        Lang::ZhCn => format!("验证码已发送到 {masked}。"),
        Lang::En => format!("We sent a code to {masked}."),
    }
}

pub fn wrong_code(lang: Lang, tries_left: i64) -> String {
    match (lang, tries_left) {
        (Lang::ZhCn, n) if n <= 0 => MemberText::CodeLocked.t(lang).to_owned(),
        (Lang::En, n) if n <= 0 => MemberText::CodeLocked.t(lang).to_owned(),
        (Lang::ZhCn, n) => format!("验证码不对，还可以再试 {n} 次。"),
        (Lang::En, n) => format!("That code isn't right. {n} tries left."),
    }
}

pub fn refreshes_in(lang: Lang, seconds: i64) -> String {
    match lang {
        Lang::ZhCn => format!("{seconds} 秒后刷新"),
        Lang::En => format!("Changes in {seconds} s"),
    }
}

pub fn coupon(lang: Lang, value: Money, min_spend: Money) -> String {
    match lang {
        Lang::ZhCn => format!("满 {min_spend} 减 {value}"),
        Lang::En => format!("{value} off {min_spend} or more"),
    }
}

pub fn points_added(lang: Lang, points: i64) -> String {
    match lang {
        Lang::ZhCn => format!("已加 {points} 积分。"),
        Lang::En => format!("Added {points} points."),
    }
}
