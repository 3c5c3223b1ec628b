//! The engine: a pure function of (definition, calendar, case, event, today) that returns a
//! typed refusal or the complete outcome. No I/O, no clock: `today` is the institution's local
//! date, given by the caller.

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::definition::*;
use crate::calendar::Calendar;

/// A timer as it stands on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerState {
    pub timer: String,
    /// The last day to act.
    pub due: NaiveDate,
    pub status: TimerStatus,
    /// Reminders already sent, as days before `due`.
    #[serde(default)]
    pub reminders_sent: Vec<u32>,
    /// Days added by extensions.
    #[serde(default)]
    pub extended_days: u32,
    /// Every pause, for the record: `(from, to)`; `to` is `None` while paused.
    #[serde(default)]
    pub pauses: Vec<(NaiveDate, Option<NaiveDate>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TimerStatus {
    Running,
    /// Paused on `since` with `remaining_days` calendar days left to the last day.
    Paused {
        since: NaiveDate,
        remaining_days: i64,
    },
    /// The last day passed before the timer was stopped.
    Expired,
    Cancelled,
    /// Stopped in time (or after expiry: see the case's overdue flag).
    Done,
}

/// The engine's view of a case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSnapshot {
    pub state: String,
    pub timers: Vec<TimerState>,
    pub counters: BTreeMap<String, u32>,
    pub overdue: bool,
    pub assignee_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub department_id: Option<i64>,
    pub outcome: Option<Outcome>,
}

impl CaseSnapshot {
    pub fn timer(&self, id: &str) -> Option<&TimerState> {
        self.timers.iter().find(|t| t.timer == id)
    }
}

/// Who fires a transition, with the role the caller established for this case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub user_id: Option<i64>,
}

/// What an actor supplies with a transition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransitionInput {
    pub answer: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<Outcome>,
    pub target_institution_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub department_id: Option<i64>,
    pub extension_days: Option<u32>,
    pub note: Option<String>,
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Transition {
        id: String,
        actor: Actor,
        input: TransitionInput,
    },
    ReminderDue {
        timer: String,
        days_before: u32,
    },
    TimerExpired {
        timer: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("there is no action `{0}` in this workflow")]
    UnknownTransition(String),
    #[error("`{transition}` is not possible while the case is `{state}`")]
    NotAllowedInState { transition: String, state: String },
    #[error("the role {role:?} may not do `{transition}`")]
    RoleNotAllowed { transition: String, role: Role },
    #[error("`{}` is required", .0.name())]
    MissingField(Field),
    #[error("`{}`: {reason}", .field.name())]
    InvalidField { field: Field, reason: String },
    #[error("`{transition}` is not possible now: {reason}")]
    GuardFailed { transition: String, reason: String },
    #[error("the timer `{0}` is not running")]
    TimerNotRunning(String),
    #[error("the timer `{0}` is not due yet")]
    NotDue(String),
    #[error("the case is in an unknown state `{0}`")]
    UnknownState(String),
}

/// A timer change, for the history and the tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum TimerChange {
    Start {
        timer: String,
        due: NaiveDate,
    },
    Stop {
        timer: String,
    },
    Pause {
        timer: String,
        remaining_days: i64,
    },
    Resume {
        timer: String,
        due: NaiveDate,
    },
    Extend {
        timer: String,
        days: u32,
        due: NaiveDate,
    },
    Expire {
        timer: String,
    },
    Remind {
        timer: String,
        days_before: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailIntent {
    pub template: String,
    pub recipient: Recipient,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Transition,
    Reminder,
    Expiry,
}

/// The case-history entry of an applied event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub kind: HistoryKind,
    pub transition: Option<String>,
    pub timer: Option<String>,
    pub from_state: String,
    pub to_state: String,
    pub actor_role: Role,
    /// Shown to the petitioner.
    pub public: bool,
    pub reason: Option<String>,
    pub answer: Option<String>,
    pub outcome: Option<Outcome>,
    pub target_institution_id: Option<i64>,
    pub timer_changes: Vec<TimerChange>,
}

impl HistoryEntry {
    /// A short name: the transition id (also when a timer fired it), or `timer:NAME:reminder` /
    /// `timer:NAME:expired`.
    pub fn name(&self) -> String {
        match (&self.kind, &self.transition, &self.timer) {
            (_, Some(t), _) => t.clone(),
            (HistoryKind::Reminder, _, Some(t)) => format!("timer:{t}:reminder"),
            (HistoryKind::Expiry, _, Some(t)) => format!("timer:{t}:expired"),
            _ => "event".to_string(),
        }
    }
}

