use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::*;
use crate::calendar::{Calendar, CountryCalendar};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn def(name: &str) -> Definition {
    builtin(name).unwrap_or_else(|| {
        panic!(
            "{name} loads: {:?}",
            Definition::from_toml(builtin_source(name).unwrap()).err()
        )
    })
}

fn cal(def: &Definition) -> Calendar {
    Calendar::new(def.calendar)
}

fn actor(role: Role) -> Actor {
    Actor {
        role,
        user_id: Some(7),
    }
}

fn full_input() -> TransitionInput {
    TransitionInput {
        answer: Some("Răspunsul instituției".into()),
        reason: Some("Motivul".into()),
        outcome: Some(Outcome::PartlyAdmitted),
        target_institution_id: Some(2),
        assignee_id: Some(9),
        department_id: Some(3),
        extension_days: Some(5),
        note: Some("Notă".into()),
        attachment_ids: vec![1],
    }
}

fn fire(
    def: &Definition,
    case: &CaseSnapshot,
    id: &str,
    role: Role,
    input: TransitionInput,
    today: &str,
) -> Result<Applied, EngineError> {
    apply(
        def,
        &cal(def),
        case,
        &Event::Transition {
            id: id.into(),
            actor: actor(role),
            input,
        },
        d(today),
    )
}

/// Folds an outcome into the snapshot, as persistence does.
fn after(case: &CaseSnapshot, a: &Applied) -> CaseSnapshot {
    CaseSnapshot {
        state: a.new_state.clone(),
        timers: a.timers_after.clone(),
        counters: a.counters_after.clone(),
        overdue: a.overdue_after,
        assignee_id: a.assignee_after,
        owner_id: case.owner_id,
        department_id: a.department_after,
        outcome: a.outcome_after,
    }
}

fn registered(def: &Definition, on: &str) -> CaseSnapshot {
    let start = CaseSnapshot {
        state: def.initial_state().into(),
        owner_id: Some(1),
        department_id: Some(1),
        ..Default::default()
    };
    let a = fire(
        def,
        &start,
        "register",
        Role::System,
        TransitionInput::default(),
        on,
    )
    .unwrap();
    after(&start, &a)
}

fn step(
    def: &Definition,
    case: &CaseSnapshot,
    id: &str,
    role: Role,
    input: TransitionInput,
    today: &str,
) -> (CaseSnapshot, Applied) {
    let a =
        fire(def, case, id, role, input, today).unwrap_or_else(|e| panic!("{id} on {today}: {e}"));
    (after(case, &a), a)
}

fn due(case: &CaseSnapshot, timer: &str) -> NaiveDate {
    case.timer(timer).unwrap().due
}

#[test]
fn every_builtin_loads_without_problems_and_round_trips() {
    assert_eq!(builtin_names().len(), 8);
    for name in builtin_names() {
        let src = builtin_source(name).unwrap();
        let loaded = Definition::from_toml(src).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(&loaded.name, name);
        assert!(
            loaded.timer("answer_due").is_some(),
            "{name} has answer_due"
        );
        let again = Definition::from_toml(&loaded.to_toml())
            .unwrap_or_else(|p| panic!("{name} re-export: {p:?}\n{}", loaded.to_toml()));
        assert_eq!(again, loaded, "{name} round trip");
        let calendar = if name.starts_with("md-") {
            CountryCalendar::Md
        } else {
            CountryCalendar::Ro
        };
        assert_eq!(loaded.calendar, calendar);
    }
}

