//! Workflow engine storage: versioned definitions, calendar adjustments, and the case columns
//! the engine needs (counters such as extensions used, links to other cases and institutions),
//! plus each institution's time zone (deadlines are dates in the institution's local time).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::util::index;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("workflow_definition")
                .col(big_pk_auto("id"))
                .col(string_len("name", 64))
                .col(integer("version"))
                // The TOML document as written; the engine always loads from it.
                .col(text("source"))
                .col(string_len("sha256", 64))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_workflow_definition_name_version",
                "workflow_definition",
                &["name", "version"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("calendar_adjustment")
                .col(big_pk_auto("id"))
                // `md`, `ro`
                .col(string_len("calendar", 8))
                // Null: the whole country calendar; else only this institution's.
                .col(big_integer_null("institution_id"))
                // day_off, yearly_day_off, removed_holiday, working_day
                .col(string_len("kind", 16))
                .col(date("date"))
                .col(string_len("name", 255))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_calendar_adjustment_calendar",
            "calendar_adjustment",
            &["calendar", "institution_id"],
        ))
        .await?;

        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table("institution")
                .add_column(string_len("timezone", 64).default("Europe/Chisinau"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(json_null("counters"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(big_integer_null("linked_case_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(big_integer_null("forwarded_to_institution_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_petition_case_linked",
            "petition_case",
            &["linked_case_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_petition_case_linked")
                .table("petition_case")
                .to_owned(),
        )
        .await?;
        for col in ["forwarded_to_institution_id", "linked_case_id", "counters"] {
            m.alter_table(
                Table::alter()
                    .table("petition_case")
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("institution")
                .drop_column("timezone")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("calendar_adjustment").to_owned())
            .await?;
        m.drop_table(Table::drop().table("workflow_definition").to_owned())
            .await?;
        Ok(())
    }
}
