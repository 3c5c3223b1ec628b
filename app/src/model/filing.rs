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
    /// The answers to the category's own questions, keyed by the question's code (the form:
    /// `{category_id}.{code}`; see `backend::category_fields`).
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, String>,
}

/// The JSON API's filing body (`POST /api/v1/cases`): the form's fields, with the ids as
/// numbers and the consents as booleans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCaseBody {
    pub kind: String,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    /// A service of the registry (`GET /api/v1/services`).
    pub service_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub address: Option<String>,
    pub about_decision: Option<Decision>,
    pub postal_address: Option<String>,
    #[serde(default)]
    pub consent_processing: bool,
    #[serde(default)]
    pub consent_publish: bool,
    /// File although a similar case of the petitioner is still open.
    #[serde(default)]
    pub confirm_repeat: bool,
    /// A prior complaint against the answer of this (own) case.
    pub linked_case_id: Option<i64>,
    /// The answers to the category's own questions, by the question's code (the category's
    /// definition in `GET /api/v1/filing-options` or Open311's service definition).
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, String>,
}

/// The decision a prior complaint contests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Decision {
    pub number: Option<String>,
    pub date: Option<String>,
}

impl NewCaseBody {
    /// The body as the form would have sent it (a signed-in citizen's: no name or address).
    pub fn into_input(self) -> FilingInput {
        let flag = |on: bool| on.then(|| "on".to_string());
        let (decision_number, decision_date) = self
            .about_decision
            .map_or((None, None), |d| (d.number, d.date));
        FilingInput {
            kind: self.kind,
            department_id: self.department_id.map(|d| d.to_string()),
            category_id: self.category_id.map(|c| c.to_string()),
            service_id: self.service_id.map(|c| c.to_string()),
            subject: self.subject,
            body: self.body,
            address: self.address,
            decision_number,
            decision_date,
            postal_address: self.postal_address,
            consent_processing: flag(self.consent_processing),
            consent_publish: flag(self.consent_publish),
            confirm_repeat: flag(self.confirm_repeat),
            full_name: None,
            email: None,
            linked_case_id: self.linked_case_id.map(|id| id.to_string()),
            channel: None,
            extra: self.extra,
        }
    }
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
    /// The questions of the categories that ask some beyond the standard ones.
    #[serde(default)]
    pub category_fields: Vec<crate::model::categories::CategoryFields>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_body_reads_as_the_form_would_send_it() {
        let body: NewCaseBody = serde_json::from_str(
            r#"{"kind": "prior_complaint", "department_id": 3, "subject": "S", "body": "B",
                "about_decision": {"number": "12/3", "date": "2026-01-15"},
                "consent_processing": true, "linked_case_id": 9}"#,
        )
        .expect("a valid body");
        let input = body.into_input();
        assert_eq!(input.department_id.as_deref(), Some("3"));
        assert_eq!(input.decision_number.as_deref(), Some("12/3"));
        assert_eq!(input.decision_date.as_deref(), Some("2026-01-15"));
        assert_eq!(input.consent_processing.as_deref(), Some("on"));
        assert_eq!(input.consent_publish, None);
        assert_eq!(input.linked_case_id.as_deref(), Some("9"));
        assert_eq!(
            (input.full_name, input.email, input.channel),
            (None, None, None)
        );
    }
}
