//! Texts of the console's delivery and pick-up settings and special days pages, and what
//! shoppers are told of them at checkout and on the store's page (a pause, special days).

use crate::domain::console::PauseScope;
use crate::domain::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum SettingsText {
    Title,
    // The pause.
    PauseTitle,
    PauseWhat,
    PauseDelivery,
    PauseAll,
    PauseFor,
    PauseButton,
    ResumeButton,
    TakingOrders,
    Resumed,
    ChooseScope,
    PauseMinutesRange,
    // The settings form.
    SettingsTitle,
    WindowCapacity,
    WindowCapacityHint,
    DeliveryRadius,
    DeliveryFee,
    DeliveryFeeHint,
    FreeDeliveryFrom,
    FreeDeliveryFromHint,
    PickupLead,
    Save,
    Saved,
    NothingChanged,
    CapacityRange,
    RadiusRange,
    FeeFormat,
    FreeFromFormat,
    LeadRange,
    ChangedMeanwhile,
    // One window's capacity.
    WindowsTitle,
    WindowsHint,
    Window,
    Booked,
    Capacity,
    SetCapacity,
    NoWindows,
    CapacitySaved,
    BelowBooked,
    NoSuchWindow,
    // Special days.
    SpecialTitle,
    SpecialHint,
    SpecialDate,
    SpecialHours,
    SpecialHoursHint,
    SpecialAdd,
    SpecialSaved,
    SpecialRemove,
    SpecialRemoved,
    NoSpecialDays,
    NoSuchSpecialDay,
    TooManySpecialDays,
    // What shoppers are told.
    DeliveryPausedNow,
    AllPausedNow,
    StoreSpecialDays,
}

