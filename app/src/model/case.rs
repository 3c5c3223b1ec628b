//! Cases as their readers see them.

use serde::{Deserialize, Serialize};

/// One step of a case's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoryItem {
    /// The step's id (attachments name the step they came with).
    pub id: i64,
    pub at: String,
    pub actor_role: String,
    pub transition: String,
    pub from: Option<String>,
    pub to: String,
    /// The state reached, named in the reader's language.
    pub to_label: String,
    pub note: Option<String>,
    /// The reason given (a request for information, an extension, an appeal…).
    pub reason: Option<String>,
    /// The institution's answer, on the step that answered.
    pub answer: Option<String>,
    pub outcome: Option<String>,
    /// The answer term this step set (registration, extension, resumption).
    pub due: Option<String>,
    /// The institution the case was forwarded to, named in the reader's language.
    pub forwarded_to: Option<String>,
}

/// A case with its history (internal steps only for staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseView {
    pub id: i64,
    pub registration_number: String,
    pub kind: String,
    pub status: String,
    /// The status named in the reader's language.
    pub status_label: String,
    pub subject: String,
    pub body: String,
    /// The answers to the category's own questions, with their labels as filed.
    #[serde(default)]
    pub extra: Vec<crate::model::categories::AnswerView>,
    pub institution_id: i64,
    pub department_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub filed_at: String,
    pub answer_due: Option<String>,
    pub overdue: bool,
    /// The case's version: send it back with a transition to refuse a stale one.
    pub version: i32,
    pub history: Vec<HistoryItem>,
    /// What the asker may do now (the workflow's transitions for their roles on this case).
    pub available_transitions: Vec<ActionView>,
    /// The petitioner's rating of the answer (1–5), with the comment.
    pub rating: Option<i32>,
    pub rating_comment: Option<String>,
    /// The asker may rate the answer now (the petitioner, once the case is answered).
    pub can_rate: bool,
    /// The files filed with the case and with its steps (an answer's, a reply's).
    pub attachments: Vec<AttachmentView>,
    /// What staff see beyond the petitioner's view (`None` for the petitioner).
    pub staff: Option<crate::model::staff::StaffCaseView>,
}

/// A file attached to a case (downloaded from `/fisiere/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    /// The history step it came with (`None`: filed with the case).
    pub event_id: Option<i64>,
}

/// A transition the asker may fire now, with the fields it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionView {
    pub id: String,
    pub label: String,
    pub fields: Vec<String>,
    pub optional: Vec<String>,
    /// The most days an extension may add (transitions that extend a term).
    #[serde(default)]
    pub extension_max: Option<u32>,
}

/// A line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: i64,
    pub registration_number: String,
    pub kind: String,
    pub status: String,
    pub status_label: String,
    pub subject: String,
    pub institution_id: i64,
    pub department_id: Option<i64>,
    pub filed_at: String,
    pub answer_due: Option<String>,
    pub overdue: bool,
    /// Calendar days from today to the answer term (negative: past it).
    pub days_left: Option<i64>,
    pub assignee_id: Option<i64>,
    /// In staff queues only.
    pub petitioner_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Another page follows (the total may be capped).
    #[serde(default)]
    pub has_next: bool,
}
