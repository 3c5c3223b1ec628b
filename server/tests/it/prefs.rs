//! Language and text size: cookies set by plain links and forms, so they work without JavaScript.

use crate::{app, db_test};

db_test!(
    the_language_link_sets_a_cookie_and_returns_to_the_page,
    |kind| {
        let app = app!(kind);
        let res = app.get("/prefs/lang/ru?next=/accesibilitate").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/accesibilitate");
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("petitio_lang=ru;"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"));
        assert!(
            !cookie.contains("Secure"),
            "not Secure in development over http"
        );

        let html = app
            .client
            .get(app.url("/"))
            .header("cookie", "petitio_lang=ru")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"<html lang="ru""#));
        assert!(html.contains("Подайте петицию или жалобу"));
        assert!(
            html.contains("Главное управление социальной помощи и здоровья"),
            "institution name in Russian"
        );
    }
);

db_test!(
    without_a_cookie_the_browser_language_is_used_and_romanian_is_the_default,
    |kind| {
        let app = app!(kind);
        let html = |lang: &'static str| {
            let req = app.client.get(app.url("/")).header("accept-language", lang);
            async move { req.send().await.unwrap().text().await.unwrap() }
        };
        assert!(html("en-GB,en;q=0.9").await.contains(r#"<html lang="en""#));
        assert!(html("de-DE,fr;q=0.8").await.contains(r#"<html lang="ro""#));
        // The cookie wins over the header.
        let res = app
            .client
            .get(app.url("/"))
            .header("accept-language", "en")
            .header("cookie", "petitio_lang=ro")
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains(r#"<html lang="ro""#));
    }
);

db_test!(an_unknown_language_falls_back_to_romanian, |kind| {
    let app = app!(kind);
    let res = app.get("/prefs/lang/xx?next=/").await;
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("petitio_lang=ro;")
    );
});

db_test!(the_text_size_form_works_without_javascript, |kind| {
    let app = app!(kind);
    let res = app
        .client
        .post(app.url("/prefs/text-size"))
        .form(&[("large", "1"), ("next", "/accesibilitate")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/accesibilitate");
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("petitio_text=large;")
    );

    let html = app
        .client
        .get(app.url("/"))
        .header("cookie", "petitio_text=large")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-text="large""#));
    assert!(html.contains(r#"aria-pressed="true""#));
    // The form now offers to switch back.
    assert!(html.contains(r#"name="large" value="0""#));
});

db_test!(redirects_after_a_preference_never_leave_the_site, |kind| {
    let app = app!(kind);
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let url = format!(
            "/prefs/lang/en?next={}",
            next.replace('/', "%2F")
                .replace('\\', "%5C")
                .replace(':', "%3A")
        );
        let res = app.get(&url).await;
        assert_eq!(res.headers()["location"], "/", "next={next}");
    }
});
