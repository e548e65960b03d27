//! Hostile input at every form over HTTP (server tests, both databases). One table holds
//! every form post: who posts it, a base body it takes, and what each field is. Each field
//! in turn is replaced by NUL and control characters, a right-to-left override, emoji,
//! full-width and Arabic-Indic digits, -1, a 20-digit number, `<script>` and a few KB of
//! text; then dropped; then sent twice; and each form is sent once with a body over the
//! limit. Whatever is sent: never a 5xx, never a raw `<script>` or a database's words in
//! the answer (nor in the page a plain post goes back to), and a refusal changes nothing.
//! Ordinary text in a free-text field (any script, emoji, `<script>`) is taken, kept as
//! typed, and shown escaped on the page that shows it.

use crate::harness::{Browser, TestApp};
use app::domain::i18n::Msg;
use app::domain::lang::Lang;
use app::domain::staff::Role;
use app::links::{self, routes};
use app::ssr::db::DbKind;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

const STORE: &str = "sh-jingan-temple";
/// What shoppers buy (its stock is raised first, so that every order placed goes through).
const SKU: &str = "HC101101";
/// What the stock forms edit, so that their edits never run the shoppers' stock out.
const STOCK_SKU: &str = "HC101102";
/// The store's location: a shopper "here" is inside its delivery area.
const HERE: &str = "loc=31.22323,121.44568";
const SCRIPT: &str = "<script>alert(1)</script>";
const SCRIPT_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
/// The password of [`Who::Leaving`].
const LEAVING_PASSWORD: &str = "a long password, leaving";
/// A database error's words, which must never reach a page.
const DB_WORDS: [&str; 7] = [
    "sqlx",
    "SQLITE",
    "sqlite3",
    "syntax error",
    "violates",
    "error returned from database",
    "duplicate key",
];

/// What a refused post may still write, and why; every other table is compared row by row
/// (offers by [`OFFERS`]). The one-time message a plain post goes back with is a cookie,
/// not a row; rate limits are forgotten before each post, so that every post reaches the
/// checks behind them (the limits have tests of their own).
const MAY_CHANGE: [(&str, Option<&str>, &str); 5] = [
    (
        "sessions",
        None,
        "a post makes the visitor's session when they have none, signing in or out makes or \
         ends one: the visitor's own, not the shop's",
    ),
    (
        "rate_limits",
        None,
        "every attempt counts, refused or not: that is a limit's job",
    ),
    (
        "checkout_drafts",
        None,
        "a refused checkout keeps the form as typed, to show it again without JavaScript",
    ),
    (
        "login_codes",
        Some("attempts"),
        "a wrong sign-in code counts against the code: five lock it",
    ),
    ("_sqlx_migrations", None, "the schema's own bookkeeping"),
];

/// Offers (every store × every product) are read as sums per store, each also weighted by
/// product so that a change to any one offer shows (as `staff.rs` reads them): read whole,
/// they took more time than everything else a fingerprint reads.
const OFFERS: &str = "SELECT CAST(store_id AS TEXT) || ' | ' || CAST(COUNT(*) AS TEXT) \
     || ' | ' || CAST(SUM(stock) AS TEXT) || ' | ' || CAST(SUM(product_id * stock) AS TEXT) \
     || ' | ' || CAST(SUM(price_minor) AS TEXT) || ' | ' || CAST(SUM(product_id * price_minor) AS TEXT) \
     || ' | ' || CAST(SUM(list_price_minor) AS TEXT) \
     || ' | ' || CAST(SUM(product_id * list_price_minor) AS TEXT) AS r \
     FROM offers GROUP BY store_id";

/// One hostile value for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hostile {
    Nul,
    Control,
    RightToLeft,
    Emoji,
    FullWidthDigits,
    ArabicIndicDigits,
    Negative,
    Huge,
    Script,
    FewKb,
}

impl Hostile {
    const ALL: [Hostile; 10] = [
        Hostile::Nul,
        Hostile::Control,
        Hostile::RightToLeft,
        Hostile::Emoji,
        Hostile::FullWidthDigits,
        Hostile::ArabicIndicDigits,
        Hostile::Negative,
        Hostile::Huge,
        Hostile::Script,
        Hostile::FewKb,
    ];

    fn text(self) -> String {
        match self {
            Hostile::Nul => "名字\u{0}名字".to_owned(),
            Hostile::Control => "名字\u{1}\u{7}\u{1b}[31m\r\n名字".to_owned(),
            Hostile::RightToLeft => "\u{202e}gnp.exe שלום مرحبا".to_owned(),
            Hostile::Emoji => "购物 🛒🍎🥛👩‍👩‍👧✨".to_owned(),
            Hostile::FullWidthDigits => "１２".to_owned(),
            Hostile::ArabicIndicDigits => "١٢".to_owned(),
            Hostile::Negative => "-1".to_owned(),
            Hostile::Huge => "99999999999999999999".to_owned(),
            Hostile::Script => SCRIPT.to_owned(),
            // A form needs a few KB: this is not too large to read.
            Hostile::FewKb => "长".repeat(2000),
        }
    }

    /// Ordinary text (within every text field's length): a free-text field takes it.
    fn is_ordinary_text(self) -> bool {
        matches!(
            self,
            Hostile::RightToLeft | Hostile::Emoji | Hostile::Script
        )
    }
}

/// What a field is, and so what hostile input in it must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A value the form needs exactly (a store, an id, a code, a number): anything hostile
    /// in it, or its absence, is refused.
    Exact,
    /// As `Exact`, but these hostile values are good values of the field: taken.
    ExactTaking(&'static [Hostile]),
    /// As `Exact` when sent; absent, the form has a default or leaves the thing alone.
    ExactIfSent,
    /// Ignored unless right (`back`, `everywhere`): anything may come of hostile input.
    Lenient,
    /// Free text the app keeps: ordinary text is taken, kept as typed and shown escaped
    /// where it is shown; NUL is never kept.
    Text(Shown),
    /// A new password: ordinary text is taken (and kept only as a hash).
    Password,
}

/// Where a kept text is shown again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    /// The order the post placed: to its shopper, and at the console.
    PlacedOrder,
    /// The order the form was about, at the console (and to its shopper).
    Order { to_shopper: bool },
    /// The store's team page.
    Team,
    /// The import's preview, where the post's answer points.
    Import,
    /// The brand's API keys page.
    ApiKeys,
    /// The store's coupons page.
    Coupons,
    /// The store's audiences page (its sends).
    Sends,
    /// The store's triggered benefits page.
    Benefits,
}

