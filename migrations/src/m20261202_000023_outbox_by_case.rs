//! The mails and webhook deliveries of one case, found by its id: a filing puts its number in
//! the mails and deliveries of its registration by case (`backend::filing`), while it holds the
//! institution's registration counter; and a case's data export and erasure read them by case.

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("ix_mail_outbox_case", "mail_outbox", &["case_id"]).to_owned())
            .await?;
        m.create_index(
            index("ix_webhook_delivery_case", "webhook_delivery", &["case_id"]).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_mail_outbox_case", "mail_outbox"),
            ("ix_webhook_delivery_case", "webhook_delivery"),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
