//! Every store's location in memory (server): an R*-tree (`rstar`) over points on the unit
//! sphere, so that the nearest stores to a point are found without a query — the chord
//! between two points on a sphere grows with the great-circle distance, so ranking by it
//! is ranking by distance.
//!
//! A copy is believed only while it is current: the database keeps a counter,
//! `store_epoch`, that every insert, delete or move of a store moves on (triggers), and
//! the one query that reads the winners' rows reads the counter too. A copy older than
//! the counter is read again (one query of every store's id and location, by one caller
//! at a time) and the question asked again, so an answer always equals a scan of the
//! stores as they are.

use crate::domain::geo::LatLon;
use crate::error::AppError;
use crate::ssr::db::Db;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::sync::{Arc, Mutex};

/// A store's point on the unit sphere, with its id and location.
type Located = GeomWithData<[f64; 3], (i64, LatLon)>;

/// One copy of every store's location, as of `epoch`.
#[derive(Debug)]
pub struct StoreIndex {
    pub epoch: i64,
    tree: RTree<Located>,
}

fn on_sphere(p: LatLon) -> [f64; 3] {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

impl StoreIndex {
    pub fn new(epoch: i64, stores: impl IntoIterator<Item = (i64, LatLon)>) -> Self {
        let points = stores
            .into_iter()
            .map(|(id, at)| GeomWithData::new(on_sphere(at), (id, at)))
            .collect();
        StoreIndex {
            epoch,
            tree: RTree::bulk_load(points),
        }
    }

    /// The `limit` stores nearest to `point` that `keep` accepts, nearest first, ties by
    /// id — by the same haversine distance, in metres, as a scan would rank them. Stores
    /// whose chords are within rounding of the last winner's are all measured, so a tie
    /// or a rounding difference between chord and haversine cannot change the answer.
    pub fn nearest(
        &self,
        point: LatLon,
        limit: usize,
        mut keep: impl FnMut(i64) -> bool,
    ) -> Vec<(f64, i64)> {
        let here = on_sphere(point);
        let mut found: Vec<(f64, i64)> = Vec::with_capacity(limit + 4);
        let mut last_chord2 = None;
        for (store, chord2) in self.tree.nearest_neighbor_iter_with_distance_2(&here) {
            let (id, at) = store.data;
            if !keep(id) {
                continue;
            }
            if let Some(last) = last_chord2
                && chord2 > last * (1.0 + 1e-9) + 1e-18
            {
                break;
            }
            found.push((point.distance_m(at), id));
            if found.len() == limit {
                last_chord2 = Some(chord2);
            }
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        found.truncate(limit);
        found
    }
}

/// The copy a [`Db`] handle (and its clones) shares, and the lock that lets one caller
/// at a time read a new one.
#[derive(Debug, Default)]
pub struct StoreIndexCell {
    current: Mutex<Option<Arc<StoreIndex>>>,
    reading: tokio::sync::Mutex<()>,
}

impl StoreIndexCell {
    /// The copy this process holds, if any (it may be behind the database).
    pub fn current(&self) -> Option<Arc<StoreIndex>> {
        self.current.lock().ok().and_then(|c| c.clone())
    }

    /// A newer copy than `stale` (the epoch of a copy found out of date; `None`: there
    /// was none): read from the database, unless another caller read one while this one
    /// waited for the lock.
    pub async fn refresh(&self, db: &Db, stale: Option<i64>) -> Result<Arc<StoreIndex>, AppError> {
        let _one_at_a_time = self.reading.lock().await;
        if let Some(copy) = self
            .current()
            .filter(|c| stale.is_none_or(|old| c.epoch > old))
        {
            return Ok(copy);
        }
        // One statement: the locations and the counter from the same snapshot.
        let rows: Vec<(i64, f64, f64, i64)> = sqlx::query_as(
            "SELECT s.id, s.lat, s.lon, (SELECT epoch FROM store_epoch WHERE id = 1) FROM stores s",
        )
        .fetch_all(&db.pool)
        .await?;
        let epoch = match rows.first() {
            Some(row) => row.3,
            None => {
                let (epoch,): (i64,) = sqlx::query_as("SELECT epoch FROM store_epoch WHERE id = 1")
                    .fetch_one(&db.pool)
                    .await?;
                epoch
            }
        };
        let copy = Arc::new(StoreIndex::new(
            epoch,
            rows.into_iter()
                .map(|(id, lat, lon, _)| (id, LatLon { lat, lon })),
        ));
        if let Ok(mut current) = self.current.lock() {
            *current = Some(Arc::clone(&copy));
        }
        Ok(copy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(stores: &[(i64, LatLon)], point: LatLon, limit: usize) -> Vec<(f64, i64)> {
        let mut all: Vec<(f64, i64)> = stores
            .iter()
            .map(|(id, at)| (point.distance_m(*at), *id))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.truncate(limit);
        all
    }

    #[test]
    fn the_nearest_are_a_scans_nearest_ties_and_all() {
        // A grid (many exact ties) and a scatter, points near and far, the antimeridian.
        let mut stores = Vec::new();
        let mut id = 0;
        for i in 0..30 {
            for j in 0..30 {
                id += 1;
                stores.push((
                    id,
                    LatLon {
                        lat: 31.0 + i as f64 * 0.01,
                        lon: 121.0 + j as f64 * 0.01,
                    },
                ));
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut unit = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2_000 {
            id += 1;
            stores.push((
                id,
                LatLon {
                    lat: unit() * 170.0 - 85.0,
                    lon: unit() * 360.0 - 180.0,
                },
            ));
        }
        let index = StoreIndex::new(1, stores.clone());
        let mut points = vec![
            LatLon {
                lat: 31.145,
                lon: 121.145,
            },
            LatLon {
                lat: 31.1,
                lon: 121.1,
            },
            LatLon {
                lat: -33.9,
                lon: 179.999,
            },
            LatLon {
                lat: 89.9,
                lon: 0.0,
            },
        ];
        for _ in 0..300 {
            points.push(LatLon {
                lat: unit() * 180.0 - 90.0,
                lon: unit() * 360.0 - 180.0,
            });
        }
        for point in points {
            for limit in [1, 5, 12] {
                assert_eq!(
                    index.nearest(point, limit, |_| true),
                    brute(&stores, point, limit),
                    "{point:?}"
                );
            }
            let odd: Vec<_> = stores
                .iter()
                .copied()
                .filter(|(id, _)| id % 2 == 1)
                .collect();
            assert_eq!(
                index.nearest(point, 5, |id| id % 2 == 1),
                brute(&odd, point, 5)
            );
        }
        assert!(
            StoreIndex::new(0, [])
                .nearest(LatLon { lat: 0.0, lon: 0.0 }, 5, |_| true)
                .is_empty()
        );
    }
}