/// Who posts a form (made afresh for each base body, unless said).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// A browser with no cookies yet.
    Visitor,
    /// A shopper with one of [`SKU`] in their bag at [`STORE`].
    Shopper,
    /// A [`Who::Shopper`] who has shared a location inside the delivery area.
    DeliveryShopper,
    /// A kiosk screen at [`STORE`] with one of [`SKU`] in its bag.
    Kiosk,
    /// A signed-in member.
    Member,
    /// Staff of [`STORE`] (demo account 2: orders and the till), signed in once.
    Till,
    /// The manager of [`STORE`] (demo account 1), signed in once.
    Manager,
    /// The brand admin, signed in once.
    Admin,
    /// A new staff member of [`STORE`], signed in (for a post that changes a password).
    NewStaff,
    /// One more staff member of [`STORE`], made once and signed in afresh each time (for
    /// the sign-out, which ends their sign-ins).
    Leaving,
}

type Field = (&'static str, Kind, &'static str);

/// A form post: its path, who posts it, and its fields with their base values. A value
/// in braces is made for each base (see [`Ctx::fill`]).
struct Form {
    path: &'static str,
    who: Who,
    fields: &'static [Field],
}

const fn form(path: &'static str, who: Who, fields: &'static [Field]) -> Form {
    Form { path, who, fields }
}

