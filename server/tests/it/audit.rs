//! The audit trail: case events, staff reads, notes, logins and administrative changes are
//! recorded in order in hash chains that `petitio audit verify` recomputes; a record edited or
//! deleted in the database is named; concurrent filings leave a gapless chain; administrators
//! see their own institution's trail (JSON, CSV, page), others nothing.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

use app::backend::audit::{self, Problem};
use app::backend::entity::{audit_record, mail_outbox, petition_case, user};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::{Db, TestApp};
use crate::{app, db_test};

async fn file(app: &TestApp, token: &str, subject: &str) -> i64 {
    app.file_json(
        token,
        json!({"kind": "petition", "subject": subject, "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
    )
    .await
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value) {
    let res = app
        .post_json(
            &format!("/api/v1/cases/{id}/transitions"),
            Some(token),
            body,
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
}

/// The records of one case, in their chain's order.
async fn of_case(db: &DatabaseConnection, case_id: i64) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::CaseId.eq(case_id))
        .order_by_asc(audit_record::Column::Seq)
        .all(db)
        .await
        .unwrap()
}

/// The newest records of `action`, newest first.
async fn latest(db: &DatabaseConnection, action: &str) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .order_by_desc(audit_record::Column::Id)
        .all(db)
        .await
        .unwrap()
}

fn details(r: &audit_record::Model) -> Value {
    serde_json::from_str(&r.details).unwrap()
}

/// What `petitio audit verify` prints, and whether it found every chain intact.
async fn verify_output(db: &DatabaseConnection) -> (bool, String) {
    let mut out = Vec::new();
    let intact = server::audit_cli::verify(db, &mut out).await.unwrap();
    (intact, String::from_utf8(out).unwrap())
}

/// Runs `sql` past the triggers that keep the records append-only (as someone with the
/// database owner's rights could).
async fn tamper(db: &DatabaseConnection, kind: Db, sql: &str) {
    // Without disabling them, the database itself refuses.
    assert!(
        db.execute_unprepared(sql).await.is_err(),
        "the append-only trigger refuses: {sql}"
    );
    match kind {
        Db::Sqlite => {
            db.execute_unprepared("DROP TRIGGER audit_record_no_update")
                .await
                .unwrap();
            db.execute_unprepared("DROP TRIGGER audit_record_no_delete")
                .await
                .unwrap();
            db.execute_unprepared(sql).await.unwrap();
        }
        Db::Postgres => {
            db.execute_unprepared(&format!(
                "BEGIN; ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only; {sql}; \
                 ALTER TABLE audit_record ENABLE TRIGGER audit_record_append_only; COMMIT"
            ))
            .await
            .unwrap();
        }
    }
}

