//! Acting on a case: the roles the asker holds *for this case*, the transitions those roles
//! may fire now, and firing one through the workflow engine. The engine decides; this module
//! only establishes who is asking, always after the case passed the asker's scope.

use chrono::Utc;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Deserialize;

use super::AppConfig;
use super::attachments::{self, Upload};
use super::auth::{Principal, visible_case};
use super::clock::{local_date, time_zone};
use super::entity::{case_event, petition_case};
use super::outbox;
use super::transitions::{self, Loaded, Request};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::account::Role as AccountRole;
use crate::model::case::ActionView;

use crate::workflow::{Actor, Event, Role, TransitionInput, available_transitions};

/// The workflow roles `principal` holds on `case`: the petitioner (or the holder of the case's
/// tracking link) is `citizen`; staff whose grant covers the case act in their role.
pub fn roles_for(principal: &Principal, case: &petition_case::Model) -> Vec<Role> {
    match principal {
        Principal::CaseLink { case_id, .. } if *case_id == case.id => vec![Role::Citizen],
        Principal::CaseLink { .. } => Vec::new(),
        Principal::User(a) => {
            let mut roles = Vec::new();
            if case.petitioner_id == Some(a.user_id) {
                roles.push(Role::Citizen);
            }
            for g in &a.grants {
                let covers = match (g.role, g.institution_id, g.department_id) {
                    (AccountRole::Citizen, _, _) => false,
                    (AccountRole::Admin, None, _) => true,
                    (AccountRole::Manager, Some(i), Some(d)) => {
                        i == case.institution_id && case.department_id == Some(d)
                    }
                    (_, Some(i), _) => i == case.institution_id,
                    (_, None, _) => false,
                };
                let role = match g.role {
                    AccountRole::Citizen => continue,
                    AccountRole::Officer => Role::Officer,
                    AccountRole::Manager => Role::Manager,
                    AccountRole::Admin => Role::Admin,
                };
                if covers && !roles.contains(&role) {
                    roles.push(role);
                }
            }
            roles
        }
    }
}

/// The transitions `roles` may fire on the loaded case today, labelled in `lang`.
pub fn available(loaded: &Loaded, roles: &[Role], lang: Lang) -> Vec<ActionView> {
    let today = local_date(Utc::now(), time_zone(&loaded.institution.timezone));
    let mut out: Vec<ActionView> = Vec::new();
    for role in roles {
        for t in available_transitions(&loaded.definition, &loaded.snapshot, *role, today) {
            if out.iter().all(|a| a.id != t.id) {
                out.push(ActionView {
                    id: t.id.clone(),
                    label: t.labels.get(lang.code()).to_string(),
                    fields: t.fields.iter().map(|f| f.name().to_string()).collect(),
                    optional: t.optional.iter().map(|f| f.name().to_string()).collect(),
                });
            }
        }
    }
    out
}

/// A transition as asked for by a page or an API client.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActRequest {
    pub transition: String,
    #[serde(flatten)]
    pub input: TransitionInput,
    /// The version the asker saw; a change meanwhile answers `409 conflict`.
    pub expected_version: Option<i32>,
}

/// Fires `request.transition` on the case as the asker, in the first of their roles on the case
/// that may fire it now, with the files sent with it (a reply's documents, an answer's).
pub async fn act(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    case_id: i64,
    request: ActRequest,
    uploads: Vec<Upload>,
) -> Result<(), AppError> {
    let files = attachments::check(uploads)?;
    let case = visible_case(db, principal, case_id).await?;
    let principal = principal.ok_or(AppError::NotFound)?;
    let roles = roles_for(principal, &case);
    let loaded = transitions::load(db, case.id).await?;
    // A stale page first hears that the case changed (not that the action no longer fits).
    if request
        .expected_version
        .is_some_and(|v| v != loaded.case.version)
    {
        return Err(AppError::Conflict(
            "the case was changed meanwhile; reload it and try again".into(),
        ));
    }
    let now = cfg.clock.now();
    let today = local_date(now, time_zone(&loaded.institution.timezone));
    let role = roles
        .iter()
        .copied()
        .find(|r| {
            available_transitions(&loaded.definition, &loaded.snapshot, *r, today)
                .iter()
                .any(|t| t.id == request.transition)
        })
        .ok_or_else(|| {
            AppError::TransitionNotAllowed(format!(
                "{:?} cannot be done on this case now",
                request.transition
            ))
        })?;
    let user_id = principal.account().map(|a| a.user_id);
    let stored = cfg.attachments.put(files, now).await?;
    let result = async {
        let txn = db.begin().await?;
        transitions::apply_in(
            &txn,
            Request {
                case_id: case.id,
                event: Event::Transition {
                    id: request.transition,
                    actor: Actor { role, user_id },
                    input: request.input,
                },
                expected_version: request.expected_version,
            },
            now,
            &cfg.public_url,
        )
        .await?;
        if !stored.is_empty() {
            // The files belong to the step just recorded (public or internal like it).
            let step = case_event::Entity::find()
                .filter(case_event::Column::CaseId.eq(case.id))
                .order_by_desc(case_event::Column::Id)
                .one(&txn)
                .await?
                .map(|e| e.id);
            attachments::insert_in(&txn, case.id, step, user_id, &stored, now).await?;
        }
        txn.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    if let Err(e) = result {
        cfg.attachments.remove(&stored).await;
        return Err(e);
    }
    outbox::wake();
    Ok(())
}
