//! Categories and their own questions ("extra fields"): as the filing form asks them, as a
//! case shows the answers, and as the administration edits them.

use serde::{Deserialize, Serialize};

/// The kinds of question a category can ask.
pub const FIELD_TYPES: [&str; 5] = ["text", "number", "date", "choice", "yes_no"];

/// The longest answer to a `text` question (characters).
pub const ANSWER_MAX: usize = 1000;
/// The most questions one category asks.
pub const FIELDS_MAX: usize = 30;
/// The most options one `choice` question offers.
pub const OPTIONS_MAX: usize = 50;

/// One question as the filing form asks it, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldView {
    pub code: String,
    pub label: String,
    /// `text`, `number`, `date`, `choice`, `yes_no`
    pub field_type: String,
    pub required: bool,
    /// For `choice`: the options as (value, label).
    pub options: Vec<(String, String)>,
}

/// The questions of one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryFields {
    pub category_id: i64,
    pub category_name: String,
    pub fields: Vec<FieldView>,
}

/// One answer of a filed case, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnswerView {
    pub code: String,
    pub label: String,
    /// The value as given (`true`/`false` for yes/no, an option's value for a choice).
    pub value: String,
    /// The value as read (an option's label, "Yes").
    pub text: String,
}

/// A question as the administration shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldAdminView {
    pub id: i64,
    pub code: String,
    pub label_ro: String,
    pub label_ru: String,
    pub label_en: String,
    pub field_type: String,
    pub required: bool,
    /// For `choice`: one option per line, `value | ro | ru | en`.
    pub options: String,
    pub position: i32,
}

/// A category as the administration shows it, with its questions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryAdminView {
    pub id: i64,
    pub institution_id: i64,
    pub code: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    /// `petition`, `complaint`, `prior_complaint`, `information_request`
    pub case_kind: String,
    pub default_department_id: Option<i64>,
    pub active: bool,
    /// Cases filed in this category.
    pub cases: u64,
    pub fields: Vec<FieldAdminView>,
}

/// The categories page: an institution's categories, and what the forms offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryList {
    pub institution_id: i64,
    pub institution_name: String,
    /// The institutions the administrator may choose among (one for an institution's
    /// administrator).
    pub institutions: Vec<(i64, String)>,
    /// The institution's active departments (a category's default department).
    pub departments: Vec<(i64, String)>,
    pub categories: Vec<CategoryAdminView>,
}

/// A category as a form or the JSON API sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryInput {
    pub code: String,
    pub name_ro: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub name_en: String,
    pub case_kind: String,
    /// A department id, or blank for none.
    #[serde(default)]
    pub default_department_id: Option<String>,
    /// A checkbox: present when ticked (the JSON API: any value but `false`).
    #[serde(default)]
    pub active: Option<String>,
}

/// A question as a form or the JSON API sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldInput {
    pub code: String,
    pub label_ro: String,
    #[serde(default)]
    pub label_ru: String,
    #[serde(default)]
    pub label_en: String,
    pub field_type: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub required: Option<String>,
    /// For `choice`: one option per line, `value | ro | ru | en` (ru and en default to ro).
    #[serde(default)]
    pub options: String,
    /// The place among the category's questions (blank: last).
    #[serde(default)]
    pub position: Option<String>,
}
