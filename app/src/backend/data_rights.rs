//! Data-subject rights (GDPR; Moldova's Law 195/2024): a citizen downloads everything held
//! about them ([`export`]), and asks for their data to be rectified or erased
//! ([`file_request`]): a case of its own kind (`data_rectification`, `data_erasure`) following
//! the `*-data-request` workflow, one month to answer on the calendar, extendable by two.
//!
//! Staff answer it with [`answer`]: the data are changed (rectification: name, e-mail and postal
//! address in the account and in the petitioner's files at the institution) or anonymised
//! (erasure: the account, and the files whose retention period ended, see
//! [`super::retention`]) **in the transaction of the answer's workflow step**, with an audit
//! record naming what changed (never the values). Erasure is refused while a file of the
//! petitioner must still be kept (open, or closed less than its retention period ago); the
//! refusal's legal reason names those files and is mailed like every answer. The three answers
//! are reserved to this module ([`SERVICE_ONLY`]): the generic transition forms do not offer
//! them, so the data cannot be declared changed without being changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Seek, Write};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::{Value, json};
use validator::ValidateEmail;

use super::AppConfig;
use super::attachments::Store;
use super::audit;
use super::auth::access::require_account;
use super::auth::accounts::normalize_email;
use super::auth::{ClientInfo, Principal, rate_limit, visible_case};
use super::case_actions::roles_for;
use super::clock::{local_date, time_zone};
use super::entity::{
    attachment, auth_token, case_event, institution, mail_outbox, petition_case as pc, user,
    user_role, user_session,
};
use super::retention::{self, MARKER, Why};
use super::transitions::{self, Request};
use crate::i18n::Lang;
use crate::model::data_rights::*;
use crate::model::{AppError, FieldErrors};
use crate::workflow::{Actor, Event, Outcome, Role, TransitionInput, available_transitions};

/// The workflow steps only [`answer`] fires (it changes the data with them).
pub const SERVICE_ONLY: [&str; 3] = ["data_rectify", "data_erase", "data_refuse"];

/// The audit actions of this module.
pub mod action {
    pub const EXPORT: &str = "data.export";
    pub const RECTIFY: &str = "data.rectify";
    pub const ERASE: &str = "data.erase";
}

// ---------------------------------------------------------------------------------------------
// Export

/// A finished export: an unnamed temporary file (gone once closed), rewound.
pub struct Export {
    pub file: std::fs::File,
    pub size: u64,
    pub file_name: String,
}

type Zip = zip::ZipWriter<std::fs::File>;

fn zip_error(e: impl std::fmt::Display) -> AppError {
    super::error::internal("writing a data export", e)
}

/// Runs `f` on the archive on a blocking thread (the archive is a file), and gives it back.
async fn with_zip<F>(zip: Zip, f: F) -> Result<Zip, AppError>
where
    F: FnOnce(&mut Zip) -> Result<(), AppError> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let mut zip = zip;
        f(&mut zip).map(|()| zip)
    })
    .await
    .map_err(zip_error)?
}

fn options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

/// Writes one entry holding `bytes`.
async fn put(zip: Zip, name: String, bytes: Vec<u8>) -> Result<Zip, AppError> {
    with_zip(zip, move |z| {
        z.start_file(name, options()).map_err(zip_error)?;
        z.write_all(&bytes).map_err(zip_error)
    })
    .await
}

fn pretty(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).unwrap_or_default()
}

/// A name safe as a path inside the archive.
fn safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    match s.trim_start_matches('.') {
        "" => "_".into(),
        t => t.to_string(),
    }
}

