//! Texts of in-store services by appointment (预约到店): a store's services page, the
//! member's bookings, the till's verification (核销) and the console's services page.

use crate::domain::appointments::{BookingStatus, CodeProblem};
use crate::domain::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum AppointmentText {
    ServicesTitle,
    ServicesIntro,
    StoreLink,
    NoServices,
    ChooseTime,
    Book,
    NoSlots,
    Full,
    SignInToBook,
    MyBookings,
    MyBookingsLink,
    NoBookings,
    BookingCode,
    BookingCodeHint,
    NewTime,
    Move,
    Cancel,
    StatusBooked,
    StatusCancelled,
    StatusDone,
    StatusNoShow,
    Cancelled,
    SlotFull,
    AlreadyBooked,
    ServiceUnavailable,
    NotASlot,
    SameSlot,
    NotChangeable,
    TillVerifyTitle,
    TillVerifyCode,
    TillVerifyHint,
    TillVerify,
    CodeUnknown,
    CodeUsed,
    CodeCancelled,
    CodeMissed,
    CodeEmpty,
    CodeNotDigits,
    CodeLength,
    ConsoleTitle,
    ConsoleServices,
    Service,
    Duration,
    Capacity,
    CapacityHint,
    Active,
    Save,
    ServiceSaved,
    NothingChanged,
    CapacityRange,
    ActiveBad,
    TodayBookings,
    NoBookingsToday,
    Time,
    Member,
    Status,
}

impl AppointmentText {
    pub fn t(self, lang: Lang) -> &'static str {
        use AppointmentText::*;
        let (zh, en) = match self {
            ServicesTitle => ("到店服务预约", "In-store services"),
            ServicesIntro => (
                "预约试衣间、试妆、肤质检测等到店服务；到店后出示预约码即可。",
                "Book a fitting room, a makeup trial or a skin test, then show your booking code when you arrive.",
            ),
            StoreLink => ("预约到店服务", "Book an in-store service"),
            NoServices => (
                "这家门店暂未开放预约服务。",
                "This store has no services to book right now.",
            ),
            ChooseTime => ("选择时间", "Choose a time"),
            Book => ("预约", "Book"),
            NoSlots => (
                "未来 7 天没有可预约的时间了。",
                "No times left to book in the next 7 days.",
            ),
            Full => ("已约满", "full"),
            SignInToBook => ("登录会员后即可预约。", "Sign in as a member to book."),
            MyBookings => ("我的预约", "My bookings"),
            MyBookingsLink => ("查看我的预约", "See my bookings"),
            NoBookings => ("还没有预约。", "You have no bookings yet."),
            BookingCode => ("预约码", "Booking code"),
            BookingCodeHint => (
                "到店后向店员出示二维码，或报出上面的数字。每个预约码只能核销一次。",
                "Show the QR code at the till, or read out the digits. A booking code works once.",
            ),
            NewTime => ("新的时间", "New time"),
            Move => ("改约", "Move"),
            Cancel => ("取消预约", "Cancel booking"),
            StatusBooked => ("已预约", "Booked"),
            StatusCancelled => ("已取消", "Cancelled"),
            StatusDone => ("已核销", "Verified"),
            StatusNoShow => ("未到店", "Missed"),
            Cancelled => ("预约已取消。", "Your booking is cancelled."),
            SlotFull => (
                "这个时间已经约满了，请选择其他时间。",
                "That time is full. Please choose another.",
            ),
            AlreadyBooked => (
                "你已经预约了这个时间。",
                "You already have this time booked.",
            ),
            ServiceUnavailable => (
                "这项服务暂停预约。",
                "This service isn't taking bookings right now.",
            ),
            NotASlot => (
                "请从列表中选择一个可以预约的时间。",
                "Choose a time from the list.",
            ),
            SameSlot => (
                "新的时间和原来的一样。",
                "That is the time you already have.",
            ),
            NotChangeable => (
                "这个预约已开始、已结束或已取消，不能再改约或取消。",
                "That booking has started, ended or been cancelled: it can no longer be moved or cancelled.",
            ),
            TillVerifyTitle => ("核销预约", "Verify a booking"),
            TillVerifyCode => ("预约码", "Booking code"),
            TillVerifyHint => (
                "扫描会员出示的二维码，或输入 10 位数字。",
                "Scan the member's QR code, or type its 10 digits.",
            ),
            TillVerify => ("核销预约", "Verify booking"),
            CodeUnknown => (
                "本店没有这个预约码的预约。",
                "No booking at this store has that code.",
            ),
            CodeUsed => (
                "这个预约已经核销过了，不能再次核销。",
                "This booking was already verified. It can't be used again.",
            ),
            CodeCancelled => ("会员已取消这个预约。", "The member cancelled this booking."),
            CodeMissed => (
                "这个预约已过期：会员没有在开始后 15 分钟内到店。",
                "This booking has lapsed: the member didn't arrive within 15 minutes of its start.",
            ),
            CodeEmpty => ("请输入预约码。", "Enter the booking code."),
            CodeNotDigits => ("预约码只由数字组成。", "A booking code has digits only."),
            CodeLength => ("预约码是 10 位数字。", "A booking code is 10 digits."),
            ConsoleTitle => ("到店服务", "In-store services"),
            ConsoleServices => ("服务项目", "Services"),
            Service => ("服务", "Service"),
            Duration => ("时长", "Duration"),
            Capacity => ("每个时段可约人数", "Members per slot"),
            CapacityHint => (
                "调低只影响之后的预约，已有的预约保留。",
                "Lowering it only stops new bookings; existing ones stay.",
            ),
            Active => ("开放预约", "Taking bookings"),
            Save => ("保存", "Save"),
            ServiceSaved => ("服务已更新。", "Service updated."),
            NothingChanged => ("没有改动。", "Nothing changed."),
            CapacityRange => (
                "可约人数须是 0 到 50 之间的整数。",
                "Members per slot must be a whole number from 0 to 50.",
            ),
            ActiveBad => (
                "“开放预约”只能勾选或不勾选。",
                "“Taking bookings” is either ticked or not.",
            ),
            TodayBookings => ("今日预约", "Today's bookings"),
            NoBookingsToday => ("今天还没有预约。", "No bookings today."),
            Time => ("时间", "Time"),
            Member => ("会员", "Member"),
            Status => ("状态", "Status"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

pub fn status(lang: Lang, status: BookingStatus) -> &'static str {
    use AppointmentText as T;
    match status {
        BookingStatus::Booked => T::StatusBooked,
        BookingStatus::Cancelled => T::StatusCancelled,
        BookingStatus::Done => T::StatusDone,
        BookingStatus::NoShow => T::StatusNoShow,
    }
    .t(lang)
}

pub fn code_problem(problem: CodeProblem) -> AppointmentText {
    match problem {
        CodeProblem::Empty => AppointmentText::CodeEmpty,
        CodeProblem::NotDigits => AppointmentText::CodeNotDigits,
        CodeProblem::Length => AppointmentText::CodeLength,
    }
}

/// `30 分钟` / `30 min`.
pub fn duration(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::ZhCn => format!("{minutes} 分钟"),
        Lang::En => format!("{minutes} min"),
    }
}

/// Places left in a slot: `剩 2 位` / `2 left`.
pub fn places_left(lang: Lang, n: i64) -> String {
    match lang {
        Lang::ZhCn => format!("剩 {n} 位"),
        Lang::En => format!("{n} left"),
    }
}

/// The label of a slot's time for screen readers and the select: `明天 10:00（剩 1 位）`.
pub fn slot_option(lang: Lang, time: &str, left: i64) -> String {
    if left <= 0 {
        return match lang {
            Lang::ZhCn => format!("{time}（{}）", AppointmentText::Full.t(lang)),
            Lang::En => format!("{time} ({})", AppointmentText::Full.t(lang)),
        };
    }
    match lang {
        Lang::ZhCn => format!("{time}（{}）", places_left(lang, left)),
        Lang::En => format!("{time} ({})", places_left(lang, left)),
    }
}

pub fn booked(lang: Lang, service: &str, when: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已预约{service}：{when}。预约码在“我的预约”里。"),
        Lang::En => format!("Booked: {service}, {when}. Your booking code is under My bookings."),
    }
}

