//! The mail outbox: every mail is a row written in the same transaction as the change that
//! causes it, so a change and its notification are committed (or lost) together. The sender
//! worker in `server` delivers what is committed.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use super::entity::mail_outbox;

/// A rendered mail waiting in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMail {
    pub to: String,
    /// The template it was rendered from (`case_registered`, `verify_email`, …), for statistics
    /// and for re-rendering.
    pub template: String,
    pub lang: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub case_id: Option<i64>,
    /// Not before this moment (mail to citizens may be held to working hours).
    pub not_before: Option<DateTime<Utc>>,
}

/// Outbox row statuses.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const DEAD: &str = "dead";
}

/// Adds a mail to the outbox inside the caller's transaction (or connection). Returns the row id.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    mail: NewMail,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let message_id = format!("{}@petitio", uuid::Uuid::now_v7());
    let row = mail_outbox::ActiveModel {
        message_id: Set(message_id),
        to_addr: Set(mail.to),
        template: Set(mail.template),
        lang: Set(mail.lang),
        subject: Set(truncate_chars(&mail.subject, 255)),
        body_text: Set(mail.body_text),
        body_html: Set(mail.body_html),
        case_id: Set(mail.case_id),
        status: Set(status::PENDING.to_string()),
        attempts: Set(0),
        next_attempt_at: Set(mail.not_before.unwrap_or(now).max(now)),
        last_error: Set(None),
        smtp_response: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
