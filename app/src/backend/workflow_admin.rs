//! The administration of workflows, for the page (`/admin/fluxuri`) and the JSON API
//! (`/api/v1/workflows`, `/api/v1/admin/workflows…`, `/api/v1/admin/institutions/{id}/workflows`)
//! alike.
//!
//! Who may do what. The definitions serve every institution of the portal, so only the
//! portal's administrators upload and save them: an `admin` grant without an institution, or
//! one at the institution that runs the portal (the home institution: the demo administrator).
//! Every administrator may read them and check a document (checking changes nothing). Which
//! definition each kind of case follows is an institution's own setting: its administrators
//! choose it (the portal's administrator for every institution); another institution does not
//! exist for them (`404`), as in `org_admin`.
//!
//! Checking a document reports every problem with its line: the loader's (see
//! `workflow::Definition::from_toml`), then what storing and filing need besides: a new version
//! keeps the `case_type` of the definition's earlier ones (institutions choose definitions per
//! kind of case), and filing registers every case by firing `register`, as `system`, from the
//! initial state, with no input. Saving stores the next version (`definitions::store`) and
//! records `admin.workflow.store` in the portal's audit chain; running cases keep the version
//! they were filed under. Choosing records `admin.workflow.choose` in the institution's chain
//! with each changed kind before and after; filing then uses the choice
//! (`definitions::workflow_for`), falling back to the calendar's rule.
//!
//! Without JavaScript the page's check is a plain form: the document is kept as a draft of
//! its author (`workflow_draft`, never a definition) and the page shown again reads it back
//! with its problems, or its diagram and deadlines and the button that saves it. Drafts older
//! than a day, and all but the newest few of one author, are pruned when a new one is kept.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit;
use super::auth::{Account, Principal};
use super::calendars;
use super::definitions::{self, StoreError};
use super::entity::{
    institution, institution_workflow as iw, user, workflow_definition as wd, workflow_draft,
};
use super::org_admin::{admin, administered};
use super::portal::localized;
use crate::i18n::Lang;
use crate::model::workflow_admin::{
    CHOOSABLE_KINDS, DefinitionSummary, DefinitionVersion, DraftView, InstitutionWorkflows,
    KindChoice, WorkflowAdminPage, WorkflowOption, WorkflowProblem, case_type_of,
};
use crate::model::{AppError, FieldErrors};
use crate::workflow::{self, Definition};

/// A definition's TOML may be this long at most.
pub const SOURCE_MAX_BYTES: usize = 256 * 1024;
/// How long a draft is kept.
const DRAFT_HOURS: i64 = 24;
/// How many drafts one author keeps at most.
const DRAFTS_PER_USER: u64 = 10;
/// The transition filing fires on every new case.
const REGISTER: &str = super::filing::REGISTER;

// --- who may ------------------------------------------------------------------------------

