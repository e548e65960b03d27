//! The Cloud Store server (axum): configuration, the router with Leptos SSR and server
//! functions, static files, security layers and graceful shutdown. `main.rs` only calls
//! [`run`]; tests call [`start`] on port 0.

pub mod config;
pub mod error_pages;
pub mod extract;
pub mod forms;
pub mod guide;
pub mod lang;
pub mod ops;
pub mod page_cache;
pub mod payment_http;
pub mod proxy;
pub mod security;
pub mod shelf;
pub mod webhook_dispatch;

use app::links::routes;
use app::ssr::db::{Db, DbError};
use app::ssr::state::AppState;
use app::{App, BUNDLE_NAME, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::routing::{get, post};
use config::Config;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("demo data: {0}")]
    Seed(#[from] app::ssr::seed::SeedError),
    #[error("staff accounts: {0}")]
    Staff(app::error::AppError),
    #[error("search terms: {0}")]
    Search(app::error::AppError),
    #[error("listen: {0}")]
    Io(#[from] std::io::Error),
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(BUNDLE_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.bind_addr)
        .build()
}

/// Connects (migrating, and seeding an empty database when configured).
pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    if config.seed_demo_data {
        app::ssr::seed::seed_if_empty(&db).await?;
    }
    // Products seeded, imported before search terms existed, or renamed outside the app.
    let indexed = app::ssr::search::index_all_stale(&db)
        .await
        .map_err(StartError::Search)?;
    if indexed > 0 {
        tracing::info!(products = indexed, "wrote search terms");
    }
    ensure_staff(config, &db).await.map_err(StartError::Staff)?;
    if !config.ops_bootstrap_key.is_empty()
        && app::ssr::ops::keys::ensure_bootstrap(&db, &config.ops_bootstrap_key)
            .await
            .map_err(StartError::Staff)?
    {
        tracing::info!("wrote OPS_BOOTSTRAP_KEY as the first API key (all scopes)");
    }
    Ok(db)
}

/// The first brand admin from the environment, and in demo mode the demo stores' staff
/// (whose numbers and password the log lists, for `make run` to show).
async fn ensure_staff(config: &Config, db: &Db) -> Result<(), app::error::AppError> {
    use app::ssr::staff;
    if !config.admin_phone.is_empty()
        && staff::ensure_admin(
            db,
            &config.admin_name,
            &config.admin_phone,
            &config.admin_password,
        )
        .await?
    {
        tracing::info!(phone = %config.admin_phone, "made the first brand admin from ADMIN_PHONE");
    }
    if config.demo_mode && config.seed_demo_data {
        let accounts = staff::ensure_demo_staff(db).await?;
        let mut by_store: Vec<(String, Vec<String>)> = Vec::new();
        for a in accounts {
            let entry = format!("{} {}", a.role.as_str(), a.phone);
            match by_store.last_mut() {
                Some((s, list)) if *s == a.store => list.push(entry),
                _ => by_store.push((a.store, vec![entry])),
            }
        }
        tracing::info!(
            password = staff::DEMO_PASSWORD,
            "demo staff accounts (demo mode only): sign in at /staff"
        );
        for (store, people) in by_store {
            tracing::info!("  {store}: {}", people.join(", "));
        }
    }
    Ok(())
}

/// Every route of the app over `db`.
pub fn router(config: &Config, db: Db) -> Router {
    router_with(config, db, Router::new())
}

