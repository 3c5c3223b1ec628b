//! Applying workflow events to stored cases. The engine (`crate::workflow`) decides; this
//! module loads what it needs, and writes what it decided in **one transaction**: the case row
//! (with an optimistic version check, so two people acting at once cannot both win), the history
//! entry, the timer rows and the outbox mails. Nothing is half-applied when anything fails.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::calendars;
use super::clock::{local_date, local_moment, time_zone};
use super::definitions;
use super::entity::{case_event, case_timer, institution, petition_case, user, user_role};
use super::mail_templates::MailContext;
use super::outbox;
use crate::calendar::Calendar;
use crate::model::error::AppError;
use crate::workflow::{
    Applied, CaseSnapshot, Definition, EngineError, Event, Recipient, TimerState, TimerStatus,
    apply, next_fire_dates,
};

/// Timer row statuses, as stored.
pub mod timer_status {
    pub const RUNNING: &str = "running";
    pub const PAUSED: &str = "paused";
    pub const EXPIRED: &str = "expired";
    pub const CANCELLED: &str = "cancelled";
    pub const DONE: &str = "done";
}

/// Reminders go out at this local time; expiries fire at the start of the day after the last
/// day to act.
fn reminder_time() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// What a caller asks for: an event on a case, optionally only if the case is still at the
/// version the caller saw (a form's hidden field), so a stale page cannot act.
pub struct Request {
    pub case_id: i64,
    pub event: Event,
    pub expected_version: Option<i32>,
}

/// The case after a transition and what the engine decided.
pub struct Done {
    pub case: petition_case::Model,
    pub applied: Applied,
}

