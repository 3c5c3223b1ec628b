//! The managers' indicators of a period and scope, computed by a handful of grouped, indexed
//! queries (each returns at most a few thousand small rows, whatever the number of cases) and
//! finished in memory by [`crate::stats`]: totals, on-time answers, percentiles of the response
//! time (the clock's pauses left out: each answer's time is computed and stored with it), the
//! weeks, the departments and the officers.
//!
//! Periods are days of the institution's local calendar. A case counts as received on the day
//! it was filed, as answered on the day of its answer (its outcome), as forwarded, dismissed or
//! withdrawn on the day it was closed so. Open means waiting for an answer (neither answered nor
//! closed); open and overdue are counted now, and for past weeks counted back from now.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Condition, Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::auth::access::Account;
use super::clock::{local_moment, time_zone};
use super::entity::{case_stats_daily, department, petition_case as pc, user};
use super::portal::{home_institution, localized};
use crate::i18n::Lang;
use crate::model::account::Role;
use crate::model::metrics::*;
use crate::model::{AppError, FieldErrors};
use crate::stats::{self, week_start};

/// The longest period one request may ask for.
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;
/// The default period: this many weeks up to today.
pub const DEFAULT_WEEKS: i64 = 12;

/// A checked query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub institution_id: Option<i64>,
    pub department_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub category_id: Option<i64>,
    pub service_id: Option<i64>,
    pub kind: Option<String>,
    pub channel: Option<String>,
}

impl Scope {
    /// Only institution and department narrow it (the daily snapshots know nothing finer).
    fn by_place_only(&self) -> bool {
        self.assignee_id.is_none()
            && self.category_id.is_none()
            && self.service_id.is_none()
            && self.kind.is_none()
            && self.channel.is_none()
    }
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks the form's text fields; each bad one is named.
pub fn check(q: &MetricsQuery, today: NaiveDate) -> Result<Scope, AppError> {
    let mut errors = FieldErrors::new();
    let mut date = |field: &str, v: &Option<String>| match blank(v) {
        None => None,
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert(field.into(), vec!["date_invalid".into()]);
                None
            }
        },
    };
    let to = date("to", &q.to).unwrap_or(today);
    let from =
        date("from", &q.from).unwrap_or(to - Duration::weeks(DEFAULT_WEEKS) + Duration::days(1));
    let mut id = |field: &str, v: &Option<String>| match blank(v) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.insert(field.into(), vec!["choice".into()]);
                None
            }
        },
    };
    let institution_id = id("institution_id", &q.institution_id);
    let department_id = id("department_id", &q.department_id);
    let assignee_id = id("assignee_id", &q.assignee_id);
    let category_id = id("category_id", &q.category_id);
    let service_id = id("service_id", &q.service_id);
    if from > to {
        errors.insert("from".into(), vec!["date_order".into()]);
    } else if (to - from).num_days() > MAX_PERIOD_DAYS {
        errors.insert("from".into(), vec!["period_too_long".into()]);
    }
    let kind = blank(&q.kind).map(str::to_string);
    if let Some(k) = &kind
        && !crate::model::filing::KINDS.contains(&k.as_str())
        && !crate::model::data_rights::is_data_request(k)
    {
        errors.insert("kind".into(), vec!["choice".into()]);
    }
    let channel = blank(&q.channel).map(str::to_string);
    if let Some(c) = &channel
        && c != "online"
        && !crate::model::staff::CHANNELS_ON_BEHALF.contains(&c.as_str())
    {
        errors.insert("channel".into(), vec!["choice".into()]);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "the period or scope does not check".into(),
            fields: errors,
        });
    }
    Ok(Scope {
        from,
        to,
        institution_id,
        department_id,
        assignee_id,
        category_id,
        service_id,
        kind,
        channel,
    })
}