/// DOMAIN.md's rules applied by hand to a registration on Friday 3 April 2026 (Orthodox Easter
/// is 12 April; RO: Good Friday 10 April and Easter Monday 13 April are holidays; MD: Easter
/// Monday 13 April).
#[test]
fn preview_gives_the_dates_the_rules_give() {
    type Row<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let table: &[Row] = &[
        // MD plain: 3 Apr + 30 = Sun 3 May → Mon 4 May; 5 working days from Fri 3 Apr = Fri 10 Apr.
        (
            "md-petition",
            "2026-04-03",
            &[("answer_due", "2026-05-04"), ("forward_due", "2026-04-10")],
        ),
        // RO free days: 3 Apr + 31 = Mon 4 May; 3 Apr + 5 + 1 = Thu 9 Apr.
        (
            "ro-petition",
            "2026-04-03",
            &[("answer_due", "2026-05-04"), ("forward_due", "2026-04-09")],
        ),
        (
            "md-prior-complaint",
            "2026-04-03",
            &[("answer_due", "2026-05-04")],
        ),
        (
            "ro-prior-complaint",
            "2026-04-03",
            &[("answer_due", "2026-05-04")],
        ),
        // MD: 3 Apr + 10 = Mon 13 Apr, Easter Monday → Tue 14 Apr. RO: 3 Apr + 11 = Tue 14 Apr.
        (
            "md-information-request",
            "2026-04-03",
            &[("answer_due", "2026-04-14"), ("forward_due", "2026-04-10")],
        ),
        (
            "ro-information-request",
            "2026-04-03",
            &[("answer_due", "2026-04-14"), ("forward_due", "2026-04-09")],
        ),
        // GDPR art. 12(3): one month, the same day of the next month (Mon 4 May), on both
        // calendars (an EU term: no free days); 31 Jan 2026 → 28 Feb (Sat) → Mon 2 Mar.
        (
            "md-data-request",
            "2026-04-03",
            &[("answer_due", "2026-05-04")],
        ),
        (
            "ro-data-request",
            "2026-04-03",
            &[("answer_due", "2026-05-04")],
        ),
        (
            "md-data-request",
            "2026-01-31",
            &[("answer_due", "2026-03-02")],
        ),
        // RO free days from Thu 9 Apr: + 6 = Wed 15 Apr; MD: 5 working days skip Easter Monday → Fri 17 Apr.
        (
            "ro-petition",
            "2026-04-09",
            &[("answer_due", "2026-05-11"), ("forward_due", "2026-04-15")],
        ),
        (
            "md-petition",
            "2026-04-09",
            &[("answer_due", "2026-05-11"), ("forward_due", "2026-04-17")],
        ),
        // Christmas: RO 22 Dec + 31 = 22 Jan 2027 (Fri); MD 22 Dec + 30 = Thu 21 Jan 2027; MD forwarding
        // skips 25 Dec: 23, 24, 28, 29, 30 Dec.
        (
            "ro-petition",
            "2026-12-22",
            &[("answer_due", "2027-01-22"), ("forward_due", "2026-12-28")],
        ),
        (
            "md-petition",
            "2026-12-22",
            &[("answer_due", "2027-01-21"), ("forward_due", "2026-12-30")],
        ),
    ];
    for (name, filed, expected) in table {
        let def = def(name);
        let got = preview(&def, &cal(&def), d(filed));
        let expected: BTreeMap<String, NaiveDate> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), d(v)))
            .collect();
        assert_eq!(got, expected, "{name} filed {filed}");
    }
}

/// A case in `state`, with every timer running far from its last day, so that only role and
/// state decide.
fn case_in(def: &Definition, state: &str) -> CaseSnapshot {
    CaseSnapshot {
        state: state.into(),
        timers: def
            .timers
            .iter()
            .map(|t| TimerState {
                timer: t.id.clone(),
                due: d("2026-12-31"),
                status: TimerStatus::Running,
                reminders_sent: vec![],
                extended_days: 0,
                pauses: vec![],
            })
            .collect(),
        owner_id: Some(1),
        department_id: Some(1),
        assignee_id: Some(7),
        ..Default::default()
    }
}

