//! Data-subject rights and retention: a citizen's request to rectify or erase their personal
//! data (filed as a case of its own kind), staff's answer to it, and the retention settings.

use serde::{Deserialize, Serialize};

/// The kinds of case a data-subject request is filed as (both follow the `*-data-request`
/// workflow).
pub const RECTIFICATION: &str = "data_rectification";
pub const ERASURE: &str = "data_erasure";
pub const REQUEST_KINDS: [&str; 2] = [RECTIFICATION, ERASURE];

/// Whether `kind` is a data-subject request.
pub fn is_data_request(kind: &str) -> bool {
    REQUEST_KINDS.contains(&kind)
}

/// A citizen's request, as the account page's form (or the API) sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataRequestForm {
    /// `data_rectification` or `data_erasure`.
    pub kind: String,
    /// The institution that holds the data (the portal's first institution when left out).
    #[serde(default)]
    pub institution_id: Option<i64>,
    /// What to rectify and how, or what to erase and why (20 to 10,000 characters).
    pub text: String,
}

/// The receipt of a filed request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataRequestReceipt {
    pub id: i64,
    pub registration_number: String,
    pub kind: String,
    pub status: String,
    /// The last day to answer (`YYYY-MM-DD`): one month from registration.
    pub answer_due: Option<String>,
}

/// Staff's answer to a data-subject request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataAnswerForm {
    /// `rectify` (a rectification request), `erase` (an erasure request) or `refuse` (either).
    pub action: String,
    /// The answer mailed to the petitioner (a default text naming what was done when blank).
    #[serde(default)]
    pub answer: Option<String>,
    /// Why it is refused, mailed to the petitioner (for an erasure refused while files must be
    /// kept, the legal reason naming them when blank).
    #[serde(default)]
    pub reason: Option<String>,
    /// Rectification: the corrected name, e-mail address and postal address (blank: unchanged).
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub postal_address: Option<String>,
    /// The case's version the asker saw; a change meanwhile answers `409 conflict`.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

/// One of the petitioner's files the institution still keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KeptFile {
    pub case_id: i64,
    pub registration_number: String,
    /// `None` while the case is open; otherwise the last day it is kept (`YYYY-MM-DD`).
    pub kept_until: Option<String>,
    /// The retention period of its kind, in years.
    pub years: i32,
}

/// What staff see to answer a data-subject request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataRequestPanel {
    pub case_id: i64,
    pub kind: String,
    pub version: i32,
    /// The request can be answered now (its workflow offers the answers).
    pub open: bool,
    /// The petitioner's data as held now.
    pub full_name: String,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    /// The petitioner's other files at this institution that must still be kept (open, or
    /// closed less than their retention period ago): while there is one, erasure is refused.
    pub kept: Vec<KeptFile>,
    /// The legal reason a refusal of erasure gives, naming the files kept.
    pub refusal_reason: String,
}

/// The retention period of one institution and case kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RetentionPolicy {
    pub institution_id: i64,
    /// A case kind, or `*` for every kind without its own period.
    pub case_kind: String,
    /// Years after closing, 1 to 100.
    pub years: i32,
}

/// The retention settings an administrator may see and set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RetentionSettings {
    /// The period of an institution and kind without a row (years).
    pub default_years: i32,
    /// The case kinds a period may name (besides `*`).
    pub kinds: Vec<String>,
    pub policies: Vec<RetentionPolicy>,
}

/// What one run of the retention job did (or, dry, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionReport {
    pub dry_run: bool,
    /// The registration numbers of the cases anonymised (or due).
    pub anonymised: Vec<String>,
    /// Attachment files removed.
    pub files_removed: u64,
    /// The run stopped at its limit with cases still due.
    pub more: bool,
}
