//! `cargo bench -p server --bench workflow`: the workflow engine and the deadline ticker.
//!
//! 1. validating a definition (`Definition::from_toml` of md-petition), median of many runs;
//! 2. the engine applying an event (`apply`), median;
//! 3. the ticker's claim query on PostgreSQL with 1,000,000 open cases, when nothing is due and
//!    when 10,000 timers are due, plus the time to fire a sample of due timers end to end.
//!
//! Part 3 needs PostgreSQL (`BENCH_DATABASE_URL`, default the local server's `postgres`
//! database); it creates and drops a database `petitio_bench`. Skip it with `BENCH_SKIP_PG=1`.
//! Results are printed as Markdown rows to paste into `bench/RESULTS.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;

use app::calendar::Calendar;
use app::workflow::{self, Actor, Definition, Event, Role, TransitionInput};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn bench<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    for _ in 0..runs / 10 {
        f();
    }
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let src = workflow::builtin_source("md-petition").unwrap();
    let validate = bench(2_000, || {
        std::hint::black_box(Definition::from_toml(std::hint::black_box(src)).unwrap());
    });
    println!(
        "| validate md-petition (parse + every check) | {} |",
        micros(validate)
    );

    let def = workflow::builtin("md-petition").unwrap();
    let cal = Calendar::new(def.calendar);
    let today = NaiveDate::from_ymd_opt(2026, 4, 3).unwrap();
    let start = workflow::CaseSnapshot {
        state: "submitted".into(),
        owner_id: Some(1),
        ..Default::default()
    };
    let register = Event::Transition {
        id: "register".into(),
        actor: Actor {
            role: Role::System,
            user_id: None,
        },
        input: TransitionInput::default(),
    };
    let registered = workflow::apply(&def, &cal, &start, &register, today).unwrap();
    let case = workflow::CaseSnapshot {
        state: registered.new_state.clone(),
        timers: registered.timers_after.clone(),
        counters: registered.counters_after.clone(),
        owner_id: Some(1),
        ..Default::default()
    };
    let apply_register = bench(20_000, || {
        std::hint::black_box(workflow::apply(&def, &cal, &start, &register, today).unwrap());
    });
    println!(
        "| engine: apply `register` (2 timers, 1 mail) | {} |",
        micros(apply_register)
    );
    let take = Event::Transition {
        id: "take".into(),
        actor: Actor {
            role: Role::Officer,
            user_id: Some(2),
        },
        input: TransitionInput::default(),
    };
    let apply_take = bench(20_000, || {
        std::hint::black_box(workflow::apply(&def, &cal, &case, &take, today).unwrap());
    });
    println!("| engine: apply `take` | {} |", micros(apply_take));
    let refused = Event::Transition {
        id: "answer".into(),
        actor: Actor {
            role: Role::Citizen,
            user_id: Some(1),
        },
        input: TransitionInput::default(),
    };
    let apply_refused = bench(20_000, || {
        std::hint::black_box(workflow::apply(&def, &cal, &case, &refused, today).unwrap_err());
    });
    println!("| engine: refuse an event | {} |", micros(apply_refused));

    if std::env::var("BENCH_SKIP_PG").is_ok() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(ticker_bench());
}

