//! Publication of redacted cases: the staff's draft, publishing and unpublishing a case, the
//! detection of personal data in any text, and the public list and page of published cases.

use axum::Json;
use axum::extract::State;

use app::backend::{AppState, publication};
use app::model::AppError;
use app::model::publication::{
    DetectBody, Detected, PublicationDraft, PublicationStatus, PublishChoice, PublishedCase,
    PublishedPage, PublishedQuery,
};

use super::{ApiJson, ApiPath, ApiQuery, Caller};

/// The draft's query: strings to find besides what is detected, one per line.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// Strings to remove by hand, one per line (they show as found, kind `manual`).
    #[serde(default)]
    extra: Option<String>,
}

/// `GET /api/v1/cases/{id}/publication?extra=` (the case's staff): its subject, text, place
/// and latest answer with the personal data found in each, and whether it is published.
#[utoipa::path(get, path = "/cases/{id}/publication", tag = "publication", params(("id" = i64, Path, description = "The case"), DraftQuery), responses((status = 200, description = "The case's texts with the personal data found in them (ids to keep pieces by), and its publication", body = PublicationDraft)))]
pub async fn draft(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<DraftQuery>,
) -> Result<Json<PublicationDraft>, AppError> {
    let extra: Vec<String> = query.extra.into_iter().collect();
    publication::draft(&state.db, caller.principal.as_ref(), id, &extra)
        .await
        .map(Json)
}

/// `PUT /api/v1/cases/{id}/publication {version?, keep?, extra?}` (the case's staff):
/// publishes the case redacted — every piece found is removed except those `keep` names —
/// or publishes it again. Without the petitioner's consent: 422 with
/// `fields.consent_publish = ["publish_no_consent"]`.
#[utoipa::path(put, path = "/cases/{id}/publication", tag = "publication", params(("id" = i64, Path, description = "The case")), request_body = PublishChoice, responses((status = 200, description = "Published: the publication's state", body = PublicationStatus)))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(choice): ApiJson<PublishChoice>,
) -> Result<Json<PublicationStatus>, AppError> {
    publication::publish(&state.db, caller.principal.as_ref(), id, &choice)
        .await
        .map(Json)
}

/// `DELETE /api/v1/cases/{id}/publication` (the case's staff): takes the case off the public
/// pages and Open311.
#[utoipa::path(delete, path = "/cases/{id}/publication", tag = "publication", params(("id" = i64, Path, description = "The case")), responses((status = 200, description = "Not published (any more): the publication's state", body = PublicationStatus)))]
pub async fn unpublish(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PublicationStatus>, AppError> {
    publication::unpublish(&state.db, caller.principal.as_ref(), id)
        .await
        .map(Json)
}

/// `POST /api/v1/redaction/detect {text, names?, addresses?}` (staff): the personal data found
/// in `text` — CNP and IDNP numbers, phone numbers, e-mail and street addresses, names after
/// an honorific, and the given names and addresses — with character offsets.
#[utoipa::path(post, path = "/redaction/detect", tag = "publication", request_body = DetectBody, responses((status = 200, description = "The pieces of personal data found, in order", body = Detected)))]
pub async fn detect(
    caller: Caller,
    ApiJson(body): ApiJson<DetectBody>,
) -> Result<Json<Detected>, AppError> {
    publication::detect_in(
        caller.principal.as_ref(),
        &body.text,
        &body.names,
        &body.addresses,
    )
    .map(Json)
}

/// `GET /api/v1/public/cases?q=&page=&per_page=` (anyone): the published cases, newest
/// publication first; `q` searches their redacted version only.
#[utoipa::path(get, path = "/public/cases", tag = "publication", params(PublishedQuery), responses((status = 200, description = "A page of published cases (redacted)", body = PublishedPage)))]
pub async fn public_list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PublishedQuery>,
) -> Result<Json<PublishedPage>, AppError> {
    publication::public_page(&state.db, &query, caller.lang)
        .await
        .map(Json)
}

/// `GET /api/v1/public/cases/{id}` (anyone): a published case with its answer, redacted; 404
/// when it is not published.
#[utoipa::path(get, path = "/public/cases/{id}", tag = "publication", params(("id" = i64, Path, description = "The case")), responses((status = 200, description = "The published case (redacted)", body = PublishedCase)))]
pub async fn public_get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PublishedCase>, AppError> {
    publication::public_case(&state.db, id, caller.lang)
        .await
        .map(Json)
}