/// Every form post the router has (`server::router`; [`posted_routes`] checks it).
#[rustfmt::skip]
fn forms() -> Vec<Form> {
    use Kind::*;
    use Who::*;
    vec![
        form(routes::LANG, Visitor, &[
            ("lang", Exact, "en"),
            ("back", Lenient, "/s/sh-jingan-temple"),
        ]),
        form(routes::BAG_ADD, Shopper, &[
            ("store", Exact, STORE),
            ("sku", Exact, SKU),
            ("quantity", ExactIfSent, "2"),
            ("back", Lenient, "/bag"),
        ]),
        form(routes::BAG_SET, Shopper, &[
            ("store", Exact, STORE),
            ("sku", Exact, SKU),
            ("quantity", Exact, "3"),
            ("back", Lenient, "/bag"),
        ]),
        form(routes::BAG_REMOVE, Shopper, &[
            ("store", Exact, STORE),
            ("sku", Exact, SKU),
            ("back", Lenient, "/bag"),
        ]),
        form(routes::BAG_TAKE, Visitor, &[("t", Exact, "{take}")]),
        form(routes::KIOSK_ADD, Kiosk, &[
            ("store", Exact, STORE),
            ("sku", Exact, SKU),
            ("quantity", ExactIfSent, "1"),
            ("back", Lenient, "/kiosk/sh-jingan-temple/bag"),
        ]),
        form(routes::KIOSK_SET, Kiosk, &[
            ("store", Exact, STORE),
            ("sku", Exact, SKU),
            ("quantity", Exact, "2"),
            ("back", Lenient, "/kiosk/sh-jingan-temple/bag"),
        ]),
        form(routes::KIOSK_REMOVE, Kiosk, &[
            ("store", Exact, STORE),
            ("sku", Exact, SKU),
            ("back", Lenient, "/kiosk/sh-jingan-temple/bag"),
        ]),
        // The idle reset ends the screen's own session whatever store the form names
        // (clearing the last shopper's bag is the safe way to be wrong).
        form(routes::KIOSK_RESET, Kiosk, &[("store", Lenient, STORE)]),
        form(routes::CHECKOUT_PLACE, Shopper, &[
            ("store", Exact, STORE),
            // 16–64 of `A-Za-z0-9_-`: twenty nines are a key.
            ("key", ExactTaking(&[Hostile::Huge]), "{key}"),
            // A mode that is not one is a pick-up.
            ("mode", Lenient, "pickup"),
            ("pickup_at", Exact, "{pickup_at}"),
            ("name", Text(Shown::PlacedOrder), "王小明"),
            ("phone", Exact, "138 0013 8000"),
        ]),
        form(routes::CHECKOUT_PLACE, DeliveryShopper, &[
            ("store", Exact, STORE),
            // Twenty nines were the pick-up's key above: another order's now.
            ("key", Exact, "{key}"),
            ("mode", Exact, "delivery"),
            ("place", Exact, "here"),
            ("address", Text(Shown::PlacedOrder), "南京西路 1699 号 3 楼"),
            ("window", Exact, "{window}"),
            ("name", Text(Shown::PlacedOrder), "王小明"),
            ("phone", Exact, "138 0013 8000"),
        ]),
        form(routes::ORDER_CANCEL, Shopper, &[("id", Exact, "{order}")]),
        // No phone at all is "use another number": the pending one is forgotten.
        form(routes::MEMBER_CODE, Visitor, &[("phone", ExactIfSent, "{phone}")]),
        form(routes::MEMBER_VERIFY, Visitor, &[("code", Exact, "{code}")]),
        form(routes::MEMBER_LOGOUT, Member, &[]),
        form(routes::TILL_COLLECT, Till, &[
            ("store", Exact, STORE),
            ("code", Exact, "{pickup_code}"),
        ]),
        form(routes::TILL_ADVANCE, Till, &[
            ("store", Exact, STORE),
            ("id", Exact, "{order}"),
        ]),
        form(routes::TILL_MEMBER, Till, &[
            ("store", Exact, STORE),
            ("code", Exact, "{member_code}"),
        ]),
        form(routes::TILL_REDEEM, Till, &[
            ("store", Exact, STORE),
            ("m", Exact, "{desk}"),
            ("coupon", Exact, "{coupon}"),
        ]),
        form(routes::TILL_POINTS, Till, &[
            ("store", Exact, STORE),
            ("m", Exact, "{desk}"),
            ("points", Exact, "5"),
        ]),
        form(routes::TILL_VERIFY, Till, &[
            ("store", Exact, STORE),
            ("booking_code", Exact, "{booking_code}"),
        ]),
        form(routes::BOOKING_BOOK, Member, &[
            ("store", Exact, STORE),
            ("service", Exact, "fitting-room"),
            ("starts_at", Exact, "{slot}"),
        ]),
        form(routes::BOOKING_MOVE, Member, &[
            ("id", Exact, "{booking}"),
            ("starts_at", Exact, "{other_slot}"),
        ]),
        form(routes::BOOKING_CANCEL, Member, &[("id", Exact, "{booking}")]),
        form(routes::STAFF_SERVICE_SET, Manager, &[
            ("store", Exact, STORE),
            ("service", Exact, "skin-test"),
            ("capacity", Exact, "1"),
            // A checkbox: absent is unticked (the service then takes no bookings).
            ("active", ExactIfSent, "1"),
        ]),
        form(routes::STAFF_LOGIN, Visitor, &[
            ("phone", Exact, "{till_phone}"),
            ("password", Exact, app::ssr::staff::DEMO_PASSWORD),
            ("back", Lenient, "/staff"),
        ]),
        form(routes::STAFF_LOGOUT, Leaving, &[("everywhere", Lenient, "")]),
        form(routes::STAFF_PASSWORD, NewStaff, &[
            ("current", Exact, "{password}"),
            ("password", Password, "a new long password"),
        ]),
        form(routes::STAFF_ORDER_ADVANCE, Till, &[
            ("store", Exact, STORE),
            ("id", Exact, "{order}"),
            ("to", Exact, "preparing"),
            ("back", Lenient, "/staff/sh-jingan-temple"),
        ]),
        form(routes::STAFF_ORDER_ADVANCE, Till, &[
            ("store", Exact, STORE),
            ("id", Exact, "{delivery_order}"),
            ("to", Exact, "out_for_delivery"),
            ("courier", Text(Shown::Order { to_shopper: false }), "张师傅"),
        ]),
        form(routes::STAFF_ORDER_CANCEL, Till, &[
            ("store", Exact, STORE),
            ("id", Exact, "{order}"),
            ("reason", Text(Shown::Order { to_shopper: true }), "售罄 sold out"),
        ]),
        form(routes::STAFF_ORDER_SHORT, Till, &[
            ("store", Exact, STORE),
            ("id", Exact, "{order}"),
            ("sku", Exact, SKU),
            ("short", Exact, "1"),
        ]),
        form(routes::STAFF_TEAM_ADD, Manager, &[
            ("store", Exact, STORE),
            ("name", Text(Shown::Team), "新同事"),
            ("phone", Exact, "{phone}"),
            ("role", Exact, "staff"),
            ("password", Password, "a long password 2"),
        ]),
        form(routes::STAFF_TEAM_RESET, Admin, &[
            ("store", Exact, STORE),
            ("staff", Exact, "{colleague}"),
            ("password", Password, "a long password 3"),
        ]),
        form(routes::STAFF_TEAM_REMOVE, Manager, &[
            ("store", Exact, STORE),
            ("staff", Exact, "{colleague}"),
        ]),
        form(routes::MEMBER_CHOICES, Member, &[
            // Checkboxes: `1` ticked, anything else not.
            ("brand", Lenient, "1"),
            ("store", Lenient, "1"),
            ("guide", Lenient, ""),
        ]),
        form(routes::MEMBER_DELETE, Member, &[("confirm", Exact, "{member_last4}")]),
        form(routes::STAFF_CAMPAIGN_CREATE, Manager, &[
            ("store", Exact, STORE),
            ("title", Text(Shown::Coupons), "周末券"),
            ("kind", Exact, "amount"),
            ("amount", Exact, "5"),
            ("min_spend", Exact, "20"),
            ("from", Exact, "{today}"),
            ("to", Exact, "{today}"),
            ("total", Exact, "100"),
            ("per_member", Exact, "1"),
            ("category", ExactIfSent, "{category}"),
        ]),
        form(routes::STAFF_AUDIENCE_SEND, Manager, &[
            ("store", Exact, STORE),
            // The audience's query: what it does not know it ignores (everyone, then).
            ("audience", Lenient, "{audience}"),
            ("body", Text(Shown::Sends), "周末来店里看看"),
            ("campaign", ExactIfSent, "{campaign}"),
            ("sku", ExactIfSent, SKU),
        ]),
        form(routes::STAFF_BENEFIT_ADD, Manager, &[
            ("store", Exact, STORE),
            ("trigger", Exact, "check_in"),
            ("days", ExactIfSent, "1"),
            ("campaign", ExactIfSent, "{campaign}"),
            ("points", ExactIfSent, "10"),
            ("message", Text(Shown::Benefits), "欢迎光临"),
        ]),
        form(routes::STAFF_BENEFIT_TOGGLE, Manager, &[
            ("store", Exact, STORE),
            ("rule", Exact, "{rule}"),
            ("on", Exact, "0"),
        ]),
        form(routes::CHECK_IN, Member, &[("store", Exact, STORE)]),
        form(routes::STAFF_API_KEY_CREATE, Admin, &[
            ("name", Text(Shown::ApiKeys), "ERP 同步"),
            // Checkboxes: `1` ticked, absent not (one of the two is enough).
            ("webhooks_write", ExactIfSent, "1"),
            ("orders_read", ExactIfSent, "1"),
        ]),
        form(routes::STAFF_API_KEY_REVOKE, Admin, &[("id", Exact, "{api_key}")]),
        form(routes::STAFF_OFFER_SET, Manager, &[
            ("store", Exact, STORE),
            ("sku", Exact, STOCK_SKU),
            // Empty fields are left as they are.
            ("price", ExactIfSent, "12.90"),
            ("list_price", ExactIfSent, "15.00"),
            ("stock", ExactIfSent, "{stock}"),
            // A `was_stock` that is not a stock does not guard the edit.
            ("was_stock", Lenient, "{was_stock}"),
            ("back", Lenient, "/staff/sh-jingan-temple/stock"),
        ]),
        form(routes::STAFF_STOCK_PREVIEW, Manager, &[
            ("store", Exact, STORE),
            ("csv", Text(Shown::Import), "HC101102,40"),
        ]),
        form(routes::STAFF_STOCK_APPLY, Manager, &[
            ("store", Exact, STORE),
            ("import", Exact, "{import}"),
        ]),
        form(routes::STAFF_SETTINGS_SAVE, Admin, &[
            ("store", Exact, STORE),
            ("window_capacity", Exact, "12"),
            ("delivery_radius_km", Exact, "3"),
            ("delivery_fee", Exact, "6"),
            ("free_delivery_from", Exact, "59"),
            ("pickup_lead_min", Exact, "20"),
            // A checkbox: absent is unticked.
            ("pay_at_store", ExactIfSent, "1"),
        ]),
        form(routes::STAFF_WINDOW_CAPACITY, Admin, &[
            ("store", Exact, STORE),
            ("starts_at", Exact, "{window}"),
            ("capacity", Exact, "12"),
        ]),
        form(routes::STAFF_PAUSE, Admin, &[
            ("store", Exact, STORE),
            ("scope", Exact, "delivery"),
            ("minutes", Exact, "0"),
        ]),
        form(routes::STAFF_SPECIAL_DAY, Admin, &[
            ("store", Exact, STORE),
            ("date", Exact, "{date}"),
            // No hours is closed all day.
            ("hours", ExactIfSent, "10:00-18:00"),
        ]),
        form(routes::STAFF_SPECIAL_DAY_REMOVE, Admin, &[
            ("store", Exact, STORE),
            ("date", Exact, "{special_day}"),
        ]),
    ]
}

/// The paths the router takes form posts at, read from its source (`.route(routes::X,
/// post(…))` in `server/src/lib.rs`, `X`'s path from `app/src/links.rs`): a new form
/// without a row in [`forms`] fails the test.
fn posted_routes() -> BTreeSet<&'static str> {
    let router = include_str!("../../src/lib.rs");
    let links = include_str!("../../../app/src/links.rs");
    router
        .split(".route(")
        .skip(1)
        .filter_map(|call| {
            let (name, rest) = call.split_once(',')?;
            let name = name.trim().strip_prefix("routes::")?;
            rest.trim_start().starts_with("post(").then_some(name)
        })
        .map(|name| {
            links
                .split_once(&format!("pub const {name}: &str = \""))
                .and_then(|(_, rest)| rest.split('"').next())
                .unwrap_or_else(|| panic!("routes::{name} in app/src/links.rs"))
        })
        .collect()
}

