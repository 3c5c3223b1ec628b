//! The administration of institutions, departments and routing rules (`/api/v1/admin/…` and
//! `/admin/institutii`): the portal's administrator adds institutions, an institution's
//! administrator changes their own and nothing of another's, others are refused; each change
//! is in the audit trail with who made it; each refused field is named; filing follows the
//! routing rules and the "I don't know" department; the pages work as plain forms.

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{
    audit_record, category, department, institution, petition_case, public_service,
};

use crate::accounts_support::{DEMO_PASSWORD, error_code, location, ok, refused, send};
use crate::helpers::TestApp;
use crate::{app, db_test};

async fn department_id(app: &TestApp, institution_id: i64, code: &str) -> i64 {
    department::Entity::find()
        .filter(department::Column::InstitutionId.eq(institution_id))
        .filter(department::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("department {code}"))
        .id
}

async fn category_id(app: &TestApp, institution_id: i64, code: &str) -> i64 {
    category::Entity::find()
        .filter(category::Column::InstitutionId.eq(institution_id))
        .filter(category::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("category {code}"))
        .id
}

async fn service(app: &TestApp, code: &str) -> public_service::Model {
    public_service::Entity::find()
        .filter(public_service::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("service {code}"))
}

/// The records of `action`, oldest first.
async fn records(app: &TestApp, action: &str) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

async fn admin_records(app: &TestApp) -> u64 {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.starts_with("admin."))
        .count(&app.db)
        .await
        .unwrap()
}

fn details(r: &audit_record::Model) -> Value {
    serde_json::from_str(&r.details).unwrap()
}

/// Files a case as `token`'s citizen with the extra fields of `ids`; returns its department.
async fn filed_to(app: &TestApp, token: &str, ids: Value) -> Option<i64> {
    let mut body = json!({
        "kind": "petition",
        "subject": "Sesizare despre serviciile sociale din sector",
        "body": "Serviciul nu a funcționat toată săptămâna trecută.",
        "consent_processing": true,
        "confirm_repeat": true,
    });
    for (k, v) in ids.as_object().unwrap() {
        body[k] = v.clone();
    }
    let id = app.file_json(token, body).await;
    petition_case::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .department_id
}

/// The institution as the API shows it (the body of a `PUT` once changed).
async fn institution_json(app: &TestApp, token: &str, id: i64) -> Value {
    let list = ok(
        send(app, "GET", "/admin/institutions", token, None).await,
        200,
    )
    .await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("institution {id} listed: {list}"))
}

