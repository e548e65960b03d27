//! Store queries (server): rows of `stores` and their mapping into the shared store views.
//! A store's special days are applied here, in [`StoreRow::calendar`] and the open state
//! of [`StoreRow::card`], so every page that shows open-now, pick-up times or delivery
//! windows shows them with the day's holiday hours or closure.

use crate::domain::console::{PauseScope, SpecialDays, pause_in_force};
use crate::domain::geo::LatLon;
use crate::domain::hours::WeeklyHours;
use crate::domain::i18n::Named;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::order::DeliveryPricing;
use crate::domain::store::{Services, StoreCard, StoreDetail, StoreSlug};
use crate::error::AppError;
use crate::error::Missing;
use crate::ssr::clock::local_moment;
use crate::ssr::db::Db;
use chrono::{DateTime, NaiveDate, Utc};

pub const STORE_COLUMNS: &str = "s.id, s.slug, s.name_zh, s.name_en, s.city_slug, s.city_zh, s.city_en, \
    s.district_zh, s.district_en, s.address_zh, s.address_en, s.lat, s.lon, s.time_zone, s.hours, \
    s.phone, s.delivery_radius_m, s.pickup_lead_min, s.window_capacity, s.delivery_fee_minor, \
    s.free_delivery_from_minor, s.paused_until, s.paused_modes, s.special_days, s.pay_at_store";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoreRow {
    pub id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub city_slug: String,
    pub city_zh: String,
    pub city_en: String,
    pub district_zh: String,
    pub district_en: String,
    pub address_zh: String,
    pub address_en: String,
    pub lat: f64,
    pub lon: f64,
    pub time_zone: String,
    pub hours: String,
    pub phone: String,
    #[sqlx(try_from = "i64")]
    pub delivery_radius_m: u32,
    #[sqlx(try_from = "i64")]
    pub pickup_lead_min: u32,
    /// Orders a new delivery window takes.
    pub window_capacity: i64,
    pub delivery_fee_minor: i64,
    pub free_delivery_from_minor: i64,
    /// New orders paused until this instant (Unix seconds), for `paused_modes`.
    pub paused_until: Option<i64>,
    pub paused_modes: String,
    /// The stored form of [`SpecialDays`].
    pub special_days: String,
    /// Pick-ups here may be paid at the till (1) or only online (0).
    pub pay_at_store: i64,
}

impl StoreRow {
    pub fn location(&self) -> LatLon {
        LatLon {
            lat: self.lat,
            lon: self.lon,
        }
    }

    /// The store's calendar now: its windows and pick-up times in its own time zone,
    /// special days applied.
    pub fn calendar(&self) -> crate::ssr::schedule::Calendar {
        self.calendar_at(Utc::now())
    }

    pub fn calendar_at(&self, now: DateTime<Utc>) -> crate::ssr::schedule::Calendar {
        crate::ssr::schedule::Calendar::new(
            &self.time_zone,
            self.weekly_hours()
                .unwrap_or_else(WeeklyHours::around_the_clock),
            now,
        )
        .with_special_days(&self.special())
    }

    /// Its holiday hours and closed days (a damaged entry is dropped, see `parse`).
    pub fn special(&self) -> SpecialDays {
        SpecialDays::parse(&self.special_days)
    }

    /// The store's own date at `now`.
    pub fn local_date(&self, now: DateTime<Utc>) -> NaiveDate {
        // An unknown zone is China time, as `clock::local_moment` takes it.
        let tz: chrono_tz::Tz = self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        now.with_timezone(&tz).date_naive()
    }

    /// The store's midnight that starts `day`, as unix seconds (the first moment of the
    /// day where a clock change skips midnight).
    pub fn midnight(&self, day: NaiveDate) -> i64 {
        use chrono::TimeZone;
        let tz: chrono_tz::Tz = self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let start = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        tz.from_local_datetime(&start)
            .earliest()
            .map_or_else(|| start.and_utc().timestamp(), |t| t.timestamp())
    }

    /// Its delivery fee and the subtotal from which delivery is free.
    pub fn pricing(&self) -> DeliveryPricing {
        DeliveryPricing {
            fee: Money::cny(self.delivery_fee_minor),
            free_from: Money::cny(self.free_delivery_from_minor),
        }
    }

    /// What a pause stops and until when, while it holds at `now` (Unix seconds).
    pub fn pause_at(&self, now: i64) -> Option<(PauseScope, i64)> {
        pause_in_force(self.paused_until, &self.paused_modes, now)
    }

