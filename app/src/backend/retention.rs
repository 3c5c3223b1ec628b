//! Retention: how long an institution keeps a case after closing it (per case kind, following
//! its archive schedule; [`DEFAULT_YEARS`] without a setting), and the anonymisation of a case
//! whose period ended (or whose petitioner's erasure was granted).
//!
//! Anonymising removes what names or describes the petitioner: name, e-mail and postal
//! addresses, the place, the decision's number, every free text (subject, text, answers,
//! reasons, notes, the rating's comment, the case's mails in the outbox) and the attached
//! files; it keeps what the statistics count: registration number, dates, kind, channel,
//! category, department, service, officer, status, outcome, timings (`response_days`, late or
//! not, overdue) and the rating's value. So the managers' indicators are the same before and
//! after. A published case is taken off the public pages (its redacted version goes too: a
//! redaction missed by hand must not outlive the file). Each anonymised case gets one audit record (what was removed, counted, never the
//! data). A case is taken once (`anonymised_at`), so runs are idempotent and several server
//! instances may run the job at once; each run takes at most a bounded number of cases.

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::attachments::{Store, Stored};
use super::audit;
use super::auth::Principal;
use super::auth::access::require_account;
use super::entity::{
    attachment, auth_token, case_event, case_note, case_publication, institution, mail_outbox,
    open311_request, pending_filing, petition_case as pc, retention_policy as rp,
    staff_digest_item, user_session,
};
use crate::model::AppError;
use crate::model::data_rights::{RetentionPolicy, RetentionReport, RetentionSettings};

/// Years a closed case is kept when its institution set nothing (a common archive-schedule
/// term for petitions).
pub const DEFAULT_YEARS: i32 = 5;
/// The longest period that may be set.
pub const MAX_YEARS: i32 = 100;
/// The policy row of every kind without one of its own.
pub const ANY_KIND: &str = "*";
/// What replaces a removed text.
pub const MARKER: &str = "[anonimizat]";
/// Cases one run of the job takes at most.
pub const RUN_LIMIT: u64 = 200;
/// The audit action of an anonymised case.
pub const ACTION: &str = "case.anonymise";

/// The kinds a period may be set for.
pub fn kinds() -> Vec<&'static str> {
    crate::model::filing::KINDS
        .iter()
        .chain(crate::model::data_rights::REQUEST_KINDS.iter())
        .copied()
        .collect()
}

/// The period of `kind` at an institution, from its policy rows.
fn years_in(rows: &[rp::Model], kind: &str) -> i32 {
    rows.iter()
        .find(|r| r.case_kind == kind)
        .or_else(|| rows.iter().find(|r| r.case_kind == ANY_KIND))
        .map_or(DEFAULT_YEARS, |r| r.years)
}

async fn rows_of<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
) -> Result<Vec<rp::Model>, AppError> {
    Ok(rp::Entity::find()
        .filter(rp::Column::InstitutionId.eq(institution_id))
        .all(db)
        .await?)
}

/// The retention period of `kind` at `institution_id`, in years.
pub async fn years_for<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    kind: &str,
) -> Result<i32, AppError> {
    Ok(years_in(&rows_of(db, institution_id).await?, kind))
}

/// The moment before which a case closed `years` ago is due.
fn cutoff(now: DateTime<Utc>, years: i32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(years.clamp(0, MAX_YEARS) as u32 * 12))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The last day a case closed at `closed_at` is kept for `years`.
pub fn kept_until(closed_at: DateTime<Utc>, years: i32) -> NaiveDate {
    closed_at
        .checked_add_months(Months::new(years.clamp(0, MAX_YEARS) as u32 * 12))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
        .date_naive()
}

