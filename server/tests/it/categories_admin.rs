//! Categories with questions of their own (`/admin/categorii`, `/api/v1/admin/…/categories`):
//! an administrator adds a category and its questions; the filing form, the JSON API and
//! Open311 ask them and check the answers by type; the case keeps the answers with the labels
//! as they were asked; every change is audited; each administrator acts in their own
//! institution only.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{audit_record, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, location, ok, refused, send};
use crate::helpers::TestApp;
use crate::{app, db_test};

async fn audited(app: &TestApp, action: &str) -> u64 {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap()
}

/// A housing category with four questions, created over the API by `admin`: its id.
async fn housing(app: &TestApp, admin: &str, institution_id: i64) -> i64 {
    let c = ok(
        send(
            app,
            "POST",
            &format!("/admin/institutions/{institution_id}/categories"),
            admin,
            Some(json!({"code": "locuinte", "name_ro": "Locuințe sociale", "name_en": "Social housing", "case_kind": "petition", "active": "on"})),
        )
        .await,
        201,
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    assert_eq!(
        c["name_ru"], "Locuințe sociale",
        "a blank name takes the Romanian one"
    );
    for q in [
        json!({"code": "etaj", "label_ro": "Etajul", "label_en": "Floor", "field_type": "number", "required": "on"}),
        json!({"code": "cladire", "label_ro": "Tipul clădirii", "label_en": "Building", "field_type": "choice", "required": "on",
               "options": "bloc | Bloc locativ | Жилой дом | Apartment block\ncasa | Casă | Дом | House"}),
        json!({"code": "din", "label_ro": "Locuiți acolo din", "label_en": "Living there since", "field_type": "date"}),
        json!({"code": "incalzire", "label_ro": "Aveți încălzire", "label_en": "Heating", "field_type": "yes_no"}),
    ] {
        ok(
            send(
                app,
                "POST",
                &format!("/admin/categories/{id}/fields"),
                admin,
                Some(q),
            )
            .await,
            201,
        )
        .await;
    }
    id
}

db_test!(
    questions_reach_the_form_the_api_open311_and_the_case,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let cid = housing(&app, &admin, demo.id).await;
        assert_eq!(audited(&app, "admin.category.create").await, 1);
        assert_eq!(audited(&app, "admin.category_field.create").await, 4);

        // A question that does not check: every problem by field, nothing stored.
        let fields = refused(
            send(
                &app,
                "POST",
                &format!("/admin/categories/{cid}/fields"),
                &admin,
                Some(
                    json!({"code": "Etaj!", "label_ro": "", "field_type": "choice", "options": ""}),
                ),
            )
            .await,
        )
        .await;
        assert_eq!(fields["code"][0], "department_code_format");
        assert_eq!(fields["label_ro"][0], "name_length");
        assert_eq!(fields["options"][0], "option_missing");
        let fields = refused(
            send(
                &app,
                "POST",
                &format!("/admin/categories/{cid}/fields"),
                &admin,
                Some(json!({"code": "etaj", "label_ro": "Din nou", "field_type": "text"})),
            )
            .await,
        )
        .await;
        assert_eq!(fields["code"][0], "field_code_taken");
        assert_eq!(audited(&app, "admin.category_field.create").await, 4);

        // The public reference lists the questions in their order.
        let cats: Value = app
            .client
            .get(app.url("/api/v1/categories"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let cat = cats
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == cid)
            .expect("listed");
        let codes: Vec<&str> = cat["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["etaj", "cladire", "din", "incalzire"]);
        assert_eq!(cat["fields"][1]["options"][1], json!(["casa", "House"]));

        // The JSON API: required answers, types and unknown questions, all at once.
        let base = json!({"kind": "petition", "category_id": cid, "subject": "Repartizarea unei locuințe sociale",
        "body": "Solicit examinarea cererii mele de locuință socială depusă anul trecut.", "consent_processing": true});
        let mut body = base.clone();
        body["extra"] = json!({"din": "31.12.2020", "incalzire": "poate", "culoare": "roșu"});
        let fields = refused(app.post_json("/api/v1/cases", Some(&citizen), body).await).await;
        assert_eq!(fields["extra.etaj"][0], "extra_required:Etajul");
        assert_eq!(fields["extra.cladire"][0], "extra_required:Tipul clădirii");
        assert_eq!(fields["extra.din"][0], "extra_date:Locuiți acolo din");
        assert_eq!(fields["extra.incalzire"][0], "extra_choice:Aveți încălzire");
        assert_eq!(fields["extra.culoare"][0], "extra_unknown:culoare");
        let mut body = base.clone();
        body["extra"] = json!({"etaj": "3", "cladire": "casa", "incalzire": "da", "din": ""});
        let case_id = app.file_json(&citizen, body).await;
        let case = app
            .json_as(&format!("/api/v1/cases/{case_id}"), &citizen)
            .await;
        let answers: Vec<(String, String)> = case["extra"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["label"].as_str().unwrap().to_string(),
                    a["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            answers,
            [
                ("Etajul".into(), "3".into()),
                ("Tipul clădirii".into(), "Casă".into()),
                ("Aveți încălzire".into(), "Da".into())
            ]
        );
        let page = app.page_as(&format!("/cazuri/{case_id}"), &citizen).await;
        assert!(
            page.contains("Răspunsuri la întrebările categoriei") && page.contains("Casă"),
            "the case page shows the answers"
        );

        // The form without JavaScript: every category's questions, named by category; a wrong
        // answer comes back next to its field.
        let form = app.page_as("/depune", &citizen).await;
        assert!(
            form.contains(&format!(r#"name="extra.{cid}.etaj""#)),
            "the question is in the form"
        );
        assert!(form.contains("Întrebări pentru categoria „Locuințe sociale”"));
        let cid_s = cid.to_string();
        let (floor_key, building_key) =
            (format!("extra.{cid}.etaj"), format!("extra.{cid}.cladire"));
        let mut fields: Vec<(&str, &str)> = vec![
            ("kind", "petition"),
            ("category_id", &cid_s),
            ("subject", "Locuința socială din Botanica"),
            (
                "body",
                "Vă rog să examinați cererea de locuință socială a familiei mele.",
            ),
            ("consent_processing", "on"),
            ("extra.999.etaj", "ignored: another category"),
            (&floor_key, "trei"),
            (&building_key, "bloc"),
        ];
        let res = app
            .post_form("/api/file_case", Some(&citizen), "/depune", &fields, &[])
            .await;
        let back = location(&res);
        assert!(back.contains("__err="), "{back}");
        let html = app.page_as(&back, &citizen).await;
        assert!(
            html.contains("La „Etajul” scrieți un număr"),
            "the error names the question"
        );
        assert!(
            html.contains(&format!(r##"href="#extra.{cid}.etaj""##)),
            "the summary links to the field"
        );
        fields.retain(|(k, _)| *k != floor_key);
        fields.push((&floor_key, "2,5"));
        let res = app
            .post_form("/api/file_case", Some(&citizen), "/depune", &fields, &[])
            .await;
        let receipt = location(&res);
        assert!(receipt.ends_with("?nou=1"), "{receipt}");
        let id: i64 = receipt
            .trim_start_matches("/cazuri/")
            .trim_end_matches("?nou=1")
            .parse()
            .unwrap();
        let stored = petition_case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let extra = stored.extra_fields.expect("answers kept");
        assert_eq!(extra[0]["value"], "2,5");
        assert_eq!(
            extra[1]["text"],
            json!(["Bloc locativ", "Жилой дом", "Apartment block"])
        );

        // Open311: the service asks for metadata; its definition lists the attributes.
        let services: Value = app
            .client
            .get(app.url("/open311/v2/services.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let svc = services
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] == "locuinte")
            .expect("a service");
        assert_eq!(svc["metadata"], true);
        let other = services
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] != "locuinte")
            .unwrap();
        assert_eq!(other["metadata"], false, "a category without questions");
        let def: Value = app
            .client
            .get(app.url("/open311/v2/services/locuinte.json"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let attrs = def["attributes"].as_array().unwrap();
        assert_eq!(attrs.len(), 4);
        assert_eq!(
            (
                attrs[0]["code"].as_str(),
                attrs[0]["datatype"].as_str(),
                attrs[0]["required"].as_bool(),
                attrs[0]["order"].as_i64()
            ),
            (Some("etaj"), Some("number"), Some(true), Some(1))
        );
        assert_eq!(attrs[1]["datatype"], "singlevaluelist");
        assert_eq!(
            attrs[1]["values"][1],
            json!({"key": "casa", "name": "House"})
        );
        assert_eq!(attrs[2]["datatype"], "datetime");
        assert_eq!(
            attrs[3]["values"],
            json!([{"key": "true", "name": "Yes"}, {"key": "false", "name": "No"}])
        );
        let xml = app
            .client
            .get(app.url("/open311/v2/services/locuinte.xml"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            xml.contains("<attribute><variable>true</variable><code>etaj</code>"),
            "{xml}"
        );
        assert!(
            xml.contains("<value><key>bloc</key><name>Bloc locativ</name></value>"),
            "{xml}"
        );

        let key = {
            let v = ok(
                app.post_json(
                    "/api/v1/admin/api-clients",
                    Some(&admin),
                    json!({"name": "Aplicația Orașul Meu", "institution_id": demo.id}),
                )
                .await,
                201,
            )
            .await;
            v["api_key"].as_str().unwrap().to_string()
        };
        let request = |attrs: Vec<(&'static str, &'static str)>| {
            let (app, key) = (&app, key.clone());
            async move {
                let mut fields = vec![
                    ("api_key", key.as_str()),
                    ("service_code", "locuinte"),
                    (
                        "description",
                        "Cerere de locuință socială pentru o familie cu trei copii.",
                    ),
                    ("first_name", "Ana"),
                    ("last_name", "Vasilescu"),
                    ("address_string", "str. Ismail 5"),
                ];
                fields.extend(attrs);
                app.client
                    .post(app.url("/open311/v2/requests.json"))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let res = request(vec![
            ("attribute[cladire]", "palat"),
            ("attribute[culoare]", "roșu"),
        ])
        .await;
        assert_eq!(res.status(), 400);
        let err: Value = res.json().await.unwrap();
        let description = err[0]["description"].as_str().unwrap();
        assert!(
            description.contains("attribute[etaj]: an answer is required"),
            "{description}"
        );
        assert!(
            description.contains("attribute[cladire]: not one of the attribute's values"),
            "{description}"
        );
        assert!(
            !description.contains("culoare"),
            "an attribute the service does not define is left aside: {description}"
        );
        let res = request(vec![
            ("attribute[etaj]", "1"),
            ("attribute[cladire]", "bloc"),
            ("attribute[incalzire]", "false"),
        ])
        .await;
        assert_eq!(res.status(), 201);
        let number = res.json::<Value>().await.unwrap()[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_string();
        let filed = petition_case::Entity::find()
            .filter(petition_case::Column::RegistrationNumber.eq(number))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(filed.extra_fields.unwrap()[2]["value"], "false");

        // A question changed or removed later: filed cases keep the answers as they were asked.
        let cat = ok(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{}/categories", demo.id),
                &admin,
                None,
            )
            .await,
            200,
        )
        .await;
        let fields_now = cat
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == cid)
            .unwrap()["fields"]
            .clone();
        assert_eq!(
            fields_now[1]["options"],
            "bloc | Bloc locativ | Жилой дом | Apartment block\ncasa | Casă | Дом | House"
        );
        let floor_id = fields_now[0]["id"].as_i64().unwrap();
        let building_id = fields_now[1]["id"].as_i64().unwrap();
        ok(send(&app, "PUT", &format!("/admin/category-fields/{floor_id}"), &admin,
        Some(json!({"code": "etaj", "label_ro": "Etajul apartamentului", "field_type": "number", "position": "5"}))).await, 200).await;
        ok(
            send(
                &app,
                "DELETE",
                &format!("/admin/category-fields/{building_id}"),
                &admin,
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(audited(&app, "admin.category_field.update").await, 1);
        assert_eq!(audited(&app, "admin.category_field.delete").await, 1);
        let case = app
            .json_as(&format!("/api/v1/cases/{case_id}"), &citizen)
            .await;
        assert_eq!(case["extra"][0]["label"], "Etajul");
        assert_eq!(case["extra"][1]["text"], "Casă");
        let def: Value = app
            .client
            .get(app.url("/open311/v2/services/locuinte.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let codes: Vec<&str> = def["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["din", "incalzire", "etaj"],
            "in their new order, without the removed one"
        );

        // Deactivated: out of the public list and of Open311.
        ok(send(&app, "PUT", &format!("/admin/categories/{cid}"), &admin,
        Some(json!({"code": "locuinte", "name_ro": "Locuințe sociale", "case_kind": "petition", "active": ""}))).await, 200).await;
        assert_eq!(audited(&app, "admin.category.update").await, 1);
        let cats: Value = app
            .client
            .get(app.url("/api/v1/categories"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(cats.as_array().unwrap().iter().all(|c| c["id"] != cid));
        assert_eq!(
            app.client
                .get(app.url("/open311/v2/services/locuinte.json"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    }
);

db_test!(
    each_administrator_changes_their_own_institutions_categories,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let cid = housing(&app, &admin, demo.id).await;
        let list = ok(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{}/categories", demo.id),
                &admin,
                None,
            )
            .await,
            200,
        )
        .await;
        let field_id = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == cid)
            .unwrap()["fields"][0]["id"]
            .as_i64()
            .unwrap();
        let question = json!({"code": "x", "label_ro": "X", "field_type": "text"});
        let category =
            json!({"code": "alta", "name_ro": "Alta", "case_kind": "petition", "active": "on"});

        for who in [
            "officer@demo.petitio",
            "manager@demo.petitio",
            "citizen@demo.petitio",
        ] {
            let token = app.login(who, DEMO_PASSWORD).await;
            assert_eq!(
                send(
                    &app,
                    "GET",
                    &format!("/admin/institutions/{}/categories", demo.id),
                    &token,
                    None
                )
                .await
                .status(),
                403,
                "{who}"
            );
            assert_eq!(
                send(
                    &app,
                    "POST",
                    &format!("/admin/categories/{cid}/fields"),
                    &token,
                    Some(question.clone())
                )
                .await
                .status(),
                403,
                "{who}"
            );
            assert_eq!(
                send(
                    &app,
                    "DELETE",
                    &format!("/admin/category-fields/{field_id}"),
                    &token,
                    None
                )
                .await
                .status(),
                403,
                "{who}"
            );
        }
        // Another institution's administrator: the demo institution's categories do not exist.
        let (other, other_admin) = app.other_admin().await;
        assert_eq!(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{}/categories", demo.id),
                &other_admin,
                None
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{}/categories", demo.id),
                &other_admin,
                Some(category.clone())
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            send(
                &app,
                "PUT",
                &format!("/admin/categories/{cid}"),
                &other_admin,
                Some(category.clone())
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            send(
                &app,
                "POST",
                &format!("/admin/categories/{cid}/fields"),
                &other_admin,
                Some(question.clone())
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            send(
                &app,
                "PUT",
                &format!("/admin/category-fields/{field_id}"),
                &other_admin,
                Some(question.clone())
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            send(
                &app,
                "DELETE",
                &format!("/admin/category-fields/{field_id}"),
                &other_admin,
                None
            )
            .await
            .status(),
            404
        );
        // …nor the other's for the demo administrator; their own they change.
        assert_eq!(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{other}/categories"),
                &admin,
                Some(category.clone())
            )
            .await
            .status(),
            404
        );
        ok(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{other}/categories"),
                &other_admin,
                Some(category.clone()),
            )
            .await,
            201,
        )
        .await;
        // The portal's administrator changes any.
        let portal = app.portal_admin().await;
        ok(
            send(
                &app,
                "POST",
                &format!("/admin/categories/{cid}/fields"),
                &portal,
                Some(question.clone()),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(audited(&app, "admin.category_field.create").await, 5);
        assert_eq!(audited(&app, "admin.category.create").await, 2);

        // The page works as plain forms: the list, a refused form back with its error, a saved one.
        let page = app.page_as("/admin/categorii", &admin).await;
        assert!(
            page.contains("Locuințe sociale") && page.contains(r#"name="form[options]""#),
            "the page lists the category and its forms"
        );
        let refused_form = app
            .post_plain_form(
                "/api/create_category",
                &admin,
                "/admin/categorii",
                &[
                    ("institution_id", &demo.id.to_string()),
                    ("form[code]", "locuinte"),
                    ("form[name_ro]", "Dublură"),
                    ("form[case_kind]", "petition"),
                    ("form[active]", "on"),
                ],
            )
            .await;
        let back = location(&refused_form);
        assert!(back.contains("__err="), "{back}");
        let html = app.page_as(&back, &admin).await;
        assert!(
            html.contains("Altă categorie a instituției are deja acest cod"),
            "the error is shown"
        );
        assert!(
            html.contains(r##"href="#nc-code""##),
            "next to the new category's code"
        );
        let saved = app
            .post_plain_form(
                "/api/add_category_field",
                &admin,
                "/admin/categorii",
                &[
                    ("category_id", &cid.to_string()),
                    ("form[code]", "copii"),
                    ("form[label_ro]", "Câți copii aveți"),
                    ("form[field_type]", "number"),
                    ("form[options]", ""),
                    ("form[position]", ""),
                ],
            )
            .await;
        let back = location(&saved);
        assert!(
            back.starts_with(&format!("/admin/categorii?institutie={}&salvat=1", demo.id)),
            "{back}"
        );
        let html = app.page_as(&back, &admin).await;
        assert!(html.contains("Câți copii aveți") && html.contains("Modificarea a fost salvată"));
        // Another institution's page is not shown to the demo administrator.
        let html = app
            .page_as(&format!("/admin/categorii?institutie={other}"), &admin)
            .await;
        assert!(html.contains("Instituția nu există sau nu o administrați"));
    }
);
