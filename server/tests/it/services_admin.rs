//! The administration of the service registry (`/api/v1/admin/institutions/{id}/services…`,
//! `/api/v1/admin/services/{id}…` and `/admin/servicii`): creating, changing, deactivating and
//! reactivating a service, each audited; field errors; the CSV export and import (the check
//! stores nothing, a file with a problem stores nothing, `;` separators, formulas
//! neutralised); who may do each (an institution's administrator only their own institution's
//! services, the portal's administrator every institution's; officers, managers and citizens
//! nothing); the public search follows; the pages work as plain forms.

use reqwest::Response;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{audit_record, category, public_service};

use crate::accounts_support::{DEMO_PASSWORD, error_code, location};
use crate::helpers::TestApp;
use crate::{app, db_test};

const ADMIN: &str = "admin@demo.petitio";

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

/// A CSV file sent to the import.
async fn import(
    app: &TestApp,
    token: &str,
    institution_id: i64,
    csv: &str,
    dry_run: bool,
) -> Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/admin/institutions/{institution_id}/services/import?dry_run={dry_run}"
        )))
        .header("origin", &app.base)
        .header("content-type", "text/csv")
        .bearer_auth(token)
        .body(csv.as_bytes().to_vec())
        .send()
        .await
        .unwrap()
}

/// The JSON of an answer with `status` (fails the test with the body otherwise).
async fn ok(res: Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

async fn records(app: &TestApp, action: &str) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

async fn services_of(app: &TestApp, institution_id: i64) -> u64 {
    public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(institution_id))
        .count(&app.db)
        .await
        .unwrap()
}

async fn service(app: &TestApp, institution_id: i64, code: &str) -> Option<public_service::Model> {
    public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(institution_id))
        .filter(public_service::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
}

/// The codes the public search finds for `q`.
async fn public_codes(app: &TestApp, q: &str) -> Vec<String> {
    let list: Value = app
        .get(&format!("/api/v1/services?q={q}"))
        .await
        .json()
        .await
        .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_string())
        .collect()
}

fn new_service() -> Value {
    json!({
        "code": "Spalatorie-Sociala",
        "name_ro": "Spălătoria socială din Ciocana",
        "name_en": "The Ciocana social laundry",
        "provider": "Asociația Casa Speranței",
        "provider_type": "private",
        "area": "Ciocana",
        "address": "str. Mircea cel Bătrân 7",
        "contact": "022 123 456",
        "accredited": true,
    })
}

