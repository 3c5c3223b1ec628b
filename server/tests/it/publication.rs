//! Publication of redacted cases: an officer publishes a case whose petitioner consented, with
//! the personal data found in its subject, text and answer removed (and one piece kept, one
//! added by hand); the public page, the public list, its search, the public JSON API and
//! Open311 never carry an unredacted string (asserted on the raw HTML, JSON and XML), while
//! the petitioner and the staff still read the case whole. Without consent, by the
//! petitioner, or by an officer of another institution, publishing is refused.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use app::backend::entity::{audit_record, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

const MARKER: &str = "[date personale eliminate]";
const SUBJECT: &str = "Iluminatul stradal lângă blocul lui Ion Popescu";
const BODY: &str = "Subsemnatul Ion Popescu, IDNP 2002001234567 (CNP 1850723123451 în România), \
    locuiesc pe str. Trandafirilor 7, ap. 3. Becurile de pe stradă nu funcționează de o lună; \
    vecinul meu Gheorghe a sunat deja la dispeceratul primăriei, +373 22 123 456. Telefonul \
    meu: 069 123 456 sau +40 721 234 567, e-mail ion.popescu@example.md.";
const PLACE: &str = "intersecția str. Ismail cu bd. Ștefan cel Mare";
const ANSWER: &str =
    "Domnule Popescu, am înlocuit becurile pe 12.03.2026. Pentru detalii sunați la 022 123 456.";
/// What must never reach a public page or answer.
const PERSONAL: [&str; 10] = [
    "Popescu",
    "2002001234567",
    "1850723123451",
    "Trandafirilor",
    "069 123 456",
    "721 234 567",
    "ion.popescu@example.md",
    "Gheorghe",
    "022 123 456",
    "ap. 3",
];

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

/// The demo citizen (Ion Popescu) files the case, with or without consent to publication;
/// the demo officer takes it and answers.
async fn answered_case(app: &TestApp, consent: bool) -> i64 {
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let id = app
        .file_json(
            &citizen,
            json!({"kind": "petition", "subject": SUBJECT, "body": BODY, "address": PLACE,
                   "postal_address": "str. Trandafirilor 7, ap. 3, Chișinău",
                   "consent_processing": true, "consent_publish": consent, "confirm_repeat": true}),
        )
        .await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    act(app, &officer, id, json!({"transition": "take"})).await;
    act(
        app,
        &officer,
        id,
        json!({"transition": "answer", "answer": ANSWER, "outcome": "admitted"}),
    )
    .await;
    id
}

async fn put_publication(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    app.put_json(
        &format!("/api/v1/cases/{id}/publication"),
        Some(token),
        body,
    )
    .await
}

