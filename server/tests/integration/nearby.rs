//! Nearest stores on SQLite and PostgreSQL: the spatial-index answer equals a brute-force
//! scan over random store sets and random points (poles and the antimeridian included),
//! with and without filters; and `/stores` over HTTP.

use crate::harness::rng::Rng;
use crate::harness::{Fresh, TestApp};
use app::domain::geo::LatLon;
use app::ssr::db::{Db, DbKind};
use app::ssr::nearby::{NearFilter, stores_near, stores_near_brute_force};

/// Random points for the property test.
trait RandomPoints {
    fn point(&mut self, clusters: &[LatLon]) -> LatLon;
}

impl RandomPoints for Rng {
    /// A point: mostly near a few clusters (cities), sometimes anywhere, sometimes at the edges.
    fn point(&mut self, clusters: &[LatLon]) -> LatLon {
        let roll = self.unit();
        let p = if roll < 0.7 {
            let c = clusters[(self.unit() * clusters.len() as f64) as usize % clusters.len()];
            LatLon {
                lat: c.lat + self.range(-0.3, 0.3),
                lon: c.lon + self.range(-0.3, 0.3),
            }
        } else if roll < 0.85 {
            LatLon {
                lat: self.range(-90.0, 90.0),
                lon: self.range(-180.0, 180.0),
            }
        } else if roll < 0.93 {
            LatLon {
                lat: self.range(-5.0, 5.0),
                lon: if self.unit() < 0.5 {
                    self.range(179.0, 180.0)
                } else {
                    self.range(-180.0, -179.0)
                },
            }
        } else {
            LatLon {
                lat: if self.unit() < 0.5 {
                    self.range(88.0, 90.0)
                } else {
                    self.range(-90.0, -88.0)
                },
                lon: self.range(-180.0, 180.0),
            }
        };
        LatLon::new(p.lat.clamp(-90.0, 90.0), p.lon.clamp(-180.0, 180.0)).expect("in range")
    }
}

/// Adds `n` synthetic stores (copies of a demo store at new places), some sharing a spot.
async fn add_random_stores(db: &Db, rng: &mut Rng, n: usize, clusters: &[LatLon]) -> Vec<LatLon> {
    let mut placed = Vec::new();
    for i in 0..n {
        let p = if i > 0 && rng.unit() < 0.05 {
            placed[i - 1]
        } else {
            rng.point(clusters)
        };
        placed.push(p);
        let slug = format!("synthetic-{}", rng.0);
        sqlx::query(
            "INSERT INTO stores (brand_id, slug, name_zh, name_en, city_slug, city_zh, city_en, district_zh, \
             district_en, address_zh, address_en, lat, lon, time_zone, hours, phone, delivery_radius_m, pickup_lead_min) \
             SELECT brand_id, $1, name_zh, name_en, 'synthetic', city_zh, city_en, district_zh, district_en, \
             address_zh, address_en, $2, $3, time_zone, hours, phone, delivery_radius_m, pickup_lead_min \
             FROM stores WHERE slug = 'sh-jingan-temple'",
        )
        .bind(&slug)
        .bind(p.lat)
        .bind(p.lon)
        .execute(&db.pool)
        .await
        .expect("insert synthetic store");
        // The first five products, each in stock at about half of the new stores: the
        // in-stock search then answers from the nearest stores in memory as often as it
        // finds too few of them and asks the database's index.
        let stock: i64 = if rng.unit() < 0.5 { 0 } else { 3 };
        sqlx::query(
            "INSERT INTO offers (store_id, product_id, price_minor, list_price_minor, stock) \
             SELECT s.id, p.id, 100, 100, $2 FROM stores s CROSS JOIN \
             (SELECT id FROM products ORDER BY id LIMIT 5) p WHERE s.slug = $1",
        )
        .bind(&slug)
        .bind(stock)
        .execute(&db.pool)
        .await
        .expect("offers of a synthetic store");
    }
    placed
}

