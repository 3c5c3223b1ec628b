//! Mails to petitioners wait for the institution's hours; the receipt of a filing and mails to
//! staff do not.

use chrono::{Datelike, Timelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use app::backend::entity::{institution, mail_outbox};

use crate::accounts_support::DEMO_PASSWORD;
use crate::{app, db_test};

db_test!(mails_to_petitioners_wait_for_working_hours, |kind| {
    let app = app!(kind);
    // A window that does not hold the present moment, in Chișinău time.
    let local_hour = Utc::now()
        .with_timezone(&chrono_tz::Europe::Chisinau)
        .hour();
    let hours = if local_hour < 12 {
        "13:00-14:00"
    } else {
        "01:00-02:00"
    };
    institution::Entity::update_many()
        .col_expr(institution::Column::CitizenMailHours, Expr::value(hours))
        .exec(&app.db)
        .await
        .unwrap();
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let id = app
        .file_json(
            &citizen,
            json!({"kind": "petition", "subject": "Cantina socială din Botanica", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true}),
        )
        .await;
    let newest = |template: &'static str| {
        let db = app.db.clone();
        async move {
            mail_outbox::Entity::find()
                .filter(mail_outbox::Column::Template.eq(template))
                .order_by_desc(mail_outbox::Column::Id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let now = Utc::now();
    let receipt = newest("case_registered").await;
    // At once: already taken by the sender, or due now.
    let went = |m: &mail_outbox::Model| m.attempts > 0 || m.next_attempt_at <= Utc::now();
    assert!(went(&receipt), "the receipt goes at once");
    for body in [
        json!({"transition": "take"}),
        json!({"transition": "request_info", "reason": "Ce adresă?"}),
    ] {
        let res = app
            .post_json(
                &format!("/api/v1/cases/{id}/transitions"),
                Some(&officer),
                body,
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let asked = newest("info_requested").await;
    let local = asked
        .next_attempt_at
        .with_timezone(&chrono_tz::Europe::Chisinau);
    assert!(
        asked.next_attempt_at > now,
        "held: {}",
        asked.next_attempt_at
    );
    assert_eq!(
        (local.hour(), local.minute()),
        (if local_hour < 12 { 13 } else { 1 }, 0),
        "released at the start of the hours"
    );
    assert_ne!(local.weekday(), chrono::Weekday::Sun);
    // The petitioner's reply tells the officer at once.
    let res = app
        .post_json(
            &format!("/api/v1/cases/{id}/transitions"),
            Some(&citizen),
            json!({"transition": "citizen_reply", "note": "Str. Ismail 10."}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(went(&newest("citizen_replied").await));
    // Every mail has an HTML version with the link clickable.
    assert!(
        asked
            .body_html
            .as_deref()
            .is_some_and(|h| h.contains(&format!("/cazuri/{id}\">"))),
        "{:?}",
        asked.body_html
    );
});

db_test!(
    an_administrator_overrides_a_mail_template_checked_on_save,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let path = "/api/v1/admin/mail-templates/case_registered/ro";
        let put = |token: String, body: serde_json::Value| {
            let app = &app;
            async move { app.put_json(path, Some(&token), body).await }
        };
        let v = app.json_as(path, &admin).await;
        assert_eq!(v["overridden"], false);
        assert!(
            v["subject"]
                .as_str()
                .unwrap()
                .contains("{{ registration_number }}")
        );
        let mine = json!({"subject": "Nr. {{ registration_number }} înregistrat", "body": "Termen: {{ due }}.\n\n{{ link }}"});
        assert_eq!(put(officer.clone(), mine.clone()).await.status(), 403);
        assert_eq!(put(admin.clone(), mine.clone()).await.status(), 204);
        // A bad text is refused by field, with the line and the unknown name; the saved one stays.
        let res = put(
            admin.clone(),
            json!({"subject": "{{ numar }}", "body": "Rândul unu\n{% if %}"}),
        )
        .await;
        let (code, error, body) = crate::accounts_support::error_code(res).await;
        assert_eq!((code, error.as_str()), (422, "validation_failed"));
        assert_eq!(
            body["error"]["fields"]["subject"][0],
            "template_variable:numar"
        );
        assert_eq!(body["error"]["fields"]["body"][0], "template_syntax:2");
        assert_eq!(app.json_as(path, &admin).await["overridden"], true);
        // The next receipt uses it.
        app.file_json(
        &citizen,
        json!({"kind": "petition", "subject": "Cantina socială din Botanica", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true}),
    )
    .await;
        let mail = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Template.eq("case_registered"))
            .order_by_desc(mail_outbox::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            mail.subject.starts_with("Nr. CHI-") && mail.subject.ends_with(" înregistrat"),
            "{}",
            mail.subject
        );
        assert!(mail.body_text.starts_with("Termen: "), "{}", mail.body_text);
        // Back to the built-in text.
        let res = app
            .client
            .delete(app.url(path))
            .header("origin", &app.base)
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
        assert_eq!(app.json_as(path, &admin).await["overridden"], false);
        assert_eq!(
            app.get_with("/api/v1/admin/mail-templates/no_such/ro", &admin)
                .await
                .status(),
            404
        );
    }
);
