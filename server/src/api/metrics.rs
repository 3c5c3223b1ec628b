//! `GET /api/v1/metrics`: the managers' indicators of a period and scope; their CSV, and the
//! CSV of a queue's cases.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

use app::backend::AppState;
use app::backend::auth::access::require_account;
use app::backend::{exports, metrics};
use app::model::AppError;
use app::model::metrics::{Indicators, MetricsQuery, PublicStatistics};
use app::model::queue::QueueFilter;

use super::{ApiQuery, Caller};

/// `GET /api/v1/metrics?from=&to=&institution_id=&department_id=&assignee_id=&category_id=
/// &service_id=&kind=&channel=` (managers and administrators): every indicator, the weeks, the
/// departments and the officers. Dates are `YYYY-MM-DD` in the institution's time zone; the
/// default period is the 12 weeks up to today.
#[utoipa::path(get, path = "/metrics", tag = "metrics", params(MetricsQuery), responses((status = 200, description = "Every indicator of the period and scope (managers and administrators)", body = Indicators)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MetricsQuery>,
) -> Result<Json<Indicators>, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    metrics::kept_indicators(&state, account, &query, caller.lang)
        .await
        .map(Json)
}

fn csv_response(body: axum::body::Body, filename: &str, rows: Option<u64>) -> Response {
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(n) = rows {
        h.insert("x-total-count", HeaderValue::from(n));
    }
    res
}

/// `GET /api/v1/metrics.csv?…` (the same query): the indicators, the departments and the
/// officers as CSV.
#[utoipa::path(get, path = "/metrics.csv", tag = "metrics", params(MetricsQuery), responses((status = 200, description = "The indicators, departments and officers as CSV", content_type = "text/csv", body = String)))]
pub async fn get_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MetricsQuery>,
) -> Result<Response, AppError> {
    let account = require_account(caller.principal.as_ref())?;
    let m = metrics::kept_indicators(&state, account, &query, caller.lang).await?;
    let name = format!("indicatori-{}-{}.csv", m.from, m.to);
    Ok(csv_response(
        axum::body::Body::from(exports::indicators_csv(&m)),
        &name,
        None,
    ))
}

/// `GET /api/v1/exports/cases.csv?<the queue's filters>` (staff): every case the filter
/// selects, streamed in batches (the header `X-Total-Count` says how many rows come).
#[utoipa::path(get, path = "/exports/cases.csv", tag = "metrics", params(QueueFilter), responses((status = 200, description = "Every case the filter selects, streamed; `X-Total-Count` gives the number of rows", content_type = "text/csv", body = String, headers(("x-total-count" = u64, description = "Rows that follow the header")))))]
pub async fn cases_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<QueueFilter>,
) -> Result<Response, AppError> {
    let today = state.local_today().await?;
    let (cond, total) =
        exports::case_selection(&state.db, caller.principal.as_ref(), &filter, today).await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let db = state.db.clone();
    let lang = caller.lang;
    tokio::spawn(async move {
        if tx.send(Ok(exports::case_header())).await.is_err() {
            return;
        }
        let mut after = 0;
        loop {
            match exports::case_batch(&db, &cond, after, lang).await {
                Ok((_, None)) => break,
                Ok((bytes, Some(last))) => {
                    after = last;
                    // The client went away: stop reading.
                    if tx.send(Ok(bytes)).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a case export stopped");
                    let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                    break;
                }
            }
        }
    });
    let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    Ok(csv_response(body, "cazuri.csv", Some(total)))
}

/// `GET /api/v1/public/statistics.json?from=&to=` (anyone): each institution's indicators over
/// the period, without personal data (no officers): open data.
#[utoipa::path(get, path = "/public/statistics.json", tag = "metrics", params(MetricsQuery), responses((status = 200, description = "Each institution's indicators over the period, without personal data (anyone)", body = Vec<PublicStatistics>)))]
pub async fn public_json(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MetricsQuery>,
) -> Result<Json<Vec<PublicStatistics>>, AppError> {
    metrics::public_statistics(
        &state.db,
        &state.cache,
        &query,
        state.config.clock.now(),
        caller.lang,
    )
    .await
    .map(Json)
}

/// `GET /api/v1/public/statistics.csv?from=&to=` (anyone): the same as CSV.
#[utoipa::path(get, path = "/public/statistics.csv", tag = "metrics", params(MetricsQuery), responses((status = 200, description = "The same as CSV (anyone)", content_type = "text/csv", body = String)))]
pub async fn public_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MetricsQuery>,
) -> Result<Response, AppError> {
    let list = metrics::public_statistics(
        &state.db,
        &state.cache,
        &query,
        state.config.clock.now(),
        caller.lang,
    )
    .await?;
    Ok(csv_response(
        axum::body::Body::from(exports::public_csv(&list)),
        "statistici.csv",
        None,
    ))
}
