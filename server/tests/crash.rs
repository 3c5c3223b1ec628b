//! Crash safety under load: the real `petitio` binary (a child process) on a fresh SQLite or
//! PostgreSQL database, mailing over SMTP to a loopback server, gets `CRASH_CASES` filings
//! (default 10,000 in a release build, 2,000 in a debug one, as CI runs it) through
//! `POST /api/v1/cases` from 32 clients at once, and is killed with
//! SIGKILL twice at random moments and started again on the same database and port. Clients
//! retry every unanswered filing with its `Idempotency-Key` until it is acknowledged (201).
//!
//! Then, once the mail sender has drained the outbox, it checks:
//! - every acknowledged case exists with the registration number its receipt gave, once;
//! - per institution and year, the numbers are 1..=n: none used twice, none skipped;
//! - every case has its deadline timers (`answer_due`, `forward_due`, running);
//! - every case has exactly one receipt mail (`case_registered`) in the outbox, and the SMTP
//!   server received it: at least once, and more than once only for a mail the killed server
//!   had handed to SMTP but not yet recorded as sent (at most the mails it was sending at
//!   once, `PETITIO_MAIL_CONCURRENCY`, per kill). Such a
//!   redelivery carries the outbox row's Message-ID, so the receiving side can recognise it.
//!   The test counts them and prints them (`mails redelivered`).
//!
//! `cargo test -p server --test crash -- --nocapture` prints the numbers; the full run on an
//! optimised server: `cargo test --release -p server --test crash -- --nocapture`.

#![allow(clippy::unwrap_used)]

#[path = "it/helpers.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod helpers;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::Rng;
use sea_orm::{ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use app::backend::entity::{case_timer, idempotency_key, mail_outbox, petition_case};
use helpers::{Db, SmtpServer, TempDir, TestDb, free_port};

const CONCURRENCY: usize = 32;
const CITIZENS: usize = 16;
const PASSWORD: &str = "a long enough password";
/// Mails the sender sends at once: at most this many can be between the SMTP server's answer
/// and its record when the server dies.
const MAIL_CONCURRENCY: usize = 16;
const KILLS: usize = 2;

/// One crash run at a time (they share two cores with everything else).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `CRASH_CASES`, else 10,000 on an optimised build and 2,000 on a debug one (CI's: 10,000
/// take 4 to 8 minutes per database there).
fn cases_wanted() -> usize {
    std::env::var("CRASH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            2_000
        } else {
            10_000
        })
}

/// The server as a child process, started again on the same database and port.
struct Server {
    env: Vec<(String, String)>,
    log: std::path::PathBuf,
    child: Option<Child>,
    base: String,
}