db_test!(
    a_filed_and_examined_case_leaves_its_records_in_order_in_a_valid_chain,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen_id = app.user_id("citizen@demo.petitio").await;
        let officer_id = app.user_id("officer@demo.petitio").await;
        let inst = app.demo_institution().await;
        let id = file(&app, &citizen, "Cantina socială din Botanica").await;
        // The petitioner reading their own case is not a staff read.
        app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        // The officer opens it (the JSON API), takes it, notes, and answers.
        app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        act(&app, &officer, id, json!({"transition": "take"})).await;
        let res = app
            .client
            .post(app.url("/api/add_case_note"))
            .header("origin", &app.base)
            .header("referer", app.url(&format!("/cazuri/{id}")))
            .header("accept", "text/html")
            .bearer_auth(&officer)
            .form(&[
                ("case_id", id.to_string().as_str()),
                ("note", "Am sunat la cantină."),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{}", res.status());
        act(
            &app,
            &officer,
            id,
            json!({"transition": "answer", "answer": "Am verificat cantina.", "outcome": "admitted"}),
        )
        .await;
        // And the case page, rendered on the server, is a read too.
        let page = app.page_as(&format!("/cazuri/{id}"), &officer).await;
        assert!(page.contains("Cantina socială din Botanica"));

        let records = of_case(&app.db, id).await;
        let summary: Vec<(String, Option<i64>, String, Option<String>)> = records
            .iter()
            .map(|r| {
                (
                    r.action.clone(),
                    r.actor_id,
                    r.actor_role.clone(),
                    details(r)["transition"].as_str().map(str::to_string),
                )
            })
            .collect();
        let step = |t: &str, who: Option<i64>, role: &str| {
            (
                "case.event".to_string(),
                who,
                role.to_string(),
                Some(t.to_string()),
            )
        };
        let read = || {
            (
                "case.read".to_string(),
                Some(officer_id),
                "officer".to_string(),
                None,
            )
        };
        assert_eq!(
            summary,
            vec![
                (
                    "case.file".to_string(),
                    Some(citizen_id),
                    "citizen".to_string(),
                    None
                ),
                step("register", None, "system"),
                read(),
                step("take", Some(officer_id), "officer"),
                // The transition's answer is the case again.
                read(),
                (
                    "case.note".to_string(),
                    Some(officer_id),
                    "officer".to_string(),
                    None
                ),
                step("answer", Some(officer_id), "officer"),
                read(),
                read(),
            ]
        );
        // One chain, the institution's; consecutive places (other cases' records may sit
        // between them), each record's previous hash the hash of the record before it.
        assert!(records.iter().all(|r| r.institution_id == inst.id));
        assert!(records.windows(2).all(|w| w[0].seq < w[1].seq));
        for r in &records {
            assert_eq!(audit::hash_of(r), r.hash);
            assert_eq!(r.ip.as_deref(), Some("127.0.0.1"), "{}", r.action);
        }
        let filed = details(&records[0]);
        assert_eq!(filed["channel"], "online");
        assert!(filed["registration_number"].as_str().unwrap().contains('-'));
        assert_eq!(details(&records[6])["from"], "in_examination");
        assert_eq!(details(&records[6])["to"], "answered");
        assert_eq!(records[5].target_type.as_deref(), Some("case_note"));
        assert_eq!(records[1].target_type.as_deref(), Some("case_event"));

        let (intact, out) = verify_output(&app.db).await;
        assert!(intact, "{out}");
        assert!(
            out.contains(&format!("chain institution {}: ", inst.id)),
            "{out}"
        );
        assert!(out.contains("intact"), "{out}");

        // The administrator reads the same, newest first, filtered by the case's number.
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let number = details(&records[0])["registration_number"]
            .as_str()
            .unwrap()
            .to_string();
        let v = app
            .json_as(&format!("/api/v1/admin/audit?case_id={number}"), &admin)
            .await;
        let actions: Vec<&str> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["action"].as_str().unwrap())
            .collect();
        let mut expected: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
        expected.reverse();
        assert_eq!(actions, expected);
        assert_eq!(v["items"][0]["registration_number"], number.as_str());
        assert_eq!(v["items"][0]["actor_name"], "Olga Ceban", "{v}");
        assert_eq!(v["next_before"], Value::Null);
        // Pages of two, by `before`.
        let p1 = app
            .json_as(&format!("/api/v1/admin/audit?case_id={id}&limit=2"), &admin)
            .await;
        assert_eq!(p1["items"].as_array().unwrap().len(), 2);
        let before = p1["next_before"].as_i64().unwrap();
        assert_eq!(before, p1["items"][1]["id"].as_i64().unwrap());
        let p2 = app
            .json_as(
                &format!("/api/v1/admin/audit?case_id={id}&limit=2&before={before}"),
                &admin,
            )
            .await;
        assert_eq!(p2["items"][0]["action"], expected[2]);
        // By action and actor.
        let v = app
            .json_as(
                &format!("/api/v1/admin/audit?case_id={id}&action=case.read&actor_id=officer@demo.petitio"),
                &admin,
            )
            .await;
        assert_eq!(v["items"].as_array().unwrap().len(), 4);
        let v = app
            .json_as(
                &format!("/api/v1/admin/audit?case_id={id}&action=case.*"),
                &admin,
            )
            .await;
        assert_eq!(v["items"].as_array().unwrap().len(), records.len());
        let (status, code, body) = error_code(
            app.get_with("/api/v1/admin/audit?from=2026-13-01&action=x%25", &admin)
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        assert_eq!(body["error"]["fields"]["from"][0], "date_invalid");
        assert_eq!(body["error"]["fields"]["action"][0], "choice_invalid");

        // The page: a GET form and a table of the same records.
        let page = app
            .page_as(&format!("/admin/jurnal?case_id={number}"), &admin)
            .await;
        assert!(
            page.contains("<form method=\"get\" action=\"/admin/jurnal\""),
            "{page}"
        );
        assert!(page.contains("<caption class=\"visually-hidden\">Jurnal de audit</caption>"));
        assert!(page.contains("<code>case.note</code>"));
        assert!(page.contains(&format!("/api/v1/admin/audit.csv?case_id={number}")));
    }
);

db_test!(logins_and_refused_logins_are_recorded, |kind| {
    let app = app!(kind);
    let citizen_id = app.user_id("citizen@demo.petitio").await;
    let admin_id = app.user_id("admin@demo.petitio").await;
    app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    app.login("admin@demo.petitio", DEMO_PASSWORD).await;
    for (email, password) in [
        ("citizen@demo.petitio", "not the password"),
        ("nobody@example.md", DEMO_PASSWORD),
    ] {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let logins = latest(&app.db, "login").await;
    assert_eq!(
        logins[..2]
            .iter()
            .map(|r| (r.actor_id, r.actor_role.as_str(), r.institution_id))
            .collect::<Vec<_>>(),
        vec![
            (Some(admin_id), "admin", audit::PORTAL),
            (Some(citizen_id), "citizen", audit::PORTAL),
        ]
    );
    assert_eq!(logins[0].ip.as_deref(), Some("127.0.0.1"));
    let refused = latest(&app.db, "login.failed").await;
    assert_eq!(refused.len(), 2);
    assert_eq!(refused[0].actor_id, None);
    assert_eq!(details(&refused[0]), json!({"reason": "unknown_account"}));
    assert_eq!(refused[1].actor_id, Some(citizen_id));
    assert_eq!(details(&refused[1]), json!({"reason": "wrong_password"}));
    // The typed address of an unknown account is not kept.
    assert!(!refused[0].details.contains("nobody"));
    let (intact, out) = verify_output(&app.db).await;
    assert!(intact, "{out}");
    assert!(out.contains("chain portal: "), "{out}");
});

db_test!(administrative_changes_are_recorded_in_their_chain, |kind| {
    let app = app!(kind);
    let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
    let admin_id = app.user_id("admin@demo.petitio").await;
    let inst = app.demo_institution().await;
    let res = app
        .put_json(
            "/api/v1/admin/mail-templates/case_registered/ro",
            Some(&admin),
            json!({"subject": "Nr. {{ registration_number }} înregistrat", "body": "{{ link }}"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = app
        .post_json(
            "/api/v1/admin/api-clients",
            Some(&admin),
            json!({"name": "Aplicația cartierului", "institution_id": inst.id}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let client: Value = res.json().await.unwrap();
    // A refused change records nothing.
    let res = app
        .post_json(
            "/api/v1/admin/api-clients",
            Some(&admin),
            json!({"name": "", "institution_id": inst.id}),
        )
        .await;
    assert_eq!(res.status(), 422);

    let template = latest(&app.db, "admin.mail_template.save").await;
    assert_eq!(template.len(), 1);
    assert_eq!(template[0].institution_id, audit::PORTAL);
    assert_eq!(template[0].actor_id, Some(admin_id));
    assert_eq!(template[0].actor_role, "admin");
    assert_eq!(template[0].target_id.as_deref(), Some("case_registered/ro"));
    assert_eq!(
        details(&template[0])["subject"],
        "Nr. {{ registration_number }} înregistrat"
    );
    let issued = latest(&app.db, "admin.api_client.issue").await;
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].institution_id, inst.id);
    assert_eq!(issued[0].target_id, Some(client["id"].to_string()));
    assert_eq!(details(&issued[0])["name"], "Aplicația cartierului");
    // The key itself is never recorded.
    assert!(
        !issued[0]
            .details
            .contains(client["api_key"].as_str().unwrap())
    );
    let v = app
        .json_as("/api/v1/admin/audit?action=admin.*", &admin)
        .await;
    let actions: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..2],
        &["admin.api_client.issue", "admin.mail_template.save"]
    );
    let (intact, out) = verify_output(&app.db).await;
    assert!(intact, "{out}");
});

db_test!(concurrent_filings_leave_a_valid_gapless_chain, |kind| {
    let app = app!(kind, &[("PETITIO_RATE_LIMITS", "filing=1000/60")]);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let inst = app.demo_institution().await;
    let before = latest(&app.db, "case.file").await.len();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..20 {
        let client = app.client.clone();
        let url = app.url("/api/v1/cases");
        let origin = app.base.clone();
        let token = citizen.clone();
        set.spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .bearer_auth(token)
                .json(&json!({"kind": "petition", "subject": format!("Groapa numărul {i} din drum"), "body": "Pe strada Ismail este o groapă adâncă de o lună.", "consent_processing": true, "confirm_repeat": true}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    while let Some(status) = set.join_next().await {
        assert_eq!(status.unwrap(), 201);
    }
    assert_eq!(latest(&app.db, "case.file").await.len(), before + 20);
    let chain = audit_record::Entity::find()
        .filter(audit_record::Column::InstitutionId.eq(inst.id))
        .order_by_asc(audit_record::Column::Seq)
        .all(&app.db)
        .await
        .unwrap();
    let seqs: Vec<i64> = chain.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=chain.len() as i64).collect::<Vec<_>>());
    let reports = audit::verify(&app.db).await.unwrap();
    let mine = reports
        .iter()
        .find(|r| r.institution_id == inst.id)
        .unwrap();
    assert_eq!(mine.broken, None);
    assert_eq!(mine.checked, chain.len() as u64);
    assert_eq!(mine.last_hash, chain.last().unwrap().hash);

    // The number is taken last (after the mails are written with a placeholder): the cases are
    // numbered without gaps, each filing's two records follow each other, and no placeholder is
    // left in a case, its search text or a mail.
    let cases = petition_case::Entity::find()
        .filter(petition_case::Column::InstitutionId.eq(inst.id))
        .order_by_asc(petition_case::Column::RegSeq)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        cases.iter().map(|c| c.reg_seq).collect::<Vec<_>>(),
        (1..=cases.len() as i64).collect::<Vec<_>>()
    );
    // `~` and 32 hexadecimal digits: what stands for the number until it is taken.
    let has_placeholder = |t: &str| {
        t.match_indices('~').any(|(i, _)| {
            let rest = &t.as_bytes()[i + 1..];
            rest.len() >= 32 && rest[..32].iter().all(|b| b.is_ascii_hexdigit())
        })
    };
    let filed_here: Vec<_> = cases
        .iter()
        .filter(|c| c.subject.starts_with("Groapa numărul"))
        .collect();
    assert_eq!(filed_here.len(), 20);
    for c in filed_here {
        assert!(
            c.registration_number
                .ends_with(&format!("-{:06}", c.reg_seq)),
            "{}",
            c.registration_number
        );
        let text = c.search_text.as_deref().unwrap();
        assert!(
            text.starts_with(&c.registration_number.to_lowercase()),
            "{text}"
        );
        let records = of_case(&app.db, c.id).await;
        let filed = records.iter().find(|r| r.action == "case.file").unwrap();
        let registered = records.iter().find(|r| r.action == "case.event").unwrap();
        assert_eq!(registered.seq, filed.seq + 1, "{}", c.registration_number);
        let details: Value = serde_json::from_str(&filed.details).unwrap();
        assert_eq!(
            details["registration_number"],
            c.registration_number.as_str()
        );
        let mails = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::CaseId.eq(c.id))
            .all(&app.db)
            .await
            .unwrap();
        assert!(!mails.is_empty());
        for m in &mails {
            let all = format!(
                "{}\n{}\n{}",
                m.subject,
                m.body_text,
                m.body_html.as_deref().unwrap_or_default()
            );
            assert!(!has_placeholder(&all), "{all}");
        }
        let receipt = mails
            .iter()
            .find(|m| m.template == "case_registered")
            .unwrap();
        assert!(
            receipt.body_text.contains(&c.registration_number),
            "{}",
            receipt.body_text
        );
    }
});

db_test!(an_edited_record_is_named_by_the_verification, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let id = file(&app, &citizen, "Cantina socială din Botanica").await;
    app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
    let read = of_case(&app.db, id)
        .await
        .into_iter()
        .find(|r| r.action == "case.read")
        .unwrap();
    let (intact, _) = verify_output(&app.db).await;
    assert!(intact);
    // Someone hides who read the case.
    tamper(
        &app.db,
        kind,
        &format!(
            "UPDATE audit_record SET details = '{{\"note\":\"nothing to see\"}}' WHERE id = {}",
            read.id
        ),
    )
    .await;
    let (intact, out) = verify_output(&app.db).await;
    assert!(!intact);
    assert!(
        out.contains(&format!(
            "BROKEN at record id {} (seq {}): hash mismatch: the record was edited",
            read.id, read.seq
        )),
        "{out}"
    );
    let report = audit::verify(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.institution_id == read.institution_id)
        .unwrap();
    let broken = report.broken.unwrap();
    assert_eq!(
        (broken.id, broken.seq, broken.problem),
        (Some(read.id), read.seq, Problem::Edited)
    );
    // Other chains are still intact.
    assert!(out.contains("chain portal: "), "{out}");
    assert!(
        out.lines()
            .filter(|l| l.starts_with("chain portal"))
            .all(|l| l.contains("intact")),
        "{out}"
    );
});

db_test!(a_deleted_record_is_named_by_the_gap_it_leaves, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let id = file(&app, &citizen, "Cantina socială din Botanica").await;
    app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
    app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
    let records = of_case(&app.db, id).await;
    let reads: Vec<&audit_record::Model> =
        records.iter().filter(|r| r.action == "case.read").collect();
    let (gone, next) = (reads[0], reads[1]);
    assert_eq!(next.seq, gone.seq + 1);
    tamper(
        &app.db,
        kind,
        &format!("DELETE FROM audit_record WHERE id = {}", gone.id),
    )
    .await;
    let (intact, out) = verify_output(&app.db).await;
    assert!(!intact);
    assert!(
        out.contains(&format!(
            "BROKEN at record id {} (seq {}): seq gap: record {} is missing (deleted)",
            next.id, next.seq, gone.seq
        )),
        "{out}"
    );
});

