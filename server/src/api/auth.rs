//! `/api/v1/auth/*`: login, registration, logout, verification, password reset and change,
//! tracking-link requests.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

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

use super::{ApiJson, Caller};

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `POST /api/v1/auth/login` → `{token, user:{id, email, role}}` and the session cookie.
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<LoginForm>,
) -> Result<Response, AppError> {
    let (me, token) = accounts::login(&state.db, &state.config, form, &caller.client).await?;
    let body = Json(json!({
        "token": token,
        "user": { "id": me.id, "email": me.email, "role": me.role, "full_name": me.full_name },
    }));
    Ok(with_cookie(
        body.into_response(),
        &sessions::cookie(Some(&token), state.config.production),
    ))
}

#[derive(Deserialize)]
pub struct RegisterBody {
    #[serde(flatten)]
    form: RegisterForm,
    lang: Option<String>,
}

/// `POST /api/v1/auth/register` → `201`; the verification link goes by mail.
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
        Json(json!({ "status": "verification_sent" })),
    )
        .into_response())
}

/// `POST /api/v1/auth/logout` → `204`, the session revoked and the cookie cleared.
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
pub async fn logout_all(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    let n = accounts::logout_everywhere(&state.db, account).await?;
    Ok(with_cookie(
        Json(json!({ "revoked": n })).into_response(),
        &sessions::cookie(None, state.config.production),
    ))
}

/// `GET /api/v1/auth/me`
pub async fn me(caller: Caller) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    Ok(Json(accounts::me(account)).into_response())
}

/// `GET /api/v1/auth/me/mail-preference` → `{mode, digest_hour}`
pub async fn mail_preference(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    Ok(Json(staff_digest::preference(&state.db, account).await?).into_response())
}

/// `PUT /api/v1/auth/me/mail-preference {mode: "immediate"|"digest", digest_hour: 0-23}` →
/// `200` the saved preference; staff only.
pub async fn set_mail_preference(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<MailPreference>,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    let saved = staff_digest::set_preference(&state.db, account, body, chrono::Utc::now()).await?;
    Ok(Json(saved).into_response())
}

#[derive(Deserialize)]
pub struct TokenBody {
    token: String,
}

/// `POST /api/v1/auth/verify {token}` → `204`
pub async fn verify(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<StatusCode, AppError> {
    accounts::verify_email(&state.db, body.token.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/password/forgot {email}` → `202` whether or not the account exists.
pub async fn forgot_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<EmailForm>,
) -> Result<StatusCode, AppError> {
    accounts::request_password_reset(&state.db, &state.config, form, &caller.client).await?;
    Ok(StatusCode::ACCEPTED)
}

/// `POST /api/v1/auth/password/reset {token, password}` → `204`
pub async fn reset_password(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<NewPasswordForm>,
) -> Result<StatusCode, AppError> {
    accounts::reset_password(&state.db, form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/password/change {current_password, new_password}` → `204`; the other
/// sessions end.
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
pub async fn request_case_link(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(form): ApiJson<LinkRequestForm>,
) -> Result<StatusCode, AppError> {
    magic_links::request(&state.db, &state.config, form, &caller.client).await?;
    Ok(StatusCode::ACCEPTED)
}