db_test!(
    a_service_is_created_changed_deactivated_and_every_change_audited,
    |kind| {
        let app = app!(kind);
        let admin = app.login(ADMIN, DEMO_PASSWORD).await;
        let admin_id = app.user_id(ADMIN).await;
        let inst = app.demo_institution().await.id;
        let cat = category::Entity::find()
            .filter(category::Column::InstitutionId.eq(inst))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();

        let mut body = new_service();
        body["category_id"] = json!(cat.id);
        let created = ok(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{inst}/services"),
                Some(&admin),
                Some(body),
            )
            .await,
            201,
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["code"], "spalatorie-sociala", "lower-cased");
        assert_eq!(
            created["name_ru"], "Spălătoria socială din Ciocana",
            "a blank name takes the Romanian one"
        );
        assert_eq!(created["name_en"], "The Ciocana social laundry");
        assert_eq!(created["active"], true);
        assert_eq!(created["category_code"], cat.code.as_str());
        let audit = records(&app, "admin.service.create").await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor_id, Some(admin_id));
        assert_eq!(audit[0].institution_id, inst);
        assert_eq!(audit[0].target_id.as_deref(), Some(id.to_string().as_str()));
        assert!(
            audit[0].details.contains("Casa Speranței"),
            "{}",
            audit[0].details
        );

        // The public registry shows it at once.
        assert_eq!(
            public_codes(&app, "spalatoria%20ciocana").await,
            ["spalatorie-sociala"]
        );

        // In the list (with its filters), deactivated ones too.
        let list = ok(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{inst}/services?q=speran&area=ciocana"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["id"], id);

        // Every value changes with PUT; the audit keeps each before and after.
        let mut change = new_service();
        change["code"] = json!("spalatorie-sociala");
        change["provider"] = json!("Primăria Chișinău");
        change["provider_type"] = json!("public");
        change["accredited"] = json!(false);
        let changed = ok(
            send(
                &app,
                "PUT",
                &format!("/admin/services/{id}"),
                Some(&admin),
                Some(change.clone()),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(changed["provider"], "Primăria Chișinău");
        assert_eq!(changed["category_id"], Value::Null, "PUT sets every value");
        let audit = records(&app, "admin.service.update").await;
        assert_eq!(audit.len(), 1);
        let details: Value = serde_json::from_str(&audit[0].details).unwrap();
        assert_eq!(
            details["changes"]["provider"],
            json!(["Asociația Casa Speranței", "Primăria Chișinău"])
        );
        assert_eq!(details["changes"]["accredited"], json!([true, false]));
        // The same again: nothing written.
        ok(
            send(
                &app,
                "PUT",
                &format!("/admin/services/{id}"),
                Some(&admin),
                Some(change),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(records(&app, "admin.service.update").await.len(), 1);

        // Deactivated: gone from the public registry, still in the administrators' list.
        let off = ok(
            send(
                &app,
                "POST",
                &format!("/admin/services/{id}/deactivate"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(off["active"], false);
        assert!(public_codes(&app, "spalatoria").await.is_empty());
        let inactive = ok(
            send(
                &app,
                "GET",
                &format!("/admin/institutions/{inst}/services?active=false"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(inactive["total"], 1, "{inactive}");
        let audit = records(&app, "admin.service.deactivate").await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor_id, Some(admin_id));
        ok(
            send(
                &app,
                "POST",
                &format!("/admin/services/{id}/reactivate"),
                Some(&admin),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(records(&app, "admin.service.reactivate").await.len(), 1);
        assert_eq!(
            public_codes(&app, "spalatoria").await,
            ["spalatorie-sociala"]
        );

        // Field errors, each by its field's name.
        let res = send(
            &app,
            "POST",
            &format!("/admin/institutions/{inst}/services"),
            Some(&admin),
            Some(json!({
                "code": "cod cu spații",
                "name_ro": " ",
                "provider": "",
                "provider_type": "municipal",
                "area": "x".repeat(101),
                "category_id": 999_999,
            })),
        )
        .await;
        let (status, code, body) = error_code(res).await;
        assert_eq!(
            (status, code.as_str()),
            (422, "validation_failed"),
            "{body}"
        );
        let fields = &body["error"]["fields"];
        assert_eq!(fields["code"][0], "service_code_format", "{body}");
        assert_eq!(fields["name_ro"][0], "service_name_length");
        assert_eq!(fields["provider"][0], "service_provider_length");
        assert_eq!(fields["provider_type"][0], "choice_invalid");
        assert_eq!(fields["area"][0], "service_area_length");
        assert_eq!(fields["category_id"][0], "choice_invalid");
        let res = send(
            &app,
            "POST",
            &format!("/admin/institutions/{inst}/services"),
            Some(&admin),
            Some(new_service()),
        )
        .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["code"][0], "service_code_taken");
        assert_eq!(records(&app, "admin.service.create").await.len(), 1);
    }
);

db_test!(the_registry_goes_out_and_comes_back_as_csv, |kind| {
    let app = app!(kind);
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let inst = app.demo_institution().await.id;
    // A name a spreadsheet would run as a formula.
    let mut body = new_service();
    body["code"] = json!("formula");
    body["name_ro"] = json!("=HYPERLINK(\"http://rau.example\")");
    ok(
        send(
            &app,
            "POST",
            &format!("/admin/institutions/{inst}/services"),
            Some(&admin),
            Some(body),
        )
        .await,
        201,
    )
    .await;
    let before = services_of(&app, inst).await;

    let res = app
        .get_with(
            &format!("/api/v1/admin/institutions/{inst}/services.csv"),
            &admin,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"servicii-"),
        "{disposition}"
    );
    let bytes = res.bytes().await.unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark first"
    );
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    assert_eq!(
        lines[0],
        "code,name_ro,name_ru,name_en,provider,provider_type,area,address,contact,accredited,active,category_code,department_code"
    );
    assert_eq!(lines.len() as u64, before + 1, "a row per service");
    let formula = lines.iter().find(|l| l.starts_with("formula,")).unwrap();
    assert!(
        formula.contains("\"'=HYPERLINK(\"\"http://rau.example\"\")\""),
        "neutralised: {formula}"
    );

    // Edit one row, add one, then check: counts, and nothing stored.
    let (i, row) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.starts_with("spalatorie") || l.starts_with("canteen-"))
        .map(|(i, l)| (i, l.clone()))
        .unwrap();
    let code = row.split(',').next().unwrap().to_string();
    let old = service(&app, inst, &code).await.unwrap();
    lines[i] = row.replacen(&old.provider, "Prestator nou SRL", 1);
    lines.push("serviciu-nou,Serviciu nou,,,Prestator,public,Botanica,,,true,true,,".into());
    let edited = format!("\u{feff}{}\n", lines.join("\n"));
    let report = ok(import(&app, &admin, inst, &edited, true).await, 200).await;
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["applied"], false);
    assert_eq!(report["created"], 1, "{report}");
    assert_eq!(report["updated"], 1, "{report}");
    assert_eq!(
        report["unchanged"].as_u64().unwrap(),
        before - 1,
        "{report}"
    );
    assert_eq!(
        services_of(&app, inst).await,
        before,
        "the check stores nothing"
    );
    assert_eq!(
        service(&app, inst, &code).await.unwrap().provider,
        old.provider
    );
    assert!(records(&app, "admin.service.import").await.is_empty());

    // The import stores it all; the formula came back as it was.
    let report = ok(import(&app, &admin, inst, &edited, false).await, 200).await;
    assert_eq!(report["applied"], true);
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(services_of(&app, inst).await, before + 1);
    assert_eq!(
        service(&app, inst, &code).await.unwrap().provider,
        "Prestator nou SRL"
    );
    let new = service(&app, inst, "serviciu-nou").await.unwrap();
    assert_eq!(
        (new.name_en.as_str(), new.accredited),
        ("Serviciu nou", true)
    );
    assert_eq!(
        service(&app, inst, "formula").await.unwrap().name_ro,
        "=HYPERLINK(\"http://rau.example\")"
    );
    let audit = records(&app, "admin.service.import").await;
    assert_eq!(audit.len(), 1);
    let details: Value = serde_json::from_str(&audit[0].details).unwrap();
    assert_eq!(details["created"], 1);
    assert_eq!(details["updated"], 1);
    assert_eq!(audit[0].actor_id, Some(app.user_id(ADMIN).await));
    assert!(
        public_codes(&app, "serviciu%20nou")
            .await
            .contains(&"serviciu-nou".to_string())
    );

    // A file with problems: 422, each by line and column, and nothing stored.
    let bad = "code,name_ro,provider,provider_type,accredited,department_code\n\
               bun-1,Bun,Prestator,public,true,\n\
               rau-1,Rău,Prestator,municipal,true,\n\
               rau-2,Rău doi,Prestator,public,poate,\n\
               bun-1,Dublură,Prestator,public,true,\n\
               rau-3,,Prestator,public,true,nu-exista\n";
    let res = import(&app, &admin, inst, bad, false).await;
    let body = ok(res, 422).await;
    assert_eq!(body["error"]["code"], "validation_failed");
    let problems: Vec<(u64, String, String)> = body["report"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_string(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (3, "provider_type".into(), "choice_invalid".into()),
            (4, "accredited".into(), "import_boolean".into()),
            (5, "code".into(), "import_duplicate_code:2".into()),
            (
                6,
                "department_code".into(),
                "service_department_unknown:nu-exista".into()
            ),
            (6, "name_ro".into(), "service_name_length".into()),
        ],
        "{body}"
    );
    assert_eq!(
        body["error"]["fields"]["line-3-provider_type"][0],
        "choice_invalid"
    );
    assert_eq!(body["report"]["applied"], false);
    assert!(
        service(&app, inst, "bun-1").await.is_none(),
        "nothing stored"
    );
    assert_eq!(services_of(&app, inst).await, before + 1);

    // A header with an unknown column, and one without `code`.
    let body = ok(
        import(&app, &admin, inst, "cod,name_ro\nx,y\n", true).await,
        422,
    )
    .await;
    let codes: Vec<&str> = body["report"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["import_unknown_column:cod", "import_missing_column:code"]
    );
    // Not UTF-8; too large; too many rows.
    let latin1 = app
        .client
        .post(app.url(&format!(
            "/api/v1/admin/institutions/{inst}/services/import?dry_run=true"
        )))
        .header("origin", &app.base)
        .bearer_auth(&admin)
        .body(b"code,name_ro\nx,Sp\xe3l\xe3torie\n".to_vec())
        .send()
        .await
        .unwrap();
    let body = ok(latin1, 422).await;
    assert_eq!(body["report"]["problems"][0]["code"], "import_not_utf8");
    let big = format!("code,name_ro\n{}", "a,b\n".repeat(300_000));
    let body = ok(import(&app, &admin, inst, &big, true).await, 422).await;
    assert_eq!(body["report"]["problems"][0]["code"], "import_too_large");
    let many = format!(
        "code,name_ro,provider\n{}",
        (0..5_001)
            .map(|i| format!("s{i},Serviciu {i},Prestator\n"))
            .collect::<String>()
    );
    let body = ok(import(&app, &admin, inst, &many, true).await, 422).await;
    assert_eq!(
        body["report"]["problems"][0]["code"], "import_too_many_rows:5000",
        "{body}"
    );

    // Semicolons (a spreadsheet in a Romanian locale), with a byte-order mark; a column
    // left out keeps the stored value, booleans in Romanian.
    let semi = "\u{feff}code;name_ro;provider;accredited\n\
                serviciu-nou;Serviciu nou redenumit;Prestator;nu\n\
                punct-virgula;Serviciu; cu punct;\"Prestator; SRL\";da\n";
    let report = ok(import(&app, &admin, inst, semi, false).await, 422).await;
    // The second line has a `;` in an unquoted name: one cell too many.
    assert_eq!(report["report"]["problems"][0]["line"], 3, "{report}");
    assert_eq!(report["report"]["problems"][0]["code"], "import_columns:4");
    let semi = "\u{feff}code;name_ro;provider;accredited\n\
                serviciu-nou;Serviciu nou redenumit;Prestator;nu\n\
                punct-virgula;\"Serviciu; cu punct\";\"Prestator; SRL\";da\n";
    let report = ok(import(&app, &admin, inst, semi, false).await, 200).await;
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(1), Some(1))
    );
    let renamed = service(&app, inst, "serviciu-nou").await.unwrap();
    assert_eq!(renamed.name_ro, "Serviciu nou redenumit");
    assert!(!renamed.accredited);
    assert_eq!(
        renamed.area.as_deref(),
        Some("Botanica"),
        "a column left out is kept"
    );
    let semi_new = service(&app, inst, "punct-virgula").await.unwrap();
    assert_eq!(semi_new.provider, "Prestator; SRL");
    assert!(semi_new.accredited && semi_new.active);
});

db_test!(
    only_the_institutions_administrators_touch_its_services,
    |kind| {
        let app = app!(kind);
        let inst = app.demo_institution().await.id;
        let (other, other_admin) = app.other_admin().await;
        let admin = app.login(ADMIN, DEMO_PASSWORD).await;
        let demo_service = public_service::Entity::find()
            .filter(public_service::Column::InstitutionId.eq(inst))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the demo registry has services");
        let id = demo_service.id;
        let csv = "code,name_ro,provider\nstrain,Serviciu străin,Prestator\n";

        // Officers, managers and citizens: refused everywhere.
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        for token in [&officer, &manager, &citizen] {
            let calls = [
                ("GET", format!("/admin/institutions/{inst}/services"), None),
                (
                    "POST",
                    format!("/admin/institutions/{inst}/services"),
                    Some(new_service()),
                ),
                ("PUT", format!("/admin/services/{id}"), Some(new_service())),
                ("POST", format!("/admin/services/{id}/deactivate"), None),
                ("POST", format!("/admin/services/{id}/reactivate"), None),
                (
                    "GET",
                    format!("/admin/institutions/{inst}/services.csv"),
                    None,
                ),
            ];
            for (method, path, body) in calls {
                let res = send(&app, method, &path, Some(token), body).await;
                assert_eq!(res.status(), 403, "{method} {path}");
            }
            assert_eq!(import(&app, token, inst, csv, false).await.status(), 403);
        }
        let res = send(
            &app,
            "GET",
            &format!("/admin/institutions/{inst}/services"),
            None,
            None,
        )
        .await;
        assert_eq!(res.status(), 401);

        // Another institution's administrator: the demo institution's services do not exist.
        let calls = [
            ("GET", format!("/admin/institutions/{inst}/services"), None),
            (
                "POST",
                format!("/admin/institutions/{inst}/services"),
                Some(new_service()),
            ),
            ("PUT", format!("/admin/services/{id}"), Some(new_service())),
            ("POST", format!("/admin/services/{id}/deactivate"), None),
            (
                "GET",
                format!("/admin/institutions/{inst}/services.csv"),
                None,
            ),
        ];
        for (method, path, body) in calls {
            let res = send(&app, method, &path, Some(&other_admin), body).await;
            assert_eq!(res.status(), 404, "{method} {path}");
        }
        assert_eq!(
            import(&app, &other_admin, inst, csv, false).await.status(),
            404
        );
        let unchanged = service(&app, inst, &demo_service.code).await.unwrap();
        assert_eq!(unchanged, demo_service, "nothing changed");
        assert!(service(&app, inst, "strain").await.is_none());
        // …and the demo administrator cannot touch theirs.
        let theirs = ok(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{other}/services"),
                Some(&other_admin),
                Some(new_service()),
            )
            .await,
            201,
        )
        .await;
        let theirs_id = theirs["id"].as_i64().unwrap();
        for (method, path) in [
            ("GET", format!("/admin/institutions/{other}/services")),
            ("PUT", format!("/admin/services/{theirs_id}")),
            ("POST", format!("/admin/services/{theirs_id}/deactivate")),
            ("GET", format!("/admin/institutions/{other}/services.csv")),
        ] {
            let body = (method == "PUT").then(new_service);
            let res = send(&app, method, &path, Some(&admin), body).await;
            assert_eq!(res.status(), 404, "{method} {path}");
        }
        // A category of another institution is no choice.
        let demo_category = category::Entity::find()
            .filter(category::Column::InstitutionId.eq(inst))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut body = new_service();
        body["code"] = json!("alta");
        body["category_id"] = json!(demo_category.id);
        let res = send(
            &app,
            "POST",
            &format!("/admin/institutions/{other}/services"),
            Some(&other_admin),
            Some(body),
        )
        .await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["category_id"][0], "choice_invalid");
        // The same code in two institutions is fine; the imports are each institution's.
        let report = ok(import(&app, &other_admin, other, csv, false).await, 200).await;
        assert_eq!(report["created"], 1);
        assert!(service(&app, other, "strain").await.is_some());
        assert!(service(&app, inst, "strain").await.is_none());

        // The portal's administrator acts on both.
        let portal = app.portal_admin().await;
        for i in [inst, other] {
            ok(
                send(
                    &app,
                    "GET",
                    &format!("/admin/institutions/{i}/services"),
                    Some(&portal),
                    None,
                )
                .await,
                200,
            )
            .await;
        }
        let off = ok(
            send(
                &app,
                "POST",
                &format!("/admin/services/{theirs_id}/deactivate"),
                Some(&portal),
                None,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(off["active"], false);
        let audit = records(&app, "admin.service.deactivate").await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].institution_id, other, "in the institution's chain");
        let mut body = new_service();
        body["code"] = json!("de-la-portal");
        ok(
            send(
                &app,
                "POST",
                &format!("/admin/institutions/{inst}/services"),
                Some(&portal),
                Some(body),
            )
            .await,
            201,
        )
        .await;
    }
);

db_test!(the_pages_work_as_plain_forms, |kind| {
    let app = app!(kind);
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let inst = app.demo_institution().await.id;

    let page = app.page_as("/admin/servicii", &admin).await;
    assert!(page.contains("Registrul serviciilor"), "{page}");
    assert!(
        page.contains("href=\"/admin/servicii\""),
        "the navigation links the page"
    );
    assert!(page.contains(&format!(
        "href=\"/api/v1/admin/institutions/{inst}/services.csv\""
    )));
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
    let refused = app.page_as("/admin/servicii", &officer).await;
    assert!(refused.contains("Această pagină este doar pentru administratori."));

    // A new service with every field wrong: each error next to its field.
    let inst_s = inst.to_string();
    let res = app
        .post_plain_form(
            "/api/create_service",
            &admin,
            "/admin/servicii",
            &[
                ("institution_id", &inst_s),
                ("form[code]", "Cod Greșit"),
                ("form[name_ro]", ""),
                ("form[provider]", ""),
            ],
        )
        .await;
    let back = location(&res);
    assert!(back.contains("__err="), "{back}");
    let page = app.page_as(&back, &admin).await;
    for field in ["n-code", "n-name_ro", "n-provider"] {
        assert!(
            page.contains(&format!("id=\"{field}-error\"")),
            "{field}: {page}"
        );
    }
    // Then right: the service's page.
    let res = app
        .post_plain_form(
            "/api/create_service",
            &admin,
            "/admin/servicii",
            &[
                ("institution_id", &inst_s),
                ("form[code]", "atelier"),
                ("form[name_ro]", "Atelierul de reparații"),
                ("form[provider]", "Asociația Meșterii"),
                ("form[provider_type]", "private"),
                ("form[accredited]", "true"),
                ("form[area]", "Buiucani"),
                ("form[category_id]", ""),
                ("form[department_id]", ""),
            ],
        )
        .await;
    let to = location(&res);
    let id = service(&app, inst, "atelier").await.unwrap().id;
    assert_eq!(to, format!("/admin/servicii/{id}?creat=1"));
    let page = app.page_as(&to, &admin).await;
    assert!(page.contains("Serviciul a fost adăugat."), "{page}");
    assert!(page.contains("Atelierul de reparații"));
    // Changed, deactivated.
    let id_s = id.to_string();
    let res = app
        .post_plain_form(
            "/api/update_service",
            &admin,
            &to,
            &[
                ("id", &id_s),
                ("form[code]", "atelier"),
                ("form[name_ro]", "Atelierul de reparații"),
                ("form[provider]", "Asociația Meșterii Buni"),
                ("form[provider_type]", "private"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/admin/servicii/{id}?salvat=1"));
    let s = service(&app, inst, "atelier").await.unwrap();
    assert_eq!(s.provider, "Asociația Meșterii Buni");
    assert!(!s.accredited, "an unticked box");
    let res = app
        .post_plain_form(
            "/api/set_service_active",
            &admin,
            &to,
            &[("id", &id_s), ("active", "false")],
        )
        .await;
    assert_eq!(location(&res), format!("/admin/servicii/{id}?dezactivat=1"));
    assert!(!service(&app, inst, "atelier").await.unwrap().active);
    assert_eq!(records(&app, "admin.service.deactivate").await.len(), 1);
    let list = app
        .page_as("/admin/servicii?active=false&q=atelier", &admin)
        .await;
    assert!(
        list.contains(&format!("href=\"/admin/servicii/{id}\"")),
        "{list}"
    );

    // The export with the session cookie, as the page's link sends it.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/admin/institutions/{inst}/services.csv")))
        .header("cookie", format!("petitio_session={admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("atelier,"));

    // The import form: a check, then the import; problems by line.
    let file = "code;name_ro;provider\nfierarie;Fierăria;Prestator\n".as_bytes();
    let res = app
        .post_form(
            "/api/import_services",
            Some(&admin),
            "/admin/servicii",
            &[("institution_id", &inst_s), ("mode", "check")],
            &[("servicii.csv", file)],
        )
        .await;
    let to = location(&res);
    assert!(to.contains("verificat=1&noi=1&actualizate=0"), "{to}");
    assert!(service(&app, inst, "fierarie").await.is_none());
    let page = app.page_as(&to, &admin).await;
    assert!(
        page.contains("Verificare reușită: 1 servicii noi"),
        "{page}"
    );
    let res = app
        .post_form(
            "/api/import_services",
            Some(&admin),
            "/admin/servicii",
            &[("institution_id", &inst_s), ("mode", "import")],
            &[("servicii.csv", file)],
        )
        .await;
    assert!(location(&res).contains("importat=1&noi=1"));
    assert!(service(&app, inst, "fierarie").await.is_some());
    let bad = "code,name_ro,provider\nfierarie,,Prestator\n".as_bytes();
    let res = app
        .post_form(
            "/api/import_services",
            Some(&admin),
            "/admin/servicii",
            &[("institution_id", &inst_s), ("mode", "import")],
            &[("servicii.csv", bad)],
        )
        .await;
    let back = location(&res);
    assert!(back.contains("__err="), "{back}");
    let page = app.page_as(&back, &admin).await;
    assert!(page.contains("Probleme în fișier"), "{page}");
    assert!(page.contains("Scrieți denumirea (1–300 de caractere, un rând)."));
    assert!(page.contains(">2</td>"), "the line: {page}");
    assert_eq!(
        service(&app, inst, "fierarie").await.unwrap().name_ro,
        "Fierăria"
    );
    // No file.
    let res = app
        .post_form(
            "/api/import_services",
            Some(&admin),
            "/admin/servicii",
            &[("institution_id", &inst_s), ("mode", "check")],
            &[],
        )
        .await;
    let page = app.page_as(&location(&res), &admin).await;
    assert!(page.contains("Alegeți un fișier CSV."), "{page}");
});
