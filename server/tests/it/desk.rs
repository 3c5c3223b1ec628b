//! The officer's desk: the staff case page (terms with their computation, internal notes that
//! the petitioner never sees, related cases, one form per allowed transition), the permission
//! of each action per role, the refusal of a stale action, the checks on the choices a form
//! sends, bulk assignment, registration on the petitioner's behalf and canned answers.

use reqwest::Response;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{case_note, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

async fn file(app: &TestApp, token: &str, subject: &str) -> i64 {
    app.file_json(
        token,
        json!({"kind": "petition", "subject": subject, "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
    )
    .await
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> Response {
    app.post_json(
        &format!("/api/v1/cases/{id}/transitions"),
        Some(token),
        body,
    )
    .await
}

/// A urlencoded form post from a page of this site, as a browser without JavaScript sends it.
async fn post_urlencoded(
    app: &TestApp,
    path: &str,
    token: &str,
    referer: &str,
    fields: &[(&str, &str)],
) -> Response {
    app.client
        .post(app.url(path))
        .header("origin", &app.base)
        .header("referer", app.url(referer))
        .header("accept", "text/html")
        .bearer_auth(token)
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn location(res: &Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

db_test!(
    staff_see_the_terms_notes_and_related_cases_the_petitioner_does_not,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let first = file(&app, &citizen, "Cantina socială din Botanica").await;
        let id = file(&app, &citizen, "Iluminatul din scara blocului").await;

        let v = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        let staff = &v["staff"];
        assert_eq!(staff["petitioner_name"], "Ion Popescu");
        assert_eq!(staff["channel"], "online");
        let answer_due = staff["timers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "answer_due")
            .expect("the answer term is listed")
            .clone();
        let first_line = answer_due["explanation"][0].as_str().unwrap();
        assert!(
            first_line.starts_with("30 de zile calendaristice de la Înregistrare, "),
            "{first_line}"
        );
        let last = answer_due["explanation"]
            .as_array()
            .unwrap()
            .last()
            .unwrap();
        let due = v["answer_due"].as_str().unwrap();
        let (y, m, d) = (&due[..4], &due[5..7], &due[8..10]);
        assert!(
            last.as_str().unwrap().ends_with(&format!("{d}.{m}.{y}")),
            "the last day is the case's term: {last} vs {due}"
        );
        let related = staff["related"].as_array().unwrap();
        assert_eq!(related.len(), 1, "{related:?}");
        assert_eq!(related[0]["id"], first);
        assert_eq!(related[0]["relation"], "același petiționar");
        assert!(
            staff["officers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["label"] == "Olga Ceban"),
            "the officers of the department are offered: {}",
            staff["officers"]
        );

        // An internal note, by the plain form.
        let res = post_urlencoded(
            &app,
            "/api/add_case_note",
            &officer,
            &format!("/cazuri/{id}"),
            &[
                ("case_id", &id.to_string()),
                ("note", "Am sunat la cantină: <b>secret</b>."),
            ],
        )
        .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        assert_eq!(
            v["staff"]["notes"][0]["body"],
            "Am sunat la cantină: <b>secret</b>."
        );
        assert_eq!(v["staff"]["notes"][0]["author"], "Olga Ceban");
        let page = app.page_as(&format!("/cazuri/{id}"), &officer).await;
        assert!(
            page.contains("Am sunat la cantină: &lt;b&gt;secret&lt;/b&gt;."),
            "escaped on the page"
        );
        assert!(page.contains("30 de zile calendaristice de la Înregistrare"));

        // The petitioner sees none of it: not in the JSON, not on the page.
        let mine = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        assert!(mine["staff"].is_null(), "{}", mine["staff"]);
        let page = app.page_as(&format!("/cazuri/{id}"), &citizen).await;
        assert!(!page.contains("Am sunat la cantină"));
        assert!(!page.contains("Note interne"));
        // Nor may the petitioner add a note.
        let res = post_urlencoded(
            &app,
            "/api/add_case_note",
            &citizen,
            &format!("/cazuri/{id}"),
            &[("case_id", &id.to_string()), ("note", "x")],
        )
        .await;
        assert!(location(&res).contains("__err="), "{}", location(&res));
        let notes = case_note::Entity::find()
            .filter(case_note::Column::CaseId.eq(id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(notes.len(), 1);
    }
);

db_test!(each_action_is_allowed_to_its_roles_only, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
    app.other_institution().await;
    let stranger = app.login("officer@other.example", DEMO_PASSWORD).await;
    let id = file(&app, &citizen, "Cantina socială din Botanica").await;
    let officer_id = app.user_id("officer@demo.petitio").await;
    let citizen_id = app.user_id("citizen@demo.petitio").await;

    let status = |res: Response| res.status().as_u16();
    // Taking the case: staff of the case's institution only.
    assert_eq!(
        status(act(&app, &citizen, id, json!({"transition": "take"})).await),
        409
    );
    assert_eq!(
        status(act(&app, &stranger, id, json!({"transition": "take"})).await),
        404
    );
    // Assigning is the manager's: the officer may not, and may not be given to a citizen.
    assert_eq!(
        status(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "assign", "assignee_id": officer_id})
            )
            .await
        ),
        409
    );
    let (code, _, body) = error_code(
        act(
            &app,
            &manager,
            id,
            json!({"transition": "assign", "assignee_id": citizen_id}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (code, body["error"]["fields"]["assignee_id"][0].as_str()),
        (422, Some("choice_invalid"))
    );
    let res = act(
        &app,
        &manager,
        id,
        json!({"transition": "assign", "assignee_id": officer_id}),
    )
    .await;
    assert_eq!(res.status(), 200);
    // Forwarding: not to the case's own institution.
    let own = app.demo_institution().await.id;
    let (code, _, body) = error_code(
        act(
            &app,
            &officer,
            id,
            json!({"transition": "forward", "target_institution_id": own}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (
            code,
            body["error"]["fields"]["target_institution_id"][0].as_str()
        ),
        (422, Some("choice_invalid"))
    );
    // Requesting information, extending, answering: the officer, with the fields they need.
    let (code, _, body) =
        error_code(act(&app, &officer, id, json!({"transition": "request_info"})).await).await;
    assert_eq!(
        (code, body["error"]["fields"]["reason"][0].as_str()),
        (422, Some("field_required"))
    );
    assert_eq!(
        status(
            act(
                &app,
                &citizen,
                id,
                json!({"transition": "request_info", "reason": "?"})
            )
            .await
        ),
        409
    );
    let (code, _, body) = error_code(
        act(
            &app,
            &officer,
            id,
            json!({"transition": "extend", "reason": "Verificare", "extension_days": 40}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (code, body["error"]["fields"]["extension_days"][0].as_str()),
        (422, Some("extension_days_range:15"))
    );
    assert_eq!(
        status(act(&app, &officer, id, json!({"transition": "extend", "reason": "Verificare la fața locului", "extension_days": 10})).await),
        200
    );
    // Once only.
    assert_eq!(
        status(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "extend", "reason": "Din nou", "extension_days": 5})
            )
            .await
        ),
        409
    );
    assert_eq!(
        status(
            act(
                &app,
                &citizen,
                id,
                json!({"transition": "answer", "answer": "Da", "outcome": "admitted"})
            )
            .await
        ),
        409
    );
    assert_eq!(
        status(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "answer", "answer": "Am remediat.", "outcome": "admitted"})
            )
            .await
        ),
        200
    );
    // Contesting is the petitioner's only.
    assert_eq!(
        status(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "appeal", "reason": "x"})
            )
            .await
        ),
        409
    );
    assert_eq!(
        status(
            act(
                &app,
                &citizen,
                id,
                json!({"transition": "appeal", "reason": "Tot rece."})
            )
            .await
        ),
        200
    );
    // Examining again is the manager's.
    assert_eq!(
        status(act(&app, &officer, id, json!({"transition": "reexamine"})).await),
        409
    );
    assert_eq!(
        status(act(&app, &manager, id, json!({"transition": "reexamine"})).await),
        200
    );
});

db_test!(
    an_action_on_a_case_changed_meanwhile_is_refused_with_the_fresh_state,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let id = file(&app, &citizen, "Cantina socială din Botanica").await;
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        let seen = v["version"].as_i64().unwrap();
        // Both loaded version `seen`; the manager acts first.
        let officer_id = app.user_id("officer@demo.petitio").await.to_string();
        let res = act(
        &app,
        &manager,
        id,
        json!({"transition": "assign", "assignee_id": officer_id.parse::<i64>().unwrap(), "expected_version": seen}),
    )
    .await;
        assert_eq!(res.status(), 200);
        // The officer's page still says `seen`: the plain form is refused, nothing applied twice.
        let res = app
            .post_form(
                "/api/act_on_case",
                Some(&officer),
                &format!("/cazuri/{id}"),
                &[
                    ("case_id", &id.to_string()),
                    ("transition", "transfer"),
                    ("expected_version", &seen.to_string()),
                    ("department_id", ""),
                ],
                &[],
            )
            .await;
        let back = location(&res);
        assert!(back.contains("__err="), "{back}");
        let html = app.page_as(&back, &officer).await;
        assert!(
            html.contains("Altcineva a modificat cazul între timp."),
            "the conflict is named on the page"
        );
        assert!(
            html.contains("În examinare"),
            "and the page shows the case as it is now"
        );
        // Over the API: 409 conflict.
        let (code, error, _) = error_code(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "request_info", "reason": "?", "expected_version": seen}),
            )
            .await,
        )
        .await;
        assert_eq!((code, error.as_str()), (409, "conflict"));
        let events = app::backend::entity::case_event::Entity::find()
            .filter(app::backend::entity::case_event::Column::CaseId.eq(id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(events.len(), 2, "register and assign only: {events:?}");
    }
);

