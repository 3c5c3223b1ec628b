//! The outbox and the mail sender against a real SMTP server on loopback: a filing's receipt
//! arrives once with the outbox row's Message-ID; a server that is down while 200 mails wait
//! gets every one exactly once when it comes back; three senders on one database deliver 1,000
//! mails exactly once; a mail that can never go is dead with its error.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use sea_orm_migration::MigratorTrait;

use app::backend::clock::Clock;
use app::backend::entity::{institution, mail_outbox};
use app::backend::filing::{self, NewCase};
use app::backend::outbox::{self, NewMail};
use app::backend::{db, definitions, seed};
use server::mail::SmtpTransport;
use server::workers::mail_sender::{self, SenderConfig};

use crate::db_test;
use crate::helpers::{Db, SmtpServer, TestDb, free_port};

fn message_id(raw: &str) -> Option<String> {
    raw.lines()
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .map(|l| l[11..].trim().trim_matches(['<', '>']).to_string())
}

async fn queue(db: &DatabaseConnection, n: usize, to: &str) {
    for i in 0..n {
        outbox::enqueue(
            db,
            NewMail {
                to: to.into(),
                template: "case_registered".into(),
                lang: "ro".into(),
                subject: format!("Petiția CHI-2026-{i:06}"),
                body_text: format!("Mesajul {i}"),
                body_html: None,
                case_id: None,
                not_before: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    }
    outbox::wake();
}

async fn count(db: &DatabaseConnection, status: &str) -> u64 {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq(status))
        .count(db)
        .await
        .unwrap()
}

async fn wait_until_sent(db: &DatabaseConnection, n: u64, within: Duration) {
    let deadline = Instant::now() + within;
    while count(db, outbox::status::SENT).await < n {
        assert!(
            Instant::now() < deadline,
            "only {} of {n} sent",
            count(db, outbox::status::SENT).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

db_test!(
    the_receipt_of_a_filing_arrives_once_with_its_message_id,
    |kind| {
        let smtp = SmtpServer::start();
        let app = crate::app!(
            kind,
            &[
                ("PETITIO_SMTP_URL", smtp.url().as_str()),
                ("PETITIO_MAIL_POLL_MS", "120000")
            ]
        );
        let inst = institution::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let started = Instant::now();
        let case = filing::file_case(
            &app.db,
            NewCase {
                institution_id: inst.id,
                kind: "petition".into(),
                channel: "online".into(),
                petitioner_name: "Ion Popescu".into(),
                petitioner_email: Some("ion@example.md".into()),
                subject: "Cantina socială".into(),
                body: "Text".into(),
                ..Default::default()
            },
            Utc::now(),
            "http://portal.test",
        )
        .await
        .unwrap();
        let msgs = smtp.wait_for(1).await;
        // Woken by the commit, not by the two-minute poll (the margin is wide on purpose: this
        // is not a speed test, and a loaded machine may take seconds).
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(msgs.len(), 1);
        let row = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::CaseId.eq(case.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            message_id(&msgs[0]).as_deref(),
            Some(row.message_id.as_str())
        );
        assert!(msgs[0].contains("To: ion@example.md"));
        wait_until_sent(&app.db, 1, Duration::from_secs(20)).await;
        let row = mail_outbox::Entity::find_by_id(row.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 1));
        assert!(
            row.smtp_response
                .as_deref()
                .unwrap_or("")
                .starts_with("250"),
            "{:?}",
            row.smtp_response
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(smtp.messages().len(), 1, "sent once");
    }
);

db_test!(
    with_the_smtp_server_down_200_mails_wait_and_then_arrive_exactly_once,
    |kind| {
        let port = free_port();
        let url = format!("smtp://127.0.0.1:{port}");
        let app = crate::app!(
            kind,
            &[
                ("PETITIO_SMTP_URL", url.as_str()),
                ("PETITIO_MAIL_POLL_MS", "100"),
                ("PETITIO_MAIL_RETRY_BASE_MS", "100"),
                ("PETITIO_MAIL_MAX_ATTEMPTS", "30"),
                ("PETITIO_MAIL_BATCH", "50"),
            ]
        );
        queue(&app.db, 200, "ion@example.md").await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(count(&app.db, outbox::status::SENT).await, 0);
        let failed = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::LastError.is_not_null())
            .count(&app.db)
            .await
            .unwrap();
        assert!(failed > 0, "attempts were made and failed");
        let smtp = SmtpServer::start_on(port);
        wait_until_sent(&app.db, 200, Duration::from_secs(60)).await;
        assert_eq!(count(&app.db, outbox::status::DEAD).await, 0);
        let msgs = smtp.wait_for(200).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let msgs = if msgs.len() < 200 {
            smtp.messages()
        } else {
            msgs
        };
        let ids: BTreeSet<String> = msgs.iter().filter_map(|m| message_id(m)).collect();
        assert_eq!(
            (msgs.len(), ids.len()),
            (200, 200),
            "every mail exactly once"
        );
    }
);

async fn bare_db(kind: Db) -> Option<(TestDb, DatabaseConnection)> {
    let test_db = TestDb::create(kind).await?;
    let conn = db::connect(&test_db.url, 8).await.unwrap();
    migrations::Migrator::up(&conn, None).await.unwrap();
    definitions::ensure_builtins(&conn, Utc::now())
        .await
        .unwrap();
    seed::seed_demo(&conn).await.unwrap();
    Some((test_db, conn))
}

fn config() -> SenderConfig {
    SenderConfig {
        from: "Petiții online <petitii@localhost>".into(),
        poll: Duration::from_millis(50),
        batch: 50,
        concurrency: 4,
        max_attempts: 5,
        retry_base: Duration::from_millis(100),
        lease: Duration::from_secs(300),
    }
}

db_test!(three_senders_deliver_1000_mails_exactly_once, |kind| {
    let Some((_db, conn)) = bare_db(kind).await else {
        return;
    };
    let smtp = SmtpServer::start();
    queue(&conn, 1000, "ion@example.md").await;
    let started = Instant::now();
    let mut senders = Vec::new();
    for _ in 0..3 {
        let conn = conn.clone();
        let transport: Arc<dyn server::mail::MailTransport> =
            Arc::new(SmtpTransport::from_url(&smtp.url()).unwrap());
        senders.push(tokio::spawn(async move {
            let mut claimed = 0;
            loop {
                let n =
                    mail_sender::send_due(&conn, transport.clone(), &config(), Clock::default())
                        .await
                        .unwrap();
                if n == 0 {
                    break;
                }
                claimed += n;
            }
            claimed
        }));
    }
    let mut claimed = 0;
    for s in senders {
        claimed += s.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(claimed, 1000, "each row claimed once");
    assert_eq!(count(&conn, outbox::status::SENT).await, 1000);
    let msgs = smtp.wait_for(1000).await;
    let ids: BTreeSet<String> = msgs.iter().filter_map(|m| message_id(m)).collect();
    assert_eq!((msgs.len(), ids.len()), (1000, 1000));
    eprintln!(
        "{kind:?}: 1000 mails by 3 senders in {secs:.2} s = {:.0}/s",
        1000.0 / secs
    );
});

db_test!(a_mail_that_can_never_go_is_dead_with_its_error, |kind| {
    let Some((_db, conn)) = bare_db(kind).await else {
        return;
    };
    let smtp = SmtpServer::start();
    queue(&conn, 1, "not an address").await;
    let transport: Arc<dyn server::mail::MailTransport> =
        Arc::new(SmtpTransport::from_url(&smtp.url()).unwrap());
    assert_eq!(
        mail_sender::send_due(&conn, transport.clone(), &config(), Clock::default())
            .await
            .unwrap(),
        1
    );
    let row = mail_outbox::Entity::find()
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "dead");
    assert!(row.last_error.unwrap_or_default().contains("invalid"));
    // A dead mail is not tried again.
    assert_eq!(
        mail_sender::send_due(&conn, transport, &config(), Clock::default())
            .await
            .unwrap(),
        0
    );
    // A down server is transient: the mail waits for a retry instead of dying.
    let down: Arc<dyn server::mail::MailTransport> =
        Arc::new(SmtpTransport::from_url(&format!("smtp://127.0.0.1:{}", free_port())).unwrap());
    queue(&conn, 1, "ion@example.md").await;
    assert_eq!(
        mail_sender::send_due(&conn, down, &config(), Clock::default())
            .await
            .unwrap(),
        1
    );
    let pending = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq("pending"))
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pending.attempts, 1);
    assert!(pending.next_attempt_at > Utc::now());
});

db_test!(
    the_development_mailbox_lists_the_mails_and_shows_their_links,
    |kind| {
        let app = crate::app!(kind, &[("PETITIO_MAIL_POLL_MS", "100")]);
        let inst = institution::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let case = filing::file_case(
            &app.db,
            NewCase {
                institution_id: inst.id,
                kind: "petition".into(),
                channel: "online".into(),
                petitioner_name: "Ion Popescu".into(),
                petitioner_email: Some("ion@example.md".into()),
                subject: "Cantina <socială>".into(),
                body: "Text".into(),
                ..Default::default()
            },
            Utc::now(),
            "http://portal.test",
        )
        .await
        .unwrap();
        wait_until_sent(&app.db, 1, Duration::from_secs(10)).await;
        let (status, html) = app.get_text("/dev/mailbox").await;
        assert_eq!(status, 200);
        assert!(
            html.contains(&format!(
                "Petiția dumneavoastră a fost înregistrată: {}",
                case.registration_number
            )),
            "{html}"
        );
        let file = html
            .split("href=\"/dev/mailbox/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let (status, mail) = app.get_text(&format!("/dev/mailbox/{file}")).await;
        assert_eq!(status, 200);
        // The petitioner has no account: the mail's link is a tracking link, clickable.
        let at = mail
            .find("http://portal.test/urmarire/")
            .expect("a tracking link");
        let link: String = mail[at..].chars().take_while(|c| *c != '"').collect();
        assert!(
            mail.contains(&format!("<a href=\"{link}\">{link}</a>")),
            "{mail}"
        );
        assert!(
            mail.contains("Cantina &lt;socială&gt;"),
            "text from the petition is escaped: {mail}"
        );
        assert_eq!(
            app.get("/dev/mailbox/..%2F..%2Fetc%2Fpasswd")
                .await
                .status()
                .as_u16(),
            404
        );
        assert_eq!(
            app.get("/dev/mailbox/nu-exista.eml")
                .await
                .status()
                .as_u16(),
            404
        );
    }
);

db_test!(
    the_development_mailbox_does_not_exist_in_production,
    |kind| {
        let app = crate::app!(
            kind,
            &[
                ("PETITIO_ENV", "production"),
                (
                    "PETITIO_JWT_SECRET",
                    "0123456789abcdef0123456789abcdef-test"
                )
            ]
        );
        assert_eq!(app.get("/dev/mailbox").await.status().as_u16(), 404);
    }
);
