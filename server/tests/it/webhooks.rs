//! Webhooks: a receiver on loopback gets the case events (filed, transition, answered) signed
//! with the webhook's secret; a receiver that fails is retried with backoff and gets the event
//! exactly once; a delivery given up on is retried by an administrator; only administrators of
//! the client's institution manage its webhooks; a bad URL is refused field by field.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use reqwest::Response;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

/// One request the receiver got, and what it answered.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
    answered: u16,
}

impl Received {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// A webhook receiver on a free loopback port: it records every request and answers 500 to
/// the first `fail_first` ones, 200 afterwards.
#[derive(Clone)]
struct Receiver {
    url: String,
    log: Arc<Mutex<Vec<Received>>>,
    failures_left: Arc<AtomicUsize>,
}

impl Receiver {
    async fn start(fail_first: usize) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let receiver = Receiver {
            url: format!("http://{addr}/hook"),
            log: Arc::default(),
            failures_left: Arc::new(AtomicUsize::new(fail_first)),
        };
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(record))
            .with_state(receiver.clone());
        tokio::spawn(async move {
            axum::serve(listener, router).await.ok();
        });
        receiver
    }

    fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until `n` requests arrived (at most 20 seconds).
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "only {} of {n} requests arrived: {got:#?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// From now on every request is accepted.
    fn accept(&self) {
        self.failures_left.store(0, Ordering::SeqCst);
    }
}

async fn record(
    State(r): State<Receiver>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, &'static str) {
    let fail = r
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let (status, text) = if fail {
        (StatusCode::INTERNAL_SERVER_ERROR, "receiver is down")
    } else {
        (StatusCode::OK, "ok")
    };
    r.log.lock().unwrap().push(Received {
        headers,
        body,
        answered: status.as_u16(),
    });
    (status, text)
}

/// Checks `X-Petitio-Signature` the way a receiver would: HMAC-SHA256 of
/// `"<X-Petitio-Timestamp>.<body>"` keyed with the secret, in hex after `sha256=`.
fn signature_verifies(secret: &str, r: &Received) -> bool {
    use hmac::{Hmac, Mac};
    let timestamp = r.header("x-petitio-timestamp");
    let Some(hex) = r
        .header("x-petitio-signature")
        .strip_prefix("sha256=")
        .map(str::to_string)
    else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", r.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == hex
}