db_test!(
    the_portal_administrator_adds_an_institution_that_its_own_administrator_then_changes,
    |kind| {
        let app = app!(kind);
        let portal = app.portal_admin().await;
        let portal_id = app.user_id("portal@admin.example").await;
        let demo_admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let new = json!({
            "slug": "primaria-orhei",
            "name_ro": "Primăria Orhei",
            "name_ru": "Примэрия Орхей",
            "name_en": "Orhei City Hall",
            "reg_prefix": "orh",
            "calendar": "md",
            "counting_rule": "plain",
            "email": "Petitii@Orhei.md",
        });
        // An institution's administrator may not add institutions.
        let (status, code, _) = error_code(
            send(
                &app,
                "POST",
                "/admin/institutions",
                &demo_admin,
                Some(new.clone()),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (403, "forbidden"));

        let created = ok(
            send(&app, "POST", "/admin/institutions", &portal, Some(new)).await,
            201,
        )
        .await;
        let orhei = created["id"].as_i64().unwrap();
        assert_eq!(created["reg_prefix"], "ORH", "raised to capitals");
        assert_eq!(created["email"], "petitii@orhei.md");
        assert_eq!(
            created["timezone"], "Europe/Chisinau",
            "the default time zone"
        );
        assert_eq!(created["name"], "Primăria Orhei");
        let recorded = records(&app, "admin.institution.create").await;
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].institution_id, 0, "in the portal's chain");
        assert_eq!(recorded[0].actor_id, Some(portal_id));
        assert_eq!(
            recorded[0].target_id.as_deref(),
            Some(orhei.to_string().as_str())
        );
        assert_eq!(details(&recorded[0])["reg_prefix"], "ORH");

        // The portal's administrator sees every one; the demo administrator only their own.
        let all = ok(
            send(&app, "GET", "/admin/institutions", &portal, None).await,
            200,
        )
        .await;
        let count = institution::Entity::find().count(&app.db).await.unwrap();
        assert_eq!(all.as_array().unwrap().len() as u64, count);
        assert!(all.as_array().unwrap().iter().any(|i| i["id"] == orhei));
        let mine = ok(
            send(&app, "GET", "/admin/institutions", &demo_admin, None).await,
            200,
        )
        .await;
        let ids: Vec<i64> = mine
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![demo.id]);

        // The demo administrator changes their institution: names, prefix, terms, contacts.
        let mut body = institution_json(&app, &demo_admin, demo.id).await;
        body["name_en"] = json!("Chișinău Social Assistance");
        body["reg_prefix"] = json!("DGAS");
        body["counting_rule"] = json!("free_days");
        body["calendar"] = json!("ro");
        body["timezone"] = json!("Europe/Bucharest");
        body["phone"] = json!("+373 22 123 456");
        body["address"] = json!("bd. Ștefan cel Mare 1, Chișinău");
        let admin_id = app.user_id("admin@demo.petitio").await;
        let changed = ok(
            send(
                &app,
                "PUT",
                &format!("/admin/institutions/{}", demo.id),
                &demo_admin,
                Some(body.clone()),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(changed["reg_prefix"], "DGAS");
        let stored = institution::Entity::find_by_id(demo.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                stored.name_en.as_str(),
                stored.counting_rule.as_str(),
                stored.calendar.as_str(),
                stored.timezone.as_str()
            ),
            (
                "Chișinău Social Assistance",
                "free_days",
                "ro",
                "Europe/Bucharest"
            )
        );
        assert_eq!(stored.phone.as_deref(), Some("+373 22 123 456"));
        let update = records(&app, "admin.institution.update").await;
        assert_eq!(update.len(), 1);
        assert_eq!(
            update[0].institution_id, demo.id,
            "in the institution's chain"
        );
        assert_eq!(update[0].actor_id, Some(admin_id));
        let changes = &details(&update[0])["changes"];
        assert_eq!(changes["reg_prefix"], json!([demo.reg_prefix, "DGAS"]));
        assert_eq!(changes["counting_rule"], json!(["plain", "free_days"]));
        assert!(
            changes.get("name_ro").is_none(),
            "only what changed: {changes}"
        );
        // The new prefix numbers the next case.
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let res = app
            .post_json(
                "/api/v1/cases",
                Some(&citizen),
                json!({"kind": "petition", "subject": "Prefixul nou al numerelor", "body": "Un text destul de lung pentru o petiție.", "consent_processing": true, "confirm_repeat": true}),
            )
            .await;
        let receipt = ok(res, 201).await;
        assert!(
            receipt["registration_number"]
                .as_str()
                .unwrap()
                .starts_with("DGAS-"),
            "{receipt}"
        );

        // The same body again changes nothing and records nothing.
        ok(
            send(
                &app,
                "PUT",
                &format!("/admin/institutions/{}", demo.id),
                &demo_admin,
                Some(body),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(records(&app, "admin.institution.update").await.len(), 1);
    }
);

db_test!(
    institution_settings_that_do_not_check_are_named_per_field,
    |kind| {
        let app = app!(kind);
        let portal = app.portal_admin().await;
        let demo = app.demo_institution().await;
        let before = admin_records(&app).await;
        let good = json!({
            "slug": "primaria-soroca",
            "name_ro": "Primăria Soroca",
            "name_ru": "Примэрия Сорока",
            "name_en": "Soroca City Hall",
            "reg_prefix": "SOR",
            "calendar": "md",
            "counting_rule": "plain",
        });
        let with = |changes: Value| {
            let mut b = good.clone();
            for (k, v) in changes.as_object().unwrap() {
                b[k] = v.clone();
            }
            b
        };
        // A prefix another institution has, a bad e-mail, an unknown calendar and rule, a time
        // zone that is none, a blank name, a taken slug: each named on its field.
        let fields = refused(
            send(
                &app,
                "POST",
                "/admin/institutions",
                &portal,
                Some(with(json!({
                    "slug": demo.slug,
                    "reg_prefix": demo.reg_prefix,
                    "email": "not an address",
                    "calendar": "fr",
                    "counting_rule": "lunar",
                    "timezone": "Europe/Atlantis",
                    "name_ru": "  ",
                    "phone": "call me",
                }))),
            )
            .await,
        )
        .await;
        assert_eq!(
            fields,
            json!({
                "calendar": ["choice_invalid"],
                "counting_rule": ["choice_invalid"],
                "email": ["email_invalid"],
                "name_ru": ["name_length"],
                "phone": ["phone_invalid"],
                "reg_prefix": ["reg_prefix_taken"],
                "slug": ["slug_taken"],
                "timezone": ["timezone_invalid"],
            })
        );
        for bad in ["C", "TOO-LONG", "ABCDEFGHIJKLMNOPQ", "ȘCI"] {
            let fields = refused(
                send(
                    &app,
                    "POST",
                    "/admin/institutions",
                    &portal,
                    Some(with(json!({ "reg_prefix": bad }))),
                )
                .await,
            )
            .await;
            assert_eq!(
                fields,
                json!({"reg_prefix": ["reg_prefix_format"]}),
                "{bad}"
            );
        }
        let fields = refused(
            send(
                &app,
                "POST",
                "/admin/institutions",
                &portal,
                Some(with(json!({ "slug": "Not A Slug" }))),
            )
            .await,
        )
        .await;
        assert_eq!(fields, json!({"slug": ["slug_format"]}));
        assert_eq!(
            admin_records(&app).await,
            before,
            "nothing refused is recorded"
        );

        // A second institution cannot take the demo's prefix by a change either, nor change its
        // slug, nor name a department of another institution for "I don't know".
        let soroca = ok(
            send(&app, "POST", "/admin/institutions", &portal, Some(good)).await,
            201,
        )
        .await;
        let mut body = soroca.clone();
        body["reg_prefix"] = json!(demo.reg_prefix.to_lowercase());
        body["slug"] = json!("alt-nume");
        body["default_department_id"] = json!(department_id(&app, demo.id, "central").await);
        let fields = refused(
            send(
                &app,
                "PUT",
                &format!("/admin/institutions/{}", soroca["id"]),
                &portal,
                Some(body),
            )
            .await,
        )
        .await;
        assert_eq!(
            fields,
            json!({
                "default_department_id": ["choice_invalid"],
                "reg_prefix": ["reg_prefix_taken"],
                "slug": ["slug_fixed"],
            })
        );
    }
);

db_test!(
    departments_are_added_changed_and_deactivated_and_each_change_is_audited,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let admin_id = app.user_id("admin@demo.petitio").await;
        let demo = app.demo_institution().await;
        let path = format!("/admin/institutions/{}/departments", demo.id);

        let created = ok(
            send(
                &app,
                "POST",
                &path,
                &admin,
                Some(json!({
                    "code": "Durlesti",
                    "name_ro": "Serviciul social Durlești",
                    "name_ru": "Социальная служба Дурлешты",
                    "name_en": "Durlești social service",
                    "area": " Durlești ",
                    "email": "durlesti@demo.petitio",
                })),
            )
            .await,
            201,
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["code"], "durlesti");
        assert_eq!(created["area"], "Durlești");
        assert_eq!(created["active"], true);
        assert_eq!(created["open_cases"], 0);
        let listed = ok(send(&app, "GET", &path, &admin, None).await, 200).await;
        assert!(
            listed.as_array().unwrap().iter().any(|d| d["id"] == id),
            "{listed}"
        );
        let r = &records(&app, "admin.department.create").await[0];
        assert_eq!((r.institution_id, r.actor_id), (demo.id, Some(admin_id)));
        assert_eq!(r.target_type.as_deref(), Some("department"));
        assert_eq!(details(r)["code"], "durlesti");

        // Changed: its English name and e-mail.
        let mut body = created.clone();
        body["name_en"] = json!("Durlești social services");
        body["email"] = Value::Null;
        let changed = ok(
            send(
                &app,
                "PUT",
                &format!("/admin/departments/{id}"),
                &admin,
                Some(body),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(changed["name_en"], "Durlești social services");
        assert!(changed["email"].is_null());
        let r = &records(&app, "admin.department.update").await[0];
        assert_eq!(
            details(r)["changes"],
            json!({"name_en": ["Durlești social service", "Durlești social services"], "email": ["durlesti@demo.petitio", null]})
        );

        // Refused, each on its field: a code the institution has, a bad e-mail, blank names.
        let fields = refused(
        send(
            &app,
            "POST",
            &path,
            &admin,
            Some(json!({"code": "central", "name_ro": "", "name_ru": "Имя", "name_en": "x", "email": "nope@", "area": "a".repeat(129)})),
        )
        .await,
    )
    .await;
        assert_eq!(
            fields,
            json!({
                "area": ["area_length"],
                "code": ["department_code_taken"],
                "email": ["email_invalid"],
                "name_ro": ["name_length"],
            })
        );
        let fields = refused(
            send(
                &app,
                "POST",
                &path,
                &admin,
                Some(
                    json!({"code": "Două cuvinte", "name_ro": "a", "name_ru": "b", "name_en": "c"}),
                ),
            )
            .await,
        )
        .await;
        assert_eq!(fields, json!({"code": ["department_code_format"]}));

        // A case filed to it: deactivating is refused, naming how many cases are open.
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        assert_eq!(
            filed_to(&app, &citizen, json!({"department_id": id})).await,
            Some(id)
        );
        assert_eq!(
            filed_to(&app, &citizen, json!({"department_id": id})).await,
            Some(id)
        );
        let mut off = changed.clone();
        off["active"] = json!(false);
        let fields = refused(
            send(
                &app,
                "PUT",
                &format!("/admin/departments/{id}"),
                &admin,
                Some(off.clone()),
            )
            .await,
        )
        .await;
        assert_eq!(fields, json!({"active": ["department_open_cases:2"]}));
        let listed = ok(send(&app, "GET", &path, &admin, None).await, 200).await;
        let row = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone();
        assert_eq!(
            (row["open_cases"].as_i64(), row["active"].as_bool()),
            (Some(2), Some(true))
        );
        assert!(
            records(&app, "admin.department.deactivate")
                .await
                .is_empty()
        );

        // Once its cases are closed, it may go; then it takes no new filing.
        petition_case::Entity::update_many()
            .col_expr(
                petition_case::Column::ClosedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(petition_case::Column::DepartmentId.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
        let gone = ok(
            send(
                &app,
                "PUT",
                &format!("/admin/departments/{id}"),
                &admin,
                Some(off),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(gone["active"], false);
        let r = &records(&app, "admin.department.deactivate").await[0];
        assert_eq!((r.institution_id, r.actor_id), (demo.id, Some(admin_id)));
        assert_eq!(details(r)["changes"]["active"], json!([true, false]));
        let res = app
        .post_json(
            "/api/v1/cases",
            Some(&citizen),
            json!({"kind": "petition", "department_id": id, "subject": "O subdiviziune inactivă", "body": "Un text destul de lung pentru o petiție.", "consent_processing": true, "confirm_repeat": true}),
        )
        .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"]["department_id"],
            json!(["choice_invalid"])
        );

        // The institution's "I don't know" department cannot be deactivated.
        let central = department_id(&app, demo.id, "central").await;
        let mut inst = institution_json(&app, &admin, demo.id).await;
        inst["default_department_id"] = json!(central);
        ok(
            send(
                &app,
                "PUT",
                &format!("/admin/institutions/{}", demo.id),
                &admin,
                Some(inst),
            )
            .await,
            200,
        )
        .await;
        let listed = ok(send(&app, "GET", &path, &admin, None).await, 200).await;
        let mut central_body = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == central)
            .unwrap()
            .clone();
        central_body["active"] = json!(false);
        let fields = refused(
            send(
                &app,
                "PUT",
                &format!("/admin/departments/{central}"),
                &admin,
                Some(central_body),
            )
            .await,
        )
        .await;
        assert!(
            fields["active"]
                .as_array()
                .unwrap()
                .contains(&json!("department_is_default")),
            "{fields}"
        );
    }
);

db_test!(
    an_institutions_administrator_cannot_read_or_touch_another_institution,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let (other, other_admin) = app.other_admin().await;
        let central = department_id(&app, demo.id, "central").await;
        let benefits = category_id(&app, demo.id, "social-benefits").await;
        let rule = ok(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{}/routing-rules", demo.id),
                &admin,
                Some(json!({"category_id": benefits, "department_id": central})),
            )
            .await,
            201,
        )
        .await;
        let before = admin_records(&app).await;
        let demo_body = institution_json(&app, &admin, demo.id).await;

        // The other institution's administrator: the demo institution does not exist for them.
        let listed = ok(
            send(&app, "GET", "/admin/institutions", &other_admin, None).await,
            200,
        )
        .await;
        let ids: Vec<i64> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![other]);
        let dep = json!({"code": "x", "name_ro": "X", "name_ru": "X", "name_en": "X"});
        let attempts: Vec<(&str, String, Option<Value>)> = vec![
            (
                "PUT",
                format!("/admin/institutions/{}", demo.id),
                Some(demo_body.clone()),
            ),
            (
                "GET",
                format!("/admin/institutions/{}/departments", demo.id),
                None,
            ),
            (
                "POST",
                format!("/admin/institutions/{}/departments", demo.id),
                Some(dep.clone()),
            ),
            ("PUT", format!("/admin/departments/{central}"), Some(dep)),
            (
                "GET",
                format!("/admin/institutions/{}/routing-rules", demo.id),
                None,
            ),
            (
                "POST",
                format!("/admin/institutions/{}/routing-rules", demo.id),
                Some(json!({"category_id": benefits, "department_id": central})),
            ),
            (
                "DELETE",
                format!("/admin/routing-rules/{}", rule["id"]),
                None,
            ),
        ];
        for (method, path, body) in &attempts {
            let (status, code, _) =
                error_code(send(&app, method, path, &other_admin, body.clone()).await).await;
            assert_eq!(
                (status, code.as_str()),
                (404, "not_found"),
                "{method} {path}"
            );
        }
        // Nor may they point a rule of their own at the demo institution's department.
        let fields = refused(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{other}/routing-rules"),
                &other_admin,
                Some(json!({"category_id": benefits, "department_id": central})),
            )
            .await,
        )
        .await;
        assert_eq!(
            fields,
            json!({"category_id": ["choice_invalid"], "department_id": ["choice_invalid"]})
        );
        // Nor see its page.
        let page = app
            .page_as(&format!("/admin/institutii/{}", demo.id), &other_admin)
            .await;
        assert!(page.contains("Instituția nu există sau nu o administrați."));
        assert!(!page.contains("Reguli de repartizare"));
        assert_eq!(admin_records(&app).await, before, "nothing changed");
        assert_eq!(
            department::Entity::find_by_id(central)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .code,
            "central"
        );

        // And the demo administrator, symmetrically, cannot touch the other institution.
        let (status, _, _) = error_code(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{other}/departments"),
                &admin,
                None,
            )
            .await,
        )
        .await;
        assert_eq!(status, 404);
    }
);

