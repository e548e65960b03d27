//! Texts of the bag, price drops, kiosk screens and the hand-off, in zh-CN and English.

use crate::domain::lang::Lang;
use crate::domain::money::Money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum BagText {
    Bag,
    BagTitle,
    BagEmpty,
    AddToBag,
    Add,
    Remove,
    Update,
    Quantity,
    Subtotal,
    Checkout,
    SeenInStore,
    ContinueShopping,
    NotSold,
    TooMany,
    BadQuantity,
    Notices,
    NotInBag,
    ShortOfStock,
    KioskTouchToStart,
    KioskBrowse,
    KioskKeep,
    KioskNotOnShelf,
    KioskBag,
    KioskTakeBag,
    KioskTakeHint,
    KioskStillHere,
    KioskStartOver,
    KioskFeatured,
    KioskBackToAll,
    TakeTitle,
    TakeButton,
    TakeExpired,
    TakeUsed,
    TakeForged,
    TakeEmpty,
    KioskFewer,
    KioskMore,
    TakeUsedTitle,
    TakeUsedHint,
    TakeExpiredTitle,
    TakeExpiredHint,
    TakeEmptyTitle,
}

impl BagText {
    pub fn t(self, lang: Lang) -> &'static str {
        use BagText::*;
        let (zh, en) = match self {
            Bag => ("购物袋", "Bag"),
            BagTitle => ("我的购物袋", "Your bag"),
            BagEmpty => ("购物袋还是空的。", "Your bag is empty."),
            AddToBag => ("加入购物袋", "Add to bag"),
            Add => ("加入", "Add"),
            Remove => ("移除", "Remove"),
            Update => ("更新", "Update"),
            Quantity => ("数量", "Quantity"),
            Subtotal => ("小计", "Subtotal"),
            Checkout => ("去结算", "Check out"),
            SeenInStore => ("店内看过", "Seen in store"),
            ContinueShopping => ("继续逛逛", "Continue shopping"),
            NotSold => (
                "这家门店没有这件商品。",
                "This store doesn't sell that product.",
            ),
            TooMany => (
                "每件商品最多买 99 件。",
                "You can buy at most 99 of one product.",
            ),
            BadQuantity => (
                "数量请填写 1 到 99 之间的整数。",
                "Enter a quantity from 1 to 99.",
            ),
            Notices => ("消息", "Notices"),
            NotInBag => ("这件商品不在购物袋里。", "That item isn't in your bag."),
            ShortOfStock => (
                "库存不足，请减少数量。",
                "Not enough in stock: lower the quantity.",
            ),
            KioskTouchToStart => ("轻触屏幕，开始逛", "Touch the screen to start"),
            KioskBrowse => ("浏览全部商品", "Browse everything"),
            KioskKeep => ("放入购物袋", "Keep in my bag"),
            KioskNotOnShelf => (
                "本店货架上没有，可到附近门店购买或送货到家。",
                "Not on this store's shelves: buy it from a nearby store or have it delivered.",
            ),
            KioskBag => ("这块屏幕上的购物袋", "The bag on this screen"),
            KioskTakeBag => (
                "用手机扫码，带走购物袋",
                "Scan with your phone to take your bag",
            ),
            KioskTakeHint => (
                "扫码后，商品会移到你手机的购物袋里，这块屏幕随即清空。二维码几分钟内有效，只能使用一次。",
                "Scanning moves these items into your phone's bag and clears this screen. The code works once, for a few minutes.",
            ),
            KioskStillHere => ("我还在", "I'm still here"),
            KioskStartOver => ("清空，重新开始", "Clear and start over"),
            KioskFeatured => ("本店推荐", "Featured in this store"),
            KioskBackToAll => ("返回全部商品", "Back to all products"),
            TakeTitle => ("带走屏幕上的购物袋", "Take the bag from the screen"),
            TakeButton => ("移到我的购物袋", "Move into my bag"),
            TakeExpired => (
                "这个二维码已过期，请在屏幕上重新打开购物袋。",
                "This code has expired. Open the bag on the screen again for a new one.",
            ),
            TakeUsed => ("这个二维码已经用过了。", "This code has already been used."),
            TakeForged => ("这个二维码无效。", "This code isn't valid."),
            TakeEmpty => ("屏幕上的购物袋是空的。", "The bag on the screen is empty."),
            KioskFewer => ("减少一件", "One fewer"),
            KioskMore => ("再加一件", "One more"),
            TakeUsedTitle => ("这个购物袋已经被带走了", "This bag was already taken"),
            TakeUsedHint => (
                "屏幕上的商品已经移到了先扫码的那部手机里，这个二维码不能再用。",
                "Its items went to the phone that scanned the code first; the code can't be used again.",
            ),
            TakeExpiredTitle => ("这个二维码已过期", "This code has expired"),
            TakeExpiredHint => ("请扫描屏幕上的新二维码。", "Scan the screen's new code."),
            TakeEmptyTitle => ("屏幕上没有可带走的商品", "Nothing to take from the screen"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// The bag link's accessible name: `购物袋，3 件` / `Bag, 3 items`.
pub fn bag_label(lang: Lang, count: u32) -> String {
    match (lang, count) {
        (Lang::ZhCn, n) => format!("购物袋，{n} 件"),
        (Lang::En, 1) => "Bag, 1 item".to_owned(),
        (Lang::En, n) => format!("Bag, {n} items"),
    }
}

/// A tile's add button's accessible name: `加入购物袋：苹果` / `Add to bag: Apples`.
pub fn add_label(lang: Lang, name: &str) -> String {
    action_on(lang, BagText::AddToBag, name)
}

/// A button's accessible name with the product it acts on: `移除：苹果` / `Remove: Apples`.
pub fn action_on(lang: Lang, action: BagText, name: &str) -> String {
    labelled(lang, action.t(lang), name)
}

/// `{words}：{name}` / `{words}: {name}`.
pub fn labelled(lang: Lang, words: &str, name: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{words}：{name}"),
        Lang::En => format!("{words}: {name}"),
    }
}

/// `已加入购物袋：苹果 × 2` / `Added to your bag: Apples × 2`.
pub fn added(lang: Lang, name: &str, quantity: u32) -> String {
    match lang {
        Lang::ZhCn => format!("已加入购物袋：{name} × {quantity}"),
        Lang::En => format!("Added to your bag: {name} × {quantity}"),
    }
}

/// After a quantity change or removal.
pub fn updated(lang: Lang, name: &str, quantity: u32) -> String {
    match (lang, quantity) {
        (Lang::ZhCn, 0) => format!("已从购物袋移除：{name}"),
        (Lang::En, 0) => format!("Removed from your bag: {name}"),
        (Lang::ZhCn, n) => format!("{name} 的数量已改为 {n}"),
        (Lang::En, n) => format!("{name}: quantity now {n}"),
    }
}

/// Refused for stock: says what the store has and what the bag holds.
pub fn stock_refusal(lang: Lang, units: u32, in_bag: u32) -> String {
    match (lang, units, in_bag) {
        (Lang::ZhCn, 0, _) => "这家门店已经卖完了。".to_owned(),
        (Lang::En, 0, _) => "This store has sold out.".to_owned(),
        (Lang::ZhCn, u, 0) => format!("库存只剩 {u} 件。"),
        (Lang::En, u, 0) => format!("Only {u} left in stock."),
        (Lang::ZhCn, u, b) => format!("库存只剩 {u} 件，购物袋里已有 {b} 件。"),
        (Lang::En, u, b) => format!("Only {u} left in stock, and {b} are already in your bag."),
    }
}

/// The badge on a cheaper line: `降价 ¥3.00` / `Price down ¥3.00`.
pub fn price_down(lang: Lang, by: Money) -> String {
    match lang {
        Lang::ZhCn => format!("降价 {by}"),
        Lang::En => format!("Price down {by}"),
    }
}

/// The notice on the next visit.
pub fn drop_notice(lang: Lang, name: &str, store: &str, was: Money, now: Money) -> String {
    match lang {
        Lang::ZhCn => format!("好消息：购物袋里的{name}（{store}）从 {was} 降到了 {now}。"),
        Lang::En => format!("Good news: {name} in your bag ({store}) is down from {was} to {now}."),
    }
}

/// Who the visit is credited to: `导购小王（静安寺店）为你服务`.
pub fn guide_credit(lang: Lang, guide: &str, store: &str) -> String {
    match lang {
        Lang::ZhCn => format!("导购{guide}（{store}）为你服务"),
        Lang::En => format!("Your guide: {guide} ({store})"),
    }
}

/// The title of a guide's page and the label of their QR code.
pub fn guide_link_label(lang: Lang, guide: &str) -> String {
    match lang {
        Lang::ZhCn => format!("导购{guide}的专属链接"),
        Lang::En => format!("{guide}'s guide link"),
    }
}

/// The idle warning on a kiosk: `{n} 秒后将清空屏幕` / `This screen resets in {n} s`.
pub fn idle_warning(lang: Lang, seconds: u32) -> String {
    match lang {
        Lang::ZhCn => format!("没有操作，{seconds} 秒后将清空屏幕。"),
        Lang::En => format!("No one's touched the screen: it resets in {seconds} s."),
    }
}

/// The way on from a used or expired hand-off code: `去静安寺店的云店逛逛`.
pub fn visit_store(lang: Lang, store: &str) -> String {
    match lang {
        Lang::ZhCn => format!("去{store}的云店逛逛"),
        Lang::En => format!("Shop at {store} online"),
    }
}

/// A kiosk bag line's quantity: `× 2`.
pub fn line_quantity(lang: Lang, quantity: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{quantity} 件"),
        Lang::En => format!("{quantity} in the bag"),
    }
}

/// The phone's prompt before taking a kiosk's bag.
pub fn take_prompt(lang: Lang, count: u32, store: &str) -> String {
    match lang {
        Lang::ZhCn => format!("把{store}屏幕上的 {count} 件商品移到你的购物袋？"),
        Lang::En => format!("Move {count} item(s) from the screen at {store} into your bag?"),
    }
}

pub fn taken(lang: Lang, count: u32) -> String {
    match lang {
        Lang::ZhCn => format!("已把屏幕上的 {count} 件商品移到你的购物袋。"),
        Lang::En => format!("Moved {count} item(s) from the screen into your bag."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_refusals_read_naturally() {
        assert_eq!(bag_label(Lang::En, 1), "Bag, 1 item");
        assert_eq!(bag_label(Lang::ZhCn, 3), "购物袋，3 件");
        assert_eq!(stock_refusal(Lang::En, 2, 0), "Only 2 left in stock.");
        assert!(stock_refusal(Lang::ZhCn, 5, 5).contains("已有 5 件"));
        assert_eq!(price_down(Lang::ZhCn, Money::cny(300)), "降价 ¥3.00");
    }
}
