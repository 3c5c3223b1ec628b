//! Loading a definition from TOML: every problem is reported with its line and column, not
//! just the first one.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::definition::*;
use super::templates::KNOWN_TEMPLATES;
use crate::calendar::{CountingRule, CountryCalendar, DayUnit};

/// One problem in a definition document. Line and column are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDef {
    name: Spanned<String>,
    #[serde(default)]
    version: Option<u32>,
    case_type: Spanned<String>,
    calendar: Spanned<String>,
    counting: Spanned<String>,
    labels: Option<Spanned<RawLabels>>,
    #[serde(default)]
    states: Vec<Spanned<RawState>>,
    #[serde(default)]
    timers: Vec<Spanned<RawTimer>>,
    #[serde(default)]
    transitions: Vec<Spanned<RawTransition>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    ro: Option<String>,
    ru: Option<String>,
    en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    id: Spanned<String>,
    kind: Spanned<String>,
    clock: Option<Spanned<String>>,
    labels: Option<Spanned<RawLabels>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimer {
    id: Spanned<String>,
    amount: u32,
    unit: Spanned<String>,
    counting: Option<Spanned<String>>,
    #[serde(default)]
    reminders: Vec<u32>,
    reminder_template: Option<Spanned<String>>,
    #[serde(default)]
    max_extension_days: u32,
    #[serde(default)]
    max_extension_months: u32,
    on_expiry: Spanned<toml::Value>,
    expiry_template: Option<Spanned<String>>,
    labels: Option<Spanned<RawLabels>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    id: Spanned<String>,
    from: Vec<Spanned<String>>,
    to: Spanned<String>,
    roles: Vec<Spanned<String>>,
    #[serde(default)]
    fields: Vec<Spanned<String>>,
    #[serde(default)]
    optional: Vec<Spanned<String>>,
    #[serde(default)]
    guards: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    effects: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    public: bool,
    labels: Option<Spanned<RawLabels>>,
}

/// Collects problems with positions computed from byte offsets.
struct Report<'a> {
    src: &'a str,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let offset = span.start.min(self.src.len());
        let before = &self.src[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        self.problems.push(Problem {
            line,
            column,
            message: message.into(),
        });
    }
}

fn labels(
    report: &mut Report,
    raw: &Option<Spanned<RawLabels>>,
    fallback: Range<usize>,
    what: &str,
) -> Labels {
    let Some(raw) = raw else {
        report.at(fallback, format!("{what} has no labels (ro, ru, en)"));
        return Labels::default();
    };
    let span = raw.span();
    let l = raw.get_ref();
    let mut take = |lang: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => {
            report.at(span.clone(), format!("{what} has no `{lang}` label"));
            String::new()
        }
    };
    Labels {
        ro: take("ro", &l.ro),
        ru: take("ru", &l.ru),
        en: take("en", &l.en),
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Definition {
    /// Parses and validates a definition. On failure, every problem found, in document order.
    pub fn from_toml(src: &str) -> Result<Definition, Vec<Problem>> {
        let mut report = Report {
            src,
            problems: Vec::new(),
        };
        let raw: RawDef = match toml::from_str(src) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                report.at(span, e.message().to_string());
                return Err(report.problems);
            }
        };
        let def = check(&mut report, raw);
        if report.problems.is_empty() {
            Ok(def)
        } else {
            report.problems.sort_by_key(|p| (p.line, p.column));
            Err(report.problems)
        }
    }
}

