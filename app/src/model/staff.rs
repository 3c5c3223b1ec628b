//! What staff see of a case beyond what the petitioner sees: who filed it and how, the terms
//! with how they were counted, internal notes, related cases, and the choices the action forms
//! offer.

use serde::{Deserialize, Serialize};

/// A value of a select list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The staff part of a case page (`None` for the petitioner and link holders).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffCaseView {
    pub petitioner_name: String,
    pub petitioner_email: Option<String>,
    pub petitioner_address: Option<String>,
    /// `online`, `paper`, `post`, `oral`, `email`, named in the reader's language.
    pub channel: String,
    pub kind: String,
    pub department: Option<String>,
    pub category: Option<String>,
    pub service: Option<String>,
    pub assignee: Option<String>,
    /// The place the petition is about.
    pub address: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<String>,
    pub timers: Vec<TimerView>,
    pub notes: Vec<NoteView>,
    pub related: Vec<RelatedCase>,
    /// For the forwarding form: the other institutions.
    pub institutions: Vec<Choice>,
    /// For the transfer form: the departments of the case's institution.
    pub departments: Vec<Choice>,
    /// For the assignment form: the officers of the case's department.
    pub officers: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    /// Ready-made texts for the case's category (and for every category).
    pub canned: Vec<CannedText>,
    /// Whether the petitioner consented to publication, and whether the case is published.
    pub publication: crate::model::publication::PublicationStatus,
}

/// A term of the case with the way it was counted, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimerView {
    pub id: String,
    pub label: String,
    /// `running`, `paused`, `expired`, `done`, named.
    pub status: String,
    pub due: String,
    /// "30 calendar days from registration on Friday 03.04.2026: …", then each pause and
    /// extension.
    pub explanation: Vec<String>,
}

/// An internal note (staff only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoteView {
    pub id: i64,
    pub author: String,
    pub at: String,
    pub body: String,
}

/// Another case that bears on this one, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RelatedCase {
    pub id: i64,
    pub registration_number: String,
    /// Named in the reader's language: "same petitioner", "contests this case", …
    pub relation: String,
    pub subject: String,
    pub status: String,
}

/// A canned answer, as the answer and request forms offer it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CannedText {
    pub id: i64,
    pub title: String,
    pub body: String,
}

/// A canned answer as its managers list and edit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CannedAnswer {
    pub id: i64,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    pub title: String,
    pub body: String,
    pub updated_at: String,
}

/// The canned-answer form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CannedInput {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub category_id: Option<String>,
    pub title: String,
    pub body: String,
}

pub const CANNED_TITLE_MAX: u64 = 200;
pub const CANNED_BODY_MAX: u64 = 10_000;
pub const NOTE_MAX: u64 = 5_000;

/// What a bulk assignment did, case by case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub assigned: Vec<String>,
    /// Registration number (or id) and why it was not assigned.
    pub refused: Vec<(String, String)>,
}

/// The channels a petition may arrive by when staff register it on the petitioner's behalf.
pub const CHANNELS_ON_BEHALF: [&str; 4] = ["paper", "post", "oral", "email"];
