//! Reading cases, always through the asker's scope ([`auth::case_scope`]): a case outside it
//! answers `NotFound`, exactly like a case that does not exist.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::auth::{self, Principal};
use super::entity::{case_event, institution, petition_case};
use super::portal::localized;
use super::{case_actions, definitions};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::case::{CasePage, CaseSummary, CaseView, HistoryItem};

/// Filters of the case list.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub department_id: Option<i64>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

pub const MAX_PER_PAGE: u64 = 100;

/// Whether `principal` sees the internal steps of `case` (staff of its scope do; the
/// petitioner and tracking-link holders see the public ones).
pub(crate) fn sees_internal(principal: &Principal, case: &petition_case::Model) -> bool {
    match principal {
        Principal::CaseLink { .. } => false,
        Principal::User(a) => a.is_staff() && case.petitioner_id != Some(a.user_id),
    }
}

/// A text the engine recorded with a history step (its `HistoryEntry` as JSON).
fn data_text(data: &Option<serde_json::Value>, key: &str) -> Option<String> {
    data.as_ref()?.get(key)?.as_str().map(str::to_string)
}

fn data_i64(data: &Option<serde_json::Value>, key: &str) -> Option<i64> {
    data.as_ref()?.get(key)?.as_i64()
}

/// The answer term a step set (started, extended or resumed), `YYYY-MM-DD`.
fn answer_due_set(data: &Option<serde_json::Value>) -> Option<String> {
    data.as_ref()?
        .get("timer_changes")?
        .as_array()?
        .iter()
        .filter(|c| c.get("timer").and_then(|t| t.as_str()) == Some("answer_due"))
        .filter_map(|c| c.get("due")?.as_str().map(str::to_string))
        .next_back()
}

/// One case with its history. A staff member's read is recorded in the audit trail.
pub async fn get_case(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
    lang: Lang,
) -> Result<CaseView, AppError> {
    let case = auth::visible_case(db, principal, case_id).await?;
    let loaded = super::transitions::load(db, case.id).await?;
    let roles = principal
        .map(|p| case_actions::roles_for(p, &case))
        .unwrap_or_default();
    let available_transitions = case_actions::available(&loaded, &roles, lang);
    let can_rate = super::rating::may_rate(&roles, &case);
    let def = loaded.definition.clone();
    let label = |state: &str| def.state_label(state, lang.code());
    let internal = principal.is_some_and(|p| sees_internal(p, &case));
    let mut q = case_event::Entity::find().filter(case_event::Column::CaseId.eq(case.id));
    if !internal {
        q = q.filter(case_event::Column::Public.eq(true));
    }
    let events = q
        .order_by_asc(case_event::Column::At)
        .order_by_asc(case_event::Column::Id)
        .all(db)
        .await?;
    // The institutions cases were forwarded to, named in the reader's language.
    let mut targets = std::collections::BTreeMap::new();
    for id in events
        .iter()
        .filter_map(|e| data_i64(&e.data, "target_institution_id"))
    {
        if let std::collections::btree_map::Entry::Vacant(slot) = targets.entry(id)
            && let Some(i) = institution::Entity::find_by_id(id).one(db).await?
        {
            slot.insert(localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string());
        }
    }
    let staff = match principal {
        Some(p) => super::staff_case::view(db, p, &loaded, &events, lang).await?,
        None => None,
    };
    let history = events
        .into_iter()
        .map(|e| HistoryItem {
            due: answer_due_set(&e.data),
            forwarded_to: data_i64(&e.data, "target_institution_id")
                .and_then(|id| targets.get(&id).cloned()),
            id: e.id,
            at: e.at.to_rfc3339(),
            actor_role: e.actor_role,
            transition: e.transition,
            from: e.from_state,
            to_label: label(&e.to_state),
            to: e.to_state,
            note: e.note,
            reason: data_text(&e.data, "reason"),
            answer: data_text(&e.data, "answer"),
            outcome: data_text(&e.data, "outcome"),
        })
        .collect::<Vec<HistoryItem>>();
    let events: Vec<i64> = history.iter().map(|h| h.id).collect();
    let attachments =
        super::attachments::of_case(db, case.id, (!internal).then_some(events.as_slice())).await?;
    // A staff member reads the case with its personal data: one audit record per read, written
    // before the data leaves (no record, no data).
    if internal && let Some(account) = principal.and_then(Principal::account) {
        super::audit::record(
            db,
            super::audit::Entry::new(super::audit::action::CASE_READ)
                .case(case.id, case.institution_id)
                .by_account(account, Some(case.institution_id)),
            chrono::Utc::now(),
        )
        .await?;
    }
    Ok(CaseView {
        id: case.id,
        registration_number: case.registration_number,
        kind: case.kind,
        status_label: label(&case.status),
        status: case.status,
        subject: case.subject,
        body: case.body,
        extra: super::category_fields::answers_view(case.extra_fields.as_ref(), lang),
        institution_id: case.institution_id,
        department_id: case.department_id,
        assignee_id: case.assignee_id,
        filed_at: case.filed_at.to_rfc3339(),
        answer_due: case.answer_due.map(|d| d.to_string()),
        overdue: case.overdue,
        version: case.version,
        history,
        available_transitions,
        rating: case.rating,
        rating_comment: case.rating_comment,
        can_rate,
        attachments,
        staff,
    })
}