fn check(r: &mut Report, raw: RawDef) -> Definition {
    if !is_id(raw.name.get_ref()) {
        r.at(
            raw.name.span(),
            "the name must be lowercase letters, digits, `-` or `_`",
        );
    }
    let calendar = raw
        .calendar
        .get_ref()
        .parse::<CountryCalendar>()
        .unwrap_or_else(|m| {
            r.at(raw.calendar.span(), m);
            CountryCalendar::Md
        });
    let counting = parse_rule(r, &raw.counting).unwrap_or(CountingRule::Plain);
    if ![
        "petition",
        "prior_complaint",
        "information_request",
        "data_request",
    ]
    .contains(&raw.case_type.get_ref().as_str())
    {
        r.at(
            raw.case_type.span(),
            format!(
                "unknown case type `{}` (expected petition, prior_complaint, information_request or data_request)",
                raw.case_type.get_ref()
            ),
        );
    }
    let def_labels = labels(r, &raw.labels, raw.name.span(), "the definition");

    // States.
    let mut states = Vec::new();
    let mut state_spans: BTreeMap<String, Range<usize>> = BTreeMap::new();
    for s in &raw.states {
        let st = s.get_ref();
        let id = st.id.get_ref().clone();
        if !is_id(&id) {
            r.at(
                st.id.span(),
                format!("`{id}` is not a valid id (lowercase letters, digits, `_`, `-`)"),
            );
        }
        if state_spans.contains_key(&id) {
            r.at(st.id.span(), format!("duplicate state id `{id}`"));
            continue;
        }
        state_spans.insert(id.clone(), st.id.span());
        let kind = match st.kind.get_ref().as_str() {
            "initial" => StateKind::Initial,
            "active" => StateKind::Active,
            "waiting" => StateKind::Waiting,
            "terminal" => StateKind::Terminal,
            other => {
                r.at(
                    st.kind.span(),
                    format!("unknown state kind `{other}` (initial, active, waiting, terminal)"),
                );
                StateKind::Active
            }
        };
        let clock = match st.clock.as_ref().map(|c| (c.get_ref().as_str(), c.span())) {
            None => {
                if kind == StateKind::Terminal {
                    ClockMode::Stopped
                } else {
                    ClockMode::Runs
                }
            }
            Some(("runs", _)) => ClockMode::Runs,
            Some(("paused", _)) => ClockMode::Paused,
            Some(("stopped", _)) => ClockMode::Stopped,
            Some((other, span)) => {
                r.at(
                    span,
                    format!("unknown clock mode `{other}` (runs, paused, stopped)"),
                );
                ClockMode::Runs
            }
        };
        let labels = labels(r, &st.labels, st.id.span(), &format!("state `{id}`"));
        states.push(State {
            id,
            kind,
            clock,
            labels,
        });
    }
    let initials: Vec<&State> = states
        .iter()
        .filter(|s| s.kind == StateKind::Initial)
        .collect();
    match initials.len() {
        1 => {}
        0 => r.at(raw.name.span(), "there is no state of kind `initial`"),
        _ => {
            for s in initials.iter().skip(1) {
                if let Some(span) = state_spans.get(&s.id) {
                    r.at(
                        span.clone(),
                        format!(
                            "a second initial state `{}` (there must be exactly one)",
                            s.id
                        ),
                    );
                }
            }
        }
    }
    let kind_of = |id: &str| states.iter().find(|s| s.id == id).map(|s| s.kind);

    // Timers.
    let mut timers = Vec::new();
    let mut timer_ids = BTreeSet::new();
    let mut expiry_transitions: Vec<(String, Range<usize>, String)> = Vec::new();
    for t in &raw.timers {
        let tr = t.get_ref();
        let id = tr.id.get_ref().clone();
        if !is_id(&id) {
            r.at(tr.id.span(), format!("`{id}` is not a valid id"));
        }
        if !timer_ids.insert(id.clone()) {
            r.at(tr.id.span(), format!("duplicate timer id `{id}`"));
            continue;
        }
        let unit = match tr.unit.get_ref().as_str() {
            "calendar_days" => DayUnit::CalendarDays,
            "working_days" => DayUnit::WorkingDays,
            "calendar_months" => DayUnit::CalendarMonths,
            other => {
                r.at(
                    tr.unit.span(),
                    format!(
                        "unknown unit `{other}` (calendar_days, working_days, calendar_months)"
                    ),
                );
                DayUnit::CalendarDays
            }
        };
        // The shortest term in days: a month has at least 28.
        let days_at_least = match unit {
            DayUnit::CalendarMonths => tr.amount.saturating_mul(28),
            _ => tr.amount,
        };
        let counting = tr.counting.as_ref().and_then(|c| parse_rule(r, c));
        if tr.amount == 0 || tr.amount > 366 {
            r.at(
                tr.id.span(),
                format!("timer `{id}`: amount must be 1 to 366 days"),
            );
        }
        if tr
            .reminders
            .iter()
            .any(|d| *d == 0 || *d >= days_at_least.max(1))
        {
            r.at(
                tr.id.span(),
                format!("timer `{id}`: reminders must be between 1 and amount - 1 days before"),
            );
        }
        let reminder_template = template(r, &tr.reminder_template);
        if !tr.reminders.is_empty() && reminder_template.is_none() {
            r.at(
                tr.id.span(),
                format!("timer `{id}` has reminders but no reminder_template"),
            );
        }
        let on_expiry = match tr.on_expiry.get_ref() {
            toml::Value::String(s) if s == "mark_overdue" => ExpiryAction::MarkOverdue,
            toml::Value::String(s) if s == "notify" => ExpiryAction::Notify,
            toml::Value::Table(t)
                if t.len() == 1 && t.get("transition").and_then(|v| v.as_str()).is_some() =>
            {
                let target = t
                    .get("transition")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                expiry_transitions.push((id.clone(), tr.on_expiry.span(), target.clone()));
                ExpiryAction::Transition(target)
            }
            _ => {
                r.at(
                    tr.on_expiry.span(),
                    format!("timer `{id}`: on_expiry must be \"mark_overdue\", \"notify\" or {{ transition = \"…\" }}"),
                );
                ExpiryAction::Notify
            }
        };
        let expiry_template = template(r, &tr.expiry_template);
        if matches!(on_expiry, ExpiryAction::MarkOverdue | ExpiryAction::Notify)
            && expiry_template.is_none()
        {
            r.at(
                tr.id.span(),
                format!("timer `{id}` notifies at expiry but has no expiry_template"),
            );
        }
        let labels = labels(r, &tr.labels, tr.id.span(), &format!("timer `{id}`"));
        timers.push(TimerDef {
            id,
            amount: tr.amount,
            unit,
            counting,
            reminders: tr.reminders.clone(),
            reminder_template,
            max_extension_days: tr.max_extension_days,
            max_extension_months: tr.max_extension_months,
            on_expiry,
            expiry_template,
            labels,
        });
    }

    // Transitions.
    let mut transitions = Vec::new();
    let mut transition_ids = BTreeSet::new();
    let mut started_timers = BTreeSet::new();
    for t in &raw.transitions {
        let tr = t.get_ref();
        let id = tr.id.get_ref().clone();
        if !is_id(&id) {
            r.at(tr.id.span(), format!("`{id}` is not a valid id"));
        }
        if !transition_ids.insert(id.clone()) {
            r.at(tr.id.span(), format!("duplicate transition id `{id}`"));
            continue;
        }
        if tr.from.is_empty() {
            r.at(
                tr.id.span(),
                format!("transition `{id}` has no `from` state"),
            );
        }
        for f in &tr.from {
            let f_id = f.get_ref();
            if f_id == "*" {
                continue;
            }
            match kind_of(f_id) {
                None => r.at(f.span(), format!("transition `{id}`: unknown state `{f_id}`")),
                Some(StateKind::Terminal) => {
                    r.at(f.span(), format!("transition `{id}` leaves terminal state `{f_id}`; terminal states have no exits"))
                }
                Some(_) => {}
            }
        }
        let to = tr.to.get_ref().clone();
        if kind_of(&to).is_none() {
            r.at(
                tr.to.span(),
                format!("transition `{id}`: unknown state `{to}`"),
            );
        }
        if tr.roles.is_empty() {
            r.at(
                tr.id.span(),
                format!("transition `{id}` has no roles: nobody could fire it"),
            );
        }
        let mut roles = Vec::new();
        for role in &tr.roles {
            match Role::parse(role.get_ref()) {
                Some(x) => roles.push(x),
                None => r.at(
                    role.span(),
                    format!(
                        "unknown role `{}` (citizen, officer, manager, admin, system)",
                        role.get_ref()
                    ),
                ),
            }
        }
        let fields = parse_fields(r, &tr.fields);
        let optional = parse_fields(r, &tr.optional);
        let mut guards = Vec::new();
        for g in &tr.guards {
            if let Some(guard) = parse_guard(r, g, &timer_ids_all(&raw)) {
                guards.push(guard);
            }
        }
        let mut effects = Vec::new();
        for e in &tr.effects {
            if let Some(effect) = parse_effect(r, e, &timer_ids_all(&raw)) {
                if let Effect::Start(timer) = &effect {
                    if kind_of(&to) == Some(StateKind::Terminal) {
                        r.at(e.span(), format!("transition `{id}` starts timer `{timer}` on entering terminal state `{to}`"));
                    }
                    started_timers.insert(timer.clone());
                }
                if let Effect::Extend(timer) = &effect {
                    if !fields.contains(&Field::ExtensionDays) {
                        r.at(e.span(), format!("transition `{id}` extends `{timer}` but does not require the field extension_days"));
                    }
                    if timers
                        .iter()
                        .any(|t| &t.id == timer && t.max_extension_days == 0)
                    {
                        r.at(
                            e.span(),
                            format!(
                                "timer `{timer}` has max_extension_days = 0 and cannot be extended"
                            ),
                        );
                    }
                }
                if matches!(effect, Effect::SetOutcome(true)) && !fields.contains(&Field::Outcome) {
                    r.at(e.span(), format!("transition `{id}` sets the outcome but does not require the field outcome"));
                }
                if matches!(effect, Effect::Assign(AssignFrom::Field))
                    && !fields.contains(&Field::Assignee)
                {
                    r.at(e.span(), format!("transition `{id}` assigns from the field but does not require the field assignee"));
                }
                if matches!(effect, Effect::SetDepartment(true))
                    && !fields.contains(&Field::Department)
                {
                    r.at(e.span(), format!("transition `{id}` sets the department but does not require the field department"));
                }
                effects.push(effect);
            }
        }
        let labels = labels(r, &tr.labels, tr.id.span(), &format!("transition `{id}`"));
        transitions.push(Transition {
            id,
            from: tr.from.iter().map(|f| f.get_ref().clone()).collect(),
            to,
            roles,
            fields,
            optional,
            guards,
            effects,
            public: tr.public,
            labels,
        });
    }
    for (timer, span, target) in &expiry_transitions {
        match transitions.iter().find(|t| &t.id == target) {
            None => r.at(span.clone(), format!("timer `{timer}`: on_expiry names unknown transition `{target}`")),
            Some(t) if !t.roles.contains(&Role::System) => r.at(
                span.clone(),
                format!("timer `{timer}`: transition `{target}` must allow the role `system` to fire at expiry"),
            ),
            Some(_) => {}
        }
    }
    for t in &raw.timers {
        let id = t.get_ref().id.get_ref();
        if !started_timers.contains(id) {
            r.at(
                t.get_ref().id.span(),
                format!("timer `{id}` is never started by any transition"),
            );
        }
    }

    // Graph checks: reachability from the initial state; a way out of every non-terminal state.
    if let Some(initial) = states.iter().find(|s| s.kind == StateKind::Initial) {
        let mut seen = BTreeSet::from([initial.id.clone()]);
        let mut queue = VecDeque::from([initial.id.clone()]);
        while let Some(state) = queue.pop_front() {
            let kind = kind_of(&state).unwrap_or(StateKind::Active);
            for t in transitions.iter().filter(|t| t.fires_from(&state, kind)) {
                if seen.insert(t.to.clone()) {
                    queue.push_back(t.to.clone());
                }
            }
        }
        for s in &states {
            if !seen.contains(&s.id)
                && let Some(span) = state_spans.get(&s.id)
            {
                r.at(
                    span.clone(),
                    format!("state `{}` cannot be reached from `{}`", s.id, initial.id),
                );
            }
        }
    }
    for s in &states {
        if s.kind != StateKind::Terminal
            && !transitions
                .iter()
                .any(|t| t.fires_from(&s.id, s.kind) && t.to != s.id)
            && let Some(span) = state_spans.get(&s.id)
        {
            r.at(
                span.clone(),
                format!("state `{}` is not terminal but has no way out", s.id),
            );
        }
    }

    Definition {
        name: raw.name.get_ref().clone(),
        version: raw.version.unwrap_or(1),
        case_type: raw.case_type.get_ref().clone(),
        calendar,
        counting,
        labels: def_labels,
        states,
        timers,
        transitions,
    }
}