/// Where a stored attachment is (the key checked as the store checks it).
fn stored_path(store: &Store, key: &str) -> Option<std::path::PathBuf> {
    let ok = key
        .split('/')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    ok.then(|| store.dir.join(key))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The cases held about `user`, not anonymised: those it filed, and, once it proved it owns its
/// address, those filed with that address (registered on its behalf). An unverified address
/// proves nothing: whoever signs up with someone else's address must not get their files.
fn held_about(user: &user::Model) -> Condition {
    let mut whose = Condition::any().add(pc::Column::PetitionerId.eq(user.id));
    if user.email_verified_at.is_some() {
        whose = whose.add(pc::Column::PetitionerEmail.eq(user.email.as_str()));
    }
    Condition::all()
        .add(pc::Column::AnonymisedAt.is_null())
        .add(whose)
}

/// Cases read at a time while exporting, and mails.
const EXPORT_PAGE: u64 = 50;
const MAIL_PAGE: u64 = 200;

/// Everything held about the signed-in user, as one zip written to a temporary file: the
/// account, its sessions, each case it filed (with the steps and files the petitioner sees),
/// the mails sent to it, its ratings. Memory stays bounded: cases and mails are read a page at
/// a time and files are copied from the store in chunks. Recorded in the audit trail.
pub async fn export(
    db: &DatabaseConnection,
    store: &Store,
    principal: Option<&Principal>,
    now: DateTime<Utc>,
) -> Result<Export, AppError> {
    let account = require_account(principal)?;
    let me = user::Entity::find_by_id(account.user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let lang = Lang::parse(&me.locale).unwrap_or_default();
    let file = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(zip_error)?
        .map_err(zip_error)?;
    let mut zip = zip::ZipWriter::new(file);

    let roles: Vec<Value> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(me.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| json!({"role": r.role, "institution_id": r.institution_id, "department_id": r.department_id}))
        .collect();
    let account_json = json!({
        "id": me.id,
        "email": me.email,
        "full_name": me.full_name,
        "locale": me.locale,
        "active": me.active,
        "email_verified_at": me.email_verified_at.map(rfc3339),
        "created_at": rfc3339(me.created_at),
        "roles": roles,
    });
    zip = put(zip, "account.json".into(), pretty(&account_json)).await?;

    let sessions: Vec<Value> = user_session::Entity::find()
        .filter(user_session::Column::UserId.eq(me.id))
        .order_by_asc(user_session::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "current": s.id == account.session_id,
                "created_at": rfc3339(s.created_at),
                "last_seen_at": rfc3339(s.last_seen_at),
                "expires_at": rfc3339(s.expires_at),
                "revoked_at": s.revoked_at.map(rfc3339),
                "user_agent": s.user_agent,
                "ip": s.ip,
            })
        })
        .collect();
    zip = put(zip, "sessions.json".into(), pretty(&Value::Array(sessions))).await?;

    let mut institutions: HashMap<i64, String> = HashMap::new();
    // The mails sent to its address (to its files' addresses below), once the address is its.
    let mut addresses: BTreeSet<String> = BTreeSet::new();
    if me.email_verified_at.is_some() {
        addresses.insert(me.email.clone());
    }
    let mut numbers: BTreeMap<i64, String> = BTreeMap::new();
    let mut ratings = Vec::new();
    let (mut case_count, mut file_count) = (0u64, 0u64);
    let mut after = 0i64;
    loop {
        let page = pc::Entity::find()
            .filter(held_about(&me))
            .filter(pc::Column::Id.gt(after))
            .order_by_asc(pc::Column::Id)
            .limit(EXPORT_PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last().map(|c| c.id) else {
            break;
        };
        after = last;
        for case in page {
            case_count += 1;
            if let Some(e) = &case.petitioner_email {
                addresses.insert(e.clone());
            }
            numbers.insert(case.id, case.registration_number.clone());
            if !institutions.contains_key(&case.institution_id)
                && let Some(i) = institution::Entity::find_by_id(case.institution_id)
                    .one(db)
                    .await?
            {
                let name = super::portal::localized(lang, &i.name_ro, &i.name_ru, &i.name_en);
                institutions.insert(i.id, name.to_string());
            }
            let def =
                super::definitions::get(db, &case.workflow_name, case.workflow_version).await?;
            let events = case_event::Entity::find()
                .filter(case_event::Column::CaseId.eq(case.id))
                .filter(case_event::Column::Public.eq(true))
                .order_by_asc(case_event::Column::At)
                .order_by_asc(case_event::Column::Id)
                .all(db)
                .await?;
            let public: Vec<i64> = events.iter().map(|e| e.id).collect();
            let text = |e: &case_event::Model, k: &str| {
                e.data
                    .as_ref()
                    .and_then(|d| d.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let history: Vec<Value> = events
                .iter()
                .map(|e| {
                    json!({
                        "at": rfc3339(e.at),
                        "step": e.transition,
                        "from": e.from_state,
                        "to": e.to_state,
                        "to_label": def.state_label(&e.to_state, lang.code()),
                        "actor_role": e.actor_role,
                        "note": e.note,
                        "reason": text(e, "reason"),
                        "answer": text(e, "answer"),
                        "outcome": text(e, "outcome"),
                    })
                })
                .collect();
            let files: Vec<attachment::Model> = attachment::Entity::find()
                .filter(attachment::Column::CaseId.eq(case.id))
                .order_by_asc(attachment::Column::Id)
                .all(db)
                .await?
                .into_iter()
                // A file that came with an internal step is as internal as the step.
                .filter(|a| a.event_id.is_none_or(|e| public.contains(&e)))
                .collect();
            let folder = format!("attachments/{}", safe(&case.registration_number));
            let listed: Vec<Value> = files
                .iter()
                .map(|a| {
                    json!({
                        "id": a.id,
                        "name": a.file_name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "step_at": a.event_id.and_then(|id| events.iter().find(|e| e.id == id)).map(|e| rfc3339(e.at)),
                        "file": format!("{folder}/{}-{}", a.id, safe(&a.file_name)),
                    })
                })
                .collect();
            let years = retention::years_for(db, case.institution_id, &case.kind).await?;
            let case_json = json!({
                "id": case.id,
                "registration_number": case.registration_number,
                "kind": case.kind,
                "status": case.status,
                "status_label": def.state_label(&case.status, lang.code()),
                "institution": institutions.get(&case.institution_id),
                "channel": case.channel,
                "petitioner": {
                    "name": case.petitioner_name,
                    "email": case.petitioner_email,
                    "postal_address": case.petitioner_address,
                },
                "subject": case.subject,
                "body": case.body,
                "address": case.address,
                "extra_fields": case.extra_fields,
                "decision": {"number": case.decision_number, "date": case.decision_date},
                "consent_publish": case.consent_publish,
                "filed_at": rfc3339(case.filed_at),
                "answer_due": case.answer_due,
                "answered_at": case.answered_at.map(rfc3339),
                "closed_at": case.closed_at.map(rfc3339),
                "outcome": case.outcome,
                "rating": case.rating,
                "rating_comment": case.rating_comment,
                "retention": {
                    "years_after_closing": years,
                    "kept_until": case.closed_at.map(|c| retention::kept_until(c, years)),
                },
                "history": history,
                "attachments": listed,
            });
            zip = put(
                zip,
                format!("cases/{}.json", safe(&case.registration_number)),
                pretty(&case_json),
            )
            .await?;
            if let Some(score) = case.rating {
                ratings.push(json!({
                    "registration_number": case.registration_number,
                    "rating": score,
                    "comment": case.rating_comment,
                    "rated_at": case.rated_at.map(rfc3339),
                }));
            }
            for a in files {
                let Some(path) = stored_path(store, &a.storage_key) else {
                    continue;
                };
                if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    tracing::error!(path = %path.display(), "an attachment is missing from the export");
                    continue;
                }
                let name = format!("{folder}/{}-{}", a.id, safe(&a.file_name));
                zip = with_zip(zip, move |z| {
                    let mut f = std::fs::File::open(&path).map_err(zip_error)?;
                    z.start_file(name, options()).map_err(zip_error)?;
                    std::io::copy(&mut f, z).map_err(zip_error)?;
                    Ok(())
                })
                .await?;
                file_count += 1;
            }
        }
    }
    zip = put(zip, "ratings.json".into(), pretty(&Value::Array(ratings))).await?;

    // The mails sent to the user's addresses, a page at a time into one JSON array.
    zip = with_zip(zip, |z| {
        z.start_file("mails.json", options()).map_err(zip_error)?;
        z.write_all(b"[").map_err(zip_error)
    })
    .await?;
    let addresses: Vec<String> = addresses.into_iter().collect();
    let mut after = 0i64;
    let mut first = true;
    loop {
        let page = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::ToAddr.is_in(addresses.clone()))
            .filter(mail_outbox::Column::Id.gt(after))
            .order_by_asc(mail_outbox::Column::Id)
            .limit(MAIL_PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last().map(|m| m.id) else {
            break;
        };
        after = last;
        let mut chunk = Vec::new();
        for m in page {
            if !first {
                chunk.extend_from_slice(b",");
            }
            first = false;
            chunk.extend_from_slice(b"\n");
            let v = json!({
                "to": m.to_addr,
                "registration_number": m.case_id.and_then(|id| numbers.get(&id)),
                "template": m.template,
                "lang": m.lang,
                "subject": m.subject,
                "body": m.body_text,
                "status": m.status,
                "created_at": rfc3339(m.created_at),
                "sent_at": m.sent_at.map(rfc3339),
            });
            chunk.extend_from_slice(v.to_string().as_bytes());
        }
        zip = with_zip(zip, move |z| z.write_all(&chunk).map_err(zip_error)).await?;
    }
    zip = with_zip(zip, |z| z.write_all(b"\n]\n").map_err(zip_error)).await?;
    let readme = match lang {
        Lang::Ro => {
            "Datele păstrate despre dumneavoastră în Petitio.\n\naccount.json: contul\nsessions.json: sesiunile (autentificările)\ncases/: fiecare petiție, cu pașii ei și fișierele atașate\nattachments/: fișierele atașate\nmails.json: mesajele trimise\nratings.json: evaluările răspunsurilor\n"
        }
        Lang::Ru => {
            "Данные о вас, хранящиеся в Petitio.\n\naccount.json: учётная запись\nsessions.json: сеансы (входы)\ncases/: каждое обращение с его этапами и приложенными файлами\nattachments/: приложенные файлы\nmails.json: отправленные письма\nratings.json: оценки ответов\n"
        }
        Lang::En => {
            "The data Petitio holds about you.\n\naccount.json: your account\nsessions.json: your sessions (logins)\ncases/: each petition, with its steps and attached files\nattachments/: the attached files\nmails.json: the mails sent to you\nratings.json: your ratings of the answers\n"
        }
    };
    zip = put(zip, "README.txt".into(), readme.as_bytes().to_vec()).await?;
    let (file, size) = tokio::task::spawn_blocking(move || {
        let mut file = zip.finish().map_err(zip_error)?;
        file.flush().map_err(zip_error)?;
        let size = file.stream_position().map_err(zip_error)?;
        file.rewind().map_err(zip_error)?;
        Ok::<_, AppError>((file, size))
    })
    .await
    .map_err(zip_error)??;
    // Recorded before the data leave (no record, no data).
    audit::record(
        db,
        audit::Entry::new(action::EXPORT)
            .by_account(account, None)
            .target("user", me.id)
            .details(json!({"cases": case_count, "attachments": file_count, "bytes": size})),
        now,
    )
    .await?;
    Ok(Export {
        file,
        size,
        file_name: format!("petitio-date-{}.zip", now.format("%Y-%m-%d")),
    })
}

// ---------------------------------------------------------------------------------------------
// Requests

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Files a citizen's request to rectify or erase their data at an institution (the portal's
/// first when none is named), as a case registered at once: its term is one month.
pub async fn file_request(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    form: DataRequestForm,
    client: &ClientInfo,
    lang: Lang,
) -> Result<DataRequestReceipt, AppError> {
    let account = require_account(principal)?;
    let mut errors = FieldErrors::new();
    let kind = form.kind.trim().to_string();
    if !is_data_request(&kind) {
        errors.insert("kind".into(), vec!["data_request_kind".into()]);
    }
    let text = form.text.trim().to_string();
    let chars = text.chars().count() as u64;
    if !(crate::model::filing::BODY_MIN..=crate::model::filing::BODY_MAX).contains(&chars) {
        errors.insert("text".into(), vec!["body_length".into()]);
    }
    let institution = match form.institution_id {
        Some(id) => institution::Entity::find_by_id(id).one(db).await?,
        None => Some(super::portal::home_institution(db).await?),
    };
    if institution.is_none() {
        errors.insert("institution_id".into(), vec!["choice_invalid".into()]);
    }
    let (Some(institution), true) = (institution, errors.is_empty()) else {
        return Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        });
    };
    let now = cfg.clock.now();
    rate_limit::hit_action(
        db,
        "filing",
        cfg.rate_limits.filing,
        &client.ip,
        Some(&account.user_id.to_string()),
        Utc::now(),
    )
    .await?;
    let t = lang.data_rights();
    let subject = if kind == RECTIFICATION {
        t.subject_rectification
    } else {
        t.subject_erasure
    };
    let case = super::filing::file_case(
        db,
        super::filing::NewCase {
            institution_id: institution.id,
            kind: kind.clone(),
            channel: "online".into(),
            petitioner_id: Some(account.user_id),
            petitioner_name: account.full_name.clone(),
            petitioner_email: Some(account.email.clone()),
            subject: subject.to_string(),
            body: text,
            petitioner_lang: Some(lang.code().to_string()),
            ..Default::default()
        },
        now,
        &cfg.public_url,
    )
    .await?;
    tracing::info!(case_id = case.id, number = %case.registration_number, %kind, "data request filed");
    Ok(DataRequestReceipt {
        id: case.id,
        registration_number: case.registration_number,
        kind: case.kind,
        status: case.status,
        answer_due: case.answer_due.map(|d| d.to_string()),
    })
}