async fn delete_publication(app: &TestApp, token: &str, id: i64) -> reqwest::Response {
    app.client
        .delete(app.url(&format!("/api/v1/cases/{id}/publication")))
        .header("origin", &app.base)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// The body of an anonymous GET.
async fn public(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

fn assert_nothing_personal(what: &str, out: &str) {
    for p in PERSONAL {
        assert!(!out.contains(p), "{p} in {what}: {out}");
    }
}

/// `(kind, text)` of each piece found in `field` of a draft.
fn found(draft: &Value, field: &str) -> Vec<(String, String)> {
    draft["texts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["field"] == field)
        .unwrap()["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn span_id(draft: &Value, field: &str, text: &str) -> String {
    draft["texts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["field"] == field)
        .unwrap()["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == text)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect()
}

async fn audit_actions(app: &TestApp, case_id: i64) -> Vec<(String, Option<i64>)> {
    audit_record::Entity::find()
        .filter(audit_record::Column::CaseId.eq(case_id))
        .filter(audit_record::Column::Action.is_in(["case.publish", "case.unpublish"]))
        .order_by_asc(audit_record::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.actor_id))
        .collect()
}

db_test!(
    a_published_case_shows_the_public_only_its_redacted_version,
    |kind| {
        let app = app!(kind);
        let id = answered_case(&app, true).await;
        let number = petition_case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .registration_number;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let officer_id = app.user_id("officer@demo.petitio").await;

        // Not published yet: nothing public, and Open311 shows the consented case without text.
        assert_eq!(public(&app, &format!("/publicate/{id}")).await.0, 404);
        assert_eq!(
            public(&app, &format!("/api/v1/public/cases/{id}")).await.0,
            404
        );
        let (status, o311) = public(&app, &format!("/open311/v2/requests/{number}.json")).await;
        assert_eq!(status, 200);
        let o311: Value = serde_json::from_str(&o311).unwrap();
        for field in ["description", "status_notes", "address", "lat", "long"] {
            assert_eq!(o311[0][field], Value::Null, "{field}");
        }

        // The draft: every piece found, by kind, in each text.
        let draft = app
            .json_as(
                &format!("/api/v1/cases/{id}/publication?extra=Gheorghe"),
                &officer,
            )
            .await;
        assert_eq!(draft["status"]["consent"], true);
        assert_eq!(draft["status"]["published"], false);
        let fields: Vec<&str> = draft["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["subject", "body", "address", "answer"]);
        assert_eq!(found(&draft, "subject"), pairs(&[("name", "Ion Popescu")]));
        assert_eq!(
            found(&draft, "body"),
            pairs(&[
                ("name", "Ion Popescu"),
                ("idnp", "2002001234567"),
                ("cnp", "1850723123451"),
                ("address", "str. Trandafirilor 7, ap. 3"),
                ("manual", "Gheorghe"),
                ("phone", "+373 22 123 456"),
                ("phone", "069 123 456"),
                ("phone", "+40 721 234 567"),
                ("email", "ion.popescu@example.md"),
            ])
        );
        assert_eq!(found(&draft, "address"), vec![]);
        assert_eq!(
            found(&draft, "answer"),
            pairs(&[("name", "Popescu"), ("phone", "022 123 456")])
        );
        assert_eq!(
            span_id(&draft, "subject", "Ion Popescu"),
            format!("subject:36-{}", SUBJECT.chars().count())
        );

        // Published: everything removed but the city hall's own number, which the officer keeps.
        let keep = span_id(&draft, "body", "+373 22 123 456");
        let res = put_publication(
            &app,
            &officer,
            id,
            json!({"version": draft["version"], "keep": [keep], "extra": ["Gheorghe"]}),
        )
        .await;
        assert_eq!(res.status(), 200);
        let status: Value = res.json().await.unwrap();
        assert_eq!(status["published"], true);
        assert_eq!(status["redactions"], 11);
        assert_eq!(status["published_by"], "Olga Ceban");
        assert_eq!(
            audit_actions(&app, id).await,
            vec![("case.publish".to_string(), Some(officer_id))]
        );

        let body = format!(
            "Subsemnatul {MARKER}, IDNP {MARKER} (CNP {MARKER} în România), locuiesc pe {MARKER}. \
             Becurile de pe stradă nu funcționează de o lună; vecinul meu {MARKER} a sunat deja la \
             dispeceratul primăriei, +373 22 123 456. Telefonul meu: {MARKER} sau {MARKER}, e-mail \
             {MARKER}."
        );
        let answer = format!(
            "Domnule {MARKER}, am înlocuit becurile pe 12.03.2026. Pentru detalii sunați la {MARKER}."
        );

        // The public JSON API.
        let (status, one) = public(&app, &format!("/api/v1/public/cases/{id}")).await;
        assert_eq!(status, 200);
        assert_nothing_personal("the public case", &one);
        let one: Value = serde_json::from_str(&one).unwrap();
        assert_eq!(
            one["subject"],
            format!("Iluminatul stradal lângă blocul lui {MARKER}")
        );
        assert_eq!(one["body"], body);
        assert_eq!(one["address"], PLACE);
        assert_eq!(one["answer"], answer);
        assert_eq!(one["registration_number"], number);
        let (_, list) = public(&app, "/api/v1/public/cases").await;
        assert_nothing_personal("the public list", &list);
        let list: Value = serde_json::from_str(&list).unwrap();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], id);
        // The search reads the redacted version only.
        for (q, total) in [
            ("becurile dispeceratul", 1),
            ("becurile primariei", 1),
            ("Popescu", 0),
            ("2002001234567", 0),
            ("Gheorghe", 0),
            ("trandafirilor", 0),
        ] {
            let (_, found) = public(&app, &format!("/api/v1/public/cases?q={q}")).await;
            let found: Value = serde_json::from_str(&found).unwrap();
            assert_eq!(found["total"], total, "{q}");
        }

        // The public pages, raw.
        let (status, page) = public(&app, &format!("/publicate/{id}")).await;
        assert_eq!(status, 200);
        assert_nothing_personal("the public page", &page);
        assert!(
            page.contains(&format!("<span class=\"redacted\">{MARKER}</span>")),
            "{page}"
        );
        assert!(page.contains("Becurile de pe stradă nu funcționează"));
        assert!(page.contains("+373 22 123 456"));
        for path in ["/publicate", "/publicate?q=becurile"] {
            let (status, page) = public(&app, path).await;
            assert_eq!(status, 200);
            assert_nothing_personal(path, &page);
            assert!(
                page.contains(&format!("href=\"/publicate/{id}\"")),
                "{path}"
            );
        }
        // (The search box repeats the query; the case is not found by it.)
        for path in ["/publicate?q=Popescu", "/publicate?q=069+123+456"] {
            let (status, page) = public(&app, path).await;
            assert_eq!(status, 200);
            assert!(
                !page.contains(&format!("href=\"/publicate/{id}\"")),
                "{path}"
            );
            assert!(
                page.contains("Niciun caz publicat nu corespunde căutării."),
                "{path}"
            );
        }

        // Open311: the redacted text and answer, in JSON and XML.
        for path in [
            format!("/open311/v2/requests/{number}.json"),
            format!("/open311/v2/requests/{number}.xml"),
            "/open311/v2/requests.json".to_string(),
            "/open311/v2/requests.xml".to_string(),
        ] {
            let (status, out) = public(&app, &path).await;
            assert_eq!(status, 200);
            assert_nothing_personal(&path, &out);
        }
        let (_, o311) = public(&app, &format!("/open311/v2/requests/{number}.json")).await;
        let o311: Value = serde_json::from_str(&o311).unwrap();
        assert_eq!(o311[0]["description"], body);
        assert_eq!(o311[0]["status_notes"], answer);
        assert_eq!(o311[0]["address"], PLACE);
        let res = app
            .client
            .get(app.url(&format!("/open311/v2/requests/{number}.json")))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        let en: Value = res.json().await.unwrap();
        assert!(
            en[0]["status_notes"]
                .as_str()
                .unwrap()
                .starts_with("Domnule [personal data removed], am înlocuit"),
            "{en}"
        );

        // The petitioner and the staff still read the case whole.
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let own = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        assert_eq!(own["body"], BODY);
        let own_page = app.page_as(&format!("/cazuri/{id}"), &citizen).await;
        assert!(own_page.contains("2002001234567") && own_page.contains("Gheorghe"));
        let staff_page = app.page_as(&format!("/cazuri/{id}"), &officer).await;
        assert!(staff_page.contains("069 123 456"));
        assert!(staff_page.contains(ANSWER));
        assert!(
            staff_page.contains("Publicat la ")
                && staff_page.contains("date personale eliminate: 11"),
            "the staff page tells the publication"
        );
        assert!(staff_page.contains(&format!("href=\"/publicate/{id}\"")));

        // Detection alone, for staff: kinds and character offsets.
        let res = app
            .post_json(
                "/api/v1/redaction/detect",
                Some(&officer),
                json!({"text": "Țara: tel. 069 123 456, CNP 1850723123451; dna Rusu.", "names": []}),
            )
            .await;
        assert_eq!(res.status(), 200);
        let detected: Value = res.json().await.unwrap();
        let spans: Vec<(String, u64, u64)> = detected["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["kind"].as_str().unwrap().to_string(),
                    s["start"].as_u64().unwrap(),
                    s["end"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            vec![
                ("phone".to_string(), 11, 22),
                ("cnp".to_string(), 28, 41),
                ("name".to_string(), 47, 51)
            ]
        );

        // A second publication: the list goes a page at a time, newest first.
        let second = answered_case(&app, true).await;
        let res = put_publication(&app, &officer, second, json!({})).await;
        assert_eq!(res.status(), 200);
        let (_, first_page) = public(&app, "/api/v1/public/cases?per_page=1").await;
        let first_page: Value = serde_json::from_str(&first_page).unwrap();
        assert_eq!(
            (
                &first_page["total"],
                &first_page["has_next"],
                &first_page["items"][0]["id"]
            ),
            (&json!(2), &json!(true), &json!(second))
        );
        let (_, next) = public(&app, "/api/v1/public/cases?per_page=1&page=2").await;
        let next: Value = serde_json::from_str(&next).unwrap();
        assert_eq!(next["items"][0]["id"], id);
        assert_eq!(next["has_next"], false);
    }
);

db_test!(
    publishing_is_refused_without_consent_and_to_anyone_but_the_cases_staff,
    |kind| {
        let app = app!(kind);
        let unconsented = answered_case(&app, false).await;
        let consented = answered_case(&app, true).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;

        // Without the petitioner's consent: refused, with the reason.
        let (status, code, body) =
            error_code(put_publication(&app, &officer, unconsented, json!({})).await).await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        assert_eq!(
            body["error"]["fields"]["consent_publish"],
            json!(["publish_no_consent"])
        );
        let draft = app
            .json_as(
                &format!("/api/v1/cases/{unconsented}/publication"),
                &officer,
            )
            .await;
        assert_eq!(draft["status"]["consent"], false);
        let page = app
            .page_as(&format!("/cazuri/{unconsented}/publicare"), &officer)
            .await;
        assert!(page.contains("Petiționarul nu a consimțit la publicare"));
        assert!(!page.contains("name=\"remove\""), "no form without consent");

        // The petitioner (403), another citizen (404) and an officer of another institution
        // (404, the case is outside their scope) may not publish, unpublish or see the draft.
        app.other_institution().await;
        let other_officer = app.login("officer@other.example", DEMO_PASSWORD).await;
        let petitioner = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let stranger = app.citizen("maria.rusu@example.md").await;
        for (who, token, want) in [
            ("petitioner", &petitioner, 403),
            ("another citizen", &stranger, 404),
            ("an officer of another institution", &other_officer, 404),
        ] {
            let res = put_publication(&app, token, consented, json!({})).await;
            assert_eq!(res.status(), want, "{who} publishing");
            let res = delete_publication(&app, token, consented).await;
            assert_eq!(res.status(), want, "{who} unpublishing");
            let res = app
                .get_with(&format!("/api/v1/cases/{consented}/publication"), token)
                .await;
            assert_eq!(res.status(), want, "{who} reading the draft");
        }
        let res = app
            .put_json(
                &format!("/api/v1/cases/{consented}/publication"),
                None,
                json!({}),
            )
            .await;
        assert_eq!(res.status(), 404, "anonymous");
        let res = app
            .post_json(
                "/api/v1/redaction/detect",
                Some(&petitioner),
                json!({"text": "tel. 069 123 456"}),
            )
            .await;
        assert_eq!(res.status(), 403, "detection is for staff");

        // Nothing was published.
        for id in [unconsented, consented] {
            assert_eq!(public(&app, &format!("/publicate/{id}")).await.0, 404);
            assert!(audit_actions(&app, id).await.is_empty());
        }
        let (_, list) = public(&app, "/api/v1/public/cases").await;
        assert_eq!(serde_json::from_str::<Value>(&list).unwrap()["total"], 0);
    }
);

db_test!(
    the_redaction_form_publishes_without_javascript_and_unpublishing_hides_the_case,
    |kind| {
        let app = app!(kind);
        let id = answered_case(&app, true).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let officer_id = app.user_id("officer@demo.petitio").await;

        // The page highlights each piece, with a ticked box per piece.
        let page = app
            .page_as(&format!("/cazuri/{id}/publicare"), &officer)
            .await;
        assert!(
            page.contains("<mark class=\"personal-data\">2002001234567"),
            "{page}"
        );
        assert!(page.contains(" (IDNP)</span></mark>"), "{page}");
        assert!(page.contains("name=\"remove\""));
        assert!(page.contains("Eliminați „069 123 456” (telefon)"));
        // "Preview" is a GET of the same page: the strings named by hand show as found.
        let preview = app
            .page_as(&format!("/cazuri/{id}/publicare?extra=Gheorghe"), &officer)
            .await;
        assert!(
            preview.contains("Eliminați „Gheorghe” (adăugat de mână)"),
            "{preview}"
        );

        // The form as a browser without JavaScript posts it: every piece offered, all but the
        // city hall's number ticked, Gheorghe named by hand.
        let draft = app
            .json_as(&format!("/api/v1/cases/{id}/publication"), &officer)
            .await;
        let keep = span_id(&draft, "body", "+373 22 123 456");
        let mut fields: Vec<(&str, String)> = vec![
            ("case_id", id.to_string()),
            ("version", draft["version"].to_string()),
            ("extra", "Gheorghe\n".into()),
        ];
        for t in draft["texts"].as_array().unwrap() {
            for s in t["spans"].as_array().unwrap() {
                let sid = s["id"].as_str().unwrap().to_string();
                fields.push(("offered", sid.clone()));
                if sid != keep {
                    fields.push(("remove", sid));
                }
            }
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app
            .post_form(
                "/api/publish_case",
                Some(&officer),
                &format!("/cazuri/{id}/publicare"),
                &fields,
                &[],
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(
            res.headers()["location"],
            format!("/cazuri/{id}?publicat=1#publication-title").as_str()
        );
        let (status, page) = public(&app, &format!("/publicate/{id}")).await;
        assert_eq!(status, 200);
        assert_nothing_personal("the public page", &page);
        assert!(page.contains("+373 22 123 456"));

        // A stale form (the case changed since) is refused.
        let res = put_publication(&app, &officer, id, json!({"version": 1})).await;
        assert_eq!(error_code(res).await.0, 409);

        // Unpublished: gone from the pages, the list and Open311's texts.
        let res = delete_publication(&app, &officer, id).await;
        assert_eq!(res.status(), 200);
        let status: Value = res.json().await.unwrap();
        assert_eq!(status["published"], false);
        assert_eq!(public(&app, &format!("/publicate/{id}")).await.0, 404);
        let (_, list) = public(&app, "/publicate").await;
        assert!(!list.contains(&format!("href=\"/publicate/{id}\"")));
        let number = draft["registration_number"].as_str().unwrap();
        let (_, o311) = public(&app, &format!("/open311/v2/requests/{number}.json")).await;
        let o311: Value = serde_json::from_str(&o311).unwrap();
        assert_eq!(o311[0]["description"], Value::Null);
        assert_eq!(
            audit_actions(&app, id).await,
            vec![
                ("case.publish".to_string(), Some(officer_id)),
                ("case.unpublish".to_string(), Some(officer_id))
            ]
        );
    }
);

db_test!(
    the_privacy_notice_is_linked_from_the_form_and_the_footer_in_each_language,
    |kind| {
        let app = app!(kind);
        for (lang, title, authority) in [
            (
                "ro",
                "Confidențialitate și date personale",
                "datepersonale.md",
            ),
            ("ru", "Конфиденциальность и персональные данные", "ANSPDCP"),
            ("en", "Privacy and personal data", "dataprotection.ro"),
        ] {
            let res = app
                .client
                .get(app.url("/confidentialitate"))
                .header("cookie", format!("petitio_lang={lang}"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let html = res.text().await.unwrap();
            assert!(html.contains(&format!("<h1>{title}</h1>")), "{lang}");
            assert!(html.contains(authority), "{lang}");
            assert!(
                html.contains("195/2024") && html.contains("27/2002"),
                "{lang}"
            );
            assert!(html.contains("mailto:petitii@demo.petitio"), "{lang}");
        }
        // The filing form: the link next to the consent boxes, publication unticked by default;
        // every page's footer links the notice.
        let (status, form) = app.get_text("/depune").await;
        assert_eq!(status, 200);
        let at = form
            .find("id=\"consent_publish\"")
            .expect("the publication box");
        let input_start = form[..at].rfind("<input").unwrap();
        let input = &form[input_start..at + form[at..].find('>').unwrap()];
        assert!(!input.contains("checked"), "{input}");
        assert!(form.contains(
            "<a href=\"/confidentialitate\">Cum tratăm datele dumneavoastră personale</a>"
        ));
        let (_, home) = app.get_text("/").await;
        assert!(
            home.contains("<a href=\"/confidentialitate\">Confidențialitate și date personale</a>")
        );
    }
);
