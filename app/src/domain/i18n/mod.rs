//! The message catalogue: every string the interface shows, in zh-CN and English.
//! An exhaustive `match` makes a missing translation a compile error. Shared.

pub mod appointments;
pub mod bag;
#[cfg(feature = "ssr")]
pub mod catalogue;
pub mod checkout;
pub mod marketing;
pub mod member;
pub mod payment;
pub mod settings;
pub mod staff;
pub mod stock;
pub mod text;

pub use text::{Named, Text};

use super::geo::format_distance;
use super::hours::{Interval, LaterTime, OpenState, Weekday, hhmm};
use super::lang::Lang;

/// A fixed interface text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum Msg {
    SkipToContent,
    LanguageLabel,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    AllStores,
    ProductsHeading,
    NoResults,
    Closed,
    Open24h,
    CloudStoreOpen,
    Hours,
    ClosedAllDay,
    Phone,
    Services,
    NoDelivery,
    Categories,
    AllCategories,
    SearchInStore,
    SearchInStorePlaceholder,
    InStock,
    OutOfStock,
    ListPrice,
    Previous,
    Next,
    BackToStore,
    OtherStoresNearby,
    NoOtherStores,
    NotFoundTitle,
    NotFoundStore,
    NotFoundProduct,
    NotFoundPage,
    GoHome,
    InternalError,
    BadRequest,
    TooLarge,
    FormUnreadable,
    UseThePage,
    TooManyRequests,
    Unauthorized,
    UnauthorizedTitle,
    Forbidden,
    ForbiddenTitle,
    TryAgainSoon,
    TryAgainSoonTitle,
    ConflictError,
    ProductInfo,
    Category,
    Unit,
    Sku,
    Footer,
    NearbyTitle,
    NearbyIntro,
    UseMyLocation,
    Locating,
    LocationDenied,
    LocationUnavailable,
    ChooseCity,
    NearPlace,
    NearPlaceButton,
    NearestToYou,
    InStockNearYou,
    NoneInStockNearYou,
    StoresNearThis,
    FindStores,
    InvalidRequestTitle,
    ConflictTitle,
}

