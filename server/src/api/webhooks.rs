//! `/api/v1/admin/webhooks`: the webhooks of the API clients (administrators of the clients'
//! institutions, or global ones); the logic is in `app::backend::webhooks`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::webhooks::{self, CreatedWebhook, DeliveryView, WebhookView};
use app::model::AppError;

use super::{ApiJson, ApiPath, ApiQuery, Caller};

/// `GET /api/v1/admin/webhooks?client_id=`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhookQuery {
    /// Only this client's webhooks.
    client_id: Option<i64>,
}

/// `GET /api/v1/admin/webhooks/{id}/deliveries?status=`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `sending`, `delivered` or `failed`.
    status: Option<String>,
}

/// `POST /api/v1/admin/webhooks {client_id, url, events?}` → `201` the webhook with its
/// `secret` (shown this once).
#[utoipa::path(post, path = "/admin/webhooks", tag = "admin", request_body = webhooks::NewWebhook, responses((status = 201, description = "The webhook with its signing secret, shown this once", body = CreatedWebhook)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<webhooks::NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    let created = webhooks::create(
        &state.db,
        admin,
        new,
        state.config.production,
        state.config.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `GET /api/v1/admin/webhooks` → the webhooks of the institutions the caller administers.
#[utoipa::path(get, path = "/admin/webhooks", tag = "admin", params(WebhookQuery), responses((status = 200, description = "The webhooks of the clients of the institutions the caller administers, newest first", body = Vec<WebhookView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<WebhookQuery>,
) -> Result<Json<Vec<WebhookView>>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(webhooks::list(&state.db, admin, q.client_id).await?))
}

/// `GET /api/v1/admin/webhooks/{id}` → the webhook.
#[utoipa::path(get, path = "/admin/webhooks/{id}", tag = "admin", params(("id" = i64, Path, description = "The webhook")), responses((status = 200, description = "The webhook", body = WebhookView)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WebhookView>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(webhooks::get(&state.db, admin, id).await?))
}

/// `PATCH /api/v1/admin/webhooks/{id} {active}` → the webhook, switched off or on.
#[utoipa::path(patch, path = "/admin/webhooks/{id}", tag = "admin", params(("id" = i64, Path, description = "The webhook")), request_body = webhooks::WebhookPatch, responses((status = 200, description = "The webhook; switched off, it gets no new deliveries and queued ones wait", body = WebhookView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<webhooks::WebhookPatch>,
) -> Result<Json<WebhookView>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(
        webhooks::set_active(&state.db, admin, id, patch.active).await?,
    ))
}

/// `DELETE /api/v1/admin/webhooks/{id}` → `204`: the webhook and its deliveries are gone.
#[utoipa::path(delete, path = "/admin/webhooks/{id}", tag = "admin", params(("id" = i64, Path, description = "The webhook")), responses((status = 204, description = "Removed, with its deliveries")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    webhooks::delete(&state.db, admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/admin/webhooks/{id}/deliveries?status=` → the latest 100 deliveries.
#[utoipa::path(get, path = "/admin/webhooks/{id}/deliveries", tag = "admin", params(("id" = i64, Path, description = "The webhook"), DeliveryQuery), responses((status = 200, description = "The latest 100 deliveries, newest first, with status, attempts and the last error", body = Vec<DeliveryView>)))]
pub async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DeliveryQuery>,
) -> Result<Json<Vec<DeliveryView>>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(
        webhooks::deliveries(&state.db, admin, id, q.status.as_deref()).await?,
    ))
}

/// `POST /api/v1/admin/webhooks/{id}/deliveries/{delivery}/retry` → the delivery, queued
/// again (a failed one with its attempts started over).
#[utoipa::path(post, path = "/admin/webhooks/{id}/deliveries/{delivery}/retry", tag = "admin", params(("id" = i64, Path, description = "The webhook"), ("delivery" = i64, Path, description = "The delivery")), responses((status = 200, description = "The delivery, queued again (409 when it was delivered or is being sent)", body = DeliveryView)))]
pub async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, delivery)): ApiPath<(i64, i64)>,
) -> Result<Json<DeliveryView>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(
        webhooks::retry(&state.db, admin, id, delivery, state.config.clock.now()).await?,
    ))
}
