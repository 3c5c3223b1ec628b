//! Server-rendered pages: content, language, status codes, headers.

use crate::{app, db_test};

db_test!(healthz_answers_ok_when_the_database_answers, |kind| {
    let app = app!(kind);
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
});

db_test!(
    home_page_is_server_rendered_in_romanian_with_the_institution,
    |kind| {
        let app = app!(kind);
        let (status, html) = app.get_text("/").await;
        assert_eq!(status, 200);
        assert!(
            html.starts_with("<!DOCTYPE html>"),
            "{}",
            &html[..80.min(html.len())]
        );
        assert!(html.contains(r#"<html lang="ro""#));
        assert!(html.contains("<title>Petiții online</title>"));
        assert!(html.contains("Depuneți o petiție sau o reclamație"));
        // The demo institution and its six departments, rendered on the server (not streamed later).
        assert!(
            html.contains(
                "Direcția generală asistență socială și sănătate a municipiului Chișinău"
            )
        );
        assert_eq!(
            html.matches("<li data-id=").count(),
            6,
            "six departments listed"
        );
        assert!(html.contains("Direcția asistență socială Râșcani"));
        // The page loads the application's WASM to hydrate, and the stylesheet.
        assert!(html.contains("/pkg/petitio.js"));
        assert!(html.contains(r#"href="/pkg/petitio.css""#));
        // Accessibility landmarks: skip link, main, language navigation, footer statement link.
        assert!(html.contains(r##"<a href="#main" class="skip-link">"##));
        assert!(html.contains(r#"<main id="main""#));
        assert!(html.contains(r#"href="/accesibilitate""#));
    }
);

db_test!(
    unknown_addresses_get_a_404_page_in_the_readers_language,
    |kind| {
        let app = app!(kind);
        let (status, html) = app.get_text("/nu-exista").await;
        assert_eq!(status, 404);
        assert!(html.contains("Pagina nu a fost găsită"), "{html}");
        let res = app
            .client
            .get(app.url("/nu-exista"))
            .header("cookie", "petitio_lang=en")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert!(res.text().await.unwrap().contains("Page not found"));
    }
);

db_test!(
    accessibility_statement_names_the_standard_and_a_contact,
    |kind| {
        let app = app!(kind);
        let (status, html) = app.get_text("/accesibilitate").await;
        assert_eq!(status, 200);
        assert!(html.contains("EN 301 549"));
        assert!(html.contains("mailto:petitii@demo.petitio"));
    }
);

db_test!(
    every_answer_carries_a_request_id_and_a_given_one_is_kept,
    |kind| {
        let app = app!(kind);
        let res = app.get("/healthz").await;
        let id = res
            .headers()
            .get("x-request-id")
            .expect("request id")
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(id.len(), 36, "a UUID: {id}");
        let res = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", "trace-123")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["x-request-id"], "trace-123");
    }
);

db_test!(pages_are_compressed_for_clients_that_accept_it, |kind| {
    let app = app!(kind);
    let res = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
});

db_test!(a_body_over_the_limit_is_refused_with_413, |kind| {
    let app = app!(kind, &[("PETITIO_MAX_BODY_BYTES", "1024")]);
    let res = app
        .client
        .post(app.url("/prefs/text-size"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("large=1&next=/{}", "a".repeat(4096)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    // A body far over the limit, still being sent when the server answers: the connection
    // closes lingering, so the client reads its 413 instead of a reset (each try is a new
    // connection; a reset used to happen about once in a few dozen).
    for _ in 0..30 {
        let res = reqwest::Client::new()
            .post(app.url("/prefs/text-size"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("large=1&next=/{}", "a".repeat(3 * 1024 * 1024)))
            .send()
            .await
            .expect("the 413 arrives, not a reset");
        assert_eq!(res.status(), 413);
    }
    // A body under the limit is served as usual.
    let res = app
        .client
        .post(app.url("/prefs/text-size"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("large=1&next=/")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
});

db_test!(
    server_functions_answer_data_and_malformed_calls_get_400_not_500,
    |kind| {
        let app = app!(kind);
        let res = app
            .client
            .post(app.url("/api/portal_info"))
            .form(&[("lang", "ru")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["departments"].as_array().unwrap().len(), 6);
        assert!(
            body["institution_name"]
                .as_str()
                .unwrap()
                .starts_with("Главное управление")
        );

        let res = app
            .client
            .post(app.url("/api/portal_info"))
            .form(&[("lang", "xx")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(
            body["BadRequest"]
                .as_str()
                .unwrap()
                .contains("unknown variant"),
            "{body}"
        );

        let res = app
            .client
            .post(app.url("/api/portal_info"))
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            400,
            "a missing argument is the client's error"
        );
    }
);

db_test!(
    the_workflow_pages_draw_each_definition_and_preview_its_terms,
    |kind| {
        let app = crate::app!(kind);
        let (status, html) = app.get_text("/fluxuri").await;
        assert_eq!(status, 200);
        for name in [
            "md-petition",
            "ro-petition",
            "md-prior-complaint",
            "ro-prior-complaint",
            "md-information-request",
            "ro-information-request",
        ] {
            assert!(html.contains(&format!("/fluxuri/{name}")), "{name} listed");
        }
        let (status, html) = app.get_text("/fluxuri/md-petition?filed=2026-04-03").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<svg") && html.contains("role=\"img\""),
            "the diagram is rendered on the server"
        );
        assert!(
            html.contains("2026-05-04") && html.contains("2026-04-10"),
            "preview dates"
        );
        assert!(html.contains("Termen de răspuns"));
        // Text from the definition is escaped inside the SVG; no script can come from it.
        assert!(!html.contains("<script>alert"));
        let (_, html) = app.get_text("/fluxuri/ro-petition?filed=2026-04-03").await;
        assert!(html.contains("2026-04-09"), "ro forward_due");
        let (_, html) = app.get_text("/fluxuri/nu-exista").await;
        assert!(html.contains("Flux necunoscut"));
        let (_, html) = app.get_text("/fluxuri/md-petition?filed=ieri").await;
        assert!(
            html.contains("Date incorecte")
                && html.contains("Introduceți o dată de forma 2026-04-03."),
            "a bad date gets a clear error"
        );
    }
);

db_test!(reference_data_is_kept_for_its_time_to_live_only, |kind| {
    use app::backend::entity::department;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = app!(kind, &[("PETITIO_REFERENCE_CACHE_SECS", "2")]);
    let old = "Direcția asistență socială Râșcani";
    let new = "Direcția asistență socială și protecție a familiei Râșcani";
    assert!(app.get_text("/").await.1.contains(old));
    department::Entity::update_many()
        .col_expr(department::Column::NameRo, Expr::value(new))
        .filter(department::Column::NameRo.eq(old))
        .exec(&app.db)
        .await
        .unwrap();
    // Kept: the page asks the database only for what is its own.
    let html = app.get_text("/").await.1;
    assert!(html.contains(old) && !html.contains(new));
    // Once the time is up, the change shows.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let html = app.get_text("/").await.1;
    assert!(html.contains(new) && !html.contains(old));
});
