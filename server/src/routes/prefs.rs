//! Language and text-size preferences for browsers without JavaScript: set a cookie, go back.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::backend::AppState;
use app::i18n::{LANG_COOKIE, Lang};
use app::ui::prefs::TEXT_COOKIE;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct TextSize {
    large: Option<String>,
    next: Option<String>,
}

/// Only paths on this site: `/x`, never `//host` or `/\host` (open redirects).
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| app::backend::auth::request::is_local_path(n))
        .unwrap_or("/")
}

fn with_cookie(state: &AppState, name: &str, value: &str, next: Option<&str>) -> Response {
    let secure = if state.config.production {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax{secure}");
    let mut res = Redirect::to(safe_next(next)).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `GET /prefs/lang/{code}?next=/path`
pub async fn set_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    with_cookie(&state, LANG_COOKIE, lang.code(), q.next.as_deref())
}

/// `POST /prefs/text-size` with `large=1|0` and `next`.
pub async fn set_text_size(State(state): State<AppState>, Form(f): Form<TextSize>) -> Response {
    let value = if f.large.as_deref() == Some("1") {
        "large"
    } else {
        "normal"
    };
    with_cookie(&state, TEXT_COOKIE, value, f.next.as_deref())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            safe_next(Some("/accesibilitate?x=1")),
            "/accesibilitate?x=1"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
