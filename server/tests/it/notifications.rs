//! The workflow's mails as they arrive at a real SMTP server: the receipt, a transition's mail
//! to staff and to the petitioner, the deadline reminder to the assignee and the overdue notice
//! to the department's managers, each to the right people, in their language, with the case's
//! link. And the staff digest: a digest reader gets one mail a day instead of each mail.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::backend::entity::{mail_outbox, petition_case, staff_digest_item, user};
use app::backend::{deadlines, staff_digest};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::db_test;
use crate::helpers::{Db, SmtpServer, TestApp, spawn_app_with};

/// A received mail, decoded.
#[derive(Debug)]
struct Mail {
    to: String,
    subject: String,
    text: String,
}

fn decode(raw: &str) -> Mail {
    use mailparse::MailHeaderMap;
    let parsed = mailparse::parse_mail(raw.as_bytes()).expect("a parsable mail");
    let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
    let text = if parsed.subparts.is_empty() {
        parsed.get_body().unwrap_or_default()
    } else {
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == "text/plain")
            .and_then(|p| p.get_body().ok())
            .unwrap_or_default()
    };
    Mail {
        to: header("To"),
        subject: header("Subject"),
        text: text.replace("\r\n", "\n"),
    }
}

/// Every mail received so far, decoded.
fn inbox(smtp: &SmtpServer) -> Vec<Mail> {
    smtp.messages().iter().map(|m| decode(m)).collect()
}

