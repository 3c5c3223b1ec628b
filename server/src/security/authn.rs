//! Authentication: the session token of a request (cookie or bearer) becomes the principal in
//! the request's extensions. A token near the end of its life comes back renewed (a new
//! cookie, or the `x-session-token` header for API clients); a dead cookie is cleared. The
//! request is then served with its client's address at hand for the audit trail.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};

use app::backend::auth::request::{TokenSource, client_info, session_token};
use app::backend::auth::sessions;
use app::backend::auth::{Authenticated, Principal};
use app::backend::{AppState, audit};

/// Response header carrying a renewed token to an API client.
pub const RENEWED_TOKEN_HEADER: &str = "x-session-token";

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut set_cookie = None;
    let mut renewed_bearer = None;
    let principal: Option<Principal> = match session_token(req.headers()) {
        None => None,
        Some((token, source)) => {
            match sessions::authenticate(
                &state.db,
                &state.config.jwt_secret.0,
                &token,
                chrono::Utc::now(),
            )
            .await
            {
                Ok(Some(found)) => {
                    if let Some(renewed) = found.renewed {
                        match source {
                            TokenSource::Cookie => {
                                set_cookie =
                                    Some(sessions::cookie(Some(&renewed), state.config.production))
                            }
                            TokenSource::Bearer => renewed_bearer = Some(renewed),
                        }
                    }
                    Some(found.principal)
                }
                Ok(None) => {
                    if source == TokenSource::Cookie {
                        set_cookie = Some(sessions::cookie(None, state.config.production));
                    }
                    None
                }
                Err(e) => return e.into_response(),
            }
        }
    };
    req.extensions_mut().insert(Authenticated(principal));
    // The address the audit trail records with what this request does.
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client_info(req.headers(), peer, state.config.trust_forwarded_for).ip;
    req.extensions_mut().insert(audit::ClientIp(ip.clone()));
    let mut res = audit::with_client_ip(ip, next.run(req)).await;
    // A handler that set the session cookie itself (login, logout) has the last word.
    let handler_set_it = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(sessions::COOKIE.as_bytes()));
    if let Some(c) = set_cookie.filter(|_| !handler_set_it)
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Some(t) = renewed_bearer
        && let Ok(v) = HeaderValue::from_str(&t)
    {
        res.headers_mut().insert(RENEWED_TOKEN_HEADER, v);
    }
    res
}
