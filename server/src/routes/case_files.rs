//! `GET /fisiere/{id}`: an attachment, for whoever may see its case (404 otherwise, as for a
//! file that does not exist). Always offered as a download, in a sandbox, never sniffed.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use app::backend::AppState;
use app::backend::attachments;
use app::backend::auth::Authenticated;
use app::model::AppError;

/// `filename*` in RFC 5987 form (UTF-8, percent-encoded), with an ASCII fallback.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

pub async fn download(
    State(state): State<AppState>,
    Extension(auth): Extension<Authenticated>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (row, bytes) =
        attachments::open(&state.db, &state.config.attachments, auth.0.as_ref(), id).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&row.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition(&row.file_name)) {
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
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_quoted_safely_and_kept_in_utf8() {
        assert_eq!(
            super::disposition("cerere \"x\".pdf"),
            "attachment; filename=\"cerere _x_.pdf\"; filename*=UTF-8''cerere%20%22x%22.pdf"
        );
        assert_eq!(
            super::disposition("plângere.pdf"),
            "attachment; filename=\"pl_ngere.pdf\"; filename*=UTF-8''pl%C3%A2ngere.pdf"
        );
    }
}
