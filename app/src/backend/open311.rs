//! Open311 GeoReport v2 (`/open311/v2`, <http://wiki.open311.org/GeoReport_v2>): the portal's
//! cases for reporting apps and other programs. The HTTP layer (`server/src/open311.rs`) only
//! parses and renders; everything the spec decides is here.
//!
//! - A **service** is an active category of the portal's institution; `service_code` is the
//!   category's code (`social-canteens`), stable across installations, unlike its id. A
//!   category's own questions are the service definition's attributes (`metadata` is `true`
//!   when it has some), answered in `attribute[code]` when filing
//!   ([`super::category_fields`]).
//! - A **service request** is a case; `service_request_id` is its registration number,
//!   `status` is `closed` once it was answered or closed (else `open`), `status_notes` the
//!   latest public note or a summary of the answer (never an internal note),
//!   `expected_datetime` the end of the answer term's last day (local time),
//!   `agency_responsible` the department examining it.
//! - **Privacy**: public reads list only the cases whose petitioner consented to publication,
//!   and show no text of the petitioner or the staff but the **published, redacted** version
//!   an officer confirmed ([`super::publication`]): `description` is its text,
//!   `status_notes` its answer, `address` its place, each removed piece shown as the
//!   reader's language's marker; `lat`, `long` and `address_id` only when the published place
//!   kept the address whole. A consented case not (yet) published shows its state, service,
//!   department and dates, and no text at all. A client reading with its `api_key` also sees
//!   the cases it filed itself, on the same terms.
//! - **Filing** (POST) needs an API key ([`super::api_clients`]) of the portal's institution
//!   and goes through the same checks and routing as the filing form
//!   ([`super::citizen_filing::prepare_for_client`]); the case is registered at once, so the
//!   answer carries both the spec's `token` and the `service_request_id`.
//!
//! Every answer is a [`Document`], rendered as JSON or XML; every failure a [`Failure`] in the
//! spec's error format with the matching HTTP status.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::AppConfig;
use super::api_clients;
use super::auth::one_time::hash;
use super::clock::{local_moment, time_zone};
use super::entity::{
    api_client, category, department, institution, open311_request, petition_case,
};
use super::portal::{home_institution, localized};
use super::{citizen_filing, filing, outbox};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::filing::{FilingInput, SUBJECT_MAX, SUBJECT_MIN};

/// When this implementation of the spec last changed (`changeset` of the discovery).
pub const CHANGESET: &str = "2026-11-26T00:00:00Z";
/// Without dates, a list covers the last this many days; with both, they may span no more.
pub const MAX_SPAN_DAYS: i64 = 90;
/// At most this many requests in one list (the newest first).
pub const MAX_RESULTS: u64 = 1000;
/// At most this many ids in `service_request_id`.
pub const MAX_IDS: usize = 200;
/// An answer in `status_notes` is cut to about this many characters.
pub const NOTES_MAX: usize = 500;