fn timer_ids_all(raw: &RawDef) -> BTreeSet<String> {
    raw.timers
        .iter()
        .map(|t| t.get_ref().id.get_ref().clone())
        .collect()
}

fn parse_rule(r: &mut Report, s: &Spanned<String>) -> Option<CountingRule> {
    match s.get_ref().as_str() {
        "plain" => Some(CountingRule::Plain),
        "free_days" => Some(CountingRule::FreeDays),
        other => {
            r.at(
                s.span(),
                format!("unknown counting rule `{other}` (plain, free_days)"),
            );
            None
        }
    }
}

fn template(r: &mut Report, s: &Option<Spanned<String>>) -> Option<String> {
    let s = s.as_ref()?;
    if KNOWN_TEMPLATES.contains(&s.get_ref().as_str()) {
        Some(s.get_ref().clone())
    } else {
        r.at(s.span(), format!("unknown mail template `{}`", s.get_ref()));
        None
    }
}

fn parse_fields(r: &mut Report, raw: &[Spanned<String>]) -> Vec<Field> {
    let mut out = Vec::new();
    for f in raw {
        match Field::parse(f.get_ref()) {
            Some(x) => out.push(x),
            None => r.at(
                f.span(),
                format!(
                    "unknown field `{}` (expected one of: {})",
                    f.get_ref(),
                    Field::ALL.map(Field::code).join(", ")
                ),
            ),
        }
    }
    out
}

