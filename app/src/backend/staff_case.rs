//! The staff part of a case page ([`StaffCaseView`]): who filed the case and how, each term
//! with the way it was counted, the internal notes, the related cases and the choices the
//! action forms offer. Only for staff whose scope covers the case ([`sees_internal`]).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::auth::{self, Principal};
use super::cases::sees_internal;
use super::clock::{local_date, time_zone};
use super::entity::{
    canned_answer, case_event, case_note, category, department, institution, petition_case,
    public_service, user, user_role,
};
use super::portal::{active_departments, localized};
use super::transitions::Loaded;
use crate::calendar::{CountingRule, DayUnit, Reckoning};
use crate::i18n::Lang;
use crate::i18n::desk::DeskTexts;
use crate::model::AppError;
use crate::model::staff::{
    CannedText, Choice, NOTE_MAX, NoteView, RelatedCase, StaffCaseView, TimerView,
};
use crate::workflow::{Outcome, TimerState, TimerStatus};

/// A day as the page writes it: "vineri 03.04.2026".
pub fn day(t: &DeskTexts, d: NaiveDate) -> String {
    let wd = t.weekdays[d.weekday().num_days_from_monday() as usize];
    format!("{wd} {}", d.format("%d.%m.%Y"))
}

/// The computation of a term in words: how it was counted from its start, what moved it, its
/// pauses and extension, and its last day. Pure (the texts and dates are given).
pub fn explain(
    t: &DeskTexts,
    amount: u32,
    unit: DayUnit,
    rule: CountingRule,
    started_by: &str,
    r: &Reckoning,
    state: &TimerState,
) -> Vec<String> {
    let n = if t.numeral_de && (amount % 100 >= 20 || (amount > 0 && amount.is_multiple_of(100))) {
        format!("{amount} de")
    } else {
        amount.to_string()
    };
    let term = match unit {
        DayUnit::CalendarDays => t.x_calendar_days,
        DayUnit::WorkingDays => t.x_working_days,
        DayUnit::CalendarMonths => t.x_calendar_months,
    }
    .replace("{n}", &n);
    let free = match rule {
        CountingRule::FreeDays => t.x_free_days,
        CountingRule::Plain => "",
    };
    let mut first = t
        .x_start
        .replace("{term}", &format!("{term}{free}"))
        .replace("{from}", started_by)
        .replace("{date}", &day(t, r.start));
    first.push_str(": ");
    first.push_str(&t.x_end.replace("{end}", &day(t, r.counted_end)));
    if r.due != r.counted_end {
        let why: Vec<String> = r
            .moved_past
            .iter()
            .map(|(_, name)| name.clone().unwrap_or_else(|| t.x_weekend.to_string()))
            .fold(Vec::new(), |mut acc, w| {
                if !acc.contains(&w) {
                    acc.push(w);
                }
                acc
            });
        first.push_str(", ");
        first.push_str(
            &t.x_moved
                .replace("{why}", &why.join(", "))
                .replace("{due}", &day(t, r.due)),
        );
    }
    first.push('.');
    let mut lines = vec![first];
    if !r.holidays_skipped.is_empty() {
        let list: Vec<String> = r
            .holidays_skipped
            .iter()
            .map(|h| format!("{} ({})", day(t, h.date), h.name))
            .collect();
        lines.push(t.x_holidays_skipped.replace("{list}", &list.join(", ")));
    }
    for (from, to) in &state.pauses {
        lines.push(match to {
            Some(to) => t
                .x_pause
                .replace("{from}", &day(t, *from))
                .replace("{to}", &day(t, *to))
                .replace("{n}", &(*to - *from).num_days().to_string()),
            None => t.x_paused_now.replace("{from}", &day(t, *from)),
        });
    }
    if state.extended_days > 0 {
        lines.push(
            t.x_extended
                .replace("{n}", &state.extended_days.to_string()),
        );
    }
    lines.push(t.x_last_day.replace("{due}", &day(t, state.due)));
    lines
}

fn timer_status(t: &DeskTexts, s: &TimerStatus) -> String {
    match s {
        TimerStatus::Running => t.t_running,
        TimerStatus::Paused { .. } => t.t_paused,
        TimerStatus::Expired => t.t_expired,
        _ => t.t_done,
    }
    .to_string()
}

