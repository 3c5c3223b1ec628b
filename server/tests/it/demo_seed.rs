//! The demo cases (`PETITIO_DEMO_CASES`, `app::backend::seed_cases`): filed at start-up when
//! asked for, in every state of the workflows, with histories the real code made (timers,
//! terms, overdue flags, mails, audit chain, daily snapshots), seen by the demo citizen and
//! counted by the managers' indicators; a second run adds nothing.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Timelike, Utc, Weekday};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use app::backend::audit;
use app::backend::entity::{
    audit_record, case_event, case_publication, case_stats_daily, case_timer, mail_outbox,
    petition_case, registration_counter,
};
use app::backend::seed_cases::{self, NOT_DELIVERED};

use crate::accounts_support::DEMO_PASSWORD;
use crate::{app, db_test};

/// What a second run must leave as it is.
async fn counts(db: &sea_orm::DatabaseConnection, before: chrono::NaiveDate) -> [u64; 6] {
    [
        petition_case::Entity::find().count(db).await.unwrap(),
        case_event::Entity::find().count(db).await.unwrap(),
        case_timer::Entity::find().count(db).await.unwrap(),
        mail_outbox::Entity::find().count(db).await.unwrap(),
        audit_record::Entity::find()
            .filter(audit_record::Column::CaseId.is_not_null())
            .count(db)
            .await
            .unwrap(),
        case_stats_daily::Entity::find()
            .filter(case_stats_daily::Column::Day.lt(before))
            .count(db)
            .await
            .unwrap(),
    ]
}

