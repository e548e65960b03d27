//! Texts of the staff side: sign-in, the console's frame, the order queue, the team,
//! guides' results, the audit log and the brand's API keys; and the console's input
//! problems.

use crate::domain::api_keys::KeyNameProblem;
use crate::domain::console::InputProblem;
use crate::domain::lang::Lang;
use crate::domain::ops::Scope;
use crate::domain::staff::{PasswordProblem, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum StaffText {
    SignInTitle,
    SignInIntro,
    Phone,
    Password,
    SignIn,
    SignOut,
    SignOutEverywhere,
    SignedIn,
    SignedOut,
    SignedOutEverywhere,
    WrongPassword,
    LockedOut,
    BadPhone,
    YourStores,
    NoStores,
    Console,
    NavOrders,
    NavTill,
    NavStock,
    NavSettings,
    NavTeam,
    NavGuides,
    NavAudit,
    NavCoupons,
    NavAudience,
    NavLabels,
    NavBenefits,
    NavServices,
    NotYourStore,
    SignInFirst,
    ChangePassword,
    CurrentPassword,
    PasswordChanged,
    WrongCurrentPassword,
    // Orders
    QueueNew,
    QueuePreparing,
    QueueReady,
    QueueOut,
    QueueEmpty,
    Due,
    Waiting,
    Open,
    PickList,
    Customer,
    DeliverTo,
    Quantity,
    MoveTo,
    Courier,
    HandToCourier,
    CourierRequired,
    MarkDelivered,
    MarkCollected,
    CancelAsStore,
    CancelReason,
    CancelReasonRequired,
    CancelledByStore,
    OrderCancelled,
    OrderMovedOn,
    NewOrdersArrived,
    BackToQueue,
    Refresh,
    // Team
    TeamTitle,
    AddPerson,
    Name,
    Role,
    InitialPassword,
    NewPassword,
    ResetPassword,
    PasswordReset,
    PersonAdded,
    AlreadyInStore,
    BadName,
    CannotAppoint,
    RemoveFromStore,
    Removed,
    // Guides
    GuidesTitle,
    PeriodDay,
    PeriodWeek,
    PeriodMonth,
    Guide,
    MembersJoined,
    OrdersCredited,
    Sales,
    ExportCsv,
    NoGuides,
    // Audit
    AuditTitle,
    When,
    Who,
    What,
    Before,
    After,
    AuditEmpty,
    // API keys (brand admins)
    NavApiKeys,
    ApiKeysTitle,
    ApiKeysIntro,
    ApiKeysEmpty,
    ApiKeysTimes,
    KeyName,
    KeyNameHint,
    KeyPrefix,
    KeyScopes,
    KeyCreated,
    KeyCreatedBy,
    KeyByEnvironment,
    KeyLastUsed,
    KeyNeverUsed,
    KeyState,
    KeyLive,
    KeyRevokedAt,
    KeyActions,
    RevokeKey,
    NewKey,
    KeyScopesLegend,
    MakeKey,
    ScopeCatalogWrite,
    ScopeStockWrite,
    ScopeOrdersRead,
    ScopeWebhooksWrite,
    KeyNameEmpty,
    KeyNameTooLong,
    KeyNameControl,
    KeyScopeRequired,
    KeyScopeNotListed,
    KeyMade,
    KeyRevoked,
    KeyAlreadyRevoked,
    NewKeyTitle,
    NewKeyCopyNow,
    NewKeyLabel,
    NewKeyTry,
    // Role names
    RoleManager,
    RoleStaff,
    RoleGuide,
    RoleBrandAdmin,
}

impl StaffText {
    pub fn t(self, lang: Lang) -> &'static str {
        use StaffText::*;
        let (zh, en) = match self {
            SignInTitle => ("员工登录", "Staff sign-in"),
            SignInIntro => (
                "用你的手机号和密码登录门店后台。",
                "Sign in to the store console with your mobile number and password.",
            ),
            Phone => ("手机号", "Mobile number"),
            Password => ("密码", "Password"),
            SignIn => ("登录", "Sign in"),
            SignOut => ("退出登录", "Sign out"),
            SignOutEverywhere => ("在所有设备上退出", "Sign out everywhere"),
            SignedIn => ("已登录。", "Signed in."),
            SignedOut => ("已退出登录。", "Signed out."),
            SignedOutEverywhere => ("已在所有设备上退出登录。", "Signed out on every device."),
            WrongPassword => (
                "手机号或密码不对，请再试一次。",
                "That mobile number and password don't match. Please try again.",
            ),
            LockedOut => (
                "尝试次数过多，请 15 分钟后再试，或请店长重置密码。",
                "Too many tries. Wait 15 minutes, or ask your manager to reset your password.",
            ),
            BadPhone => ("请输入 11 位手机号。", "Enter an 11-digit mobile number."),
            YourStores => ("你的门店", "Your stores"),
            NoStores => (
                "你还没有任何门店的权限，请联系店长。",
                "You have no store yet. Ask your manager to add you.",
            ),
            Console => ("门店后台", "Store console"),
            NavOrders => ("订单", "Orders"),
            NavTill => ("收银台", "Till"),
            NavStock => ("库存与价格", "Stock and prices"),
            NavSettings => ("配送与自提", "Delivery and pick-up"),
            NavTeam => ("员工", "Team"),
            NavGuides => ("导购业绩", "Guides' results"),
            NavAudit => ("操作记录", "Audit log"),
            NavCoupons => ("优惠券", "Coupons"),
            NavAudience => ("会员圈选", "Audiences"),
            NavLabels => ("电子价签", "Shelf labels"),
            NavBenefits => ("触点营销", "Triggered benefits"),
            NavServices => ("预约服务", "Services"),
            NotYourStore => (
                "你没有这家门店这项操作的权限。",
                "You can't do that in this store.",
            ),
            SignInFirst => (
                "请先登录员工账号。",
                "Please sign in with your staff account first.",
            ),
            ChangePassword => ("修改密码", "Change password"),
            CurrentPassword => ("当前密码", "Current password"),
            PasswordChanged => (
                "密码已修改，其他设备已退出登录。",
                "Password changed; your other devices are signed out.",
            ),
            WrongCurrentPassword => ("当前密码不对。", "That isn't your current password."),
            QueueNew => ("新订单", "New"),
            QueuePreparing => ("备货中", "Preparing"),
            QueueReady => ("待自提", "Ready for pick-up"),
            QueueOut => ("配送中", "Out for delivery"),
            QueueEmpty => ("没有订单。", "No orders."),
            Due => ("应送达/自提", "Due"),
            Waiting => ("已等待", "Waiting"),
            Open => ("打开", "Open"),
            PickList => ("拣货单", "Pick list"),
            Customer => ("顾客", "Customer"),
            DeliverTo => ("送货地址", "Deliver to"),
            Quantity => ("数量", "Quantity"),
            MoveTo => ("改为", "Move to"),
            Courier => ("骑手", "Courier"),
            HandToCourier => ("交给骑手", "Hand to courier"),
            CourierRequired => (
                "请写下骑手的名字，顾客和同事都会看到。",
                "Write the courier's name: the shopper and your colleagues will see it.",
            ),
            MarkDelivered => ("已送达", "Mark delivered"),
            MarkCollected => ("已取货", "Mark collected"),
            CancelAsStore => ("门店取消订单", "Cancel as the store"),
            CancelReason => ("取消原因（顾客会看到）", "Reason (the shopper sees it)"),
            CancelReasonRequired => (
                "请写下取消原因，顾客会看到。",
                "Write the reason: the shopper will see it.",
            ),
            CancelledByStore => ("门店已取消此订单", "The store cancelled this order"),
            OrderCancelled => (
                "订单已取消，库存和时段已退回。",
                "Order cancelled; its stock and window are given back.",
            ),
            OrderMovedOn => ("订单状态已更新。", "Order moved on."),
            NewOrdersArrived => ("有新订单。", "New orders have arrived."),
            BackToQueue => ("返回订单列表", "Back to the orders"),
            Refresh => ("刷新", "Refresh"),
            TeamTitle => ("员工", "Team"),
            AddPerson => ("添加员工", "Add a person"),
            Name => ("姓名", "Name"),
            Role => ("角色", "Role"),
            InitialPassword => (
                "初始密码（至少 10 位）",
                "First password (10 characters or more)",
            ),
            NewPassword => (
                "新密码（至少 10 位）",
                "New password (10 characters or more)",
            ),
            ResetPassword => ("重置密码", "Reset password"),
            PasswordReset => (
                "密码已重置，此人已在所有设备上退出。",
                "Password reset; they are signed out everywhere.",
            ),
            PersonAdded => ("已添加。", "Added."),
            AlreadyInStore => (
                "此人已在本店有角色。",
                "That person already has a role in this store.",
            ),
            BadName => (
                "请填写姓名（最多 40 字）。",
                "Enter a name (up to 40 characters).",
            ),
            CannotAppoint => (
                "只有品牌管理员可以任命店长。",
                "Only a brand admin can appoint a manager.",
            ),
            RemoveFromStore => ("移出本店", "Remove from this store"),
            Removed => ("已移出本店。", "Removed from this store."),
            GuidesTitle => ("导购业绩", "Guides' results"),
            PeriodDay => ("今天", "Today"),
            PeriodWeek => ("本周", "This week"),
            PeriodMonth => ("本月", "This month"),
            Guide => ("导购", "Guide"),
            MembersJoined => ("新会员", "Members joined"),
            OrdersCredited => ("订单", "Orders credited"),
            Sales => ("销售额", "Sales"),
            ExportCsv => ("导出 CSV", "Export CSV"),
            NoGuides => ("本店还没有导购。", "This store has no guides yet."),
            AuditTitle => ("操作记录", "Audit log"),
            When => ("时间", "When"),
            Who => ("操作人", "Who"),
            What => ("操作", "What"),
            Before => ("之前", "Before"),
            After => ("之后", "After"),
            AuditEmpty => ("还没有操作记录。", "No changes yet."),
            NavApiKeys => ("API 密钥", "API keys"),
            ApiKeysTitle => ("集成接口的 API 密钥", "API keys for the integration API"),
            ApiKeysIntro => (
                "品牌的系统（ERP、收银、仓库）用 API 密钥调用集成接口 /ops/v1。每个密钥只能做勾选的事；不再使用的密钥请撤销。",
                "The brand's systems (ERP, tills, warehouse) call the integration API, /ops/v1, with an API key. A key may do only what was ticked for it; revoke a key that is no longer used.",
            ),
            ApiKeysEmpty => ("还没有 API 密钥。", "No API keys yet."),
            ApiKeysTimes => ("时间均为北京时间。", "Times are China Standard Time."),
            KeyName => ("名称", "Name"),
            KeyNameHint => (
                "写明用途，例如“ERP 库存同步”，最多 60 字。",
                "Say what it is for, like \"ERP stock sync\"; up to 60 characters.",
            ),
            KeyPrefix => ("密钥开头", "Key starts"),
            KeyScopes => ("权限", "Scopes"),
            KeyCreated => ("创建时间", "Made"),
            KeyCreatedBy => ("创建人", "Made by"),
            KeyByEnvironment => (
                "启动时由 OPS_BOOTSTRAP_KEY 写入",
                "Written at start from OPS_BOOTSTRAP_KEY",
            ),
            KeyLastUsed => ("最近使用", "Last used"),
            KeyNeverUsed => ("从未使用", "Never"),
            KeyState => ("状态", "State"),
            KeyLive => ("有效", "Live"),
            KeyRevokedAt => ("已撤销", "Revoked"),
            KeyActions => ("操作", "Action"),
            RevokeKey => ("撤销", "Revoke"),
            NewKey => ("新建密钥", "New key"),
            KeyScopesLegend => (
                "这个密钥可以做什么（至少选一项）",
                "What this key may do (tick at least one)",
            ),
            MakeKey => ("生成密钥", "Make the key"),
            ScopeCatalogWrite => ("写入门店、商品和价格", "Write stores, products and offers"),
            ScopeStockWrite => ("写入库存", "Write stock"),
            ScopeOrdersRead => ("读取订单事件", "Read order events"),
            ScopeWebhooksWrite => ("管理 Webhook 订阅", "Manage webhooks"),
            KeyNameEmpty => (
                "请填写名称，写明这个密钥的用途。",
                "Enter a name that says what the key is for.",
            ),
            KeyNameTooLong => (
                "名称最多 60 字。",
                "The name can have at most 60 characters.",
            ),
            KeyNameControl => (
                "名称不能包含换行、制表符或其他控制字符。",
                "The name can't contain line breaks, tabs or other control characters.",
            ),
            KeyScopeRequired => ("请至少勾选一项权限。", "Tick at least one scope."),
            KeyScopeNotListed => (
                "请只勾选这里列出的权限。",
                "Tick only the scopes listed here.",
            ),
            KeyMade => ("密钥已生成。", "Key made."),
            KeyRevoked => (
                "密钥已撤销，此后用它的调用都会被拒绝。",
                "Key revoked: calls made with it are refused from now on.",
            ),
            KeyAlreadyRevoked => ("这个密钥已经撤销了。", "That key was already revoked."),
            NewKeyTitle => ("新密钥", "Your new key"),
            NewKeyCopyNow => (
                "请现在复制并妥善保存：它只显示这一次，离开或刷新本页后就再也看不到了（我们只保存它的开头和校验值）。",
                "Copy it now and keep it somewhere safe: it is shown this once, and never again after you leave or reload this page (we keep only its first characters and a hash).",
            ),
            NewKeyLabel => ("API 密钥", "API key"),
            NewKeyTry => (
                "每次调用都在请求头里带上它，例如：",
                "Send it in this header with every call, for example:",
            ),
            RoleManager => ("店长", "Store manager"),
            RoleStaff => ("店员", "Store staff"),
            RoleGuide => ("导购", "Guide"),
            RoleBrandAdmin => ("品牌管理员", "Brand admin"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Manager => StaffText::RoleManager.t(lang),
        Role::Staff => StaffText::RoleStaff.t(lang),
        Role::Guide => StaffText::RoleGuide.t(lang),
    }
}

/// What a scope lets a key do, for the console (its wire name, `catalog:write` …, is
/// shown beside it).
pub fn scope_name(lang: Lang, scope: Scope) -> &'static str {
    match scope {
        Scope::CatalogWrite => StaffText::ScopeCatalogWrite.t(lang),
        Scope::StockWrite => StaffText::ScopeStockWrite.t(lang),
        Scope::OrdersRead => StaffText::ScopeOrdersRead.t(lang),
        Scope::WebhooksWrite => StaffText::ScopeWebhooksWrite.t(lang),
    }
}

/// Why a key's name was refused, as the message said beside its field.
pub fn key_name_problem(p: KeyNameProblem) -> StaffText {
    match p {
        KeyNameProblem::Empty => StaffText::KeyNameEmpty,
        KeyNameProblem::TooLong => StaffText::KeyNameTooLong,
        KeyNameProblem::ControlCharacter => StaffText::KeyNameControl,
    }
}

pub fn password_problem(lang: Lang, p: PasswordProblem) -> &'static str {
    match (p, lang) {
        (PasswordProblem::TooShort, Lang::ZhCn) => "密码至少 10 位。",
        (PasswordProblem::TooShort, Lang::En) => "The password needs 10 characters or more.",
        (PasswordProblem::TooLong, Lang::ZhCn) => "密码最多 128 位。",
        (PasswordProblem::TooLong, Lang::En) => "The password can have at most 128 characters.",
    }
}

