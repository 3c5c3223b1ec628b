//! The outbox page for administrators: status, attempts, last error; a dead mail sent again.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use app::backend::entity::mail_outbox;

use crate::accounts_support::DEMO_PASSWORD;
use crate::{app, db_test};

db_test!(
    an_administrator_sees_the_outbox_and_sends_a_dead_mail_again,
    |kind| {
        let app = app!(kind);
        let citizen = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let officer = app.login("officer@demo.petitio", DEMO_PASSWORD).await;
        app.file_json(
        &citizen,
        json!({"kind": "petition", "subject": "Cantina socială din Botanica", "body": "Mâncarea vine rece de trei săptămâni.", "consent_processing": true}),
    )
    .await;
        let mail = mail_outbox::Entity::find()
            .order_by_desc(mail_outbox::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        // The sender gave up on it.
        mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::Status, Expr::value("dead"))
            .col_expr(mail_outbox::Column::Attempts, Expr::value(8))
            .col_expr(
                mail_outbox::Column::LastError,
                Expr::value("550 mailbox unavailable <b>"),
            )
            .filter(mail_outbox::Column::Id.eq(mail.id))
            .exec(&app.db)
            .await
            .unwrap();
        let page = app.page_as("/admin/posta?stare=dead", &admin).await;
        assert!(
            page.contains("550 mailbox unavailable &lt;b&gt;"),
            "the error, escaped"
        );
        assert!(page.contains("Retrimiteți"));
        assert!(page.contains(&mail.subject));
        // Staff who are not administrators, and citizens, are told the page is not theirs.
        for token in [&officer, &citizen] {
            let page = app.page_as("/admin/posta", token).await;
            assert!(page.contains("Această pagină este pentru administratori."));
            assert!(!page.contains(&mail.subject));
        }
        let send = |token: String| {
            let app = &app;
            let id = mail.id.to_string();
            async move {
                app.client
                    .post(app.url("/api/resend_mail"))
                    .header("origin", &app.base)
                    .header("referer", app.url("/admin/posta"))
                    .header("accept", "text/html")
                    .bearer_auth(token)
                    .form(&[("id", id)])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let res = send(officer.clone()).await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .contains("__err=")
        );
        let res = send(admin.clone()).await;
        assert_eq!(res.headers()["location"], "/admin/posta?retrimis=1");
        let again = mail_outbox::Entity::find_by_id(mail.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            again.status != "dead" && again.attempts <= 1,
            "queued again: {again:?}"
        );
        // Only a dead mail: sending it again twice is refused.
        let res = send(admin.clone()).await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .contains("__err=")
        );
    }
);
