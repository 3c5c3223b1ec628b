//! Server functions of `/admin/fluxuri` (see `backend::workflow_admin`). The forms post here
//! without JavaScript: "check" keeps the document as a draft and shows the page again on it
//! (`?ciorna={id}`), with its problems or its diagram and the save button; "save" stores the
//! draft as the next version; the choice form changes an institution's choices. A refused
//! choice names each field after its form's inputs (`w{institution}-{kind}`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::workflow_admin::WorkflowAdminPage;

/// The choice form, as a plain form sends it (`choice[petition]`, …; blank: the default rule).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceForm {
    pub petition: Option<String>,
    pub complaint: Option<String>,
    pub prior_complaint: Option<String>,
    pub information_request: Option<String>,
    pub data_rectification: Option<String>,
    pub data_erasure: Option<String>,
}

#[cfg(feature = "ssr")]
use super::scoped;

/// The page after a check: on the draft, at the check's result.
#[cfg(feature = "ssr")]
fn to_draft(id: i64) {
    leptos_axum::redirect(&format!("/admin/fluxuri?ciorna={id}#verificare"));
}

/// The page: definitions, choices and the editor (on draft `draft`, or on definition `start`);
/// `filed`: the registration date of the draft's deadline preview (YYYY-MM-DD, today when
/// blank or not a date).
#[server(endpoint = "workflow_admin")]
pub async fn workflow_admin(
    lang: Lang,
    start: Option<String>,
    draft: Option<String>,
    filed: Option<String>,
) -> Result<WorkflowAdminPage, AppError> {
    let state = super::state()?;
    let draft = draft.and_then(|d| d.trim().parse::<i64>().ok());
    let filed = filed
        .and_then(|f| chrono::NaiveDate::parse_from_str(f.trim(), "%Y-%m-%d").ok())
        .filter(|d| crate::backend::workflow_admin::preview_date(*d))
        .unwrap_or_else(|| state.config.clock.now().date_naive());
    crate::backend::workflow_admin::page(
        &state.db,
        super::principal()?.as_ref(),
        lang,
        start.as_deref(),
        draft,
        filed,
    )
    .await
}

/// Checks a document typed or pasted in the editor (stores no definition).
#[server(endpoint = "check_workflow")]
pub async fn check_workflow(source: String) -> Result<(), AppError> {
    let state = super::state()?;
    let id = crate::backend::workflow_admin::create_draft(
        &state.db,
        super::principal()?.as_ref(),
        &source,
        state.config.clock.now(),
    )
    .await?;
    to_draft(id);
    Ok(())
}

/// Checks an uploaded file (multipart: `file`), as the editor's check does.
#[server(endpoint = "upload_workflow", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_workflow(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(), AppError> {
    let state = super::state()?;
    let principal = super::principal()?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let form = crate::backend::multipart_form::read(multipart).await?;
    let file = form
        .files
        .into_iter()
        .find(|f| !f.bytes.is_empty())
        .ok_or_else(|| AppError::field("file", "workflow_file_missing"))?;
    if file.bytes.len() > crate::backend::workflow_admin::SOURCE_MAX_BYTES {
        return Err(AppError::field("file", "workflow_too_long"));
    }
    let source = String::from_utf8(file.bytes)
        .map_err(|_| AppError::field("file", "workflow_file_unreadable"))?;
    // A file saved by a Windows editor may begin with a byte-order mark.
    let source = source.trim_start_matches('\u{feff}');
    let id = crate::backend::workflow_admin::create_draft(
        &state.db,
        principal.as_ref(),
        source,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| match e {
        AppError::Validation { message, fields } => AppError::Validation {
            message,
            fields: fields
                .into_iter()
                .map(|(k, v)| (if k == "source" { "file".into() } else { k }, v))
                .collect(),
        },
        other => other,
    })?;
    to_draft(id);
    Ok(())
}

/// Saves a checked draft as the next version of its definition, then lists the definitions.
#[server(endpoint = "save_workflow")]
pub async fn save_workflow(draft: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let (name, version) = crate::backend::workflow_admin::save_draft(
        &state.db,
        super::principal()?.as_ref(),
        draft,
        state.config.clock.now(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/admin/fluxuri?salvat={name}&versiune={version}#definitii"
    ));
    Ok(())
}

/// Changes which definition each kind of case follows at an institution.
#[server(endpoint = "set_institution_workflows")]
pub async fn set_institution_workflows(
    institution_id: i64,
    choice: ChoiceForm,
) -> Result<(), AppError> {
    use crate::backend::workflow_admin::ChoicesInput;
    let state = super::state()?;
    let choices = [
        ("petition", choice.petition),
        ("complaint", choice.complaint),
        ("prior_complaint", choice.prior_complaint),
        ("information_request", choice.information_request),
        ("data_rectification", choice.data_rectification),
        ("data_erasure", choice.data_erasure),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    crate::backend::workflow_admin::set_choices(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        &ChoicesInput { choices },
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped(&format!("w{institution_id}-"), e))?;
    state.cache.clear();
    leptos_axum::redirect(&format!(
        "/admin/fluxuri?ales={institution_id}#alegeri-{institution_id}"
    ));
    Ok(())
}
