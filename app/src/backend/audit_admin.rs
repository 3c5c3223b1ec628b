//! The audit trail for administrators: filtered by case, actor, action and days, newest first
//! with keyset pages (`before` an id), and as CSV. A global administrator sees every chain; an
//! institution's administrator their institution's (and the portal's, when they administer
//! the portal's own institution, like the installation-wide settings); anyone else nothing.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveTime};
use sea_orm::sea_query::{Condition, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::audit::PORTAL;
use super::auth::Principal;
use super::auth::access::require_account;
use super::clock::{local_moment, time_zone};
use super::entity::{audit_record as ar, petition_case, user};
use super::exports::safe;
use crate::model::audit::{AuditFilter, AuditPage, AuditRow};
use crate::model::{AppError, FieldErrors};

pub const PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 500;
/// Rows read and written at a time by the CSV export.
pub const CSV_BATCH: u64 = 1_000;

/// The chains `principal` may read (`None`: all), or `Forbidden`.
async fn chains<C: ConnectionTrait>(
    db: &C,
    principal: Option<&Principal>,
) -> Result<Option<Vec<i64>>, AppError> {
    let account = require_account(principal)?;
    if account.is_global_admin() {
        return Ok(None);
    }
    let mut chains: Vec<i64> = account
        .grants
        .iter()
        .filter(|g| g.role == crate::model::account::Role::Admin)
        .filter_map(|g| g.institution_id)
        .collect();
    if chains.is_empty() {
        return Err(AppError::Forbidden);
    }
    let home = super::portal::home_institution(db).await?;
    if account.administers(home.id) {
        chains.push(PORTAL);
    }
    Ok(Some(chains))
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The records `filter` selects among those `principal` may read, and the page size.
pub async fn selection(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &AuditFilter,
) -> Result<(Condition, u64), AppError> {
    let visible = chains(db, principal).await?;
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, code: &str| {
        errors.entry(field.into()).or_default().push(code.into());
    };
    let mut cond = Condition::all();
    if let Some(v) = &visible {
        cond = cond.add(ar::Column::InstitutionId.is_in(v.clone()));
    }
    if let Some(s) = blank(&filter.institution_id) {
        match s.parse::<i64>() {
            Ok(id) if visible.as_ref().is_none_or(|v| v.contains(&id)) => {
                cond = cond.add(ar::Column::InstitutionId.eq(id));
            }
            // Another institution's trail is not theirs to read.
            Ok(_) => return Err(AppError::Forbidden),
            Err(_) => fail("institution_id", "choice_invalid"),
        }
    }
    if let Some(s) = blank(&filter.case_id) {
        match s.parse::<i64>() {
            Ok(id) => cond = cond.add(ar::Column::CaseId.eq(id)),
            Err(_) => {
                // A registration number.
                let id = petition_case::Entity::find()
                    .select_only()
                    .column(petition_case::Column::Id)
                    .filter(petition_case::Column::RegistrationNumber.eq(s.to_uppercase()))
                    .into_tuple::<i64>()
                    .one(db)
                    .await?;
                cond = cond.add(ar::Column::CaseId.eq(id.unwrap_or(-1)));
            }
        }
    }
    if let Some(s) = blank(&filter.actor_id) {
        match s.parse::<i64>() {
            Ok(id) => cond = cond.add(ar::Column::ActorId.eq(id)),
            Err(_) => {
                let email = super::auth::accounts::normalize_email(s);
                let id = user::Entity::find()
                    .select_only()
                    .column(user::Column::Id)
                    .filter(user::Column::Email.eq(email))
                    .into_tuple::<i64>()
                    .one(db)
                    .await?;
                cond = cond.add(ar::Column::ActorId.eq(id.unwrap_or(-1)));
            }
        }
    }
    if let Some(s) = blank(&filter.action) {
        let well_formed = s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._*".contains(c));
        match s.strip_suffix('*') {
            _ if !well_formed => fail("action", "choice_invalid"),
            Some(prefix) if !prefix.contains('*') => {
                // `_` is a LIKE wildcard: escaped.
                let pattern = format!("{}%", prefix.replace('_', "\\_"));
                cond = cond.add(ar::Column::Action.like(LikeExpr::new(pattern).escape('\\')));
            }
            Some(_) => fail("action", "choice_invalid"),
            None if s.contains('*') => fail("action", "choice_invalid"),
            None => cond = cond.add(ar::Column::Action.eq(s)),
        }
    }
    let mut date = |field: &str, v: &Option<String>| match blank(v) {
        None => None,
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| fail(field, "date_invalid"))
            .ok(),
    };
    let from = date("from", &filter.from);
    let to = date("to", &filter.to);
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        fail("to", "date_order");
    }
    let mut int = |field: &str, v: &Option<String>| match blank(v) {
        None => None,
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| fail(field, "choice_invalid"))
            .ok(),
    };
    let before = int("before", &filter.before);
    let limit = int("limit", &filter.limit);
    if limit.is_some_and(|l| !(1..=MAX_PER_PAGE as i64).contains(&l)) {
        fail("limit", "page_range");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "invalid filters".into(),
            fields: errors,
        });
    }
    if from.is_some() || to.is_some() {
        let tz = time_zone(&super::portal::home_institution(db).await?.timezone);
        if let Some(d) = from {
            cond = cond.add(ar::Column::At.gte(local_moment(d, NaiveTime::MIN, tz)));
        }
        if let Some(d) = to {
            let next = d + Duration::days(1);
            cond = cond.add(ar::Column::At.lt(local_moment(next, NaiveTime::MIN, tz)));
        }
    }
    if let Some(b) = before {
        cond = cond.add(ar::Column::Id.lt(b));
    }
    Ok((cond, limit.map_or(PER_PAGE, |l| l as u64)))
}

