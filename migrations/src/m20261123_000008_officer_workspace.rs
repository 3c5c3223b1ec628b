//! The officer's workspace: internal notes on a case (never shown to the petitioner) and the
//! institution's canned answers (per category, inserted into answers and requests).

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_note")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(big_integer_null("author_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "case_note",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "case_note",
                    "author_id",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_case_note_case", "case_note", &["case_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("canned_answer")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                // NULL: for every category.
                .col(big_integer_null("category_id"))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(big_integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "canned_answer",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "canned_answer",
                    "category_id",
                    "category",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_canned_answer_institution",
            "canned_answer",
            &["institution_id", "category_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("canned_answer").to_owned())
            .await?;
        m.drop_table(Table::drop().table("case_note").to_owned())
            .await?;
        Ok(())
    }
}
