//! The retention job: once an hour (the first time some minutes after start), anonymises the
//! cases whose retention period after closing ended (`app::backend::retention::run`), at most
//! `RUN_LIMIT` per run; while cases are still due it runs again a minute later, so a backlog
//! drains in bounded steps. Idempotent: several instances may run it.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use app::backend::attachments::Store;
use app::backend::clock::Clock;
use app::backend::retention;

pub const INTERVAL: Duration = Duration::from_secs(3600);
pub const FIRST_AFTER: Duration = Duration::from_secs(900);
pub const CATCH_UP: Duration = Duration::from_secs(60);

pub async fn run(db: DatabaseConnection, store: Store, clock: Clock, shutdown: CancellationToken) {
    tokio::select! {
        _ = shutdown.cancelled() => return,
        _ = tokio::time::sleep(FIRST_AFTER) => {}
    }
    loop {
        let next = match retention::run(&db, &store, clock.now(), retention::RUN_LIMIT, false).await
        {
            Ok(report) => {
                if !report.anonymised.is_empty() {
                    tracing::info!(
                        cases = report.anonymised.len(),
                        files = report.files_removed,
                        more = report.more,
                        "the retention job anonymised cases whose retention period ended"
                    );
                }
                if report.more { CATCH_UP } else { INTERVAL }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the retention job failed; trying again later");
                INTERVAL
            }
        };
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(next) => {}
        }
    }
}