async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn ticker_bench() {
    let admin_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = Database::connect(&admin_url)
        .await
        .expect("PostgreSQL for the ticker benchmark (BENCH_SKIP_PG=1 skips it)");
    exec(&admin, "DROP DATABASE IF EXISTS petitio_bench").await;
    exec(&admin, "CREATE DATABASE petitio_bench").await;
    let url = match admin_url.rfind('/') {
        Some(i) => format!("{}/petitio_bench", &admin_url[..i]),
        None => panic!("BENCH_DATABASE_URL needs a database name"),
    };
    let db = app::backend::db::connect(&url, 4).await.unwrap();
    migrations::Migrator::up(&db, None).await.unwrap();
    app::backend::definitions::ensure_builtins(&db, Utc::now())
        .await
        .unwrap();
    app::backend::seed::seed_demo(&db).await.unwrap();

    // 1,000,000 open cases in examination, each with a running answer_due timer due in the
    // future, written with generate_series (the service layer would take hours for a million).
    let t = Instant::now();
    exec(&db, "INSERT INTO petition_case (institution_id, kind, status, workflow_name, workflow_version, reg_year, reg_seq, registration_number, channel, petitioner_name, subject, body, overdue, consent_publish, filed_at, updated_at, version)
               SELECT 1, 'petition', 'in_examination', 'md-petition', 1, 2027, g, 'CHI-2027-' || lpad(g::text, 7, '0'), 'online', 'Bench', 'Subiect', 'Text', false, false, now(), now(), 1
               FROM generate_series(1, 1000000) g").await;
    exec(&db, "INSERT INTO case_timer (case_id, name, status, due_on, fire_at, started_at, data)
               SELECT id, 'answer_due', 'running', DATE '2030-01-31', TIMESTAMPTZ '2030-01-26 06:00:00+00', now(),
                      json_build_object('timer', 'answer_due', 'due', '2030-01-31', 'status', json_build_object('status', 'running'), 'reminders_sent', json_build_array(), 'extended_days', 0, 'pauses', json_build_array())
               FROM petition_case WHERE reg_year = 2027").await;
    exec(&db, "ANALYZE").await;
    println!(
        "| setup: 1,000,000 cases + timers | {:.1} s |",
        t.elapsed().as_secs_f64()
    );

    let claim = "SELECT id FROM case_timer WHERE status = 'running' AND fire_at <= $1 ORDER BY fire_at LIMIT 1 FOR UPDATE SKIP LOCKED";
    let time_claim = |now: chrono::DateTime<Utc>| {
        let db = db.clone();
        async move {
            let mut v = Vec::new();
            for _ in 0..200 {
                let t = Instant::now();
                db.query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    claim,
                    [now.into()],
                ))
                .await
                .unwrap();
                v.push(t.elapsed());
            }
            median(v)
        }
    };
    let now = Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).unwrap();
    println!(
        "| ticker claim query, 1,000,000 open, nothing due | {} |",
        micros(time_claim(now).await)
    );
    let plan = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("EXPLAIN {claim}"),
            [now.into()],
        ))
        .await
        .unwrap();
    let plan: Vec<String> = plan
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    println!("plan: {}", plan.join(" / "));

    // 10,000 of them due now.
    exec(&db, "UPDATE case_timer SET fire_at = TIMESTAMPTZ '2027-05-01 06:00:00+00', due_on = DATE '2027-05-06',
               data = json_build_object('timer', 'answer_due', 'due', '2027-05-06', 'status', json_build_object('status', 'running'), 'reminders_sent', json_build_array(5, 1), 'extended_days', 0, 'pauses', json_build_array())
               WHERE case_id IN (SELECT id FROM petition_case WHERE reg_year = 2027 AND reg_seq <= 10000)").await;
    exec(&db, "ANALYZE case_timer").await;
    println!(
        "| ticker claim query, 1,000,000 open, 10,000 due | {} |",
        micros(time_claim(now).await)
    );

    // Firing end to end (claim, load, engine, case + timer + history + outbox, commit): a sample.
    let sample = 300;
    let t = Instant::now();
    let mut fired = 0;
    for _ in 0..sample * 2 {
        if app::backend::deadlines::fire_next_due(&db, now, "http://bench")
            .await
            .unwrap()
            .is_some()
        {
            fired += 1;
        }
        if fired == sample {
            break;
        }
    }
    assert_eq!(fired, sample, "every claimed timer fires");
    let per = t.elapsed() / sample;
    println!(
        "| ticker: fire one due timer end to end (mean of {sample}) | {:.2} ms |",
        per.as_secs_f64() * 1e3
    );
    drop(db);
    exec(&admin, "DROP DATABASE IF EXISTS petitio_bench WITH (FORCE)").await;
}
