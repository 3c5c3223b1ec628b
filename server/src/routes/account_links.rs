//! The links mailed to users: confirming an address and opening a case by its tracking link.
//! Both work as plain links (no JavaScript) and end in a redirect to a page.

use axum::Extension;
use axum::extract::ConnectInfo;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

use app::backend::AppState;
use app::backend::auth::request::client_info;
use app::backend::auth::{Authenticated, accounts, magic_links, sessions};
use app::backend::{citizen_filing, rating};

/// `GET /cont/confirmare/{token}` → the login page, saying whether the address was confirmed.
pub async fn verify_email(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match accounts::verify_email(&state.db, &token).await {
        Ok(()) => Redirect::to("/autentificare?confirmat=1").into_response(),
        Err(_) => Redirect::to("/autentificare?confirmat=0").into_response(),
    }
}

/// A redirect to `to` that also sets the session cookie (when there is one).
fn redirect_with_session(to: &str, session: Option<&str>, production: bool) -> Response {
    let mut res = Redirect::to(to).into_response();
    if let Some(session) = session
        && let Ok(v) = HeaderValue::from_str(&sessions::cookie(Some(session), production))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `GET /depune/confirmare/{token}` (filing without an account) → the case registered, a
/// session for it, and its receipt page.
pub async fn confirm_filing(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let client = client_info(&headers, Some(peer), state.config.trust_forwarded_for);
    match citizen_filing::confirm(&state.db, &state.config, &token, &client).await {
        Ok((case_id, session)) => redirect_with_session(
            &format!("/cazuri/{case_id}?nou=1"),
            Some(&session),
            state.config.production,
        ),
        Err(e) => {
            if !matches!(e, app::model::AppError::NotFound) {
                tracing::warn!(error = %e, "a filing could not be confirmed");
            }
            Redirect::to("/depune/confirmati?link=invalid").into_response()
        }
    }
}

/// `GET /evaluare/{token}/{score}` (one click in the answer mail) → the rating recorded and
/// the case page, where a comment can be added.
pub async fn rate_from_mail(
    State(state): State<AppState>,
    Extension(auth): Extension<Authenticated>,
    Path((token, score)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let client = client_info(&headers, Some(peer), state.config.trust_forwarded_for);
    let Ok(score) = score.parse::<i32>() else {
        return Redirect::to("/urmarire?link=invalid").into_response();
    };
    match rating::rate_from_link(
        &state.db,
        &state.config,
        auth.0.as_ref(),
        &token,
        score,
        &client,
    )
    .await
    {
        Ok((case_id, session)) => redirect_with_session(
            &format!("/cazuri/{case_id}?evaluat={score}"),
            session.as_deref(),
            state.config.production,
        ),
        Err(_) => Redirect::to("/urmarire?link=invalid").into_response(),
    }
}

/// `GET /urmarire/{token}` → a session that opens this one case, then the case page.
pub async fn open_case_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let client = client_info(&headers, Some(peer), state.config.trust_forwarded_for);
    match magic_links::open(&state.db, &state.config, &token, &client).await {
        Ok((case_id, session)) => {
            let mut res = Redirect::to(&format!("/cazuri/{case_id}")).into_response();
            if let Ok(v) =
                HeaderValue::from_str(&sessions::cookie(Some(&session), state.config.production))
            {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(_) => Redirect::to("/urmarire?link=invalid").into_response(),
    }
}
