//! Administrators' versions of the mail templates (one per template and language), and the
//! hours an institution's mails about a case may reach a petitioner.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("mail_template_override")
                .col(big_pk_auto("id"))
                .col(string_len("template", 64))
                .col(string_len("lang", 8))
                .col(text("subject"))
                .col(text("body"))
                .col(big_integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_mail_template_override",
                "mail_template_override",
                &["template", "lang"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("institution")
                .add_column(string_len("citizen_mail_hours", 32).default("08:00-20:00"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("institution")
                .drop_column("citizen_mail_hours")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("mail_template_override").to_owned())
            .await?;
        Ok(())
    }
}
