//! The staff queues: the cases of the asker's scope ([`auth::case_scope`]) that are still open,
//! filtered as [`QueueFilter`] says and ordered so that no term can be missed: overdue first,
//! then by answer term (soonest first), cases without a term last. Served by the indexes
//! `ix_case_{department,assignee,institution}_queue (…, status, answer_due)`; words are
//! searched in the folded `search_text` ([`search`]).

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Expr, NullOrdering};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};

use super::auth::{self, Principal};
use super::cases::summary;
use super::entity::{department, petition_case};
use super::search;
use crate::i18n::Lang;
use crate::model::case::CasePage;
use crate::model::queue::{DUE_WITHIN_MAX, QueueFilter, QueueLine, QueueLines};
use crate::model::{AppError, FieldErrors};

pub const PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 100;
/// Pages deeper than this are refused (narrow the filters instead): offsets stay cheap.
pub const MAX_PAGE: u64 = 200;

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filters, checked: every problem at once (field → code).
pub(crate) struct Checked {
    view: String,
    status: Option<String>,
    kind: Option<String>,
    category_id: Option<i64>,
    service_id: Option<i64>,
    department_id: Option<i64>,
    overdue: bool,
    due_within: Option<i64>,
    filed_from: Option<NaiveDate>,
    filed_to: Option<NaiveDate>,
    assignee_id: Option<i64>,
    channel: Option<String>,
    answered_from: Option<NaiveDate>,
    answered_to: Option<NaiveDate>,
    closed_from: Option<NaiveDate>,
    closed_to: Option<NaiveDate>,
    late: Option<bool>,
    satisfied: bool,
    q: Option<String>,
    page: u64,
    per_page: u64,
}

fn check(f: &QueueFilter) -> Result<Checked, AppError> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, code: &str| {
        errors.entry(field.into()).or_default().push(code.into());
    };
    let mut int = |field: &str, v: &Option<String>| match blank(v) {
        None => None,
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| fail(field, "choice_invalid"))
            .ok(),
    };
    let category_id = int("category_id", &f.category_id);
    let service_id = int("service_id", &f.service_id);
    let department_id = int("department_id", &f.department_id);
    let due_within = int("due_within", &f.due_within);
    let page = int("page", &f.page);
    let per_page = int("per_page", &f.per_page);
    let assignee_id = int("assignee_id", &f.assignee_id);
    let mut date = |field: &str, v: &Option<String>| match blank(v) {
        None => None,
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| fail(field, "date_invalid"))
            .ok(),
    };
    let filed_from = date("filed_from", &f.filed_from);
    let filed_to = date("filed_to", &f.filed_to);
    let answered_from = date("answered_from", &f.answered_from);
    let answered_to = date("answered_to", &f.answered_to);
    let closed_from = date("closed_from", &f.closed_from);
    let closed_to = date("closed_to", &f.closed_to);
    let late = match blank(&f.late) {
        None => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(_) => {
            fail("late", "choice_invalid");
            None
        }
    };
    let satisfied = match blank(&f.outcome) {
        None => false,
        Some("satisfied") => true,
        Some(_) => {
            fail("outcome", "choice_invalid");
            false
        }
    };
    let view = match (blank(&f.view), blank(&f.assignee)) {
        (_, Some("me")) | (Some("mine"), _) => "mine",
        (Some("unassigned"), _) => "unassigned",
        (None | Some("all"), _) => "all",
        _ => {
            fail("view", "choice_invalid");
            "all"
        }
    };
    if due_within.is_some_and(|d| !(0..=DUE_WITHIN_MAX).contains(&d)) {
        fail("due_within", "due_within_range");
    }
    if page.is_some_and(|p| !(1..=MAX_PAGE as i64).contains(&p)) {
        fail("page", "page_range");
    }
    if let (Some(a), Some(b)) = (filed_from, filed_to)
        && a > b
    {
        fail("filed_to", "date_order");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "invalid filters".into(),
            fields: errors,
        });
    }
    Ok(Checked {
        view: view.into(),
        status: blank(&f.status).map(str::to_string),
        kind: blank(&f.kind).map(str::to_string),
        category_id,
        service_id,
        department_id,
        overdue: matches!(blank(&f.overdue), Some("on" | "true" | "1")),
        due_within,
        filed_from,
        filed_to,
        assignee_id,
        channel: blank(&f.channel).map(str::to_string),
        answered_from,
        answered_to,
        closed_from,
        closed_to,
        late,
        satisfied,
        q: blank(&f.q).map(str::to_string),
        page: page.unwrap_or(1) as u64,
        per_page: per_page.map_or(PER_PAGE, |p| (p.clamp(1, MAX_PER_PAGE as i64)) as u64),
    })
}

