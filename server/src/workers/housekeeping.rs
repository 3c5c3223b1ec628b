//! Housekeeping: once an hour (the first time a few minutes after start), deletes rate-limit hits, sessions and mailed
//! tokens that ended long ago. Idempotent, so several instances may run it.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use app::backend::auth::cleanup;

pub const INTERVAL: Duration = Duration::from_secs(3600);
pub const FIRST_AFTER: Duration = Duration::from_secs(600);

pub async fn run(db: DatabaseConnection, shutdown: CancellationToken) {
    tokio::select! {
        _ = shutdown.cancelled() => return,
        _ = tokio::time::sleep(FIRST_AFTER) => {}
    }
    loop {
        match cleanup::run(&db, chrono::Utc::now()).await {
            Ok(removed) if removed != cleanup::Removed::default() => {
                tracing::info!(?removed, "housekeeping removed ended account records");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "housekeeping failed; trying again later"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
