//! Publishing a case with its answer, redacted. Only with the petitioner's consent
//! (`petition_case.consent_publish`, asked by the filing form), and only by the case's staff
//! (an officer, manager or administrator whose scope covers it, not its petitioner).
//!
//! 1. [`draft`]: the case's subject, text, place and latest answer, each with the personal
//!    data [`crate::redaction::detect`] finds in it (and the strings the officer names by
//!    hand), every piece with an id `{field}:{start}-{end}` (character offsets).
//! 2. [`publish`]: every piece found is removed except those the choice keeps (a piece found
//!    only now, after the draft, is removed too); the redacted texts are stored in
//!    `case_publication` with who and when, in the transaction of its audit record
//!    (`case.publish`). Publishing again replaces the publication; [`unpublish`] deletes it.
//! 3. The public reads ([`public_page`], [`public_case`], Open311 through [`of_cases`]) read
//!    only `case_publication`, never the case's own texts, and only while the case still has
//!    the consent. A removed piece is stored as [`TOKEN`] and shown as the reader's
//!    language's marker ([`render`]).
//!
//! The petitioner and the staff keep seeing the case as it was filed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};
use serde_json::json;

use super::auth::{self, Account, Principal};
use super::cases::sees_internal;
use super::entity::{case_event, case_publication, category, institution, petition_case, user};
use super::portal::localized;
use super::{audit, definitions, search};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::publication::{
    Detected, DraftSpan, DraftText, EXTRA_LEN_MAX, EXTRA_MAX, PUBLIC_PER_PAGE_MAX,
    PublicationDraft, PublicationStatus, PublishChoice, PublishedCase, PublishedPage,
    PublishedQuery, PublishedSummary,
};
use crate::redaction::{self, Kind, Known, Span};
use crate::workflow::Outcome;

/// What stands for a removed piece in the stored texts (the object replacement character,
/// taken out of the case's own texts first); readers see their language's marker instead.
pub const TOKEN: char = '\u{FFFC}';

/// The longest text [`detect_in`] looks through (a petition's text is at most 10,000
/// characters).
const DETECT_MAX_BYTES: usize = 256 * 1024;

/// The start of a published text shown in the public list (characters).
const EXCERPT: usize = 240;

/// A stored text as `lang` reads it: each removed piece as its marker.
pub fn render(text: &str, lang: Lang) -> String {
    text.replace(TOKEN, lang.publication().marker)
}

/// The latest answer of a case: the text of its newest public step that carries one.
async fn latest_answer<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
) -> Result<Option<String>, AppError> {
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .filter(case_event::Column::Public.eq(true))
        .order_by_desc(case_event::Column::At)
        .order_by_desc(case_event::Column::Id)
        .all(db)
        .await?;
    Ok(events.iter().find_map(|e| {
        let answer = e.data.as_ref()?.get("answer")?.as_str()?.trim();
        (!answer.is_empty()).then(|| answer.to_string())
    }))
}

/// The texts of `case` a publication shows, each without a [`TOKEN`] of its own: subject,
/// text, the place (when given) and the latest answer (when there is one).
async fn sources<C: ConnectionTrait>(
    db: &C,
    case: &petition_case::Model,
) -> Result<Vec<(&'static str, String)>, AppError> {
    let clean = |s: &str| s.replace(TOKEN, "");
    let mut out = vec![
        ("subject", clean(&case.subject)),
        ("body", clean(&case.body)),
    ];
    if let Some(place) = case
        .address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        out.push(("address", clean(place)));
    }
    if let Some(answer) = latest_answer(db, case.id).await? {
        out.push(("answer", clean(&answer)));
    }
    Ok(out)
}

/// What the case knows of its petitioner.
fn known(case: &petition_case::Model) -> Known {
    Known {
        names: vec![case.petitioner_name.clone()],
        addresses: case.petitioner_address.iter().cloned().collect(),
    }
}

/// Everything to consider removing from `text`: what is detected and the strings named by
/// hand.
fn spans_of(text: &str, known: &Known, extra: &[String]) -> Vec<Span> {
    let mut all = redaction::detect(text, known);
    all.extend(redaction::find(text, extra, Kind::Manual));
    redaction::merge(text, all)
}

fn draft_span(field: &str, text: &str, s: &Span) -> DraftSpan {
    let start = redaction::char_offset(text, s.start);
    let end = redaction::char_offset(text, s.end);
    DraftSpan {
        id: format!("{field}:{start}-{end}"),
        kind: s.kind,
        start,
        end,
        text: text[s.start..s.end].to_string(),
    }
}

