//! The audit trail: an append-only `audit_record` per chain, each record carrying the SHA-256
//! of its own fields and of the record before it (`prev_hash`), so that an edited, removed or
//! reordered record shows when the chain is recomputed (`petitio audit verify`).
//!
//! A chain per institution (`institution_id`), and one for the portal (`institution_id = 0`:
//! logins, installation-wide administration). `seq` counts 1, 2, 3… within a chain without
//! gaps: `audit_head` holds each chain's last `seq` and hash, and the writer updates that row
//! in the transaction of the change it records, so appends queue on it (also across server
//! instances on one PostgreSQL) and a rolled-back change leaves neither record nor gap.
//!
//! The database refuses `UPDATE` and `DELETE` of a record (a trigger on SQLite and PostgreSQL,
//! and `TRUNCATE` on PostgreSQL): the application never changes one, and whoever disables the
//! trigger to do so is caught by the verification.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_record")
                .col(big_pk_auto("id"))
                // The chain: the institution's id, 0 for the portal's. No foreign keys: the
                // trail outlives what it names.
                .col(big_integer("institution_id"))
                .col(big_integer("seq"))
                .col(timestamp_with_time_zone("at"))
                .col(big_integer_null("actor_id"))
                // `citizen`, `officer`, `manager`, `admin`, `system`, `anonymous`, `user`.
                .col(string_len("actor_role", 32))
                // `case.event`, `case.read`, `case.note`, `login`, `login.failed`, `admin.…`
                .col(string_len("action", 64))
                .col(big_integer_null("case_id"))
                .col(string_len_null("target_type", 64))
                .col(string_len_null("target_id", 200))
                // JSON, kept as the text that was hashed.
                .col(text("details"))
                .col(string_len_null("ip", 64))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_audit_chain_seq",
                "audit_record",
                &["institution_id", "seq"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_audit_case", "case_id"),
            ("ix_audit_actor", "actor_id"),
            ("ix_audit_at", "at"),
        ] {
            m.create_index(index(name, "audit_record", &[col]).to_owned())
                .await?;
        }
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(big_integer("institution_id").primary_key())
                .col(big_integer("last_seq"))
                .col(string_len("last_hash", 64))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_record_append_only() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     RAISE EXCEPTION 'audit records are append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record \
                     FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record \
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()",
                )
                .await?;
            }
            _ => {
                for (name, op) in [
                    ("audit_record_no_update", "UPDATE"),
                    ("audit_record_no_delete", "DELETE"),
                ] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} BEFORE {op} ON audit_record \
                         BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("audit_head").to_owned())
            .await?;
        m.drop_table(Table::drop().table("audit_record").to_owned())
            .await?;
        if m.get_database_backend() == DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_record_append_only()")
                .await?;
        }
        Ok(())
    }
}
