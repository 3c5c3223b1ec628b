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
use super::entity::{case_event, department, institution, petition_case};
use super::outbox;
use super::transitions::{self, Loaded, Request};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::account::Role as AccountRole;
use crate::model::case::ActionView;
use crate::model::staff::BulkResult;

use crate::workflow::{Actor, Effect, Event, Role, TransitionInput, available_transitions};

/// The most cases one bulk assignment takes (a queue page).
pub const BULK_MAX: usize = 100;

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
            // Answers to a data request change the data with the step: only their own form
            // (`backend::data_rights`) gives them.
            if super::data_rights::SERVICE_ONLY.contains(&t.id.as_str()) {
                continue;
            }
            if out.iter().all(|a| a.id != t.id) {
                out.push(ActionView {
                    id: t.id.clone(),
                    label: t.labels.get(lang.code()).to_string(),
                    fields: t.fields.iter().map(|f| f.name().to_string()).collect(),
                    optional: t.optional.iter().map(|f| f.name().to_string()).collect(),
                    extension_max: t
                        .effects
                        .iter()
                        .filter_map(|e| match e {
                            Effect::Extend(timer) => {
                                loaded.definition.timer(timer).map(|d| d.max_extension_days)
                            }
                            _ => None,
                        })
                        .min(),
                });
            }
        }
    }
    out
}

/// The longest text a transition's field takes (an answer, a reason, a note).
pub const TEXT_MAX: usize = 10_000;

/// A transition's fields as a page's form sends them, checked for shape (the engine checks
/// which are required): texts trimmed and at most [`TEXT_MAX`], ids and days as numbers, the
/// outcome one of the known. The petitioner's forms may send one `text`, which goes to the
/// field the transition asks for. Every problem at once.
pub fn input_from_form(
    form: &super::multipart_form::Form,
    transition: &str,
) -> Result<TransitionInput, AppError> {
    let mut errors = crate::model::FieldErrors::new();
    let mut fail = |field: &str, code: &str| {
        errors.entry(field.into()).or_default().push(code.into());
    };
    let mut text = |name: &str| {
        let t = form
            .opt(name)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if t.as_ref().is_some_and(|t| t.chars().count() > TEXT_MAX) {
            fail(name, "text_length");
        }
        t
    };
    let mut input = TransitionInput {
        answer: text("answer"),
        reason: text("reason"),
        note: text("note"),
        ..Default::default()
    };
    if let Some(t) = text("text") {
        match transition {
            "citizen_reply" => input.note = Some(t),
            _ => input.reason = Some(t),
        }
    }
    let mut number = |name: &str| -> Option<i64> {
        let v = form.opt(name)?;
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        v.parse::<i64>()
            .map_err(|_| fail(name, "choice_invalid"))
            .ok()
    };
    input.target_institution_id = number("target_institution_id");
    input.assignee_id = number("assignee_id");
    input.department_id = number("department_id");
    input.extension_days = match number("extension_days") {
        None => None,
        Some(n) => match u32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                fail("extension_days", "extension_days_range");
                None
            }
        },
    };
    input.outcome = match form.opt("outcome").as_deref().map(str::trim) {
        None | Some("") => None,
        Some(o) => match o.parse() {
            Ok(o) => Some(o),
            Err(_) => {
                fail("outcome", "choice_invalid");
                None
            }
        },
    };
    // Withdrawing ends the case for good: the form asks to confirm it.
    if transition == "withdraw" && form.opt("confirm").is_none() {
        fail("confirm", "confirm_withdraw");
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        })
    }
}

/// A transition as asked for by a page or an API client.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
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
    if super::data_rights::SERVICE_ONLY.contains(&request.transition.as_str()) {
        return Err(AppError::TransitionNotAllowed(format!(
            "{:?} is given with the data request's own form",
            request.transition
        )));
    }
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
    check_choices(db, &loaded.case, &request.input).await?;
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

/// Refuses choices a form could be made to send but the case cannot take: an assignee who is
/// not an active officer or manager of the case's institution and department, a department of
/// another institution, forwarding to the case's own institution or to none that exists.
async fn check_choices(
    db: &DatabaseConnection,
    case: &petition_case::Model,
    input: &TransitionInput,
) -> Result<(), AppError> {
    if let Some(id) = input.department_id {
        let ok = department::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|d| d.institution_id == case.institution_id && d.active);
        if !ok {
            return Err(AppError::field("department_id", "choice_invalid"));
        }
    }
    if let Some(id) = input.assignee_id {
        let department = input.department_id.or(case.department_id);
        let id = id.to_string();
        let fits = super::staff_case::officers(db, case.institution_id, department)
            .await?
            .iter()
            .any(|o| o.value == id);
        if !fits {
            return Err(AppError::field("assignee_id", "choice_invalid"));
        }
    }
    if let Some(id) = input.target_institution_id {
        let ok = id != case.institution_id
            && institution::Entity::find_by_id(id).one(db).await?.is_some();
        if !ok {
            return Err(AppError::field("target_institution_id", "choice_invalid"));
        }
    }
    Ok(())
}

/// Assigns each of `case_ids` to `assignee_id` through the workflow's `assign` transition,
/// case by case (each in its own transaction: one refusal does not undo the others).
pub async fn assign_many(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    case_ids: &[i64],
    assignee_id: i64,
) -> Result<BulkResult, AppError> {
    let account = super::auth::access::require_account(principal)?;
    if !account.is_staff() {
        return Err(AppError::Forbidden);
    }
    if case_ids.is_empty() {
        return Err(AppError::field("case_ids", "bulk_none_selected"));
    }
    if case_ids.len() > BULK_MAX {
        return Err(AppError::field("case_ids", "bulk_too_many"));
    }
    let mut result = BulkResult::default();
    for &id in case_ids {
        let number = match visible_case(db, principal, id).await {
            Ok(c) => c.registration_number,
            Err(_) => {
                result.refused.push((format!("#{id}"), "not_found".into()));
                continue;
            }
        };
        let request = ActRequest {
            transition: "assign".into(),
            input: TransitionInput {
                assignee_id: Some(assignee_id),
                ..Default::default()
            },
            expected_version: None,
        };
        match act(db, cfg, principal, id, request, Vec::new()).await {
            Ok(()) => result.assigned.push(number),
            Err(AppError::Validation { fields, .. }) => {
                let code = fields
                    .values()
                    .flatten()
                    .next()
                    .cloned()
                    .unwrap_or_default();
                result.refused.push((number, code));
            }
            Err(e @ (AppError::Internal | AppError::Unavailable)) => return Err(e),
            Err(e) => result.refused.push((number, e.code().into())),
        }
    }
    Ok(result)
}
