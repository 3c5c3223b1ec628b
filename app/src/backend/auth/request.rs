//! Reading a request: the session token (cookie or `Authorization: Bearer`), the client's
//! address, and the principal the authentication layer stored in its extensions.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::HeaderMap;
use http::request::Parts;

use super::access::{Authenticated, Principal};
use super::sessions::{COOKIE, ClientInfo};
use crate::ui::prefs::cookie_value;

/// Where the token came from: a browser's cookie gets a renewed cookie; an API client a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Cookie,
    Bearer,
}

/// The session token of a request, if any (a bearer token wins over the cookie).
pub fn session_token(headers: &HeaderMap) -> Option<(String, TokenSource)> {
    if let Some(v) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let mut parts = v.splitn(2, ' ');
        if parts
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
            && let Some(t) = parts.next().map(str::trim).filter(|t| !t.is_empty())
        {
            return Some((t.to_string(), TokenSource::Bearer));
        }
    }
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| cookie_value(c, COOKIE).filter(|t| !t.is_empty()))
        .map(|t| (t.to_string(), TokenSource::Cookie))
}

/// Whether `next` is a path on this site (`/x`), never `//host` or `/\host`: the one check
/// before redirecting to a path the request named (no open redirects).
pub fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n'])
}

/// The client's address and user agent.
pub fn client_info(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> ClientInfo {
    let forwarded = trust_forwarded_for
        .then(|| {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .flatten();
    ClientInfo {
        ip: forwarded
            .or_else(|| peer.map(|p| p.ip().to_string()))
            .unwrap_or_else(|| "unknown".into()),
        user_agent: headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    }
}

/// The client of a request already split into parts (server functions).
pub fn client_of(parts: &Parts, trust_forwarded_for: bool) -> ClientInfo {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    client_info(&parts.headers, peer, trust_forwarded_for)
}

/// The principal the authentication layer found for this request.
pub fn principal_of(parts: &Parts) -> Option<Principal> {
    parts
        .extensions
        .get::<Authenticated>()
        .and_then(|a| a.0.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_wins_over_the_cookie_and_blank_values_are_ignored() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; petitio_session=fromcookie".parse().unwrap(),
        );
        assert_eq!(
            session_token(&h),
            Some(("fromcookie".into(), TokenSource::Cookie))
        );
        h.insert(http::header::AUTHORIZATION, "Bearer  abc ".parse().unwrap());
        assert_eq!(session_token(&h), Some(("abc".into(), TokenSource::Bearer)));
        h.insert(http::header::AUTHORIZATION, "Basic xyz".parse().unwrap());
        assert_eq!(
            session_token(&h),
            Some(("fromcookie".into(), TokenSource::Cookie))
        );
        h.insert(http::header::COOKIE, "petitio_session=".parse().unwrap());
        assert_eq!(session_token(&h), None);
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.1.1.1, 10.0.0.2".parse().unwrap());
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_info(&h, Some(peer), false).ip, "127.0.0.1");
        assert_eq!(client_info(&h, Some(peer), true).ip, "10.0.0.2");
    }
}