/// The cases a manager's or administrator's grants let them count (an officer counts nothing
/// here: the indicators are the managers').
pub fn manager_scope(account: &Account) -> Result<Condition, AppError> {
    let mut any = Condition::any();
    let mut covered = false;
    for g in &account.grants {
        match (g.role, g.institution_id, g.department_id) {
            (Role::Admin, None, _) => return Ok(Condition::all()),
            (Role::Manager, Some(inst), Some(dep)) => {
                covered = true;
                any = any.add(
                    Condition::all()
                        .add(pc::Column::InstitutionId.eq(inst))
                        .add(pc::Column::DepartmentId.eq(dep)),
                );
            }
            (Role::Manager | Role::Admin, Some(inst), _) => {
                covered = true;
                any = any.add(pc::Column::InstitutionId.eq(inst));
            }
            _ => {}
        }
    }
    if covered {
        Ok(any)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The condition of a scope's filters (within the asker's grants).
fn filters(scope: Condition, s: &Scope) -> Condition {
    let mut c = Condition::all().add(scope);
    if let Some(v) = s.institution_id {
        c = c.add(pc::Column::InstitutionId.eq(v));
    }
    if let Some(v) = s.department_id {
        c = c.add(pc::Column::DepartmentId.eq(v));
    }
    if let Some(v) = s.assignee_id {
        c = c.add(pc::Column::AssigneeId.eq(v));
    }
    if let Some(v) = s.category_id {
        c = c.add(pc::Column::CategoryId.eq(v));
    }
    if let Some(v) = s.service_id {
        c = c.add(pc::Column::ServiceId.eq(v));
    }
    c = match &s.kind {
        Some(v) => c.add(pc::Column::Kind.eq(v.as_str())),
        // Petitions and complaints: data-subject requests are counted only when asked for.
        None => c.add(pc::Column::Kind.is_not_in(crate::model::data_rights::REQUEST_KINDS)),
    };
    if let Some(v) = &s.channel {
        c = c.add(pc::Column::Channel.eq(v.as_str()));
    }
    c
}

/// The UTC hour of a timestamp column, to group by (on PostgreSQL `date_bin`, plain arithmetic
/// on the timestamp: formatting every row as text cost twice the scan).
fn hour_key(db: &DatabaseConnection, col: &str) -> SimpleExpr {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => Expr::cust(format!(
            "date_bin('1 hour', {col}, TIMESTAMPTZ '2000-01-01 00:00:00+00')"
        )),
        _ => Expr::cust(format!("substr({col}, 1, 13)")),
    }
}

/// The grouped hour as text `YYYY-MM-DD?HH` on both databases (formatted once per group):
/// each group is then placed on its local day exactly (the zones of this product move by
/// whole hours).
fn hour_text(db: &DatabaseConnection, col: &str) -> SimpleExpr {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => Expr::cust(format!(
            "to_char(date_bin('1 hour', {col}, TIMESTAMPTZ '2000-01-01 00:00:00+00') \
             AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')"
        )),
        _ => Expr::cust(format!("substr({col}, 1, 13)")),
    }
}

fn parse_hour(s: &str) -> Option<DateTime<Utc>> {
    let s = s.replacen(' ', "T", 1);
    NaiveDateTime::parse_from_str(&format!("{s}:00:00"), "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|n| Utc.from_utc_datetime(&n))
}

/// Counts per UTC hour of `col` in `[from, until)`, placed on local days.
async fn per_local_day(
    db: &DatabaseConnection,
    cond: &Condition,
    col: pc::Column,
    col_name: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    tz: Tz,
) -> Result<BTreeMap<NaiveDate, u64>, AppError> {
    let rows: Vec<(Option<String>, i64)> = pc::Entity::find()
        .select_only()
        .column_as(hour_text(db, col_name), "h")
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cond.clone())
        .filter(col.gte(from))
        .filter(col.lt(until))
        .group_by(hour_key(db, col_name))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = BTreeMap::new();
    for (h, n) in rows {
        if let Some(at) = h.as_deref().and_then(parse_hour) {
            *out.entry(at.with_timezone(&tz).date_naive()).or_insert(0) += n as u64;
        }
    }
    Ok(out)
}

