//! Accounts over HTTP: registration, verification, login, sessions and their revocation,
//! forged tokens, password reset, invitations, tracking links, CSRF, rate limits, security
//! headers and the no-JavaScript forms. Each runs on SQLite and PostgreSQL.

use chrono::{Duration, Utc};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use app::backend::auth::token;
use app::backend::entity::user;

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::{app, db_test};

const SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

/// `PUT /api/v1/admin/users/{id}/roles` with `grants`, as `token`.
async fn put_roles(
    app: &crate::helpers::TestApp,
    token: &str,
    id: i64,
    grants: Value,
) -> reqwest::Response {
    app.put_json(
        &format!("/api/v1/admin/users/{id}/roles"),
        Some(token),
        grants,
    )
    .await
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn cookie_of(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("petitio_session="))
        .map(str::to_string)
}

db_test!(register_verify_login_me_logout, |kind| {
    let app = app!(kind);
    let email = "maria.rusu@example.md";
    let res = app
        .post_json(
            "/api/v1/auth/register",
            None,
            json!({ "email": "  Maria.Rusu@Example.md ", "password": "a long enough password", "full_name": "Maria Rusu" }),
        )
        .await;
    assert_eq!(res.status(), 201);

    // Not confirmed yet: login says so (and sends the link again).
    let res = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({ "email": email, "password": "a long enough password" }),
        )
        .await;
    let (status, code, body) = error_code(res).await;
    assert_eq!((status, code.as_str()), (422, "validation_failed"));
    assert_eq!(body["error"]["fields"]["email"][0], "email_unverified");
    assert_eq!(app.mails_to(email, "verify_email").await, 2);

    // Only the newest link works; the first was revoked when the second was sent.
    let link = app.mailed_link(email, "verify_email").await.unwrap();
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    assert!(path.starts_with("/cont/confirmare/"), "{path}");
    let res = app.get(&path).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/autentificare?confirmat=1");
    let res = app.get(&path).await;
    assert_eq!(
        res.headers()["location"],
        "/autentificare?confirmat=0",
        "single use"
    );

    let res = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({ "email": email, "password": "a long enough password" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let cookie = cookie_of(&res).expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "no Secure over http in development"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email"], email);
    assert_eq!(body["user"]["role"], "citizen");
    let token = body["token"].as_str().unwrap().to_string();

    // The same token works as a cookie and as a bearer token.
    let res = app.get_with("/api/v1/auth/me", &token).await;
    assert_eq!(res.status(), 200);
    let cookie_pair = cookie.split(';').next().unwrap().to_string();
    let res = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", &cookie_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["email"], email);

    // The password is stored as an Argon2id hash.
    let u = user::Entity::find_by_id(app.user_id(email).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        u.password_hash
            .unwrap()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );

    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("origin", &app.base)
        .header("cookie", &cookie_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(
        cookie_of(&res).unwrap().contains("Max-Age=0"),
        "cookie cleared"
    );
    let (status, code, _) = error_code(app.get_with("/api/v1/auth/me", &token).await).await;
    assert_eq!(
        (status, code.as_str()),
        (401, "unauthorized"),
        "revoked at logout"
    );
});

db_test!(registration_does_not_reveal_who_has_an_account, |kind| {
    let app = app!(kind);
    let res = app
        .post_json(
            "/api/v1/auth/register",
            None,
            json!({ "email": "citizen@demo.petitio", "password": "another long password", "full_name": "Someone Else" }),
        )
        .await;
    assert_eq!(res.status(), 201, "same answer as for a new address");
    assert_eq!(
        app.mails_to("citizen@demo.petitio", "account_exists").await,
        1
    );
    // The owner's password did not change.
    app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
});

db_test!(bad_input_gets_structured_field_errors, |kind| {
    let app = app!(kind);
    let res = app
        .post_json(
            "/api/v1/auth/register",
            None,
            json!({ "email": "not-an-address", "password": "short", "full_name": "" }),
        )
        .await;
    let (status, code, body) = error_code(res).await;
    assert_eq!((status, code.as_str()), (422, "validation_failed"));
    let fields = &body["error"]["fields"];
    assert_eq!(fields["email"][0], "email_invalid");
    assert_eq!(fields["password"][0], "password_length");
    assert_eq!(fields["full_name"][0], "full_name_length");

    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_code(res).await;
    assert_eq!((status, code.as_str()), (400, "bad_request"));

    let res = app
        .post_json("/api/v1/auth/login", None, json!({ "email": "a@b.md" }))
        .await;
    let (status, code, _) = error_code(res).await;
    assert_eq!(
        (status, code.as_str()),
        (422, "validation_failed"),
        "a missing field"
    );
});

db_test!(wrong_credentials_get_the_same_401, |kind| {
    let app = app!(kind);
    for (email, password) in [
        ("citizen@demo.petitio", "wrong-password-1"),
        ("nobody@demo.petitio", DEMO_PASSWORD),
    ] {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                None,
                json!({ "email": email, "password": password }),
            )
            .await;
        let (status, code, body) = error_code(res).await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"), "{email}");
        assert_eq!(body["error"]["message"], "authentication required");
    }
});

db_test!(forged_expired_and_early_tokens_are_refused, |kind| {
    let app = app!(kind, &[("PETITIO_JWT_SECRET", SECRET)]);
    let good = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    assert_eq!(app.get_with("/api/v1/auth/me", &good).await.status(), 200);
    let claims = token::verify(SECRET.as_bytes(), &good).unwrap();
    let now = Utc::now();
    let payload = serde_json::to_string(&claims).unwrap();

    let alg_none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(payload.as_bytes())
    );
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    let other_key = token::issue_for(
        b"another-key-0123456789abcdef0123456789",
        &claims.sub,
        &claims.sid,
        now,
        Duration::minutes(30),
    )
    .unwrap();
    let expired = token::issue_for(
        SECRET.as_bytes(),
        &claims.sub,
        &claims.sid,
        now - Duration::hours(2),
        Duration::minutes(30),
    )
    .unwrap();
    let not_yet_valid = token::issue_for(
        SECRET.as_bytes(),
        &claims.sub,
        &claims.sid,
        now + Duration::hours(1),
        Duration::minutes(30),
    )
    .unwrap();
    let other_user = token::issue_for(
        SECRET.as_bytes(),
        "1",
        &claims.sid,
        now,
        Duration::minutes(30),
    )
    .unwrap();
    let mut tampered = good.clone();
    tampered.pop();
    tampered.push(if good.ends_with('A') { 'B' } else { 'A' });

    for (what, t) in [
        ("alg none", alg_none),
        ("HS512", hs512),
        ("another key", other_key),
        ("expired", expired),
        ("not yet valid", not_yet_valid),
        ("another user on this session", other_user),
        ("tampered signature", tampered),
        ("garbage", "abc.def.ghi".to_string()),
    ] {
        let (status, code, _) = error_code(app.get_with("/api/v1/auth/me", &t).await).await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"), "{what}");
        // A dead cookie is cleared.
        let res = app
            .client
            .get(app.url("/api/v1/auth/me"))
            .header("cookie", format!("petitio_session={t}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{what} as a cookie");
        assert!(cookie_of(&res).unwrap().contains("Max-Age=0"), "{what}");
    }
    assert_eq!(app.get_with("/api/v1/auth/me", &good).await.status(), 200);
});

db_test!(
    sessions_end_at_logout_everywhere_password_change_and_role_change,
    |kind| {
        let app = app!(kind);
        let a = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let b = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let res = app
            .post_json("/api/v1/auth/logout-all", Some(&a), json!({}))
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["revoked"], 2);
        assert_eq!(app.get_with("/api/v1/auth/me", &a).await.status(), 401);
        assert_eq!(app.get_with("/api/v1/auth/me", &b).await.status(), 401);

        // A password change keeps the session that made it and ends the others.
        let a = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let b = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let res = app
            .post_json(
                "/api/v1/auth/password/change",
                Some(&a),
                json!({ "current_password": "wrong", "new_password": "a brand new password" }),
            )
            .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["current_password"][0],
            "password_wrong"
        );
        let res = app
        .post_json(
            "/api/v1/auth/password/change",
            Some(&a),
            json!({ "current_password": DEMO_PASSWORD, "new_password": "a brand new password" }),
        )
        .await;
        assert_eq!(res.status(), 204);
        assert_eq!(app.get_with("/api/v1/auth/me", &a).await.status(), 200);
        assert_eq!(app.get_with("/api/v1/auth/me", &b).await.status(), 401);
        app.login("citizen@demo.petitio", "a brand new password")
            .await;

        // A role change ends every session of the user.
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let inst = app.demo_institution().await.id;
        let officer_id = app.user_id("officer@demo.petitio").await;
        let res = put_roles(
            &app,
            &admin,
            officer_id,
            json!([{ "role": "manager", "institution_id": inst, "department_id": null }]),
        )
        .await;
        assert_eq!(res.status(), 204);
        assert_eq!(
            app.get_with("/api/v1/auth/me", &officer).await.status(),
            401
        );
        let again = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let me: Value = app
            .get_with("/api/v1/auth/me", &again)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["role"], "manager");

        // Not their own, as on the pages: refused by field, nothing changed.
        let admin_id = app.user_id("admin@demo.petitio").await;
        let res = put_roles(
            &app,
            &admin,
            admin_id,
            json!([{ "role": "officer", "institution_id": inst, "department_id": null }]),
        )
        .await;
        let (status, _, body) = crate::accounts_support::error_code(res).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["fields"]["grants"][0], "user_self_change");
        let me: Value = app
            .get_with("/api/v1/auth/me", &admin)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            me["role"], "admin",
            "still an administrator, still signed in"
        );

        // Only an administrator changes roles.
        let res = put_roles(
            &app,
            &again,
            officer_id,
            json!([{ "role": "admin", "institution_id": null, "department_id": null }]),
        )
        .await;
        assert_eq!(res.status(), 403);
    }
);

