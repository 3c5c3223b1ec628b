//! The JSON API (`/api/v1`): thin handlers over the same service layer as the pages. Errors
//! have one shape, `{"error": {"code", "message", "fields"}}`, with the matching status.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod categories;
pub mod data_rights;
pub mod metrics;
pub mod openapi;
pub mod org;
pub mod publication;
pub mod reference;
pub mod services;
pub mod services_admin;
pub mod webhooks;
pub mod workflow_admin;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::routing::get;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::backend::AppState;
use app::backend::auth::request::{client_of, principal_of};
use app::backend::auth::{ClientInfo, Principal};
use app::i18n::Lang;
use app::model::AppError;

/// A JSON body; a malformed one answers in the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// Path parameters; one that does not parse answers in the API's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// A query string; one that does not parse answers in the API's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

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

/// The API's routes and its OpenAPI document, from one list of handlers.
fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(Doc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::register))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::logout_all))
        .routes(routes!(auth::me))
        .routes(routes!(auth::mail_preference, auth::set_mail_preference))
        .routes(routes!(auth::verify))
        .routes(routes!(auth::forgot_password))
        .routes(routes!(auth::reset_password))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::request_case_link))
        .routes(routes!(services::list))
        .routes(routes!(reference::institutions))
        .routes(routes!(reference::categories))
        .routes(routes!(reference::workflows))
        .routes(routes!(reference::put_workflow))
        .routes(routes!(workflow_admin::list))
        .routes(routes!(workflow_admin::check))
        .routes(routes!(
            workflow_admin::get_choices,
            workflow_admin::put_choices
        ))
        .routes(routes!(metrics::get))
        .routes(routes!(metrics::get_csv))
        .routes(routes!(metrics::cases_csv))
        .routes(routes!(metrics::public_json))
        .routes(routes!(metrics::public_csv))
        .routes(routes!(cases::list, cases::create))
        .routes(routes!(cases::get))
        .routes(routes!(cases::revoke_links))
        .routes(routes!(cases::transition))
        .routes(routes!(cases::rate))
        .routes(routes!(cases::add_attachments))
        .routes(routes!(data_rights::export))
        .routes(routes!(data_rights::file_request))
        .routes(routes!(data_rights::panel, data_rights::answer))
        .routes(routes!(
            data_rights::get_retention,
            data_rights::put_retention
        ))
        .routes(routes!(
            publication::draft,
            publication::publish,
            publication::unpublish
        ))
        .routes(routes!(publication::detect))
        .routes(routes!(publication::public_list))
        .routes(routes!(publication::public_get))
        .routes(routes!(admin::list_clients, admin::issue_client))
        .routes(routes!(admin::revoke_client))
        .routes(routes!(org::list_institutions, org::create_institution))
        .routes(routes!(org::update_institution))
        .routes(routes!(org::list_departments, org::create_department))
        .routes(routes!(org::update_department))
        .routes(routes!(org::list_rules, org::create_rule))
        .routes(routes!(org::delete_rule))
        .routes(routes!(categories::list, categories::create))
        .routes(routes!(categories::update))
        .routes(routes!(categories::add_field))
        .routes(routes!(categories::update_field, categories::remove_field))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::get, webhooks::update, webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::retry))
        .routes(routes!(admin::list_users, admin::invite))
        .routes(routes!(admin::deactivate_user))
        .routes(routes!(admin::reactivate_user))
        .routes(routes!(services_admin::list, services_admin::create))
        .routes(routes!(services_admin::update))
        .routes(routes!(services_admin::deactivate))
        .routes(routes!(services_admin::reactivate))
        .routes(routes!(services_admin::export_csv))
        .routes(routes!(services_admin::import_csv))
        .routes(routes!(audit::list))
        .routes(routes!(audit::csv))
        .routes(routes!(admin::set_roles))
        .routes(routes!(
            admin::get_template,
            admin::put_template,
            admin::delete_template
        ))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Petitio",
        description = "Petitions and complaints to a city hall: filing, following, examining \
            within legal terms, and the managers' indicators. Errors have one shape, \
            `{\"error\": {\"code\", \"message\", \"fields\"}}`. Unknown fields in a JSON body \
            are ignored, except where an operation says otherwise.",
    ),
    servers((url = "/api/v1")),
    security((), ("bearer" = []), ("session_cookie" = []))
)]
struct Doc;

/// The OpenAPI document (built once).
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = documented().into_openapi();
        openapi::CommonAnswers.modify(&mut doc);
        doc
    })
}

pub fn router() -> Router<AppState> {
    let (router, _) = documented().split_for_parts();
    router
        .route(
            "/openapi.json",
            get(|| async { axum::Json(document().clone()) }),
        )
        .fallback(|| async { AppError::NotFound })
}
