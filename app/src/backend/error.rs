//! Where internal failures become an [`AppError`]: the cause is logged here, once, and the
//! user gets a plain message. Also the one mapping of [`AppError`] to an HTTP/JSON response.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use sea_orm::DbErr;
use serde_json::json;

use crate::model::AppError;

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

/// The problems of a form found so far, per field: every one is reported at once.
#[derive(Debug, Default)]
pub struct Problems(pub crate::model::FieldErrors);

impl Problems {
    pub fn add(&mut self, field: &str, code: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_default()
            .push(code.into());
    }

    /// `Ok` without problems, else a validation error with them all.
    pub fn into_result(self, message: &str) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation {
                message: message.into(),
                fields: self.0,
            })
        }
    }
}

/// Logs an unexpected failure and answers with the opaque internal error.
pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{context}");
    AppError::Internal
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = match &self {
            AppError::Internal => "An unexpected error happened; it has been logged.".to_string(),
            other => other.to_string(),
        };
        let fields = self.fields().cloned().unwrap_or_default();
        let body =
            json!({ "error": { "code": self.code(), "message": message, "fields": fields } });
        let mut res = (status, Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// A path segment that does not parse (an id that is not a number, or over `i64`): `400` in
/// the API's error shape.
impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

/// A query string that does not parse: `400` in the API's error shape.
impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as R;
        match rejection {
            R::JsonDataError(e) => AppError::Validation {
                message: e.body_text(),
                fields: Default::default(),
            },
            R::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            other => AppError::BadRequest(other.body_text()),
        }
    }
}
