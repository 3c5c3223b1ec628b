//! Categories with fields of their own: `category_field` holds the questions a category asks
//! beyond the standard ones (the floor of a building, the number of a contested decision's
//! annex, a yes/no, a choice among options), shown in the filing form and in the Open311
//! service definition. What a petitioner answered is kept with the case
//! (`petition_case.extra_fields`, JSON) together with the question's labels as they were when
//! the case was filed, so that an edited or removed question leaves filed cases readable.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("category_field")
                .col(big_pk_auto("id"))
                .col(big_integer("category_id"))
                .col(string_len("code", 64))
                .col(string_len("label_ro", 255))
                .col(string_len("label_ru", 255))
                .col(string_len("label_en", 255))
                // text | number | date | choice | yes_no
                .col(string_len("field_type", 16))
                .col(boolean("required"))
                // For `choice`: a JSON array of {"value", "ro", "ru", "en"}.
                .col(json_null("options"))
                .col(integer("position"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "category_field",
                    "category_id",
                    "category",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_category_field_code",
                "category_field",
                &["category_id", "code"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .add_column(json_null("extra_fields"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("petition_case")
                .drop_column("extra_fields")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("category_field").to_owned())
            .await
    }
}