pub fn channel_label(t: &DeskTexts, channel: &str) -> String {
    match channel {
        "paper" => t.ch_paper,
        "post" => t.ch_post,
        "oral" => t.ch_oral,
        "email" => t.ch_email,
        _ => t.ch_online,
    }
    .to_string()
}

/// The terms of the case, each explained.
fn timers(loaded: &Loaded, events: &[case_event::Model], lang: Lang) -> Vec<TimerView> {
    let t = lang.desk();
    let def = &loaded.definition;
    let tz = time_zone(&loaded.institution.timezone);
    // The step that last started each timer, and when.
    let mut started: BTreeMap<String, (NaiveDate, String)> = BTreeMap::new();
    for e in events {
        let Some(changes) = e
            .data
            .as_ref()
            .and_then(|d| d.get("timer_changes"))
            .and_then(|c| c.as_array())
        else {
            continue;
        };
        for c in changes {
            if c.get("change").and_then(|v| v.as_str()) == Some("start")
                && let Some(timer) = c.get("timer").and_then(|v| v.as_str())
            {
                let label = def
                    .transition(&e.transition)
                    .map(|tr| tr.labels.get(lang.code()).to_string())
                    .unwrap_or_else(|| e.transition.clone());
                started.insert(timer.to_string(), (local_date(e.at, tz), label));
            }
        }
    }
    let mut out = Vec::new();
    for state in &loaded.snapshot.timers {
        let Some(td) = def.timer(&state.timer) else {
            continue;
        };
        let term = td.term(def.counting);
        let (start, by) = started.get(&state.timer).cloned().unwrap_or_else(|| {
            let row = loaded.timers.iter().find(|r| r.name == state.timer);
            (
                row.map_or(state.due, |r| local_date(r.started_at, tz)),
                String::new(),
            )
        });
        let reckoning = loaded.calendar.reckon(start, term);
        out.push(TimerView {
            id: state.timer.clone(),
            label: td.labels.get(lang.code()).to_string(),
            status: timer_status(t, &state.status),
            due: day(t, state.due),
            explanation: explain(t, term.amount, term.unit, term.rule, &by, &reckoning, state),
        });
    }
    out
}

async fn user_names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<BTreeMap<i64, String>, AppError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect())
}

/// The internal notes of a case, oldest first.
async fn notes(db: &DatabaseConnection, case_id: i64) -> Result<Vec<NoteView>, AppError> {
    let rows = case_note::Entity::find()
        .filter(case_note::Column::CaseId.eq(case_id))
        .order_by_asc(case_note::Column::Id)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().filter_map(|n| n.author_id)).await?;
    Ok(rows
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            author: n
                .author_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            at: n.created_at.to_rfc3339(),
            body: n.body,
        })
        .collect())
}

/// The cases that bear on this one, within the reader's scope: the petitioner's other cases
/// (the same account, or the same address when filed without one), the case this one contests
/// and the cases that contest it.
async fn related(
    db: &DatabaseConnection,
    principal: &Principal,
    case: &petition_case::Model,
    lang: Lang,
) -> Result<Vec<RelatedCase>, AppError> {
    let t = lang.desk();
    let mut links = Condition::any().add(petition_case::Column::LinkedCaseId.eq(case.id));
    if let Some(linked) = case.linked_case_id {
        links = links.add(petition_case::Column::Id.eq(linked));
    }
    if let Some(p) = case.petitioner_id {
        links = links.add(petition_case::Column::PetitionerId.eq(p));
    } else if let Some(email) = &case.petitioner_email {
        links = links.add(petition_case::Column::PetitionerEmail.eq(email.as_str()));
    }
    let rows = petition_case::Entity::find()
        .filter(auth::case_scope(principal))
        .filter(links)
        .filter(petition_case::Column::Id.ne(case.id))
        .order_by_desc(petition_case::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let relation = if Some(r.id) == case.linked_case_id {
            t.r_contests
        } else if r.linked_case_id == Some(case.id) {
            t.r_contested_by
        } else {
            t.r_same_petitioner
        };
        let def = super::definitions::get(db, &r.workflow_name, r.workflow_version).await?;
        out.push(RelatedCase {
            id: r.id,
            registration_number: r.registration_number,
            relation: relation.to_string(),
            subject: r.subject,
            status: def.state_label(&r.status, lang.code()),
        });
    }
    Ok(out)
}