/// The cases closed in `[from, until)` per local day and status.
async fn closed_per_local_day(
    db: &DatabaseConnection,
    cond: &Condition,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    tz: Tz,
) -> Result<Vec<(NaiveDate, String, u64)>, AppError> {
    let rows: Vec<(Option<String>, String, i64)> = pc::Entity::find()
        .select_only()
        .column_as(hour_text(db, "closed_at"), "h")
        .column(pc::Column::Status)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cond.clone())
        .filter(pc::Column::ClosedAt.gte(from))
        .filter(pc::Column::ClosedAt.lt(until))
        .group_by(hour_key(db, "closed_at"))
        .group_by(pc::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut per: BTreeMap<(NaiveDate, String), u64> = BTreeMap::new();
    for (h, status, n) in rows {
        if let Some(at) = h.as_deref().and_then(parse_hour) {
            *per.entry((at.with_timezone(&tz).date_naive(), status))
                .or_insert(0) += n as u64;
        }
    }
    Ok(per.into_iter().map(|((d, st), n)| (d, st, n)).collect())
}

/// Waiting now: `(department, officer, overdue, count)`.
type OpenRow = (Option<i64>, Option<i64>, bool, i64);

/// One answered group: `(department, officer, service, response_days, response_working_days,
/// late, outcome, count)`.
type AnsweredRow = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i32>,
    Option<i32>,
    Option<bool>,
    Option<String>,
    i64,
);

/// Everything answered in the period, grouped by department, officer and service at once (the
/// totals and each breakdown are sums of these groups, made in memory).
async fn answered_groups(
    db: &DatabaseConnection,
    cond: &Condition,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<AnsweredRow>, AppError> {
    let keys = [
        pc::Column::DepartmentId,
        pc::Column::AssigneeId,
        pc::Column::ServiceId,
        pc::Column::ResponseDays,
        pc::Column::ResponseWorkingDays,
        pc::Column::AnsweredLate,
        pc::Column::Outcome,
    ];
    let mut q = pc::Entity::find().select_only();
    for k in keys {
        q = q.column(k);
    }
    q = q
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cond.clone())
        .filter(pc::Column::AnsweredAt.gte(from))
        .filter(pc::Column::AnsweredAt.lt(until));
    for k in keys {
        q = q.group_by(k);
    }
    Ok(q.into_tuple().all(db).await?)
}

/// Received in the period by `(department, officer, service)`.
type ReceivedRow = (Option<i64>, Option<i64>, Option<i64>, i64);

async fn received_groups(
    db: &DatabaseConnection,
    cond: &Condition,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<ReceivedRow>, AppError> {
    Ok(pc::Entity::find()
        .select_only()
        .column(pc::Column::DepartmentId)
        .column(pc::Column::AssigneeId)
        .column(pc::Column::ServiceId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cond.clone())
        .filter(pc::Column::FiledAt.gte(from))
        .filter(pc::Column::FiledAt.lt(until))
        .group_by(pc::Column::DepartmentId)
        .group_by(pc::Column::AssigneeId)
        .group_by(pc::Column::ServiceId)
        .into_tuple()
        .all(db)
        .await?)
}

/// A breakdown of the indicators: by department, by officer or by service.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Breakdown {
    Department,
    Officer,
    Service,
}

impl Breakdown {
    fn of(
        self,
        department: Option<i64>,
        officer: Option<i64>,
        service: Option<i64>,
    ) -> Option<i64> {
        match self {
            Breakdown::Department => department,
            Breakdown::Officer => officer,
            Breakdown::Service => service,
        }
    }
}

