//! What the managers' indicators read: each answer's response time (calendar and working days,
//! the clock's pauses left out) and whether it came after the term, written with the answer;
//! indexes for the period queries (filed, answered, closed); and a daily snapshot of the open
//! and overdue cases per department, for the backlog over time.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            integer_null("response_days"),
            integer_null("response_working_days"),
            boolean_null("answered_late"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("petition_case")
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        for (name, col) in [
            ("ix_case_institution_filed", "filed_at"),
            ("ix_case_institution_answered", "answered_at"),
            ("ix_case_institution_closed", "closed_at"),
        ] {
            m.create_index(index(name, "petition_case", &["institution_id", col]))
                .await?;
        }

        m.create_table(
            Table::create()
                .table("case_stats_daily")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                // 0: cases without a department.
                .col(big_integer("department_id"))
                .col(date("day"))
                .col(big_integer("open_cases"))
                .col(big_integer("overdue_cases"))
                .foreign_key(&mut fk(
                    "case_stats_daily",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_case_stats_daily",
                "case_stats_daily",
                &["institution_id", "day", "department_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("case_stats_daily").to_owned())
            .await?;
        for name in [
            "ix_case_institution_filed",
            "ix_case_institution_answered",
            "ix_case_institution_closed",
        ] {
            m.drop_index(Index::drop().name(name).table("petition_case").to_owned())
                .await?;
        }
        for col in ["response_days", "response_working_days", "answered_late"] {
            m.alter_table(
                Table::alter()
                    .table("petition_case")
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
