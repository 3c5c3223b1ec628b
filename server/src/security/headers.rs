//! Security headers on every answer. Pages rendered by Leptos set their own
//! `Content-Security-Policy` with the nonce of their inline hydration script; everything else
//! gets the strict default below.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

use app::backend::AppState;

/// For answers that are not Leptos pages (JSON, the development mailbox, static files).
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub async fn add(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set("content-security-policy", DEFAULT_CSP);
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set("cross-origin-opener-policy", "same-origin");
    if state.config.production {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    let _ = header::CONTENT_SECURITY_POLICY;
    res
}