/// The officers and managers who may be given a case of `department_id`: active, of the
/// institution, of that department or of none. The assignment forms offer these, and
/// `case_actions` accepts only these.
pub(crate) async fn officers(
    db: &DatabaseConnection,
    institution_id: i64,
    department_id: Option<i64>,
) -> Result<Vec<Choice>, AppError> {
    let mut q = user_role::Entity::find()
        .filter(user_role::Column::InstitutionId.eq(institution_id))
        .filter(user_role::Column::Role.is_in(["officer", "manager"]));
    q = match department_id {
        Some(d) => q.filter(
            Condition::any()
                .add(user_role::Column::DepartmentId.eq(d))
                .add(user_role::Column::DepartmentId.is_null()),
        ),
        None => q,
    };
    let ids: Vec<i64> = q.all(db).await?.into_iter().map(|r| r.user_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::FullName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.full_name,
        })
        .collect())
}

/// The officers `account` may give cases to: of the departments it manages, or of the whole
/// institution it administers. Empty for officers (they claim, they do not assign).
pub async fn assignable(
    db: &DatabaseConnection,
    account: &auth::Account,
) -> Result<Vec<Choice>, AppError> {
    use crate::model::account::Role as AccountRole;
    let mut out: Vec<Choice> = Vec::new();
    for g in &account.grants {
        let list = match (g.role, g.institution_id, g.department_id) {
            (AccountRole::Manager, Some(i), d) => officers(db, i, d).await?,
            (AccountRole::Admin, Some(i), _) => officers(db, i, None).await?,
            (AccountRole::Admin, None, _) => {
                let home = super::portal::home_institution(db).await?;
                officers(db, home.id, None).await?
            }
            _ => continue,
        };
        for c in list {
            if out.iter().all(|o| o.value != c.value) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// The canned answers for a case of `category_id` (and those for every category).
pub async fn canned_for(
    db: &DatabaseConnection,
    institution_id: i64,
    category_id: Option<i64>,
) -> Result<Vec<CannedText>, AppError> {
    let mut cat = Condition::any().add(canned_answer::Column::CategoryId.is_null());
    if let Some(c) = category_id {
        cat = cat.add(canned_answer::Column::CategoryId.eq(c));
    }
    Ok(canned_answer::Entity::find()
        .filter(canned_answer::Column::InstitutionId.eq(institution_id))
        .filter(cat)
        .order_by_asc(canned_answer::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CannedText {
            id: c.id,
            title: c.title,
            body: c.body,
        })
        .collect())
}

/// The staff part of the page of `case`, or `None` when `principal` is not staff of its scope.
pub async fn view(
    db: &DatabaseConnection,
    principal: &Principal,
    loaded: &Loaded,
    events: &[case_event::Model],
    lang: Lang,
) -> Result<Option<StaffCaseView>, AppError> {
    let case = &loaded.case;
    if !sees_internal(principal, case) {
        return Ok(None);
    }
    let t = lang.desk();
    let name = |ro: &str, ru: &str, en: &str| localized(lang, ro, ru, en).to_string();
    let department = match case.department_id {
        Some(id) => department::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|d| name(&d.name_ro, &d.name_ru, &d.name_en)),
        None => None,
    };
    let category = match case.category_id {
        Some(id) => category::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| name(&c.name_ro, &c.name_ru, &c.name_en)),
        None => None,
    };
    let service = match case.service_id {
        Some(id) => public_service::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| name(&s.name_ro, &s.name_ru, &s.name_en)),
        None => None,
    };
    let assignee = user_names(db, case.assignee_id).await?.into_values().next();
    let institutions = institution::Entity::find()
        .filter(institution::Column::Id.ne(case.institution_id))
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| Choice {
            value: i.id.to_string(),
            label: name(&i.name_ro, &i.name_ru, &i.name_en),
        })
        .collect();
    let departments = active_departments(db, case.institution_id, lang)
        .await?
        .into_iter()
        .map(|(id, label)| Choice {
            value: id.to_string(),
            label,
        })
        .collect();
    let texts = lang.texts();
    let kind = match case.kind.as_str() {
        "complaint" => texts.kind_complaint,
        "prior_complaint" => texts.kind_prior_complaint,
        "information_request" => texts.kind_information_request,
        crate::model::data_rights::RECTIFICATION => lang.data_rights().subject_rectification,
        crate::model::data_rights::ERASURE => lang.data_rights().subject_erasure,
        _ => texts.kind_petition,
    };
    Ok(Some(StaffCaseView {
        petitioner_name: case.petitioner_name.clone(),
        petitioner_email: case.petitioner_email.clone(),
        petitioner_address: case.petitioner_address.clone(),
        channel: channel_label(t, &case.channel),
        kind: kind.to_string(),
        department,
        category,
        service,
        assignee,
        address: case.address.clone(),
        decision_number: case.decision_number.clone(),
        decision_date: case.decision_date.map(|d| d.format("%d.%m.%Y").to_string()),
        timers: timers(loaded, events, lang),
        notes: notes(db, case.id).await?,
        related: related(db, principal, case, lang).await?,
        institutions,
        departments,
        officers: officers(db, case.institution_id, case.department_id).await?,
        outcomes: Outcome::ALL
            .iter()
            .map(|o| Choice {
                value: o.code().to_string(),
                label: o.label(lang.code()).to_string(),
            })
            .collect(),
        canned: canned_for(db, case.institution_id, case.category_id).await?,
        publication: super::publication::status(db, case).await?,
    }))
}

