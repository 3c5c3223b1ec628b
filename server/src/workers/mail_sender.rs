//! The mail sender: delivers what the outbox holds. It claims due rows (exactly one sender per
//! row, also across instances on one PostgreSQL), sends them through the configured transport
//! with their stable Message-ID, records the server's answer, and retries failures with
//! exponential backoff and jitter until the attempt limit, after which a row is `dead` with its
//! last error. A sender that dies mid-send leaves rows `sending`; their lease runs out and
//! another sender takes them again (the Message-ID lets the recipient's server recognise it).

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use sea_orm::DatabaseConnection;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use app::backend::clock::Clock;
use app::backend::entity::mail_outbox;
use app::backend::outbox;

use crate::mail::{MailError, MailTransport, OutgoingMail};

#[derive(Clone, Debug)]
pub struct SenderConfig {
    pub from: String,
    /// The longest wait between looks at the outbox (a commit in this process wakes it sooner).
    pub poll: Duration,
    pub batch: u64,
    /// Mails sent at the same time.
    pub concurrency: usize,
    pub max_attempts: i32,
    /// The first retry waits this long; each next one twice as long (at most an hour), ±20 %.
    pub retry_base: Duration,
    /// How long a claimed row stays with its sender before another may take it.
    pub lease: Duration,
}

impl SenderConfig {
    pub fn retry_delay(&self, attempts: i32) -> Duration {
        let exp = attempts.clamp(1, 20) - 1;
        let base = self
            .retry_base
            .saturating_mul(1u32 << exp.min(16))
            .min(Duration::from_secs(3600));
        let jitter = rand::rng().random_range(0.8..1.2);
        base.mul_f64(jitter)
    }
}

fn outgoing(row: &mail_outbox::Model, from: &str) -> OutgoingMail {
    OutgoingMail {
        message_id: row.message_id.clone(),
        from: from.to_string(),
        to: row.to_addr.clone(),
        subject: row.subject.clone(),
        text: row.body_text.clone(),
        html: row.body_html.clone(),
    }
}

/// Sends one claimed row and records the result.
async fn deliver(
    db: &DatabaseConnection,
    transport: &dyn MailTransport,
    cfg: &SenderConfig,
    clock: Clock,
    row: mail_outbox::Model,
) {
    let result = transport.send(&outgoing(&row, &cfg.from)).await;
    let now = clock.now();
    let recorded = match result {
        Ok(answer) => outbox::mark_sent(db, &row, &answer, now).await,
        Err(MailError::Transient(e)) if row.attempts < cfg.max_attempts => {
            let delay = chrono::Duration::from_std(cfg.retry_delay(row.attempts))
                .unwrap_or(chrono::Duration::hours(1));
            tracing::warn!(id = row.id, attempts = row.attempts, error = %e, "mail not delivered; will retry");
            outbox::mark_failed(db, &row, &e, Some(now + delay)).await
        }
        Err(e) => {
            tracing::error!(id = row.id, attempts = row.attempts, error = %e, "mail is dead");
            outbox::mark_failed(db, &row, &e.to_string(), None).await
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the row is tried again: at worst one duplicate with the same
        // Message-ID, never a lost mail.
        tracing::error!(id = row.id, error = %e, "could not record the mail's outcome");
    }
}

/// One pass: claim a batch and send it. Returns how many rows were claimed.
pub async fn send_due(
    db: &DatabaseConnection,
    transport: Arc<dyn MailTransport>,
    cfg: &SenderConfig,
    clock: Clock,
) -> Result<usize, sea_orm::DbErr> {
    let lease = chrono::Duration::from_std(cfg.lease).unwrap_or(chrono::Duration::minutes(5));
    let rows = outbox::claim(db, clock.now(), cfg.batch, lease).await?;
    let claimed = rows.len();
    let mut tasks = JoinSet::new();
    for row in rows {
        while tasks.len() >= cfg.concurrency.max(1) {
            let _ = tasks.join_next().await;
        }
        let (db, transport, cfg) = (db.clone(), transport.clone(), cfg.clone());
        tasks.spawn(async move { deliver(&db, transport.as_ref(), &cfg, clock, row).await });
    }
    while tasks.join_next().await.is_some() {}
    Ok(claimed)
}

/// Runs until `shutdown`; a batch in progress is finished first.
pub async fn run(
    db: DatabaseConnection,
    transport: Arc<dyn MailTransport>,
    cfg: SenderConfig,
    clock: Clock,
    shutdown: CancellationToken,
) {
    tracing::info!(transport = transport.kind(), "mail sender started");
    loop {
        match send_due(&db, transport.clone(), &cfg, clock).await {
            // A full batch: there may be more.
            Ok(n) if n as u64 >= cfg.batch && !shutdown.is_cancelled() => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail sender: could not read the outbox"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = outbox::wakeup().notified() => {}
            _ = tokio::time::sleep(cfg.poll) => {}
        }
    }
    tracing::info!("mail sender stopped");
}
