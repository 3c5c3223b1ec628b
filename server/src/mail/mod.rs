//! Mail transports behind one interface: SMTP (production and tests) and `.eml` files
//! (development default). What to send, and when, is the outbox's business, not theirs.

mod file;
mod smtp;

use std::sync::Arc;

use async_trait::async_trait;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};

pub use file::FileTransport;
pub use smtp::SmtpTransport;

use crate::config::Settings;

/// A mail ready to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Without angle brackets, e.g. `outbox-42@petitio`; stable across resends.
    pub message_id: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The mail itself is wrong (bad address, bad header): retrying will not help.
    #[error("invalid mail: {0}")]
    Invalid(String),
    /// The server or the disk failed: worth retrying later.
    #[error("delivery failed: {0}")]
    Transient(String),
    /// The server refused the mail for good (5xx).
    #[error("rejected: {0}")]
    Permanent(String),
}

#[async_trait]
pub trait MailTransport: Send + Sync {
    /// Delivers the mail; returns the server's answer (or where the file was written).
    async fn send(&self, mail: &OutgoingMail) -> Result<String, MailError>;
    /// A short name for logs: `smtp` or `file`.
    fn kind(&self) -> &'static str;
}

/// Builds the RFC 5322 message: plain text, plus HTML as an alternative when given.
pub fn build_message(mail: &OutgoingMail) -> Result<Message, MailError> {
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|e| MailError::Invalid(format!("from {:?}: {e}", mail.from)))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| MailError::Invalid(format!("to {:?}: {e}", mail.to)))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}>", mail.message_id)));
    let built = match &mail.html {
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone()),
        Some(html) => builder.multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(mail.text.clone()))
                .singlepart(SinglePart::html(html.clone())),
        ),
    };
    built.map_err(|e| MailError::Invalid(e.to_string()))
}

/// The transport the settings ask for: SMTP when `PETITIO_SMTP_URL` is set, files otherwise.
pub fn from_settings(settings: &Settings) -> anyhow::Result<Arc<dyn MailTransport>> {
    Ok(match &settings.smtp_url {
        Some(url) => Arc::new(SmtpTransport::with_pool(
            url.expose(),
            u32::try_from(settings.mail_concurrency).unwrap_or(u32::MAX),
        )?),
        None => Arc::new(FileTransport::new(&settings.mail_dir)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            message_id: "outbox-7@petitio".into(),
            from: "Petiții <petitii@localhost>".into(),
            to: "ion@example.md".into(),
            subject: "Petiția CHI-2026-000001 a fost înregistrată".into(),
            text: "Bună ziua".into(),
            html: Some("<p>Bună ziua</p>".into()),
        }
    }

    #[test]
    fn the_message_carries_the_stable_message_id_and_both_bodies() {
        let raw = String::from_utf8(build_message(&mail()).unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <outbox-7@petitio>"), "{raw}");
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/html"));
    }

    #[test]
    fn header_injection_in_the_subject_is_encoded_not_obeyed() {
        let mut m = mail();
        m.subject = "Salut\r\nBcc: victim@example.com".into();
        let raw = String::from_utf8(build_message(&m).unwrap().formatted()).unwrap();
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
    }

    #[test]
    fn a_bad_address_is_invalid_not_transient() {
        let mut m = mail();
        m.to = "not an address".into();
        assert!(matches!(build_message(&m), Err(MailError::Invalid(_))));
    }
}
