//! Resource limits: slow and idle clients are dropped after the header timeout while others are
//! served promptly; the connection cap queues clients instead of exhausting the server; a body
//! trickled slower than its deadline is answered 408 and stores nothing; a burst of 1,000
//! filings from one address is rate-limited without touching other clients.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use app::backend::entity::{attachment, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::{Db, TestApp};
use crate::{app, db_test};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// What a raw client saw: how long after connecting the server closed the connection (`None`:
/// still open when the client gave up) and the bytes it answered.
struct Seen {
    closed_after: Option<Duration>,
    answer: String,
}

/// Connects, sends `head` at once, then `rest` one byte every `every` (and nothing once it is
/// sent), reading until the server closes the connection or `give_up` passes.
async fn trickle(
    addr: SocketAddr,
    head: Vec<u8>,
    rest: Vec<u8>,
    every: Duration,
    give_up: Duration,
) -> Seen {
    let start = Instant::now();
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(&head).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let mut rest = rest.into_iter();
    let closed_after = loop {
        if start.elapsed() > give_up {
            break None;
        }
        tokio::select! {
            read = tcp.read(&mut buf) => match read {
                Ok(0) | Err(_) => break Some(start.elapsed()),
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            },
            _ = tokio::time::sleep(every) => {
                if let Some(b) = rest.next()
                    && tcp.write_all(&[b]).await.is_err()
                {
                    break Some(start.elapsed());
                }
            }
        }
    };
    Seen {
        closed_after,
        answer: String::from_utf8_lossy(&answer).into_owned(),
    }
}

