//! Texts of the console's stock and prices pages.

use crate::domain::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum StockText {
    Title,
}

impl StockText {
    pub fn t(self, lang: Lang) -> &'static str {
        use StockText::*;
        let (zh, en) = match self {
            Title => ("库存与价格", "Stock and prices"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}