/// Everything an applied event changes. `timers_after` and `counters_after` are complete, so
/// persistence can write them as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub new_state: String,
    pub timer_changes: Vec<TimerChange>,
    pub timers_after: Vec<TimerState>,
    pub counters_after: BTreeMap<String, u32>,
    pub overdue_after: bool,
    pub assignee_after: Option<i64>,
    pub department_after: Option<i64>,
    pub outcome_after: Option<Outcome>,
    pub mails: Vec<MailIntent>,
    pub history: HistoryEntry,
}

fn present(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

fn check_field(
    field: Field,
    input: &TransitionInput,
    def: &Definition,
    t: &Transition,
) -> Result<(), EngineError> {
    let ok = match field {
        Field::Answer => present(&input.answer),
        Field::Reason => present(&input.reason),
        Field::Note => present(&input.note),
        Field::Outcome => input.outcome.is_some(),
        Field::TargetInstitution => input.target_institution_id.is_some(),
        Field::Assignee => input.assignee_id.is_some(),
        Field::Department => input.department_id.is_some(),
        Field::Attachments => !input.attachment_ids.is_empty(),
        Field::ExtensionDays => {
            let Some(days) = input.extension_days else {
                return Err(EngineError::MissingField(field));
            };
            let max = t
                .effects
                .iter()
                .filter_map(|e| match e {
                    Effect::Extend(timer) => def.timer(timer).map(|d| d.max_extension_days),
                    _ => None,
                })
                .min()
                .unwrap_or(0);
            if days == 0 || days > max {
                return Err(EngineError::InvalidField {
                    field,
                    // A code the pages name in words; the limit is in the definition.
                    reason: format!("extension_days_range:{max}"),
                });
            }
            true
        }
    };
    if ok {
        Ok(())
    } else {
        Err(EngineError::MissingField(field))
    }
}

fn guard_passes(g: &Guard, case: &CaseSnapshot, today: NaiveDate) -> Result<(), String> {
    match g {
        Guard::MaxCount { counter, max } => {
            let n = case.counters.get(counter).copied().unwrap_or(0);
            if n < *max {
                Ok(())
            } else {
                Err(format!("`{counter}` already used {n} of {max} times"))
            }
        }
        Guard::BeforeDue(timer) => match case.timer(timer) {
            Some(t) if t.status == TimerStatus::Running && today <= t.due => Ok(()),
            Some(t) if t.status == TimerStatus::Running => {
                Err(format!("the term `{timer}` ended on {}", t.due))
            }
            _ => Err(format!("the term `{timer}` is not running")),
        },
        Guard::TimerActive(timer) => match case.timer(timer) {
            Some(t) if matches!(t.status, TimerStatus::Running | TimerStatus::Paused { .. }) => {
                Ok(())
            }
            _ => Err(format!("the term `{timer}` is not running")),
        },
    }
}

/// Checks state, role, fields and guards of transition `t` for `actor`.
fn allowed(
    def: &Definition,
    case: &CaseSnapshot,
    t: &Transition,
    role: Role,
    input: Option<&TransitionInput>,
    today: NaiveDate,
) -> Result<(), EngineError> {
    let kind = def
        .state(&case.state)
        .map(|s| s.kind)
        .ok_or_else(|| EngineError::UnknownState(case.state.clone()))?;
    if !t.fires_from(&case.state, kind) {
        return Err(EngineError::NotAllowedInState {
            transition: t.id.clone(),
            state: case.state.clone(),
        });
    }
    if !t.roles.contains(&role) {
        return Err(EngineError::RoleNotAllowed {
            transition: t.id.clone(),
            role,
        });
    }
    if let Some(input) = input {
        for f in &t.fields {
            check_field(*f, input, def, t)?;
        }
    }
    for g in &t.guards {
        guard_passes(g, case, today).map_err(|reason| EngineError::GuardFailed {
            transition: t.id.clone(),
            reason,
        })?;
    }
    Ok(())
}

/// The transitions `role` may fire on `case` today (fields are checked when fired).
pub fn available_transitions<'d>(
    def: &'d Definition,
    case: &CaseSnapshot,
    role: Role,
    today: NaiveDate,
) -> Vec<&'d Transition> {
    def.transitions
        .iter()
        .filter(|t| allowed(def, case, t, role, None, today).is_ok())
        .collect()
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

