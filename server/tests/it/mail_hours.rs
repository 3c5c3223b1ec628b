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
