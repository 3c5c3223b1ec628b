//! The schema on both databases: migrations, demo seed, the constraints later issues rely on.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};
use sea_orm_migration::MigratorTrait;

use app::backend::entity::{institution, petition_case, user};
use app::backend::{db, seed};

use crate::db_test;
use crate::helpers::{Db, TempDir, TestDb, test_env};

async fn fresh(kind: Db) -> Option<(TestDb, sea_orm::DatabaseConnection)> {
    let test_db = TestDb::create(kind).await?;
    let conn = db::connect(&test_db.url, 3).await.expect("connect");
    migrations::Migrator::up(&conn, None)
        .await
        .expect("migrate");
    Some((test_db, conn))
}

fn case(institution_id: i64, seq: i64) -> petition_case::ActiveModel {
    let now = Utc::now();
    petition_case::ActiveModel {
        institution_id: Set(institution_id),
        kind: Set("petition".into()),
        status: Set("registered".into()),
        workflow_name: Set("md-petition".into()),
        workflow_version: Set(1),
        reg_year: Set(2026),
        reg_seq: Set(seq),
        registration_number: Set(format!(
            "CHI-2026-{seq:06}-{}",
            uuid::Uuid::new_v4().simple()
        )),
        channel: Set("online".into()),
        petitioner_name: Set("Ion Popescu".into()),
        subject: Set("Subiect".into()),
        body: Set("Text".into()),
        overdue: Set(false),
        consent_publish: Set(false),
        filed_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
}

db_test!(migrations_and_the_demo_seed_are_idempotent, |kind| {
    let Some((_db, conn)) = fresh(kind).await else {
        return;
    };
    // A second run applies nothing and fails on nothing.
    migrations::Migrator::up(&conn, None)
        .await
        .expect("second migrate");
    assert_eq!(
        migrations::Migrator::get_pending_migrations(&conn)
            .await
            .unwrap()
            .len(),
        0
    );

    let first = seed::seed_demo(&conn).await.expect("seed");
    assert_eq!(
        (
            first.institutions,
            first.departments,
            first.categories,
            first.users
        ),
        (4, 6, 11, 4)
    );
    let second = seed::seed_demo(&conn).await.expect("seed again");
    assert_eq!(
        second,
        seed::SeedReport::default(),
        "nothing new the second time"
    );
    assert_eq!(user::Entity::find().count(&conn).await.unwrap(), 4);
});

db_test!(
    registration_numbers_are_unique_per_institution_and_year,
    |kind| {
        let Some((_db, conn)) = fresh(kind).await else {
            return;
        };
        seed::seed_demo(&conn).await.expect("seed");
        let inst = institution::Entity::find()
            .one(&conn)
            .await
            .unwrap()
            .unwrap();
        case(inst.id, 1).insert(&conn).await.expect("first case");
        case(inst.id, 2).insert(&conn).await.expect("second case");
        let dup = case(inst.id, 1).insert(&conn).await;
        assert!(
            dup.is_err(),
            "the same sequence number twice in one institution and year is refused"
        );
    }
);

db_test!(foreign_keys_are_enforced, |kind| {
    let Some((_db, conn)) = fresh(kind).await else {
        return;
    };
    let orphan = case(999_999, 1).insert(&conn).await;
    assert!(
        orphan.is_err(),
        "a case of a missing institution is refused (SQLite: foreign_keys=ON)"
    );
});

db_test!(
    a_failed_migration_stops_the_start_with_a_clear_message,
    |kind| {
        let Some(test_db) = TestDb::create(kind).await else {
            return;
        };
        // A table in the way, with the wrong shape: the first migration cannot create it.
        let conn = db::connect(&test_db.url, 1).await.unwrap();
        conn.execute_unprepared("CREATE TABLE institution (wrong_column INTEGER)")
            .await
            .unwrap();
        conn.close().await.ok();

        let dir = TempDir::new("petitio-app");
        let settings =
            server::config::Settings::from_sources(None, test_env(&test_db.url, dir.path()))
                .unwrap();
        let err = server::startup::Application::build(settings)
            .await
            .err()
            .expect("start-up must fail");
        let text = format!("{err:#}");
        assert!(text.contains("database migration failed"), "{text}");
    }
);

#[tokio::test]
async fn an_unreachable_database_is_named_in_the_error_without_its_password() {
    let dir = TempDir::new("petitio-app");
    let settings = server::config::Settings::from_sources(
        None,
        test_env("postgres://u:s3cret@127.0.0.1:1/none", dir.path()),
    )
    .unwrap();
    let err = server::startup::Application::build(settings)
        .await
        .err()
        .expect("start-up must fail");
    let text = format!("{err:#}");
    assert!(
        text.contains("cannot open the database at postgres://u:***@127.0.0.1:1/none"),
        "{text}"
    );
    assert!(!text.contains("s3cret"));
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let dir = TempDir::new("petitio-db");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("sub/dir/p.db").display()
    );
    let conn = db::connect(&url, 1)
        .await
        .expect("connect creates the directory");
    let row = |sql: &'static str| {
        let conn = conn.clone();
        async move {
            let r = conn
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    sql,
                ))
                .await
                .unwrap()
                .unwrap();
            r.try_get_by_index::<String>(0)
                .or_else(|_| r.try_get_by_index::<i64>(0).map(|v| v.to_string()))
                .unwrap()
        }
    };
    assert_eq!(row("PRAGMA journal_mode").await, "wal");
    assert_eq!(row("PRAGMA foreign_keys").await, "1");
    assert_eq!(row("PRAGMA synchronous").await, "2", "FULL");
}

db_test!(
    registration_sequences_have_no_gaps_under_concurrency_and_rollbacks,
    |kind| {
        use app::backend::registration::next_sequence;
        use sea_orm::TransactionTrait;
        let Some((_db, conn)) = fresh(kind).await else {
            return;
        };
        seed::seed_demo(&conn).await.expect("seed");
        let inst = institution::Entity::find()
            .one(&conn)
            .await
            .unwrap()
            .unwrap();

        // 40 concurrent filings; every fourth one fails after taking its number and rolls back.
        let mut tasks = Vec::new();
        for i in 0..40 {
            let conn = conn.clone();
            tasks.push(tokio::spawn(async move {
                let txn = conn.begin().await.unwrap();
                let seq = next_sequence(&txn, inst.id, 2026).await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                if i % 4 == 3 {
                    txn.rollback().await.unwrap();
                    None
                } else {
                    case(inst.id, seq).insert(&txn).await.unwrap();
                    txn.commit().await.unwrap();
                    Some(seq)
                }
            }));
        }
        let mut committed: Vec<i64> = Vec::new();
        for t in tasks {
            if let Some(seq) = t.await.unwrap() {
                committed.push(seq);
            }
        }
        committed.sort();
        assert_eq!(
            committed,
            (1..=30).collect::<Vec<i64>>(),
            "30 committed filings numbered 1..=30, no gaps"
        );
        // Another year starts again at 1; another institution has its own sequence.
        let txn = conn.begin().await.unwrap();
        assert_eq!(next_sequence(&txn, inst.id, 2027).await.unwrap(), 1);
        assert_eq!(next_sequence(&txn, inst.id, 2026).await.unwrap(), 31);
        txn.commit().await.unwrap();
        assert_eq!(
            petition_case::Entity::find().count(&conn).await.unwrap(),
            30
        );
    }
);
