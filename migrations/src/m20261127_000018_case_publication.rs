//! Published cases: the redacted subject, text, place and answer of a case whose petitioner
//! consented to publication, as an officer confirmed them (`backend::publication`). One row per
//! case; publishing again replaces it, unpublishing deletes it. The public pages, the public
//! search and Open311 read only this table, never the case's own texts. `search_text` is the
//! redacted text folded for search (see `backend::search`); on PostgreSQL a trigram index
//! serves it where `pg_trgm` is available.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_publication")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(big_integer("institution_id"))
                .col(text("subject"))
                .col(text("body"))
                .col(text_null("address"))
                .col(text_null("answer"))
                .col(text("search_text"))
                // How many pieces were blotted out (detected and named by hand).
                .col(integer("redactions"))
                .col(big_integer_null("published_by"))
                .col(timestamp_with_time_zone("published_at"))
                .foreign_key(&mut fk(
                    "case_publication",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "case_publication",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "case_publication",
                    "published_by",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_case_publication_case", "case_publication", &["case_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ix_case_publication_published",
                "case_publication",
                &["published_at", "id"],
            )
            .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN \
                     CREATE INDEX IF NOT EXISTS ix_case_publication_search_trgm ON case_publication \
                     USING gin (search_text gin_trgm_ops); END IF; END $$",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("case_publication").to_owned())
            .await?;
        Ok(())
    }
}
