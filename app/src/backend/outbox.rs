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

/// A mail to render from a template and queue.
pub struct Letter<'a> {
    pub to: &'a str,
    pub template: &'a str,
    pub lang: &'a str,
    pub ctx: &'a super::mail_templates::MailContext,
    pub case_id: Option<i64>,
    pub not_before: Option<DateTime<Utc>>,
}

/// Renders `letter` (the administrator's version of its template, else the built-in one), as
/// text and as HTML, and queues it in the caller's transaction.
pub async fn enqueue_letter<C: ConnectionTrait>(
    db: &C,
    letter: Letter<'_>,
    now: DateTime<Utc>,
) -> Result<i64, crate::model::AppError> {
    use super::mail_templates;
    let (subject, body_text) =
        mail_templates::render_for(db, letter.template, letter.lang, letter.ctx).await?;
    let body_html = Some(mail_templates::html(&subject, &body_text));
    Ok(enqueue(
        db,
        NewMail {
            to: letter.to.to_string(),
            template: letter.template.to_string(),
            lang: letter.lang.to_string(),
            subject,
            body_text,
            body_html,
            case_id: letter.case_id,
            not_before: letter.not_before,
        },
        now,
    )
    .await?)
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Wakes the mail sender of this process after a commit that queued mail (other instances
/// find it on their next poll).
static WAKEUP: std::sync::LazyLock<tokio::sync::Notify> =
    std::sync::LazyLock::new(tokio::sync::Notify::new);

/// Call after committing a transaction that enqueued mail. Wakes every sender waiting in this
/// process (tests run several applications in one) and leaves a permit for one that is busy.
/// The webhook senders are woken too: the changes that queue mail are those that may queue
/// webhook deliveries.
pub fn wake() {
    WAKEUP.notify_waiters();
    WAKEUP.notify_one();
    super::webhooks::wake();
}

/// What the sender waits on between polls.
pub fn wakeup() -> &'static tokio::sync::Notify {
    &WAKEUP
}

/// Claims up to `limit` due rows: pending ones whose time has come, and rows left `sending` by a
/// sender that died (their lease ran out). Each claimed row is `sending`, its attempt counted,
/// and leased until `now + lease`. On PostgreSQL rows are locked with `FOR UPDATE SKIP LOCKED`,
/// so several senders never claim the same row.
pub async fn claim(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
    lease: chrono::Duration,
) -> Result<Vec<mail_outbox::Model>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
    use sea_orm::{
        ColumnTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
        TransactionTrait,
    };
    let txn = db.begin().await?;
    let mut q = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.is_in([status::PENDING, status::SENDING]))
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(mail_outbox::Column::NextAttemptAt)
        .limit(limit);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(&txn).await?;
    if rows.is_empty() {
        txn.commit().await?;
        return Ok(rows);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let until = now + lease;
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(status::SENDING))
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(until))
        .col_expr(
            mail_outbox::Column::Attempts,
            Expr::col(mail_outbox::Column::Attempts).add(1),
        )
        .filter(mail_outbox::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            r.status = status::SENDING.to_string();
            r.attempts += 1;
            r.next_attempt_at = until;
            r
        })
        .collect())
}

/// Records a delivery with the server's answer. Only the claim that sent it may record it.
pub async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    row: &mail_outbox::Model,
    response: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(status::SENT))
        .col_expr(mail_outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(
            mail_outbox::Column::SmtpResponse,
            Expr::value(Some(truncate_chars(response, 1000))),
        )
        .filter(mail_outbox::Column::Id.eq(row.id))
        .filter(mail_outbox::Column::Attempts.eq(row.attempts))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: back to `pending` until `retry_at`, or `dead` when `None`.
pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    row: &mail_outbox::Model,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut update = mail_outbox::Entity::update_many().col_expr(
        mail_outbox::Column::LastError,
        Expr::value(Some(truncate_chars(error, 1000))),
    );
    update = match retry_at {
        Some(at) => update
            .col_expr(mail_outbox::Column::Status, Expr::value(status::PENDING))
            .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(mail_outbox::Column::Status, Expr::value(status::DEAD)),
    };
    update
        .filter(mail_outbox::Column::Id.eq(row.id))
        .filter(mail_outbox::Column::Attempts.eq(row.attempts))
        .exec(db)
        .await?;
    Ok(())
}
