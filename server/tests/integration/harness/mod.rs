//! The test harness (server tests): a fresh database per test (a temp SQLite file, or a
//! new PostgreSQL database on `TEST_DATABASE_URL`), the real server on port 0 over it, a
//! cookie-keeping [`Browser`] to speak HTTP to it, and [`both_backends!`], which turns one
//! test body into a `…_sqlite` and a `…_postgres` test.
//!
//! PostgreSQL must be reachable: an unreachable server fails the `…_postgres` tests.
//! `SKIP_POSTGRES=1` is the explicit way to skip them (the Makefile says so at the end).

pub mod rng;

use app::ssr::db::{Db, DbKind};
use app::ssr::settings::SigningKey;
use reqwest::cookie::{CookieStore, Jar};
use server::config::Config;
use sqlx::{Connection, Executor};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// One test body, two tests: `$name_sqlite` and `$name_postgres`, each with the
/// attributes given (docs, and `#[tokio::test]` or a multi-threaded flavour). The body is
/// an `async fn $name(kind: DbKind)`; with `SKIP_POSTGRES=1` the PostgreSQL test returns
/// at once.
macro_rules! both_backends {
    (
        $(#[$attr:meta])*
        async fn $name:ident($kind:ident: $kind_type:ty) $body:block
    ) => {
        async fn $name($kind: $kind_type) $body

        ::paste::paste! {
            $(#[$attr])*
            async fn [<$name _sqlite>]() {
                $name(app::ssr::db::DbKind::Sqlite).await
            }

            $(#[$attr])*
            async fn [<$name _postgres>]() {
                if $crate::harness::postgres_skipped() {
                    return;
                }
                $name(app::ssr::db::DbKind::Postgres).await
            }
        }
    };
}

/// One race, three tests: `$name_sqlite`, `$name_postgres` (READ COMMITTED, PostgreSQL's
/// default) and `$name_postgres_serializable` (every transaction SERIALIZABLE, where a
/// lost race is an error that `db::retrying` must run again). The body is an
/// `async fn $name(fresh: Fresh)`.
macro_rules! every_isolation {
    (
        $(#[$attr:meta])*
        async fn $name:ident($fresh:ident: $fresh_type:ty) $body:block
    ) => {
        async fn $name($fresh: $fresh_type) $body

        ::paste::paste! {
            $(#[$attr])*
            async fn [<$name _sqlite>]() {
                $name($crate::harness::Fresh::sqlite()).await
            }

            $(#[$attr])*
            async fn [<$name _postgres>]() {
                if $crate::harness::postgres_skipped() {
                    return;
                }
                $name($crate::harness::Fresh::postgres().await).await
            }

            $(#[$attr])*
            async fn [<$name _postgres_serializable>]() {
                if $crate::harness::postgres_skipped() {
                    return;
                }
                $name($crate::harness::Fresh::postgres_serializable().await).await
            }
        }
    };
}

/// The secret the test server signs with, so that a test can sign tokens it accepts.
pub const TEST_SECRET: &str = "the integration tests' signing secret, long enough";
/// The first brand admin every test server makes (as `ADMIN_PHONE`/`ADMIN_PASSWORD`).
pub const ADMIN_PHONE: &str = "13800000000";
pub const ADMIN_PASSWORD: &str = "admin password for tests";

/// Sets one offer's stock: `store`'s offer of `product`.
pub async fn set_stock(db: &Db, store: i64, product: i64, stock: i64) {
    sqlx::query("UPDATE offers SET stock = $1 WHERE store_id = $2 AND product_id = $3")
        .bind(stock)
        .bind(store)
        .bind(product)
        .execute(&db.pool)
        .await
        .expect("set an offer's stock");
}

/// `SKIP_POSTGRES=1`: the one way to run without PostgreSQL.
pub fn postgres_skipped() -> bool {
    std::env::var("SKIP_POSTGRES").is_ok_and(|v| v == "1")
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

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

/// A database made for one test; dropped with it (a PostgreSQL database is dropped even
/// when the test panics, so failed runs leave nothing behind).
pub struct Fresh {
    pub url: String,
    pub kind: DbKind,
    /// PostgreSQL only: every transaction runs SERIALIZABLE (the database's default).
    pub serializable: bool,
    /// The PostgreSQL server and the database's name, for dropping it.
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl Fresh {
    pub async fn new(kind: DbKind) -> Fresh {
        match kind {
            DbKind::Sqlite => Fresh::sqlite(),
            DbKind::Postgres => Fresh::postgres().await,
        }
    }

    pub fn sqlite() -> Fresh {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cloud-store.db");
        Fresh {
            url: format!("sqlite://{}", path.display()),
            kind: DbKind::Sqlite,
            serializable: false,
            postgres: None,
            _dir: Some(dir),
        }
    }

    /// A new, empty PostgreSQL database. An unreachable server is a failure, not a skip:
    /// the first test to find it so waits a few seconds, the others fail at once.
    pub async fn postgres() -> Fresh {
        Fresh::postgres_at(false).await
    }

    /// A new PostgreSQL database whose transactions are all SERIALIZABLE
    /// (`default_transaction_isolation`), as a deployment may choose.
    pub async fn postgres_serializable() -> Fresh {
        Fresh::postgres_at(true).await
    }

    async fn postgres_at(serializable: bool) -> Fresh {
        static UNREACHABLE: OnceLock<String> = OnceLock::new();
        let fail = |e: &str| -> ! {
            panic!(
                "PostgreSQL at TEST_DATABASE_URL is unreachable ({e}). Start it (see the \
                 README's \"Test it\"), point TEST_DATABASE_URL at one, or skip the PostgreSQL \
                 tests explicitly with SKIP_POSTGRES=1."
            )
        };
        if let Some(e) = UNREACHABLE.get() {
            fail(e);
        }
        sqlx::any::install_default_drivers();
        let admin_url = admin_url();
        let connecting = sqlx::AnyConnection::connect(&admin_url);
        let mut admin = match tokio::time::timeout(Duration::from_secs(5), connecting).await {
            Ok(Ok(connection)) => connection,
            Ok(Err(e)) => fail(UNREACHABLE.get_or_init(|| e.to_string())),
            Err(_) => fail(UNREACHABLE.get_or_init(|| "no answer in 5 s".to_owned())),
        };
        let name = unique_name();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        if serializable {
            admin
                .execute(
                    format!(
                        "ALTER DATABASE {name} SET default_transaction_isolation = 'serializable'"
                    )
                    .as_str(),
                )
                .await
                .expect("make the test database serializable");
        }
        let _ = admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        Fresh {
            url: format!("{base}/{name}"),
            kind: DbKind::Postgres,
            serializable,
            postgres: Some((admin_url.clone(), name)),
            _dir: None,
        }
    }

    pub fn config(&self) -> Config {
        Config {
            bind_addr: "127.0.0.1:0".parse().expect("addr"),
            database_url: self.url.clone(),
            db_max_connections: 8,
            site_root: concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site").to_owned(),
            secret_key: TEST_SECRET.to_owned(),
            // The tests speak from loopback as the proxy would (see proxy.rs for both ways).
            trusted_proxies: "127.0.0.1/32,::1/128".to_owned(),
            admin_phone: ADMIN_PHONE.to_owned(),
            admin_password: ADMIN_PASSWORD.to_owned(),
            demo_mode: true,
            // Payment is its own tests' (payment.rs): elsewhere orders need none.
            payment: "off".to_owned(),
            ..Config::default()
        }
    }

    /// Migrated and seeded.
    pub async fn open(&self) -> Db {
        server::open_database(&self.config())
            .await
            .expect("open database")
    }

    /// Migrated only: no demo data.
    pub async fn migrate(&self) -> Db {
        Db::connect(&self.url, 2).await.expect("migrate database")
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which must not block on itself: a thread
        // with a runtime of its own drops the database.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                if let Ok(admin) = sqlx::AnyPool::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    admin.close().await;
                }
            });
        });
        let _ = dropped.join();
    }
}

/// The real server on port 0 over a fresh database.
pub struct TestApp {
    pub base: String,
    /// A client that keeps no cookies and follows no redirects, for requests that set
    /// their own headers. A shopper is a [`Browser`].
    pub http: reqwest::Client,
    running: server::Running,
    fresh: Fresh,
}

impl TestApp {
    pub async fn start(kind: DbKind) -> TestApp {
        Self::start_with(kind, |_| {}).await
    }

    /// A server whose configuration `change` adjusts first.
    pub async fn start_with(kind: DbKind, change: impl FnOnce(&mut Config)) -> TestApp {
        Self::on_with(Fresh::new(kind).await, change).await
    }

    /// A server over a database already made (e.g. [`Fresh::postgres_serializable`]).
    pub async fn on(fresh: Fresh) -> TestApp {
        Self::on_with(fresh, |_| {}).await
    }

    async fn on_with(fresh: Fresh, change: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = fresh.config();
        change(&mut config);
        let running = server::start(config).await.expect("server starts");
        TestApp {
            base: format!("http://{}", running.addr),
            http: client(None),
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

    /// The key the server signs with.
    pub fn key(&self) -> SigningKey {
        SigningKey::from_secret(TEST_SECRET).expect("a long enough secret")
    }

    /// A new browser with no cookies yet.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A GET without cookies, with an optional language preference: status and body.
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
        drop(self.fresh);
    }
}

fn client(jar: Option<Arc<Jar>>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60));
    if let Some(jar) = jar {
        builder = builder.cookie_provider(jar);
    }
    builder.build().expect("client")
}

/// One visitor's browser with JavaScript off: it keeps the cookies the server sets (and
/// forgets those it clears), and follows no redirect, so a test sees each `303`.
pub struct Browser {
    base: String,
    jar: Arc<Jar>,
    pub http: reqwest::Client,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        Browser {
            base: base.to_owned(),
            http: client(Some(jar.clone())),
            jar,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn site(&self) -> reqwest::Url {
        self.base.parse().expect("base URL")
    }

    /// Stores a cookie as if the server had set it: `name=value`.
    pub fn set_cookie(&self, pair: &str) {
        self.jar
            .add_cookie_str(&format!("{pair}; Path=/"), &self.site());
    }

    /// The `Cookie` header this browser sends: `a=1; b=2`.
    pub fn cookies(&self) -> String {
        self.jar
            .cookies(&self.site())
            .map(|v| v.to_str().expect("ASCII cookies").to_owned())
            .unwrap_or_default()
    }

    /// The value of one cookie, if the browser has it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies().split("; ").find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    }

    /// A second browser holding copies of this one's cookies (a stolen or copied session).
    pub fn copy(&self) -> Browser {
        let other = Browser::new(&self.base);
        for pair in self.cookies().split("; ").filter(|p| !p.is_empty()) {
            other.set_cookie(pair);
        }
        other
    }

    /// GET: status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.http.get(self.url(path)).send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// GET: the body, whatever the status.
    pub async fn page(&self, path: &str) -> String {
        self.get(path).await.1
    }

    /// A form posted as a browser without JavaScript posts it.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// A form posted as the `FormEnhancer` island posts it (asking for JSON): the status
    /// and the reply (a JSON string value when the body is not JSON).
    pub async fn post_form_json(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(self.url(path))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("POST");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let reply = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, reply)
    }
}

impl TestApp {
    /// The id of a store by its slug.
    pub async fn store_id(&self, slug: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM stores WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.db().pool)
            .await
            .expect("store");
        id
    }

    /// A browser signed in at `/staff` as the demo account `n` of `store` (1 manager,
    /// 2 staff, 3 and 4 guides; see `app::ssr::staff::ensure_demo_staff`).
    pub async fn staff(&self, store: &str, n: i64) -> Browser {
        let phone = app::ssr::staff::demo_phone(self.store_id(store).await, n);
        self.signed_in(&phone, app::ssr::staff::DEMO_PASSWORD).await
    }

    /// Signs `b` in as the member with `phone`, with the code the demo inbox got.
    pub async fn sign_in_member(&self, b: &Browser, phone: &str) {
        let (status, reply) = b
            .post_form_json(app::links::routes::MEMBER_CODE, &[("phone", phone)])
            .await;
        assert_eq!(status, 200, "a code sent: {reply}");
        let (message,): (String,) = sqlx::query_as(
            "SELECT message FROM demo_inbox WHERE phone = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(phone)
        .fetch_one(&self.db().pool)
        .await
        .expect("the code in the demo inbox");
        let code: String = message
            .chars()
            .filter(char::is_ascii_digit)
            .take(6)
            .collect();
        let (status, reply) = b
            .post_form_json(app::links::routes::MEMBER_VERIFY, &[("code", &code)])
            .await;
        assert_eq!(status, 200, "signed in: {reply}");
    }

    /// A browser signed in at `/staff` as the brand admin the harness makes.
    pub async fn admin(&self) -> Browser {
        self.signed_in(ADMIN_PHONE, ADMIN_PASSWORD).await
    }

    pub async fn signed_in(&self, phone: &str, password: &str) -> Browser {
        let b = self.browser();
        let (status, reply) = b
            .post_form_json("/staff/login", &[("phone", phone), ("password", password)])
            .await;
        assert_eq!(status, 200, "staff sign-in as {phone}: {reply}");
        b
    }
}

/// The `name=value` pairs of every `Set-Cookie` in a response.
pub fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}
