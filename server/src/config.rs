//! Server configuration from the environment, with defaults that just work on a laptop.
//! See `.env.example`. The one secret, `SECRET_KEY`, is never logged: `Debug` hides it.

use figment::Figment;
use figment::providers::{Env, Serialized};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Clone, Serialize, Deserialize)]
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
    /// `TRUSTED_PROXIES`: CIDRs of the proxies in front (e.g. `127.0.0.1/32,10.0.0.0/8`).
    /// From them, `X-Forwarded-For` names the client (rate limits count per real client)
    /// and `X-Forwarded-Proto` the scheme (Secure cookies, HSTS); from anyone else those
    /// headers are dropped. Empty: no proxy is trusted.
    pub trusted_proxies: String,
    /// `INSTANCE`: this server's name in a fleet, sent back as `x-instance` on every
    /// response (so a test can see round robin at work). Empty: no header.
    pub instance: String,
    /// `SECRET_KEY`: signs hand-off links and pick-up codes; 32 bytes or more, the same on
    /// every server. Unset, each process makes its own (fine for one laptop server).
    #[serde(deserialize_with = "text")]
    pub secret_key: String,
    /// `KIOSK_IDLE_SECONDS`: a kiosk screen untouched this long warns, then resets.
    pub kiosk_idle_seconds: u32,
    /// `KIOSK_WARN_SECONDS`: how long the warning counts down.
    pub kiosk_warn_seconds: u32,
    /// `ADMIN_PHONE` / `ADMIN_PASSWORD`: the first brand admin, made on a start that finds
    /// none (later starts leave the account alone). Unset, no admin is made; there is no
    /// default. `ADMIN_NAME` names them (default "Brand admin").
    #[serde(deserialize_with = "text")]
    pub admin_phone: String,
    #[serde(deserialize_with = "text")]
    pub admin_password: String,
    pub admin_name: String,
    /// `DEMO_MODE`: sign-in codes go to the server log and the demo inbox page
    /// (`/demo/inbox`), which exists only then. Off unless set; `make run` sets it.
    pub demo_mode: bool,
    /// `PAYMENT`: how orders are paid. `alipay` (the `ALIPAY_*` settings, see
    /// `app::ssr::payment::alipay`), `demo` (the demo gateway built into the app, with its
    /// own keys), or `off` (the app takes no payment: orders go straight to the store).
    /// Unset: `alipay` when `ALIPAY_APP_ID` is set, else `demo` in demo mode, else `off`.
    pub payment: String,
    /// `PAYMENT_HOLD_MINUTES`: how long an unpaid order holds its stock, window and
    /// coupon (1 to 120; default 15).
    pub payment_hold_minutes: u32,
    /// `OPS_BOOTSTRAP_KEY`: the integration API's first key (all scopes), written on a
    /// start that finds no API key at all; ignored once any key exists (at least 24
    /// characters; never logged).
    #[serde(deserialize_with = "text")]
    pub ops_bootstrap_key: String,
    /// `OPS_RATE_LIMIT`: calls a minute one API key may make (default 600).
    pub ops_rate_limit: u32,
    /// `WEBHOOK_RETRY_SECONDS`: the first pause before a failed webhook delivery is tried
    /// again; each next pause doubles, up to an hour (default 10).
    pub webhook_retry_seconds: u32,
    /// How this server reaches itself (`http://127.0.0.1:PORT`), set once it is bound:
    /// the demo gateway posts its notifies there. Not read from the environment.
    #[serde(skip)]
    pub self_url: String,
}

/// How orders are paid, as `PAYMENT` (and the `ALIPAY_*` settings) decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentMode {
    Off,
    Demo,
    Alipay,
}

