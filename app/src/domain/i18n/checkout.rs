//! Texts of checkout, orders and the till, in zh-CN and English.

use crate::domain::lang::Lang;
use crate::domain::order::{FieldError, Mode, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum CheckoutText {
    Title,
    YourItems,
    HowToGet,
    Delivery,
    Pickup,
    DeliveryTo,
    Area,
    MyLocation,
    Address,
    AddressHint,
    Window,
    WindowFull,
    WindowPast,
    PickupTime,
    Contact,
    Name,
    Phone,
    PhoneHint,
    Subtotal,
    DeliveryFee,
    Free,
    Total,
    PlaceOrder,
    EmptyForStore,
    ChooseWindow,
    ChoosePickup,
    ChooseArea,
    WindowFullNow,
    NoSuchWindow,
    KeyReused,
    FormExpired,
    AreaPlaceholder,
    AreasDelivered,
    AreasBeyond,
    FixErrors,
    OrderTitle,
    OrderStatus,
    PickupCode,
    PickupCodeHint,
    Cancel,
    Cancelled,
    TooLateToCancel,
    DeliversAt,
    PickupAt,
    OrderPlaced,
    NoDeliveryHere,
    TillTitle,
    TillCode,
    TillCheck,
    TillCodeRefused,
    TillOpenOrders,
    TillAdvance,
    TillNoOrders,
    Orders,
    Guide,
    AlreadyCancelled,
    CouponGone,
    Discount,
    UseCoupon,
    OrderMoved,
}

impl CheckoutText {
    pub fn t(self, lang: Lang) -> &'static str {
        use CheckoutText::*;
        let (zh, en) = match self {
            Title => ("结算", "Checkout"),
            YourItems => ("商品", "Items"),
            HowToGet => ("收货方式", "How to get it"),
            Delivery => ("定时送", "Timed delivery"),
            Pickup => ("门店自提", "Store pick-up"),
            DeliveryTo => ("送到哪里", "Deliver to"),
            Area => ("区域", "Area"),
            MyLocation => ("我的位置", "My location"),
            Address => ("详细地址", "Street address"),
            AddressHint => ("街道、门牌、楼层", "Street, number, floor"),
            Window => ("送达时间段", "Delivery window"),
            WindowFull => ("已约满", "full"),
            WindowPast => ("已截单", "closed for orders"),
            PickupTime => ("取货时间", "Pick-up time"),
            Contact => ("联系人", "Contact"),
            Name => ("姓名", "Name"),
            Phone => ("手机号", "Mobile number"),
            PhoneHint => ("11 位手机号", "11-digit mainland mobile"),
            Subtotal => ("商品小计", "Items"),
            DeliveryFee => ("配送费", "Delivery fee"),
            Free => ("免运费", "free"),
            Total => ("合计", "Total"),
            PlaceOrder => ("提交订单", "Place order"),
            EmptyForStore => (
                "购物袋里没有这家门店的商品。",
                "Your bag has nothing from this store.",
            ),
            ChooseWindow => ("请选择送达时间段。", "Choose a delivery window."),
            ChoosePickup => ("请选择取货时间。", "Choose a pick-up time."),
            ChooseArea => ("请选择送货区域。", "Choose the area to deliver to."),
            WindowFullNow => (
                "这个时间段刚刚约满了，请换一个。",
                "That window has just filled up. Please choose another.",
            ),
            NoSuchWindow => (
                "这个时间段不可选，请重新选择。",
                "That window can't be chosen. Please choose again.",
            ),
            AreaPlaceholder => ("请选择区域", "Choose an area"),
            AreasDelivered => ("本店配送区域", "Areas this store delivers to"),
            AreasBeyond => ("超出本店配送范围", "Beyond this store's delivery area"),
            FormExpired => (
                "这张表单已过期，请核对后重新提交。",
                "This form has expired. Check your order and send it again.",
            ),
            KeyReused => (
                "这张订单表单已经提交过其他内容，请刷新后重试。",
                "This form was already used for a different order. Reload the page and try again.",
            ),
            FixErrors => (
                "请修改下面标出的内容。",
                "Please fix the fields marked below.",
            ),
            OrderTitle => ("订单", "Order"),
            OrderStatus => ("订单状态", "Order status"),
            PickupCode => ("取货码", "Pick-up code"),
            PickupCodeHint => (
                "到店后向店员出示上面的二维码，或报出这串数字。",
                "Show the QR code above at the counter, or read out its digits.",
            ),
            Cancel => ("取消订单", "Cancel order"),
            Cancelled => (
                "订单已取消，库存和时间段已释放。",
                "Order cancelled; the items and the window are released.",
            ),
            TooLateToCancel => (
                "门店已开始备货，订单不能取消了。",
                "The store has started preparing the order; it can no longer be cancelled.",
            ),
            DeliversAt => ("送达时间", "Delivery"),
            PickupAt => ("取货时间", "Pick-up"),
            OrderPlaced => ("下单成功！", "Order placed!"),
            NoDeliveryHere => (
                "这个地址不在配送范围内。",
                "That address is outside the delivery area.",
            ),
            TillTitle => ("收银台", "Till"),
            TillCode => ("取货码", "Pick-up code"),
            TillCheck => ("核销", "Check and hand over"),
            TillCodeRefused => (
                "取货码无效，或已经核销过了。",
                "That pick-up code is not valid, or was already used.",
            ),
            TillOpenOrders => ("待处理订单", "Open orders"),
            TillAdvance => ("下一步", "Next step"),
            TillNoOrders => ("没有待处理的订单。", "No open orders."),
            Orders => ("我的订单", "My orders"),
            Guide => ("导购", "Guide"),
            AlreadyCancelled => ("这个订单已经取消了。", "This order is already cancelled."),
            CouponGone => (
                "这张优惠券不能用了（已使用、已过期或未达门槛）。",
                "That coupon can't be used (used, expired, or the order is below its minimum).",
            ),
            Discount => ("优惠", "Discount"),
            UseCoupon => ("使用优惠券", "Use a coupon"),
            OrderMoved => (
                "这个订单的状态已经变了，请看最新的列表。",
                "This order has moved on already; see the list as it is now.",
            ),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

pub fn mode(lang: Lang, mode: Mode) -> &'static str {
    match mode {
        Mode::Delivery => CheckoutText::Delivery.t(lang),
        Mode::Pickup => CheckoutText::Pickup.t(lang),
    }
}

pub fn status(lang: Lang, status: Status) -> &'static str {
    let (zh, en) = match status {
        Status::Placed => ("已下单", "Placed"),
        Status::Preparing => ("备货中", "Being prepared"),
        Status::Ready => ("可取货", "Ready for pick-up"),
        Status::OutForDelivery => ("配送中", "Out for delivery"),
        Status::Completed => ("已完成", "Completed"),
        Status::Cancelled => ("已取消", "Cancelled"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// A field's problem, said for that field.
pub fn field_error(lang: Lang, field: super::text::ContactField, error: FieldError) -> String {
    use super::text::ContactField;
    let name = match field {
        ContactField::Name => CheckoutText::Name.t(lang),
        ContactField::Phone => CheckoutText::Phone.t(lang),
        ContactField::Address => CheckoutText::Address.t(lang),
    };
    match (lang, error) {
        (Lang::ZhCn, FieldError::Missing) => format!("请填写{name}。"),
        (Lang::En, FieldError::Missing) => format!("Enter your {}.", name.to_lowercase()),
        (Lang::ZhCn, FieldError::TooLong) => format!("{name}太长了。"),
        (Lang::En, FieldError::TooLong) => format!("That {} is too long.", name.to_lowercase()),
        (Lang::ZhCn, FieldError::BadPhone) => {
            "请填写 11 位大陆手机号，例如 138 0013 8000。".to_owned()
        }
        (Lang::En, FieldError::BadPhone) => {
            "Enter an 11-digit mainland mobile number, e.g. 138 0013 8000.".to_owned()
        }
    }
}

/// Outside the radius: how far, and the nearest store that delivers there.
pub fn outside_radius(lang: Lang, radius_km: f64, nearest: Option<&str>) -> String {
    match (lang, nearest) {
        (Lang::ZhCn, Some(s)) => {
            format!("这个地址超出本店 {radius_km:.1} 公里的配送范围。{s} 可以送到那里。")
        }
        (Lang::ZhCn, None) => format!("这个地址超出本店 {radius_km:.1} 公里的配送范围。"),
        (Lang::En, Some(s)) => format!(
            "That address is beyond this store's {radius_km:.1} km delivery area. {s} delivers there."
        ),
        (Lang::En, None) => {
            format!("That address is beyond this store's {radius_km:.1} km delivery area.")
        }
    }
}

/// When the store is closed: when orders start moving.
pub fn closed_note(lang: Lang, first_window: &str, first_pickup: &str) -> String {
    match lang {
        Lang::ZhCn => {
            format!("门店休息中，照常接单：最早 {first_window} 送达，或 {first_pickup} 起可取货。")
        }
        Lang::En => format!(
            "The store is closed, but takes orders: the earliest delivery is {first_window}, or pick up from {first_pickup}."
        ),
    }
}

pub fn earliest_pickup(lang: Lang, when: &str) -> String {
    match lang {
        Lang::ZhCn => format!("最早 {when} 可取货"),
        Lang::En => format!("Ready from {when}"),
    }
}

pub fn out_of_stock(lang: Lang, name: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{name} 库存不足，请在购物袋里减少数量。"),
        Lang::En => format!("Not enough {name} left: lower the quantity in your bag."),
    }
}

pub fn collected(lang: Lang, order: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已核销：订单 {order} 已取货。"),
        Lang::En => format!("Checked: order {order} handed over."),
    }
}

pub fn advanced(lang: Lang, order: &str, to: Status) -> String {
    match lang {
        Lang::ZhCn => format!("订单 {order}：{}", status(lang, to)),
        Lang::En => format!("Order {order}: {}", status(lang, to)),
    }
}

/// `今天` / `明天` / `周三 11月25日`; `today` / `tomorrow` / `Wed 25 Nov`.
pub fn day_label(lang: Lang, days_ahead: i64, weekday: usize, month: u32, day: u32) -> String {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match (lang, days_ahead) {
        (Lang::ZhCn, 0) => "今天".to_owned(),
        (Lang::ZhCn, 1) => "明天".to_owned(),
        (Lang::En, 0) => "today".to_owned(),
        (Lang::En, 1) => "tomorrow".to_owned(),
        (Lang::ZhCn, _) => format!("{} {month}月{day}日", ZH[weekday % 7]),
        (Lang::En, _) => format!(
            "{} {day} {}",
            EN[weekday % 7],
            MONTHS[(month as usize + 11) % 12]
        ),
    }
}