/// The working state of an application, mutated effect by effect.
struct Work {
    timers: Vec<TimerState>,
    changes: Vec<TimerChange>,
    counters: BTreeMap<String, u32>,
    overdue: bool,
    assignee: Option<i64>,
    department: Option<i64>,
    outcome: Option<Outcome>,
    mails: Vec<MailIntent>,
}

impl Work {
    fn from(case: &CaseSnapshot) -> Self {
        Work {
            timers: case.timers.clone(),
            changes: Vec::new(),
            counters: case.counters.clone(),
            overdue: case.overdue,
            assignee: case.assignee_id,
            department: case.department_id,
            outcome: case.outcome,
            mails: Vec::new(),
        }
    }

    fn timer_mut(&mut self, id: &str) -> Option<&mut TimerState> {
        self.timers.iter_mut().find(|t| t.timer == id)
    }

    fn notify(&mut self, to: &[Recipient], template: &str) {
        for r in to {
            let mail = MailIntent {
                template: template.to_string(),
                recipient: *r,
            };
            if !self.mails.contains(&mail) {
                self.mails.push(mail);
            }
        }
    }
}

fn run_effects(
    def: &Definition,
    cal: &Calendar,
    t: &Transition,
    actor: Actor,
    input: &TransitionInput,
    w: &mut Work,
    today: NaiveDate,
) -> Result<(), EngineError> {
    for e in &t.effects {
        match e {
            Effect::Start(id) => {
                let Some(td) = def.timer(id) else { continue };
                let due = cal.due_date(today, td.term(def.counting));
                let fresh = TimerState {
                    timer: id.clone(),
                    due,
                    status: TimerStatus::Running,
                    reminders_sent: vec![],
                    extended_days: 0,
                    pauses: vec![],
                };
                match w.timer_mut(id) {
                    Some(existing) => *existing = fresh,
                    None => w.timers.push(fresh),
                }
                w.changes.push(TimerChange::Start {
                    timer: id.clone(),
                    due,
                });
            }
            Effect::Stop(id) => {
                if let Some(timer) = w.timer_mut(id)
                    && matches!(
                        timer.status,
                        TimerStatus::Running | TimerStatus::Paused { .. } | TimerStatus::Expired
                    )
                {
                    if let TimerStatus::Paused { .. } = timer.status
                        && let Some(last) = timer.pauses.last_mut()
                    {
                        last.1 = Some(today);
                    }
                    timer.status = TimerStatus::Done;
                    w.changes.push(TimerChange::Stop { timer: id.clone() });
                }
            }
            Effect::Pause(id) => {
                if let Some(timer) = w.timer_mut(id)
                    && timer.status == TimerStatus::Running
                {
                    let remaining_days = (timer.due - today).num_days().max(0);
                    timer.status = TimerStatus::Paused {
                        since: today,
                        remaining_days,
                    };
                    timer.pauses.push((today, None));
                    w.changes.push(TimerChange::Pause {
                        timer: id.clone(),
                        remaining_days,
                    });
                }
            }
            Effect::Resume(id) => {
                if let Some(timer) = w.timer_mut(id)
                    && let TimerStatus::Paused { remaining_days, .. } = timer.status
                {
                    let due = cal.roll_forward(add_days(today, remaining_days));
                    timer.due = due;
                    timer.status = TimerStatus::Running;
                    // Reminders count again from the new last day.
                    timer.reminders_sent.clear();
                    if let Some(last) = timer.pauses.last_mut() {
                        last.1 = Some(today);
                    }
                    w.changes.push(TimerChange::Resume {
                        timer: id.clone(),
                        due,
                    });
                }
            }
            Effect::Extend(id) => {
                let days = input.extension_days.unwrap_or(0);
                let Some(timer) = w.timer_mut(id) else {
                    return Err(EngineError::TimerNotRunning(id.clone()));
                };
                if timer.status != TimerStatus::Running {
                    return Err(EngineError::TimerNotRunning(id.clone()));
                }
                let moved = add_days(timer.due, i64::from(days));
                let months = def.timer(id).map_or(0, |d| d.max_extension_months);
                if months > 0
                    && timer
                        .due
                        .checked_add_months(Months::new(months))
                        .is_some_and(|limit| moved > limit)
                {
                    return Err(EngineError::InvalidField {
                        field: Field::ExtensionDays,
                        reason: format!("extension_months_range:{months}"),
                    });
                }
                let due = cal.roll_forward(moved);
                timer.due = due;
                timer.extended_days += days;
                timer.reminders_sent.clear();
                w.changes.push(TimerChange::Extend {
                    timer: id.clone(),
                    days,
                    due,
                });
            }
            Effect::Increment(counter) => {
                *w.counters.entry(counter.clone()).or_insert(0) += 1;
            }
            Effect::Assign(AssignFrom::Actor) => w.assignee = actor.user_id.or(w.assignee),
            Effect::Assign(AssignFrom::Field) => w.assignee = input.assignee_id.or(w.assignee),
            Effect::SetDepartment(true) => {
                if input.department_id.is_some() {
                    w.department = input.department_id;
                    // A new department examines it: whoever had it no longer does.
                    w.assignee = None;
                }
            }
            Effect::SetOutcome(true) => w.outcome = input.outcome.or(w.outcome),
            Effect::SetDepartment(false) | Effect::SetOutcome(false) => {}
            Effect::Notify(n) => w.notify(&n.to, &n.template),
        }
    }
    Ok(())
}