db_test!(password_reset_by_mail, |kind| {
    let app = app!(kind);
    let before = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    for email in ["citizen@demo.petitio", "nobody@example.md"] {
        let res = app
            .post_json(
                "/api/v1/auth/password/forgot",
                None,
                json!({ "email": email }),
            )
            .await;
        assert_eq!(res.status(), 202, "same answer for {email}");
    }
    assert_eq!(app.mails_to("nobody@example.md", "reset_password").await, 0);
    let link = app
        .mailed_link("citizen@demo.petitio", "reset_password")
        .await
        .unwrap();
    let token = link.split("token=").nth(1).unwrap().to_string();
    // The reset page carries the token in its form.
    let (status, html) = app.get_text(&format!("/parola/noua?token={token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"value="{token}""#)));

    let res = app
        .post_json(
            "/api/v1/auth/password/reset",
            None,
            json!({ "token": token, "password": "reset password 2026" }),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get_with("/api/v1/auth/me", &before).await.status(),
        401,
        "sessions end"
    );
    let res = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({ "email": "citizen@demo.petitio", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), 401, "the old password is gone");
    app.login("citizen@demo.petitio", "reset password 2026")
        .await;
    let res = app
        .post_json(
            "/api/v1/auth/password/reset",
            None,
            json!({ "token": token, "password": "and once more 2026" }),
        )
        .await;
    let (status, _, body) = error_code(res).await;
    assert_eq!(status, 422, "a link works once");
    assert_eq!(body["error"]["fields"]["token"][0], "token_invalid");
});

db_test!(
    an_admin_invites_staff_in_their_own_institution_only,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let inst = app.demo_institution().await.id;
        let other = app.other_institution().await;
        let invite = |grant_inst: i64, token: String| {
            let app = &app;
            async move {
                app.post_json(
                "/api/v1/admin/users",
                Some(&token),
                json!({
                    "email": format!("new.officer.{grant_inst}@example.md"),
                    "full_name": "Elena Cojocaru",
                    "grants": [{ "role": "officer", "institution_id": grant_inst, "department_id": null }],
                }),
            )
            .await
            }
        };
        assert_eq!(
            invite(other, admin.clone()).await.status(),
            403,
            "another institution"
        );
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        assert_eq!(invite(inst, citizen).await.status(), 403, "not an admin");
        let res = invite(inst, admin.clone()).await;
        assert_eq!(res.status(), 201);
        let email = format!("new.officer.{inst}@example.md");
        let link = app.mailed_link(&email, "invite").await.unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let res = app
            .post_json(
                "/api/v1/auth/password/reset",
                None,
                json!({ "token": token, "password": "officer password 1" }),
            )
            .await;
        assert_eq!(res.status(), 204);
        let t = app.login(&email, "officer password 1").await;
        let me: Value = app
            .get_with("/api/v1/auth/me", &t)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["role"], "officer");
        assert_eq!(me["grants"][0]["institution_id"], inst);
    }
);

