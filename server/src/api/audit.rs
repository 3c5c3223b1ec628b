//! `GET /api/v1/admin/audit` and `GET /api/v1/admin/audit.csv`: the audit trail for
//! administrators (an institution's administrator sees their institution's chain).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

use app::backend::{AppState, audit_admin};
use app::model::AppError;
use app::model::audit::{AuditFilter, AuditPage};

use super::{ApiQuery, Caller};

/// `GET /api/v1/admin/audit?case_id=&actor_id=&action=&from=&to=&institution_id=&before=&limit=`
/// (administrators): the records, newest first; `next_before` continues with older ones.
#[utoipa::path(get, path = "/admin/audit", tag = "admin", params(AuditFilter), responses((status = 200, description = "The audit records the filter selects in the caller's chains, newest first", body = AuditPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Result<Json<AuditPage>, AppError> {
    audit_admin::page(&state.db, caller.principal.as_ref(), &filter)
        .await
        .map(Json)
}

/// `GET /api/v1/admin/audit.csv?…` (the same filters; `before` and `limit` are ignored): every
/// record the filter selects, newest first, streamed in batches.
#[utoipa::path(get, path = "/admin/audit.csv", tag = "admin", params(AuditFilter), responses((status = 200, description = "Every audit record the filter selects, newest first, streamed as CSV", content_type = "text/csv", body = String)))]
pub async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(mut filter): ApiQuery<AuditFilter>,
) -> Result<Response, AppError> {
    filter.before = None;
    filter.limit = None;
    let (cond, _) = audit_admin::selection(&state.db, caller.principal.as_ref(), &filter).await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        if tx.send(Ok(audit_admin::csv_header())).await.is_err() {
            return;
        }
        let mut before = None;
        loop {
            match audit_admin::csv_batch(&db, &cond, before).await {
                Ok((_, None)) => break,
                Ok((bytes, Some(last))) => {
                    before = Some(last);
                    // The client went away: stop reading.
                    if tx.send(Ok(bytes)).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "an audit export stopped");
                    let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                    break;
                }
            }
        }
    });
    let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"jurnal-audit.csv\""),
    );
    Ok(res)
}