#[test]
fn every_transition_of_every_builtin_is_allowed_exactly_to_its_roles_and_states() {
    let mut checked = 0;
    for name in builtin_names() {
        let def = def(name);
        for t in &def.transitions {
            for state in &def.states {
                for role in Role::ALL {
                    let case = case_in(&def, &state.id);
                    let result = fire(&def, &case, &t.id, role, full_input(), "2026-06-01");
                    let state_ok = t.fires_from(&state.id, state.kind);
                    let role_ok = t.roles.contains(&role);
                    match (&result, state_ok, role_ok) {
                        (Ok(a), true, true) => assert_eq!(a.new_state, t.to, "{name} {}", t.id),
                        (Err(EngineError::NotAllowedInState { .. }), false, _) => {}
                        (Err(EngineError::RoleNotAllowed { .. }), true, false) => {}
                        other => {
                            panic!("{name}: {} from {} as {role:?}: {other:?}", t.id, state.id)
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn available_transitions_match_what_apply_accepts() {
    for name in builtin_names() {
        let def = def(name);
        for state in &def.states {
            for role in Role::ALL {
                let case = case_in(&def, &state.id);
                let available: Vec<&str> =
                    available_transitions(&def, &case, role, d("2026-06-01"))
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect();
                for t in &def.transitions {
                    let ok = fire(&def, &case, &t.id, role, full_input(), "2026-06-01").is_ok();
                    assert_eq!(
                        available.contains(&t.id.as_str()),
                        ok,
                        "{name} {} {} {role:?}",
                        state.id,
                        t.id
                    );
                }
                if state.kind == StateKind::Terminal {
                    assert!(available.is_empty(), "{name}: {} is terminal", state.id);
                }
            }
        }
    }
}

#[test]
fn happy_path_register_take_extend_request_info_reply_answer_close() {
    let def = def("md-petition");
    let c = registered(&def, "2026-04-03");
    assert_eq!(c.state, "registered");
    assert_eq!(due(&c, "answer_due"), d("2026-05-04"));
    assert_eq!(due(&c, "forward_due"), d("2026-04-10"));

    let (c, a) = step(
        &def,
        &c,
        "take",
        Role::Officer,
        TransitionInput::default(),
        "2026-04-06",
    );
    assert_eq!(
        (c.state.as_str(), c.assignee_id),
        ("in_examination", Some(7))
    );
    assert!(a.timer_changes.contains(&TimerChange::Stop {
        timer: "forward_due".into()
    }));

    // An extension needs a reason and a number of days within the limit.
    let no_reason = TransitionInput {
        extension_days: Some(15),
        ..Default::default()
    };
    assert_eq!(
        fire(&def, &c, "extend", Role::Officer, no_reason, "2026-04-20").unwrap_err(),
        EngineError::MissingField(Field::Reason)
    );
    let too_long = TransitionInput {
        extension_days: Some(16),
        reason: Some("Complex".into()),
        ..Default::default()
    };
    assert!(matches!(
        fire(&def, &c, "extend", Role::Officer, too_long, "2026-04-20"),
        Err(EngineError::InvalidField {
            field: Field::ExtensionDays,
            ..
        })
    ));
    let ext = TransitionInput {
        extension_days: Some(15),
        reason: Some("Verificare pe teren".into()),
        ..Default::default()
    };
    let (c, a) = step(&def, &c, "extend", Role::Officer, ext.clone(), "2026-04-20");
    assert_eq!(due(&c, "answer_due"), d("2026-05-19"));
    assert_eq!(
        a.mails,
        vec![MailIntent {
            template: "case_extended".into(),
            recipient: Recipient::Citizen
        }]
    );
    assert_eq!(c.counters.get("extensions"), Some(&1));
    // Only once.
    assert!(matches!(
        fire(&def, &c, "extend", Role::Officer, ext, "2026-04-21"),
        Err(EngineError::GuardFailed { .. })
    ));

    // Request for information: the clock pauses, the pause is recorded, the reply resumes it.
    let ask = TransitionInput {
        reason: Some("Lipsește adresa".into()),
        ..Default::default()
    };
    let (c, _) = step(&def, &c, "request_info", Role::Officer, ask, "2026-05-01");
    assert_eq!(c.state, "awaiting_citizen");
    assert_eq!(
        c.timer("answer_due").unwrap().status,
        TimerStatus::Paused {
            since: d("2026-05-01"),
            remaining_days: 18
        }
    );
    assert_eq!(due(&c, "info_reply_due"), d("2026-05-18"));
    let reply = TransitionInput {
        note: Some("Adresa este …".into()),
        ..Default::default()
    };
    let (c, a) = step(
        &def,
        &c,
        "citizen_reply",
        Role::Citizen,
        reply,
        "2026-05-11",
    );
    // 18 days from 11 May = Fri 29 May.
    assert_eq!(due(&c, "answer_due"), d("2026-05-29"));
    assert_eq!(
        c.timer("answer_due").unwrap().pauses,
        vec![(d("2026-05-01"), Some(d("2026-05-11")))]
    );
    assert_eq!(c.timer("info_reply_due").unwrap().status, TimerStatus::Done);
    assert_eq!(a.mails[0].recipient, Recipient::Assignee);

    // The answer needs text and an outcome.
    assert_eq!(
        fire(
            &def,
            &c,
            "answer",
            Role::Officer,
            TransitionInput {
                answer: Some("  ".into()),
                ..Default::default()
            },
            "2026-05-20"
        )
        .unwrap_err(),
        EngineError::MissingField(Field::Answer)
    );
    let answer = TransitionInput {
        answer: Some("Cererea a fost admisă.".into()),
        outcome: Some(Outcome::Admitted),
        ..Default::default()
    };
    let (c, a) = step(&def, &c, "answer", Role::Officer, answer, "2026-05-20");
    assert_eq!(
        (c.state.as_str(), c.outcome, c.overdue),
        ("answered", Some(Outcome::Admitted), false)
    );
    assert_eq!(a.history.outcome, Some(Outcome::Admitted));
    assert_eq!(c.timer("answer_due").unwrap().status, TimerStatus::Done);
    assert_eq!(due(&c, "appeal_due"), d("2026-06-19"));
    // A citizen cannot close; an officer can.
    assert!(matches!(
        fire(
            &def,
            &c,
            "close",
            Role::Citizen,
            TransitionInput::default(),
            "2026-05-21"
        ),
        Err(EngineError::RoleNotAllowed { .. })
    ));
    let (c, _) = step(
        &def,
        &c,
        "close",
        Role::Officer,
        TransitionInput::default(),
        "2026-05-21",
    );
    assert!(def.is_terminal(&c.state));
    assert!(available_transitions(&def, &c, Role::Citizen, d("2026-05-22")).is_empty());
}

#[test]
fn forward_dismiss_and_withdraw() {
    for name in ["md-petition", "ro-petition", "md-information-request"] {
        let def = def(name);
        let c = registered(&def, "2026-03-02");
        assert_eq!(
            fire(
                &def,
                &c,
                "forward",
                Role::Officer,
                TransitionInput::default(),
                "2026-03-03"
            )
            .unwrap_err(),
            EngineError::MissingField(Field::TargetInstitution)
        );
        let (f, a) = step(
            &def,
            &c,
            "forward",
            Role::Officer,
            TransitionInput {
                target_institution_id: Some(5),
                ..Default::default()
            },
            "2026-03-03",
        );
        assert_eq!(f.state, "forwarded");
        assert_eq!(a.history.target_institution_id, Some(5));
        assert!(f.timers.iter().all(|t| t.status != TimerStatus::Running));
        assert_eq!(
            a.mails,
            vec![MailIntent {
                template: "case_forwarded".into(),
                recipient: Recipient::Citizen
            }]
        );

        assert_eq!(
            fire(
                &def,
                &c,
                "dismiss",
                Role::Manager,
                TransitionInput::default(),
                "2026-03-03"
            )
            .unwrap_err(),
            EngineError::MissingField(Field::Reason)
        );
        let (x, _) = step(
            &def,
            &c,
            "dismiss",
            Role::Manager,
            TransitionInput {
                reason: Some("Petiție anonimă".into()),
                ..Default::default()
            },
            "2026-03-03",
        );
        assert_eq!(x.state, "dismissed");

        for state in [
            "registered",
            "in_examination",
            "awaiting_citizen",
            "answered",
        ] {
            let w = CaseSnapshot {
                state: state.into(),
                ..c.clone()
            };
            let (w, _) = step(
                &def,
                &w,
                "withdraw",
                Role::Citizen,
                TransitionInput::default(),
                "2026-03-04",
            );
            assert_eq!(w.state, "withdrawn");
            assert!(
                w.timers.iter().all(|t| t.status != TimerStatus::Running),
                "{name} {state}"
            );
            assert!(matches!(
                fire(
                    &def,
                    &CaseSnapshot {
                        state: state.into(),
                        ..c.clone()
                    },
                    "withdraw",
                    Role::Officer,
                    TransitionInput::default(),
                    "2026-03-04"
                ),
                Err(EngineError::RoleNotAllowed { .. })
            ));
        }
    }
}

#[test]
fn reminders_then_expiry_mark_the_case_overdue_and_escalate_until_answered() {
    let def = def("md-petition");
    let c = registered(&def, "2026-04-03");
    let (c, _) = step(
        &def,
        &c,
        "take",
        Role::Officer,
        TransitionInput::default(),
        "2026-04-06",
    );
    let answer_due = c.timer("answer_due").unwrap().clone();
    assert_eq!(answer_due.due, d("2026-05-04"));
    let (reminders, expiry) = next_fire_dates(&def, &answer_due);
    assert_eq!(reminders, vec![d("2026-04-29"), d("2026-05-03")]);
    assert_eq!(expiry, d("2026-05-05"));

    assert_eq!(due_event(&def, &answer_due, d("2026-04-28")), None);
    let ev = due_event(&def, &answer_due, d("2026-04-29")).unwrap();
    assert_eq!(
        ev,
        Event::ReminderDue {
            timer: "answer_due".into(),
            days_before: 5
        }
    );
    let a = apply(&def, &cal(&def), &c, &ev, d("2026-04-29")).unwrap();
    assert_eq!(
        a.mails,
        vec![MailIntent {
            template: "deadline_reminder".into(),
            recipient: Recipient::Assignee
        }]
    );
    assert!(!a.history.public);
    let c = after(&c, &a);
    // The same reminder is not sent twice.
    assert!(matches!(
        apply(&def, &cal(&def), &c, &ev, d("2026-04-30")),
        Err(EngineError::NotDue(_))
    ));
    let t = c.timer("answer_due").unwrap();
    assert_eq!(due_event(&def, t, d("2026-05-02")), None);
    let ev = due_event(&def, t, d("2026-05-03")).unwrap();
    let c = after(
        &c,
        &apply(&def, &cal(&def), &c, &ev, d("2026-05-03")).unwrap(),
    );
    assert_eq!(
        due_event(&def, c.timer("answer_due").unwrap(), d("2026-05-04")),
        None,
        "the last day itself is not late"
    );
    // Not yet due on the last day.
    assert!(matches!(
        apply(
            &def,
            &cal(&def),
            &c,
            &Event::TimerExpired {
                timer: "answer_due".into()
            },
            d("2026-05-04")
        ),
        Err(EngineError::NotDue(_))
    ));
    let ev = due_event(&def, c.timer("answer_due").unwrap(), d("2026-05-05")).unwrap();
    assert_eq!(
        ev,
        Event::TimerExpired {
            timer: "answer_due".into()
        }
    );
    let a = apply(&def, &cal(&def), &c, &ev, d("2026-05-05")).unwrap();
    assert!(a.overdue_after);
    assert!(a.mails.contains(&MailIntent {
        template: "deadline_overdue".into(),
        recipient: Recipient::DepartmentManager
    }));
    let c = after(&c, &a);
    assert_eq!(c.timer("answer_due").unwrap().status, TimerStatus::Expired);
    assert_eq!(c.state, "in_examination");
    // Extension is only possible before the term ends.
    let ext = TransitionInput {
        extension_days: Some(5),
        reason: Some("x".into()),
        ..Default::default()
    };
    assert!(matches!(
        fire(&def, &c, "extend", Role::Officer, ext, "2026-05-06"),
        Err(EngineError::GuardFailed { .. })
    ));
    // Answering late is still possible, and the case stays counted as overdue.
    let answer = TransitionInput {
        answer: Some("Răspuns".into()),
        outcome: Some(Outcome::Rejected),
        ..Default::default()
    };
    let (c, _) = step(&def, &c, "answer", Role::Officer, answer, "2026-05-08");
    assert!(c.overdue);
    assert_eq!(c.timer("answer_due").unwrap().status, TimerStatus::Done);
}

#[test]
fn a_late_ticker_sends_only_the_most_urgent_reminder() {
    let def = def("ro-petition");
    let c = registered(&def, "2026-04-03");
    let t = c.timer("answer_due").unwrap();
    // The ticker was down until the day before the last day: only the 1-day reminder goes.
    let ev = due_event(&def, t, d("2026-05-03")).unwrap();
    assert_eq!(
        ev,
        Event::ReminderDue {
            timer: "answer_due".into(),
            days_before: 1
        }
    );
    let a = apply(&def, &cal(&def), &c, &ev, d("2026-05-03")).unwrap();
    // Nobody is assigned yet: the department's officers are reminded.
    assert_eq!(a.mails[0].recipient, Recipient::DepartmentOfficers);
    let c = after(&c, &a);
    assert_eq!(c.timer("answer_due").unwrap().reminders_sent, vec![1, 5]);
    assert_eq!(
        due_event(&def, c.timer("answer_due").unwrap(), d("2026-05-04")),
        None
    );
}

#[test]
fn no_reply_to_a_request_for_information_closes_the_case_as_not_examined() {
    let def = def("ro-petition");
    let c = registered(&def, "2026-02-02");
    let (c, _) = step(
        &def,
        &c,
        "take",
        Role::Officer,
        TransitionInput::default(),
        "2026-02-03",
    );
    let (c, _) = step(
        &def,
        &c,
        "request_info",
        Role::Officer,
        TransitionInput {
            reason: Some("Semnătura lipsește".into()),
            ..Default::default()
        },
        "2026-02-04",
    );
    let t = c.timer("info_reply_due").unwrap().clone();
    // RO free days: 4 Feb + 16 = Fri 20 Feb.
    assert_eq!(t.due, d("2026-02-20"));
    let ev = due_event(&def, &t, d("2026-02-21")).unwrap();
    let a = apply(&def, &cal(&def), &c, &ev, d("2026-02-21")).unwrap();
    assert_eq!(a.new_state, "not_examined");
    assert_eq!(a.history.name(), "close_not_examined");
    assert_eq!(a.history.kind, HistoryKind::Expiry);
    let c = after(&c, &a);
    assert!(c.timers.iter().all(|t| t.status != TimerStatus::Running));
    assert!(!c.overdue);
}

#[test]
fn appeal_is_possible_only_within_its_term_and_reopens_the_examination() {
    let def = def("md-petition");
    let c = registered(&def, "2026-03-02");
    let (c, _) = step(
        &def,
        &c,
        "take",
        Role::Officer,
        TransitionInput::default(),
        "2026-03-03",
    );
    let answer = TransitionInput {
        answer: Some("Nu".into()),
        outcome: Some(Outcome::Rejected),
        ..Default::default()
    };
    let (answered, _) = step(&def, &c, "answer", Role::Officer, answer, "2026-03-10");
    let appeal = TransitionInput {
        reason: Some("Nu sunt de acord".into()),
        ..Default::default()
    };
    // 30 days from 10 Mar = 9 Apr: the next day is too late.
    assert!(matches!(
        fire(
            &def,
            &answered,
            "appeal",
            Role::Citizen,
            appeal.clone(),
            "2026-04-10"
        ),
        Err(EngineError::GuardFailed { .. })
    ));
    let (c, a) = step(
        &def,
        &answered,
        "appeal",
        Role::Citizen,
        appeal,
        "2026-04-09",
    );
    assert_eq!(c.state, "appealed");
    assert!(
        a.mails
            .iter()
            .any(|m| m.recipient == Recipient::DepartmentManager)
    );
    let (c, _) = step(
        &def,
        &c,
        "reexamine",
        Role::Manager,
        TransitionInput::default(),
        "2026-04-10",
    );
    assert_eq!(c.state, "in_examination");
    assert_eq!(c.timer("answer_due").unwrap().status, TimerStatus::Running);
    // Left alone, an answered case closes itself when the term to contest it ends.
    let ev = due_event(&def, answered.timer("appeal_due").unwrap(), d("2026-04-10")).unwrap();
    let a = apply(&def, &cal(&def), &answered, &ev, d("2026-04-10")).unwrap();
    assert_eq!(a.new_state, "closed");
}

#[test]
fn unknown_transitions_and_states_are_refused() {
    let def = def("md-petition");
    let c = registered(&def, "2026-03-02");
    assert_eq!(
        fire(
            &def,
            &c,
            "teleport",
            Role::Admin,
            full_input(),
            "2026-03-03"
        )
        .unwrap_err(),
        EngineError::UnknownTransition("teleport".into())
    );
    let broken = CaseSnapshot {
        state: "limbo".into(),
        ..c
    };
    assert_eq!(
        fire(
            &def,
            &broken,
            "take",
            Role::Officer,
            full_input(),
            "2026-03-03"
        )
        .unwrap_err(),
        EngineError::UnknownState("limbo".into())
    );
}

const BROKEN: &str = r#"name = "broken"
case_type = "petition"
calendar = "md"
counting = "plain"
labels = { ro = "x", ru = "x", en = "x" }

[[states]]
id = "submitted"
kind = "initial"
labels = { ro = "a", ru = "a", en = "a" }

[[states]]
id = "open"
kind = "active"
labels = { ro = "b", ru = "b" }

[[states]]
id = "open"
kind = "active"
labels = { ro = "b", ru = "b", en = "b" }

[[states]]
id = "island"
kind = "active"
labels = { ro = "c", ru = "c", en = "c" }

[[states]]
id = "done"
kind = "terminal"
labels = { ro = "d", ru = "d", en = "d" }

[[timers]]
id = "answer_due"
amount = 30
unit = "calendar_days"
on_expiry = "mark_overdue"
expiry_template = "no_such_template"
labels = { ro = "t", ru = "t", en = "t" }

[[transitions]]
id = "go"
from = ["submitted"]
to = "open"
roles = ["officer", "mayor"]
fields = ["answer", "shoe_size"]
effects = [{ start = "answer_due" }, { start = "ghost_timer" }]
labels = { ro = "g", ru = "g", en = "g" }

[[transitions]]
id = "finish"
from = ["open", "done"]
to = "done"
roles = ["officer"]
effects = [{ start = "answer_due" }]
labels = { ro = "f", ru = "f", en = "f" }

[[transitions]]
id = "go"
from = ["open"]
to = "nowhere"
roles = ["officer"]
labels = { ro = "g", ru = "g", en = "g" }
"#;

#[test]
fn a_broken_definition_reports_every_problem_with_its_line() {
    let problems = Definition::from_toml(BROKEN).unwrap_err();
    let has = |line: usize, text: &str| {
        problems
            .iter()
            .any(|p| p.line == line && p.message.contains(text))
    };
    let all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(has(15, "no `en` label"), "{all:#?}");
    assert!(has(18, "duplicate state id `open`"), "{all:#?}");
    assert!(has(23, "state `island` cannot be reached"), "{all:#?}");
    assert!(
        has(23, "`island` is not terminal but has no way out"),
        "{all:#?}"
    );
    assert!(
        has(37, "unknown mail template `no_such_template`"),
        "{all:#?}"
    );
    assert!(has(44, "unknown role `mayor`"), "{all:#?}");
    assert!(has(45, "unknown field `shoe_size`"), "{all:#?}");
    assert!(has(46, "unknown timer `ghost_timer`"), "{all:#?}");
    assert!(has(51, "leaves terminal state `done`"), "{all:#?}");
    assert!(
        has(
            54,
            "starts timer `answer_due` on entering terminal state `done`"
        ),
        "{all:#?}"
    );
    assert!(has(58, "duplicate transition id `go`"), "{all:#?}");
    assert!(
        problems
            .windows(2)
            .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column))
    );
}

#[test]
fn syntax_errors_and_unknown_keys_have_positions_too() {
    let problems = Definition::from_toml("name = \"x\"\ncalendar = \n").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 2);
    let problems = Definition::from_toml("name = \"x\"\ncase_type = \"petition\"\ncalendar = \"md\"\ncounting = \"plain\"\ncolour = \"red\"\n").unwrap_err();
    assert_eq!(problems[0].line, 5, "{problems:?}");
    assert!(problems[0].message.contains("colour"), "{problems:?}");
    let problems = Definition::from_toml(
        "name = \"x\"\ncase_type = \"petition\"\ncalendar = \"fr\"\ncounting = \"weekly\"\n",
    )
    .unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.line == 3 && p.message.contains("unknown calendar")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.line == 4 && p.message.contains("unknown counting rule")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("no state of kind `initial`")),
        "{problems:?}"
    );
}

#[test]
fn cases_keep_their_definition_version_semantics_in_the_engine() {
    // A changed definition (a 20-day term) does not alter a case's stored timers: only newly
    // started timers use the definition they are given.
    let old = def("md-petition");
    let c = registered(&old, "2026-04-03");
    let src = builtin_source("md-petition")
        .unwrap()
        .replacen("amount = 30", "amount = 20", 1);
    let new = Definition::from_toml(&src).unwrap();
    let (c2, _) = step(
        &new,
        &c,
        "take",
        Role::Officer,
        TransitionInput::default(),
        "2026-04-06",
    );
    assert_eq!(due(&c2, "answer_due"), d("2026-05-04"));
    assert_eq!(
        preview(&new, &cal(&new), d("2026-04-03"))["answer_due"],
        d("2026-04-23")
    );
}

fn any_event(def: &Definition) -> impl Strategy<Value = (Event, u32)> {
    let ids: Vec<String> = def.transitions.iter().map(|t| t.id.clone()).collect();
    let timers: Vec<String> = def.timers.iter().map(|t| t.id.clone()).collect();
    let roles = Role::ALL.to_vec();
    let transition = (
        prop::sample::select(ids),
        prop::sample::select(roles),
        any::<bool>(),
        0u32..20,
    )
        .prop_map(|(id, role, full, days)| {
            let mut input = if full {
                full_input()
            } else {
                TransitionInput::default()
            };
            input.extension_days = Some(days);
            Event::Transition {
                id,
                actor: Actor {
                    role,
                    user_id: Some(3),
                },
                input,
            }
        });
    let timers2 = timers.clone();
    let reminder = (prop::sample::select(timers), 0u32..10)
        .prop_map(|(timer, days_before)| Event::ReminderDue { timer, days_before });
    let expiry = prop::sample::select(timers2).prop_map(|timer| Event::TimerExpired { timer });
    (
        prop_oneof![6 => transition, 1 => reminder, 1 => expiry],
        0u32..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any sequence of events: the engine never panics, refusals change nothing, running timers
    /// always end on working days, and a case once overdue stays overdue.
    #[test]
    fn random_event_sequences_keep_the_invariants(
        name in prop::sample::select(builtin_names().to_vec()),
        seed in prop::collection::vec(any::<prop::sample::Index>(), 1..25),
    ) {
        let def = def(name);
        let calendar = cal(&def);
        let mut case = registered(&def, "2026-01-05");
        let mut today = d("2026-01-05");
        let strategy = any_event(&def);
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for idx in seed {
            let (event, advance) = strategy.new_tree(&mut runner).unwrap().current();
            today = today + chrono::Days::new(u64::from(advance) + idx.index(3) as u64);
            let was_overdue = case.overdue;
            if let Ok(a) = apply(&def, &calendar, &case, &event, today) {
                prop_assert!(def.state(&a.new_state).is_some());
                case = after(&case, &a);
                for t in case.timers.iter().filter(|t| t.status == TimerStatus::Running) {
                    prop_assert!(calendar.is_working_day(t.due), "{} due {}", t.timer, t.due);
                }
                prop_assert!(!was_overdue || case.overdue);
            }
        }
    }
}

/// GDPR art. 12(3): a data request's month is extended "by two further months" at most: the
/// limit is the same day two months on, not a fixed number of days (59 from 2 Mar, 61 from
/// 4 May).
#[test]
fn a_data_request_is_extended_by_two_calendar_months_at_most() {
    let def = def("md-data-request");
    let extend = |days: u32| TransitionInput {
        extension_days: Some(days),
        reason: Some("Volumul datelor".into()),
        ..Default::default()
    };
    // Filed Sat 31 Jan 2026: due Mon 2 Mar; two months on is 2 May (Sat): 61 days.
    // Filed Fri 3 Apr 2026: due Mon 4 May; two months on is Sat 4 Jul: 61 days.
    // Filed 30 Dec 2025: due 30 Jan 2026 (Fri); two months on is 30 Mar: 59 days.
    for (filed, taken, limit_days, new_due) in [
        ("2026-01-31", "2026-02-02", 61, "2026-05-04"),
        ("2026-04-03", "2026-04-06", 61, "2026-07-06"),
        ("2025-12-30", "2026-01-05", 59, "2026-03-30"),
    ] {
        let c = registered(&def, filed);
        let (c, _) = step(
            &def,
            &c,
            "take",
            Role::Officer,
            TransitionInput::default(),
            taken,
        );
        let before = due(&c, "answer_due");
        assert_eq!(
            fire(
                &def,
                &c,
                "extend",
                Role::Officer,
                extend(limit_days + 1),
                taken
            )
            .unwrap_err(),
            EngineError::InvalidField {
                field: Field::ExtensionDays,
                reason: "extension_months_range:2".into(),
            },
            "filed {filed}: due {before}"
        );
        let (c, _) = step(&def, &c, "extend", Role::Officer, extend(limit_days), taken);
        assert_eq!(due(&c, "answer_due"), d(new_due), "filed {filed}");
    }
}
