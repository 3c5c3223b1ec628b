//! Data-subject rights and retention: a citizen's export holds their account, cases (with the
//! steps and files they see), mails, ratings and sessions, and nothing of another citizen's; a
//! rectification request runs through its own workflow with a one-month term (extendable by
//! two months, with notice) and changes the data with the answer; erasure is refused while a
//! file must be kept, the legal reason mailed, and granted once nothing must be kept; the
//! retention job anonymises expired cases, leaving the dashboard's numbers exactly as they were
//! and no personal string in the case's rows, history, mails or files.

use std::io::Read;

use chrono::{Months, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

use app::backend::attachments::Store;
use app::backend::entity::{
    attachment, audit_record, case_event, case_note, case_publication, case_timer, mail_outbox,
    petition_case, user,
};
use app::backend::retention::MARKER;
use app::calendar::CountryCalendar;

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n% Vasilescu-7788 scan\n";

async fn upload(app: &TestApp, token: &str, case_id: i64, name: &str, bytes: &[u8]) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
    let res = app
        .client
        .post(app.url(&format!("/api/v1/cases/{case_id}/attachments")))
        .header("origin", &app.base)
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/cases/{id}/transitions"),
        Some(token),
        body,
    )
    .await
}

async fn act_ok(app: &TestApp, token: &str, id: i64, body: Value) {
    let res = act(app, token, id, body.clone()).await;
    assert_eq!(res.status(), 200, "{body}: {:?}", res.text().await);
}

async fn case_row(app: &TestApp, id: i64) -> petition_case::Model {
    petition_case::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn file(app: &TestApp, token: &str, subject: &str, body: &str) -> i64 {
    app.file_json(
        token,
        json!({"kind": "petition", "subject": subject, "body": body,
               "postal_address": "str. Florilor 13, Chișinău", "address": "bd. Dacia 44",
               "consent_processing": true, "confirm_repeat": true}),
    )
    .await
}

/// Takes, answers (admitted) and closes a case as the demo officer.
async fn answer_and_close(app: &TestApp, officer: &str, id: i64, answer: &str) {
    act_ok(app, officer, id, json!({"transition": "take"})).await;
    act_ok(
        app,
        officer,
        id,
        json!({"transition": "answer", "answer": answer, "outcome": "admitted"}),
    )
    .await;
    act_ok(app, officer, id, json!({"transition": "close"})).await;
}

/// The zip's entries: name → bytes.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().to_string(), out)
        })
        .collect()
}

fn json_entry(all: &[(String, Vec<u8>)], name: &str) -> Value {
    let (_, bytes) = all
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} in the archive"));
    serde_json::from_slice(bytes).unwrap()
}