db_test!(
    the_staff_forms_carry_each_field_and_name_their_errors,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let id = file(&app, &citizen, "Cantina socială din Botanica").await;
        let page = app.page_as(&format!("/cazuri/{id}"), &officer).await;
        for form in ["take", "transfer", "forward", "dismiss"] {
            assert!(
                page.contains(&format!(r#"value="{form}""#)),
                "the {form} form is offered"
            );
        }
        assert!(page.contains(r#"id="forward-target_institution_id""#));
        assert!(
            !page.contains(r#"value="assign""#),
            "assigning is the manager's"
        );
        let post = |fields: Vec<(&'static str, String)>| {
            let (app, officer) = (&app, &officer);
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form(
                    "/api/act_on_case",
                    Some(officer),
                    &format!("/cazuri/{id}"),
                    &fields,
                    &[],
                )
                .await
            }
        };
        let case = id.to_string();
        let res = post(vec![
            ("case_id", case.clone()),
            ("transition", "take".into()),
        ])
        .await;
        assert_eq!(location(&res), format!("/cazuri/{id}?gata=take"));
        // The answer without its outcome: the error names the answer form's field.
        let res = post(vec![
            ("case_id", case.clone()),
            ("transition", "answer".into()),
            ("answer", "Am verificat.".into()),
        ])
        .await;
        let back = location(&res);
        let html = app.page_as(&back, &officer).await;
        assert!(
            html.contains(r##"href="#answer-outcome""##),
            "the summary links to the field"
        );
        assert!(
            html.contains(r#"id="answer-outcome-error""#),
            "the error stands by the field"
        );
        let res = post(vec![
            ("case_id", case.clone()),
            ("transition", "answer".into()),
            ("answer", "Am verificat și am remediat.".into()),
            ("outcome", "partly_admitted".into()),
        ])
        .await;
        assert_eq!(location(&res), format!("/cazuri/{id}?gata=answer"));
        let c = petition_case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.status.as_str(), c.outcome.as_deref()),
            ("answered", Some("partly_admitted"))
        );
    }
);

db_test!(
    a_manager_assigns_in_bulk_and_each_refusal_is_named,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let a = file(&app, &citizen, "Cantina socială din Botanica").await;
        let b = file(&app, &citizen, "Iluminatul din scara blocului").await;
        let other = app.other_institution().await;
        let (outside, _) = app.file(other, None, Some("x@example.md")).await;
        let officer_id = app.user_id("officer@demo.petitio").await.to_string();
        let fields = |ids: &[i64]| {
            let mut f: Vec<(&str, String)> =
                ids.iter().map(|i| ("case_ids", i.to_string())).collect();
            f.push(("assignee_id", officer_id.clone()));
            f.push(("back", "view=all".into()));
            f
        };
        let send = |token: String, fields: Vec<(&'static str, String)>| {
            let app = &app;
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form("/api/bulk_assign", Some(&token), "/birou", &fields, &[])
                    .await
            }
        };
        // An officer claims; only managers assign.
        let res = send(officer.clone(), fields(&[a])).await;
        let back = location(&res);
        assert!(back.contains("repartizate=0"), "{back}");
        let res = send(manager.clone(), fields(&[a, b, outside])).await;
        let back = location(&res);
        assert_eq!(
            back,
            format!("/birou?view=all&repartizate=2&nerepartizate=%23{outside}")
        );
        for id in [a, b] {
            let c = petition_case::Entity::find_by_id(id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                c.assignee_id.map(|x| x.to_string()),
                Some(officer_id.clone())
            );
            assert_eq!(c.status, "in_examination");
        }
        let html = app.page_as(&back, &manager).await;
        assert!(
            html.contains("Repartizate: 2"),
            "the outcome is shown on the queue"
        );
        // Nothing ticked: the error says so.
        let res = send(manager.clone(), vec![("assignee_id", officer_id.clone())]).await;
        assert!(location(&res).contains("__err="));
    }
);

db_test!(
    staff_register_a_paper_petition_in_the_same_registry,
    |kind| {
        let app = app!(kind);
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let form = |channel: &'static str, email: &'static str| {
            vec![
                ("kind", "petition"),
                ("channel", channel),
                ("full_name", "Vasile Rusu"),
                ("email", email),
                ("postal_address", "str. Ismail 10, Chișinău"),
                ("subject", "Iluminatul din scara blocului"),
                (
                    "body",
                    "Becurile din scara blocului nu au fost schimbate de o lună.",
                ),
            ]
        };
        let res = app
            .post_form(
                "/api/register_on_behalf",
                Some(&officer),
                "/birou/inregistrare",
                &form("paper", ""),
                &[],
            )
            .await;
        let to = location(&res);
        assert!(to.starts_with("/cazuri/") && to.ends_with("?nou=1"), "{to}");
        let id: i64 = to["/cazuri/".len()..to.len() - "?nou=1".len()]
            .parse()
            .unwrap();
        let c = petition_case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                c.channel.as_str(),
                c.petitioner_id,
                c.petitioner_email.as_deref(),
                c.status.as_str()
            ),
            ("paper", None, None, "registered")
        );
        assert!(
            c.registration_number.starts_with("CHI-"),
            "{}",
            c.registration_number
        );
        // With an address, the petitioner gets the receipt.
        let res = app
            .post_form(
                "/api/register_on_behalf",
                Some(&officer),
                "/birou/inregistrare",
                &form("oral", "vasile@example.md"),
                &[],
            )
            .await;
        assert!(location(&res).ends_with("?nou=1"));
        assert_eq!(
            app.mails_to("vasile@example.md", "case_registered").await,
            1
        );
        // An unknown channel, no name: named errors, nothing filed.
        let mut bad = form("pigeon", "");
        bad.retain(|(k, _)| *k != "full_name");
        let res = app
            .post_form(
                "/api/register_on_behalf",
                Some(&officer),
                "/birou/inregistrare",
                &bad,
                &[],
            )
            .await;
        let back = location(&res);
        let html = app.page_as(&back, &officer).await;
        assert!(
            html.contains(r##"href="#channel""##) && html.contains(r##"href="#full_name""##),
            "both named"
        );
        // Citizens may not.
        let res = app
            .post_form(
                "/api/register_on_behalf",
                Some(&citizen),
                "/birou/inregistrare",
                &form("paper", ""),
                &[],
            )
            .await;
        assert!(location(&res).contains("__err="));
        let count = petition_case::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len();
        assert_eq!(count, 2);
    }
);