both_backends! {
    #[tokio::test]
    async fn index_answers_equal_brute_force_on_random_points(kind: DbKind) {
        let clusters = [
            LatLon {
                lat: 31.2304,
                lon: 121.4737,
            },
            LatLon {
                lat: 39.9042,
                lon: 116.4074,
            },
            LatLon {
                lat: 22.5431,
                lon: 114.0579,
            },
            LatLon {
                lat: -33.87,
                lon: 151.21,
            },
        ];
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let seed = 0x5eed_1234_u64;
        let mut rng = Rng(seed);
        // What the comparisons covered, so that a generator gone degenerate (every answer
        // empty, or never a tie) fails instead of comparing nothing with nothing.
        let mut answered = 0;
        let mut ordered = 0;
        let mut at_a_store = 0;
        let mut across_the_antimeridian = 0;
        for round in 0..4 {
            let placed =
                add_random_stores(&db, &mut rng, [0, 20, 200, 600][round], &clusters).await;
            let products: Vec<(i64,)> =
                sqlx::query_as("SELECT id FROM products ORDER BY id LIMIT 5")
                    .fetch_all(&db.pool)
                    .await
                    .unwrap();
            let caches = app::ssr::state::Caches::default();
            for q in 0..60 {
                // Sometimes query exactly at a store, where distances tie.
                let point = if q % 10 == 0 && !placed.is_empty() {
                    placed[q % placed.len()]
                } else {
                    rng.point(&clusters)
                };
                let limit = [1, 5, 10, 50][q % 4];
                let filter = match q % 4 {
                    0 => NearFilter::default(),
                    1 => NearFilter {
                        in_stock: Some(products[q % products.len()].0),
                        except: None,
                    },
                    2 => NearFilter {
                        in_stock: Some(products[q % products.len()].0),
                        except: Some(1),
                    },
                    _ => NearFilter {
                        in_stock: None,
                        except: Some(1),
                    },
                };
                let fast = stores_near(&db, point, limit, filter).await.unwrap();
                // The second's copies the near-them parts of pages read (new each round:
                // the round's stores were just added).
                let copied: Vec<_> = app::ssr::nearby::stores_near_copied(&db, &caches, point, limit, filter)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(n, offer)| {
                        assert_eq!(offer.is_some(), filter.in_stock.is_some(), "an offer when asked");
                        assert!(offer.is_none_or(|o| o.stock.available()), "in stock");
                        n
                    })
                    .collect();
                let slow = stores_near_brute_force(&db, point, limit, filter)
                    .await
                    .unwrap();
                let ids = |v: &[app::ssr::nearby::Near]| {
                    v.iter()
                        .map(|n| (n.store.id, n.distance_m.to_bits()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    ids(&copied),
                    ids(&slow),
                    "copies: {:?} seed {seed:#x} round {round} query {q} at {point:?} limit {limit} {filter:?}",
                    fresh.kind
                );
                assert_eq!(
                    ids(&fast),
                    ids(&slow),
                    "{:?} seed {seed:#x} round {round} query {q} at {point:?} limit {limit} {filter:?}",
                    fresh.kind
                );
                answered += usize::from(!slow.is_empty());
                ordered += usize::from(slow.len() > 1);
                at_a_store += usize::from(slow.first().is_some_and(|n| n.distance_m == 0.0));
                across_the_antimeridian += usize::from(
                    point.lon.abs() > 179.0
                        && slow.iter().any(|n| {
                            n.store.lon.abs() > 179.0 && n.store.lon.signum() != point.lon.signum()
                        }),
                );
            }
        }
        eprintln!(
            "{:?}: {answered} answered, {ordered} ordered, {at_a_store} at a store, \
             {across_the_antimeridian} across the antimeridian",
            fresh.kind
        );
        assert!(answered >= 200, "{answered} of 240 queries found a store");
        assert!(ordered >= 150, "{ordered} answers had an order to compare");
        assert!(at_a_store >= 10, "{at_a_store} queries sat exactly on a store");
        assert!(
            across_the_antimeridian >= 1,
            "no query near the antimeridian found a store across it"
        );
    }
}

both_backends! {
    #[tokio::test]
    async fn jingan_lists_the_jingan_stores_first(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        // Jing'an Temple metro, WGS-84.
        let here = LatLon::new(31.2230, 121.4451).unwrap();
        let near = stores_near(&db, here, 5, NearFilter::default())
            .await
            .unwrap();
        assert_eq!(near.len(), 5);
        assert_eq!(near[0].store.slug, "sh-jingan-temple");
        assert!(near[0].distance_m < 200.0, "{}", near[0].distance_m);
        assert!(near.windows(2).all(|w| w[0].distance_m <= w[1].distance_m));
        assert!(
            near.iter()
                .all(|n| n.store.city_slug == "shanghai" && n.distance_m < 10_000.0)
        );
    }
}

both_backends! {
    /// The in-memory copy of the stores' locations is never believed once stale: a store
    /// opened, moved or closed — by another server, here another handle on the same
    /// database with its own copy — changes the very next answer, which always equals a
    /// scan.
    #[tokio::test]
    async fn a_store_opened_moved_or_closed_changes_the_next_answer(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let other_server = fresh.open().await;
        let here = LatLon::new(31.2230, 121.4451).unwrap();
        let slugs = |near: Vec<app::ssr::nearby::Near>| near.into_iter().map(|n| n.store.slug).collect::<Vec<_>>();
        let first = slugs(stores_near(&db, here, 3, NearFilter::default()).await.unwrap());
        assert_eq!(first[0], "sh-jingan-temple");
        let brute = |db: Db| async move { slugs(stores_near_brute_force(&db, here, 3, NearFilter::default()).await.unwrap()) };

        // Opened, by the other server, right where the shopper stands.
        let mut rng = Rng(7);
        sqlx::query(
            "INSERT INTO stores (brand_id, slug, name_zh, name_en, city_slug, city_zh, city_en, district_zh, \
             district_en, address_zh, address_en, lat, lon, time_zone, hours, phone, delivery_radius_m, pickup_lead_min) \
             SELECT brand_id, 'pop-up', name_zh, name_en, city_slug, city_zh, city_en, district_zh, district_en, \
             address_zh, address_en, $1, $2, time_zone, hours, phone, delivery_radius_m, pickup_lead_min \
             FROM stores WHERE slug = 'sh-jingan-temple'",
        )
        .bind(here.lat)
        .bind(here.lon)
        .execute(&other_server.pool)
        .await
        .unwrap();
        let opened = slugs(stores_near(&db, here, 3, NearFilter::default()).await.unwrap());
        assert_eq!(opened[0], "pop-up");
        assert_eq!(opened, brute(db.clone()).await);

        // Moved far away.
        sqlx::query("UPDATE stores SET lat = $1, lon = $2 WHERE slug = 'pop-up'")
            .bind(rng.range(-40.0, -30.0))
            .bind(rng.range(10.0, 20.0))
            .execute(&other_server.pool)
            .await
            .unwrap();
        let moved = slugs(stores_near(&db, here, 3, NearFilter::default()).await.unwrap());
        assert_eq!(moved, first);
        assert_eq!(moved, brute(db.clone()).await);

        // Moved back, then closed.
        sqlx::query("UPDATE stores SET lat = $1, lon = $2 WHERE slug = 'pop-up'")
            .bind(here.lat)
            .bind(here.lon)
            .execute(&other_server.pool)
            .await
            .unwrap();
        assert_eq!(slugs(stores_near(&db, here, 3, NearFilter::default()).await.unwrap())[0], "pop-up");
        sqlx::query("DELETE FROM stores WHERE slug = 'pop-up'")
            .execute(&other_server.pool)
            .await
            .unwrap();
        let closed = slugs(stores_near(&db, here, 3, NearFilter::default()).await.unwrap());
        assert_eq!(closed, first);
        assert_eq!(closed, brute(db.clone()).await);
    }
}

both_backends! {
    #[tokio::test]
    async fn the_nearest_store_out_of_stock_never_hides_one_that_has_it(kind: DbKind) {
        let fresh = Fresh::new(kind).await;
        let db = fresh.open().await;
        let here = LatLon::new(31.2230, 121.4451).unwrap();
        let nearest = stores_near(&db, here, 1, NearFilter::default())
            .await
            .unwrap()
            .remove(0);
        let (product_id,): (i64,) =
            sqlx::query_as("SELECT MIN(product_id) FROM offers WHERE store_id = $1")
                .bind(nearest.store.id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        crate::harness::set_stock(&db, nearest.store.id, product_id, 0).await;
        let having = stores_near(
            &db,
            here,
            3,
            NearFilter {
                in_stock: Some(product_id),
                except: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(having.len(), 3, "three other stores still have it");
        assert!(having.iter().all(|n| n.store.id != nearest.store.id));
        assert!(having[0].distance_m >= nearest.distance_m);
    }
}

#[tokio::test]
async fn stores_page_lists_by_distance_and_remembers_the_point() {
    let app = TestApp::start(DbKind::Sqlite).await;
    let response = app
        .http
        .get(app.url("/stores?lat=31.2230&lng=121.4451"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("loc=31.22300,121.44510;")
            && cookie.contains("HttpOnly")
            && !cookie.contains("Max-Age")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("Nearest to you"));
    let first = html
        .find("Hechuan Living Jing")
        .expect("Jing'an Temple listed");
    assert!(
        html[first..].contains(" m<") || html[first..].contains(" km<"),
        "distances shown"
    );

    // The remembered point orders the home page's nearest stores too.
    let home = app
        .http
        .get(app.url("/"))
        .header("cookie", "loc=31.22300,121.44510")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Nearest to you"));

    // `limit` bounds the list.
    let (status, three) = app
        .get("/stores?lat=31.2230&lng=121.4451&limit=3", Some("en"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(three.matches(r#"class="store-card""#).count(), 3);

    // City picker: GET, no JavaScript needed.
    let (status, city) = app.get("/stores?place=beijing", Some("en")).await;
    assert_eq!(status, 200);
    assert!(city.contains("Nearest to you") && city.contains("Beijing"));
    app.stop().await;
}

#[tokio::test]
async fn bad_points_get_a_clear_message() {
    let app = TestApp::start(DbKind::Sqlite).await;
    for (query, text) in [
        (
            "lat=91&lng=0",
            "Latitude must be a number between -90 and 90.",
        ),
        (
            "lat=NaN&lng=0",
            "Latitude must be a number between -90 and 90.",
        ),
        (
            "lat=31&lng=1e999",
            "Longitude must be a number between -180 and 180.",
        ),
        ("lat=31", "Longitude must be a number between -180 and 180."),
        (
            "lat=abc&lng=%%%",
            "Latitude must be a number between -90 and 90.",
        ),
        (
            "lat=31&lng=121&limit=1000000",
            "The number of stores must be a whole number from 1 to 50.",
        ),
        (
            "lat=31&lng=121&limit=-3",
            "The number of stores must be a whole number from 1 to 50.",
        ),
    ] {
        let (status, html) = app.get(&format!("/stores?{query}"), Some("en")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(text), "{query}");
    }
    let (status, _) = app.get("/stores?place=atlantis", Some("en")).await;
    assert_eq!(status, 200, "an unknown place shows the pickers");
    app.stop().await;
}