/// Adds an internal note to a case in the asker's staff scope.
pub async fn add_note(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
    body: &str,
) -> Result<(), AppError> {
    let case = auth::visible_case(db, principal, case_id).await?;
    let principal = principal.ok_or(AppError::NotFound)?;
    if !sees_internal(principal, &case) {
        return Err(AppError::Forbidden);
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("note", "note_required"));
    }
    if body.chars().count() as u64 > NOTE_MAX {
        return Err(AppError::field("note", "note_length"));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let note = case_note::ActiveModel {
        case_id: Set(case.id),
        author_id: Set(principal.account().map(|a| a.user_id)),
        body: Set(body.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut entry = super::audit::Entry::new(super::audit::action::CASE_NOTE)
        .case(case.id, case.institution_id)
        .target("case_note", note.id);
    if let Some(account) = principal.account() {
        entry = entry.by_account(account, Some(case.institution_id));
    }
    super::audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Calendar, CountryCalendar, Term};

    #[test]
    fn the_issue_example_reads_as_asked() {
        let cal = Calendar::new(CountryCalendar::Md);
        let start = NaiveDate::from_ymd_opt(2026, 4, 3).unwrap();
        let term = Term {
            amount: 30,
            unit: DayUnit::CalendarDays,
            rule: CountingRule::Plain,
        };
        let r = cal.reckon(start, term);
        let state = TimerState {
            timer: "answer_due".into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 19).unwrap(),
            status: TimerStatus::Running,
            reminders_sent: vec![],
            extended_days: 15,
            pauses: vec![(
                NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
                Some(NaiveDate::from_ymd_opt(2026, 4, 14).unwrap()),
            )],
        };
        let lines = explain(
            Lang::En.desk(),
            30,
            DayUnit::CalendarDays,
            CountingRule::Plain,
            "Register",
            &r,
            &state,
        );
        assert_eq!(
            lines[0],
            "30 calendar days from Register on Friday 03.04.2026: the count ends on Sunday \
             03.05.2026, a day off (weekend); moved to Monday 04.05.2026."
        );
        assert_eq!(
            lines[1],
            "Paused from Friday 10.04.2026 to Tuesday 14.04.2026 (4 days)"
        );
        assert_eq!(lines[2], "Extended by 15 days");
        assert_eq!(lines[3], "Last day: Tuesday 19.05.2026");
        let ro = explain(
            Lang::Ro.desk(),
            30,
            DayUnit::CalendarDays,
            CountingRule::Plain,
            "Înregistrare",
            &r,
            &state,
        );
        assert!(ro[0].contains("duminică 03.05.2026"), "{}", ro[0]);
        assert!(ro[0].contains("luni 04.05.2026"), "{}", ro[0]);
    }
}
