//! The notification mails' texts. One file per event and language under `app/mail/`
//! (`{template}.{lang}.txt`: a `Subject:` line, a blank line, the body) in minijinja syntax
//! (`{{ registration_number }}`), built into the binary as the defaults. An administrator may
//! override any of them in the database (`mail_template_override`); an override is checked
//! when saved: it must parse and use only the known [`VARIABLES`]. Every mail also gets an HTML
//! version: the text, escaped, in paragraphs, with its links clickable.

use std::collections::BTreeMap;

use chrono::Utc;
use minijinja::{Environment, UndefinedBehavior};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::entity::mail_template_override as tpl;
use crate::model::mail_templates::{TemplatePreview, TemplateRow};
use crate::model::{AppError, FieldErrors};

/// Values a template may use, filled by the code that queues the mail.
pub type MailContext = BTreeMap<&'static str, String>;

/// Every variable a template may name: `registration_number`, `subject`, `state` (the case's
/// status, named), `due` (the answer term), `reason`, `answer`, `outcome`, `link` (the case, or
/// the account page), `institution` (a forwarding's target), `days`, `rate_link`; account
/// mails: `name`, `hours`; the staff digest: `date`, `new_cases`, `due_soon`, `overdue` (each a
/// list of lines, empty when there is nothing).
pub const VARIABLES: [&str; 17] = [
    "registration_number",
    "subject",
    "state",
    "due",
    "reason",
    "answer",
    "outcome",
    "link",
    "institution",
    "days",
    "rate_link",
    "name",
    "hours",
    "date",
    "new_cases",
    "due_soon",
    "overdue",
];

pub const LANGS: [&str; 3] = ["ro", "ru", "en"];

macro_rules! defaults {
    ($($name:literal),* $(,)?) => {
        &[$(
            ($name, "ro", include_str!(concat!("../../mail/", $name, ".ro.txt"))),
            ($name, "ru", include_str!(concat!("../../mail/", $name, ".ru.txt"))),
            ($name, "en", include_str!(concat!("../../mail/", $name, ".en.txt"))),
        )*]
    };
}

/// The built-in texts: `(template, lang, file)`.
const DEFAULTS: &[(&str, &str, &str)] = defaults!(
    "case_registered",
    "case_assigned",
    "case_forwarded",
    "case_extended",
    "info_requested",
    "citizen_replied",
    "case_answered",
    "case_dismissed",
    "case_withdrawn",
    "case_closed",
    "case_appealed",
    "deadline_reminder",
    "deadline_overdue",
    "data_request_registered",
    "data_request_extended",
    "data_request_answered",
    "data_request_refused",
    "verify_email",
    "account_exists",
    "reset_password",
    "invite",
    "filing_confirm",
    "case_link",
    "case_update",
    "staff_digest",
);

/// The names of every template (the workflow's and the accounts').
pub fn names() -> impl Iterator<Item = &'static str> {
    DEFAULTS.iter().filter(|d| d.1 == "ro").map(|d| d.0)
}

/// A template's text: its subject line and its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub subject: String,
    pub body: String,
}

/// Splits a template file into its subject and body.
fn parse_file(file: &str) -> Text {
    let (first, rest) = file.split_once('\n').unwrap_or((file, ""));
    Text {
        subject: first.trim_start_matches("Subject:").trim().to_string(),
        body: rest.trim_start_matches('\n').trim_end().to_string(),
    }
}

/// The built-in text of `template` in `lang` (unknown templates: the generic update; unknown
/// languages: Romanian).
pub fn default_text(template: &str, lang: &str) -> Text {
    let lang = if LANGS.contains(&lang) { lang } else { "ro" };
    let file = DEFAULTS
        .iter()
        .find(|d| d.0 == template && d.1 == lang)
        .or_else(|| {
            DEFAULTS
                .iter()
                .find(|d| d.0 == "case_update" && d.1 == lang)
        })
        .map_or("", |d| d.2);
    parse_file(file)
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    // A value a mail does not have (an answer mail to staff has no rating link) is left out.
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env
}

/// Fills `text` from `ctx`; a template that does not render (only possible for an override
/// saved before a rule changed) falls back to `fallback`.
fn fill(text: &str, ctx: &MailContext) -> Result<String, minijinja::Error> {
    env().render_str(text, ctx)
}

/// The `(subject, body)` of a text, filled.
pub fn render_text(text: &Text, ctx: &MailContext) -> Result<(String, String), minijinja::Error> {
    // A subject is one line, whatever the values hold.
    let subject = fill(&text.subject, ctx)?.replace(['\r', '\n'], " ");
    Ok((subject, fill(&text.body, ctx)?))
}