    pub fn names(&self) -> Named {
        Named::new(self.name_zh.clone(), self.name_en.clone())
    }

    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_zh, &self.name_en)
    }

    pub fn city(&self, lang: Lang) -> &str {
        pick(lang, &self.city_zh, &self.city_en)
    }

    /// Hours were validated when the data was loaded; a row edited by hand into
    /// nonsense shows as closed (and is logged) rather than breaking the page.
    pub fn weekly_hours(&self) -> Option<WeeklyHours> {
        WeeklyHours::parse(&self.hours)
            .inspect_err(|e| tracing::error!(store = %self.slug, error = %e, "bad opening hours"))
            .ok()
    }

    pub fn card(&self, lang: Lang, now: DateTime<Utc>, from: Option<LatLon>) -> StoreCard {
        let open = match self.weekly_hours() {
            Some(h) => self
                .special()
                .hours_now(&h, self.local_date(now))
                .state_at(local_moment(&self.time_zone, now)),
            None => crate::domain::hours::OpenState::Closed { opens: None },
        };
        StoreCard {
            slug: self.slug.clone(),
            name: self.name(lang).to_owned(),
            city: self.city(lang).to_owned(),
            district: pick(lang, &self.district_zh, &self.district_en).to_owned(),
            address: pick(lang, &self.address_zh, &self.address_en).to_owned(),
            location: self.location(),
            open,
            services: Services {
                delivery_radius_m: self.delivery_radius_m,
                pickup_lead_min: self.pickup_lead_min,
            },
            distance_m: from.map(|p| p.distance_m(self.location())),
        }
    }

    pub fn detail(&self, lang: Lang, now: DateTime<Utc>) -> StoreDetail {
        StoreDetail {
            card: self.card(lang, now, None),
            hours: self.weekly_hours(),
            phone: self.phone.clone(),
            time_zone: self.time_zone.clone(),
        }
    }
}

pub fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// A product's name in `lang`.
pub async fn product_name(db: &Db, product_id: i64, lang: Lang) -> Result<String, AppError> {
    let (zh, en): (String, String) =
        sqlx::query_as("SELECT name_zh, name_en FROM products WHERE id = $1")
            .bind(product_id)
            .fetch_one(&db.pool)
            .await?;
    Ok(pick(lang, &zh, &en).to_owned())
}

/// A product's name in both languages, for messages translated when they are shown.
pub async fn product_names(db: &Db, product_id: i64) -> Result<Named, AppError> {
    let (zh, en): (String, String) =
        sqlx::query_as("SELECT name_zh, name_en FROM products WHERE id = $1")
            .bind(product_id)
            .fetch_one(&db.pool)
            .await?;
    Ok(Named::new(zh, en))
}

/// The store a path or form names, or 404.
pub async fn store_or_404(db: &Db, slug: &str) -> Result<StoreRow, AppError> {
    let slug = StoreSlug::parse(slug).ok_or(AppError::NotFound(Missing::Store))?;
    store_by_slug(db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound(Missing::Store))
}

pub async fn store_by_id(db: &Db, id: i64) -> Result<Option<StoreRow>, AppError> {
    let sql = format!("SELECT {STORE_COLUMNS} FROM stores s WHERE s.id = $1");
    Ok(sqlx::query_as::<_, StoreRow>(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?)
}

pub async fn store_by_slug(db: &Db, slug: &str) -> Result<Option<StoreRow>, AppError> {
    let sql = format!("SELECT {STORE_COLUMNS} FROM stores s WHERE s.slug = $1");
    Ok(sqlx::query_as::<_, StoreRow>(&sql)
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?)
}

/// Every store, grouped by city then by id (a brand has hundreds, not millions).
pub async fn all_stores(db: &Db) -> Result<Vec<StoreRow>, AppError> {
    let sql = format!("SELECT {STORE_COLUMNS} FROM stores s ORDER BY s.city_slug, s.id");
    Ok(sqlx::query_as::<_, StoreRow>(&sql)
        .fetch_all(&db.pool)
        .await?)
}

/// Stores whose name, city, district or address contains `needle` (either language).
pub async fn search_stores(db: &Db, needle: &str) -> Result<Vec<StoreRow>, AppError> {
    let sql = format!(
        "SELECT {STORE_COLUMNS} FROM stores s WHERE \
         s.name_zh LIKE $1 ESCAPE '\\' OR LOWER(s.name_en) LIKE $1 ESCAPE '\\' OR \
         s.city_zh LIKE $1 ESCAPE '\\' OR LOWER(s.city_en) LIKE $1 ESCAPE '\\' OR \
         s.district_zh LIKE $1 ESCAPE '\\' OR LOWER(s.district_en) LIKE $1 ESCAPE '\\' OR \
         s.address_zh LIKE $1 ESCAPE '\\' OR LOWER(s.address_en) LIKE $1 ESCAPE '\\' \
         ORDER BY s.city_slug, s.id LIMIT 50"
    );
    Ok(sqlx::query_as::<_, StoreRow>(&sql)
        .bind(like_pattern(needle))
        .fetch_all(&db.pool)
        .await?)
}

/// A store of the same city that has the product in stock, with its price and stock.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StockedStoreRow {
    #[sqlx(flatten)]
    pub store: StoreRow,
    pub price_minor: i64,
    pub list_price_minor: i64,
    pub stock: i64,
}

pub async fn city_stores_with_stock(
    db: &Db,
    city_slug: &str,
    product_id: i64,
    except_store: i64,
) -> Result<Vec<StockedStoreRow>, AppError> {
    let sql = format!(
        "SELECT {STORE_COLUMNS}, o.price_minor, o.list_price_minor, o.stock \
         FROM offers o JOIN stores s ON s.id = o.store_id \
         WHERE s.city_slug = $1 AND o.product_id = $2 AND o.store_id <> $3 AND o.stock > 0"
    );
    Ok(sqlx::query_as::<_, StockedStoreRow>(&sql)
        .bind(city_slug)
        .bind(product_id)
        .bind(except_store)
        .fetch_all(&db.pool)
        .await?)
}

/// A lowercase `LIKE` pattern matching `needle` anywhere, with `%`, `_` and `\` escaped.
pub fn like_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Milk "), "%milk%");
        assert_eq!(like_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
