//! `/api/v1/institutions`, `/api/v1/categories` (anyone) and `/api/v1/workflows` (the portal's
//! administrators).

use axum::Json;
use axum::extract::State;

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::reference::{self, CategoryView, InstitutionView, WorkflowUpload, WorkflowView};
use app::model::AppError;

use super::{ApiJson, ApiPath, Caller};

#[utoipa::path(get, path = "/institutions", tag = "reference", responses((status = 200, description = "Every institution with its active departments", body = Vec<InstitutionView>)))]
pub async fn institutions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<InstitutionView>>, AppError> {
    reference::institutions(&state.db, caller.lang)
        .await
        .map(Json)
}

#[utoipa::path(get, path = "/categories", tag = "reference", responses((status = 200, description = "The active categories of every institution", body = Vec<CategoryView>)))]
pub async fn categories(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CategoryView>>, AppError> {
    reference::categories(&state.db, caller.lang)
        .await
        .map(Json)
}

#[utoipa::path(get, path = "/workflows", tag = "admin", responses((status = 200, description = "Every workflow definition in its newest version (administrators of the portal)", body = Vec<WorkflowView>)))]
pub async fn workflows(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<WorkflowView>>, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    reference::workflows(&state.db, account).await.map(Json)
}

#[utoipa::path(put, path = "/workflows/{name}", tag = "admin", params(("name" = String, Path, description = "The definition's name, as in its TOML")), request_body = WorkflowUpload, responses((status = 200, description = "Stored as the definition's next version (the same one when nothing changed); running cases keep theirs. A document that does not check answers 422 with every problem, line and column, under `source`", body = WorkflowView)))]
pub async fn put_workflow(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(name): ApiPath<String>,
    ApiJson(upload): ApiJson<WorkflowUpload>,
) -> Result<Json<WorkflowView>, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    reference::store_workflow(&state.db, account, &name, upload, state.config.clock.now())
        .await
        .map(Json)
}