/// Sums of one set of answered groups.
#[derive(Default)]
struct Answers {
    answered: u64,
    late: u64,
    on_time: u64,
    satisfied: u64,
    days: BTreeMap<i64, u64>,
    working_days: BTreeMap<i64, u64>,
}

impl Answers {
    fn add(&mut self, row: &AnsweredRow) {
        let (_, _, _, days, wdays, late, outcome, n) = row;
        let n = *n as u64;
        self.answered += n;
        match late {
            Some(true) => self.late += n,
            Some(false) => self.on_time += n,
            None => {}
        }
        if matches!(outcome.as_deref(), Some("admitted" | "partly_admitted")) {
            self.satisfied += n;
        }
        if let Some(d) = days {
            *self.days.entry(i64::from(*d)).or_insert(0) += n;
        }
        if let Some(d) = wdays {
            *self.working_days.entry(i64::from(*d)).or_insert(0) += n;
        }
    }

    fn sample(&self) -> u64 {
        self.days.values().sum()
    }
}

/// The chart's buckets of the response time, in calendar days.
const BUCKETS: [(i64, Option<i64>); 7] = [
    (0, Some(5)),
    (6, Some(10)),
    (11, Some(15)),
    (16, Some(20)),
    (21, Some(30)),
    (31, Some(45)),
    (46, None),
];

fn distribution(days: &BTreeMap<i64, u64>) -> Vec<Bucket> {
    BUCKETS
        .iter()
        .map(|(from, to)| Bucket {
            label: match to {
                Some(to) => format!("{from}–{to}"),
                None => format!("{from}+"),
            },
            from_days: *from,
            to_days: *to,
            count: days
                .iter()
                .filter(|(d, _)| **d >= *from && to.is_none_or(|t| **d <= t))
                .map(|(_, n)| n)
                .sum(),
        })
        .collect()
}

