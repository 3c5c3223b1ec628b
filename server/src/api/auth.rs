//! `/api/v1/auth/*`: login, registration, logout, verification, password reset and change,
//! tracking-link requests.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::auth::magic_links::{self, LinkRequestForm};
use app::backend::auth::{accounts, sessions};
use app::backend::staff_digest;
use app::i18n::Lang;
use app::model::AppError;
use app::model::account::{
    ChangePasswordForm, EmailForm, LoginForm, MailPreference, NewPasswordForm, RegisterForm,
};

use super::openapi::Revoked;
use super::{ApiJson, Caller};

/// The answer to a login.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LoginAnswer {
    /// The bearer token (the same as the session cookie's).
    token: String,
    user: LoginUser,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LoginUser {
    id: i64,
    email: String,
    role: app::model::account::Role,
    full_name: String,
}

/// The answer to a registration.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RegisterAnswer {
    /// `verification_sent`.
    status: String,
}

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `POST /api/v1/auth/login` → `{token, user:{id, email, role}}` and the session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginForm, responses((status = 200, description = "Signed in: the bearer token (also set as the HttpOnly session cookie) and the user", body = LoginAnswer)))]
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<LoginForm>,
) -> Result<Response, AppError> {
    let (me, token) = accounts::login(&state.db, &state.config, form, &caller.client).await?;
    let body = Json(LoginAnswer {
        token: token.clone(),
        user: LoginUser {
            id: me.id,
            email: me.email,
            role: me.role,
            full_name: me.full_name,
        },
    });
    Ok(with_cookie(
        body.into_response(),
        &sessions::cookie(Some(&token), state.config.production),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RegisterBody {
    #[serde(flatten)]
    form: RegisterForm,
    lang: Option<String>,
}

/// `POST /api/v1/auth/register` → `201`; the verification link goes by mail.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterBody, responses((status = 201, description = "Registered; the verification link goes by mail", body = RegisterAnswer)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<RegisterBody>,
) -> Result<Response, AppError> {
    let lang = body
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    accounts::register(&state.db, &state.config, body.form, lang, &caller.client).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterAnswer {
            status: "verification_sent".into(),
        }),
    )
        .into_response())
}

/// `POST /api/v1/auth/logout` → `204`, the session revoked and the cookie cleared.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204, description = "The session is revoked and the cookie cleared")))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    if let Some(p) = &caller.principal {
        accounts::logout(&state.db, p).await?;
    }
    Ok(with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        &sessions::cookie(None, state.config.production),
    ))
}

/// `POST /api/v1/auth/logout-all` → `{revoked}`: every session of the account ends.
#[utoipa::path(post, path = "/auth/logout-all", tag = "auth", responses((status = 200, description = "Every session of the account ended", body = Revoked)))]
pub async fn logout_all(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    let n = accounts::logout_everywhere(&state.db, account).await?;
    Ok(with_cookie(
        Json(Revoked { revoked: n as u64 }).into_response(),
        &sessions::cookie(None, state.config.production),
    ))
}

/// `GET /api/v1/auth/me`
#[utoipa::path(get, path = "/auth/me", tag = "auth", responses((status = 200, description = "The signed-in user", body = app::model::account::Me)))]
pub async fn me(caller: Caller) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    Ok(Json(accounts::me(account)).into_response())
}

/// `GET /api/v1/auth/me/mail-preference` → `{mode, digest_hour}`
#[utoipa::path(get, path = "/auth/me/mail-preference", tag = "auth", responses((status = 200, description = "How this staff member gets mail", body = MailPreference)))]
pub async fn mail_preference(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    Ok(Json(staff_digest::preference(&state.db, account).await?).into_response())
}

/// `PUT /api/v1/auth/me/mail-preference {mode: "immediate"|"digest", digest_hour: 0-23}` →
/// `200` the saved preference; staff only.
#[utoipa::path(put, path = "/auth/me/mail-preference", tag = "auth", request_body = MailPreference, responses((status = 200, description = "The saved preference (staff only)", body = MailPreference)))]
pub async fn set_mail_preference(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<MailPreference>,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    let saved = staff_digest::set_preference(&state.db, account, body, chrono::Utc::now()).await?;
    Ok(Json(saved).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenBody {
    token: String,
}

/// `POST /api/v1/auth/verify {token}` → `204`
#[utoipa::path(post, path = "/auth/verify", tag = "auth", request_body = TokenBody, responses((status = 204, description = "The address is verified")))]
pub async fn verify(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<StatusCode, AppError> {
    accounts::verify_email(&state.db, body.token.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/password/forgot {email}` → `202` whether or not the account exists.
#[utoipa::path(post, path = "/auth/password/forgot", tag = "auth", request_body = EmailForm, responses((status = 202, description = "A reset link is sent if the account exists (the answer is the same either way)")))]
pub async fn forgot_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<EmailForm>,
) -> Result<StatusCode, AppError> {
    accounts::request_password_reset(&state.db, &state.config, form, &caller.client).await?;
    Ok(StatusCode::ACCEPTED)
}

/// `POST /api/v1/auth/password/reset {token, password}` → `204`
#[utoipa::path(post, path = "/auth/password/reset", tag = "auth", request_body = NewPasswordForm, responses((status = 204, description = "The password is changed")))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<NewPasswordForm>,
) -> Result<StatusCode, AppError> {
    accounts::reset_password(&state.db, form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/password/change {current_password, new_password}` → `204`; the other
/// sessions end.
#[utoipa::path(post, path = "/auth/password/change", tag = "auth", request_body = ChangePasswordForm, responses((status = 204, description = "The password is changed; the other sessions end")))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<ChangePasswordForm>,
) -> Result<StatusCode, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    accounts::change_password(&state.db, account, form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/case-link {registration_number, email}` → `202` either way.
#[utoipa::path(post, path = "/auth/case-link", tag = "auth", request_body = LinkRequestForm, responses((status = 202, description = "A tracking link is sent if the case and address match (the answer is the same either way)")))]
pub async fn request_case_link(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<LinkRequestForm>,
) -> Result<StatusCode, AppError> {
    magic_links::request(&state.db, &state.config, form, &caller.client).await?;
    Ok(StatusCode::ACCEPTED)
}