/// The single `key = value` of an inline table like `{ start = "answer_due" }`.
fn single_entry(v: &toml::Value) -> Option<(&str, &toml::Value)> {
    let t = v.as_table()?;
    if t.len() != 1 {
        return None;
    }
    t.iter().next().map(|(k, v)| (k.as_str(), v))
}

fn known_timer(r: &mut Report, span: &Range<usize>, timers: &BTreeSet<String>, name: &str) -> bool {
    if timers.contains(name) {
        true
    } else {
        r.at(span.clone(), format!("unknown timer `{name}`"));
        false
    }
}

fn parse_guard(
    r: &mut Report,
    g: &Spanned<toml::Value>,
    timers: &BTreeSet<String>,
) -> Option<Guard> {
    let span = g.span();
    match single_entry(g.get_ref()) {
        Some(("before_due", toml::Value::String(t))) => {
            known_timer(r, &span, timers, t).then(|| Guard::BeforeDue(t.clone()))
        }
        Some(("timer_active", toml::Value::String(t))) => {
            known_timer(r, &span, timers, t).then(|| Guard::TimerActive(t.clone()))
        }
        Some(("max_count", toml::Value::Table(t))) => {
            let counter = t.get("counter").and_then(|v| v.as_str());
            let max = t
                .get("max")
                .and_then(|v| v.as_integer())
                .filter(|m| *m >= 0 && *m <= 1000);
            match (counter, max, t.len()) {
                (Some(c), Some(m), 2) if is_id(c) => Some(Guard::MaxCount {
                    counter: c.to_string(),
                    max: m as u32,
                }),
                _ => {
                    r.at(span, "max_count needs { counter = \"name\", max = N }");
                    None
                }
            }
        }
        _ => {
            r.at(
                span,
                "unknown guard (expected { before_due = \"timer\" }, { timer_active = \"timer\" } or { max_count = { counter = \"…\", max = N } })",
            );
            None
        }
    }
}

