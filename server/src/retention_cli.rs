//! `petitio retention run [--dry-run] [--limit N]`: anonymises now the cases whose retention
//! period after closing ended (what the server's retention job does every hour), or with
//! `--dry-run` only lists them; prints one registration number a line and a summary.

use std::io::Write;

use clap::Subcommand;
use sea_orm::DatabaseConnection;

use app::backend::attachments::Store;
use app::backend::retention;
use app::model::data_rights::RetentionReport;

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// Anonymise the cases whose retention period ended (at most --limit of them).
    Run {
        /// Only list the cases that are due; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The most cases to take in this run.
        #[arg(long, default_value_t = 1000)]
        limit: u64,
    },
}

/// One run against `db`, the report written to `out`.
pub async fn run_once(
    db: &DatabaseConnection,
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
    limit: u64,
    out: &mut impl Write,
) -> anyhow::Result<RetentionReport> {
    let report = retention::run(db, store, now, limit, dry_run)
        .await
        .map_err(|e| anyhow::anyhow!("the retention run failed: {e}"))?;
    for number in &report.anonymised {
        writeln!(out, "{number}")?;
    }
    let verb = if dry_run {
        "due for anonymisation"
    } else {
        "anonymised"
    };
    writeln!(
        out,
        "{} cases {verb}, {} files removed{}",
        report.anonymised.len(),
        report.files_removed,
        if report.more {
            "; more are due (the limit was reached)"
        } else {
            ""
        }
    )?;
    Ok(report)
}

/// Runs `cmd` against the configured database (migrated first, as the server would).
pub async fn run(cmd: RetentionCommand, settings: &crate::config::Settings) -> anyhow::Result<()> {
    match cmd {
        RetentionCommand::Run { dry_run, limit } => {
            let conn = crate::startup::connect_and_migrate(settings).await?;
            let store = Store::new(&settings.attachments_dir);
            let now = app::backend::clock::Clock::with_offset_days(settings.time_offset_days).now();
            let result = run_once(&conn, &store, now, dry_run, limit, &mut std::io::stdout()).await;
            conn.close().await.ok();
            result.map(|_| ())
        }
    }
}
