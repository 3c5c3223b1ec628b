//! The workflow in the database: filing and registration, every path through the built-in
//! petition workflow, one winner among concurrent transitions, the deadline ticker firing each
//! reminder and expiry exactly once with several tickers, and the `petitio workflow` commands.

use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use sea_orm_migration::MigratorTrait;

use app::backend::entity::{case_event, case_timer, institution, mail_outbox, petition_case, user};
use app::backend::filing::{self, NewCase};
use app::backend::transitions::{self, Request};
use app::backend::{db, deadlines, definitions, seed};
use app::model::AppError;
use app::workflow::{Actor, Event, Outcome, Role, TransitionInput};

use crate::db_test;
use crate::helpers::{Db, TempDir, TestDb};

const URL: &str = "http://portal.test";

async fn setup(kind: Db) -> Option<(TestDb, DatabaseConnection)> {
    let test_db = TestDb::create(kind).await?;
    let conn = db::connect(&test_db.url, 5).await.expect("connect");
    migrations::Migrator::up(&conn, None)
        .await
        .expect("migrate");
    definitions::ensure_builtins(&conn, Utc::now())
        .await
        .expect("built-ins");
    seed::seed_demo(&conn).await.expect("seed");
    Some((test_db, conn))
}

/// 09:00 in Chișinău on `day` (UTC+3 in summer, +2 in winter: 06:00 or 07:00 UTC).
fn at(day: &str, hour_utc: u32) -> DateTime<Utc> {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    Utc.from_utc_datetime(&d.and_hms_opt(hour_utc, 0, 0).unwrap())
}

async fn user_id(conn: &DatabaseConnection, email: &str) -> i64 {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn file(conn: &DatabaseConnection, now: DateTime<Utc>) -> petition_case::Model {
    let inst = institution::Entity::find()
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let citizen = user_id(conn, "citizen@demo.petitio").await;
    filing::file_case(
        conn,
        NewCase {
            institution_id: inst.id,
            kind: "petition".into(),
            channel: "online".into(),
            petitioner_id: Some(citizen),
            petitioner_name: "Ion Popescu".into(),
            petitioner_email: Some("citizen@demo.petitio".into()),
            subject: "Cantina socială din Botanica".into(),
            body: "Mâncarea vine rece de trei săptămâni.".into(),
            ..Default::default()
        },
        now,
        URL,
    )
    .await
    .expect("filing")
}

async fn act(
    conn: &DatabaseConnection,
    case: &petition_case::Model,
    id: &str,
    role: Role,
    user: Option<i64>,
    input: TransitionInput,
    now: DateTime<Utc>,
) -> Result<petition_case::Model, AppError> {
    transitions::apply_event(
        conn,
        Request {
            case_id: case.id,
            event: Event::Transition {
                id: id.into(),
                actor: Actor {
                    role,
                    user_id: user,
                },
                input,
            },
            expected_version: Some(case.version),
        },
        now,
        URL,
    )
    .await
    .map(|d| d.case)
}

async fn history(conn: &DatabaseConnection, case_id: i64) -> Vec<String> {
    case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_asc(case_event::Column::Id)
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.transition)
        .collect()
}

async fn mails(conn: &DatabaseConnection, case_id: i64) -> Vec<(String, String)> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::CaseId.eq(case_id))
        .order_by_asc(mail_outbox::Column::Id)
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.template, m.to_addr))
        .collect()
}

