//! The webhook sender: posts the deliveries `webhook_delivery` holds (see
//! `app::backend::webhooks`). It claims due rows (one sender per row, also across instances on
//! one PostgreSQL), posts each as JSON signed with its webhook's secret, and counts any 2xx
//! answer as delivered. Anything else (another status, a refused connection, a timeout) is
//! retried with exponential backoff until the attempt limit, after which the delivery is
//! `failed` with the last status and error; an administrator may queue it again. Redirects
//! are not followed.
//!
//! In production the URL's host must be public: an address literal is checked before each
//! post, and a name is resolved by a resolver that drops loopback, private and link-local
//! addresses, so a name pointed at the internal network later cannot reach it either.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use sea_orm::DatabaseConnection;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use app::backend::clock::Clock;
use app::backend::webhooks::{self, Claimed};

#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// The longest wait between looks at the deliveries (a commit in this process wakes it).
    pub poll: Duration,
    pub batch: u64,
    /// Deliveries posted at the same time.
    pub concurrency: usize,
    /// Attempts before a delivery is `failed`.
    pub max_attempts: i32,
    /// The first retry waits this long, each next one four times as long (at most six hours),
    /// ±10 %: 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 6 h, … by default.
    pub retry_base: Duration,
    /// How long one post may take, connecting and reading the answer included.
    pub timeout: Duration,
    /// How long a claimed row stays with its sender before another may take it (longer than
    /// `timeout`).
    pub lease: Duration,
    /// Production: refuse loopback and private addresses.
    pub public_only: bool,
}

/// The longest wait between two attempts.
const MAX_DELAY: Duration = Duration::from_secs(6 * 3600);

impl WebhookConfig {
    /// The wait after the `attempts`-th failed attempt.
    pub fn retry_delay(&self, attempts: i32) -> Duration {
        let exp = (attempts.clamp(1, 16) - 1) as u32;
        let base = self
            .retry_base
            .saturating_mul(4u32.saturating_pow(exp))
            .min(MAX_DELAY);
        base.mul_f64(rand::rng().random_range(0.9..1.1))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A resolver that keeps only public addresses (production).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| webhooks::is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(BoxError::from(format!(
                    "{host} resolves to no public address (loopback and private addresses are refused in production)"
                )));
            }
            Ok::<reqwest::dns::Addrs, BoxError>(Box::new(addrs.into_iter()))
        })
    }
}

/// The HTTP client of the sender.
pub fn http_client(cfg: &WebhookConfig) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .timeout(cfg.timeout)
        .connect_timeout(cfg.timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Petitio-Webhooks/", env!("CARGO_PKG_VERSION")));
    if cfg.public_only {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    builder.build()
}

/// An error with its causes, for the delivery's `last_error`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The start of an answer's body (for the administrator's view of a failure).
async fn snippet(mut res: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= 300 {
            break;
        }
    }
    String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        .trim()
        .to_string()
}

