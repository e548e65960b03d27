//! Benchmark (not a test): the database-backed store page against two baselines of the
//! same bytes served by the same server under the same layers — a static file, and a
//! handler answering from memory — in one run, as ratios; then the store, product and home
//! pages for a shopper without cookies (the shared page), a shopper with a bag, one whose
//! location is known, one with both (the shared page with their parts laid over it) and a
//! page rendered from the database every time, each as a ratio to the shared page; and the
//! size of what a first visit downloads, for each bundle (wasm + JS + CSS: raw, gzip,
//! brotli).
//!
//! Run with `make bench` (builds the release bundle first). Tunables: BENCH_SECONDS
//! (default 8 per measurement), BENCH_CONNECTIONS (default 16); the server's own settings
//! (e.g. DB_MAX_CONNECTIONS) come from the environment as usual.

use axum::body::Bytes;
use server::config::Config;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The page measured; BENCH_PATH picks another (e.g. `/no/such/page` for render cost alone).
fn page_path() -> String {
    std::env::var("BENCH_PATH").unwrap_or_else(|_| "/s/sh-jingan-temple".to_owned())
}

struct Measured {
    requests: usize,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    bytes: usize,
}

impl Measured {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Closed-loop load: `connections` keep-alive clients each sending one request after
/// another for `seconds`, from their own runtime thread so the server's runtime is not shared.
fn load(url: &str, cookie: Option<&str>, connections: usize, seconds: u64) -> Measured {
    let url = url.to_owned();
    let cookie = cookie.map(str::to_owned);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(connections)
                .build()
                .expect("client");
            let deadline = Instant::now() + Duration::from_secs(seconds);
            let started = Instant::now();
            let tasks: Vec<_> = (0..connections)
                .map(|_| {
                    let (client, url, cookie) = (client.clone(), url.clone(), cookie.clone());
                    tokio::spawn(async move {
                        let mut latencies = Vec::new();
                        let mut bytes = 0;
                        while Instant::now() < deadline {
                            let t = Instant::now();
                            let mut request = client.get(&url);
                            if let Some(c) = &cookie {
                                request = request.header("cookie", c.as_str());
                            }
                            let response = request.send().await.expect("request");
                            assert!(
                                !response.status().is_server_error(),
                                "{url}: {}",
                                response.status()
                            );
                            bytes = response.bytes().await.expect("body").len();
                            latencies.push(t.elapsed());
                        }
                        (latencies, bytes)
                    })
                })
                .collect();
            let mut all = Vec::new();
            let mut bytes = 0;
            for task in tasks {
                let (latencies, b) = task.await.expect("client task");
                all.extend(latencies);
                bytes = b;
            }
            let seconds = started.elapsed().as_secs_f64();
            all.sort_unstable();
            let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
            Measured {
                requests: all.len(),
                seconds,
                p50: at(0.50),
                p99: at(0.99),
                bytes,
            }
        })
    })
    .join()
    .expect("load thread")
}

