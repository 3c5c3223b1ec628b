//! Routing: `routing_rule`, "the cases of category C (or service S) from territorial area A go
//! to department D", kept by the institution's administrators. A rule names a service or a
//! category (not both) or neither, and optionally an area; a rule naming nothing at all is
//! refused by the service layer: the catch-all is `institution.default_department_id`, the
//! department that examines "I don't know the department" cases nothing else routes. It is a
//! column rather than a rule without conditions so that it stays the last resort after the
//! service's and the category's own departments (see `backend::org_admin::route`). SQLite
//! cannot add a column with a foreign key, so the service layer checks that it names an
//! active department of the same institution; routing skips it otherwise.
//!
//! The foreign keys of a rule cascade: a rule whose category, service or department goes is
//! removed, never widened. The index serves the lookup at filing (every rule of the
//! institution; they are few).

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("routing_rule")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                .col(big_integer_null("category_id"))
                .col(big_integer_null("service_id"))
                // A territorial area, as `department.area` and `public_service.area` name them.
                .col(string_len_null("area", 128))
                .col(big_integer("department_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "routing_rule",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "routing_rule",
                    "category_id",
                    "category",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "routing_rule",
                    "service_id",
                    "public_service",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "routing_rule",
                    "department_id",
                    "department",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ix_routing_rule_institution",
                "routing_rule",
                &["institution_id"],
            )
            .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("institution")
                .add_column(big_integer_null("default_department_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("institution")
                .drop_column("default_department_id")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("routing_rule").to_owned())
            .await
    }
}
