//! The database handle (server): one sqlx `Any` pool over SQLite (default, a file) or
//! PostgreSQL, migrated with the matching migration folder.
//!
//! One trap of the `Any` driver (sqlx 0.8.6): a NULL `Option<f64>` is sent typed as a
//! 4-byte float, and PostgreSQL's cached statement then refuses a later 8-byte value on
//! that connection. A query that binds an optional float is run `.persistent(false)`
//! (today only the order insert, `checkout::insert_order`; its regression test is
//! `a_delivery_after_a_pickup_on_one_connection_is_placed`).

use crate::error::AppError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A cheap-to-clone pool handle, which database it speaks to, and how many of its write
/// transactions were run again ([`retrying`]); nothing else. Caches live in the
/// application state (`ssr::state`), not here.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub kind: DbKind,
    retries: Arc<AtomicU64>,
    /// Every store's location in memory, for the nearest stores (see `store_index`).
    store_index: Arc<crate::ssr::store_index::StoreIndexCell>,
}

/// The brand's names and taglines in both languages.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BrandNames {
    pub name_zh: String,
    pub name_en: String,
    pub tagline_zh: String,
    pub tagline_en: String,
}

/// A count or quantity read from the database as a `u32`: a negative or huge value is a
/// damaged row — logged and refused, never shown as 0.
pub fn count(n: i64, what: &'static str) -> Result<u32, crate::error::AppError> {
    u32::try_from(n).map_err(|_| {
        tracing::error!(value = n, what, "a count out of range in the database");
        crate::error::AppError::Internal
    })
}

/// A page of rows that each carry the query's `total` (a `COUNT(*) OVER ()` column): the
/// rows as `T`, and the total (0 for an empty page).
pub fn page_with_total<T>(rows: &[sqlx::any::AnyRow]) -> Result<(Vec<T>, i64), sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    let total = match rows.first() {
        Some(r) => sqlx::Row::try_get::<i64, _>(r, "total")?,
        None => 0,
    };
    let items = rows
        .iter()
        .map(T::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// How many times a write transaction is run before its caller is told to try again.
pub const WRITE_ATTEMPTS: u32 = 12;

/// Runs a write transaction, and runs it again (from its `begin`) when it lost a race
/// with a concurrent one: PostgreSQL's serialization failure or deadlock, which
/// `AppError::from(sqlx::Error)` calls [`AppError::Contended`]. Between attempts it
/// waits a jittered, doubling pause (1–2 ms, then up to 64–128 ms), so the losers of one
/// race do not meet again at once. After [`WRITE_ATTEMPTS`] the caller gets `Contended`
/// (a 503, "try again"). `run` must hold its whole transaction: each attempt starts
/// afresh, so nothing of a lost attempt is kept.
pub async fn retrying<T, F, Fut>(db: &Db, mut run: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let mut attempt = 1;
    loop {
        match run().await {
            Err(AppError::Contended) if attempt < WRITE_ATTEMPTS => {
                db.retries.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            Err(AppError::Contended) => {
                tracing::warn!(
                    attempts = attempt,
                    "a write kept losing races; told to retry"
                );
                return Err(AppError::Contended);
            }
            outcome => return outcome,
        }
    }
}

/// The pause before attempt `attempt + 1`: uniformly in [c/2, c], c = 2^min(attempt, 7) ms.
fn backoff(attempt: u32) -> Duration {
    let ceiling = 1u64 << attempt.min(7);
    let micros = ceiling * 1000;
    Duration::from_micros(micros / 2 + rand::random::<u64>() % (micros / 2 + 1))
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl DbKind {
    pub fn of_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(DbKind::Postgres)
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }
}

impl Db {
    /// Connects (creating a SQLite file if needed) and brings the schema up to date.
    /// `max_connections` 0 picks a size for the database.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        install_default_drivers();
        let kind = DbKind::of_url(url)?;
        let max_connections = match (max_connections, kind) {
            // Each SQLite connection is a thread; past a couple per core they only
            // contend (measured: 16 → 4 connections took the store page from 717 to 1216 req/s).
            (0, DbKind::Sqlite) => {
                std::thread::available_parallelism().map_or(4, |n| 2 * n.get() as u32)
            }
            (0, DbKind::Postgres) => 16,
            (n, _) => n,
        };
        let url = match kind {
            DbKind::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            // A request waits this long for a connection, then is told to try again (503):
            // SQLite's writers queue on its busy timeout; PostgreSQL being away must not
            // hold requests for long.
            .acquire_timeout(match kind {
                DbKind::Sqlite => Duration::from_secs(10),
                DbKind::Postgres => Duration::from_secs(3),
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if kind == DbKind::Sqlite {
                        // WAL lets readers run beside the writer; FULL sync writes each
                        // commit through to the disk before it is acknowledged (meant for
                        // power loss too, which no test here proves: crash.rs kills the
                        // process only); writers wait, not fail.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let db = Db {
            pool,
            kind,
            retries: Arc::default(),
            store_index: Arc::default(),
        };
        db.migrate().await?;
        Ok(db)
    }

    /// The in-memory copy of every store's location this handle (and its clones) shares.
    pub fn store_index(&self) -> &crate::ssr::store_index::StoreIndexCell {
        &self.store_index
    }

    /// How many write transactions on this handle (and its clones) were run again
    /// because they lost a race ([`retrying`]).
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self.kind {
            DbKind::Sqlite => {
                sqlx::migrate!("../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            DbKind::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    #[test]
    fn backoff_doubles_within_its_jitter_and_stops_growing() {
        for attempt in 1..20 {
            let c = Duration::from_millis(1 << attempt.min(7));
            let d = backoff(attempt);
            assert!(d >= c / 2 && d <= c, "attempt {attempt}: {d:?}");
        }
    }

    #[tokio::test]
    async fn a_lost_race_is_run_again_and_other_errors_are_not() {
        let db = Db::connect("sqlite::memory:", 1).await.expect("a database");
        let runs = AtomicU32::new(0);
        let won = retrying(&db, || async {
            match runs.fetch_add(1, Ordering::SeqCst) {
                0 | 1 => Err(AppError::Contended),
                _ => Ok("won"),
            }
        })
        .await;
        assert_eq!(won, Ok("won"));
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(db.retries(), 2);

        let runs = AtomicU32::new(0);
        let refused: Result<(), _> = retrying(&db, || async {
            runs.fetch_add(1, Ordering::SeqCst);
            Err(AppError::Forbidden)
        })
        .await;
        assert_eq!(refused, Err(AppError::Forbidden));
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "only lost races are retried"
        );

        let runs = AtomicU32::new(0);
        let lost: Result<(), _> = retrying(&db, || async {
            runs.fetch_add(1, Ordering::SeqCst);
            Err(AppError::Contended)
        })
        .await;
        assert_eq!(lost, Err(AppError::Contended));
        assert_eq!(runs.load(Ordering::SeqCst), WRITE_ATTEMPTS);
        assert_eq!(db.retries(), 2 + u64::from(WRITE_ATTEMPTS) - 1);
    }
}