/// Whether `account` may upload and save definitions: an administrator of the portal, or of
/// the institution that runs it.
pub async fn may_edit_definitions<C: ConnectionTrait>(
    db: &C,
    account: &Account,
) -> Result<bool, AppError> {
    if account.is_global_admin() {
        return Ok(true);
    }
    match super::portal::home_institution(db).await {
        Ok(home) => Ok(account.administers(home.id)),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Refuses (`403`) whoever may not upload and save definitions.
pub async fn require_definition_admin<C: ConnectionTrait>(
    db: &C,
    account: &Account,
) -> Result<(), AppError> {
    if may_edit_definitions(db, account).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

// --- checking -----------------------------------------------------------------------------

/// The 1-based line of the first line of `source` that starts with `key` (after blanks);
/// line 1 when none does.
fn line_of(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(1, |i| i + 1)
}

/// The line of the transition `id`'s `id = "…"` key, or of the first transition.
fn transition_line(source: &str, id: &str) -> usize {
    source
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("id") && l.contains(&format!("\"{id}\""))
        })
        .map_or_else(|| line_of(source, "[[transitions]]"), |i| i + 1)
}

/// Whether filing can register a case of `def`: a `register` transition that `system` may fire
/// from the initial state with no input.
pub fn registers(def: &Definition) -> bool {
    let initial = def.initial_state();
    def.transition(REGISTER).is_some_and(|t| {
        t.roles.contains(&workflow::Role::System)
            && t.fields.is_empty()
            && t.from.iter().any(|f| f == initial || f == "*")
    })
}

/// Checks a document: every problem the loader finds, with its line, then what storing and
/// filing need besides (see the module's notes). `Ok`: the definition it defines.
pub async fn check_document<C: ConnectionTrait>(
    db: &C,
    source: &str,
) -> Result<Result<Definition, Vec<WorkflowProblem>>, AppError> {
    if source.len() > SOURCE_MAX_BYTES {
        return Ok(Err(vec![WorkflowProblem {
            line: 1,
            column: 1,
            message: format!("the document is longer than {SOURCE_MAX_BYTES} bytes"),
        }]));
    }
    let def = match Definition::from_toml(source) {
        Ok(def) => def,
        Err(problems) => {
            return Ok(Err(problems
                .into_iter()
                .map(|p| WorkflowProblem {
                    line: p.line,
                    column: p.column,
                    message: p.message,
                })
                .collect()));
        }
    };
    let mut problems = Vec::new();
    if !registers(&def) {
        problems.push(WorkflowProblem {
            line: transition_line(source, REGISTER),
            column: 1,
            message: format!(
                "filing registers every new case by firing `{REGISTER}` from the initial state \
                 `{}` as `system`, with no `fields`: the definition has no such transition",
                def.initial_state()
            ),
        });
    }
    if let Some(version) = definitions::latest_version(db, &def.name).await? {
        let stored = definitions::get(db, &def.name, version).await?;
        if stored.case_type != def.case_type {
            problems.push(WorkflowProblem {
                line: line_of(source, "case_type"),
                column: 1,
                message: format!(
                    "`case_type` is `{}` in version {version} of `{}`; a new version cannot \
                     change it (institutions choose definitions by the kind of case)",
                    stored.case_type, def.name
                ),
            });
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    Ok(if problems.is_empty() {
        Ok(def)
    } else {
        Err(problems)
    })
}

/// A refused document: every problem, `line:column: message`, under `source`.
fn invalid(problems: &[WorkflowProblem]) -> AppError {
    let mut fields = FieldErrors::new();
    fields.insert(
        "source".into(),
        problems
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
    );
    AppError::Validation {
        message: "the workflow definition does not check".into(),
        fields,
    }
}

/// What `POST /api/v1/admin/workflows/check` is asked.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The definition as TOML.
    pub source: String,
    /// The registration date of the deadline preview (today when left out; years 1900–2200).
    #[serde(default)]
    pub filed: Option<NaiveDate>,
    /// The institution whose calendar the preview counts on (the portal's when left out).
    #[serde(default)]
    pub institution_id: Option<i64>,
}

/// The answer of a check. Nothing is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckAnswer {
    /// No problems: the document may be saved.
    pub valid: bool,
    /// Every problem, in document order.
    pub problems: Vec<WorkflowProblem>,
    /// The definition the document defines (when it checks).
    pub name: Option<String>,
    /// Its newest stored version (`None`: a new definition).
    pub latest_version: Option<i32>,
    /// The version saving it would store (the newest one when `unchanged`).
    pub next_version: Option<i32>,
    /// The same document as the newest version: saving stores nothing.
    pub unchanged: bool,
    /// The registration date of the preview.
    pub filed: NaiveDate,
    /// The last day to act of each timer the registration starts, for a case registered on
    /// `filed`.
    pub deadlines: BTreeMap<String, NaiveDate>,
}

/// Whether deadlines may be previewed for a registration on `filed`: calendars are computed
/// for the years around ours, not for any date a client may send.
pub fn preview_date(filed: NaiveDate) -> bool {
    (1900..=2200).contains(&filed.year())
}

/// The newest stored version of `name` with its document.
async fn newest_row<C: ConnectionTrait>(db: &C, name: &str) -> Result<Option<wd::Model>, AppError> {
    Ok(wd::Entity::find()
        .filter(wd::Column::Name.eq(name))
        .order_by_desc(wd::Column::Version)
        .one(db)
        .await?)
}

/// Checks a document and previews its deadlines (any administrator); stores nothing.
pub async fn check(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    request: &CheckRequest,
    today: NaiveDate,
) -> Result<CheckAnswer, AppError> {
    let account = admin(principal)?;
    let institution_id = match request.institution_id {
        Some(id) => Some(administered(db, account, id).await?.id),
        None => super::portal::home_institution(db).await.ok().map(|i| i.id),
    };
    let filed = request.filed.unwrap_or(today);
    if !preview_date(filed) {
        return Err(AppError::field("filed", "date_invalid"));
    }
    let mut answer = CheckAnswer {
        valid: false,
        problems: Vec::new(),
        name: None,
        latest_version: None,
        next_version: None,
        unchanged: false,
        filed,
        deadlines: BTreeMap::new(),
    };
    match check_document(db, &request.source).await? {
        Err(problems) => answer.problems = problems,
        Ok(def) => {
            let newest = newest_row(db, &def.name).await?;
            answer.unchanged = newest.as_ref().is_some_and(|r| r.source == request.source);
            answer.latest_version = newest.as_ref().map(|r| r.version);
            answer.next_version = Some(match &newest {
                Some(r) if answer.unchanged => r.version,
                Some(r) => r.version + 1,
                None => 1,
            });
            let calendar = calendars::load(db, def.calendar, institution_id).await?;
            answer.deadlines = workflow::preview(&def, &calendar, filed)
                .into_iter()
                .collect();
            answer.name = Some(def.name);
            answer.valid = true;
        }
    }
    Ok(answer)
}

// --- storing ------------------------------------------------------------------------------

/// Checks `source` and stores it as the next version of the definition it names, inside
/// `txn`, recording who did it (nothing when it is the newest version already). `expected`:
/// the name the caller addressed (a document naming another definition is refused).
async fn store_in(
    txn: &DatabaseTransaction,
    account: &Account,
    source: &str,
    expected: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, i32), AppError> {
    let def = check_document(txn, source)
        .await?
        .map_err(|problems| invalid(&problems))?;
    if let Some(name) = expected
        && def.name != name
    {
        return Err(invalid(&[WorkflowProblem {
            line: line_of(source, "name"),
            column: 1,
            message: format!("the document defines `{}`, not `{name}`", def.name),
        }]));
    }
    let before = definitions::latest_version(txn, &def.name).await?;
    let (name, version) = definitions::store(txn, source, Some(account.user_id), now)
        .await
        .map_err(|e| match e {
            StoreError::Invalid(problems) => invalid(
                &problems
                    .into_iter()
                    .map(|p| WorkflowProblem {
                        line: p.line,
                        column: p.column,
                        message: p.message,
                    })
                    .collect::<Vec<_>>(),
            ),
            StoreError::Db(e) => match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
                    "another version of this definition was saved meanwhile: check it again".into(),
                ),
                _ => e.into(),
            },
        })?;
    // The same document again stores nothing, and changes nothing to record.
    if before != Some(version) {
        audit::record(
            txn,
            audit::Entry::new("admin.workflow.store")
                .chain(None)
                .by(Some(account.user_id), "admin")
                .target("workflow_definition", format!("{name}/{version}"))
                .details(json!({ "name": name, "version": version, "previous": before })),
            now,
        )
        .await?;
        tracing::info!(
            name,
            version,
            by = account.user_id,
            "workflow definition stored"
        );
    }
    Ok((name, version))
}

