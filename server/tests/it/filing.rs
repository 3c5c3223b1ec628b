//! Filing by a signed-in citizen over the JSON API and the plain HTML form.

use serde_json::{Value, json};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::{app, db_test};

fn complaint() -> Value {
    json!({
        "kind": "complaint",
        "subject": "Cantina socială din Botanica",
        "body": "Mâncarea vine rece de trei săptămâni, iar porțiile sunt mai mici.",
        "consent_processing": true,
    })
}

db_test!(
    a_citizen_files_and_gets_a_number_a_term_and_a_receipt_mail,
    |kind| {
        let app = app!(kind);
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let res = app
            .post_json("/api/v1/cases", Some(&token), complaint())
            .await;
        assert_eq!(res.status(), 201);
        let r: Value = res.json().await.unwrap();
        let number = r["registration_number"].as_str().unwrap();
        assert!(
            number.starts_with("CHI-") && number.ends_with("-000001"),
            "{number}"
        );
        assert!(
            r["answer_due"].as_str().is_some_and(|d| d.len() == 10),
            "{r}"
        );
        assert_eq!(r["status"], "registered");
        let id = r["id"].as_i64().unwrap();
        assert_eq!(r["tracking_url"], format!("{}/cazuri/{id}", app.base));
        assert_eq!(
            app.mails_to("citizen@demo.petitio", "case_registered")
                .await,
            1
        );

        // It is the citizen's: in their list and readable, with its status named.
        let case: Value = app
            .get_with(&format!("/api/v1/cases/{id}"), &token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(case["registration_number"], number);
        assert_eq!(case["status_label"], "Înregistrată");
        // The same subject again: the petitioner is told of the open case first…
        let res = app
            .post_json("/api/v1/cases", Some(&token), complaint())
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["subject"][0],
            format!("similar_case:{number}")
        );
        // …and files it once they confirm it is a new petition.
        let mut again = complaint();
        again["confirm_repeat"] = json!(true);
        let second = app.post_json("/api/v1/cases", Some(&token), again).await;
        let second: Value = second.json().await.unwrap();
        assert!(
            second["registration_number"]
                .as_str()
                .unwrap()
                .ends_with("-000002")
        );
    }
);

db_test!(anonymous_filing_is_refused, |kind| {
    let app = app!(kind);
    let (status, code, _) =
        error_code(app.post_json("/api/v1/cases", None, complaint()).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let (status, html) = app.get_text("/depune").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Petițiile anonime nu se examinează"),
        "the legal reason is given"
    );
});

db_test!(every_filing_rule_is_checked_on_the_server, |kind| {
    let app = app!(kind);
    let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let other = app.other_institution().await;
    let other_dept = {
        use app::backend::entity::department;
        use sea_orm::{ActiveModelTrait, Set};
        department::ActiveModel {
            institution_id: Set(other),
            code: Set("x".into()),
            name_ro: Set("X".into()),
            name_ru: Set("X".into()),
            name_en: Set("X".into()),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap()
        .id
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({ "kind": "letter" }), "kind", "kind_required"),
        (json!({ "subject": "abc" }), "subject", "subject_length"),
        (json!({ "body": "too short" }), "body", "body_length"),
        (json!({ "body": "x".repeat(10_001) }), "body", "body_length"),
        (
            json!({ "consent_processing": false }),
            "consent_processing",
            "consent_required",
        ),
        (
            json!({ "address": "a".repeat(501) }),
            "address",
            "address_length",
        ),
        (
            json!({ "department_id": other_dept }),
            "department_id",
            "choice_invalid",
        ),
        (
            json!({ "category_id": 999_999 }),
            "category_id",
            "choice_invalid",
        ),
        (
            json!({ "kind": "prior_complaint" }),
            "decision_number",
            "decision_number_required",
        ),
        (
            json!({ "kind": "prior_complaint", "about_decision": { "number": "12/2026", "date": "2099-01-01" } }),
            "decision_date",
            "date_in_future",
        ),
    ];
    for (change, field, code) in cases {
        let mut body = complaint();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.post_json("/api/v1/cases", Some(&token), body).await;
        let (status, got, err) = error_code(res).await;
        assert_eq!(
            (status, got.as_str()),
            (422, "validation_failed"),
            "{field}"
        );
        assert_eq!(err["error"]["fields"][field][0], code, "{field}: {err}");
    }
    assert_eq!(
        app.mails_to("citizen@demo.petitio", "case_registered")
            .await,
        0,
        "nothing filed"
    );
});

db_test!(filing_is_rate_limited_per_account, |kind| {
    let app = app!(kind, &[("PETITIO_RATE_LIMITS", "filing=2/60")]);
    let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let mut body = complaint();
    body["confirm_repeat"] = json!(true);
    for _ in 0..2 {
        assert_eq!(
            app.post_json("/api/v1/cases", Some(&token), body.clone())
                .await
                .status(),
            201
        );
    }
    let res = app.post_json("/api/v1/cases", Some(&token), body).await;
    assert!(res.headers().contains_key("retry-after"));
    let (status, code, _) = error_code(res).await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));
});