/// The language mails to the petitioner of `case` are written in.
async fn petitioner_lang<C: ConnectionTrait>(db: &C, case: &pc::Model) -> Result<Lang, AppError> {
    let locale = match case.petitioner_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.locale),
        None => None,
    };
    Ok(locale
        .or_else(|| case.petitioner_lang.clone())
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_default())
}

/// Every case of the request's petitioner (by account, or by address without one) at the
/// request's institution that is not anonymised, the request included.
async fn petitioners_cases<C: ConnectionTrait>(
    db: &C,
    request: &pc::Model,
) -> Result<Vec<pc::Model>, AppError> {
    let mut whose = Condition::any();
    match (request.petitioner_id, &request.petitioner_email) {
        (None, None) => return Ok(vec![request.clone()]),
        (id, email) => {
            if let Some(id) = id {
                whose = whose.add(pc::Column::PetitionerId.eq(id));
            }
            if let Some(email) = email {
                whose = whose.add(
                    Condition::all()
                        .add(pc::Column::PetitionerId.is_null())
                        .add(pc::Column::PetitionerEmail.eq(email.as_str())),
                );
            }
        }
    }
    Ok(pc::Entity::find()
        .filter(pc::Column::InstitutionId.eq(request.institution_id))
        .filter(pc::Column::AnonymisedAt.is_null())
        .filter(whose)
        .order_by_asc(pc::Column::Id)
        .all(db)
        .await?)
}

