//! `/api/v1/admin/users`: staff invitations and role changes (administrators, in their scope).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::auth::accounts::{self, InviteForm};
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