/// Checks `source` and stores it as the next version of the definition it names (the portal's
/// administrators); `expected`: the name the caller addressed. Returns the name and the
/// version stored (the newest one, unchanged, when the document is the same).
pub async fn store(
    db: &DatabaseConnection,
    account: &Account,
    source: &str,
    expected: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, i32), AppError> {
    require_definition_admin(db, account).await?;
    let txn = db.begin().await?;
    let stored = store_in(&txn, account, source, expected, now).await?;
    txn.commit().await?;
    Ok(stored)
}

// --- drafts -------------------------------------------------------------------------------

/// Keeps `source` as a draft of the signed-in administrator of definitions, for the page to
/// show with its problems or its preview; returns its id. Old drafts are pruned here.
pub async fn create_draft(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    source: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let account = admin(principal)?;
    require_definition_admin(db, account).await?;
    // Browsers send a text area's lines ended by CR LF: kept as typed, a document copied from
    // a stored version would never be "the same" as it.
    let source = source.replace("\r\n", "\n");
    if source.len() > SOURCE_MAX_BYTES {
        return Err(AppError::field("source", "workflow_too_long"));
    }
    if source.trim().is_empty() {
        return Err(AppError::field("source", "workflow_empty"));
    }
    let txn = db.begin().await?;
    workflow_draft::Entity::delete_many()
        .filter(workflow_draft::Column::CreatedAt.lt(now - Duration::hours(DRAFT_HOURS)))
        .exec(&txn)
        .await?;
    let keep: Vec<i64> = workflow_draft::Entity::find()
        .select_only()
        .column(workflow_draft::Column::Id)
        .filter(workflow_draft::Column::UserId.eq(account.user_id))
        .order_by_desc(workflow_draft::Column::Id)
        .limit(DRAFTS_PER_USER - 1)
        .into_tuple()
        .all(&txn)
        .await?;
    workflow_draft::Entity::delete_many()
        .filter(workflow_draft::Column::UserId.eq(account.user_id))
        .filter(workflow_draft::Column::Id.is_not_in(keep))
        .exec(&txn)
        .await?;
    let row = workflow_draft::ActiveModel {
        user_id: Set(account.user_id),
        source: Set(source),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Draft `id` of `account` (another's does not exist for them).
async fn own_draft<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
) -> Result<Option<workflow_draft::Model>, AppError> {
    Ok(workflow_draft::Entity::find_by_id(id)
        .filter(workflow_draft::Column::UserId.eq(account.user_id))
        .one(db)
        .await?)
}

/// A draft as the page shows it: its problems, or its diagram, terms and deadlines for a
/// case registered on `filed` at the portal's institution.
async fn draft_view(
    db: &DatabaseConnection,
    row: workflow_draft::Model,
    filed: NaiveDate,
    lang: Lang,
) -> Result<DraftView, AppError> {
    let mut view = DraftView {
        id: row.id,
        source: row.source,
        problems: Vec::new(),
        name: None,
        latest_version: None,
        unchanged: false,
        preview: None,
    };
    match check_document(db, &view.source).await? {
        Err(problems) => view.problems = problems,
        Ok(def) => {
            let newest = newest_row(db, &def.name).await?;
            view.unchanged = newest.as_ref().is_some_and(|r| r.source == view.source);
            view.latest_version = newest.as_ref().map(|r| r.version);
            let version = match &newest {
                Some(r) if view.unchanged => r.version,
                Some(r) => r.version + 1,
                None => 1,
            };
            let home = super::portal::home_institution(db).await.ok().map(|i| i.id);
            view.preview =
                Some(super::workflow_view::describe(db, &def, version, home, filed, lang).await?);
            view.name = Some(def.name);
        }
    }
    Ok(view)
}

/// Saves draft `id` of the signed-in administrator as the next version of its definition and
/// discards the draft; returns the name and the version stored.
pub async fn save_draft(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(String, i32), AppError> {
    let account = admin(principal)?;
    require_definition_admin(db, account).await?;
    let row = own_draft(db, account, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = db.begin().await?;
    let stored = store_in(&txn, account, &row.source, None, now).await?;
    workflow_draft::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(stored)
}

// --- reading ------------------------------------------------------------------------------

/// The newest version of every stored definition, parsed, by name.
async fn newest_definitions<C: ConnectionTrait>(
    db: &C,
) -> Result<BTreeMap<String, (i32, std::sync::Arc<Definition>)>, AppError> {
    let rows: Vec<(String, i32)> = wd::Entity::find()
        .select_only()
        .column(wd::Column::Name)
        .column(wd::Column::Version)
        .into_tuple()
        .all(db)
        .await?;
    let mut newest: BTreeMap<String, i32> = BTreeMap::new();
    for (name, version) in rows {
        let v = newest.entry(name).or_insert(version);
        *v = (*v).max(version);
    }
    let mut out = BTreeMap::new();
    for (name, version) in newest {
        let def = definitions::get(db, &name, version).await?;
        out.insert(name, (version, def));
    }
    Ok(out)
}

/// Every stored definition with all its versions, newest first, and who saved each.
pub async fn list_definitions<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
) -> Result<Vec<DefinitionSummary>, AppError> {
    let rows: Vec<(String, i32, Option<i64>, DateTime<Utc>)> = wd::Entity::find()
        .select_only()
        .column(wd::Column::Name)
        .column(wd::Column::Version)
        .column(wd::Column::CreatedBy)
        .column(wd::Column::CreatedAt)
        .order_by_asc(wd::Column::Name)
        .order_by_desc(wd::Column::Version)
        .into_tuple()
        .all(db)
        .await?;
    let authors: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    let names: HashMap<i64, String> = if authors.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(authors))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.full_name))
            .collect()
    };
    let newest = newest_definitions(db).await?;
    let mut out: Vec<DefinitionSummary> = Vec::new();
    for (name, version, by, at) in rows {
        if out.last().is_none_or(|d| d.name != name) {
            let Some((_, def)) = newest.get(&name) else {
                continue;
            };
            out.push(DefinitionSummary {
                label: def.labels.get(lang.code()).to_string(),
                case_type: def.case_type.clone(),
                calendar: def.calendar.code().to_string(),
                name: name.clone(),
                versions: Vec::new(),
            });
        }
        if let Some(d) = out.last_mut() {
            d.versions.push(DefinitionVersion {
                version,
                created_at: at,
                created_by: by
                    .map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))),
            });
        }
    }
    Ok(out)
}

