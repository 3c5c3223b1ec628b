//! `cargo bench -p server --bench queue`: the officer's queue at national scale.
//!
//! Seeds `BENCH_CASES` open cases (default 1,000,000) on PostgreSQL with `generate_series`
//! (six departments, terms spread over 60 days, a tenth overdue, varied subjects), starts the
//! real server (release build, in this process) and drives it over loopback at concurrency 16:
//! the queue page (`/birou`, server-rendered HTML, 50 rows, one department, term order), one
//! search (`/birou?q=…`) and the same queue as JSON, each by one client alone and by
//! `BENCH_CONCURRENCY` at once. Prints Markdown rows for
//! `bench/RESULTS.md`: requests per second and p50 / p99 latency of each.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio_util::sync::CancellationToken;

use support::{PgBench, concurrency, exec, load, ms};

const REQUESTS: usize = 3_200;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if std::env::var("BENCH_SKIP_PG").as_deref() == Ok("1") {
        println!("queue bench: PostgreSQL skipped (BENCH_SKIP_PG=1)");
        return;
    }
    let n = support::cases();
    let (bench, app) = PgBench::start("petitio_bench_queue").await;
    let db = app.state().db.clone();

    // The cases, in the shape filing writes them (status, term, department, folded text).
    let t = Instant::now();
    exec(&db, &format!(
        "INSERT INTO petition_case (institution_id, department_id, kind, status, workflow_name, workflow_version, reg_year, reg_seq, registration_number, channel, petitioner_name, subject, body, search_text, overdue, answer_due, consent_publish, filed_at, updated_at, version)
         SELECT 1, d.ids[1 + g % array_length(d.ids, 1)], 'petition', 'in_examination', 'md-petition', 1, 2027, g,
                'CHI-2027-' || lpad(g::text, 7, '0'), 'online', 'Petiționar ' || g,
                w.words[1 + g % 7] || ' ' || w.words[1 + (g / 7) % 7] || ' nr. ' || g,
                'Textul petiției ' || g || ': ' || w.words[1 + (g / 49) % 7],
                lower('chi-2027-' || lpad(g::text, 7, '0') || ' ' || w.words[1 + g % 7] || ' ' || w.words[1 + (g / 7) % 7] || ' nr. ' || g || ' petitionar ' || g || ' textul petitiei ' || g || ': ' || w.words[1 + (g / 49) % 7]),
                (g % 60) < 6, current_date + ((g % 60) - 6), false, now() - ((g % 365) || ' days')::interval, now(), 1
         FROM generate_series(1, {n}) g,
              (SELECT array_agg(id ORDER BY id) AS ids FROM department) d,
              (SELECT ARRAY['cantina', 'iluminat', 'incalzire', 'transport', 'gunoi', 'apa', 'drumuri'] AS words) w"
    )).await;
    // As autovacuum leaves a table in steady state (visibility map set: index-only counts).
    exec(&db, "VACUUM ANALYZE petition_case").await;
    let seeded = t.elapsed();
    let dept: i64 = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM department WHERE code = 'botanica'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();

    let base = format!("http://{}", app.local_addr());
    let stop = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(stop.clone()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency())
        .build()
        .unwrap();
    let token = support::login(&client, &base, "officer@demo.petitio").await;

    println!(
        "| queue: seed {n} open cases (one INSERT … generate_series, every index, then VACUUM ANALYZE) | {:.1} s ({:.0} cases/s) |",
        seeded.as_secs_f64(),
        n as f64 / seeded.as_secs_f64()
    );
    for (label, path, expect) in [
        (
            "queue page `/birou?department_id=…` (HTML, 50 rows, term order)",
            format!("/birou?department_id={dept}"),
            "CHI-2027-".to_string(),
        ),
        (
            "queue page, overdue only",
            format!("/birou?department_id={dept}&overdue=on"),
            "CHI-2027-".to_string(),
        ),
        (
            "search page `/birou?q=cantina+nr.+4242`",
            "/birou?q=cantina+nr.+4242".to_string(),
            "CHI-2027-".to_string(),
        ),
        (
            "queue JSON `/api/v1/cases?department_id=…`",
            format!("/api/v1/cases?department_id={dept}"),
            "\"items\"".to_string(),
        ),
    ] {
        // One client alone (the latency of a request), then BENCH_CONCURRENCY at once.
        for c in [1, concurrency()] {
            let (rps, p50, p99) = load(&client, &base, &path, &token, &expect, c, REQUESTS).await;
            println!(
                "| {label}, {n} cases, concurrency {c} | {rps:.0} req/s, p50 {}, p99 {} |",
                ms(p50),
                ms(p99)
            );
        }
    }
    let plan = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("EXPLAIN SELECT id FROM petition_case WHERE institution_id = 1 AND closed_at IS NULL AND department_id = {dept} ORDER BY overdue DESC, answer_due ASC NULLS LAST, id ASC LIMIT 50"),
        ))
        .await
        .unwrap();
    for row in plan.iter().take(3) {
        let line: String = row.try_get("", "QUERY PLAN").unwrap();
        println!("    {line}");
    }
    stop.cancel();
    tokio::time::sleep(Duration::from_millis(300)).await;
    bench.finish().await;
}
