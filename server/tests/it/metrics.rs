//! The managers' indicators on a hand-built set of cases (before, inside and after the period;
//! paused clocks, an extension, a late answer, forwarded, dismissed, withdrawn; cases on both
//! sides of the period's last local midnight), compared with numbers worked out by hand.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use sea_orm_migration::MigratorTrait;
use serde_json::{Value, json};

use app::backend::entity::{department, institution, petition_case, user};
use app::backend::filing::{self, NewCase};
use app::backend::transitions::{self, Request};
use app::backend::{db, definitions, metrics, seed};
use app::workflow::{Actor, Event, Outcome, Role, TransitionInput};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestDb;
use crate::{app, db_test};

const URL: &str = "http://portal.test";

/// `h:m` in Chișinău on `day`.
fn local(day: &str, h: u32, m: u32) -> DateTime<Utc> {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    chrono_tz::Europe::Chisinau
        .from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn id_of(conn: &DatabaseConnection, email: &str) -> i64 {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A case filed by post (the demo's own cases are online: the scope `channel=post` holds
/// only these).
async fn file(conn: &DatabaseConnection, day: &str, h: u32, m: u32) -> i64 {
    let inst = institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let citizen = id_of(conn, "citizen@demo.petitio").await;
    let department = department::Entity::find()
        .filter(department::Column::InstitutionId.eq(inst.id))
        .order_by_asc(department::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .map(|d| d.id);
    filing::file_case(
        conn,
        NewCase {
            institution_id: inst.id,
            department_id: department,
            kind: "petition".into(),
            channel: "post".into(),
            petitioner_id: Some(citizen),
            petitioner_name: "Ion Popescu".into(),
            petitioner_email: Some("ion@example.md".into()),
            subject: "Cantina socială".into(),
            body: "Text".into(),
            ..Default::default()
        },
        local(day, h, m),
        URL,
    )
    .await
    .unwrap()
    .id
}

async fn act(
    conn: &DatabaseConnection,
    id: i64,
    transition: &str,
    role: Role,
    user: Option<i64>,
    input: TransitionInput,
    day: &str,
) {
    transitions::apply_event(
        conn,
        Request {
            case_id: id,
            event: Event::Transition {
                id: transition.into(),
                actor: Actor {
                    role,
                    user_id: user,
                },
                input,
            },
            expected_version: None,
        },
        local(day, 11, 0),
        URL,
    )
    .await
    .unwrap_or_else(|e| panic!("{transition} on {day}: {e:?}"));
}

fn answer(outcome: Outcome) -> TransitionInput {
    TransitionInput {
        answer: Some("Răspuns".into()),
        outcome: Some(outcome),
        ..Default::default()
    }
}

fn reason() -> TransitionInput {
    TransitionInput {
        reason: Some("Motiv".into()),
        ..Default::default()
    }
}

/// Builds the set; returns the officer's id.
async fn build(conn: &DatabaseConnection) -> i64 {
    let officer = id_of(conn, "officer@demo.petitio").await;
    let o = Some(officer);
    // A: filed before the period, answered in it, on time: 20 Feb → 5 Mar, 13 days (9 working).
    let a = file(conn, "2026-02-20", 10, 0).await;
    act(
        conn,
        a,
        "take",
        Role::Officer,
        o,
        TransitionInput::default(),
        "2026-02-23",
    )
    .await;
    act(
        conn,
        a,
        "answer",
        Role::Officer,
        o,
        answer(Outcome::Admitted),
        "2026-03-05",
    )
    .await;
    // B: in the period; the clock stops from 4 to 9 March; answered 13 March: 6 days.
    let b = file(conn, "2026-03-02", 10, 0).await;
    act(
        conn,
        b,
        "take",
        Role::Officer,
        o,
        TransitionInput::default(),
        "2026-03-03",
    )
    .await;
    act(
        conn,
        b,
        "request_info",
        Role::Officer,
        o,
        reason(),
        "2026-03-04",
    )
    .await;
    let reply = TransitionInput {
        note: Some("Adresa".into()),
        ..Default::default()
    };
    act(
        conn,
        b,
        "citizen_reply",
        Role::Officer,
        o,
        reply,
        "2026-03-09",
    )
    .await;
    act(
        conn,
        b,
        "answer",
        Role::Officer,
        o,
        answer(Outcome::PartlyAdmitted),
        "2026-03-13",
    )
    .await;
    // C: in the period, still open.
    file(conn, "2026-03-03", 10, 0).await;
    // D: filed 10 Jan, extended by 15 days (term 24 Feb), answered late on 10 Mar: 59 days.
    let d = file(conn, "2026-01-10", 10, 0).await;
    act(
        conn,
        d,
        "take",
        Role::Officer,
        o,
        TransitionInput::default(),
        "2026-01-12",
    )
    .await;
    let ext = TransitionInput {
        reason: Some("Verificare".into()),
        extension_days: Some(15),
        ..Default::default()
    };
    act(conn, d, "extend", Role::Officer, o, ext, "2026-02-05").await;
    act(
        conn,
        d,
        "answer",
        Role::Officer,
        o,
        answer(Outcome::Rejected),
        "2026-03-10",
    )
    .await;
    // E: 23:30 on the period's last day, local (20:30 UTC): inside. F: 00:30 the next day,
    // local (21:30 UTC the same UTC day as E): outside.
    file(conn, "2026-03-29", 23, 30).await;
    file(conn, "2026-03-30", 0, 30).await;
    // G forwarded, H dismissed, I withdrawn, all inside.
    let g = file(conn, "2026-03-05", 10, 0).await;
    // Another institution: the demo's first one is the portal's own.
    let other = institution::Entity::find()
        .order_by_desc(institution::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    let fwd = TransitionInput {
        target_institution_id: Some(other),
        ..Default::default()
    };
    act(conn, g, "forward", Role::Officer, o, fwd, "2026-03-06").await;
    let h = file(conn, "2026-03-05", 10, 0).await;
    act(conn, h, "dismiss", Role::Officer, o, reason(), "2026-03-20").await;
    let i = file(conn, "2026-03-10", 10, 0).await;
    let citizen = id_of(conn, "citizen@demo.petitio").await;
    act(
        conn,
        i,
        "withdraw",
        Role::Citizen,
        Some(citizen),
        TransitionInput::default(),
        "2026-03-11",
    )
    .await;
    // J1..J10: filed 16 Mar, answered k days later (k = 1..10), rejected.
    for k in 1..=10u32 {
        let j = file(conn, "2026-03-16", 10, 0).await;
        act(
            conn,
            j,
            "take",
            Role::Officer,
            o,
            TransitionInput::default(),
            "2026-03-16",
        )
        .await;
        let day = format!("2026-03-{}", 16 + k);
        act(
            conn,
            j,
            "answer",
            Role::Officer,
            o,
            answer(Outcome::Rejected),
            &day,
        )
        .await;
    }
    officer
}

db_test!(each_indicator_matches_the_hand_count, |kind| {
    let Some(test_db) = TestDb::create(kind).await else {
        return;
    };
    let conn = db::connect(&test_db.url, 5).await.unwrap();
    migrations::Migrator::up(&conn, None).await.unwrap();
    definitions::ensure_builtins(&conn, Utc::now())
        .await
        .unwrap();
    seed::seed_demo(&conn).await.unwrap();
    let officer = build(&conn).await;
    let b = petition_case::Entity::find()
        .filter(petition_case::Column::Outcome.eq("partly_admitted"))
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (b.response_days, b.response_working_days, b.answered_late),
        (Some(6), Some(6), Some(false)),
        "the pause is left out"
    );
    let manager = app::backend::auth::sessions::load_account(
        &conn,
        id_of(&conn, "manager@demo.petitio").await,
        "test",
    )
    .await
    .unwrap()
    .unwrap();
    let q = app::model::metrics::MetricsQuery {
        from: Some("2026-03-02".into()),
        to: Some("2026-03-29".into()),
        channel: Some("post".into()),
        ..Default::default()
    };
    let m = metrics::indicators(
        &conn,
        &manager,
        &q,
        local("2026-04-15", 12, 0),
        app::i18n::Lang::Ro,
    )
    .await
    .unwrap();
    // Received: B, C, E, G, H, I and the ten J (A and D before, F after).
    assert_eq!(m.received, 16);
    // Answered: A, B, D and the ten J; D late.
    assert_eq!(
        (m.answered, m.answered_on_time, m.answered_late),
        (13, 12, 1)
    );
    assert_eq!(m.on_time_rate, Some(92.3));
    // Satisfied: A admitted, B partly; against the 16 received.
    assert_eq!((m.satisfied, m.satisfied_rate), (2, Some(12.5)));
    assert_eq!((m.forwarded, m.dismissed, m.withdrawn), (1, 1, 1));
    // Open now: C, E, F.
    assert_eq!((m.open_now, m.overdue_open), (3, 0));
    // Response days: 1..10, 6 (B), 13 (A), 59 (D): median rank 7 → 6, p90 rank 12 → 13.
    assert_eq!(m.response.sample, 13);
    assert_eq!(
        (m.median_response_days, m.p90_response_days),
        (Some(6), Some(13))
    );
    // Working days: J's k days from Monday 16 March (k = 1..10 → 1 2 3 4 4 4 5 6 7 8: the
    // 21st and 22nd are a weekend), B 6, A 9, D 42 (12 January to 10 March): sorted
    // 1 2 3 4 4 4 5 6 6 7 8 9 42: median (rank 7) 5, p90 (rank 12) 9.
    assert_eq!(
        (m.response.median_working_days, m.response.p90_working_days),
        (Some(5), Some(9))
    );
    let buckets: Vec<u64> = m.response.distribution.iter().map(|b| b.count).collect();
    assert_eq!(buckets, vec![5, 6, 1, 0, 0, 0, 1]);
    // Weeks: Mondays 2, 9, 16 and 23 March.
    let weeks: Vec<(&str, u64, u64)> = m
        .weeks
        .iter()
        .map(|w| (w.week.as_str(), w.received, w.answered))
        .collect();
    assert_eq!(
        weeks,
        vec![
            ("2026-03-02", 4, 1),  // B, C, G, H | A
            ("2026-03-09", 1, 2),  // I | D, B
            ("2026-03-16", 10, 6), // J×10 | J1..J6 (17..22 March)
            ("2026-03-23", 1, 4),  // E | J7..J10
        ]
    );
    // Waiting for an answer at each week's end (counted back from now, when C, E and F
    // wait): 8 Mar: B, C, D, H; 15 Mar: C, H; 22 Mar: C, J7..J10; 29 Mar: C, E.
    let open: Vec<u64> = m.weeks.iter().map(|w| w.open_at_end).collect();
    assert_eq!(open, vec![4, 2, 5, 2]);
    // The officer: every answer is theirs.
    let row = m.by_officer.iter().find(|r| r.id == officer).unwrap();
    assert_eq!(
        (row.answered, row.answered_late, row.median_response_days),
        (13, 1, Some(6))
    );
    // By department: the breakdown sums to the totals.
    let sum =
        |f: fn(&app::model::metrics::GroupRow) -> u64| m.by_department.iter().map(f).sum::<u64>();
    assert_eq!(
        (sum(|r| r.received), sum(|r| r.answered), sum(|r| r.open)),
        (16, 13, 3)
    );
    // An administrator of the whole portal counts every institution: the same numbers here.
    let admin = app::backend::auth::sessions::load_account(
        &conn,
        id_of(&conn, "admin@demo.petitio").await,
        "test",
    )
    .await
    .unwrap()
    .unwrap();
    let a = metrics::indicators(
        &conn,
        &admin,
        &q,
        local("2026-04-15", 12, 0),
        app::i18n::Lang::Ro,
    )
    .await
    .unwrap();
    assert_eq!(
        (a.received, a.answered, a.open_now, a.response.sample),
        (16, 13, 3, 13)
    );
});

db_test!(
    the_metrics_api_is_for_managers_and_names_bad_input,
    |kind| {
        let app = app!(kind);
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let res = app.get_with("/api/v1/metrics", &manager).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        for key in [
            "received",
            "answered",
            "answered_on_time",
            "answered_late",
            "overdue_open",
            "satisfied_rate",
            "median_response_days",
            "p90_response_days",
            "by_department",
        ] {
            assert!(body.get(key).is_some(), "{key} in {body}");
        }
        // Twelve weeks up to today: 12 whole weeks, or 13 when they start mid-week.
        let weeks = body["weeks"].as_array().unwrap().len();
        assert!((12..=13).contains(&weeks), "{weeks}");
        // The server functions behind the dashboard and the queue, called as the browser calls
        // them after navigating to a page without filters: no fields at all.
        for endpoint in ["/api/metrics", "/api/queue"] {
            let res = app
                .client
                .post(app.url(endpoint))
                .header("origin", &app.base)
                .bearer_auth(&manager)
                .form(&[("lang", "ro")])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{endpoint}: {:?}", res.text().await);
        }
        let (status, code, _) = error_code(app.get_with("/api/v1/metrics", &officer).await).await;
        assert_eq!((status, code.as_str()), (403, "forbidden"));
        let (status, _, body) = error_code(
            app.get_with(
                "/api/v1/metrics?from=2026-13-01&to=2026-01-01&kind=x",
                &manager,
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["error"]["fields"],
            json!({"from": ["date_invalid"], "kind": ["choice"]})
        );
        let (status, _, body) = error_code(
            app.get_with("/api/v1/metrics?from=2026-03-01&to=2026-01-01", &manager)
                .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"], json!({"from": ["date_order"]}));
    }
);

db_test!(
    the_dashboard_draws_charts_with_tables_and_links_each_number,
    |kind| {
        let app = app!(kind);
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        app.file_json(
            &citizen,
            json!({"kind": "petition", "subject": "Cantina", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
        )
        .await;
        // The institution's local date, on which the dashboard counts.
        let tz = app::backend::clock::time_zone(&app.demo_institution().await.timezone);
        let today = app::backend::clock::local_date(Utc::now(), tz);
        let html = app
            .page_as(
                &format!("/birou/indicatori?from={today}&to={today}"),
                &manager,
            )
            .await;
        // Server-rendered SVG charts, each named and followed by its table.
        assert_eq!(html.matches("<svg").count(), 5, "five charts");
        assert!(html.contains(r#"role="img""#));
        assert_eq!(html.matches(r#"class="chart-table""#).count(), 5);
        // The received count links to exactly those cases in the queue.
        let href = format!("/birou?status=all&amp;filed_from={today}&amp;filed_to={today}");
        assert!(
            html.contains(&format!(r#"<a href="{href}" class="kpi-number">1</a>"#)),
            "{href}"
        );
        // The queue at that address lists the case.
        let queue = app
            .page_as(
                &format!("/birou?status=all&filed_from={today}&filed_to={today}"),
                &manager,
            )
            .await;
        assert!(queue.contains("Cantina"));
        // The CSVs: the indicators, and the case list streamed with its row count; a cell a
        // spreadsheet would run as a formula is neutralised.
        let csv_of = |path: String, token: String| {
            let app = &app;
            async move {
                let res = app.get_with(&path, &token).await;
                let status = res.status().as_u16();
                let kind = res
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_string());
                let total = res
                    .headers()
                    .get("x-total-count")
                    .map(|v| v.to_str().unwrap().to_string());
                (status, kind, total, res.text().await.unwrap())
            }
        };
        let (status, kind, _, body) = csv_of(
            format!("/api/v1/metrics.csv?from={today}&to={today}"),
            manager.clone(),
        )
        .await;
        assert_eq!(
            (status, kind.as_deref()),
            (200, Some("text/csv; charset=utf-8"))
        );
        assert!(body.contains("\nreceived,1\n"), "{body}");
        app.file_json(
            &citizen,
            json!({"kind": "petition", "subject": "=HYPERLINK(\"http://x.example\")", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
        )
        .await;
        let (status, _, total, body) = csv_of(
            format!("/api/v1/exports/cases.csv?status=all&filed_from={today}&filed_to={today}"),
            manager.clone(),
        )
        .await;
        assert_eq!((status, total.as_deref()), (200, Some("2")));
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 3, "{body}");
        assert!(lines[0].starts_with("registration_number,kind,channel,status,subject"));
        assert!(body.contains("Cantina"));
        assert!(
            body.contains("\"'=HYPERLINK(\"\"http://x.example\"\")\""),
            "{body}"
        );
        let (status, _, _, _) = csv_of("/api/v1/exports/cases.csv".into(), citizen.clone()).await;
        assert_eq!(status, 403);
        // Bad dates are named next to their field; officers are told the page is not theirs.
        let bad = app
            .page_as("/birou/indicatori?from=2026-02-30", &manager)
            .await;
        assert!(bad.contains(r#"id="from-error""#), "field error");
        let theirs = app.page_as("/birou/indicatori", &officer).await;
        assert!(theirs.contains("conducători"));
        assert!(!theirs.contains("<svg"));
    }
);

db_test!(the_daily_snapshot_is_written_once_a_day, |kind| {
    let app = app!(kind, &[("PETITIO_TICKER_INTERVAL_SECS", "3600")]);
    let later = Utc::now() + chrono::Duration::days(2);
    // The ticker wrote today's at start; another day's is written once per institution.
    use sea_orm::PaginatorTrait;
    let institutions = institution::Entity::find().count(&app.db).await.unwrap() as usize;
    assert_eq!(
        metrics::snapshot_day(&app.db, later).await.unwrap(),
        institutions
    );
    assert_eq!(metrics::snapshot_day(&app.db, later).await.unwrap(), 0);
});

db_test!(public_statistics_need_no_login_and_name_no_one, |kind| {
    let app = app!(kind);
    let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
    let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
    let id = app
            .file_json(
                &citizen,
                json!({"kind": "petition", "subject": "Cantina", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
            )
            .await;
    let officer_id = app.user_id("officer@demo.petitio").await;
    let res = app
        .post_json(
            &format!("/api/v1/cases/{id}/transitions"),
            Some(&manager),
            json!({"transition": "assign", "assignee_id": officer_id}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let officer_name = user::Entity::find_by_id(officer_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .full_name;

    let (status, html) = app.get_text("/statistici").await;
    assert_eq!(status, 200);
    assert!(html.contains("Statistici publice"));
    assert!(
        html.contains("Direcția generală asistență socială și sănătate a municipiului Chișinău")
    );
    assert!(html.contains("<svg"));
    assert!(!html.contains(&officer_name), "no officer is named");

    let res = app.get("/api/v1/public/statistics.json").await;
    assert_eq!(res.status(), 200);
    let list: Value = res.json().await.unwrap();
    let first = &list.as_array().unwrap()[0];
    assert_eq!(first["indicators"]["received"], 1);
    assert_eq!(first["indicators"]["open_now"], 1);
    assert_eq!(first["indicators"]["by_officer"], json!([]));
    assert!(!list.to_string().contains(&officer_name));

    let (status, csv) = app.get_text("/api/v1/public/statistics.csv").await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("institution_id,institution,from,to,received,answered"));
    assert!(!csv.contains(&officer_name));
});

db_test!(
    a_computed_view_is_kept_for_its_time_and_only_for_its_scope,
    |kind| {
        let app = app!(kind, &[("PETITIO_INDICATORS_CACHE_SECS", "2")]);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let portal = app.portal_admin().await;
        let file = || {
            app.file_json(
                &citizen,
                json!({"kind": "petition", "subject": "Cantina", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
            )
        };
        let metrics = |token: String| {
            let app = &app;
            async move {
                let res = app.get_with("/api/v1/metrics", &token).await;
                assert_eq!(res.status(), 200);
                res.json::<Value>().await.unwrap()
            }
        };
        file().await;
        let first = metrics(admin.clone()).await;
        assert_eq!(first["received"], 1);
        let computed_at = first["computed_at"].as_str().unwrap().to_string();
        assert_eq!(computed_at.len(), "2026-11-27 10:00".len(), "{computed_at}");

        // Within its time the view is kept: a new case does not show yet, on the API, the page
        // (which says when its figures were computed) and the CSV alike.
        file().await;
        let kept = metrics(admin.clone()).await;
        assert_eq!(kept, first);
        let page = app.page_as("/birou/indicatori", &admin).await;
        assert!(
            page.contains(&format!("Cifre calculate la {computed_at}")),
            "the page says when"
        );
        let csv = app
            .get_with("/api/v1/metrics.csv", &admin)
            .await
            .text()
            .await
            .unwrap();
        assert!(csv.contains("\nreceived,1\n"), "{csv}");
        assert!(
            csv.contains(&format!("\ncomputed_at,{computed_at}\n")),
            "{csv}"
        );
        // Another query, or an asker with other grants, has a view of its own.
        let other = metrics(portal.clone()).await;
        assert_eq!(other["received"], 2);
        let res = app
            .get_with(
                &format!("/api/v1/metrics?from={}", &computed_at[..10]),
                &admin,
            )
            .await;
        assert_eq!(res.json::<Value>().await.unwrap()["received"], 2);
        // A kept view is never handed to someone not allowed the indicators.
        let res = app.get_with("/api/v1/metrics", &officer).await;
        assert_eq!(res.status(), 403);

        // Once the time is up, the view is computed again.
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        assert_eq!(metrics(admin.clone()).await["received"], 2);
    }
);
