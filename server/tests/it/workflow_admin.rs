//! The workflow administration (`/admin/fluxuri`, `/api/v1/admin/workflows…`,
//! `/api/v1/admin/institutions/{id}/workflows`): a document with errors is shown with every
//! problem and its line and stores nothing; a valid one is drawn and saved as the next version
//! while a running case keeps its version and its transitions; an institution's choice of
//! definition is what the next filing follows; only administrators act, each in their scope.

use reqwest::Response;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{
    audit_record, institution_workflow, petition_case, workflow_definition, workflow_draft,
};

use crate::accounts_support::{DEMO_PASSWORD, error_code, location};
use crate::helpers::TestApp;
use crate::{app, db_test};

/// The definition the test of versions stores (its own: see that test).
const TRIAL: &str = "md-petition-trial";

/// Every stored version of every definition.
async fn versions(app: &TestApp) -> u64 {
    workflow_definition::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

/// The newest stored version of `name`: (version, source).
async fn newest(app: &TestApp, name: &str) -> (i32, String) {
    let rows = workflow_definition::Entity::find()
        .filter(workflow_definition::Column::Name.eq(name))
        .all(&app.db)
        .await
        .unwrap();
    let row = rows.into_iter().max_by_key(|r| r.version).unwrap();
    (row.version, row.source)
}

async fn case(app: &TestApp, id: i64) -> petition_case::Model {
    petition_case::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn records(app: &TestApp, action: &str) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

/// The 1-based line of the first line of `source` equal to `line`.
fn line_no(source: &str, line: &str) -> usize {
    source
        .lines()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no line {line:?}"))
        + 1
}

/// `source` with its `n`-th line (1-based) replaced.
fn with_line(source: &str, n: usize, new: &str) -> String {
    source
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == n { new } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A plain urlencoded form post from `/admin/fluxuri`, as a browser without JavaScript sends it.
async fn post_form(app: &TestApp, path: &str, token: &str, fields: &[(&str, &str)]) -> Response {
    app.post_plain_form(path, token, "/admin/fluxuri", fields)
        .await
}

/// Checks `source` through the page's form; returns the page it leads to (the draft's).
async fn check_on_page(app: &TestApp, token: &str, source: &str) -> (String, String) {
    let res = post_form(app, "/api/check_workflow", token, &[("source", source)]).await;
    let back = location(&res);
    assert!(
        back.starts_with("/admin/fluxuri?ciorna=") && back.ends_with("#verificare"),
        "{back}"
    );
    let page = app.page_as(&back, token).await;
    (back, page)
}

/// The draft id in the address of the page `check_on_page` led to.
fn draft_id(back: &str) -> String {
    back.trim_start_matches("/admin/fluxuri?ciorna=")
        .trim_end_matches("#verificare")
        .to_string()
}

async fn put_json(app: &TestApp, path: &str, token: &str, body: Value) -> Response {
    app.put_json(path, Some(token), body).await
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> Value {
    let res = app
        .post_json(
            &format!("/api/v1/cases/{id}/transitions"),
            Some(token),
            body,
        )
        .await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn transition_ids(case: &Value) -> Vec<String> {
    case["available_transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

async fn file(app: &TestApp, token: &str, kind: &str) -> i64 {
    app.file_json(
        token,
        json!({
            "kind": kind,
            "subject": "Iluminatul stradal din Botanica",
            "body": "Felinarele de pe strada noastră nu funcționează de o lună.",
            "consent_processing": true,
            "confirm_repeat": true,
        }),
    )
    .await
}

db_test!(
    a_document_with_errors_shows_every_problem_with_its_line_and_stores_nothing,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let (v1, source) = newest(&app, "md-petition").await;
        let before = versions(&app).await;

        // Two mistakes far apart: a counting rule that does not exist, a role nobody has.
        let counting = line_no(&source, "counting = \"plain\"");
        let roles = source
            .lines()
            .position(|l| l == "roles = [\"officer\", \"manager\"]")
            .unwrap()
            + 1;
        let broken = with_line(&source, counting, "counting = \"sometimes\"");
        let broken = with_line(&broken, roles, "roles = [\"officer\", \"mayor\"]");

        // The page: every problem with its line, next to the text area, which keeps the text.
        let (back, page) = check_on_page(&app, &admin, &broken).await;
        for line in [counting, roles] {
            assert!(
                page.contains(&format!("Linia {line}, coloana")),
                "line {line} named: {page}"
            );
        }
        assert!(page.contains("id=\"source-problems\""));
        assert!(
            page.contains("aria-describedby=\"source-hint source-problems\""),
            "the text area is described by its problems"
        );
        assert!(page.contains("Probleme găsite: 2. Nimic nu a fost salvat."));
        assert!(page.contains("mayor"), "the document is shown again");
        assert!(!page.contains("Salvați versiunea"), "nothing to save");
        assert_eq!(versions(&app).await, before, "nothing stored");
        // Saving such a draft anyway is refused, and stores nothing.
        let res = post_form(
            &app,
            "/api/save_workflow",
            &admin,
            &[("draft", &draft_id(&back))],
        )
        .await;
        assert!(location(&res).contains("__err="), "refused");
        assert_eq!(versions(&app).await, before, "nothing stored");

        // The same document as a file.
        let res = app
            .post_form(
                "/api/upload_workflow",
                Some(&admin),
                "/admin/fluxuri",
                &[],
                &[("md-petition.toml", broken.as_bytes())],
            )
            .await;
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains(&format!("Linia {roles}, coloana")));

        // The API: every problem with its line and column; nothing stored.
        let res = app
            .post_json(
                "/api/v1/admin/workflows/check",
                Some(&admin),
                json!({ "source": broken }),
            )
            .await;
        assert_eq!(res.status(), 200);
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["valid"], false);
        let lines: Vec<u64> = answer["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [counting as u64, roles as u64], "{answer}");
        let res = put_json(
            &app,
            "/api/v1/workflows/md-petition",
            &admin,
            json!({ "source": broken }),
        )
        .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["source"].as_array().unwrap().len(),
            2,
            "{body}"
        );

        // A definition filing could not register a case of is refused too, at its line: here
        // `system` may not fire `register`.
        let register = line_no(&source, "id = \"register\"");
        let register_roles = line_no(&source, "roles = [\"system\", \"officer\"]");
        assert!(register_roles > register && register_roles < register + 5);
        let unfileable = with_line(&source, register_roles, "roles = [\"officer\"]");
        let answer: Value = app
            .post_json(
                "/api/v1/admin/workflows/check",
                Some(&admin),
                json!({ "source": unfileable }),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer["valid"], false, "{answer}");
        assert_eq!(answer["problems"][0]["line"], register as u64, "{answer}");

        // The valid document checks, with its deadlines, and is still not stored.
        let answer: Value = app
            .post_json(
                "/api/v1/admin/workflows/check",
                Some(&admin),
                json!({ "source": source, "filed": "2026-04-03" }),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer["valid"], true, "{answer}");
        assert_eq!(answer["unchanged"], true);
        assert_eq!(answer["next_version"], v1);
        assert_eq!(answer["deadlines"]["answer_due"], "2026-05-04", "{answer}");
        let res = app
            .post_json(
                "/api/v1/admin/workflows/check",
                Some(&admin),
                json!({ "source": source, "filed": "2999-01-01" }),
            )
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["filed"], json!(["date_invalid"]));
        // The page: a browser sends the text area's lines ended by CR LF; the stored version
        // is still recognised as the same document.
        let (_, page) = check_on_page(&app, &admin, &source.replace('\n', "\r\n")).await;
        assert!(
            page.contains(&format!("Documentul este identic cu versiunea {v1}")),
            "{page}"
        );
        assert_eq!(versions(&app).await, before, "nothing stored");
        assert!(records(&app, "admin.workflow.store").await.is_empty());
    }
);

db_test!(
    a_new_version_is_saved_while_a_running_case_keeps_its_own,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        // A definition of this test's own, chosen for petitions: the parsed versions are
        // cached by (name, version) for the whole process, which the tests share.
        let (_, builtin) = newest(&app, "md-petition").await;
        let source = builtin.replacen("name = \"md-petition\"", &format!("name = \"{TRIAL}\""), 1);
        let res = put_json(
            &app,
            &format!("/api/v1/workflows/{TRIAL}"),
            &admin,
            json!({ "source": source }),
        )
        .await;
        assert_eq!(res.status(), 200);
        let inst = app.demo_institution().await.id;
        let res = put_json(
            &app,
            &format!("/api/v1/admin/institutions/{inst}/workflows"),
            &admin,
            json!({ "choices": { "petition": TRIAL } }),
        )
        .await;
        assert_eq!(res.status(), 200);
        let v1 = newest(&app, TRIAL).await.0;
        assert_eq!(v1, 1);

        let running = file(&app, &citizen, "petition").await;
        let filed = case(&app, running).await;
        assert_eq!(
            (filed.workflow_name.as_str(), filed.workflow_version),
            (TRIAL, v1)
        );

        // Version N+1 renames the officer's "take": checked, drawn, then saved from the page.
        let take = line_no(&source, "id = \"take\"");
        let edited = with_line(&source, take, "id = \"take_up\"");
        let before = versions(&app).await;
        let (back, page) = check_on_page(&app, &admin, &edited).await;
        assert!(page.contains(&format!("Documentul este corect: definiția {TRIAL}.")));
        assert!(page.contains(&format!("Salvați versiunea {}", v1 + 1)));
        assert!(page.contains("<svg"), "the diagram is drawn");
        assert!(page.contains("Termene pentru o dată de înregistrare"));
        assert_eq!(versions(&app).await, before, "checking stores nothing");
        // The deadline preview for another registration date.
        let page = app
            .page_as(
                &format!("/admin/fluxuri?ciorna={}&filed=2026-04-03", draft_id(&back)),
                &admin,
            )
            .await;
        assert!(page.contains("2026-05-04"), "answer_due of 3 April 2026");

        let res = post_form(
            &app,
            "/api/save_workflow",
            &admin,
            &[("draft", &draft_id(&back))],
        )
        .await;
        assert_eq!(
            location(&res),
            format!(
                "/admin/fluxuri?salvat={TRIAL}&versiune={}#definitii",
                v1 + 1
            )
        );
        assert_eq!(versions(&app).await, before + 1);
        assert_eq!(newest(&app, TRIAL).await.0, v1 + 1);
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains(&format!(
            "Definiția {TRIAL} a fost salvată ca versiunea {}.",
            v1 + 1
        )));
        assert!(
            page.contains(&format!("v{}, ", v1 + 1)) && page.contains("Ana Administrator"),
            "the new version is listed with who saved it"
        );
        // Recorded with who and when; the draft is gone.
        let stored = records(&app, "admin.workflow.store").await;
        assert_eq!(
            stored.len(),
            2,
            "version 1 over the API, version 2 on the page"
        );
        let last = stored.iter().max_by_key(|r| r.id).unwrap();
        assert_eq!(last.actor_id, Some(app.user_id("admin@demo.petitio").await));
        assert_eq!(
            last.target_id.as_deref(),
            Some(format!("{TRIAL}/{}", v1 + 1).as_str())
        );
        assert_eq!(
            workflow_draft::Entity::find().count(&app.db).await.unwrap(),
            0
        );

        // The running case keeps version N, and its transitions work as they did.
        let view = app
            .json_as(&format!("/api/v1/cases/{running}"), &officer)
            .await;
        assert!(
            transition_ids(&view).contains(&"take".to_string()),
            "{view}"
        );
        act(&app, &officer, running, json!({"transition": "take"})).await;
        let done = act(
            &app,
            &officer,
            running,
            json!({"transition": "answer", "answer": "Felinarele au fost reparate.", "outcome": "admitted"}),
        )
        .await;
        assert_eq!(done["status"], "answered");
        assert_eq!(case(&app, running).await.workflow_version, v1);

        // A new case follows version N+1.
        let new = file(&app, &citizen, "petition").await;
        assert_eq!(case(&app, new).await.workflow_version, v1 + 1);
        let view = app.json_as(&format!("/api/v1/cases/{new}"), &officer).await;
        let ids = transition_ids(&view);
        assert!(
            ids.contains(&"take_up".to_string()) && !ids.contains(&"take".to_string()),
            "{ids:?}"
        );
        let res = app
            .post_json(
                &format!("/api/v1/cases/{new}/transitions"),
                Some(&officer),
                json!({"transition": "take"}),
            )
            .await;
        assert_ne!(res.status(), 200, "version N+1 has no `take`");
        act(&app, &officer, new, json!({"transition": "take_up"})).await;

        // Checking the saved document again: nothing left to save.
        let (_, page) = check_on_page(&app, &admin, &edited).await;
        assert!(page.contains(&format!("Documentul este identic cu versiunea {}", v1 + 1)));
        assert!(!page.contains("Salvați versiunea"));
    }
);

db_test!(
    the_institutions_choice_is_what_the_next_filing_follows,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let inst = app.demo_institution().await;
        let (_, source) = newest(&app, "md-petition").await;

        // A second petition workflow, with a shorter term.
        let fast = source
            .replacen("name = \"md-petition\"", "name = \"md-petition-fast\"", 1)
            .replacen("amount = 30", "amount = 10", 1);
        let res = put_json(
            &app,
            "/api/v1/workflows/md-petition-fast",
            &admin,
            json!({ "source": fast }),
        )
        .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

        let earlier = file(&app, &citizen, "petition").await;
        assert_eq!(case(&app, earlier).await.workflow_name, "md-petition");

        // The page lists it as a choice for petitions; the form chooses it.
        let page = app.page_as("/admin/fluxuri", &admin).await;
        assert!(page.contains("name=\"choice[petition]\""));
        assert!(page.contains("value=\"md-petition-fast\""));
        let id = inst.id.to_string();
        let res = post_form(
            &app,
            "/api/set_institution_workflows",
            &admin,
            &[
                ("institution_id", &id),
                ("choice[petition]", "md-petition-fast"),
                ("choice[complaint]", ""),
                ("choice[prior_complaint]", ""),
                ("choice[information_request]", ""),
                ("choice[data_rectification]", ""),
                ("choice[data_erasure]", ""),
            ],
        )
        .await;
        assert_eq!(
            location(&res),
            format!("/admin/fluxuri?ales={id}#alegeri-{id}")
        );
        let chose = records(&app, "admin.workflow.choose").await;
        assert_eq!(chose.len(), 1);
        assert_eq!(chose[0].institution_id, inst.id);
        let details: Value = serde_json::from_str(&chose[0].details).unwrap();
        assert_eq!(
            details["changes"]["petition"],
            json!([null, "md-petition-fast"])
        );

        // The next petition follows it; running cases and other kinds keep theirs.
        let next = file(&app, &citizen, "petition").await;
        let next = case(&app, next).await;
        assert_eq!(
            (next.workflow_name.as_str(), next.workflow_version),
            ("md-petition-fast", 1)
        );
        assert_eq!(case(&app, earlier).await.workflow_name, "md-petition");
        let complaint = file(&app, &citizen, "complaint").await;
        assert_eq!(case(&app, complaint).await.workflow_name, "md-petition");
        let choices = app
            .json_as(
                &format!("/api/v1/admin/institutions/{id}/workflows"),
                &admin,
            )
            .await;
        let petition = choices
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "petition")
            .unwrap()
            .clone();
        assert_eq!(petition["chosen"], "md-petition-fast");
        assert_eq!(petition["workflow"], "md-petition-fast");
        assert_eq!(petition["default"], "md-petition");

        // Refused choices, each named on its kind; nothing changes.
        let res = put_json(
            &app,
            &format!("/api/v1/admin/institutions/{id}/workflows"),
            &admin,
            json!({ "choices": {
                "complaint": "md-information-request",
                "prior_complaint": "no-such-workflow",
                "appeal": "md-petition",
            } }),
        )
        .await;
        let (status, code, body) = error_code(res).await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        let fields = &body["error"]["fields"];
        assert_eq!(fields["complaint"], json!(["workflow_case_type"]));
        assert_eq!(fields["prior_complaint"], json!(["workflow_unknown"]));
        assert_eq!(fields["appeal"], json!(["choice_invalid"]));
        assert_eq!(
            institution_workflow::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            1
        );

        // Back to the default rule over the API.
        let res = put_json(
            &app,
            &format!("/api/v1/admin/institutions/{id}/workflows"),
            &admin,
            json!({ "choices": { "petition": null } }),
        )
        .await;
        assert_eq!(res.status(), 200);
        let after = file(&app, &citizen, "petition").await;
        assert_eq!(case(&app, after).await.workflow_name, "md-petition");
        assert_eq!(records(&app, "admin.workflow.choose").await.len(), 2);
    }
);

