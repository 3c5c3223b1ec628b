//! The service registry: the catalogue of public and accredited private services the city
//! keeps (who provides each, where, whether it is accredited). A case may name the service it
//! is about; the registry's department then examines it when the petitioner does not know whom
//! to address.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("public_service")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                .col(string_len("code", 64))
                .col(string_len("name_ro", 300))
                .col(string_len("name_ru", 300))
                .col(string_len("name_en", 300))
                // The service's kind, as a category of the institution.
                .col(big_integer_null("category_id"))
                // The department (e.g. territorial directorate) responsible for it.
                .col(big_integer_null("department_id"))
                .col(string_len("provider", 300))
                // public | private
                .col(string_len("provider_type", 16))
                .col(string_len_null("area", 100))
                .col(string_len_null("address", 500))
                .col(string_len_null("contact", 300))
                .col(boolean("accredited"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "public_service",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "public_service",
                    "category_id",
                    "category",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "public_service",
                    "department_id",
                    "department",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_public_service_code",
                "public_service",
                &["institution_id", "code"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(big_integer_null("service_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .drop_column("service_id")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("public_service").to_owned())
            .await
    }
}