pub fn moved(lang: Lang, service: &str, when: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{service}已改约到 {when}。"),
        Lang::En => format!("{service} moved to {when}."),
    }
}

pub fn verified(lang: Lang, service: &str, when: &str) -> String {
    match lang {
        Lang::ZhCn => format!("核销成功：{service} · {when}。"),
        Lang::En => format!("Verified: {service} · {when}."),
    }
}

/// A button's accessible name with what it acts on: `取消预约：试衣间 明天 10:00`.
pub fn acting_on(lang: Lang, action: AppointmentText, what: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{}：{what}", action.t(lang)),
        Lang::En => format!("{}: {what}", action.t(lang)),
    }
}

/// A service's capacity field's label for screen readers: `试衣间 每个时段可约人数`.
pub fn of_service(lang: Lang, field: AppointmentText, service: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{service} {}", field.t(lang)),
        Lang::En => format!("{} of {service}", field.t(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_they_are_about_in_both_languages() {
        assert_eq!(
            slot_option(Lang::En, "today 10:00", 2),
            "today 10:00 (2 left)"
        );
        assert_eq!(
            slot_option(Lang::ZhCn, "今天 10:00", 0),
            "今天 10:00（已约满）"
        );
        assert!(verified(Lang::ZhCn, "试衣间", "今天 10:00").contains("试衣间"));
        assert!(booked(Lang::En, "Skin test", "today 10:00").contains("Skin test"));
        for s in BookingStatus::ALL {
            assert_ne!(status(Lang::ZhCn, s), status(Lang::En, s));
        }
        assert_eq!(
            code_problem(CodeProblem::Length),
            AppointmentText::CodeLength
        );
    }
}
