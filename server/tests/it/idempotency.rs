//! `Idempotency-Key` on `POST /api/v1/cases`: a client that retries a filing (sequentially, or
//! several times at once) gets one case and one receipt mail; the key reused with another body
//! is refused; a malformed key is a bad request.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{mail_outbox, petition_case};

use crate::accounts_support::error_code;
use crate::helpers::TestApp;
use crate::{app, db_test};

fn body(subject: &str) -> Value {
    json!({
        "kind": "petition",
        "subject": subject,
        "body": "Becurile din scara blocului nu funcționează de o lună.",
        "consent_processing": true,
    })
}

async fn post(app: &TestApp, token: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/cases"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn cases_of(app: &TestApp, subject: &str) -> u64 {
    petition_case::Entity::find()
        .filter(petition_case::Column::Subject.eq(subject))
        .count(&app.db)
        .await
        .unwrap()
}

db_test!(a_filing_retried_with_its_key_files_once, |kind| {
    let app = app!(kind);
    let token = app.citizen("maria@example.md").await;

    // One after the other: the same receipt.
    let first = post(&app, &token, "retry-1", &body("Iluminatul din scară")).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post(&app, &token, "retry-1", &body("Iluminatul din scară")).await;
    assert_eq!(again.status(), 201);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first, "the first request's receipt");
    assert_eq!(cases_of(&app, "Iluminatul din scară").await, 1);

    // Six at once with one key: one case, every answer its receipt.
    let burst = body("Apa caldă lipsește");
    let one = || async {
        let res = post(&app, &token, "burst-1", &burst).await;
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    };
    let (a, b, c, d, e, f) = tokio::join!(one(), one(), one(), one(), one(), one());
    let ids = [a, b, c, d, e, f];
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(cases_of(&app, "Apa caldă lipsește").await, 1);
    // One receipt mail for it.
    let receipts = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::CaseId.eq(ids[0]))
        .filter(mail_outbox::Column::Template.eq("case_registered"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(receipts, 1);

    // The key with another body: refused, nothing filed.
    let (status, code, _) = error_code(post(&app, &token, "retry-1", &body("Altceva")).await).await;
    assert_eq!((status, code.as_str()), (409, "conflict"));
    assert_eq!(cases_of(&app, "Altceva").await, 0);

    // Another citizen's same key is their own.
    let other = app.citizen("ion@example.md").await;
    let res = post(&app, &other, "retry-1", &body("Iluminatul din scară")).await;
    assert_eq!(res.status(), 201);
    assert_eq!(cases_of(&app, "Iluminatul din scară").await, 2);

    // A malformed key.
    let long = "k".repeat(201);
    for key in [long.as_str(), "două cuvinte"] {
        let res = app
            .client
            .post(app.url("/api/v1/cases"))
            .bearer_auth(&token)
            .header("idempotency-key", key)
            .json(&body("Cheie greșită"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{key}");
    }
    assert_eq!(cases_of(&app, "Cheie greșită").await, 0);
});

/// The `submission_id` the filing page rendered into its form.
async fn rendered_token(app: &TestApp, token: &str) -> String {
    let page = app.page_as("/depune", token).await;
    let at = page
        .find("name=\"submission_id\" value=\"")
        .expect("the form carries a submission token");
    let rest = &page[at + "name=\"submission_id\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

db_test!(the_filing_form_sent_twice_files_once, |kind| {
    let app = app!(kind);
    let token = app.citizen("maria@example.md").await;
    let submission = rendered_token(&app, &token).await;
    assert_eq!(submission.len(), 32, "{submission}");
    assert_ne!(
        rendered_token(&app, &token).await,
        submission,
        "one per page"
    );
    let send = |subject: &'static str| {
        let (app, token, submission) = (&app, &token, &submission);
        async move {
            let fields = [
                ("kind", "petition"),
                ("subject", subject),
                (
                    "body",
                    "Becurile din scara blocului nu funcționează de o lună.",
                ),
                ("consent_processing", "on"),
                ("submission_id", submission.as_str()),
            ];
            let res = app
                .post_form("/api/file_case", Some(token), "/depune", &fields, &[])
                .await;
            assert_eq!(res.status(), 302);
            res.headers()["location"].to_str().unwrap().to_string()
        }
    };
    // A double click without JavaScript: both land on the one case's receipt.
    let (a, b) = tokio::join!(send("Liftul"), send("Liftul"));
    assert!(a.starts_with("/cazuri/") && a.ends_with("?nou=1"), "{a}");
    assert_eq!(a, b);
    let again = send("Liftul").await;
    assert_eq!(again, a);
    assert_eq!(cases_of(&app, "Liftul").await, 1);
    // Back to the page, changed, sent again with the same token: a new petition.
    let other = send("Interfonul").await;
    assert_ne!(other, a);
    assert_eq!(cases_of(&app, "Interfonul").await, 1);
});
