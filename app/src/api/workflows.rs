use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::workflow_view::{WorkflowSummary, WorkflowView};

/// The workflow definitions in use.
#[server(endpoint = "workflows")]
pub async fn list_workflows(lang: Lang) -> Result<Vec<WorkflowSummary>, AppError> {
    let state = super::state()?;
    crate::backend::workflow_view::list(&state.db, lang).await
}

/// One workflow drawn, with the deadlines of a case registered on `filed` (YYYY-MM-DD; today
/// when empty).
#[server(endpoint = "workflow")]
pub async fn get_workflow(
    name: String,
    filed: Option<String>,
    lang: Lang,
) -> Result<WorkflowView, AppError> {
    let state = super::state()?;
    let filed = match filed.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                AppError::field(
                    "filed",
                    match lang {
                        Lang::Ro => "Introduceți o dată de forma 2026-04-03.",
                        Lang::Ru => "Введите дату в виде 2026-04-03.",
                        Lang::En => "Enter a date like 2026-04-03.",
                    },
                )
            })?,
        ),
    };
    let today = state.config.clock.now().date_naive();
    crate::backend::workflow_view::view(&state.db, &name, filed, today, lang).await
}
