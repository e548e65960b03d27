//! Server configuration from the environment, with defaults that just work on a laptop.
//! See `.env.example`. Nothing here is secret yet; secrets will never be logged.

use figment::Figment;
use figment::providers::{Env, Serialized};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// `BIND_ADDR`: where to listen.
    pub bind_addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://file.db` (created on first start) or `postgres://…`.
    pub database_url: String,
    /// `DB_MAX_CONNECTIONS`: pool size per server process; 0 picks one for the database
    /// (SQLite: two per core — more only adds thread switching; PostgreSQL: 16).
    pub db_max_connections: u32,
    /// `SITE_ROOT`: the built site (wasm, JS, CSS and `public/` assets).
    pub site_root: String,
    /// `SEED_DEMO_DATA`: fill an empty database with the demo brand on start.
    pub seed_demo_data: bool,
    /// `TRUSTED_ORIGINS`: extra origins (comma-separated, e.g. `https://shop.example.com`)
    /// allowed to send mutating requests, for deployments behind a proxy that rewrites Host.
    pub trusted_origins: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind_addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            database_url: "sqlite://cloud-store.db".to_owned(),
            db_max_connections: 0,
            site_root: "target/site".to_owned(),
            seed_demo_data: true,
            trusted_origins: String::new(),
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Env::raw().only(&[
                "BIND_ADDR",
                "DATABASE_URL",
                "DB_MAX_CONNECTIONS",
                "SITE_ROOT",
                "SEED_DEMO_DATA",
                "TRUSTED_ORIGINS",
            ]))
            .extract()
            .map_err(Box::new)
    }

    pub fn trusted_origins(&self) -> Vec<String> {
        self.trusted_origins
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter(|o| !o.is_empty())
            .collect()
    }

    /// The database URL without any password, for logs.
    pub fn database_url_for_logs(&self) -> String {
        match url::Url::parse(&self.database_url) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            Ok(_) => self.database_url.clone(),
            Err(_) => "(unparseable DATABASE_URL)".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_log() {
        let config = Config {
            database_url: "postgres://shop:s3cret@db:5432/shop".into(),
            ..Config::default()
        };
        assert_eq!(
            config.database_url_for_logs(),
            "postgres://shop:***@db:5432/shop"
        );
        let config = Config {
            database_url: "postgres://shop@db/shop".into(),
            ..Config::default()
        };
        assert_eq!(config.database_url_for_logs(), "postgres://shop@db/shop");
    }

    #[test]
    fn trusted_origins_are_normalised() {
        let config = Config {
            trusted_origins: " https://Shop.example.com/ ,,http://a".into(),
            ..Config::default()
        };
        assert_eq!(
            config.trusted_origins(),
            vec!["https://shop.example.com", "http://a"]
        );
    }
}
