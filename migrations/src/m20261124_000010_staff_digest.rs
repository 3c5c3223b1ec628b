//! How staff get their mail: at once (the default, no row) or as one daily digest at an hour
//! they choose. A mail a digest reader would have got is kept as a digest item; the digest
//! gathers the items with the due-soon and overdue cases, once per user and day (the unique
//! `(user_id, day)` makes it once also with several server instances).

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("staff_mail_preference")
                .col(big_integer("user_id").primary_key())
                // `immediate` or `digest`.
                .col(string_len("mode", 16))
                // The local hour (0-23, the institution's time zone) the digest is sent.
                .col(small_integer("digest_hour"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "staff_mail_preference",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("staff_digest")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(date("day"))
                // The digest mail; NULL when there was nothing to tell.
                .col(big_integer_null("outbox_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "staff_digest",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_staff_digest_user_day",
                "staff_digest",
                &["user_id", "day"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("staff_digest_item")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(big_integer_null("case_id"))
                .col(string_len("template", 64))
                // The mail's subject, as it would have been sent.
                .col(text("summary"))
                .col(timestamp_with_time_zone("created_at"))
                // The digest that told it; NULL while waiting.
                .col(big_integer_null("digest_id"))
                .foreign_key(&mut fk(
                    "staff_digest_item",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "staff_digest_item",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_staff_digest_item_waiting",
            "staff_digest_item",
            &["user_id", "digest_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["staff_digest_item", "staff_digest", "staff_mail_preference"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