/// A setting that is text even when it looks like a number (figment reads `246810` from
/// the environment as one).
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        U(u64),
        I(i64),
    }
    Ok(match Text::deserialize(d)? {
        Text::S(s) => s,
        Text::U(n) => n.to_string(),
        Text::I(n) => n.to_string(),
    })
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind_addr", &self.bind_addr)
            .field("database_url", &self.database_url_for_logs())
            .field("db_max_connections", &self.db_max_connections)
            .field("site_root", &self.site_root)
            .field("seed_demo_data", &self.seed_demo_data)
            .field("trusted_origins", &self.trusted_origins)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("instance", &self.instance)
            .field(
                "secret_key",
                &if self.secret_key.is_empty() {
                    "(unset)"
                } else {
                    "***"
                },
            )
            .field("kiosk_idle_seconds", &self.kiosk_idle_seconds)
            .field("kiosk_warn_seconds", &self.kiosk_warn_seconds)
            .field("admin_phone", &self.admin_phone)
            .field("payment", &self.payment)
            .field("payment_hold_minutes", &self.payment_hold_minutes)
            .field(
                "ops_bootstrap_key",
                &if self.ops_bootstrap_key.is_empty() {
                    "(unset)"
                } else {
                    "***"
                },
            )
            .field("ops_rate_limit", &self.ops_rate_limit)
            .field("webhook_retry_seconds", &self.webhook_retry_seconds)
            .field(
                "admin_password",
                &if self.admin_password.is_empty() {
                    "(unset)"
                } else {
                    "***"
                },
            )
            .finish()
    }
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
            trusted_proxies: String::new(),
            instance: String::new(),
            secret_key: String::new(),
            kiosk_idle_seconds: 90,
            kiosk_warn_seconds: 20,
            admin_phone: String::new(),
            admin_password: String::new(),
            admin_name: "Brand admin".to_owned(),
            demo_mode: false,
            payment: String::new(),
            payment_hold_minutes: 15,
            ops_bootstrap_key: String::new(),
            ops_rate_limit: 600,
            webhook_retry_seconds: 10,
            self_url: String::new(),
        }
    }
}