impl SettingsText {
    pub fn t(self, lang: Lang) -> &'static str {
        use SettingsText::*;
        let (zh, en) = match self {
            Title => ("配送与自提", "Delivery and pick-up"),
            PauseTitle => ("暂停接单", "Pause new orders"),
            PauseWhat => ("暂停哪些订单", "What to pause"),
            PauseDelivery => (
                "只暂停配送（自提照常）",
                "Deliveries only (pick-up stays open)",
            ),
            PauseAll => ("全部新订单", "All new orders"),
            PauseFor => ("暂停多久", "For how long"),
            PauseButton => ("暂停", "Pause"),
            ResumeButton => ("立即恢复接单", "Resume orders now"),
            TakingOrders => ("正在正常接单。", "Taking orders as usual."),
            Resumed => ("已恢复接单。", "Orders are open again."),
            ChooseScope => (
                "请选择暂停配送还是全部订单。",
                "Choose deliveries or all orders.",
            ),
            PauseMinutesRange => (
                "请选择暂停多久（最多 8 小时）。",
                "Choose how long to pause (at most 8 hours).",
            ),
            SettingsTitle => ("配送与自提设置", "Delivery and pick-up settings"),
            WindowCapacity => ("每个配送时段最多接单数", "Orders per delivery window"),
            WindowCapacityHint => (
                "用于之后新开放的时段；已开放的时段在下方逐个修改。",
                "For windows opened from now on; change an open window below.",
            ),
            DeliveryRadius => ("配送范围（公里）", "Delivery radius (km)"),
            DeliveryFee => ("配送费（元）", "Delivery fee (yuan)"),
            DeliveryFeeHint => ("填 0 表示免费配送。", "0 makes every delivery free."),
            FreeDeliveryFrom => ("满多少元免配送费", "Free delivery from (yuan)"),
            FreeDeliveryFromHint => (
                "订单满这个金额免配送费；填 0 表示总是免费。",
                "Orders of this much or more are delivered free; 0 means always free.",
            ),
            PickupLead => ("自提备货时间（分钟）", "Pick-up preparation time (minutes)"),
            Save => ("保存设置", "Save settings"),
            Saved => ("设置已保存。", "Settings saved."),
            NothingChanged => ("没有改动。", "Nothing changed."),
            CapacityRange => (
                "接单数须是 0 到 1000 之间的整数。",
                "The number of orders must be a whole number from 0 to 1000.",
            ),
            RadiusRange => (
                "配送范围须在 0 到 50 公里之间，最多一位小数，例如 2.5。",
                "The radius must be from 0 to 50 km, with at most one decimal, like 2.5.",
            ),
            FeeFormat => (
                "配送费请写成 0 到 1000 元，最多两位小数，例如 6 或 5.50。",
                "Write the fee in yuan from 0 to 1000, with at most two decimals, like 6 or 5.50.",
            ),
            FreeFromFormat => (
                "免配送费金额请写成 0 到 100000 元，最多两位小数，例如 59。",
                "Write the amount in yuan from 0 to 100000, with at most two decimals, like 59.",
            ),
            LeadRange => (
                "备货时间须是 0 到 1440 之间的整数（分钟）。",
                "The preparation time must be a whole number of minutes from 0 to 1440.",
            ),
            ChangedMeanwhile => (
                "刚才有人同时修改了设置，请刷新页面后再试。",
                "Someone changed this at the same moment. Please reload the page and try again.",
            ),
            WindowsTitle => ("今明两天的配送时段", "Delivery windows today and tomorrow"),
            WindowsHint => (
                "上限不能低于已约单数。",
                "A window's capacity can't go below what is already booked.",
            ),
            Window => ("时段", "Window"),
            Booked => ("已约", "Booked"),
            Capacity => ("上限", "Capacity"),
            SetCapacity => ("修改", "Set"),
            NoWindows => (
                "今明两天没有配送时段。",
                "No delivery windows today or tomorrow.",
            ),
            CapacitySaved => ("时段上限已修改。", "The window's capacity is changed."),
            BelowBooked => (
                "这个时段已约的单数比新上限多，上限不能低于已约单数。",
                "More orders are already booked in this window: its capacity can't go below its bookings.",
            ),
            NoSuchWindow => (
                "没有这个配送时段（可能已经过去了）。",
                "There is no such delivery window (it may have passed).",
            ),
            SpecialTitle => ("特殊营业日", "Special days"),
            SpecialHint => (
                "节假日营业时间或闭店日。顾客看到的营业状态、自提时间和配送时段都会照此调整。",
                "Holiday hours or closed days. What shoppers see as open now, pick-up times and delivery windows follow them.",
            ),
            SpecialDate => ("日期", "Date"),
            SpecialHours => ("营业时间", "Hours"),
            SpecialHoursHint => (
                "例如 10:00-18:00；留空表示全天闭店。",
                "Like 10:00-18:00; leave it empty for closed all day.",
            ),
            SpecialAdd => ("保存特殊营业日", "Save special day"),
            SpecialSaved => ("特殊营业日已保存。", "Special day saved."),
            SpecialRemove => ("删除", "Remove"),
            SpecialRemoved => ("特殊营业日已删除。", "Special day removed."),
            NoSpecialDays => ("没有安排特殊营业日。", "No special days planned."),
            NoSuchSpecialDay => (
                "那天没有特殊营业日。",
                "There is no special day on that date.",
            ),
            TooManySpecialDays => (
                "最多安排 60 个特殊营业日，请先删除一些。",
                "A store can plan at most 60 special days. Remove some first.",
            ),
            DeliveryPausedNow => (
                "门店暂停了配送，请选择到店自提，或稍后再下单。",
                "The store has paused deliveries for now. Please choose pick-up, or order later.",
            ),
            AllPausedNow => (
                "门店暂时不接新订单，请稍后再试。",
                "The store isn't taking new orders right now. Please try again later.",
            ),
            StoreSpecialDays => ("特殊营业安排", "Special opening days"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// The refusal of an order placed while `scope` is paused.
pub fn paused_refusal(scope: PauseScope) -> SettingsText {
    match scope {
        PauseScope::Delivery => SettingsText::DeliveryPausedNow,
        PauseScope::All => SettingsText::AllPausedNow,
    }
}

/// What shoppers and staff are told of a pause: `until` is the store's local time
/// (`18:30`, or `明天 01:00` / `tomorrow 01:00`).
pub fn paused_until(lang: Lang, scope: PauseScope, until: &str) -> String {
    match (lang, scope) {
        (Lang::ZhCn, PauseScope::Delivery) => format!("配送暂停至 {until}，到店自提照常。"),
        (Lang::En, PauseScope::Delivery) => {
            format!("Deliveries are paused until {until} — pick-up is still open.")
        }
        (Lang::ZhCn, PauseScope::All) => format!("暂停接单至 {until}。"),
        (Lang::En, PauseScope::All) => format!("New orders are paused until {until}."),
    }
}

/// A pause's length as offered: `15 分钟`, `1 小时` / `15 minutes`, `1 hour`.
pub fn pause_length(lang: Lang, minutes: i64) -> String {
    match (lang, minutes % 60 == 0, minutes / 60) {
        (Lang::ZhCn, true, h) => format!("{h} 小时"),
        (Lang::ZhCn, false, _) => format!("{minutes} 分钟"),
        (Lang::En, true, 1) => "1 hour".to_owned(),
        (Lang::En, true, h) => format!("{h} hours"),
        (Lang::En, false, _) => format!("{minutes} minutes"),
    }
}

/// `免配送费：满 ¥59.00` / `Free delivery from ¥59.00`.
pub fn free_from(lang: Lang, amount: &str) -> String {
    match lang {
        Lang::ZhCn => format!("满 {amount} 免配送费"),
        Lang::En => format!("Free delivery from {amount}"),
    }
}

/// The label of one window's capacity field: `今天 18:00–19:00 上限`.
pub fn capacity_of(lang: Lang, window: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{window} 上限"),
        Lang::En => format!("Capacity of {window}"),
    }
}

/// The label of a special day's remove button: `删除 12月25日`.
pub fn remove_day(lang: Lang, day: &str) -> String {
    match lang {
        Lang::ZhCn => format!("删除 {day}"),
        Lang::En => format!("Remove {day}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatted_texts_are_in_their_language() {
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for scope in [PauseScope::Delivery, PauseScope::All] {
            assert!(han(&paused_until(Lang::ZhCn, scope, "18:30")));
            assert!(!han(&paused_until(Lang::En, scope, "18:30")));
            assert!(paused_until(Lang::En, scope, "18:30").contains("18:30"));
            assert_ne!(
                paused_refusal(scope).t(Lang::En),
                paused_refusal(scope).t(Lang::ZhCn)
            );
        }
        assert_eq!(pause_length(Lang::En, 60), "1 hour");
        assert_eq!(pause_length(Lang::En, 120), "2 hours");
        assert_eq!(pause_length(Lang::En, 15), "15 minutes");
        assert_eq!(pause_length(Lang::ZhCn, 30), "30 分钟");
        assert!(free_from(Lang::En, "¥59.00").contains("¥59.00"));
    }
}
