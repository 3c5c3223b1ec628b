//! `/api/v1/admin/users`: staff invitations and role changes (administrators, in their scope);
//! `/api/v1/admin/mail-templates/{template}/{lang}`: the mail texts (global administrators).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::auth::accounts::{self, InviteForm};
use app::backend::mail_templates;
use app::model::AppError;
use app::model::account::Grant;

use super::{ApiJson, Caller};

/// `POST /api/v1/admin/users {email, full_name, grants:[{role, institution_id, department_id}]}`
/// → `201 {id}`; the invitation goes by mail.
pub async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<InviteForm>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    let id = accounts::invite_staff(&state.db, &state.config, admin, form).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// `PUT /api/v1/admin/users/{id}/roles [grants]` → `204`; the user's sessions end.
pub async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(grants): ApiJson<Vec<Grant>>,
) -> Result<StatusCode, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    accounts::set_grants(&state.db, admin, id, grants).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of `PUT /api/v1/admin/mail-templates/{template}/{lang}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    pub subject: String,
    pub body: String,
}

/// `GET /api/v1/admin/mail-templates/{template}/{lang}` → the text in use.
pub async fn get_template(
    State(state): State<AppState>,
    caller: Caller,
    Path((template, lang)): Path<(String, String)>,
) -> Result<Json<mail_templates::Editable>, AppError> {
    Ok(Json(
        mail_templates::editable(&state.db, caller.principal.as_ref(), &template, &lang).await?,
    ))
}

/// `PUT /api/v1/admin/mail-templates/{template}/{lang} {subject, body}` → `204`, or `422` with
/// each problem (a syntax error names its line, an unknown variable its name).
pub async fn put_template(
    State(state): State<AppState>,
    caller: Caller,
    Path((template, lang)): Path<(String, String)>,
    ApiJson(b): ApiJson<TemplateBody>,
) -> Result<StatusCode, AppError> {
    let text = mail_templates::Text {
        subject: b.subject,
        body: b.body,
    };
    mail_templates::save_as_admin(
        &state.db,
        caller.principal.as_ref(),
        &template,
        &lang,
        Some(text),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/admin/mail-templates/{template}/{lang}` → `204`: the built-in text again.
pub async fn delete_template(
    State(state): State<AppState>,
    caller: Caller,
    Path((template, lang)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    mail_templates::save_as_admin(&state.db, caller.principal.as_ref(), &template, &lang, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
