//! The one error type of the application.
//!
//! Services return it, server functions carry it to the browser, and the JSON API maps it to
//! `{"error": {"code", "message", "fields"}}` with the matching HTTP status. Internal causes are
//! logged where they are converted (see `backend::error`) and never shown to users.

use std::collections::BTreeMap;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Messages per form field, in field order.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TransitionNotAllowed(String),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("{0}")]
    BadRequest(String),
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// The stable machine-readable code of the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation { .. } => "validation_failed",
            AppError::NotFound => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthorized => "unauthorized",
            AppError::Conflict(_) => "conflict",
            AppError::TransitionNotAllowed(_) => "transition_not_allowed",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
        }
    }

    /// The HTTP status that goes with the error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::NotFound => 404,
            AppError::Forbidden => 403,
            AppError::Unauthorized => 401,
            AppError::Conflict(_) => 409,
            AppError::TransitionNotAllowed(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::PayloadTooLarge => 413,
            AppError::BadRequest(_) => 400,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), vec![message.into()]);
        AppError::Validation {
            message: "validation failed".into(),
            fields,
        }
    }

    /// The field errors, empty unless this is a validation error.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation { fields, .. } => Some(fields),
            _ => None,
        }
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let fields = errors
            .field_errors()
            .into_iter()
            .map(|(field, errs)| {
                let messages = errs
                    .iter()
                    .map(|e| {
                        e.message
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| e.code.to_string())
                    })
                    .collect();
                (field.to_string(), messages)
            })
            .collect();
        AppError::Validation {
            message: "validation failed".into(),
            fields,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request could not be decoded: the client sent something malformed.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::BadRequest(m)
            }
            ServerFnErrorErr::MissingArg(m) => {
                AppError::BadRequest(format!("missing argument {m}"))
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_code_and_a_client_or_server_status() {
        let all = [
            AppError::field("x", "bad"),
            AppError::NotFound,
            AppError::Forbidden,
            AppError::Unauthorized,
            AppError::Conflict("c".into()),
            AppError::TransitionNotAllowed("t".into()),
            AppError::RateLimited {
                retry_after_secs: 3,
            },
            AppError::PayloadTooLarge,
            AppError::BadRequest("b".into()),
            AppError::Unavailable,
            AppError::Internal,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(AppError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert!(all.iter().all(|e| (400..600).contains(&e.status())));
    }

    #[test]
    fn validator_errors_keep_their_field_and_message() {
        use validator::Validate;
        #[derive(Validate)]
        struct Form {
            #[validate(length(min = 3, message = "too short"))]
            subject: String,
        }
        let err: AppError = Form {
            subject: "a".into(),
        }
        .validate()
        .unwrap_err()
        .into();
        assert_eq!(err.status(), 422);
        assert_eq!(
            err.fields().unwrap()["subject"],
            vec!["too short".to_string()]
        );
    }
}