db_test!(
    every_role_sees_only_its_scope_and_guessed_ids_are_404,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let other = app.other_institution().await;
        let citizen_id = app.user_id("citizen@demo.petitio").await;
        let maria = app.citizen("maria@example.md").await;
        let maria_id = app.user_id("maria@example.md").await;
        let (own, _) = app
            .file(inst, Some(citizen_id), Some("citizen@demo.petitio"))
            .await;
        let (marias, _) = app
            .file(inst, Some(maria_id), Some("maria@example.md"))
            .await;
        let (elsewhere, _) = app
            .file(other, Some(maria_id), Some("maria@example.md"))
            .await;
        let missing = elsewhere + 1000;

        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer_b = app.login("officer@other.example", DEMO_PASSWORD).await;

        let table: [(&str, &String, &[i64]); 6] = [
            ("citizen", &citizen, &[own]),
            ("another citizen", &maria, &[marias, elsewhere]),
            ("officer", &officer, &[own, marias]),
            ("manager", &manager, &[own, marias]),
            ("institution admin", &admin, &[own, marias]),
            ("officer of another institution", &officer_b, &[elsewhere]),
        ];
        for (who, token, visible) in table {
            for id in [own, marias, elsewhere, missing] {
                let res = app.get_with(&format!("/api/v1/cases/{id}"), token).await;
                let expected = if visible.contains(&id) { 200 } else { 404 };
                assert_eq!(res.status().as_u16(), expected, "{who} reading case {id}");
                if expected == 404 {
                    let (_, code, body) = error_code(res).await;
                    assert_eq!(code, "not_found");
                    assert!(!body.to_string().contains("Cantina"), "nothing leaks");
                }
            }
            let list: Value = app
                .get_with("/api/v1/cases?per_page=100", token)
                .await
                .json()
                .await
                .unwrap();
            let mut ids: Vec<i64> = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect();
            ids.sort();
            assert_eq!(ids, visible.to_vec(), "{who}'s list");
            assert_eq!(list["total"], visible.len());
        }
        // Anonymous: no case, no list.
        assert_eq!(app.get(&format!("/api/v1/cases/{own}")).await.status(), 404);
        assert_eq!(app.get("/api/v1/cases").await.status(), 401);
        // The case page answers 404 the same way.
        let res = app
            .client
            .get(app.url(&format!("/cazuri/{marias}")))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let res = app
            .client
            .get(app.url(&format!("/cazuri/{own}")))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Cantina socială din Botanica")
        );
    }
);

