//! Cross-site request forgery: a state-changing request (anything but GET, HEAD, OPTIONS) must
//! come from this site. Browsers say where a request comes from in `Origin` (every modern
//! browser sends it on POST, form posts without JavaScript included) or `Referer`, and in
//! `Sec-Fetch-Site`; a request from another site is refused with 403. A request with neither
//! header is a script or API client, which cannot ride on a victim's cookie: it passes only
//! when it carries no session cookie.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, header};

use app::backend::AppState;
use app::backend::auth::sessions::COOKIE;
use app::model::AppError;
use app::ui::prefs::cookie_value;

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<&str> {
    let rest_start = url.find("://")? + 3;
    let end = url[rest_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| rest_start + i);
    Some(&url[..end])
}

/// Whether `origin` is this site: the configured public URL, or the host the request was sent to.
fn is_own(origin: &str, public_url: &str, headers: &HeaderMap) -> bool {
    if origin_of(public_url).is_some_and(|o| o.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Some((_, rest)) = origin.split_once("://") else {
        return false;
    };
    rest.eq_ignore_ascii_case(host)
}

pub fn allowed(method: &Method, headers: &HeaderMap, public_url: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && (site == "cross-site" || site == "same-site")
    {
        return false;
    }
    if let Some(origin) = text(header::ORIGIN) {
        return origin != "null" && is_own(origin, public_url, headers);
    }
    if let Some(referer) = text(header::REFERER) {
        return origin_of(referer).is_some_and(|o| is_own(o, public_url, headers));
    }
    let has_session_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| cookie_value(c, COOKIE).is_some_and(|v| !v.is_empty()));
    !has_session_cookie
}

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Open311 authenticates by the `api_key` in the body and never by a cookie: a request
    // from another site gains nothing a direct one would not (and reporting apps run there).
    if req.uri().path().starts_with("/open311/")
        || allowed(req.method(), req.headers(), &state.config.public_url)
    {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        "cross-site request refused"
    );
    AppError::Forbidden.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        m
    }

    const PUBLIC: &str = "https://petitii.example.md";

    #[test]
    fn reads_pass_and_own_origin_posts_pass() {
        assert!(allowed(
            &Method::GET,
            &h(&[("origin", "https://evil.example")]),
            PUBLIC
        ));
        assert!(allowed(&Method::POST, &h(&[("origin", PUBLIC)]), PUBLIC));
        assert!(allowed(
            &Method::POST,
            &h(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            PUBLIC
        ));
        assert!(allowed(
            &Method::POST,
            &h(&[("referer", "https://petitii.example.md/autentificare?x=1")]),
            PUBLIC
        ));
    }

    #[test]
    fn foreign_origins_and_cookie_posts_without_origin_are_refused() {
        let cookie = ("cookie", "petitio_session=abc");
        assert!(!allowed(
            &Method::POST,
            &h(&[("origin", "https://evil.example"), cookie]),
            PUBLIC
        ));
        assert!(!allowed(
            &Method::POST,
            &h(&[("origin", "null"), cookie]),
            PUBLIC
        ));
        assert!(!allowed(
            &Method::POST,
            &h(&[("origin", "https://petitii.example.md.evil.example")]),
            PUBLIC
        ));
        assert!(!allowed(
            &Method::DELETE,
            &h(&[("referer", "https://evil.example/x")]),
            PUBLIC
        ));
        assert!(!allowed(
            &Method::POST,
            &h(&[("sec-fetch-site", "cross-site"), ("origin", PUBLIC)]),
            PUBLIC
        ));
        assert!(!allowed(&Method::POST, &h(&[cookie]), PUBLIC));
        // An API client without a cookie (bearer token or none) is not a forgery.
        assert!(allowed(
            &Method::POST,
            &h(&[("authorization", "Bearer x")]),
            PUBLIC
        ));
    }
}