fn compressed_sizes(path: &Path) -> (usize, usize, usize) {
    let raw = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `make site-release`)", path.display()));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&raw).expect("gzip");
    let gz = gz.finish().expect("gzip").len();
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut raw.as_slice(),
        &mut br,
        &brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        },
    )
    .expect("brotli");
    (raw.len(), gz, br.len())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read site") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn main() {
    let seconds = env_or("BENCH_SECONDS", 8);
    let connections = env_or("BENCH_CONNECTIONS", 16) as usize;
    let built_site = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"));
    let work = tempfile::tempdir().expect("temp dir");
    let site = work.path().join("site");
    copy_dir(&built_site, &site);

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let config = Config {
        bind_addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: format!("sqlite://{}", work.path().join("bench.db").display()),
        site_root: site.display().to_string(),
        // DB_MAX_CONNECTIONS and the rest as the server would read them.
        ..Config::from_env().expect("configuration")
    };
    // The stronger baseline: the page's bytes from memory, through every layer a page
    // goes through (the bytes are put in once the page has been fetched).
    let in_memory: Arc<OnceLock<Bytes>> = Arc::default();
    let extra = {
        let in_memory = in_memory.clone();
        axum::Router::new().route(
            "/bench/same-bytes",
            axum::routing::get(move || {
                let body = in_memory.get().cloned().unwrap_or_default();
                async move {
                    (
                        [(http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        body,
                    )
                }
            }),
        )
    };
    let running = rt
        .block_on(server::start_with(config, extra))
        .expect("server starts");
    let base = format!("http://{}", running.addr);

    // The baseline: the page's own bytes, as a static file from the same server.
    let path = page_path();
    let page = rt.block_on(async {
        reqwest::get(format!("{base}{path}"))
            .await
            .expect("page")
            .text()
            .await
            .expect("body")
    });
    std::fs::write(site.join("img").join("same-size.html"), &page).expect("write baseline");
    in_memory.set(Bytes::from(page.clone())).expect("set once");

    println!(
        "Cloud Store benchmark: {connections} connections, {seconds} s per measurement, release build"
    );
    println!("warming up …");
    // A shopper with a bag: a real session holding two items, so the page is the shared
    // one with their header laid over it (X-Page-Cache: personal).
    let with_bag = rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let added = client
            .post(format!("{base}/bag/add"))
            .form(&[
                ("store", "sh-jingan-temple"),
                ("sku", "HC101101"),
                ("quantity", "2"),
                ("back", "/"),
            ])
            .send()
            .await
            .expect("add to bag");
        let sid = added
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.split(';').next().filter(|p| p.starts_with("sid=")))
            .expect("a session")
            .to_owned();
        let how = client
            .get(format!("{base}{path}"))
            .header("cookie", &sid)
            .send()
            .await
            .expect("page")
            .headers()
            .get("x-page-cache")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        assert_eq!(
            how.as_deref(),
            Some("personal"),
            "the bag's page is overlaid"
        );
        sid
    });
    // A cookie the cache does not know sends the page to be rendered from the database
    // for every request: what a shopper with a bag cost before the overlay.
    const UNKNOWN: &str = "probe=1";
    // A shopper at 静安寺 (the cookie the nearby page sets).
    const PLACE: &str = "loc=31.22320,121.44570";
    let both = format!("{with_bag}; {PLACE}");
    load(&format!("{base}/img/same-size.html"), None, connections, 2);
    load(&format!("{base}/bench/same-bytes"), None, connections, 2);
    load(&format!("{base}{path}"), None, connections, 2);
    let fixed = load(
        &format!("{base}/img/same-size.html"),
        None,
        connections,
        seconds,
    );
    let memory = load(
        &format!("{base}/bench/same-bytes"),
        None,
        connections,
        seconds,
    );
    assert_eq!(
        memory.bytes,
        page.len(),
        "the in-memory baseline is the page's bytes"
    );

    println!();
    println!(
        "{:<38} {:>10} {:>10} {:>10} {:>9}",
        "", "req/s", "p50 ms", "p99 ms", "bytes"
    );
    let row = |name: &str, m: &Measured| {
        println!(
            "{name:<38} {:>10.0} {:>10.2} {:>10.2} {:>9}",
            m.rps(),
            m.p50.as_secs_f64() * 1e3,
            m.p99.as_secs_f64() * 1e3,
            m.bytes
        );
    };
    row("static file, same size", &fixed);
    row("in-memory handler, same bytes", &memory);
    // Each page for each kind of shopper; the first page is the one of the baselines.
    let pages: Vec<String> = if std::env::var("BENCH_PATH").is_ok() {
        vec![path.clone()]
    } else {
        vec![
            path.clone(),
            "/s/sh-jingan-temple/p/HC101101".to_owned(),
            "/".to_owned(),
        ]
    };
    let mut verdicts = Vec::new();
    let mut first = None;
    for page_path in &pages {
        let url = format!("{base}{page_path}");
        load(&url, Some(PLACE), connections, 1);
        let anonymous = load(&url, None, connections, seconds);
        row(&format!("SSR {page_path}"), &anonymous);
        for (who, cookie) in [
            ("a shopper with a bag", with_bag.as_str()),
            ("a shopper with a location", PLACE),
            ("a bag and a location", both.as_str()),
            ("rendered every time", UNKNOWN),
        ] {
            let m = load(&url, Some(cookie), connections, seconds);
            row(&format!("  {who}"), &m);
            if cookie != UNKNOWN {
                verdicts.push((
                    format!("{page_path}, {who}"),
                    m.rps() / anonymous.rps(),
                    m.p99.as_secs_f64() / anonymous.p99.as_secs_f64(),
                ));
            }
        }
        if first.is_none() {
            first = Some(anonymous);
        }
    }
    let ssr = first.expect("a page measured");
    println!();
    println!("personal / anonymous (cached), same page — targets: req/s ≥ 0.5, p99 ≤ 2");
    for (name, rps, p99) in &verdicts {
        println!(
            "  {name:<58} req/s {rps:.3} {}  p99 {p99:.2} {}",
            if *rps >= 0.5 { "met" } else { "NOT met" },
            if *p99 <= 2.0 { "met" } else { "NOT met" }
        );
    }
    println!();
    let rps_ratio = ssr.rps() / fixed.rps();
    let p99_ratio = ssr.p99.as_secs_f64() / fixed.p99.as_secs_f64();
    println!();
    println!(
        "SSR / static req/s: {rps_ratio:.3}  (target ≥ 0.333)  {}",
        if rps_ratio >= 1.0 / 3.0 {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "SSR / static p99:   {p99_ratio:.2}   (target ≤ 3)      {}",
        if p99_ratio <= 3.0 { "met" } else { "NOT met" }
    );
    println!(
        "SSR / in-memory:    req/s {:.3}, p99 {:.2}  (the same bytes from memory, through every layer)",
        ssr.rps() / memory.rps(),
        ssr.p99.as_secs_f64() / memory.p99.as_secs_f64(),
    );

    println!();
    for (bundle, pages) in [
        ("cloud_store_browse", "home, nearby, store, product, bag"),
        ("cloud_store", "every other page"),
    ] {
        println!("First visit bundle {bundle} ({pages})   raw      gzip    brotli");
        let mut totals = (0, 0, 0);
        for file in [
            format!("{bundle}_bg.wasm"),
            format!("{bundle}.js"),
            "cloud_store.css".to_owned(),
        ] {
            let (raw, gz, br) = compressed_sizes(&built_site.join("pkg").join(&file));
            println!("  {file:<28} {:>8} {:>9} {:>9}", raw, gz, br);
            if !file.ends_with(".css") {
                totals = (totals.0 + raw, totals.1 + gz, totals.2 + br);
            }
        }
        println!(
            "  {:<28} {:>8} {:>9} {:>9}",
            "wasm + JS", totals.0, totals.1, totals.2
        );
        let kb = totals.2 as f64 / 1024.0;
        if bundle == "cloud_store_browse" {
            println!(
                "wasm + JS brotli: {kb:.1} KiB (target ≤ 75 KiB) {}",
                if kb <= 75.0 { "met" } else { "NOT met" }
            );
        } else {
            println!("wasm + JS brotli: {kb:.1} KiB");
        }
    }
    rt.block_on(running.stop());
}
