//! Server functions of `/admin/sabloane`: the mail templates (see `backend::mail_templates`).
//! The editor's form posts here without JavaScript; its "preview" is a plain GET of the page.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::mail_templates::{TemplatePreview, TemplateRow, TemplateText};

/// Every template in every language (administrators of the portal).
#[server(endpoint = "admin_templates")]
pub async fn admin_templates() -> Result<Vec<TemplateRow>, AppError> {
    let state = super::state()?;
    crate::backend::mail_templates::list_as_admin(&state.db, super::principal()?.as_ref()).await
}

/// The text in use of `template` in `lang`.
#[server(endpoint = "admin_template")]
pub async fn admin_template(template: String, lang: String) -> Result<TemplateText, AppError> {
    let state = super::state()?;
    let e = crate::backend::mail_templates::editable(
        &state.db,
        super::principal()?.as_ref(),
        &template,
        &lang,
    )
    .await?;
    Ok(TemplateText {
        template: e.template,
        lang: e.lang,
        subject: e.subject,
        body: e.body,
        overridden: e.overridden,
        variables: e.variables.iter().map(|v| v.to_string()).collect(),
    })
}

/// `subject` and `body` filled with a sample case's values, or their problems.
#[server(endpoint = "preview_template")]
pub async fn preview_template(
    template: String,
    lang: String,
    subject: String,
    body: String,
) -> Result<TemplatePreview, AppError> {
    let state = super::state()?;
    let text = crate::backend::mail_templates::Text { subject, body };
    crate::backend::mail_templates::preview_as_admin(
        &state.db,
        super::principal()?.as_ref(),
        &template,
        &lang,
        &text,
        &state.config.public_url,
    )
    .await
}

/// Saves the administrator's version (checked: a refused text leaves the current one).
#[server(endpoint = "save_template")]
pub async fn save_template(
    template: String,
    lang: String,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let text = crate::backend::mail_templates::Text { subject, body };
    crate::backend::mail_templates::save_as_admin(
        &state.db,
        super::principal()?.as_ref(),
        &template,
        &lang,
        Some(text),
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/sabloane/{template}/{lang}?salvat=1"));
    Ok(())
}

/// The built-in text again.
#[server(endpoint = "reset_template")]
pub async fn reset_template(template: String, lang: String) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::mail_templates::save_as_admin(
        &state.db,
        super::principal()?.as_ref(),
        &template,
        &lang,
        None,
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/sabloane/{template}/{lang}?salvat=1"));
    Ok(())
}
