//! Mail transports against a real SMTP server on loopback, and the file mailbox.

use server::mail::{MailError, MailTransport, OutgoingMail, SmtpTransport};

use crate::helpers::SmtpServer;

fn mail(n: u32) -> OutgoingMail {
    OutgoingMail {
        message_id: format!("outbox-{n}@petitio.test"),
        from: "Petiții online <petitii@localhost>".into(),
        to: "ion.popescu@example.md".into(),
        subject: format!("Petiția CHI-2026-{n:06} a fost înregistrată"),
        text: "Bună ziua, petiția dumneavoastră a fost înregistrată.".into(),
        html: Some("<p>Bună ziua, petiția dumneavoastră a fost înregistrată.</p>".into()),
    }
}

#[tokio::test]
async fn smtp_delivers_to_a_real_server_with_the_stable_message_id() {
    let smtp = SmtpServer::start();
    let transport = SmtpTransport::from_url(&smtp.url()).unwrap();
    for n in 1..=3 {
        let answer = transport.send(&mail(n)).await.expect("sent");
        assert!(answer.starts_with("250"), "{answer}");
    }
    let msgs = smtp.wait_for(3).await;
    assert_eq!(msgs.len(), 3);
    for n in 1..=3 {
        let m = msgs
            .iter()
            .find(|m| m.contains(&format!("<outbox-{n}@petitio.test>")))
            .expect("message by id");
        assert!(m.contains("To: ion.popescu@example.md"));
        // Non-ASCII subjects travel as RFC 2047 encoded words.
        assert!(m.contains("Subject: =?utf-8?"), "{m}");
        assert!(m.contains("multipart/alternative"));
    }
}

#[tokio::test]
async fn a_server_that_is_down_is_a_transient_failure_to_retry() {
    let port = crate::helpers::free_port();
    let transport = SmtpTransport::from_url(&format!("smtp://127.0.0.1:{port}")).unwrap();
    match transport.send(&mail(1)).await {
        Err(MailError::Transient(_)) => {}
        other => panic!("expected a transient failure, got {other:?}"),
    }
    // The server comes back: the same transport delivers.
    let smtp = SmtpServer::start_on(port);
    transport
        .send(&mail(2))
        .await
        .expect("delivered after the server came back");
    assert_eq!(smtp.wait_for(1).await.len(), 1);
}

#[tokio::test]
async fn the_development_server_writes_mail_to_the_mailbox_directory() {
    let Some(app) = crate::helpers::spawn_app(crate::helpers::Db::Sqlite).await else {
        return;
    };
    // The file transport is what `petitio serve` uses without PETITIO_SMTP_URL; it made its directory.
    assert!(app.mail_dir.is_dir());
    let settings_like = server::mail::FileTransport::new(&app.mail_dir).unwrap();
    settings_like.send(&mail(9)).await.unwrap();
    let files: Vec<_> = std::fs::read_dir(&app.mail_dir).unwrap().collect();
    assert_eq!(files.len(), 1);
}