/// The rendered `(subject, body)` of the built-in `template` in `lang`.
pub fn render(template: &str, lang: &str, ctx: &MailContext) -> (String, String) {
    render_text(&default_text(template, lang), ctx).unwrap_or_else(|e| {
        tracing::error!(template, lang, error = %e, "a built-in mail template does not render");
        (String::new(), String::new())
    })
}

/// The rendered `(subject, body)` of `template` in `lang`: the administrator's version when
/// there is one, else the built-in one.
pub async fn render_for<C: ConnectionTrait>(
    db: &C,
    template: &str,
    lang: &str,
    ctx: &MailContext,
) -> Result<(String, String), AppError> {
    let lang = if LANGS.contains(&lang) { lang } else { "ro" };
    let own = tpl::Entity::find()
        .filter(tpl::Column::Template.eq(template))
        .filter(tpl::Column::Lang.eq(lang))
        .one(db)
        .await?;
    if let Some(own) = own {
        let text = Text {
            subject: own.subject,
            body: own.body,
        };
        match render_text(&text, ctx) {
            Ok(out) => return Ok(out),
            Err(e) => {
                tracing::error!(template, lang, error = %e, "an overridden mail template does not render; the built-in one is used")
            }
        }
    }
    Ok(render(template, lang, ctx))
}

