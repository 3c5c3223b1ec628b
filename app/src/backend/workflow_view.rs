//! The workflow pages' data: the newest version of each definition, drawn and explained in the
//! reader's language, with the deadlines a case registered on a given day would get (on the
//! home institution's calendar, with its adjustments).

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::calendars;
use super::definitions;
use super::entity::institution;
use crate::calendar::{CountingRule, DayUnit};
use crate::diagram::{self, Edge, Graph, Node};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::workflow_view::{TimerRow, TransitionRow, WorkflowSummary, WorkflowView};
use crate::workflow::{self, Definition, Role, StateKind};

fn pick<'a>(lang: Lang, ro: &'a str, ru: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ro => ro,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn role_label(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Citizen => pick(lang, "petiționar", "заявитель", "petitioner"),
        Role::Officer => pick(lang, "funcționar", "исполнитель", "officer"),
        Role::Manager => pick(lang, "conducător", "руководитель", "manager"),
        Role::Admin => pick(lang, "administrator", "администратор", "administrator"),
        Role::System => pick(
            lang,
            "sistem (termen)",
            "система (срок)",
            "system (deadline)",
        ),
    }
}

fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    let i = d.weekday().num_days_from_monday() as usize;
    let names: [&str; 7] = match lang {
        Lang::Ro => [
            "luni",
            "marți",
            "miercuri",
            "joi",
            "vineri",
            "sâmbătă",
            "duminică",
        ],
        Lang::Ru => [
            "понедельник",
            "вторник",
            "среда",
            "четверг",
            "пятница",
            "суббота",
            "воскресенье",
        ],
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ],
    };
    names[i.min(6)]
}

fn rule_label(rule: CountingRule, lang: Lang) -> &'static str {
    match rule {
        CountingRule::Plain => pick(lang, "Z + N", "Д + N", "D + N"),
        CountingRule::FreeDays => pick(
            lang,
            "zile libere (Z + N + 1)",
            "свободные дни (Д + N + 1)",
            "free days (D + N + 1)",
        ),
    }
}

/// Every stored definition, newest version, labelled in `lang`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
) -> Result<Vec<WorkflowSummary>, AppError> {
    let mut out = Vec::new();
    for name in workflow::builtin_names() {
        if let Ok((version, def)) = definitions::get_latest(db, name).await {
            out.push(WorkflowSummary {
                name: def.name.clone(),
                label: def.labels.get(lang.code()).to_string(),
                version,
            });
        }
    }
    Ok(out)
}

/// The diagram's graph: states with their timers, transitions labelled with who fires them;
/// withdrawal-like transitions from every open state go in a legend.
pub fn graph(def: &Definition, lang: Lang) -> Graph {
    let l = lang.code();
    let mut timers_by_state: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for t in &def.transitions {
        for e in &t.effects {
            if let workflow::Effect::Start(timer) = e
                && let Some(td) = def.timer(timer)
            {
                timers_by_state
                    .entry(t.to.as_str())
                    .or_default()
                    .push(format!("⏱ {} ({})", td.labels.get(l), td.amount));
            }
        }
    }
    let nodes = def
        .states
        .iter()
        .map(|s| Node {
            id: s.id.clone(),
            label: s.labels.get(l).to_string(),
            kind: match s.kind {
                StateKind::Initial => "initial",
                StateKind::Active => "active",
                StateKind::Waiting => "waiting",
                StateKind::Terminal => "terminal",
            }
            .to_string(),
            notes: timers_by_state.remove(s.id.as_str()).unwrap_or_default(),
        })
        .collect();
    let mut edges = Vec::new();
    let mut from_any = Vec::new();
    for t in &def.transitions {
        let roles: Vec<&str> = t.roles.iter().map(|r| role_label(*r, lang)).collect();
        let label = format!("{} [{}]", t.labels.get(l), roles.join(", "));
        let to_label = def.state_label(&t.to, l);
        for f in &t.from {
            if f == "*" {
                from_any.push(Edge {
                    from: "*".into(),
                    to: to_label.clone(),
                    label: label.clone(),
                });
            } else {
                edges.push(Edge {
                    from: f.clone(),
                    to: t.to.clone(),
                    label: label.clone(),
                });
            }
        }
    }
    Graph {
        title: def.labels.get(l).to_string(),
        nodes,
        edges,
        from_any,
    }
}