/// A piece of an answer: JSON and XML are both written from it.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Text(String),
    Int(i64),
    Number(f64),
    Bool(bool),
    /// A list; in XML each item is an element named by the first field.
    List(&'static str, Vec<Node>),
    /// Fields in the spec's order.
    Record(Vec<(&'static str, Node)>),
}

impl Node {
    fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    fn opt(s: Option<String>) -> Node {
        s.map_or(Node::Null, Node::Text)
    }

    fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Text(s) => Value::String(s.clone()),
            Node::Int(i) => Value::from(*i),
            Node::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Node::Bool(b) => Value::Bool(*b),
            Node::List(_, items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Record(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    fn write_xml(&self, name: &str, out: &mut String) {
        out.push('<');
        out.push_str(name);
        out.push('>');
        match self {
            Node::Null => {}
            Node::Text(s) => escape_into(s, out),
            Node::Int(i) => out.push_str(&i.to_string()),
            Node::Number(n) if n.is_finite() => out.push_str(&n.to_string()),
            Node::Number(_) => {}
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::List(item, items) => {
                for it in items {
                    it.write_xml(item, out);
                }
            }
            Node::Record(fields) => {
                for (k, v) in fields {
                    v.write_xml(k, out);
                }
            }
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
}

/// Escapes text for XML, dropping the characters XML 1.0 cannot carry at all (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF).
fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// An answer: its XML root element and its content.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: &'static str,
    pub body: Node,
}

impl Document {
    pub fn to_json(&self) -> String {
        self.body.to_json().to_string()
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        self.body.write_xml(self.root, &mut out);
        out
    }
}

/// An error in the spec's format: `[{"code", "description"}]` / `<errors><error>…`, with the
/// HTTP status equal to the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub description: String,
    pub retry_after_secs: Option<u64>,
}

impl Failure {
    pub fn new(status: u16, description: impl Into<String>) -> Failure {
        Failure {
            status,
            description: description.into(),
            retry_after_secs: None,
        }
    }

    fn bad(description: impl Into<String>) -> Failure {
        Failure::new(400, description)
    }

    fn not_found(description: impl Into<String>) -> Failure {
        Failure::new(404, description)
    }

    pub fn document(&self) -> Document {
        Document {
            root: "errors",
            body: Node::List(
                "error",
                vec![Node::Record(vec![
                    ("code", Node::Int(i64::from(self.status))),
                    ("description", Node::text(self.description.clone())),
                ])],
            ),
        }
    }
}

/// The portal's field names as the spec's.
fn spec_field(field: &str) -> String {
    match field {
        "subject" | "body" => "description".into(),
        "full_name" => "first_name/last_name".into(),
        "address" => "address_string".into(),
        "category_id" | "kind" | "department_id" | "service_id" => "service_code".into(),
        other => match other.strip_prefix("extra.") {
            // `extra.{code}` or (never from Open311) `extra.{category}.{code}`.
            Some(key) => format!("attribute[{}]", key.rsplit('.').next().unwrap_or(key)),
            None => other.into(),
        },
    }
}

fn spec_message(code: &str) -> String {
    // The category's questions' codes carry the question's label after a colon.
    let code = match code.split_once(':') {
        Some((c, _)) if c.starts_with("extra_") => c,
        _ => code,
    };
    match code {
        "extra_required" => "an answer is required".into(),
        "extra_number" => "not a number".into(),
        "extra_date" => "not a date (YYYY-MM-DD)".into(),
        "extra_choice" => "not one of the attribute's values".into(),
        "extra_length" => format!(
            "at most {} characters",
            crate::model::categories::ANSWER_MAX
        ),
        "extra_chars" => "control characters are not allowed".into(),
        "extra_unknown" => "the service has no such attribute".into(),
        "extra_too_many" => "too many attributes, or too long".into(),
        "anonymous_refused" => {
            "a name is required: anonymous petitions are not examined (MD Administrative Code art. 76, RO OG 27/2002 art. 7)".into()
        }
        "full_name_length" => "at most 200 characters".into(),
        "full_name_chars" => "one line, without control characters".into(),
        "body_length" => format!(
            "{} to {} characters",
            crate::model::filing::BODY_MIN,
            crate::model::filing::BODY_MAX
        ),
        "address_length" => format!("at most {} characters", crate::model::filing::ADDRESS_MAX),
        "email_invalid" => "not a valid e-mail address".into(),
        "choice_invalid" => "not a service of this portal".into(),
        "decision_number_required" | "decision_date_required" => {
            "this service contests a decision, which Open311 cannot name: file it on the portal".into()
        }
        other => other.to_string(),
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        match e {
            AppError::Validation { message, fields } => {
                let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (field, codes) in &fields {
                    let list = parts.entry(spec_field(field)).or_default();
                    for c in codes {
                        let m = spec_message(c);
                        if !list.contains(&m) {
                            list.push(m);
                        }
                    }
                }
                let description = if parts.is_empty() {
                    message
                } else {
                    parts
                        .into_iter()
                        .map(|(f, m)| format!("{f}: {}", m.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                Failure::bad(description)
            }
            AppError::NotFound => Failure::not_found("not found"),
            AppError::Forbidden | AppError::Unauthorized => Failure::new(403, "forbidden"),
            AppError::RateLimited { retry_after_secs } => Failure {
                status: 429,
                description: format!("too many requests; try again in {retry_after_secs} s"),
                retry_after_secs: Some(retry_after_secs),
            },
            AppError::PayloadTooLarge => Failure::new(413, "the request is too large"),
            AppError::BadRequest(m) => Failure::bad(m),
            AppError::Conflict(m) | AppError::TransitionNotAllowed(m) => Failure::new(409, m),
            AppError::Unavailable => Failure::new(503, "the service is temporarily unavailable"),
            AppError::Internal => {
                Failure::new(500, "An unexpected error happened; it has been logged.")
            }
        }
    }
}

impl From<sea_orm::DbErr> for Failure {
    fn from(e: sea_orm::DbErr) -> Failure {
        AppError::from(e).into()
    }
}

/// The parameters of a request (query and form fields, in order).
pub type Params = [(String, String)];

/// The `attribute[code]` parameters of the service's attributes `asked`, by code (the first
/// of each). Others are left aside, as the spec's clients send what other cities ask too.
fn attributes(params: &Params, asked: &[String]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, v) in params {
        if let Some(code) = k
            .strip_prefix("attribute[")
            .and_then(|r| r.strip_suffix(']'))
            && asked.iter().any(|a| a == code)
        {
            out.entry(code.to_string())
                .or_insert_with(|| v.trim().to_string());
        }
    }
    out
}

/// The first non-blank value of `name`, trimmed.
fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .find(|v| !v.is_empty())
}

fn stamp(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn end_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let last = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
    local_moment(date, last, tz)
}

/// A `start_date`/`end_date`: an RFC 3339 moment (a `+` of the offset that arrived as a space,
/// unencoded in a query string, is taken back), or a date (its start, or for the end its last
/// second, local time).
fn parse_when(s: &str, end: bool, tz: Tz) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if s.contains(' ')
        && let Ok(t) = DateTime::parse_from_rfc3339(&s.replace(' ', "+"))
    {
        return Some(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(if end {
        end_of_day(date, tz)
    } else {
        local_moment(date, NaiveTime::MIN, tz)
    })
}

/// `text` cut to about `max` characters at a word boundary, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => head[..i].trim_end().to_string(),
        _ => head,
    };
    format!("{head}…")
}

/// The subject of a filed request: the description's first line (cut to 100 characters), or
/// the service's name when that is too short.
fn subject_from(description: &str, service_name: &str) -> String {
    let first = description.trim().lines().next().unwrap_or("").trim();
    let subject = cut(first, 100);
    if (subject.chars().count() as u64) < SUBJECT_MIN {
        service_name.chars().take(SUBJECT_MAX as usize).collect()
    } else {
        subject
    }
}

/// `true`/`false` as a form says it (`1`, `yes`, `on` …).
fn flag(params: &Params, name: &str) -> Result<bool, Failure> {
    match param(params, name).map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0" | "no" | "off") => Ok(false),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some(_) => Err(Failure::bad(format!("{name}: true or false"))),
    }
}

/// The client of the request's `api_key`, when one is given; a given key that is unknown or
/// revoked is refused.
async fn optional_client(
    db: &DatabaseConnection,
    params: &Params,
    now: DateTime<Utc>,
) -> Result<Option<api_client::Model>, Failure> {
    match param(params, "api_key") {
        None => Ok(None),
        Some(key) => match api_clients::authenticate(db, key, now).await? {
            Some(c) => Ok(Some(c)),
            None => Err(Failure::new(
                403,
                "api_key is not valid (unknown or revoked)",
            )),
        },
    }
}

/// The cases a reader sees: those whose petitioner consented to publication, and a client's
/// own filings.
fn visible(institution_id: i64, client: Option<&api_client::Model>) -> Condition {
    let mut who = Condition::any().add(petition_case::Column::ConsentPublish.eq(true));
    if let Some(c) = client {
        who = who.add(
            petition_case::Column::Id.in_subquery(
                Query::select()
                    .column(open311_request::Column::CaseId)
                    .from(open311_request::Entity)
                    .and_where(open311_request::Column::ApiClientId.eq(c.id))
                    .to_owned(),
            ),
        );
    }
    Condition::all()
        .add(petition_case::Column::InstitutionId.eq(institution_id))
        .add(who)
}

/// `GET discovery`: where the endpoint is and how to get a key.
pub async fn discovery(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    lang: Lang,
) -> Result<Document, Failure> {
    let inst = home_institution(db).await?;
    let name = localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en);
    let contact = [Some(name), inst.email.as_deref(), inst.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Document {
        root: "discovery",
        body: Node::Record(vec![
            ("changeset", Node::text(CHANGESET)),
            ("contact", Node::text(contact)),
            (
                "key_service",
                Node::text(format!(
                    "An administrator of {name} issues API keys (POST {}/api/v1/admin/api-clients).",
                    cfg.public_url.trim_end_matches('/')
                )),
            ),
            (
                "endpoints",
                Node::List(
                    "endpoint",
                    vec![Node::Record(vec![
                        (
                            "specification",
                            Node::text("http://wiki.open311.org/GeoReport_v2"),
                        ),
                        (
                            "url",
                            Node::text(format!(
                                "{}/open311/v2",
                                cfg.public_url.trim_end_matches('/')
                            )),
                        ),
                        ("changeset", Node::text(CHANGESET)),
                        ("type", Node::text("production")),
                        (
                            "formats",
                            Node::List(
                                "format",
                                vec![Node::text("text/xml"), Node::text("application/json")],
                            ),
                        ),
                    ])],
                ),
            ),
        ]),
    })
}

async fn categories(
    db: &DatabaseConnection,
    institution_id: i64,
) -> Result<Vec<category::Model>, Failure> {
    Ok(category::Entity::find()
        .filter(category::Column::InstitutionId.eq(institution_id))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?)
}

/// `GET services`: the active categories of the portal's institution.
pub async fn services(db: &DatabaseConnection, lang: Lang) -> Result<Document, Failure> {
    let inst = home_institution(db).await?;
    let active: Vec<category::Model> = categories(db, inst.id)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .collect();
    let ids: Vec<i64> = active.iter().map(|c| c.id).collect();
    let asking = super::category_fields::fields_by_category(db, &ids).await?;
    let items = active
        .into_iter()
        .map(|c| {
            let name = localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string();
            Node::Record(vec![
                ("service_code", Node::text(c.code.clone())),
                ("service_name", Node::text(name.clone())),
                ("description", Node::text(name)),
                // The category's own questions: its definition lists them.
                ("metadata", Node::Bool(asking.contains_key(&c.id))),
                ("type", Node::text("realtime")),
                ("keywords", Node::text(c.code)),
                ("group", Node::text(c.case_kind)),
            ])
        })
        .collect();
    Ok(Document {
        root: "services",
        body: Node::List("service", items),
    })
}

async fn active_service(
    db: &DatabaseConnection,
    institution_id: i64,
    code: &str,
) -> Result<category::Model, Failure> {
    category::Entity::find()
        .filter(category::Column::InstitutionId.eq(institution_id))
        .filter(category::Column::Code.eq(code))
        .filter(category::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| Failure::not_found(format!("service_code {code}: no such service")))
}

/// One of a category's questions as the spec's attribute, named in `lang`.
fn attribute(f: &super::entity::category_field::Model, order: usize, lang: Lang) -> Node {
    let view = super::category_fields::view(f, lang);
    let (datatype, values, note) = match f.field_type.as_str() {
        "number" => ("number", Vec::new(), "a number; a decimal comma or point"),
        "date" => ("datetime", Vec::new(), "a date: YYYY-MM-DD"),
        "choice" => (
            "singlevaluelist",
            view.options.clone(),
            "one of the values' keys",
        ),
        "yes_no" => {
            let t = lang.categories();
            (
                "singlevaluelist",
                vec![("true".into(), t.yes.into()), ("false".into(), t.no.into())],
                "true or false",
            )
        }
        _ => ("string", Vec::new(), "text, at most 1000 characters"),
    };
    Node::Record(vec![
        ("variable", Node::Bool(true)),
        ("code", Node::text(f.code.clone())),
        ("datatype", Node::text(datatype)),
        ("required", Node::Bool(f.required)),
        ("datatype_description", Node::text(note)),
        ("order", Node::Int(order as i64 + 1)),
        ("description", Node::text(view.label)),
        (
            "values",
            Node::List(
                "value",
                values
                    .into_iter()
                    .map(|(key, name)| {
                        Node::Record(vec![("key", Node::text(key)), ("name", Node::text(name))])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// `GET services/{code}`: the service definition: the category's own questions as
/// attributes, in their order, named in `lang`.
pub async fn service_definition(
    db: &DatabaseConnection,
    code: &str,
    lang: Lang,
) -> Result<Document, Failure> {
    let inst = home_institution(db).await?;
    let c = active_service(db, inst.id, code).await?;
    let attributes = super::category_fields::fields_of(db, c.id)
        .await?
        .iter()
        .enumerate()
        .map(|(i, f)| attribute(f, i, lang))
        .collect();
    Ok(Document {
        root: "service_definition",
        body: Node::Record(vec![
            ("service_code", Node::text(c.code)),
            ("attributes", Node::List("attribute", attributes)),
        ]),
    })
}

/// The requests as the spec shows them, in the order of `cases`.
async fn request_nodes(
    db: &DatabaseConnection,
    inst: &institution::Model,
    cases: Vec<petition_case::Model>,
    lang: Lang,
) -> Result<Vec<Node>, Failure> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let tz = time_zone(&inst.timezone);
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let consented: Vec<i64> = cases
        .iter()
        .filter(|c| c.consent_publish)
        .map(|c| c.id)
        .collect();
    let departments: BTreeMap<i64, String> = department::Entity::find()
        .filter(department::Column::InstitutionId.eq(inst.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            let name = localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string();
            (d.id, name)
        })
        .collect();
    let services: BTreeMap<i64, category::Model> = categories(db, inst.id)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let filed: BTreeMap<i64, open311_request::Model> = open311_request::Entity::find()
        .filter(open311_request::Column::CaseId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.case_id, r))
        .collect();
    // The texts the public reads: the published, redacted version only.
    let published = super::publication::of_cases(db, &consented).await?;
    Ok(cases
        .into_iter()
        .map(|c| {
            let service = c.category_id.and_then(|id| services.get(&id));
            let publication = published.get(&c.id);
            let public = |text: Option<&str>| -> Node {
                text.map_or(Node::Null, |t| {
                    Node::text(super::publication::render(t, lang))
                })
            };
            // The location, when the published place kept the address whole.
            let located = publication
                .and_then(|p| p.address.as_deref())
                .is_some_and(|a| !a.contains(super::publication::TOKEN));
            let row = filed.get(&c.id).filter(|_| located);
            let closed = c.answered_at.is_some() || c.closed_at.is_some();
            Node::Record(vec![
                (
                    "service_request_id",
                    Node::text(c.registration_number.clone()),
                ),
                ("status", Node::text(if closed { "closed" } else { "open" })),
                (
                    "status_notes",
                    public(
                        publication
                            .and_then(|p| p.answer.as_deref())
                            .map(|a| cut(a, NOTES_MAX))
                            .as_deref(),
                    ),
                ),
                (
                    "service_name",
                    Node::opt(
                        service.map(|s| {
                            localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string()
                        }),
                    ),
                ),
                ("service_code", Node::opt(service.map(|s| s.code.clone()))),
                ("description", public(publication.map(|p| p.body.as_str()))),
                (
                    "agency_responsible",
                    Node::opt(c.department_id.and_then(|d| departments.get(&d).cloned())),
                ),
                ("service_notice", Node::Null),
                ("requested_datetime", Node::text(stamp(c.filed_at, tz))),
                ("updated_datetime", Node::text(stamp(c.updated_at, tz))),
                (
                    "expected_datetime",
                    Node::opt(c.answer_due.map(|d| stamp(end_of_day(d, tz), tz))),
                ),
                (
                    "address",
                    public(publication.and_then(|p| p.address.as_deref())),
                ),
                (
                    "address_id",
                    Node::opt(row.and_then(|r| r.address_id.clone())),
                ),
                ("zipcode", Node::Null),
                (
                    "lat",
                    row.and_then(|r| r.lat).map_or(Node::Null, Node::Number),
                ),
                (
                    "long",
                    row.and_then(|r| r.long).map_or(Node::Null, Node::Number),
                ),
                ("media_url", Node::Null),
            ])
        })
        .collect())
}

fn requests_document(items: Vec<Node>) -> Document {
    Document {
        root: "service_requests",
        body: Node::List("request", items),
    }
}

/// `GET requests` with the spec's filters: `service_request_id` (a comma list; the other
/// filters are then ignored), `service_code` (a comma list), `start_date`, `end_date`
/// (`requested_datetime` between them, at most [`MAX_SPAN_DAYS`] apart; without dates, the
/// last [`MAX_SPAN_DAYS`] days) and `status` (`open`, `closed`, or both). At most
/// [`MAX_RESULTS`], the newest first.
pub async fn list_requests(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    params: &Params,
    lang: Lang,
) -> Result<Document, Failure> {
    let now = cfg.clock.now();
    let client = optional_client(db, params, now).await?;
    let inst = home_institution(db).await?;
    let tz = time_zone(&inst.timezone);
    let mut q = petition_case::Entity::find().filter(visible(inst.id, client.as_ref()));
    if let Some(ids) = param(params, "service_request_id") {
        let ids: Vec<&str> = ids
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if ids.len() > MAX_IDS {
            return Err(Failure::bad(format!(
                "service_request_id: at most {MAX_IDS} ids"
            )));
        }
        q = q.filter(petition_case::Column::RegistrationNumber.is_in(ids));
    } else {
        if let Some(codes) = param(params, "service_code") {
            let all = categories(db, inst.id).await?;
            let mut ids = Vec::new();
            for code in codes.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let c = all.iter().find(|c| c.code == code).ok_or_else(|| {
                    Failure::not_found(format!("service_code {code}: no such service"))
                })?;
                ids.push(c.id);
            }
            q = q.filter(petition_case::Column::CategoryId.is_in(ids));
        }
        let when = |name: &str, end: bool| -> Result<Option<DateTime<Utc>>, Failure> {
            param(params, name)
                .map(|s| {
                    parse_when(s, end, tz).ok_or_else(|| {
                        Failure::bad(format!(
                            "{name}: not a date and time (RFC 3339, e.g. 2026-11-26T09:30:00+02:00, or a date 2026-11-26)"
                        ))
                    })
                })
                .transpose()
        };
        let span = Duration::days(MAX_SPAN_DAYS);
        let (start, end) = match (when("start_date", false)?, when("end_date", true)?) {
            (None, None) => (now - span, now),
            (Some(s), None) => (s, s + span),
            (None, Some(e)) => (e - span, e),
            (Some(s), Some(e)) => {
                if s > e {
                    return Err(Failure::bad("start_date is after end_date"));
                }
                if e - s > span {
                    return Err(Failure::bad(format!(
                        "start_date and end_date may be at most {MAX_SPAN_DAYS} days apart"
                    )));
                }
                (s, e)
            }
        };
        q = q
            .filter(petition_case::Column::FiledAt.gte(start))
            .filter(petition_case::Column::FiledAt.lte(end));
        if let Some(status) = param(params, "status") {
            let mut open = false;
            let mut closed = false;
            for s in status.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match s.to_ascii_lowercase().as_str() {
                    "open" => open = true,
                    "closed" => closed = true,
                    _ => return Err(Failure::bad("status: open or closed")),
                }
            }
            let is_open = Condition::all()
                .add(petition_case::Column::AnsweredAt.is_null())
                .add(petition_case::Column::ClosedAt.is_null());
            match (open, closed) {
                (true, false) => q = q.filter(is_open),
                (false, true) => q = q.filter(is_open.not()),
                _ => {}
            }
        }
    }
    let cases = q
        .order_by_desc(petition_case::Column::FiledAt)
        .order_by_desc(petition_case::Column::Id)
        .limit(MAX_RESULTS)
        .all(db)
        .await?;
    Ok(requests_document(
        request_nodes(db, &inst, cases, lang).await?,
    ))
}

/// `GET requests/{id}`: one request (a list of one, as the spec has it); a case the reader
/// may not see answers 404 like a missing one.
pub async fn get_request(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    id: &str,
    params: &Params,
    lang: Lang,
) -> Result<Document, Failure> {
    let client = optional_client(db, params, cfg.clock.now()).await?;
    let inst = home_institution(db).await?;
    let case = petition_case::Entity::find()
        .filter(visible(inst.id, client.as_ref()))
        .filter(petition_case::Column::RegistrationNumber.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| Failure::not_found(format!("service_request_id {id}: no such request")))?;
    Ok(requests_document(
        request_nodes(db, &inst, vec![case], lang).await?,
    ))
}

/// `GET tokens/{token}`: the request a POST's token stands for.
pub async fn token(db: &DatabaseConnection, token: &str) -> Result<Document, Failure> {
    let missing = || Failure::not_found("no request has this token");
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(missing());
    }
    let row = open311_request::Entity::find()
        .filter(open311_request::Column::TokenHash.eq(hash(&token.to_ascii_lowercase())))
        .one(db)
        .await?
        .ok_or_else(missing)?;
    let case = petition_case::Entity::find_by_id(row.case_id)
        .one(db)
        .await?
        .ok_or_else(missing)?;
    Ok(requests_document(vec![Node::Record(vec![
        ("service_request_id", Node::text(case.registration_number)),
        ("token", Node::text(token.to_ascii_lowercase())),
    ])]))
}

/// The location of a POST: `lat` and `long`, `address_string` or `address_id` (at least one).
struct Location {
    coords: Option<(f64, f64)>,
    address: Option<String>,
    address_id: Option<String>,
}

fn location(params: &Params) -> Result<Location, Failure> {
    let coord = |name: &str, limit: f64| -> Result<Option<f64>, Failure> {
        param(params, name)
            .map(|s| {
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && v.abs() <= limit)
                    .ok_or_else(|| {
                        Failure::bad(format!(
                            "{name}: a number of degrees from -{limit} to {limit}"
                        ))
                    })
            })
            .transpose()
    };
    let coords = match (coord("lat", 90.0)?, coord("long", 180.0)?) {
        (Some(lat), Some(long)) => Some((lat, long)),
        (None, None) => None,
        _ => return Err(Failure::bad("lat and long: give both or neither")),
    };
    let address_id = param(params, "address_id").map(str::to_string);
    if address_id.as_ref().is_some_and(|a| a.chars().count() > 64) {
        return Err(Failure::bad("address_id: at most 64 characters"));
    }
    let address = param(params, "address_string")
        .map(str::to_string)
        .or_else(|| coords.map(|(lat, long)| format!("{lat:.6}, {long:.6}")))
        .or_else(|| address_id.as_ref().map(|id| format!("address_id {id}")));
    if address.is_none() {
        return Err(Failure::bad(
            "a location is required: lat and long, address_string or address_id",
        ));
    }
    Ok(Location {
        coords,
        address,
        address_id,
    })
}

fn notice(lang: Lang, number: &str, due: Option<NaiveDate>) -> String {
    let due = due.map(|d| d.format("%d.%m.%Y").to_string());
    match (lang, due) {
        (Lang::Ro, Some(d)) => format!("Înregistrată cu nr. {number}; termenul de răspuns: {d}."),
        (Lang::Ro, None) => format!("Înregistrată cu nr. {number}."),
        (Lang::Ru, Some(d)) => format!("Зарегистрирована под № {number}; срок ответа: {d}."),
        (Lang::Ru, None) => format!("Зарегистрирована под № {number}."),
        (Lang::En, Some(d)) => format!("Registered as {number}; the answer is due by {d}."),
        (Lang::En, None) => format!("Registered as {number}."),
    }
}

/// `POST requests` (form fields): files a case for the petitioner the client names and
/// registers it at once. Fields: `api_key` (required), `service_code`, `description`, a
/// location (`lat` and `long`, `address_string` or `address_id`), `first_name`, `last_name`
/// (a name is required), `email` (the receipt and the answer are mailed there), and the
/// portal's own `consent_publish` (`true`: the petitioner agrees to the publication of the
/// case without their name and contact; default `false`). `phone`, `device_id`,
/// `account_id` and `media_url` are accepted and not kept. `attribute[code]` answers the
/// service's attributes (its category's own questions), checked as the filing form checks
/// them; attributes the service does not define are left aside.
pub async fn create_request(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    params: &Params,
    lang: Lang,
) -> Result<Document, Failure> {
    let now = cfg.clock.now();
    let key = param(params, "api_key").ok_or_else(|| Failure::new(403, "api_key is required"))?;
    let client = api_clients::authenticate(db, key, now)
        .await?
        .ok_or_else(|| Failure::new(403, "api_key is not valid (unknown or revoked)"))?;
    let inst = home_institution(db).await?;
    if client.institution_id != inst.id {
        return Err(Failure::new(
            403,
            "this api_key is of a client of another institution",
        ));
    }
    let code =
        param(params, "service_code").ok_or_else(|| Failure::bad("service_code is required"))?;
    let service = active_service(db, inst.id, code).await?;
    let description =
        param(params, "description").ok_or_else(|| Failure::bad("description is required"))?;
    let place = location(params)?;
    let consent_publish = flag(params, "consent_publish")?;
    let full_name = [param(params, "first_name"), param(params, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let service_name = localized(lang, &service.name_ro, &service.name_ru, &service.name_en);
    let asked: Vec<String> = super::category_fields::fields_of(db, service.id)
        .await?
        .into_iter()
        .map(|f| f.code)
        .collect();
    let input = FilingInput {
        kind: service.case_kind.clone(),
        category_id: Some(service.id.to_string()),
        subject: subject_from(description, service_name),
        body: description.to_string(),
        address: place.address,
        consent_publish: consent_publish.then(|| "on".to_string()),
        full_name: Some(full_name),
        email: param(params, "email").map(str::to_string),
        extra: attributes(params, &asked),
        ..Default::default()
    };
    let new = citizen_filing::prepare_for_client(db, cfg, client.id, input, lang).await?;
    let token: String = rand::random::<[u8; 32]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let txn = db.begin().await?;
    let case = filing::file_case_in(&txn, new, now, &cfg.public_url).await?;
    open311_request::ActiveModel {
        case_id: Set(case.id),
        api_client_id: Set(Some(client.id)),
        token_hash: Set(hash(&token)),
        lat: Set(place.coords.map(|c| c.0)),
        long: Set(place.coords.map(|c| c.1)),
        address_id: Set(place.address_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(case_id = case.id, number = %case.registration_number, client = client.id, "case filed through Open311");
    Ok(requests_document(vec![Node::Record(vec![
        ("token", Node::text(token)),
        (
            "service_request_id",
            Node::text(case.registration_number.clone()),
        ),
        (
            "service_notice",
            Node::text(notice(lang, &case.registration_number, case.answer_due)),
        ),
        ("account_id", Node::Null),
    ])]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_carry() {
        let doc = Document {
            root: "errors",
            body: Node::List(
                "error",
                vec![Node::Record(vec![
                    ("code", Node::Int(400)),
                    ("description", Node::text("a<b & \"c\" 'd'\u{1}>")),
                ])],
            ),
        };
        assert_eq!(
            doc.to_xml(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error><code>400</code><description>a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;</description></error></errors>"
        );
        assert_eq!(
            doc.to_json(),
            r#"[{"code":400,"description":"a<b & \"c\" 'd'\u0001>"}]"#
        );
    }

    #[test]
    fn dates_are_rfc3339_or_plain_dates_in_local_time() {
        let tz = time_zone("Europe/Chisinau");
        let t = parse_when("2026-11-26T09:30:00+02:00", false, tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-26T07:30:00+00:00");
        // The `+` of a query string decoded as a space.
        assert_eq!(parse_when("2026-11-26T09:30:00 02:00", false, tz), Some(t));
        let start = parse_when("2026-11-26", false, tz).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-11-25T22:00:00+00:00");
        let end = parse_when("2026-11-26", true, tz).unwrap();
        assert_eq!(end.to_rfc3339(), "2026-11-26T21:59:59+00:00");
        assert_eq!(parse_when("26.11.2026", false, tz), None);
        assert_eq!(parse_when("yesterday", true, tz), None);
    }

    #[test]
    fn a_subject_is_the_first_line_or_the_service() {
        assert_eq!(
            subject_from("Groapă în asfalt\nde două luni", "Drumuri"),
            "Groapă în asfalt"
        );
        assert_eq!(
            subject_from("Gol\nmai mult text aici", "Drumuri"),
            "Drumuri"
        );
        let long = "cuvânt ".repeat(40);
        let s = subject_from(&long, "Drumuri");
        assert!(s.chars().count() <= 101 && s.ends_with('…'), "{s}");
    }

    #[test]
    fn portal_fields_are_named_as_the_spec_names_them() {
        let mut fields = crate::model::FieldErrors::new();
        fields.insert("body".into(), vec!["body_length".into()]);
        fields.insert("full_name".into(), vec!["anonymous_refused".into()]);
        let f = Failure::from(AppError::Validation {
            message: "validation failed".into(),
            fields,
        });
        assert_eq!(f.status, 400);
        assert!(
            f.description.starts_with(
                "description: 20 to 10000 characters; first_name/last_name: a name is required"
            ),
            "{}",
            f.description
        );
    }
}
