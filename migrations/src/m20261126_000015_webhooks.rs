//! Webhooks: an administrator registers a URL per API client for case events (`filed`,
//! `transition`, `answered`). Every event is a row of `webhook_delivery`, written in the same
//! transaction as the case change (an outbox, like `mail_outbox`); a worker posts it, signed
//! with the webhook's secret, and retries with backoff. The secret is kept in clear: it is the
//! key of the signature, so the portal needs it at every delivery.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("webhook")
                .col(big_pk_auto("id"))
                .col(big_integer("client_id"))
                .col(string_len("url", 2000))
                .col(string_len("secret", 80))
                // `*` (every event) or a comma-separated list: `filed,transition,answered`.
                .col(string_len("events", 64))
                .col(boolean("active").default(true))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "webhook",
                    "client_id",
                    "api_client",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "webhook",
                    "created_by",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_webhook_client", "webhook", &["client_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("webhook_delivery")
                .col(big_pk_auto("id"))
                .col(big_integer("webhook_id"))
                // The event's id (a UUID, the same for every webhook that gets the event).
                .col(string_len("event_id", 36))
                // filed, transition, answered
                .col(string_len("event_type", 16))
                .col(big_integer("case_id"))
                // The exact body posted (JSON text, byte for byte the same at every attempt).
                .col(text("payload"))
                // pending, sending, delivered, failed
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                // The receiver's HTTP status of the last attempt (none: no answer).
                .col(integer_null("last_status"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "webhook_delivery",
                    "webhook_id",
                    "webhook",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "webhook_delivery",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // One event is delivered to one webhook once.
        m.create_index(
            index(
                "ux_webhook_delivery_event",
                "webhook_delivery",
                &["webhook_id", "event_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_webhook_delivery_due",
            "webhook_delivery",
            &["status", "next_attempt_at"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("webhook_delivery").to_owned())
            .await?;
        m.drop_table(Table::drop().table("webhook").to_owned())
            .await?;
        Ok(())
    }
}
