//! The OpenAPI document (`/api/v1/openapi.json`): served, OpenAPI 3.1, listing exactly the
//! operations the API serves (the router and the document are built from one list of handlers;
//! this pins the list, so that adding or dropping a route is a visible change), and each
//! operation, asked anonymously and as a manager, answers with a status its document lists.

use serde_json::{Value, json};

use crate::accounts_support::DEMO_PASSWORD;
use crate::{app, db_test};

const OPERATIONS: &[&str] = &[
    "DELETE /admin/api-clients/{id}",
    "DELETE /admin/category-fields/{id}",
    "DELETE /admin/mail-templates/{template}/{lang}",
    "DELETE /admin/routing-rules/{id}",
    "DELETE /admin/webhooks/{id}",
    "DELETE /cases/{id}/links",
    "DELETE /cases/{id}/publication",
    "GET /admin/api-clients",
    "GET /admin/audit",
    "GET /admin/audit.csv",
    "GET /admin/institutions",
    "GET /admin/institutions/{id}/categories",
    "GET /admin/institutions/{id}/departments",
    "GET /admin/institutions/{id}/routing-rules",
    "GET /admin/institutions/{id}/services",
    "GET /admin/institutions/{id}/services.csv",
    "GET /admin/institutions/{id}/workflows",
    "GET /admin/mail-templates/{template}/{lang}",
    "GET /admin/retention",
    "GET /admin/users",
    "GET /admin/webhooks",
    "GET /admin/webhooks/{id}",
    "GET /admin/webhooks/{id}/deliveries",
    "GET /admin/workflows",
    "GET /auth/me",
    "GET /auth/me/mail-preference",
    "GET /cases",
    "GET /cases/{id}",
    "GET /cases/{id}/data-request",
    "GET /cases/{id}/publication",
    "GET /categories",
    "GET /exports/cases.csv",
    "GET /institutions",
    "GET /me/export",
    "GET /metrics",
    "GET /metrics.csv",
    "GET /public/cases",
    "GET /public/cases/{id}",
    "GET /public/statistics.csv",
    "GET /public/statistics.json",
    "GET /services",
    "GET /workflows",
    "PATCH /admin/webhooks/{id}",
    "POST /admin/api-clients",
    "POST /admin/categories/{id}/fields",
    "POST /admin/institutions",
    "POST /admin/institutions/{id}/categories",
    "POST /admin/institutions/{id}/departments",
    "POST /admin/institutions/{id}/routing-rules",
    "POST /admin/institutions/{id}/services",
    "POST /admin/institutions/{id}/services/import",
    "POST /admin/services/{id}/deactivate",
    "POST /admin/services/{id}/reactivate",
    "POST /admin/users",
    "POST /admin/users/{id}/deactivate",
    "POST /admin/users/{id}/reactivate",
    "POST /admin/webhooks",
    "POST /admin/webhooks/{id}/deliveries/{delivery}/retry",
    "POST /admin/workflows/check",
    "POST /auth/case-link",
    "POST /auth/login",
    "POST /auth/logout",
    "POST /auth/logout-all",
    "POST /auth/password/change",
    "POST /auth/password/forgot",
    "POST /auth/password/reset",
    "POST /auth/register",
    "POST /auth/verify",
    "POST /cases",
    "POST /cases/{id}/attachments",
    "POST /cases/{id}/data-request",
    "POST /cases/{id}/rating",
    "POST /cases/{id}/transitions",
    "POST /me/data-requests",
    "POST /redaction/detect",
    "PUT /admin/categories/{id}",
    "PUT /admin/category-fields/{id}",
    "PUT /admin/departments/{id}",
    "PUT /admin/institutions/{id}",
    "PUT /admin/institutions/{id}/workflows",
    "PUT /admin/mail-templates/{template}/{lang}",
    "PUT /admin/retention",
    "PUT /admin/services/{id}",
    "PUT /admin/users/{id}/roles",
    "PUT /auth/me/mail-preference",
    "PUT /cases/{id}/publication",
    "PUT /workflows/{name}",
];

/// `METHOD /path` of every operation in `doc`, sorted.
fn operations(doc: &Value) -> Vec<String> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                ops.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    ops.sort();
    ops
}

db_test!(
    the_document_lists_every_operation_and_each_answers_as_documented,
    |kind| {
        let app = app!(kind);
        let res = app
            .client
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let doc: Value = res.json().await.unwrap();
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        assert_eq!(doc["servers"][0]["url"], "/api/v1");
        let ops = operations(&doc);
        let mut pinned: Vec<String> = OPERATIONS.iter().map(|s| s.to_string()).collect();
        pinned.sort();
        assert_eq!(ops, pinned);
        for schema in ["ErrorBody", "CaseView", "Receipt", "Indicators", "CasePage"] {
            assert!(
                doc["components"]["schemas"][schema].is_object(),
                "{schema} is described"
            );
        }
        // Two types of one name would describe each other's answers (a schema is named after its
        // type): the public institution and the administrators' one are both there, each itself.
        let schemas = &doc["components"]["schemas"];
        assert!(
            schemas["InstitutionView"]["properties"]["departments"].is_object(),
            "{}",
            schemas["InstitutionView"]
        );
        assert!(
            schemas["InstitutionAdminView"]["properties"]["reg_prefix"].is_object(),
            "{}",
            schemas["InstitutionAdminView"]
        );

        // Each operation, anonymous and as a manager, with an empty body where it takes one: a
        // status the document lists for it, never a 5xx or a 405. Logging out comes last.
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let mut ordered = ops.clone();
        ordered.sort_by_key(|op| op.contains("/logout"));
        for op in &ordered {
            let (method, path) = op.split_once(' ').unwrap();
            let concrete = path
                .replace("{id}", "1")
                .replace("{template}", "receipt")
                .replace("{lang}", "ro")
                .replace("{name}", "md-petition");
            let documented = doc["paths"][path][method.to_lowercase()]["responses"]
                .as_object()
                .unwrap();
            for token in [None, Some(&manager)] {
                let mut req = app
                    .client
                    .request(
                        method.parse().unwrap(),
                        app.url(&format!("/api/v1{concrete}")),
                    )
                    .header("origin", &app.base);
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                if method == "POST" || method == "PUT" {
                    req = req.json(&json!({}));
                }
                let status = req.send().await.unwrap().status().as_u16();
                assert!(
                    documented.contains_key(&status.to_string()),
                    "{op} ({}) answered {status}; documented: {:?}",
                    if token.is_some() {
                        "manager"
                    } else {
                        "anonymous"
                    },
                    documented.keys().collect::<Vec<_>>()
                );
            }
        }
    }
);
