//! What the workflow pages show: a definition as a diagram, its terms and a deadline preview.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowSummary {
    pub name: String,
    pub label: String,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerRow {
    pub id: String,
    pub label: String,
    /// "30 calendar days, plain", in the page's language.
    pub term: String,
    pub reminders: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionRow {
    pub label: String,
    pub from: String,
    pub to: String,
    pub roles: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowView {
    pub name: String,
    pub label: String,
    pub version: i32,
    pub calendar: String,
    pub counting: String,
    /// The diagram, a complete `<svg>` element rendered on the server (all text escaped).
    pub svg: String,
    pub timers: Vec<TimerRow>,
    pub transitions: Vec<TransitionRow>,
    /// The filing date of the preview, YYYY-MM-DD.
    pub filed: String,
    /// (timer label, last day to act, weekday) for a case registered on `filed`.
    pub preview: Vec<(String, String, String)>,
}
