//! The administration of the working-day calendars: the adjustments of a country calendar
//! (for the whole country, by the portal's administrators; for one institution, by its
//! administrators) and their effect on running terms, shown before a change is saved.
//!
//! The rule for running terms: **never shortened**. A change moves a running term's last day
//! only later: when the last day becomes a day off it moves to the next working day, and a term
//! counted in working days gains one working day for each of its remaining days that becomes a
//! day off. A day that becomes a working day leaves every running term as it is; terms started
//! after the change are counted on the changed calendar.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::auth::{Account, Principal};
use super::calendars;
use super::entity::calendar_adjustment as adj;
use super::entity::{case_timer, institution, petition_case};
use crate::calendar::{Calendar, CountryCalendar, DayUnit};
use crate::model::AppError;
use crate::model::calendar_admin::{
    AdjustmentView, CalendarChange, CalendarEffect, CalendarPage, DayOff, KINDS, TermMove,
};
use crate::workflow::{Definition, TimerState, TimerStatus};

/// How many moved terms the effect lists (all are counted).
pub const LISTED: usize = 100;

/// The reader may change the adjustments of `scope` (`None`: the whole country).
fn may_change(account: &Account, scope: Option<i64>) -> bool {
    match scope {
        None => account.is_global_admin(),
        Some(id) => account.administers(id),
    }
}

fn country(code: &str) -> Result<CountryCalendar, AppError> {
    code.parse()
        .map_err(|_| AppError::field("calendar", "choice_invalid"))
}

/// The calendar page: the adjustments of `calendar` the reader may see, the year's days off.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: Option<&Principal>,
    calendar: &str,
    year: i32,
    lang: crate::i18n::Lang,
) -> Result<CalendarPage, AppError> {
    let account = super::org_admin::admin(principal)?;
    let cal = country(calendar)?;
    let institutions = institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?;
    let name_of = |id: i64| {
        institutions
            .iter()
            .find(|i| i.id == id)
            .map(|i| match lang {
                crate::i18n::Lang::Ro => i.name_ro.clone(),
                crate::i18n::Lang::Ru => i.name_ru.clone(),
                crate::i18n::Lang::En => i.name_en.clone(),
            })
            .unwrap_or_else(|| format!("#{id}"))
    };
    let mut scopes = Vec::new();
    if account.is_global_admin() {
        scopes.push((String::new(), String::new()));
    }
    for i in &institutions {
        if account.administers(i.id) {
            scopes.push((i.id.to_string(), name_of(i.id)));
        }
    }
    let rows = adj::Entity::find()
        .filter(adj::Column::Calendar.eq(cal.code()))
        .order_by_asc(adj::Column::Date)
        .order_by_asc(adj::Column::Id)
        .all(db)
        .await?;
    let adjustments = rows
        .iter()
        .filter(|r| r.institution_id.is_none_or(|id| account.administers(id)))
        .map(|r| AdjustmentView {
            id: r.id,
            kind: r.kind.clone(),
            date: r.date,
            name: r.name.clone(),
            institution: r.institution_id.map(name_of),
            removable: may_change(account, r.institution_id),
        })
        .collect();
    let country_wide = calendars::load(db, cal, None).await?;
    let days_off = country_wide
        .holidays(year)
        .into_iter()
        .map(|h| DayOff {
            date: h.date,
            name: h.name,
        })
        .collect();
    Ok(CalendarPage {
        calendar: cal.code().to_string(),
        year,
        scopes,
        adjustments,
        days_off,
    })
}

/// A checked change: the row to add, or the stored row to remove.
enum Checked {
    Add(adj::ActiveModel, CountryCalendar, Option<i64>),
    Remove(adj::Model, CountryCalendar),
}

async fn check<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    change: &CalendarChange,
    now: DateTime<Utc>,
) -> Result<Checked, AppError> {
    if let Some(id) = change.remove {
        let row = adj::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may_change(account, row.institution_id) {
            return Err(AppError::Forbidden);
        }
        let cal = country(&row.calendar)?;
        return Ok(Checked::Remove(row, cal));
    }
    let mut errors = crate::model::FieldErrors::new();
    let cal = change.calendar.parse::<CountryCalendar>().ok();
    if cal.is_none() {
        errors
            .entry("calendar".into())
            .or_default()
            .push("choice_invalid".into());
    }
    if !KINDS.contains(&change.kind.as_str()) {
        errors
            .entry("kind".into())
            .or_default()
            .push("choice_invalid".into());
    }
    if change.date.is_none() {
        errors
            .entry("date".into())
            .or_default()
            .push("date_invalid".into());
    }
    let name = change.name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        errors
            .entry("name".into())
            .or_default()
            .push("name_length".into());
    }
    if let Some(id) = change.institution_id
        && institution::Entity::find_by_id(id).one(db).await?.is_none()
    {
        errors
            .entry("institution_id".into())
            .or_default()
            .push("choice_invalid".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "the change does not check".into(),
            fields: errors,
        });
    }
    if !may_change(account, change.institution_id) {
        return Err(AppError::Forbidden);
    }
    let (cal, date) = (cal.expect("checked"), change.date.expect("checked"));
    // The same adjustment twice is refused: it would change nothing.
    let mut same = adj::Entity::find()
        .filter(adj::Column::Calendar.eq(cal.code()))
        .filter(adj::Column::Kind.eq(change.kind.as_str()))
        .filter(adj::Column::Date.eq(date));
    same = match change.institution_id {
        Some(id) => same.filter(adj::Column::InstitutionId.eq(id)),
        None => same.filter(adj::Column::InstitutionId.is_null()),
    };
    if same.one(db).await?.is_some() {
        return Err(AppError::field("date", "adjustment_exists"));
    }
    Ok(Checked::Add(
        adj::ActiveModel {
            calendar: Set(cal.code().to_string()),
            institution_id: Set(change.institution_id),
            kind: Set(change.kind.clone()),
            date: Set(date),
            name: Set(name.to_string()),
            created_at: Set(now),
            ..Default::default()
        },
        cal,
        change.institution_id,
    ))
}

