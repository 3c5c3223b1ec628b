//! Data-subject rights and retention in the JSON API: a signed-in user's data export (a zip),
//! their requests to rectify or erase their data, staff's answer to such a request, and the
//! administrators' retention periods.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use app::backend::{AppState, cases, data_rights, retention};
use app::model::AppError;
use app::model::case::CaseView;
use app::model::data_rights::{
    DataAnswerForm, DataRequestForm, DataRequestPanel, DataRequestReceipt, RetentionPolicy,
    RetentionSettings,
};

use super::{ApiJson, ApiPath, Caller};

/// `GET /api/v1/me/export` (signed in): everything held about the caller as one zip:
/// `account.json`, `sessions.json`, `cases/<number>.json` (each case with the steps and files
/// its petitioner sees, and how long it is kept), `attachments/<number>/…`, `mails.json`,
/// `ratings.json`. Recorded in the audit trail.
#[utoipa::path(get, path = "/me/export", tag = "data rights", responses((status = 200, description = "The caller's data as a zip archive", content_type = "application/zip", body = String)))]
pub async fn export(State(state): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    let export = data_rights::export(
        &state.db,
        &state.config.attachments,
        caller.principal.as_ref(),
        state.config.clock.now(),
    )
    .await?;
    Ok(crate::routes::data_export::zip_response(export))
}

/// `POST /api/v1/me/data-requests` (signed in) → `201`: a request to rectify
/// (`data_rectification`) or erase (`data_erasure`) the caller's personal data, registered as
/// a case of that kind; the institution answers within one month (extendable by two, with
/// notice).
#[utoipa::path(post, path = "/me/data-requests", tag = "data rights", request_body = DataRequestForm, responses((status = 201, description = "Registered: the receipt", body = DataRequestReceipt)))]
pub async fn file_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<DataRequestForm>,
) -> Result<(StatusCode, Json<DataRequestReceipt>), AppError> {
    let receipt = data_rights::file_request(
        &state.db,
        &state.config,
        caller.principal.as_ref(),
        form,
        &caller.client,
        caller.lang,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// `GET /api/v1/cases/{id}/data-request` (officers and managers of the case's institution):
/// the petitioner's data as held, and the files that must still be kept (while there is one,
/// erasure is refused with the legal reason given here).
#[utoipa::path(get, path = "/cases/{id}/data-request", tag = "data rights", params(("id" = i64, Path, description = "The data request's case id")), responses((status = 200, description = "What staff need to answer the request", body = DataRequestPanel)))]
pub async fn panel(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DataRequestPanel>, AppError> {
    data_rights::panel(
        &state.db,
        caller.principal.as_ref(),
        id,
        state.config.clock.now(),
    )
    .await
    .map(Json)
}

/// `POST /api/v1/cases/{id}/data-request` (officers and managers): answers the request —
/// `rectify` (with the corrected `full_name`, `email`, `postal_address`), `erase` (refused with
/// `422` `retention_running:<numbers>` while a file must be kept) or `refuse` (with the
/// `reason`) — in one step with the data change; the answer is mailed. Answers the case.
#[utoipa::path(post, path = "/cases/{id}/data-request", tag = "data rights", params(("id" = i64, Path, description = "The data request's case id")), request_body = DataAnswerForm, responses((status = 200, description = "Answered: the case as it is now", body = CaseView)))]
pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<DataAnswerForm>,
) -> Result<Json<CaseView>, AppError> {
    data_rights::answer(
        &state.db,
        &state.config,
        caller.principal.as_ref(),
        id,
        form,
    )
    .await?;
    cases::get_case(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}

/// `GET /api/v1/admin/retention` (administrators): the retention periods set at their
/// institutions (years after closing, per case kind; `*` for every kind without its own), and
/// the default of an institution that set none.
#[utoipa::path(get, path = "/admin/retention", tag = "admin", responses((status = 200, description = "The retention periods", body = RetentionSettings)))]
pub async fn get_retention(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RetentionSettings>, AppError> {
    retention::settings(&state.db, caller.principal.as_ref())
        .await
        .map(Json)
}

/// `PUT /api/v1/admin/retention` (an administrator of the institution): sets how many years
/// the cases of a kind are kept after closing; the retention job anonymises them afterwards.
#[utoipa::path(put, path = "/admin/retention", tag = "admin", request_body = RetentionPolicy, responses((status = 200, description = "The period as stored", body = RetentionPolicy)))]
pub async fn put_retention(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(policy): ApiJson<RetentionPolicy>,
) -> Result<Json<RetentionPolicy>, AppError> {
    retention::set(
        &state.db,
        caller.principal.as_ref(),
        policy,
        state.config.clock.now(),
    )
    .await
    .map(Json)
}
