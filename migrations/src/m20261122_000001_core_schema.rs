//! The core schema the other parts extend: institutions and their departments, categories,
//! users and their roles, cases with registration numbers unique per institution and year,
//! the case history, deadline timers, the mail outbox and attachments.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::util::{fk, index};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("institution")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 64))
                .col(string_len("name_ro", 255))
                .col(string_len("name_ru", 255))
                .col(string_len("name_en", 255))
                // Prefix of registration numbers, e.g. `CHI` in `CHI-2026-000123`.
                .col(string_len_uniq("reg_prefix", 16))
                // Country calendar (`md`, `ro`) and counting rule (`plain`, `free_days`).
                .col(string_len("calendar", 8))
                .col(string_len("counting_rule", 16))
                .col(string_len_null("email", 255))
                .col(string_len_null("phone", 64))
                .col(text_null("address"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("department")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                .col(string_len("code", 64))
                .col(string_len("name_ro", 255))
                .col(string_len("name_ru", 255))
                .col(string_len("name_en", 255))
                // Territorial area the department covers, if any (for routing).
                .col(string_len_null("area", 128))
                .col(string_len_null("email", 255))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "department",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_department_institution_code",
                "department",
                &["institution_id", "code"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("category")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                .col(string_len("code", 64))
                .col(string_len("name_ro", 255))
                .col(string_len("name_ru", 255))
                .col(string_len("name_en", 255))
                // Which case kind the category is for: petition, complaint, prior_complaint, information_request.
                .col(string_len("case_kind", 32))
                .col(big_integer_null("default_department_id"))
                .col(boolean("active").default(true))
                .foreign_key(&mut fk(
                    "category",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "category",
                    "default_department_id",
                    "department",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_category_institution_code",
                "category",
                &["institution_id", "code"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("app_user")
                .col(big_pk_auto("id"))
                // Stored lower-cased; unique.
                .col(string_len_uniq("email", 255))
                .col(string_len_null("password_hash", 255))
                .col(string_len("full_name", 255))
                .col(string_len("locale", 8).default("ro"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone_null("email_verified_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;

        // A user may hold several roles, each scoped to an institution and optionally a department.
        m.create_table(
            Table::create()
                .table("user_role")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("role", 16))
                .col(big_integer_null("institution_id"))
                .col(big_integer_null("department_id"))
                .foreign_key(&mut fk(
                    "user_role",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "user_role",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "user_role",
                    "department_id",
                    "department",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_user_role_user", "user_role", &["user_id"]))
            .await?;

        // One row per institution and year; incremented inside the filing transaction so that
        // registration numbers are sequential without gaps.
        m.create_table(
            Table::create()
                .table("registration_counter")
                .col(big_integer("institution_id"))
                .col(integer("year"))
                .col(big_integer("last_value").default(0))
                .primary_key(Index::create().col("institution_id").col("year"))
                .foreign_key(&mut fk(
                    "registration_counter",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("petition_case")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                .col(big_integer_null("department_id"))
                .col(big_integer_null("category_id"))
                .col(string_len("kind", 32))
                .col(string_len("status", 64))
                .col(string_len("workflow_name", 64))
                .col(integer("workflow_version"))
                .col(integer("reg_year"))
                .col(big_integer("reg_seq"))
                .col(string_len_uniq("registration_number", 64))
                .col(string_len("channel", 16).default("online"))
                .col(big_integer_null("petitioner_id"))
                .col(string_len("petitioner_name", 255))
                .col(string_len_null("petitioner_email", 255))
                .col(text_null("petitioner_address"))
                .col(string_len("subject", 255))
                .col(text("body"))
                .col(text_null("address"))
                .col(string_len_null("decision_number", 64))
                .col(date_null("decision_date"))
                .col(big_integer_null("assignee_id"))
                .col(string_len_null("outcome", 32))
                .col(date_null("answer_due"))
                .col(boolean("overdue").default(false))
                .col(boolean("consent_publish").default(false))
                .col(timestamp_with_time_zone("filed_at"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(timestamp_with_time_zone("updated_at"))
                // Optimistic concurrency: every change increments it and checks the old value.
                .col(integer("version").default(1))
                .foreign_key(&mut fk(
                    "petition_case",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "petition_case",
                    "department_id",
                    "department",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "petition_case",
                    "category_id",
                    "category",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "petition_case",
                    "petitioner_id",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "petition_case",
                    "assignee_id",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_case_institution_year_seq",
                "petition_case",
                &["institution_id", "reg_year", "reg_seq"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        // The queues: by department or assignee, open ones first by due date.
        m.create_index(index(
            "ix_case_department_queue",
            "petition_case",
            &["department_id", "status", "answer_due"],
        ))
        .await?;
        m.create_index(index(
            "ix_case_assignee_queue",
            "petition_case",
            &["assignee_id", "status", "answer_due"],
        ))
        .await?;
        m.create_index(index(
            "ix_case_institution_queue",
            "petition_case",
            &["institution_id", "status", "answer_due"],
        ))
        .await?;
        m.create_index(index(
            "ix_case_petitioner",
            "petition_case",
            &["petitioner_id", "filed_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("case_event")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(timestamp_with_time_zone("at"))
                .col(big_integer_null("actor_id"))
                .col(string_len("actor_role", 16))
                .col(string_len("transition", 64))
                .col(string_len_null("from_state", 64))
                .col(string_len("to_state", 64))
                .col(text_null("note"))
                // Shown to the petitioner on the case timeline, or internal only.
                .col(boolean("public").default(true))
                .col(json_null("data"))
                .foreign_key(&mut fk(
                    "case_event",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "case_event",
                    "actor_id",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_case_event_case",
            "case_event",
            &["case_id", "at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("case_timer")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(string_len("name", 64))
                // running, paused, stopped, expired
                .col(string_len("status", 16))
                .col(date("due_on"))
                // When the ticker must next look at this timer (reminder or expiry).
                .col(timestamp_with_time_zone_null("fire_at"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("paused_at"))
                .col(json_null("data"))
                .foreign_key(&mut fk(
                    "case_timer",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_case_timer_case_name",
                "case_timer",
                &["case_id", "name"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_case_timer_due",
            "case_timer",
            &["status", "fire_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("mail_outbox")
                .col(big_pk_auto("id"))
                // Stable RFC 5322 Message-ID derived from the row, so a resend is recognisable.
                .col(string_len_uniq("message_id", 255))
                .col(string_len("to_addr", 255))
                .col(string_len("template", 64))
                .col(string_len("lang", 8))
                .col(string_len("subject", 255))
                .col(text("body_text"))
                .col(text_null("body_html"))
                .col(big_integer_null("case_id"))
                // pending, sending, sent, dead
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(text_null("last_error"))
                .col(text_null("smtp_response"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk(
                    "mail_outbox",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_mail_outbox_due",
            "mail_outbox",
            &["status", "next_attempt_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("attachment")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(big_integer_null("event_id"))
                .col(big_integer_null("uploaded_by"))
                // The sanitised name shown to people; the file itself lives under `storage_key`.
                .col(string_len("file_name", 255))
                .col(string_len("content_type", 128))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(string_len_uniq("storage_key", 128))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "attachment",
                    "case_id",
                    "petition_case",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "attachment",
                    "event_id",
                    "case_event",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "attachment",
                    "uploaded_by",
                    "app_user",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_attachment_case", "attachment", &["case_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "attachment",
            "mail_outbox",
            "case_timer",
            "case_event",
            "petition_case",
            "registration_counter",
            "user_role",
            "app_user",
            "category",
            "department",
            "institution",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
