//! Idempotent filing over the API: a client that retries `POST /api/v1/cases` with the same
//! `Idempotency-Key` gets the case its first request filed, not a second one. The key is
//! stored with the case, in the filing's transaction; the unique `(user_id, key)` lets only one
//! of two concurrent requests file.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("idempotency_key")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("key", 200))
                // SHA-256 of the request, to refuse a key reused for another request.
                .col(string_len("request_sha256", 64))
                .col(big_integer("case_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "idempotency_key",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "idempotency_key",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_idempotency_key", "idempotency_key", &["user_id", "key"])
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("idempotency_key").to_owned())
            .await?;
        Ok(())
    }
}