db_test!(managers_keep_canned_answers_that_officers_insert, |kind| {
    let app = app!(kind);
    let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let save = |token: String, fields: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            post_urlencoded(
                app,
                "/api/save_canned_answer",
                &token,
                "/birou/raspunsuri-tip",
                &fields,
            )
            .await
        }
    };
    let res = save(
        manager.clone(),
        vec![
            ("title", "Solicitare act de identitate"),
            ("body", "Vă rugăm să prezentați copia buletinului."),
        ],
    )
    .await;
    assert_eq!(location(&res), "/birou/raspunsuri-tip?salvat=1");
    // Officers may not keep them; empty texts are refused by field.
    let res = save(officer.clone(), vec![("title", "x"), ("body", "y")]).await;
    assert!(location(&res).contains("__err="));
    let res = save(manager.clone(), vec![("title", ""), ("body", "")]).await;
    let html = app.page_as(&location(&res), &manager).await;
    assert!(html.contains(r##"href="#title""##) && html.contains(r##"href="#body""##));
    let page = app.page_as("/birou/raspunsuri-tip", &manager).await;
    assert!(page.contains("Solicitare act de identitate"));
    let page = app.page_as("/birou/raspunsuri-tip", &officer).await;
    assert!(page.contains("Răspunsurile-tip sunt gestionate de șefii"));
    // The answer form offers it.
    let id = file(&app, &citizen, "Cantina socială din Botanica").await;
    act(&app, &officer, id, json!({"transition": "take"})).await;
    let v = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
    assert_eq!(
        v["staff"]["canned"][0]["body"],
        "Vă rugăm să prezentați copia buletinului."
    );
    let page = app.page_as(&format!("/cazuri/{id}"), &officer).await;
    assert!(page.contains("Răspunsuri-tip de copiat"));
    // Edited, then deleted.
    let canned_id = v["staff"]["canned"][0]["id"].as_i64().unwrap().to_string();
    let res = post_urlencoded(
        &app,
        "/api/save_canned_answer",
        &manager,
        "/birou/raspunsuri-tip",
        &[
            ("id", &canned_id),
            ("title", "Act de identitate"),
            ("body", "Copia buletinului, vă rog."),
        ],
    )
    .await;
    assert!(res.status().is_redirection());
    let v = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
    assert_eq!(v["staff"]["canned"][0]["title"], "Act de identitate");
    post_urlencoded(
        &app,
        "/api/delete_canned_answer",
        &manager,
        "/birou/raspunsuri-tip",
        &[("id", &canned_id)],
    )
    .await;
    let v = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
    assert_eq!(v["staff"]["canned"], json!([]));
});

db_test!(
    a_transfer_moves_the_case_to_the_other_department_and_tells_its_officers,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let id = file(&app, &citizen, "Cantina socială din Botanica").await;
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &manager).await;
        let botanica = v["staff"]["departments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["label"].as_str().unwrap().contains("Botanica"))
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap();
        let res = act(
            &app,
            &manager,
            id,
            json!({"transition": "transfer", "department_id": botanica}),
        )
        .await;
        assert_eq!(res.status(), 200);
        let c = petition_case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.department_id, c.status.as_str()),
            (Some(botanica), "registered")
        );
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &manager).await;
        assert!(
            v["staff"]["department"]
                .as_str()
                .unwrap()
                .contains("Botanica")
        );
        // A department of no institution of ours is refused.
        let (code, _, body) = error_code(
            act(
                &app,
                &manager,
                id,
                json!({"transition": "transfer", "department_id": 999_999}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (code, body["error"]["fields"]["department_id"][0].as_str()),
            (422, Some("choice_invalid"))
        );
    }
);
