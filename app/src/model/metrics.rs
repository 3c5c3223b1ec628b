//! The managers' indicators as the browser and the JSON API see them.

use serde::{Deserialize, Serialize};

/// The period and scope asked for, as the dashboard's form sends it (every field text, so a
/// plain HTML form works; the service checks them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct MetricsQuery {
    /// First day of the period (`YYYY-MM-DD`, local); default: 12 weeks before `to`.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day of the period; default: today.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub institution_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
    /// The officer the cases are assigned to.
    #[serde(default)]
    pub assignee_id: Option<String>,
    #[serde(default)]
    pub category_id: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
}

/// Response times of the answers given in the period (pauses left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResponseStats {
    /// Answers whose response time is known.
    pub sample: u64,
    /// `None` under the minimum sample.
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    pub median_working_days: Option<i64>,
    pub p90_working_days: Option<i64>,
    /// How many answers took each number of calendar days, grouped for the chart:
    /// `(label, from_days, to_days, count)`.
    pub distribution: Vec<Bucket>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bucket {
    pub label: String,
    pub from_days: i64,
    /// Inclusive; `None`: and more.
    pub to_days: Option<i64>,
    pub count: u64,
}

/// The petitioners' ratings of the answers rated in the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Satisfaction {
    pub rated: u64,
    /// Of the answers given in the period, the percentage rated.
    pub share_rated: Option<f64>,
    /// Mean rating, 1 to 5, to one decimal.
    pub mean: Option<f64>,
    /// How many ratings of 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
}

/// One week of the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeekPoint {
    /// The Monday (`YYYY-MM-DD`).
    pub week: String,
    pub received: u64,
    pub answered: u64,
    /// Cases waiting for an answer at the end of the week (Sunday), exact.
    pub open_at_end: u64,
    /// Overdue cases at the end of the week, from the daily snapshot (`None` before the
    /// snapshots began).
    pub overdue_at_end: Option<u64>,
}

/// One department or officer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub received: u64,
    pub answered: u64,
    pub answered_on_time: u64,
    pub answered_late: u64,
    pub on_time_rate: Option<f64>,
    pub open: u64,
    pub overdue_open: u64,
    pub sample: u64,
    pub median_response_days: Option<i64>,
}

/// Every indicator of one period and scope. The names of the headline fields are the JSON
/// API's (`GET /api/v1/metrics`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Indicators {
    pub from: String,
    pub to: String,
    /// When these figures were computed, in the institution's time zone (`YYYY-MM-DD HH:MM`):
    /// a computed view is kept for up to `PETITIO_INDICATORS_CACHE_SECS`.
    #[serde(default)]
    pub computed_at: String,
    /// Filed (registered) in the period.
    pub received: u64,
    /// Answered in the period (an answer with its outcome).
    pub answered: u64,
    pub answered_on_time: u64,
    pub answered_late: u64,
    /// Of the answers, the percentage on time.
    pub on_time_rate: Option<f64>,
    /// Answered in the period as admitted or partly admitted.
    pub satisfied: u64,
    /// Satisfied against received in the period, in percent (the strategies' "requests
    /// satisfied versus filed").
    pub satisfied_rate: Option<f64>,
    /// Closed in the period by forwarding, dismissal, withdrawal.
    pub forwarded: u64,
    pub dismissed: u64,
    pub withdrawn: u64,
    /// Waiting for an answer now (neither answered nor closed), and of those overdue now.
    pub open_now: u64,
    pub overdue_open: u64,
    pub median_response_days: Option<i64>,
    pub p90_response_days: Option<i64>,
    pub response: ResponseStats,
    pub satisfaction: Satisfaction,
    pub weeks: Vec<WeekPoint>,
    pub by_department: Vec<GroupRow>,
    pub by_officer: Vec<GroupRow>,
    /// By registry service (cases that name one).
    pub by_service: Vec<GroupRow>,
}

/// One institution's public statistics (no personal data: no officers).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicStatistics {
    pub institution_id: i64,
    pub institution: String,
    pub indicators: Indicators,
}

/// What the dashboard's form offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsChoices {
    pub institutions: Vec<(i64, String)>,
    pub departments: Vec<(i64, String)>,
    pub officers: Vec<(i64, String)>,
    pub categories: Vec<(i64, String)>,
    pub services: Vec<(i64, String)>,
}