// Counting stops at COUNT_CAP: "more than 1,000" is all a queue needs to say, and counting
// further on every page would cost more than the page (an index-only scan of 1,001 entries
// is ≈ 0.3 ms; of 10,001, ≈ 10 ms). Whether another page follows is known from the page.
use crate::model::queue::COUNT_CAP;

/// The number of rows `select` finds, up to [`COUNT_CAP`] + 1.
async fn capped_count(
    db: &DatabaseConnection,
    select: &sea_orm::Select<petition_case::Entity>,
) -> Result<u64, AppError> {
    let ids = select
        .clone()
        .select_only()
        .column(petition_case::Column::Id)
        .build(db.get_database_backend());
    let ids = with_limit(ids, COUNT_CAP + 1, 0);
    let sql = format!("SELECT COUNT(*) AS n FROM ({}) AS capped", ids.sql);
    let stmt = sea_orm::Statement { sql, ..ids };
    let n: i64 = match db.query_one_raw(stmt).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(n as u64)
}

/// `stmt` with its LIMIT and OFFSET written as numbers. As parameters (sea-query's way) they
/// made PostgreSQL plan the statement anew on every execution (0.24–0.45 ms of its CPU per
/// queue page at 1,000,000 cases, `bench/results/2026-11-27e-queue.md`); as numbers, the
/// prepared statement keeps one plan. Both are the server's own integers, never the asker's.
fn with_limit(mut stmt: sea_orm::Statement, limit: u64, offset: u64) -> sea_orm::Statement {
    use std::fmt::Write;
    let _ = write!(stmt.sql, " LIMIT {limit} OFFSET {offset}");
    stmt
}

/// One page of a queue, as the JSON API lists it. Staff only (a citizen's list is "my cases").
pub async fn queue(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &QueueFilter,
    today: NaiveDate,
    lang: Lang,
) -> Result<CasePage, AppError> {
    let (f, cond) = condition(db, principal, filter, today).await?;
    let rows = page::<super::cases::ListRow>(db, &f, cond).await?;
    let mut items = Vec::with_capacity(rows.rows.len());
    for c in rows.rows {
        items.push(summary(db, c, lang, today, true).await?);
    }
    Ok(CasePage {
        items,
        total: rows.total,
        page: f.page,
        per_page: f.per_page,
        has_next: rows.has_next,
    })
}

/// What a line of the queue page shows of a case (and what its state's name is looked up by).
#[derive(Clone, Debug, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "petition_case::Entity")]
struct LineRow {
    id: i64,
    status: String,
    workflow_name: String,
    workflow_version: i32,
    registration_number: String,
    petitioner_name: String,
    subject: String,
    answer_due: Option<NaiveDate>,
    overdue: bool,
}

