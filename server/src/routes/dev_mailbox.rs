//! `/dev/mailbox`: in development, the mails the file transport wrote, newest first, so a
//! newcomer can read them and follow their links. Answers 404 in production.

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What the mailbox handlers need: where the mail is, and whether they may show it.
#[derive(Clone, Debug)]
pub struct Mailbox {
    pub dir: PathBuf,
    pub enabled: bool,
}

fn escape(s: &str) -> String {
    app::diagram::escape(s)
}

struct Entry {
    file: String,
    subject: String,
    to: String,
    date: String,
    modified: std::time::SystemTime,
}

fn read_entry(path: &Path) -> Option<(Entry, String)> {
    let raw = std::fs::read(path).ok()?;
    let parsed = mailparse::parse_mail(&raw).ok()?;
    let header = |name: &str| {
        use mailparse::MailHeaderMap;
        parsed.headers.get_first_value(name).unwrap_or_default()
    };
    let text = if parsed.subparts.is_empty() {
        parsed.get_body().unwrap_or_default()
    } else {
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == "text/plain")
            .or(parsed.subparts.first())
            .and_then(|p| p.get_body().ok())
            .unwrap_or_default()
    };
    let entry = Entry {
        file: path.file_name()?.to_string_lossy().into_owned(),
        subject: header("Subject"),
        to: header("To"),
        date: header("Date"),
        modified: std::fs::metadata(path).and_then(|m| m.modified()).ok()?,
    };
    Some((entry, text))
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"ro\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><link rel=\"stylesheet\" href=\"/pkg/petitio.css\"></head>\
         <body><main id=\"main\" class=\"container\"><h1>{t}</h1>{body}</main></body></html>",
        t = escape(title)
    ))
}

/// A file name the file transport could have written, and nothing else (no paths).
fn valid_name(name: &str) -> bool {
    name.ends_with(".eml")
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && !name.starts_with('.')
}

pub async fn list(State(mailbox): State<Mailbox>) -> Response {
    if !mailbox.enabled {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut entries: Vec<Entry> = std::fs::read_dir(&mailbox.dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| valid_name(&n.to_string_lossy()))
                })
                .filter_map(|p| read_entry(&p).map(|(e, _)| e))
                .collect()
        })
        .unwrap_or_default();
    entries.sort_by_key(|e| std::cmp::Reverse(e.modified));
    let rows: String = entries
        .iter()
        .map(|e| {
            format!(
                "<tr><td><a href=\"/dev/mailbox/{f}\">{s}</a></td><td>{to}</td><td>{d}</td></tr>",
                f = escape(&e.file),
                s = escape(if e.subject.is_empty() {
                    "(fără subiect)"
                } else {
                    &e.subject
                }),
                to = escape(&e.to),
                d = escape(&e.date)
            )
        })
        .collect();
    let body = format!(
        "<p>Mesajele scrise de transportul de fișiere în <code>{dir}</code> (doar în dezvoltare). {n} mesaje.</p>\
         <div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Subiect</th><th scope=\"col\">Către</th><th scope=\"col\">Data</th></tr></thead><tbody>{rows}</tbody></table></div>",
        dir = escape(&mailbox.dir.display().to_string()),
        n = entries.len()
    );
    page("Cutia poștală de dezvoltare", &body).into_response()
}

/// Turns the URLs of a plain-text body into links; everything else is escaped.
fn linkify(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                format!(
                    "<a href=\"{u}\">{u}</a>{rest}",
                    u = escape(trimmed),
                    rest = &word[trimmed.len()..]
                )
            } else {
                escape(word)
            }
        })
        .collect()
}

pub async fn show(State(mailbox): State<Mailbox>, UrlPath(file): UrlPath<String>) -> Response {
    if !mailbox.enabled || !valid_name(&file) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some((entry, text)) = read_entry(&mailbox.dir.join(&file)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = format!(
        "<p><a href=\"/dev/mailbox\">← Toate mesajele</a></p><dl class=\"summary-list\"><dt>Către</dt><dd>{to}</dd><dt>Data</dt><dd>{d}</dd></dl><pre class=\"mail-body\">{t}</pre>",
        to = escape(&entry.to),
        d = escape(&entry.date),
        t = linkify(&text)
    );
    page(&entry.subject, &body).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_eml_names_are_served_and_urls_become_links() {
        assert!(super::valid_name(
            "0193abc-1234@petitio.eml".replace('@', "_").as_str()
        ));
        assert!(!super::valid_name("../etc/passwd"));
        assert!(!super::valid_name("..eml"));
        assert!(!super::valid_name("a/b.eml"));
        let html = super::linkify("Vedeți http://x.test/cazuri/1 <b>\n");
        assert_eq!(
            html,
            "Vedeți <a href=\"http://x.test/cazuri/1\">http://x.test/cazuri/1</a> &lt;b&gt;\n"
        );
    }
}