db_test!(the_filing_form_works_without_javascript, |kind| {
    let app = app!(kind);
    let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let page = app.page_as("/depune", &token).await;
    assert!(page.contains(r#"action="/api/file_case""#), "a plain form");
    assert!(
        page.contains("Ion Popescu"),
        "the petitioner is named from the account"
    );
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let (app, token) = (&app, &token);
        async move {
            app.post_form("/api/file_case", Some(token), "/depune", &fields, &[])
                .await
        }
    };
    let mut fields = vec![
        ("kind", "complaint"),
        ("department_id", ""),
        ("category_id", ""),
        ("subject", "Cantina socială"),
        ("body", "Mâncarea vine rece de trei săptămâni."),
        ("address", ""),
        ("decision_number", ""),
        ("decision_date", ""),
        ("postal_address", ""),
    ];
    // Without the consent: back to the form with the error.
    let res = post(fields.clone()).await;
    assert!(res.status().is_redirection());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("__err="), "{back}");
    let html = app.page_as(&back, &token).await;
    assert!(
        html.contains("Fără acordul de prelucrare a datelor"),
        "the error is shown"
    );

    fields.push(("consent_processing", "on"));
    let res = post(fields.clone()).await;
    assert!(res.status().is_redirection());
    let receipt = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        receipt.starts_with("/cazuri/") && receipt.ends_with("?nou=1"),
        "{receipt}"
    );
    let html = app.page_as(&receipt, &token).await;
    assert!(html.contains("Petiția a fost înregistrată") && html.contains("CHI-"));

    // The same subject again: the form comes back naming the open case, with a box to confirm.
    let res = post(fields.clone()).await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    let html = app.page_as(&back, &token).await;
    assert!(html.contains("Aveți deja o petiție deschisă pe o temă asemănătoare: CHI-"));
    assert!(html.contains(r#"name="confirm_repeat""#));
    fields.push(("confirm_repeat", "on"));
    let res = post(fields).await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?nou=1")
    );
});

async fn act(
    app: &crate::helpers::TestApp,
    token: &str,
    id: i64,
    body: Value,
) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/cases/{id}/transitions"),
        Some(token),
        body,
    )
    .await
}

db_test!(
    the_petitioner_and_the_officer_take_turns_through_the_workflow,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let maria = app.citizen("maria@example.md").await;
        let r: Value = app
            .post_json("/api/v1/cases", Some(&citizen), complaint())
            .await
            .json()
            .await
            .unwrap();
        let id = r["id"].as_i64().unwrap();
        let ids = |v: &Value| -> Vec<String> {
            v["available_transitions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string())
                .collect()
        };
        let seen: Value = app
            .get_with(&format!("/api/v1/cases/{id}"), &citizen)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            ids(&seen),
            ["withdraw"],
            "the petitioner may only withdraw a registered case"
        );
        let seen: Value = app
            .get_with(&format!("/api/v1/cases/{id}"), &officer)
            .await
            .json()
            .await
            .unwrap();
        assert!(ids(&seen).contains(&"take".to_string()), "{seen}");
        assert!(!ids(&seen).contains(&"withdraw".to_string()));

        // Not the petitioner's to answer; not another citizen's to see.
        let (status, code, _) = error_code(
            act(
                &app,
                &citizen,
                id,
                json!({ "transition": "answer", "answer": "x", "outcome": "admitted" }),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "transition_not_allowed"));
        let (status, _, _) =
            error_code(act(&app, &maria, id, json!({ "transition": "withdraw" })).await).await;
        assert_eq!(status, 404);

        let res = act(&app, &officer, id, json!({ "transition": "take" })).await;
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["status"], "in_examination");
        let version = v["version"].as_i64().unwrap();
        let (status, _, body) =
            error_code(act(&app, &officer, id, json!({ "transition": "request_info" })).await)
                .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["reason"][0], "field_required");
        let res = act(&app, &officer, id, json!({ "transition": "request_info", "reason": "Ce adresă are cantina?", "expected_version": version })).await;
        assert_eq!(res.status(), 200);
        // A stale version is refused.
        let (status, code, _) = error_code(act(&app, &officer, id, json!({ "transition": "extend", "reason": "x", "extension_days": 5, "expected_version": version })).await).await;
        assert_eq!((status, code.as_str()), (409, "conflict"));

        let seen: Value = app
            .get_with(&format!("/api/v1/cases/{id}"), &citizen)
            .await
            .json()
            .await
            .unwrap();
        assert!(ids(&seen).contains(&"citizen_reply".to_string()), "{seen}");
        let res = act(
            &app,
            &citizen,
            id,
            json!({ "transition": "citizen_reply", "note": "Str. Independenței 12." }),
        )
        .await;
        assert_eq!(res.status(), 200);
        let res = act(&app, &officer, id, json!({ "transition": "answer", "answer": "Am verificat cantina.", "outcome": "admitted" })).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.mails_to("citizen@demo.petitio", "case_answered").await,
            1
        );
        let res = act(
            &app,
            &citizen,
            id,
            json!({ "transition": "appeal", "reason": "Mâncarea e tot rece." }),
        )
        .await;
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["status"], "appealed");
        let steps: Vec<&str> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["transition"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            [
                "register",
                "take",
                "request_info",
                "citizen_reply",
                "answer",
                "appeal"
            ]
        );
    }
);

