//! Server functions of the administration pages: the outbox, the audit trail.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::audit::{AuditFilter, AuditPage};
use crate::model::mail::OutboxPage;

/// A page of the outbox (administrators).
#[server(endpoint = "outbox")]
pub async fn get_outbox(status: Option<String>, page: Option<u64>) -> Result<OutboxPage, AppError> {
    let state = super::state()?;
    crate::backend::outbox_admin::list(
        &state.db,
        super::principal()?.as_ref(),
        status.as_deref(),
        page.unwrap_or(1),
    )
    .await
}

/// Sends a dead mail again.
#[server(endpoint = "resend_mail")]
pub async fn resend_mail(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::outbox_admin::resend(&state.db, super::principal()?.as_ref(), id).await?;
    leptos_axum::redirect("/admin/posta?retrimis=1");
    Ok(())
}

/// A page of the audit trail (administrators, their chains).
#[server(endpoint = "audit")]
pub async fn get_audit(filter: AuditFilter) -> Result<AuditPage, AppError> {
    let state = super::state()?;
    crate::backend::audit_admin::page(&state.db, super::principal()?.as_ref(), &filter).await
}