/// Milliseconds of a duration, for messages.
fn ms(d: Duration) -> u128 {
    d.as_millis()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_dropped_while_others_are_served() {
    let app = app!(Db::Sqlite, &[("PETITIO_HEADER_TIMEOUT_SECS", "2")]);
    let addr = app.addr;
    let give_up = Duration::from_secs(8);
    // 200 clients sending a header a byte every 250 ms, never ending it (slowloris).
    let slow: Vec<_> = (0..200)
        .map(|_| {
            tokio::spawn(trickle(
                addr,
                b"GET /healthz HTTP/1.1\r\nHost: petitio\r\nX-Slow: ".to_vec(),
                vec![b'a'; 1000],
                Duration::from_millis(250),
                give_up,
            ))
        })
        .collect();
    // 50 clients that connect and send nothing.
    let idle: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn(trickle(
                addr,
                Vec::new(),
                Vec::new(),
                Duration::from_millis(250),
                give_up,
            ))
        })
        .collect();
    // One client that sends a whole request, gets its answer and keeps the connection open.
    let kept_alive = tokio::spawn(trickle(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: petitio\r\n\r\n".to_vec(),
        Vec::new(),
        Duration::from_millis(250),
        give_up,
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Meanwhile other clients are answered at once.
    let mut latencies = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let (status, body) = app.get_text("/healthz").await;
        latencies.push(t.elapsed());
        assert_eq!((status, body.as_str()), (200, "ok"));
    }
    let t = Instant::now();
    let (status, page) = app.get_text("/autentificare").await;
    let page_latency = t.elapsed();
    assert_eq!(status, 200);
    assert!(page.contains("<form"), "the sign-in page");
    let worst = latencies.iter().max().copied().unwrap_or_default();
    eprintln!(
        "during the attack: /healthz ×10 worst {} ms, median {} ms; the sign-in page {} ms",
        ms(worst),
        ms({
            latencies.sort();
            latencies[latencies.len() / 2]
        }),
        ms(page_latency)
    );
    assert!(worst < Duration::from_secs(1), "healthz took {worst:?}");
    assert!(
        page_latency < Duration::from_secs(3),
        "the page took {page_latency:?}"
    );

    // Every slow and idle client is dropped after the header timeout (2 s), without an answer.
    let mut closed = Vec::new();
    for (what, handles) in [("slow", slow), ("idle", idle)] {
        for h in handles {
            let seen = h.await.unwrap();
            let after = seen
                .closed_after
                .unwrap_or_else(|| panic!("a {what} client was still connected after {give_up:?}"));
            assert_eq!(seen.answer, "", "a {what} client got no answer");
            assert!(
                after >= Duration::from_millis(1900) && after < Duration::from_secs(5),
                "a {what} client was dropped after {after:?}"
            );
            closed.push(after);
        }
    }
    closed.sort();
    eprintln!(
        "{} slow/idle connections closed by the server after {}–{} ms (header timeout 2 s)",
        closed.len(),
        ms(closed[0]),
        ms(closed[closed.len() - 1])
    );
    // The kept-alive connection got its answer, then was closed once idle for the timeout.
    let seen = kept_alive.await.unwrap();
    assert!(
        seen.answer.starts_with("HTTP/1.1 200 OK"),
        "{}",
        seen.answer
    );
    assert!(seen.answer.ends_with("ok"), "{}", seen.answer);
    let after = seen
        .closed_after
        .expect("the idle kept-alive connection is closed");
    assert!(
        after >= Duration::from_millis(1900) && after < Duration::from_secs(5),
        "the idle kept-alive connection was closed after {after:?}"
    );
    // And the server still serves.
    assert_eq!(app.get_text("/healthz").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_makes_clients_wait_instead_of_exhausting_the_server() {
    let app = app!(
        Db::Sqlite,
        &[
            ("PETITIO_HEADER_TIMEOUT_SECS", "2"),
            ("PETITIO_MAX_CONNECTIONS", "20")
        ]
    );
    // Twenty clients hold every connection the server serves at once, sending nothing.
    let idle: Vec<_> = (0..20)
        .map(|_| {
            tokio::spawn(trickle(
                app.addr,
                Vec::new(),
                Vec::new(),
                Duration::from_millis(100),
                Duration::from_secs(8),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The next client waits in the listen queue until the idle ones are dropped, then is served.
    let t = Instant::now();
    let (status, body) = app.get_text("/healthz").await;
    let waited = t.elapsed();
    assert_eq!((status, body.as_str()), (200, "ok"));
    eprintln!(
        "the 21st client was answered after {} ms (20 idle connections dropped at 2 s)",
        ms(waited)
    );
    assert!(
        waited >= Duration::from_millis(1400) && waited < Duration::from_secs(5),
        "waited {waited:?}"
    );
    for h in idle {
        assert!(h.await.unwrap().closed_after.is_some());
    }
    // Once they are gone, clients are answered at once again.
    let t = Instant::now();
    assert_eq!(app.get_text("/healthz").await.0, 200);
    assert!(t.elapsed() < Duration::from_secs(1));
}

/// Files under the attachments directory.
fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.attachments_dir)
}

/// The status line, the `Connection` header and the error code of a raw answer.
fn parse_answer(raw: &str) -> (String, Option<String>, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let status = head.lines().next().unwrap_or("").to_string();
    let connection = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("connection"))
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    let code = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
        .unwrap_or_default();
    (status, connection, code)
}

db_test!(
    a_body_trickled_slower_than_its_deadline_gets_408_and_stores_nothing,
    |kind| {
        let app = app!(kind, &[("PETITIO_BODY_TIMEOUT_SECS", "2")]);
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let id = app
        .file_json(
            &token,
            json!({"kind": "petition", "subject": "Iluminatul din scară", "body": "Becurile din scara blocului nu funcționează de o lună.", "consent_processing": true}),
        )
        .await;
        let cases_before = petition_case::Entity::find().count(&app.db).await.unwrap();
        let files_before = attachment::Entity::find().count(&app.db).await.unwrap();

        // A filing whose JSON arrives four bytes a second.
        let body = json!({"kind": "petition", "subject": "Apa caldă lipsește", "body": "Nu avem apă caldă de două săptămâni în tot blocul.", "consent_processing": true, "confirm_repeat": true}).to_string();
        let head = format!(
            "POST /api/v1/cases HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            app.addr,
            body.len()
        );
        let (first, rest) = body.as_bytes().split_at(10);
        let t = Instant::now();
        let seen = trickle(
            app.addr,
            [head.as_bytes(), first].concat(),
            rest.to_vec(),
            Duration::from_millis(250),
            Duration::from_secs(8),
        )
        .await;
        let json_after = t.elapsed();
        let (status, connection, code) = parse_answer(&seen.answer);
        assert_eq!(
            (status.as_str(), connection.as_deref(), code.as_str()),
            (
                "HTTP/1.1 408 Request Timeout",
                Some("close"),
                "request_timeout"
            ),
            "{}",
            seen.answer
        );
        assert!(seen.closed_after.is_some(), "the connection is closed");

        // A file added to the case, its bytes trickled the same way.
        let boundary = "petitio-slow";
        let mut upload = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dovada.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
        upload.extend_from_slice(PDF);
        upload.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let head = format!(
            "POST /api/v1/cases/{id}/attachments HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
            app.addr,
            upload.len()
        );
        let (first, rest) = upload.split_at(120);
        let t = Instant::now();
        let seen = trickle(
            app.addr,
            [head.as_bytes(), first].concat(),
            rest.to_vec(),
            Duration::from_millis(250),
            Duration::from_secs(8),
        )
        .await;
        let upload_after = t.elapsed();
        let (status, connection, code) = parse_answer(&seen.answer);
        assert_eq!(
            (status.as_str(), connection.as_deref(), code.as_str()),
            (
                "HTTP/1.1 408 Request Timeout",
                Some("close"),
                "request_timeout"
            ),
            "{}",
            seen.answer
        );
        eprintln!(
            "slow bodies answered 408 and closed after {} ms (JSON) and {} ms (upload); deadline 2 s",
            ms(json_after),
            ms(upload_after)
        );
        for after in [json_after, upload_after] {
            assert!(
                after >= Duration::from_millis(1900) && after < Duration::from_secs(5),
                "{after:?}"
            );
        }
        // Nothing filed, nothing stored.
        assert_eq!(
            petition_case::Entity::find().count(&app.db).await.unwrap(),
            cases_before
        );
        assert_eq!(
            attachment::Entity::find().count(&app.db).await.unwrap(),
            files_before
        );
        assert_eq!(stored_files(&app), 0);
        // The same upload sent at once is taken.
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(PDF).file_name("dovada.pdf"),
        );
        let res = app
            .client
            .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert_eq!(stored_files(&app), 1);
    }
);

fn filing(n: usize) -> Value {
    json!({
        "kind": "petition",
        "subject": format!("Iluminatul din scara {n}"),
        "body": "Becurile din scara blocului nu funcționează de o lună.",
        "consent_processing": true,
        "confirm_repeat": true,
    })
}

/// A client whose connections come from `ip` (a loopback address other than 127.0.0.1 is
/// another client to the server).
fn client_from(ip: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(ip))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

db_test!(
    a_burst_of_1000_filings_from_one_address_is_limited_and_others_still_file,
    |kind| {
        // The default limits (filing=20/3600 per address and per account); no proxy is trusted.
        let app = app!(kind);
        let cases_before = petition_case::Entity::find().count(&app.db).await.unwrap();
        // Four accounts of one sender, all on 127.0.0.1; a fifth citizen elsewhere.
        let mut tokens = vec![app.login("citizen@demo.petitio", DEMO_PASSWORD).await];
        for n in 1..=3 {
            tokens.push(app.citizen(&format!("burst{n}@example.md")).await);
        }
        let other = app.citizen("alt@example.md").await;
        let tokens = Arc::new(tokens);

        // 1,000 filings, 50 at a time, each claiming another X-Forwarded-For (not trusted).
        let url = app.url("/api/v1/cases");
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let start = Instant::now();
        let workers: Vec<_> = (0..50)
            .map(|_| {
                let (client, url, tokens, next) = (
                    app.client.clone(),
                    url.clone(),
                    tokens.clone(),
                    next.clone(),
                );
                tokio::spawn(async move {
                    let mut seen = Vec::new();
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        if n >= 1000 {
                            return seen;
                        }
                        let res = client
                            .post(&url)
                            .bearer_auth(&tokens[n % tokens.len()])
                            .header("x-forwarded-for", format!("10.{}.{}.1", n / 250, n % 250))
                            .json(&filing(n))
                            .send()
                            .await
                            .unwrap();
                        let retry_after = res.headers().contains_key("retry-after");
                        let (status, code, _) = error_code(res).await;
                        seen.push((status, code, retry_after));
                    }
                })
            })
            .collect();
        let mut created = 0;
        let mut limited = 0;
        for w in workers {
            for (status, code, retry_after) in w.await.unwrap() {
                match status {
                    201 => created += 1,
                    429 => {
                        assert_eq!(code, "rate_limited");
                        assert!(retry_after, "429 carries Retry-After");
                        limited += 1;
                    }
                    other => panic!("unexpected {other} {code}"),
                }
            }
        }
        let burst = start.elapsed();
        eprintln!(
            "{kind:?}: 1,000 filings from 127.0.0.1 in {} ms: {created} × 201, {limited} × 429",
            ms(burst)
        );
        assert_eq!((created, limited), (20, 980));
        assert_eq!(
            petition_case::Entity::find().count(&app.db).await.unwrap(),
            cases_before + 20
        );

        // Another client, from another address, files at once.
        let elsewhere = client_from(Ipv4Addr::new(127, 0, 0, 2));
        let t = Instant::now();
        let res = elsewhere
            .post(&url)
            .bearer_auth(&other)
            .json(&filing(1000))
            .send()
            .await
            .unwrap();
        eprintln!(
            "{kind:?}: another client's filing right after: {} in {} ms",
            res.status(),
            ms(t.elapsed())
        );
        assert_eq!(res.status(), 201);
        // The same citizen from the limited address is refused: the limit is the address's.
        let res = app
            .client
            .post(&url)
            .bearer_auth(&other)
            .json(&filing(1001))
            .send()
            .await
            .unwrap();
        let (status, code, _) = error_code(res).await;
        assert_eq!((status, code.as_str()), (429, "rate_limited"));
    }
);
