//! The administration of institutions, departments and routing rules: what the pages and the
//! JSON API show and send (see `backend::org_admin`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The country calendars an institution may count its terms by.
pub const CALENDARS: [&str; 2] = ["md", "ro"];
/// How the days of a term are counted (`crate::calendar::CountingRule`).
pub const COUNTING_RULES: [&str; 2] = ["plain", "free_days"];
/// The time zone of a new institution when none is given.
pub const DEFAULT_TIMEZONE: &str = "Europe/Chisinau";

/// An institution as its administrators see it (`InstitutionAdminView` in the OpenAPI document:
/// `InstitutionView` is the public reference data's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = InstitutionAdminView))]
pub struct InstitutionView {
    pub id: i64,
    pub slug: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    /// The name in the reader's language.
    pub name: String,
    /// The prefix of registration numbers (`CHI` in `CHI-2026-000123`).
    pub reg_prefix: String,
    /// `md` or `ro`.
    pub calendar: String,
    /// `plain` or `free_days`.
    pub counting_rule: String,
    /// An IANA time zone (`Europe/Chisinau`).
    pub timezone: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The department that examines "I don't know the department" cases nothing else routes.
    pub default_department_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// An institution to create (`slug` required) or its new settings (`slug`, if given, must be
/// the one it has: it names the institution in configuration and cannot change).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InstitutionInput {
    /// 2–64 of `a-z`, `0-9`, `-`.
    #[serde(default)]
    pub slug: Option<String>,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    /// 2–16 of `A-Z`, `0-9`; unique among institutions.
    pub reg_prefix: String,
    /// `md` or `ro`.
    pub calendar: String,
    /// `plain` or `free_days`.
    pub counting_rule: String,
    /// An IANA time zone; `Europe/Chisinau` when left out.
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// An active department of the institution (none when creating it).
    #[serde(default)]
    pub default_department_id: Option<i64>,
}

/// A department as the administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentView {
    pub id: i64,
    pub institution_id: i64,
    pub code: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    /// The name in the reader's language.
    pub name: String,
    /// The territorial area it covers, if any.
    pub area: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// Its cases not yet closed.
    pub open_cases: u64,
}

/// A department to create, or its new settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentInput {
    /// 1–64 of `a-z`, `0-9`, `-`, `_`; unique in the institution.
    pub code: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `false` deactivates the department (refused while it has open cases); left out: active
    /// when created, unchanged when updated.
    #[serde(default)]
    pub active: Option<bool>,
}

/// A routing rule as the administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoutingRuleView {
    pub id: i64,
    pub institution_id: i64,
    pub category_id: Option<i64>,
    /// The category's name in the reader's language.
    pub category: Option<String>,
    pub service_id: Option<i64>,
    pub service: Option<String>,
    pub area: Option<String>,
    pub department_id: i64,
    pub department: String,
    /// A rule to an inactive department routes nothing until it is active again.
    pub department_active: bool,
    pub created_at: DateTime<Utc>,
}

/// A routing rule to add: a service or a category (not both), or neither with an area; the
/// department it sends the matching cases to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoutingRuleInput {
    #[serde(default)]
    pub category_id: Option<i64>,
    #[serde(default)]
    pub service_id: Option<i64>,
    #[serde(default)]
    pub area: Option<String>,
    pub department_id: i64,
}

/// A value of a select list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgChoice {
    pub id: i64,
    pub name: String,
}

/// `/admin/institutii`: the institutions the reader administers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionList {
    /// The reader administers the whole portal and may add institutions.
    pub can_create: bool,
    pub institutions: Vec<InstitutionView>,
}

/// `/admin/institutii/{id}`: an institution with its departments, its routing rules and the
/// choices the rule form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionDetail {
    pub institution: InstitutionView,
    pub departments: Vec<DepartmentView>,
    pub rules: Vec<RoutingRuleView>,
    pub categories: Vec<OrgChoice>,
    pub services: Vec<OrgChoice>,
    /// The territorial areas the departments and services name.
    pub areas: Vec<String>,
}