/// Applies an event in its own transaction.
pub async fn apply_event(
    db: &DatabaseConnection,
    request: Request,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Done, AppError> {
    let txn = db.begin().await?;
    let done = apply_in(&txn, request, now, public_url).await?;
    txn.commit().await?;
    if !done.applied.mails.is_empty() {
        super::outbox::wake();
    }
    super::webhooks::wake();
    Ok(done)
}

/// Everything the engine needs about a stored case.
pub struct Loaded {
    pub case: petition_case::Model,
    pub institution: institution::Model,
    pub definition: std::sync::Arc<Definition>,
    pub calendar: Calendar,
    pub timers: Vec<case_timer::Model>,
    pub snapshot: CaseSnapshot,
}

pub async fn load<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Loaded, AppError> {
    let case = petition_case::Entity::find_by_id(case_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let institution = institution::Entity::find_by_id(case.institution_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let definition = definitions::get(db, &case.workflow_name, case.workflow_version).await?;
    let calendar = calendars::load(db, definition.calendar, Some(institution.id)).await?;
    let timers = case_timer::Entity::find()
        .filter(case_timer::Column::CaseId.eq(case.id))
        .all(db)
        .await?;
    let snapshot = snapshot_of(&case, &timers);
    Ok(Loaded {
        case,
        institution,
        definition,
        calendar,
        timers,
        snapshot,
    })
}

/// Applies an event inside the caller's transaction.
pub async fn apply_in<C: super::audit::Connection>(
    db: &C,
    request: Request,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Done, AppError> {
    let (done, audit) = apply_unrecorded(db, request, now, public_url).await?;
    // The audit record last: it holds the institution's chain until the commit.
    super::audit::record(db, audit, now).await?;
    Ok(done)
}

/// Applies an event inside the caller's transaction, and gives back its audit record for the
/// caller to record (with [`super::audit::record_all`], as late in the transaction as it can).
pub async fn apply_unrecorded<C: super::audit::Connection>(
    db: &C,
    request: Request,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(Done, super::audit::Entry), AppError> {
    let loaded = load(db, request.case_id).await?;
    if let Some(v) = request.expected_version
        && v != loaded.case.version
    {
        return Err(AppError::Conflict(
            "the case was changed by someone else meanwhile; reload it and try again".into(),
        ));
    }
    let tz = time_zone(&loaded.institution.timezone);
    let today = local_date(now, tz);
    let applied = apply(
        &loaded.definition,
        &loaded.calendar,
        &loaded.snapshot,
        &request.event,
        today,
    )
    .map_err(engine_error)?;
    let (case, audit) = persist(db, &loaded, &request.event, &applied, now, public_url).await?;
    Ok((Done { case, applied }, audit))
}

/// The user-facing error of a refused event.
pub fn engine_error(e: EngineError) -> AppError {
    match e {
        EngineError::MissingField(field) => AppError::field(field.name(), "field_required"),
        EngineError::InvalidField { field, reason } => AppError::field(field.name(), reason),
        other => AppError::TransitionNotAllowed(other.to_string()),
    }
}

fn status_str(s: &TimerStatus) -> &'static str {
    match s {
        TimerStatus::Running => timer_status::RUNNING,
        TimerStatus::Paused { .. } => timer_status::PAUSED,
        TimerStatus::Expired => timer_status::EXPIRED,
        TimerStatus::Cancelled => timer_status::CANCELLED,
        TimerStatus::Done => timer_status::DONE,
    }
}

/// Reads the engine's view of a case from its rows. A timer's full state is kept as JSON in
/// `case_timer.data`; the columns `status`, `due_on` and `fire_at` are what queries use.
pub fn snapshot_of(case: &petition_case::Model, timers: &[case_timer::Model]) -> CaseSnapshot {
    let counters: BTreeMap<String, u32> = case
        .counters
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    CaseSnapshot {
        state: case.status.clone(),
        timers: timers
            .iter()
            .filter_map(|t| {
                t.data
                    .as_ref()
                    .and_then(|d| serde_json::from_value::<TimerState>(d.clone()).ok())
            })
            .collect(),
        counters,
        overdue: case.overdue,
        assignee_id: case.assignee_id,
        owner_id: case.petitioner_id,
        department_id: case.department_id,
        outcome: case.outcome.as_deref().and_then(|o| o.parse().ok()),
    }
}

/// When the ticker must next look at a timer: its next reminder (08:00 local) or its expiry
/// (00:00 local the day after the last day to act); `None` when it is not running.
pub fn fire_at(def: &Definition, timer: &TimerState, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    if !matches!(timer.status, TimerStatus::Running) {
        return None;
    }
    let (reminders, expiry) = next_fire_dates(def, timer);
    let next_reminder = reminders
        .into_iter()
        .min()
        .map(|d| local_moment(d, reminder_time(), tz));
    let expiry = local_moment(expiry, NaiveTime::MIN, tz);
    Some(next_reminder.map_or(expiry, |r| r.min(expiry)))
}

async fn persist<C: super::audit::Connection>(
    db: &C,
    loaded: &Loaded,
    event: &Event,
    applied: &Applied,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(petition_case::Model, super::audit::Entry), AppError> {
    let case = &loaded.case;
    let def = &loaded.definition;
    let tz = time_zone(&loaded.institution.timezone);
    let new_state_terminal = def.is_terminal(&applied.new_state);
    let answer_due = applied
        .timers_after
        .iter()
        .find(|t| t.timer == "answer_due")
        .map(|t| t.due)
        .or(case.answer_due);
    let counters = serde_json::to_value(&applied.counters_after)
        .map_err(|e| super::error::internal("workflow state as JSON", e))?;
    let forwarded_to = match event {
        Event::Transition { input, .. } => input.target_institution_id,
        _ => None,
    }
    .or(case.forwarded_to_institution_id);

    // The first answer records how long it took (pauses left out) and whether it was late.
    let answering = applied.outcome_after.is_some() && case.outcome.is_none();
    let (response, answered_late) = if answering {
        let answered_on = local_date(now, tz);
        let pauses = applied
            .timers_after
            .iter()
            .find(|t| t.timer == "answer_due")
            .map(|t| t.pauses.clone())
            .unwrap_or_default();
        let time = crate::stats::response_time(
            &loaded.calendar,
            local_date(case.filed_at, tz),
            answered_on,
            &pauses,
        );
        (Some(time), answer_due.map(|due| answered_on > due))
    } else {
        (None, case.answered_late)
    };

    // The optimistic check: the row changes only if nobody changed it since it was read.
    let updated = petition_case::Entity::update_many()
        .col_expr(
            petition_case::Column::Status,
            Expr::value(applied.new_state.clone()),
        )
        .col_expr(
            petition_case::Column::AssigneeId,
            Expr::value(applied.assignee_after),
        )
        .col_expr(
            petition_case::Column::DepartmentId,
            Expr::value(applied.department_after),
        )
        .col_expr(
            petition_case::Column::Outcome,
            Expr::value(applied.outcome_after.map(|o| o.code().to_string())),
        )
        .col_expr(
            petition_case::Column::Overdue,
            Expr::value(applied.overdue_after),
        )
        .col_expr(petition_case::Column::AnswerDue, Expr::value(answer_due))
        .col_expr(petition_case::Column::Counters, Expr::value(counters))
        .col_expr(
            petition_case::Column::ForwardedToInstitutionId,
            Expr::value(forwarded_to),
        )
        .col_expr(
            petition_case::Column::AnsweredAt,
            Expr::value(if answering {
                Some(now)
            } else {
                case.answered_at
            }),
        )
        .col_expr(
            petition_case::Column::ClosedAt,
            Expr::value(if new_state_terminal {
                case.closed_at.or(Some(now))
            } else {
                None
            }),
        )
        .col_expr(
            petition_case::Column::ResponseDays,
            Expr::value(
                response
                    .map(|r| r.calendar_days as i32)
                    .or(case.response_days),
            ),
        )
        .col_expr(
            petition_case::Column::ResponseWorkingDays,
            Expr::value(
                response
                    .map(|r| r.working_days as i32)
                    .or(case.response_working_days),
            ),
        )
        .col_expr(
            petition_case::Column::AnsweredLate,
            Expr::value(answered_late),
        )
        .col_expr(petition_case::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            petition_case::Column::Version,
            Expr::value(case.version + 1),
        )
        .filter(petition_case::Column::Id.eq(case.id))
        .filter(petition_case::Column::Version.eq(case.version))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(
            "the case was changed by someone else meanwhile; reload it and try again".into(),
        ));
    }

    // Timers: the engine returns the complete list; write each one by (case, name).
    for t in &applied.timers_after {
        // Only rows that change are written: a timer row another ticker holds is left alone
        // (no lock-order deadlock), and the case row's version check decides who wins.
        if loaded.snapshot.timer(&t.timer) == Some(t) {
            continue;
        }
        let data = serde_json::to_value(t)
            .map_err(|e| super::error::internal("workflow state as JSON", e))?;
        let fire = fire_at(def, t, tz);
        match loaded.timers.iter().find(|row| row.name == t.timer) {
            Some(row) => {
                let mut active: case_timer::ActiveModel = row.clone().into();
                active.status = Set(status_str(&t.status).to_string());
                active.due_on = Set(t.due);
                active.fire_at = Set(fire);
                active.paused_at = Set(match t.status {
                    TimerStatus::Paused { .. } => row.paused_at.or(Some(now)),
                    _ => None,
                });
                active.data = Set(Some(data));
                active.update(db).await?;
            }
            None => {
                case_timer::ActiveModel {
                    case_id: Set(case.id),
                    name: Set(t.timer.clone()),
                    status: Set(status_str(&t.status).to_string()),
                    due_on: Set(t.due),
                    fire_at: Set(fire),
                    started_at: Set(now),
                    paused_at: Set(None),
                    data: Set(Some(data)),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }

    // History.
    let (actor_id, note) = match event {
        Event::Transition { actor, input, .. } => (actor.user_id, input.note.clone()),
        _ => (None, None),
    };
    let history = &applied.history;
    let event_row = case_event::ActiveModel {
        case_id: Set(case.id),
        at: Set(now),
        actor_id: Set(actor_id),
        actor_role: Set(history.actor_role.code().to_string()),
        transition: Set(history.name()),
        from_state: Set(Some(history.from_state.clone())),
        to_state: Set(history.to_state.clone()),
        note: Set(note),
        public: Set(history.public),
        data: Set(Some(serde_json::to_value(history).map_err(|e| {
            super::error::internal("workflow state as JSON", e)
        })?)),
        ..Default::default()
    }
    .insert(db)
    .await?;

    // Mails, in the same transaction.
    let fresh = petition_case::Entity::find_by_id(case.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    enqueue_mails(db, loaded, &fresh, event, applied, now, public_url).await?;
    // Webhook deliveries too: the event reaches the institution's API clients exactly when the
    // change is committed.
    super::webhooks::enqueue_case_event(db, &fresh, event, history, now).await?;
    let mut details = serde_json::json!({
        "transition": history.name(),
        "from": history.from_state,
        "to": history.to_state,
    });
    if applied.assignee_after != case.assignee_id {
        details["assignee_id"] = applied.assignee_after.into();
    }
    let audit = super::audit::Entry::new(super::audit::action::CASE_EVENT)
        .case(case.id, case.institution_id)
        .by(actor_id, history.actor_role.code())
        .target("case_event", event_row.id)
        .details(details);
    Ok((fresh, audit))
}

/// One addressee of a mail: the address, the language, and the staff member it is (none for
/// the petitioner).
struct Addressee {
    to: String,
    lang: String,
    staff_id: Option<i64>,
}

/// Who receives a mail meant for `recipient` on this case.
async fn recipients<C: ConnectionTrait>(
    db: &C,
    case: &petition_case::Model,
    recipient: &Recipient,
) -> Result<Vec<Addressee>, AppError> {
    let staff = |u: user::Model| Addressee {
        to: u.email,
        lang: u.locale,
        staff_id: Some(u.id),
    };
    let citizen = |to: String, lang: String| Addressee {
        to,
        lang,
        staff_id: None,
    };
    Ok(match recipient {
        Recipient::Citizen => {
            let owner = match case.petitioner_id {
                Some(id) => user::Entity::find_by_id(id).one(db).await?,
                None => None,
            };
            match (&case.petitioner_email, owner) {
                (Some(email), Some(u)) => vec![citizen(email.clone(), u.locale)],
                // Without an account: the language the case was filed in.
                (Some(email), None) => vec![citizen(
                    email.clone(),
                    case.petitioner_lang.clone().unwrap_or_else(|| "ro".into()),
                )],
                (None, Some(u)) => vec![citizen(u.email, u.locale)],
                (None, None) => vec![],
            }
        }
        Recipient::Assignee => match case.assignee_id {
            Some(id) => user::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|u| u.active)
                .map(|u| vec![staff(u)])
                .unwrap_or_default(),
            None => vec![],
        },
        Recipient::DepartmentManager | Recipient::DepartmentOfficers => {
            let role = if matches!(recipient, Recipient::DepartmentManager) {
                "manager"
            } else {
                "officer"
            };
            let mut q = user_role::Entity::find()
                .filter(user_role::Column::Role.eq(role))
                .filter(user_role::Column::InstitutionId.eq(case.institution_id));
            q = match (recipient, case.department_id) {
                // A manager of the whole institution, or of this department.
                (Recipient::DepartmentManager, Some(dep)) => q.filter(
                    sea_orm::Condition::any()
                        .add(user_role::Column::DepartmentId.is_null())
                        .add(user_role::Column::DepartmentId.eq(dep)),
                ),
                (_, Some(dep)) => q.filter(user_role::Column::DepartmentId.eq(dep)),
                (_, None) => q,
            };
            let ids: Vec<i64> = q.all(db).await?.into_iter().map(|r| r.user_id).collect();
            if ids.is_empty() {
                vec![]
            } else {
                user::Entity::find()
                    .filter(user::Column::Id.is_in(ids))
                    .filter(user::Column::Active.eq(true))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(staff)
                    .collect()
            }
        }
    })
}

async fn enqueue_mails<C: ConnectionTrait>(
    db: &C,
    loaded: &Loaded,
    case: &petition_case::Model,
    event: &Event,
    applied: &Applied,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(), AppError> {
    if applied.mails.is_empty() {
        return Ok(());
    }
    let link = format!("{}/cazuri/{}", public_url.trim_end_matches('/'), case.id);
    let mut base = MailContext::new();
    base.insert("registration_number", case.registration_number.clone());
    base.insert("subject", case.subject.clone());
    base.insert("link", link);
    base.insert(
        "due",
        case.answer_due
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
    );
    if let Event::Transition { input, .. } = event {
        if let Some(reason) = &input.reason {
            base.insert("reason", reason.clone());
        }
        if let Some(answer) = &input.answer {
            base.insert("answer", answer.clone());
        }
        if let Some(days) = input.extension_days {
            base.insert("days", days.to_string());
        }
    }
    if let Event::ReminderDue { days_before, .. } = event {
        base.insert("days", days_before.to_string());
    }
    let target = match case.forwarded_to_institution_id {
        Some(id) => institution::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    // Mails to the petitioner caused by staff or by the clock wait for the institution's hours
    // (the receipt of a filing goes at once: it answers the petitioner's own act).
    let registering =
        matches!(event, Event::Transition { id, .. } if id == super::filing::REGISTER);
    let window = super::mail_hours::parse(&loaded.institution.citizen_mail_hours).unwrap_or_else(|e| {
        tracing::warn!(institution = loaded.institution.id, error = %e, "citizen_mail_hours is not valid; mails are not held");
        None
    });
    let held_until = super::mail_hours::release(
        now,
        time_zone(&loaded.institution.timezone),
        &loaded.calendar,
        window,
    );
    for intent in &applied.mails {
        let not_before = match intent.recipient {
            Recipient::Citizen if !registering => held_until,
            _ => None,
        };
        let addressees = recipients(db, case, &intent.recipient).await?;
        let staff_ids: Vec<i64> = addressees.iter().filter_map(|a| a.staff_id).collect();
        let digest_readers = super::staff_digest::digest_readers(db, &staff_ids).await?;
        for Addressee { to, lang, staff_id } in addressees {
            let mut ctx = base.clone();
            // A petitioner without an account opens the case by a tracking link of their own.
            if staff_id.is_none() && case.petitioner_id.is_none() {
                let (link, _) =
                    super::auth::magic_links::tracking_link(db, public_url, case.id, &to, now)
                        .await?;
                ctx.insert("link", link);
            }
            let lang = match lang.as_str() {
                "ru" | "en" => lang,
                _ => "ro".to_string(),
            };
            ctx.insert(
                "state",
                loaded.definition.state_label(&applied.new_state, &lang),
            );
            if let Some(o) = applied.outcome_after {
                ctx.insert("outcome", o.label(&lang).to_string());
            }
            if let Some(t) = &target {
                let name = match lang.as_str() {
                    "ru" => &t.name_ru,
                    "en" => &t.name_en,
                    _ => &t.name_ro,
                };
                ctx.insert("institution", name.clone());
            }
            // The answer mail rates the answer in one click.
            if intent.template == "case_answered" && matches!(intent.recipient, Recipient::Citizen)
            {
                ctx.insert(
                    "rate_link",
                    super::rating::link(db, public_url, case.id, now).await?,
                );
            }
            // A digest reader gets this in their next daily digest instead.
            if let Some(id) = staff_id.filter(|id| digest_readers.contains(id)) {
                let (subject, _) =
                    super::mail_templates::render_for(db, &intent.template, &lang, &ctx).await?;
                super::staff_digest::keep_item(
                    db,
                    id,
                    Some(case.id),
                    &intent.template,
                    subject,
                    now,
                )
                .await?;
                continue;
            }
            outbox::enqueue_letter(
                db,
                outbox::Letter {
                    to: &to,
                    template: &intent.template,
                    lang: &lang,
                    ctx: &ctx,
                    case_id: Some(case.id),
                    not_before,
                },
                now,
            )
            .await?;
        }
    }
    Ok(())
}
