//! Texts of paying and refunds (the order page, the till, the console), in zh-CN and
//! English.

use crate::domain::lang::Lang;
use crate::domain::payment::{PaidMethod, Payment, RefundReason, RefundState};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum PaymentText {
    PaymentHeading,
    PayNow,
    PayWithin,
    HoldEnded,
    Confirming,
    ConfirmingHint,
    PaidOnline,
    PaidAt,
    PaidBy,
    PayAtStoreChoice,
    PayOnlineChoice,
    HowToPay,
    PayAtStoreNote,
    Refunds,
    RefundLateNote,
    NotPaidYet,
    AwaitingPaymentNote,
    UnpaidOrder,
    TillNeedsPayment,
    TillUnpaid,
    TillPaidWith,
    PaymentUnavailable,
    PayAtStoreSetting,
    PayAtStoreSettingHint,
    ShortLine,
    ShortQuantity,
    ShortSaved,
    ShortTooMany,
    Receipt,
    Declined,
    CheckAgain,
    PayChoiceHint,
    TillPaidWithHint,
    HoldEnds,
    ShopperCancelled,
    MarkShort,
}

impl PaymentText {
    pub fn t(self, lang: Lang) -> &'static str {
        use PaymentText::*;
        let (zh, en) = match self {
            PaymentHeading => ("支付", "Payment"),
            PayNow => ("去支付", "Pay now"),
            PayWithin => ("请在此时间前支付", "Pay by"),
            HoldEnded => (
                "支付时间已过，订单已取消，商品和时间段已释放。",
                "The time to pay ran out: the order is cancelled and its items and window released.",
            ),
            Confirming => ("正在确认支付结果…", "Confirming your payment…"),
            ConfirmingHint => (
                "支付宝确认后这里会显示结果，无需重复支付。",
                "Once Alipay confirms, this page shows it; there is no need to pay again.",
            ),
            PaidOnline => ("已在线支付", "Paid online"),
            PaidAt => ("支付时间", "Paid at"),
            PaidBy => ("支付方式", "Paid by"),
            PayAtStoreChoice => ("到店付款", "Pay at the store"),
            PayOnlineChoice => ("在线支付（支付宝）", "Pay online (Alipay)"),
            HowToPay => ("付款方式", "How to pay"),
            PayAtStoreNote => (
                "取货时在收银台付款（现金或刷卡），也可以现在在线支付。",
                "Pay at the till when you collect (cash or card), or pay online now.",
            ),
            Refunds => ("退款", "Refunds"),
            RefundLateNote => (
                "您的付款在订单取消后才到达，已原路退回。",
                "Your payment arrived after the order was cancelled; it is being sent back to you.",
            ),
            NotPaidYet => ("待支付", "Awaiting payment"),
            AwaitingPaymentNote => (
                "付款后门店才开始备货。",
                "The store starts on your order once it is paid.",
            ),
            UnpaidOrder => (
                "这个订单还在等待付款，付款后才能处理。",
                "This order is waiting for its payment; it can be worked on once paid.",
            ),
            TillNeedsPayment => (
                "这是到店付款的订单：请先选择顾客的付款方式。",
                "This order is paid at the store: choose how the shopper paid first.",
            ),
            TillUnpaid => (
                "这个订单还没有付款，不能交付。",
                "This order is not paid yet and cannot be handed over.",
            ),
            TillPaidWith => ("顾客付款方式", "Shopper paid with"),
            PaymentUnavailable => (
                "支付服务暂时不可用，请稍后再试。",
                "Payment is unavailable just now. Please try again in a moment.",
            ),
            PayAtStoreSetting => (
                "允许到店付款（仅自提）",
                "Allow paying at the store (pick-up only)",
            ),
            PayAtStoreSettingHint => (
                "开启后，自提订单可以在取货时于收银台付款。",
                "When on, pick-up orders may be paid at the till on collection.",
            ),
            ShortLine => ("缺货", "Short"),
            ShortQuantity => ("缺货数量", "Units short"),
            ShortSaved => (
                "已登记缺货，差额将退回给顾客。",
                "Marked short; the difference goes back to the shopper.",
            ),
            ShortTooMany => (
                "缺货数量不能超过订购数量。",
                "Units short cannot be more than were ordered.",
            ),
            Receipt => ("收据", "Receipt"),
            CheckAgain => ("查看支付结果", "Check the payment again"),
            Declined => (
                "支付未完成。您可以再次支付。",
                "The payment was not completed. You can pay again.",
            ),
            PayChoiceHint => (
                "仅适用于自提订单；外送订单均在线支付。",
                "Applies to pick-up only; deliveries are paid online.",
            ),
            TillPaidWithHint => (
                "仅到店付款的订单需要选择；已在线支付的订单无需选择。",
                "Only for orders paid at the store; an order paid online needs none.",
            ),
            HoldEnds => ("保留至", "Held until"),
            ShopperCancelled => ("顾客取消了订单", "The shopper cancelled"),
            MarkShort => ("登记缺货", "Mark short"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

pub fn payment(lang: Lang, payment: Payment) -> &'static str {
    let (zh, en) = match payment {
        Payment::None => ("无需在线支付", "Not paid through the app"),
        Payment::Awaiting => ("待支付", "Awaiting payment"),
        Payment::Paid => ("已支付", "Paid"),
        Payment::AtStore => ("到店付款", "Pay at the store"),
        Payment::Expired => ("支付超时", "Time to pay ran out"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

pub fn method(lang: Lang, method: PaidMethod) -> &'static str {
    let (zh, en) = match method {
        PaidMethod::Online => ("支付宝", "Alipay"),
        PaidMethod::Cash => ("现金", "Cash"),
        PaidMethod::Card => ("银行卡", "Card"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

pub fn refund_reason(lang: Lang, reason: RefundReason) -> &'static str {
    let (zh, en) = match reason {
        RefundReason::ShopperCancel => ("您取消了订单", "You cancelled the order"),
        RefundReason::StoreCancel => ("门店取消了订单", "The store cancelled the order"),
        RefundReason::Short => ("部分商品缺货", "Some items were short"),
        RefundReason::LatePayment => ("付款晚于订单取消", "Payment arrived after cancellation"),
        RefundReason::Duplicate => ("重复付款", "Paid twice"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

pub fn refund_state(lang: Lang, state: RefundState) -> &'static str {
    let (zh, en) = match state {
        RefundState::Pending => ("退款处理中", "Refund pending"),
        RefundState::Refunded => ("已退款", "Refunded"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// Said under the checkout's total while the app takes payment: the shopper pays online
/// on the next page, and the items are held for `minutes`.
pub fn pay_online_note(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::ZhCn => format!("下单后在下一页用支付宝在线付款；商品为您保留 {minutes} 分钟。"),
        Lang::En => format!(
            "You'll pay online with Alipay on the next page; your items are held for {minutes} minutes."
        ),
    }
}