/// An `ALIPAY_*` variable from the environment.
fn alipay_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
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
                "TRUSTED_PROXIES",
                "INSTANCE",
                "SECRET_KEY",
                "KIOSK_IDLE_SECONDS",
                "KIOSK_WARN_SECONDS",
                "ADMIN_PHONE",
                "ADMIN_PASSWORD",
                "ADMIN_NAME",
                "DEMO_MODE",
                "PAYMENT",
                "PAYMENT_HOLD_MINUTES",
                "OPS_BOOTSTRAP_KEY",
                "OPS_RATE_LIMIT",
                "WEBHOOK_RETRY_SECONDS",
            ]))
            .extract()
            .map_err(Box::new)
    }

    /// What the app reads at run time. A `SECRET_KEY` under 32 bytes is refused at start
    /// (see [`Config::check`]); an unset one gives this process its own key.
    pub fn settings(&self) -> app::ssr::settings::Settings {
        use app::ssr::settings::{Settings, SigningKey};
        Settings {
            key: SigningKey::from_secret(&self.secret_key).unwrap_or_else(SigningKey::ephemeral),
            kiosk_idle_secs: self.kiosk_idle_seconds.clamp(10, 3600),
            kiosk_warn_secs: self.kiosk_warn_seconds.clamp(5, 120),
            demo: self.demo_mode,
            sender: if self.demo_mode {
                std::sync::Arc::new(app::ssr::members::DemoSender)
            } else {
                std::sync::Arc::new(app::ssr::members::NoSender)
            },
            payment: self.payment_settings(),
        }
    }

    /// `PAYMENT` as read, with its default (see the field). An unknown value is `Err`.
    pub fn payment_mode(&self) -> Result<PaymentMode, &'static str> {
        match self.payment.trim() {
            "off" => Ok(PaymentMode::Off),
            "demo" => Ok(PaymentMode::Demo),
            "alipay" => Ok(PaymentMode::Alipay),
            "" if alipay_env(app::ssr::payment::alipay::ENV_APP_ID).is_some() => {
                Ok(PaymentMode::Alipay)
            }
            "" if self.demo_mode => Ok(PaymentMode::Demo),
            "" => Ok(PaymentMode::Off),
            _ => Err("PAYMENT must be alipay, demo or off"),
        }
    }

    /// The provider orders are paid through. `Config::check` has refused settings that do
    /// not make one; a router built without that check takes no payment.
    fn payment_settings(&self) -> Option<app::ssr::settings::PaymentSettings> {
        use app::ssr::payment::alipay::{Alipay, AlipayConfig};
        use app::ssr::settings::PaymentSettings;
        let hold_secs = i64::from(self.payment_hold_minutes.clamp(1, 120)) * 60;
        match self.payment_mode().ok()? {
            PaymentMode::Off => None,
            PaymentMode::Demo => {
                let self_url = if self.self_url.is_empty() {
                    format!("http://{}", self.bind_addr)
                } else {
                    self.self_url.clone()
                };
                let (provider, gateway) = app::ssr::payment::demo::demo_provider(
                    &self_url,
                    crate::payment_http::transport(),
                );
                Some(PaymentSettings {
                    provider,
                    hold_secs,
                    demo: Some(gateway),
                })
            }
            PaymentMode::Alipay => {
                let config = AlipayConfig::from_env(alipay_env).ok().flatten()?;
                Some(PaymentSettings {
                    provider: std::sync::Arc::new(Alipay::new(
                        config,
                        crate::payment_http::transport(),
                    )),
                    hold_secs,
                    demo: None,
                })
            }
        }
    }

    /// Settings that would start wrong: a short secret.
    pub fn check(&self) -> Result<(), &'static str> {
        if !self.secret_key.is_empty() && self.secret_key.len() < 32 {
            return Err("SECRET_KEY must be at least 32 bytes");
        }
        if crate::proxy::TrustedProxies::parse(&self.trusted_proxies).is_err() {
            return Err("TRUSTED_PROXIES must be comma-separated addresses or CIDRs");
        }
        if self.admin_phone.is_empty() != self.admin_password.is_empty() {
            return Err("ADMIN_PHONE and ADMIN_PASSWORD go together: set both or neither");
        }
        if !self.admin_phone.is_empty()
            && app::domain::order::parse_phone(&self.admin_phone).is_err()
        {
            return Err("ADMIN_PHONE must be an 11-digit mobile number");
        }
        if !self.admin_password.is_empty()
            && app::domain::staff::check_password(&self.admin_password).is_err()
        {
            return Err("ADMIN_PASSWORD must have 10 to 128 characters");
        }
        if !self.ops_bootstrap_key.is_empty()
            && (self.ops_bootstrap_key.len() < app::ssr::ops::keys::BOOTSTRAP_MIN_LEN
                || !self.ops_bootstrap_key.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err("OPS_BOOTSTRAP_KEY must be at least 24 printable characters, no spaces");
        }
        if self.ops_rate_limit == 0 {
            return Err("OPS_RATE_LIMIT must be at least 1");
        }
        if !(1..=3600).contains(&self.webhook_retry_seconds) {
            return Err("WEBHOOK_RETRY_SECONDS must be 1 to 3600");
        }
        if !(1..=120).contains(&self.payment_hold_minutes) {
            return Err("PAYMENT_HOLD_MINUTES must be 1 to 120");
        }
        if self.payment_mode()? == PaymentMode::Demo && !self.demo_mode {
            // Its keys are committed: anyone could sign a "payment" with them.
            return Err("PAYMENT=demo needs DEMO_MODE=true (the demo gateway's keys are public)");
        }
        if self.payment_mode()? == PaymentMode::Alipay {
            match app::ssr::payment::alipay::AlipayConfig::from_env(alipay_env) {
                Ok(Some(_)) => {}
                Ok(None) => return Err("PAYMENT=alipay needs the ALIPAY_* settings"),
                Err(e) => {
                    // The message names variables, never their values.
                    tracing::error!(error = %e, "the Alipay settings are not usable");
                    return Err("the ALIPAY_* settings are not usable (see the log)");
                }
            }
        }
        Ok(())
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
    fn the_secret_never_prints() {
        let config = Config {
            secret_key: "a-very-secret-key-of-enough-length-0123".into(),
            ..Config::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("very-secret"), "{printed}");
        assert!(printed.contains("secret_key: \"***\""), "{printed}");
        assert!(config.check().is_ok());
        let short = Config {
            secret_key: "short".into(),
            ..Config::default()
        };
        assert!(short.check().is_err());
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
