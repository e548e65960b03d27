//! Texts of the console's delivery and pick-up settings and special days pages.

use crate::domain::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(strum::EnumIter))]
pub enum SettingsText {
    Title,
}

impl SettingsText {
    pub fn t(self, lang: Lang) -> &'static str {
        use SettingsText::*;
        let (zh, en) = match self {
            Title => ("配送与自提", "Delivery and pick-up"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}