db_test!(
    deleting_the_last_records_shows_against_the_chains_head,
    |kind| {
        let app = app!(kind);
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let id = file(&app, &citizen, "Cantina socială din Botanica").await;
        app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        let last = of_case(&app.db, id).await.pop().unwrap();
        tamper(
            &app.db,
            kind,
            &format!("DELETE FROM audit_record WHERE id = {}", last.id),
        )
        .await;
        let (intact, out) = verify_output(&app.db).await;
        assert!(!intact);
        assert!(
            out.contains(&format!(
                "BROKEN after seq {}: the chain's head says it has {} records: the last ones were deleted",
                last.seq - 1,
                last.seq
            )),
            "{out}"
        );
    }
);

db_test!(
    only_administrators_read_the_trail_and_only_of_their_institution,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let home = app.demo_institution().await;
        let id = file(&app, &citizen, "Cantina socială din Botanica").await;
        let (other, other_admin) = app.other_admin().await;
        let (other_case, _) = app.file(other, None, Some("ion@example.md")).await;

        // The other institution's administrator: their chain only.
        let v = app.json_as("/api/v1/admin/audit", &other_admin).await;
        let items = v["items"].as_array().unwrap();
        assert!(!items.is_empty());
        assert!(items.iter().all(|i| i["institution_id"] == other), "{v}");
        assert!(items.iter().any(|i| i["case_id"] == other_case));
        let v = app
            .json_as(&format!("/api/v1/admin/audit?case_id={id}"), &other_admin)
            .await;
        assert_eq!(v["items"], json!([]));
        let (status, code, _) = error_code(
            app.get_with(
                &format!("/api/v1/admin/audit?institution_id={}", home.id),
                &other_admin,
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (403, "forbidden"));
        let res = app
            .get_with(
                &format!("/api/v1/admin/audit.csv?case_id={id}"),
                &other_admin,
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.text().await.unwrap().lines().count(),
            1,
            "the header only"
        );
        // Not staff who are not administrators, nor citizens, nor visitors.
        for token in [&officer, &citizen] {
            for path in ["/api/v1/admin/audit", "/api/v1/admin/audit.csv"] {
                let (status, code, _) = error_code(app.get_with(path, token).await).await;
                assert_eq!((status, code.as_str()), (403, "forbidden"), "{path}");
            }
            let page = app.page_as("/admin/jurnal", token).await;
            assert!(page.contains("Această pagină este pentru administratori."));
            assert!(!page.contains("case.file"));
        }
        let (status, _) = app.get_text("/api/v1/admin/audit").await;
        assert_eq!(status, 401);
        // The demo administrator (of the portal's own institution) sees its chain and the
        // portal's, not the other institution's.
        let v = app.json_as("/api/v1/admin/audit?limit=500", &admin).await;
        let chains: std::collections::BTreeSet<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["institution_id"].to_string())
            .collect();
        assert_eq!(
            chains,
            ["null".to_string(), home.id.to_string()]
                .into_iter()
                .collect()
        );

        // The CSV: every record of the selection, formulas neutralised.
        user::Entity::update_many()
            .col_expr(user::Column::FullName, Expr::value("=HYPERLINK(\"x\")"))
            .filter(user::Column::Email.eq("citizen@demo.petitio"))
            .exec(&app.db)
            .await
            .unwrap();
        let res = app
            .get_with(&format!("/api/v1/admin/audit.csv?case_id={id}"), &admin)
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = res.text().await.unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "id,institution_id,seq,at,actor_id,actor_name,actor_role,action,case_id,registration_number,target_type,target_id,details,ip,prev_hash,hash"
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(rows[1].contains(",case.file,"), "{csv}");
        assert!(rows[1].contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    }
);
