//! The fixed texts of the message catalogue as data (server and tests only: it needs the
//! `EnumIter` derive, which `ssr` enables): every variant of every message enum with its
//! zh-CN and English text. A test checks that none is missing, and exports them as
//! `end2end/catalogue.json`, where the Playwright suite takes its expected strings from.

use super::Msg;
use super::appointments::AppointmentText;
use super::bag::BagText;
use super::checkout::CheckoutText;
use super::marketing::MarketingText;
use super::member::MemberText;
use super::payment::PaymentText;
use super::settings::SettingsText;
use super::staff::StaffText;
use super::stock::StockText;
use crate::domain::lang::Lang;
use strum::IntoEnumIterator;

/// One fixed text: its enum, its variant and both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub group: &'static str,
    pub name: String,
    pub zh: &'static str,
    pub en: &'static str,
}

fn group<E>(group: &'static str, text: fn(E, Lang) -> &'static str) -> impl Iterator<Item = Entry>
where
    E: IntoEnumIterator + std::fmt::Debug + Copy,
{
    E::iter().map(move |variant| Entry {
        group,
        name: format!("{variant:?}"),
        zh: text(variant, Lang::ZhCn),
        en: text(variant, Lang::En),
    })
}

/// Every variant of `Msg`, `BagText`, `CheckoutText` and `MemberText`, in declaration order.
pub fn entries() -> Vec<Entry> {
    group("Msg", Msg::t)
        .chain(group("BagText", BagText::t))
        .chain(group("CheckoutText", CheckoutText::t))
        .chain(group("MemberText", MemberText::t))
        .chain(group("PaymentText", PaymentText::t))
        .chain(group("StaffText", StaffText::t))
        .chain(group("StockText", StockText::t))
        .chain(group("SettingsText", SettingsText::t))
        .chain(group("MarketingText", MarketingText::t))
        .chain(group("AppointmentText", AppointmentText::t))
        .chain(group("InputProblem", |p, lang| {
            super::staff::input_problem(lang, p)
        }))
        .collect()
}

/// `{"Msg": {"SkipToContent": {"zh": "…", "en": "…"}, …}, "BagText": {…}, …}`.
pub fn to_json() -> serde_json::Value {
    let mut groups = serde_json::Map::new();
    for entry in entries() {
        let texts = serde_json::json!({ "zh": entry.zh, "en": entry.en });
        groups
            .entry(entry.group)
            .or_insert_with(|| serde_json::Value::Object(Default::default()))
            .as_object_mut()
            .expect("a group is an object")
            .insert(entry.name, texts);
    }
    serde_json::Value::Object(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_han(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_variant_of_every_message_has_both_languages() {
        let entries = entries();
        assert!(
            entries.len() > 100,
            "only {} texts: is every enum listed?",
            entries.len()
        );
        let mut missing = Vec::new();
        for e in &entries {
            let id = format!("{}::{}", e.group, e.name);
            if e.zh.trim().is_empty() || e.en.trim().is_empty() {
                missing.push(format!("{id}: empty"));
            } else if !has_han(e.zh) {
                missing.push(format!("{id}: the zh-CN text has no Chinese: {:?}", e.zh));
            } else if has_han(e.en) {
                missing.push(format!("{id}: the English text has Chinese: {:?}", e.en));
            }
        }
        assert!(missing.is_empty(), "untranslated:\n{}", missing.join("\n"));
    }

    #[test]
    fn the_export_names_each_text_by_its_variant() {
        let json = to_json();
        assert_eq!(json["Msg"]["GoHome"]["zh"], Msg::GoHome.t(Lang::ZhCn));
        assert_eq!(
            json["MemberText"]["Phone"]["en"],
            MemberText::Phone.t(Lang::En)
        );
        let count: usize = json
            .as_object()
            .unwrap()
            .values()
            .map(|g| g.as_object().unwrap().len())
            .sum();
        assert_eq!(
            count,
            entries().len(),
            "no two variants of one enum share a name"
        );
    }

    /// `CATALOGUE_JSON=path cargo test -p app --features ssr --lib catalogue` writes the
    /// catalogue there (the Makefile's `catalogue` target, before Playwright runs).
    #[test]
    fn exports_the_catalogue_when_asked() {
        let Some(path) = std::env::var_os("CATALOGUE_JSON") else {
            return;
        };
        let text = serde_json::to_string_pretty(&to_json()).expect("JSON") + "\n";
        std::fs::write(&path, text).expect("write the catalogue");
    }
}
