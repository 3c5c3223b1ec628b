//! Server functions of the officer workspace.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::case::CasePage;
use crate::model::queue::QueueFilter;

/// One page of the asker's queue, and the states the filter offers.
#[server(endpoint = "queue")]
pub async fn get_queue(
    // A queue without filters sends no fields at all.
    #[server(default)] filter: QueueFilter,
    lang: Lang,
) -> Result<(CasePage, Vec<(String, String)>), AppError> {
    use crate::backend::auth::request::principal_of;
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let today = state.local_today().await?;
    let page = crate::backend::queues::queue(
        &state.db,
        principal_of(&parts).as_ref(),
        &filter,
        today,
        lang,
    )
    .await?;
    let statuses = state
        .cache
        .get("status_choices", lang, || {
            crate::backend::queues::status_choices(&state.db, lang)
        })
        .await?;
    Ok((page, statuses))
}