db_test!(a_tracking_link_opens_one_case_until_revoked, |kind| {
    let app = app!(kind);
    let inst = app.demo_institution().await.id;
    let (case, number) = app.file(inst, None, Some("anon@example.md")).await;
    let (other_case, _) = app.file(inst, None, Some("someone@example.md")).await;

    // Asking with the wrong address sends nothing, and says the same.
    for email in ["wrong@example.md", "ANON@example.md"] {
        let res = app
            .post_json(
                "/api/v1/auth/case-link",
                None,
                json!({ "registration_number": number, "email": email }),
            )
            .await;
        assert_eq!(res.status(), 202);
    }
    assert_eq!(app.mails_to("wrong@example.md", "case_link").await, 0);
    let link = app
        .mailed_link("anon@example.md", "case_link")
        .await
        .unwrap();
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    let res = app.get(&path).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/cazuri/{case}"));
    let cookie = cookie_of(&res).unwrap();
    let pair = cookie.split(';').next().unwrap().to_string();
    let get = |p: String| {
        let req = app.client.get(app.url(&p)).header("cookie", pair.clone());
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(format!("/api/v1/cases/{case}")).await, 200);
    assert_eq!(get(format!("/api/v1/cases/{other_case}")).await, 404);
    assert_eq!(get("/api/v1/auth/me".into()).await, 401, "not an account");
    assert_eq!(get(format!("/cazuri/{case}")).await, 200);

    // The holder revokes it: the session ends and the link is dead.
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/cases/{case}/links")))
        .header("origin", &app.base)
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(get(format!("/api/v1/cases/{case}")).await, 404);
    let res = app.get(&path).await;
    assert_eq!(res.headers()["location"], "/urmarire?link=invalid");
    assert_eq!(
        app.get("/urmarire/not-a-token").await.headers()["location"],
        "/urmarire?link=invalid"
    );
});