/// The strings named by hand (each value may hold several lines), checked: blank ones
/// dropped, repeats once, each of 2 to [`EXTRA_LEN_MAX`] characters, at most [`EXTRA_MAX`].
pub fn extra_strings(values: &[String]) -> Result<Vec<String>, AppError> {
    let mut list: Vec<String> = Vec::new();
    for line in values.iter().flat_map(|v| v.lines()).map(str::trim) {
        if !line.is_empty() && !list.iter().any(|l| l == line) {
            list.push(line.to_string());
        }
    }
    if list.len() > EXTRA_MAX {
        return Err(AppError::field("extra", "extra_many"));
    }
    if list.iter().any(|l| l.chars().count() < 2) {
        return Err(AppError::field("extra", "extra_short"));
    }
    if list.iter().any(|l| l.chars().count() > EXTRA_LEN_MAX) {
        return Err(AppError::field("extra", "extra_long"));
    }
    Ok(list)
}

/// Case `case_id` with the account of its staff member asking: a case outside the asker's
/// scope answers `NotFound` (like a missing one), a reader of it who is not its staff (its
/// petitioner, a link holder) `Forbidden`.
async fn staff_case<'p>(
    db: &DatabaseConnection,
    principal: Option<&'p Principal>,
    case_id: i64,
) -> Result<(petition_case::Model, &'p Account), AppError> {
    let case = auth::visible_case(db, principal, case_id).await?;
    let principal = principal.ok_or(AppError::NotFound)?;
    let account = principal
        .account()
        .filter(|_| sees_internal(principal, &case))
        .ok_or(AppError::Forbidden)?;
    Ok((case, account))
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Whether `case` is published, when and by whom.
pub async fn status<C: ConnectionTrait>(
    db: &C,
    case: &petition_case::Model,
) -> Result<PublicationStatus, AppError> {
    let row = case_publication::Entity::find()
        .filter(case_publication::Column::CaseId.eq(case.id))
        .one(db)
        .await?;
    let by = match row.as_ref().and_then(|r| r.published_by) {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.full_name),
        None => None,
    };
    Ok(PublicationStatus {
        consent: case.consent_publish,
        published: row.is_some(),
        published_at: row.as_ref().map(|r| stamp(r.published_at)),
        published_by: by,
        redactions: row.map_or(0, |r| r.redactions),
    })
}

/// The case's texts with the personal data found in them, for its staff (reading them is
/// recorded in the audit trail, like opening the case). `extra`: strings named by hand, shown
/// found too.
pub async fn draft(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
    extra: &[String],
) -> Result<PublicationDraft, AppError> {
    let (case, account) = staff_case(db, principal, case_id).await?;
    let extra = extra_strings(extra)?;
    let known = known(&case);
    let texts = sources(db, &case)
        .await?
        .into_iter()
        .map(|(field, text)| DraftText {
            field: field.to_string(),
            spans: spans_of(&text, &known, &extra)
                .iter()
                .map(|s| draft_span(field, &text, s))
                .collect(),
            text,
        })
        .collect();
    audit::record(
        db,
        audit::Entry::new(audit::action::CASE_READ)
            .case(case.id, case.institution_id)
            .by_account(account, Some(case.institution_id))
            .details(json!({ "for": "publication" })),
        Utc::now(),
    )
    .await?;
    Ok(PublicationDraft {
        case_id: case.id,
        registration_number: case.registration_number.clone(),
        version: case.version,
        texts,
        extra,
        status: status(db, &case).await?,
    })
}

/// What any text contains of personal data (for staff: the detection alone, no case).
pub fn detect_in(
    principal: Option<&Principal>,
    text: &str,
    names: &[String],
    addresses: &[String],
) -> Result<Detected, AppError> {
    let account = auth::access::require_account(principal)?;
    if !account.is_staff() {
        return Err(AppError::Forbidden);
    }
    if text.len() > DETECT_MAX_BYTES || names.len() + addresses.len() > 20 {
        return Err(AppError::PayloadTooLarge);
    }
    let known = Known {
        names: names.to_vec(),
        addresses: addresses.to_vec(),
    };
    Ok(Detected {
        spans: redaction::detect(text, &known)
            .iter()
            .map(|s| draft_span("text", text, s))
            .collect(),
    })
}

