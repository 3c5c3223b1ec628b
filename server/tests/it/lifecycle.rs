//! Start and stop: graceful shutdown in process and of the real binary on SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{Db, TempDir, TestDb, test_env};
use crate::{app, db_test};

db_test!(
    a_stopped_server_finishes_and_refuses_new_connections,
    |kind| {
        let app = app!(kind);
        let addr = app.addr;
        assert_eq!(app.get_text("/healthz").await.0, 200);
        tokio::time::timeout(Duration::from_secs(10), app.stop())
            .await
            .expect("stops in time")
            .expect("stops cleanly");
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "no longer accepting"
        );
    }
);

#[test]
fn the_binary_serves_and_exits_cleanly_on_sigterm() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let test_db = rt.block_on(TestDb::create(Db::Sqlite)).unwrap();
    let dir = TempDir::new("petitio-bin");
    let port = crate::helpers::free_port();
    let mut env = test_env(&test_db.url, dir.path());
    env.insert("LEPTOS_SITE_ADDR".into(), format!("127.0.0.1:{port}"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_petitio"))
        .arg("serve")
        .env_clear()
        .envs(env)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start petitio");

    let deadline = Instant::now() + Duration::from_secs(30);
    let ok = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n").unwrap();
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            break out.starts_with("HTTP/1.0 200") || out.starts_with("HTTP/1.1 200");
        }
        assert!(
            Instant::now() < deadline,
            "the binary did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(ok, "healthz answered 200");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "no exit within 15 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
    // The demo accounts were printed at start.
    let mut out = String::new();
    use std::io::Read;
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.contains("citizen@demo.petitio"), "{out}");
}

#[test]
fn bad_configuration_is_refused_before_start_with_exit_code_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_petitio"))
        .arg("migrate")
        .env_clear()
        .env("PETITIO_ENV", "production")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PETITIO_JWT_SECRET is required"));
}

#[test]
fn migrate_and_seed_demo_commands_work_on_a_fresh_database() {
    let dir = TempDir::new("petitio-cli");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("p.db").display());
    for cmd in ["migrate", "seed-demo", "seed-demo"] {
        let out = Command::new(env!("CARGO_BIN_EXE_petitio"))
            .arg(cmd)
            .env_clear()
            .env("DATABASE_URL", &url)
            .env("PETITIO_LOG", "error")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
