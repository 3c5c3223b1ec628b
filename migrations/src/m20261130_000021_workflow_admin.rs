//! Workflow administration: `institution_workflow`, the definition an institution chose for
//! one kind of case (petition, complaint, …), and `workflow_draft`, a document an
//! administrator is checking before saving it.
//!
//! A choice names a definition, not a version: new cases of that kind follow its newest
//! version at the time they are filed, and keep that version (`petition_case.workflow_version`)
//! whatever is stored or chosen later. Without a choice, filing keeps the rule it had
//! (`{calendar}-{kind}`, see `backend::definitions::workflow_name_for`). One choice per
//! institution and kind (unique index); it goes with its institution.
//!
//! A draft lets the check work as a plain form without JavaScript: the document posted is kept
//! under the administrator who posted it and the page shown again reads it back, with its
//! problems or its diagram and deadlines. Drafts are never definitions: saving one stores a
//! version of `workflow_definition` and removes the draft; old drafts are pruned by the service
//! layer. They go with their author.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("institution_workflow")
                .col(big_pk_auto("id"))
                .col(big_integer("institution_id"))
                // `petition`, `complaint`, `prior_complaint`, `information_request`,
                // `data_rectification`, `data_erasure`
                .col(string_len("case_kind", 32))
                .col(string_len("workflow_name", 64))
                .col(big_integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "institution_workflow",
                    "institution_id",
                    "institution",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_institution_workflow_kind",
                "institution_workflow",
                &["institution_id", "case_kind"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("workflow_draft")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(text("source"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "workflow_draft",
                    "user_id",
                    "app_user",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_workflow_draft_user",
            "workflow_draft",
            &["user_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("workflow_draft").to_owned())
            .await?;
        m.drop_table(Table::drop().table("institution_workflow").to_owned())
            .await
    }
}
