//! `/api/v1/admin/institutions`, `/admin/departments`, `/admin/routing-rules`: the
//! institutions, their departments and their routing rules (administrators, in their scope:
//! the portal's administrator creates institutions; an institution's administrator changes
//! their own, and another institution does not exist for them). Every change is in the audit
//! trail. See `app::backend::org_admin`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use app::backend::AppState;
use app::backend::org_admin;
use app::model::AppError;
use app::model::org_admin::{
    DepartmentInput, DepartmentView, InstitutionInput, InstitutionView, RoutingRuleInput,
    RoutingRuleView,
};

use super::{ApiJson, ApiPath, Caller};

/// `GET /api/v1/admin/institutions` → the institutions the caller administers.
#[utoipa::path(get, path = "/admin/institutions", tag = "admin", responses((status = 200, description = "The institutions the caller administers (all of them for the portal's administrator)", body = Vec<InstitutionView>)))]
pub async fn list_institutions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<InstitutionView>>, AppError> {
    let list = org_admin::institutions(&state.db, caller.principal.as_ref(), caller.lang).await?;
    Ok(Json(list.institutions))
}

/// `POST /api/v1/admin/institutions` (the portal's administrator) → `201` the institution.
#[utoipa::path(post, path = "/admin/institutions", tag = "admin", request_body = InstitutionInput, responses((status = 201, description = "The institution", body = InstitutionView)))]
pub async fn create_institution(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<InstitutionInput>,
) -> Result<(StatusCode, Json<InstitutionView>), AppError> {
    let view = org_admin::create_institution(
        &state.db,
        caller.principal.as_ref(),
        &input,
        caller.lang,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok((StatusCode::CREATED, Json(view)))
}

/// `PUT /api/v1/admin/institutions/{id}` (its administrators) → the institution as stored.
#[utoipa::path(put, path = "/admin/institutions/{id}", tag = "admin", params(("id" = i64, Path, description = "The institution")), request_body = InstitutionInput, responses((status = 200, description = "The institution as stored", body = InstitutionView)))]
pub async fn update_institution(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<InstitutionInput>,
) -> Result<Json<InstitutionView>, AppError> {
    let view = org_admin::update_institution(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        caller.lang,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok(Json(view))
}

/// `GET /api/v1/admin/institutions/{id}/departments` → its departments, with their open cases.
#[utoipa::path(get, path = "/admin/institutions/{id}/departments", tag = "admin", params(("id" = i64, Path, description = "The institution")), responses((status = 200, description = "The departments, in creation order", body = Vec<DepartmentView>)))]
pub async fn list_departments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DepartmentView>>, AppError> {
    Ok(Json(
        org_admin::departments(&state.db, caller.principal.as_ref(), id, caller.lang).await?,
    ))
}

/// `POST /api/v1/admin/institutions/{id}/departments` → `201` the department.
#[utoipa::path(post, path = "/admin/institutions/{id}/departments", tag = "admin", params(("id" = i64, Path, description = "The institution")), request_body = DepartmentInput, responses((status = 201, description = "The department", body = DepartmentView)))]
pub async fn create_department(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<(StatusCode, Json<DepartmentView>), AppError> {
    let view = org_admin::create_department(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        caller.lang,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok((StatusCode::CREATED, Json(view)))
}

/// `PUT /api/v1/admin/departments/{id}` → the department as stored; `active: false`
/// deactivates it, refused (`422`, field `active`) while it has open cases.
#[utoipa::path(put, path = "/admin/departments/{id}", tag = "admin", params(("id" = i64, Path, description = "The department")), request_body = DepartmentInput, responses((status = 200, description = "The department as stored", body = DepartmentView)))]
pub async fn update_department(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Json<DepartmentView>, AppError> {
    let view = org_admin::update_department(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        caller.lang,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok(Json(view))
}

/// `GET /api/v1/admin/institutions/{id}/routing-rules` → its routing rules, oldest first.
#[utoipa::path(get, path = "/admin/institutions/{id}/routing-rules", tag = "admin", params(("id" = i64, Path, description = "The institution")), responses((status = 200, description = "The routing rules", body = Vec<RoutingRuleView>)))]
pub async fn list_rules(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RoutingRuleView>>, AppError> {
    Ok(Json(
        org_admin::routing_rules(&state.db, caller.principal.as_ref(), id, caller.lang).await?,
    ))
}

/// `POST /api/v1/admin/institutions/{id}/routing-rules {category_id?, service_id?, area?,
/// department_id}` → `201` the rule. Filing takes the most specific matching rule: service
/// and area, service, category and area, category, area.
#[utoipa::path(post, path = "/admin/institutions/{id}/routing-rules", tag = "admin", params(("id" = i64, Path, description = "The institution")), request_body = RoutingRuleInput, responses((status = 201, description = "The rule", body = RoutingRuleView)))]
pub async fn create_rule(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RoutingRuleInput>,
) -> Result<(StatusCode, Json<RoutingRuleView>), AppError> {
    let view = org_admin::create_routing_rule(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        caller.lang,
        state.config.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `DELETE /api/v1/admin/routing-rules/{id}` → `204`.
#[utoipa::path(delete, path = "/admin/routing-rules/{id}", tag = "admin", params(("id" = i64, Path, description = "The rule")), responses((status = 204, description = "The rule is removed")))]
pub async fn delete_rule(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    org_admin::delete_routing_rule(
        &state.db,
        caller.principal.as_ref(),
        id,
        state.config.clock.now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
