//! The administration of the service registry (`/admin/servicii`,
//! `/api/v1/admin/institutions/{id}/services…`): what the pages and the JSON API show and send
//! (see `backend::services_admin`), and the CSV format of its export and import.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Services on a page of the list, unless the request asks for another number.
pub const PER_PAGE: u64 = 50;
/// The most services on one page.
pub const MAX_PER_PAGE: u64 = 500;
/// The highest page number asked for.
pub const MAX_PAGE: u64 = 10_000;

/// The largest CSV file imported (1 MiB).
pub const IMPORT_MAX_BYTES: usize = 1024 * 1024;
/// The most services one CSV file holds (rows after the header).
pub const IMPORT_MAX_ROWS: usize = 5_000;
/// The most problems a page shows after a refused import (the JSON API lists them all).
pub const PAGE_PROBLEMS_MAX: usize = 50;

/// Who provides a service: the city's own (`public`) or an accredited private provider.
pub const PROVIDER_TYPES: [&str; 2] = ["public", "private"];

/// The columns of the CSV export, in order (the import takes them in any order; only `code`
/// is required, and a column left out keeps the stored value).
pub const CSV_COLUMNS: [&str; 13] = [
    "code",
    "name_ro",
    "name_ru",
    "name_en",
    "provider",
    "provider_type",
    "area",
    "address",
    "contact",
    "accredited",
    "active",
    "category_code",
    "department_code",
];

/// The filters of the list, as a plain GET form (and the JSON API's query) sends them; blank
/// ones filter nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct ServiceFilter {
    /// Words of the code, names, provider, area or address (case and diacritics ignored).
    #[serde(default)]
    pub q: Option<String>,
    /// The services of this territorial area (case ignored).
    #[serde(default)]
    pub area: Option<String>,
    /// `true`: the active services only; `false`: the deactivated ones only; blank: both.
    #[serde(default)]
    pub active: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<String>,
    /// 1–500; 50 when left out.
    #[serde(default)]
    pub per_page: Option<String>,
}

/// A service of the registry as its administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceAdminView {
    pub id: i64,
    pub institution_id: i64,
    /// Unique in the institution: 1–64 of `a-z`, `0-9`, `-`, `_`.
    pub code: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    /// The name in the reader's language.
    pub name: String,
    pub provider: String,
    /// `public` or `private`.
    pub provider_type: String,
    pub area: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub accredited: bool,
    /// A deactivated service is not listed to the public nor offered when filing; the cases
    /// that name it keep it.
    pub active: bool,
    pub category_id: Option<i64>,
    pub category_code: Option<String>,
    /// The category's name in the reader's language.
    pub category: Option<String>,
    pub department_id: Option<i64>,
    pub department_code: Option<String>,
    /// The department's name in the reader's language.
    pub department: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A page of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServicePage {
    pub items: Vec<ServiceAdminView>,
    /// The services matching the filters, on every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A service to create, or all of its new values (`PUT`: a field left out is blank).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceInput {
    /// 1–64 of `a-z`, `0-9`, `-`, `_` (typed upper-case, it is lowered); unique in the
    /// institution.
    pub code: String,
    /// Required, 1–300 characters.
    pub name_ro: String,
    /// Blank: the Romanian name.
    #[serde(default)]
    pub name_ru: Option<String>,
    /// Blank: the Romanian name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Who provides it; required, 1–300 characters.
    pub provider: String,
    /// `public` (when left out) or `private`.
    #[serde(default)]
    pub provider_type: Option<String>,
    /// A territorial area (up to 100 characters).
    #[serde(default)]
    pub area: Option<String>,
    /// Up to 500 characters.
    #[serde(default)]
    pub address: Option<String>,
    /// A telephone, an address, a web page (up to 300 characters).
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub accredited: bool,
    /// Left out: active when created, unchanged when updated.
    #[serde(default)]
    pub active: Option<bool>,
    /// A category of the same institution.
    #[serde(default)]
    pub category_id: Option<i64>,
    /// A department of the same institution.
    #[serde(default)]
    pub department_id: Option<i64>,
}

/// A choice of a form's select list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceChoice {
    pub value: String,
    pub label: String,
}

/// `/admin/servicii`: the institution's services, and the forms' choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesOverview {
    /// The institution shown.
    pub institution_id: i64,
    pub institution: String,
    /// The institutions the reader administers (a choice when more than one).
    pub institutions: Vec<ServiceChoice>,
    pub list: ServicePage,
    pub categories: Vec<ServiceChoice>,
    pub departments: Vec<ServiceChoice>,
    /// The areas of the institution's departments and services.
    pub areas: Vec<String>,
}

/// `/admin/servicii/{id}`: a service and the form's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub service: ServiceAdminView,
    pub institution: String,
    pub categories: Vec<ServiceChoice>,
    pub departments: Vec<ServiceChoice>,
    pub areas: Vec<String>,
    /// The cases that name the service.
    pub cases: u64,
}

/// A problem of an imported file: its line (1 is the header; 0: the file as a whole), the
/// column, and the code of what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub line: u64,
    /// A column of the header, or `file`.
    pub column: String,
    /// `name_length`, `service_code_format`, `import_duplicate_code`, `import_boolean`, …
    /// (a code followed by `:detail` names the value at fault).
    pub code: String,
}

/// What an import did, or would do (`dry_run`): nothing is stored while there is a problem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    /// Whether the changes were stored (never on a dry run, never with a problem).
    pub applied: bool,
    /// The services in the file.
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub problems: Vec<ImportProblem>,
}

/// The field key of an import problem in a validation error: `line-{line}-{column}` (`file`
/// for the file as a whole).
pub fn problem_key(line: u64, column: &str) -> String {
    if line == 0 {
        "file".into()
    } else {
        format!("line-{line}-{column}")
    }
}

/// The line and column of a key made by [`problem_key`].
pub fn parse_problem_key(key: &str) -> Option<(u64, &str)> {
    let rest = key.strip_prefix("line-")?;
    let (line, column) = rest.split_once('-')?;
    Some((line.parse().ok()?, column))
}

/// A boolean cell of the CSV import: `true`/`false`, `1`/`0`, `yes`/`no`, `da`/`nu`,
/// `да`/`нет` (case ignored); `None` when it is none of them.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "da" | "да" | "adevarat" | "adevărat" => Some(true),
        "false" | "0" | "no" | "n" | "nu" | "нет" | "fals" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_keys_round_trip() {
        assert_eq!(problem_key(0, "file"), "file");
        let k = problem_key(12, "name_ro");
        assert_eq!(parse_problem_key(&k), Some((12, "name_ro")));
        assert_eq!(parse_problem_key("file"), None);
    }

    #[test]
    fn booleans_in_three_languages() {
        for t in ["true", "TRUE", "1", "da", "Da", "да", "yes"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["false", "0", "nu", "НЕТ", "no"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }
}