fn finish(case: &CaseSnapshot, w: Work, new_state: String, history: HistoryEntry) -> Applied {
    Applied {
        new_state,
        timer_changes: w.changes,
        timers_after: w.timers,
        counters_after: w.counters,
        overdue_after: w.overdue,
        assignee_after: w.assignee,
        department_after: w.department,
        outcome_after: w.outcome,
        mails: w.mails,
        history: HistoryEntry {
            from_state: case.state.clone(),
            ..history
        },
    }
}

/// The history entry of something a timer caused (a reminder, an expiry, a transition it fired).
fn timer_history(
    kind: HistoryKind,
    timer: &str,
    transition: Option<String>,
    to_state: String,
    public: bool,
    changes: &[TimerChange],
) -> HistoryEntry {
    HistoryEntry {
        kind,
        transition,
        timer: Some(timer.to_string()),
        from_state: String::new(),
        to_state,
        actor_role: Role::System,
        public,
        reason: None,
        answer: None,
        outcome: None,
        target_institution_id: None,
        timer_changes: changes.to_vec(),
    }
}

/// Applies `event` to `case`. A refused event changes nothing.
pub fn apply(
    def: &Definition,
    cal: &Calendar,
    case: &CaseSnapshot,
    event: &Event,
    today: NaiveDate,
) -> Result<Applied, EngineError> {
    match event {
        Event::Transition { id, actor, input } => {
            let t = def
                .transition(id)
                .ok_or_else(|| EngineError::UnknownTransition(id.clone()))?;
            allowed(def, case, t, actor.role, Some(input), today)?;
            let mut w = Work::from(case);
            run_effects(def, cal, t, *actor, input, &mut w, today)?;
            let history = HistoryEntry {
                kind: HistoryKind::Transition,
                transition: Some(t.id.clone()),
                timer: None,
                from_state: String::new(),
                to_state: t.to.clone(),
                actor_role: actor.role,
                public: t.public,
                reason: input.reason.clone().filter(|s| !s.trim().is_empty()),
                answer: input.answer.clone().filter(|s| !s.trim().is_empty()),
                outcome: input
                    .outcome
                    .filter(|_| t.effects.contains(&Effect::SetOutcome(true))),
                target_institution_id: input.target_institution_id,
                timer_changes: w.changes.clone(),
            };
            Ok(finish(case, w, t.to.clone(), history))
        }
        Event::ReminderDue { timer, days_before } => {
            let td = def
                .timer(timer)
                .ok_or_else(|| EngineError::TimerNotRunning(timer.clone()))?;
            let state = case
                .timer(timer)
                .filter(|t| t.status == TimerStatus::Running)
                .ok_or_else(|| EngineError::TimerNotRunning(timer.clone()))?;
            if !td.reminders.contains(days_before)
                || state.reminders_sent.contains(days_before)
                || add_days(state.due, -i64::from(*days_before)) > today
                || today > state.due
            {
                return Err(EngineError::NotDue(timer.clone()));
            }
            let mut w = Work::from(case);
            let due = state.due;
            if let Some(t) = w.timer_mut(timer) {
                // A late ticker sends only the most urgent reminder: the earlier ones are moot.
                for r in &td.reminders {
                    if r >= days_before && !t.reminders_sent.contains(r) {
                        t.reminders_sent.push(*r);
                    }
                }
                t.reminders_sent.sort_unstable();
            }
            let to = if case.assignee_id.is_some() {
                Recipient::Assignee
            } else {
                Recipient::DepartmentOfficers
            };
            if let Some(template) = &td.reminder_template {
                w.notify(&[to], template);
            }
            let days_left = (due - today).num_days().max(0) as u32;
            w.changes.push(TimerChange::Remind {
                timer: timer.clone(),
                days_before: days_left,
            });
            let history = timer_history(
                HistoryKind::Reminder,
                timer,
                None,
                case.state.clone(),
                false,
                &w.changes,
            );
            Ok(finish(case, w, case.state.clone(), history))
        }
        Event::TimerExpired { timer } => {
            let td = def
                .timer(timer)
                .ok_or_else(|| EngineError::TimerNotRunning(timer.clone()))?;
            let state = case
                .timer(timer)
                .filter(|t| t.status == TimerStatus::Running)
                .ok_or_else(|| EngineError::TimerNotRunning(timer.clone()))?;
            if today <= state.due {
                return Err(EngineError::NotDue(timer.clone()));
            }
            match &td.on_expiry {
                ExpiryAction::Transition(tid) => {
                    let t = def
                        .transition(tid)
                        .ok_or_else(|| EngineError::UnknownTransition(tid.clone()))?;
                    let actor = Actor {
                        role: Role::System,
                        user_id: None,
                    };
                    allowed(def, case, t, Role::System, None, today)?;
                    let mut w = Work::from(case);
                    if let Some(ts) = w.timer_mut(timer) {
                        ts.status = TimerStatus::Expired;
                    }
                    w.changes.push(TimerChange::Expire {
                        timer: timer.clone(),
                    });
                    run_effects(
                        def,
                        cal,
                        t,
                        actor,
                        &TransitionInput::default(),
                        &mut w,
                        today,
                    )?;
                    let history = timer_history(
                        HistoryKind::Expiry,
                        timer,
                        Some(t.id.clone()),
                        t.to.clone(),
                        t.public,
                        &w.changes,
                    );
                    Ok(finish(case, w, t.to.clone(), history))
                }
                action => {
                    let mut w = Work::from(case);
                    if let Some(ts) = w.timer_mut(timer) {
                        ts.status = TimerStatus::Expired;
                    }
                    w.changes.push(TimerChange::Expire {
                        timer: timer.clone(),
                    });
                    if *action == ExpiryAction::MarkOverdue {
                        w.overdue = true;
                    }
                    if let Some(template) = &td.expiry_template {
                        let mut to = vec![Recipient::DepartmentManager];
                        if case.assignee_id.is_some() {
                            to.push(Recipient::Assignee);
                        }
                        w.notify(&to, template);
                    }
                    let history = timer_history(
                        HistoryKind::Expiry,
                        timer,
                        None,
                        case.state.clone(),
                        false,
                        &w.changes,
                    );
                    Ok(finish(case, w, case.state.clone(), history))
                }
            }
        }
    }
}

