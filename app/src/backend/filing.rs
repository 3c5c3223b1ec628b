//! Filing a case: the case row, its registration number and its registration through the
//! workflow, in one transaction (MD art. 73: registration is immediate and cannot be refused).

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use super::clock::{local_date, time_zone};
use super::definitions;
use super::entity::{institution, petition_case};
use super::registration::{format_number, next_sequence};
use super::transitions::{self, Request};
use crate::model::error::AppError;
use crate::workflow::{Actor, Event, Role, TransitionInput};

/// The transition that registers a filed case.
pub const REGISTER: &str = "register";

/// What a filing holds (already validated by the caller's form or API layer).
#[derive(Clone, Debug, Default)]
pub struct NewCase {
    pub institution_id: i64,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    /// `petition`, `complaint`, `prior_complaint`, `information_request`
    pub kind: String,
    /// `online`, `paper`, `oral`
    pub channel: String,
    pub petitioner_id: Option<i64>,
    pub petitioner_name: String,
    pub petitioner_email: Option<String>,
    pub petitioner_address: Option<String>,
    pub subject: String,
    pub body: String,
    pub address: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<chrono::NaiveDate>,
    pub linked_case_id: Option<i64>,
    pub service_id: Option<i64>,
    /// The language the petitioner filed in.
    pub petitioner_lang: Option<String>,
    /// The petitioner agreed to the publication of an anonymised version.
    pub consent_publish: bool,
    /// The staff member who registers it on the petitioner's behalf, and their role (the
    /// audit trail's actor; `None`: the petitioner files it).
    pub registered_by: Option<(i64, String)>,
    /// The answers to the category's own questions (JSON, see
    /// [`super::category_fields::Answer`]).
    pub extra_fields: Option<serde_json::Value>,
}

/// Files and registers a case in its own transaction.
pub async fn file_case(
    db: &DatabaseConnection,
    new: NewCase,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<petition_case::Model, AppError> {
    let txn = db.begin().await?;
    let case = file_case_in(&txn, new, now, public_url).await?;
    txn.commit().await?;
    super::outbox::wake();
    Ok(case)
}

/// Files and registers a case inside the caller's transaction.
pub async fn file_case_in<C: super::audit::Connection>(
    db: &C,
    new: NewCase,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<petition_case::Model, AppError> {
    let inst = institution::Entity::find_by_id(new.institution_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("institution_id", "unknown institution"))?;
    let name = definitions::workflow_for(db, &inst, &new.kind).await?;
    let (version, def) = definitions::get_latest(db, &name).await?;
    let year = local_date(now, time_zone(&inst.timezone)).year();
    let seq = next_sequence(db, inst.id, year).await?;
    let number = format_number(&inst.reg_prefix, year, seq);
    let search_text =
        super::search::case_text(&number, &new.subject, &new.body, &new.petitioner_name);
    let filed = super::audit::Entry::new(super::audit::action::CASE_FILE).details(
        serde_json::json!({"registration_number": number, "channel": new.channel, "kind": new.kind}),
    );
    let filed = match (&new.registered_by, new.petitioner_id) {
        (Some((id, role)), _) => filed.by(Some(*id), role),
        (None, Some(id)) => filed.by(Some(id), "citizen"),
        (None, None) => filed.by(None, "anonymous"),
    };
    let case = petition_case::ActiveModel {
        institution_id: Set(inst.id),
        department_id: Set(new.department_id),
        category_id: Set(new.category_id),
        kind: Set(new.kind),
        status: Set(def.initial_state().to_string()),
        workflow_name: Set(name),
        workflow_version: Set(version),
        reg_year: Set(year),
        reg_seq: Set(seq),
        registration_number: Set(number),
        search_text: Set(Some(search_text)),
        channel: Set(new.channel),
        petitioner_id: Set(new.petitioner_id),
        petitioner_name: Set(new.petitioner_name),
        petitioner_email: Set(new.petitioner_email),
        petitioner_address: Set(new.petitioner_address),
        subject: Set(new.subject),
        body: Set(new.body),
        address: Set(new.address),
        decision_number: Set(new.decision_number),
        decision_date: Set(new.decision_date),
        assignee_id: Set(None),
        outcome: Set(None),
        answer_due: Set(None),
        overdue: Set(false),
        consent_publish: Set(new.consent_publish),
        filed_at: Set(now),
        answered_at: Set(None),
        closed_at: Set(None),
        updated_at: Set(now),
        version: Set(0),
        counters: Set(None),
        linked_case_id: Set(new.linked_case_id),
        service_id: Set(new.service_id),
        petitioner_lang: Set(new.petitioner_lang),
        forwarded_to_institution_id: Set(None),
        extra_fields: Set(new.extra_fields),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Recorded before the registration's step (its record follows in the same chain).
    super::audit::record(db, filed.case(case.id, inst.id), now).await?;
    let done = transitions::apply_in(
        db,
        Request {
            case_id: case.id,
            event: Event::Transition {
                id: REGISTER.to_string(),
                actor: Actor {
                    role: Role::System,
                    user_id: None,
                },
                input: TransitionInput::default(),
            },
            expected_version: Some(case.version),
        },
        now,
        public_url,
    )
    .await?;
    Ok(done.case)
}
