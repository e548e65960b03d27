//! Texts of members who come back: coupons and their terms, the member inbox and its
//! choices, and the console's coupons and audiences.

use crate::domain::coupon::{Benefit, CampaignProblem, NotUsable, Terms};
use crate::domain::lang::Lang;
use crate::domain::money::Money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum MarketingText {
    // Checkout and the member's coupons.
    CouponChoice,
    NoCouponChoice,
    BestCoupon,
    CouponUnusable,
    // The inbox.
    InboxTitle,
    InboxEmpty,
    InboxLink,
    InboxUnread,
    FromBrand,
    FromStore,
    FromGuide,
    CouponAttached,
    MarkAllRead,
    MarkedRead,
    ChoicesTitle,
    ChoicesIntro,
    ChoiceBrand,
    ChoiceStore,
    ChoiceGuide,
    ChoiceNothing,
    SaveChoices,
    ChoicesSaved,
    SignInForInbox,
    SeeProduct,
    SeeStore,
    // The console: coupons.
    CouponsTitle,
    CouponsIntro,
    CouponsEmpty,
    NewCampaign,
    CampaignTitle,
    CampaignTitleHint,
    CampaignKind,
    KindAmount,
    KindPercent,
    CampaignAmount,
    CampaignPercent,
    CampaignCap,
    CampaignMinSpend,
    CampaignMinSpendHint,
    CampaignFrom,
    CampaignTo,
    CampaignTotal,
    CampaignPerMember,
    CampaignCategories,
    CampaignCategoriesHint,
    CampaignWholeBrand,
    CampaignWholeBrandHint,
    MakeCampaign,
    CampaignMade,
    CampaignIssued,
    CampaignUsed,
    CampaignTerms,
    CampaignDays,
    CampaignScope,
    ScopeBrand,
    ScopeStore,
    UnknownCategory,
    // Campaign form problems.
    TitleRequired,
    TitleTooLong,
    KindUnknown,
    BadAmount,
    PercentRange,
    BadDate,
    DaysRange,
    TotalRange,
    PerMemberRange,
    AmountOverMinimum,
    // The console: audiences.
    AudienceTitle,
    AudienceIntro,
    AudienceGuideIntro,
    AudienceFilters,
    JoinedThrough,
    JoinedAny,
    JoinedGuide,
    AwayDays,
    AwayDaysHint,
    SpendAtLeast,
    SpendDays,
    BoughtCategory,
    AnyCategory,
    BagDays,
    BagDaysHint,
    PointsAtLeast,
    CountAudience,
    AudienceCount,
    SendTitle,
    SendBody,
    SendBodyHint,
    SendCoupon,
    SendNoCoupon,
    SendLink,
    SendLinkHint,
    SendNow,
    WeeklyLimitHint,
    SendsTitle,
    SendsEmpty,
    SendChosen,
    SendReached,
    BodyRequired,
    BodyTooLong,
    BadNumber,
    BadLink,
    NotYourGuide,
    NobodyChosen,
    CampaignGone,
    NotYourCampaign,
    // Shelf labels.
    LabelsTitle,
    LabelsIntro,
    LabelsChoose,
    LabelsPrint,
    LabelScans,
    LabelProduct,
    LabelPrice,
    SheetTitle,
    SheetHint,
    SheetEmpty,
    LabelScanMe,
    // Triggered benefits and check-ins.
    BenefitsTitle,
    BenefitsIntro,
    BenefitsEmpty,
    NewRule,
    RuleTrigger,
    TriggerJoin,
    TriggerFirstOrder,
    TriggerLapsed,
    TriggerPriceDrop,
    TriggerCheckIn,
    RuleDays,
    RuleDaysHint,
    RuleCoupon,
    RulePoints,
    RuleMessage,
    RuleReward,
    AddRule,
    RuleAdded,
    RuleState,
    RuleOn,
    RuleOff,
    TurnOn,
    TurnOff,
    RuleGranted,
    RuleSwitched,
    RuleNeedsReward,
    BadDays,
    UnknownTrigger,
    CheckInTitle,
    CheckInIntro,
    CheckInButton,
    CheckedIn,
    CheckedInAlready,
    CheckInQr,
    CheckInQrHint,
    // Privacy.
    DataTitle,
    DataIntro,
    DataLink,
    DataDownload,
    DataPhone,
    DataJoined,
    DataGuide,
    DataOrders,
    DataMessages,
    DataStores,
    DataDevices,
    DeleteTitle,
    DeleteIntro,
    DeleteConfirm,
    DeleteConfirmHint,
    DeleteAccount,
    DeleteMismatch,
    Deleted,
    // Issuing refusals.
    CouponEnded,
    CouponSoldOut,
    CouponLimit,
    CouponNotHere,
}