pub fn input_problem(lang: Lang, p: InputProblem) -> &'static str {
    use InputProblem::*;
    let (zh, en) = match p {
        NotAPrice => (
            "价格请写成元，最多两位小数，例如 12.50。",
            "Write the price in yuan with at most two decimals, like 12.50.",
        ),
        PriceOutOfRange => (
            "价格须大于 0 且不超过 ¥100,000。",
            "The price must be more than 0 and at most ¥100,000.",
        ),
        NotAStock => (
            "库存须是整数，例如 25。",
            "Stock must be a whole number, like 25.",
        ),
        StockOutOfRange => (
            "库存须在 0 到 100,000 之间。",
            "Stock must be from 0 to 100,000.",
        ),
        ListBelowPrice => (
            "划线价不能低于售价。",
            "The list price can't be below the price.",
        ),
        UnknownSku => (
            "本店没有这个商品编号。",
            "This store has no product with that SKU.",
        ),
        BadRow => (
            "这一行应写成 sku,stock 或 sku,stock,price_fen。",
            "This line should be sku,stock or sku,stock,price_fen.",
        ),
        DuplicateSku => (
            "这个商品编号在文件里出现了两次。",
            "This SKU is in the file twice.",
        ),
        NotADate => ("日期请写成 2026-12-25。", "Write the date like 2026-12-25."),
        DateInPast => ("这一天已经过去了。", "That day has passed."),
        NotHours => (
            "营业时间请写成 10:00-18:00，或留空表示闭店。",
            "Write the hours like 10:00-18:00, or leave it empty for closed.",
        ),
        OutOfRange => ("这个数字超出了允许的范围。", "That number is out of range."),
        Empty => ("请填写这一项。", "Please fill this in."),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}
