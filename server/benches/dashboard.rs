//! `cargo bench -p server --bench dashboard`: the managers' dashboard at national scale.
//!
//! Seeds `BENCH_CASES` cases (default 1,000,000) on PostgreSQL as five years of a city's work:
//! filed over 1,825 days; 1 in 50 and every case of the last 40 days still waiting, 3 in 20
//! closed without an answer (forwarded, dismissed, withdrawn), the rest answered after 0 to 39
//! days (late after 30), one in five rated; spread over the demo's departments, officers and
//! services. Then, against the release server in this process:
//! the dashboard page (`/birou/indicatori`, HTML, the default 12 weeks) and its JSON,
//! by one client and by `BENCH_CONCURRENCY` at once; and the CSV of every case (streamed), its
//! time and the growth of this process's memory. Prints Markdown rows for `bench/RESULTS.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use support::{PgBench, concurrency, exec, load, ms, rss_kb};

/// Requests per scenario (the page takes half a second today: see bench/RESULTS.md).
const REQUESTS: usize = 64;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if std::env::var("BENCH_SKIP_PG").as_deref() == Ok("1") {
        println!("dashboard bench: PostgreSQL skipped (BENCH_SKIP_PG=1)");
        return;
    }
    let n = support::cases();
    let (bench, app) = PgBench::start("petitio_bench_dashboard").await;
    let db = app.state().db.clone();

    let t = Instant::now();
    exec(&db, &format!(
        "INSERT INTO petition_case (institution_id, department_id, kind, status, workflow_name, workflow_version, reg_year, reg_seq, registration_number, channel, petitioner_name, subject, body, overdue, answer_due, consent_publish, filed_at, updated_at, version, assignee_id, answered_at, outcome, response_days, response_working_days, answered_late, closed_at, rating, rated_at, service_id)
         SELECT 1, d.ids[1 + g % array_length(d.ids, 1)], 'petition',
                CASE s.kind WHEN 'answered' THEN 'closed' WHEN 'waiting' THEN 'in_examination' ELSE s.kind END,
                'md-petition', 1, 2027, g, 'CHI-2027-' || lpad(g::text, 7, '0'),
                (ARRAY['online', 'online', 'online', 'paper', 'post', 'email'])[1 + g % 6],
                'Petiționar ' || g, 'Petiția nr. ' || g, 'Textul petiției ' || g,
                s.kind = 'waiting' AND f.filed < now() - interval '30 days',
                (f.filed + interval '30 days')::date, false, f.filed, now(), 1,
                CASE WHEN s.kind <> 'waiting' THEN o.ids[1 + g % array_length(o.ids, 1)] END,
                CASE WHEN s.kind = 'answered' THEN f.filed + (g % 40) * interval '1 day' END,
                CASE WHEN s.kind = 'answered' THEN (ARRAY['admitted', 'partly_admitted', 'rejected'])[1 + g % 3] END,
                CASE WHEN s.kind = 'answered' THEN g % 40 END,
                CASE WHEN s.kind = 'answered' THEN (g % 40) * 5 / 7 END,
                CASE WHEN s.kind = 'answered' THEN g % 40 > 30 END,
                CASE WHEN s.kind = 'answered' THEN f.filed + (g % 40) * interval '1 day'
                     WHEN s.kind = 'waiting' THEN NULL
                     ELSE f.filed + interval '3 days' END,
                CASE WHEN s.kind = 'answered' AND g % 5 = 0 THEN 1 + g % 5 END,
                CASE WHEN s.kind = 'answered' AND g % 5 = 0 THEN f.filed + (g % 40 + 1) * interval '1 day' END,
                sv.ids[1 + g % coalesce(array_length(sv.ids, 1), 1)]
         FROM generate_series(1, {n}) g
         CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM department) d
         CROSS JOIN (SELECT array_agg(DISTINCT user_id) AS ids FROM user_role WHERE role = 'officer') o
         CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM public_service) sv
         CROSS JOIN LATERAL (SELECT now() - (g % 1825) * interval '1 day' - (g % 24) * interval '1 hour' AS filed) f
         CROSS JOIN LATERAL (SELECT CASE WHEN g % 50 = 0 OR f.filed > now() - interval '40 days' THEN 'waiting'
                                         WHEN g % 20 = 1 THEN 'forwarded'
                                         WHEN g % 20 = 2 THEN 'dismissed'
                                         WHEN g % 20 = 3 THEN 'withdrawn'
                                         ELSE 'answered' END AS kind) s"
    )).await;
    exec(&db, "VACUUM ANALYZE petition_case").await;
    let seeded = t.elapsed();
    println!(
        "| dashboard: seed {n} cases over five years (one INSERT … generate_series, every index, then VACUUM ANALYZE) | {:.1} s ({:.0} cases/s) |",
        seeded.as_secs_f64(),
        n as f64 / seeded.as_secs_f64()
    );

    let base = format!("http://{}", app.local_addr());
    let stop = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(stop.clone()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency())
        .build()
        .unwrap();
    let token = support::login(&client, &base, "manager@demo.petitio").await;
    for (label, path, expect) in [
        (
            "dashboard page `/birou/indicatori` (HTML, 12 weeks, 5 SVG charts)",
            "/birou/indicatori".to_string(),
            "<svg".to_string(),
        ),
        (
            "indicators JSON `/api/v1/metrics`, 12 weeks",
            "/api/v1/metrics".to_string(),
            "\"received\"".to_string(),
        ),
    ] {
        for c in [1, concurrency()] {
            let (rps, p50, p99) = load(&client, &base, &path, &token, &expect, c, REQUESTS).await;
            println!(
                "| {label}, {n} cases, concurrency {c} | {rps:.0} req/s, p50 {}, p99 {} |",
                ms(p50),
                ms(p99)
            );
        }
    }

    // Every case as CSV, streamed: the time, the rows, and how much this process grew.
    let (rss_before, _) = rss_kb();
    let t = Instant::now();
    let mut res = client
        .get(format!("{base}/api/v1/exports/cases.csv?status=all"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (mut bytes, mut lines, mut peak) = (0usize, 0usize, rss_before);
    while let Some(chunk) = res.chunk().await.unwrap() {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        peak = peak.max(rss_kb().0);
    }
    let took = t.elapsed();
    assert_eq!(lines as u64, n + 1, "every case and the header");
    println!(
        "| CSV of every case `/api/v1/exports/cases.csv?status=all`, {n} rows | {:.1} s ({:.0} rows/s, {:.0} MB); the process grew by {:.0} MB at most |",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        bytes as f64 / 1e6,
        peak.saturating_sub(rss_before) as f64 / 1024.0
    );
    stop.cancel();
    tokio::time::sleep(Duration::from_millis(300)).await;
    bench.finish().await;
}
