//! Product search that fits Chinese shoppers, the same on SQLite and PostgreSQL.
//!
//! A query is cut into tokens, and a product matches when every token does:
//! - a run of Chinese characters (`苹果`, `奶`) is found anywhere in the Chinese name;
//! - a Latin word or number (`milk`, `pingguo`, `pg`, `hc1011`) starts a word of either
//!   name or the SKU, or the pinyin of the Chinese name from one of its syllables on
//!   (`pingguo`, `guo` → 苹果), or its initials from one on (`pg` → 苹果);
//! - anything else (`%`, `-`) is found anywhere in either name or the SKU, as typed.
//!
//! Trigram indexes cannot answer one- and two-character Chinese queries, and a
//! `LIKE '%…%'` scan reads every product. Instead each product's *terms* are written to
//! `product_terms` beforehand — every Chinese character and pair of neighbours, and
//! every prefix (up to [`MAX_TERM_CHARS`]) of its words, of its pinyin from each
//! syllable and of its initials from each — and a query asks for equal terms only: a
//! primary-key lookup per term on either database. A Chinese run longer than two
//! characters asks for each of its pairs and is then checked against the name; a Latin
//! token is matched by its first [`MAX_TERM_CHARS`] characters.
//!
//! Ranking: a product whose whole name (or SKU) is the query comes first, then by the
//! terms' ranks (the start of a name before the middle), then as the caller orders.
//!
//! [`matches`] is the same rule as a plain scan, written without terms: the property
//! test checks the index against it on random queries.

use crate::error::AppError;
use crate::ssr::checkout::Tx;
use crate::ssr::db::Db;
use std::collections::HashMap;

/// The longest term written (characters): a longer Latin token is matched by this much.
pub const MAX_TERM_CHARS: usize = 24;
/// Most tokens of a query used (the search box takes 64 characters).
pub const MAX_TOKENS: usize = 8;
/// Separates the names in `products.search_indexed`.
const SEP: &str = "\u{1f}";

/// A piece of a query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    /// A run of Chinese characters.
    Han(String),
    /// A run of letters and digits (lowercase), at most [`MAX_TERM_CHARS`].
    Word(String),
    /// A run of other characters that are not spaces.
    Symbols(String),
}

/// Whether `c` is a Chinese character (the CJK Unified Ideographs and their extensions,
/// and the compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Han,
    Word,
    Symbol,
    Space,
}

fn class(c: char) -> Class {
    if is_han(c) {
        Class::Han
    } else if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() || c.is_control() {
        Class::Space
    } else {
        Class::Symbol
    }
}

/// Maximal runs of one class in `text`, lowercased.
fn runs(text: &str) -> Vec<(Class, String)> {
    let mut out: Vec<(Class, String)> = Vec::new();
    for c in text.chars() {
        let k = class(c);
        match out.last_mut() {
            Some((last, run)) if *last == k => run.extend(c.to_lowercase()),
            _ => out.push((k, c.to_lowercase().collect())),
        }
    }
    out.retain(|(k, _)| *k != Class::Space);
    out
}

/// A query's tokens, each once, in order; at most [`MAX_TOKENS`].
pub fn tokens(query: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (k, run) in runs(query) {
        let token = match k {
            Class::Han => Token::Han(run),
            Class::Word => Token::Word(run.chars().take(MAX_TERM_CHARS).collect()),
            Class::Symbol => Token::Symbols(run),
            Class::Space => continue,
        };
        if !out.contains(&token) {
            out.push(token);
        }
    }
    out.truncate(MAX_TOKENS);
    out
}

/// The pinyin syllables (plain, `ü` written `v` as shoppers type it) and initials of
/// a run of Chinese characters; a character without a reading gives none.
fn readings(han: &str) -> Vec<String> {
    use pinyin::ToPinyin;
    han.to_pinyin()
        .flatten()
        .map(|p| p.plain().replace('ü', "v"))
        .collect()
}

/// The words of a text that is not Chinese: its runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    runs(text)
        .into_iter()
        .filter(|(k, _)| *k == Class::Word)
        .map(|(_, w)| w)
}

