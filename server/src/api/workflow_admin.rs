//! `/api/v1/admin/workflows…` and `/api/v1/admin/institutions/{id}/workflows`: the stored
//! definitions with their versions, checking a document (stores nothing), and the definition
//! each kind of case follows at an institution (its administrators; another institution does
//! not exist for them). See `app::backend::workflow_admin`.

use axum::Json;
use axum::extract::State;

use app::backend::AppState;
use app::backend::workflow_admin::{self, CheckAnswer, CheckRequest, ChoicesInput};
use app::model::AppError;
use app::model::workflow_admin::{DefinitionSummary, KindChoice};

use super::{ApiJson, ApiPath, Caller};

/// `GET /api/v1/admin/workflows` (administrators) → every definition with its versions.
#[utoipa::path(get, path = "/admin/workflows", tag = "admin", responses((status = 200, description = "Every stored definition with all its versions, newest first: who saved each and when (`created_by` is empty for the built-in version)", body = Vec<DefinitionSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<DefinitionSummary>>, AppError> {
    workflow_admin::definitions_for(&state.db, caller.principal.as_ref(), caller.lang)
        .await
        .map(Json)
}

/// `POST /api/v1/admin/workflows/check` (administrators) → the problems, or the deadlines.
#[utoipa::path(post, path = "/admin/workflows/check", tag = "admin", request_body = CheckRequest, responses((status = 200, description = "The check: every problem with its line and column (`valid` false), or the definition's name, the version saving it would store and the deadlines of a case registered on `filed`. Nothing is stored. Unknown fields in the body are refused", body = CheckAnswer)))]
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CheckRequest>,
) -> Result<Json<CheckAnswer>, AppError> {
    let today = state.config.clock.now().date_naive();
    workflow_admin::check(&state.db, caller.principal.as_ref(), &request, today)
        .await
        .map(Json)
}

/// `GET /api/v1/admin/institutions/{id}/workflows` (its administrators) → each kind's workflow.
#[utoipa::path(get, path = "/admin/institutions/{id}/workflows", tag = "admin", params(("id" = i64, Path, description = "The institution")), responses((status = 200, description = "For each kind of case: the definition chosen (none: the default rule), the one new cases follow with its newest version, and the definitions that may serve it", body = Vec<KindChoice>)))]
pub async fn get_choices(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<KindChoice>>, AppError> {
    workflow_admin::choices(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}

/// `PUT /api/v1/admin/institutions/{id}/workflows` (its administrators) → each kind's workflow.
#[utoipa::path(put, path = "/admin/institutions/{id}/workflows", tag = "admin", params(("id" = i64, Path, description = "The institution")), request_body = ChoicesInput, responses((status = 200, description = "The choices as stored. `choices` maps a kind of case to a definition's name, or to null for the default rule; kinds left out keep theirs. New cases follow the newest version of the chosen definition; running cases keep theirs. A refused kind is named under `fields` (`choice_invalid`, `workflow_unknown`, `workflow_case_type`, `workflow_not_fileable`). Unknown fields in the body are refused", body = Vec<KindChoice>)))]
pub async fn put_choices(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChoicesInput>,
) -> Result<Json<Vec<KindChoice>>, AppError> {
    workflow_admin::set_choices(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        caller.lang,
        state.config.clock.now(),
    )
    .await
    .map(Json)
}
