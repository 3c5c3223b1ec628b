//! `/api/v1/cases`: filing, reading cases within the caller's scope, transitions, ratings and
//! attachments.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use app::backend::AppState;
use app::backend::auth::magic_links;
use app::backend::cases::{self, CaseFilter};
use app::backend::queues;
use app::backend::{attachments, citizen_filing};
use app::model::AppError;
use app::model::case::{CasePage, CaseView};
use app::model::filing::{Filed, FilingInput, Receipt};
use app::model::queue::QueueFilter;

use super::{ApiJson, Caller};

/// The API's filing body: the form's fields, with the consents as booleans.
#[derive(serde::Deserialize)]
pub struct NewCaseBody {
    kind: String,
    department_id: Option<i64>,
    category_id: Option<i64>,
    /// A service of the registry (`GET /api/v1/services`).
    service_id: Option<i64>,
    subject: String,
    body: String,
    address: Option<String>,
    about_decision: Option<Decision>,
    postal_address: Option<String>,
    #[serde(default)]
    consent_processing: bool,
    #[serde(default)]
    consent_publish: bool,
    /// File although a similar case of the petitioner is still open.
    #[serde(default)]
    confirm_repeat: bool,
    /// A prior complaint against the answer of this (own) case.
    linked_case_id: Option<i64>,
}

#[derive(serde::Deserialize)]
pub struct Decision {
    number: Option<String>,
    date: Option<String>,
}

/// `POST /api/v1/cases` (a signed-in citizen) → `201` with the receipt.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<NewCaseBody>,
) -> Result<(axum::http::StatusCode, Json<Receipt>), AppError> {
    let flag = |on: bool| on.then(|| "on".to_string());
    let input = FilingInput {
        kind: b.kind,
        department_id: b.department_id.map(|d| d.to_string()),
        category_id: b.category_id.map(|c| c.to_string()),
        service_id: b.service_id.map(|c| c.to_string()),
        subject: b.subject,
        body: b.body,
        address: b.address,
        decision_number: b.about_decision.as_ref().and_then(|d| d.number.clone()),
        decision_date: b.about_decision.and_then(|d| d.date),
        postal_address: b.postal_address,
        consent_processing: flag(b.consent_processing),
        consent_publish: flag(b.consent_publish),
        confirm_repeat: flag(b.confirm_repeat),
        full_name: None,
        email: None,
        linked_case_id: b.linked_case_id.map(|id| id.to_string()),
        channel: None,
    };
    // API clients file as a signed-in citizen (visitors file through the form).
    app::backend::auth::access::require_account(caller.principal.as_ref())?;
    match citizen_filing::file(
        &state.db,
        &state.config,
        caller.principal.as_ref(),
        input,
        Vec::new(),
        &caller.client,
        caller.lang,
    )
    .await?
    {
        Filed::Receipt(receipt) => Ok((axum::http::StatusCode::CREATED, Json(receipt))),
        Filed::AwaitingConfirmation { .. } => Err(AppError::Internal),
    }
}

/// `POST /api/v1/cases/{id}/attachments` (multipart, field `file`, several allowed) → `201`
/// `[{id, name, size, content_type}]`… for one file, the object itself.
pub async fn add_attachments(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<(axum::http::StatusCode, Json<Value>), AppError> {
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
    let body = match added.as_slice() {
        [one] => json!({"id": one.id, "name": one.name, "size": one.size, "content_type": one.content_type}),
        many => json!(many
            .iter()
            .map(|a| json!({"id": a.id, "name": a.name, "size": a.size, "content_type": a.content_type}))
            .collect::<Vec<_>>()),
    };
    Ok((axum::http::StatusCode::CREATED, Json(body)))
}

/// `GET /api/v1/cases/{id}`: 404 for a case outside the caller's scope, as for a missing one.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<CaseView>, AppError> {
    cases::get_case(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}

/// `GET /api/v1/cases?view=&assignee=me&status=&kind=&category_id=&service_id=&department_id=
/// &overdue=true&due_within=&filed_from=&filed_to=&q=&page=&per_page=`: staff get their queue
/// (open cases, overdue first, then by term); citizens their own cases (`status`, `page`,
/// `per_page`).
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<QueueFilter>,
) -> Result<Json<CasePage>, AppError> {
    let staff = caller
        .principal
        .as_ref()
        .and_then(|p| p.account())
        .is_some_and(|a| a.is_staff());
    if staff {
        let today = state.config.clock.now().date_naive();
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
pub async fn revoke_links(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let n = magic_links::revoke(&state.db, caller.principal.as_ref(), id).await?;
    Ok(Json(json!({ "revoked": n })))
}

/// `POST /api/v1/cases/{id}/transitions {transition, note?, reason?, answer?, outcome?, …,
/// expected_version?}` → `200` the case as it is now.
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
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
pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<app::backend::rating::RatingInput>,
) -> Result<Json<CaseView>, AppError> {
    app::backend::rating::rate(&state.db, caller.principal.as_ref(), id, input).await?;
    cases::get_case(&state.db, caller.principal.as_ref(), id, caller.lang)
        .await
        .map(Json)
}
