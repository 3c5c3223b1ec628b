//! Full-text search of cases: `search_text` holds the registration number, subject, text and
//! petitioner's name folded (lower case, Romanian diacritics removed the same way the query is
//! folded; written by the application with each case). On PostgreSQL a trigram index
//! (`pg_trgm`) makes `LIKE '%word%'` an index search; where the extension cannot be created
//! the search still works, scanning.
//!
//! The queues' indexes: open cases only (partial), in the queue's order (overdue first, then
//! the answer term with cases without one last, then id), by department, assignee and
//! institution.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(text_null("search_text"))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_case_open_department", "department_id"),
            ("ix_case_open_assignee", "assignee_id"),
            ("ix_case_open_institution", "institution_id"),
        ] {
            // NULLS LAST is PostgreSQL's default for ASC; SQLite accepts no NULLS in an index
            // and puts them first, which only its (small) databases notice.
            let nulls = if m.get_database_backend() == DatabaseBackend::Postgres {
                " NULLS LAST"
            } else {
                ""
            };
            m.get_connection()
                .execute_unprepared(&format!(
                    "CREATE INDEX IF NOT EXISTS {name} ON petition_case \
                     ({col}, overdue DESC, answer_due ASC{nulls}, id) WHERE closed_at IS NULL"
                ))
                .await?;
        }
        if m.get_database_backend() == DatabaseBackend::Postgres {
            let db = m.get_connection();
            db.execute_unprepared(
                "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; \
                 EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm unavailable: case search scans'; END $$",
            )
            .await?;
            db.execute_unprepared(
                "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN \
                 CREATE INDEX IF NOT EXISTS ix_case_search_trgm ON petition_case \
                 USING gin (search_text gin_trgm_ops); END IF; END $$",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "ix_case_open_department",
            "ix_case_open_assignee",
            "ix_case_open_institution",
        ] {
            m.get_connection()
                .execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        if m.get_database_backend() == DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("DROP INDEX IF EXISTS ix_case_search_trgm")
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .drop_column("search_text")
                .to_owned(),
        )
        .await
    }
}