db_test!(cross_site_posts_with_the_cookie_are_refused, |kind| {
    let app = app!(kind);
    let res = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({ "email": "citizen@demo.petitio", "password": DEMO_PASSWORD }),
        )
        .await;
    let pair = cookie_of(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token: Value = res.json().await.unwrap();
    let token = token["token"].as_str().unwrap().to_string();
    let post = |path: &'static str, headers: Vec<(&'static str, &'static str)>| {
        let mut req = app
            .client
            .post(app.url(path))
            .header("cookie", pair.clone())
            .header("accept", "application/json");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        async move { req.send().await.unwrap() }
    };
    for (what, headers) in [
        ("another origin", vec![("origin", "https://evil.example")]),
        ("an opaque origin", vec![("origin", "null")]),
        (
            "a foreign referer",
            vec![("referer", "https://evil.example/page")],
        ),
        ("no origin at all", vec![]),
        ("a cross-site fetch", vec![("sec-fetch-site", "cross-site")]),
    ] {
        let (status, code, _) =
            error_code(post("/api/v1/auth/logout-all", headers.clone()).await).await;
        assert_eq!(
            (status, code.as_str()),
            (403, "forbidden"),
            "JSON API, {what}"
        );
        let res = post("/api/logout", headers).await;
        assert_eq!(res.status(), 403, "server function, {what}");
    }
    assert_eq!(
        app.get_with("/api/v1/auth/me", &token).await.status(),
        200,
        "still logged in"
    );
    let origin: &'static str = Box::leak(app.base.clone().into_boxed_str());
    let res = post("/api/v1/auth/logout", vec![("origin", origin)]).await;
    assert_eq!(res.status(), 204, "our own origin");
    assert_eq!(app.get_with("/api/v1/auth/me", &token).await.status(), 401);
});

db_test!(repeated_attempts_get_429_with_retry_after, |kind| {
    let app = app!(
        kind,
        &[
            (
                "PETITIO_RATE_LIMITS",
                "login=3/60,register=2/60,reset=2/60,magic_link=2/60"
            ),
            ("PETITIO_TRUST_FORWARDED_FOR", "1"),
        ]
    );
    let attempt = |path: &'static str, body: Value, ip: &'static str| {
        let req = app
            .client
            .post(app.url(path))
            .header("origin", &app.base)
            .header("x-forwarded-for", ip)
            .json(&body);
        async move { req.send().await.unwrap() }
    };
    let check_429 = |res: reqwest::Response, what: &str| {
        let what = what.to_string();
        async move {
            let retry: u64 = res.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&retry), "{what}: Retry-After {retry}");
            let (status, code, _) = error_code(res).await;
            assert_eq!((status, code.as_str()), (429, "rate_limited"), "{what}");
        }
    };
    let wrong = json!({ "email": "citizen@demo.petitio", "password": "wrong password" });
    for _ in 0..3 {
        assert_eq!(
            attempt("/api/v1/auth/login", wrong.clone(), "10.0.0.1")
                .await
                .status(),
            401
        );
    }
    check_429(
        attempt("/api/v1/auth/login", wrong.clone(), "10.0.0.1").await,
        "login per address",
    )
    .await;
    // Per account: the same account from other addresses is limited too…
    check_429(
        attempt("/api/v1/auth/login", wrong.clone(), "10.0.0.2").await,
        "login per account",
    )
    .await;
    // …while another account from a fresh address is not.
    let other = json!({ "email": "officer@demo.petitio", "password": DEMO_PASSWORD });
    assert_eq!(
        attempt("/api/v1/auth/login", other, "10.0.0.3")
            .await
            .status(),
        200
    );

    for (path, body) in [
        (
            "/api/v1/auth/register",
            json!({ "email": "x@example.md", "password": "long enough password", "full_name": "X Y" }),
        ),
        (
            "/api/v1/auth/password/forgot",
            json!({ "email": "x@example.md" }),
        ),
        (
            "/api/v1/auth/case-link",
            json!({ "registration_number": "CHI-1", "email": "x@example.md" }),
        ),
    ] {
        for _ in 0..2 {
            assert!(
                attempt(path, body.clone(), "10.0.0.9")
                    .await
                    .status()
                    .is_success(),
                "{path}"
            );
        }
        check_429(attempt(path, body.clone(), "10.0.0.9").await, path).await;
    }
});

db_test!(pages_and_api_answers_carry_security_headers, |kind| {
    let app = app!(kind);
    let res = app.get("/autentificare").await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce in the page's CSP")
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "the hydration script carries the nonce"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    // Another page gets another nonce.
    let again = app.get("/autentificare").await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );

    let res = app.get("/api/v1/auth/me").await;
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'self'")
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
});