/// The calendar `cal` for `institution` with the stored adjustments, and with the change.
async fn before_after<C: ConnectionTrait>(
    db: &C,
    checked: &Checked,
    institution_id: i64,
) -> Result<(Calendar, Calendar), AppError> {
    let (cal, scope) = match checked {
        Checked::Add(_, cal, scope) => (*cal, *scope),
        Checked::Remove(row, cal) => (*cal, row.institution_id),
    };
    let before = calendars::load(db, cal, Some(institution_id)).await?;
    let mut rows = adj::Entity::find()
        .filter(adj::Column::Calendar.eq(cal.code()))
        .filter(
            Condition::any()
                .add(adj::Column::InstitutionId.is_null())
                .add(adj::Column::InstitutionId.eq(institution_id)),
        )
        .all(db)
        .await?;
    match checked {
        Checked::Add(new, _, _) if scope.is_none_or(|id| id == institution_id) => {
            rows.push(adj::Model {
                id: 0,
                calendar: cal.code().to_string(),
                institution_id: scope,
                kind: new.kind.clone().unwrap(),
                date: new.date.clone().unwrap(),
                name: new.name.clone().unwrap(),
                created_at: new.created_at.clone().unwrap(),
            });
        }
        Checked::Remove(row, _) => rows.retain(|r| r.id != row.id),
        Checked::Add(..) => {}
    }
    let after = Calendar::with_adjustments(cal, calendars::adjustments_from(rows));
    Ok((before, after))
}

/// A running term's last day on the changed calendar (never earlier), and whether one of its
/// remaining days becomes a working day (then it keeps its day).
pub fn moved_due(
    due: NaiveDate,
    unit: DayUnit,
    today: NaiveDate,
    before: &Calendar,
    after: &Calendar,
) -> (NaiveDate, bool) {
    let mut lost = 0u32;
    let mut gained = false;
    let mut d = today;
    while d < due {
        d = match d.succ_opt() {
            Some(n) => n,
            None => break,
        };
        match (before.is_working_day(d), after.is_working_day(d)) {
            (true, false) => lost += 1,
            (false, true) => gained = true,
            _ => {}
        }
    }
    let mut new_due = after.roll_forward(due);
    if unit == DayUnit::WorkingDays && lost > 0 {
        new_due = after.add_working_days(new_due, lost);
    }
    (new_due.max(due), gained)
}

/// One running timer moved by a change, ready to store.
struct Move {
    row: case_timer::Model,
    case: petition_case::Model,
    state: TimerState,
    definition: Arc<Definition>,
    timezone: chrono_tz::Tz,
}