/// One change to a base body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    Replace(usize, Hostile),
    Drop(usize),
    Twice(usize),
}

impl Variant {
    fn field(self) -> usize {
        match self {
            Variant::Replace(i, _) | Variant::Drop(i) | Variant::Twice(i) => i,
        }
    }

    fn apply(self, base: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
        let mut body = base.to_vec();
        match self {
            Variant::Replace(i, h) => body[i].1 = h.text(),
            Variant::Drop(i) => {
                body.remove(i);
            }
            Variant::Twice(i) => body.push(base[i].clone()),
        }
        body
    }
}

fn variants(form: &Form) -> Vec<Variant> {
    (0..form.fields.len())
        .flat_map(|i| {
            Hostile::ALL
                .into_iter()
                .map(move |h| Variant::Replace(i, h))
                .chain([Variant::Drop(i), Variant::Twice(i)])
        })
        .collect()
}

/// What a variant must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Refused,
    Taken,
    Either,
}

fn expect(kind: Kind, variant: Variant) -> Expect {
    match (variant, kind) {
        // A field sent twice is not a form the app wrote.
        (Variant::Twice(_), _) => Expect::Refused,
        (Variant::Drop(_), Kind::Exact | Kind::ExactTaking(_)) => Expect::Refused,
        (Variant::Replace(_, h), Kind::ExactTaking(good)) if good.contains(&h) => Expect::Taken,
        (Variant::Drop(_), _) => Expect::Either,
        (Variant::Replace(..), Kind::Exact | Kind::ExactTaking(_) | Kind::ExactIfSent) => {
            Expect::Refused
        }
        (Variant::Replace(_, h), Kind::Text(_) | Kind::Password) if h.is_ordinary_text() => {
            Expect::Taken
        }
        (Variant::Replace(..), _) => Expect::Either,
    }
}

/// An answer as read.
struct Answer {
    status: u16,
    content_type: String,
    location: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

/// A form post: as the form enhancer sends it (`json`, with the real status) or as a
/// browser without JavaScript does.
async fn post(b: &Browser, path: &str, body: &[(&str, String)], json: bool) -> Answer {
    let mut request = b.http.post(b.url(path)).form(body);
    if json {
        request = request.header("accept", "application/json");
    }
    let r = request.send().await.expect("POST");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (content_type, location) = (
        header("content-type").unwrap_or_default(),
        header("location"),
    );
    let status = r.status().as_u16();
    Answer {
        status,
        content_type,
        location,
        body: r.text().await.expect("body"),
    }
}

/// Up to 300 characters of `body` around `needle` (or its start).
fn excerpt(body: &str, needle: &str) -> String {
    let at = body.find(needle).unwrap_or(0);
    let start = body.floor_char_boundary(at.saturating_sub(150));
    let end = body.ceil_char_boundary((at + 150).min(body.len()));
    body[start..end].to_owned()
}

/// No 5xx, no raw `<script>`, no database's words.
fn assert_clean(what: &str, status: u16, body: &str) {
    assert!(status < 500, "{what}: {status}: {}", excerpt(body, ""));
    assert!(
        !body.contains(SCRIPT),
        "{what}: an unescaped <script> came back: {}",
        excerpt(body, SCRIPT)
    );
    for word in DB_WORDS {
        assert!(
            !body.contains(word),
            "{what}: the database's words came back: {}",
            excerpt(body, word)
        );
    }
}

/// Every row of every table (but [`MAY_CHANGE`]'s) as text: one string per table, its
/// rows apart by U+001E, in the order the database read them.
#[derive(Clone, Debug)]
struct Fingerprint(Vec<(String, String)>);

/// A table's rows, sorted: a database may read rows that did not change in another order.
fn rows(all: &str) -> Vec<&str> {
    let mut rows: Vec<&str> = all.split('\u{1e}').filter(|r| !r.is_empty()).collect();
    rows.sort_unstable();
    rows
}

impl PartialEq for Fingerprint {
    fn eq(&self, other: &Fingerprint) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((t, a), (u, b))| t == u && (a == b || rows(a) == rows(b)))
    }
}

/// The query that reads a [`Fingerprint`]: one string per table, the tables found from
/// the schema, all in one statement (one snapshot, one round trip).
struct Fingerprints {
    tables: Vec<String>,
    sql: String,
}

impl Fingerprints {
    async fn new(app: &TestApp) -> Fingerprints {
        let pool = &app.db().pool;
        let sqlite = app.kind() == DbKind::Sqlite;
        // SQLite's R*Tree of store locations is an index that triggers keep from `stores`
        // (its shadow tables hold binary nodes): `stores` itself is compared.
        let tables: Vec<(String,)> = sqlx::query_as(if sqlite {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'stores_rtree%' ORDER BY name"
        } else {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        })
        .fetch_all(pool)
        .await
        .unwrap();
        let (mut names, mut queries) = (Vec::new(), Vec::new());
        for (table,) in tables {
            let skipped = |column: Option<&str>| {
                MAY_CHANGE
                    .iter()
                    .any(|(t, c, _)| *t == table && *c == column)
            };
            if skipped(None) {
                continue;
            }
            let columns: Vec<(String,)> = sqlx::query_as(if sqlite {
                "SELECT name FROM pragma_table_info($1) ORDER BY cid"
            } else {
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
            })
            .bind(&table)
            .fetch_all(pool)
            .await
            .unwrap();
            let rows = if table == "offers" {
                OFFERS.to_owned()
            } else {
                let row = columns
                    .iter()
                    .filter(|(c,)| !skipped(Some(c)))
                    .map(|(c,)| format!("COALESCE(CAST(\"{c}\" AS TEXT), '∅')"))
                    .collect::<Vec<_>>()
                    .join(" || ' | ' || ");
                format!("SELECT {row} AS r FROM \"{table}\"")
            };
            // One string per table: far quicker than a row at a time.
            queries.push(if sqlite {
                format!("(SELECT group_concat(r, char(30)) FROM ({rows}))")
            } else {
                format!("(SELECT string_agg(r, chr(30)) FROM ({rows}) AS rows)")
            });
            names.push(table);
        }
        assert!(names.len() >= 15, "the schema's tables: {names:?}");
        Fingerprints {
            tables: names,
            sql: format!("SELECT {}", queries.join(", ")),
        }
    }

    async fn take(&self, app: &TestApp) -> Fingerprint {
        use sqlx::Row;
        let row = sqlx::query(&self.sql)
            .fetch_one(&app.db().pool)
            .await
            .expect("a fingerprint");
        Fingerprint(
            self.tables
                .iter()
                .enumerate()
                .map(|(i, table)| {
                    let all: Option<String> = row.try_get(i).expect("a table's rows");
                    (table.clone(), all.unwrap_or_default())
                })
                .collect(),
        )
    }
}