/// The petitioner's files at the request's institution (other than the request, and other
/// than data requests), not yet anonymised: `(kept, expired)`, each with its period.
async fn files_of<C: ConnectionTrait>(
    db: &C,
    request: &pc::Model,
    now: DateTime<Utc>,
) -> Result<(Vec<KeptFile>, Vec<pc::Model>), AppError> {
    let cases = petitioners_cases(db, request)
        .await?
        .into_iter()
        .filter(|c| c.id != request.id && !is_data_request(&c.kind));
    let today = now.date_naive();
    let mut kept = Vec::new();
    let mut expired = Vec::new();
    for c in cases {
        let years = retention::years_for(db, c.institution_id, &c.kind).await?;
        match c.closed_at.map(|at| retention::kept_until(at, years)) {
            Some(until) if until < today => expired.push(c),
            until => kept.push(KeptFile {
                case_id: c.id,
                registration_number: c.registration_number,
                kept_until: until.map(|d| d.to_string()),
                years,
            }),
        }
    }
    Ok((kept, expired))
}

/// The legal reason an erasure is refused with, naming the files kept, in `lang`.
pub fn refusal_reason(lang: Lang, kept: &[KeptFile]) -> String {
    let t = lang.data_rights();
    let files = kept
        .iter()
        .map(|k| {
            let why = match &k.kept_until {
                None => t.refusal_open.to_string(),
                Some(d) => t.refusal_until.replace("{date}", &dotted(d)),
            };
            format!("{} ({why})", k.registration_number)
        })
        .collect::<Vec<_>>()
        .join(", ");
    t.refusal_reason.replace("{files}", &files)
}

