//! Server functions of the managers' dashboard.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::metrics::{Indicators, MetricsChoices, MetricsQuery};

/// The indicators of `query`, and what the dashboard's form offers.
#[server(endpoint = "metrics")]
pub async fn get_metrics(
    // The default period and scope send no fields at all.
    #[server(default)] query: MetricsQuery,
    lang: Lang,
) -> Result<(Indicators, MetricsChoices), AppError> {
    use crate::backend::auth::access::require_account;
    use crate::backend::metrics;
    let state = super::state()?;
    let principal = super::principal()?;
    let account = require_account(principal.as_ref())?;
    let indicators = metrics::kept_indicators(&state, account, &query, lang).await?;
    let choices = metrics::choices(&state.db, lang).await?;
    Ok((indicators, choices))
}

/// Each institution's public statistics over the period of `query` (anyone).
#[server(endpoint = "public_statistics")]
pub async fn get_public_statistics(
    #[server(default)] query: MetricsQuery,
    lang: Lang,
) -> Result<Vec<crate::model::metrics::PublicStatistics>, AppError> {
    let state = super::state()?;
    crate::backend::metrics::public_statistics(
        &state.db,
        &state.cache,
        &query,
        state.config.clock.now(),
        lang,
    )
    .await
}