/// Every route of the app over `db`, and `extra` beside its static files, under the same
/// layers (the benchmark's in-memory baseline).
pub fn router_with(config: &Config, db: Db, extra: Router<AppState>) -> Router {
    let options = leptos_options(config);
    let routes = generate_route_list(App);
    let settings = config.settings();
    let state = AppState::new(db.clone(), settings.clone(), options.clone());
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(app::ssr::request::BagSummaryOnce::default());
        }
    };
    let render_options = options.clone();
    let fallback = leptos_axum::render_app_to_stream_with_context(
        {
            let context = context.clone();
            let options = options.clone();
            move || {
                context();
                provide_context(options.clone());
            }
        },
        move || shell(render_options.clone()),
    );
    let server_fns = {
        let context = context.clone();
        move |request: Request<Body>| handle_server_fns_with_context(context.clone(), request)
    };
    let site = std::path::PathBuf::from(&config.site_root);
    // Bundles are not content-hashed, so browsers revalidate them (cheap 304s); images
    // and the icon change rarely.
    let static_files = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(site.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .nest_service("/img", ServeDir::new(site.join("img")))
        .route_service("/favicon.ico", ServeFile::new(site.join("favicon.ico")))
        .route_service("/robots.txt", ServeFile::new(site.join("robots.txt")))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("public, max-age=300, stale-while-revalidate=86400"),
        ));
    let trusted = security::TrustedOrigins(Arc::new(config.trusted_origins()));
    // `Config::check` refuses a bad list at start; a router built without it trusts none.
    let proxies = proxy::TrustedProxies::parse(&config.trusted_proxies).unwrap_or_default();

    let ops = ops::router(db.clone(), config.ops_rate_limit);
    Router::new()
        .route("/api/{*fn_name}", post(server_fns.clone()).get(server_fns))
        .route(routes::LANG, post(lang::set_language))
        .route(routes::GUIDE_LINK, get(guide::arrive))
        .route(routes::SHELF_LABEL, get(shelf::scan))
        .route(routes::BAG_ADD, post(forms::bag::add))
        .route(routes::BAG_SET, post(forms::bag::set))
        .route(routes::BAG_REMOVE, post(forms::bag::remove))
        .route(routes::BAG_TAKE, post(forms::bag::take))
        .route(routes::KIOSK_ADD, post(forms::kiosk::add))
        .route(routes::KIOSK_RESET, post(forms::kiosk::reset))
        .route(routes::KIOSK_SET, post(forms::kiosk::set))
        .route(routes::KIOSK_REMOVE, post(forms::kiosk::remove))
        .route(routes::CHECKOUT_PLACE, post(forms::checkout::place))
        .route(routes::ORDER_CANCEL, post(forms::checkout::cancel))
        .route(routes::ORDER_PAY, get(forms::payment::pay))
        .route(routes::PAYMENT_NOTIFY, post(forms::payment::notify))
        .route(routes::MEMBER_CODE, post(forms::members::send_code))
        .route(routes::MEMBER_VERIFY, post(forms::members::verify))
        .route(routes::MEMBER_LOGOUT, post(forms::members::logout))
        .route(routes::TILL_MEMBER, post(forms::till::member))
        .route(routes::TILL_REDEEM, post(forms::till::redeem))
        .route(routes::TILL_POINTS, post(forms::till::points))
        .route(routes::STAFF_LOGIN, post(forms::staff::login))
        .route(routes::STAFF_LOGOUT, post(forms::staff::logout))
        .route(routes::STAFF_PASSWORD, post(forms::staff::change_password))
        .route(routes::STAFF_TEAM_ADD, post(forms::staff::team_add))
        .route(
            routes::STAFF_CAMPAIGN_CREATE,
            post(forms::marketing::campaign_create),
        )
        .route(
            routes::STAFF_AUDIENCE_SEND,
            post(forms::marketing::audience_send),
        )
        .route(
            routes::MEMBER_CHOICES,
            post(forms::marketing::member_choices),
        )
        .route(routes::MEMBER_DATA_JSON, get(forms::members::data_export))
        .route(
            routes::STAFF_BENEFIT_ADD,
            post(forms::marketing::benefit_add),
        )
        .route(
            routes::STAFF_BENEFIT_TOGGLE,
            post(forms::marketing::benefit_toggle),
        )
        .route(routes::CHECK_IN, post(forms::marketing::check_in))
        .route(routes::MEMBER_DELETE, post(forms::members::delete_account))
        .route(routes::STAFF_TEAM_RESET, post(forms::staff::team_reset))
        .route(routes::STAFF_TEAM_REMOVE, post(forms::staff::team_remove))
        .route(routes::STAFF_API_KEY_CREATE, post(forms::api_keys::create))
        .route(routes::STAFF_API_KEY_REVOKE, post(forms::api_keys::revoke))
        .route(routes::STAFF_ORDER_ADVANCE, post(forms::console::advance))
        .route(routes::STAFF_ORDER_CANCEL, post(forms::console::cancel))
        .route(routes::STAFF_ORDER_SHORT, post(forms::console::short))
        // console routes: stock
        .route(routes::STAFF_OFFER_SET, post(forms::stock::set))
        .route(
            routes::STAFF_STOCK_PREVIEW,
            post(forms::stock::preview).layer(axum::extract::DefaultBodyLimit::max(
                forms::stock::MAX_CSV_BYTES,
            )),
        )
        .route(routes::STAFF_STOCK_APPLY, post(forms::stock::apply))
        // console routes: settings
        .route(routes::STAFF_SETTINGS_SAVE, post(forms::settings::save))
        .route(
            routes::STAFF_WINDOW_CAPACITY,
            post(forms::settings::window_capacity),
        )
        .route(routes::STAFF_PAUSE, post(forms::settings::pause))
        .route(
            routes::STAFF_SPECIAL_DAY,
            post(forms::settings::special_day),
        )
        .route(
            routes::STAFF_SPECIAL_DAY_REMOVE,
            post(forms::settings::remove_special_day),
        )
        .route(routes::STAFF_QUEUE_JSON, get(forms::console::queue_json))
        .route(routes::STAFF_GUIDES_CSV, get(forms::console::guides_csv))
        .route(routes::TILL_COLLECT, post(forms::till::collect))
        .route(routes::TILL_ADVANCE, post(forms::till::advance))
        .route(routes::TILL_VERIFY, post(forms::till::verify))
        .route(routes::BOOKING_BOOK, post(forms::appointments::book))
        .route(
            routes::BOOKING_MOVE,
            post(forms::appointments::move_booking),
        )
        .route(routes::BOOKING_CANCEL, post(forms::appointments::cancel))
        .route(
            routes::STAFF_SERVICE_SET,
            post(forms::appointments::set_service),
        )
        .route("/healthz", get(healthz))
        .merge(payment_http::demo_routes(
            settings.payment.as_ref().and_then(|p| p.demo.clone()),
        ))
        .leptos_routes_with_context(&state, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .merge(extra)
        .merge(static_files)
        .fallback(get(fallback))
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(db.clone(), state.caches.clone()),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            trusted,
            security::refuse_cross_origin,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            error_pages::MAX_FORM_BYTES,
        ))
        .layer(axum::middleware::from_fn(error_pages::humane))
        // The integration API: outside the page layers above (no page cache, no Origin
        // rule, JSON errors), inside the ones below.
        .nest_service(ops::BASE, ops)
        .layer(axum::middleware::from_fn(security::baseline_headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(tower::util::option_layer(
            http::HeaderValue::from_str(&config.instance)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| {
                    SetResponseHeaderLayer::overriding(
                        http::HeaderName::from_static("x-instance"),
                        v,
                    )
                }),
        ))
        // Outermost: every layer and handler sees the client and scheme this decides.
        .layer(axum::middleware::from_fn_with_state(
            proxies,
            proxy::forwarded,
        ))
        .with_state(state)
}

