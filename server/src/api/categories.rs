//! `/api/v1/admin/institutions/{id}/categories`, `/admin/categories/{id}`,
//! `/admin/categories/{id}/fields`, `/admin/category-fields/{id}`: an institution's categories
//! and their own questions (administrators, in their scope: another institution's categories
//! do not exist for an institution's administrator). Every change is in the audit trail. See
//! `app::backend::categories_admin`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use app::backend::AppState;
use app::backend::categories_admin;
use app::model::AppError;
use app::model::categories::{CategoryAdminView, CategoryInput, FieldInput};

use super::{ApiJson, ApiPath, Caller};

/// `GET /api/v1/admin/institutions/{id}/categories` → its categories with their questions.
#[utoipa::path(get, path = "/admin/institutions/{id}/categories", tag = "admin", params(("id" = i64, Path, description = "The institution")), responses((status = 200, description = "The institution's categories (active or not), each with its questions and its number of cases", body = Vec<CategoryAdminView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CategoryAdminView>>, AppError> {
    let list =
        categories_admin::list(&state.db, caller.principal.as_ref(), Some(id), caller.lang).await?;
    Ok(Json(list.categories))
}

/// `POST /api/v1/admin/institutions/{id}/categories` → `201` the category.
#[utoipa::path(post, path = "/admin/institutions/{id}/categories", tag = "admin", params(("id" = i64, Path, description = "The institution")), request_body = CategoryInput, responses((status = 201, description = "The category (`active`: any value but blank, `false` or `0`)", body = CategoryAdminView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<(StatusCode, Json<CategoryAdminView>), AppError> {
    let view = categories_admin::create_category(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok((StatusCode::CREATED, Json(view)))
}

/// `PUT /api/v1/admin/categories/{id}` → the category as stored.
#[utoipa::path(put, path = "/admin/categories/{id}", tag = "admin", params(("id" = i64, Path, description = "The category")), request_body = CategoryInput, responses((status = 200, description = "The category as stored (deactivated: it leaves the filing form and Open311)", body = CategoryAdminView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<Json<CategoryAdminView>, AppError> {
    let view = categories_admin::update_category(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok(Json(view))
}

/// `POST /api/v1/admin/categories/{id}/fields` → `201` the category with the new question.
#[utoipa::path(post, path = "/admin/categories/{id}/fields", tag = "admin", params(("id" = i64, Path, description = "The category")), request_body = FieldInput, responses((status = 201, description = "The category with its questions (`field_type`: text, number, date, choice, yes_no; `options` for a choice: one per line, `value | ro | ru | en`)", body = CategoryAdminView)))]
pub async fn add_field(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<FieldInput>,
) -> Result<(StatusCode, Json<CategoryAdminView>), AppError> {
    let view = categories_admin::add_field(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok((StatusCode::CREATED, Json(view)))
}

/// `PUT /api/v1/admin/category-fields/{id}` → the category with its questions.
#[utoipa::path(put, path = "/admin/category-fields/{id}", tag = "admin", params(("id" = i64, Path, description = "The question")), request_body = FieldInput, responses((status = 200, description = "The category with its questions; filed cases keep their answers as they were asked", body = CategoryAdminView)))]
pub async fn update_field(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<FieldInput>,
) -> Result<Json<CategoryAdminView>, AppError> {
    let view = categories_admin::update_field(
        &state.db,
        caller.principal.as_ref(),
        id,
        &input,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok(Json(view))
}

/// `DELETE /api/v1/admin/category-fields/{id}` → the category with its questions.
#[utoipa::path(delete, path = "/admin/category-fields/{id}", tag = "admin", params(("id" = i64, Path, description = "The question")), responses((status = 200, description = "The category without the question; filed cases keep their answers", body = CategoryAdminView)))]
pub async fn remove_field(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CategoryAdminView>, AppError> {
    let view = categories_admin::remove_field(
        &state.db,
        caller.principal.as_ref(),
        id,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok(Json(view))
}