db_test!(whoever_is_not_an_administrator_is_refused, |kind| {
    let app = app!(kind);
    let demo = app.demo_institution().await;
    let central = department_id(&app, demo.id, "central").await;
    for email in [
        "citizen@demo.petitio",
        "officer@demo.petitio",
        "manager@demo.petitio",
    ] {
        let token = app.login(email, DEMO_PASSWORD).await;
        for (method, path, body) in [
            ("GET", "/admin/institutions".to_string(), None),
            (
                "GET",
                format!("/admin/institutions/{}/departments", demo.id),
                None,
            ),
            (
                "POST",
                format!("/admin/institutions/{}/departments", demo.id),
                Some(json!({"code": "x", "name_ro": "X", "name_ru": "X", "name_en": "X"})),
            ),
            (
                "GET",
                format!("/admin/institutions/{}/routing-rules", demo.id),
                None,
            ),
            (
                "POST",
                format!("/admin/institutions/{}/routing-rules", demo.id),
                Some(json!({"department_id": central, "area": "Botanica"})),
            ),
        ] {
            let (status, code, _) = error_code(send(&app, method, &path, &token, body).await).await;
            assert_eq!(
                (status, code.as_str()),
                (403, "forbidden"),
                "{email}: {method} {path}"
            );
        }
        let page = app.page_as("/admin/institutii", &token).await;
        assert!(
            page.contains("Această pagină este pentru administratori."),
            "{email}"
        );
        let page = app
            .page_as(&format!("/admin/institutii/{}", demo.id), &token)
            .await;
        assert!(
            page.contains("Această pagină este pentru administratori."),
            "{email}"
        );
        // A form posted without JavaScript is refused too.
        let res = app
            .post_plain_form(
                "/api/create_department",
                &token,
                &format!("/admin/institutii/{}", demo.id),
                &[
                    ("institution_id", &demo.id.to_string()),
                    ("code", "x"),
                    ("name_ro", "X"),
                    ("name_ru", "X"),
                    ("name_en", "X"),
                ],
            )
            .await;
        assert!(location(&res).contains("__err="), "{email}");
    }
    let res = app.get("/api/v1/admin/institutions").await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        department::Entity::find()
            .filter(department::Column::Code.eq("x"))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
});

