//! CSV exports: the indicators of a period (small, in one piece) and the case list a queue
//! filter selects (any size: read in batches of [`BATCH`] by id, each batch written and sent
//! before the next is read, so memory stays flat at 1,000,000 rows). Every cell that a
//! spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! prefixed with `'`.

use std::borrow::Cow;
use std::collections::HashMap;

use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::auth::Principal;
use super::entity::{department, petition_case as pc, user};
use super::portal::localized;
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::metrics::Indicators;
use crate::model::queue::QueueFilter;

/// Rows read and written at a time.
pub const BATCH: u64 = 1_000;

/// A cell as a spreadsheet will not run it.
pub fn safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn write_rows(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(r.iter().map(|c| safe(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// The indicators as CSV: `indicator,value` rows, then one row per department and officer.
pub fn indicators_csv(m: &Indicators) -> Vec<u8> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let pct = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = vec![vec!["indicator".into(), "value".into()]];
    for (k, v) in [
        ("from", m.from.clone()),
        ("to", m.to.clone()),
        ("computed_at", m.computed_at.clone()),
        ("received", m.received.to_string()),
        ("answered", m.answered.to_string()),
        ("answered_on_time", m.answered_on_time.to_string()),
        ("answered_late", m.answered_late.to_string()),
        ("on_time_rate_percent", pct(m.on_time_rate)),
        ("satisfied", m.satisfied.to_string()),
        ("satisfied_rate_percent", pct(m.satisfied_rate)),
        ("forwarded", m.forwarded.to_string()),
        ("dismissed", m.dismissed.to_string()),
        ("withdrawn", m.withdrawn.to_string()),
        ("waiting_now", m.open_now.to_string()),
        ("overdue_now", m.overdue_open.to_string()),
        ("response_sample", m.response.sample.to_string()),
        ("median_response_days", opt(m.response.median_days)),
        ("p90_response_days", opt(m.response.p90_days)),
        (
            "median_response_working_days",
            opt(m.response.median_working_days),
        ),
        (
            "p90_response_working_days",
            opt(m.response.p90_working_days),
        ),
        ("ratings", m.satisfaction.rated.to_string()),
        ("mean_rating", pct(m.satisfaction.mean)),
    ] {
        rows.push(vec![k.into(), v]);
    }
    rows.push(vec![]);
    rows.push(
        [
            "group",
            "id",
            "name",
            "received",
            "answered",
            "on_time",
            "late",
            "waiting",
            "overdue",
            "sample",
            "median_days",
        ]
        .map(String::from)
        .to_vec(),
    );
    for (group, list) in [("department", &m.by_department), ("officer", &m.by_officer)] {
        for r in list {
            rows.push(vec![
                group.into(),
                r.id.to_string(),
                r.name.clone(),
                r.received.to_string(),
                r.answered.to_string(),
                r.answered_on_time.to_string(),
                r.answered_late.to_string(),
                r.open.to_string(),
                r.overdue_open.to_string(),
                r.sample.to_string(),
                opt(r.median_response_days),
            ]);
        }
    }
    write_rows(&rows)
}

/// The public statistics as open data: one row per institution, then one per institution and
/// service.
pub fn public_csv(list: &[crate::model::metrics::PublicStatistics]) -> Vec<u8> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "institution_id",
            "institution",
            "from",
            "to",
            "received",
            "answered",
            "answered_on_time",
            "answered_late",
            "satisfied",
            "forwarded",
            "dismissed",
            "withdrawn",
            "waiting_now",
            "overdue_now",
            "response_sample",
            "median_response_days",
            "p90_response_days",
            "ratings",
            "mean_rating",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for p in list {
        let m = &p.indicators;
        rows.push(vec![
            p.institution_id.to_string(),
            p.institution.clone(),
            m.from.clone(),
            m.to.clone(),
            m.received.to_string(),
            m.answered.to_string(),
            m.answered_on_time.to_string(),
            m.answered_late.to_string(),
            m.satisfied.to_string(),
            m.forwarded.to_string(),
            m.dismissed.to_string(),
            m.withdrawn.to_string(),
            m.open_now.to_string(),
            m.overdue_open.to_string(),
            m.response.sample.to_string(),
            opt(m.response.median_days),
            opt(m.response.p90_days),
            m.satisfaction.rated.to_string(),
            m.satisfaction
                .mean
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
        ]);
    }
    rows.push(vec![]);
    rows.push(
        [
            "institution_id",
            "service_id",
            "service",
            "received",
            "answered",
            "answered_late",
            "response_sample",
            "median_response_days",
        ]
        .map(String::from)
        .to_vec(),
    );
    for p in list {
        for r in &p.indicators.by_service {
            rows.push(vec![
                p.institution_id.to_string(),
                r.id.to_string(),
                r.name.clone(),
                r.received.to_string(),
                r.answered.to_string(),
                r.answered_late.to_string(),
                r.sample.to_string(),
                opt(r.median_response_days),
            ]);
        }
    }
    write_rows(&rows)
}

/// The cases a staff member's queue filter selects, and how many (for the progress shown
/// before a download).
pub async fn case_selection(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &QueueFilter,
    today: chrono::NaiveDate,
) -> Result<(Condition, u64), AppError> {
    let (_, cond) = super::queues::condition(db, principal, filter, today).await?;
    let n = pc::Entity::find().filter(cond.clone()).count(db).await?;
    Ok((cond, n))
}

pub const CASE_COLUMNS: [&str; 16] = [
    "registration_number",
    "kind",
    "channel",
    "status",
    "subject",
    "department",
    "assignee",
    "filed_at",
    "answer_due",
    "overdue",
    "answered_at",
    "answered_late",
    "outcome",
    "response_days",
    "response_working_days",
    "closed_at",
];

/// The header line of the case list.
pub fn case_header() -> Vec<u8> {
    write_rows(&[CASE_COLUMNS.map(String::from).to_vec()])
}

/// The next batch after case id `after` (ids ascending), as CSV lines, and the last id in it
/// (`None`: nothing left).
pub async fn case_batch(
    db: &DatabaseConnection,
    cond: &Condition,
    after: i64,
    lang: Lang,
) -> Result<(Vec<u8>, Option<i64>), AppError> {
    let rows = pc::Entity::find()
        .filter(cond.clone())
        .filter(pc::Column::Id.gt(after))
        .order_by_asc(pc::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let Some(last) = rows.last().map(|r| r.id) else {
        return Ok((Vec::new(), None));
    };
    let dep_ids: Vec<i64> = rows.iter().filter_map(|r| r.department_id).collect();
    let departments: HashMap<i64, String> = department::Entity::find()
        .filter(department::Column::Id.is_in(dep_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            (
                d.id,
                localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
            )
        })
        .collect();
    let user_ids: Vec<i64> = rows.iter().filter_map(|r| r.assignee_id).collect();
    let users: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    let name = |m: &HashMap<i64, String>, id: Option<i64>| {
        id.and_then(|i| m.get(&i).cloned()).unwrap_or_default()
    };
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|c| {
            vec![
                c.registration_number,
                c.kind,
                c.channel,
                c.status,
                c.subject,
                name(&departments, c.department_id),
                name(&users, c.assignee_id),
                c.filed_at.to_rfc3339(),
                c.answer_due.map(|d| d.to_string()).unwrap_or_default(),
                c.overdue.to_string(),
                c.answered_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
                c.answered_late.map(|b| b.to_string()).unwrap_or_default(),
                c.outcome.unwrap_or_default(),
                c.response_days.map(|d| d.to_string()).unwrap_or_default(),
                c.response_working_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                c.closed_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
            ]
        })
        .collect();
    Ok((write_rows(&lines), Some(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_escaped() {
        assert_eq!(safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(safe("-2+3"), "'-2+3");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("Cantina"), "Cantina");
        let out = String::from_utf8(write_rows(&[vec![
            "a \"quoted\", text".into(),
            "+1".into(),
        ]]))
        .unwrap();
        assert_eq!(out, "\"a \"\"quoted\"\", text\",'+1\n");
    }
}
