//! `petitio backup` and `petitio restore`: a backup taken while citizens file cases (some with
//! files) restores into a fresh database and a fresh attachment directory; a new server on it
//! serves every case acknowledged before the backup began, with its number and its files, and
//! numbers the next filing after the last restored one.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{Value, json};

use app::backend::entity::{institution, petition_case};
use server::backup;
use server::config::Settings;

use crate::helpers::{TempDir, TestApp, TestDb, spawn_app_on, test_env};
use crate::{app, db_test};

const PASSWORD: &str = "a long enough password";

/// A small PDF that is this filing's own (its bytes differ from every other's).
fn pdf(n: usize) -> Vec<u8> {
    format!(
        "%PDF-1.4\n% dovada {n} {}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        uuid::Uuid::new_v4()
    )
    .into_bytes()
}

#[derive(Clone, Debug)]
struct Filed {
    id: i64,
    number: String,
    /// The attachment's id and bytes.
    file: Option<(i64, Vec<u8>)>,
}

/// Files case `n` over the API (every third with a file) and returns it once acknowledged.
async fn file_one(app: &TestApp, token: &str, n: usize) -> Filed {
    let res = app
        .post_json(
            "/api/v1/cases",
            Some(token),
            json!({
                "kind": "petition",
                "subject": format!("Cererea {n}: iluminatul din scara blocului"),
                "body": "Becurile din scara blocului nu funcționează de o lună.",
                "consent_processing": true,
                "confirm_repeat": true,
            }),
        )
        .await;
    assert_eq!(res.status(), 201, "filing {n}");
    let receipt: Value = res.json().await.unwrap();
    let id = receipt["id"].as_i64().unwrap();
    let number = receipt["registration_number"].as_str().unwrap().to_string();
    let file = if n.is_multiple_of(3) {
        let bytes = pdf(n);
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(format!("dovada-{n}.pdf")),
        );
        let res = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "attachment of {n}");
        let v: Value = res.json().await.unwrap();
        Some((v["id"].as_i64().unwrap(), bytes))
    } else {
        None
    };
    Filed { id, number, file }
}

/// The settings `petitio backup`/`restore` would read for this database and attachment
/// directory.
fn settings_for(db_url: &str, attachments: &std::path::Path, scratch: &TempDir) -> Settings {
    let mut env = test_env(db_url, scratch.path());
    env.insert(
        "PETITIO_ATTACHMENTS_DIR".into(),
        attachments.display().to_string(),
    );
    Settings::from_sources(None, env).unwrap()
}

