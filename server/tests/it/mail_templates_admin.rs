//! The mail-template pages (`/admin/sabloane`): the list, the editor's preview on a sample case
//! (a GET: nothing stored; the problems named next to their fields), saving and going back to
//! the built-in text through plain form posts, each audited; others than administrators refused.

use reqwest::Response;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::backend::entity::{audit_record, mail_template_override};

use crate::accounts_support::{DEMO_PASSWORD, location};
use crate::helpers::TestApp;
use crate::{app, db_test};

const EDITOR: &str = "/admin/sabloane/case_registered/ro";

/// A plain urlencoded form post from the editor, as a browser without JavaScript sends it.
async fn post_form(app: &TestApp, path: &str, token: &str, fields: &[(&str, &str)]) -> Response {
    app.post_plain_form(path, token, EDITOR, fields).await
}

async fn overrides(app: &TestApp) -> u64 {
    mail_template_override::Entity::find()
        .filter(mail_template_override::Column::Template.eq("case_registered"))
        .filter(mail_template_override::Column::Lang.eq("ro"))
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

/// The editor's address after "Preview" (a GET of the form) with `subject` and `body`.
fn previewed(app: &TestApp, subject: &str, body: &str) -> String {
    let mut url = reqwest::Url::parse(&app.url(EDITOR)).unwrap();
    url.query_pairs_mut()
        .append_pair("subject", subject)
        .append_pair("body", body);
    url.to_string()
}

db_test!(
    an_administrator_previews_saves_and_resets_a_template_without_javascript,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let admin_id = app.user_id("admin@demo.petitio").await;

        // The list: every template in every language, the built-in texts in use.
        let list = app.page_as("/admin/sabloane", &admin).await;
        assert!(list.contains("<code>case_registered</code>"), "{list}");
        assert!(list.contains("<code>staff_digest</code>"), "{list}");
        assert!(list.contains(&format!("href=\"{EDITOR}\"")), "{list}");
        assert!(!list.contains("propriu, salvat"), "{list}");

        // The editor shows the text in use and its preview on the sample case.
        let page = app.page_as(EDITOR, &admin).await;
        assert!(page.contains("{{ registration_number }}"), "{page}");
        assert!(page.contains("Petiția dumneavoastră a fost înregistrată: CHI-2026-0000123"));
        assert!(page.contains("Se folosește textul implicit."));

        // "Preview" (a GET): the typed text, filled and escaped; nothing stored.
        let typed = previewed(
            &app,
            "Nr. {{ registration_number }} <b>primit</b>",
            "Termen: {{ due }}\n\nUrmăriți: {{ link }}",
        );
        let page = app.page_as(&typed, &admin).await;
        assert!(
            page.contains("Nr. CHI-2026-0000123 &lt;b&gt;primit&lt;/b&gt;"),
            "{page}"
        );
        assert!(page.contains("Termen: 28.12.2026"), "{page}");
        assert!(page.contains("/cazuri/123"), "{page}");
        assert!(!page.contains("<b>primit</b>"));
        assert_eq!(overrides(&app).await, 0);

        // A previewed text with problems: each named next to its field, with its line.
        let bad = previewed(&app, "{{ numar }}", "Rândul unu\n{% if %}");
        let page = app.page_as(&bad, &admin).await;
        assert!(
            page.contains("id=\"subject-error\"") && page.contains("Variabila „numar” nu există"),
            "{page}"
        );
        assert!(
            page.contains("id=\"body-error\"") && page.contains("Eroare de sintaxă la linia 2."),
            "{page}"
        );
        assert!(page.contains("aria-invalid=\"true\""), "{page}");
        // The typed text stays in the fields.
        assert!(page.contains("{{ numar }}"), "{page}");

        // "Save" with problems: refused, nothing stored.
        let res = post_form(
            &app,
            "/api/save_template",
            &admin,
            &[
                ("template", "case_registered"),
                ("lang", "ro"),
                ("subject", "{{ numar }}"),
                ("body", "x"),
            ],
        )
        .await;
        assert!(location(&res).contains("__err="), "{}", location(&res));
        assert_eq!(overrides(&app).await, 0);

        // "Save" of a good text: stored, audited with who, the page says so.
        let res = post_form(
            &app,
            "/api/save_template",
            &admin,
            &[
                ("template", "case_registered"),
                ("lang", "ro"),
                ("subject", "Nr. {{ registration_number }} înregistrat"),
                ("body", "Termen: {{ due }}.\n\n{{ link }}"),
            ],
        )
        .await;
        assert_eq!(location(&res), format!("{EDITOR}?salvat=1"));
        assert_eq!(overrides(&app).await, 1);
        let saves = audited(&app, "admin.mail_template.save").await;
        assert_eq!(saves.len(), 1);
        assert_eq!(saves[0].actor_id, Some(admin_id));
        assert_eq!(saves[0].target_id.as_deref(), Some("case_registered/ro"));
        let page = app.page_as(&format!("{EDITOR}?salvat=1"), &admin).await;
        assert!(page.contains("Modificarea a fost salvată."), "{page}");
        assert!(page.contains("Se folosește textul propriu al administratorului."));
        assert!(page.contains("Nr. CHI-2026-0000123 înregistrat"), "{page}");
        let list = app.page_as("/admin/sabloane", &admin).await;
        assert!(list.contains("propriu, salvat"), "{list}");

        // Back to the built-in text.
        let res = post_form(
            &app,
            "/api/reset_template",
            &admin,
            &[("template", "case_registered"), ("lang", "ro")],
        )
        .await;
        assert_eq!(location(&res), format!("{EDITOR}?salvat=1"));
        assert_eq!(overrides(&app).await, 0);
        assert_eq!(audited(&app, "admin.mail_template.reset").await.len(), 1);

        // An unknown template or language.
        let page = app
            .page_as("/admin/sabloane/no_such_template/ro", &admin)
            .await;
        assert!(page.contains("Nu există acest șablon."), "{page}");
        let page = app
            .page_as("/admin/sabloane/case_registered/xx", &admin)
            .await;
        assert!(page.contains("Nu există acest șablon."), "{page}");
    }
);

db_test!(only_administrators_see_or_change_the_templates, |kind| {
    let app = app!(kind);
    for email in [
        "officer@demo.petitio",
        "manager@demo.petitio",
        "citizen@demo.petitio",
    ] {
        let token = app.login(email, DEMO_PASSWORD).await;
        for path in ["/admin/sabloane", EDITOR] {
            let page = app.page_as(path, &token).await;
            assert!(
                page.contains("Această pagină este pentru administratorii portalului."),
                "{email} {path}"
            );
            assert!(!page.contains("CHI-2026-0000123"), "{email} {path}");
        }
        let res = post_form(
            &app,
            "/api/save_template",
            &token,
            &[
                ("template", "case_registered"),
                ("lang", "ro"),
                ("subject", "Furat"),
                ("body", "Furat"),
            ],
        )
        .await;
        assert!(location(&res).contains("__err="), "{email}");
    }
    let page = app.get_text("/admin/sabloane").await.1;
    assert!(!page.contains("<code>case_registered</code>"));
    assert_eq!(overrides(&app).await, 0);
});
