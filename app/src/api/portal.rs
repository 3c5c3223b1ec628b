use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::portal::PortalInfo;

/// The home institution and its departments, named in `lang`.
#[server(endpoint = "portal_info")]
pub async fn get_portal_info(lang: Lang) -> Result<PortalInfo, AppError> {
    let state = super::state()?;
    state
        .cache
        .get("portal_info", lang, || {
            crate::backend::portal::portal_info(&state.db, lang)
        })
        .await
}

/// The service registry, filtered by the words of `q`.
#[server(endpoint = "services")]
pub async fn list_services(
    lang: Lang,
    q: Option<String>,
) -> Result<Vec<crate::model::services::ServiceView>, AppError> {
    let state = super::state()?;
    crate::backend::service_registry::search(&state.db, lang, q.as_deref()).await
}
