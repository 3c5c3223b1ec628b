//! `GET /cont/date.zip`: the signed-in user's data export (the account page links to it; a plain
//! link, no JavaScript), and the answer both it and `GET /api/v1/me/export` give: the zip
//! streamed from its temporary file.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use app::backend::AppState;
use app::backend::auth::Authenticated;
use app::backend::data_rights::{self, Export};
use app::model::AppError;

/// Bytes read from the file at a time.
const CHUNK: usize = 64 * 1024;

/// The zip as a download, streamed in chunks (the file was written before; nothing is held in
/// memory), never cached.
pub fn zip_response(export: Export) -> Response {
    let mut file = tokio::fs::File::from_std(export.file);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        loop {
            let mut chunk = vec![0u8; CHUNK];
            match file.read(&mut chunk).await {
                Ok(0) => break,
                Ok(n) => {
                    chunk.truncate(n);
                    // The client went away: stop reading.
                    if tx.send(Ok(chunk)).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a data export stopped");
                    let _ = tx.send(Err(e)).await;
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
        HeaderValue::from_static("application/zip"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(export.size));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", export.file_name))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

pub async fn download(
    State(state): State<AppState>,
    Extension(auth): Extension<Authenticated>,
) -> Result<Response, AppError> {
    if auth.0.as_ref().and_then(|p| p.account()).is_none() {
        return Ok(Redirect::to("/autentificare?next=/cont").into_response());
    }
    let export = data_rights::export(
        &state.db,
        &state.config.attachments,
        auth.0.as_ref(),
        state.config.clock.now(),
    )
    .await?;
    Ok(zip_response(export))
}