/// Accepted connections send each write at once: without TCP_NODELAY, a response written
/// as headers then body waits on the client's delayed ACK (about 40 ms) under Nagle.
fn no_delay(listener: TcpListener) -> axum::serve::TapIo<TcpListener, fn(&mut TcpStream)> {
    use axum::serve::ListenerExt;
    fn set(tcp: &mut TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    }
    listener.tap_io(set as fn(&mut TcpStream))
}

async fn healthz() -> &'static str {
    "ok"
}

/// How long a stopping server waits for open connections before closing them.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// A running server: its address, and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub db: Db,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and gives up on connections
    /// still open after [`SHUTDOWN_GRACE`] (a client holding an idle keep-alive).
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "server stopped with an error"),
            Err(e) => tracing::warn!(error = %e, "server task failed"),
        }
    }
}

/// Sweeps expired rows every [`app::ssr::sweep::EVERY`] for as long as the server runs,
/// grants triggered benefits every [`app::ssr::benefits::EVERY`], marks bookings past
/// their grace period as no-shows (freeing their places) every [`NO_SHOW_SWEEP`], and,
/// when payment is on, ends unpaid holds and asks again for unconfirmed refunds every
/// [`PAYMENT_SWEEP`]. Every step is a conditional update: any number of servers
/// may run it at once.
fn spawn_sweeper(
    db: Db,
    payment: Option<app::ssr::settings::PaymentSettings>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(app::ssr::sweep::EVERY);
        let mut payments = tokio::time::interval(PAYMENT_SWEEP);
        // The first benefits run comes a period after start, not at once: the other
        // servers run it meanwhile, and a test's own runs of the job are then the only
        // ones in its first minute.
        let mut benefits = tokio::time::interval_at(
            tokio::time::Instant::now() + app::ssr::benefits::EVERY,
            app::ssr::benefits::EVERY,
        );
        let mut no_shows = tokio::time::interval(NO_SHOW_SWEEP);
        loop {
            tokio::select! {
                _ = benefits.tick() => {
                    let now = chrono::Utc::now().timestamp();
                    match app::ssr::benefits::run(&db, None, now).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(grants = n, "granted triggered benefits"),
                        Err(e) => tracing::warn!(error = %e, "benefits job failed; will retry"),
                    }
                }
                _ = every.tick() => {
                    match app::ssr::sweep::sweep(&db, chrono::Utc::now().timestamp()).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(rows = n, "swept expired rows"),
                        Err(e) => tracing::warn!(error = %e, "sweep failed; will retry"),
                    }
                }
                _ = no_shows.tick() => {
                    let now = chrono::Utc::now().timestamp();
                    match app::ssr::appointments::sweep_no_shows(&db, now).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(bookings = n, "marked no-shows; their places are free"),
                        Err(e) => tracing::warn!(error = %e, "no-show sweep failed; will retry"),
                    }
                }
                _ = payments.tick(), if payment.is_some() => {
                    let provider = payment.as_ref().map(|p| p.provider.as_ref());
                    let now = chrono::Utc::now().timestamp();
                    match app::ssr::payments::sweep(&db, provider, now).await {
                        Ok((0, 0)) => {}
                        Ok((holds, refunds)) => {
                            tracing::info!(holds, refunds, "ended unpaid holds, settled refunds");
                        }
                        Err(e) => tracing::warn!(error = %e, "payment sweep failed; will retry"),
                    }
                }
            }
        }
    })
}