/// `YYYY-MM-DD` as `DD.MM.YYYY`.
fn dotted(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// The data request `case_id` for staff who may answer it: the case, and the workflow role
/// they answer in.
async fn staff_request(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
) -> Result<(pc::Model, Role), AppError> {
    let case = visible_case(db, principal, case_id).await?;
    if !is_data_request(&case.kind) {
        return Err(AppError::NotFound);
    }
    let principal = principal.ok_or(AppError::NotFound)?;
    let roles = roles_for(principal, &case);
    let role = [Role::Officer, Role::Manager]
        .into_iter()
        .find(|r| roles.contains(r))
        .ok_or(AppError::Forbidden)?;
    Ok((case, role))
}

/// What staff see to answer the data request `case_id`.
pub async fn panel(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<DataRequestPanel, AppError> {
    let (case, role) = staff_request(db, principal, case_id).await?;
    let loaded = transitions::load(db, case.id).await?;
    let today = local_date(now, time_zone(&loaded.institution.timezone));
    let open = available_transitions(&loaded.definition, &loaded.snapshot, role, today)
        .iter()
        .any(|t| SERVICE_ONLY.contains(&t.id.as_str()));
    let (kept, _) = files_of(db, &case, now).await?;
    let lang = petitioner_lang(db, &case).await?;
    Ok(DataRequestPanel {
        case_id: case.id,
        kind: case.kind.clone(),
        version: case.version,
        open,
        full_name: case.petitioner_name.clone(),
        email: case.petitioner_email.clone(),
        postal_address: case.petitioner_address.clone(),
        refusal_reason: refusal_reason(lang, &kept),
        kept,
    })
}

/// What a rectification changes, checked.
struct Rectification {
    full_name: Option<String>,
    email: Option<String>,
    postal_address: Option<String>,
}

fn check_rectification(form: &DataAnswerForm) -> Result<Rectification, AppError> {
    let mut errors = FieldErrors::new();
    let full_name = blank(&form.full_name);
    if let Some(n) = &full_name {
        let len = n.chars().count();
        if !(2..=200).contains(&len) {
            errors.insert("full_name".into(), vec!["full_name_length".into()]);
        } else if crate::model::account::plain_name(n).is_err() {
            errors.insert("full_name".into(), vec!["full_name_chars".into()]);
        }
    }
    let email = blank(&form.email).map(|e| normalize_email(&e));
    if let Some(e) = &email
        && (!e.validate_email() || e.len() > 254)
    {
        errors.insert("email".into(), vec!["email_invalid".into()]);
    }
    let postal_address = blank(&form.postal_address);
    if postal_address
        .as_ref()
        .is_some_and(|a| a.chars().count() as u64 > crate::model::filing::ADDRESS_MAX)
    {
        errors.insert("postal_address".into(), vec!["address_length".into()]);
    }
    if full_name.is_none() && email.is_none() && postal_address.is_none() && errors.is_empty() {
        errors.insert("full_name".into(), vec!["rectify_nothing".into()]);
    }
    if errors.is_empty() {
        Ok(Rectification {
            full_name,
            email,
            postal_address,
        })
    } else {
        Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        })
    }
}

