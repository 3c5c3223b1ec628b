//! Accounts: server-side sessions (so a token can be revoked before it expires), one-time
//! tokens sent by mail (email verification, password reset, staff invitation, a case's
//! tracking link), and the hits counted by the rate limiter (shared by every instance).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::util::{fk, index};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A session belongs to a user, or (for a tracking link) opens one case only.
        m.create_table(
            Table::create()
                .table("user_session")
                .col(string_len("id", 64).primary_key())
                .col(big_integer_null("user_id"))
                .col(big_integer_null("case_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                // The session ends here whatever the renewals (absolute lifetime).
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(string_len_null("user_agent", 255))
                .col(string_len_null("ip", 64))
                .foreign_key(&mut fk(
                    "user_session",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "user_session",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_user_session_user",
            "user_session",
            &["user_id", "revoked_at"],
        ))
        .await?;

        // Only the SHA-256 of a token is stored: a database leak does not leak working links.
        m.create_table(
            Table::create()
                .table("auth_token")
                .col(big_pk_auto("id"))
                // verify_email, reset_password, invite, case_access
                .col(string_len("purpose", 16))
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer_null("user_id"))
                .col(big_integer_null("case_id"))
                .col(string_len_null("email", 255))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk(
                    "auth_token",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "auth_token",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_auth_token_user",
            "auth_token",
            &["user_id", "purpose"],
        ))
        .await?;
        m.create_index(index(
            "ix_auth_token_case",
            "auth_token",
            &["case_id", "purpose"],
        ))
        .await?;

        // One row per counted attempt; old rows are pruned as the window slides.
        m.create_table(
            Table::create()
                .table("rate_limit_hit")
                .col(big_pk_auto("id"))
                // e.g. `login:ip:203.0.113.7`, `reset:account:ana@example.md`
                .col(string_len("bucket", 255))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_rate_limit_hit_bucket_at",
            "rate_limit_hit",
            &["bucket", "at"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["rate_limit_hit", "auth_token", "user_session"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