/// How often bookings past their grace period are marked no-shows: a place is free at
/// most this long after the grace ends.
pub const NO_SHOW_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

/// How often unpaid holds are ended and unconfirmed refunds asked again.
pub const PAYMENT_SWEEP: std::time::Duration = std::time::Duration::from_secs(15);

/// How this server reaches itself: its bound address, with loopback for "any address".
fn self_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::IpAddr::from([127, 0, 0, 1]),
        ip if ip.is_unspecified() => std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// Opens the database (see [`open_database`]) and binds `config.bind_addr` (port 0 picks a
/// free port): everything but serving.
async fn bind(config: &Config) -> Result<(Db, TcpListener), StartError> {
    tracing::info!(database = %config.database_url_for_logs(), "opening database");
    let db = open_database(config).await?;
    let listener = TcpListener::bind(config.bind_addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "Cloud Store listening");
    Ok((db, listener))
}

/// Serves `app` (and sweeps) until `stop` resolves, then finishes the requests in flight
/// and closes connections still open after [`SHUTDOWN_GRACE`].
async fn serve(
    listener: TcpListener,
    app: Router,
    db: Db,
    payment: Option<app::ssr::settings::PaymentSettings>,
    webhook_retry: i64,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let deliveries = webhook_dispatch::spawn(db.clone(), webhook_retry);
    let sweeper = spawn_sweeper(db, payment);
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = axum::serve(
        no_delay(listener),
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        stop.await;
        let _ = stopping.send(());
    });
    let grace = async {
        let _ = stopped.await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let served = tokio::select! {
        served = serving => served,
        () = grace => {
            tracing::warn!("connections still open after the grace period; closing them");
            Ok(())
        }
    };
    sweeper.abort();
    deliveries.abort();
    served
}

/// Starts serving in the background (tests: `bind_addr` on port 0); [`Running::stop`]
/// stops it.
pub async fn start(config: Config) -> Result<Running, StartError> {
    start_with(config, Router::new()).await
}

/// [`start`] with `extra` routes under the app's layers (see [`router_with`]).
pub async fn start_with(
    mut config: Config,
    extra: Router<AppState>,
) -> Result<Running, StartError> {
    let (db, listener) = bind(&config).await?;
    let addr = listener.local_addr()?;
    config.self_url = self_url(addr);
    let app = router_with(&config, db.clone(), extra);
    let payment = config.settings().payment;
    let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
    let retry = i64::from(config.webhook_retry_seconds);
    let task = tokio::spawn(serve(
        listener,
        app,
        db.clone(),
        payment,
        retry,
        async move {
            let _ = stop.await;
        },
    ));
    Ok(Running {
        addr,
        db,
        shutdown,
        task,
    })
}

/// Serves until SIGINT/SIGTERM, then finishes in-flight requests and exits.
pub async fn run(mut config: Config) -> Result<(), StartError> {
    let (db, listener) = bind(&config).await?;
    config.self_url = self_url(listener.local_addr()?);
    let app = router(&config, db.clone());
    let payment = config.settings().payment;
    let retry = i64::from(config.webhook_retry_seconds);
    serve(listener, app, db, payment, retry, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