/// Staff answer the data request `case_id`: `rectify` (the data changed, then the answer
/// mailed), `erase` (the account and the expired files anonymised, then the answer mailed;
/// refused while a file must be kept) or `refuse` (the reason mailed). One transaction each.
pub async fn answer(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    case_id: i64,
    form: DataAnswerForm,
) -> Result<(), AppError> {
    let (case, role) = staff_request(db, principal, case_id).await?;
    let staff_id = principal.and_then(Principal::account).map(|a| a.user_id);
    let transition = match (form.action.trim(), case.kind.as_str()) {
        ("rectify", RECTIFICATION) => "data_rectify",
        ("erase", ERASURE) => "data_erase",
        ("refuse", _) => "data_refuse",
        _ => return Err(AppError::field("action", "choice_invalid")),
    };
    if form.expected_version.is_some_and(|v| v != case.version) {
        return Err(AppError::Conflict(
            "the case was changed meanwhile; reload it and try again".into(),
        ));
    }
    let now = cfg.clock.now();
    let loaded = transitions::load(db, case.id).await?;
    let today = local_date(now, time_zone(&loaded.institution.timezone));
    if !available_transitions(&loaded.definition, &loaded.snapshot, role, today)
        .iter()
        .any(|t| t.id == transition)
    {
        return Err(AppError::TransitionNotAllowed(format!(
            "{transition:?} cannot be done on this case now"
        )));
    }
    let lang = petitioner_lang(db, &case).await?;
    let t = lang.data_rights();
    let answer_text = blank(&form.answer);
    if answer_text
        .as_ref()
        .is_some_and(|a| a.chars().count() > super::case_actions::TEXT_MAX)
    {
        return Err(AppError::field("answer", "text_length"));
    }
    let step = |input: TransitionInput| Request {
        case_id: case.id,
        event: Event::Transition {
            id: transition.to_string(),
            actor: Actor {
                role,
                user_id: staff_id,
            },
            input,
        },
        expected_version: Some(case.version),
    };
    let admitted = |answer: String| TransitionInput {
        answer: Some(answer),
        outcome: Some(Outcome::Admitted),
        ..Default::default()
    };
    let audit_entry = |name: &'static str| {
        audit::Entry::new(name)
            .case(case.id, case.institution_id)
            .by(staff_id, role.code())
            .target(
                "user",
                case.petitioner_id.map_or(String::new(), |i| i.to_string()),
            )
    };
    let mut files_to_remove = Vec::new();
    let txn = db.begin().await?;
    match transition {
        "data_rectify" => {
            let r = check_rectification(&form)?;
            if let (Some(email), Some(owner)) = (&r.email, case.petitioner_id) {
                let taken = user::Entity::find()
                    .filter(user::Column::Email.eq(email.as_str()))
                    .filter(user::Column::Id.ne(owner))
                    .one(&txn)
                    .await?
                    .is_some();
                if taken {
                    return Err(AppError::field("email", "email_taken"));
                }
            }
            let mut fields = Vec::new();
            let mut names = Vec::new();
            if r.full_name.is_some() {
                fields.push("full_name");
                names.push(t.field_name);
            }
            if r.email.is_some() {
                fields.push("email");
                names.push(t.field_email);
            }
            if r.postal_address.is_some() {
                fields.push("postal_address");
                names.push(t.field_address);
            }
            let mut account = false;
            if let Some(owner) = case.petitioner_id
                && let Some(u) = user::Entity::find_by_id(owner).one(&txn).await?
                && (r.full_name.is_some() || r.email.is_some())
            {
                let mut a: user::ActiveModel = u.into();
                if let Some(n) = &r.full_name {
                    a.full_name = Set(n.clone());
                }
                if let Some(e) = &r.email {
                    a.email = Set(e.clone());
                    // Staff confirmed it with the request.
                    a.email_verified_at = Set(Some(now));
                }
                a.update(&txn).await?;
                account = true;
            }
            // The petitioner's files at this institution (the request among them).
            let mut cases = 0u64;
            for c in petitioners_cases(&txn, &case).await? {
                let name = r.full_name.clone().unwrap_or(c.petitioner_name.clone());
                let search =
                    super::search::case_text(&c.registration_number, &c.subject, &c.body, &name);
                let mut q = pc::Entity::update_many()
                    .col_expr(pc::Column::PetitionerName, Expr::value(name))
                    .col_expr(pc::Column::SearchText, Expr::value(Some(search)));
                if let Some(e) = &r.email {
                    q = q.col_expr(pc::Column::PetitionerEmail, Expr::value(Some(e.clone())));
                }
                if let Some(a) = &r.postal_address {
                    q = q.col_expr(pc::Column::PetitionerAddress, Expr::value(Some(a.clone())));
                }
                q.filter(pc::Column::Id.eq(c.id)).exec(&txn).await?;
                cases += 1;
            }
            let answer = answer_text
                .unwrap_or_else(|| t.rectified_answer.replace("{fields}", &names.join(", ")));
            admit_and_record(
                &txn,
                step(admitted(answer)),
                audit_entry(action::RECTIFY)
                    .details(json!({"fields": fields, "cases": cases, "account": account})),
                now,
                &cfg.public_url,
            )
            .await?;
        }
        "data_erase" => {
            let (kept, expired) = files_of(&txn, &case, now).await?;
            if !kept.is_empty() {
                let numbers: Vec<&str> = kept
                    .iter()
                    .map(|k| k.registration_number.as_str())
                    .collect();
                return Err(AppError::field(
                    "action",
                    format!("retention_running:{}", numbers.join(", ")),
                ));
            }
            let mut anonymised = 0u64;
            for c in &expired {
                if let Some(keys) = retention::anonymise_in(
                    &txn,
                    c,
                    Why::Erasure {
                        request_case_id: case.id,
                    },
                    staff_id.map(|id| (id, role.code())),
                    now,
                )
                .await?
                {
                    anonymised += 1;
                    files_to_remove.extend(keys);
                }
            }
            // The account goes unless it still follows an open case somewhere.
            let mut account_erased = false;
            let mut account_kept = false;
            if let Some(owner) = case.petitioner_id {
                let open_elsewhere = pc::Entity::find()
                    .filter(pc::Column::PetitionerId.eq(owner))
                    .filter(pc::Column::ClosedAt.is_null())
                    .filter(pc::Column::Id.ne(case.id))
                    .one(&txn)
                    .await?
                    .is_some();
                if open_elsewhere {
                    account_kept = true;
                } else if let Some(u) = user::Entity::find_by_id(owner).one(&txn).await? {
                    erase_account(&txn, u).await?;
                    account_erased = true;
                }
            }
            let mut answer = t.erased_answer.to_string();
            if account_erased {
                answer = format!("{answer} {}", t.erased_account);
            } else if account_kept {
                answer = format!("{answer} {}", t.erased_account_kept);
            }
            let answer = answer_text.unwrap_or(answer);
            admit_and_record(
                &txn,
                step(admitted(answer)),
                audit_entry(action::ERASE).details(
                    json!({"cases_anonymised": anonymised, "account_erased": account_erased}),
                ),
                now,
                &cfg.public_url,
            )
            .await?;
        }
        _ => {
            let reason = match blank(&form.reason) {
                Some(r) if r.chars().count() > super::case_actions::TEXT_MAX => {
                    return Err(AppError::field("reason", "text_length"));
                }
                Some(r) => r,
                None if case.kind == ERASURE => {
                    let (kept, _) = files_of(&txn, &case, now).await?;
                    if kept.is_empty() {
                        return Err(AppError::field("reason", "field_required"));
                    }
                    refusal_reason(lang, &kept)
                }
                None => return Err(AppError::field("reason", "field_required")),
            };
            transitions::apply_in(
                &txn,
                step(TransitionInput {
                    reason: Some(reason),
                    outcome: Some(Outcome::Rejected),
                    ..Default::default()
                }),
                now,
                &cfg.public_url,
            )
            .await?;
        }
    }
    txn.commit().await?;
    super::outbox::wake();
    super::webhooks::wake();
    if !files_to_remove.is_empty() {
        retention::remove_files(&cfg.attachments, files_to_remove).await;
    }
    Ok(())
}