async fn timer(conn: &DatabaseConnection, case_id: i64, name: &str) -> case_timer::Model {
    case_timer::Entity::find()
        .filter(case_timer::Column::CaseId.eq(case_id))
        .filter(case_timer::Column::Name.eq(name))
        .one(conn)
        .await
        .unwrap()
        .unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

db_test!(a_case_walks_the_happy_path_in_the_database, |kind| {
    let Some((_db, conn)) = setup(kind).await else {
        return;
    };
    let case = file(&conn, at("2026-04-03", 6)).await;
    assert_eq!(case.registration_number, "CHI-2026-000001");
    assert_eq!(
        (
            case.status.as_str(),
            case.workflow_name.as_str(),
            case.workflow_version
        ),
        ("registered", "md-petition", 1)
    );
    assert_eq!(case.answer_due, Some(date("2026-05-04")));
    let t = timer(&conn, case.id, "answer_due").await;
    assert_eq!(
        (t.status.as_str(), t.due_on),
        ("running", date("2026-05-04"))
    );
    // The first reminder, 5 days before, at 08:00 in Chișinău (05:00 UTC in summer).
    assert_eq!(
        t.fire_at,
        Some(Utc.with_ymd_and_hms(2026, 4, 29, 5, 0, 0).unwrap())
    );
    assert_eq!(
        timer(&conn, case.id, "forward_due").await.due_on,
        date("2026-04-10")
    );
    assert_eq!(
        mails(&conn, case.id).await,
        vec![(
            "case_registered".to_string(),
            "citizen@demo.petitio".to_string()
        )]
    );
    let receipt = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::CaseId.eq(case.id))
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert!(
        receipt.subject.contains("CHI-2026-000001"),
        "{}",
        receipt.subject
    );
    assert!(
        receipt
            .body_text
            .contains(&format!("{URL}/cazuri/{}", case.id)),
        "{}",
        receipt.body_text
    );
    assert!(
        receipt.body_text.contains("04.05.2026"),
        "{}",
        receipt.body_text
    );

    let officer = user_id(&conn, "officer@demo.petitio").await;
    let case = act(
        &conn,
        &case,
        "take",
        Role::Officer,
        Some(officer),
        TransitionInput::default(),
        at("2026-04-06", 7),
    )
    .await
    .unwrap();
    assert_eq!(
        (case.status.as_str(), case.assignee_id),
        ("in_examination", Some(officer))
    );
    assert_eq!(timer(&conn, case.id, "forward_due").await.status, "done");

    let ext = TransitionInput {
        reason: Some("Verificare la fața locului".into()),
        extension_days: Some(15),
        ..Default::default()
    };
    let case = act(
        &conn,
        &case,
        "extend",
        Role::Officer,
        Some(officer),
        ext.clone(),
        at("2026-04-20", 7),
    )
    .await
    .unwrap();
    assert_eq!(case.answer_due, Some(date("2026-05-19")));
    // A second extension is refused and changes nothing.
    let err = act(
        &conn,
        &case,
        "extend",
        Role::Officer,
        Some(officer),
        ext,
        at("2026-04-21", 7),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::TransitionNotAllowed(_)), "{err:?}");

    let ask = TransitionInput {
        reason: Some("Indicați adresa cantinei".into()),
        ..Default::default()
    };
    let case = act(
        &conn,
        &case,
        "request_info",
        Role::Officer,
        Some(officer),
        ask,
        at("2026-05-01", 7),
    )
    .await
    .unwrap();
    assert_eq!(timer(&conn, case.id, "answer_due").await.status, "paused");
    assert_eq!(
        timer(&conn, case.id, "answer_due").await.fire_at,
        None,
        "a paused timer does not fire"
    );
    let reply = TransitionInput {
        note: Some("Str. Decebal 23".into()),
        ..Default::default()
    };
    let citizen = user_id(&conn, "citizen@demo.petitio").await;
    let case = act(
        &conn,
        &case,
        "citizen_reply",
        Role::Citizen,
        Some(citizen),
        reply,
        at("2026-05-11", 7),
    )
    .await
    .unwrap();
    assert_eq!(case.answer_due, Some(date("2026-05-29")));

    // Missing fields come back as field errors.
    let err = act(
        &conn,
        &case,
        "answer",
        Role::Officer,
        Some(officer),
        TransitionInput::default(),
        at("2026-05-20", 7),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.fields().unwrap().keys().collect::<Vec<_>>(),
        vec!["answer"]
    );
    let answer = TransitionInput {
        answer: Some("Furnizorul a fost schimbat.".into()),
        outcome: Some(Outcome::Admitted),
        ..Default::default()
    };
    let case = act(
        &conn,
        &case,
        "answer",
        Role::Officer,
        Some(officer),
        answer,
        at("2026-05-20", 7),
    )
    .await
    .unwrap();
    assert_eq!(
        (case.status.as_str(), case.outcome.as_deref(), case.overdue),
        ("answered", Some("admitted"), false)
    );
    assert!(case.answered_at.is_some());
    let case = act(
        &conn,
        &case,
        "close",
        Role::Officer,
        Some(officer),
        TransitionInput::default(),
        at("2026-05-21", 7),
    )
    .await
    .unwrap();
    assert!(case.closed_at.is_some());
    assert_eq!(case.version, 7, "one version per applied transition");

    assert_eq!(
        history(&conn, case.id).await,
        [
            "register",
            "take",
            "extend",
            "request_info",
            "citizen_reply",
            "answer",
            "close"
        ]
    );
    let templates: Vec<String> = mails(&conn, case.id)
        .await
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(
        templates,
        [
            "case_registered",
            "case_extended",
            "info_requested",
            "citizen_replied",
            "case_answered"
        ]
    );
});

