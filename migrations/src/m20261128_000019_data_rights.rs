//! Retention and data-subject rights: `retention_policy`, the years a case is kept after it is
//! closed, per institution and case kind (`*`: every kind without a row of its own; no row at
//! all: the default of the code, 5 years), and `petition_case.anonymised_at`, when a case's
//! personal data were removed (by the retention job, or an erasure granted), so that the job
//! takes each case once. The index serves the job's query: per institution, the cases not yet
//! anonymised, closed before a date.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("retention_policy")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                // A case kind (`petition`, `data_erasure`, …) or `*`.
                .col(string_len("case_kind", 32))
                .col(integer("years"))
                .col(big_integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "retention_policy",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_retention_policy",
                "retention_policy",
                &["institution_id", "case_kind"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(timestamp_with_time_zone_null("anonymised_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ix_case_retention",
                "petition_case",
                &["institution_id", "anonymised_at", "closed_at"],
            )
            .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_case_retention")
                .table("petition_case")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .drop_column("anonymised_at")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("retention_policy").to_owned())
            .await
    }
}