/// One definition, newest version, with the deadline preview for `filed` (default `today`).
pub async fn view<C: ConnectionTrait>(
    db: &C,
    name: &str,
    filed: Option<NaiveDate>,
    today: NaiveDate,
    lang: Lang,
) -> Result<WorkflowView, AppError> {
    let (version, def) = definitions::get_latest(db, name).await?;
    let home = institution::Entity::find().one(db).await?;
    describe(
        db,
        &def,
        version,
        home.map(|i| i.id),
        filed.unwrap_or(today),
        lang,
    )
    .await
}

/// Definition `def` (stored as `version`, or about to be) drawn and explained in `lang`, with
/// the deadlines of a case registered on `filed` at institution `institution_id` (its
/// calendar's adjustments; the country's alone when `None`).
pub async fn describe<C: ConnectionTrait>(
    db: &C,
    def: &Definition,
    version: i32,
    institution_id: Option<i64>,
    filed: NaiveDate,
    lang: Lang,
) -> Result<WorkflowView, AppError> {
    let l = lang.code();
    let calendar = calendars::load(db, def.calendar, institution_id).await?;
    let preview = workflow::preview(def, &calendar, filed)
        .into_iter()
        .map(|(timer, due)| {
            let label = def
                .timer(&timer)
                .map(|t| t.labels.get(l).to_string())
                .unwrap_or(timer);
            (
                label,
                due.format("%Y-%m-%d").to_string(),
                weekday(due, lang).to_string(),
            )
        })
        .collect();
    let timers = def
        .timers
        .iter()
        .map(|t| {
            let unit = match t.unit {
                DayUnit::CalendarDays => pick(
                    lang,
                    "zile calendaristice",
                    "календарных дней",
                    "calendar days",
                ),
                DayUnit::WorkingDays => {
                    pick(lang, "zile lucrătoare", "рабочих дней", "working days")
                }
                DayUnit::CalendarMonths => pick(
                    lang,
                    "luni calendaristice",
                    "календарных месяцев",
                    "calendar months",
                ),
            };
            let mut term = format!(
                "{} {unit}, {}",
                t.amount,
                rule_label(t.counting.unwrap_or(def.counting), lang)
            );
            if t.max_extension_days > 0 {
                term.push_str(&format!(
                    "; {} {}",
                    pick(
                        lang,
                        "prelungire cu cel mult",
                        "продление не более чем на",
                        "extension by at most"
                    ),
                    t.max_extension_days
                ));
                if t.max_extension_months > 0 {
                    term.push_str(&format!(
                        " ({} {})",
                        pick(lang, "și cel mult", "и не более", "and at most"),
                        pick(
                            lang,
                            &format!("{} luni", t.max_extension_months),
                            &format!("{} мес.", t.max_extension_months),
                            &format!("{} months", t.max_extension_months),
                        )
                    ));
                }
            }
            let reminders = t
                .reminders
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            TimerRow {
                id: t.id.clone(),
                label: t.labels.get(l).to_string(),
                term,
                reminders,
            }
        })
        .collect();
    let transitions = def
        .transitions
        .iter()
        .map(|t| TransitionRow {
            label: t.labels.get(l).to_string(),
            from: t
                .from
                .iter()
                .map(|f| {
                    if f == "*" {
                        pick(
                            lang,
                            "orice stare deschisă",
                            "любое открытое состояние",
                            "any open state",
                        )
                        .to_string()
                    } else {
                        def.state_label(f, l)
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            to: def.state_label(&t.to, l),
            roles: t
                .roles
                .iter()
                .map(|r| role_label(*r, lang))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    Ok(WorkflowView {
        name: def.name.clone(),
        label: def.labels.get(l).to_string(),
        version,
        calendar: def.calendar.code().to_string(),
        counting: rule_label(def.counting, lang).to_string(),
        svg: diagram::render(&graph(def, lang)),
        timers,
        transitions,
        filed: filed.format("%Y-%m-%d").to_string(),
        preview,
    })
}
