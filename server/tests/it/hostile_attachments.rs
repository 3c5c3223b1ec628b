//! Hostile attachments, each with its exact answer: names with directories (both slashes),
//! absolute paths, NUL and other control bytes, direction overrides, overlong names, names of
//! dots only; contents that are not what their names say (a page or a script called `.pdf`, a
//! program called `.png`, an archive); and polyglots that pass as what their names say, served
//! only as downloads that no browser renders. Bodies are built byte by byte, as an attacker's
//! client would send them.

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use app::backend::entity::{attachment, petition_case};

use crate::accounts_support::{DEMO_PASSWORD, error_code};
use crate::helpers::TestApp;
use crate::{app, db_test};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00";
const ZIP: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00bomb/";
const HTML: &[u8] = b"<html><body><script>alert(document.cookie)</script></body></html>";
const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>"#;
const SCRIPT: &[u8] = b"#!/bin/sh\nrm -rf /\n";
const PDF_WITH_HTML: &[u8] =
    b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n";
const GIF_WITH_SCRIPT: &[u8] = b"GIF89a/*\x01\x00\x01\x00*/=1;alert(document.cookie)//";

/// One `file` part named `file_name` (bytes as given), posted to a case's attachments.
async fn upload(
    app: &TestApp,
    token: &str,
    case_id: i64,
    file_name: &[u8],
    bytes: &[u8],
) -> reqwest::Response {
    let boundary = "----petitio-hostile-7d1";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
            .into_bytes();
    body.extend_from_slice(file_name);
    body.extend_from_slice(b"\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.client
        .post(app.url(&format!("/api/v1/cases/{case_id}/attachments")))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .flat_map(|e| {
                    if e.path().is_dir() {
                        files_under(&e.path())
                    } else {
                        vec![e.path()]
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What a name and a content must come to.
enum Expect {
    /// Stored under this name with this type.
    Stored(&'static str, &'static str),
    /// Refused: status, error code, and the code on the `attachments` field (if any).
    Refused(u16, &'static str, Option<&'static str>),
}

db_test!(
    hostile_attachment_names_and_contents_get_their_exact_answers,
    |kind| {
        use Expect::{Refused, Stored};
        let app = app!(kind);
        let token = app.login("citizen@demo.petitio", DEMO_PASSWORD).await;
        let id = app
        .file_json(
            &token,
            json!({"kind": "petition", "subject": "Iluminatul din scară", "body": "Becurile din scara blocului nu funcționează de o lună.", "consent_processing": true}),
        )
        .await;
        let long = format!("{}.pdf", "ș".repeat(300));
        let long_kept = format!("{}.pdf", "ș".repeat(96));
        let cases: Vec<(&str, Vec<u8>, &[u8], Expect)> = vec![
            // Directories and drives: only the last part of the name is kept.
            (
                "traversal",
                b"../../etc/passwd".to_vec(),
                PDF,
                Stored("passwd.pdf", "application/pdf"),
            ),
            (
                "backslash traversal",
                b"..\\..\\x".to_vec(),
                PNG,
                Stored("x.png", "image/png"),
            ),
            (
                "absolute path",
                b"/etc/passwd.pdf".to_vec(),
                PDF,
                Stored("passwd.pdf", "application/pdf"),
            ),
            (
                "drive path",
                b"C:\\Windows\\System32\\drivers\\etc\\hosts.pdf".to_vec(),
                PDF,
                Stored("hosts.pdf", "application/pdf"),
            ),
            // Percent signs are only characters: nothing decodes them.
            (
                "encoded traversal",
                b"%2e%2e%2fetc%2fpasswd.pdf".to_vec(),
                PDF,
                Stored("%2e%2e%2fetc%2fpasswd.pdf", "application/pdf"),
            ),
            (
                "markup",
                b"<script>alert(1)</script>.pdf".to_vec(),
                PDF,
                Stored("script_.pdf", "application/pdf"),
            ),
            // NUL and escape bytes cannot be in a part's header: the form is malformed.
            (
                "NUL byte",
                b"evil.php\0.pdf".to_vec(),
                PDF,
                Refused(400, "bad_request", None),
            ),
            (
                "escape sequence",
                b"a\x1b[31mred.pdf".to_vec(),
                PDF,
                Refused(400, "bad_request", None),
            ),
            // Control and invisible characters a header may carry are dropped.
            (
                "tab",
                b"tab\there.pdf".to_vec(),
                PDF,
                Stored("tabhere.pdf", "application/pdf"),
            ),
            (
                "right-to-left override",
                "fact\u{202e}fdp.pdf".into(),
                PDF,
                Stored("factfdp.pdf", "application/pdf"),
            ),
            (
                "override hiding .exe",
                "cerere\u{202e}fdp.exe".into(),
                PDF,
                Refused(
                    422,
                    "validation_failed",
                    Some("attachment_mismatch:cererefdp.exe"),
                ),
            ),
            (
                "Arabic letter mark, line separator, NEL",
                "a\u{061c}b\u{2028}c\u{0085}.pdf".into(),
                PDF,
                Stored("abc.pdf", "application/pdf"),
            ),
            (
                "overlong",
                long.clone().into_bytes(),
                PDF,
                Stored(
                    Box::leak(long_kept.clone().into_boxed_str()),
                    "application/pdf",
                ),
            ),
            (
                "dots only",
                b". . .".to_vec(),
                PDF,
                Stored("fisier.pdf", "application/pdf"),
            ),
            (
                "trailing dot",
                b"cerere.pdf. ".to_vec(),
                PDF,
                Stored("cerere.pdf", "application/pdf"),
            ),
            (
                "no name",
                b"".to_vec(),
                PNG,
                Stored("fisier.png", "image/png"),
            ),
            // The content decides: what no allowed type is, is refused whatever its name.
            (
                "HTML called .pdf",
                b"pagina.pdf".to_vec(),
                HTML,
                Refused(422, "validation_failed", Some("attachment_type:pagina.pdf")),
            ),
            (
                "SVG with a script called .png",
                b"poza.png".to_vec(),
                SVG,
                Refused(422, "validation_failed", Some("attachment_type:poza.png")),
            ),
            (
                "Windows program called .png",
                b"setup.png".to_vec(),
                EXE,
                Refused(422, "validation_failed", Some("attachment_type:setup.png")),
            ),
            (
                "Linux program called .jpg",
                b"poza.jpg".to_vec(),
                ELF,
                Refused(422, "validation_failed", Some("attachment_type:poza.jpg")),
            ),
            (
                "shell script called .pdf",
                b"ruleaza.pdf".to_vec(),
                SCRIPT,
                Refused(
                    422,
                    "validation_failed",
                    Some("attachment_type:ruleaza.pdf"),
                ),
            ),
            (
                "PDF called .png",
                b"poza.png".to_vec(),
                PDF,
                Refused(
                    422,
                    "validation_failed",
                    Some("attachment_mismatch:poza.png"),
                ),
            ),
            // Archives are not taken (and nothing is ever unpacked: no decompression bomb).
            (
                "zip",
                b"arhiva.zip".to_vec(),
                ZIP,
                Refused(422, "validation_failed", Some("attachment_type:arhiva.zip")),
            ),
            (
                "zip called .docx",
                b"cerere.docx".to_vec(),
                ZIP,
                Refused(
                    422,
                    "validation_failed",
                    Some("attachment_type:cerere.docx"),
                ),
            ),
            // Polyglots pass as what they start as; they are only ever downloaded (below).
            (
                "PDF carrying HTML",
                b"poliglot.pdf".to_vec(),
                PDF_WITH_HTML,
                Stored("poliglot.pdf", "application/pdf"),
            ),
            (
                "GIF carrying a script",
                b"imagine.gif".to_vec(),
                GIF_WITH_SCRIPT,
                Stored("imagine.gif", "image/gif"),
            ),
        ];
        let mut stored: Vec<(i64, String)> = Vec::new();
        for (what, name, bytes, expect) in cases {
            let res = upload(&app, &token, id, &name, bytes).await;
            match expect {
                Stored(want_name, want_type) => {
                    assert_eq!(res.status(), 201, "{what}");
                    let v: Value = res.json().await.unwrap();
                    assert_eq!(
                        (
                            v["name"].as_str().unwrap(),
                            v["content_type"].as_str().unwrap()
                        ),
                        (want_name, want_type),
                        "{what}"
                    );
                    stored.push((v["id"].as_i64().unwrap(), want_name.to_string()));
                }
                Refused(status, code, field) => {
                    let (got, got_code, body) = error_code(res).await;
                    assert_eq!((got, got_code.as_str()), (status, code), "{what}: {body}");
                    assert_eq!(
                        body["error"]["fields"]["attachments"][0].as_str(),
                        field,
                        "{what}: {body}"
                    );
                }
            }
        }
        assert_eq!(stored.len(), 15);
        assert_eq!(
            stored[9].1.chars().count(),
            100,
            "the overlong name is cut to 100"
        );

        // On disk: one file per stored attachment, each under `YYYY/MM/<uuid>`, never a sent name.
        let on_disk = files_under(&app.attachments_dir);
        assert_eq!(on_disk.len(), stored.len(), "nothing more stored");
        for path in &on_disk {
            let key = path
                .strip_prefix(&app.attachments_dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let parts: Vec<&str> = key.split('/').collect();
            assert!(
                parts.len() == 3
                    && parts[0].len() == 4
                    && parts[1].len() == 2
                    && uuid::Uuid::parse_str(parts[2]).is_ok(),
                "{key}"
            );
        }
        let rows = attachment::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows.len(), stored.len());

        // Every one is served as a download of its proven type, never sniffed or rendered.
        for (file_id, name) in &stored {
            let res = app.get_with(&format!("/fisiere/{file_id}"), &token).await;
            assert_eq!(res.status(), 200, "{name}");
            let h = res.headers();
            assert_eq!(h["x-content-type-options"], "nosniff", "{name}");
            assert_eq!(
                h["content-security-policy"], "sandbox; default-src 'none'",
                "{name}"
            );
            assert!(
                h["content-disposition"]
                    .to_str()
                    .unwrap()
                    .starts_with("attachment; filename=\""),
                "{name}"
            );
        }
        let header = |file: usize, name: &'static str| {
            let (file_id, _) = stored[file].clone();
            let (app, token) = (&app, &token);
            async move {
                let res = app.get_with(&format!("/fisiere/{file_id}"), token).await;
                res.headers()[name].to_str().unwrap().to_string()
            }
        };
        assert_eq!(
            header(0, "content-disposition").await,
            "attachment; filename=\"passwd.pdf\"; filename*=UTF-8''passwd.pdf"
        );
        assert_eq!(
            header(4, "content-disposition").await,
            "attachment; filename=\"_2e_2e_2fetc_2fpasswd.pdf\"; filename*=UTF-8''%252e%252e%252fetc%252fpasswd.pdf"
        );
        assert_eq!(
            header(13, "content-type").await,
            "application/pdf",
            "the PDF carrying HTML"
        );
        assert_eq!(
            header(14, "content-type").await,
            "image/gif",
            "the GIF carrying a script"
        );
        let res = app
            .get_with(&format!("/fisiere/{}", stored[13].0), &token)
            .await;
        assert_eq!(
            res.bytes().await.unwrap().as_ref(),
            PDF_WITH_HTML,
            "served as stored"
        );

        // The filing form without JavaScript: a NUL in a file's name makes the form malformed; the
        // form comes back with the error, and nothing is filed or stored.
        let cases_before = petition_case::Entity::find().count(&app.db).await.unwrap();
        let boundary = "----petitio-form-3f2";
        let mut body = Vec::new();
        for (k, v) in [
            ("kind", "petition"),
            ("subject", "Apa caldă lipsește"),
            ("body", "Nu avem apă caldă de două săptămâni în tot blocul."),
            ("consent_processing", "on"),
        ] {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"cerere\0.pdf\"\r\n\r\n")
            .as_bytes(),
    );
        body.extend_from_slice(PDF);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let res = app
            .client
            .post(app.url("/api/file_case"))
            .bearer_auth(&token)
            .header("origin", &app.base)
            .header("referer", app.url("/depune"))
            .header("accept", "text/html")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        let back = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            back.starts_with(&app.url("/depune?")) && back.contains("__err="),
            "{back}"
        );
        let page = app.page_as(&back, &token).await;
        assert!(
            page.contains("<li>Nu am putut finaliza acțiunea. Încercați din nou mai târziu.</li>"),
            "the form's error summary"
        );
        assert_eq!(
            petition_case::Entity::find().count(&app.db).await.unwrap(),
            cases_before,
            "nothing filed"
        );
        assert_eq!(
            files_under(&app.attachments_dir).len(),
            stored.len(),
            "nothing stored"
        );
    }
);
