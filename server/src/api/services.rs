//! `GET /api/v1/services?q=`: the service registry (anyone).

use axum::Json;
use axum::extract::{Query, State};

use app::backend::AppState;
use app::backend::service_registry;
use app::model::AppError;
use app::model::services::ServiceView;

use super::Caller;

#[derive(serde::Deserialize)]
pub struct Search {
    q: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(search): Query<Search>,
) -> Result<Json<Vec<ServiceView>>, AppError> {
    service_registry::search(&state.db, caller.lang, search.q.as_deref())
        .await
        .map(Json)
}
