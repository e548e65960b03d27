//! Webhook delivery (server): every server runs this loop; each due delivery is taken by
//! one of them (a lease in the database, see `app::ssr::ops::webhooks`), POSTed with its
//! signature, and marked delivered or given its next attempt. Nothing is held in memory:
//! a server that stops mid-attempt leaves a lease that runs out, and another takes it.

use app::domain::ops::{SIGNATURE_HEADER, sign};
use app::ssr::db::Db;
use app::ssr::ops::events;
use app::ssr::ops::webhooks::{self, Attempt, Due};
use std::time::Duration;

/// How often a server looks for due deliveries.
pub const EVERY: Duration = Duration::from_secs(1);
/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Deliveries one server takes per look.
const BATCH: i64 = 20;

/// The client deliveries go out on: no redirects followed (a receiver answers for itself).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("CloudStore-Webhooks/1")
        .build()
        .unwrap_or_default()
}

/// One look: takes what is due, attempts each, writes what came of it. Returns how many
/// were attempted.
pub async fn run_once(
    db: &Db,
    http: &reqwest::Client,
    retry_base: i64,
) -> Result<usize, app::error::AppError> {
    let now = chrono::Utc::now().timestamp();
    let due = webhooks::take_due(db, now, BATCH).await?;
    let n = due.len();
    let attempts = due.into_iter().map(|d| async move {
        let attempt = attempt(db, http, &d).await;
        let done = chrono::Utc::now().timestamp();
        if let Err(e) = webhooks::finish(db, &d, &attempt, done, retry_base).await {
            tracing::warn!(error = %e, delivery = d.id, "could not record a webhook attempt; its lease will run out");
        }
    });
    futures_util::future::join_all(attempts).await;
    Ok(n)
}

async fn attempt(db: &Db, http: &reqwest::Client, d: &Due) -> Attempt {
    let event = match events::event(db, d.event_id).await {
        Ok(Some(e)) => e,
        Ok(None) => {
            return Attempt::Failed {
                status: None,
                error: "event missing".into(),
            };
        }
        Err(e) => {
            return Attempt::Failed {
                status: None,
                error: format!("reading the event: {e}"),
            };
        }
    };
    let body = serde_json::to_vec(&event).unwrap_or_default();
    let t = chrono::Utc::now().timestamp();
    let sent = http
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, sign(&d.secret, t, &body))
        .header("x-cloudstore-event-id", event.id.to_string())
        .header("x-cloudstore-delivery", d.id.to_string())
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => Attempt::Delivered {
            status: r.status().as_u16(),
        },
        Ok(r) => Attempt::Failed {
            status: Some(r.status().as_u16()),
            error: format!("answered {}", r.status()),
        },
        // The URL is the subscriber's; the error names only what went wrong.
        Err(e) => Attempt::Failed {
            status: None,
            error: if e.is_timeout() {
                "timed out".into()
            } else if e.is_connect() {
                "could not connect".into()
            } else {
                "request failed".into()
            },
        },
    }
}

/// Runs [`run_once`] every [`EVERY`] for as long as the server runs.
pub fn spawn(db: Db, retry_base: i64) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = client();
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = run_once(&db, &http, retry_base).await {
                tracing::warn!(error = %e, "webhook delivery failed; will retry");
            }
        }
    })
}
