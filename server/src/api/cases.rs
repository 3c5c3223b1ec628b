//! `/api/v1/cases`: filing, reading cases within the caller's scope, transitions, ratings and
//! attachments.

use axum::Json;
use axum::extract::State;

use app::backend::AppState;
use app::backend::auth::magic_links;
use app::backend::cases::{self, CaseFilter};
use app::backend::queues;
use app::backend::{attachments, citizen_filing};
use app::model::AppError;
use app::model::case::{CasePage, CaseView};
use app::model::filing::{Filed, NewCaseBody, Receipt};
use app::model::queue::QueueFilter;

use super::openapi::Revoked;
use super::{ApiJson, ApiPath, ApiQuery, Caller};

/// A file stored with a case.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    id: i64,
    name: String,
    size: i64,
    content_type: String,
}

/// The multipart body of an upload (for the document: the handler reads the stream itself).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// A file; several `file` fields may be sent.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// One stored file, or several.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AttachmentAnswer {
    One(AttachmentInfo),
    Many(Vec<AttachmentInfo>),
}

/// `POST /api/v1/cases` (a signed-in citizen) → `201` with the receipt; with an
/// `Idempotency-Key` header, a retry answers the first request's receipt.
#[utoipa::path(post, path = "/cases", tag = "cases", params(("Idempotency-Key" = Option<String>, Header, description = "1 to 200 visible ASCII characters: a request repeated with the same key and body files nothing more and answers the first one's receipt; the same key with another body answers 409")), request_body = NewCaseBody, responses((status = 201, description = "Filed: the receipt (the first request's, when an Idempotency-Key is repeated)", body = Receipt)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<NewCaseBody>,
) -> Result<(axum::http::StatusCode, Json<Receipt>), AppError> {
    let input = b.into_input();
    // API clients file as a signed-in citizen (visitors file through the form).
    let account = app::backend::auth::access::require_account(caller.principal.as_ref())?;
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .map_err(|_| AppError::BadRequest("Idempotency-Key must be visible ASCII".into()))
        })
        .transpose()?;
    let once = key
        .map(|k| citizen_filing::Once::new(k, account.user_id, &input))
        .transpose()?;
    match citizen_filing::file(
        &state.db,
        &state.config,
        caller.principal.as_ref(),
        input,
        Vec::new(),
        &caller.client,
        caller.lang,
        once,
    )
    .await?
    {
        Filed::Receipt(receipt) => Ok((axum::http::StatusCode::CREATED, Json(receipt))),
        Filed::AwaitingConfirmation { .. } => Err(AppError::Internal),
    }
}

/// `POST /api/v1/cases/{id}/attachments` (multipart, field `file`, several allowed) → `201`
/// `[{id, name, size, content_type}]`… for one file, the object itself.
#[utoipa::path(post, path = "/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path, description = "The case")), request_body(content = UploadForm, content_type = "multipart/form-data", description = "One or more `file` fields"), responses((status = 201, description = "The stored file (an array when several were sent)", body = AttachmentAnswer)))]
pub async fn add_attachments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    req: axum::extract::Request,
) -> Result<(axum::http::StatusCode, Json<AttachmentAnswer>), AppError> {
    let boundary = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(|| AppError::BadRequest("expected multipart/form-data".into()))?;
    let multipart = multer::Multipart::new(req.into_body().into_data_stream(), boundary);
    let form = app::backend::multipart_form::read(multipart).await?;
    let added = attachments::add(
        &state.db,
        &state.config,
        caller.principal.as_ref(),
        id,
        form.files,
    )
    .await?;
    let info = |a: &app::model::case::AttachmentView| AttachmentInfo {
        id: a.id,
        name: a.name.clone(),
        size: a.size,
        content_type: a.content_type.clone(),
    };
    let body = match added.as_slice() {
        [one] => AttachmentAnswer::One(info(one)),
        many => AttachmentAnswer::Many(many.iter().map(info).collect()),
    };
    Ok((axum::http::StatusCode::CREATED, Json(body)))
}

/// `GET /api/v1/cases/{id}`: 404 for a case outside the caller's scope, as for a missing one.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = i64, Path, description = "The case")), responses((status = 200, description = "The case, if the caller may see it (404 otherwise)", body = CaseView)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CaseView>, AppError> {
    cases::get_case(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}

/// `GET /api/v1/cases?view=&assignee=me&status=&kind=&category_id=&service_id=&department_id=
/// &overdue=true&due_within=&filed_from=&filed_to=&q=&page=&per_page=`: staff get their queue
/// (open cases, overdue first, then by term); citizens their own cases (`status`, `page`,
/// `per_page`).
#[utoipa::path(get, path = "/cases", tag = "cases", params(QueueFilter), responses((status = 200, description = "Staff: their queue; citizens: their own cases", body = CasePage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<QueueFilter>,
) -> Result<Json<CasePage>, AppError> {
    let staff = caller
        .principal
        .as_ref()
        .and_then(|p| p.account())
        .is_some_and(|a| a.is_staff());
    if staff {
        let today = state.local_today().await?;
        return queues::queue(
            &state.db,
            caller.principal.as_ref(),
            &filter,
            today,
            caller.lang,
        )
        .await
        .map(Json);
    }
    let own = CaseFilter {
        status: filter.status,
        department_id: None,
        page: filter.page.and_then(|p| p.parse().ok()),
        per_page: filter.per_page.and_then(|p| p.parse().ok()),
    };
    cases::list_cases(&state.db, caller.principal.as_ref(), own, caller.lang)
        .await
        .map(Json)
}

/// `DELETE /api/v1/cases/{id}/links`: revokes the case's tracking links → `{revoked}`.
#[utoipa::path(delete, path = "/cases/{id}/links", tag = "cases", params(("id" = i64, Path, description = "The case")), responses((status = 200, description = "The tracking links of the case are revoked", body = Revoked)))]
pub async fn revoke_links(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Revoked>, AppError> {
    let n = magic_links::revoke(&state.db, caller.principal.as_ref(), id).await?;
    Ok(Json(Revoked { revoked: n as u64 }))
}

/// `POST /api/v1/cases/{id}/transitions {transition, note?, reason?, answer?, outcome?, …,
/// expected_version?}` → `200` the case as it is now.
#[utoipa::path(post, path = "/cases/{id}/transitions", tag = "cases", params(("id" = i64, Path, description = "The case")), request_body = app::backend::case_actions::ActRequest, responses((status = 200, description = "The case after the transition", body = CaseView)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<app::backend::case_actions::ActRequest>,
) -> Result<Json<CaseView>, AppError> {
    app::backend::case_actions::act(
        &state.db,
        &state.config,
        caller.principal.as_ref(),
        id,
        request,
        Vec::new(),
    )
    .await?;
    cases::get_case(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}

/// `POST /api/v1/cases/{id}/rating {score: 1..5, comment?}` → `200` the case (the petitioner,
/// once the case is answered).
#[utoipa::path(post, path = "/cases/{id}/rating", tag = "cases", params(("id" = i64, Path, description = "The case")), request_body = app::backend::rating::RatingInput, responses((status = 200, description = "The case with its rating", body = CaseView)))]
pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<app::backend::rating::RatingInput>,
) -> Result<Json<CaseView>, AppError> {
    app::backend::rating::rate(&state.db, caller.principal.as_ref(), id, input).await?;
    cases::get_case(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}
