//! Server functions of the officer workspace.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::queue::{QueueChoices, QueueFilter, QueueLines};

/// One page of the asker's queue, as the queue page shows it.
#[server(endpoint = "queue")]
pub async fn get_queue(
    // A queue without filters sends no fields at all.
    #[server(default)] filter: QueueFilter,
    lang: Lang,
) -> Result<QueueLines, AppError> {
    use crate::backend::auth::request::principal_of;
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let today = state.local_today().await?;
    crate::backend::queues::queue_lines(
        &state.db,
        principal_of(&parts).as_ref(),
        &filter,
        today,
        lang,
    )
    .await
}

/// What the queue's filter form offers (reference data: kept for a few seconds, whole, so that
/// a page copies these short lists and not the filing form's options they are drawn from).
#[server(endpoint = "queue_choices")]
pub async fn get_queue_choices(lang: Lang) -> Result<QueueChoices, AppError> {
    let state = super::state()?;
    let db = state.db.clone();
    state
        .cache
        .get("queue_choices", lang, || async move {
            let statuses = crate::backend::queues::status_choices(&db, lang).await?;
            let options = crate::backend::citizen_filing::options(&db, lang).await?;
            let pairs = |c: &[crate::model::filing::Choice]| {
                c.iter().map(|c| (c.id, c.name.clone())).collect()
            };
            Ok(QueueChoices {
                statuses,
                departments: pairs(&options.departments),
                categories: pairs(&options.categories),
            })
        })
        .await
}
