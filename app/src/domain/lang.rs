//! The shopper's language: zh-CN (default) or English, and how it is chosen from a cookie
//! or the browser's `Accept-Language`. Shared by server and browser.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// BCP 47 tag for `<html lang>` and `hreflang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
        }
    }

    /// Reads a tag such as `zh-CN`, `zh-Hans`, `en-GB` or `EN`; other languages are `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header by its q-values
    /// (ties keep header order); `None` when it names none of ours.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(Lang, u16)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, |q| {
                    q.trim()
                        .parse::<f32>()
                        .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                });
            if quality > 0 && best.is_none_or(|(_, b)| quality > b) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// An explicit cookie choice wins, then the browser's preference, then zh-CN.
    pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        cookie
            .and_then(Lang::from_tag)
            .or_else(|| accept_language.and_then(Lang::negotiate))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(
            Lang::negotiate("en-US,en;q=0.9,zh-CN;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::negotiate("fr-FR, en;q=0.5, zh;q=0.7"),
            Some(Lang::ZhCn)
        );
        assert_eq!(Lang::negotiate("de, fr;q=0.9"), None);
        assert_eq!(
            Lang::negotiate("en;q=0, zh;q=0.1"),
            Some(Lang::ZhCn),
            "q=0 means not acceptable"
        );
        assert_eq!(
            Lang::negotiate("en;q=abc"),
            None,
            "unparseable q is treated as 0"
        );
        assert_eq!(Lang::negotiate(""), None);
    }

    #[test]
    fn cookie_beats_header_beats_default() {
        assert_eq!(Lang::choose(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::choose(Some("xx"), Some("en-GB")), Lang::En);
        assert_eq!(Lang::choose(None, Some("ja")), Lang::ZhCn);
        assert_eq!(Lang::choose(None, None), Lang::ZhCn);
    }
}
