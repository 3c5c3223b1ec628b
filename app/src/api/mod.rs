//! Server functions: thin wrappers that read the state, call the service layer in `backend`
//! and return its result. No logic of their own.

pub mod account;
pub mod admin;
pub mod calendar_admin;
pub mod categories_admin;
pub mod data_rights;
pub mod desk;
pub mod filing;
pub mod mail_templates;
pub mod metrics;
pub mod org_admin;
pub mod portal;
pub mod publication;
pub mod queues;
pub mod services_admin;
pub mod users_admin;
pub mod workflow_admin;
pub mod workflows;

/// Who sent the server function's request (none: a visitor).
#[cfg(feature = "ssr")]
pub(crate) fn principal() -> Result<Option<crate::backend::auth::Principal>, crate::model::AppError>
{
    let parts = leptos::prelude::use_context::<http::request::Parts>()
        .ok_or(crate::model::AppError::Internal)?;
    Ok(crate::backend::auth::request::principal_of(&parts))
}

/// `error` with its field names given `prefix`: the ids of the inputs of the form that sent it
/// (a page with several forms names each form's inputs with its own prefix).
#[cfg(feature = "ssr")]
pub(crate) fn scoped(prefix: &str, error: crate::model::AppError) -> crate::model::AppError {
    match error {
        crate::model::AppError::Validation { message, fields } => {
            crate::model::AppError::Validation {
                message,
                fields: fields
                    .into_iter()
                    .map(|(k, v)| (format!("{prefix}{k}"), v))
                    .collect(),
            }
        }
        other => other,
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<crate::backend::AppState, crate::model::AppError> {
    leptos::prelude::use_context::<crate::backend::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        crate::model::AppError::Internal
    })
}