/// Admits a data request: the answer's step, and the audit record naming what changed, in the
/// transaction that changed it.
async fn admit_and_record(
    txn: &sea_orm::DatabaseTransaction,
    request: Request,
    entry: audit::Entry,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<(), AppError> {
    transitions::apply_in(txn, request, now, public_url).await?;
    audit::record(txn, entry, now).await?;
    Ok(())
}

/// Closes an account for good: its name and address replaced, no password, inactive, its
/// sessions and mailed tokens deleted (the files that must be kept keep their own copy of the
/// name and address, as the law requires).
async fn erase_account<C: ConnectionTrait>(db: &C, u: user::Model) -> Result<(), AppError> {
    let id = u.id;
    let mut a: user::ActiveModel = u.into();
    a.full_name = Set(MARKER.to_string());
    a.email = Set(format!("anonimizat-{id}@anonim.invalid"));
    a.password_hash = Set(None);
    a.active = Set(false);
    a.email_verified_at = Set(None);
    a.update(db).await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(id))
        .exec(db)
        .await?;
    auth_token::Entity::delete_many()
        .filter(auth_token::Column::UserId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The institutions a request may be filed with, named in `lang`.
pub async fn institutions(
    db: &DatabaseConnection,
    lang: Lang,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| {
            (
                i.id,
                super::portal::localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string(),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_inside_the_archive_stay_inside_it() {
        assert_eq!(safe("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe("cerere finală.pdf"), "cerere_finală.pdf");
        assert_eq!(safe(""), "_");
        assert_eq!(safe("CHI-2026-000001"), "CHI-2026-000001");
    }

    #[test]
    fn the_refusal_names_each_file_and_why_it_is_kept() {
        let kept = [
            KeptFile {
                case_id: 1,
                registration_number: "CHI-2026-000001".into(),
                kept_until: None,
                years: 5,
            },
            KeptFile {
                case_id: 2,
                registration_number: "CHI-2026-000002".into(),
                kept_until: Some("2031-03-12".into()),
                years: 5,
            },
        ];
        let r = refusal_reason(Lang::En, &kept);
        assert!(
            r.contains("Files kept: CHI-2026-000001 (in examination), CHI-2026-000002 (kept until 12.03.2031)."),
            "{r}"
        );
        assert!(r.contains("art. 17(3)(b)"), "{r}");
    }
}