db_test!(
    filing_follows_the_most_specific_routing_rule_and_the_default_department_catches_i_dont_know,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let admin_id = app.user_id("admin@demo.petitio").await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let dep = |code: &'static str| department_id(&app, demo.id, code);
        let (central, botanica, buiucani, centru, ciocana) = (
            dep("central").await,
            dep("botanica").await,
            dep("buiucani").await,
            dep("centru").await,
            dep("ciocana").await,
        );
        let benefits = category_id(&app, demo.id, "social-benefits").await;
        let canteens = category_id(&app, demo.id, "social-canteens").await;
        let canteen = service(&app, "canteen-botanica").await;
        assert_eq!(
            (
                canteen.area.as_deref(),
                canteen.department_id,
                canteen.category_id
            ),
            (Some("Botanica"), Some(botanica), Some(canteens))
        );
        let rules = format!("/admin/institutions/{}/routing-rules", demo.id);

        // Without rules: the category's department, the service's, the registry.
        assert_eq!(
            filed_to(&app, &citizen, json!({"category_id": benefits})).await,
            Some(central)
        );
        assert_eq!(
            filed_to(&app, &citizen, json!({"service_id": canteen.id})).await,
            Some(botanica)
        );
        assert_eq!(filed_to(&app, &citizen, json!({})).await, Some(central));

        // A category rule.
        let by_category = ok(
            send(
                &app,
                "POST",
                &rules,
                &admin,
                Some(json!({"category_id": benefits, "department_id": ciocana})),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(by_category["category"], "Ajutoare și prestații sociale");
        assert_eq!(by_category["department_active"], true);
        let r = &records(&app, "admin.routing_rule.create").await[0];
        assert_eq!((r.institution_id, r.actor_id), (demo.id, Some(admin_id)));
        assert_eq!(
            details(r),
            json!({"category_id": benefits, "service_id": null, "area": null, "department_id": ciocana})
        );
        assert_eq!(
            filed_to(&app, &citizen, json!({"category_id": benefits})).await,
            Some(ciocana)
        );
        // The petitioner's own choice of department still wins.
        assert_eq!(
            filed_to(
                &app,
                &citizen,
                json!({"category_id": benefits, "department_id": buiucani})
            )
            .await,
            Some(buiucani)
        );

        // A category-and-area rule beats the service's own department (the case's area is its
        // service's); a service rule beats it in turn.
        ok(
            send(
                &app,
                "POST",
                &rules,
                &admin,
                Some(json!({"category_id": canteens, "area": "botanica", "department_id": centru})),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(
            filed_to(&app, &citizen, json!({"service_id": canteen.id})).await,
            Some(centru)
        );
        assert_eq!(
            filed_to(&app, &citizen, json!({"category_id": canteens})).await,
            Some(central),
            "no area without a service: the area rule does not apply"
        );
        let by_service = ok(
            send(
                &app,
                "POST",
                &rules,
                &admin,
                Some(json!({"service_id": canteen.id, "department_id": buiucani})),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(
            filed_to(&app, &citizen, json!({"service_id": canteen.id})).await,
            Some(buiucani)
        );

        // Rules that do not check, each named on its field.
        let fields = refused(
            send(&app, "POST", &rules, &admin, Some(json!({"category_id": benefits, "service_id": canteen.id, "department_id": central}))).await,
        )
        .await;
        assert_eq!(fields, json!({"service_id": ["rule_service_or_category"]}));
        let fields = refused(
            send(
                &app,
                "POST",
                &rules,
                &admin,
                Some(json!({"department_id": central})),
            )
            .await,
        )
        .await;
        assert_eq!(fields, json!({"category_id": ["rule_condition_required"]}));
        let fields = refused(
            send(
                &app,
                "POST",
                &rules,
                &admin,
                Some(json!({"category_id": benefits, "department_id": central})),
            )
            .await,
        )
        .await;
        assert_eq!(fields, json!({"category_id": ["rule_duplicate"]}));
        let fields = refused(
            send(
                &app,
                "POST",
                &rules,
                &admin,
                Some(json!({"category_id": 999_999, "department_id": 999_999})),
            )
            .await,
        )
        .await;
        assert_eq!(
            fields,
            json!({"category_id": ["choice_invalid"], "department_id": ["choice_invalid"]})
        );

        // The rules as listed.
        let listed = ok(send(&app, "GET", &rules, &admin, None).await, 200).await;
        assert_eq!(listed.as_array().unwrap().len(), 3);

        // Deleted: the service's own department again.
        let res = send(
            &app,
            "DELETE",
            &format!("/admin/routing-rules/{}", by_service["id"]),
            &admin,
            None,
        )
        .await;
        assert_eq!(res.status(), 204);
        let r = &records(&app, "admin.routing_rule.delete").await[0];
        assert_eq!((r.institution_id, r.actor_id), (demo.id, Some(admin_id)));
        assert_eq!(details(r)["service_id"], canteen.id);
        assert_eq!(
            filed_to(&app, &citizen, json!({"service_id": canteen.id})).await,
            Some(centru)
        );
        let res = send(
            &app,
            "DELETE",
            &format!("/admin/routing-rules/{}", by_service["id"]),
            &admin,
            None,
        )
        .await;
        assert_eq!(res.status(), 404, "gone");

        // "I don't know" and nothing to go by: the institution's default department.
        let mut inst = institution_json(&app, &admin, demo.id).await;
        inst["default_department_id"] = json!(ciocana);
        ok(
            send(
                &app,
                "PUT",
                &format!("/admin/institutions/{}", demo.id),
                &admin,
                Some(inst),
            )
            .await,
            200,
        )
        .await;
        let r = &records(&app, "admin.institution.update").await[0];
        assert_eq!(
            details(r)["changes"]["default_department_id"],
            json!([null, ciocana])
        );
        assert_eq!(filed_to(&app, &citizen, json!({})).await, Some(ciocana));
        // The category's own department still comes before it.
        let homeless = category_id(&app, demo.id, "homeless").await;
        assert_eq!(
            filed_to(&app, &citizen, json!({"category_id": homeless})).await,
            Some(central)
        );
    }
);

db_test!(
    the_pages_add_a_department_and_a_rule_without_javascript,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let page_path = format!("/admin/institutii/{}", demo.id);
        let inst_id = demo.id.to_string();

        // The list links the institution's page; the demo administrator may not add one.
        let list = app.page_as("/admin/institutii", &admin).await;
        assert!(list.contains(&format!("href=\"{page_path}\"")), "{list}");
        assert!(!list.contains("Adăugați instituția"));
        let portal = app.portal_admin().await;
        let list = app.page_as("/admin/institutii", &portal).await;
        assert!(list.contains("Adăugați instituția"));
        let page = app.page_as(&page_path, &admin).await;
        assert!(page.contains("Subdiviziuni") && page.contains("Reguli de repartizare"));
        assert!(page.contains("Direcția asistență socială Botanica"));

        // A department added through its form.
        let res = app
            .post_plain_form(
                "/api/create_department",
                &admin,
                &page_path,
                &[
                    ("institution_id", &inst_id),
                    ("code", "codru"),
                    ("name_ro", "Serviciul social Codru"),
                    ("name_ru", "Социальная служба Кодру"),
                    ("name_en", "Codru social service"),
                    ("area", "Codru"),
                    ("email", ""),
                ],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("{page_path}?salvat=1#departments-title")
        );
        let page = app.page_as(&location(&res), &admin).await;
        assert!(page.contains("Modificările au fost salvate."));
        assert!(page.contains("Serviciul social Codru"));
        let codru = department_id(&app, demo.id, "codru").await;
        assert_eq!(records(&app, "admin.department.create").await.len(), 1);

        // The same code again: the error next to the new department's code field.
        let res = app
            .post_plain_form(
                "/api/create_department",
                &admin,
                &page_path,
                &[
                    ("institution_id", &inst_id),
                    ("code", "codru"),
                    ("name_ro", "Alt serviciu"),
                    ("name_ru", "Другая служба"),
                    ("name_en", "Another service"),
                ],
            )
            .await;
        let back = location(&res);
        assert!(back.contains("__err="), "{back}");
        let page = app.page_as(&back, &admin).await;
        assert!(page.contains("Altă subdiviziune a instituției are acest cod."));
        assert!(
            page.contains("href=\"#nd-code\""),
            "the summary links the field"
        );
        assert!(page.contains("id=\"nd-code-error\""));

        // A rule through its form: the petitions of a category go to the new department.
        let benefits = category_id(&app, demo.id, "social-benefits").await;
        let res = app
            .post_plain_form(
                "/api/create_routing_rule",
                &admin,
                &page_path,
                &[
                    ("institution_id", &inst_id),
                    ("service_id", ""),
                    ("category_id", &benefits.to_string()),
                    ("area", ""),
                    ("department_id", &codru.to_string()),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("{page_path}?salvat=1#rules-title"));
        let page = app.page_as(&page_path, &admin).await;
        assert!(
            page.contains("Categoria: Ajutoare și prestații sociale"),
            "the rule is listed"
        );
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        assert_eq!(
            filed_to(&app, &citizen, json!({"category_id": benefits})).await,
            Some(codru)
        );

        // Deactivating the department, which now has an open case, is refused with the count.
        let res = app
            .post_plain_form(
                "/api/set_department_active",
                &admin,
                &page_path,
                &[("id", &codru.to_string()), ("active", "false")],
            )
            .await;
        let back = location(&res);
        assert!(back.contains("__err="), "{back}");
        let page = app.page_as(&back, &admin).await;
        assert!(
            page.contains("Subdiviziunea are încă cazuri deschise (1)"),
            "the count is named"
        );
        assert!(page.contains(&format!("id=\"d{codru}-active-error\"")));

        // The institution's details through their form: a bad e-mail is named on its field.
        let mut fields: Vec<(String, String)> = vec![
            ("id".into(), inst_id.clone()),
            ("form[slug]".into(), demo.slug.clone()),
            ("form[name_ro]".into(), demo.name_ro.clone()),
            ("form[name_ru]".into(), demo.name_ru.clone()),
            ("form[name_en]".into(), demo.name_en.clone()),
            ("form[reg_prefix]".into(), demo.reg_prefix.clone()),
            ("form[calendar]".into(), "md".into()),
            ("form[counting_rule]".into(), "plain".into()),
            ("form[timezone]".into(), "Europe/Chisinau".into()),
            ("form[email]".into(), "nu-este-adresa".into()),
            ("form[phone]".into(), String::new()),
            ("form[address]".into(), String::new()),
            ("form[default_department_id]".into(), codru.to_string()),
        ];
        let res = app
            .client
            .post(app.url("/api/update_institution"))
            .header("origin", &app.base)
            .header("referer", app.url(&page_path))
            .header("accept", "text/html")
            .bearer_auth(&admin)
            .form(&fields)
            .send()
            .await
            .unwrap();
        let back = location(&res);
        let page = app.page_as(&back, &admin).await;
        assert!(
            page.contains("Introduceți o adresă de e-mail validă"),
            "{back}"
        );
        assert!(page.contains("id=\"i-email-error\""));
        fields[9].1 = "registratura@demo.petitio".into();
        let res = app
            .client
            .post(app.url("/api/update_institution"))
            .header("origin", &app.base)
            .header("referer", app.url(&page_path))
            .header("accept", "text/html")
            .bearer_auth(&admin)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(
            location(&res),
            format!("{page_path}?salvat=1#details-title")
        );
        let stored = institution::Entity::find_by_id(demo.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.email.as_deref(), Some("registratura@demo.petitio"));
        assert_eq!(stored.default_department_id, Some(codru));
        assert_eq!(
            filed_to(&app, &citizen, json!({})).await,
            Some(codru),
            "the new default"
        );

        // The rule deleted through its button.
        let rule = ok(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{}/routing-rules", demo.id),
                &admin,
                None,
            )
            .await,
            200,
        )
        .await[0]["id"]
            .as_i64()
            .unwrap();
        let res = app
            .post_plain_form(
                "/api/delete_routing_rule",
                &admin,
                &page_path,
                &[("id", &rule.to_string())],
            )
            .await;
        assert_eq!(location(&res), format!("{page_path}?salvat=1#rules-title"));
        assert_eq!(records(&app, "admin.routing_rule.delete").await.len(), 1);
    }
);
