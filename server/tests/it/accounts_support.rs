//! Helpers of the account tests: API calls, reading mailed links from the outbox, a second
//! institution with its own staff, and cases to guess at.

use chrono::Utc;
use reqwest::Response;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

use app::backend::entity::{institution, mail_outbox, user, user_role};
use app::backend::filing::{self, NewCase};
use app::backend::password;

use crate::helpers::TestApp;

pub const DEMO_PASSWORD: &str = "demo-password-1";

/// Where a redirect points (empty when the answer is none).
pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

impl TestApp {
    /// A plain urlencoded form post from `referer` (a path), as a browser without JavaScript
    /// sends it, with a bearer token.
    pub async fn post_plain_form(
        &self,
        path: &str,
        token: &str,
        referer: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        self.client
            .post(self.url(path))
            .header("origin", &self.base)
            .header("referer", self.url(referer))
            .header("accept", "text/html")
            .bearer_auth(token)
            .form(fields)
            .send()
            .await
            .expect("request")
    }

    /// An administrator of the whole portal (`portal@admin.example`, no institution): their
    /// token.
    pub async fn portal_admin(&self) -> String {
        let u = user::ActiveModel {
            email: Set("portal@admin.example".into()),
            password_hash: Set(Some(password::hash(DEMO_PASSWORD.into()).await.unwrap())),
            full_name: Set("Victor Portal".into()),
            locale: Set("ro".into()),
            active: Set(true),
            email_verified_at: Set(Some(Utc::now())),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap();
        user_role::ActiveModel {
            user_id: Set(u.id),
            role: Set("admin".into()),
            institution_id: Set(None),
            department_id: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap();
        self.login("portal@admin.example", DEMO_PASSWORD).await
    }

    /// A JSON POST from this site (the `Origin` a browser would send).
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send_json(reqwest::Method::POST, path, token, body)
            .await
    }

    /// A JSON PUT from this site (the `Origin` a browser would send).
    pub async fn put_json(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send_json(reqwest::Method::PUT, path, token, body)
            .await
    }

    async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .header("origin", &self.base)
            .json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    /// A plain HTML form post (`multipart/form-data`, as the forms that carry files send it)
    /// from `referer` on this site, as a browser without JavaScript sends it. `auth` is a
    /// bearer token or a `cookie:` header value.
    pub async fn post_form(
        &self,
        path: &str,
        auth: Option<&str>,
        referer: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Response {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (name, bytes) in files {
            form = form.part(
                "attachments",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        }
        let mut req = self
            .client
            .post(self.url(path))
            .header("origin", &self.base)
            .header("referer", self.url(referer))
            .header("accept", "text/html")
            .multipart(form);
        match auth {
            Some(c) if c.starts_with("cookie:") => {
                req = req.header("cookie", c.trim_start_matches("cookie:"));
            }
            Some(t) => req = req.bearer_auth(t),
            None => {}
        }
        req.send().await.expect("request")
    }

    /// The JSON answer of a GET with a bearer token.
    pub async fn json_as(&self, path: &str, token: &str) -> Value {
        self.get_with(path, token).await.json().await.expect("JSON")
    }

    /// Files a case over the API as `token`'s citizen; returns its id.
    pub async fn file_json(&self, token: &str, body: Value) -> i64 {
        let res = self.post_json("/api/v1/cases", Some(token), body).await;
        assert_eq!(res.status(), 201, "filed");
        let r: Value = res.json().await.expect("JSON");
        r["id"].as_i64().expect("an id")
    }

    /// The body of a GET sent with a session cookie.
    pub async fn page_with_cookie(&self, path: &str, cookie: &str) -> String {
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body")
    }

    pub async fn get_with(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// The body of a GET (a path or a full URL) sent with a bearer token.
    pub async fn page_as(&self, path_or_url: &str, token: &str) -> String {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_string()
        } else {
            self.url(path_or_url)
        };
        self.client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body")
    }

    /// Logs in over the API and returns the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                None,
                json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(res.status(), 200, "login of {email}");
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }

    /// The link in the newest `template` mail to `to` (read from the outbox, as committed).
    pub async fn mailed_link(&self, to: &str, template: &str) -> Option<String> {
        let mail = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::ToAddr.eq(to))
            .filter(mail_outbox::Column::Template.eq(template))
            .order_by_desc(mail_outbox::Column::Id)
            .one(&self.db)
            .await
            .unwrap()?;
        let start = mail.body_text.find("http")?;
        let link: String = mail.body_text[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        Some(link)
    }

    pub async fn mails_to(&self, to: &str, template: &str) -> usize {
        mail_outbox::Entity::find()
            .filter(mail_outbox::Column::ToAddr.eq(to))
            .filter(mail_outbox::Column::Template.eq(template))
            .all(&self.db)
            .await
            .unwrap()
            .len()
    }

    /// Registers and confirms a citizen over HTTP; returns their token.
    pub async fn citizen(&self, email: &str) -> String {
        let res = self
            .post_json(
                "/api/v1/auth/register",
                None,
                json!({ "email": email, "password": "a long enough password", "full_name": "Maria Rusu" }),
            )
            .await;
        assert_eq!(res.status(), 201);
        let link = self.mailed_link(email, "verify_email").await.unwrap();
        let path = link.strip_prefix(&self.base).unwrap().to_string();
        let res = self.get(&path).await;
        assert_eq!(res.headers()["location"], "/autentificare?confirmat=1");
        self.login(email, "a long enough password").await
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub async fn demo_institution(&self) -> institution::Model {
        institution::Entity::find()
            .order_by_asc(institution::Column::Id)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
    }

    /// A staff account with the demo password and one `role` at `institution_id`.
    async fn staff_user(&self, email: &str, full_name: &str, role: &str, institution_id: i64) {
        let u = user::ActiveModel {
            email: Set(email.into()),
            password_hash: Set(Some(password::hash(DEMO_PASSWORD.into()).await.unwrap())),
            full_name: Set(full_name.into()),
            locale: Set("ro".into()),
            active: Set(true),
            email_verified_at: Set(Some(Utc::now())),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap();
        user_role::ActiveModel {
            user_id: Set(u.id),
            role: Set(role.into()),
            institution_id: Set(Some(institution_id)),
            department_id: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap();
    }

    /// A second institution with its own administrator (`admin@other.example`):
    /// (institution id, token).
    pub async fn other_admin(&self) -> (i64, String) {
        let inst = self.other_institution().await;
        self.staff_user("admin@other.example", "Elena Rotaru", "admin", inst)
            .await;
        (inst, self.login("admin@other.example", DEMO_PASSWORD).await)
    }

    /// A second institution with one officer (`officer@other.example`, the demo password).
    pub async fn other_institution(&self) -> i64 {
        let inst = institution::ActiveModel {
            slug: Set("balti".into()),
            name_ro: Set("Primăria Bălți".into()),
            name_ru: Set("Примэрия Бельц".into()),
            name_en: Set("Bălți City Hall".into()),
            reg_prefix: Set("BAL".into()),
            calendar: Set("md".into()),
            counting_rule: Set("plain".into()),
            email: Set(None),
            phone: Set(None),
            address: Set(None),
            created_at: Set(Utc::now()),
            timezone: Set("Europe/Chisinau".into()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap();
        self.staff_user("officer@other.example", "Petru Lungu", "officer", inst.id)
            .await;
        inst.id
    }

    /// Files a case in `institution_id` for `petitioner` (a user id, or none with an address).
    pub async fn file(
        &self,
        institution_id: i64,
        petitioner: Option<i64>,
        email: Option<&str>,
    ) -> (i64, String) {
        let case = filing::file_case(
            &self.db,
            NewCase {
                institution_id,
                kind: "petition".into(),
                channel: "online".into(),
                petitioner_id: petitioner,
                petitioner_name: "Ion Popescu".into(),
                petitioner_email: email.map(str::to_string),
                subject: "Cantina socială din Botanica".into(),
                body: "Mâncarea vine rece de trei săptămâni.".into(),
                ..Default::default()
            },
            Utc::now(),
            &self.base,
        )
        .await
        .unwrap();
        (case.id, case.registration_number)
    }
}

/// The error code of a JSON error answer.
pub async fn error_code(res: Response) -> (u16, String, Value) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let code = body["error"]["code"].as_str().unwrap_or("").to_string();
    (status, code, body)
}

/// A JSON API request (`/api/v1{path}`) with a bearer token.
pub async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Response {
    let mut req = app
        .client
        .request(method.parse().unwrap(), app.url(&format!("/api/v1{path}")))
        .header("origin", &app.base)
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// The JSON of a `2xx` answer (fails the test with the body otherwise).
pub async fn ok(res: Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

/// The field codes of a `422` answer.
pub async fn refused(res: Response) -> Value {
    let (status, code, body) = error_code(res).await;
    assert_eq!(
        (status, code.as_str()),
        (422, "validation_failed"),
        "{body}"
    );
    body["error"]["fields"].clone()
}
