//! `GET /api/v1/services?q=`: the service registry (anyone).

use axum::Json;
use axum::extract::State;

use app::backend::AppState;
use app::backend::service_registry;
use app::model::AppError;
use app::model::services::ServiceView;

use super::{ApiQuery, Caller};

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Words of the service's name, provider or address.
    q: Option<String>,
}

#[utoipa::path(get, path = "/services", tag = "services", params(Search), responses((status = 200, description = "The service registry, searched", body = Vec<ServiceView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(search): ApiQuery<Search>,
) -> Result<Json<Vec<ServiceView>>, AppError> {
    service_registry::search(&state.db, caller.lang, search.q.as_deref())
        .await
        .map(Json)
}
