//! Filing a case: the case row, its registration number and its registration through the
//! workflow, in one transaction (MD art. 73: registration is immediate and cannot be refused).
//!
//! Filings of one institution queue on two rows that stay locked until their transaction
//! ends: the registration counter and the head of the audit chain. So both are taken **last**:
//! the case, its registration step, its timers, its mails and its webhook deliveries are
//! written first with a placeholder where the number goes ([`Placeholder`]); then the number
//! is taken, put in their place, and the audit records are appended. The numbers stay
//! sequential in the order the filings commit, without gaps.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Expr, Func, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::clock::{local_date, time_zone};
use super::definitions;
use super::entity::{institution, mail_outbox, petition_case, webhook_delivery};
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

/// Files and registers a case inside the caller's transaction. It takes the institution's
/// registration counter and audit chain last, and both stay locked until that transaction
/// ends: commit soon after.
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
    let placeholder = Placeholder::new();
    let filed = super::audit::Entry::new(super::audit::action::CASE_FILE);
    let filed = match (&new.registered_by, new.petitioner_id) {
        (Some((id, role)), _) => filed.by(Some(*id), role),
        (None, Some(id)) => filed.by(Some(id), "citizen"),
        (None, None) => filed.by(None, "anonymous"),
    };
    let (channel, kind) = (new.channel.clone(), new.kind.clone());
    let case = petition_case::ActiveModel {
        institution_id: Set(inst.id),
        department_id: Set(new.department_id),
        category_id: Set(new.category_id),
        kind: Set(new.kind),
        status: Set(def.initial_state().to_string()),
        workflow_name: Set(name),
        workflow_version: Set(version),
        reg_year: Set(year),
        reg_seq: Set(placeholder.seq),
        registration_number: Set(placeholder.text.clone()),
        // Written with the number.
        search_text: Set(None),
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
    let (done, registered) = transitions::apply_unrecorded(
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
    // Last, held until the commit: the counter row, then the audit chain's head.
    let seq = next_sequence(db, inst.id, year).await?;
    let number = format_number(&inst.reg_prefix, year, seq);
    let case = put_number(db, done.case, &placeholder, seq, number).await?;
    let filed = filed.case(case.id, inst.id).details(serde_json::json!({
        "registration_number": case.registration_number,
        "channel": channel,
        "kind": kind,
    }));
    // The filing's record, then its registration's, in one append.
    super::audit::record_all(db, vec![filed, registered], now).await?;
    Ok(case)
}

/// What stands for a case's registration number until it is taken: unique (the number and its
/// sequence value are unique per institution and year) and made of characters that no HTML,
/// JSON or URL escaping changes, so that it can be found again in the mails and deliveries
/// rendered with it.
struct Placeholder {
    text: String,
    /// Negative, unlike every number given.
    seq: i64,
}

impl Placeholder {
    fn new() -> Placeholder {
        Placeholder {
            text: format!("~{}", uuid::Uuid::new_v4().simple()),
            seq: -1 - (rand::random::<u64>() >> 2) as i64,
        }
    }
}

/// Puts the number in the placeholder's place: on the case (with its search text), in the
/// mails and in the webhook deliveries of its registration.
async fn put_number<C: ConnectionTrait>(
    db: &C,
    mut case: petition_case::Model,
    placeholder: &Placeholder,
    seq: i64,
    number: String,
) -> Result<petition_case::Model, AppError> {
    let search_text =
        super::search::case_text(&number, &case.subject, &case.body, &case.petitioner_name);
    petition_case::Entity::update_many()
        .col_expr(petition_case::Column::RegSeq, Expr::value(seq))
        .col_expr(
            petition_case::Column::RegistrationNumber,
            Expr::value(number.clone()),
        )
        .col_expr(
            petition_case::Column::SearchText,
            Expr::value(search_text.clone()),
        )
        .filter(petition_case::Column::Id.eq(case.id))
        .exec(db)
        .await?;
    let replaced = |column: SimpleExpr| -> SimpleExpr {
        Func::cust("REPLACE")
            .arg(column)
            .arg(placeholder.text.as_str())
            .arg(number.as_str())
            .into()
    };
    mail_outbox::Entity::update_many()
        .col_expr(
            mail_outbox::Column::Subject,
            replaced(Expr::col(mail_outbox::Column::Subject)),
        )
        .col_expr(
            mail_outbox::Column::BodyText,
            replaced(Expr::col(mail_outbox::Column::BodyText)),
        )
        .col_expr(
            mail_outbox::Column::BodyHtml,
            replaced(Expr::col(mail_outbox::Column::BodyHtml)),
        )
        .filter(mail_outbox::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Payload,
            replaced(Expr::col(webhook_delivery::Column::Payload)),
        )
        .filter(webhook_delivery::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    case.reg_seq = seq;
    case.registration_number = number;
    case.search_text = Some(search_text);
    Ok(case)
}