/// Publishes `case_id` redacted as `choice` says: refused without the petitioner's consent
/// (`consent_publish`: `publish_no_consent`), and when the case changed since the draft
/// (`Conflict`).
pub async fn publish(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
    choice: &PublishChoice,
) -> Result<PublicationStatus, AppError> {
    let (case, account) = staff_case(db, principal, case_id).await?;
    if !case.consent_publish {
        return Err(AppError::field("consent_publish", "publish_no_consent"));
    }
    if choice.version.is_some_and(|v| v != case.version) {
        return Err(AppError::Conflict(
            "the case changed since the draft was made: look at it again".into(),
        ));
    }
    let extra = extra_strings(&choice.extra)?;
    let keep: BTreeSet<&str> = choice.keep.iter().map(String::as_str).collect();
    let known = known(&case);
    let token = TOKEN.to_string();
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    let (mut removed, mut kept) = (0usize, 0usize);
    for (field, text) in sources(db, &case).await? {
        let mut chosen = Vec::new();
        for s in spans_of(&text, &known, &extra) {
            if s.kind != Kind::Manual && keep.contains(draft_span(field, &text, &s).id.as_str()) {
                kept += 1;
            } else {
                chosen.push(s);
            }
        }
        removed += chosen.len();
        texts.insert(field, redaction::redact(&text, &chosen, &token));
    }
    let mut take = |f: &str| texts.remove(f);
    let subject = take("subject").unwrap_or_default();
    let body = take("body").unwrap_or_default();
    let address = take("address");
    let answer = take("answer");
    let search_text = search::fold(&format!(
        "{}\n{subject}\n{body}\n{}",
        case.registration_number,
        answer.as_deref().unwrap_or("")
    ))
    .replace(TOKEN, " ");
    let redactions = i32::try_from(removed).unwrap_or(i32::MAX);
    let now = Utc::now();
    let txn = db.begin().await?;
    let existing = case_publication::Entity::find()
        .filter(case_publication::Column::CaseId.eq(case.id))
        .one(&txn)
        .await?;
    let row = match existing {
        Some(r) => {
            let mut a: case_publication::ActiveModel = r.into();
            a.subject = Set(subject);
            a.body = Set(body);
            a.address = Set(address);
            a.answer = Set(answer);
            a.search_text = Set(search_text);
            a.redactions = Set(redactions);
            a.published_by = Set(Some(account.user_id));
            a.published_at = Set(now);
            a.update(&txn).await?
        }
        None => case_publication::ActiveModel {
            case_id: Set(case.id),
            institution_id: Set(case.institution_id),
            subject: Set(subject),
            body: Set(body),
            address: Set(address),
            answer: Set(answer),
            search_text: Set(search_text),
            redactions: Set(redactions),
            published_by: Set(Some(account.user_id)),
            published_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("the case was published meanwhile: look at it again".into())
            }
            _ => e.into(),
        })?,
    };
    audit::record(
        &txn,
        audit::Entry::new(audit::action::CASE_PUBLISH)
            .case(case.id, case.institution_id)
            .by_account(account, Some(case.institution_id))
            .target("case_publication", row.id)
            .details(json!({ "redactions": removed, "kept": kept, "manual": extra.len() })),
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(case_id = case.id, redactions, kept, "case published");
    status(db, &case).await
}

/// Takes `case_id` off the public pages (nothing to do when it is not published).
pub async fn unpublish(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
) -> Result<PublicationStatus, AppError> {
    let (case, account) = staff_case(db, principal, case_id).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let gone = case_publication::Entity::delete_many()
        .filter(case_publication::Column::CaseId.eq(case.id))
        .exec(&txn)
        .await?
        .rows_affected;
    if gone > 0 {
        audit::record(
            &txn,
            audit::Entry::new(audit::action::CASE_UNPUBLISH)
                .case(case.id, case.institution_id)
                .by_account(account, Some(case.institution_id)),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    status(db, &case).await
}

/// Publications whose case still has the petitioner's consent.
fn consented() -> Condition {
    Condition::all().add(
        case_publication::Column::CaseId.in_subquery(
            Query::select()
                .column(petition_case::Column::Id)
                .from(petition_case::Entity)
                .and_where(petition_case::Column::ConsentPublish.eq(true))
                .to_owned(),
        ),
    )
}

/// The publications of `case_ids` that the public may read (Open311), by case.
pub async fn of_cases<C: ConnectionTrait>(
    db: &C,
    case_ids: &[i64],
) -> Result<BTreeMap<i64, case_publication::Model>, AppError> {
    if case_ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(case_publication::Entity::find()
        .filter(case_publication::Column::CaseId.is_in(case_ids.iter().copied()))
        .filter(consented())
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.case_id, p))
        .collect())
}

