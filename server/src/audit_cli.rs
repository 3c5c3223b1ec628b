//! `petitio audit verify`: recomputes every chain of the audit trail (see
//! `app::backend::audit`), prints one line per chain with the number of records checked, and
//! names the first broken record of a broken chain.

use std::io::Write;

use clap::Subcommand;
use sea_orm::DatabaseConnection;

use app::backend::audit::{self, ChainReport, PORTAL};

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Recompute every hash chain; exit 1 when a record was edited, deleted or reordered.
    Verify,
}

fn chain_name(r: &ChainReport) -> String {
    if r.institution_id == PORTAL {
        "portal".to_string()
    } else {
        format!("institution {}", r.institution_id)
    }
}

/// Verifies every chain of `db`, writing the report to `out`; `true` when all are intact.
pub async fn verify(db: &DatabaseConnection, out: &mut impl Write) -> anyhow::Result<bool> {
    let reports = audit::verify(db)
        .await
        .map_err(|e| anyhow::anyhow!("reading the audit trail failed: {e}"))?;
    let mut intact = true;
    for r in &reports {
        match &r.broken {
            None => writeln!(
                out,
                "chain {}: {} records checked, intact (last seq {}, hash {})",
                chain_name(r),
                r.checked,
                r.last_seq,
                r.last_hash
            )?,
            Some(b) => {
                intact = false;
                let record = match b.id {
                    Some(id) => format!("at record id {id} (seq {})", b.seq),
                    None => format!("after seq {}", b.seq - 1),
                };
                writeln!(
                    out,
                    "chain {}: {} records checked, BROKEN {record}: {}",
                    chain_name(r),
                    r.checked,
                    b.problem
                )?;
            }
        }
    }
    if reports.is_empty() {
        writeln!(out, "the audit trail is empty")?;
    }
    Ok(intact)
}

/// Runs `cmd` against the configured database (opened as it is: nothing is migrated). An error
/// (exit status 1) when a chain is broken.
pub async fn run(cmd: AuditCommand, settings: &crate::config::Settings) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify => {
            let conn = app::backend::db::connect(&settings.database_url, 1)
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "cannot open the database at {}: {e}",
                        crate::startup::redact_url(&settings.database_url)
                    )
                })?;
            let intact = verify(&conn, &mut std::io::stdout()).await;
            conn.close().await.ok();
            if !intact? {
                anyhow::bail!("the audit trail is broken");
            }
            Ok(())
        }
    }
}