/// Every stored definition with its versions (any administrator).
pub async fn definitions_for(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    lang: Lang,
) -> Result<Vec<DefinitionSummary>, AppError> {
    admin(principal)?;
    list_definitions(db, lang).await
}

// --- choices ------------------------------------------------------------------------------

/// What each kind of case follows at `inst`, with the definitions it may follow.
async fn kind_choices<C: ConnectionTrait>(
    db: &C,
    inst: &institution::Model,
    lang: Lang,
) -> Result<Vec<KindChoice>, AppError> {
    let chosen: HashMap<String, String> = iw::Entity::find()
        .filter(iw::Column::InstitutionId.eq(inst.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.case_kind, r.workflow_name))
        .collect();
    let newest = newest_definitions(db).await?;
    Ok(CHOOSABLE_KINDS
        .iter()
        .map(|kind| {
            let default = definitions::workflow_name_for(&inst.calendar, kind);
            let chosen = chosen.get(*kind).cloned();
            let workflow = chosen.clone().unwrap_or_else(|| default.clone());
            let case_type = case_type_of(kind);
            KindChoice {
                kind: kind.to_string(),
                version: newest.get(&workflow).map(|(v, _)| *v),
                options: newest
                    .iter()
                    .filter(|(_, (_, def))| Some(def.case_type.as_str()) == case_type)
                    .filter(|(_, (_, def))| registers(def))
                    .map(|(name, (_, def))| WorkflowOption {
                        name: name.clone(),
                        label: def.labels.get(lang.code()).to_string(),
                    })
                    .collect(),
                chosen,
                default,
                workflow,
            }
        })
        .collect())
}