/// Posts one claimed delivery and records the result.
async fn deliver(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    cfg: &WebhookConfig,
    clock: Clock,
    claimed: Claimed,
) {
    let row = &claimed.delivery;
    let outcome: Result<u16, (Option<u16>, String, bool)> =
        match webhooks::check_url(&claimed.url, cfg.public_only) {
            // Not worth retrying: the URL itself is refused.
            Err(e) => Err((None, format!("the URL is refused: {e}"), false)),
            Ok(url) => {
                // The receiver checks the signed moment against its own clock: the real one.
                let timestamp = chrono::Utc::now().timestamp();
                let sent = client
                    .post(url.as_str())
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header("X-Petitio-Event", &row.event_type)
                    .header("X-Petitio-Delivery", &row.event_id)
                    .header("X-Petitio-Timestamp", timestamp.to_string())
                    .header(
                        "X-Petitio-Signature",
                        webhooks::sign(&claimed.secret, timestamp, &row.payload),
                    )
                    .body(row.payload.clone())
                    .send()
                    .await;
                match sent {
                    Ok(res) if res.status().is_success() => Ok(res.status().as_u16()),
                    Ok(res) => {
                        let status = res.status();
                        let body = snippet(res).await;
                        let error = if body.is_empty() {
                            format!("HTTP {status}")
                        } else {
                            format!("HTTP {status}: {body}")
                        };
                        Err((Some(status.as_u16()), error, true))
                    }
                    Err(e) => Err((None, chain(&e), true)),
                }
            }
        };
    let now = clock.now();
    let recorded = match outcome {
        Ok(status) => webhooks::mark_delivered(db, row, status, now).await,
        Err((status, error, retry)) if retry && row.attempts < cfg.max_attempts => {
            let delay = chrono::Duration::from_std(cfg.retry_delay(row.attempts))
                .unwrap_or(chrono::Duration::hours(1));
            tracing::warn!(id = row.id, attempts = row.attempts, %error, "webhook not delivered; will retry");
            webhooks::mark_failed(db, row, status, &error, Some(now + delay)).await
        }
        Err((status, error, _)) => {
            tracing::error!(id = row.id, attempts = row.attempts, %error, "webhook delivery failed for good");
            webhooks::mark_failed(db, row, status, &error, None).await
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the delivery is posted again: at worst one duplicate with the
        // same X-Petitio-Delivery, never a lost event.
        tracing::error!(id = row.id, error = %e, "could not record the webhook delivery's outcome");
    }
}

/// One pass: claim a batch and post it. Returns how many rows were claimed.
pub async fn send_due(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    cfg: &WebhookConfig,
    clock: Clock,
) -> Result<usize, sea_orm::DbErr> {
    let lease = chrono::Duration::from_std(cfg.lease).unwrap_or(chrono::Duration::minutes(2));
    let rows = webhooks::claim(db, clock.now(), cfg.batch, lease).await?;
    let claimed = rows.len();
    let mut tasks = JoinSet::new();
    for row in rows {
        while tasks.len() >= cfg.concurrency.max(1) {
            let _ = tasks.join_next().await;
        }
        let (db, client, cfg) = (db.clone(), client.clone(), cfg.clone());
        tasks.spawn(async move { deliver(&db, &client, &cfg, clock, row).await });
    }
    while tasks.join_next().await.is_some() {}
    Ok(claimed)
}

/// Runs until `shutdown`; a batch in progress is finished first.
pub async fn run(
    db: DatabaseConnection,
    cfg: WebhookConfig,
    clock: Clock,
    shutdown: CancellationToken,
) {
    let client = match http_client(&cfg) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook sender: no HTTP client; webhooks are not sent");
            return;
        }
    };
    tracing::info!("webhook sender started");
    loop {
        match send_due(&db, &client, &cfg, clock).await {
            // A full batch: there may be more.
            Ok(n) if n as u64 >= cfg.batch && !shutdown.is_cancelled() => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook sender: could not read the deliveries"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = webhooks::wakeup().notified() => {}
            _ = tokio::time::sleep(cfg.poll) => {}
        }
    }
    tracing::info!("webhook sender stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_four_times_longer_each_time_up_to_six_hours() {
        let cfg = WebhookConfig {
            poll: Duration::from_secs(5),
            batch: 10,
            concurrency: 1,
            max_attempts: 10,
            retry_base: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            lease: Duration::from_secs(60),
            public_only: true,
        };
        let near = |attempts: i32, secs: f64| {
            let d = cfg.retry_delay(attempts).as_secs_f64();
            assert!((secs * 0.89..=secs * 1.11).contains(&d), "{attempts}: {d}");
        };
        near(1, 30.0);
        near(2, 120.0);
        near(3, 480.0);
        near(9, 6.0 * 3600.0);
        near(50, 6.0 * 3600.0);
    }
}
