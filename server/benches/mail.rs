//! `cargo bench -p server --bench mail`: the mail sender's rate to a local SMTP server.
//!
//! Queues `BENCH_MAILS` mails (default 5,000) in the outbox of a fresh database (SQLite file,
//! then PostgreSQL), starts a minimal SMTP server on loopback (it answers every command and
//! counts the messages, so the sender is measured, not the receiver), and runs the real sender
//! (`mail_sender::send_due` with lettre's pooled SMTP transport) until every row is `sent`.
//! Prints Markdown rows for `bench/RESULTS.md`: mails per second, and checks that the server
//! received each mail exactly once (by Message-ID).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait};
use sea_orm_migration::MigratorTrait;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use app::backend::clock::Clock;
use app::backend::{db, outbox};
use server::mail::SmtpTransport;
use server::workers::mail_sender::{self, SenderConfig};

/// A minimal SMTP server: every command answered, each message's Message-ID kept.
async fn sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let ids = Arc::new(Mutex::new(Vec::new()));
    let seen = ids.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            // Answers go out at once (no Nagle delay on the small replies), as a mail server's.
            stream.set_nodelay(true).ok();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut in_data = false;
                let mut id = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            seen.lock().unwrap().push(id.take().unwrap_or_default());
                            write.write_all(b"250 2.0.0 queued\r\n").await.ok();
                        } else if id.is_none()
                            && line.to_ascii_lowercase().starts_with("message-id:")
                        {
                            id = Some(line[11..].trim().to_string());
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    if write.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, ids)
}

/// Mails sent at once (`BENCH_MAIL_CONCURRENCY`, default 64), each on its own pooled connection.
static CONCURRENCY: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    std::env::var("BENCH_MAIL_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
});

async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_string(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn run(label: &str, url: &str, n: usize) {
    let conn = db::connect(url, 16).await.unwrap();
    migrations::Migrator::up(&conn, None).await.unwrap();
    let t = Instant::now();
    let txn = conn.begin().await.unwrap();
    for i in 0..n {
        outbox::enqueue(
            &txn,
            outbox::NewMail {
                to: format!("cetatean{i}@example.md"),
                template: "case_registered".into(),
                lang: "ro".into(),
                subject: format!("Petiția dumneavoastră a fost înregistrată: CHI-2026-{i:06}"),
                body_text: format!(
                    "Petiția „Cantina socială” a fost înregistrată cu numărul CHI-2026-{i:06}.\n\nO puteți urmări aici: https://petitii.example.md/cazuri/{i}"
                ),
                body_html: Some(format!("<p>Petiția CHI-2026-{i:06}</p>")),
                case_id: None,
                not_before: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let queued = t.elapsed();
    let (port, ids) = sink().await;
    let transport: Arc<dyn server::mail::MailTransport> = Arc::new(
        SmtpTransport::with_pool(&format!("smtp://127.0.0.1:{port}"), *CONCURRENCY as u32).unwrap(),
    );
    let cfg = SenderConfig {
        from: "Petiții online <petitii@localhost>".into(),
        poll: Duration::from_millis(50),
        batch: 200,
        concurrency: *CONCURRENCY,
        max_attempts: 5,
        retry_base: Duration::from_millis(100),
        lease: Duration::from_secs(300),
    };
    let t = Instant::now();
    let mut sent = 0;
    while sent < n {
        let claimed = mail_sender::send_due(&conn, transport.clone(), &cfg, Clock::default())
            .await
            .unwrap();
        assert!(claimed > 0, "rows left unclaimed: {sent} of {n}");
        sent += claimed;
    }
    let secs = t.elapsed().as_secs_f64();
    let received = ids.lock().unwrap().clone();
    let unique: BTreeSet<&String> = received.iter().collect();
    assert_eq!(
        (received.len(), unique.len()),
        (n, n),
        "each mail exactly once"
    );
    println!(
        "| mail sender, {label}: {n} mails to a local SMTP server (lettre pool, {} at once, batches of 200) | {:.0} mails/s ({secs:.2} s; queueing them: {:.2} s) |",
        *CONCURRENCY,
        n as f64 / secs,
        queued.as_secs_f64()
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n: usize = std::env::var("BENCH_MAILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let dir = std::env::temp_dir().join(format!("petitio-bench-mail-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    run(
        "SQLite",
        &format!("sqlite://{}?mode=rwc", dir.join("mail.db").display()),
        n,
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    if std::env::var("BENCH_SKIP_PG").as_deref() == Ok("1") {
        return;
    }
    let admin_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = Database::connect(&admin_url).await.unwrap();
    exec(
        &admin,
        "DROP DATABASE IF EXISTS petitio_bench_mail WITH (FORCE)",
    )
    .await;
    exec(&admin, "CREATE DATABASE petitio_bench_mail").await;
    let url = match admin_url.rfind('/') {
        Some(i) => format!("{}/petitio_bench_mail", &admin_url[..i]),
        None => admin_url.clone(),
    };
    run("PostgreSQL", &url, n).await;
    exec(
        &admin,
        "DROP DATABASE IF EXISTS petitio_bench_mail WITH (FORCE)",
    )
    .await;
    let _ = DbBackend::Postgres;
}