/// One page of a queue, as the queue page shows it: the same cases in the same order as
/// [`queue`], with only the columns the page's table shows.
pub async fn queue_lines(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &QueueFilter,
    today: NaiveDate,
    lang: Lang,
) -> Result<QueueLines, AppError> {
    let (f, cond) = condition(db, principal, filter, today).await?;
    let rows = page::<LineRow>(db, &f, cond).await?;
    let mut items = Vec::with_capacity(rows.rows.len());
    for r in rows.rows {
        let def = super::definitions::get(db, &r.workflow_name, r.workflow_version).await?;
        items.push(QueueLine {
            id: r.id,
            status_label: def.state_label(&r.status, lang.code()),
            registration_number: r.registration_number,
            subject: r.subject,
            petitioner_name: r.petitioner_name,
            answer_due: r.answer_due.map(|d| d.to_string()),
            days_left: r.answer_due.map(|d| (d - today).num_days()),
            overdue: r.overdue,
        });
    }
    Ok(QueueLines {
        items,
        total: rows.total,
        page: f.page,
        per_page: f.per_page,
        has_next: rows.has_next,
    })
}

/// The cases a staff member's `filter` selects (within their scope), and the checked filter.
pub(crate) async fn condition(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &QueueFilter,
    today: NaiveDate,
) -> Result<(Checked, Condition), AppError> {
    let account = auth::access::require_account(principal)?;
    if !account.is_staff() {
        return Err(AppError::Forbidden);
    }
    let f = check(filter)?;
    let mut cond = Condition::all();
    match f.department_id {
        // One department: its cases, if the asker's grants cover it; none otherwise (a case
        // is in its department's institution). "The grants cover the department" is a
        // subquery the database answers once per statement, so the query walks that
        // department's index alone, and the count reads the index only. (Naming the
        // institution instead, PostgreSQL may walk the institution's index and skip most of
        // it; naming it as an alternative, the count must read 1,000 cases from the table.)
        Some(d) => {
            let covered = sea_orm::sea_query::Query::select()
                .expr(Expr::val(1))
                .from(department::Entity)
                .and_where(department::Column::Id.eq(d))
                .cond_where(auth::access::departments_covered(account))
                .to_owned();
            cond = cond
                .add(petition_case::Column::DepartmentId.eq(d))
                .add(Expr::exists(covered));
        }
        None => cond = cond.add(auth::access::staff_scope(account)),
    }
    match f.status.as_deref() {
        Some("all") => {}
        Some("waiting") => {
            cond = cond
                .add(petition_case::Column::ClosedAt.is_null())
                .add(petition_case::Column::AnsweredAt.is_null())
        }
        Some(status) => cond = cond.add(petition_case::Column::Status.eq(status)),
        // Without a status: the open cases.
        None => cond = cond.add(petition_case::Column::ClosedAt.is_null()),
    }
    if let Some(id) = f.assignee_id {
        cond = cond.add(petition_case::Column::AssigneeId.eq(id));
    }
    if let Some(channel) = &f.channel {
        cond = cond.add(petition_case::Column::Channel.eq(channel.as_str()));
    }
    if let Some(late) = f.late {
        cond = cond.add(petition_case::Column::AnsweredLate.eq(late));
    }
    if f.satisfied {
        cond = cond.add(petition_case::Column::Outcome.is_in(["admitted", "partly_admitted"]));
    }
    match f.view.as_str() {
        "mine" => cond = cond.add(petition_case::Column::AssigneeId.eq(account.user_id)),
        "unassigned" => {
            cond = cond.add(petition_case::Column::AssigneeId.is_null());
            let departments: Vec<i64> = account
                .grants
                .iter()
                .filter_map(|g| g.department_id)
                .collect();
            if !departments.is_empty() {
                cond = cond.add(petition_case::Column::DepartmentId.is_in(departments));
            }
        }
        _ => {}
    }
    if let Some(kind) = &f.kind {
        cond = cond.add(petition_case::Column::Kind.eq(kind.as_str()));
    }
    if let Some(id) = f.category_id {
        cond = cond.add(petition_case::Column::CategoryId.eq(id));
    }
    if let Some(id) = f.service_id {
        cond = cond.add(petition_case::Column::ServiceId.eq(id));
    }
    if f.overdue {
        // The flag the deadline ticker sets the day after the last day (at local midnight):
        // one indexed column, where "flag or term < today" could use no index.
        cond = cond.add(petition_case::Column::Overdue.eq(true));
    }
    if let Some(days) = f.due_within {
        cond = cond.add(petition_case::Column::AnswerDue.lte(today + Duration::days(days)));
    }
    // Days are the institution's local days (as the indicators count them).
    let ranges = [
        (petition_case::Column::FiledAt, f.filed_from, f.filed_to),
        (
            petition_case::Column::AnsweredAt,
            f.answered_from,
            f.answered_to,
        ),
        (petition_case::Column::ClosedAt, f.closed_from, f.closed_to),
    ];
    if ranges.iter().any(|(_, a, b)| a.is_some() || b.is_some()) {
        let tz = super::clock::time_zone(&super::portal::home_institution(db).await?.timezone);
        let start = |d: NaiveDate| super::clock::local_moment(d, chrono::NaiveTime::MIN, tz);
        for (col, from, to) in ranges {
            if let Some(from) = from {
                cond = cond.add(col.gte(start(from)));
            }
            if let Some(to) = to {
                cond = cond.add(col.lt(start(to + Duration::days(1))));
            }
        }
    }
    if let Some(q) = &f.q {
        cond = cond.add(search::condition(q));
    }
    Ok((f, cond))
}

