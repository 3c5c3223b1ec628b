//! Open311 GeoReport v2 at `/open311/v2`: the flow a reporting app runs (a key from the
//! administrator, the services, a request filed form-encoded, read back by token, by id and
//! by date range), every endpoint in JSON and XML, the spec's errors, the API keys an
//! administrator issues and revokes, and the privacy rule of public reads (texts only from
//! the case's published, redacted version).

use chrono::{Duration, Utc};
use reqwest::Response;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use app::backend::entity::{case_event, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

const V2: &str = "/open311/v2";
const SERVICE: &str = "social-canteens";
const DESCRIPTION: &str =
    "Cantina socială de pe strada Ismail servește mâncare rece de trei săptămâni.";

/// An API key issued over the JSON API by `admin_token`'s administrator: `(client id, key)`.
async fn issue_key(app: &TestApp, admin_token: &str, name: &str) -> (i64, String) {
    let inst = app.demo_institution().await;
    let res = app
        .post_json(
            "/api/v1/admin/api-clients",
            Some(admin_token),
            json!({"name": name, "institution_id": inst.id}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    let key = v["api_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("ptk_") && key.len() == 68, "{key}");
    assert_eq!(v["key_prefix"], &key[..12]);
    (v["id"].as_i64().unwrap(), key)
}

async fn admin_key(app: &TestApp) -> String {
    let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
    issue_key(app, &admin, "Aplicația Orașul Meu").await.1
}

/// A form-encoded POST as a program sends it (no `Origin`, no cookie).
async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    app.client
        .post(app.url(&format!("{V2}{path}")))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// The fields of a complete request, with `key`.
fn request_fields(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("api_key", key.to_string()),
        ("service_code", SERVICE.to_string()),
        ("description", DESCRIPTION.to_string()),
        ("lat", "47.0245".to_string()),
        ("long", "28.8323".to_string()),
        ("address_string", "str. Ismail 5, Chișinău".to_string()),
        ("first_name", "Ana".to_string()),
        ("last_name", "Vasilescu".to_string()),
        ("email", "ana.vasilescu@example.md".to_string()),
        ("phone", "+37369000000".to_string()),
        ("attribute[color]", "red".to_string()),
        ("consent_publish", "true".to_string()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Files a request over Open311; returns `(token, service_request_id)`.
async fn file(app: &TestApp, fields: &[(&'static str, String)]) -> (String, String) {
    let res = post_form(app, "/requests.json", &borrowed(fields)).await;
    assert_eq!(res.status(), 201);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: Value = res.json().await.unwrap();
    let r = &v[0];
    (
        r["token"].as_str().unwrap().to_string(),
        r["service_request_id"].as_str().unwrap().to_string(),
    )
}

/// The demo officer publishes case `number` redacted as detected, keeping its place (the
/// location of the problem, not the petitioner's).
async fn publish(app: &TestApp, number: &str) {
    let case = case_of(app, number).await;
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let draft = app
        .json_as(&format!("/api/v1/cases/{}/publication", case.id), &officer)
        .await;
    let keep: Vec<Value> = draft["texts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["field"] == "address")
        .flat_map(|t| {
            t["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].clone())
        })
        .collect();
    let res = app
        .put_json(
            &format!("/api/v1/cases/{}/publication", case.id),
            Some(&officer),
            json!({ "keep": keep }),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
}

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let res = app.get(&format!("{V2}{path}")).await;
    let status = res.status().as_u16();
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    (status, res.json().await.unwrap())
}

async fn get_xml(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(&format!("{V2}{path}")).await;
    let status = res.status().as_u16();
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/xml"), "{path}: {ct}");
    let body = res.text().await.unwrap();
    assert!(
        body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{body}"
    );
    (status, body)
}

/// The spec's JSON error: `[{"code", "description"}]` with the status equal to the code.
async fn json_error(res: Response) -> (u16, String) {
    let status = res.status().as_u16();
    let v: Value = res.json().await.unwrap();
    assert_eq!(v[0]["code"].as_u64(), Some(u64::from(status)), "{v}");
    (status, v[0]["description"].as_str().unwrap().to_string())
}

async fn xml_error(res: Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert!(
        body.contains(&format!(
            "<errors><error><code>{status}</code><description>"
        )),
        "{body}"
    );
    (status, body)
}

/// A form of `size` bytes posted over a raw connection that writes its body while it reads
/// the answer (an HTTP client library may report the server's early answer as a write error),
/// and the answer, head and body, as text.
async fn oversized_post(app: &TestApp, path: &str, key: &str, size: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let (mut reader, mut writer) = tcp.into_split();
    let head = format!(
        "POST {V2}{path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n",
        app.addr
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    let write = async move {
        let mut body = format!("api_key={key}&service_code={SERVICE}&description=").into_bytes();
        body.resize(size, b'x');
        for part in body.chunks(64 * 1024) {
            // The server may stop reading once it has answered: the rest is not needed.
            if writer.write_all(part).await.is_err() {
                break;
            }
        }
    };
    let read = async move {
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            reader.read_to_end(&mut answer),
        )
        .await;
        String::from_utf8_lossy(&answer).to_string()
    };
    let ((), answer) = tokio::join!(write, read);
    answer
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap().to_string())
        .collect()
}

async fn case_of(app: &TestApp, number: &str) -> petition_case::Model {
    petition_case::Entity::find()
        .filter(petition_case::Column::RegistrationNumber.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

db_test!(a_reporting_app_files_and_follows_a_request, |kind| {
    let app = app!(kind);
    // The administrator issues the app's key over the API.
    let key = admin_key(&app).await;

    // The app lists the services and reads the definition of one.
    let (status, services) = get_json(&app, "/services.json").await;
    assert_eq!(status, 200);
    let canteens = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"] == SERVICE)
        .expect("a category is a service")
        .clone();
    assert_eq!(canteens["service_name"], "Cantine sociale");
    assert_eq!(canteens["metadata"], false);
    assert_eq!(canteens["type"], "realtime");
    assert_eq!(canteens["group"], "complaint");
    let (status, def) = get_json(&app, &format!("/services/{SERVICE}.json")).await;
    assert_eq!(status, 200);
    assert_eq!(def, json!({"service_code": SERVICE, "attributes": []}));

    // It files a request, form-encoded, and gets the token and the id at once.
    let fields = request_fields(&key);
    let res = post_form(&app, "/requests.json", &borrowed(&fields)).await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    let token = v[0]["token"].as_str().unwrap().to_string();
    let id = v[0]["service_request_id"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);
    let inst = app.demo_institution().await;
    assert!(id.starts_with(&format!("{}-", inst.reg_prefix)), "{id}");
    assert!(
        v[0]["service_notice"].as_str().unwrap().contains(&id),
        "{v}"
    );

    // By token …
    let (status, t) = get_json(&app, &format!("/tokens/{token}.json")).await;
    assert_eq!(status, 200);
    assert_eq!(t, json!([{"service_request_id": id, "token": token}]));

    // … and by id.
    let (status, one) = get_json(&app, &format!("/requests/{id}.json")).await;
    assert_eq!(status, 200);
    let r = &one[0];
    assert_eq!(r["service_request_id"], id);
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], SERVICE);
    assert_eq!(r["service_name"], "Cantine sociale");
    // No text and no location before the case's redacted version is published.
    for field in ["description", "address", "lat", "long", "status_notes"] {
        assert_eq!(r[field], Value::Null, "{field}");
    }
    assert!(r["agency_responsible"].as_str().is_some(), "{r}");

    // The case is a real one: registered, with its term, its receipt mailed, in the queue.
    let case = case_of(&app, &id).await;
    assert_eq!(case.status, "registered");
    assert_eq!(case.channel, "online");
    assert_eq!(case.petitioner_name, "Ana Vasilescu");
    assert!(case.consent_publish);
    let due = case.answer_due.expect("the answer term runs").to_string();
    let expected = r["expected_datetime"].as_str().unwrap();
    assert!(
        expected.starts_with(&format!("{due}T23:59:59")),
        "{expected} vs {due}"
    );
    let requested = r["requested_datetime"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(requested).is_ok(),
        "{requested}"
    );
    assert!(chrono::DateTime::parse_from_rfc3339(r["updated_datetime"].as_str().unwrap()).is_ok());
    assert_eq!(
        app.mails_to("ana.vasilescu@example.md", "case_registered")
            .await,
        1,
        "the receipt is mailed"
    );
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let staff = app
        .json_as(&format!("/api/v1/cases/{}", case.id), &officer)
        .await;
    assert_eq!(staff["registration_number"], id);
    assert_eq!(staff["staff"]["petitioner_name"], "Ana Vasilescu");
    // Published (its place kept): the description, the place and the location.
    publish(&app, &id).await;
    let (_, one) = get_json(&app, &format!("/requests/{id}.json")).await;
    let r = &one[0];
    assert_eq!(r["description"], DESCRIPTION);
    assert_eq!(r["address"], "str. Ismail 5, Chișinău");
    assert_eq!(r["lat"], 47.0245);
    assert_eq!(r["long"], 28.8323);
    assert_eq!(r["status_notes"], Value::Null);
    let queue = app.json_as("/api/v1/cases", &officer).await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == case.id),
        "in the officer's queue"
    );

    // By date range: today's range holds it, last month's does not.
    let today = Utc::now().date_naive();
    let (status, list) = get_json(
        &app,
        &format!(
            "/requests.json?start_date={}&end_date={}",
            today - Duration::days(1),
            today + Duration::days(1)
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&list), vec![id.clone()]);
    let start = (Utc::now() - Duration::days(40)).to_rfc3339();
    let end = (Utc::now() - Duration::days(10)).to_rfc3339();
    let res = app
        .client
        .get(app.url(&format!("{V2}/requests.json")))
        .query(&[("start_date", start.as_str()), ("end_date", end.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!([]));
    // Without dates: the last 90 days.
    let (_, list) = get_json(&app, "/requests.json").await;
    assert_eq!(ids(&list), vec![id.clone()]);

    // The officer works it: a public note, an internal step, then the answer.
    let case_id = case.id;
    let act = |body: Value| {
        let (app, officer) = (&app, &officer);
        async move {
            let res = app
                .post_json(
                    &format!("/api/v1/cases/{case_id}/transitions"),
                    Some(officer),
                    body,
                )
                .await;
            assert_eq!(res.status(), 200);
        }
    };
    act(json!({"transition": "take", "note": "Verificăm la fața locului."})).await;
    case_event::ActiveModel {
        case_id: Set(case_id),
        at: Set(Utc::now()),
        actor_id: Set(None),
        actor_role: Set("officer".into()),
        transition: Set("assign".into()),
        from_state: Set(Some("in_examination".into())),
        to_state: Set("in_examination".into()),
        note: Set(Some("SECRET intern".into())),
        public: Set(false),
        data: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // Notes are not published: only the published answer is.
    let (_, one) = get_json(&app, &format!("/requests/{id}.json")).await;
    assert_eq!(one[0]["status"], "open");
    assert_eq!(one[0]["status_notes"], Value::Null);
    act(json!({"transition": "answer", "answer": "Dna Vasilescu, am verificat cantina: porțiile vin calde de acum.", "outcome": "admitted"})).await;
    let (_, one) = get_json(&app, &format!("/requests/{id}.json")).await;
    assert_eq!(one[0]["status"], "closed");
    assert_eq!(one[0]["status_notes"], Value::Null, "until published again");
    publish(&app, &id).await;
    let (_, one) = get_json(&app, &format!("/requests/{id}.json")).await;
    assert_eq!(
        one[0]["status_notes"],
        "Dna [date personale eliminate], am verificat cantina: porțiile vin calde de acum."
    );
    let (_, closed) = get_json(&app, "/requests.json?status=closed").await;
    assert_eq!(ids(&closed), vec![id.clone()]);
    let (_, open) = get_json(&app, "/requests.json?status=open").await;
    assert_eq!(open, json!([]));
    let (_, both) = get_json(&app, "/requests.json?status=open,closed").await;
    assert_eq!(ids(&both), vec![id.clone()]);
});

db_test!(every_endpoint_answers_in_json_and_in_xml, |kind| {
    let app = app!(kind);
    let key = admin_key(&app).await;

    let (status, d) = get_json(&app, "/discovery.json").await;
    assert_eq!(status, 200);
    assert_eq!(d["endpoints"][0]["url"], format!("{}/open311/v2", app.base));
    assert_eq!(
        d["endpoints"][0]["formats"],
        json!(["text/xml", "application/json"])
    );
    assert!(d["key_service"].as_str().unwrap().contains("api-clients"));
    let (status, x) = get_xml(&app, "/discovery.xml").await;
    assert_eq!(status, 200);
    assert!(x.contains("<discovery><changeset>"), "{x}");
    assert!(
        x.contains("<formats><format>text/xml</format><format>application/json</format></formats>"),
        "{x}"
    );

    let (status, x) = get_xml(&app, "/services.xml").await;
    assert_eq!(status, 200);
    assert!(
        x.contains(&format!(
            "<service><service_code>{SERVICE}</service_code><service_name>Cantine sociale</service_name>"
        )),
        "{x}"
    );
    assert!(x.contains("<metadata>false</metadata><type>realtime</type>"));
    // The service names follow Accept-Language.
    let res = app
        .client
        .get(app.url(&format!("{V2}/services.json")))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let en: Value = res.json().await.unwrap();
    assert!(
        en.as_array()
            .unwrap()
            .iter()
            .any(|s| s["service_name"] == "Social canteens")
    );

    let (status, x) = get_xml(&app, &format!("/services/{SERVICE}.xml")).await;
    assert_eq!(status, 200);
    assert!(x.ends_with(&format!(
        "<service_definition><service_code>{SERVICE}</service_code><attributes></attributes></service_definition>"
    )), "{x}");

    // POST in XML.
    let fields = request_fields(&key);
    let res = post_form(&app, "/requests.xml", &borrowed(&fields)).await;
    assert_eq!(res.status(), 201);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml")
    );
    let x = res.text().await.unwrap();
    let token = between(&x, "<token>", "</token>");
    let id = between(&x, "<service_request_id>", "</service_request_id>");
    assert!(x.contains("<service_requests><request><token>"), "{x}");

    let (status, t) = get_xml(&app, &format!("/tokens/{token}.xml")).await;
    assert_eq!(status, 200);
    assert!(t.ends_with(&format!("<service_requests><request><service_request_id>{id}</service_request_id><token>{token}</token></request></service_requests>")), "{t}");

    publish(&app, &id).await;
    let (status, r) = get_xml(&app, &format!("/requests/{id}.xml")).await;
    assert_eq!(status, 200);
    assert!(r.contains(&format!("<service_requests><request><service_request_id>{id}</service_request_id><status>open</status><status_notes></status_notes>")), "{r}");
    assert!(r.contains("<lat>47.0245</lat><long>28.8323</long>"), "{r}");
    assert!(
        r.contains("<address>str. Ismail 5, Chișinău</address>"),
        "{r}"
    );

    let (status, l) = get_xml(&app, "/requests.xml?status=open").await;
    assert_eq!(status, 200);
    assert_eq!(l.matches("<request>").count(), 1, "{l}");

    // Text is escaped.
    let mut fields = request_fields(&key);
    fields[2].1 = "Mâncare <rece> & porții \"mici\" la cantina 'Speranța'.".into();
    let (_, id2) = file(&app, &fields).await;
    publish(&app, &id2).await;
    let (_, r) = get_xml(&app, &format!("/requests/{id2}.xml")).await;
    assert!(r.contains("<description>Mâncare &lt;rece&gt; &amp; porții &quot;mici&quot; la cantina &apos;Speranța&apos;.</description>"), "{r}");
    let (_, j) = get_json(&app, &format!("/requests/{id2}.json")).await;
    assert_eq!(j[0]["description"], fields[2].1);

    // Several ids at once (the other filters are then ignored).
    let (_, both) = get_json(
        &app,
        &format!("/requests.json?service_request_id={id},{id2},NOPE-1&status=closed"),
    )
    .await;
    let mut got = ids(&both);
    got.sort();
    let mut want = vec![id.clone(), id2.clone()];
    want.sort();
    assert_eq!(got, want);
    // By service.
    let (_, by_service) = get_json(&app, &format!("/requests.json?service_code={SERVICE}")).await;
    assert_eq!(by_service.as_array().unwrap().len(), 2);
    let (_, other) = get_json(&app, "/requests.json?service_code=nurseries").await;
    assert_eq!(other, json!([]));
});

fn between(s: &str, start: &str, end: &str) -> String {
    let from = s.find(start).unwrap() + start.len();
    let to = from + s[from..].find(end).unwrap();
    s[from..to].to_string()
}

db_test!(every_error_comes_in_the_spec_format, |kind| {
    let app = app!(kind);
    let key = admin_key(&app).await;
    let base = request_fields(&key);
    let without = |name: &str| -> Vec<(&'static str, String)> {
        base.iter().filter(|(k, _)| *k != name).cloned().collect()
    };
    let with = |name: &'static str, value: &str| -> Vec<(&'static str, String)> {
        let mut f = without(name);
        f.push((name, value.to_string()));
        f
    };

    // No key, a malformed key, an unknown key.
    let (status, d) =
        json_error(post_form(&app, "/requests.json", &borrowed(&without("api_key"))).await).await;
    assert_eq!((status, d.as_str()), (403, "api_key is required"));
    let (status, _) =
        xml_error(post_form(&app, "/requests.xml", &borrowed(&without("api_key"))).await).await;
    assert_eq!(status, 403);
    let (status, _) = json_error(
        post_form(
            &app,
            "/requests.json",
            &borrowed(&with("api_key", "nonsense")),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let unknown = format!("ptk_{}", "0".repeat(64));
    let (status, _) = json_error(
        post_form(
            &app,
            "/requests.json",
            &borrowed(&with("api_key", &unknown)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    // A given key is checked on reads too.
    let (status, _) = json_error(
        app.get(&format!("{V2}/requests.json?api_key={unknown}"))
            .await,
    )
    .await;
    assert_eq!(status, 403);

    // Unknown service.
    let (status, d) = json_error(
        post_form(
            &app,
            "/requests.json",
            &borrowed(&with("service_code", "nope")),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, d.as_str()),
        (404, "service_code nope: no such service")
    );
    let (status, _) = json_error(app.get(&format!("{V2}/services/nope.json")).await).await;
    assert_eq!(status, 404);
    let (status, _) = xml_error(app.get(&format!("{V2}/services/nope.xml")).await).await;
    assert_eq!(status, 404);
    let (status, _) = json_error(
        app.get(&format!("{V2}/requests.json?service_code=nope"))
            .await,
    )
    .await;
    assert_eq!(status, 404);

    // Bad input to a POST.
    for (fields, expected) in [
        (without("service_code"), "service_code is required"),
        (without("description"), "description is required"),
        (
            with("description", "Prea scurt"),
            "description: 20 to 10000 characters",
        ),
        (without("lat"), "lat and long: give both or neither"),
        (
            without("lat")
                .into_iter()
                .filter(|(k, _)| *k != "long" && *k != "address_string")
                .collect(),
            "a location is required: lat and long, address_string or address_id",
        ),
        (
            with("lat", "north"),
            "lat: a number of degrees from -90 to 90",
        ),
        (
            with("long", "200"),
            "long: a number of degrees from -180 to 180",
        ),
        (
            with("email", "not-an-address"),
            "email: not a valid e-mail address",
        ),
        (
            with("consent_publish", "maybe"),
            "consent_publish: true or false",
        ),
    ] {
        let (status, d) =
            json_error(post_form(&app, "/requests.json", &borrowed(&fields)).await).await;
        assert_eq!((status, d.as_str()), (400, expected));
    }
    let anonymous: Vec<_> = without("first_name")
        .into_iter()
        .filter(|(k, _)| *k != "last_name")
        .collect();
    let (status, d) =
        json_error(post_form(&app, "/requests.json", &borrowed(&anonymous)).await).await;
    assert_eq!(status, 400);
    assert!(
        d.starts_with("first_name/last_name: a name is required"),
        "{d}"
    );
    let (status, _) =
        xml_error(post_form(&app, "/requests.xml", &borrowed(&with("description", "x"))).await)
            .await;
    assert_eq!(status, 400);
    // Not a form.
    let res = app
        .client
        .post(app.url(&format!("{V2}/requests.json")))
        .json(&json!({"api_key": key}))
        .send()
        .await
        .unwrap();
    let (status, d) = json_error(res).await;
    assert_eq!(status, 400);
    assert!(d.contains("application/x-www-form-urlencoded"), "{d}");
    // Larger than the API's bodies may be (2 MB): 413, whether the client still writes the
    // rest of its body when the answer comes or not.
    let answer = oversized_post(&app, "/requests.xml", &key, 3 * 1024 * 1024).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("<errors><error><code>413</code><description>"),
        "{answer}"
    );
    // Nothing was filed by any of these.
    assert_eq!(
        petition_case::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );

    // Bad dates and statuses.
    for query in [
        "start_date=yesterday",
        "end_date=2026-13-01",
        "start_date=2026-11-20&end_date=2026-11-10",
        "start_date=2026-01-01&end_date=2026-06-01",
        "status=pending",
    ] {
        let (status, _) = json_error(app.get(&format!("{V2}/requests.json?{query}")).await).await;
        assert_eq!(status, 400, "{query}");
        let (status, _) = xml_error(app.get(&format!("{V2}/requests.xml?{query}")).await).await;
        assert_eq!(status, 400, "{query}");
    }

    // Unknown ids and tokens.
    let (status, _) = json_error(
        app.get(&format!("{V2}/requests/CHI-2026-999999.json"))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = xml_error(app.get(&format!("{V2}/requests/CHI-2026-999999.xml")).await).await;
    assert_eq!(status, 404);
    let (status, _) = json_error(
        app.get(&format!("{V2}/tokens/{}.json", "a".repeat(64)))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = xml_error(app.get(&format!("{V2}/tokens/short.xml")).await).await;
    assert_eq!(status, 404);
    // Unknown formats and paths.
    let (status, _) = json_error(app.get(&format!("{V2}/services.csv")).await).await;
    assert_eq!(status, 404);
    let (status, _) = json_error(app.get(&format!("{V2}/nothing/here.json")).await).await;
    assert_eq!(status, 404);
    let (status, _) = json_error(post_form(&app, "/services.json", &[]).await).await;
    assert_eq!(status, 405);
});

db_test!(
    administrators_issue_list_and_revoke_keys_of_their_own_institution,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let (id, key) = issue_key(&app, &admin, "Aplicația Orașul Meu").await;
        let (_, second) = issue_key(&app, &admin, "Sistemul de documente").await;

        // Listed, without the key.
        let list = app.json_as("/api/v1/admin/api-clients", &admin).await;
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Sistemul de documente", "Aplicația Orașul Meu"]);
        assert!(
            !list.to_string().contains(&key[12..]),
            "the key is shown once only"
        );
        assert!(list[0].get("api_key").is_none());

        // Staff who are not administrators neither issue nor list; a bad body is refused.
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let (status, code, _) =
            error_code(app.get_with("/api/v1/admin/api-clients", &officer).await).await;
        assert_eq!((status, code.as_str()), (403, "forbidden"));
        let inst = app.demo_institution().await;
        let (status, _, _) = error_code(
            app.post_json(
                "/api/v1/admin/api-clients",
                Some(&officer),
                json!({"name": "X", "institution_id": inst.id}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 403);
        let (status, code, _) = error_code(
            app.post_json(
                "/api/v1/admin/api-clients",
                Some(&admin),
                json!({"name": " ", "institution_id": inst.id}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        let (status, _, _) = error_code(
            app.post_json(
                "/api/v1/admin/api-clients",
                None,
                json!({"name": "X", "institution_id": inst.id}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 401);

        // The key files; the administrator of another institution neither sees nor revokes it.
        let fields = request_fields(&key);
        let (_, number) = file(&app, &fields).await;
        let (other, other_admin) = app.other_admin().await;
        let theirs = app.json_as("/api/v1/admin/api-clients", &other_admin).await;
        assert_eq!(theirs, json!([]));
        let (status, _, _) = error_code(
            app.post_json(
                "/api/v1/admin/api-clients",
                Some(&other_admin),
                json!({"name": "X", "institution_id": inst.id}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 403);
        let res = app
            .client
            .delete(app.url(&format!("/api/v1/admin/api-clients/{id}")))
            .bearer_auth(&other_admin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        // Their own client's key does not file here (its institution is not the portal's).
        let res = app
            .post_json(
                "/api/v1/admin/api-clients",
                Some(&other_admin),
                json!({"name": "Bălți", "institution_id": other}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let foreign = res.json::<Value>().await.unwrap()["api_key"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, d) = json_error(
            post_form(&app, "/requests.json", &borrowed(&request_fields(&foreign))).await,
        )
        .await;
        assert_eq!(
            (status, d.as_str()),
            (403, "this api_key is of a client of another institution")
        );

        // Revoked: refused at once, for filing and for reading; the other key still works.
        let res = app
            .client
            .delete(app.url(&format!("/api/v1/admin/api-clients/{id}")))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        assert!(v["revoked_at"].as_str().is_some(), "{v}");
        assert!(v["last_used_at"].as_str().is_some(), "{v}");
        let (status, d) =
            json_error(post_form(&app, "/requests.json", &borrowed(&fields)).await).await;
        assert_eq!(
            (status, d.as_str()),
            (403, "api_key is not valid (unknown or revoked)")
        );
        let (status, _) =
            xml_error(post_form(&app, "/requests.xml", &borrowed(&fields)).await).await;
        assert_eq!(status, 403);
        let (status, _) = json_error(
            app.get(&format!("{V2}/requests/{number}.json?api_key={key}"))
                .await,
        )
        .await;
        assert_eq!(status, 403);
        file(&app, &request_fields(&second)).await;
        let list = app.json_as("/api/v1/admin/api-clients", &admin).await;
        assert!(list[1]["revoked_at"].as_str().is_some());
        assert_eq!(list[0]["revoked_at"], Value::Null);
    }
);

db_test!(
    public_reads_show_only_consented_cases_and_no_personal_data,
    |kind| {
        let app = app!(kind);
        let key = admin_key(&app).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let (_, other_key) = issue_key(&app, &admin, "Altă aplicație").await;
        // The demo citizen (Ion Popescu) files on the portal: once without consent, once with,
        // naming themselves and their address in the text.
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let private = app
        .file_json(&citizen, json!({"kind": "petition", "subject": "Iluminatul din scară", "body": "Becurile din scara blocului nu funcționează de o lună.", "consent_processing": true}))
        .await;
        let public = app
        .file_json(&citizen, json!({"kind": "petition", "subject": "Groapă în asfalt", "body": "Sunt Ion Popescu (citizen@demo.petitio): groapa din fața blocului meu crește.", "address": "str. Florilor 3", "consent_processing": true, "consent_publish": true}))
        .await;
        let number = |id: i64| {
            let app = &app;
            async move {
                petition_case::Entity::find_by_id(id)
                    .one(&app.db)
                    .await
                    .unwrap()
                    .unwrap()
                    .registration_number
            }
        };
        let (private, public) = (number(private).await, number(public).await);
        // Through Open311, without consent.
        let (_, unconsented) = file(
            &app,
            &request_fields(&key)
                .into_iter()
                .filter(|(k, _)| *k != "consent_publish")
                .collect::<Vec<_>>(),
        )
        .await;

        let (_, list) = get_json(&app, "/requests.json").await;
        assert_eq!(ids(&list), vec![public.clone()]);
        let (status, _) = json_error(app.get(&format!("{V2}/requests/{private}.json")).await).await;
        assert_eq!(status, 404);
        let (status, _) =
            xml_error(app.get(&format!("{V2}/requests/{unconsented}.xml")).await).await;
        assert_eq!(status, 404);
        let (_, by_id) = get_json(
            &app,
            &format!("/requests.json?service_request_id={private},{unconsented}"),
        )
        .await;
        assert_eq!(by_id, json!([]));

        let (status, one) = get_json(&app, &format!("/requests/{public}.json")).await;
        assert_eq!(status, 200);
        assert_eq!(one[0]["description"], Value::Null, "not published yet");
        assert_eq!(one[0]["address"], Value::Null);
        publish(&app, &public).await;
        let (status, one) = get_json(&app, &format!("/requests/{public}.json")).await;
        assert_eq!(status, 200);
        assert_eq!(
            one[0]["description"],
            "Sunt [date personale eliminate] ([date personale eliminate]): groapa din fața blocului meu crește."
        );
        assert_eq!(one[0]["address"], "str. Florilor 3");
        assert_eq!(one[0]["service_code"], Value::Null);

        // The client that filed a case without consent reads its state with its key, not its texts;
        // another client does not.
        let (status, own) =
            get_json(&app, &format!("/requests/{unconsented}.json?api_key={key}")).await;
        assert_eq!(status, 200);
        assert_eq!(own[0]["status"], "open");
        for field in ["description", "address", "lat", "long", "status_notes"] {
            assert_eq!(own[0][field], Value::Null, "{field}");
        }
        let (status, _) = json_error(
            app.get(&format!(
                "{V2}/requests/{unconsented}.json?api_key={other_key}"
            ))
            .await,
        )
        .await;
        assert_eq!(status, 404);
        let (_, with_key) = get_json(&app, &format!("/requests.json?api_key={key}")).await;
        assert_eq!(with_key.as_array().unwrap().len(), 2);

        // No name, e-mail address or phone anywhere in public output.
        let mut outputs = Vec::new();
        let paths = [
            "/requests.json".to_string(),
            "/requests.xml".to_string(),
            format!("/requests/{public}.json"),
            format!("/requests/{public}.xml"),
            format!("/requests.json?api_key={key}"),
            format!("/requests/{unconsented}.xml?api_key={key}"),
        ];
        for path in &paths {
            outputs.push(app.get(&format!("{V2}{path}")).await.text().await.unwrap());
        }
        for out in outputs {
            for personal in [
                "Popescu",
                "citizen@demo.petitio",
                "Vasilescu",
                "ana.vasilescu",
                "37369000000",
            ] {
                assert!(!out.contains(personal), "{personal} in {out}");
            }
        }
    }
);

db_test!(filing_is_rate_limited_per_client, |kind| {
    let app = app!(kind, &[("PETITIO_RATE_LIMITS", "open311=2/3600")]);
    let key = admin_key(&app).await;
    let fields = request_fields(&key);
    file(&app, &fields).await;
    // A reporting app in a browser posts from its own site: the key, not the origin, counts.
    let res = app
        .client
        .post(app.url(&format!("{V2}/requests.json")))
        .header("origin", "https://reporting-app.example")
        .header("sec-fetch-site", "cross-site")
        .form(&borrowed(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = post_form(&app, "/requests.json", &borrowed(&fields)).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let (status, d) = json_error(res).await;
    assert_eq!(status, 429);
    assert!(d.starts_with("too many requests"), "{d}");
    // Another client is counted apart.
    let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
    let (_, other) = issue_key(&app, &admin, "Altă aplicație").await;
    file(&app, &request_fields(&other)).await;
});
