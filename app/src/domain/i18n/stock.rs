//! Texts of the console's stock and prices pages: the offers table and its edits, the CSV
//! import's preview and apply, and the refusals that name a number (pure, shared).

use crate::domain::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum StockText {
    Title,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    FilterLabel,
    FilterAll,
    FilterLow,
    FilterOut,
    OffersHeading,
    Product,
    Sku,
    Price,
    ListPrice,
    Stock,
    Change,
    NewPrice,
    NewListPrice,
    NewStock,
    Save,
    LeaveEmpty,
    NoOffers,
    PriceHistory,
    NoPriceHistory,
    ListShort,
    Saved,
    NothingChanged,
    ImportHeading,
    ImportIntro,
    PasteCsv,
    UploadCsv,
    PreviewButton,
    CsvMissing,
    CsvNotText,
    PreviewTitle,
    ChangesHeading,
    NoChanges,
    ProblemsHeading,
    Line,
    LineText,
    Why,
    Unchanged,
    ListRaised,
    DeltaNote,
    ApplyButton,
    ApplyBlocked,
    AlreadyApplied,
    AppliedAlready,
    BackToStock,
    SoldSincePreview,
}

impl StockText {
    pub fn t(self, lang: Lang) -> &'static str {
        use StockText::*;
        let (zh, en) = match self {
            Title => ("库存与价格", "Stock and prices"),
            SearchLabel => ("搜索商品", "Search products"),
            SearchPlaceholder => ("商品名称或编号", "Name or SKU"),
            SearchButton => ("搜索", "Search"),
            FilterLabel => ("显示", "Show"),
            FilterAll => ("全部商品", "All products"),
            FilterLow => ("库存不多（5 件及以下）", "Low stock (5 or fewer)"),
            FilterOut => ("已售罄", "Out of stock"),
            OffersHeading => ("本店商品", "This store's products"),
            Product => ("商品", "Product"),
            Sku => ("编号", "SKU"),
            Price => ("售价", "Price"),
            ListPrice => ("划线价", "List price"),
            Stock => ("库存", "Stock"),
            Change => ("修改", "Change"),
            NewPrice => ("新售价（元）", "New price (yuan)"),
            NewListPrice => ("新划线价（元）", "New list price (yuan)"),
            NewStock => ("新库存", "New stock"),
            Save => ("保存", "Save"),
            LeaveEmpty => (
                "价格以元填写，例如 12.90；留空的项目保持不变。",
                "Prices in yuan, like 12.90; a field left empty stays as it is.",
            ),
            NoOffers => ("没有符合条件的商品。", "No products match."),
            PriceHistory => ("最近调价", "Recent price changes"),
            NoPriceHistory => ("还没有调过价。", "No price changes yet."),
            ListShort => ("划线价", "list"),
            Saved => ("已保存。", "Saved."),
            NothingChanged => (
                "没有要修改的内容：填写的与现在相同，或都留空了。",
                "Nothing to change: the fields were empty or the same as now.",
            ),
            ImportHeading => ("批量导入库存与价格", "Import stock and prices"),
            ImportIntro => (
                "每行写成 sku,stock 或 sku,stock,price_fen（价格以分为单位，例如 1290 表示 ¥12.90），第一行可以是标题。先预览，确认后一次全部生效。",
                "One line each: sku,stock or sku,stock,price_fen (the price in fen: 1290 is ¥12.90); the first line may be a header. Preview first; applying changes all of it at once.",
            ),
            PasteCsv => ("粘贴 CSV", "Paste the CSV"),
            UploadCsv => ("或上传 CSV 文件", "Or upload a CSV file"),
            PreviewButton => ("预览", "Preview"),
            CsvMissing => (
                "请粘贴 CSV 或选择一个文件。",
                "Paste a CSV or choose a file.",
            ),
            CsvNotText => (
                "文件须是 UTF-8 编码的 CSV 文本。",
                "The file must be CSV text in UTF-8.",
            ),
            PreviewTitle => ("导入预览", "Import preview"),
            ChangesHeading => ("将要修改", "What will change"),
            NoChanges => (
                "与现在的库存和价格相同，没有要修改的。",
                "It is the same as the stock and prices now: nothing to change.",
            ),
            ProblemsHeading => ("有问题的行", "Lines with problems"),
            Line => ("行号", "Line"),
            LineText => ("内容", "As written"),
            Why => ("原因", "Why"),
            Unchanged => ("不变", "unchanged"),
            ListRaised => (
                "新售价高于划线价时，划线价同时提高到新售价。",
                "Where a new price is above the list price, the list price is raised to match it.",
            ),
            DeltaNote => (
                "库存按与预览时的差额生效：预览之后售出的件数照样扣除，不会被覆盖。",
                "Stock is applied as the difference from what this preview saw: anything sold since is still taken off, never overwritten.",
            ),
            ApplyButton => ("全部应用", "Apply all"),
            ApplyBlocked => (
                "还有问题行，不能应用。请改正文件后重新预览。",
                "Lines still have problems, so nothing can be applied. Correct the file and preview it again.",
            ),
            AlreadyApplied => (
                "这份导入已经应用过了，没有再次修改。",
                "This import was already applied; nothing was changed again.",
            ),
            AppliedAlready => ("已应用", "Applied"),
            BackToStock => ("返回库存与价格", "Back to stock and prices"),
            SoldSincePreview => ("现在", "now"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// A stock edit refused because the stock moved since the page was shown.
pub fn stock_moved(lang: Lang, now: i64) -> String {
    match lang {
        Lang::ZhCn => format!(
            "库存刚刚变了（有订单或其他人修改），现在是 {now} 件；这次没有做任何修改，请核对后重试。"
        ),
        Lang::En => format!(
            "The stock changed meanwhile (an order, or someone else) and is now {now}; nothing was changed. Check it and try again."
        ),
    }
}

/// An import refused because a row would leave less than nothing.
pub fn would_go_negative(lang: Lang, sku: &str, now: i64, change: i64) -> String {
    match lang {
        Lang::ZhCn => format!(
            "{sku} 现在只有 {now} 件，按这份导入要变动 {change:+} 件，会少于 0；整份导入都没有生效，请重新预览。"
        ),
        Lang::En => format!(
            "{sku} has {now} now, and this import would change it by {change:+}, below 0; none of the import was applied. Preview it again."
        ),
    }
}

/// An import applied.
pub fn applied(lang: Lang, rows: usize) -> String {
    match lang {
        Lang::ZhCn => format!("已应用，修改了 {rows} 个商品。"),
        Lang::En if rows == 1 => "Applied: 1 product changed.".to_owned(),
        Lang::En => format!("Applied: {rows} products changed."),
    }
}

/// How many of the rows a long table shows.
pub fn showing_first(lang: Lang, shown: usize, of: usize) -> String {
    match lang {
        Lang::ZhCn => format!("共 {of} 行，这里列出前 {shown} 行。"),
        Lang::En => format!("{of} lines; the first {shown} are listed here."),
    }
}

/// The count beside a heading: `(12)`.
pub fn count(n: usize) -> String {
    format!("({n})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_with_numbers_say_them_in_both_languages() {
        assert!(stock_moved(Lang::ZhCn, 7).contains("现在是 7 件"));
        assert!(stock_moved(Lang::En, 7).contains("now 7"));
        assert!(would_go_negative(Lang::En, "HC101101", 2, -5).contains("by -5"));
        assert!(would_go_negative(Lang::ZhCn, "HC101101", 2, 3).contains("+3"));
        assert_eq!(applied(Lang::En, 1), "Applied: 1 product changed.");
        assert!(applied(Lang::ZhCn, 5000).contains("5000"));
    }
}
