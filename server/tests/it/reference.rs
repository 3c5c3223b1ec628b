//! `/api/v1/institutions`, `/api/v1/categories` and `/api/v1/workflows` (API.md).

use serde_json::{Value, json};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::{app, db_test};

db_test!(
    institutions_and_categories_are_public_and_named_in_the_readers_language,
    |kind| {
        let app = app!(kind);
        let get = |lang: &'static str, path: &'static str| {
            let req = app
                .client
                .get(app.url(path))
                .header("accept-language", lang);
            async move { req.send().await.unwrap() }
        };
        let res = get("ro", "/api/v1/institutions").await;
        assert_eq!(res.status(), 200);
        let ro: Value = res.json().await.unwrap();
        let en: Value = get("en", "/api/v1/institutions")
            .await
            .json()
            .await
            .unwrap();
        let first = &ro[0];
        assert!(first["id"].as_i64().unwrap() > 0);
        assert!(!first["departments"].as_array().unwrap().is_empty(), "{ro}");
        assert_eq!(ro[0]["id"], en[0]["id"]);
        assert_ne!(ro[0]["name"], en[0]["name"], "named per language");

        let res = get("ro", "/api/v1/categories").await;
        assert_eq!(res.status(), 200);
        let categories: Value = res.json().await.unwrap();
        let list = categories.as_array().unwrap();
        assert!(!list.is_empty());
        for c in list {
            assert!(
                [
                    "petition",
                    "complaint",
                    "prior_complaint",
                    "information_request"
                ]
                .contains(&c["case_kind"].as_str().unwrap()),
                "{c}"
            );
            assert!(!c["code"].as_str().unwrap().is_empty());
        }
    }
);

db_test!(
    workflows_are_read_and_stored_by_the_portals_administrators_only,
    |kind| {
        let app = app!(kind);
        let admin = app.login("admin@demo.petitio", DEMO_PASSWORD).await;
        let manager = app.login("manager@demo.petitio", DEMO_PASSWORD).await;

        let res = app
            .client
            .get(app.url("/api/v1/workflows"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let (status, code, _) = error_code(app.get_with("/api/v1/workflows", &manager).await).await;
        assert_eq!((status, code.as_str()), (403, "forbidden"));

        let all: Value = app.json_as("/api/v1/workflows", &admin).await;
        let md = all
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == "md-petition")
            .unwrap()
            .clone();
        let v1 = md["version"].as_i64().unwrap();
        let source = md["source"].as_str().unwrap().to_string();
        assert!(source.contains("md-petition"));

        let put = |token: &str, name: &str, body: Value| {
            let req = app
                .client
                .put(app.url(&format!("/api/v1/workflows/{name}")))
                .bearer_auth(token)
                .json(&body);
            async move { req.send().await.unwrap() }
        };
        // The same document: nothing new.
        let res = put(&admin, "md-petition", json!({ "source": source })).await;
        assert_eq!(res.status(), 200);
        let same: Value = res.json().await.unwrap();
        assert_eq!(same["version"].as_i64(), Some(v1));
        // A changed one: the next version.
        let edited = format!("{source}\n# Edited by the city's administrator.\n");
        let res = put(&admin, "md-petition", json!({ "source": edited })).await;
        assert_eq!(res.status(), 200);
        let next: Value = res.json().await.unwrap();
        assert_eq!(next["version"].as_i64(), Some(v1 + 1));
        assert_eq!(next["source"].as_str(), Some(edited.as_str()));

        // A broken document: every problem with its line, and nothing stored.
        let broken = edited.replacen("[", "[[", 1);
        let res = put(&admin, "md-petition", json!({ "source": broken })).await;
        let (status, code, body) = error_code(res).await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        let problems = body["error"]["fields"]["source"].as_array().unwrap();
        assert!(!problems.is_empty());
        assert!(
            problems[0]
                .as_str()
                .unwrap()
                .split(':')
                .next()
                .unwrap()
                .parse::<u32>()
                .is_ok(),
            "a line number first: {problems:?}"
        );
        // Another definition's document under this name.
        let res = put(&admin, "ro-petition", json!({ "source": edited })).await;
        let (status, _, body) = error_code(res).await;
        assert_eq!(status, 422);
        assert!(
            body["error"]["fields"]["source"][0]
                .as_str()
                .unwrap()
                .contains("md-petition")
        );
        // Unknown fields are refused here.
        let res = put(
            &admin,
            "md-petition",
            json!({ "source": edited, "force": true }),
        )
        .await;
        assert_eq!(res.status(), 422);
        // A manager may not store.
        let res = put(&manager, "md-petition", json!({ "source": edited })).await;
        assert_eq!(res.status(), 403);

        let all: Value = app.json_as("/api/v1/workflows", &admin).await;
        let md = all
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == "md-petition")
            .unwrap()
            .clone();
        assert_eq!(md["version"].as_i64(), Some(v1 + 1), "nothing else stored");
    }
);
