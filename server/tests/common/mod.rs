//! Test harness: a fresh database per test (a temp SQLite file, or a new PostgreSQL
//! database on `TEST_DATABASE_URL`) and the real server on port 0 speaking HTTP.
#![allow(dead_code)]

pub mod rng;

use app::ssr::db::{Db, DbKind};
use server::config::Config;
use sqlx::Executor;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database made for one test, dropped again by [`Fresh::cleanup`].
pub struct Fresh {
    pub url: String,
    pub kind: DbKind,
    admin_url: Option<String>,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "cs_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl Fresh {
    pub fn sqlite() -> Fresh {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cloud-store.db");
        Fresh {
            url: format!("sqlite://{}", path.display()),
            kind: DbKind::Sqlite,
            admin_url: None,
            name: String::new(),
            _dir: Some(dir),
        }
    }

    /// A new, empty PostgreSQL database, or `None` (with a loud notice) when no server is
    /// reachable. With `REQUIRE_POSTGRES=1` (CI) an unreachable server fails the test.
    pub async fn postgres() -> Option<Fresh> {
        sqlx::any::install_default_drivers();
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let admin = match sqlx::AnyPool::connect(&admin_url).await {
            Ok(pool) => pool,
            Err(e) => {
                if std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                    panic!(
                        "REQUIRE_POSTGRES=1 but PostgreSQL at TEST_DATABASE_URL is unreachable: {e}"
                    );
                }
                eprintln!(
                    "SKIPPED (PostgreSQL): no server at TEST_DATABASE_URL ({e}); set it or start PostgreSQL"
                );
                return None;
            }
        };
        let name = unique_name();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        Some(Fresh {
            url: format!("{base}/{name}"),
            kind: DbKind::Postgres,
            admin_url: Some(admin_url.clone()),
            name,
            _dir: None,
        })
    }

    /// Both backends: SQLite always, PostgreSQL when reachable.
    pub async fn each() -> Vec<Fresh> {
        let mut all = vec![Fresh::sqlite()];
        all.extend(Fresh::postgres().await);
        all
    }

    pub fn config(&self) -> Config {
        Config {
            bind_addr: "127.0.0.1:0".parse().expect("addr"),
            database_url: self.url.clone(),
            db_max_connections: 8,
            site_root: concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site").to_owned(),
            staff_pin: "246810".to_owned(),
            demo_mode: true,
            ..Config::default()
        }
    }

    /// Migrated and seeded.
    pub async fn open(&self) -> Db {
        server::open_database(&self.config())
            .await
            .expect("open database")
    }

    pub async fn cleanup(self) {
        if let Some(admin_url) = &self.admin_url
            && let Ok(admin) = sqlx::AnyPool::connect(admin_url).await
        {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
                .await;
            admin.close().await;
        }
    }
}

/// The real server on port 0 over a fresh database, and an HTTP client for it.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    running: server::Running,
    fresh: Fresh,
}

impl TestApp {
    pub async fn start(fresh: Fresh) -> TestApp {
        let running = server::start(fresh.config()).await.expect("server starts");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client");
        TestApp {
            base: format!("http://{}", running.addr),
            http,
            running,
            fresh,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's own database handle.
    pub fn db(&self) -> Db {
        self.running.db.clone()
    }

    pub fn kind(&self) -> DbKind {
        self.fresh.kind
    }

    /// GET with an optional language preference; returns status and body.
    pub async fn get(&self, path: &str, accept_language: Option<&str>) -> (u16, String) {
        let mut request = self.http.get(self.url(path));
        if let Some(al) = accept_language {
            request = request.header("accept-language", al);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn stop(self) {
        // Close our keep-alive connections first so the graceful shutdown has nothing to wait for.
        drop(self.http);
        self.running.stop().await;
        self.fresh.cleanup().await;
    }
}
