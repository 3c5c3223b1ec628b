//! The outbox for administrators: every mail with its status, attempts, last error and the SMTP
//! server's answer; a dead mail can be sent again. A global administrator sees every mail; an
//! institution's administrator the mails about its cases.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::auth::Principal;
use super::auth::access::require_account;
use super::entity::{mail_outbox, petition_case};
use super::outbox::status;
use crate::model::AppError;
use crate::model::account::Role;
use crate::model::mail::{OutboxPage, OutboxRow};

pub const PER_PAGE: u64 = 50;

/// Which mails `principal` may see: all (global administrator), those about the cases of the
/// institutions it administers, or `Forbidden`.
fn scope(principal: Option<&Principal>) -> Result<Condition, AppError> {
    let account = require_account(principal)?;
    if account.is_global_admin() {
        return Ok(Condition::all());
    }
    let institutions: Vec<i64> = account
        .grants
        .iter()
        .filter(|g| g.role == Role::Admin)
        .filter_map(|g| g.institution_id)
        .collect();
    if institutions.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Condition::all().add(
        mail_outbox::Column::CaseId.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(petition_case::Column::Id)
                .from(petition_case::Entity)
                .and_where(petition_case::Column::InstitutionId.is_in(institutions))
                .to_owned(),
        ),
    ))
}

/// A page of the outbox, newest first, optionally of one status.
pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    only: Option<&str>,
    page: u64,
) -> Result<OutboxPage, AppError> {
    let scope = scope(principal)?;
    let page = page.clamp(1, 1000);
    let mut counts = Vec::new();
    for s in [status::PENDING, status::SENDING, status::SENT, status::DEAD] {
        let n = mail_outbox::Entity::find()
            .filter(scope.clone())
            .filter(mail_outbox::Column::Status.eq(s))
            .count(db)
            .await?;
        counts.push((s.to_string(), n));
    }
    let mut q = mail_outbox::Entity::find().filter(scope);
    if let Some(s) = only.filter(|s| !s.is_empty()) {
        q = q.filter(mail_outbox::Column::Status.eq(s));
    }
    let rows = q
        .order_by_desc(mail_outbox::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > PER_PAGE;
    Ok(OutboxPage {
        rows: rows
            .into_iter()
            .take(PER_PAGE as usize)
            .map(|m| OutboxRow {
                id: m.id,
                created_at: m.created_at.to_rfc3339(),
                to: m.to_addr,
                template: m.template,
                subject: m.subject,
                status: m.status,
                attempts: m.attempts,
                next_attempt_at: m.next_attempt_at.to_rfc3339(),
                last_error: m.last_error,
                smtp_response: m.smtp_response,
                case_id: m.case_id,
            })
            .collect(),
        counts,
        page,
        has_next,
    })
}

/// Queues a dead mail again (its attempts start over; the last error stays until the next
/// try). Only a dead mail: a pending or sent one is left as it is (`Conflict`).
pub async fn resend(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
) -> Result<(), AppError> {
    let scope = scope(principal)?;
    let account = require_account(principal)?;
    let row = mail_outbox::Entity::find_by_id(id)
        .filter(scope)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != status::DEAD {
        return Err(AppError::Conflict("only a dead mail is sent again".into()));
    }
    // The chain of the mail's case's institution; the portal's for a mail about no case.
    let institution_id = match row.case_id {
        Some(case_id) => petition_case::Entity::find_by_id(case_id)
            .one(db)
            .await?
            .map(|c| c.institution_id),
        None => None,
    };
    let now = Utc::now();
    let txn = db.begin().await?;
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(status::PENDING))
        .col_expr(mail_outbox::Column::Attempts, Expr::value(0))
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(mail_outbox::Column::Id.eq(row.id))
        .filter(mail_outbox::Column::Status.eq(status::DEAD))
        .exec(&txn)
        .await?;
    let mut entry = super::audit::Entry::new("admin.outbox.resend")
        .chain(institution_id)
        .by(Some(account.user_id), "admin")
        .target("mail", row.id)
        .details(serde_json::json!({ "template": row.template, "to": row.to_addr }));
    if let (Some(case_id), Some(inst)) = (row.case_id, institution_id) {
        entry = entry.case(case_id, inst);
    }
    super::audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    super::outbox::wake();
    tracing::info!(
        mail = row.id,
        "a dead mail was queued again by an administrator"
    );
    Ok(())
}