/// Every request is signed, typed, and names the event it carries.
fn assert_well_formed(secret: &str, r: &Received) {
    assert!(signature_verifies(secret, r), "signature of {r:#?}");
    assert!(!signature_verifies("whsec_wrong", r));
    assert_eq!(r.header("content-type"), "application/json");
    let body = r.json();
    assert_eq!(r.header("x-petitio-event"), body["event"].as_str().unwrap());
    assert_eq!(r.header("x-petitio-delivery"), body["id"].as_str().unwrap());
    let ts: i64 = r.header("x-petitio-timestamp").parse().unwrap();
    assert!(
        (Utc::now().timestamp() - ts).abs() < 300,
        "a fresh timestamp"
    );
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("origin", &app.base);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// An API client of the demo institution, registered by its administrator: (admin token,
/// client id).
async fn demo_client(app: &TestApp) -> (String, i64) {
    let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
    let inst = app.demo_institution().await;
    let res = app
        .post_json(
            "/api/v1/admin/api-clients",
            Some(&admin),
            json!({"name": "Registratura electronică", "institution_id": inst.id}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let client: Value = res.json().await.unwrap();
    (admin, client["id"].as_i64().unwrap())
}

/// Registers a webhook; returns the answer (with the secret).
async fn register(
    app: &TestApp,
    admin: &str,
    client_id: i64,
    url: &str,
    events: Option<Value>,
) -> Value {
    let mut body = json!({"client_id": client_id, "url": url});
    if let Some(e) = events {
        body["events"] = e;
    }
    let res = app
        .post_json("/api/v1/admin/webhooks", Some(admin), body)
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn deliveries(app: &TestApp, token: &str, webhook_id: i64) -> Vec<Value> {
    let res = app
        .get_with(
            &format!("/api/v1/admin/webhooks/{webhook_id}/deliveries"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Waits until every delivery of the webhook is `status` (at most 20 seconds).
async fn wait_deliveries(
    app: &TestApp,
    token: &str,
    webhook_id: i64,
    n: usize,
    status: &str,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = deliveries(app, token, webhook_id).await;
        if rows.len() == n && rows.iter().all(|d| d["status"] == status) {
            return rows;
        }
        assert!(Instant::now() < deadline, "deliveries: {rows:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const SUBJECT: &str = "Cantina socială din Botanica";
const ANSWER: &str = "Am verificat cantina și am schimbat furnizorul.";

async fn file(app: &TestApp, citizen: &str) -> i64 {
    app.file_json(
        citizen,
        json!({"kind": "complaint", "subject": SUBJECT, "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
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
    assert_eq!(res.status(), 200);
}

db_test!(
    a_receiver_on_loopback_gets_filed_transition_and_answered_signed_with_the_secret,
    |kind| {
        let app = app!(kind, &[("PETITIO_WEBHOOK_POLL_MS", "100")]);
        let (admin, client_id) = demo_client(&app).await;
        let all = Receiver::start(0).await;
        let answers_only = Receiver::start(0).await;
        let hook = register(&app, &admin, client_id, &all.url, None).await;
        let secret = hook["secret"].as_str().unwrap().to_string();
        assert!(
            secret.starts_with("whsec_") && secret.len() == 6 + 64,
            "{secret}"
        );
        assert_eq!(hook["events"], json!(["*"]));
        assert_eq!(hook["url"], all.url.as_str());
        assert_eq!(hook["active"], true);
        let narrow = register(
            &app,
            &admin,
            client_id,
            &answers_only.url,
            Some(json!(["answered"])),
        )
        .await;
        assert_eq!(narrow["events"], json!(["answered"]));
        // The secret is shown once: never in the list.
        let list = app.json_as("/api/v1/admin/webhooks", &admin).await;
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert!(!list.to_string().contains(&secret));

        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let id = file(&app, &citizen).await;
        let case = app.json_as(&format!("/api/v1/cases/{id}"), &citizen).await;
        act(&app, &officer, id, json!({"transition": "take"})).await;
        act(
            &app,
            &officer,
            id,
            json!({"transition": "answer", "answer": ANSWER, "outcome": "admitted"}),
        )
        .await;

        let got = all.wait_for(4).await;
        for r in &got {
            assert_well_formed(&secret, r);
            assert_eq!(r.answered, 200);
            // No personal data of the petitioner, nor the texts.
            for private in ["citizen@demo.petitio", "Ion Popescu", SUBJECT, ANSWER] {
                assert!(!r.body.contains(private), "{private} in {}", r.body);
            }
        }
        let find = |event: &str, step: &str| {
            got.iter()
                .map(Received::json)
                .find(|b| b["event"] == event && b["transition"]["id"] == step)
                .unwrap_or_else(|| panic!("no {event} {step} in {got:#?}"))
        };
        let filed = find("filed", "register");
        assert_eq!(filed["case"]["id"], id);
        assert_eq!(
            filed["case"]["registration_number"],
            case["registration_number"]
        );
        assert_eq!(filed["case"]["status"], "registered");
        assert_eq!(filed["case"]["kind"], "complaint");
        assert_eq!(
            filed["case"]["institution_id"],
            app.demo_institution().await.id
        );
        assert_eq!(filed["case"]["answer_due"], case["answer_due"]);
        assert!(
            filed["case"]["answer_due"]
                .as_str()
                .is_some_and(|d| d.len() == 10)
        );
        assert_eq!(filed["transition"]["from"], "submitted");
        assert_eq!(filed["transition"]["to"], "registered");
        assert!(filed["occurred_at"].as_str().is_some());
        let take = find("transition", "take");
        assert_eq!(take["case"]["status"], "in_examination");
        assert_eq!(take["transition"]["from"], "registered");
        assert_eq!(take["transition"]["actor_role"], "officer");
        let step = find("transition", "answer");
        assert_eq!(step["case"]["status"], "answered");
        let answered = find("answered", "answer");
        assert_eq!(answered["case"]["status"], "answered");
        assert_eq!(answered["case"]["outcome"], "admitted");
        assert_ne!(answered["id"], step["id"], "each event has its own id");
        // Nothing more than the four events.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(all.received().len(), 4);
        // The other webhook asked for answers only.
        let only = answers_only.wait_for(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(answers_only.received().len(), 1);
        let narrow_secret = narrow["secret"].as_str().unwrap();
        assert_well_formed(narrow_secret, &only[0]);
        assert!(
            !signature_verifies(&secret, &only[0]),
            "each webhook its own secret"
        );
        assert_eq!(only[0].json()["event"], "answered");
        assert_eq!(only[0].json()["case"], answered["case"]);

        // The administrator sees each delivery, delivered at the first attempt.
        let rows =
            wait_deliveries(&app, &admin, hook["id"].as_i64().unwrap(), 4, "delivered").await;
        for d in &rows {
            assert_eq!(d["attempts"], 1);
            assert_eq!(d["last_status"], 200);
            assert_eq!(d["case_id"], id);
        }
    }
);

db_test!(
    a_receiver_that_fails_twice_gets_the_event_on_the_third_try_exactly_once,
    |kind| {
        let app = app!(
            kind,
            &[
                ("PETITIO_WEBHOOK_POLL_MS", "50"),
                ("PETITIO_WEBHOOK_RETRY_BASE_MS", "100")
            ]
        );
        let (admin, client_id) = demo_client(&app).await;
        let receiver = Receiver::start(2).await;
        let hook = register(
            &app,
            &admin,
            client_id,
            &receiver.url,
            Some(json!(["filed"])),
        )
        .await;
        let secret = hook["secret"].as_str().unwrap();
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let id = file(&app, &citizen).await;

        let got = receiver.wait_for(3).await;
        // Long enough for a fourth attempt, were there one (the next would be due in 1.6 s).
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let got_after = receiver.received();
        assert_eq!(got_after.len(), 3, "{got_after:#?}");
        assert_eq!(
            got.iter().map(|r| r.answered).collect::<Vec<_>>(),
            [500, 500, 200]
        );
        // The same event each time (one id, one body), signed each time.
        for r in &got {
            assert_well_formed(secret, r);
            assert_eq!(
                r.header("x-petitio-delivery"),
                got[0].header("x-petitio-delivery")
            );
            assert_eq!(r.body, got[0].body);
        }
        assert_eq!(got[2].json()["case"]["id"], id);
        let rows =
            wait_deliveries(&app, &admin, hook["id"].as_i64().unwrap(), 1, "delivered").await;
        assert_eq!(rows[0]["attempts"], 3);
        assert_eq!(rows[0]["last_status"], 200);
        assert_eq!(rows[0]["last_error"], Value::Null);
        assert_eq!(rows[0]["event"], "filed");
        assert_eq!(
            rows[0]["event_id"],
            got[0].header("x-petitio-delivery").as_str()
        );
    }
);

db_test!(
    a_delivery_given_up_on_is_sent_again_by_an_administrator,
    |kind| {
        let app = app!(
            kind,
            &[
                ("PETITIO_WEBHOOK_POLL_MS", "50"),
                ("PETITIO_WEBHOOK_RETRY_BASE_MS", "50"),
                ("PETITIO_WEBHOOK_MAX_ATTEMPTS", "2")
            ]
        );
        let (admin, client_id) = demo_client(&app).await;
        let receiver = Receiver::start(usize::MAX).await;
        let hook = register(
            &app,
            &admin,
            client_id,
            &receiver.url,
            Some(json!(["filed"])),
        )
        .await;
        let hook_id = hook["id"].as_i64().unwrap();
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        file(&app, &citizen).await;
        let rows = wait_deliveries(&app, &admin, hook_id, 1, "failed").await;
        assert_eq!(rows[0]["attempts"], 2);
        assert_eq!(rows[0]["last_status"], 500);
        assert!(
            rows[0]["last_error"]
                .as_str()
                .unwrap()
                .contains("receiver is down"),
            "{rows:#?}"
        );
        assert_eq!(receiver.received().len(), 2);
        let only_failed = app
            .json_as(
                &format!("/api/v1/admin/webhooks/{hook_id}/deliveries?status=failed"),
                &admin,
            )
            .await;
        assert_eq!(only_failed.as_array().unwrap().len(), 1);

        // The receiver is back; the administrator sends it again.
        receiver.accept();
        let delivery = rows[0]["id"].as_i64().unwrap();
        let retry = format!("/api/v1/admin/webhooks/{hook_id}/deliveries/{delivery}/retry");
        let res = app.post_json(&retry, Some(&admin), json!({})).await;
        assert_eq!(res.status(), 200);
        let again: Value = res.json().await.unwrap();
        assert_eq!(again["attempts"], 0);
        let rows = wait_deliveries(&app, &admin, hook_id, 1, "delivered").await;
        assert_eq!(rows[0]["attempts"], 1);
        let got = receiver.wait_for(3).await;
        assert_eq!(got[2].answered, 200);
        assert_eq!(got[2].body, got[0].body);
        // A delivered one is not sent again.
        let (status, code, _) =
            error_code(app.post_json(&retry, Some(&admin), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "conflict"));
        // Switched off, the webhook gets no new events.
        let res = send(
            &app,
            reqwest::Method::PATCH,
            &format!("/api/v1/admin/webhooks/{hook_id}"),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["active"], false);
        file(&app, &citizen).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(deliveries(&app, &admin, hook_id).await.len(), 1);
        assert_eq!(receiver.received().len(), 3);
    }
);

db_test!(
    only_administrators_of_the_clients_institution_manage_its_webhooks,
    |kind| {
        let app = app!(kind);
        let (admin, client_id) = demo_client(&app).await;
        let ours = register(&app, &admin, client_id, "http://127.0.0.1:9/ours", None).await;
        let (other_inst, other) = app.other_admin().await;
        let res = app
            .post_json(
                "/api/v1/admin/api-clients",
                Some(&other),
                json!({"name": "Aplicația Bălți", "institution_id": other_inst}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let other_client = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let theirs = register(
            &app,
            &other,
            other_client,
            "http://127.0.0.1:9/theirs",
            None,
        )
        .await;
        let theirs_id = theirs["id"].as_i64().unwrap();

        // Each administrator sees their own.
        let list = app.json_as("/api/v1/admin/webhooks", &admin).await;
        let ids: Vec<&Value> = list.as_array().unwrap().iter().map(|w| &w["id"]).collect();
        assert_eq!(ids, [&ours["id"]]);
        let list = app.json_as("/api/v1/admin/webhooks", &other).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["id"], theirs_id);

        // Another institution's webhook does not exist for them.
        let path = format!("/api/v1/admin/webhooks/{theirs_id}");
        for (method, path, body) in [
            (reqwest::Method::GET, path.clone(), None),
            (
                reqwest::Method::PATCH,
                path.clone(),
                Some(json!({"active": false})),
            ),
            (reqwest::Method::DELETE, path.clone(), None),
            (reqwest::Method::GET, format!("{path}/deliveries"), None),
            (
                reqwest::Method::POST,
                format!("{path}/deliveries/1/retry"),
                None,
            ),
        ] {
            let (status, code, _) =
                error_code(send(&app, method.clone(), &path, Some(&admin), body).await).await;
            assert_eq!(
                (status, code.as_str()),
                (404, "not_found"),
                "{method} {path}"
            );
        }
        // Nor can they register one for its client.
        let res = app
            .post_json(
                "/api/v1/admin/webhooks",
                Some(&admin),
                json!({"client_id": other_client, "url": "http://127.0.0.1:9/x"}),
            )
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["client_id"].is_array(), "{body}");
        let still = app.json_as(&path, &other).await;
        assert_eq!(still["active"], true);

        // Officers and citizens are refused; nobody signed in is asked to.
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let ours_path = format!("/api/v1/admin/webhooks/{}", ours["id"]);
        for token in [&officer, &citizen] {
            for (method, path, body) in [
                (
                    reqwest::Method::GET,
                    "/api/v1/admin/webhooks".to_string(),
                    None,
                ),
                (
                    reqwest::Method::POST,
                    "/api/v1/admin/webhooks".to_string(),
                    Some(json!({"client_id": client_id, "url": "http://127.0.0.1:9/x"})),
                ),
                (reqwest::Method::DELETE, ours_path.clone(), None),
                (
                    reqwest::Method::GET,
                    format!("{ours_path}/deliveries"),
                    None,
                ),
            ] {
                let (status, code, _) =
                    error_code(send(&app, method.clone(), &path, Some(token), body).await).await;
                assert_eq!(
                    (status, code.as_str()),
                    (403, "forbidden"),
                    "{method} {path}"
                );
            }
        }
        let (status, code, _) = error_code(
            send(
                &app,
                reqwest::Method::GET,
                "/api/v1/admin/webhooks",
                None,
                None,
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"));

        // Their own: switched off, then removed.
        let res = send(
            &app,
            reqwest::Method::PATCH,
            &ours_path,
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["active"], false);
        let res = send(
            &app,
            reqwest::Method::DELETE,
            &ours_path,
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(res.status(), 204);
        assert_eq!(app.get_with(&ours_path, &admin).await.status(), 404);

        // A revoked client gets no new webhook.
        let res = send(
            &app,
            reqwest::Method::DELETE,
            &format!("/api/v1/admin/api-clients/{client_id}"),
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(res.status(), 200);
        let res = app
            .post_json(
                "/api/v1/admin/webhooks",
                Some(&admin),
                json!({"client_id": client_id, "url": "http://127.0.0.1:9/x"}),
            )
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["client_id"][0], "revoked");
    }
);

db_test!(
    a_bad_webhook_url_or_event_is_refused_field_by_field,
    |kind| {
        let app = app!(kind);
        let (admin, client_id) = demo_client(&app).await;
        for (url, why) in [
            ("ftp://example.org/hook", "scheme"),
            ("file:///etc/passwd", "scheme"),
            ("javascript:alert(1)", "scheme"),
            ("not a url", "url"),
            ("https://user:secret@example.org/hook", "credentials"),
            ("", "length"),
        ] {
            let res = app
                .post_json(
                    "/api/v1/admin/webhooks",
                    Some(&admin),
                    json!({"client_id": client_id, "url": url}),
                )
                .await;
            let (status, code, body) = error_code(res).await;
            assert_eq!((status, code.as_str()), (422, "validation_failed"), "{url}");
            assert_eq!(body["error"]["fields"]["url"][0], why, "{url}: {body}");
        }
        let res = app
        .post_json(
            "/api/v1/admin/webhooks",
            Some(&admin),
            json!({"client_id": client_id, "url": "https://example.org/hook", "events": ["deleted"]}),
        )
        .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["events"][0], "choice");
        // Nothing was registered.
        let list = app.json_as("/api/v1/admin/webhooks", &admin).await;
        assert_eq!(list.as_array().unwrap().len(), 0);
    }
);

db_test!(two_senders_never_claim_the_same_delivery, |kind| {
    use app::backend::entity::webhook_delivery;
    use app::backend::webhooks;
    let app = app!(kind);
    let (admin, client_id) = demo_client(&app).await;
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let case_id = file(&app, &citizen).await;
    let hook = register(&app, &admin, client_id, "http://127.0.0.1:9/hook", None).await;
    // Due in an hour: this application's own sender leaves them alone.
    let due = Utc::now() + chrono::Duration::hours(1);
    for n in 0..40 {
        webhook_delivery::ActiveModel {
            webhook_id: Set(hook["id"].as_i64().unwrap()),
            event_id: Set(format!("00000000-0000-7000-8000-{n:012}")),
            event_type: Set("transition".into()),
            case_id: Set(case_id),
            payload: Set("{}".into()),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(due),
            delivered_at: Set(None),
            last_status: Set(None),
            last_error: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let later = due + chrono::Duration::minutes(1);
    let lease = chrono::Duration::minutes(10);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        // Two senders at once; on SQLite one may find the database busy (it tries again later).
        let (a, b) = tokio::join!(
            webhooks::claim(&app.db, later, 15, lease),
            webhooks::claim(&app.db, later, 15, lease)
        );
        let mut claimed = 0;
        for rows in [a, b].into_iter().flatten() {
            for c in rows {
                assert!(
                    seen.insert(c.delivery.id),
                    "claimed twice: {}",
                    c.delivery.id
                );
                assert_eq!(c.delivery.attempts, 1);
                claimed += 1;
            }
        }
        if claimed == 0 && seen.len() == 40 {
            break;
        }
    }
    assert_eq!(seen.len(), 40);
    // Claimed rows stay with their sender until the lease runs out.
    assert!(
        webhooks::claim(&app.db, later, 50, lease)
            .await
            .unwrap()
            .is_empty()
    );
    let after_lease = webhooks::claim(
        &app.db,
        later + lease + chrono::Duration::seconds(1),
        50,
        lease,
    )
    .await
    .unwrap();
    assert_eq!(after_lease.len(), 40);
    assert!(after_lease.iter().all(|c| c.delivery.attempts == 2));
});
