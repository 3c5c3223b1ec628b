//! Housekeeping: once an hour (the first time a few minutes after start), deletes rate-limit
//! hits, sessions and mailed tokens that ended long ago, and filings without an account whose
//! confirmation link expired (with their files). Idempotent, so several instances may run it.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use app::backend::attachments::Store;
use app::backend::auth::cleanup;
use app::backend::citizen_filing;

pub const INTERVAL: Duration = Duration::from_secs(3600);
pub const FIRST_AFTER: Duration = Duration::from_secs(600);

pub async fn run(db: DatabaseConnection, store: Store, shutdown: CancellationToken) {
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
        match citizen_filing::purge_expired(&db, &store, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                filings = n,
                "housekeeping removed expired unconfirmed filings"
            ),
            Err(e) => tracing::warn!(error = %e, "housekeeping of pending filings failed"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