impl MarketingText {
    pub fn t(self, lang: Lang) -> &'static str {
        use MarketingText::*;
        let (zh, en) = match self {
            CouponChoice => ("使用优惠券", "Use a coupon"),
            NoCouponChoice => ("不使用优惠券", "No coupon"),
            BestCoupon => ("最划算", "Best value"),
            CouponUnusable => ("本单不可用", "Can't be used on this order"),
            InboxTitle => ("消息", "Messages"),
            InboxEmpty => ("还没有消息。", "No messages yet."),
            InboxLink => ("消息", "Messages"),
            InboxUnread => ("未读", "unread"),
            FromBrand => ("品牌", "The brand"),
            FromStore => ("门店", "Your store"),
            FromGuide => ("你的导购", "Your guide"),
            CouponAttached => ("随消息送你一张优惠券：", "A coupon came with it:"),
            MarkAllRead => ("全部标为已读", "Mark all as read"),
            MarkedRead => ("已全部标为已读。", "All marked as read."),
            ChoicesTitle => ("接收哪些消息", "What you receive"),
            ChoicesIntro => (
                "选择想收到谁的消息。不勾选的来源不会再给你发消息和优惠券。",
                "Choose who may send you messages. Those you untick send you no messages or coupons.",
            ),
            ChoiceBrand => ("品牌的消息", "Messages from the brand"),
            ChoiceStore => ("门店的消息", "Messages from stores"),
            ChoiceGuide => ("导购的消息", "Messages from your guide"),
            ChoiceNothing => (
                "全部不接收（不勾选任何一项）",
                "Nothing at all (untick every box)",
            ),
            SaveChoices => ("保存", "Save"),
            ChoicesSaved => ("已保存你的选择。", "Your choices are saved."),
            SignInForInbox => (
                "登录会员后查看消息。",
                "Sign in as a member to see your messages.",
            ),
            SeeProduct => ("查看商品", "See the product"),
            SeeStore => ("去门店看看", "Visit the store"),
            CouponsTitle => ("优惠券", "Coupons"),
            CouponsIntro => (
                "在这里创建本店的优惠券活动；发券请到“会员圈选”，按人群发给会员。",
                "Make this store's coupon campaigns here; hand them out to members from Audiences.",
            ),
            CouponsEmpty => ("还没有优惠券活动。", "No coupon campaigns yet."),
            NewCampaign => ("新建优惠券", "New coupon"),
            CampaignTitle => ("名称", "Name"),
            CampaignTitleHint => (
                "会员看到的名称，最多 30 个字，例如“周末满减”。",
                "The name members see, up to 30 characters, e.g. “Weekend treat”.",
            ),
            CampaignKind => ("优惠方式", "Kind"),
            KindAmount => ("满减（减固定金额）", "An amount off"),
            KindPercent => ("折扣（按比例减，有上限）", "A percentage off, up to a cap"),
            CampaignAmount => ("减（元）", "Amount off (yuan)"),
            CampaignPercent => ("减百分之几（1–90）", "Percent off (1–90)"),
            CampaignCap => ("最多减（元）", "At most (yuan)"),
            CampaignMinSpend => ("满（元）", "Minimum spend (yuan)"),
            CampaignMinSpendHint => (
                "适用商品满多少元才能用；0 表示无门槛。",
                "What the goods it covers must come to; 0 for no minimum.",
            ),
            CampaignFrom => ("开始日期", "First day"),
            CampaignTo => ("结束日期", "Last day"),
            CampaignTotal => ("发放总量（张）", "Coupons in all"),
            CampaignPerMember => ("每人最多（张）", "Most per member"),
            CampaignCategories => ("适用品类", "Categories it covers"),
            CampaignCategoriesHint => ("不勾选表示全部商品可用。", "Tick none for everything."),
            CampaignWholeBrand => ("全品牌门店可用", "Good in every store of the brand"),
            CampaignWholeBrandHint => (
                "只有品牌管理员可以创建全品牌的优惠券。",
                "Only a brand admin can make a coupon for every store.",
            ),
            MakeCampaign => ("创建", "Make it"),
            CampaignMade => ("优惠券活动已创建。", "The coupon campaign is made."),
            CampaignIssued => ("已发", "Handed out"),
            CampaignUsed => ("已用", "Used"),
            CampaignTerms => ("优惠", "Terms"),
            CampaignDays => ("有效期", "Valid"),
            CampaignScope => ("适用门店", "Stores"),
            ScopeBrand => ("全品牌", "Every store"),
            ScopeStore => ("本店", "This store"),
            UnknownCategory => ("没有这个品类。", "There is no such category."),
            TitleRequired => ("请填写名称。", "Give it a name."),
            TitleTooLong => ("名称最多 30 个字。", "Use at most 30 characters."),
            KindUnknown => ("请选择优惠方式。", "Choose a kind."),
            BadAmount => (
                "请填写金额（元），例如 10 或 9.90。",
                "Enter an amount in yuan, e.g. 10 or 9.90.",
            ),
            PercentRange => (
                "请填写 1 到 90 之间的整数。",
                "Enter a whole number from 1 to 90.",
            ),
            BadDate => (
                "请填写今天或以后的日期（年-月-日）。",
                "Enter today or a later date (YYYY-MM-DD).",
            ),
            DaysRange => (
                "结束日期不能早于开始日期，且最长一年。",
                "The last day can't be before the first, and a year at most.",
            ),
            TotalRange => (
                "请填写 1 到 1000000 之间的整数。",
                "Enter a whole number from 1 to 1,000,000.",
            ),
            PerMemberRange => (
                "请填写 1 到 10 之间的整数。",
                "Enter a whole number from 1 to 10.",
            ),
            AmountOverMinimum => (
                "减的金额要小于门槛金额。",
                "The amount off must be less than the minimum spend.",
            ),
            AudienceTitle => ("会员圈选", "Audiences"),
            AudienceIntro => (
                "按条件圈出本店的会员，先看人数，再给他们发消息或优惠券。",
                "Choose this store's members by what they did, see how many first, then send them a message or a coupon.",
            ),
            AudienceGuideIntro => (
                "你只能圈选由你发展的会员。",
                "You can choose only the members you brought.",
            ),
            AudienceFilters => ("圈选条件", "Who"),
            JoinedThrough => ("来源", "Came through"),
            JoinedAny => ("本店的全部会员", "Any of this store's members"),
            JoinedGuide => ("导购：", "Guide: "),
            AwayDays => (
                "至少多少天没来店或下单",
                "Days since their last visit or order, at least",
            ),
            AwayDaysHint => ("留空表示不限。", "Leave empty for any."),
            SpendAtLeast => ("消费至少（元）", "Spent at least (yuan)"),
            SpendDays => ("统计最近多少天", "In the last … days"),
            BoughtCategory => ("买过的品类", "Bought from category"),
            AnyCategory => ("不限", "Any"),
            BagDays => (
                "购物袋里有商品至少多少天",
                "Has had items in the bag for at least … days",
            ),
            BagDaysHint => ("留空表示不限。", "Leave empty for any."),
            PointsAtLeast => ("积分至少", "Points at least"),
            CountAudience => ("看人数", "Count them"),
            AudienceCount => ("符合条件的会员", "Members chosen"),
            SendTitle => ("发给这些会员", "Send to these members"),
            SendBody => ("消息内容", "Message"),
            SendBodyHint => ("最多 200 个字。", "Up to 200 characters."),
            SendCoupon => ("附带优惠券", "With a coupon"),
            SendNoCoupon => ("不附带", "None"),
            SendLink => (
                "链接到商品（商品编号，可不填）",
                "Link to a product (its SKU; optional)",
            ),
            SendLinkHint => (
                "填写后，消息里会有去本店看这件商品的链接。",
                "The message will link to the product in this store.",
            ),
            SendNow => ("发送", "Send"),
            WeeklyLimitHint => (
                "每位会员每周最多收到本店 2 次推送；不想收到门店或导购消息的会员不会收到。",
                "Each member gets at most 2 sends a week from this store; members who turned such messages off get none.",
            ),
            SendsTitle => ("发送记录", "Sent"),
            SendsEmpty => ("还没有发送过。", "Nothing sent yet."),
            SendChosen => ("圈中", "Chosen"),
            SendReached => ("送达", "Reached"),
            BodyRequired => ("请填写消息内容。", "Write the message."),
            BodyTooLong => ("消息最多 200 个字。", "Use at most 200 characters."),
            BadNumber => (
                "请填写 0 到 100000 之间的整数，或留空。",
                "Enter a whole number from 0 to 100,000, or leave it empty.",
            ),
            BadLink => (
                "本店没有这个商品编号。",
                "This store has no product with that SKU.",
            ),
            NotYourGuide => (
                "你只能圈选由你发展的会员。",
                "You can choose only the members you brought.",
            ),
            NobodyChosen => ("没有符合条件的会员。", "No member matches."),
            CampaignGone => (
                "这个优惠券活动已结束或已发完。",
                "That coupon campaign has ended or run out.",
            ),
            NotYourCampaign => (
                "本店不能发这个优惠券。",
                "This store can't hand out that coupon.",
            ),
            LabelsTitle => ("电子价签", "Shelf labels"),
            LabelsIntro => (
                "勾选商品，打印带本店价格和二维码的货架标签（A4）。顾客扫码就能在本店的云店里看到这件商品并加入购物袋；每件商品被扫了多少次列在下面。",
                "Tick products and print shelf labels with this store's price and a QR code (A4). Shoppers scan it to open the product in this store's cloud store and add it to the bag; the scans of each product are listed below.",
            ),
            LabelsChoose => ("选择要打印的商品", "Products to print"),
            LabelsPrint => ("生成打印页", "Make the print page"),
            LabelScans => ("扫码次数", "Scans"),
            LabelProduct => ("商品", "Product"),
            LabelPrice => ("本店价格", "This store's price"),
            SheetTitle => ("价签打印页", "Shelf labels to print"),
            SheetHint => (
                "用浏览器的打印功能打印，纸张选 A4、边距默认。",
                "Print with the browser's print command on A4 paper, default margins.",
            ),
            SheetEmpty => ("没有选择商品。", "No products chosen."),
            LabelScanMe => ("扫码加入购物袋", "Scan to add to your bag"),
            BenefitsTitle => ("触点营销", "Triggered benefits"),
            BenefitsIntro => (
                "为本店开启自动规则：会员在这些时刻自动获得优惠券、积分或消息，每位会员每个周期只得一次。",
                "Turn on rules for this store: members get a coupon, points or a message at these moments, once per member per period.",
            ),
            BenefitsEmpty => ("还没有规则。", "No rules yet."),
            NewRule => ("新建规则", "New rule"),
            RuleTrigger => ("什么时候", "When"),
            TriggerJoin => ("成为本店会员时", "On becoming this store's member"),
            TriggerFirstOrder => ("在本店首次下单时", "On the first order here"),
            TriggerLapsed => (
                "多少天没来店或下单时",
                "After N days without a visit or order",
            ),
            TriggerPriceDrop => (
                "购物袋里的商品降价时",
                "When something in the bag gets cheaper",
            ),
            TriggerCheckIn => (
                "到店签到时（每天一次）",
                "On checking in at the store (once a day)",
            ),
            RuleDays => ("天数", "Days"),
            RuleDaysHint => (
                "只对“多少天没来”有用：1 到 365。",
                "Only for “N days without a visit”: 1 to 365.",
            ),
            RuleCoupon => ("送优惠券", "Coupon to give"),
            RulePoints => ("送积分", "Points to give"),
            RuleMessage => ("发消息", "Message to send"),
            RuleReward => ("送什么", "Reward"),
            AddRule => ("添加规则", "Add the rule"),
            RuleAdded => ("规则已添加并开启。", "The rule is added and on."),
            RuleState => ("状态", "State"),
            RuleOn => ("开启中", "On"),
            RuleOff => ("已关闭", "Off"),
            TurnOn => ("开启", "Turn on"),
            TurnOff => ("关闭", "Turn off"),
            RuleGranted => ("已发放", "Granted"),
            RuleSwitched => ("规则状态已更新。", "The rule is switched."),
            RuleNeedsReward => (
                "请至少选择一种：优惠券、积分或消息。",
                "Choose at least one: a coupon, points or a message.",
            ),
            BadDays => (
                "请填写 1 到 365 之间的整数。",
                "Enter a whole number from 1 to 365.",
            ),
            UnknownTrigger => ("请选择什么时候触发。", "Choose when it happens."),
            CheckInTitle => ("到店签到", "Check in"),
            CheckInIntro => (
                "会员在店里扫门口或收银台的二维码签到，可获得本店送出的礼遇。",
                "Members check in by scanning the QR code at the door or the till, and get what the store gives.",
            ),
            CheckInButton => ("签到", "Check in"),
            CheckedIn => ("签到成功，欢迎光临！", "You're checked in. Welcome!"),
            CheckedInAlready => ("今天已经签到过了。", "You already checked in today."),
            CheckInQr => ("门店签到二维码", "The store's check-in QR code"),
            CheckInQrHint => (
                "打印后贴在门口或收银台，会员扫码签到。",
                "Print it for the door or the till: members scan it to check in.",
            ),
            DataTitle => ("我的数据", "My data"),
            DataIntro => (
                "依照《个人信息保护法》，你可以查看、下载我们保存的关于你的信息，也可以注销账号。",
                "Under China's Personal Information Protection Law you can see and download what we hold about you, and delete your account.",
            ),
            DataLink => ("我的数据与注销", "My data and deleting my account"),
            DataDownload => ("下载我的数据（JSON）", "Download my data (JSON)"),
            DataPhone => ("手机号", "Mobile number"),
            DataJoined => ("加入时间", "Joined"),
            DataGuide => ("发展你的导购", "The guide who brought you"),
            DataOrders => ("订单", "Orders"),
            DataMessages => ("消息", "Messages"),
            DataStores => ("常去的门店", "Your stores"),
            DataDevices => ("登录过的设备", "Signed-in devices"),
            DeleteTitle => ("注销账号", "Delete my account"),
            DeleteIntro => (
                "注销后，你的手机号、积分、优惠券、消息、购物袋和登录设备都会删除；订单为了门店对账会保留，但不再带有你的姓名、电话和地址。此操作不能撤销。",
                "Deleting removes your number, points, coupons, messages, bag and signed-in devices. Orders stay for the stores' books, without your name, number or address. This can't be undone.",
            ),
            DeleteConfirm => (
                "输入手机号后 4 位确认",
                "Type the last 4 digits of your number to confirm",
            ),
            DeleteConfirmHint => ("确认后立即注销。", "Your account is deleted at once."),
            DeleteAccount => ("注销账号", "Delete my account"),
            DeleteMismatch => (
                "后 4 位不对，账号没有注销。",
                "Those aren't the last 4 digits; nothing was deleted.",
            ),
            Deleted => ("账号已注销。", "Your account is deleted."),
            CouponEnded => ("这个优惠券活动已结束。", "That coupon campaign has ended."),
            CouponSoldOut => ("这个优惠券已发完。", "That coupon has run out."),
            CouponLimit => (
                "你已领满这个优惠券。",
                "You already hold as many of that coupon as one may.",
            ),
            CouponNotHere => (
                "这张优惠券不能在本店使用，或还没到使用日期。",
                "That coupon can't be used in this store, or not yet.",
            ),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// The words of a campaign form problem.
pub fn campaign_problem(p: CampaignProblem) -> MarketingText {
    use CampaignProblem as P;
    use MarketingText as T;
    match p {
        P::TitleRequired => T::TitleRequired,
        P::TitleTooLong => T::TitleTooLong,
        P::KindUnknown => T::KindUnknown,
        P::BadAmount => T::BadAmount,
        P::PercentRange => T::PercentRange,
        P::BadDate => T::BadDate,
        P::DaysRange => T::DaysRange,
        P::TotalRange => T::TotalRange,
        P::PerMemberRange => T::PerMemberRange,
        P::AmountOverMinimum => T::AmountOverMinimum,
    }
}

/// "满 ¥59.00 减 ¥10.00" / "¥10.00 off ¥59.00 or more"; "8.5 折，最高减 ¥20.00".
pub fn terms(lang: Lang, terms: &Terms) -> String {
    let min = Money::cny(terms.min_spend);
    match (terms.benefit, lang) {
        (Benefit::AmountOff(v), _) if terms.min_spend > 0 => {
            super::member::coupon(lang, Money::cny(v), min)
        }
        (Benefit::AmountOff(v), Lang::ZhCn) => format!("立减 {}", Money::cny(v)),
        (Benefit::AmountOff(v), Lang::En) => format!("{} off", Money::cny(v)),
        (Benefit::PercentOff { percent, cap }, Lang::ZhCn) => {
            let rate = 100 - u32::from(percent);
            let zhe = if rate % 10 == 0 {
                format!("{}", rate / 10)
            } else {
                format!("{}.{}", rate / 10, rate % 10)
            };
            let head = if terms.min_spend > 0 {
                format!("满 {min} 享 {zhe} 折")
            } else {
                format!("{zhe} 折")
            };
            format!("{head}，最高减 {}", Money::cny(cap))
        }
        (Benefit::PercentOff { percent, cap }, Lang::En) => {
            let head = if terms.min_spend > 0 {
                format!("{percent}% off {min} or more")
            } else {
                format!("{percent}% off")
            };
            format!("{head}, up to {} off", Money::cny(cap))
        }
    }
}

/// Where and on what a coupon can be used, when it is limited; `None` for anywhere.
pub fn limits(lang: Lang, store: Option<&str>, categories: &[&str]) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(store) = store {
        parts.push(match lang {
            Lang::ZhCn => format!("限{store}使用"),
            Lang::En => format!("at {store} only"),
        });
    }
    if !categories.is_empty() {
        parts.push(match lang {
            Lang::ZhCn => format!("限{}", categories.join("、")),
            Lang::En => format!("on {} only", categories.join(", ")),
        });
    }
    (!parts.is_empty()).then(|| {
        parts.join(match lang {
            Lang::ZhCn => "，",
            Lang::En => "; ",
        })
    })
}

/// The brand's days are China's (UTC+8, no summer time).
fn china_date(at: i64) -> String {
    use chrono::TimeZone;
    let zone = chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset");
    match zone.timestamp_opt(at, 0).single() {
        Some(t) => t.format("%Y-%m-%d").to_string(),
        None => String::new(),
    }
}

/// "有效期至 2026-12-31" / "valid until 2026-12-31" (the last day it works).
pub fn until(lang: Lang, expires_at: i64) -> String {
    let day = china_date(expires_at - 1);
    match lang {
        Lang::ZhCn => format!("有效期至 {day}"),
        Lang::En => format!("valid until {day}"),
    }
}

/// A campaign's days: "2026-12-04 – 2026-12-10".
pub fn days(starts_at: i64, ends_at: i64) -> String {
    format!("{} – {}", china_date(starts_at), china_date(ends_at - 1))
}

/// Why a coupon cannot be used on this order.
pub fn not_usable(lang: Lang, why: NotUsable) -> String {
    match (why, lang) {
        (NotUsable::BelowMinimum { short }, Lang::ZhCn) => {
            format!("还差 {} 可用", Money::cny(short))
        }
        (NotUsable::BelowMinimum { short }, Lang::En) => {
            format!("{} more to use it", Money::cny(short))
        }
        (NotUsable::NotYet, Lang::ZhCn) => "还没到使用日期".to_owned(),
        (NotUsable::NotYet, Lang::En) => "not yet".to_owned(),
        (NotUsable::Expired, Lang::ZhCn) => "已过期".to_owned(),
        (NotUsable::Expired, Lang::En) => "expired".to_owned(),
        (NotUsable::OtherStore, Lang::ZhCn) => "不能在这家店使用".to_owned(),
        (NotUsable::OtherStore, Lang::En) => "not for this store".to_owned(),
        (NotUsable::NothingCovered, Lang::ZhCn) => "袋中没有适用商品".to_owned(),
        (NotUsable::NothingCovered, Lang::En) => "nothing in the bag it covers".to_owned(),
    }
}

/// "省 ¥10.00" / "saves ¥10.00".
pub fn saves(lang: Lang, off: Money) -> String {
    match lang {
        Lang::ZhCn => format!("省 {off}"),
        Lang::En => format!("saves {off}"),
    }
}

/// The audience's size: "1,234 位会员" / "1,234 members".
pub fn members_count(lang: Lang, n: i64) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 位会员"),
        Lang::En if n == 1 => "1 member".to_owned(),
        Lang::En => format!("{n} members"),
    }
}