/// Every term of a product and its rank (0 the whole name, 1 the start of a name, 2
/// elsewhere), each term once with its best rank.
pub fn terms(name_zh: &str, name_en: &str, sku: &str) -> HashMap<String, i64> {
    let mut out: HashMap<String, i64> = HashMap::new();
    let mut put = |term: String, rank: i64| {
        out.entry(term)
            .and_modify(|r| *r = (*r).min(rank))
            .or_insert(rank);
    };
    let zh_runs = runs(name_zh);
    let zh_whole = name_zh.trim().to_lowercase();
    for (i, (k, run)) in zh_runs.iter().enumerate() {
        match k {
            Class::Han => {
                let chars: Vec<char> = run.chars().collect();
                for (at, c) in chars.iter().enumerate() {
                    let start = i == 0 && at == 0;
                    let one = c.to_string();
                    put(one.clone(), rank(&one, &zh_whole, start));
                    if let Some(next) = chars.get(at + 1) {
                        let two: String = [*c, *next].iter().collect();
                        put(two.clone(), rank(&two, &zh_whole, start));
                    }
                }
                let syllables = readings(run);
                let whole_pinyin = (zh_runs.len() == 1).then(|| syllables.concat());
                for from in 0..syllables.len() {
                    let start = i == 0 && from == 0;
                    let full = syllables[from..].concat();
                    let initials: String = syllables[from..]
                        .iter()
                        .filter_map(|s| s.chars().next())
                        .collect();
                    for text in [full, initials] {
                        for p in prefixes(&text) {
                            let r = if whole_pinyin.as_deref() == Some(p.as_str()) {
                                0
                            } else if start {
                                1
                            } else {
                                2
                            };
                            put(p, r);
                        }
                    }
                }
            }
            Class::Word => word_terms(run, i == 0, &zh_whole, &mut put),
            _ => {}
        }
    }
    for field in [name_en, sku] {
        let whole = field.trim().to_lowercase();
        for (i, w) in words(field).enumerate() {
            word_terms(&w, i == 0, &whole, &mut put);
        }
    }
    out
}

fn word_terms(word: &str, first: bool, whole: &str, put: &mut impl FnMut(String, i64)) {
    for p in prefixes(word) {
        let r = rank(&p, whole, first);
        put(p, r);
    }
}

fn rank(term: &str, whole: &str, at_start: bool) -> i64 {
    if term == whole {
        0
    } else if at_start {
        1
    } else {
        2
    }
}

/// The prefixes of `text`, one character to [`MAX_TERM_CHARS`].
fn prefixes(text: &str) -> impl Iterator<Item = String> + '_ {
    text.char_indices()
        .take(MAX_TERM_CHARS)
        .map(move |(at, c)| text[..at + c.len_utf8()].to_owned())
}

/// The rule as a plain scan: whether a product with these names matches every token.
/// Written without terms, for the property test and as the rule's definition.
pub fn matches(tokens: &[Token], name_zh: &str, name_en: &str, sku: &str) -> bool {
    let zh = name_zh.to_lowercase();
    let texts = [zh.as_str(), &name_en.to_lowercase(), &sku.to_lowercase()].map(str::to_owned);
    let mut latin: Vec<String> = words(name_zh)
        .chain(words(name_en))
        .chain(words(sku))
        .collect();
    for (k, run) in runs(name_zh) {
        if k == Class::Han {
            let syllables = readings(&run);
            for from in 0..syllables.len() {
                latin.push(syllables[from..].concat());
                latin.push(
                    syllables[from..]
                        .iter()
                        .filter_map(|s| s.chars().next())
                        .collect(),
                );
            }
        }
    }
    tokens.iter().all(|t| match t {
        Token::Han(run) => zh.contains(run.as_str()),
        Token::Word(w) => latin.iter().any(|l| {
            l.chars()
                .take(MAX_TERM_CHARS)
                .collect::<String>()
                .starts_with(w.as_str())
        }),
        Token::Symbols(s) => texts.iter().any(|t| t.contains(s.as_str())),
    })
}

