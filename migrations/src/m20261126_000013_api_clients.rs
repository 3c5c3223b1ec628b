//! The programs that use the portal from outside (a city's document system, a mobile app, an
//! Open311 reporting app): an administrator registers each one and issues its API key. Only
//! the key's SHA-256 is stored; the first characters stay readable to tell keys apart.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("api_client")
                .col(big_pk_auto("id"))
                // The institution whose cases the client files and reads.
                .col(big_integer("institution_id"))
                .col(string_len("name", 200))
                .col(string_len("key_prefix", 16))
                .col(string_len("key_hash", 64))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk(
                    "api_client",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "api_client",
                    "created_by",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_api_client_key", "api_client", &["key_hash"])
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("api_client").to_owned())
            .await?;
        Ok(())
    }
}