/// After a send: how many it reached of those chosen.
pub fn sent(lang: Lang, reached: i64, chosen: i64) -> String {
    match lang {
        Lang::ZhCn => {
            format!("已发送：圈中 {chosen} 位，送达 {reached} 位（其余已达每周上限或不接收）。")
        }
        Lang::En => format!(
            "Sent: {reached} of the {chosen} chosen (the rest reached the weekly limit or turned such messages off)."
        ),
    }
}

/// What a shopper who scanned a shelf label reads on the product's page.
pub fn on_the_shelf(lang: Lang, store: &str) -> String {
    match lang {
        Lang::ZhCn => format!(
            "你正在{store}：这件商品就在店里的货架上。可以加入购物袋，线上下单后到店自提，或拿到收银台结账。"
        ),
        Lang::En => format!(
            "You're in {store}: this product is on the shelf here. Add it to your bag to order and pick it up, or take it to the till."
        ),
    }
}

/// The header's inbox link's label: "消息（2 条未读）" / "Messages (2 unread)".
pub fn inbox_label(lang: Lang, unread: i64) -> String {
    match (lang, unread) {
        (Lang::ZhCn, 0) => "消息".to_owned(),
        (Lang::En, 0) => "Messages".to_owned(),
        (Lang::ZhCn, n) => format!("消息（{n} 条未读）"),
        (Lang::En, n) => format!("Messages ({n} unread)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(benefit: Benefit, min_spend: i64) -> Terms {
        Terms {
            benefit,
            min_spend,
            starts_at: 0,
            expires_at: 1,
            stores: vec![],
            categories: vec![],
        }
    }

    #[test]
    fn terms_read_as_a_shopper_expects() {
        let pct = t(
            Benefit::PercentOff {
                percent: 15,
                cap: 2_000,
            },
            9_900,
        );
        assert_eq!(
            terms(Lang::ZhCn, &pct),
            "满 ¥99.00 享 8.5 折，最高减 ¥20.00"
        );
        assert_eq!(
            terms(Lang::En, &pct),
            "15% off ¥99.00 or more, up to ¥20.00 off"
        );
        let ten = t(
            Benefit::PercentOff {
                percent: 10,
                cap: 500,
            },
            0,
        );
        assert_eq!(terms(Lang::ZhCn, &ten), "9 折，最高减 ¥5.00");
        assert_eq!(terms(Lang::En, &t(Benefit::AmountOff(500), 0)), "¥5.00 off");
        assert_eq!(
            terms(Lang::ZhCn, &t(Benefit::AmountOff(1_000), 5_900)),
            "满 ¥59.00 减 ¥10.00"
        );
        assert_eq!(
            limits(Lang::En, Some("Jing'an Temple"), &["Fruit", "Dairy"]).as_deref(),
            Some("at Jing'an Temple only; on Fruit, Dairy only")
        );
        assert_eq!(limits(Lang::ZhCn, None, &[]), None);
        // Midnight in Shanghai ends the 4th: the last day is the 4th.
        assert_eq!(until(Lang::En, 1_764_864_000), "valid until 2025-12-04");
    }
}