db_test!(
    a_backup_taken_under_load_restores_into_a_fresh_database,
    |kind| {
        let limits = [("PETITIO_RATE_LIMITS", "filing=100000/60")];
        let app = app!(kind, &limits);
        let token = app.citizen("maria@example.md").await;
        let mut before: Vec<Filed> = Vec::new();
        for n in 0..9 {
            before.push(file_one(&app, &token, n).await);
        }

        // Four clients go on filing while the backup is taken.
        let scratch = TempDir::new("petitio-backup");
        let file = scratch.path().join("petitio-backup.tar.gz");
        let settings = settings_for(&app.db_url, &app.attachments_dir, &scratch);
        let during: Mutex<Vec<Filed>> = Mutex::new(Vec::new());
        let next = AtomicUsize::new(100);
        let stop = AtomicBool::new(false);
        let load = || async {
            while !stop.load(Ordering::SeqCst) {
                let n = next.fetch_add(1, Ordering::SeqCst);
                let filed = file_one(&app, &token, n).await;
                during.lock().unwrap().push(filed);
            }
        };
        let take = async {
            while during.lock().unwrap().len() < 4 {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            let acknowledged: Vec<Filed> = before
                .iter()
                .chain(during.lock().unwrap().iter())
                .cloned()
                .collect();
            let report = backup::backup(&settings, &file).await;
            let filed_meanwhile = during.lock().unwrap().len() + before.len() - acknowledged.len();
            // A few more after it, so the old server is still busy when the backup ends.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            stop.store(true, Ordering::SeqCst);
            (acknowledged, report.unwrap(), filed_meanwhile)
        };
        let (_, _, _, _, (acknowledged, report, filed_meanwhile)) =
            tokio::join!(load(), load(), load(), load(), take);
        eprintln!(
            "backup ({kind:?}): {} cases acknowledged before it began, {filed_meanwhile} filed while it ran; {report}",
            acknowledged.len()
        );
        let with_files = acknowledged.iter().filter(|f| f.file.is_some()).count();
        assert!(with_files >= 3, "{with_files}");
        let db_kind = match kind {
            crate::helpers::Db::Sqlite => "sqlite",
            crate::helpers::Db::Postgres => "postgres",
        };
        assert_eq!(report.manifest.database, db_kind);
        assert_eq!(report.manifest.format, backup::FORMAT);
        assert!(
            report.manifest.migration.starts_with('m'),
            "{:?}",
            report.manifest
        );
        assert!(report.attachments >= with_files as u64, "{report}");
        let mut magic = [0u8; 2];
        std::io::Read::read_exact(&mut std::fs::File::open(&file).unwrap(), &mut magic).unwrap();
        assert_eq!(magic, [0x1f, 0x8b], "a .tar.gz is gzip-compressed");

        // The old server holds cases: a restore into its database is refused and changes nothing.
        let err = backup::restore(&settings, &file, false).await.unwrap_err();
        assert!(format!("{err:#}").contains("already holds"), "{err:#}");

        // Restore into a fresh database and a fresh attachment directory.
        let fresh = TestDb::create(kind).await.unwrap();
        let dir = TempDir::new("petitio-restored");
        let restore_scratch = TempDir::new("petitio-restore-settings");
        let restored_settings = settings_for(
            &fresh.url,
            &dir.path().join("attachments"),
            &restore_scratch,
        );
        let restored = backup::restore(&restored_settings, &file, false)
            .await
            .unwrap();
        eprintln!("restore ({kind:?}): {restored}");
        assert_eq!(restored.manifest, report.manifest);
        assert_eq!(restored.attachments, report.attachments);
        assert_eq!(restored.replaced_cases, 0);
        assert!(restored.cases >= acknowledged.len() as u64, "{restored}");
        drop(app);

        // A new server on the restored database serves every acknowledged case.
        let app = spawn_app_on(fresh, dir, &limits).await;
        assert_eq!(
            petition_case::Entity::find().count(&app.db).await.unwrap(),
            restored.cases
        );
        let token = app.login("maria@example.md", PASSWORD).await;
        for f in &acknowledged {
            let case = app
                .json_as(&format!("/api/v1/cases/{}", f.id), &token)
                .await;
            assert_eq!(case["registration_number"], f.number.as_str(), "{case}");
            if let Some((file_id, bytes)) = &f.file {
                let res = app.get_with(&format!("/fisiere/{file_id}"), &token).await;
                assert_eq!(res.status(), 200, "file {file_id} of {}", f.number);
                assert_eq!(&res.bytes().await.unwrap()[..], &bytes[..], "{}", f.number);
            }
        }
        let page = app
            .page_as(&format!("/cazuri/{}", acknowledged[0].id), &token)
            .await;
        assert!(page.contains(&acknowledged[0].number), "the case page");

        // The numbering goes on after the last restored number, reusing none.
        let last = petition_case::Entity::find()
            .order_by_desc(petition_case::Column::RegSeq)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let inst = institution::Entity::find_by_id(last.institution_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let next = file_one(&app, &token, 100_000).await;
        assert_eq!(
            next.number,
            format!(
                "{}-{}-{:06}",
                inst.reg_prefix,
                last.reg_year,
                last.reg_seq + 1
            )
        );
        let numbers: Vec<String> = petition_case::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.registration_number)
            .collect();
        assert_eq!(
            numbers.iter().filter(|n| **n == next.number).count(),
            1,
            "{numbers:?}"
        );

        // Into a database that holds cases only with --force, and then it says what it replaced.
        let target = TestDb::create(kind).await.unwrap();
        let target_dir = TempDir::new("petitio-restore-force");
        let target_settings = settings_for(&target.url, target_dir.path(), &restore_scratch);
        backup::restore(&target_settings, &file, false)
            .await
            .unwrap();
        let err = backup::restore(&target_settings, &file, false)
            .await
            .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "the database at {} already holds {} cases: nothing was restored (--force replaces it)",
                server::startup::redact_url(&target.url),
                restored.cases
            )
        );
        let again = backup::restore(&target_settings, &file, true)
            .await
            .unwrap();
        assert_eq!(again.replaced_cases, restored.cases);
        assert_eq!(again.cases, restored.cases);
    }
);

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused() {
    let scratch = TempDir::new("petitio-not-a-backup");
    let file = scratch.path().join("notes.tar");
    std::fs::write(&file, b"just some text, not an archive").unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        scratch.path().join("petitio.db").display()
    );
    let settings = settings_for(&url, &scratch.path().join("attachments"), &scratch);
    let err = backup::restore(&settings, &file, false).await.unwrap_err();
    assert!(
        format!("{err:#}").contains("is not a Petitio backup"),
        "{err:#}"
    );
    assert!(!scratch.path().join("petitio.db").exists(), "nothing made");
}