/// Every indicator of `query` for a manager or an administrator.
pub async fn indicators(
    db: &DatabaseConnection,
    account: &Account,
    query: &MetricsQuery,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Indicators, AppError> {
    let mut scope = manager_scope(account)?;
    if scope.is_empty() {
        // An administrator of the whole portal: every institution, named, so that each period
        // query still starts its index at an institution.
        let ids: Vec<i64> = super::entity::institution::Entity::find()
            .select_only()
            .column(super::entity::institution::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        scope = Condition::all().add(pc::Column::InstitutionId.is_in(ids));
    }
    compute(db, scope, query, now, lang).await
}

/// [`indicators`] now, kept in the application's cache (see [`super::indicator_cache`]) under
/// the asker's grants, the query and the language: the dashboard, its CSV and
/// `GET /api/v1/metrics`.
pub async fn kept_indicators(
    state: &super::AppState,
    account: &Account,
    query: &MetricsQuery,
    lang: Lang,
) -> Result<Indicators, AppError> {
    // Refused before anything is looked up: a view is never handed to someone not allowed it.
    manager_scope(account)?;
    let mut grants: Vec<_> = account
        .grants
        .iter()
        .map(|g| (g.role.code(), g.institution_id, g.department_id))
        .collect();
    grants.sort_unstable();
    let key = format!("{grants:?}|{query:?}|{}", lang.code());
    let now = state.config.clock.now();
    state
        .indicators
        .get(key, || indicators(&state.db, account, query, now, lang))
        .await
}

/// The public statistics: for each institution of the portal, the same indicators over the
/// period of `query` (its scope fields are ignored), without the officers (personal data).
/// Those of the default period, which anyone may ask for at any rate, are kept in `cache` for
/// its few seconds; other periods are computed each time.
pub async fn public_statistics(
    db: &DatabaseConnection,
    cache: &super::ref_cache::RefCache,
    query: &MetricsQuery,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Vec<PublicStatistics>, AppError> {
    if blank(&query.from).is_none() && blank(&query.to).is_none() {
        cache
            .get("public_statistics", lang, || {
                every_institution(db, query, now, lang)
            })
            .await
    } else {
        every_institution(db, query, now, lang).await
    }
}

async fn every_institution(
    db: &DatabaseConnection,
    query: &MetricsQuery,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Vec<PublicStatistics>, AppError> {
    let period = MetricsQuery {
        from: query.from.clone(),
        to: query.to.clone(),
        ..Default::default()
    };
    let mut out = Vec::new();
    for inst in super::entity::institution::Entity::find()
        .order_by_asc(super::entity::institution::Column::Id)
        .all(db)
        .await?
    {
        let scope = Condition::all().add(pc::Column::InstitutionId.eq(inst.id));
        let mut m = compute(db, scope, &period, now, lang).await?;
        m.by_officer.clear();
        out.push(PublicStatistics {
            institution_id: inst.id,
            institution: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
            indicators: m,
        });
    }
    Ok(out)
}

/// The indicators of the cases within `scope`, narrowed by `query`.
async fn compute(
    db: &DatabaseConnection,
    scope: Condition,
    query: &MetricsQuery,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Indicators, AppError> {
    let home = home_institution(db).await?;
    let tz = time_zone(&home.timezone);
    let today = now.with_timezone(&tz).date_naive();
    let s = check(query, today)?;
    let cond = filters(scope, &s);
    let from = local_moment(s.from, NaiveTime::MIN, tz);
    let until = local_moment(s.to + Duration::days(1), NaiveTime::MIN, tz);
    // The backlog's weeks are counted back from now: the days from the period's start to now.
    let horizon = until.max(now);

    // The queries are independent: on PostgreSQL they run at once, each on its own connection
    // (on SQLite's single connection, one after another).
    let unanswered = cond.clone().add(pc::Column::AnsweredAt.is_null());
    let (received_days, answered_days, closed_how, answered_rows, received_rows, open, ratings) = tokio::try_join!(
        per_local_day(
            db,
            &cond,
            pc::Column::FiledAt,
            "filed_at",
            from,
            horizon,
            tz
        ),
        per_local_day(
            db,
            &cond,
            pc::Column::AnsweredAt,
            "answered_at",
            from,
            horizon,
            tz
        ),
        // Closed without an answer (forwarded, dismissed, withdrawn, not examined).
        closed_per_local_day(db, &unanswered, from, horizon, tz),
        answered_groups(db, &cond, from, until),
        received_groups(db, &cond, from, until),
        waiting_groups(db, &cond),
        rating_groups(db, &cond, from, until),
    )?;
    let mut closed_days: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    for (day, _, n) in &closed_how {
        *closed_days.entry(*day).or_insert(0) += n;
    }

    let in_period = |d: &NaiveDate| *d >= s.from && *d <= s.to;
    let received: u64 = received_days
        .iter()
        .filter(|(d, _)| in_period(d))
        .map(|(_, n)| n)
        .sum();
    let closed_as = |status: &str| {
        closed_how
            .iter()
            .filter(|(d, how, _)| in_period(d) && how == status)
            .map(|(_, _, n)| n)
            .sum::<u64>()
    };
    let mut all = Answers::default();
    for row in &answered_rows {
        all.add(row);
    }

    let open_now: u64 = open.iter().map(|r| r.3 as u64).sum();
    let overdue_open: u64 = open.iter().filter(|r| r.2).map(|r| r.3 as u64).sum();

    let mut satisfaction = Satisfaction::default();
    let mut total_score = 0u64;
    for (r, n) in ratings {
        if let Some(r @ 1..=5) = r {
            satisfaction.distribution[(r - 1) as usize] += n as u64;
            satisfaction.rated += n as u64;
            total_score += r as u64 * n as u64;
        }
    }
    satisfaction.mean = (satisfaction.rated > 0)
        .then(|| (total_score as f64 * 10.0 / satisfaction.rated as f64).round() / 10.0);
    satisfaction.share_rated = stats::share(satisfaction.rated.min(all.answered), all.answered);

    let rows = (&received_rows[..], &answered_rows[..], &open[..]);
    let (weeks, by_department, by_officer, by_service) = tokio::try_join!(
        weeks(
            &s,
            today,
            open_now,
            &received_days,
            &closed_days,
            &answered_days,
            db,
        ),
        groups(db, Breakdown::Department, rows, lang),
        groups(db, Breakdown::Officer, rows, lang),
        groups(db, Breakdown::Service, rows, lang),
    )?;

    let median = stats::percentile(&all.days, 0.5);
    let p90 = stats::percentile(&all.days, 0.9);
    Ok(Indicators {
        from: s.from.to_string(),
        to: s.to.to_string(),
        computed_at: now.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        received,
        answered: all.answered,
        answered_on_time: all.on_time,
        answered_late: all.late,
        on_time_rate: stats::share(all.on_time, all.on_time + all.late),
        satisfied: all.satisfied,
        satisfied_rate: stats::share(all.satisfied, received),
        forwarded: closed_as("forwarded"),
        dismissed: closed_as("dismissed"),
        withdrawn: closed_as("withdrawn"),
        open_now,
        overdue_open,
        median_response_days: median,
        p90_response_days: p90,
        response: ResponseStats {
            sample: all.sample(),
            median_days: median,
            p90_days: p90,
            median_working_days: stats::percentile(&all.working_days, 0.5),
            p90_working_days: stats::percentile(&all.working_days, 0.9),
            distribution: distribution(&all.days),
        },
        satisfaction,
        weeks,
        by_department,
        by_officer,
        by_service,
    })
}

/// Waiting now (neither answered nor closed), by department, officer and overdue.
async fn waiting_groups(
    db: &DatabaseConnection,
    cond: &Condition,
) -> Result<Vec<OpenRow>, AppError> {
    Ok(pc::Entity::find()
        .select_only()
        .column(pc::Column::DepartmentId)
        .column(pc::Column::AssigneeId)
        .column(pc::Column::Overdue)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cond.clone())
        .filter(pc::Column::ClosedAt.is_null())
        .filter(pc::Column::AnsweredAt.is_null())
        .group_by(pc::Column::DepartmentId)
        .group_by(pc::Column::AssigneeId)
        .group_by(pc::Column::Overdue)
        .into_tuple()
        .all(db)
        .await?)
}

/// The ratings given in the period, by score.
async fn rating_groups(
    db: &DatabaseConnection,
    cond: &Condition,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(Option<i32>, i64)>, AppError> {
    Ok(pc::Entity::find()
        .select_only()
        .column(pc::Column::Rating)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cond.clone())
        .filter(pc::Column::RatedAt.gte(from))
        .filter(pc::Column::RatedAt.lt(until))
        .filter(pc::Column::Rating.is_not_null())
        .group_by(pc::Column::Rating)
        .into_tuple()
        .all(db)
        .await?)
}

/// The weeks of the period: received and answered in each, the open cases at its end (counted
/// back from now: open then = open now − received since + closed since), the overdue ones from
/// the daily snapshots.
#[allow(clippy::too_many_arguments)]
async fn weeks(
    s: &Scope,
    today: NaiveDate,
    open_now: u64,
    received: &BTreeMap<NaiveDate, u64>,
    closed: &BTreeMap<NaiveDate, u64>,
    answered: &BTreeMap<NaiveDate, u64>,
    db: &DatabaseConnection,
) -> Result<Vec<WeekPoint>, AppError> {
    let snapshots = if s.by_place_only() {
        overdue_snapshots(db, s).await?
    } else {
        HashMap::new()
    };
    let mut out = Vec::new();
    let mut monday = week_start(s.from);
    while monday <= s.to {
        let sunday = monday + Duration::days(6);
        let in_week = |d: &NaiveDate| *d >= monday.max(s.from) && *d <= sunday.min(s.to);
        let end = sunday.min(s.to).min(today);
        let after = |m: &BTreeMap<NaiveDate, u64>| {
            m.range(end + Duration::days(1)..)
                .map(|(_, n)| n)
                .sum::<u64>()
        };
        out.push(WeekPoint {
            week: monday.to_string(),
            received: received
                .iter()
                .filter(|(d, _)| in_week(d))
                .map(|(_, n)| n)
                .sum(),
            answered: answered
                .iter()
                .filter(|(d, _)| in_week(d))
                .map(|(_, n)| n)
                .sum(),
            open_at_end: (open_now + after(closed) + after(answered))
                .saturating_sub(after(received)),
            overdue_at_end: snapshots.get(&end).copied(),
        });
        monday += Duration::weeks(1);
    }
    Ok(out)
}

/// Overdue cases per day from the daily snapshots, within the scope's institution/department.
async fn overdue_snapshots(
    db: &DatabaseConnection,
    s: &Scope,
) -> Result<HashMap<NaiveDate, u64>, AppError> {
    let mut q = case_stats_daily::Entity::find()
        .select_only()
        .column(case_stats_daily::Column::Day)
        .column_as(Expr::cust("CAST(SUM(overdue_cases) AS BIGINT)"), "n")
        .filter(case_stats_daily::Column::Day.gte(s.from))
        .filter(case_stats_daily::Column::Day.lte(s.to));
    if let Some(i) = s.institution_id {
        q = q.filter(case_stats_daily::Column::InstitutionId.eq(i));
    }
    if let Some(d) = s.department_id {
        q = q.filter(case_stats_daily::Column::DepartmentId.eq(d));
    }
    let rows: Vec<(NaiveDate, Option<i64>)> = q
        .group_by(case_stats_daily::Column::Day)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(d, n)| (d, n.unwrap_or(0) as u64))
        .collect())
}

/// The rows of one breakdown (departments, officers or services), named, largest backlog
/// first, summed from the groups of the period's received, answered and waiting cases.
async fn groups(
    db: &DatabaseConnection,
    by: Breakdown,
    (received_rows, answered_rows, open): (&[ReceivedRow], &[AnsweredRow], &[OpenRow]),
    lang: Lang,
) -> Result<Vec<GroupRow>, AppError> {
    let by_department = by == Breakdown::Department;
    let by_service = by == Breakdown::Service;
    let mut received: BTreeMap<i64, u64> = BTreeMap::new();
    for (dep, officer, service, n) in received_rows {
        if let Some(id) = by.of(*dep, *officer, *service) {
            *received.entry(id).or_insert(0) += *n as u64;
        }
    }
    let mut answers: BTreeMap<i64, Answers> = BTreeMap::new();
    for row in answered_rows {
        if let Some(id) = by.of(row.0, row.1, row.2) {
            answers.entry(id).or_default().add(row);
        }
    }
    let mut ids: Vec<i64> = received.keys().copied().collect();
    ids.extend(answers.keys().copied());
    if !by_service {
        ids.extend(
            open.iter()
                .filter_map(|r| if by_department { r.0 } else { r.1 }),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = if by_service {
        super::entity::public_service::Entity::find()
            .filter(super::entity::public_service::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string(),
                )
            })
            .collect()
    } else if by_department {
        department::Entity::find()
            .filter(department::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|d| {
                (
                    d.id,
                    localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
                )
            })
            .collect()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.full_name))
            .collect()
    };
    let mut rows: Vec<GroupRow> = ids
        .into_iter()
        .map(|id| {
            let a = answers.remove(&id).unwrap_or_default();
            // The waiting cases are counted by department and officer only.
            let mine =
                |r: &&OpenRow| !by_service && (if by_department { r.0 } else { r.1 }) == Some(id);
            GroupRow {
                id,
                name: names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                received: received.get(&id).copied().unwrap_or(0),
                answered: a.answered,
                answered_on_time: a.on_time,
                answered_late: a.late,
                on_time_rate: stats::share(a.on_time, a.on_time + a.late),
                open: open.iter().filter(mine).map(|r| r.3 as u64).sum(),
                overdue_open: open
                    .iter()
                    .filter(mine)
                    .filter(|r| r.2)
                    .map(|r| r.3 as u64)
                    .sum(),
                sample: a.sample(),
                median_response_days: stats::percentile(&a.days, 0.5),
            }
        })
        .collect();
    // The ranking: most overdue first, then the slower median (medians, never means).
    rows.sort_by(|a, b| {
        b.overdue_open
            .cmp(&a.overdue_open)
            .then(b.median_response_days.cmp(&a.median_response_days))
            .then(a.name.cmp(&b.name))
    });
    Ok(rows)
}

