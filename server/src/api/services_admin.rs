//! `/api/v1/admin/institutions/{id}/services…` and `/api/v1/admin/services/{id}…`: the
//! service registry of an institution for its administrators (the portal's administrator:
//! every institution's; another institution's services do not exist for an institution's
//! administrator): the list, creating and changing a service, deactivating and reactivating it,
//! and the registry as CSV, exported and imported (checked first with `dry_run=true`). Every
//! change is in the audit trail. See `app::backend::services_admin`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use app::backend::{AppState, services_admin};
use app::model::AppError;
use app::model::services_admin::{
    IMPORT_MAX_BYTES, ImportReport, ServiceAdminView, ServiceFilter, ServiceInput, ServicePage,
};

use super::openapi::ErrorDetail;
use super::{ApiJson, ApiPath, ApiQuery, Caller};

/// `GET /api/v1/admin/institutions/{id}/services?q=&area=&active=&page=&per_page=` → the
/// institution's services (deactivated ones too unless `active` says otherwise), by code.
#[utoipa::path(get, path = "/admin/institutions/{id}/services", tag = "admin", params(("id" = i64, Path, description = "The institution"), ServiceFilter), responses((status = 200, description = "The institution's services that match the filters, by code", body = ServicePage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(filter): ApiQuery<ServiceFilter>,
) -> Result<Json<ServicePage>, AppError> {
    Ok(Json(
        services_admin::list(
            &state.db,
            caller.principal.as_ref(),
            id,
            &filter,
            caller.lang,
        )
        .await?,
    ))
}

/// `POST /api/v1/admin/institutions/{id}/services` → `201` the service.
#[utoipa::path(post, path = "/admin/institutions/{id}/services", tag = "admin", params(("id" = i64, Path, description = "The institution")), request_body = ServiceInput, responses((status = 201, description = "The service", body = ServiceAdminView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Result<(StatusCode, Json<ServiceAdminView>), AppError> {
    let view = services_admin::create(
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

/// `PUT /api/v1/admin/services/{id}` (every value; `active` left out keeps the state) → the
/// service as stored.
#[utoipa::path(put, path = "/admin/services/{id}", tag = "admin", params(("id" = i64, Path, description = "The service")), request_body = ServiceInput, responses((status = 200, description = "The service as stored", body = ServiceAdminView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Result<Json<ServiceAdminView>, AppError> {
    let view = services_admin::update(
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

async fn set_active(
    state: AppState,
    caller: Caller,
    id: i64,
    active: bool,
) -> Result<Json<ServiceAdminView>, AppError> {
    let view = services_admin::set_active(
        &state.db,
        caller.principal.as_ref(),
        id,
        active,
        caller.lang,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    Ok(Json(view))
}

/// `POST /api/v1/admin/services/{id}/deactivate` → the service, no longer listed to the public
/// nor offered when filing (the cases that name it keep it).
#[utoipa::path(post, path = "/admin/services/{id}/deactivate", tag = "admin", params(("id" = i64, Path, description = "The service")), responses((status = 200, description = "The service, deactivated", body = ServiceAdminView)))]
pub async fn deactivate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ServiceAdminView>, AppError> {
    set_active(state, caller, id, false).await
}

/// `POST /api/v1/admin/services/{id}/reactivate` → the service, active again.
#[utoipa::path(post, path = "/admin/services/{id}/reactivate", tag = "admin", params(("id" = i64, Path, description = "The service")), responses((status = 200, description = "The service, active again", body = ServiceAdminView)))]
pub async fn reactivate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ServiceAdminView>, AppError> {
    set_active(state, caller, id, true).await
}

/// `GET /api/v1/admin/institutions/{id}/services.csv` → every service of the institution as
/// CSV (UTF-8 with a byte-order mark; the columns `code, name_ro, name_ru, name_en, provider,
/// provider_type, area, address, contact, accredited, active, category_code,
/// department_code`; booleans `true`/`false`; a cell starting with `=`, `+`, `-`, `@` gets a
/// leading `'`). A plain link with the session cookie downloads it.
#[utoipa::path(get, path = "/admin/institutions/{id}/services.csv", tag = "admin", params(("id" = i64, Path, description = "The institution")), responses((status = 200, description = "Every service of the institution as CSV, by code", content_type = "text/csv", body = String)))]
pub async fn export_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    let (bytes, filename) =
        services_admin::export_csv(&state.db, caller.principal.as_ref(), id).await?;
    let mut res = Response::new(axum::body::Body::from(bytes));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// The query of an import.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check only, store nothing (the counts say what the import would do).
    #[serde(default)]
    pub dry_run: Option<bool>,
}

/// A refused import: the API's error (each problem as a field `line-{line}-{column}`, the file
/// as a whole as `file`) and the full report.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportRefused {
    pub error: ErrorDetail,
    pub report: ImportReport,
}

/// `POST /api/v1/admin/institutions/{id}/services/import?dry_run=true|false` (body: the CSV
/// file, at most 1 MiB and 5,000 rows) → `200` the report: how many services were (or, with
/// `dry_run`, would be) created, updated and left unchanged. Any problem: `422` with every
/// problem by line and column, and nothing stored. Rows are matched by `code` in the
/// institution; a column left out keeps the stored value; `,` or `;` separated; booleans
/// `true`/`false`, `1`/`0`, `yes`/`no`, `da`/`nu`.
#[utoipa::path(post, path = "/admin/institutions/{id}/services/import", tag = "admin", params(("id" = i64, Path, description = "The institution"), ImportQuery), request_body(content = String, content_type = "text/csv", description = "The CSV file"), responses((status = 200, description = "The import's (or the check's) counts; nothing has a problem", body = ImportReport), (status = 422, description = "The file has problems (each by line and column); nothing was stored", body = ImportRefused)))]
pub async fn import_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    // Up to four times the limit, so that the check names a file somewhat too large; beyond,
    // `413`.
    let bytes = axum::body::to_bytes(body, IMPORT_MAX_BYTES * 4)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    let report = services_admin::import_csv(
        &state.db,
        caller.principal.as_ref(),
        id,
        &bytes,
        query.dry_run.unwrap_or(false),
        state.config.clock.now(),
    )
    .await?;
    if report.problems.is_empty() {
        if report.applied {
            state.cache.clear();
        }
        return Ok(Json(report).into_response());
    }
    let err = services_admin::report_error(&report, usize::MAX);
    let body = ImportRefused {
        error: ErrorDetail {
            code: err.code().to_string(),
            message: err.to_string(),
            fields: err.fields().cloned().unwrap_or_default(),
        },
        report,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
}