db_test!(demo_cases_are_real_histories_filed_once, |kind| {
    let started = Utc::now();
    let tz = chrono_tz::Europe::Chisinau;
    let today = started.with_timezone(&tz).date_naive();
    // The harness turns the demo cases off; this app asks for them.
    let app = app!(kind, &[("PETITIO_DEMO_CASES", "1")]);
    eprintln!(
        "{kind:?}: started with the demo cases in {:?}",
        Utc::now() - started
    );
    let db = &app.db;

    let cases = petition_case::Entity::find()
        .order_by_asc(petition_case::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(cases.len(), 300, "the demo cases are filed at start");

    // Every state of the workflows, every outcome, extended terms, late and timely answers,
    // overdue open cases, ratings, publications.
    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &cases {
        *states.entry(c.status.as_str()).or_default() += 1;
    }
    for state in [
        "registered",
        "in_examination",
        "awaiting_citizen",
        "answered",
        "appealed",
        "closed",
        "forwarded",
        "dismissed",
        "withdrawn",
        "not_examined",
    ] {
        assert!(
            states.get(state).is_some_and(|n| *n > 0),
            "{state}: {states:?}"
        );
    }
    assert!(
        states["closed"] > 100,
        "most old cases are closed: {states:?}"
    );
    let outcomes: Vec<&str> = cases.iter().filter_map(|c| c.outcome.as_deref()).collect();
    for o in ["admitted", "partly_admitted", "rejected"] {
        assert!(outcomes.contains(&o), "{o}");
    }
    for k in [
        "petition",
        "complaint",
        "prior_complaint",
        "information_request",
    ] {
        assert!(cases.iter().any(|c| c.kind == k), "{k}");
    }
    let extended = cases
        .iter()
        .filter(|c| {
            c.counters
                .as_ref()
                .and_then(|v| v.get("extensions"))
                .and_then(Value::as_u64)
                .is_some_and(|n| n > 0)
        })
        .count();
    assert!(extended > 0, "some terms were extended");
    let overdue_open = cases
        .iter()
        .filter(|c| c.overdue && c.closed_at.is_none() && c.answered_at.is_none())
        .count();
    assert!(
        overdue_open >= 5,
        "overdue and still waiting: {overdue_open}"
    );
    assert!(cases.iter().any(|c| c.answered_late == Some(true)));
    assert!(cases.iter().any(|c| c.answered_late == Some(false)));
    let rated = cases.iter().filter(|c| c.rating.is_some()).count();
    assert!(rated > 10, "rated: {rated}");
    assert!(cases.iter().filter(|c| c.rating.is_some()).all(|c| {
        c.answered_at
            .is_some_and(|a| c.rated_at.is_some_and(|r| r > a))
    }));
    assert!(
        cases
            .iter()
            .any(|c| c.channel == "online" && c.petitioner_id.is_none())
    );
    assert!(cases.iter().any(|c| c.channel == "paper"));
    let published = case_publication::Entity::find().count(db).await.unwrap();
    assert!(published > 0, "some consenting cases are published");

    // Filed on working days in office hours, over the past year.
    for c in &cases {
        let local = c.filed_at.with_timezone(&tz);
        assert!(
            !matches!(local.weekday(), Weekday::Sat | Weekday::Sun),
            "{}",
            c.registration_number
        );
        assert!((8..18).contains(&local.hour()), "{local}");
        assert!(c.filed_at < started && (started - c.filed_at).num_days() <= 370);
    }

    // Histories: registered first, each step after the one before, the last one is the state.
    let events = case_event::Entity::find()
        .order_by_asc(case_event::Column::Id)
        .all(db)
        .await
        .unwrap();
    let mut by_case: HashMap<i64, Vec<&case_event::Model>> = HashMap::new();
    for e in &events {
        by_case.entry(e.case_id).or_default().push(e);
    }
    let timers = case_timer::Entity::find().all(db).await.unwrap();
    let mut timers_of: HashMap<i64, Vec<&case_timer::Model>> = HashMap::new();
    for t in &timers {
        timers_of.entry(t.case_id).or_default().push(t);
    }
    for c in &cases {
        let n = &c.registration_number;
        let history = &by_case[&c.id];
        assert_eq!(history[0].transition, "register", "{n}");
        assert_eq!(history[0].at, c.filed_at, "{n}");
        assert!(history.windows(2).all(|w| w[0].at <= w[1].at), "{n}");
        assert_eq!(history.last().unwrap().to_state, c.status, "{n}");
        let answer_due = timers_of[&c.id]
            .iter()
            .find(|t| t.name == "answer_due")
            .unwrap_or_else(|| panic!("{n} has its term"));
        // Every due reminder and expiry was fired: what is left runs into the future.
        for t in &timers_of[&c.id] {
            if t.status == "running" {
                assert!(t.fire_at.is_some_and(|f| f > started), "{n} {}", t.name);
            }
        }
        if answer_due.status == "running" {
            assert_eq!(c.answer_due, Some(answer_due.due_on), "{n}");
            assert!(answer_due.due_on >= today, "{n}: a passed term is expired");
        }
        if answer_due.status == "expired" {
            assert!(c.overdue, "{n}: an expired term marks the case overdue");
            assert!(answer_due.due_on < today, "{n}");
        }
        if c.status == "awaiting_citizen" {
            assert_eq!(answer_due.status, "paused", "{n}");
            assert!(
                timers_of[&c.id]
                    .iter()
                    .any(|t| t.name == "info_reply_due" && t.status == "running"),
                "{n}"
            );
        }
        if c.overdue {
            assert!(
                history
                    .iter()
                    .any(|e| e.transition == "timer:answer_due:expired"),
                "{n}: marked overdue by the term's expiry"
            );
        }
        if c.answered_at.is_some() {
            assert!(
                c.response_days.is_some() && c.answered_late.is_some(),
                "{n}"
            );
        }
        if c.status == "in_examination" || c.status == "answered" {
            assert!(c.assignee_id.is_some(), "{n}");
        }
    }
    // The ticker's work, done on time: reminders went out, unreplied cases were closed.
    assert!(
        events
            .iter()
            .any(|e| e.transition == "timer:answer_due:reminder")
    );
    assert!(
        events
            .iter()
            .any(|e| e.transition == "close" && e.actor_role == "system")
    );

    // Registration numbers: per year 1..n without gaps, the counter at n.
    let mut seqs: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
    for c in &cases {
        seqs.entry(c.reg_year).or_default().push(c.reg_seq);
        assert_eq!(c.reg_year, c.filed_at.with_timezone(&tz).year());
    }
    let counters = registration_counter::Entity::find().all(db).await.unwrap();
    for (year, mut list) in seqs {
        list.sort_unstable();
        assert_eq!(list, (1..=list.len() as i64).collect::<Vec<_>>(), "{year}");
        let counter = counters.iter().find(|c| c.year == year).unwrap();
        assert_eq!(counter.last_value, list.len() as i64);
    }
    // Numbers follow the filing time.
    let mut by_time: Vec<&petition_case::Model> = cases.iter().collect();
    by_time.sort_by_key(|c| c.filed_at);
    assert!(
        by_time
            .windows(2)
            .all(|w| w[0].reg_year < w[1].reg_year || w[0].reg_seq < w[1].reg_seq)
    );

    // The mails of the past are recorded as sent, none goes out.
    let mails = mail_outbox::Entity::find().all(db).await.unwrap();
    assert!(mails.len() > 300, "mails: {}", mails.len());
    for m in &mails {
        assert_eq!(m.status, "sent", "{} {}", m.template, m.to_addr);
        assert_eq!(m.smtp_response.as_deref(), Some(NOT_DELIVERED));
        assert!(m.sent_at.is_some_and(|s| s >= m.created_at));
        assert!(
            m.to_addr.ends_with("@example.com") || m.to_addr.ends_with("@demo.petitio"),
            "{}",
            m.to_addr
        );
    }
    assert!(mails.iter().any(|m| m.template == "case_answered"));
    assert!(mails.iter().any(|m| m.template == "deadline_overdue"));

    // The audit chain holds (records appended in the order of time, hashes whole).
    for chain in audit::verify(db).await.unwrap() {
        assert!(chain.broken.is_none(), "{chain:?}");
    }

    // The daily snapshots of the past, some with overdue cases.
    let snapshots = case_stats_daily::Entity::find()
        .filter(case_stats_daily::Column::Day.lt(today))
        .all(db)
        .await
        .unwrap();
    let days: std::collections::BTreeSet<_> = snapshots.iter().map(|s| s.day).collect();
    assert!(days.len() > 300, "days: {}", days.len());
    assert!(snapshots.iter().any(|s| s.overdue_cases > 0));
    let yesterday = today.pred_opt().unwrap();
    let open_yesterday: i64 = snapshots
        .iter()
        .filter(|s| s.day == yesterday)
        .map(|s| s.open_cases)
        .sum();
    assert!(open_yesterday > 20, "open yesterday: {open_yesterday}");

    // The demo citizen sees his cases.
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let mine = app.json_as("/api/v1/cases?per_page=100", &citizen).await;
    assert!(mine["total"].as_u64().unwrap() >= 8, "{mine}");
    let mine_states: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    for s in ["answered", "awaiting_citizen", "registered", "closed"] {
        assert!(mine_states.contains(&s), "{s}: {mine_states:?}");
    }

    // The officer's queue: the overdue first.
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let queue = app.json_as("/api/v1/cases", &officer).await;
    assert!(queue["total"].as_u64().unwrap() > 20, "{queue}");
    assert_eq!(queue["items"][0]["overdue"], Value::Bool(true), "{queue}");

    // The managers' indicators of the default period count them.
    let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
    let res = app.get_with("/api/v1/metrics", &manager).await;
    assert_eq!(res.status(), 200);
    let m: Value = res.json().await.unwrap();
    for key in ["received", "answered", "answered_on_time", "answered_late"] {
        assert!(m[key].as_u64().is_some_and(|n| n > 0), "{key}: {m}");
    }

    // Once only: a second run (the start-up's or the command's) adds nothing.
    let before = counts(db, today).await;
    let again = seed_cases::seed_demo_cases(db, Utc::now(), &app.base)
        .await
        .unwrap();
    assert_eq!(again, seed_cases::CasesReport::default());
    assert_eq!(counts(db, today).await, before);
});

db_test!(test_apps_get_no_demo_cases, |kind| {
    let app = app!(kind);
    assert_eq!(
        petition_case::Entity::find().count(&app.db).await.unwrap(),
        0
    );
});
