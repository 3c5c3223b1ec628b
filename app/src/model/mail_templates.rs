//! The mail templates as the administration pages show them (`/admin/sabloane`).

use serde::{Deserialize, Serialize};

/// One template in one language, in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub template: String,
    pub lang: String,
    /// The administrator's version is in use (otherwise the built-in one).
    pub overridden: bool,
    /// When the administrator's version was saved (`YYYY-MM-DD HH:MM` UTC).
    pub updated_at: Option<String>,
}

/// A template's text in use, to edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateText {
    pub template: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub overridden: bool,
    /// The variables a template may name.
    pub variables: Vec<String>,
}

/// A text filled with the values of a sample case: what the recipient would read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePreview {
    pub subject: String,
    pub body: String,
}