impl Msg {
    pub fn t(self, lang: Lang) -> &'static str {
        let (zh, en) = self.pair();
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        use Msg::*;
        match self {
            SkipToContent => ("跳到主要内容", "Skip to main content"),
            LanguageLabel => ("语言", "Language"),
            SearchLabel => ("搜索门店或商品", "Search stores or products"),
            SearchPlaceholder => ("门店、城市或商品", "Store, city or product"),
            SearchButton => ("搜索", "Search"),
            AllStores => ("全部门店", "All stores"),
            ProductsHeading => ("商品", "Products"),
            NoResults => (
                "没有找到相关结果，换个关键词试试。",
                "Nothing matched. Try another word.",
            ),
            Closed => ("休息中", "Closed"),
            Open24h => ("24 小时营业", "Open 24 hours"),
            CloudStoreOpen => (
                "门店已打烊，云店 24 小时照常接单。",
                "The store is closed, but its cloud store takes orders 24/7.",
            ),
            Hours => ("营业时间", "Opening hours"),
            ClosedAllDay => ("休息", "Closed"),
            Phone => ("电话", "Phone"),
            Services => ("服务", "Services"),
            NoDelivery => ("暂不提供配送", "No delivery"),
            Categories => ("商品分类", "Categories"),
            AllCategories => ("全部", "All"),
            SearchInStore => ("在本店搜索", "Search this store"),
            SearchInStorePlaceholder => ("商品名称", "Product name"),
            InStock => ("有货", "In stock"),
            OutOfStock => ("缺货", "Out of stock"),
            ListPrice => ("原价", "Was"),
            Previous => ("上一页", "Previous"),
            Next => ("下一页", "Next"),
            BackToStore => ("返回门店", "Back to the store"),
            OtherStoresNearby => (
                "同城有货的其他门店",
                "Other stores in the city that have it",
            ),
            NoOtherStores => (
                "同城其他门店暂时没有这件商品。",
                "No other store in the city has it in stock.",
            ),
            NotFoundTitle => ("页面不存在", "Page not found"),
            NotFoundStore => (
                "找不到这家门店，它可能已经搬迁或关闭。",
                "We couldn't find that store. It may have moved or closed.",
            ),
            NotFoundProduct => (
                "这家门店没有这件商品。",
                "This store doesn't sell that product.",
            ),
            NotFoundPage => ("这个页面不存在。", "There is no page at this address."),
            GoHome => ("返回首页", "Go to the home page"),
            InternalError => (
                "出了点问题，请稍后再试。",
                "Something went wrong. Please try again.",
            ),
            FormUnreadable => (
                "这份表单读不出来，请回到页面重新提交。",
                "That form couldn't be read. Go back to the page and send it again.",
            ),
            UseThePage => (
                "这个地址只接收页面上提交的表单，请回到页面操作。",
                "This address only takes a form sent from a page. Go back and use the page.",
            ),
            TooLarge => (
                "提交的内容太大了，请减少一些再试。",
                "That was more than a form can send. Please send less and try again.",
            ),
            BadRequest => (
                "请求有误，请检查后重试。",
                "That request wasn't valid. Please check it and try again.",
            ),
            TooManyRequests => (
                "操作太频繁，请稍后再试。",
                "Too many attempts. Please wait a moment.",
            ),
            Unauthorized => ("请先登录。", "Please sign in first."),
            UnauthorizedTitle => ("需要登录", "Sign-in needed"),
            Forbidden => (
                "你没有在这里做这件事的权限。",
                "You aren't allowed to do that here.",
            ),
            ForbiddenTitle => ("没有权限", "Not allowed"),
            TryAgainSoon => (
                "我们这边暂时有点忙，请稍等几秒再试一次。你的购物袋和订单都还在。",
                "We're having trouble just now. Please try again in a few seconds; your bag and orders are safe.",
            ),
            TryAgainSoonTitle => ("请稍后再试", "Try again in a moment"),
            ConflictError => (
                "操作未能完成，请刷新后重试。",
                "That couldn't be done. Please refresh and try again.",
            ),
            ProductInfo => ("商品信息", "Product details"),
            Category => ("分类", "Category"),
            Unit => ("规格", "Size"),
            Sku => ("商品编号", "SKU"),
            Footer => (
                "每一家门店都有它的云店：随时逛，随时买。",
                "Every store has a cloud store: browse and buy any time.",
            ),
            NearbyTitle => ("附近门店", "Stores near you"),
            NearbyIntro => (
                "按距离排列：营业状态、配送与自提服务一目了然。",
                "Sorted by distance, with opening hours and delivery or pick-up.",
            ),
            UseMyLocation => ("使用我的位置", "Use my location"),
            Locating => ("正在定位…", "Finding you…"),
            LocationDenied => (
                "没有获得定位权限。请选择城市或地点。",
                "Location permission was denied. Choose a city or a place instead.",
            ),
            LocationUnavailable => (
                "暂时无法定位。请选择城市或地点。",
                "Your location isn't available right now. Choose a city or a place instead.",
            ),
            ChooseCity => ("选择城市", "Choose a city"),
            NearPlace => ("在这个地点附近", "Near this place"),
            NearPlaceButton => ("查找附近门店", "Find stores nearby"),
            NearestToYou => ("离你最近", "Nearest to you"),
            InStockNearYou => ("附近有货的门店", "In stock near you"),
            NoneInStockNearYou => (
                "附近门店暂时都没有这件商品。",
                "No store near you has it in stock right now.",
            ),
            StoresNearThis => ("这家店附近的其他门店", "Other stores near this one"),
            FindStores => ("查找附近门店", "Find nearby stores"),
            InvalidRequestTitle => ("请求有误", "That request wasn't valid"),
            ConflictTitle => ("无法完成", "That couldn't be done"),
        }
    }
}