/// The institutions whose settings `principal` may see and change.
async fn administered(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
) -> Result<(i64, Vec<i64>), AppError> {
    let account = require_account(principal)?;
    let ids: Vec<i64> = institution::Entity::find()
        .select_only()
        .column(institution::Column::Id)
        .order_by_asc(institution::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mine: Vec<i64> = ids
        .into_iter()
        .filter(|i| account.administers(*i))
        .collect();
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok((account.user_id, mine))
}

/// The retention periods set at the institutions `principal` administers.
pub async fn settings(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
) -> Result<RetentionSettings, AppError> {
    let (_, mine) = administered(db, principal).await?;
    let policies = rp::Entity::find()
        .filter(rp::Column::InstitutionId.is_in(mine))
        .order_by_asc(rp::Column::InstitutionId)
        .order_by_asc(rp::Column::CaseKind)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RetentionPolicy {
            institution_id: r.institution_id,
            case_kind: r.case_kind,
            years: r.years,
        })
        .collect();
    Ok(RetentionSettings {
        default_years: DEFAULT_YEARS,
        kinds: kinds().into_iter().map(str::to_string).collect(),
        policies,
    })
}

/// Sets the period of an institution (`principal` administers it) and kind; recorded in the
/// institution's audit trail.
pub async fn set(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    policy: RetentionPolicy,
    now: DateTime<Utc>,
) -> Result<RetentionPolicy, AppError> {
    let (admin_id, mine) = administered(db, principal).await?;
    let mut errors = crate::model::FieldErrors::new();
    if !mine.contains(&policy.institution_id) {
        errors.insert("institution_id".into(), vec!["choice_invalid".into()]);
    }
    let kind = policy.case_kind.trim().to_string();
    if kind != ANY_KIND && !kinds().contains(&kind.as_str()) {
        errors.insert("case_kind".into(), vec!["choice_invalid".into()]);
    }
    if !(1..=MAX_YEARS).contains(&policy.years) {
        errors.insert("years".into(), vec!["retention_years".into()]);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "the retention period does not check".into(),
            fields: errors,
        });
    }
    let txn = db.begin().await?;
    let existing = rp::Entity::find()
        .filter(rp::Column::InstitutionId.eq(policy.institution_id))
        .filter(rp::Column::CaseKind.eq(kind.as_str()))
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(|r| r.years);
    match existing {
        Some(row) => {
            let mut a: rp::ActiveModel = row.into();
            a.years = Set(policy.years);
            a.updated_by = Set(Some(admin_id));
            a.updated_at = Set(now);
            a.update(&txn).await?;
        }
        None => {
            rp::ActiveModel {
                institution_id: Set(policy.institution_id),
                case_kind: Set(kind.clone()),
                years: Set(policy.years),
                updated_by: Set(Some(admin_id)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        audit::Entry::new("admin.retention.set")
            .chain(Some(policy.institution_id))
            .by(Some(admin_id), "admin")
            .target("retention_policy", &kind)
            .details(
                serde_json::json!({ "case_kind": kind, "years": policy.years, "before": before }),
            ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(RetentionPolicy {
        institution_id: policy.institution_id,
        case_kind: kind,
        years: policy.years,
    })
}

/// Why a case is anonymised, as its audit record says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Its retention period ended.
    Retention { years: i32 },
    /// Its petitioner's erasure request (this case) was granted.
    Erasure { request_case_id: i64 },
}

/// Anonymises `case` inside the caller's transaction (see the module's documentation). Returns
/// the storage keys of its removed attachments, for the caller to delete once committed; `None`
/// when the case was already anonymised (by another run).
pub async fn anonymise_in<C: audit::Connection>(
    db: &C,
    case: &pc::Model,
    why: Why,
    actor: Option<(i64, &str)>,
    now: DateTime<Utc>,
) -> Result<Option<Vec<String>>, AppError> {
    let search_text = super::search::case_text(&case.registration_number, MARKER, MARKER, MARKER);
    // Taking the case first: a second run finds nothing to take.
    let taken = pc::Entity::update_many()
        .col_expr(pc::Column::AnonymisedAt, Expr::value(Some(now)))
        .col_expr(pc::Column::PetitionerId, Expr::value(Option::<i64>::None))
        .col_expr(pc::Column::PetitionerName, Expr::value(MARKER))
        .col_expr(
            pc::Column::PetitionerEmail,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            pc::Column::PetitionerAddress,
            Expr::value(Option::<String>::None),
        )
        .col_expr(pc::Column::Subject, Expr::value(MARKER))
        .col_expr(pc::Column::Body, Expr::value(MARKER))
        .col_expr(pc::Column::Address, Expr::value(Option::<String>::None))
        .col_expr(
            pc::Column::ExtraFields,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .col_expr(
            pc::Column::DecisionNumber,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            pc::Column::RatingComment,
            Expr::value(Option::<String>::None),
        )
        .col_expr(pc::Column::SearchText, Expr::value(Some(search_text)))
        .col_expr(pc::Column::Version, Expr::col(pc::Column::Version).add(1))
        .filter(pc::Column::Id.eq(case.id))
        .filter(pc::Column::AnonymisedAt.is_null())
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }

    // The history: notes, reasons and answers become the marker (the steps, their dates and
    // outcomes stay).
    let mut events = 0u64;
    for e in case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case.id))
        .all(db)
        .await?
    {
        let note = e.note.as_ref().map(|_| MARKER.to_string());
        let data = e.data.clone().map(|mut d| {
            if let Some(o) = d.as_object_mut() {
                for key in ["reason", "answer", "note"] {
                    if o.get(key).is_some_and(|v| !v.is_null()) {
                        o.insert(key.into(), MARKER.into());
                    }
                }
            }
            d
        });
        if note != e.note || data != e.data {
            let mut a: case_event::ActiveModel = e.into();
            a.note = Set(note);
            a.data = Set(data);
            a.update(db).await?;
            events += 1;
        }
    }
    let notes = case_note::Entity::update_many()
        .col_expr(case_note::Column::Body, Expr::value(MARKER))
        .filter(case_note::Column::CaseId.eq(case.id))
        .exec(db)
        .await?
        .rows_affected;
    // Mails: a mail not yet sent is not sent any more.
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value("dead"))
        .filter(mail_outbox::Column::CaseId.eq(case.id))
        .filter(mail_outbox::Column::Status.is_in(["pending", "sending"]))
        .exec(db)
        .await?;
    let mails = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::ToAddr, Expr::value(MARKER))
        .col_expr(mail_outbox::Column::Subject, Expr::value(MARKER))
        .col_expr(mail_outbox::Column::BodyText, Expr::value(MARKER))
        .col_expr(
            mail_outbox::Column::BodyHtml,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mail_outbox::Column::SmtpResponse,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mail_outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(mail_outbox::Column::CaseId.eq(case.id))
        .exec(db)
        .await?
        .rows_affected;
    staff_digest_item::Entity::update_many()
        .col_expr(staff_digest_item::Column::Summary, Expr::value(MARKER))
        .filter(staff_digest_item::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    open311_request::Entity::update_many()
        .col_expr(
            open311_request::Column::Lat,
            Expr::value(Option::<f64>::None),
        )
        .col_expr(
            open311_request::Column::Long,
            Expr::value(Option::<f64>::None),
        )
        .col_expr(
            open311_request::Column::AddressId,
            Expr::value(Option::<String>::None),
        )
        .filter(open311_request::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    let unpublished = case_publication::Entity::delete_many()
        .filter(case_publication::Column::CaseId.eq(case.id))
        .exec(db)
        .await?
        .rows_affected;
    // The filing as it waited for confirmation, and the tracking links (they hold the address).
    pending_filing::Entity::delete_many()
        .filter(pending_filing::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    auth_token::Entity::delete_many()
        .filter(auth_token::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    let keys: Vec<String> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::StorageKey)
        .filter(attachment::Column::CaseId.eq(case.id))
        .into_tuple()
        .all(db)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::CaseId.eq(case.id))
        .exec(db)
        .await?;
    let details = match why {
        Why::Retention { years } => serde_json::json!({ "reason": "retention", "years": years }),
        Why::Erasure { request_case_id } => {
            serde_json::json!({ "reason": "erasure", "request_case_id": request_case_id })
        }
    };
    let mut details = details;
    details["events"] = events.into();
    details["notes"] = notes.into();
    details["mails"] = mails.into();
    details["attachments"] = keys.len().into();
    details["unpublished"] = (unpublished > 0).into();
    let entry = audit::Entry::new(ACTION)
        .case(case.id, case.institution_id)
        .details(details);
    let entry = match actor {
        Some((id, role)) => entry.by(Some(id), role),
        None => entry,
    };
    audit::record(db, entry, now).await?;
    Ok(Some(keys))
}

/// Deletes the files of anonymised attachments (after the commit; a failure is logged and the
/// file left for an administrator, the rows being gone already).
pub async fn remove_files(store: &Store, keys: Vec<String>) -> u64 {
    let n = keys.len() as u64;
    let stored: Vec<Stored> = keys
        .into_iter()
        .map(|storage_key| Stored {
            file_name: String::new(),
            content_type: String::new(),
            size: 0,
            sha256: String::new(),
            storage_key,
        })
        .collect();
    store.remove(&stored).await;
    n
}

/// One run of the job: at every institution, for every kind, the cases closed longer ago than
/// its period and not yet anonymised, at most `limit` in all, each in its own transaction.
/// `dry_run` only lists them.
pub async fn run(
    db: &DatabaseConnection,
    store: &Store,
    now: DateTime<Utc>,
    limit: u64,
    dry_run: bool,
) -> Result<RetentionReport, AppError> {
    let mut report = RetentionReport {
        dry_run,
        ..Default::default()
    };
    let institutions: Vec<i64> = institution::Entity::find()
        .select_only()
        .column(institution::Column::Id)
        .order_by_asc(institution::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for inst in institutions {
        let rows = rows_of(db, inst).await?;
        // The kinds with a period of their own, then every other kind with the institution's.
        let own: Vec<String> = rows
            .iter()
            .filter(|r| r.case_kind != ANY_KIND)
            .map(|r| r.case_kind.clone())
            .collect();
        let mut groups: Vec<(Condition, i32)> = rows
            .iter()
            .filter(|r| r.case_kind != ANY_KIND)
            .map(|r| {
                (
                    Condition::all().add(pc::Column::Kind.eq(r.case_kind.as_str())),
                    r.years,
                )
            })
            .collect();
        let rest = if own.is_empty() {
            Condition::all()
        } else {
            Condition::all().add(pc::Column::Kind.is_not_in(own))
        };
        groups.push((rest, years_in(&rows, ANY_KIND)));
        for (kinds, years) in groups {
            let before = cutoff(now, years);
            let mut after_id = 0i64;
            loop {
                let room = limit.saturating_sub(report.anonymised.len() as u64);
                if room == 0 {
                    report.more = true;
                    return Ok(report);
                }
                let batch = pc::Entity::find()
                    .filter(pc::Column::InstitutionId.eq(inst))
                    .filter(pc::Column::AnonymisedAt.is_null())
                    .filter(pc::Column::ClosedAt.lt(before))
                    .filter(pc::Column::Id.gt(after_id))
                    .filter(kinds.clone())
                    .order_by_asc(pc::Column::Id)
                    .limit(std::cmp::min(room, 50))
                    .all(db)
                    .await?;
                let Some(last) = batch.last().map(|c| c.id) else {
                    break;
                };
                after_id = last;
                for case in batch {
                    if dry_run {
                        report.anonymised.push(case.registration_number);
                        continue;
                    }
                    let txn = db.begin().await?;
                    let keys =
                        anonymise_in(&txn, &case, Why::Retention { years }, None, now).await?;
                    txn.commit().await?;
                    if let Some(keys) = keys {
                        report.files_removed += remove_files(store, keys).await;
                        report.anonymised.push(case.registration_number);
                    }
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_kinds_own_period_wins_over_the_institutions_and_the_default() {
        let row = |kind: &str, years| rp::Model {
            id: 1,
            institution_id: 1,
            case_kind: kind.into(),
            years,
            updated_by: None,
            updated_at: Utc::now(),
        };
        assert_eq!(years_in(&[], "petition"), DEFAULT_YEARS);
        let rows = [row("*", 10), row("complaint", 3)];
        assert_eq!(years_in(&rows, "petition"), 10);
        assert_eq!(years_in(&rows, "complaint"), 3);
    }

    #[test]
    fn periods_count_whole_years_from_the_closing() {
        let closed = Utc.with_ymd_and_hms(2020, 2, 29, 10, 0, 0).unwrap();
        assert_eq!(
            kept_until(closed, 5),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        assert_eq!(
            cutoff(now, 5),
            Utc.with_ymd_and_hms(2021, 6, 1, 0, 0, 0).unwrap()
        );
    }
}