/// The dates on which a running timer needs attention: its pending reminders and its expiry
/// (the day after the last day to act).
pub fn next_fire_dates(def: &Definition, timer: &TimerState) -> (Vec<NaiveDate>, NaiveDate) {
    let reminders = def
        .timer(&timer.timer)
        .map(|td| {
            td.reminders
                .iter()
                .filter(|r| !timer.reminders_sent.contains(r))
                .map(|r| add_days(timer.due, -i64::from(*r)))
                .collect()
        })
        .unwrap_or_default();
    (reminders, add_days(timer.due, 1))
}

/// The event a running timer is due for today, if any: its expiry once the last day has
/// passed, else its most urgent unsent reminder whose day has come.
pub fn due_event(def: &Definition, timer: &TimerState, today: NaiveDate) -> Option<Event> {
    if timer.status != TimerStatus::Running {
        return None;
    }
    if today > timer.due {
        return Some(Event::TimerExpired {
            timer: timer.timer.clone(),
        });
    }
    let td = def.timer(&timer.timer)?;
    td.reminders
        .iter()
        .filter(|r| {
            !timer.reminders_sent.contains(r) && add_days(timer.due, -i64::from(**r)) <= today
        })
        .min()
        .map(|r| Event::ReminderDue {
            timer: timer.timer.clone(),
            days_before: *r,
        })
}

/// The last days to act a case registered on `filed` would get: the timers started by the
/// transitions out of the initial state.
pub fn preview(def: &Definition, cal: &Calendar, filed: NaiveDate) -> BTreeMap<String, NaiveDate> {
    let initial = def.initial_state();
    let mut out = BTreeMap::new();
    for t in def
        .transitions
        .iter()
        .filter(|t| t.from.iter().any(|f| f == initial))
    {
        for e in &t.effects {
            if let Effect::Start(id) = e
                && let Some(td) = def.timer(id)
            {
                out.insert(id.clone(), cal.due_date(filed, td.term(def.counting)));
            }
        }
    }
    out
}