db_test!(side_paths_forward_dismiss_withdraw_and_no_reply, |kind| {
    let Some((_db, conn)) = setup(kind).await else {
        return;
    };
    let officer = user_id(&conn, "officer@demo.petitio").await;
    let citizen = user_id(&conn, "citizen@demo.petitio").await;
    let other = institution::Entity::find()
        .one(&conn)
        .await
        .unwrap()
        .unwrap()
        .id;

    let a = file(&conn, at("2026-03-02", 7)).await;
    let a = act(
        &conn,
        &a,
        "forward",
        Role::Officer,
        Some(officer),
        TransitionInput {
            target_institution_id: Some(other),
            ..Default::default()
        },
        at("2026-03-03", 7),
    )
    .await
    .unwrap();
    assert_eq!(
        (a.status.as_str(), a.forwarded_to_institution_id),
        ("forwarded", Some(other))
    );
    assert!(a.closed_at.is_some());
    assert_eq!(mails(&conn, a.id).await.last().unwrap().0, "case_forwarded");

    let b = file(&conn, at("2026-03-02", 7)).await;
    let err = act(
        &conn,
        &b,
        "dismiss",
        Role::Officer,
        Some(officer),
        TransitionInput::default(),
        at("2026-03-03", 7),
    )
    .await
    .unwrap_err();
    assert!(err.fields().is_some_and(|f| f.contains_key("reason")));
    let b = act(
        &conn,
        &b,
        "dismiss",
        Role::Officer,
        Some(officer),
        TransitionInput {
            reason: Some("Petiție repetată".into()),
            ..Default::default()
        },
        at("2026-03-03", 7),
    )
    .await
    .unwrap();
    assert_eq!(b.status, "dismissed");

    let c = file(&conn, at("2026-03-02", 7)).await;
    let err = act(
        &conn,
        &c,
        "withdraw",
        Role::Officer,
        Some(officer),
        TransitionInput::default(),
        at("2026-03-03", 7),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::TransitionNotAllowed(_)));
    let c = act(
        &conn,
        &c,
        "withdraw",
        Role::Citizen,
        Some(citizen),
        TransitionInput::default(),
        at("2026-03-03", 7),
    )
    .await
    .unwrap();
    assert_eq!(c.status, "withdrawn");
    let running = case_timer::Entity::find()
        .filter(case_timer::Column::CaseId.eq(c.id))
        .filter(case_timer::Column::Status.eq("running"))
        .count(&conn)
        .await
        .unwrap();
    assert_eq!(running, 0);

    // No reply to a request for information: the ticker closes the case as not examined.
    let d = file(&conn, at("2026-03-02", 7)).await;
    let d = act(
        &conn,
        &d,
        "take",
        Role::Officer,
        Some(officer),
        TransitionInput::default(),
        at("2026-03-02", 8),
    )
    .await
    .unwrap();
    let d = act(
        &conn,
        &d,
        "request_info",
        Role::Officer,
        Some(officer),
        TransitionInput {
            reason: Some("Lipsește semnătura".into()),
            ..Default::default()
        },
        at("2026-03-03", 7),
    )
    .await
    .unwrap();
    assert_eq!(
        timer(&conn, d.id, "info_reply_due").await.due_on,
        date("2026-03-18")
    );
    // Nothing is due on the last day itself.
    while let Some(f) = deadlines::fire_next_due(&conn, at("2026-03-18", 12), URL)
        .await
        .unwrap()
    {
        assert_ne!(f.case_id, d.id, "{f:?}");
    }
    while deadlines::fire_next_due(&conn, at("2026-03-19", 7), URL)
        .await
        .unwrap()
        .is_some()
    {}
    let d = petition_case::Entity::find_by_id(d.id)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.status, "not_examined");
    assert_eq!(
        history(&conn, d.id).await.last().unwrap(),
        "close_not_examined"
    );
    assert_eq!(mails(&conn, d.id).await.last().unwrap().0, "case_closed");
});

