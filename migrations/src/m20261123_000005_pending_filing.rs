//! Filings by visitors without an account wait here until the address they gave is confirmed
//! by the mailed link; confirming registers the case (once: `case_id` then names it). A case
//! keeps the language its petitioner filed in, for the mails of a petitioner without account.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("pending_filing")
                .col(big_pk_auto("id"))
                // Only the SHA-256 of the confirmation link's token.
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("email", 254))
                .col(string_len("lang", 8))
                // The form as filed and its stored attachments (JSON).
                .col(text("payload"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(big_integer_null("case_id"))
                .foreign_key(&mut fk(
                    "pending_filing",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_pending_filing_expires",
            "pending_filing",
            &["expires_at"],
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(string_len_null("petitioner_lang", 8))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .drop_column("petitioner_lang")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("pending_filing").to_owned())
            .await
    }
}
