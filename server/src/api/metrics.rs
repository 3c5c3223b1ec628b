//! `GET /api/v1/metrics`: the managers' indicators of a period and scope.

use axum::Json;
use axum::extract::{Query, State};

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::metrics;
use app::model::AppError;
use app::model::metrics::{Indicators, MetricsQuery};

use super::Caller;

/// `GET /api/v1/metrics?from=&to=&institution_id=&department_id=&assignee_id=&category_id=
/// &service_id=&kind=&channel=` (managers and administrators): every indicator, the weeks, the
/// departments and the officers. Dates are `YYYY-MM-DD` in the institution's time zone; the
/// default period is the 12 weeks up to today.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<Indicators>, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    metrics::indicators(
        &state.db,
        account,
        &query,
        state.config.clock.now(),
        caller.lang,
    )
    .await
    .map(Json)
}