/// Every problem of a text an administrator wants to save: syntax errors (with their line) and
/// unknown variables, by field (`subject`, `body`).
pub fn check(text: &Text) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    for (field, source) in [("subject", &text.subject), ("body", &text.body)] {
        if source.trim().is_empty() {
            errors
                .entry(field.into())
                .or_default()
                .push("template_empty".into());
            continue;
        }
        let env = env();
        match env.template_from_str(source) {
            Err(e) => errors.entry(field.into()).or_default().push(format!(
                "template_syntax:{}",
                e.line().map_or_else(|| "?".to_string(), |l| l.to_string())
            )),
            Ok(t) => {
                for var in t.undeclared_variables(false) {
                    if !VARIABLES.contains(&var.as_str()) {
                        errors
                            .entry(field.into())
                            .or_default()
                            .push(format!("template_variable:{var}"));
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation {
            message: "the template does not check".into(),
            fields: errors,
        })
    }
}

/// Saves an administrator's version of `template` in `lang` (checked first: a refused text
/// leaves the current one in place); `None` goes back to the built-in text. One transaction.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    template: &str,
    lang: &str,
    text: Option<Text>,
    by: i64,
) -> Result<(), AppError> {
    use sea_orm::TransactionTrait;
    if !names().any(|n| n == template) || !LANGS.contains(&lang) {
        return Err(AppError::NotFound);
    }
    if let Some(text) = &text {
        check(text)?;
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    tpl::Entity::delete_many()
        .filter(tpl::Column::Template.eq(template))
        .filter(tpl::Column::Lang.eq(lang))
        .exec(&txn)
        .await?;
    let (verb, details) = match &text {
        Some(t) => (
            "admin.mail_template.save",
            serde_json::json!({ "subject": t.subject, "body": t.body }),
        ),
        None => ("admin.mail_template.reset", serde_json::json!({})),
    };
    super::audit::record(
        &txn,
        super::audit::Entry::new(verb)
            .by(Some(by), "admin")
            .target("mail_template", format!("{template}/{lang}"))
            .details(details),
        now,
    )
    .await?;
    if let Some(text) = text {
        tpl::ActiveModel {
            template: Set(template.to_string()),
            lang: Set(lang.to_string()),
            subject: Set(text.subject),
            body: Set(text.body),
            updated_by: Set(Some(by)),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A template as an administrator edits it: the text in use and whether it is their own.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Editable {
    pub template: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    /// The administrator's version is in use (otherwise the built-in one).
    pub overridden: bool,
    pub variables: Vec<&'static str>,
}

/// Templates are the installation's: a global administrator or an administrator of the
/// portal's institution edits them.
async fn require_template_admin<'a, C: ConnectionTrait>(
    db: &C,
    principal: Option<&'a super::auth::Principal>,
) -> Result<&'a super::auth::Account, AppError> {
    let account = super::auth::access::require_account(principal)?;
    let home = super::portal::home_institution(db).await?;
    if account.is_global_admin() || account.administers(home.id) {
        Ok(account)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The text of `template` in `lang` in use now, for an administrator.
pub async fn editable<C: ConnectionTrait>(
    db: &C,
    principal: Option<&super::auth::Principal>,
    template: &str,
    lang: &str,
) -> Result<Editable, AppError> {
    require_template_admin(db, principal).await?;
    if !names().any(|n| n == template) || !LANGS.contains(&lang) {
        return Err(AppError::NotFound);
    }
    let own = tpl::Entity::find()
        .filter(tpl::Column::Template.eq(template))
        .filter(tpl::Column::Lang.eq(lang))
        .one(db)
        .await?;
    let (text, overridden) = match own {
        Some(o) => (
            Text {
                subject: o.subject,
                body: o.body,
            },
            true,
        ),
        None => (default_text(template, lang), false),
    };
    Ok(Editable {
        template: template.to_string(),
        lang: lang.to_string(),
        subject: text.subject,
        body: text.body,
        overridden,
        variables: VARIABLES.to_vec(),
    })
}

/// An administrator saves their version (checked), or with `None` goes back to the built-in one.
pub async fn save_as_admin(
    db: &sea_orm::DatabaseConnection,
    principal: Option<&super::auth::Principal>,
    template: &str,
    lang: &str,
    text: Option<Text>,
) -> Result<(), AppError> {
    let admin = require_template_admin(db, principal).await?;
    save(db, template, lang, text, admin.user_id).await?;
    tracing::info!(template, lang, by = admin.user_id, "mail template changed");
    Ok(())
}

/// Every template in every language, with whether the administrator's version is in use.
pub async fn list_as_admin<C: ConnectionTrait>(
    db: &C,
    principal: Option<&super::auth::Principal>,
) -> Result<Vec<TemplateRow>, AppError> {
    require_template_admin(db, principal).await?;
    let own = tpl::Entity::find().all(db).await?;
    let mut rows = Vec::new();
    for template in names() {
        for lang in LANGS {
            let o = own
                .iter()
                .find(|o| o.template == template && o.lang == lang);
            rows.push(TemplateRow {
                template: template.to_string(),
                lang: lang.to_string(),
                overridden: o.is_some(),
                updated_at: o.map(|o| o.updated_at.format("%Y-%m-%d %H:%M").to_string()),
            });
        }
    }
    Ok(rows)
}

/// The values of a sample case, in `lang`, for previews: every variable has one.
pub fn sample_context(lang: &str, public_url: &str) -> MailContext {
    let base = public_url.trim_end_matches('/');
    let pick = |ro: &str, ru: &str, en: &str| {
        match lang {
            "ru" => ru,
            "en" => en,
            _ => ro,
        }
        .to_string()
    };
    let mut ctx = MailContext::new();
    ctx.insert("registration_number", "CHI-2026-0000123".into());
    ctx.insert(
        "subject",
        pick(
            "Iluminatul stradal de pe strada Florilor nu funcționează",
            "Не работает уличное освещение на улице Florilor",
            "The street lights on Florilor street are out",
        ),
    );
    ctx.insert(
        "state",
        pick("În examinare", "На рассмотрении", "Under examination"),
    );
    ctx.insert("due", "28.12.2026".into());
    ctx.insert(
        "reason",
        pick(
            "Este necesară o verificare pe teren.",
            "Необходима проверка на месте.",
            "An on-site inspection is needed.",
        ),
    );
    ctx.insert(
        "answer",
        pick(
            "Iluminatul a fost reparat pe 20 noiembrie.",
            "Освещение отремонтировано 20 ноября.",
            "The lights were repaired on 20 November.",
        ),
    );
    ctx.insert("outcome", pick("admisă", "удовлетворена", "granted"));
    ctx.insert("link", format!("{base}/cazuri/123"));
    ctx.insert(
        "institution",
        pick(
            "Primăria municipiului Bălți",
            "Примэрия муниципия Бэлць",
            "Bălți City Hall",
        ),
    );
    ctx.insert("days", "30".into());
    ctx.insert("rate_link", format!("{base}/cazuri/123#evaluare"));
    ctx.insert("name", "Ion Popescu".into());
    ctx.insert("hours", "24".into());
    ctx.insert("date", "26.11.2026".into());
    ctx.insert(
        "new_cases",
        "CHI-2026-0000124 · Groapă în asfalt, str. Ismail".into(),
    );
    ctx.insert(
        "due_soon",
        "CHI-2026-0000101 · 30.11.2026 · Salubrizare".into(),
    );
    ctx.insert("overdue", String::new());
    ctx
}

/// `text` filled with the sample case's values (`lang`), checked first: the problems come back
/// as field errors, like a refused save.
pub async fn preview_as_admin<C: ConnectionTrait>(
    db: &C,
    principal: Option<&super::auth::Principal>,
    template: &str,
    lang: &str,
    text: &Text,
    public_url: &str,
) -> Result<TemplatePreview, AppError> {
    require_template_admin(db, principal).await?;
    if !names().any(|n| n == template) || !LANGS.contains(&lang) {
        return Err(AppError::NotFound);
    }
    check(text)?;
    let (subject, body) = render_text(text, &sample_context(lang, public_url)).map_err(|e| {
        AppError::field("body", format!("template_syntax:{}", e.line().unwrap_or(0)))
    })?;
    Ok(TemplatePreview { subject, body })
}

/// The HTML version of a mail's text: escaped, in paragraphs, its links clickable.
pub fn html(subject: &str, body: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let linked = |line: &str| -> String {
        line.split(' ')
            .map(|word| {
                if word.starts_with("https://") || word.starts_with("http://") {
                    let w = escape(word);
                    format!("<a href=\"{w}\">{w}</a>")
                } else {
                    escape(word)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let paragraphs: String = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(linked).collect();
            format!("<p>{}</p>\n", lines.join("<br>\n"))
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em\">\n{paragraphs}</body></html>\n",
        escape(subject)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_has_every_language_and_renders_with_known_variables_only() {
        let mut ctx = MailContext::new();
        for v in VARIABLES {
            ctx.insert(v, format!("<{v}>"));
        }
        for name in names() {
            for lang in LANGS {
                let text = default_text(name, lang);
                assert!(
                    !text.subject.is_empty() && !text.body.is_empty(),
                    "{name}.{lang}"
                );
                check(&text).unwrap_or_else(|e| panic!("{name}.{lang}: {e:?}"));
                let (subject, body) = render_text(&text, &ctx).unwrap();
                assert!(
                    !subject.contains("{{") && !body.contains("{{"),
                    "{name}.{lang}"
                );
            }
        }
    }

    #[test]
    fn every_template_a_workflow_may_name_has_its_own_text() {
        for name in crate::workflow::KNOWN_TEMPLATES {
            assert!(names().any(|n| n == *name), "{name} has no file");
        }
    }

    #[test]
    fn the_digest_leaves_out_the_sections_it_has_nothing_for() {
        let mut ctx = MailContext::new();
        ctx.insert("name", "Ana".into());
        ctx.insert("date", "24.11.2026".into());
        ctx.insert("new_cases", String::new());
        ctx.insert("due_soon", "- CHI-2026-000002".into());
        ctx.insert("overdue", String::new());
        let (subject, body) = render("staff_digest", "ro", &ctx);
        assert!(subject.contains("24.11.2026"), "{subject}");
        assert!(
            body.contains("Termen în următoarele zile:\n- CHI-2026-000002"),
            "{body}"
        );
        assert!(
            !body.contains("Termen depășit") && !body.contains("Ce s-a întâmplat"),
            "{body}"
        );
    }

    #[test]
    fn fills_values_and_keeps_the_subject_on_one_line() {
        let mut ctx = MailContext::new();
        ctx.insert("registration_number", "CHI-2026-000001".into());
        ctx.insert("subject", "Line one\nline two".into());
        let (subject, body) = render("case_registered", "ro", &ctx);
        assert_eq!(
            subject,
            "Petiția dumneavoastră a fost înregistrată: CHI-2026-000001"
        );
        assert!(body.contains("„Line one\nline two”"));
        let (subject, _) = render("case_registered", "en", &ctx);
        assert!(subject.starts_with("Your petition"));
        let (subject, _) = render("no_such_template", "xx", &ctx);
        assert_eq!(subject, "Cazul CHI-2026-000001: noutăți");
    }

    #[test]
    fn an_override_with_an_unknown_variable_or_bad_syntax_is_refused_by_line() {
        let bad = Text {
            subject: "Petiția {{ registration_number }}".into(),
            body: "Bună ziua,\n\n{{ petitioner_phone }}\n{% if %}".into(),
        };
        let e = check(&bad).unwrap_err();
        let fields = e.fields().unwrap();
        assert!(!fields.contains_key("subject"));
        assert!(
            fields["body"].iter().any(|c| c == "template_syntax:4"),
            "{fields:?}"
        );
        let unknown = Text {
            subject: "{{ registration_numbr }}".into(),
            body: "{{ link }}".into(),
        };
        let e = check(&unknown).unwrap_err();
        assert_eq!(
            e.fields().unwrap()["subject"],
            vec!["template_variable:registration_numbr".to_string()]
        );
    }

    #[test]
    fn the_html_version_escapes_and_links() {
        let h = html(
            "A <b>",
            "Hello <script>\n\nhttps://x.example/cazuri/1?a=1&b=2 now",
        );
        assert!(h.contains("<title>A &lt;b&gt;</title>"));
        assert!(h.contains("Hello &lt;script&gt;"));
        assert!(h.contains("<a href=\"https://x.example/cazuri/1?a=1&amp;b=2\">"));
    }
}