impl Server {
    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_petitio"))
            .arg("serve")
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("the petitio binary starts");
        self.child = Some(child);
    }

    /// Starts it and waits until `/healthz` answers (a port still held by the killed process
    /// is tried again).
    async fn start(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(120);
        self.spawn();
        loop {
            assert!(
                Instant::now() < deadline,
                "the server did not come up; its log: {}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            if let Ok(r) = client.get(format!("{}/healthz", self.base)).send().await
                && r.status() == 200
            {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                eprintln!("the server exited ({status}); starting it again");
                tokio::time::sleep(Duration::from_millis(200)).await;
                self.spawn();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, no flush, nothing finished.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

#[derive(Clone, Debug)]
struct Ack {
    id: i64,
    number: String,
    citizen: usize,
}

/// Registers, confirms (by the link in the outbox) and signs in a citizen; returns the token.
async fn citizen(
    client: &reqwest::Client,
    base: &str,
    db: &DatabaseConnection,
    email: &str,
) -> String {
    let res = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": email, "password": PASSWORD, "full_name": "Maria Rusu"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        201,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let mail = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddr.eq(email))
        .filter(mail_outbox::Column::Template.eq("verify_email"))
        .one(db)
        .await
        .unwrap()
        .expect("the confirmation mail is queued");
    let start = mail.body_text.find("http").unwrap();
    let link: String = mail.body_text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let res = client.get(&link).send().await.unwrap();
    assert!(res.status().is_redirection(), "{link}: {}", res.status());
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_string()
}

fn email_of(citizen: usize) -> String {
    format!("cetatean{citizen}@example.md")
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    acks: Mutex<BTreeMap<usize, Ack>>,
    /// Requests that got no answer (connection refused or reset, timeout) or a 5xx.
    failed_attempts: AtomicUsize,
    /// Acknowledged filings that needed more than one request.
    retried: AtomicUsize,
    /// Filings given up after two minutes without an answer.
    given_up: AtomicUsize,
    /// Answers other than 201 and 5xx (a bug: printed and failed on).
    unexpected: Mutex<Vec<String>>,
}

/// Files case `i` until the server acknowledges it, retrying with its key.
async fn file_until_acknowledged(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    run: &str,
    i: usize,
    seen: &Seen,
) {
    let key = format!("{run}-{i}");
    let body = json!({
        "kind": "petition",
        "subject": format!("Cererea {i}: iluminatul din scara blocului"),
        "body": format!("Becurile din scara blocului {i} nu funcționează de o lună."),
        "consent_processing": true,
        "confirm_repeat": true,
    });
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let res = client
            .post(format!("{base}/api/v1/cases"))
            .bearer_auth(token)
            .header("idempotency-key", &key)
            .json(&body)
            .send()
            .await;
        match res {
            Ok(r) if r.status() == 201 => match r.json::<Value>().await {
                Ok(receipt) => {
                    if attempts > 1 {
                        seen.retried.fetch_add(1, Ordering::Relaxed);
                    }
                    let ack = Ack {
                        id: receipt["id"].as_i64().unwrap(),
                        number: receipt["registration_number"].as_str().unwrap().to_string(),
                        citizen: i % CITIZENS,
                    };
                    seen.acks.lock().unwrap().insert(i, ack);
                    return;
                }
                // The answer was cut off: not acknowledged, ask again.
                Err(_) => {
                    seen.failed_attempts.fetch_add(1, Ordering::Relaxed);
                }
            },
            Ok(r) if r.status().is_server_error() => {
                seen.failed_attempts.fetch_add(1, Ordering::Relaxed);
            }
            Ok(r) => {
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                seen.unexpected
                    .lock()
                    .unwrap()
                    .push(format!("filing {i}: {status} {text}"));
                return;
            }
            Err(_) => {
                seen.failed_attempts.fetch_add(1, Ordering::Relaxed);
            }
        }
        if started.elapsed() > Duration::from_secs(120) {
            seen.given_up.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let pause = rand::rng().random_range(20..120);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
}

/// Message-ID → how many times the SMTP server received it.
fn deliveries(maildir: &Path) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir(maildir.join("new")) else {
        return out;
    };
    for entry in dir.filter_map(Result::ok) {
        let Ok(raw) = std::fs::read(entry.path()) else {
            continue;
        };
        let Ok((headers, _)) = mailparse::parse_headers(&raw) else {
            continue;
        };
        use mailparse::MailHeaderMap;
        if let Some(id) = headers.get_first_value("Message-ID") {
            let id = id.trim().trim_start_matches('<').trim_end_matches('>');
            *out.entry(id.to_string()).or_insert(0) += 1;
        }
    }
    out
}

async fn crash_run(kind: Db) {
    let _one = ONE_AT_A_TIME.lock().await;
    let wanted = cases_wanted();
    let Some(db) = TestDb::create(kind).await else {
        return;
    };
    let smtp = SmtpServer::start();
    let dir = TempDir::new("petitio-crash");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let env: Vec<(String, String)> = [
        ("DATABASE_URL", db.url.clone()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        (
            "LEPTOS_SITE_ROOT",
            dir.path().join("site").display().to_string(),
        ),
        (
            "PETITIO_MAIL_DIR",
            dir.path().join("mail").display().to_string(),
        ),
        (
            "PETITIO_ATTACHMENTS_DIR",
            dir.path().join("attachments").display().to_string(),
        ),
        ("PETITIO_SMTP_URL", smtp.url()),
        // Tokens stay valid across restarts.
        (
            "PETITIO_JWT_SECRET",
            "crash-test-secret-0123456789abcdef".into(),
        ),
        ("PETITIO_DEMO", "1".into()),
        ("PETITIO_DEMO_CASES", "0".into()),
        ("PETITIO_DB_POOL_SIZE", "16".into()),
        // The test files far more than a citizen may; the window is short to keep the
        // rate-limit table small.
        (
            "PETITIO_RATE_LIMITS",
            "filing=1000000/1,register=1000/60,login=1000/60".into(),
        ),
        ("PETITIO_MAIL_POLL_MS", "200".into()),
        ("PETITIO_MAIL_CONCURRENCY", MAIL_CONCURRENCY.to_string()),
        ("PETITIO_MAIL_RETRY_BASE_MS", "500".into()),
        // Mails a killed server was sending go again after this.
        ("PETITIO_MAIL_LEASE_SECS", "15".into()),
        ("PETITIO_LOG", "warn".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let mut server = Server {
        env,
        log: dir.path().join("server.log"),
        child: None,
        base: base.clone(),
    };
    server.start(&client).await;
    let reader = Database::connect(&db.url).await.unwrap();

    let mut tokens = Vec::new();
    for c in 0..CITIZENS {
        tokens.push(citizen(&client, &base, &reader, &email_of(c)).await);
    }

    // File, while a killer waits for two random moments.
    let run = uuid::Uuid::new_v4().simple().to_string();
    let seen = Seen::default();
    let next = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let worker = || async {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            if i >= wanted {
                return;
            }
            file_until_acknowledged(&client, &base, &tokens[i % CITIZENS], &run, i, &seen).await;
        }
    };
    let killer = async {
        let mut kills = Vec::new();
        let mut rng_points: Vec<(usize, u64)> = {
            let mut rng = rand::rng();
            vec![
                (
                    rng.random_range(wanted * 15 / 100..wanted * 40 / 100 + 1),
                    rng.random_range(0..40),
                ),
                (
                    rng.random_range(wanted * 55 / 100..wanted * 85 / 100 + 1),
                    rng.random_range(0..40),
                ),
            ]
        };
        rng_points.truncate(KILLS);
        for (at, extra_ms) in rng_points {
            while seen.acks.lock().unwrap().len() < at && !done.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            if done.load(Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(extra_ms)).await;
            let acked = seen.acks.lock().unwrap().len();
            server.kill();
            let down = Instant::now();
            server.start(&client).await;
            kills.push((acked, down.elapsed()));
        }
        kills
    };
    let workers = async {
        let all: Vec<_> = (0..CONCURRENCY).map(|_| worker()).collect();
        futures_join_all(all).await;
        done.store(true, Ordering::SeqCst);
    };
    let ((), kills) = tokio::join!(workers, killer);
    let filing_time = started.elapsed();

    // Let the sender drain: every receipt row sent (a row a killed server was sending goes
    // again once its lease has run out).
    let acks = seen.acks.lock().unwrap().clone();
    let drain_started = Instant::now();
    let mut outbox: Vec<mail_outbox::Model>;
    loop {
        outbox = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Template.eq("case_registered"))
            .all(&reader)
            .await
            .unwrap();
        let unsent = outbox.iter().filter(|m| m.status != "sent").count();
        if unsent == 0 && outbox.len() >= acks.len() {
            break;
        }
        assert!(
            drain_started.elapsed() < Duration::from_secs(300),
            "{unsent} receipt mails still not sent"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Every mail recorded as sent has reached the SMTP server; give its files a moment.
    let wanted_ids: HashSet<String> = outbox.iter().map(|m| m.message_id.clone()).collect();
    let maildir = smtp.dir.path().join("maildir");
    let mut got = deliveries(&maildir);
    let settle = Instant::now();
    while wanted_ids.iter().any(|id| !got.contains_key(id))
        && settle.elapsed() < Duration::from_secs(20)
    {
        tokio::time::sleep(Duration::from_millis(250)).await;
        got = deliveries(&maildir);
    }
    let drain_time = drain_started.elapsed();

    // The database, read directly.
    let cases = petition_case::Entity::find()
        .order_by_asc(petition_case::Column::Id)
        .all(&reader)
        .await
        .unwrap();
    let by_id: HashMap<i64, &petition_case::Model> = cases.iter().map(|c| (c.id, c)).collect();
    let ours: Vec<&petition_case::Model> = cases
        .iter()
        .filter(|c| c.subject.starts_with("Cererea "))
        .collect();
    let mut missing = Vec::new();
    for (i, ack) in &acks {
        match by_id.get(&ack.id) {
            Some(c)
                if c.registration_number == ack.number
                    && c.petitioner_email.as_deref() == Some(email_of(ack.citizen).as_str())
                    && c.subject.starts_with(&format!("Cererea {i}:")) => {}
            other => missing.push(format!("filing {i} {ack:?}: {other:?}")),
        }
    }
    // One case per filing: a subject seen twice is a filing that was registered twice.
    let mut per_subject: HashMap<&str, usize> = HashMap::new();
    for c in &ours {
        *per_subject.entry(c.subject.as_str()).or_insert(0) += 1;
    }
    let duplicates: usize = per_subject.values().map(|n| n - 1).sum();
    // Numbers: per institution and year exactly 1..=n.
    let mut seqs: BTreeMap<(i64, i32), Vec<i64>> = BTreeMap::new();
    for c in &cases {
        seqs.entry((c.institution_id, c.reg_year))
            .or_default()
            .push(c.reg_seq);
    }
    let (mut reused, mut gaps) = (0usize, 0usize);
    for list in seqs.values_mut() {
        list.sort_unstable();
        let distinct: HashSet<i64> = list.iter().copied().collect();
        reused += list.len() - distinct.len();
        let max = list.last().copied().unwrap_or(0);
        gaps += (1..=max).filter(|s| !distinct.contains(s)).count();
    }
    let numbers: HashSet<&str> = cases
        .iter()
        .map(|c| c.registration_number.as_str())
        .collect();
    let numbers_twice = cases.len() - numbers.len();
    let keys = idempotency_key::Entity::find()
        .all(&reader)
        .await
        .unwrap()
        .len();
    // Timers.
    let timers = case_timer::Entity::find().all(&reader).await.unwrap();
    let mut timers_of: HashMap<i64, HashSet<&str>> = HashMap::new();
    for t in &timers {
        if t.status == "running" {
            timers_of
                .entry(t.case_id)
                .or_default()
                .insert(t.name.as_str());
        }
    }
    let without_timers = ours
        .iter()
        .filter(|c| {
            let t = timers_of.get(&c.id);
            !t.is_some_and(|t| t.contains("answer_due") && t.contains("forward_due"))
        })
        .count();
    // Receipts: one outbox row per case, delivered at least once, redelivered only with its
    // own Message-ID.
    let mut rows_per_case: HashMap<i64, usize> = HashMap::new();
    for m in &outbox {
        if let Some(id) = m.case_id {
            *rows_per_case.entry(id).or_insert(0) += 1;
        }
    }
    let receipts_missing = ours
        .iter()
        .filter(|c| !rows_per_case.contains_key(&c.id))
        .count();
    let receipts_queued_twice: usize = rows_per_case.values().filter(|n| **n > 1).count();
    let wrong_recipient = outbox
        .iter()
        .filter(|m| {
            m.case_id
                .and_then(|id| by_id.get(&id))
                .is_none_or(|c| c.petitioner_email.as_deref() != Some(m.to_addr.as_str()))
        })
        .count();
    let mut delivered_once = 0;
    let mut never_delivered = 0;
    let mut redelivered = 0;
    let mut extra_copies = 0;
    for m in &outbox {
        match got.get(&m.message_id).copied().unwrap_or(0) {
            0 => never_delivered += 1,
            1 => delivered_once += 1,
            n => {
                redelivered += 1;
                extra_copies += n - 1;
            }
        }
    }
    let smtp_total: usize = got.values().sum();
    let receipt_copies: usize = outbox
        .iter()
        .map(|m| got.get(&m.message_id).copied().unwrap_or(0))
        .sum();
    let given_up = seen.given_up.load(Ordering::Relaxed);
    let unexpected = seen.unexpected.lock().unwrap().clone();

    let kind_name = format!("{kind:?}").to_lowercase();
    eprintln!(
        "crash[{kind_name}]: filed {wanted}, acknowledged {}, found {}, cases in the database {} (ours {}), idempotency keys {keys}\n\
         crash[{kind_name}]: requests without an answer (retried) {}, filings acknowledged after a retry {}, given up {given_up}, unexpected answers {}\n\
         crash[{kind_name}]: kills at acknowledged #{} (server back in {:?} each)\n\
         crash[{kind_name}]: duplicates {duplicates}, numbers used twice {reused} (by text {numbers_twice}), gaps {gaps}, cases without their timers {without_timers}\n\
         crash[{kind_name}]: receipt mails queued {} (missing {receipts_missing}, twice {receipts_queued_twice}, wrong recipient {wrong_recipient}); delivered once {delivered_once}, redelivered {redelivered} (+{extra_copies} copies, same Message-ID), never {never_delivered}; SMTP received {smtp_total} mails ({receipt_copies} receipts)\n\
         crash[{kind_name}]: filing took {:.1} s ({:.0}/s), draining the mail {:.1} s",
        acks.len(),
        acks.len() - missing.len(),
        cases.len(),
        ours.len(),
        seen.failed_attempts.load(Ordering::Relaxed),
        seen.retried.load(Ordering::Relaxed),
        unexpected.len(),
        kills
            .iter()
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>()
            .join(" and #"),
        kills.iter().map(|(_, d)| *d).collect::<Vec<_>>(),
        outbox.len(),
        filing_time.as_secs_f64(),
        acks.len() as f64 / filing_time.as_secs_f64(),
        drain_time.as_secs_f64(),
    );

    assert!(unexpected.is_empty(), "{unexpected:#?}");
    assert_eq!(given_up, 0, "filings without an answer for two minutes");
    assert_eq!(kills.len(), KILLS, "the server was killed twice");
    assert_eq!(acks.len(), wanted, "every filing acknowledged in the end");
    assert!(missing.is_empty(), "{missing:#?}");
    assert_eq!(ours.len(), wanted, "one case per filing");
    assert_eq!(duplicates, 0);
    assert_eq!(keys, wanted, "one idempotency key per filing");
    assert_eq!((reused, numbers_twice, gaps), (0, 0, 0), "{seqs:?}");
    assert_eq!(without_timers, 0);
    assert_eq!(outbox.len(), wanted, "one receipt mail per case");
    assert_eq!(
        (receipts_missing, receipts_queued_twice, wrong_recipient),
        (0, 0, 0)
    );
    assert_eq!(never_delivered, 0, "every receipt reached the SMTP server");
    // At-least-once: only a mail handed to SMTP by a server killed before it recorded the
    // answer goes twice (at most the mails it was sending at once, at each kill).
    assert!(
        redelivered <= KILLS * MAIL_CONCURRENCY,
        "{redelivered} receipts delivered more than once"
    );
    assert_eq!(delivered_once + redelivered, wanted);
    drop(reader);
    server.kill();
}

/// Runs the futures at once on this task (like `futures::future::join_all`).
async fn futures_join_all<F: std::future::Future<Output = ()>>(futures: Vec<F>) {
    let mut set: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    std::future::poll_fn(move |cx| {
        set.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if set.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    crash_run(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    crash_run(Db::Postgres).await;
}