db_test!(
    only_administrators_change_workflows_each_in_their_scope,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let (other_id, other_admin) = app.other_admin().await;
        let demo = app.demo_institution().await.id;
        let (_, source) = newest(&app, "md-petition").await;
        let edited = format!("{source}\n# Edited.\n");
        let before = versions(&app).await;
        let choice = json!({ "choices": { "petition": "md-petition" } });

        // Officers and citizens: the page is closed, every change refused, nothing stored.
        for token in [&officer, &citizen] {
            let page = app.page_as("/admin/fluxuri", token).await;
            assert!(page.contains("Această pagină este pentru administratori."));
            assert!(!page.contains("id=\"source\""));
            let res = post_form(&app, "/api/check_workflow", token, &[("source", &edited)]).await;
            assert!(location(&res).contains("__err="));
            for (path, status) in [
                ("/api/v1/admin/workflows/check", 403),
                ("/api/v1/admin/workflows", 403),
            ] {
                let res = if path.ends_with("check") {
                    app.post_json(path, Some(token), json!({ "source": edited }))
                        .await
                } else {
                    app.get_with(path, token).await
                };
                assert_eq!(res.status(), status, "{path}");
            }
            let res = put_json(
                &app,
                &format!("/api/v1/admin/institutions/{demo}/workflows"),
                token,
                choice.clone(),
            )
            .await;
            assert_eq!(res.status(), 403);
            let res = put_json(
                &app,
                "/api/v1/workflows/md-petition",
                token,
                json!({ "source": edited }),
            )
            .await;
            assert_eq!(res.status(), 403);
        }
        let res = app
            .post_json(
                "/api/v1/admin/workflows/check",
                None,
                json!({ "source": edited }),
            )
            .await;
        assert_eq!(res.status(), 401);
        assert_eq!(
            workflow_draft::Entity::find().count(&app.db).await.unwrap(),
            0
        );

        // Another institution's administrator: their own choices only; definitions are the
        // portal's (they may check, not save).
        let res = put_json(
            &app,
            &format!("/api/v1/admin/institutions/{demo}/workflows"),
            &other_admin,
            choice.clone(),
        )
        .await;
        assert_eq!(
            res.status(),
            404,
            "another institution does not exist for them"
        );
        let res = post_form(
            &app,
            "/api/set_institution_workflows",
            &other_admin,
            &[
                ("institution_id", &demo.to_string()),
                ("choice[petition]", "md-petition"),
            ],
        )
        .await;
        assert!(location(&res).contains("__err="));
        let res = put_json(
            &app,
            &format!("/api/v1/admin/institutions/{other_id}/workflows"),
            &other_admin,
            choice.clone(),
        )
        .await;
        assert_eq!(res.status(), 200);
        let res = app
            .post_json(
                "/api/v1/admin/workflows/check",
                Some(&other_admin),
                json!({ "source": edited }),
            )
            .await;
        assert_eq!(res.status(), 200);
        let res = put_json(
            &app,
            "/api/v1/workflows/md-petition",
            &other_admin,
            json!({ "source": edited }),
        )
        .await;
        assert_eq!(res.status(), 403);
        let res = post_form(
            &app,
            "/api/check_workflow",
            &other_admin,
            &[("source", &edited)],
        )
        .await;
        assert!(location(&res).contains("__err="));
        let page = app.page_as("/admin/fluxuri", &other_admin).await;
        assert!(page.contains("Fluxul fiecărui tip de cerere"));
        assert!(!page.contains("id=\"source\""), "no editor for them");
        assert!(
            page.contains(&format!("id=\"w{other_id}-petition\""))
                && !page.contains(&format!("id=\"w{demo}-petition\"")),
            "their institution's choices only"
        );
        assert_eq!(versions(&app).await, before);
        let chosen: Vec<i64> = institution_workflow::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.institution_id)
            .collect();
        assert_eq!(chosen, [other_id]);

        // A draft is its author's alone; the portal's administrator chooses for everyone.
        let (back, _) = check_on_page(&app, &admin, &edited).await;
        let portal = app.portal_admin().await;
        let page = app.page_as(&back, &portal).await;
        assert!(page.contains("Documentul verificat nu mai este disponibil"));
        assert!(!page.contains("# Edited."));
        let res = post_form(
            &app,
            "/api/save_workflow",
            &portal,
            &[("draft", &draft_id(&back))],
        )
        .await;
        assert!(location(&res).contains("__err="));
        assert_eq!(versions(&app).await, before);
        let res = put_json(
            &app,
            &format!("/api/v1/admin/institutions/{demo}/workflows"),
            &portal,
            choice,
        )
        .await;
        assert_eq!(res.status(), 200);
        let res = put_json(
            &app,
            "/api/v1/workflows/md-petition",
            &portal,
            json!({ "source": edited }),
        )
        .await;
        assert_eq!(res.status(), 200);
        assert_eq!(versions(&app).await, before + 1);
    }
);
