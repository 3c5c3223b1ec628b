//! The administration of workflows (`/admin/fluxuri`): the stored definitions with their
//! versions, a document being checked before it is saved, and each institution's choice of
//! definition per kind of case (see `backend::workflow_admin`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::workflow_view::WorkflowView;

/// The kinds of case an institution chooses a definition for, in the order the page lists
/// them: those of the filing form, then the data subject's requests.
pub const CHOOSABLE_KINDS: [&str; 6] = [
    "petition",
    "complaint",
    "prior_complaint",
    "information_request",
    "data_rectification",
    "data_erasure",
];

/// The `case_type` a definition must declare to serve cases of `kind` (`None`: not a kind).
pub fn case_type_of(kind: &str) -> Option<&'static str> {
    match kind {
        "petition" | "complaint" => Some("petition"),
        "prior_complaint" => Some("prior_complaint"),
        "information_request" => Some("information_request"),
        "data_rectification" | "data_erasure" => Some("data_request"),
        _ => None,
    }
}

/// One problem of a definition document; line and column are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkflowProblem {
    pub line: usize,
    pub column: usize,
    /// What is wrong, as the validator says it (English: it quotes the document's keys).
    pub message: String,
}

/// One stored version of a definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DefinitionVersion {
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// Who saved it (their name); `None` for the version shipped with Petitio.
    pub created_by: Option<String>,
}

/// A stored definition with every version, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DefinitionSummary {
    pub name: String,
    /// The newest version's title in the reader's language.
    pub label: String,
    /// `petition`, `prior_complaint`, `information_request` or `data_request`.
    pub case_type: String,
    /// `md` or `ro`.
    pub calendar: String,
    pub versions: Vec<DefinitionVersion>,
}

/// What new cases of one kind follow at one institution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KindChoice {
    /// `petition`, `complaint`, `prior_complaint`, `information_request`,
    /// `data_rectification` or `data_erasure`.
    pub kind: String,
    /// The definition the institution's administrators chose; `None`: the default rule.
    pub chosen: Option<String>,
    /// The definition the default rule gives (`{calendar}-{kind}`).
    pub default: String,
    /// The definition new cases of this kind follow, and its newest version (theirs).
    pub workflow: String,
    pub version: Option<i32>,
    /// The definitions that may serve this kind.
    pub options: Vec<WorkflowOption>,
}

/// A definition one may choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkflowOption {
    pub name: String,
    /// Its title in the reader's language.
    pub label: String,
}

/// One institution's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionWorkflows {
    pub institution_id: i64,
    pub name: String,
    pub kinds: Vec<KindChoice>,
}

/// A document being checked (`/admin/fluxuri?ciorna={id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub source: String,
    /// Every problem, in document order; empty when the document checks.
    pub problems: Vec<WorkflowProblem>,
    /// The definition it names, when it checks.
    pub name: Option<String>,
    /// The newest stored version of that definition (`None`: a new definition).
    pub latest_version: Option<i32>,
    /// The same document as the newest version: saving would store nothing.
    pub unchanged: bool,
    /// Drawn, with its terms and deadlines, when it checks.
    pub preview: Option<WorkflowView>,
}

/// The page `/admin/fluxuri`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowAdminPage {
    /// The reader may upload and save definitions (the portal's administrators).
    pub can_edit: bool,
    pub definitions: Vec<DefinitionSummary>,
    /// The institutions the reader administers, with their choices.
    pub institutions: Vec<InstitutionWorkflows>,
    /// The document the editor starts with: the draft's, or the newest version of the
    /// definition asked for, or none.
    pub source: String,
    /// The definition the editor was opened on (`?sursa=`).
    pub start: Option<String>,
    pub draft: Option<DraftView>,
    /// The draft asked for is gone (saved, replaced by newer ones, or a day old).
    pub draft_missing: bool,
}
