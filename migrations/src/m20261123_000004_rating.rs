//! The petitioner's rating of the answer (1–5 and a comment): the satisfaction indicator.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(integer_null("rating"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(text_null("rating_comment"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(timestamp_with_time_zone_null("rated_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["rated_at", "rating_comment", "rating"] {
            m.alter_table(
                Table::alter()
                    .table("petition_case")
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