/// The status of the public page of `case_id`.
async fn public_status(app: &TestApp, case_id: i64) -> u16 {
    app.client
        .get(app.url(&format!("/publicate/{case_id}")))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn file_request(app: &TestApp, token: &str, kind: &str, text: &str) -> Value {
    let res = app
        .post_json(
            "/api/v1/me/data-requests",
            Some(token),
            json!({"kind": kind, "text": text}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json().await.unwrap()
}

async fn answer_request(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/cases/{id}/data-request"),
        Some(token),
        body,
    )
    .await
}

/// The newest mail of `template` to `to`.
async fn mail(app: &TestApp, to: &str, template: &str) -> mail_outbox::Model {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddr.eq(to))
        .filter(mail_outbox::Column::Template.eq(template))
        .order_by_desc(mail_outbox::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a {template} mail to {to}"))
}

db_test!(
    the_export_holds_the_citizens_account_cases_mails_ratings_sessions_and_files,
    |kind| {
        let app = app!(kind);
        let ana = app.citizen("ana@example.md").await;
        let bob = app.citizen("bob@example.md").await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let mine = file(
            &app,
            &ana,
            "Groapa din fața blocului 12",
            "Pe strada Florilor este o groapă adâncă de o lună.",
        )
        .await;
        upload(&app, &ana, mine, "poza groapă.pdf", PDF).await;
        answer_and_close(&app, &officer, mine, "Groapa va fi astupată până vineri.").await;
        let res = app
            .post_json(
                &format!("/api/v1/cases/{mine}/rating"),
                Some(&ana),
                json!({"score": 4, "comment": "Rapid"}),
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let theirs = file(
            &app,
            &bob,
            "Iluminatul pe strada Bobului",
            "Becurile de pe strada Bobului nu se aprind seara.",
        )
        .await;
        let mine_number = case_row(&app, mine).await.registration_number;
        let theirs_number = case_row(&app, theirs).await.registration_number;

        // Over the API, and from the account page's link (the same archive).
        let res = app.get_with("/api/v1/me/export", &ana).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/zip");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"petitio-date-"),
        );
        let length: usize = res.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let bytes = res.bytes().await.unwrap();
        assert_eq!(bytes.len(), length);
        let all = entries(&bytes);

        let account = json_entry(&all, "account.json");
        assert_eq!(account["email"], "ana@example.md");
        assert_eq!(account["full_name"], "Maria Rusu");

        let case = json_entry(&all, &format!("cases/{mine_number}.json"));
        assert_eq!(case["registration_number"], mine_number.as_str());
        assert_eq!(case["subject"], "Groapa din fața blocului 12");
        assert_eq!(
            case["body"],
            "Pe strada Florilor este o groapă adâncă de o lună."
        );
        assert_eq!(
            case["petitioner"]["postal_address"],
            "str. Florilor 13, Chișinău"
        );
        assert_eq!(case["status"], "closed");
        assert_eq!(case["outcome"], "admitted");
        assert_eq!(case["rating"], 4);
        assert_eq!(case["retention"]["years_after_closing"], 5);
        let steps: Vec<&str> = case["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["step"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["register", "take", "answer", "close"]);
        assert_eq!(
            case["history"][2]["answer"],
            "Groapa va fi astupată până vineri."
        );
        let listed = &case["attachments"][0];
        assert_eq!(listed["name"], "poza groapă.pdf");
        let path = listed["file"].as_str().unwrap();
        assert!(
            path.starts_with(&format!("attachments/{mine_number}/")),
            "{path}"
        );
        let (_, file_bytes) = all.iter().find(|(n, _)| n == path).unwrap();
        assert_eq!(file_bytes.as_slice(), PDF, "the attachment's bytes");

        let mails = json_entry(&all, "mails.json");
        let registered = mails
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["template"] == "case_registered")
            .expect("the registration mail");
        assert_eq!(registered["to"], "ana@example.md");
        assert_eq!(registered["registration_number"], mine_number.as_str());
        assert!(
            registered["subject"]
                .as_str()
                .unwrap()
                .contains(&mine_number)
        );
        assert!(
            mails
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["template"] == "verify_email"),
            "account mails too"
        );
        let ratings = json_entry(&all, "ratings.json");
        assert_eq!(ratings[0]["registration_number"], mine_number.as_str());
        assert_eq!(ratings[0]["rating"], 4);
        assert_eq!(ratings[0]["comment"], "Rapid");
        let sessions = json_entry(&all, "sessions.json");
        assert!(
            sessions
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["current"] == true),
            "{sessions}"
        );

        // Nothing of the other citizen's anywhere in the archive.
        for (name, content) in &all {
            let text = String::from_utf8_lossy(content);
            for other in [theirs_number.as_str(), "Bobului", "bob@example.md"] {
                assert!(!text.contains(other), "{other} in {name}");
                assert!(!name.contains(other), "{other} names {name}");
            }
        }

        // Recorded in the audit trail, once per export.
        let records = audit_record::Entity::find()
            .filter(audit_record::Column::Action.eq("data.export"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(records.len(), 1);
        let details: Value = serde_json::from_str(&records[0].details).unwrap();
        assert_eq!(details["cases"], 1);
        assert_eq!(details["attachments"], 1);
        assert_eq!(details["bytes"], length as u64);

        // The account page links to it; the link gives the same archive, without JavaScript.
        let page = app.page_as("/cont", &ana).await;
        assert!(page.contains("href=\"/cont/date.zip\""), "the export link");
        let res = app.get_with("/cont/date.zip", &ana).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/zip");
        let again = entries(&res.bytes().await.unwrap());
        assert_eq!(
            json_entry(&again, &format!("cases/{mine_number}.json"))["subject"],
            "Groapa din fața blocului 12"
        );
        let res = app.get("/cont/date.zip").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/autentificare?next=/cont");
        let (status, code, _) = error_code(app.get("/api/v1/me/export").await).await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"));
    }
);

db_test!(
    a_rectification_request_runs_through_its_workflow_with_a_one_month_term,
    |kind| {
        let app = app!(kind);
        let ana = app.citizen("ana@example.md").await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let petition = file(
            &app,
            &ana,
            "Groapa din fața blocului 12",
            "Pe strada Florilor este o groapă adâncă de o lună.",
        )
        .await;
        let receipt = file_request(
            &app,
            &ana,
            "data_rectification",
            "Numele meu corect este Maria Rusu-Ceban, iar adresa poștală este str. Ștefan cel Mare 1.",
        )
        .await;
        let id = receipt["id"].as_i64().unwrap();
        assert_eq!(receipt["kind"], "data_rectification");
        assert_eq!(receipt["status"], "registered");
        // The dashboard counts petitions and complaints (here the one petition, not 2 cases);
        // data requests only when asked for.
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        for query in ["", "?kind=petition", "?kind=data_rectification"] {
            let m = app
                .json_as(&format!("/api/v1/metrics{query}"), &manager)
                .await;
            assert_eq!(
                (&m["received"], &m["open_now"]),
                (&json!(1), &json!(1)),
                "{query}: {m}"
            );
        }

        // One month from registration (the same day of the next month, or that month's last
        // day), moved to a working day of the institution's calendar.
        let inst = app.demo_institution().await;
        let today = Utc::now()
            .with_timezone(&chrono_tz::Europe::Chisinau)
            .date_naive();
        let calendar = app::backend::calendars::load(&app.db, CountryCalendar::Md, Some(inst.id))
            .await
            .unwrap();
        let due = calendar.roll_forward(today.checked_add_months(Months::new(1)).unwrap());
        assert_eq!(receipt["answer_due"], due.to_string());
        let row = case_row(&app, id).await;
        assert_eq!(row.workflow_name, "md-data-request");
        assert_eq!(row.answer_due, Some(due));
        let timer = case_timer::Entity::find()
            .filter(case_timer::Column::CaseId.eq(id))
            .filter(case_timer::Column::Name.eq("answer_due"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((timer.status.as_str(), timer.due_on), ("running", due));
        let registered = mail(&app, "ana@example.md", "data_request_registered").await;
        assert!(
            registered
                .body_text
                .contains(&due.format("%d.%m.%Y").to_string()),
            "{}",
            registered.body_text
        );

        // Staff see it as a case of its own kind: the generic forms do not answer it.
        let view = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        let offered: Vec<&str> = view["available_transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        assert_eq!(offered, ["take"]);
        let panel = app
            .json_as(&format!("/api/v1/cases/{id}/data-request"), &officer)
            .await;
        assert_eq!(panel["open"], true, "the answers are on the panel");
        let (status, code, _) = error_code(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "data_rectify", "answer": "x", "outcome": "admitted"}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "transition_not_allowed"));

        // Extended by two further months at most, with notice to the citizen.
        act_ok(&app, &officer, id, json!({"transition": "take"})).await;
        let view = app.json_as(&format!("/api/v1/cases/{id}"), &officer).await;
        let offered: Vec<&str> = view["available_transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        assert_eq!(offered, ["request_info", "extend"]);
        // By two further calendar months at most: the same day two months on (59 to 62 days).
        let limit = (due.checked_add_months(Months::new(2)).unwrap() - due).num_days();
        let (status, _, body) = error_code(
            act(
                &app,
                &officer,
                id,
                json!({"transition": "extend", "reason": "Cerere complexă", "extension_days": limit + 1}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422, "{body}");
        // extension_months_range:2, or extension_days_range:62 past 62 days.
        assert!(body.to_string().contains("extension_"), "{body}");
        act_ok(
            &app,
            &officer,
            id,
            json!({"transition": "extend", "reason": "Verificăm dosarele din arhivă", "extension_days": limit}),
        )
        .await;
        let extended = calendar.roll_forward(due + chrono::Duration::days(limit));
        assert_eq!(case_row(&app, id).await.answer_due, Some(extended));
        let notice = mail(&app, "ana@example.md", "data_request_extended").await;
        assert!(notice.body_text.contains("Verificăm dosarele din arhivă"));
        assert!(
            notice
                .body_text
                .contains(&extended.format("%d.%m.%Y").to_string())
        );

        // The panel shows the data as held; the citizen cannot answer their own request.
        let panel = app
            .json_as(&format!("/api/v1/cases/{id}/data-request"), &officer)
            .await;
        assert_eq!(panel["full_name"], "Maria Rusu");
        assert_eq!(panel["email"], "ana@example.md");
        assert_eq!(panel["open"], true);
        let (status, _, _) = error_code(
            answer_request(
                &app,
                &ana,
                id,
                json!({"action": "rectify", "full_name": "Maria X"}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 403);
        // Nothing to rectify, a taken address: named.
        let (status, _, body) =
            error_code(answer_request(&app, &officer, id, json!({"action": "rectify"})).await)
                .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["full_name"][0], "rectify_nothing");
        let (status, _, body) = error_code(
            answer_request(
                &app,
                &officer,
                id,
                json!({"action": "rectify", "email": "citizen@demo.petitio"}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["email"][0], "email_taken");

        // Granted: the name and postal address change in the account and in her files here.
        let res = answer_request(
            &app,
            &officer,
            id,
            json!({"action": "rectify", "full_name": "Maria Rusu-Ceban",
                   "postal_address": "str. Ștefan cel Mare 1, Chișinău"}),
        )
        .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let row = case_row(&app, id).await;
        assert_eq!(row.status, "rectified");
        assert_eq!(row.outcome.as_deref(), Some("admitted"));
        assert!(row.answered_at.is_some() && row.closed_at.is_some());
        let me = user::Entity::find()
            .filter(user::Column::Email.eq("ana@example.md"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(me.full_name, "Maria Rusu-Ceban");
        let other = case_row(&app, petition).await;
        assert_eq!(other.petitioner_name, "Maria Rusu-Ceban");
        assert_eq!(
            other.petitioner_address.as_deref(),
            Some("str. Ștefan cel Mare 1, Chișinău")
        );
        let answered = mail(&app, "ana@example.md", "data_request_answered").await;
        assert!(
            answered
                .body_text
                .contains("Datele dumneavoastră au fost rectificate: numele, adresa poștală."),
            "{}",
            answered.body_text
        );
        // Recorded: which data changed, by whom; never the values.
        let record = audit_record::Entity::find()
            .filter(audit_record::Column::Action.eq("data.rectify"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.case_id, Some(id));
        assert_eq!(record.actor_role, "officer");
        let details: Value = serde_json::from_str(&record.details).unwrap();
        assert_eq!(details["fields"], json!(["full_name", "postal_address"]));
        assert_eq!(details["cases"], 2);
        assert!(!record.details.contains("Ceban") && !record.details.contains("Ștefan"));
        // Answered once: the panel offers nothing more.
        let panel = app
            .json_as(&format!("/api/v1/cases/{id}/data-request"), &officer)
            .await;
        assert_eq!(panel["open"], false);
        let (status, code, _) = error_code(
            answer_request(
                &app,
                &officer,
                id,
                json!({"action": "refuse", "reason": "x"}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "transition_not_allowed"));
    }
);

db_test!(
    erasure_is_refused_while_the_retention_period_runs_and_granted_after_it,
    |kind| {
        let app = app!(kind);
        let ana = app.citizen("ana@example.md").await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let petition = file(
            &app,
            &ana,
            "Groapa din fața blocului 12",
            "Pe strada Florilor este o groapă adâncă de o lună.",
        )
        .await;
        let number = case_row(&app, petition).await.registration_number;
        let first = file_request(
            &app,
            &ana,
            "data_erasure",
            "Vă rog să ștergeți toate datele mele personale din portal.",
        )
        .await;
        let first = first["id"].as_i64().unwrap();

        // While the petition is open: refused, naming it.
        let (status, _, body) =
            error_code(answer_request(&app, &officer, first, json!({"action": "erase"})).await)
                .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["action"][0],
            format!("retention_running:{number}")
        );
        let panel = app
            .json_as(&format!("/api/v1/cases/{first}/data-request"), &officer)
            .await;
        assert_eq!(panel["kept"][0]["registration_number"], number.as_str());
        assert_eq!(panel["kept"][0]["kept_until"], Value::Null);

        // Closed, it is still kept five years after closing.
        answer_and_close(&app, &officer, petition, "Groapa a fost astupată.").await;
        let closed_at = case_row(&app, petition).await.closed_at.unwrap();
        let until = closed_at
            .checked_add_months(Months::new(60))
            .unwrap()
            .date_naive();
        let panel = app
            .json_as(&format!("/api/v1/cases/{first}/data-request"), &officer)
            .await;
        assert_eq!(panel["kept"][0]["kept_until"], until.to_string());
        assert_eq!(panel["kept"][0]["years"], 5);
        let (status, _, _) =
            error_code(answer_request(&app, &officer, first, json!({"action": "erase"})).await)
                .await;
        assert_eq!(status, 422);

        // Refused with the legal reason, which reaches the citizen by mail.
        let res = answer_request(&app, &officer, first, json!({"action": "refuse"})).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let row = case_row(&app, first).await;
        assert_eq!(row.status, "refused");
        assert_eq!(row.outcome.as_deref(), Some("rejected"));
        let refused = mail(&app, "ana@example.md", "data_request_refused").await;
        let kept = format!("{number} (păstrat până la {})", until.format("%d.%m.%Y"));
        assert!(refused.body_text.contains(&kept), "{}", refused.body_text);
        assert!(
            refused.body_text.contains(
                "art. 17 alin. (3) lit. (b) din Regulamentul general privind protecția datelor"
            ),
            "{}",
            refused.body_text
        );
        assert!(refused.subject.contains(&row.registration_number));
        let history = app.json_as(&format!("/api/v1/cases/{first}"), &ana).await;
        let last = history["history"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["transition"], "data_refuse");
        // Nothing was anonymised.
        assert_eq!(
            case_row(&app, petition).await.subject,
            "Groapa din fața blocului 12"
        );

        // Once the petition's period has ended, a new request is granted: the petition is
        // anonymised and the account closed; the answer still reaches her.
        petition_case::Entity::update_many()
            .col_expr(
                petition_case::Column::ClosedAt,
                Expr::value(closed_at - chrono::Duration::days(6 * 366)),
            )
            .filter(petition_case::Column::Id.eq(petition))
            .exec(&app.db)
            .await
            .unwrap();
        let second = file_request(
            &app,
            &ana,
            "data_erasure",
            "Vă rog din nou să ștergeți datele mele personale din portal.",
        )
        .await;
        let second = second["id"].as_i64().unwrap();
        let panel = app
            .json_as(&format!("/api/v1/cases/{second}/data-request"), &officer)
            .await;
        assert_eq!(panel["kept"], json!([]));
        let res = answer_request(&app, &officer, second, json!({"action": "erase"})).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(case_row(&app, second).await.status, "erased");
        let old = case_row(&app, petition).await;
        assert_eq!(old.petitioner_name, MARKER);
        assert_eq!(old.subject, MARKER);
        assert!(old.anonymised_at.is_some() && old.petitioner_id.is_none());
        let erased = mail(&app, "ana@example.md", "data_request_answered").await;
        assert!(
            erased
                .body_text
                .contains("Contul dumneavoastră a fost închis"),
            "{}",
            erased.body_text
        );
        assert!(
            user::Entity::find()
                .filter(user::Column::Email.eq("ana@example.md"))
                .one(&app.db)
                .await
                .unwrap()
                .is_none(),
            "the account's address is gone"
        );
        let res = app
            .post_json(
                "/api/v1/auth/login",
                None,
                json!({"email": "ana@example.md", "password": "a long enough password"}),
            )
            .await;
        assert_eq!(res.status(), 401);
        let (status, _, _) = error_code(app.get_with("/api/v1/me/export", &ana).await).await;
        assert_eq!(status, 401, "her sessions ended");
        let record = audit_record::Entity::find()
            .filter(audit_record::Column::Action.eq("data.erase"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let details: Value = serde_json::from_str(&record.details).unwrap();
        assert_eq!(
            details,
            json!({"cases_anonymised": 1, "account_erased": true})
        );
    }
);

/// Every text column of the case's rows, its history, notes and mails, as one string.
async fn everything_about(app: &TestApp, id: i64) -> String {
    let mut all = format!("{:?}", case_row(app, id).await);
    for e in case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
    {
        all.push_str(&format!("{e:?}"));
    }
    for n in case_note::Entity::find()
        .filter(case_note::Column::CaseId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
    {
        all.push_str(&format!("{n:?}"));
    }
    for m in mail_outbox::Entity::find()
        .filter(mail_outbox::Column::CaseId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
    {
        all.push_str(&format!("{m:?}"));
    }
    for a in attachment::Entity::find()
        .filter(attachment::Column::CaseId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
    {
        all.push_str(&format!("{a:?}"));
    }
    all
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .flat_map(|e| {
                    if e.path().is_dir() {
                        files_under(&e.path())
                    } else {
                        vec![e.path()]
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

db_test!(
    anonymisation_keeps_the_dashboard_numbers_and_removes_the_personal_data,
    |kind| {
        let app = app!(kind);
        let ana = app.citizen("ana@example.md").await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let personal = [
            "Maria Rusu",
            "ana@example.md",
            "Vasilescu-7788",
            "+37369123456",
            "str. Florilor 13",
            "bd. Dacia 44",
        ];
        // Answered, rated and closed; with a file, an internal note.
        let answered = file(
            &app,
            &ana,
            "Groapa de lângă Vasilescu-7788",
            "Sunați-mă la +37369123456, locuiesc lângă groapă de o lună.",
        )
        .await;
        upload(&app, &ana, answered, "scan Vasilescu-7788.pdf", PDF).await;
        case_note::ActiveModel {
            case_id: Set(answered),
            author_id: Set(None),
            body: Set("Am vorbit cu Vasilescu-7788 la +37369123456".into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        answer_and_close(
            &app,
            &officer,
            answered,
            "Stimată Maria Rusu, groapa de lângă Vasilescu-7788 a fost astupată.",
        )
        .await;
        let res = app
            .post_json(
                &format!("/api/v1/cases/{answered}/rating"),
                Some(&ana),
                json!({"score": 5, "comment": "Mulțumesc, Vasilescu-7788"}),
            )
            .await;
        assert_eq!(res.status(), 200);
        // Dismissed with a reason.
        let dismissed = file(
            &app,
            &ana,
            "A doua sesizare Vasilescu-7788",
            "Tot despre groapa de lângă +37369123456, din nou.",
        )
        .await;
        act_ok(
            &app,
            &officer,
            dismissed,
            json!({"transition": "dismiss", "reason": "Repetată: vezi cererea lui Vasilescu-7788"}),
        )
        .await;
        // Still open: kept as it is.
        let open = file(
            &app,
            &ana,
            "Iluminat Vasilescu-7788",
            "Becurile nu se aprind lângă +37369123456 de o săptămână.",
        )
        .await;
        // The answered case is published, with consent (its redacted version, as an officer
        // left it).
        petition_case::Entity::update_many()
            .col_expr(petition_case::Column::ConsentPublish, Expr::value(true))
            .filter(petition_case::Column::Id.eq(answered))
            .exec(&app.db)
            .await
            .unwrap();
        case_publication::ActiveModel {
            case_id: Set(answered),
            institution_id: Set(app.demo_institution().await.id),
            subject: Set("Groapa de lângă [•]".into()),
            body: Set("Sunați-mă la [•], locuiesc lângă groapă de o lună.".into()),
            search_text: Set("groapa".into()),
            redactions: Set(2),
            published_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        assert_eq!(public_status(&app, answered).await, 200);
        let before_rows = (
            case_row(&app, answered).await,
            case_row(&app, dismissed).await,
        );
        let metrics = |app: &TestApp, token: String| {
            let app_url = app.url("/api/v1/metrics");
            let client = app.client.clone();
            async move {
                let res = client.get(app_url).bearer_auth(token).send().await.unwrap();
                assert_eq!(res.status(), 200);
                res.json::<Value>().await.unwrap()
            }
        };
        let dashboard = metrics(&app, manager.clone()).await;
        let dashboard_admin = metrics(&app, admin.clone()).await;
        let public = app
            .json_as("/api/v1/public/statistics.json", &manager)
            .await;
        assert_eq!(
            (
                &dashboard_admin["received"],
                &dashboard_admin["answered"],
                &dashboard_admin["dismissed"],
                &dashboard_admin["satisfied"],
            ),
            (&json!(3), &json!(1), &json!(1), &json!(1)),
            "{dashboard_admin}"
        );
        let stored = files_under(&app.attachments_dir);
        assert_eq!(stored.len(), 1);

        // Five years after closing (the default), as the job and `petitio retention run` see it.
        let store = Store::new(&app.attachments_dir);
        let later = Utc::now().checked_add_months(Months::new(61)).unwrap();
        let mut out = Vec::new();
        let dry = server::retention_cli::run_once(&app.db, &store, later, true, 100, &mut out)
            .await
            .unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert_eq!(
            printed,
            format!(
                "{}\n{}\n2 cases due for anonymisation, 0 files removed\n",
                before_rows.0.registration_number, before_rows.1.registration_number
            )
        );
        assert!(dry.dry_run);
        assert_eq!(
            case_row(&app, answered).await,
            before_rows.0,
            "a dry run changes nothing"
        );
        // A bounded run takes one; the next the other; then there is nothing left.
        let one = app::backend::retention::run(&app.db, &store, later, 1, false)
            .await
            .unwrap();
        assert_eq!(one.anonymised, [before_rows.0.registration_number.as_str()]);
        assert!(one.more);
        assert_eq!(one.files_removed, 1);
        let mut out = Vec::new();
        server::retention_cli::run_once(&app.db, &store, later, false, 100, &mut out)
            .await
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "{}\n1 cases anonymised, 0 files removed\n",
                before_rows.1.registration_number
            )
        );
        let again = app::backend::retention::run(&app.db, &store, later, 100, false)
            .await
            .unwrap();
        assert!(again.anonymised.is_empty() && !again.more, "idempotent");
        // Off the public pages: the publication went with the personal data.
        assert_eq!(public_status(&app, answered).await, 404);
        assert!(
            case_publication::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .is_empty()
        );

        // The dashboard, to the number.
        assert_eq!(metrics(&app, manager.clone()).await, dashboard);
        assert_eq!(metrics(&app, admin.clone()).await, dashboard_admin);
        assert_eq!(
            app.json_as("/api/v1/public/statistics.json", &manager)
                .await,
            public
        );

        // No personal string left in the anonymised cases' rows, history, notes, mails, files.
        for id in [answered, dismissed] {
            let all = everything_about(&app, id).await;
            for p in personal {
                assert!(!all.contains(p), "{p} left in case {id}: {all}");
            }
        }
        assert!(
            files_under(&app.attachments_dir).is_empty(),
            "the file is gone"
        );
        assert!(
            attachment::Entity::find()
                .filter(attachment::Column::CaseId.eq(answered))
                .all(&app.db)
                .await
                .unwrap()
                .is_empty()
        );
        // What the statistics count is kept.
        let after = case_row(&app, answered).await;
        let b = &before_rows.0;
        assert_eq!(after.registration_number, b.registration_number);
        assert_eq!(
            (after.filed_at, after.answered_at, after.closed_at),
            (b.filed_at, b.answered_at, b.closed_at)
        );
        assert_eq!(
            (
                &after.status,
                &after.outcome,
                after.response_days,
                after.response_working_days
            ),
            (
                &b.status,
                &b.outcome,
                b.response_days,
                b.response_working_days
            )
        );
        assert_eq!(
            (
                after.department_id,
                after.category_id,
                after.assignee_id,
                after.rating
            ),
            (b.department_id, b.category_id, b.assignee_id, Some(5))
        );
        assert_eq!(
            (after.subject.as_str(), after.rating_comment),
            (MARKER, None)
        );
        let steps: Vec<(String, Option<String>)> = case_event::Entity::find()
            .filter(case_event::Column::CaseId.eq(answered))
            .order_by_asc(case_event::Column::Id)
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| {
                (
                    e.transition,
                    e.data
                        .and_then(|d| d.get("answer").and_then(Value::as_str).map(str::to_string)),
                )
            })
            .collect();
        assert_eq!(steps[2], ("answer".to_string(), Some(MARKER.to_string())));
        // The open case is untouched.
        assert_eq!(
            case_row(&app, open).await.subject,
            "Iluminat Vasilescu-7788"
        );
        // One audit record per anonymised case, naming what was removed, not the data; the
        // chains still verify.
        let records = audit_record::Entity::find()
            .filter(audit_record::Column::Action.eq("case.anonymise"))
            .order_by_asc(audit_record::Column::Id)
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            records.iter().map(|r| r.case_id).collect::<Vec<_>>(),
            [Some(answered), Some(dismissed)]
        );
        let details: Value = serde_json::from_str(&records[0].details).unwrap();
        assert_eq!(details["reason"], "retention");
        assert_eq!(details["attachments"], 1);
        assert_eq!(details["notes"], 1);
        for r in &records {
            for p in personal {
                assert!(!r.details.contains(p));
            }
        }
        let mut out = Vec::new();
        assert!(server::audit_cli::verify(&app.db, &mut out).await.unwrap());

        // The period is a setting per institution and kind: an administrator sets it.
        let inst = app.demo_institution().await;
        let res = app
            .put_json(
                "/api/v1/admin/retention",
                Some(&admin),
                json!({"institution_id": inst.id, "case_kind": "petition", "years": 1}),
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let settings = app.json_as("/api/v1/admin/retention", &admin).await;
        assert_eq!(settings["default_years"], 5);
        assert_eq!(
            settings["policies"],
            json!([{"institution_id": inst.id, "case_kind": "petition", "years": 1}])
        );
        assert_eq!(
            app::backend::retention::years_for(&app.db, inst.id, "petition")
                .await
                .unwrap(),
            1
        );
        let res = app
            .put_json(
                "/api/v1/admin/retention",
                Some(&admin),
                json!({"institution_id": inst.id, "case_kind": "petition", "years": 0}),
            )
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["years"][0], "retention_years");
        let (status, _, _) =
            error_code(app.get_with("/api/v1/admin/retention", &officer).await).await;
        assert_eq!(status, 403);
    }
);

/// A urlencoded form post from a page of this site, as a browser without JavaScript sends it.
async fn post_form(
    app: &TestApp,
    path: &str,
    token: &str,
    referer: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
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

db_test!(
    the_request_and_its_answer_work_as_plain_forms_without_javascript,
    |kind| {
        let app = app!(kind);
        let ana = app.citizen("ana@example.md").await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let page = app.page_as("/cont", &ana).await;
        assert!(
            page.contains(r#"action="/api/file_data_request""#),
            "the request form"
        );
        assert!(page.contains(r#"value="data_erasure""#));
        // Too short a text: back to the form, nothing filed.
        let res = post_form(
            &app,
            "/api/file_data_request",
            &ana,
            "/cont",
            &[("kind", "data_erasure"), ("text", "Ștergeți")],
        )
        .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert!(
            !res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/cazuri/")
        );
        let res = post_form(
            &app,
            "/api/file_data_request",
            &ana,
            "/cont",
            &[
                ("kind", "data_erasure"),
                (
                    "text",
                    "Vă rog să ștergeți datele mele personale din portal.",
                ),
            ],
        )
        .await;
        assert_eq!(res.status(), 302);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = location
            .strip_prefix("/cazuri/")
            .and_then(|s| s.strip_suffix("?nou=1"))
            .unwrap()
            .parse()
            .unwrap();
        let row = case_row(&app, id).await;
        assert_eq!(
            (row.kind.as_str(), row.status.as_str()),
            ("data_erasure", "registered")
        );

        // Staff see the panel on the case page, with nothing to keep: erasure allowed.
        let page = app.page_as(&format!("/cazuri/{id}"), &officer).await;
        assert!(page.contains("Cerere privind datele personale"));
        assert!(page.contains("Niciun dosar al solicitantului nu mai trebuie păstrat"));
        assert!(page.contains(r#"action="/api/answer_data_request""#));
        assert!(page.contains(r#"name="action" value="erase""#));
        // The petitioner's own page has no panel.
        let own = app.page_as(&format!("/cazuri/{id}"), &ana).await;
        assert!(!own.contains("answer_data_request"));
        let version = row.version.to_string();
        let res = post_form(
            &app,
            "/api/answer_data_request",
            &officer,
            &format!("/cazuri/{id}"),
            &[
                ("case_id", id.to_string().as_str()),
                ("expected_version", version.as_str()),
                ("action", "refuse"),
                ("reason", "Identitatea nu a putut fi confirmată."),
            ],
        )
        .await;
        assert_eq!(res.status(), 302);
        assert_eq!(
            res.headers()["location"],
            format!("/cazuri/{id}?gata=date").as_str()
        );
        assert_eq!(case_row(&app, id).await.status, "refused");
        let refused = mail(&app, "ana@example.md", "data_request_refused").await;
        assert!(
            refused
                .body_text
                .contains("Identitatea nu a putut fi confirmată.")
        );
    }
);