/// The rows `after` has that `before` had not (`table: row`).
fn new_rows(before: &Fingerprint, after: &Fingerprint) -> Vec<String> {
    let mut out = Vec::new();
    for ((table, was), (_, now)) in before.0.iter().zip(&after.0) {
        if was == now {
            continue;
        }
        let mut counts: HashMap<&str, i64> = HashMap::new();
        for row in rows(was) {
            *counts.entry(row).or_default() += 1;
        }
        for row in rows(now) {
            let n = counts.entry(row).or_default();
            if *n > 0 {
                *n -= 1;
            } else {
                out.push(format!("{table}: {row}"));
            }
        }
    }
    out
}

/// What changed, said briefly: the rows gone and the rows new.
fn changes(before: &Fingerprint, after: &Fingerprint) -> String {
    format!(
        "gone {:?}, new {:?}",
        new_rows(after, before),
        new_rows(before, after)
    )
}

/// A base body made for a form, and what it is about.
struct Prepared {
    who: Arc<Browser>,
    body: Vec<(&'static str, String)>,
    /// The order the form is about, and the shopper who placed it.
    order: Option<(String, Arc<Browser>)>,
    /// The member the till is serving: their code, the desk's token, their coupon.
    desk: Option<(String, String, String)>,
    /// A new staff member's password.
    password: String,
    /// The booking the form is about (a new member's, for the fitting room).
    booking: Option<String>,
}

/// The test's server, the staff signed in once, and a counter for unique keys and numbers.
struct Ctx<'a> {
    app: &'a TestApp,
    store_id: i64,
    till: Arc<Browser>,
    manager: Arc<Browser>,
    admin: Arc<Browser>,
    /// The number of [`Who::Leaving`].
    leaving: String,
    n: AtomicU32,
}

