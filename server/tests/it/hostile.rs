//! Hostile input: each answer asserted exactly, never a 5xx. Malformed, mis-typed, invalid
//! UTF-8 and deeply nested JSON; ids over `i64` in URLs; script payloads in a case's texts,
//! rendered escaped on the officer's and the citizen's pages; a formula in a subject,
//! neutralised in the CSV export; SQL metacharacters in a search; line breaks in a name that
//! would end up in a mail header.

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use app::backend::entity::petition_case;

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

async fn raw_post(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

db_test!(
    malformed_bodies_and_ids_are_bad_requests_in_the_error_shape,
    |kind| {
        let app = app!(kind);
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let json = "application/json";
        // In a field the body does not know (skipped, yet parsed): the parser's depth limit.
        let nested = format!(
            "{{\"kind\": \"petition\", \"extra\": {}1{}}}",
            "{\"a\":".repeat(5000),
            "}".repeat(5000)
        );
        let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
            (
                "truncated JSON",
                json,
                b"{\"kind\": \"petition\", \"sub".to_vec(),
                400,
                "bad_request",
            ),
            (
                "invalid UTF-8",
                json,
                b"{\"kind\": \"petition\", \"subject\": \"\xff\xfe\"}".to_vec(),
                400,
                "bad_request",
            ),
            (
                "nested 5,000 deep",
                json,
                nested.into_bytes(),
                422,
                "validation_failed",
            ),
            (
                "a number for a text",
                json,
                br#"{"kind": 7, "subject": "s", "body": "b"}"#.to_vec(),
                422,
                "validation_failed",
            ),
            (
                "not JSON at all",
                "text/plain",
                b"kind=petition".to_vec(),
                400,
                "bad_request",
            ),
        ];
        for (what, ct, body, status, code) in cases {
            let (got, got_code, _) = error_code(raw_post(&app, &token, ct, body).await).await;
            assert_eq!((got, got_code.as_str()), (status, code), "{what}");
        }
        for path in [
            "/api/v1/cases/99999999999999999999999999",
            "/api/v1/cases/-1x",
            "/api/v1/admin/webhooks/1e999",
        ] {
            let res = app.get_with(path, &token).await;
            let (status, code, _) = error_code(res).await;
            assert_eq!((status, code.as_str()), (400, "bad_request"), "{path}");
        }
        // An overlong id in a page's address: the 404 page, not an error.
        let long = format!("/cazuri/{}", "9".repeat(10_000));
        let res = app
            .client
            .get(app.url(&long))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(
            res.status() == 404 || res.status() == 414,
            "{}",
            res.status()
        );
    }
);

db_test!(
    script_payloads_are_escaped_on_every_page_and_formulas_neutralised_in_csv,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let subject = "=cmd|' /C calc'!A0 <script>alert('s')</script>";
        let body =
            "<img src=x onerror=alert('b')> și \"ghilimele\" </textarea><script>alert(2)</script>";
        let id = app
        .file_json(
            &citizen,
            json!({"kind": "petition", "subject": subject, "body": body, "consent_processing": true, "confirm_repeat": true}),
        )
        .await;
        // Stored as sent.
        let case = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        assert_eq!(case["subject"], subject);
        assert_eq!(case["body"], body);
        // Rendered escaped for the citizen and for staff.
        for (who, token, path) in [
            ("citizen", &citizen, format!("/cazuri/{id}")),
            ("manager", &manager, format!("/cazuri/{id}")),
            ("manager's queue", &manager, "/birou?view=all".to_string()),
        ] {
            let html = app.page_as(&path, token).await;
            assert!(!html.contains("<script>alert"), "{who}: a raw script");
            assert!(!html.contains("<img src=x"), "{who}: a raw image");
            assert!(
                html.contains("&lt;script&gt;alert") || html.contains("&lt;script>alert"),
                "{who}: the text shown, escaped"
            );
        }
        // The CSV of cases: the formula is a text.
        let csv = app
            .page_as("/api/v1/exports/cases.csv?status=all", &manager)
            .await;
        let line = csv.lines().find(|l| l.contains("cmd|")).unwrap();
        assert!(line.contains("'=cmd|"), "{line}");
        assert!(
            !line.contains(",=cmd|") && !line.contains("\"=cmd|"),
            "{line}"
        );
    }
);

db_test!(
    sql_metacharacters_search_as_text_and_names_cannot_add_mail_headers,
    |kind| {
        let app = app!(kind);
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        app.file_json(
            &citizen,
            json!({"kind": "petition", "subject": "Iluminatul din scară", "body": "Becurile din scara blocului nu funcționează de o lună.", "consent_processing": true}),
        )
        .await;
        let before = petition_case::Entity::find().count(&app.db).await.unwrap();
        for q in [
            "'; DROP TABLE petition_case; --",
            "%' OR '1'='1",
            "\\\" OR 1=1 --",
            "ș_%",
        ] {
            let res = app
                .client
                .get(app.url("/api/v1/cases"))
                .query(&[("q", q), ("view", "all")])
                .bearer_auth(&manager)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{q}");
            let page: Value = res.json().await.unwrap();
            assert_eq!(page["total"], 0, "{q} finds nothing");
        }
        // The table is still there, with its case.
        let left = petition_case::Entity::find().count(&app.db).await.unwrap();
        assert_eq!((before, left), (1, 1));

        // A name with a line break and a header after it; one that reads backwards.
        for (n, name) in ["Ion\r\nBcc: victim@example.md", "Ion \u{202E}ucserpoP"]
            .into_iter()
            .enumerate()
        {
            let res = app
                .post_json(
                    "/api/v1/auth/register",
                    None,
                    json!({"email": format!("hdr{n}@example.md"), "password": "a long enough password", "full_name": name}),
                )
                .await;
            let (status, code, body) = error_code(res).await;
            assert_eq!(
                (status, code.as_str()),
                (422, "validation_failed"),
                "{body}"
            );
            assert_eq!(
                body["error"]["fields"]["full_name"],
                json!(["full_name_chars"]),
                "{body}"
            );
        }
    }
);
