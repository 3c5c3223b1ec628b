//! The JSON API (`/api/v1`): thin handlers over the same service layer as the pages. Errors
//! have one shape, `{"error": {"code", "message", "fields"}}`, with the matching status.

pub mod admin;
pub mod auth;
pub mod cases;
pub mod metrics;
pub mod services;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::routing::{delete, get, post, put};

use app::backend::AppState;
use app::backend::auth::request::{client_of, principal_of};
use app::backend::auth::{ClientInfo, Principal};
use app::i18n::Lang;
use app::model::AppError;

/// A JSON body; a malformed one answers in the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// The principal of the request (`None`: anonymous) and the client's address.
pub struct Caller {
    pub principal: Option<Principal>,
    pub client: ClientInfo,
    /// From `Accept-Language` (labels in answers); Romanian by default.
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Caller {
            principal: principal_of(parts),
            client: client_of(parts, state.config.trust_forwarded_for),
            lang: parts
                .headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
                .unwrap_or_default(),
        })
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/register", post(auth::register))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/logout-all", post(auth::logout_all))
        .route("/auth/me", get(auth::me))
        .route(
            "/auth/me/mail-preference",
            get(auth::mail_preference).put(auth::set_mail_preference),
        )
        .route("/auth/verify", post(auth::verify))
        .route("/auth/password/forgot", post(auth::forgot_password))
        .route("/auth/password/reset", post(auth::reset_password))
        .route("/auth/password/change", post(auth::change_password))
        .route("/auth/case-link", post(auth::request_case_link))
        .route("/services", get(services::list))
        .route("/metrics", get(metrics::get))
        .route("/metrics.csv", get(metrics::get_csv))
        .route("/exports/cases.csv", get(metrics::cases_csv))
        .route("/public/statistics.json", get(metrics::public_json))
        .route("/public/statistics.csv", get(metrics::public_csv))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/{id}", get(cases::get))
        .route("/cases/{id}/links", delete(cases::revoke_links))
        .route("/cases/{id}/transitions", post(cases::transition))
        .route("/cases/{id}/rating", post(cases::rate))
        .route("/cases/{id}/attachments", post(cases::add_attachments))
        .route("/admin/users", post(admin::invite))
        .route("/admin/users/{id}/roles", put(admin::set_roles))
        .route(
            "/admin/mail-templates/{template}/{lang}",
            get(admin::get_template)
                .put(admin::put_template)
                .delete(admin::delete_template),
        )
        .fallback(|| async { AppError::NotFound })
}