db_test!(
    of_two_concurrent_transitions_exactly_one_is_applied,
    |kind| {
        let Some((_db, conn)) = setup(kind).await else {
            return;
        };
        let officer = user_id(&conn, "officer@demo.petitio").await;
        let manager = user_id(&conn, "manager@demo.petitio").await;
        for round in 0..5 {
            let case = file(&conn, at("2026-03-02", 7)).await;
            let case = act(
                &conn,
                &case,
                "take",
                Role::Officer,
                Some(officer),
                TransitionInput::default(),
                at("2026-03-02", 8),
            )
            .await
            .unwrap();
            let conn = Arc::new(conn.clone());
            let answer = TransitionInput {
                answer: Some("Răspuns A".into()),
                outcome: Some(Outcome::Admitted),
                ..Default::default()
            };
            let dismiss = TransitionInput {
                reason: Some("Repetată".into()),
                ..Default::default()
            };
            let (c1, c2) = (case.clone(), case.clone());
            let (k1, k2) = (conn.clone(), conn.clone());
            let one = tokio::spawn(async move {
                act(
                    &k1,
                    &c1,
                    "answer",
                    Role::Officer,
                    Some(officer),
                    answer,
                    at("2026-03-05", 7),
                )
                .await
            });
            let two = tokio::spawn(async move {
                act(
                    &k2,
                    &c2,
                    "dismiss",
                    Role::Manager,
                    Some(manager),
                    dismiss,
                    at("2026-03-05", 7),
                )
                .await
            });
            let results = [one.await.unwrap(), two.await.unwrap()];
            let won = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(won, 1, "round {round}: {results:?}");
            for r in results.iter().filter_map(|r| r.as_ref().err()) {
                assert!(
                    matches!(r, AppError::Conflict(_) | AppError::TransitionNotAllowed(_)),
                    "round {round}: {r:?}"
                );
            }
            let events = history(&conn, case.id).await;
            assert_eq!(
                events.len(),
                3,
                "register, take and one of answer/dismiss: {events:?}"
            );
            let stored = petition_case::Entity::find_by_id(case.id)
                .one(&*conn)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(stored.version, case.version + 1);
        }
    }
);