/// A query made ready for SQL: the terms every match has, and what is then checked
/// against the names.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// The whole query, trimmed and lowercased: a name equal to it ranks first.
    pub whole: String,
    /// Terms a product must have, each once.
    pub terms: Vec<String>,
    /// `LIKE` patterns the Chinese name must match (runs of more than two characters).
    pub han_likes: Vec<String>,
    /// `LIKE` patterns one of the names or the SKU must match (symbols).
    pub symbol_likes: Vec<String>,
}

impl Query {
    pub fn new(query: &str) -> Self {
        let mut q = Query {
            whole: query.trim().to_lowercase(),
            ..Query::default()
        };
        let mut need = |t: String| {
            if !q.terms.contains(&t) {
                q.terms.push(t);
            }
        };
        for token in tokens(query) {
            match token {
                Token::Han(run) => {
                    let chars: Vec<char> = run.chars().collect();
                    if chars.len() <= 2 {
                        need(run);
                    } else {
                        for pair in chars.windows(2) {
                            need(pair.iter().collect());
                        }
                        q.han_likes.push(contains_pattern(&run));
                    }
                }
                Token::Word(w) => need(w),
                Token::Symbols(s) => q.symbol_likes.push(contains_pattern(&s)),
            }
        }
        q
    }

    /// SQL for a query over `products p`, with placeholders from `$first`: a `JOIN`
    /// giving `m.score` (omitted when the query has no terms), conditions to `AND` to the
    /// `WHERE`, an `ORDER BY` prefix, and the values to bind in order after the caller's.
    pub fn sql(&self, first: usize) -> QuerySql {
        let mut n = first;
        let mut binds = Vec::new();
        let mut next = |v: &str| {
            binds.push(v.to_owned());
            n += 1;
            format!("${}", n - 1)
        };
        let join = if self.terms.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = self.terms.iter().map(|t| next(t)).collect();
            format!(
                " JOIN (SELECT product_id, SUM(rank) AS score FROM product_terms \
                 WHERE term IN ({}) GROUP BY product_id HAVING COUNT(*) = {}) m \
                 ON m.product_id = p.id",
                list.join(", "),
                self.terms.len()
            )
        };
        let mut conditions = String::new();
        for like in &self.han_likes {
            conditions.push_str(&format!(" AND p.name_zh LIKE {} ESCAPE '\\'", next(like)));
        }
        for like in &self.symbol_likes {
            let p = next(like);
            conditions.push_str(&format!(
                " AND (LOWER(p.name_zh) LIKE {p} ESCAPE '\\' OR LOWER(p.name_en) LIKE {p} ESCAPE '\\' \
                 OR LOWER(p.sku) LIKE {p} ESCAPE '\\')"
            ));
        }
        let whole = next(&self.whole);
        // (A bare `0` would be read as a column number.)
        let score = if self.terms.is_empty() {
            ""
        } else {
            ", m.score"
        };
        let order = format!(
            "CASE WHEN LOWER(p.name_zh) = {whole} OR LOWER(p.name_en) = {whole} \
             OR LOWER(p.sku) = {whole} THEN 0 ELSE 1 END{score}"
        );
        QuerySql {
            join,
            conditions,
            order,
            binds,
        }
    }
}

/// What [`Query::sql`] gives.
#[derive(Clone, Debug)]
pub struct QuerySql {
    pub join: String,
    pub conditions: String,
    pub order: String,
    pub binds: Vec<String>,
}