/// The running terms of the cases a change touches, and where each moves.
async fn effect_of<C: ConnectionTrait>(
    db: &C,
    checked: &Checked,
    now: DateTime<Utc>,
) -> Result<(CalendarEffect, Vec<Move>), AppError> {
    let (cal, scope) = match checked {
        Checked::Add(_, cal, scope) => (*cal, *scope),
        Checked::Remove(row, cal) => (*cal, row.institution_id),
    };
    let mut institutions = institution::Entity::find();
    if let Some(id) = scope {
        institutions = institutions.filter(institution::Column::Id.eq(id));
    }
    let mut effect = CalendarEffect::default();
    let mut moves = Vec::new();
    let mut definitions: HashMap<(String, i32), Arc<Definition>> = HashMap::new();
    for inst in institutions.all(db).await? {
        let tz = super::clock::time_zone(&inst.timezone);
        let today = super::clock::local_date(now, tz);
        let (before, after) = before_after(db, checked, inst.id).await?;
        let cases = petition_case::Entity::find()
            .filter(petition_case::Column::InstitutionId.eq(inst.id))
            .filter(petition_case::Column::ClosedAt.is_null())
            .all(db)
            .await?;
        let by_id: HashMap<i64, petition_case::Model> =
            cases.into_iter().map(|c| (c.id, c)).collect();
        if by_id.is_empty() {
            continue;
        }
        let ids: Vec<i64> = by_id.keys().copied().collect();
        for chunk in ids.chunks(500) {
            let timers = case_timer::Entity::find()
                .filter(case_timer::Column::CaseId.is_in(chunk.to_vec()))
                .filter(case_timer::Column::Status.eq("running"))
                .filter(case_timer::Column::DueOn.gte(today))
                .order_by_asc(case_timer::Column::DueOn)
                .all(db)
                .await?;
            for row in timers {
                let case = &by_id[&row.case_id];
                let key = (case.workflow_name.clone(), case.workflow_version);
                let def = match definitions.get(&key) {
                    Some(d) => d.clone(),
                    None => {
                        let d = super::definitions::get(db, &key.0, key.1).await?;
                        definitions.insert(key, d.clone());
                        d
                    }
                };
                if def.calendar != cal {
                    continue;
                }
                let Some(spec) = def.timers.iter().find(|t| t.id == row.name) else {
                    continue;
                };
                effect.checked += 1;
                let (to, gained) = moved_due(row.due_on, spec.unit, today, &before, &after);
                if gained && to == row.due_on {
                    effect.kept_count += 1;
                }
                if to > row.due_on {
                    effect.moved_count += 1;
                    if effect.moved.len() < LISTED {
                        effect.moved.push(TermMove {
                            case_id: case.id,
                            registration_number: case.registration_number.clone(),
                            timer: row.name.clone(),
                            from: row.due_on,
                            to,
                        });
                    }
                    let mut state: TimerState = match row
                        .data
                        .clone()
                        .and_then(|d| serde_json::from_value(d).ok())
                    {
                        Some(s) => s,
                        None => continue,
                    };
                    state.due = to;
                    moves.push(Move {
                        row,
                        case: case.clone(),
                        state,
                        definition: def.clone(),
                        timezone: tz,
                    });
                }
            }
        }
    }
    effect.moved.sort_by_key(|m| (m.from, m.case_id));
    Ok((effect, moves))
}

/// What a change would do to the running terms; nothing is stored.
pub async fn preview<C: ConnectionTrait>(
    db: &C,
    principal: Option<&Principal>,
    change: &CalendarChange,
    now: DateTime<Utc>,
) -> Result<CalendarEffect, AppError> {
    let account = super::org_admin::admin(principal)?;
    let checked = check(db, account, change, now).await?;
    Ok(effect_of(db, &checked, now).await?.0)
}

/// Saves the change and moves the running terms it lengthens, in one transaction, recorded in
/// the audit trail with who, what and how many terms moved.
pub async fn apply(
    db: &sea_orm::DatabaseConnection,
    principal: Option<&Principal>,
    change: &CalendarChange,
    now: DateTime<Utc>,
) -> Result<CalendarEffect, AppError> {
    let account = super::org_admin::admin(principal)?;
    let txn = db.begin().await?;
    let checked = check(&txn, account, change, now).await?;
    let (effect, moves) = effect_of(&txn, &checked, now).await?;
    let (verb, scope, details) = match &checked {
        Checked::Add(new, _, scope) => {
            let row = new.clone().insert(&txn).await?;
            (
                "admin.calendar.add",
                *scope,
                serde_json::json!({
                    "id": row.id, "calendar": row.calendar, "kind": row.kind,
                    "date": row.date, "name": row.name,
                }),
            )
        }
        Checked::Remove(row, _) => {
            adj::Entity::delete_by_id(row.id).exec(&txn).await?;
            (
                "admin.calendar.remove",
                row.institution_id,
                serde_json::json!({
                    "id": row.id, "calendar": row.calendar, "kind": row.kind,
                    "date": row.date, "name": row.name,
                }),
            )
        }
    };
    for m in &moves {
        let data = serde_json::to_value(&m.state)
            .map_err(|e| super::error::internal("timer state as JSON", e))?;
        let mut active: case_timer::ActiveModel = m.row.clone().into();
        active.due_on = Set(m.state.due);
        active.fire_at = Set(super::transitions::fire_at(
            &m.definition,
            &m.state,
            m.timezone,
        ));
        active.data = Set(Some(data));
        active.update(&txn).await?;
        if m.row.name == "answer_due" && matches!(m.state.status, TimerStatus::Running) {
            let mut case: petition_case::ActiveModel = m.case.clone().into();
            case.answer_due = Set(Some(m.state.due));
            case.update(&txn).await?;
        }
    }
    let mut details = details;
    details["terms_moved"] = effect.moved_count.into();
    details["terms_kept"] = effect.kept_count.into();
    let entry = super::audit::Entry::new(verb)
        .chain(scope)
        .by_account(account, scope)
        .target("calendar_adjustment", details["id"].to_string())
        .details(details);
    super::audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    tracing::info!(
        verb,
        moved = effect.moved_count,
        by = account.user_id,
        "calendar changed"
    );
    Ok(effect)
}

/// The year a page opens on: this year.
pub fn this_year(now: DateTime<Utc>) -> i32 {
    now.year()
}
