//! Server functions of data-subject rights: a citizen's request to rectify or erase their data
//! (from the account page), and staff's answer to it (from the case page). Both work from plain
//! HTML forms: on success they redirect to the case, on failure back with the error.
// The answer's form fields are the server function's arguments (also in the browser build).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::data_rights::DataRequestPanel;

/// The institutions a request may be filed with, `(id, name)` in the reader's language.
#[server(endpoint = "data_request_institutions")]
pub async fn data_request_institutions() -> Result<Vec<(i64, String)>, AppError> {
    let state = super::state()?;
    let (lang, _) = crate::ui::prefs::current();
    crate::backend::data_rights::institutions(&state.db, lang).await
}

/// Files the signed-in user's request, then opens its case page with the receipt.
#[server(endpoint = "file_data_request")]
pub async fn file_data_request(
    kind: String,
    institution_id: Option<String>,
    text: String,
) -> Result<(), AppError> {
    use crate::backend::auth::request::client_of;
    use crate::model::data_rights::DataRequestForm;
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let client = client_of(&parts, state.config.trust_forwarded_for);
    let (lang, _) = crate::ui::prefs::current();
    let institution_id = match institution_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::field("institution_id", "choice_invalid"))?,
        ),
    };
    let receipt = crate::backend::data_rights::file_request(
        &state.db,
        &state.config,
        super::principal()?.as_ref(),
        DataRequestForm {
            kind,
            institution_id,
            text,
        },
        &client,
        lang,
    )
    .await?;
    leptos_axum::redirect(&format!("/cazuri/{}?nou=1", receipt.id));
    Ok(())
}

/// What staff need to answer the data request `case_id`.
#[server(endpoint = "data_request_panel")]
pub async fn get_data_request_panel(case_id: i64) -> Result<DataRequestPanel, AppError> {
    let state = super::state()?;
    crate::backend::data_rights::panel(
        &state.db,
        super::principal()?.as_ref(),
        case_id,
        state.config.clock.now(),
    )
    .await
}

/// Staff answer the data request `case_id` (`action`: `rectify`, `erase` or `refuse`).
#[server(endpoint = "answer_data_request")]
pub async fn answer_data_request(
    case_id: i64,
    action: String,
    answer: Option<String>,
    reason: Option<String>,
    full_name: Option<String>,
    email: Option<String>,
    postal_address: Option<String>,
    expected_version: Option<i32>,
) -> Result<(), AppError> {
    use crate::model::data_rights::DataAnswerForm;
    let state = super::state()?;
    crate::backend::data_rights::answer(
        &state.db,
        &state.config,
        super::principal()?.as_ref(),
        case_id,
        DataAnswerForm {
            action,
            answer,
            reason,
            full_name,
            email,
            postal_address,
            expected_version,
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/cazuri/{case_id}?gata=date"));
    Ok(())
}
