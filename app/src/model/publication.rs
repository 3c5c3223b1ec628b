//! Publishing a case: the officer's draft (the case's texts with the personal data found in
//! them), the choice sent back, the publication's state on the staff page, and the published
//! version the public reads.

use serde::{Deserialize, Serialize};

use crate::redaction::Kind;

/// The most strings an officer may add by hand, and the longest one (characters).
pub const EXTRA_MAX: usize = 50;
pub const EXTRA_LEN_MAX: usize = 200;
/// The longest public list page.
pub const PUBLIC_PER_PAGE_MAX: u64 = 50;

/// A piece of personal data found in a text of the draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DraftSpan {
    /// `{field}:{start}-{end}`: how a choice names it (to keep it).
    pub id: String,
    pub kind: Kind,
    /// Character offsets (Unicode scalar values, not bytes) in the text: `start..end`.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// One text of the case as it stands, with what was found in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DraftText {
    /// `subject`, `body`, `address` (the place the case is about) or `answer` (the latest).
    pub field: String,
    pub text: String,
    pub spans: Vec<DraftSpan>,
}

/// Whether and how a case is published (on its staff page).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicationStatus {
    /// The petitioner consented to publication when filing.
    pub consent: bool,
    pub published: bool,
    /// RFC 3339.
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    /// Pieces removed from the published texts.
    pub redactions: i32,
}

/// The case's texts prepared for publication: each detected piece will be removed unless the
/// choice keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicationDraft {
    pub case_id: i64,
    pub registration_number: String,
    /// The case's version: send it back with the choice.
    pub version: i32,
    pub texts: Vec<DraftText>,
    /// The strings named by hand the draft was made with.
    pub extra: Vec<String>,
    pub status: PublicationStatus,
}

/// The officer's confirmation (`PUT /api/v1/cases/{id}/publication`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishChoice {
    /// The case's version the draft showed; a case changed since is refused (409).
    #[serde(default)]
    pub version: Option<i32>,
    /// The ids of detected pieces to leave in the text (not personal data); every other one
    /// is removed, also one found only now.
    #[serde(default)]
    pub keep: Vec<String>,
    /// More strings to remove wherever they occur (in any case, as whole words), at most 50
    /// of 2 to 200 characters.
    #[serde(default)]
    pub extra: Vec<String>,
}

/// `POST /api/v1/redaction/detect`: a text to look through.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DetectBody {
    pub text: String,
    /// Names to look for as well (the petitioner's).
    #[serde(default)]
    pub names: Vec<String>,
    /// Postal addresses to look for as well.
    #[serde(default)]
    pub addresses: Vec<String>,
}

/// What was found in a text (ids `text:{start}-{end}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Detected {
    pub spans: Vec<DraftSpan>,
}

/// A published case as anyone reads it: only the redacted texts, each removed piece shown as
/// the marker of the reader's language (`[date personale eliminate]`, `[персональные данные
/// удалены]`, `[personal data removed]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedCase {
    /// The case's id (its public page is `/publicate/{id}`).
    pub id: i64,
    pub registration_number: String,
    /// Named in the reader's language.
    pub kind: String,
    pub institution: String,
    pub category: Option<String>,
    pub status: String,
    pub outcome: Option<String>,
    /// `YYYY-MM-DD`.
    pub filed_on: String,
    pub answered_on: Option<String>,
    pub published_on: String,
    pub subject: String,
    pub body: String,
    pub address: Option<String>,
    pub answer: Option<String>,
    /// The marker each removed piece shows as.
    pub marker: String,
}

/// A line of the public list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedSummary {
    pub id: i64,
    pub registration_number: String,
    pub kind: String,
    pub subject: String,
    /// The start of the redacted text.
    pub excerpt: String,
    pub filed_on: String,
    pub published_on: String,
    pub answered: bool,
}

/// A page of the public list, newest publication first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedPage {
    pub items: Vec<PublishedSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub has_next: bool,
    pub marker: String,
}

/// The public list's query: `q` (words of the redacted subject and text), `page`, `per_page`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct PublishedQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
}
