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

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tokio_util::sync::CancellationToken;

use server::config::Settings;
use server::startup::Application;

/// Clients at once (`BENCH_CONCURRENCY`, default 16) and requests per scenario.
fn concurrency() -> usize {
    std::env::var("BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16)
}
const REQUESTS: usize = 3_200;

fn pct(v: &[Duration], p: f64) -> Duration {
    v[((v.len() as f64 - 1.0) * p) as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `REQUESTS` GETs of `path` by `CONCURRENCY` clients (after a warm-up): req/s, p50, p99.
async fn load(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    token: &str,
    expect: &str,
    c: usize,
) -> (f64, Duration, Duration) {
    let url = format!("{base}{path}");
    for _ in 0..50 {
        let body = client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            body.contains(expect),
            "{path} answers with {expect}: {}",
            &body[..body.len().min(300)]
        );
    }
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..c {
        let (client, url, token) = (client.clone(), url.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(REQUESTS / c);
            for _ in 0..REQUESTS / c {
                let start = Instant::now();
                let res = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(res.status(), 200);
                res.bytes().await.unwrap();
                times.push(start.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let rps = times.len() as f64 / t.elapsed().as_secs_f64();
    times.sort();
    (rps, pct(&times, 0.5), pct(&times, 0.99))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if std::env::var("BENCH_SKIP_PG").as_deref() == Ok("1") {
        println!("queue bench: PostgreSQL skipped (BENCH_SKIP_PG=1)");
        return;
    }
    let n: u64 = std::env::var("BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let admin_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = Database::connect(&admin_url).await.unwrap();
    exec(
        &admin,
        "DROP DATABASE IF EXISTS petitio_bench_queue WITH (FORCE)",
    )
    .await;
    exec(&admin, "CREATE DATABASE petitio_bench_queue").await;
    let url = match admin_url.rfind('/') {
        Some(i) => format!("{}/petitio_bench_queue", &admin_url[..i]),
        None => admin_url.clone(),
    };

    let dir = std::env::temp_dir().join(format!("petitio-bench-queue-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut env = BTreeMap::new();
    for (k, v) in [
        ("DATABASE_URL", url.clone()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0".into()),
        ("LEPTOS_SITE_ROOT", dir.join("site").display().to_string()),
        ("PETITIO_MAIL_DIR", dir.join("mail").display().to_string()),
        ("PETITIO_DEMO", "1".into()),
        ("PETITIO_LOG", "error".into()),
        ("PETITIO_DB_POOL_SIZE", "20".into()),
        ("PETITIO_RATE_LIMITS", "login=100000/60".into()),
    ] {
        env.insert(k.to_string(), v);
    }
    let app = Application::build(Settings::from_sources(None, env).unwrap())
        .await
        .unwrap();
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
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(
            &serde_json::json!({ "email": "officer@demo.petitio", "password": "demo-password-1" }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_string();

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
            let (rps, p50, p99) = load(&client, &base, &path, &token, &expect, c).await;
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
    let _ = std::fs::remove_dir_all(&dir);
    // BENCH_KEEP=1 keeps the seeded database for a look at the plans.
    if std::env::var("BENCH_KEEP").as_deref() == Ok("1") {
        println!("kept: {url}");
    } else {
        exec(
            &admin,
            "DROP DATABASE IF EXISTS petitio_bench_queue WITH (FORCE)",
        )
        .await;
    }
}
