//! The calendar administration (`/admin/calendare`): a change is shown with its effect on the
//! running terms before it is saved (nothing stored by the preview); a day off added on a
//! running term's last day moves it to the next working day (the case's answer term too);
//! removing it again never shortens the term; every change is audited; only administrators,
//! each in their own scope, change anything.

use chrono::{Datelike, Utc};
use reqwest::Response;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use app::backend::calendars;
use app::backend::entity::{
    audit_record, calendar_adjustment, case_timer, institution, petition_case,
};
use app::calendar::CountryCalendar;

use crate::accounts_support::{DEMO_PASSWORD, location};
use crate::helpers::TestApp;
use crate::{app, db_test};

/// A plain urlencoded form post, as a browser without JavaScript sends it.
async fn post_form(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> Response {
    app.post_plain_form(
        "/api/save_calendar_change",
        token,
        "/admin/calendare",
        fields,
    )
    .await
}

async fn answer_timer(app: &TestApp, case_id: i64) -> case_timer::Model {
    case_timer::Entity::find()
        .filter(case_timer::Column::CaseId.eq(case_id))
        .filter(case_timer::Column::Name.eq("answer_due"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn adjustments(app: &TestApp) -> u64 {
    calendar_adjustment::Entity::find()
        .filter(calendar_adjustment::Column::Name.contains("de probă"))
        .count(&app.db)
        .await
        .unwrap()
}

async fn audited(app: &TestApp, action: &str) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

async fn file(app: &TestApp, citizen: &str, subject: &str) -> i64 {
    app.file_json(
        citizen,
        serde_json::json!({"kind": "petition", "subject": subject, "body": "Vă rog să examinați cererea mea.", "consent_processing": true}),
    )
    .await
}

db_test!(
    a_day_off_on_a_terms_last_day_moves_it_later_and_removing_it_never_shortens_it,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let demo = app.demo_institution().await;
        let case_id = file(&app, &citizen, "Ajutor pentru încălzirea locuinței").await;
        let before = answer_timer(&app, case_id).await;
        let last_day = before.due_on;
        let number = petition_case::Entity::find_by_id(case_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .registration_number;

        // The proposal (a GET): the effect is listed, nothing is stored.
        let proposal = format!(
            "/admin/calendare?calendar=md&an={}&tip=day_off&data={last_day}&denumire=Zi+liber%C4%83+de+prob%C4%83&domeniu={}",
            last_day.year(),
            demo.id
        );
        let page = app.page_as(&proposal, &admin).await;
        assert!(page.contains("Efectul modificării"), "{page}");
        assert!(page.contains(&number), "{page}");
        assert!(page.contains(&last_day.to_string()), "{page}");
        assert!(
            page.contains("Termene mutate într-o zi ulterioară: 1"),
            "{page}"
        );
        assert_eq!(adjustments(&app).await, 0);
        assert_eq!(answer_timer(&app, case_id).await.due_on, last_day);

        // Saved: the term moves to the next working day, the case's answer term with it.
        let res = post_form(
            &app,
            &admin,
            &[
                ("form[calendar]", "md"),
                ("form[scope]", &demo.id.to_string()),
                ("form[kind]", "day_off"),
                ("form[date]", &last_day.to_string()),
                ("form[name]", "Zi liberă de probă"),
                ("form[remove]", ""),
            ],
        )
        .await;
        assert_eq!(
            location(&res),
            format!(
                "/admin/calendare?calendar=md&an={}&salvat=1",
                last_day.year()
            )
        );
        assert_eq!(adjustments(&app).await, 1);
        let calendar = calendars::load(&app.db, CountryCalendar::Md, Some(demo.id))
            .await
            .unwrap();
        assert!(!calendar.is_working_day(last_day));
        let moved_to = calendar.roll_forward(last_day);
        assert!(moved_to > last_day);
        let after = answer_timer(&app, case_id).await;
        assert_eq!(after.due_on, moved_to);
        assert!(after.fire_at > before.fire_at, "{after:?}");
        assert_eq!(
            after.data.as_ref().unwrap()["due"],
            serde_json::json!(moved_to.to_string())
        );
        let case = petition_case::Entity::find_by_id(case_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(case.answer_due, Some(moved_to));
        let added = audited(&app, "admin.calendar.add").await;
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].institution_id, demo.id);
        let details: serde_json::Value = serde_json::from_str(&added[0].details).unwrap();
        assert_eq!(details["terms_moved"], 1);
        assert_eq!(details["date"], serde_json::json!(last_day.to_string()));
        let page = app
            .page_as(
                &format!(
                    "/admin/calendare?calendar=md&an={}&salvat=1",
                    last_day.year()
                ),
                &admin,
            )
            .await;
        assert!(page.contains("Termene în curs mutate: 1"), "{page}");
        assert!(page.contains("Zi liberă de probă"), "{page}");

        // The same day off again is refused by field.
        let page = app.page_as(&proposal, &admin).await;
        assert!(page.contains("Această ajustare există deja."), "{page}");

        // Removing it: the running term keeps its later day (never shortened).
        let adj = calendar_adjustment::Entity::find()
            .filter(calendar_adjustment::Column::Name.eq("Zi liberă de probă"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let page = app
            .page_as(
                &format!(
                    "/admin/calendare?calendar=md&an={}&sterge={}",
                    last_day.year(),
                    adj.id
                ),
                &admin,
            )
            .await;
        assert!(
            page.contains("Niciun termen în curs nu se schimbă."),
            "{page}"
        );
        assert!(page.contains("ultima lor zi rămâne aceeași"), "{page}");
        let res = post_form(
            &app,
            &admin,
            &[
                ("form[calendar]", "md"),
                ("form[remove]", &adj.id.to_string()),
            ],
        )
        .await;
        assert!(location(&res).contains("salvat=0"), "{}", location(&res));
        assert_eq!(adjustments(&app).await, 0);
        assert_eq!(answer_timer(&app, case_id).await.due_on, moved_to);
        assert_eq!(audited(&app, "admin.calendar.remove").await.len(), 1);

        // A case filed now is counted on the calendar as it is again.
        let next = file(&app, &citizen, "Transport social pentru bunica").await;
        assert_eq!(answer_timer(&app, next).await.due_on, last_day);
    }
);

db_test!(each_administrator_changes_only_their_own_scope, |kind| {
    let app = app!(kind);
    let demo = app.demo_institution().await;
    let other = institution::ActiveModel {
        slug: Set("primaria-orhei".into()),
        name_ro: Set("Primăria Orhei".into()),
        name_ru: Set("Примэрия Орхей".into()),
        name_en: Set("Orhei City Hall".into()),
        reg_prefix: Set("ORH".into()),
        calendar: Set("md".into()),
        counting_rule: Set("plain".into()),
        created_at: Set(Utc::now()),
        timezone: Set("Europe/Chisinau".into()),
        citizen_mail_hours: Set("always".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let day = |scope: String| {
        vec![
            ("form[calendar]", "md".to_string()),
            ("form[scope]", scope),
            ("form[kind]", "day_off".to_string()),
            ("form[date]", "2027-03-15".to_string()),
            ("form[name]", "Zi liberă de probă".to_string()),
        ]
    };
    let send = |token: String, fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(app, &token, &f).await
        }
    };
    // Others than administrators: the page says so, a post is refused.
    for email in [
        "officer@demo.petitio",
        "manager@demo.petitio",
        "citizen@demo.petitio",
    ] {
        let token = app.login(email, DEMO_PASSWORD).await;
        let page = app.page_as("/admin/calendare", &token).await;
        assert!(
            page.contains("Această pagină este pentru administratori."),
            "{email}"
        );
        let res = send(token, day(demo.id.to_string())).await;
        assert!(location(&res).contains("__err="), "{email}");
    }
    // The demo institution's administrator: their institution, not another's, not the country.
    let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
    let page = app.page_as("/admin/calendare", &admin).await;
    assert!(!page.contains("Primăria Orhei"), "{page}");
    assert!(!page.contains(">Toată țara</option>"), "{page}");
    for scope in [other.id.to_string(), String::new()] {
        let res = send(admin.clone(), day(scope.clone())).await;
        assert!(location(&res).contains("__err="), "{scope}");
    }
    assert_eq!(adjustments(&app).await, 0);
    let res = send(admin.clone(), day(demo.id.to_string())).await;
    assert!(location(&res).contains("salvat="), "{}", location(&res));
    // The portal's administrator: the whole country.
    let portal = app.portal_admin().await;
    let page = app.page_as("/admin/calendare", &portal).await;
    assert!(page.contains(">Toată țara</option>"), "{page}");
    assert!(page.contains("Primăria Orhei"), "{page}");
    let res = send(portal, day(String::new())).await;
    assert!(location(&res).contains("salvat="), "{}", location(&res));
    assert_eq!(adjustments(&app).await, 2);
    let country = audited(&app, "admin.calendar.add").await;
    assert_eq!(country.len(), 2);
    assert!(country.iter().any(|r| r.institution_id == 0));
    assert!(country.iter().any(|r| r.institution_id == demo.id));
    let calendar = calendars::load(&app.db, CountryCalendar::Md, None)
        .await
        .unwrap();
    assert!(!calendar.is_working_day(chrono::NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()));
});
