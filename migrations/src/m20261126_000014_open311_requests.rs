//! The cases filed through Open311 GeoReport v2: which API client filed each one, the token
//! the spec answers a POST with (only its SHA-256 is kept), and the location as the client
//! gave it (the case itself keeps a readable address for staff).

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("open311_request")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                // The client that filed it; kept when the client is deleted (set to NULL).
                .col(big_integer_null("api_client_id"))
                .col(string_len("token_hash", 64))
                .col(double_null("lat"))
                .col(double_null("long"))
                .col(string_len_null("address_id", 64))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "open311_request",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "open311_request",
                    "api_client_id",
                    "api_client",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_open311_request_case", "open311_request", &["case_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_open311_request_token",
                "open311_request",
                &["token_hash"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        // A client reads its own filings (`case_id IN (… WHERE api_client_id = ?)`).
        m.create_index(
            index(
                "ix_open311_request_client",
                "open311_request",
                &["api_client_id", "case_id"],
            )
            .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("open311_request").to_owned())
            .await?;
        Ok(())
    }
}
