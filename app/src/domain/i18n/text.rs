//! `Text`: a message for a person, kept typed until the page that shows it renders it in
//! the reader's language. Errors (`AppError`), checkout drafts and refusals carry a `Text`
//! rather than a sentence, so a message made deep in the server (a constraint violation,
//! a sign-in refusal) is never fixed to one language there. Shared and serializable.

use super::appointments::AppointmentText;
use super::bag::{self, BagText};
use super::checkout::{self, CheckoutText};
use super::marketing::{self as marketing_text, MarketingText};
use super::member::{self, MemberText};
use super::payment::PaymentText;
use super::settings::SettingsText;
use super::staff::{self as staff_text, StaffText};
use super::stock::StockText;
use super::{Msg, lat_lon_error};
use crate::domain::console::InputProblem;
use crate::domain::geo::LatLonError;
use crate::domain::lang::Lang;
use crate::domain::order::FieldError;
use crate::domain::staff::PasswordProblem;
use serde::{Deserialize, Serialize};

/// A name in both languages (a product's, a store's), for messages that name things.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub zh: String,
    pub en: String,
}

impl Named {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Named {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn t(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En if self.en.is_empty() => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Which checkout field a [`FieldError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactField {
    Name,
    Phone,
    Address,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Text {
    Msg(Msg),
    Bag(BagText),
    Checkout(CheckoutText),
    Member(MemberText),
    Payment(PaymentText),
    Staff(StaffText),
    Stock(StockText),
    Settings(SettingsText),
    Marketing(MarketingText),
    /// A coupon campaign's form refused.
    Campaign(crate::domain::coupon::CampaignProblem),
    Appointment(AppointmentText),
    /// A console input refused (a price, a stock count, a date…).
    Input(InputProblem),
    Password(PasswordProblem),
    /// The store has `units`, and the bag already holds `in_bag`.
    StockRefusal {
        units: u32,
        in_bag: u32,
    },
    /// Not enough of this product left for the order.
    OutOfStock(Named),
    /// A delivery point beyond the store's radius, and the nearest store that delivers.
    OutsideRadius {
        radius_m: u32,
        nearest: Option<Named>,
    },
    Field(ContactField, FieldError),
    /// A wrong sign-in code, and how many tries are left.
    WrongCode {
        tries_left: i64,
    },
    /// A search longer than `max` characters.
    QueryTooLong {
        max: u32,
    },
    /// A search with a control character in it.
    QueryBadCharacters,
    /// `?limit=` outside 1..=`max`.
    LimitRange {
        max: u32,
    },
    LatLon(LatLonError),
}

impl From<Msg> for Text {
    fn from(m: Msg) -> Self {
        Text::Msg(m)
    }
}

impl From<BagText> for Text {
    fn from(m: BagText) -> Self {
        Text::Bag(m)
    }
}

impl From<PaymentText> for Text {
    fn from(m: PaymentText) -> Self {
        Text::Payment(m)
    }
}

impl From<CheckoutText> for Text {
    fn from(m: CheckoutText) -> Self {
        Text::Checkout(m)
    }
}

impl From<MemberText> for Text {
    fn from(m: MemberText) -> Self {
        Text::Member(m)
    }
}

impl From<StaffText> for Text {
    fn from(m: StaffText) -> Self {
        Text::Staff(m)
    }
}

impl From<StockText> for Text {
    fn from(m: StockText) -> Self {
        Text::Stock(m)
    }
}

impl From<SettingsText> for Text {
    fn from(m: SettingsText) -> Self {
        Text::Settings(m)
    }
}

impl From<MarketingText> for Text {
    fn from(m: MarketingText) -> Self {
        Text::Marketing(m)
    }
}

impl From<AppointmentText> for Text {
    fn from(m: AppointmentText) -> Self {
        Text::Appointment(m)
    }
}

impl From<InputProblem> for Text {
    fn from(p: InputProblem) -> Self {
        Text::Input(p)
    }
}

impl From<PasswordProblem> for Text {
    fn from(p: PasswordProblem) -> Self {
        Text::Password(p)
    }
}

impl Text {
    /// The message in `lang`.
    pub fn t(&self, lang: Lang) -> String {
        match self {
            Text::Msg(m) => m.t(lang).to_owned(),
            Text::Bag(m) => m.t(lang).to_owned(),
            Text::Checkout(m) => m.t(lang).to_owned(),
            Text::Payment(m) => m.t(lang).to_owned(),
            Text::Member(m) => m.t(lang).to_owned(),
            Text::Staff(m) => m.t(lang).to_owned(),
            Text::Stock(m) => m.t(lang).to_owned(),
            Text::Settings(m) => m.t(lang).to_owned(),
            Text::Marketing(m) => m.t(lang).to_owned(),
            Text::Campaign(p) => marketing_text::campaign_problem(*p).t(lang).to_owned(),
            Text::Appointment(m) => m.t(lang).to_owned(),
            Text::Input(p) => staff_text::input_problem(lang, *p).to_owned(),
            Text::Password(p) => staff_text::password_problem(lang, *p).to_owned(),
            Text::StockRefusal { units, in_bag } => bag::stock_refusal(lang, *units, *in_bag),
            Text::OutOfStock(name) => checkout::out_of_stock(lang, name.t(lang)),
            Text::OutsideRadius { radius_m, nearest } => checkout::outside_radius(
                lang,
                f64::from(*radius_m) / 1000.0,
                nearest.as_ref().map(|n| n.t(lang)),
            ),
            Text::Field(field, error) => checkout::field_error(lang, *field, *error),
            Text::WrongCode { tries_left } => member::wrong_code(lang, *tries_left),
            Text::QueryTooLong { max } => match lang {
                Lang::ZhCn => format!("搜索词最多 {max} 个字。"),
                Lang::En => format!("Search for at most {max} characters."),
            },
            Text::QueryBadCharacters => match lang {
                Lang::ZhCn => "搜索词里有无法识别的字符，请重新输入。".to_owned(),
                Lang::En => {
                    "The search has characters it can't contain. Please type it again.".to_owned()
                }
            },
            Text::LimitRange { max } => match lang {
                Lang::ZhCn => format!("数量须是 1 到 {max} 之间的整数。"),
                Lang::En => format!("The number of stores must be a whole number from 1 to {max}."),
            },
            Text::LatLon(e) => lat_lon_error(lang, *e).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_render_in_the_readers_language_when_shown() {
        let conflict = Text::from(Msg::ConflictError);
        assert_ne!(conflict.t(Lang::En), conflict.t(Lang::ZhCn));
        let short = Text::OutOfStock(Named::new("赣南脐橙", "Gannan navel oranges"));
        assert!(short.t(Lang::En).contains("Gannan navel oranges"));
        assert!(short.t(Lang::ZhCn).contains("赣南脐橙"));
        let far = Text::OutsideRadius {
            radius_m: 3000,
            nearest: Some(Named::new("静安寺店", "Jing'an Temple")),
        };
        assert!(far.t(Lang::En).contains("3.0 km") && far.t(Lang::En).contains("Jing'an"));
        assert!(
            Text::Field(ContactField::Phone, FieldError::BadPhone)
                .t(Lang::En)
                .contains("11-digit")
        );
    }

    #[test]
    fn texts_survive_the_server_fn_encoding() {
        let t = Text::StockRefusal {
            units: 5,
            in_bag: 5,
        };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), t);
    }
}
