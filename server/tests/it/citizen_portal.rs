//! The citizen portal beyond filing as a signed-in user: attachments (limits, types by
//! content, safe names, downloads only within the case's scope), filing without an account
//! (confirmed by a mailed link), a reply with documents, the one-click rating from the answer
//! mail, and a prior complaint linked to the answered case.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{attachment, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";

fn fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "complaint"),
        ("subject", "Cantina socială din Botanica"),
        (
            "body",
            "Mâncarea vine rece de trei săptămâni, iar porțiile sunt mai mici.",
        ),
        ("consent_processing", "on"),
    ]
}

/// The validation codes in the `__err` of a form's redirect back (decoded from the page).
async fn form_error_page(app: &TestApp, res: reqwest::Response, auth: Option<&str>) -> String {
    assert_eq!(res.status(), 302);
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("__err="), "an error comes back: {back}");
    let mut req = app.client.get(if back.starts_with("http") {
        back.clone()
    } else {
        app.url(&back)
    });
    if let Some(t) = auth {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().text().await.unwrap()
}

fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.attachments_dir)
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

fn cookie_of(res: &reqwest::Response) -> String {
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

db_test!(
    a_filing_carries_attachments_only_its_readers_can_download,
    |kind| {
        let app = app!(kind);
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let res = app
            .post_form(
                "/api/file_case",
                Some(&token),
                "/depune",
                &fields(),
                &[("../../etc/cerere\u{202e}fdp.pdf", PDF), ("poza.png", PNG)],
            )
            .await;
        assert_eq!(res.status(), 302);
        let receipt = location(&res);
        assert!(receipt.ends_with("?nou=1"), "{receipt}");
        let id: i64 = receipt
            .trim_start_matches("/cazuri/")
            .trim_end_matches("?nou=1")
            .parse()
            .unwrap();
        let case = app.json_as(&format!("/api/v1/cases/{id}"), &token).await;
        let files = case["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 2, "{case}");
        assert_eq!(
            files[0]["name"], "cererefdp.pdf",
            "directories and overrides removed"
        );
        assert_eq!(files[0]["content_type"], "application/pdf");
        assert_eq!(files[1]["content_type"], "image/png");
        assert_eq!(stored_files(&app), 2);
        // Stored under a random name, never the sender's.
        let row = attachment::Entity::find_by_id(files[0]["id"].as_i64().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(!row.storage_key.contains("cerere"), "{}", row.storage_key);
        assert_eq!(row.size, PDF.len() as i64);

        let file_id = files[0]["id"].as_i64().unwrap();
        let path = format!("/fisiere/{file_id}");
        let res = app.get_with(&path, &token).await;
        assert_eq!(res.status(), 200);
        let h = res.headers().clone();
        assert_eq!(h["content-type"], "application/pdf");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
        // Staff of the institution read it; another citizen and a stranger get 404.
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        assert_eq!(app.get_with(&path, &officer).await.status(), 200);
        let maria = app.citizen("maria@example.md").await;
        assert_eq!(app.get_with(&path, &maria).await.status(), 404);
        assert_eq!(app.get(&path).await.status(), 404);
        assert_eq!(app.get("/fisiere/999999").await.status(), 404);
    }
);

db_test!(
    refused_attachments_name_the_file_and_store_nothing,
    |kind| {
        let app = app!(kind);
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let cases_before = petition_case::Entity::find().count(&app.db).await.unwrap();
        let post = |files: Vec<(&'static str, Vec<u8>)>| {
            let (app, token) = (&app, &token);
            async move {
                let files: Vec<(&str, &[u8])> =
                    files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
                let res = app
                    .post_form("/api/file_case", Some(token), "/depune", &fields(), &files)
                    .await;
                form_error_page(app, res, Some(token)).await
            }
        };
        let page = post(vec![("poza.png", PDF.to_vec())]).await;
        assert!(
            page.contains("Conținutul fișierului poza.png nu corespunde extensiei lui"),
            "mismatch"
        );
        let page = post(vec![("factura.pdf", EXE.to_vec())]).await;
        assert!(
            page.contains("Fișierul factura.pdf nu este PDF, imagine sau document de birou"),
            "type"
        );
        let page = post(vec![("note.txt", b"plain words".to_vec())]).await;
        assert!(
            page.contains("Fișierul note.txt nu este PDF"),
            "text is not taken"
        );
        let six = (0..6).map(|_| ("a.pdf", PDF.to_vec())).collect();
        let page = post(six).await;
        assert!(page.contains("Atașați cel mult 5 fișiere."), "count");
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 1, b' ');
        let page = post(vec![("mare.pdf", big)]).await;
        assert!(page.contains("Fișierul mare.pdf depășește 10 MB."), "size");
        let page = post(vec![("gol.pdf", Vec::new())]).await;
        assert!(page.contains("Fișierul gol.pdf este gol."), "empty");
        // The error summary links to the file field, which keeps the message next to it.
        assert!(page.contains(r##"href="#attachments""##));
        assert_eq!(stored_files(&app), 0, "nothing stored");
        assert_eq!(
            petition_case::Entity::find().count(&app.db).await.unwrap(),
            cases_before,
            "nothing filed"
        );
        // A body announced over the server's limit: 413 at once, before any of it is read.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        let head = format!(
            "POST /api/file_case HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n\r\n",
            app.addr,
            app.base,
            26 * 1024 * 1024
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let mut answer = vec![0u8; 64];
        let n = tcp.read(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer[..n]).to_string();
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    }
);

db_test!(the_api_adds_attachments_to_an_own_case, |kind| {
    let app = app!(kind);
    let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let id = app.file_json(&token, json!({"kind": "petition", "subject": "Iluminatul din scară", "body": "Becurile din scara blocului nu funcționează de o lună.", "consent_processing": true})).await;
    let send = |token: String, bytes: &'static [u8], name: &'static str| {
        let app = &app;
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            app.client
                .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let res = send(token.clone(), PDF, "dovada.pdf").await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["name"], "dovada.pdf");
    assert_eq!(v["size"], PDF.len());
    assert_eq!(v["content_type"], "application/pdf");
    let (status, code, body) = error_code(send(token.clone(), EXE, "x.pdf").await).await;
    assert_eq!((status, code.as_str()), (422, "validation_failed"));
    assert_eq!(
        body["error"]["fields"]["attachments"][0],
        "attachment_type:x.pdf"
    );
    let maria = app.citizen("maria@example.md").await;
    assert_eq!(send(maria, PDF, "a.pdf").await.status(), 404);
    // Not multipart: a clear 400.
    let res = app
        .post_json(
            &format!("/api/v1/cases/{id}/attachments"),
            Some(&token),
            json!({}),
        )
        .await;
    let (status, code, _) = error_code(res).await;
    assert_eq!((status, code.as_str()), (400, "bad_request"));
});

db_test!(
    a_visitor_files_without_an_account_once_the_address_is_confirmed,
    |kind| {
        let app = app!(kind);
        let cases = || async { petition_case::Entity::find().count(&app.db).await.unwrap() };
        let before = cases().await;
        let page = app.get_text("/depune").await.1;
        assert!(page.contains(r#"name="full_name""#) && page.contains(r#"name="email""#));
        // No name: refused with the legal reason.
        let mut f = fields();
        f.push(("email", "vizitator@example.md"));
        let res = app
            .post_form("/api/file_case", None, "/depune", &f, &[])
            .await;
        let page = form_error_page(&app, res, None).await;
        assert!(
            page.contains("petițiile anonime nu se examinează"),
            "anonymous refused"
        );
        // Bad address.
        let mut f = fields();
        f.push(("full_name", "Vasile Rusu"));
        f.push(("email", "not-an-address"));
        let res = app
            .post_form("/api/file_case", None, "/depune", &f, &[])
            .await;
        let page = form_error_page(&app, res, None).await;
        assert!(page.contains(r##"href="#email""##));

        let mut f = fields();
        f.push(("full_name", "Vasile Rusu"));
        f.push(("email", "Vizitator@Example.md"));
        let res = app
            .post_form("/api/file_case", None, "/depune", &f, &[("act.pdf", PDF)])
            .await;
        assert_eq!(location(&res), "/depune/confirmati");
        assert_eq!(
            cases().await,
            before,
            "not registered before the address is confirmed"
        );
        let link = app
            .mailed_link("vizitator@example.md", "filing_confirm")
            .await
            .expect("a confirmation mail");
        let path = link.strip_prefix(&app.base).unwrap().to_string();
        let res = app.get(&path).await;
        let receipt = location(&res);
        assert!(
            receipt.starts_with("/cazuri/") && receipt.ends_with("?nou=1"),
            "{receipt}"
        );
        let cookie = cookie_of(&res);
        assert_eq!(cases().await, before + 1);
        let case = petition_case::Entity::find()
            .filter(petition_case::Column::PetitionerEmail.eq("vizitator@example.md"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(case.petitioner_name, "Vasile Rusu");
        assert_eq!(case.petitioner_id, None);
        let html = app.page_with_cookie(&receipt, &cookie).await;
        assert!(html.contains(&case.registration_number), "the receipt page");
        assert!(html.contains("act.pdf"), "with its attachment");
        assert_eq!(
            app.mails_to("vizitator@example.md", "case_registered")
                .await,
            1
        );
        assert_eq!(app.mails_to("vizitator@example.md", "case_link").await, 1);
        // The workflow's mails to a petitioner without an account carry a tracking link of
        // their own, which opens the case without signing in.
        let tracked = app
            .mailed_link("vizitator@example.md", "case_registered")
            .await
            .unwrap();
        assert!(tracked.contains("/urmarire/"), "{tracked}");
        let res = app.get(tracked.strip_prefix(&app.base).unwrap()).await;
        assert_eq!(location(&res), format!("/cazuri/{}", case.id));
        // A second click opens the same case; nothing is filed twice.
        let again = app.get(&path).await;
        assert_eq!(location(&again), receipt);
        assert_eq!(cases().await, before + 1);
        assert_eq!(
            app.mails_to("vizitator@example.md", "case_registered")
                .await,
            1
        );
        // A made-up link.
        let res = app
            .get(&format!("/depune/confirmare/{}", "ab".repeat(32)))
            .await;
        assert_eq!(location(&res), "/depune/confirmati?link=invalid");
    }
);

db_test!(
    a_reply_with_documents_a_rating_from_the_mail_and_a_linked_prior_complaint,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let id = app.file_json(&citizen, json!({"kind": "complaint", "subject": "Cantina socială", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true})).await;
        let act = |body: Value| {
            let (app, officer) = (&app, &officer);
            async move {
                let res = app
                    .post_json(
                        &format!("/api/v1/cases/{id}/transitions"),
                        Some(officer),
                        body,
                    )
                    .await;
                assert_eq!(res.status(), 200);
            }
        };
        act(json!({"transition": "take"})).await;
        act(json!({"transition": "request_info", "reason": "Ce adresă are cantina?"})).await;
        // The petitioner replies with the plain form, a document attached.
        let case = id.to_string();
        let res = app
            .post_form(
                "/api/act_on_case",
                Some(&citizen),
                &format!("/cazuri/{id}"),
                &[
                    ("case_id", &case),
                    ("transition", "citizen_reply"),
                    ("text", "Str. Independenței 12, vedeți poza."),
                ],
                &[("cantina.png", PNG)],
            )
            .await;
        assert_eq!(location(&res), format!("/cazuri/{id}?gata=citizen_reply"));
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        assert_eq!(v["status"], "in_examination");
        let reply = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["transition"] == "citizen_reply")
            .unwrap()
            .clone();
        let file = &v["attachments"][0];
        assert_eq!(file["name"], "cantina.png");
        assert_eq!(
            file["event_id"], reply["id"],
            "the file belongs to the reply step"
        );

        act(json!({"transition": "answer", "answer": "Am verificat cantina.", "outcome": "admitted"})).await;
        // One click in the answer mail rates it, also from a browser that is not signed in.
        let mail = app
            .mailed_link("citizen@demo.petitio", "case_answered")
            .await
            .unwrap();
        assert!(mail.contains(&format!("/cazuri/{id}")), "{mail}");
        let outbox = app::backend::entity::mail_outbox::Entity::find()
            .filter(app::backend::entity::mail_outbox::Column::Template.eq("case_answered"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let rate4 = outbox
            .body_text
            .lines()
            .find_map(|l| {
                l.split_whitespace()
                    .find(|w| w.contains("/evaluare/") && w.ends_with("/4"))
            })
            .expect("a rating link")
            .to_string();
        let res = app.get(rate4.strip_prefix(&app.base).unwrap()).await;
        assert_eq!(location(&res), format!("/cazuri/{id}?evaluat=4"));
        assert!(
            res.headers().get("set-cookie").is_some(),
            "a session for this case"
        );
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        assert_eq!(v["rating"], 4);
        let bad = rate4.replace("/4", "/9");
        let res = app.get(bad.strip_prefix(&app.base).unwrap()).await;
        assert_eq!(location(&res), "/urmarire?link=invalid");
        assert_eq!(
            app.get(&format!("/evaluare/{}/5", "0".repeat(64)))
                .await
                .status(),
            303
        );

        // A prior complaint against the answer, linked to the case; not against another's case.
        let page = app.page_as(&format!("/cazuri/{id}"), &citizen).await;
        assert!(page.contains(&format!("/depune?contesta={id}")));
        let mut f = fields();
        f[0] = ("kind", "prior_complaint");
        let linked = id.to_string();
        f.push(("linked_case_id", &linked));
        f.push(("decision_number", "răspunsul din 2026"));
        f.push(("decision_date", "2026-01-15"));
        f[1] = ("subject", "Contest răspunsul despre cantină");
        let res = app
            .post_form("/api/file_case", Some(&citizen), "/depune", &f, &[])
            .await;
        let receipt = location(&res);
        assert!(receipt.ends_with("?nou=1"), "{receipt}");
        let new_id: i64 = receipt
            .trim_start_matches("/cazuri/")
            .trim_end_matches("?nou=1")
            .parse()
            .unwrap();
        let row = petition_case::Entity::find_by_id(new_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.linked_case_id, Some(id));
        assert_eq!(row.kind, "prior_complaint");
        let maria = app.citizen("maria@example.md").await;
        let res = app
            .post_form("/api/file_case", Some(&maria), "/depune", &f, &[])
            .await;
        let page = form_error_page(&app, res, Some(&maria)).await;
        assert!(
            page.contains("Alegeți o opțiune din listă."),
            "{}",
            &page[..200]
        );
    }
);

db_test!(
    the_service_registry_is_searchable_and_routes_a_filing,
    |kind| {
        let app = app!(kind);
        let all: Value = app.get("/api/v1/services").await.json().await.unwrap();
        assert_eq!(
            all.as_array().unwrap().len(),
            23,
            "4 in each of 5 directorates, 3 city-wide"
        );
        // Case and diacritics (old and new forms) do not matter.
        for q in ["cantina rascani", "CANTINA RÂȘCANI", "cantina râşcani"] {
            let found: Value = app
                .get(&format!("/api/v1/services?q={}", urlencode(q)))
                .await
                .json()
                .await
                .unwrap();
            let names: Vec<&str> = found
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, ["Cantina socială Râșcani"], "{q}");
        }
        let private: Value = app
            .get("/api/v1/services?q=speran")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(private[0]["private"], true);
        assert_eq!(private[0]["accredited"], true);
        let page = app.get_text("/servicii?q=botanica").await.1;
        assert!(page.contains("Cantina socială Botanica"));
        assert!(!page.contains("Cantina socială Ciocana"));

        // Filed about a service without choosing a department: the service's directorate gets it.
        let canteen = &all
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "Cantina socială Ciocana")
            .unwrap()
            .clone();
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let id = app
        .file_json(
            &token,
            json!({"kind": "complaint", "service_id": canteen["id"], "subject": "Porții mici la cantină", "body": "Porțiile s-au micșorat la jumătate de o lună.", "consent_processing": true}),
        )
        .await;
        let row = petition_case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.service_id, canteen["id"].as_i64());
        assert_eq!(row.department_id, canteen["department_id"].as_i64());
        assert_eq!(
            row.category_id,
            canteen["category_id"].as_i64(),
            "the service's category"
        );
        let res = app
        .post_json(
            "/api/v1/cases",
            Some(&token),
            json!({"kind": "complaint", "service_id": 999999, "subject": "Alt subiect aici", "body": "Un text suficient de lung pentru a trece.", "consent_processing": true}),
        )
        .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["service_id"][0], "choice_invalid");
    }
);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

db_test!(
    the_timeline_names_the_term_and_where_a_case_was_forwarded,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let other = app.other_institution().await;
        let id = app
        .file_json(
            &citizen,
            json!({"kind": "petition", "subject": "Drumul spre școală", "body": "Drumul spre școală nu este iluminat deloc seara.", "consent_processing": true}),
        )
        .await;
        let res = app
            .post_json(
                &format!("/api/v1/cases/{id}/transitions"),
                Some(&officer),
                json!({"transition": "forward", "target_institution_id": other}),
            )
            .await;
        assert_eq!(res.status(), 200);
        let v = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        let history = v["history"].as_array().unwrap();
        assert_eq!(history[0]["transition"], "register");
        assert_eq!(
            history[0]["due"], v["answer_due"],
            "the term registration set"
        );
        let forward = history
            .iter()
            .find(|h| h["transition"] == "forward")
            .unwrap();
        let name = app::backend::entity::institution::Entity::find_by_id(other)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .name_ro;
        assert_eq!(forward["forwarded_to"], name);
        let page = app.page_as(&format!("/cazuri/{id}"), &citizen).await;
        assert!(
            page.contains(&format!("Expediată către {name}")),
            "shown on the case page"
        );
    }
);

db_test!(the_form_names_a_similar_open_case_while_filing, |kind| {
    let app = app!(kind);
    let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let ask = |subject: &'static str, auth: Option<String>| {
        let app = &app;
        async move {
            let mut req = app
                .client
                .post(app.url("/api/similar_case"))
                .header("origin", &app.base)
                .form(&[("subject", subject)]);
            if let Some(t) = auth {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.json::<Option<String>>().await.unwrap()
        }
    };
    assert_eq!(
        ask("Cantina socială din Botanica", Some(token.clone())).await,
        None
    );
    app.file_json(
        &token,
        json!({"kind": "complaint", "subject": "Cantina socială din Botanica", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true}),
    )
    .await;
    let number = ask("cantina sociala din Botanica", Some(token.clone())).await;
    assert!(number.is_some_and(|n| n.starts_with("CHI-")));
    assert_eq!(
        ask("Iluminatul din scara blocului", Some(token)).await,
        None
    );
    // Nobody signed in: nothing to compare with, nothing told.
    assert_eq!(ask("Cantina socială din Botanica", None).await, None);
});

db_test!(
    unconfirmed_filings_expire_with_their_files_and_mails_follow_the_filing_language,
    |kind| {
        let app = app!(kind);
        let store = app::backend::attachments::Store::new(&app.attachments_dir);
        let visitor = |email: &'static str| {
            let app = &app;
            async move {
                let mut f = fields();
                f.push(("full_name", "Vasile Rusu"));
                f.push(("email", email));
                // Filed from the English page: the visitor's mails are in English.
                let res = app
                    .client
                    .post(app.url("/api/file_case"))
                    .header("origin", &app.base)
                    .header("referer", app.url("/depune"))
                    .header("accept", "text/html")
                    .header("cookie", "petitio_lang=en")
                    .multipart({
                        let mut form = reqwest::multipart::Form::new();
                        for (k, v) in f {
                            form = form.text(k, v);
                        }
                        form.part(
                            "attachments",
                            reqwest::multipart::Part::bytes(PDF).file_name("a.pdf"),
                        )
                    })
                    .send()
                    .await
                    .unwrap();
                assert_eq!(location(&res), "/depune/confirmati");
            }
        };
        visitor("kept@example.md").await;
        visitor("dropped@example.md").await;
        assert_eq!(stored_files(&app), 2);
        let link = app
            .mailed_link("kept@example.md", "filing_confirm")
            .await
            .unwrap();
        let res = app.get(link.strip_prefix(&app.base).unwrap()).await;
        assert!(location(&res).ends_with("?nou=1"));
        let receipt = app::backend::entity::mail_outbox::Entity::find()
            .filter(app::backend::entity::mail_outbox::Column::ToAddr.eq("kept@example.md"))
            .filter(app::backend::entity::mail_outbox::Column::Template.eq("case_registered"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            receipt.subject.starts_with("Your petition was registered"),
            "{}",
            receipt.subject
        );

        // Not yet expired: nothing goes.
        let now = chrono::Utc::now();
        let n = app::backend::citizen_filing::purge_expired(&app.db, &store, now)
            .await
            .unwrap();
        assert_eq!(n, 0);
        // 49 hours later both rows go; only the unconfirmed filing's file is deleted.
        let later = now + chrono::Duration::hours(49);
        let n = app::backend::citizen_filing::purge_expired(&app.db, &store, later)
            .await
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(stored_files(&app), 1, "the registered case keeps its file");
        let cases = petition_case::Entity::find()
            .filter(petition_case::Column::PetitionerEmail.eq("dropped@example.md"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(cases, 0);
    }
);