/// Writes today's snapshot of the open and overdue cases per department of every institution,
/// once a day (the unique `(institution, day, department)` keeps a second writer out).
pub async fn snapshot_day(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    use sea_orm::{ActiveModelTrait, PaginatorTrait, Set, TransactionTrait};
    let mut written = 0;
    for inst in super::entity::institution::Entity::find().all(db).await? {
        let day = now.with_timezone(&time_zone(&inst.timezone)).date_naive();
        let done = case_stats_daily::Entity::find()
            .filter(case_stats_daily::Column::InstitutionId.eq(inst.id))
            .filter(case_stats_daily::Column::Day.eq(day))
            .count(db)
            .await?;
        if done > 0 {
            continue;
        }
        let rows: Vec<(Option<i64>, bool, i64)> = pc::Entity::find()
            .select_only()
            .column(pc::Column::DepartmentId)
            .column(pc::Column::Overdue)
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(pc::Column::InstitutionId.eq(inst.id))
            .filter(pc::Column::ClosedAt.is_null())
            .filter(pc::Column::Kind.is_not_in(crate::model::data_rights::REQUEST_KINDS))
            .group_by(pc::Column::DepartmentId)
            .group_by(pc::Column::Overdue)
            .into_tuple()
            .all(db)
            .await?;
        let mut per: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        per.insert(0, (0, 0));
        for (dep, overdue, n) in rows {
            let e = per.entry(dep.unwrap_or(0)).or_default();
            e.0 += n;
            if overdue {
                e.1 += n;
            }
        }
        let txn = db.begin().await?;
        let mut failed = false;
        for (dep, (open, overdue)) in per {
            let res = case_stats_daily::ActiveModel {
                institution_id: Set(inst.id),
                department_id: Set(dep),
                day: Set(day),
                open_cases: Set(open),
                overdue_cases: Set(overdue),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            if res.is_err() {
                // Another instance wrote today's snapshot first.
                failed = true;
                break;
            }
        }
        if failed {
            txn.rollback().await?;
        } else {
            txn.commit().await?;
            written += 1;
        }
    }
    Ok(written)
}

/// What the dashboard's form offers: the portal institution's departments and officers.
pub async fn choices(db: &DatabaseConnection, lang: Lang) -> Result<MetricsChoices, AppError> {
    let home = home_institution(db).await?;
    let departments = super::portal::active_departments(db, home.id, lang).await?;
    let officers = super::staff_case::officers(db, home.id, None)
        .await?
        .into_iter()
        .filter_map(|c| c.value.parse().ok().map(|id| (id, c.label)))
        .collect();
    use super::entity::{category, public_service};
    let categories = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(home.id))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.id,
                localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
            )
        })
        .collect();
    let services = public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(home.id))
        .order_by_asc(public_service::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.id,
                localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string(),
            )
        })
        .collect();
    Ok(MetricsChoices {
        institutions: vec![],
        departments,
        officers,
        categories,
        services,
    })
}
