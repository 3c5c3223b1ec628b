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
