//! The staff queues' filters, as a plain GET form (and the JSON API's query) sends them.

use serde::{Deserialize, Serialize};

/// Every filter of a queue; blank fields filter nothing. `view`: `mine` (assigned to me),
/// `unassigned` (my departments' cases nobody took), `all` (every case in my scope).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct QueueFilter {
    #[serde(default)]
    pub view: Option<String>,
    /// The JSON API's `assignee=me` (the same as `view=mine`).
    #[serde(default)]
    pub assignee: Option<String>,
    /// A state; `all`: open and closed; `waiting`: neither answered nor closed; blank: open.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub category_id: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
    /// `on` / `true`: overdue only.
    #[serde(default)]
    pub overdue: Option<String>,
    /// Due within this many days (overdue included).
    #[serde(default)]
    pub due_within: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub filed_from: Option<String>,
    #[serde(default)]
    pub filed_to: Option<String>,
    /// The officer the cases are assigned to.
    #[serde(default)]
    pub assignee_id: Option<String>,
    /// `online`, `paper`, `post`, `oral`, `email`.
    #[serde(default)]
    pub channel: Option<String>,
    /// Answered between these days (`YYYY-MM-DD`, inclusive).
    #[serde(default)]
    pub answered_from: Option<String>,
    #[serde(default)]
    pub answered_to: Option<String>,
    /// Closed between these days.
    #[serde(default)]
    pub closed_from: Option<String>,
    #[serde(default)]
    pub closed_to: Option<String>,
    /// `yes`: answered after the term; `no`: within it.
    #[serde(default)]
    pub late: Option<String>,
    /// `satisfied`: admitted or partly admitted.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Words of the number, subject, text or petitioner's name.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub per_page: Option<String>,
}

/// The longest "due within" accepted (days).
pub const DUE_WITHIN_MAX: i64 = 366;

/// Queues count their cases up to this many (then say "more than").
pub const COUNT_CAP: u64 = 1_000;

/// What the queue's filter form offers: the workflow's states, the departments and the
/// categories (id and name only: the page sends nothing it does not show).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueChoices {
    pub statuses: Vec<(String, String)>,
    pub departments: Vec<(i64, String)>,
    pub categories: Vec<(i64, String)>,
}

/// One line of the queue page: what its table shows and nothing more. The page sends its rows
/// to the browser once more for hydration, so every field here is paid twice per page; the JSON
/// API lists the fuller [`crate::model::case::CaseSummary`]. Serialized as an array, not an
/// object: 50 lines without their field names are a third shorter to write, escape and send.
/// (Serde's derived `Deserialize` reads a struct from an array of its fields in order, so only
/// `Serialize` is written by hand.)
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct QueueLine {
    pub id: i64,
    pub registration_number: String,
    pub subject: String,
    pub petitioner_name: String,
    pub status_label: String,
    /// `YYYY-MM-DD`.
    pub answer_due: Option<String>,
    /// Calendar days from today to the answer term (negative: past it).
    pub days_left: Option<i64>,
    pub overdue: bool,
}

impl Serialize for QueueLine {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            self.id,
            &self.registration_number,
            &self.subject,
            &self.petitioner_name,
            &self.status_label,
            &self.answer_due,
            self.days_left,
            self.overdue,
        )
            .serialize(s)
    }
}

/// One page of the queue page's lines (counted as [`crate::model::case::CasePage`] is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLines {
    pub items: Vec<QueueLine>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub has_next: bool,
}