/// One page of the cases a queue's condition selects, as rows `R`.
struct Rows<R> {
    rows: Vec<R>,
    total: u64,
    has_next: bool,
}

/// One page of the cases `cond` selects, in queue order.
async fn page<R>(db: &DatabaseConnection, f: &Checked, cond: Condition) -> Result<Rows<R>, AppError>
where
    R: sea_orm::PartialModelTrait + Send + Sync,
{
    let select = petition_case::Entity::find().filter(cond);
    // Overdue first, then the soonest term; cases without a term last. The open-case indexes
    // `ix_case_open_*` hold exactly this order. A search orders by the same values written so
    // that no index serves the order: the database then finds the (few) matching cases by the
    // trigram index and sorts them, instead of walking a queue index for matches that may
    // lie at its far end.
    let term: sea_orm::sea_query::SimpleExpr = if f.q.is_some() {
        Expr::cust("COALESCE(answer_due, answer_due)")
    } else {
        Expr::col(petition_case::Column::AnswerDue)
    };
    let stmt = select
        .clone()
        .order_by(petition_case::Column::Overdue, Order::Desc)
        .order_by_with_nulls(term, Order::Asc, NullOrdering::Last)
        .order_by_asc(petition_case::Column::Id)
        .into_partial_model::<R>()
        .into_statement(db.get_database_backend());
    // One row more than the page: whether a next page exists, whatever the capped count.
    let stmt = with_limit(stmt, f.per_page + 1, (f.page - 1) * f.per_page);
    let mut rows = R::find_by_statement(stmt).all(db).await?;
    let has_next = rows.len() as u64 > f.per_page && f.page < MAX_PAGE;
    // A first page that holds every match is its own count (a narrow search, a short queue).
    let total = if f.page == 1 && !has_next && rows.len() as u64 <= f.per_page {
        rows.len() as u64
    } else {
        capped_count(db, &select).await?
    };
    rows.truncate(f.per_page as usize);
    Ok(Rows {
        rows,
        total,
        has_next,
    })
}

/// The choices of the queue's filter form: the states of the institution's petition workflow.
pub async fn status_choices(
    db: &DatabaseConnection,
    lang: Lang,
) -> Result<Vec<(String, String)>, AppError> {
    let inst = super::portal::home_institution(db).await?;
    let name = super::definitions::workflow_for(db, &inst, "petition").await?;
    let (_, def) = super::definitions::get_latest(db, &name).await?;
    Ok(def
        .states
        .iter()
        .filter(|s| s.id != def.initial_state())
        .map(|s| (s.id.clone(), def.state_label(&s.id, lang.code())))
        .collect())
}
