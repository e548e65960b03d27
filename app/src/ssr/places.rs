//! Cities and districts to search near (server): derived from where the stores are, so
//! the pickers never offer a place with no store.

use crate::domain::geo::LatLon;
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::stores::pick;
use crate::views::stores::Place;

#[derive(sqlx::FromRow)]
struct PlaceRow {
    city_slug: String,
    name_zh: String,
    name_en: String,
    lat: f64,
    lon: f64,
}

/// The brand's cities and their districts, each centred on its stores.
pub async fn places(db: &Db, lang: Lang) -> Result<(Vec<Place>, Vec<Place>), AppError> {
    let cities = sqlx::query_as::<_, PlaceRow>(
        "SELECT city_slug, MIN(city_zh) AS name_zh, MIN(city_en) AS name_en, AVG(lat) AS lat, AVG(lon) AS lon \
         FROM stores GROUP BY city_slug ORDER BY COUNT(*) DESC, city_slug",
    )
    .fetch_all(&db.pool)
    .await?;
    let districts = sqlx::query_as::<_, PlaceRow>(
        "SELECT city_slug, MIN(city_zh) || ' · ' || district_zh AS name_zh, district_en || ', ' || MIN(city_en) AS name_en, \
         AVG(lat) AS lat, AVG(lon) AS lon FROM stores GROUP BY city_slug, district_zh, district_en \
         ORDER BY city_slug, district_en",
    )
    .fetch_all(&db.pool)
    .await?;
    let place = |key: String, r: &PlaceRow| Place {
        key,
        name: pick(lang, &r.name_zh, &r.name_en).to_owned(),
        center: LatLon {
            lat: r.lat,
            lon: r.lon,
        },
    };
    Ok((
        cities
            .iter()
            .map(|r| place(r.city_slug.clone(), r))
            .collect(),
        districts
            .iter()
            .map(|r| {
                place(
                    format!(
                        "{}/{}",
                        r.city_slug,
                        r.name_en.split(',').next().unwrap_or("")
                    ),
                    r,
                )
            })
            .collect(),
    ))
}