/// The cases `principal` may see, newest first.
pub async fn list_cases(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: CaseFilter,
    lang: Lang,
) -> Result<CasePage, AppError> {
    let principal = principal.ok_or(AppError::Unauthorized)?;
    let q = petition_case::Entity::find().filter(auth::case_scope(principal));
    page_of(db, q, filter, lang).await
}

/// The cases a user filed as petitioner (a citizen's "my cases", also for staff accounts).
pub async fn own_cases(
    db: &DatabaseConnection,
    user_id: i64,
    filter: CaseFilter,
    lang: Lang,
) -> Result<CasePage, AppError> {
    let q = petition_case::Entity::find().filter(petition_case::Column::PetitionerId.eq(user_id));
    page_of(db, q, filter, lang).await
}

/// What a line of a list shows of a case: not its texts (a text may hold 10,000 characters, and
/// a page lists 50 cases).
#[derive(Clone, Debug, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "petition_case::Entity")]
pub(crate) struct ListRow {
    pub id: i64,
    pub institution_id: i64,
    pub department_id: Option<i64>,
    pub kind: String,
    pub status: String,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub registration_number: String,
    pub petitioner_name: String,
    pub subject: String,
    pub assignee_id: Option<i64>,
    pub answer_due: Option<chrono::NaiveDate>,
    pub overdue: bool,
    pub filed_at: chrono::DateTime<chrono::Utc>,
}

/// A case as a line of a list (with the petitioner's name for staff queues).
pub(crate) async fn summary<C: sea_orm::ConnectionTrait>(
    db: &C,
    c: ListRow,
    lang: Lang,
    today: chrono::NaiveDate,
    staff: bool,
) -> Result<CaseSummary, AppError> {
    let def = definitions::get(db, &c.workflow_name, c.workflow_version).await?;
    Ok(CaseSummary {
        id: c.id,
        registration_number: c.registration_number,
        kind: c.kind,
        status_label: def.state_label(&c.status, lang.code()),
        status: c.status,
        subject: c.subject,
        institution_id: c.institution_id,
        department_id: c.department_id,
        filed_at: c.filed_at.to_rfc3339(),
        answer_due: c.answer_due.map(|d| d.to_string()),
        days_left: c.answer_due.map(|d| (d - today).num_days()),
        overdue: c.overdue,
        assignee_id: c.assignee_id,
        petitioner_name: staff.then_some(c.petitioner_name),
    })
}

async fn page_of(
    db: &DatabaseConnection,
    mut q: sea_orm::Select<petition_case::Entity>,
    filter: CaseFilter,
    lang: Lang,
) -> Result<CasePage, AppError> {
    let per_page = filter.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    if let Some(status) = filter.status.filter(|s| !s.is_empty()) {
        q = q.filter(petition_case::Column::Status.eq(status));
    }
    if let Some(dept) = filter.department_id {
        q = q.filter(petition_case::Column::DepartmentId.eq(dept));
    }
    let paginator = q
        .order_by_desc(petition_case::Column::FiledAt)
        .order_by_desc(petition_case::Column::Id)
        .into_partial_model::<ListRow>()
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let has_next = page * per_page < total;
    let today = chrono::Utc::now().date_naive();
    let mut items = Vec::new();
    for c in paginator.fetch_page(page - 1).await? {
        items.push(summary(db, c, lang, today, false).await?);
    }
    Ok(CasePage {
        items,
        total,
        page,
        per_page,
        has_next,
    })
}
