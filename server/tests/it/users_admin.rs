//! The administration of staff users (`/api/v1/admin/users…` and `/admin/utilizatori`): the
//! list and its filters in each administrator's scope; deactivation ends a user's live
//! sessions at once and login then refuses them with a clear error; reactivation; password
//! links; who may do each (an institution's administrator only their own institution's staff,
//! never the portal's administrator role; officers, managers and citizens nothing); every
//! change audited; the pages work as plain forms.

use reqwest::Response;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use app::backend::audit::PORTAL;
use app::backend::entity::{audit_record, user, user_role, user_session};

use crate::accounts_support::{DEMO_PASSWORD, error_code, location};
use crate::helpers::TestApp;
use crate::{app, db_test};

const OFFICER: &str = "officer@demo.petitio";

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut req = app
        .client
        .request(method.parse().unwrap(), app.url(&format!("/api/v1{path}")))
        .header("origin", &app.base);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// The JSON of an answer with `status` (fails the test with the body otherwise).
async fn ok(res: Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

/// The list as `token` sees it with `query`: the users' addresses, in order, and the total.
async fn listed(app: &TestApp, token: &str, query: &str) -> (Vec<String>, u64) {
    let page = ok(
        send(
            app,
            "GET",
            &format!("/admin/users{query}"),
            Some(token),
            None,
        )
        .await,
        200,
    )
    .await;
    let emails = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect();
    (emails, page["total"].as_u64().unwrap())
}

/// The status and field codes of a refused filter.
async fn refused_fields(app: &TestApp, token: &str, query: &str) -> Value {
    let res = send(
        app,
        "GET",
        &format!("/admin/users{query}"),
        Some(token),
        None,
    )
    .await;
    let (status, code, body) = error_code(res).await;
    assert_eq!(
        (status, code.as_str()),
        (422, "validation_failed"),
        "{body}"
    );
    body["error"]["fields"].clone()
}

async fn grant(
    app: &TestApp,
    user_id: i64,
    role: &str,
    institution_id: Option<i64>,
    department_id: Option<i64>,
) {
    user_role::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.into()),
        institution_id: Set(institution_id),
        department_id: Set(department_id),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// The demo officer's department (the central one).
async fn officer_department(app: &TestApp) -> i64 {
    let id = app.user_id(OFFICER).await;
    user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .department_id
        .expect("the demo officer works in a department")
}

async fn records(app: &TestApp, action: &str) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

async fn is_active(app: &TestApp, email: &str) -> bool {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .active
}

/// `GET /api/v1/auth/me` with a bearer token, or with the session cookie.
async fn me_status(app: &TestApp, token: &str, cookie: bool) -> u16 {
    let req = app.client.get(app.url("/api/v1/auth/me"));
    let req = if cookie {
        req.header("cookie", format!("petitio_session={token}"))
    } else {
        req.bearer_auth(token)
    };
    req.send().await.unwrap().status().as_u16()
}

async fn login_answer(app: &TestApp, email: &str, password: &str) -> (u16, Value) {
    let res = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({ "email": email, "password": password }),
        )
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

db_test!(
    the_list_filters_by_role_department_and_words_within_the_callers_scope,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let (_other, other_admin) = app.other_admin().await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let central = officer_department(&app).await;

        // Everyone on the demo institution's staff, by name; no citizen, nobody of Bălți.
        let demo_staff = [
            "admin@demo.petitio",
            "manager@demo.petitio",
            "officer@demo.petitio",
        ];
        assert_eq!(
            listed(&app, &admin, "").await,
            (demo_staff.map(String::from).to_vec(), 3)
        );
        let (mine, _) = listed(&app, &other_admin, "").await;
        assert_eq!(mine, ["admin@other.example", "officer@other.example"]);

        // By role, by department, both on one role.
        assert_eq!(listed(&app, &admin, "?role=officer").await.0, [OFFICER]);
        assert_eq!(
            listed(&app, &admin, "?role=manager").await.0,
            ["manager@demo.petitio"]
        );
        assert_eq!(
            listed(&app, &admin, &format!("?department_id={central}"))
                .await
                .0,
            [OFFICER]
        );
        assert_eq!(
            listed(
                &app,
                &admin,
                &format!("?role=manager&department_id={central}")
            )
            .await
            .1,
            0
        );
        // Another institution's department filters everything out of the caller's scope.
        assert_eq!(
            listed(&app, &other_admin, &format!("?department_id={central}"))
                .await
                .1,
            0
        );

        // Words of the name or the address, case and diacritics ignored.
        let res = send(
            &app,
            "POST",
            "/admin/users",
            Some(&admin),
            Some(json!({
                "email": "stefan.turcanu@example.md",
                "full_name": "Ștefan Țurcanu",
                "grants": [{ "role": "officer", "institution_id": inst, "department_id": central }],
            })),
        )
        .await;
        assert_eq!(res.status(), 201);
        let (found, _) = listed(&app, &admin, "?q=STEFAN%20turcanu").await;
        assert_eq!(found, ["stefan.turcanu@example.md"]);
        assert_eq!(listed(&app, &admin, "?q=ceban").await.0, [OFFICER]);
        assert_eq!(
            listed(&app, &admin, "?q=manager%40demo").await.0,
            ["manager@demo.petitio"]
        );
        assert_eq!(listed(&app, &admin, "?q=nimeni").await.1, 0);
        assert_eq!(
            listed(&app, &other_admin, "?q=turcanu").await.1,
            0,
            "not another institution's"
        );
        let page = ok(
            send(&app, "GET", "/admin/users?q=turcanu", Some(&admin), None).await,
            200,
        )
        .await;
        let stefan = &page["items"][0];
        assert_eq!(stefan["invitation_pending"], true);
        assert_eq!(stefan["active"], true);
        assert_eq!(stefan["grants"][0]["role"], "officer");
        assert_eq!(stefan["grants"][0]["department_id"], central);
        assert!(stefan["grants"][0]["department"].is_string());

        // Pages of two: Ana, Mihai | Olga, Ștefan.
        let page = ok(
            send(
                &app,
                "GET",
                "/admin/users?per_page=2&page=2",
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (page["total"].as_u64(), page["page"].as_u64()),
            (Some(4), Some(2))
        );
        let second: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        assert_eq!(second, [OFFICER, "stefan.turcanu@example.md"]);

        // Filters that do not parse are named.
        assert_eq!(
            refused_fields(&app, &admin, "?role=citizen").await["role"][0],
            "choice_invalid"
        );
        assert_eq!(
            refused_fields(&app, &admin, "?department_id=abc").await["department_id"][0],
            "choice_invalid"
        );
        assert_eq!(
            refused_fields(&app, &admin, "?page=0").await["page"][0],
            "page_range"
        );

        // The portal's administrator sees every institution's staff.
        let portal = app.portal_admin().await;
        let (all, total) = listed(&app, &portal, "?per_page=100").await;
        assert_eq!(total, 7);
        assert!(all.contains(&"officer@other.example".to_string()));
        assert!(all.contains(&"portal@admin.example".to_string()));

        // Nobody else lists users.
        for who in [OFFICER, "manager@demo.petitio", "citizen@demo.petitio"] {
            let token = app.login(who, DEMO_PASSWORD).await;
            let res = send(&app, "GET", "/admin/users", Some(&token), None).await;
            assert_eq!(res.status(), 403, "{who}");
        }
        let res = send(&app, "GET", "/admin/users", None, None).await;
        assert_eq!(res.status(), 401);
    }
);

db_test!(
    deactivation_ends_live_sessions_at_once_and_login_then_refuses_the_user,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let admin_id = app.user_id("admin@demo.petitio").await;
        let officer_id = app.user_id(OFFICER).await;

        // Two live sessions: one used with a bearer token, one with the cookie.
        let bearer = app.login(OFFICER, DEMO_PASSWORD).await;
        let cookie = app.login(OFFICER, DEMO_PASSWORD).await;
        assert_eq!(me_status(&app, &bearer, false).await, 200);
        assert_eq!(me_status(&app, &cookie, true).await, 200);
        // A reset link asked for before.
        let res = app
            .post_json(
                "/api/v1/auth/password/forgot",
                None,
                json!({ "email": OFFICER }),
            )
            .await;
        assert_eq!(res.status(), 202);
        let link = app.mailed_link(OFFICER, "reset_password").await.unwrap();
        let reset_token = link.split("token=").nth(1).unwrap().to_string();

        let body = ok(
            send(
                &app,
                "POST",
                &format!("/admin/users/{officer_id}/deactivate"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(body["active"], false);
        assert_eq!(body["email"], OFFICER);

        // The very next requests with the old token and the old cookie are anonymous.
        assert_eq!(me_status(&app, &bearer, false).await, 401);
        assert_eq!(me_status(&app, &cookie, true).await, 401);
        let live = user_session::Entity::find()
            .filter(user_session::Column::UserId.eq(officer_id))
            .filter(user_session::Column::RevokedAt.is_null())
            .all(&app.db)
            .await
            .unwrap();
        assert!(live.is_empty(), "every session is revoked: {live:?}");

        // Login says the account is deactivated, to whoever knows the password only.
        let (status, answer) = login_answer(&app, OFFICER, DEMO_PASSWORD).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["fields"]["email"][0], "account_inactive");
        let (status, answer) = login_answer(&app, OFFICER, "not the password").await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (401, Some("unauthorized"))
        );
        let failed = records(&app, "login.failed").await;
        assert!(
            failed
                .iter()
                .any(|r| r.actor_id == Some(officer_id) && r.details.contains("\"inactive\""))
        );
        // The mailed link is revoked with the sessions, and no new one goes out.
        let res = app
            .post_json(
                "/api/v1/auth/password/reset",
                None,
                json!({ "token": reset_token, "password": "a new password 2026" }),
            )
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["token"][0], "token_invalid");
        app.post_json(
            "/api/v1/auth/password/forgot",
            None,
            json!({ "email": OFFICER }),
        )
        .await;
        assert_eq!(app.mails_to(OFFICER, "reset_password").await, 1);

        // Audited once, in the institution's chain, with what ended.
        let recs = records(&app, "admin.user.deactivate").await;
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(
            (r.actor_id, r.institution_id, r.target_id.as_deref()),
            (Some(admin_id), inst, Some(officer_id.to_string().as_str()))
        );
        let details: Value = serde_json::from_str(&r.details).unwrap();
        assert_eq!(details["sessions_revoked"], 2);
        assert_eq!(details["links_revoked"], 1);
        // Deactivating again changes nothing and records nothing.
        ok(
            send(
                &app,
                "POST",
                &format!("/admin/users/{officer_id}/deactivate"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(records(&app, "admin.user.deactivate").await.len(), 1);

        // Reactivated: the user logs in again, with the same role.
        let body = ok(
            send(
                &app,
                "POST",
                &format!("/admin/users/{officer_id}/reactivate"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(body["active"], true);
        assert_eq!(body["grants"][0]["role"], "officer");
        let again = app.login(OFFICER, DEMO_PASSWORD).await;
        assert_eq!(me_status(&app, &again, false).await, 200);
        assert_eq!(
            me_status(&app, &bearer, false).await,
            401,
            "old sessions stay ended"
        );
        assert_eq!(records(&app, "admin.user.reactivate").await.len(), 1);
    }
);

db_test!(
    only_an_administrator_of_every_role_a_user_holds_changes_them,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let (other, other_admin) = app.other_admin().await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer_id = app.user_id(OFFICER).await;
        let manager_id = app.user_id("manager@demo.petitio").await;
        let admin_id = app.user_id("admin@demo.petitio").await;
        let citizen_id = app.user_id("citizen@demo.petitio").await;
        let officer_b = app.user_id("officer@other.example").await;
        let status = |path: String, token: Option<String>| {
            let app = &app;
            async move {
                send(app, "POST", &path, token.as_deref(), None)
                    .await
                    .status()
                    .as_u16()
            }
        };
        let deactivate = |id: i64| format!("/admin/users/{id}/deactivate");
        let reactivate = |id: i64| format!("/admin/users/{id}/reactivate");

        // Another institution's staff do not exist for an institution's administrator.
        assert_eq!(
            status(deactivate(officer_b), Some(admin.clone())).await,
            404
        );
        assert_eq!(
            status(reactivate(officer_b), Some(admin.clone())).await,
            404
        );
        assert_eq!(
            status(deactivate(officer_id), Some(other_admin.clone())).await,
            404
        );
        // Neither do citizens, nor unknown ids.
        assert_eq!(
            status(deactivate(citizen_id), Some(admin.clone())).await,
            404
        );
        assert_eq!(
            status(deactivate(officer_b + 1000), Some(admin.clone())).await,
            404
        );
        // Officers, managers and citizens are refused; the anonymous asked to log in.
        for who in [OFFICER, "manager@demo.petitio", "citizen@demo.petitio"] {
            let token = app.login(who, DEMO_PASSWORD).await;
            assert_eq!(
                status(deactivate(manager_id), Some(token.clone())).await,
                403,
                "{who}"
            );
            assert_eq!(
                status(reactivate(manager_id), Some(token)).await,
                403,
                "{who}"
            );
        }
        assert_eq!(status(deactivate(officer_id), None).await, 401);
        // Nobody deactivates their own account.
        let res = send(&app, "POST", &deactivate(admin_id), Some(&admin), None).await;
        let (code, _, body) = error_code(res).await;
        assert_eq!(code, 422);
        assert_eq!(body["error"]["fields"]["active"][0], "user_self_deactivate");

        // A user who also works for Bălți is seen by both administrators, changed by neither.
        grant(&app, officer_b, "officer", Some(inst), None).await;
        let page = ok(
            send(&app, "GET", "/admin/users?q=lungu", Some(&admin), None).await,
            200,
        )
        .await;
        let petru = &page["items"][0];
        assert_eq!(petru["roles_elsewhere"], true);
        assert_eq!(
            petru["grants"].as_array().unwrap().len(),
            1,
            "only the demo role shows"
        );
        assert_eq!(petru["grants"][0]["institution_id"], inst);
        assert_eq!(
            status(deactivate(officer_b), Some(admin.clone())).await,
            403
        );
        assert_eq!(
            status(deactivate(officer_b), Some(other_admin.clone())).await,
            403
        );
        // The portal's administrator changes anyone, and an institution's administrator does
        // not touch the portal's.
        let portal = app.portal_admin().await;
        let portal_id = app.user_id("portal@admin.example").await;
        assert_eq!(
            status(deactivate(portal_id), Some(admin.clone())).await,
            404
        );
        assert_eq!(
            status(deactivate(officer_b), Some(portal.clone())).await,
            200
        );
        assert!(!is_active(&app, "officer@other.example").await);
        assert_eq!(status(reactivate(officer_b), Some(portal)).await, 200);

        // None of the refusals changed anything.
        for email in [
            OFFICER,
            "manager@demo.petitio",
            "admin@demo.petitio",
            "portal@admin.example",
        ] {
            assert!(is_active(&app, email).await, "{email}");
        }
        let recs = records(&app, "admin.user.deactivate").await;
        assert_eq!(recs.len(), 1, "the portal administrator's only");
        assert_eq!(
            recs[0].institution_id, PORTAL,
            "roles in two institutions: the portal's chain"
        );

        // Roles: never outside the institution, never the portal's administrator role.
        let roles = |id: i64, grants: Value, token: &str| {
            let app = &app;
            let token = token.to_string();
            async move {
                app.put_json(
                    &format!("/api/v1/admin/users/{id}/roles"),
                    Some(&token),
                    grants,
                )
                .await
            }
        };
        let res = roles(
            officer_id,
            json!([{ "role": "officer", "institution_id": other, "department_id": null }]),
            &admin,
        )
        .await;
        assert_eq!(res.status(), 403, "another institution");
        let res = roles(
            officer_id,
            json!([{ "role": "admin", "institution_id": null, "department_id": null }]),
            &admin,
        )
        .await;
        let (code, _, body) = error_code(res).await;
        assert_eq!(code, 422, "the portal's administrator role");
        assert_eq!(
            body["error"]["fields"]["grants"][0],
            "grant_needs_institution"
        );
        let res = send(
            &app,
            "POST",
            "/admin/users",
            Some(&admin),
            Some(json!({
                "email": "new.portal.admin@example.md",
                "full_name": "Ion Rusu",
                "grants": [{ "role": "admin", "institution_id": null, "department_id": null }],
            })),
        )
        .await;
        assert_eq!(
            res.status(),
            422,
            "no invitation as the portal's administrator"
        );
        let res = roles(
            officer_b,
            json!([{ "role": "manager", "institution_id": inst, "department_id": null }]),
            &admin,
        )
        .await;
        assert_eq!(res.status(), 404, "a user holding roles elsewhere");
        assert!(records(&app, "admin.user.roles").await.is_empty());
    }
);

db_test!(
    the_pages_invite_edit_deactivate_and_send_links_without_javascript,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer_id = app.user_id(OFFICER).await;
        let central = officer_department(&app).await;

        // The list, its filters, the link to each user; administrators only.
        let list = app.page_as("/admin/utilizatori", &admin).await;
        assert!(
            list.contains("Olga Ceban") && list.contains("Mihai Munteanu"),
            "{list}"
        );
        assert!(list.contains(&format!("href=\"/admin/utilizatori/{officer_id}\"")));
        assert!(list.contains("Invitați un membru al personalului"));
        assert!(
            list.contains("href=\"/admin/utilizatori\""),
            "the navigation links the page"
        );
        let managers = app.page_as("/admin/utilizatori?role=manager", &admin).await;
        assert!(managers.contains("Mihai Munteanu") && !managers.contains("Olga Ceban"));
        let officer = app.login(OFFICER, DEMO_PASSWORD).await;
        let refused = app.page_as("/admin/utilizatori", &officer).await;
        assert!(refused.contains("Această pagină este pentru administratori."));
        assert!(!refused.contains("Mihai Munteanu"));

        // An invitation with every field wrong: each error next to its field.
        let res = app
            .post_plain_form(
                "/api/invite_user",
                &admin,
                "/admin/utilizatori",
                &[
                    ("form[email]", "nu-este-adresa"),
                    ("form[full_name]", "X"),
                    ("form[role]", "citizen"),
                    ("form[scope]", "portal"),
                ],
            )
            .await;
        let back = location(&res);
        assert!(back.contains("__err="), "{back}");
        let page = app.page_as(&back, &admin).await;
        for field in ["i-email", "i-full_name", "i-role"] {
            assert!(
                page.contains(&format!("id=\"{field}-error\"")),
                "{field}: {page}"
            );
            assert!(
                page.contains(&format!("href=\"#{field}\"")),
                "{field} in the summary"
            );
        }
        assert!(page.contains("Introduceți o adresă de e-mail validă"));
        // An address that has an account already.
        let res = app
            .post_plain_form(
                "/api/invite_user",
                &admin,
                "/admin/utilizatori",
                &[
                    ("form[email]", OFFICER),
                    ("form[full_name]", "Olga Ceban"),
                    ("form[role]", "officer"),
                    ("form[scope]", &format!("i{inst}")),
                ],
            )
            .await;
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("Există deja un cont cu această adresă"));
        assert!(page.contains("id=\"i-email-error\""));
        // The portal's scope is not the demo administrator's to give.
        let res = app
            .post_plain_form(
                "/api/invite_user",
                &admin,
                "/admin/utilizatori",
                &[
                    ("form[email]", "vasile@example.md"),
                    ("form[full_name]", "Vasile Lupu"),
                    ("form[role]", "admin"),
                    ("form[scope]", "portal"),
                ],
            )
            .await;
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("id=\"i-scope-error\""), "{page}");
        assert_eq!(app.mails_to("vasile@example.md", "invite").await, 0);

        // A good invitation: the new user's page, the mail with its link.
        let scope = format!("i{inst}-d{central}");
        let res = app
            .post_plain_form(
                "/api/invite_user",
                &admin,
                "/admin/utilizatori",
                &[
                    ("form[email]", "Elena.Cojocaru@Example.md"),
                    ("form[full_name]", "Elena Cojocaru"),
                    ("form[role]", "officer"),
                    ("form[scope]", &scope),
                ],
            )
            .await;
        let elena = app.user_id("elena.cojocaru@example.md").await;
        assert_eq!(
            location(&res),
            format!("/admin/utilizatori/{elena}?invitat=1#account-title")
        );
        assert_eq!(app.mails_to("elena.cojocaru@example.md", "invite").await, 1);
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("Invitația a fost trimisă la elena.cojocaru@example.md."));
        assert!(page.contains("invitat, fără parolă încă"));
        assert!(page.contains("Trimiteți invitația din nou"));
        // Sent again: the invitation, not a reset link (she has no password to reset).
        let path = format!("/admin/utilizatori/{elena}");
        let res = app
            .post_plain_form(
                "/api/send_user_password_link",
                &admin,
                &path,
                &[("id", &elena.to_string())],
            )
            .await;
        assert_eq!(location(&res), format!("{path}?trimis=1#password-title"));
        assert_eq!(app.mails_to("elena.cojocaru@example.md", "invite").await, 2);
        assert_eq!(
            app.mails_to("elena.cojocaru@example.md", "reset_password")
                .await,
            0
        );

        // The officer's roles through the editor: manager of the whole institution, the empty
        // row ignored; the officer's session ends.
        let path = format!("/admin/utilizatori/{officer_id}");
        let page = app.page_as(&path, &admin).await;
        assert!(
            page.contains("name=\"grants[0][role]\"") && page.contains("name=\"grants[1][role]\"")
        );
        assert!(
            page.contains(&format!("value=\"{scope}\" selected")),
            "the current scope is chosen"
        );
        let inst_scope = format!("i{inst}");
        let id = officer_id.to_string();
        let res = app
            .post_plain_form(
                "/api/save_user_roles",
                &admin,
                &path,
                &[
                    ("id", &id),
                    ("grants[0][role]", "manager"),
                    ("grants[0][scope]", &inst_scope),
                    ("grants[1][role]", ""),
                    ("grants[1][scope]", ""),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("{path}?salvat=1#roles-title"));
        assert_eq!(me_status(&app, &officer, false).await, 401);
        let stored = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(officer_id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(
            (
                stored[0].role.as_str(),
                stored[0].institution_id,
                stored[0].department_id
            ),
            ("manager", Some(inst), None)
        );
        // Every role removed: refused, the error on the editor.
        let res = app
            .post_plain_form(
                "/api/save_user_roles",
                &admin,
                &path,
                &[
                    ("id", &id),
                    ("grants[0][role]", ""),
                    ("grants[0][scope]", &inst_scope),
                ],
            )
            .await;
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("id=\"grants-error\""), "{page}");
        assert!(page.contains("Lăsați utilizatorului cel puțin un rol."));
        // A scope that does not parse is named on its row.
        let res = app
            .post_plain_form(
                "/api/save_user_roles",
                &admin,
                &path,
                &[
                    ("id", &id),
                    ("grants[0][role]", "officer"),
                    ("grants[0][scope]", "everywhere"),
                ],
            )
            .await;
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("id=\"g0-scope-error\""), "{page}");

        // Deactivated through its button; a link is then refused; reactivated; a reset link.
        let res = app
            .post_plain_form(
                "/api/set_user_active",
                &admin,
                &path,
                &[("id", &id), ("active", "false")],
            )
            .await;
        assert_eq!(location(&res), format!("{path}?dezactivat=1#access-title"));
        assert!(!is_active(&app, OFFICER).await);
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("Reactivați contul") && page.contains("dezactivat"));
        let res = app
            .post_plain_form(
                "/api/send_user_password_link",
                &admin,
                &path,
                &[("id", &id)],
            )
            .await;
        let page = app.page_as(&location(&res), &admin).await;
        assert!(
            page.contains("reactivați-l înainte de a trimite un link"),
            "{page}"
        );
        let res = app
            .post_plain_form(
                "/api/set_user_active",
                &admin,
                &path,
                &[("id", &id), ("active", "true")],
            )
            .await;
        assert_eq!(location(&res), format!("{path}?reactivat=1#access-title"));
        let res = app
            .post_plain_form(
                "/api/send_user_password_link",
                &admin,
                &path,
                &[("id", &id)],
            )
            .await;
        assert_eq!(location(&res), format!("{path}?trimis=1#password-title"));
        assert_eq!(app.mails_to(OFFICER, "reset_password").await, 1);
        let recs = records(&app, "admin.user.password_link").await;
        assert_eq!(recs.len(), 2);
        assert!(recs[1].details.contains("reset_password"));
        assert!(recs[0].details.contains("\"invite\""));

        // Their own page: no editor, no buttons.
        let admin_id = app.user_id("admin@demo.petitio").await;
        let own = app
            .page_as(&format!("/admin/utilizatori/{admin_id}"), &admin)
            .await;
        assert!(own.contains("Acesta este contul dumneavoastră"));
        assert!(!own.contains("Dezactivați contul") && !own.contains("grants[0][role]"));
    }
);
