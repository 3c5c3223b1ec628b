//! The links mailed to users: confirming an address and opening a case by its tracking link.
//! Both work as plain links (no JavaScript) and end in a redirect to a page.

use axum::extract::ConnectInfo;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

use app::backend::AppState;
use app::backend::auth::request::client_info;
use app::backend::auth::{accounts, magic_links, sessions};

/// `GET /cont/confirmare/{token}` → the login page, saying whether the address was confirmed.
pub async fn verify_email(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match accounts::verify_email(&state.db, &token).await {
        Ok(()) => Redirect::to("/autentificare?confirmat=1").into_response(),
        Err(_) => Redirect::to("/autentificare?confirmat=0").into_response(),
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
