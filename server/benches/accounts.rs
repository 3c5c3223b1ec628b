//! `cargo bench -p server --bench accounts`: what accounts cost.
//!
//! 1. Argon2id hashing and verification (the `argon2` defaults: m = 19 MiB, t = 2, p = 1);
//! 2. against the real server (SQLite, and PostgreSQL unless `BENCH_SKIP_PG=1`): a login, an
//!    authenticated request (`GET /api/v1/auth/me`: token check, session and account lookup)
//!    next to an anonymous one (`GET /healthz`), one at a time and 8 at a time.
//!
//! Prints Markdown rows for `bench/RESULTS.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use tokio_util::sync::CancellationToken;

use server::config::Settings;
use server::startup::Application;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p) as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

async fn timed<F, Fut>(runs: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..runs / 10 {
        f().await;
    }
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        out.push(t.elapsed());
    }
    out
}

async fn server(db_url: &str, dir: &std::path::Path) -> (String, CancellationToken) {
    let mut env = BTreeMap::new();
    for (k, v) in [
        ("DATABASE_URL", db_url.to_string()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0".into()),
        ("LEPTOS_SITE_ROOT", dir.join("site").display().to_string()),
        ("PETITIO_MAIL_DIR", dir.join("mail").display().to_string()),
        ("PETITIO_DEMO", "1".into()),
        ("PETITIO_DEMO_CASES", "0".into()),
        ("PETITIO_LOG", "error".into()),
        ("PETITIO_RATE_LIMITS", "login=100000/60".into()),
    ] {
        env.insert(k.to_string(), v);
    }
    let app = Application::build(Settings::from_sources(None, env).unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    let stop = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(stop.clone()));
    (base, stop)
}

async fn http_rows(label: &str, db_url: &str) {
    let dir = std::env::temp_dir().join(format!("petitio-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let (base, stop) = server(db_url, &dir).await;
    let client = reqwest::Client::new();
    let login = || {
        let req = client.post(format!("{base}/api/v1/auth/login")).json(
            &serde_json::json!({ "email": "citizen@demo.petitio", "password": "demo-password-1" }),
        );
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.json::<serde_json::Value>().await.unwrap()["token"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let logins = timed(20, || async {
        login().await;
    })
    .await;
    let token = login().await;
    let me = || {
        let req = client
            .get(format!("{base}/api/v1/auth/me"))
            .bearer_auth(&token);
        async move {
            assert_eq!(req.send().await.unwrap().status(), 200);
        }
    };
    let health = || {
        let req = client.get(format!("{base}/healthz"));
        async move {
            assert_eq!(req.send().await.unwrap().status(), 200);
        }
    };
    let me_times = timed(1000, me).await;
    let health_times = timed(1000, health).await;
    // 8 clients at once, 4,000 authenticated requests.
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        let url = format!("{base}/api/v1/auth/me");
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..500 {
                let res = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(res.status(), 200);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let rps = 4000.0 / t.elapsed().as_secs_f64();
    println!(
        "| {label}: login (argon2id verify + session), median of 20 | {} |",
        ms(median(logins))
    );
    println!(
        "| {label}: `GET /api/v1/auth/me` with a bearer token, median / p99 of 1,000 | {} / {} |",
        ms(median(me_times.clone())),
        ms(pct(me_times, 0.99))
    );
    println!(
        "| {label}: `GET /healthz` (no session), median / p99 of 1,000 | {} / {} |",
        ms(median(health_times.clone())),
        ms(pct(health_times, 0.99))
    );
    println!("| {label}: authenticated requests, 8 clients at once | {rps:.0} req/s |");
    stop.cancel();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let hashes = timed(20, || async {
        app::backend::password::hash("demo-password-1".into())
            .await
            .unwrap();
    })
    .await;
    let stored = app::backend::password::hash("demo-password-1".into())
        .await
        .unwrap();
    let verifies = timed(20, || {
        let stored = stored.clone();
        async move {
            assert!(
                app::backend::password::verify("demo-password-1".into(), stored)
                    .await
                    .unwrap()
            );
        }
    })
    .await;
    println!("| argon2id hash, median of 20 | {} |", ms(median(hashes)));
    println!(
        "| argon2id verify, median of 20 | {} |",
        ms(median(verifies))
    );

    let dir = std::env::temp_dir().join(format!("petitio-bench-db-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    http_rows("SQLite", &sqlite).await;

    if std::env::var("BENCH_SKIP_PG").as_deref() != Ok("1") {
        let admin_url = std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let admin = Database::connect(&admin_url).await.unwrap();
        admin
            .execute_unprepared("DROP DATABASE IF EXISTS petitio_bench_accounts WITH (FORCE)")
            .await
            .unwrap();
        admin
            .execute_unprepared("CREATE DATABASE petitio_bench_accounts")
            .await
            .unwrap();
        let url = match admin_url.rfind('/') {
            Some(i) => format!("{}/petitio_bench_accounts", &admin_url[..i]),
            None => admin_url.clone(),
        };
        http_rows("PostgreSQL", &url).await;
        admin
            .execute_unprepared("DROP DATABASE IF EXISTS petitio_bench_accounts WITH (FORCE)")
            .await
            .unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