/// Short weekday name: `周一` / `Mon`.
pub fn weekday(lang: Lang, day: Weekday) -> &'static str {
    let i = day.index();
    match lang {
        Lang::ZhCn => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// `今天 08:00` / `today at 08:00`, `明天` / `tomorrow`, else the weekday.
fn when(lang: Lang, t: LaterTime) -> String {
    let time = hhmm(t.minute);
    match (lang, t.days_ahead) {
        (Lang::ZhCn, 0) => format!("今天 {time}"),
        (Lang::ZhCn, 1) => format!("明天 {time}"),
        (Lang::ZhCn, _) => format!("{} {time}", weekday(lang, t.weekday)),
        (Lang::En, 0) => format!("today at {time}"),
        (Lang::En, 1) => format!("tomorrow at {time}"),
        (Lang::En, _) => format!("{} at {time}", weekday(lang, t.weekday)),
    }
}

/// The short open/closed line: `营业中 · 22:00 打烊`, `Closed · opens tomorrow at 08:00`.
pub fn open_state(lang: Lang, state: OpenState) -> String {
    match (lang, state) {
        (_, OpenState::Open { closes: None }) => Msg::Open24h.t(lang).to_owned(),
        (Lang::ZhCn, OpenState::Open { closes: Some(t) }) => {
            format!("营业中 · {} 打烊", when(lang, t))
        }
        (Lang::En, OpenState::Open { closes: Some(t) }) => {
            format!("Open now · closes {}", when(lang, t))
        }
        (_, OpenState::Closed { opens: None }) => Msg::Closed.t(lang).to_owned(),
        (Lang::ZhCn, OpenState::Closed { opens: Some(t) }) => {
            format!("休息中 · {} 开门", when(lang, t))
        }
        (Lang::En, OpenState::Closed { opens: Some(t) }) => {
            format!("Closed · opens {}", when(lang, t))
        }
    }
}

/// One row of the hours table: `周一至周五` / `Mon–Fri`.
pub fn day_range(lang: Lang, first: Weekday, last: Weekday) -> String {
    match (first == last, lang) {
        (true, _) => weekday(lang, first).to_owned(),
        (false, Lang::ZhCn) => format!("{}至{}", weekday(lang, first), weekday(lang, last)),
        (false, Lang::En) => format!("{}–{}", weekday(lang, first), weekday(lang, last)),
    }
}

/// `07:00–22:00`, `10:00–次日02:00` / `10:00–02:00 (next day)`, or the closed word.
pub fn interval(lang: Lang, hours: Option<Interval>) -> String {
    let Some(i) = hours else {
        return Msg::ClosedAllDay.t(lang).to_owned();
    };
    if i.is_all_day() {
        return Msg::Open24h.t(lang).to_owned();
    }
    match (i.close > super::hours::MINUTES_PER_DAY, lang) {
        (false, _) => format!("{}–{}", hhmm(i.open), hhmm(i.close)),
        (true, Lang::ZhCn) => format!("{}–次日{}", hhmm(i.open), hhmm(i.close)),
        (true, Lang::En) => format!("{}–{} (next day)", hhmm(i.open), hhmm(i.close)),
    }
}

pub fn delivery(lang: Lang, radius_m: u32) -> String {
    if radius_m == 0 {
        return Msg::NoDelivery.t(lang).to_owned();
    }
    let km = f64::from(radius_m) / 1000.0;
    match lang {
        Lang::ZhCn => format!("定时送 · {km:.1} 公里内"),
        Lang::En => format!("Timed delivery within {km:.1} km"),
    }
}

pub fn pickup(lang: Lang, lead_min: u32) -> String {
    match lang {
        Lang::ZhCn => format!("门店自提 · 约 {lead_min} 分钟备好"),
        Lang::En => format!("Store pick-up, ready in about {lead_min} min"),
    }
}

pub fn low_stock(lang: Lang, units: u32) -> String {
    match lang {
        Lang::ZhCn => format!("仅剩 {units} 件"),
        Lang::En => format!("Only {units} left"),
    }
}

pub fn percent_off(lang: Lang, percent: u8) -> String {
    match lang {
        Lang::ZhCn => format!("省 {percent}%"),
        Lang::En => format!("{percent}% off"),
    }
}

pub fn product_count(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 件商品"),
        Lang::En if n == 1 => "1 product".to_owned(),
        Lang::En => format!("{n} products"),
    }
}

pub fn store_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 家门店"),
        Lang::En if n == 1 => "1 store".to_owned(),
        Lang::En => format!("{n} stores"),
    }
}

pub fn page_of(lang: Lang, page: u32, pages: u32) -> String {
    match lang {
        Lang::ZhCn => format!("第 {page} / {pages} 页"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

pub fn results_for(lang: Lang, query: &str) -> String {
    match lang {
        Lang::ZhCn => format!("“{query}”的搜索结果"),
        Lang::En => format!("Results for “{query}”"),
    }
}

/// Why a latitude/longitude was refused, for people.
pub fn lat_lon_error(lang: Lang, error: super::geo::LatLonError) -> &'static str {
    use super::geo::LatLonError;
    match (lang, error) {
        (Lang::ZhCn, LatLonError::Latitude) => "纬度须是 -90 到 90 之间的数字。",
        (Lang::ZhCn, LatLonError::Longitude) => "经度须是 -180 到 180 之间的数字。",
        (Lang::En, LatLonError::Latitude) => "Latitude must be a number between -90 and 90.",
        (Lang::En, LatLonError::Longitude) => "Longitude must be a number between -180 and 180.",
    }
}

pub fn distance(lang: Lang, metres: f64) -> String {
    format_distance(metres, lang == Lang::ZhCn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hours::WeeklyHours;

    // Every variant of every message enum: `catalogue::tests`.

    #[test]
    fn open_state_lines() {
        let h = WeeklyHours::parse("mon-sun 08:00-22:00").unwrap();
        let tue = Weekday::from_monday0(1).unwrap();
        let at = |minute| super::super::hours::LocalMoment {
            weekday: tue,
            minute,
        };
        assert_eq!(
            open_state(Lang::En, h.state_at(at(600))),
            "Open now · closes today at 22:00"
        );
        assert_eq!(
            open_state(Lang::ZhCn, h.state_at(at(1400))),
            "休息中 · 明天 08:00 开门"
        );
        assert_eq!(
            open_state(Lang::En, WeeklyHours::around_the_clock().state_at(at(0))),
            "Open 24 hours"
        );
    }

    #[test]
    fn hours_rows() {
        let late = Interval {
            open: 600,
            close: 1560,
        };
        assert_eq!(interval(Lang::ZhCn, Some(late)), "10:00–次日02:00");
        assert_eq!(interval(Lang::En, None), "Closed");
        assert_eq!(
            day_range(Lang::En, Weekday::MONDAY, Weekday::from_monday0(4).unwrap()),
            "Mon–Fri"
        );
    }
}
