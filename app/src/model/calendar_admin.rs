//! The calendar administration (`/admin/calendare`): the adjustments of a country calendar and
//! the effect of a change on the running terms, shown before it is saved.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The adjustment kinds, as stored (`backend::calendars::kind`).
pub const KINDS: [&str; 4] = [
    "day_off",
    "yearly_day_off",
    "removed_holiday",
    "working_day",
];
/// The country calendars.
pub const CALENDARS: [&str; 2] = ["md", "ro"];

/// A change asked for: an adjustment to add, or one to remove (`remove` set).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarChange {
    pub calendar: String,
    /// `None`: the whole country (portal administrators only).
    pub institution_id: Option<i64>,
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub name: String,
    /// The id of a stored adjustment to remove (the other fields are then ignored).
    pub remove: Option<i64>,
}

/// One stored adjustment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentView {
    pub id: i64,
    pub kind: String,
    pub date: NaiveDate,
    pub name: String,
    /// The institution's name, or `None` for the whole country.
    pub institution: Option<String>,
    /// The reader may remove it.
    pub removable: bool,
}

/// A day off of the year shown (statutory or added, after removals).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOff {
    pub date: NaiveDate,
    pub name: String,
}

/// What the calendar page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPage {
    pub calendar: String,
    pub year: i32,
    /// The scopes the reader may change: `(value, label)`, `""` being the whole country.
    pub scopes: Vec<(String, String)>,
    pub adjustments: Vec<AdjustmentView>,
    /// The country's days off of `year` with the country-wide adjustments.
    pub days_off: Vec<DayOff>,
}

/// A running term whose last day a change moves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMove {
    pub case_id: i64,
    pub registration_number: String,
    pub timer: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The effect of a change on the running terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEffect {
    /// The running terms looked at.
    pub checked: u64,
    /// How many terms move to a later day (the first ones listed in `moved`).
    pub moved_count: u64,
    pub moved: Vec<TermMove>,
    /// Terms that would end earlier if counted anew on the changed calendar: they keep their
    /// day (a running term is never shortened).
    pub kept_count: u64,
}
