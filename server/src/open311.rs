//! Open311 GeoReport v2 at `/open311/v2`: thin handlers over `app::backend::open311`. Every
//! path ends in `.json` or `.xml`, which chooses the format of the answer and of its errors
//! (`[{"code", "description"}]` / `<errors><error>…</error></errors>`, the HTTP status equal
//! to the code). Bodies are limited as the JSON API's (axum's default, 2 MB).

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use app::backend::AppState;
use app::backend::open311::{self, Document, Failure};
use app::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// `name.json` → `(name, Json)`; an unknown extension is `None`.
fn split(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((name, format))
}

fn render(format: Format, status: StatusCode, doc: &Document) -> Response {
    let (content_type, body) = match format {
        Format::Json => ("application/json; charset=utf-8", doc.to_json()),
        Format::Xml => ("text/xml; charset=utf-8", doc.to_xml()),
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn failure(format: Format, f: &Failure) -> Response {
    let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = render(format, status, &f.document());
    if let Some(secs) = f.retry_after_secs
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

fn answer(format: Format, ok: StatusCode, result: Result<Document, Failure>) -> Response {
    match result {
        Ok(doc) => render(format, ok, &doc),
        Err(f) => failure(format, &f),
    }
}

/// A path without `.json` or `.xml`: 404, in JSON.
fn unknown_format() -> Response {
    failure(
        Format::Json,
        &Failure::new(404, "not found: Open311 paths end in .json or .xml"),
    )
}

fn lang(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or_default()
}

type Pairs = Vec<(String, String)>;

fn query_params(query: Result<Query<Pairs>, QueryRejection>) -> Result<Pairs, Failure> {
    query
        .map(|Query(p)| p)
        .map_err(|e| Failure::new(400, e.body_text()))
}

/// `GET /discovery|services|requests.{json,xml}`.
async fn top_get(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Response {
    let Some((name, format)) = split(&file) else {
        return unknown_format();
    };
    let lang = lang(&headers);
    let result = match name {
        "discovery" => open311::discovery(&state.db, &state.config, lang).await,
        "services" => open311::services(&state.db, lang).await,
        "requests" => match query_params(query) {
            Ok(params) => open311::list_requests(&state.db, &state.config, &params, lang).await,
            Err(f) => Err(f),
        },
        _ => Err(Failure::new(404, "not found")),
    };
    answer(format, StatusCode::OK, result)
}

/// `POST /requests.{json,xml}` (`application/x-www-form-urlencoded`; `api_key` may also come
/// in the query string).
async fn top_post(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Pairs>, QueryRejection>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Response {
    let Some((name, format)) = split(&file) else {
        return unknown_format();
    };
    if name != "requests" {
        let known = matches!(name, "discovery" | "services");
        return failure(
            format,
            &if known {
                Failure::new(405, "method not allowed: only requests takes a POST")
            } else {
                Failure::new(404, "not found")
            },
        );
    }
    let mut params = match query_params(query) {
        Ok(p) => p,
        Err(f) => return failure(format, &f),
    };
    match form {
        Ok(Form(body)) => params.extend(body),
        Err(e) => {
            let f = match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => Failure::new(413, "the request is too large"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => Failure::new(
                    400,
                    "expected a form body (Content-Type: application/x-www-form-urlencoded)",
                ),
                _ => Failure::new(400, e.body_text()),
            };
            return failure(format, &f);
        }
    }
    let lang = lang(&headers);
    let result = open311::create_request(&state.db, &state.config, &params, lang).await;
    answer(format, StatusCode::CREATED, result)
}

/// `GET /services/{code}.{json,xml}`: the service definition.
async fn service_definition(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((code, format)) = split(&file) else {
        return unknown_format();
    };
    answer(
        format,
        StatusCode::OK,
        open311::service_definition(&state.db, code, lang(&headers)).await,
    )
}

/// `GET /requests/{id}.{json,xml}` (`api_key` optional: a client also sees its own filings).
async fn request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Response {
    let Some((id, format)) = split(&file) else {
        return unknown_format();
    };
    let result = match query_params(query) {
        Ok(params) => {
            open311::get_request(&state.db, &state.config, id, &params, lang(&headers)).await
        }
        Err(f) => Err(f),
    };
    answer(format, StatusCode::OK, result)
}

/// `GET /tokens/{token}.{json,xml}`.
async fn token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, format)) = split(&file) else {
        return unknown_format();
    };
    answer(
        format,
        StatusCode::OK,
        open311::token(&state.db, token).await,
    )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{file}", get(top_get).post(top_post))
        .route("/services/{file}", get(service_definition))
        .route("/requests/{file}", get(request))
        .route("/tokens/{file}", get(token))
        .fallback(|| async { unknown_format() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(split("services.json"), Some(("services", Format::Json)));
        assert_eq!(
            split("CHI-2026-000001.xml"),
            Some(("CHI-2026-000001", Format::Xml))
        );
        assert_eq!(split("a.b.json"), Some(("a.b", Format::Json)));
        assert_eq!(split("services.csv"), None);
        assert_eq!(split("services"), None);
    }
}