/// What each kind of case follows at institution `id` (its administrators).
pub async fn choices(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    lang: Lang,
) -> Result<Vec<KindChoice>, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, id).await?;
    kind_choices(db, &inst, lang).await
}

/// The new choices of an institution: kind → definition name, or `null` (or blank) for the
/// default rule. Kinds left out keep theirs.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoicesInput {
    pub choices: BTreeMap<String, Option<String>>,
}

/// Changes which definition kinds of case follow at institution `id` (its administrators);
/// each refused kind is named (`choice_invalid`: not a kind; `workflow_unknown`: no such
/// definition; `workflow_case_type`: a definition for another kind of case;
/// `workflow_not_fileable`: filing could not register a case of it). Recorded in the
/// institution's chain with each changed kind; nothing changed, nothing written.
pub async fn set_choices(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    input: &ChoicesInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<KindChoice>, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, id).await?;
    let mut problems = FieldErrors::new();
    let mut wanted: Vec<(&str, Option<String>)> = Vec::new();
    for (kind, name) in &input.choices {
        let Some(kind) = CHOOSABLE_KINDS.iter().find(|k| **k == kind.as_str()) else {
            problems
                .entry(kind.clone())
                .or_default()
                .push("choice_invalid".into());
            continue;
        };
        let name = name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        if let Some(n) = &name {
            let code = match definitions::get_latest(db, n).await {
                Err(AppError::NotFound) => Some("workflow_unknown"),
                Err(e) => return Err(e),
                Ok((_, def)) if Some(def.case_type.as_str()) != case_type_of(kind) => {
                    Some("workflow_case_type")
                }
                Ok((_, def)) if !registers(&def) => Some("workflow_not_fileable"),
                Ok(_) => None,
            };
            if let Some(code) = code {
                problems
                    .entry(kind.to_string())
                    .or_default()
                    .push(code.into());
                continue;
            }
        }
        wanted.push((kind, name));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation {
            message: "the choice of workflows does not check".into(),
            fields: problems,
        });
    }
    let txn = db.begin().await?;
    let mut changes = serde_json::Map::new();
    for (kind, name) in wanted {
        let current = iw::Entity::find()
            .filter(iw::Column::InstitutionId.eq(inst.id))
            .filter(iw::Column::CaseKind.eq(kind))
            .one(&txn)
            .await?;
        let before = current.as_ref().map(|r| r.workflow_name.clone());
        if before == name {
            continue;
        }
        match (current, &name) {
            (Some(row), None) => {
                iw::Entity::delete_by_id(row.id).exec(&txn).await?;
            }
            (Some(row), Some(n)) => {
                let mut a = row.into_active_model();
                a.workflow_name = Set(n.clone());
                a.updated_by = Set(Some(account.user_id));
                a.updated_at = Set(now);
                a.update(&txn).await?;
            }
            (None, Some(n)) => {
                iw::ActiveModel {
                    institution_id: Set(inst.id),
                    case_kind: Set(kind.to_string()),
                    workflow_name: Set(n.clone()),
                    updated_by: Set(Some(account.user_id)),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(|e| match e.sql_err() {
                    Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
                        "another change chose a workflow meanwhile: try again".into(),
                    ),
                    _ => e.into(),
                })?;
            }
            (None, None) => {}
        }
        changes.insert(kind.to_string(), json!([before, name]));
    }
    if !changes.is_empty() {
        audit::record(
            &txn,
            audit::Entry::new("admin.workflow.choose")
                .chain(Some(inst.id))
                .by(Some(account.user_id), "admin")
                .target("institution", inst.id)
                .details(json!({ "changes": changes })),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    kind_choices(db, &inst, lang).await
}

// --- the page -----------------------------------------------------------------------------

/// The page `/admin/fluxuri` (administrators): the definitions with their versions, the
/// choices of the institutions the reader administers and, for the portal's administrators,
/// the editor: on draft `draft` (with its problems or its preview for `filed`), or on the
/// newest version of `start`.
pub async fn page(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    lang: Lang,
    start: Option<&str>,
    draft: Option<i64>,
    filed: NaiveDate,
) -> Result<WorkflowAdminPage, AppError> {
    let account = admin(principal)?;
    let can_edit = may_edit_definitions(db, account).await?;
    let definitions = list_definitions(db, lang).await?;
    let mut institutions = Vec::new();
    for inst in institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| account.administers(i.id))
    {
        institutions.push(InstitutionWorkflows {
            institution_id: inst.id,
            name: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
            kinds: kind_choices(db, &inst, lang).await?,
        });
    }
    let mut page = WorkflowAdminPage {
        can_edit,
        definitions,
        institutions,
        source: String::new(),
        start: None,
        draft: None,
        draft_missing: false,
    };
    if !can_edit {
        return Ok(page);
    }
    if let Some(id) = draft {
        match own_draft(db, account, id).await? {
            Some(row) => {
                let view = draft_view(db, row, filed, lang).await?;
                page.source = view.source.clone();
                page.draft = Some(view);
            }
            None => page.draft_missing = true,
        }
    } else if let Some(name) = start
        && let Some(row) = newest_row(db, name).await?
    {
        page.source = row.source;
        page.start = Some(row.name);
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_definition_can_register_new_cases() {
        for name in workflow::builtin_names() {
            let def = workflow::builtin(name).unwrap();
            assert!(registers(&def), "{name}");
        }
    }

    #[test]
    fn a_register_that_system_may_not_fire_is_not_fileable() {
        let source = workflow::builtin_source("md-petition").unwrap();
        let changed = source.replacen(
            "roles = [\"system\", \"officer\"]",
            "roles = [\"officer\"]",
            1,
        );
        let def = Definition::from_toml(&changed).unwrap();
        assert!(!registers(&def));
        // The problem points at the transition.
        let line = transition_line(&changed, REGISTER);
        assert_eq!(
            changed.lines().nth(line - 1).map(str::trim),
            Some("id = \"register\"")
        );
    }

    #[test]
    fn keys_are_found_by_their_line() {
        let src = "# comment\nname = \"x\"\n  case_type = \"petition\"\n";
        assert_eq!(line_of(src, "name"), 2);
        assert_eq!(line_of(src, "case_type"), 3);
        assert_eq!(line_of(src, "calendar"), 1, "missing: the first line");
        assert_eq!(transition_line(src, "register"), 1);
    }
}