fn parse_effect(
    r: &mut Report,
    e: &Spanned<toml::Value>,
    timers: &BTreeSet<String>,
) -> Option<Effect> {
    let span = e.span();
    let timer_effect = |r: &mut Report, t: &str, make: fn(String) -> Effect| {
        known_timer(r, &span, timers, t).then(|| make(t.to_string()))
    };
    match single_entry(e.get_ref()) {
        Some(("start", toml::Value::String(t))) => timer_effect(r, t, Effect::Start),
        Some(("stop", toml::Value::String(t))) => timer_effect(r, t, Effect::Stop),
        Some(("pause", toml::Value::String(t))) => timer_effect(r, t, Effect::Pause),
        Some(("resume", toml::Value::String(t))) => timer_effect(r, t, Effect::Resume),
        Some(("extend", toml::Value::String(t))) => timer_effect(r, t, Effect::Extend),
        Some(("increment", toml::Value::String(c))) if is_id(c) => {
            Some(Effect::Increment(c.clone()))
        }
        Some(("assign", toml::Value::String(a))) if a == "actor" => {
            Some(Effect::Assign(AssignFrom::Actor))
        }
        Some(("assign", toml::Value::String(a))) if a == "field" => {
            Some(Effect::Assign(AssignFrom::Field))
        }
        Some(("set_department", toml::Value::Boolean(b))) => Some(Effect::SetDepartment(*b)),
        Some(("set_outcome", toml::Value::Boolean(b))) => Some(Effect::SetOutcome(*b)),
        Some(("notify", toml::Value::Table(n))) => {
            let template = n.get("template").and_then(|v| v.as_str());
            let to = n.get("to").and_then(|v| v.as_array());
            let (Some(template), Some(to), 2) = (template, to, n.len()) else {
                r.at(
                    span,
                    "notify needs { to = [recipients], template = \"name\" }",
                );
                return None;
            };
            let mut ok = true;
            if !KNOWN_TEMPLATES.contains(&template) {
                r.at(span.clone(), format!("unknown mail template `{template}`"));
                ok = false;
            }
            let mut recipients = Vec::new();
            for v in to {
                match v.as_str().and_then(Recipient::parse) {
                    Some(x) => recipients.push(x),
                    None => {
                        r.at(
                            span.clone(),
                            format!(
                                "unknown recipient {v} (expected one of: {})",
                                Recipient::ALL.map(Recipient::code).join(", ")
                            ),
                        );
                        ok = false;
                    }
                }
            }
            if recipients.is_empty() && ok {
                r.at(span.clone(), "notify has no recipients");
                ok = false;
            }
            ok.then(|| {
                Effect::Notify(Notify {
                    to: recipients,
                    template: template.to_string(),
                })
            })
        }
        _ => {
            r.at(
                span,
                "unknown effect (expected start, stop, pause, resume, extend, increment, assign, set_department, set_outcome or notify)",
            );
            None
        }
    }
}