/// Runs `tickers` concurrent ticker loops at `now` until nothing is due; returns firings.
async fn run_tickers(conn: &DatabaseConnection, tickers: usize, now: DateTime<Utc>) -> usize {
    let mut tasks = Vec::new();
    for _ in 0..tickers {
        let conn = conn.clone();
        tasks.push(tokio::spawn(async move {
            let mut fired = 0;
            let mut idle = 0;
            for _ in 0..10_000 {
                match deadlines::fire_next_due(&conn, now, URL).await {
                    Ok(Some(_)) => {
                        fired += 1;
                        idle = 0;
                    }
                    Ok(None) => {
                        idle += 1;
                        if idle > 2 {
                            break;
                        }
                    }
                    // Lost a race on the case row: the timer stays due; try again.
                    Err(_) => tokio::task::yield_now().await,
                }
            }
            fired
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total
}

async fn count_events(conn: &DatabaseConnection, name: &str) -> u64 {
    case_event::Entity::find()
        .filter(case_event::Column::Transition.eq(name))
        .count(conn)
        .await
        .unwrap()
}

db_test!(
    three_tickers_fire_each_reminder_and_expiry_exactly_once,
    |kind| {
        let Some((_db, conn)) = setup(kind).await else {
            return;
        };
        const CASES: usize = 25;
        for _ in 0..CASES {
            file(&conn, at("2026-04-03", 6)).await;
        }
        // 29 April, 09:00 local: forward_due (last day 10 April) expired, and the 5-day reminders.
        assert_eq!(run_tickers(&conn, 3, at("2026-04-29", 6)).await, 2 * CASES);
        assert_eq!(
            count_events(&conn, "timer:forward_due:expired").await,
            CASES as u64
        );
        assert_eq!(
            count_events(&conn, "timer:answer_due:reminder").await,
            CASES as u64
        );
        // Again at the same moment: nothing.
        assert_eq!(run_tickers(&conn, 3, at("2026-04-29", 7)).await, 0);
        // 3 May: the 1-day reminders.
        assert_eq!(run_tickers(&conn, 3, at("2026-05-03", 6)).await, CASES);
        assert_eq!(
            count_events(&conn, "timer:answer_due:reminder").await,
            2 * CASES as u64
        );
        // 4 May is the last day: nothing yet. 5 May, 00:30 local: every case is overdue.
        assert_eq!(run_tickers(&conn, 3, at("2026-05-04", 20)).await, 0);
        assert_eq!(
            run_tickers(
                &conn,
                3,
                at("2026-05-04", 21) + chrono::Duration::minutes(30)
            )
            .await,
            CASES
        );
        assert_eq!(
            count_events(&conn, "timer:answer_due:expired").await,
            CASES as u64
        );
        let overdue = petition_case::Entity::find()
            .filter(petition_case::Column::Overdue.eq(true))
            .count(&conn)
            .await
            .unwrap();
        assert_eq!(overdue, CASES as u64);
        // The manager got one overdue mail per case.
        let escalations = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Template.eq("deadline_overdue"))
            .filter(mail_outbox::Column::ToAddr.eq("manager@demo.petitio"))
            .count(&conn)
            .await
            .unwrap();
        // forward_due expiry (notify) and answer_due expiry (mark overdue) both tell the manager.
        assert_eq!(escalations, 2 * CASES as u64);
        assert_eq!(
            run_tickers(&conn, 3, at("2026-06-30", 7)).await,
            0,
            "nothing fires twice"
        );
    }
);

fn petitio(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_petitio"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn workflow_commands_list_export_check_and_preview() {
    let (code, out, _) = petitio(&["workflow", "list"]);
    assert_eq!(code, 0);
    let names: Vec<&str> = out.lines().collect();
    assert_eq!(names.len(), 8);
    assert_eq!(names[6..], ["md-data-request", "ro-data-request"]);
    for name in &names {
        let (code, out, err) = petitio(&["workflow", "check", name]);
        assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""), "{name}");
    }
    let dir = TempDir::new("petitio-wf");
    let (code, exported, _) = petitio(&["workflow", "export", "ro-petition"]);
    assert_eq!(code, 0);
    let file = dir.path().join("custom.toml");
    std::fs::write(
        &file,
        exported
            .replace("amount = 30", "amount = 20")
            .replace("name = \"ro-petition\"", "name = \"ro-petition-local\""),
    )
    .unwrap();
    let (code, out, err) = petitio(&[
        "workflow",
        "preview",
        file.to_str().unwrap(),
        "--filed",
        "2026-04-03",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Free days: 3 April + 21 = Friday 24 April.
    assert_eq!(v["timers"]["answer_due"], "2026-04-24");

    // A broken definition: each problem with its file, line and column; exit 1.
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        exported
            .replace(
                "roles = [\"officer\", \"manager\"]",
                "roles = [\"officer\", \"mayor\"]",
            )
            .replacen("to = \"answered\"", "to = \"nowhere\"", 1),
    )
    .unwrap();
    let (code, _, err) = petitio(&["workflow", "check", broken.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .iter()
            .filter(|l| l.contains("unknown role `mayor`"))
            .count()
            >= 2,
        "{err}"
    );
    assert!(
        lines.iter().any(|l| l.contains("unknown state `nowhere`")),
        "{err}"
    );
    for l in &lines {
        let mut parts = l.splitn(4, ':');
        assert!(parts.next().unwrap().ends_with("broken.toml"), "{l}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{l}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{l}");
    }
    let (code, _, err) = petitio(&["workflow", "check", "no-such-thing"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn preview_json_gives_the_dates_domain_rules_give() {
    for (name, calendar, expected) in [
        (
            "md-petition",
            "md",
            r#"{"calendar":"md","filed":"2026-04-03","timers":{"answer_due":"2026-05-04","forward_due":"2026-04-10"}}"#,
        ),
        (
            "ro-petition",
            "ro",
            r#"{"calendar":"ro","filed":"2026-04-03","timers":{"answer_due":"2026-05-04","forward_due":"2026-04-09"}}"#,
        ),
    ] {
        let (code, out, err) = petitio(&[
            "workflow",
            "preview",
            name,
            "--filed",
            "2026-04-03",
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        let got: serde_json::Value = serde_json::from_str(&out).unwrap();
        let want: serde_json::Value = serde_json::from_str(expected).unwrap();
        assert_eq!(got, want, "{name}");
        assert_eq!(got["calendar"], calendar);
    }
    // The Romanian workflow counted on the Moldovan calendar instead.
    let (_, out, _) = petitio(&[
        "workflow",
        "preview",
        "ro-petition",
        "--filed",
        "2026-04-09",
        "--calendar",
        "md",
        "--json",
    ]);
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got["calendar"], "md");
    let (code, _, err) = petitio(&["workflow", "preview", "md-petition", "--filed", "3 April"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a date"), "{err}");
}

db_test!(
    calendar_adjustments_from_a_file_move_the_deadlines,
    |kind| {
        let dir = TempDir::new("petitio-cal");
        let file = dir.path().join("calendar.toml");
        // A government day-off transfer on Monday 4 May 2026 and a worked Saturday 9 May... which is
        // also a holiday (Victory Day); the worked day wins, as the government decided it.
        std::fs::write(
        &file,
        "[[adjustment]]\ncalendar = \"md\"\nkind = \"day_off\"\ndate = 2026-05-04\nname = \"Zi transferată\"\n\n\
         [[adjustment]]\ncalendar = \"md\"\nkind = \"working_day\"\ndate = 2026-05-02\nname = \"Sâmbătă lucrătoare\"\ninstitution = \"chisinau-dgass\"\n",
    )
    .unwrap();
        let app = crate::app!(kind, &[("PETITIO_CALENDAR_FILE", file.to_str().unwrap())]);
        // 3 April + 30 = Sunday 3 May → Monday 4 May is now a day off → Tuesday 5 May.
        let (_, html) = app.get_text("/fluxuri/md-petition?filed=2026-04-03").await;
        assert!(
            html.contains("2026-05-05"),
            "the transferred day off moves the term"
        );
        // 2 April + 30 = Saturday 2 May, worked in this institution: the term ends that day.
        let (_, html) = app.get_text("/fluxuri/md-petition?filed=2026-04-02").await;
        assert!(
            html.contains("2026-05-02"),
            "a worked Saturday is a working day"
        );
        // The demo seed's patron day (14 October) is a day off: 14 Sep + 30 = 14 Oct → 15 Oct.
        let (_, html) = app.get_text("/fluxuri/md-petition?filed=2026-09-14").await;
        assert!(html.contains("2026-10-15"), "Chișinău's patron day");
        let (_, html) = app.get_text("/fluxuri/ro-petition?filed=2026-04-03").await;
        assert!(
            html.contains("2026-05-04"),
            "the Moldovan transfer does not touch the Romanian calendar"
        );
    }
);

#[test]
fn a_bad_calendar_file_stops_the_start_with_its_name() {
    let dir = TempDir::new("petitio-cal");
    let file = dir.path().join("calendar.toml");
    std::fs::write(
        &file,
        "[[adjustment]]\ncalendar = \"md\"\nkind = \"holiday\"\ndate = 2026-05-04\nname = \"x\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_petitio"))
        .arg("migrate")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/p.db?mode=rwc", dir.path().display()),
        )
        .env("PETITIO_CALENDAR_FILE", &file)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    // `migrate` does not import; `serve` does and refuses the file.
    assert!(out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_petitio"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/p.db?mode=rwc", dir.path().display()),
        )
        .env("PETITIO_CALENDAR_FILE", &file)
        .env("PETITIO_MAIL_DIR", dir.path().join("mail"))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PETITIO_CALENDAR_FILE") && err.contains("unknown kind `holiday`"),
        "{err}"
    );
}
