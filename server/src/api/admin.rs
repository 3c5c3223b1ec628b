//! `/api/v1/admin/users`: the staff list, invitations, role changes, deactivation and
//! reactivation (administrators, in their scope; see `app::backend::users_admin`);
//! `/api/v1/admin/mail-templates/{template}/{lang}`: the mail texts (global administrators).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::auth::accounts::{self, InviteForm};
use app::backend::{api_clients, mail_templates, users_admin};
use app::model::AppError;
use app::model::account::Grant;
use app::model::users_admin::{StaffUser, StaffUserPage, UserFilter};

use super::openapi::Created;
use super::{ApiJson, ApiPath, ApiQuery, Caller};

/// `GET /api/v1/admin/users?role=&department_id=&q=&page=&per_page=` → the staff users the
/// caller administers, by name: `{items, total, page, per_page}`.
#[utoipa::path(get, path = "/admin/users", tag = "admin", params(UserFilter), responses((status = 200, description = "The staff users the caller administers that match the filters, by name (an institution's administrator: those holding a role in their institution)", body = StaffUserPage)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<UserFilter>,
) -> Result<Json<StaffUserPage>, AppError> {
    Ok(Json(
        users_admin::list(&state.db, caller.principal.as_ref(), &filter, caller.lang).await?,
    ))
}

/// `POST /api/v1/admin/users/{id}/deactivate` → `200` the user: they cannot log in, and every
/// session of theirs has ended.
#[utoipa::path(post, path = "/admin/users/{id}/deactivate", tag = "admin", params(("id" = i64, Path, description = "The user")), responses((status = 200, description = "The user, deactivated: every session of theirs has ended and login refuses them", body = StaffUser)))]
pub async fn deactivate_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StaffUser>, AppError> {
    Ok(Json(
        users_admin::set_active(&state.db, caller.principal.as_ref(), id, false, caller.lang)
            .await?,
    ))
}

/// `POST /api/v1/admin/users/{id}/reactivate` → `200` the user, who may log in again.
#[utoipa::path(post, path = "/admin/users/{id}/reactivate", tag = "admin", params(("id" = i64, Path, description = "The user")), responses((status = 200, description = "The user, active again", body = StaffUser)))]
pub async fn reactivate_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StaffUser>, AppError> {
    Ok(Json(
        users_admin::set_active(&state.db, caller.principal.as_ref(), id, true, caller.lang)
            .await?,
    ))
}

/// `POST /api/v1/admin/users {email, full_name, grants:[{role, institution_id, department_id}]}`
/// → `201 {id}`; the invitation goes by mail.
#[utoipa::path(post, path = "/admin/users", tag = "admin", request_body = InviteForm, responses((status = 201, description = "The staff account; the invitation goes by mail", body = Created)))]
pub async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<InviteForm>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    let id = accounts::invite_staff(&state.db, &state.config, admin, form).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `PUT /api/v1/admin/users/{id}/roles [grants]` → `204`; the user's sessions end.
#[utoipa::path(put, path = "/admin/users/{id}/roles", tag = "admin", params(("id" = i64, Path, description = "The user")), request_body = Vec<Grant>, responses((status = 204, description = "The roles are set; the user's sessions end")))]
pub async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(grants): ApiJson<Vec<Grant>>,
) -> Result<StatusCode, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    accounts::set_grants(&state.db, admin, id, grants).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of `PUT /api/v1/admin/mail-templates/{template}/{lang}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[derive(utoipa::ToSchema)]
pub struct TemplateBody {
    pub subject: String,
    pub body: String,
}

/// `GET /api/v1/admin/mail-templates/{template}/{lang}` → the text in use.
#[utoipa::path(get, path = "/admin/mail-templates/{template}/{lang}", tag = "admin", params(("template" = String, Path), ("lang" = String, Path, description = "ro, ru or en")), responses((status = 200, description = "The text in use", body = mail_templates::Editable)))]
pub async fn get_template(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((template, lang)): ApiPath<(String, String)>,
) -> Result<Json<mail_templates::Editable>, AppError> {
    Ok(Json(
        mail_templates::editable(&state.db, caller.principal.as_ref(), &template, &lang).await?,
    ))
}

/// `PUT /api/v1/admin/mail-templates/{template}/{lang} {subject, body}` → `204`, or `422` with
/// each problem (a syntax error names its line, an unknown variable its name).
#[utoipa::path(put, path = "/admin/mail-templates/{template}/{lang}", tag = "admin", params(("template" = String, Path), ("lang" = String, Path, description = "ro, ru or en")), request_body = TemplateBody, responses((status = 204, description = "Saved")))]
pub async fn put_template(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((template, lang)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<TemplateBody>,
) -> Result<StatusCode, AppError> {
    let text = mail_templates::Text {
        subject: b.subject,
        body: b.body,
    };
    mail_templates::save_as_admin(
        &state.db,
        caller.principal.as_ref(),
        &template,
        &lang,
        Some(text),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/admin/mail-templates/{template}/{lang}` → `204`: the built-in text again.
#[utoipa::path(delete, path = "/admin/mail-templates/{template}/{lang}", tag = "admin", params(("template" = String, Path), ("lang" = String, Path, description = "ro, ru or en")), responses((status = 204, description = "The built-in text is used again")))]
pub async fn delete_template(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((template, lang)): ApiPath<(String, String)>,
) -> Result<StatusCode, AppError> {
    mail_templates::save_as_admin(&state.db, caller.principal.as_ref(), &template, &lang, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/admin/api-clients {name, institution_id}` → `201` the client with its
/// `api_key` (shown this once).
#[utoipa::path(post, path = "/admin/api-clients", tag = "admin", request_body = api_clients::NewClient, responses((status = 201, description = "The client with its key, shown this once", body = api_clients::IssuedClient)))]
pub async fn issue_client(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<api_clients::NewClient>,
) -> Result<(StatusCode, Json<api_clients::IssuedClient>), AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    let issued = api_clients::issue(&state.db, admin, new, state.config.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// `GET /api/v1/admin/api-clients` → the clients of the institutions the caller administers.
#[utoipa::path(get, path = "/admin/api-clients", tag = "admin", responses((status = 200, description = "The clients of the institutions the caller administers", body = Vec<api_clients::ClientView>)))]
pub async fn list_clients(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api_clients::ClientView>>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(api_clients::list(&state.db, admin).await?))
}

/// `DELETE /api/v1/admin/api-clients/{id}` → `200` the client, its key revoked.
#[utoipa::path(delete, path = "/admin/api-clients/{id}", tag = "admin", params(("id" = i64, Path, description = "The client")), responses((status = 200, description = "The client, its key revoked", body = api_clients::ClientView)))]
pub async fn revoke_client(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<api_clients::ClientView>, AppError> {
    let admin = require_account(caller.principal.as_ref())?;
    Ok(Json(
        api_clients::revoke(&state.db, admin, id, state.config.clock.now()).await?,
    ))
}
