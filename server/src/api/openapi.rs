//! The OpenAPI 3.1 document of the JSON API (`GET /api/v1/openapi.json`), generated from the
//! handlers' `#[utoipa::path]` attributes and the types they take and give: the API's router is
//! built from the same list (see [`super::router`]), so a route cannot be served undocumented.
//! Every operation also lists the error answers the API's one error shape can take.

use serde::Serialize;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, RefOr, ResponseBuilder};
use utoipa::{Modify, PartialSchema, ToSchema};

/// The API's error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `validation_failed`, `not_found`, `forbidden`, `unauthorized`, `conflict`,
    /// `transition_not_allowed`, `rate_limited`, `payload_too_large`, `bad_request`,
    /// `unavailable`, `internal`.
    pub code: String,
    pub message: String,
    /// Per field, the codes of what is wrong with it (validation errors).
    pub fields: std::collections::BTreeMap<String, Vec<String>>,
}

/// `{revoked}`: how many sessions or links were revoked.
#[derive(Serialize, ToSchema)]
pub struct Revoked {
    pub revoked: u64,
}

/// `{id}` of what was created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The errors any operation may answer, with the status each has.
const ERRORS: [(&str, &str); 8] = [
    (
        "400",
        "Malformed request (bad JSON, wrong content type, bad path or query)",
    ),
    ("401", "Not signed in, or the session ended"),
    ("403", "Signed in, but not allowed"),
    ("404", "Not found, or not visible to the caller"),
    (
        "409",
        "Conflict: the case changed meanwhile, or the transition is not allowed now",
    ),
    ("413", "The body is over the size limit"),
    ("422", "Validation failed: `fields` names each bad field"),
    (
        "429",
        "Too many requests: `Retry-After` says when to try again",
    ),
];

/// Adds the error answers to every operation, the `503` of a database that does not answer,
/// and the two ways to authenticate (bearer token, session cookie).
pub struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, doc: &mut OpenApi) {
        let error = || {
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "ErrorBody",
                ))))
                .build()
        };
        let add = |op: &mut Operation| {
            for (status, what) in ERRORS
                .iter()
                .chain(&[("503", "The database does not answer; try again")])
            {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(*what)
                                .content("application/json", error())
                                .build(),
                        )
                    });
            }
        };
        for item in doc.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add(op);
            }
        }
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("petitio_session"))),
        );
        components
            .schemas
            .insert("ErrorBody".into(), ErrorBody::schema());
        let mut more = Vec::new();
        ErrorBody::schemas(&mut more);
        for (name, schema) in more {
            components.schemas.entry(name).or_insert(schema);
        }
    }
}