fn kind_label(lang: Lang, kind: &str) -> String {
    let t = lang.texts();
    match kind {
        "complaint" => t.kind_complaint,
        "prior_complaint" => t.kind_prior_complaint,
        "information_request" => t.kind_information_request,
        _ => t.kind_petition,
    }
    .to_string()
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

/// Published cases, newest publication first; `q` searches the words of the redacted
/// version (number, subject, text, answer), in any case and spelling.
pub async fn public_page(
    db: &DatabaseConnection,
    query: &PublishedQuery,
    lang: Lang,
) -> Result<PublishedPage, AppError> {
    let per_page = query.per_page.unwrap_or(20).clamp(1, PUBLIC_PER_PAGE_MAX);
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let mut q = case_publication::Entity::find().filter(consented());
    for w in search::query_words(query.q.as_deref().unwrap_or("")) {
        let escaped = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        q = q.filter(
            Expr::col(case_publication::Column::SearchText)
                .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    let paginator = q
        .order_by_desc(case_publication::Column::PublishedAt)
        .order_by_desc(case_publication::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let cases: BTreeMap<i64, petition_case::Model> = petition_case::Entity::find()
        .filter(petition_case::Column::Id.is_in(rows.iter().map(|r| r.case_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let c = cases.get(&r.case_id)?;
            Some(PublishedSummary {
                id: r.case_id,
                registration_number: c.registration_number.clone(),
                kind: kind_label(lang, &c.kind),
                subject: render(&r.subject, lang),
                excerpt: render(&cut(&r.body, EXCERPT), lang),
                filed_on: c.filed_at.date_naive().to_string(),
                published_on: r.published_at.date_naive().to_string(),
                answered: r.answer.is_some(),
            })
        })
        .collect();
    Ok(PublishedPage {
        items,
        total,
        page,
        per_page,
        has_next: page * per_page < total,
        marker: lang.publication().marker.to_string(),
    })
}

/// The published version of case `case_id` (`NotFound` when it is not published).
pub async fn public_case(
    db: &DatabaseConnection,
    case_id: i64,
    lang: Lang,
) -> Result<PublishedCase, AppError> {
    let row = case_publication::Entity::find()
        .filter(case_publication::Column::CaseId.eq(case_id))
        .filter(consented())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let case = petition_case::Entity::find_by_id(case_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = |ro: &str, ru: &str, en: &str| localized(lang, ro, ru, en).to_string();
    let institution = institution::Entity::find_by_id(case.institution_id)
        .one(db)
        .await?
        .map(|i| name(&i.name_ro, &i.name_ru, &i.name_en))
        .unwrap_or_default();
    let category = match case.category_id {
        Some(id) => category::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| name(&c.name_ro, &c.name_ru, &c.name_en)),
        None => None,
    };
    let def = definitions::get(db, &case.workflow_name, case.workflow_version).await?;
    Ok(PublishedCase {
        id: case.id,
        registration_number: case.registration_number.clone(),
        kind: kind_label(lang, &case.kind),
        institution,
        category,
        status: def.state_label(&case.status, lang.code()),
        outcome: case
            .outcome
            .as_deref()
            .and_then(|o| o.parse::<Outcome>().ok())
            .map(|o| o.label(lang.code()).to_string()),
        filed_on: case.filed_at.date_naive().to_string(),
        answered_on: case.answered_at.map(|a| a.date_naive().to_string()),
        published_on: row.published_at.date_naive().to_string(),
        subject: render(&row.subject, lang),
        body: render(&row.body, lang),
        address: row.address.as_deref().map(|a| render(a, lang)),
        answer: row.answer.as_deref().map(|a| render(a, lang)),
        marker: lang.publication().marker.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_named_by_hand_are_checked() {
        assert_eq!(
            extra_strings(&["Gheorghe\n\n  vecinul  \nGheorghe".into(), "".into()]).unwrap(),
            vec!["Gheorghe".to_string(), "vecinul".to_string()]
        );
        let code = |e: AppError| e.fields().unwrap()["extra"][0].clone();
        assert_eq!(
            code(extra_strings(&["x".into()]).unwrap_err()),
            "extra_short"
        );
        assert_eq!(
            code(extra_strings(&["y".repeat(201)]).unwrap_err()),
            "extra_long"
        );
        let many: Vec<String> = (0..51).map(|i| format!("nume{i}")).collect();
        assert_eq!(code(extra_strings(&many).unwrap_err()), "extra_many");
    }

    #[test]
    fn a_removed_piece_reads_as_the_readers_marker() {
        let stored = format!("Sunt {TOKEN}, tel. {TOKEN}.");
        assert_eq!(
            render(&stored, Lang::Ro),
            "Sunt [date personale eliminate], tel. [date personale eliminate]."
        );
        assert_eq!(
            render(&stored, Lang::En),
            "Sunt [personal data removed], tel. [personal data removed]."
        );
    }

    #[test]
    fn span_ids_count_characters_not_bytes() {
        let text = "Șos. Hîncești 53, tel. 069 123 456";
        let spans = redaction::detect(text, &Known::default());
        let ids: Vec<String> = spans
            .iter()
            .map(|s| draft_span("body", text, s).id)
            .collect();
        assert_eq!(ids, vec!["body:0-16", "body:23-34"]);
    }
}
