use axum::extract::State;
use axum::http::StatusCode;

use app::backend::AppState;

/// `GET /healthz`: `200 ok` when the database answers, `503` otherwise.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
