//! The staff queues (`GET /api/v1/cases` for staff, the `/birou` page): scope, every filter,
//! the order that puts overdue cases and the nearest terms first, and the search that folds
//! case and Romanian diacritics (legacy forms included).

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::petition_case;

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

async fn file(app: &TestApp, token: &str, kind: &str, subject: &str, body: &str) -> i64 {
    app.file_json(
        token,
        json!({"kind": kind, "subject": subject, "body": body, "consent_processing": true, "confirm_repeat": true}),
    )
    .await
}

fn numbers(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn set(app: &TestApp, id: i64, col: petition_case::Column, value: sea_orm::Value) {
    petition_case::Entity::update_many()
        .col_expr(col, Expr::value(value))
        .filter(petition_case::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

db_test!(the_queue_filters_orders_and_searches, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let a = file(
        &app,
        &citizen,
        "complaint",
        "Plîngere despre cantina socială",
        "Mâncarea vine rece de trei săptămâni.",
    )
    .await;
    let b = file(
        &app,
        &citizen,
        "petition",
        "Iluminatul din scară",
        "Becurile din scara blocului nu funcționează.",
    )
    .await;
    let c = file(
        &app,
        &citizen,
        "petition",
        "Încălzirea în școală",
        "În clase sunt 14 grade de o săptămână încoace.",
    )
    .await;
    // The institution's local date: the server counts days left and filters on it (in UTC the
    // date differs for two or three hours a day).
    let tz = app::backend::clock::time_zone(&app.demo_institution().await.timezone);
    let today = app::backend::clock::local_date(Utc::now(), tz);
    // a: overdue; b: due in 3 days; c: due in 20 days.
    set(
        &app,
        a,
        petition_case::Column::AnswerDue,
        Some(today - Duration::days(2)).into(),
    )
    .await;
    set(&app, a, petition_case::Column::Overdue, true.into()).await;
    set(
        &app,
        b,
        petition_case::Column::AnswerDue,
        Some(today + Duration::days(3)).into(),
    )
    .await;
    set(
        &app,
        c,
        petition_case::Column::AnswerDue,
        Some(today + Duration::days(20)).into(),
    )
    .await;

    let q = |query: &'static str| {
        let (app, officer) = (&app, &officer);
        async move {
            app.json_as(&format!("/api/v1/cases?{query}"), officer)
                .await
        }
    };
    let all = q("").await;
    assert_eq!(
        numbers(&all),
        [a, b, c],
        "overdue first, then the nearest term: {all}"
    );
    assert_eq!(all["items"][0]["days_left"], -2);
    assert_eq!(all["items"][0]["petitioner_name"], "Ion Popescu");
    assert_eq!(numbers(&q("overdue=true").await), [a]);
    assert_eq!(numbers(&q("due_within=5").await), [a, b]);
    assert_eq!(numbers(&q("kind=petition").await), [b, c]);
    assert_eq!(numbers(&q("status=registered").await), [a, b, c]);
    assert_eq!(numbers(&q("status=answered").await), Vec::<i64>::new());
    let tomorrow = (today + Duration::days(1)).format("%Y-%m-%d").to_string();
    let yesterday = (today - Duration::days(1)).format("%Y-%m-%d").to_string();
    assert_eq!(
        numbers(
            &app.json_as(&format!("/api/v1/cases?filed_from={tomorrow}"), &officer)
                .await
        ),
        Vec::<i64>::new()
    );
    assert_eq!(
        numbers(
            &app.json_as(
                &format!("/api/v1/cases?filed_from={yesterday}&filed_to={tomorrow}"),
                &officer
            )
            .await
        )
        .len(),
        3
    );
    assert_eq!(q("per_page=2").await["items"].as_array().unwrap().len(), 2);
    assert_eq!(numbers(&q("per_page=2&page=2").await), [c]);

    // Search: the three spellings and both forms of ş/ș, ţ/ț, any case, by prefix.
    for words in [
        "plîngere",
        "plângere",
        "plangere",
        "PLANG",
        "cantina%20sociala",
    ] {
        assert_eq!(
            numbers(
                &app.json_as(&format!("/api/v1/cases?q={words}"), &officer)
                    .await
            ),
            [a],
            "{words}"
        );
    }
    for words in [
        "%C5%9Fcoal%C4%83",
        "scoala",
        "incalzirea",
        "%C3%8Enc%C4%83lzirea",
    ] {
        assert_eq!(
            numbers(
                &app.json_as(&format!("/api/v1/cases?q={words}"), &officer)
                    .await
            ),
            [c],
            "{words}"
        );
    }
    let number = app.json_as(&format!("/api/v1/cases/{b}"), &officer).await["registration_number"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        numbers(
            &app.json_as(
                &format!("/api/v1/cases?q={}", number.to_lowercase()),
                &officer
            )
            .await
        ),
        [b]
    );
    assert_eq!(
        numbers(&q("q=popescu%20becurile").await),
        [b],
        "name and text together"
    );
    // ţ (cedilla) finds ț (comma): "funcționează".
    assert_eq!(numbers(&q("q=func%C5%A3ioneaz").await), [b]);
    assert_eq!(
        numbers(&q("q=100%25").await),
        Vec::<i64>::new(),
        "LIKE wildcards are literal"
    );

    // Mine / unassigned: the officer takes b.
    let res = app
        .post_json(
            &format!("/api/v1/cases/{b}/transitions"),
            Some(&officer),
            json!({"transition": "take"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(numbers(&q("assignee=me").await), [b]);
    assert_eq!(numbers(&q("view=mine").await), [b]);
    // The demo officer's grant names the central registry, where cases filed with "I don't
    // know" land: the two nobody took.
    assert_eq!(numbers(&q("view=unassigned").await), [a, c]);

    // On PostgreSQL the words are looked up in a trigram index.
    if app.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        use sea_orm::ConnectionTrait;
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_case_search_trgm'",
            ))
            .await
            .unwrap()
            .expect("the trigram index exists");
        let def: String = row.try_get("", "indexdef").unwrap();
        assert!(def.contains("gin_trgm_ops"), "{def}");
    }

    // Bad filters: every problem named.
    let res = app
        .get_with(
            "/api/v1/cases?due_within=-1&filed_from=03.04.2026&department_id=x&page=0",
            &officer,
        )
        .await;
    let (status, code, body) = error_code(res).await;
    assert_eq!((status, code.as_str()), (422, "validation_failed"));
    let fields = &body["error"]["fields"];
    assert_eq!(fields["due_within"][0], "due_within_range");
    assert_eq!(fields["filed_from"][0], "date_invalid");
    assert_eq!(fields["department_id"][0], "choice_invalid");
    assert_eq!(fields["page"][0], "page_range");
});

db_test!(the_queue_is_staff_only_and_within_scope, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let a = file(
        &app,
        &citizen,
        "complaint",
        "Cantina socială",
        "Mâncarea vine rece de trei săptămâni.",
    )
    .await;
    // A citizen's list is their own cases, never a queue.
    let mine = app.json_as("/api/v1/cases", &citizen).await;
    assert_eq!(numbers(&mine), [a]);
    assert!(mine["items"][0]["petitioner_name"].is_null());
    // An officer of another institution does not see it, nor find it.
    app.other_institution().await;
    let stranger = app.login("officer@other.example", DEMO_PASSWORD).await;
    assert_eq!(
        numbers(&app.json_as("/api/v1/cases", &stranger).await),
        Vec::<i64>::new()
    );
    assert_eq!(
        numbers(&app.json_as("/api/v1/cases?q=cantina", &stranger).await),
        Vec::<i64>::new()
    );
    // Nor by naming the case's department (a department outside the asker's scope).
    let department = petition_case::Entity::find_by_id(a)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .department_id
        .unwrap();
    let by_department = format!("/api/v1/cases?department_id={department}");
    assert_eq!(
        numbers(&app.json_as(&by_department, &stranger).await),
        Vec::<i64>::new()
    );
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    assert_eq!(numbers(&app.json_as(&by_department, &officer).await), [a]);
    // The page: staff see the table, a citizen is told it is for staff.
    let page = app.page_as("/birou?q=cantina", &officer).await;
    assert!(
        page.contains("Cantina socială") && page.contains("Ion Popescu"),
        "the queue lists it"
    );
    assert!(page.contains("zile rămase"), "days left in words");
    let page = app.page_as("/birou", &citizen).await;
    assert!(page.contains("Această pagină este pentru angajații instituției."));
    assert!(!page.contains("<table"), "no queue for a citizen");
    let page = app.page_as("/birou?due_within=999", &officer).await;
    assert!(
        page.contains("Scrieți un număr de zile între 0 și 366."),
        "a bad filter is named"
    );
});