impl<'a> Ctx<'a> {
    async fn new(app: &'a TestApp) -> Ctx<'a> {
        let cx = Ctx {
            app,
            store_id: app.store_id(STORE).await,
            till: Arc::new(app.staff(STORE, 2).await),
            manager: Arc::new(app.staff(STORE, 1).await),
            admin: Arc::new(app.admin().await),
            leaving: "13200000001".to_owned(),
            n: AtomicU32::new(0),
        };
        cx.colleague(&cx.leaving, LEAVING_PASSWORD).await;
        cx
    }

    fn next(&self) -> u32 {
        self.n.fetch_add(1, Ordering::Relaxed)
    }

    /// Limits forgotten, so that every post reaches the checks behind them (the limits
    /// have tests of their own).
    async fn forget_limits(&self) {
        sqlx::query("DELETE FROM rate_limits")
            .execute(&self.app.db().pool)
            .await
            .unwrap();
    }

    async fn shopper(&self) -> Browser {
        let b = self.app.browser();
        let r = b
            .post_form(
                routes::BAG_ADD,
                &[
                    ("store", STORE),
                    ("sku", SKU),
                    ("quantity", "1"),
                    ("back", "/"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "a shopper's bag");
        b
    }

    async fn delivery_shopper(&self) -> Browser {
        let b = self.shopper().await;
        b.set_cookie(HERE);
        b
    }

    async fn checkout_page(&self, b: &Browser) -> String {
        let (status, page) = b.get(&links::checkout(STORE)).await;
        assert_eq!(status, 200, "the checkout page");
        page
    }

    async fn first_pickup_time(&self, b: &Browser) -> String {
        let page = self.checkout_page(b).await;
        page.split("name=\"pickup_at\"")
            .nth(1)
            .and_then(|s| s.split("<option value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .expect("a pick-up time")
            .to_owned()
    }

    async fn first_open_window(&self, b: &Browser) -> String {
        let page = self.checkout_page(b).await;
        page.split("id=\"w-")
            .skip(1)
            .find(|rest| !rest.split('>').next().unwrap_or("").contains("disabled"))
            .and_then(|rest| rest.split('"').next())
            .expect("an open delivery window")
            .to_owned()
    }

    /// The shopper's bag as an order: a pick-up, or a delivery to "here".
    async fn place(&self, b: &Browser, delivery: bool) -> String {
        let key = format!("hostile-order-{:08}", self.next());
        let mut form = vec![
            ("store", STORE.to_owned()),
            ("key", key),
            ("name", "王小明".to_owned()),
            ("phone", "13800138000".to_owned()),
        ];
        if delivery {
            form.extend([
                ("mode", "delivery".to_owned()),
                ("place", "here".to_owned()),
                ("address", "南京西路 1699 号 3 楼".to_owned()),
                ("window", self.first_open_window(b).await),
            ]);
        } else {
            form.extend([
                ("mode", "pickup".to_owned()),
                ("pickup_at", self.first_pickup_time(b).await),
            ]);
        }
        let r = post(b, routes::CHECKOUT_PLACE, &form, true).await;
        let mode = if delivery { "delivery" } else { "pick-up" };
        assert_eq!(r.status, 200, "a {mode} order placed: {}", r.body);
        r.json()["order"].as_str().expect("its id").to_owned()
    }

    /// The code the demo sender last "sent" to `phone`.
    async fn sent_code(&self, phone: &str) -> String {
        let (message,): (String,) = sqlx::query_as(
            "SELECT message FROM demo_inbox WHERE phone = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(phone)
        .fetch_one(&self.app.db().pool)
        .await
        .unwrap();
        message
            .chars()
            .filter(char::is_ascii_digit)
            .take(6)
            .collect()
    }

    /// Asks for a sign-in code for a new number on `b`: the code.
    async fn ask_code(&self, b: &Browser) -> String {
        let phone = format!("136{:08}", self.next());
        let (status, reply) = b
            .post_form_json(routes::MEMBER_CODE, &[("phone", &phone)])
            .await;
        assert_eq!(status, 200, "a code sent: {reply}");
        self.sent_code(&phone).await
    }

    async fn member(&self) -> Browser {
        let b = self.app.browser();
        let code = self.ask_code(&b).await;
        let (status, reply) = b
            .post_form_json(routes::MEMBER_VERIFY, &[("code", &code)])
            .await;
        assert_eq!(status, 200, "a member signed in: {reply}");
        b
    }

    /// A new member, as the till's member desk serves them: their member code (from a
    /// signed-in device), the desk's token, and their welcome coupon.
    async fn desk(&self) -> (String, String, String) {
        use app::ssr::members;
        let db = self.app.db();
        let now = app::ssr::session::now();
        let (member, _) = members::join(&db, &format!("137{:08}", self.next()), None)
            .await
            .unwrap();
        let cookie = members::sign_in(&db, None, member, false).await.unwrap();
        let token = cookie
            .split(';')
            .next()
            .and_then(|pair| pair.split_once('='))
            .map(|(_, t)| t.to_owned())
            .unwrap();
        let session = app::ssr::session::hash_token(&token);
        let (device, secret) = members::device_of(&db, &session).await.unwrap().unwrap();
        let code = app::domain::member_code::code(&device, &hex::decode(secret).unwrap(), now);
        let (coupon,): (i64,) = sqlx::query_as(
            "SELECT id FROM coupons WHERE member_id = $1 AND used_at IS NULL ORDER BY id LIMIT 1",
        )
        .bind(member)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        (
            code,
            members::till_token(&self.app.key(), member, now),
            coupon.to_string(),
        )
    }

    /// The first free time of the fitting room at [`STORE`], as `b` sees it.
    async fn free_slot(&self, b: &Browser) -> String {
        let (status, page) = b.get(&links::services(STORE)).await;
        assert_eq!(status, 200, "the services page");
        page.split("id=\"slot-fitting-room\"")
            .nth(1)
            .and_then(|s| s.split("</select>").next())
            .and_then(|s| {
                s.split("<option value=\"")
                    .skip(1)
                    .find(|o| !o.split('>').next().unwrap_or("").contains("disabled"))
            })
            .and_then(|o| o.split('"').next())
            .expect("a free time")
            .to_owned()
    }

    /// Books the fitting room's first free time for the member signed in on `b`: the
    /// booking's id (their only one).
    async fn book(&self, b: &Browser) -> String {
        let slot = self.free_slot(b).await;
        let (status, reply) = b
            .post_form_json(
                routes::BOOKING_BOOK,
                &[
                    ("store", STORE),
                    ("service", "fitting-room"),
                    ("starts_at", &slot),
                ],
            )
            .await;
        assert_eq!(status, 200, "a booking: {reply}");
        let page = b.page(links::my_bookings()).await;
        page.split("id=\"booking-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the booking on the member's page")
            .to_owned()
    }

    /// A new person with the staff role at [`STORE`]: their id.
    async fn colleague(&self, phone: &str, password: &str) -> i64 {
        app::ssr::staff::add_to_store(
            &self.app.db(),
            self.store_id,
            "临时同事",
            phone,
            Role::Staff,
            password,
        )
        .await
        .unwrap()
        .unwrap()
    }

    /// A kiosk screen at [`STORE`] with one of [`SKU`] in its bag.
    async fn kiosk(&self) -> Browser {
        let b = self.app.browser();
        let r = b
            .post_form(
                routes::KIOSK_ADD,
                &[("store", STORE), ("sku", SKU), ("quantity", "1")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "a kiosk's bag");
        assert!(b.cookie("kid").is_some(), "a kiosk session");
        b
    }

    /// A date in the store's calendar, far enough ahead to touch no window shown.
    fn future_date(&self) -> String {
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        (today + chrono::Duration::days(30 + i64::from(self.next() % 300))).to_string()
    }

    async fn stock_now(&self) -> i64 {
        let (stock,): (i64,) = sqlx::query_as(
            "SELECT stock FROM offers WHERE store_id = $1 \
             AND product_id = (SELECT id FROM products WHERE sku = $2)",
        )
        .bind(self.store_id)
        .bind(STOCK_SKU)
        .fetch_one(&self.app.db().pool)
        .await
        .unwrap();
        stock
    }

    /// A base body for `form`, with whatever it is about made afresh.
    async fn prepare(&self, form: &Form) -> Prepared {
        self.forget_limits().await;
        let (who, password) = match form.who {
            Who::Visitor => (Arc::new(self.app.browser()), String::new()),
            Who::Shopper => (Arc::new(self.shopper().await), String::new()),
            Who::DeliveryShopper => (Arc::new(self.delivery_shopper().await), String::new()),
            Who::Kiosk => (Arc::new(self.kiosk().await), String::new()),
            Who::Member => (Arc::new(self.member().await), String::new()),
            Who::Till => (self.till.clone(), String::new()),
            Who::Manager => (self.manager.clone(), String::new()),
            Who::Admin => (self.admin.clone(), String::new()),
            Who::Leaving => {
                let b = self.app.signed_in(&self.leaving, LEAVING_PASSWORD).await;
                (Arc::new(b), String::new())
            }
            Who::NewStaff => {
                let phone = format!("134{:08}", self.next());
                let password = format!("a long password {phone}");
                self.colleague(&phone, &password).await;
                (
                    Arc::new(self.app.signed_in(&phone, &password).await),
                    password,
                )
            }
        };
        self.fill_all(form, who, password).await
    }

    async fn fill_all(&self, form: &Form, who: Arc<Browser>, password: String) -> Prepared {
        let mut p = Prepared {
            who,
            body: Vec::new(),
            order: None,
            desk: None,
            password,
            booking: None,
        };
        for (name, _, value) in form.fields {
            let value = if value.starts_with('{') {
                self.fill(value, form.who, &mut p).await
            } else {
                (*value).to_owned()
            };
            p.body.push((*name, value));
        }
        p
    }

    /// A value made for one base body.
    async fn fill(&self, placeholder: &str, who: Who, p: &mut Prepared) -> String {
        match placeholder {
            "{key}" => format!("hostile-key-{:08}", self.next()),
            "{pickup_at}" => self.first_pickup_time(&p.who).await,
            "{window}" => match who {
                Who::DeliveryShopper => self.first_open_window(&p.who).await,
                _ => self.first_open_window(&self.shopper().await).await,
            },
            "{order}" | "{pickup_code}" => {
                if p.order.is_none() {
                    // A shopper's form is about their own order.
                    let owner = match who {
                        Who::Shopper => p.who.clone(),
                        _ => Arc::new(self.shopper().await),
                    };
                    let id = self.place(&owner, false).await;
                    p.order = Some((id, owner));
                }
                let id = p.order.as_ref().unwrap().0.clone();
                if placeholder == "{order}" {
                    return id;
                }
                let (code,): (String,) =
                    sqlx::query_as("SELECT pickup_code FROM orders WHERE id = $1")
                        .bind(&id)
                        .fetch_one(&self.app.db().pool)
                        .await
                        .unwrap();
                code
            }
            "{delivery_order}" => {
                let owner = Arc::new(self.delivery_shopper().await);
                let id = self.place(&owner, true).await;
                let (status, reply) = self
                    .till
                    .post_form_json(
                        routes::STAFF_ORDER_ADVANCE,
                        &[("store", STORE), ("id", &id), ("to", "preparing")],
                    )
                    .await;
                assert_eq!(status, 200, "the delivery is being prepared: {reply}");
                p.order = Some((id.clone(), owner));
                id
            }
            "{phone}" => format!("135{:08}", self.next()),
            "{code}" => self.ask_code(&p.who).await,
            "{member_code}" | "{desk}" | "{coupon}" => {
                if p.desk.is_none() {
                    p.desk = Some(self.desk().await);
                }
                let (code, desk, coupon) = p.desk.clone().unwrap();
                match placeholder {
                    "{member_code}" => code,
                    "{desk}" => desk,
                    _ => coupon,
                }
            }
            "{colleague}" => {
                let phone = format!("133{:08}", self.next());
                self.colleague(&phone, "a long password 1")
                    .await
                    .to_string()
            }
            "{import}" => {
                let (status, reply) = self
                    .manager
                    .post_form_json(
                        routes::STAFF_STOCK_PREVIEW,
                        &[("store", STORE), ("csv", &format!("{STOCK_SKU},40"))],
                    )
                    .await;
                assert_eq!(status, 200, "an import to apply: {reply}");
                reply["href"]
                    .as_str()
                    .and_then(|h| h.rsplit('/').next())
                    .expect("its id")
                    .to_owned()
            }
            "{date}" => self.future_date(),
            "{special_day}" => {
                let date = self.future_date();
                let (status, reply) = self
                    .admin
                    .post_form_json(
                        routes::STAFF_SPECIAL_DAY,
                        &[("store", STORE), ("date", &date), ("hours", "")],
                    )
                    .await;
                assert_eq!(status, 200, "a special day to remove: {reply}");
                date
            }
            "{stock}" => (self.stock_now().await + 1).to_string(),
            "{was_stock}" => self.stock_now().await.to_string(),
            "{take}" => {
                let kiosk = self.kiosk().await;
                let session = app::ssr::session::hash_token(&kiosk.cookie("kid").unwrap());
                app::ssr::handoff::issue_at(
                    &self.app.key(),
                    &session,
                    STORE,
                    app::ssr::session::now(),
                )
            }
            "{api_key}" => {
                let db = self.app.db();
                let (admin,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE phone = $1")
                    .bind(crate::harness::ADMIN_PHONE)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
                let scopes = [app::domain::ops::Scope::OrdersRead];
                let (id, _) = app::ssr::ops::keys::create(&db, admin, "待撤销", &scopes)
                    .await
                    .unwrap();
                id.to_string()
            }
            "{slot}" => self.free_slot(&p.who).await,
            "{booking}" | "{booking_code}" | "{other_slot}" => {
                if p.booking.is_none() {
                    // A member's form is about their own booking.
                    let member = match who {
                        Who::Member => p.who.clone(),
                        _ => Arc::new(self.member().await),
                    };
                    p.booking = Some(self.book(&member).await);
                }
                let id = p.booking.clone().unwrap();
                match placeholder {
                    "{booking}" => id,
                    "{booking_code}" => {
                        let (code,): (String,) =
                            sqlx::query_as("SELECT code FROM bookings WHERE id = $1")
                                .bind(&id)
                                .fetch_one(&self.app.db().pool)
                                .await
                                .unwrap();
                        code
                    }
                    _ => {
                        let page = p.who.page(links::my_bookings()).await;
                        page.split(&format!("id=\"move-{id}\""))
                            .nth(1)
                            .and_then(|s| s.split("</select>").next())
                            .and_then(|s| {
                                s.split("<option value=\"").skip(1).find(|o| {
                                    !o.split('>').next().unwrap_or("").contains("disabled")
                                })
                            })
                            .and_then(|o| o.split('"').next())
                            .expect("another free time")
                            .to_owned()
                    }
                }
            }
            "{password}" => p.password.clone(),
            "{member_last4}" => {
                // The member who posts: the one just signed in for this base.
                let (phone,): (String,) = sqlx::query_as(
                    "SELECT phone FROM members WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1",
                )
                .fetch_one(&self.app.db().pool)
                .await
                .unwrap();
                phone[phone.len() - 4..].to_owned()
            }
            "{today}" => (chrono::Utc::now() + chrono::Duration::hours(8))
                .date_naive()
                .to_string(),
            "{category}" => {
                let (id,): (i64,) = sqlx::query_as("SELECT id FROM categories ORDER BY id LIMIT 1")
                    .fetch_one(&self.app.db().pool)
                    .await
                    .unwrap();
                id.to_string()
            }
            "{audience}" => {
                // A member of the store (brought by its guide), so that a send has
                // someone to reach; the audience is the whole store.
                let db = self.app.db();
                let (guide,): (String,) = sqlx::query_as(
                    "SELECT code FROM guides WHERE store_id = $1 ORDER BY code LIMIT 1",
                )
                .bind(self.store_id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
                app::ssr::members::join(&db, &format!("136{:08}", self.next()), Some(&guide))
                    .await
                    .unwrap();
                String::new()
            }
            "{rule}" => {
                let db = self.app.db();
                let (manager,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE phone = $1")
                    .bind(app::ssr::staff::demo_phone(self.store_id, 1))
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
                let rule = app::domain::benefit::parse_rule("join", "", "5", "", false).unwrap();
                app::ssr::benefits::add_rule(&db, self.store_id, manager, &rule, None)
                    .await
                    .unwrap()
                    .to_string()
            }
            "{campaign}" => {
                let db = self.app.db();
                let (manager,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE phone = $1")
                    .bind(app::ssr::staff::demo_phone(self.store_id, 1))
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
                let today = chrono::Utc::now().date_naive();
                let campaign = app::domain::coupon::NewCampaign {
                    title: "随消息送".to_owned(),
                    benefit: app::domain::coupon::Benefit::AmountOff(500),
                    min_spend: 0,
                    from: today,
                    to: today,
                    total: 1000,
                    per_member: 10,
                };
                let now = app::ssr::session::now();
                app::ssr::coupons::create_campaign(
                    &db,
                    self.store_id,
                    false,
                    manager,
                    &campaign,
                    &[],
                    (now - 60, now + 86_400),
                )
                .await
                .unwrap()
                .to_string()
            }
            "{till_phone}" => app::ssr::staff::demo_phone(self.store_id, 2),
            other => panic!("no way to make {other}"),
        }
    }

    /// The pages that show a text a post kept: each must show it escaped.
    async fn assert_shown_escaped(&self, what: &str, shown: Shown, p: &Prepared, reply: &Answer) {
        let mut pages: Vec<(Arc<Browser>, String)> = Vec::new();
        match shown {
            Shown::PlacedOrder => {
                let id = reply.json()["order"].as_str().expect("an order").to_owned();
                pages.push((p.who.clone(), links::order(&id)));
                pages.push((self.till.clone(), links::console_order(STORE, &id)));
            }
            Shown::Order { to_shopper } => {
                let (id, owner) = p.order.clone().expect("an order");
                pages.push((self.till.clone(), links::console_order(STORE, &id)));
                if to_shopper {
                    pages.push((owner, links::order(&id)));
                }
            }
            Shown::Team => pages.push((self.manager.clone(), links::console(STORE, "team"))),
            Shown::Import => {
                let href = reply.json()["href"].as_str().expect("an import").to_owned();
                pages.push((self.manager.clone(), href));
            }
            Shown::ApiKeys => pages.push((self.admin.clone(), routes::STAFF_API_KEYS.to_owned())),
            Shown::Coupons => pages.push((self.manager.clone(), links::console(STORE, "coupons"))),
            Shown::Sends => pages.push((self.manager.clone(), links::console(STORE, "audience"))),
            Shown::Benefits => {
                pages.push((self.manager.clone(), links::console(STORE, "benefits")))
            }
        }
        for (b, path) in pages {
            let (status, page) = b.get(&path).await;
            let what = format!("{what}, shown at {path}");
            assert_clean(&what, status, &page);
            assert_eq!(status, 200, "{what}");
            assert!(
                page.contains(SCRIPT_ESCAPED),
                "{what}: the text is shown, escaped: {}",
                excerpt(&page, "script")
            );
        }
    }
}

/// One form: its base taken; a body over the limit refused with a page; then every
/// variant of every field.
async fn walk(cx: &Ctx<'_>, prints: &Fingerprints, form: &Form) -> usize {
    let app = cx.app;
    let mut posts = 0;
    let mut p = cx.prepare(form).await;
    // The base is taken, or every refusal below would prove nothing.
    let base = post(&p.who, form.path, &p.body, true).await;
    posts += 1;
    assert_clean(
        &format!("{} {:?}", form.path, p.body),
        base.status,
        &base.body,
    );
    assert!(
        base.status < 400,
        "{} ({:?}): the base form is taken: {} {}",
        form.path,
        form.who,
        base.status,
        base.body
    );
    p = cx.prepare(form).await;

    // Over the limit: a page that says so, and nothing changed. (A post with no fields
    // reads no body: there is nothing to refuse.)
    if !form.fields.is_empty() {
        let limit = if form.path == routes::STAFF_STOCK_PREVIEW {
            server::forms::stock::MAX_CSV_BYTES
        } else {
            server::error_pages::MAX_FORM_BYTES
        };
        let mut body = p.body.clone();
        body.push(("pad", "a".repeat(limit + 1024)));
        let before = prints.take(app).await;
        let r = post(&p.who, form.path, &body, false).await;
        posts += 1;
        let what = format!("{} over {limit} bytes", form.path);
        assert_clean(&what, r.status, &r.body);
        assert_eq!(r.status, 413, "{what}");
        assert!(r.content_type.starts_with("text/html"), "{what}: a page");
        assert!(
            r.body.contains(Msg::TooLarge.t(Lang::ZhCn)),
            "{what}: saying so"
        );
        let after = prints.take(app).await;
        assert!(
            after == before,
            "{what} changed {}",
            changes(&before, &after)
        );
    }

    let mut known: Option<Fingerprint> = None;
    for variant in variants(form) {
        let (name, kind, _) = form.fields[variant.field()];
        let what = format!("{} ({:?}) {name} {variant:?}", form.path, form.who);
        let expected = expect(kind, variant);
        let body = variant.apply(&p.body);
        cx.forget_limits().await;
        let before = match known.take() {
            Some(fp) => fp,
            None => prints.take(app).await,
        };
        let r = post(&p.who, form.path, &body, true).await;
        posts += 1;
        let after = prints.take(app).await;
        assert_clean(&what, r.status, &r.body);
        let taken = r.status < 400;
        match expected {
            Expect::Refused => assert!(!taken, "{what} is refused: {} {}", r.status, r.body),
            Expect::Taken => assert!(taken, "{what} is taken: {} {}", r.status, r.body),
            Expect::Either => {}
        }
        if matches!(variant, Variant::Replace(_, Hostile::FewKb)) {
            assert_ne!(r.status, 413, "{what}: a few KB is not too large");
        }
        if taken {
            let new = new_rows(&before, &after);
            assert!(
                !new.iter().any(|row| row.contains('\0')),
                "{what}: NUL is never kept: {new:?}"
            );
            if let (Variant::Replace(_, h), Kind::Text(shown)) = (variant, kind)
                && h.is_ordinary_text()
            {
                let text = h.text();
                assert!(
                    new.iter().any(|row| row.contains(&text)),
                    "{what}: kept as typed: {new:?}"
                );
                if h == Hostile::Script {
                    cx.assert_shown_escaped(&what, shown, &p, &r).await;
                }
            }
            if kind == Kind::Password && expected == Expect::Taken {
                assert!(
                    new.iter().any(|row| row.starts_with("staff: ")),
                    "{what}: the password changed: {new:?}"
                );
            }
            p = cx.prepare(form).await;
        } else {
            assert!(
                after == before,
                "{what} was refused but changed {}",
                changes(&before, &after)
            );
            known = Some(after);
        }

        // `<script>` again without JavaScript, and the page the post goes back to (its
        // one-time message, a checkout draft) shows it escaped, if at all.
        if let Variant::Replace(_, Hostile::Script) = variant {
            let what = format!("{what}, without JavaScript");
            let before = match known.take() {
                Some(fp) => fp,
                None => prints.take(app).await,
            };
            cx.forget_limits().await;
            // Made again from the base: a post taken above was made afresh since.
            let r = post(&p.who, form.path, &variant.apply(&p.body), false).await;
            posts += 1;
            assert_clean(&what, r.status, &r.body);
            let after = prints.take(app).await;
            if !taken {
                assert!(
                    after == before,
                    "{what} was refused but changed {}",
                    changes(&before, &after)
                );
            }
            if let Some(to) = &r.location {
                let (status, page) = p.who.get(to).await;
                assert_clean(&format!("{what}, back at {to}"), status, &page);
            }
            if taken {
                p = cx.prepare(form).await;
            }
        }
    }
    posts
}

both_backends! {
    /// Every form post × every hostile variant of every field: never a 5xx, a raw
    /// `<script>` or a database's words; a refusal changes nothing; ordinary text in a
    /// free-text field is taken, kept as typed and shown escaped; a body over the limit
    /// is a page saying so.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_form_takes_hostile_input_without_a_500_or_a_change(kind: DbKind) {
        let started = Instant::now();
        let app = TestApp::start(kind).await;
        // Stock enough for every order the walk places.
        sqlx::query(
            "UPDATE offers SET stock = 100000 WHERE product_id = (SELECT id FROM products WHERE sku = $1)",
        )
        .bind(SKU)
        .execute(&app.db().pool)
        .await
        .unwrap();
        let cx = Ctx::new(&app).await;
        let prints = Fingerprints::new(&app).await;
        let forms = forms();
        let mut covered: BTreeSet<&str> = forms.iter().map(|f| f.path).collect();
        // Not a form: the payment provider's signed notify, which believes nothing its
        // signature does not cover (forged, tampered and replayed ones: payment.rs; its
        // parser is fuzzed: fuzz/fuzz_targets/alipay_notify.rs).
        covered.insert(routes::PAYMENT_NOTIFY);
        assert_eq!(covered, posted_routes(), "one row (or more) per form the router takes");
        let mut posts = 0;
        for form in &forms {
            let at = Instant::now();
            posts += walk(&cx, &prints, form).await;
            eprintln!("  {} ({:?}): {:.1?}", form.path, form.who, at.elapsed());
        }
        eprintln!(
            "hostile input ({kind:?}): {posts} posts to {} forms in {:.1?}",
            forms.len(),
            started.elapsed()
        );
        app.stop().await;
    }
}
