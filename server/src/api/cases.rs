//! `/api/v1/cases`: reading cases within the caller's scope (filing and transitions come with
//! the citizen portal and the officer workspace).

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use app::backend::AppState;
use app::backend::auth::magic_links;
use app::backend::cases::{self, CaseFilter};
use app::model::AppError;
use app::model::case::{CasePage, CaseView};

use super::Caller;

/// `GET /api/v1/cases/{id}`: 404 for a case outside the caller's scope, as for a missing one.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<CaseView>, AppError> {
    cases::get_case(&state.db, caller.principal.as_ref(), id)
        .await
        .map(Json)
}

/// `GET /api/v1/cases?status=&department_id=&page=&per_page=`
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<CaseFilter>,
) -> Result<Json<CasePage>, AppError> {
    cases::list_cases(&state.db, caller.principal.as_ref(), filter)
        .await
        .map(Json)
}

/// `DELETE /api/v1/cases/{id}/links`: revokes the case's tracking links → `{revoked}`.
pub async fn revoke_links(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let n = magic_links::revoke(&state.db, caller.principal.as_ref(), id).await?;
    Ok(Json(json!({ "revoked": n })))
}
