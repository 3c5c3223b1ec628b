//! The deadline ticker: fires the reminders and expiries that are due, then queues the staff
//! digests whose hour has come (see `app::backend::staff_digest`) and the day's snapshot of open
//! and overdue cases (`app::backend::metrics::snapshot_day`). Each firing is one
//! database transaction (claim the timer row, apply the engine's outcome, write history, timers
//! and outbox), so a reminder or an expiry happens exactly once, also with several server
//! instances on one PostgreSQL (rows are claimed with `FOR UPDATE SKIP LOCKED`).

use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use app::backend::clock::Clock;
use app::backend::{deadlines, metrics, staff_digest};

/// How many timers one pass fires at most before it looks at the shutdown signal again.
const BATCH: usize = 200;

/// Runs until `shutdown` is cancelled. A firing in progress is finished, never cut in half.
pub async fn run(
    db: DatabaseConnection,
    clock: Clock,
    public_url: String,
    interval: Duration,
    shutdown: CancellationToken,
) {
    tracing::info!(
        interval_secs = interval.as_secs(),
        "deadline ticker started"
    );
    loop {
        let mut fired = 0usize;
        while fired < BATCH && !shutdown.is_cancelled() {
            match deadlines::fire_next_due(&db, clock.now(), &public_url).await {
                Ok(Some(_)) => fired += 1,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "deadline ticker: a firing failed; retrying on the next pass");
                    break;
                }
            }
        }
        if fired > 0 {
            tracing::info!(fired, "deadline ticker fired timers");
        }
        // The staff digests whose hour has come (after the firings: a reminder fired now is
        // told in today's digest).
        if fired < BATCH && !shutdown.is_cancelled() {
            match staff_digest::send_due(&db, clock.now(), &public_url).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "staff digests queued"),
                Err(e) => {
                    tracing::warn!(error = %e, "staff digests failed; retrying on the next pass")
                }
            }
            // The day's snapshot of open and overdue cases (the dashboard's backlog over time).
            if let Err(e) = metrics::snapshot_day(&db, clock.now()).await {
                tracing::warn!(error = %e, "the daily case snapshot failed; retrying on the next pass");
            }
        }
        if fired >= BATCH {
            // More may be due: go on at once unless asked to stop.
            if shutdown.is_cancelled() {
                break;
            }
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(interval) => {}
        }
    }
    tracing::info!("deadline ticker stopped");
}
