//! Filing a case: the form as submitted (strings, as a plain HTML form sends them), what the
//! form offers, and the receipt.

use serde::{Deserialize, Serialize};

/// The kinds of case the portal takes, in the order the form offers them.
pub const KINDS: [&str; 4] = [
    "petition",
    "complaint",
    "prior_complaint",
    "information_request",
];

pub const SUBJECT_MIN: u64 = 5;
pub const SUBJECT_MAX: u64 = 200;
pub const BODY_MIN: u64 = 20;
pub const BODY_MAX: u64 = 10_000;
pub const ADDRESS_MAX: u64 = 500;

/// The filing form, field by field (empty strings for fields left blank).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingInput {
    pub kind: String,
    #[serde(default)]
    pub department_id: Option<String>,
    #[serde(default)]
    pub category_id: Option<String>,
    /// The registry service the case is about.
    #[serde(default)]
    pub service_id: Option<String>,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub decision_number: Option<String>,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub decision_date: Option<String>,
    #[serde(default)]
    pub postal_address: Option<String>,
    /// A checkbox: present (any value) when ticked.
    #[serde(default)]
    pub consent_processing: Option<String>,
    #[serde(default)]
    pub consent_publish: Option<String>,
    /// Without an account: the petitioner's name and e-mail address (confirmed by a link).
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// A prior complaint against the answer of this case (the petitioner's own).
    #[serde(default)]
    pub linked_case_id: Option<String>,
    /// Ticked to file although a similar case of the same petitioner is still open.
    #[serde(default)]
    pub confirm_repeat: Option<String>,
    /// Staff registering a petition on the petitioner's behalf: how it arrived (`paper`,
    /// `post`, `oral`, `email`).
    #[serde(default)]
    pub channel: Option<String>,
}

/// A choice in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Choice {
    pub id: i64,
    pub name: String,
    /// For a category: the kind of case it belongs to.
    pub kind: Option<String>,
}

/// What the filing form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FilingOptions {
    pub institution_id: i64,
    pub institution_name: String,
    pub departments: Vec<Choice>,
    pub categories: Vec<Choice>,
    /// The service registry, grouped by area (`""`: city-wide).
    pub services: Vec<(String, Vec<Choice>)>,
}

/// What filing led to: the receipt, or (without an account) a mail to confirm the address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Filed {
    Receipt(Receipt),
    AwaitingConfirmation { email: String },
}

/// How long the link confirming a filing without an account works (hours).
pub const CONFIRM_HOURS: i64 = 48;

/// What the petitioner gets right after filing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub id: i64,
    pub registration_number: String,
    pub status: String,
    pub filed_at: String,
    pub answer_due: Option<String>,
    pub tracking_url: String,
}

/// Attachments: at most this many files to one filing or reply…
pub const ATTACH_MAX_FILES: usize = 5;
/// …each at most this large…
pub const ATTACH_MAX_BYTES: usize = 10 * 1024 * 1024;
/// …and together at most this large.
pub const ATTACH_MAX_TOTAL: usize = 20 * 1024 * 1024;
/// The file types taken (checked by content on the server), for the file picker.
pub const ATTACH_ACCEPT: &str =
    ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.odt,.ods,.rtf";