/// Waits until a mail to `to` whose subject contains `subject` arrived, and returns it.
async fn arrived(smtp: &SmtpServer, to: &str, subject: &str) -> Mail {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(m) = inbox(smtp)
            .into_iter()
            .find(|m| m.to.contains(to) && m.subject.contains(subject))
        {
            return m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no mail to {to} with {subject:?}; got {:#?}",
            inbox(smtp)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `time` o'clock in Chișinău on `day`, as the ticker's "now".
fn local(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Chisinau
        .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
        .unwrap()
        .with_timezone(&Utc)
}

/// The app mailing to `smtp`, with a ticker that stays out of the way: the tests move the
/// clock themselves.
async fn smtp_app(kind: Db, smtp: &SmtpServer) -> Option<TestApp> {
    spawn_app_with(
        kind,
        &[
            ("PETITIO_SMTP_URL", smtp.url().as_str()),
            ("PETITIO_TICKER_INTERVAL_SECS", "3600"),
        ],
    )
    .await
}

async fn assign(app: &TestApp, manager: &str, id: i64, officer_id: i64) {
    act(
        app,
        manager,
        id,
        json!({"transition": "assign", "assignee_id": officer_id}),
    )
    .await;
}

async fn file(app: &TestApp, token: &str, subject: &str) -> i64 {
    app.file_json(
        token,
        json!({"kind": "petition", "subject": subject, "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true, "confirm_repeat": true}),
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
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
}

async fn case(app: &TestApp, id: i64) -> petition_case::Model {
    petition_case::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Fires every timer due at `now`; returns `(timer, event)` of each firing.
async fn tick(app: &TestApp, now: DateTime<Utc>) -> Vec<(String, String)> {
    let mut fired = vec![];
    while let Some(f) = deadlines::fire_next_due(&app.db, now, &app.base)
        .await
        .unwrap()
    {
        fired.push((f.timer, f.event));
    }
    fired
}

/// The mails queued at a moved clock are due at that (future) moment: bring them to now, as
/// if that moment had come, and wake the sender.
async fn release_future_mail(app: &TestApp) {
    let now = Utc::now();
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(mail_outbox::Column::NextAttemptAt.gt(now))
        .exec(&app.db)
        .await
        .unwrap();
    app::backend::outbox::wake();
}

async fn set_locale(app: &TestApp, email: &str, lang: &str) {
    user::Entity::update_many()
        .col_expr(user::Column::Locale, Expr::value(lang))
        .filter(user::Column::Email.eq(email))
        .exec(&app.db)
        .await
        .unwrap();
}

db_test!(
    reminders_and_overdue_notices_reach_the_smtp_server,
    |kind| {
        let smtp = SmtpServer::start();
        let Some(app) = smtp_app(kind, &smtp).await else {
            return;
        };
        set_locale(&app, "officer@demo.petitio", "ru").await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let officer_id = app.user_id("officer@demo.petitio").await;
        let id = file(&app, &citizen, "Cantina socială din sectorul Botanica").await;
        let c = case(&app, id).await;
        let number = c.registration_number.clone();
        let link = format!("{}/cazuri/{id}", app.base);

        // The receipt: to the petitioner, in Romanian, with the number and the link.
        let receipt = arrived(&smtp, "citizen@demo.petitio", &number).await;
        assert!(receipt.text.contains(&link), "{receipt:?}");

        // A transition's mail to staff: the assignee, in their language (Russian).
        assign(&app, &manager, id, officer_id).await;
        let assigned = arrived(&smtp, "officer@demo.petitio", &number).await;
        assert!(assigned.subject.contains("Вам назначено"), "{assigned:?}");
        assert!(assigned.text.contains(&link), "{assigned:?}");

        // Five days before the term: the reminder goes to the assignee, not to the petitioner.
        let due = case(&app, id).await.answer_due.unwrap();
        let fired = tick(&app, local(due - Duration::days(5), 9, 0)).await;
        assert_eq!(
            fired,
            vec![("answer_due".to_string(), "reminder:5".to_string())]
        );
        release_future_mail(&app).await;
        let reminder = arrived(&smtp, "officer@demo.petitio", "Напоминание").await;
        assert!(reminder.subject.contains(&number), "{reminder:?}");
        assert!(
            reminder.text.contains(&link)
                && reminder.text.contains(&due.format("%d.%m.%Y").to_string()),
            "{reminder:?}"
        );

        // The day after the term: the case is overdue, the managers and the assignee are told.
        let fired = tick(&app, local(due + Duration::days(1), 0, 30)).await;
        assert_eq!(
            fired,
            vec![("answer_due".to_string(), "expired".to_string())]
        );
        release_future_mail(&app).await;
        assert!(case(&app, id).await.overdue);
        let to_manager = arrived(&smtp, "manager@demo.petitio", "Termen depășit").await;
        assert!(
            to_manager.subject.contains(&number) && to_manager.text.contains(&link),
            "{to_manager:?}"
        );
        let to_officer = arrived(&smtp, "officer@demo.petitio", "Просрочено").await;
        assert!(to_officer.text.contains(&link), "{to_officer:?}");

        // The answer goes to the petitioner.
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        act(
            &app,
            &officer,
            id,
            json!({"transition": "answer", "answer": "Cantina va livra mâncare caldă de luni.", "outcome": "admitted"}),
        )
        .await;
        let answer = arrived(&smtp, "citizen@demo.petitio", "Răspuns la petiția").await;
        assert!(
            answer.text.contains("Cantina va livra")
                && answer.text.contains(&link)
                && answer.text.contains("/evaluare"),
            "{answer:?}"
        );

        // Nothing about the terms went to the petitioner; each mail arrived once.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let all = inbox(&smtp);
        let to_citizen: Vec<&str> = all
            .iter()
            .filter(|m| m.to.contains("citizen@demo.petitio"))
            .map(|m| m.subject.as_str())
            .collect();
        assert_eq!(to_citizen.len(), 2, "{to_citizen:?}");
        let ids: HashSet<String> = smtp
            .messages()
            .iter()
            .filter_map(|m| {
                use mailparse::MailHeaderMap;
                mailparse::parse_mail(m.as_bytes())
                    .ok()?
                    .headers
                    .get_first_value("Message-ID")
            })
            .collect();
        assert_eq!(ids.len(), all.len(), "each mail once");
    }
);

db_test!(
    a_digest_reader_gets_one_mail_a_day_instead_of_each,
    |kind| {
        let smtp = SmtpServer::start();
        let Some(app) = smtp_app(kind, &smtp).await else {
            return;
        };
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let officer_id = app.user_id("officer@demo.petitio").await;
        let path = "/api/v1/auth/me/mail-preference";

        // The preference: read, refused when wrong (each field named), staff only.
        let res = app.get_with(path, &officer).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body, json!({"mode": "immediate", "digest_hour": 8}));
        let put = |token: String, body: Value| {
            let app = &app;
            async move {
                app.client
                    .put(app.url(path))
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let (status, _, body) = error_code(
            put(
                officer.clone(),
                json!({"mode": "weekly", "digest_hour": 30}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["fields"]["mode"], json!(["choice"]));
        assert_eq!(
            body["error"]["fields"]["digest_hour"],
            json!(["hour_range"])
        );
        let (status, _, _) =
            error_code(put(citizen.clone(), json!({"mode": "digest", "digest_hour": 9})).await)
                .await;
        assert_eq!(status, 403);
        let res = put(officer.clone(), json!({"mode": "digest", "digest_hour": 9})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.get_with(path, &officer)
                .await
                .json::<Value>()
                .await
                .unwrap(),
            json!({"mode": "digest", "digest_hour": 9})
        );
        // The account page offers the choice as a plain form, with the saved values.
        let page = app.page_as("/cont", &officer).await;
        assert!(
            page.contains(r#"action="/api/set_mail_preference""#),
            "form"
        );
        assert!(page.contains(r#"value="9""#), "the saved hour");

        // An assignment to the digest reader is kept for the digest, not mailed.
        let first = file(&app, &citizen, "Cantina socială").await;
        let soon = file(&app, &citizen, "Ajutor pentru încălzire").await;
        let late = file(&app, &citizen, "Asistență la domiciliu").await;
        for id in [first, soon, late] {
            assign(&app, &manager, id, officer_id).await;
        }
        let kept = staff_digest_item::Entity::find()
            .filter(staff_digest_item::Column::UserId.eq(officer_id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(kept.len(), 3, "{kept:?}");
        // The receipts went; nothing to the officer.
        smtp.wait_for(3).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            !inbox(&smtp)
                .iter()
                .any(|m| m.to.contains("officer@demo.petitio")),
            "{:#?}",
            inbox(&smtp)
        );

        // Tomorrow one case's term ends in two days, another one is overdue.
        let day = Utc::now().date_naive() + Duration::days(1);
        petition_case::Entity::update_many()
            .col_expr(
                petition_case::Column::AnswerDue,
                Expr::value(day + Duration::days(2)),
            )
            .filter(petition_case::Column::Id.eq(soon))
            .exec(&app.db)
            .await
            .unwrap();
        petition_case::Entity::update_many()
            .col_expr(petition_case::Column::Overdue, Expr::value(true))
            .filter(petition_case::Column::Id.eq(late))
            .exec(&app.db)
            .await
            .unwrap();

        // Before its hour nothing goes; at its hour one digest, whoever asks how often.
        let before = local(day, 8, 59);
        assert_eq!(
            staff_digest::send_due(&app.db, before, &app.base)
                .await
                .unwrap(),
            0
        );
        let at = local(day, 9, 1);
        let (a, b, c) = tokio::join!(
            staff_digest::send_due(&app.db, at, &app.base),
            staff_digest::send_due(&app.db, at, &app.base),
            staff_digest::send_due(&app.db, at + Duration::minutes(1), &app.base),
        );
        assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 1, "one digest");
        assert_eq!(
            staff_digest::send_due(&app.db, local(day, 23, 0), &app.base)
                .await
                .unwrap(),
            0,
            "once a day"
        );
        release_future_mail(&app).await;
        let digest = arrived(&smtp, "officer@demo.petitio", "Rezumatul zilei").await;
        let mut numbers = vec![];
        for id in [first, soon, late] {
            numbers.push(case(&app, id).await.registration_number);
        }
        let section = |title: &str| {
            digest
                .text
                .split("\n\n")
                .find(|s| s.starts_with(title))
                .unwrap_or_default()
                .to_string()
        };
        let news = section("Ce s-a întâmplat");
        for n in &numbers {
            assert!(news.contains(n.as_str()), "{n} in {digest:?}");
        }
        assert!(
            news.contains(&format!("{}/cazuri/{first}", app.base)),
            "{news}"
        );
        let due_soon = section("Termen în următoarele zile");
        assert!(
            due_soon.contains(numbers[1].as_str()) && !due_soon.contains(numbers[0].as_str()),
            "{due_soon}"
        );
        let overdue = section("Termen depășit");
        assert!(overdue.contains(numbers[2].as_str()), "{overdue}");
        assert!(
            staff_digest_item::Entity::find()
                .filter(staff_digest_item::Column::DigestId.is_null())
                .all(&app.db)
                .await
                .unwrap()
                .is_empty(),
            "every item told"
        );

        // Back to each mail at once: the next assignment is mailed.
        let res = put(
            officer.clone(),
            json!({"mode": "immediate", "digest_hour": 9}),
        )
        .await;
        assert_eq!(res.status(), 200);
        let again = file(&app, &citizen, "Transport social").await;
        assign(&app, &manager, again, officer_id).await;
        let number = case(&app, again).await.registration_number;
        arrived(&smtp, "officer@demo.petitio", &number).await;
    }
);