db_test!(
    a_tracking_link_holder_withdraws_with_the_plain_form,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let (case, number) = app.file(inst, None, Some("anon@example.md")).await;
        app.post_json(
            "/api/v1/auth/case-link",
            None,
            json!({ "registration_number": number, "email": "anon@example.md" }),
        )
        .await;
        let link = app
            .mailed_link("anon@example.md", "case_link")
            .await
            .unwrap();
        let res = app.get(link.strip_prefix(&app.base).unwrap()).await;
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let page = app
            .client
            .get(app.url(&format!("/cazuri/{case}")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"value="withdraw""#),
            "the withdraw form is offered"
        );
        let case_id = case.to_string();
        let withdraw = |confirm: bool| {
            let case_id = case_id.clone();
            let auth = format!("cookie:{cookie}");
            let app = &app;
            async move {
                let mut fields = vec![
                    ("case_id", case_id.as_str()),
                    ("transition", "withdraw"),
                    ("text", "M-am răzgândit."),
                ];
                if confirm {
                    fields.push(("confirm", "on"));
                }
                app.post_form(
                    "/api/act_on_case",
                    Some(&auth),
                    &format!("/cazuri/{case_id}"),
                    &fields,
                    &[],
                )
                .await
            }
        };
        // Not confirmed: back to the case page with the error, nothing changed.
        let res = withdraw(false).await;
        let back = res.headers()["location"].to_str().unwrap().to_string();
        assert!(back.contains("__err="), "{back}");
        let html = app
            .client
            .get(&back)
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Bifați confirmarea pentru a retrage petiția."));
        let res = withdraw(true).await;
        assert!(res.status().is_redirection());
        assert_eq!(
            res.headers()["location"],
            format!("/cazuri/{case}?gata=withdraw")
        );
        let v: Value = app
            .client
            .get(app.url(&format!("/api/v1/cases/{case}")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["status"], "withdrawn");
    }
);

db_test!(the_start_page_finds_a_case_by_its_number, |kind| {
    let app = app!(kind);
    let (_, html) = app.get_text("/").await;
    assert!(html.contains(r#"action="/urmarire""#) && html.contains(r#"method="get""#));
    assert!(html.contains(r#"href="/depune""#));
    let (status, html) = app
        .get_text("/urmarire?registration_number=CHI-2026-000007")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"value="CHI-2026-000007""#),
        "the number is filled in"
    );
});

db_test!(the_petitioner_rates_the_answer_once_there_is_one, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let maria = app.citizen("maria@example.md").await;
    let r: Value = app
        .post_json("/api/v1/cases", Some(&citizen), complaint())
        .await
        .json()
        .await
        .unwrap();
    let id = r["id"].as_i64().unwrap();
    let rate = |token: String, body: Value| {
        let app = &app;
        async move {
            app.post_json(&format!("/api/v1/cases/{id}/rating"), Some(&token), body)
                .await
        }
    };
    let (status, code, _) = error_code(rate(citizen.clone(), json!({ "score": 5 })).await).await;
    assert_eq!(
        (status, code.as_str()),
        (409, "transition_not_allowed"),
        "nothing to rate yet"
    );
    for t in [
        json!({ "transition": "take" }),
        json!({ "transition": "answer", "answer": "Rezolvat.", "outcome": "admitted" }),
    ] {
        assert_eq!(act(&app, &officer, id, t).await.status(), 200);
    }
    let case: Value = app
        .get_with(&format!("/api/v1/cases/{id}"), &citizen)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case["can_rate"], true);
    let staff_view: Value = app
        .get_with(&format!("/api/v1/cases/{id}"), &officer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff_view["can_rate"], false);

    for (score, field, code) in [(0, "score", "score_range"), (6, "score", "score_range")] {
        let (status, _, body) =
            error_code(rate(citizen.clone(), json!({ "score": score })).await).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"][field][0], code);
    }
    let long = "x".repeat(2001);
    let (_, _, body) =
        error_code(rate(citizen.clone(), json!({ "score": 3, "comment": long })).await).await;
    assert_eq!(body["error"]["fields"]["comment"][0], "comment_length");
    assert_eq!(
        rate(officer.clone(), json!({ "score": 5 })).await.status(),
        403,
        "staff do not rate"
    );
    assert_eq!(
        rate(maria, json!({ "score": 1 })).await.status(),
        404,
        "nor does another citizen"
    );

    let res = rate(
        citizen.clone(),
        json!({ "score": 4, "comment": "Rapid și clar." }),
    )
    .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(
        (v["rating"].as_i64(), v["rating_comment"].as_str()),
        (Some(4), Some("Rapid și clar."))
    );
    // It can be changed.
    let v: Value = rate(citizen.clone(), json!({ "score": 5 }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["rating"], 5);
    let html = app.page_as(&format!("/cazuri/{id}"), &citizen).await;
    assert!(html.contains("Aprecierea dumneavoastră: 5 din 5"));
});