/// `%text%` with `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Writes the terms of every product whose names changed since they were indexed (or
/// that never were), in the caller's transaction. Returns how many were indexed.
pub async fn index_stale(tx: &mut Tx) -> Result<usize, AppError> {
    let stale: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name_zh, name_en, sku FROM products \
         WHERE search_indexed IS NULL OR search_indexed <> name_zh || $1 || name_en || $1 || sku",
    )
    .bind(SEP)
    .fetch_all(&mut **tx)
    .await?;
    for (id, zh, en, sku) in &stale {
        sqlx::query("DELETE FROM product_terms WHERE product_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        // In one order everywhere: two servers starting on one database both write the
        // same rows, and in a process's own hash order they deadlocked (PostgreSQL 40P01,
        // seen in the fleet's start); in the same order the second waits for the first.
        let mut all: Vec<(String, i64)> = terms(zh, en, sku).into_iter().collect();
        all.sort_unstable();
        for chunk in all.chunks(300) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect();
            let sql = format!(
                "INSERT INTO product_terms (term, product_id, rank) VALUES {} \
                 ON CONFLICT (term, product_id) DO NOTHING",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (term, rank) in chunk {
                q = q.bind(term.as_str()).bind(id).bind(rank);
            }
            q.execute(&mut **tx).await?;
        }
        sqlx::query("UPDATE products SET search_indexed = $1 WHERE id = $2")
            .bind(format!("{zh}{SEP}{en}{SEP}{sku}"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(stale.len())
}

/// [`index_stale`] in a transaction of its own (on start, after the seed), run again if
/// it loses a race with another server doing the same.
pub async fn index_all_stale(db: &Db) -> Result<usize, AppError> {
    crate::ssr::db::retrying(db, || async {
        let mut tx: Tx = db.pool.begin().await?;
        let n = index_stale(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_cut_into_chinese_runs_words_and_symbols() {
        assert_eq!(
            tokens("  iPhone手机 100% 苹果 pg  PG "),
            vec![
                Token::Word("iphone".into()),
                Token::Han("手机".into()),
                Token::Word("100".into()),
                Token::Symbols("%".into()),
                Token::Han("苹果".into()),
                Token::Word("pg".into()),
            ]
        );
        let long = "a".repeat(40);
        assert_eq!(tokens(&long), vec![Token::Word("a".repeat(MAX_TERM_CHARS))]);
    }

    #[test]
    fn chinese_names_are_found_by_characters_pinyin_and_initials() {
        let t = terms("红富士苹果", "Fuji Apples", "HC101101");
        for term in [
            "苹", "苹果", "果", "红富", "pingguo", "ping", "guo", "pg", "hfspg", "hong",
        ] {
            assert!(t.contains_key(term), "{term}");
        }
        for term in ["apple", "apples", "fuji", "hc101101", "hc1"] {
            assert!(t.contains_key(term), "{term}");
        }
        assert!(!t.contains_key("红果"), "pairs are neighbours only");
        assert!(!t.contains_key("ingguo"), "pinyin from a syllable on only");
        assert_eq!(t["红"], 1, "the start of the name");
        assert_eq!(t["苹果"], 2);
        assert_eq!(t["hongfushipingguo"], 0, "the whole name's pinyin");
        assert_eq!(t["fuji"], 1);
        assert_eq!(t["apples"], 2);
        assert_eq!(terms("牛奶", "Milk", "X")["milk"], 0);
        assert_eq!(
            terms("绿茶", "Green tea", "X").get("lvcha"),
            Some(&0),
            "ü typed as v"
        );
    }

    #[test]
    fn the_plain_rule_agrees_with_the_examples() {
        let ok = |q: &str| matches(&tokens(q), "红富士苹果 5kg", "Fuji Apples 5 kg", "HC101101");
        for q in [
            "苹果",
            "苹",
            "富士苹果",
            "pingguo",
            "pg",
            "PG",
            "apple",
            "5kg",
            "hc10",
            "苹果 fuji",
        ] {
            assert!(ok(q), "{q}");
        }
        for q in [
            "苹果汁",
            "pples",
            "ingguo",
            "milk",
            "苹果 milk",
            "%",
            "红果",
        ] {
            assert!(!ok(q), "{q}");
        }
        assert!(matches(
            &tokens("100%"),
            "椰子水",
            "100% Coconut Water",
            "X"
        ));
    }

    #[test]
    fn a_query_asks_for_terms_and_checks_what_terms_cannot_say() {
        let q = Query::new("富士苹果 pg %");
        assert_eq!(q.terms, vec!["富士", "士苹", "苹果", "pg"]);
        assert_eq!(q.han_likes, vec!["%富士苹果%"]);
        assert_eq!(q.symbol_likes, vec!["%\\%%"]);
        let sql = q.sql(3);
        assert!(sql.join.contains("IN ($3, $4, $5, $6)") && sql.join.contains("= 4"));
        assert!(sql.conditions.contains("$7") && sql.conditions.contains("$8"));
        assert!(sql.order.contains("$9"));
        assert_eq!(sql.binds.len(), 7);
    }
}