/// The names and registration numbers the rows of a page name.
struct Names {
    users: HashMap<i64, String>,
    cases: HashMap<i64, String>,
}

async fn names(db: &DatabaseConnection, rows: &[ar::Model]) -> Result<Names, AppError> {
    let user_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    let case_ids: Vec<i64> = rows.iter().filter_map(|r| r.case_id).collect();
    let users = if user_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::FullName)
            .filter(user::Column::Id.is_in(user_ids))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let cases = if case_ids.is_empty() {
        HashMap::new()
    } else {
        petition_case::Entity::find()
            .select_only()
            .column(petition_case::Column::Id)
            .column(petition_case::Column::RegistrationNumber)
            .filter(petition_case::Column::Id.is_in(case_ids))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(Names { users, cases })
}

fn row_view(r: ar::Model, names: &Names) -> AuditRow {
    AuditRow {
        id: r.id,
        institution_id: (r.institution_id != PORTAL).then_some(r.institution_id),
        seq: r.seq,
        at: r.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        actor_name: r.actor_id.and_then(|id| names.users.get(&id).cloned()),
        actor_id: r.actor_id,
        actor_role: r.actor_role,
        action: r.action,
        registration_number: r.case_id.and_then(|id| names.cases.get(&id).cloned()),
        case_id: r.case_id,
        target_type: r.target_type,
        target_id: r.target_id,
        details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::String(r.details)),
        ip: r.ip,
        prev_hash: r.prev_hash,
        hash: r.hash,
    }
}

/// A page of the trail, newest first.
pub async fn page(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &AuditFilter,
) -> Result<AuditPage, AppError> {
    let (cond, limit) = selection(db, principal, filter).await?;
    let mut rows = ar::Entity::find()
        .filter(cond)
        .order_by_desc(ar::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_before = more.then(|| rows.last().map(|r| r.id)).flatten();
    let names = names(db, &rows).await?;
    Ok(AuditPage {
        items: rows.into_iter().map(|r| row_view(r, &names)).collect(),
        next_before,
    })
}

pub const CSV_COLUMNS: [&str; 16] = [
    "id",
    "institution_id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "action",
    "case_id",
    "registration_number",
    "target_type",
    "target_id",
    "details",
    "ip",
    "prev_hash",
    "hash",
];

fn write_rows(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(r.iter().map(|c| safe(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// The header line of the CSV.
pub fn csv_header() -> Vec<u8> {
    write_rows(&[CSV_COLUMNS.map(String::from).to_vec()])
}

/// The next CSV batch of the selection, newest first, older than `before` (`None`: from the
/// newest); and the last id written (`None`: nothing left). Formulas are neutralised as in
/// every export.
pub async fn csv_batch(
    db: &DatabaseConnection,
    cond: &Condition,
    before: Option<i64>,
) -> Result<(Vec<u8>, Option<i64>), AppError> {
    let mut q = ar::Entity::find().filter(cond.clone());
    if let Some(b) = before {
        q = q.filter(ar::Column::Id.lt(b));
    }
    let rows = q
        .order_by_desc(ar::Column::Id)
        .limit(CSV_BATCH)
        .all(db)
        .await?;
    let Some(last) = rows.last().map(|r| r.id) else {
        return Ok((Vec::new(), None));
    };
    let names = names(db, &rows).await?;
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                // The chain as stored (0: the portal's), so that a copy can be re-verified.
                r.institution_id.to_string(),
                r.seq.to_string(),
                r.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                opt(r.actor_id),
                r.actor_id
                    .and_then(|id| names.users.get(&id).cloned())
                    .unwrap_or_default(),
                r.actor_role,
                r.action,
                opt(r.case_id),
                r.case_id
                    .and_then(|id| names.cases.get(&id).cloned())
                    .unwrap_or_default(),
                r.target_type.unwrap_or_default(),
                r.target_id.unwrap_or_default(),
                r.details,
                r.ip.unwrap_or_default(),
                r.prev_hash,
                r.hash,
            ]
        })
        .collect();
    Ok((write_rows(&lines), Some(last)))
}
