//! Covering indexes for the managers' indicators: each period query (filed, answered, closed,
//! rated in a period; waiting now) finds every column it groups and filters by in its index,
//! so that PostgreSQL answers it by an index-only scan instead of fetching tens of thousands of
//! rows from the table (the period's cases lie all over it). They replace the three plain
//! `(institution_id, date)` indexes of the previous migration, which are their prefixes.
//! SQLite has no `INCLUDE`: there the extra columns end the key, which covers the same way.
//!
//! Index-only scans need the visibility map of the recently changed pages, so PostgreSQL's
//! autovacuum is asked to visit `petition_case` after 2% of its rows changed, not 20%.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The scope filters every indicator query may add.
const FILTERS: &str = "department_id, assignee_id, service_id, category_id, kind, channel";

/// `(name, key, covered columns, partial condition)`.
fn indexes() -> Vec<(&'static str, &'static str, String, &'static str)> {
    vec![
        (
            "ix_case_metrics_filed",
            "institution_id, filed_at",
            FILTERS.to_string(),
            "",
        ),
        (
            "ix_case_metrics_answered",
            "institution_id, answered_at",
            format!("{FILTERS}, response_days, response_working_days, answered_late, outcome"),
            " WHERE answered_at IS NOT NULL",
        ),
        (
            "ix_case_metrics_closed",
            "institution_id, closed_at",
            format!("{FILTERS}, answered_at, status"),
            " WHERE closed_at IS NOT NULL",
        ),
        (
            "ix_case_metrics_rated",
            "institution_id, rated_at",
            format!("{FILTERS}, rating"),
            " WHERE rated_at IS NOT NULL",
        ),
        (
            "ix_case_metrics_waiting",
            "institution_id, department_id, assignee_id, overdue",
            "service_id, category_id, kind, channel".to_string(),
            " WHERE closed_at IS NULL AND answered_at IS NULL",
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = m.get_database_backend() == DatabaseBackend::Postgres;
        for (name, key, covered, partial) in indexes() {
            let columns = if pg {
                format!("({key}) INCLUDE ({covered})")
            } else {
                format!("({key}, {covered})")
            };
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS {name} ON petition_case {columns}{partial}"
            ))
            .await?;
        }
        for old in [
            "ix_case_institution_filed",
            "ix_case_institution_answered",
            "ix_case_institution_closed",
        ] {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {old}"))
                .await?;
        }
        if pg {
            db.execute_unprepared(
                "ALTER TABLE petition_case SET (autovacuum_vacuum_scale_factor = 0.02, \
                 autovacuum_vacuum_insert_scale_factor = 0.02, \
                 autovacuum_analyze_scale_factor = 0.02)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, col) in [
            ("ix_case_institution_filed", "filed_at"),
            ("ix_case_institution_answered", "answered_at"),
            ("ix_case_institution_closed", "closed_at"),
        ] {
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS {name} ON petition_case (institution_id, {col})"
            ))
            .await?;
        }
        for (name, ..) in indexes() {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        if m.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE petition_case RESET (autovacuum_vacuum_scale_factor, \
                 autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)",
            )
            .await?;
        }
        Ok(())
    }
}
