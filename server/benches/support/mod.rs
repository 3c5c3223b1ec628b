//! What the HTTP benches share: a release server on a fresh PostgreSQL database with the demo
//! seed, and a closed-loop load generator (each client sends its next request when the answer
//! to the previous one has arrived) that reports requests per second, p50 and p99.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use server::config::Settings;
use server::startup::Application;

/// Clients at once (`BENCH_CONCURRENCY`, default 16).
pub fn concurrency() -> usize {
    std::env::var("BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16)
}

/// Cases to seed (`BENCH_CASES`, default 1,000,000).
pub fn cases() -> u64 {
    std::env::var("BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

pub fn pct(v: &[Duration], p: f64) -> Duration {
    v[((v.len() as f64 - 1.0) * p) as usize]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

pub async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A fresh database `name` on the benchmark's PostgreSQL (the application on it comes with
/// it from [`PgBench::start`]: built, migrated, demo-seeded, not yet serving).
pub struct PgBench {
    pub admin: DatabaseConnection,
    pub name: String,
    pub url: String,
    pub dir: PathBuf,
}

impl PgBench {
    pub async fn start(name: &str) -> (PgBench, Application) {
        let admin_url = std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let admin = Database::connect(&admin_url).await.unwrap();
        exec(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
        exec(&admin, &format!("CREATE DATABASE {name}")).await;
        let url = match admin_url.rfind('/') {
            Some(i) => format!("{}/{name}", &admin_url[..i]),
            None => admin_url.clone(),
        };
        let dir = std::env::temp_dir().join(format!("{name}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut env = BTreeMap::new();
        for (k, v) in [
            ("DATABASE_URL", url.clone()),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0".into()),
            ("LEPTOS_SITE_ROOT", dir.join("site").display().to_string()),
            ("PETITIO_MAIL_DIR", dir.join("mail").display().to_string()),
            ("PETITIO_DEMO", "1".into()),
            ("PETITIO_DEMO_CASES", "0".into()),
            ("PETITIO_LOG", "error".into()),
            ("PETITIO_DB_POOL_SIZE", "20".into()),
            ("PETITIO_RATE_LIMITS", "login=100000/60".into()),
        ] {
            env.insert(k.to_string(), v);
        }
        let app = Application::build(Settings::from_sources(None, env).unwrap())
            .await
            .unwrap();
        (
            PgBench {
                admin,
                name: name.to_string(),
                url,
                dir,
            },
            app,
        )
    }

    /// Drops the database unless `BENCH_KEEP=1` (to look at the plans afterwards).
    pub async fn finish(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if std::env::var("BENCH_KEEP").as_deref() == Ok("1") {
            println!("kept: {}", self.url);
        } else {
            exec(
                &self.admin,
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            )
            .await;
        }
    }
}

/// Signs `email` in (demo password); the bearer token.
pub async fn login(client: &reqwest::Client, base: &str, email: &str) -> String {
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": email, "password": "demo-password-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["token"].as_str().unwrap().to_string()
}

/// `requests` GETs of `path` by `c` clients (after 20 warm-up requests that must contain
/// `expect`): requests per second, p50, p99.
pub async fn load(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    token: &str,
    expect: &str,
    c: usize,
    requests: usize,
) -> (f64, Duration, Duration) {
    let url = format!("{base}{path}");
    for _ in 0..20 {
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
        let each = requests / c;
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(each);
            for _ in 0..each {
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

/// This process's resident memory now and at its peak (kB), from /proc.
pub fn rss_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