db_test!(the_login_form_works_without_javascript, |kind| {
    let app = app!(kind);
    let (status, html) = app.get_text("/autentificare").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"action="/api/login""#),
        "a plain form posting to the server function"
    );
    assert!(html.contains(r#"autocomplete="current-password""#));
    assert!(
        html.contains("novalidate"),
        "our own messages, not the browser's bubbles"
    );

    let referer = app.url("/autentificare");
    let form_post = |password: &'static str| {
        let req = app
            .client
            .post(app.url("/api/login"))
            .header("origin", &app.base)
            .header("referer", &referer)
            .header("accept", "text/html")
            .form(&[
                ("email", "citizen@demo.petitio"),
                ("password", password),
                ("next", ""),
            ]);
        async move { req.send().await.unwrap() }
    };
    let res = form_post("wrong password").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        back.starts_with(&referer) && back.contains("__err="),
        "{back}"
    );
    let path = back.strip_prefix(&app.base).unwrap().to_string();
    let (_, html) = app.get_text(&path).await;
    assert!(
        html.contains("error-summary"),
        "the error summary is rendered"
    );
    assert!(html.contains("Adresa de e-mail sau parola nu este corectă."));

    let res = form_post(DEMO_PASSWORD).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/cont");
    let pair = cookie_of(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = app
        .client
        .get(app.url("/cont"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Ion Popescu") && html.contains("citizen@demo.petitio"));
});

db_test!(a_token_past_half_life_comes_back_renewed, |kind| {
    let app = app!(kind, &[("PETITIO_JWT_SECRET", SECRET)]);
    let fresh = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let res = app.get_with("/api/v1/auth/me", &fresh).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().get("x-session-token").is_none(),
        "a fresh token is kept"
    );
    assert!(cookie_of(&res).is_none());

    let claims = token::verify(SECRET.as_bytes(), &fresh).unwrap();
    let old = token::issue_for(
        SECRET.as_bytes(),
        &claims.sub,
        &claims.sid,
        Utc::now() - Duration::minutes(20),
        Duration::minutes(30),
    )
    .unwrap();
    let res = app.get_with("/api/v1/auth/me", &old).await;
    assert_eq!(res.status(), 200);
    let renewed = res.headers()["x-session-token"]
        .to_str()
        .unwrap()
        .to_string();
    let c = token::verify(SECRET.as_bytes(), &renewed).unwrap();
    assert_eq!(
        (c.sid.as_str(), c.sub.as_str()),
        (claims.sid.as_str(), claims.sub.as_str())
    );
    assert!(
        c.exp - Utc::now().timestamp() > 25 * 60,
        "a full new lifetime"
    );

    // A browser gets the renewed token as a new cookie.
    let res = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", format!("petitio_session={old}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = cookie_of(&res).expect("renewed cookie");
    assert!(
        cookie.contains("HttpOnly") && !cookie.contains("Max-Age=0"),
        "{cookie}"
    );
});

db_test!(server_functions_apply_the_same_scope, |kind| {
    let app = app!(kind);
    let inst = app.demo_institution().await.id;
    let maria_id = {
        app.citizen("maria@example.md").await;
        app.user_id("maria@example.md").await
    };
    let (marias, _) = app
        .file(inst, Some(maria_id), Some("maria@example.md"))
        .await;
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let call = |token: String| {
        let req = app
            .client
            .post(app.url("/api/case"))
            .header("origin", &app.base)
            .bearer_auth(token)
            .form(&[("id", marias.to_string())]);
        async move { req.send().await.unwrap() }
    };
    let res = call(citizen).await;
    assert_eq!(
        res.status(),
        404,
        "another citizen's case through the server function"
    );
    assert!(!res.text().await.unwrap().contains("Cantina"));
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    assert_eq!(call(officer).await.status(), 200);
});

db_test!(housekeeping_deletes_what_ended_long_ago, |kind| {
    use app::backend::auth::cleanup;
    use app::backend::entity::rate_limit_hit;
    use sea_orm::{ActiveModelTrait, PaginatorTrait, Set};
    let app = app!(kind);
    let now = Utc::now();
    for at in [now - Duration::days(2), now] {
        rate_limit_hit::ActiveModel {
            bucket: Set("login:ip:10.0.0.1".into()),
            at: Set(at),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let removed = cleanup::run(&app.db, now).await.unwrap();
    assert_eq!(removed.hits, 1);
    assert_eq!(
        rate_limit_hit::Entity::find().count(&app.db).await.unwrap(),
        1
    );
    // Sessions that ended 100 days ago go too; live ones stay.
    app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let later = cleanup::run(&app.db, now + Duration::days(100))
        .await
        .unwrap();
    assert_eq!(later.sessions, 1);
    assert_eq!(cleanup::run(&app.db, now).await.unwrap().sessions, 0);
});
