//! Working-day calendars and legal terms. Pure: no I/O, no clock.
//!
//! A [`Calendar`] is a country's statutory holidays (`md`, `ro`) plus [`Adjustments`]: the
//! government's per-year day-off transfers, a city's patron day, worked Saturdays. A [`Term`]
//! ("30 days", "5 working days") is turned into the last day to act by [`Calendar::due_date`].

pub mod easter;
pub mod holidays;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub use holidays::Holiday;

/// A country's holiday calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryCalendar {
    /// Republic of Moldova.
    Md,
    /// Romania.
    Ro,
}

impl CountryCalendar {
    pub const ALL: [CountryCalendar; 2] = [CountryCalendar::Md, CountryCalendar::Ro];

    pub fn code(self) -> &'static str {
        match self {
            CountryCalendar::Md => "md",
            CountryCalendar::Ro => "ro",
        }
    }
}

impl fmt::Display for CountryCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for CountryCalendar {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" => Ok(CountryCalendar::Md),
            "ro" => Ok(CountryCalendar::Ro),
            other => Err(format!("unknown calendar `{other}` (expected md or ro)")),
        }
    }
}

/// How the days of a term are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountingRule {
    /// D + N: the term ends N days after the day it starts from.
    Plain,
    /// D + N + 1: neither the start day nor the day the term is fulfilled counts ("zile libere",
    /// Romanian Civil Procedure Code art. 181).
    FreeDays,
}

impl CountingRule {
    pub fn code(self) -> &'static str {
        match self {
            CountingRule::Plain => "plain",
            CountingRule::FreeDays => "free_days",
        }
    }
}

/// The unit a term is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    CalendarDays,
    WorkingDays,
    /// Months (GDPR art. 12(3) "one month"): the term ends on the day of the last month with
    /// the start's number, or that month's last day when it has none (Regulation 1182/71,
    /// art. 3(2)(c)): 31 January + 1 month = 28 (29) February.
    CalendarMonths,
}

/// A legal term: "30 calendar days, plain".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Term {
    pub amount: u32,
    pub unit: DayUnit,
    pub rule: CountingRule,
}

/// Per-year changes to a country calendar, from configuration or the database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustments {
    /// Extra days off on one date (a government day-off transfer, an exceptional holiday).
    #[serde(default)]
    pub days_off: Vec<Holiday>,
    /// Days off every year on the same month and day (a city's patron day: Chișinău, 14 October).
    #[serde(default)]
    pub yearly_days_off: Vec<YearlyDayOff>,
    /// Statutory holidays that are working days in a given year.
    #[serde(default)]
    pub removed_holidays: Vec<NaiveDate>,
    /// Saturdays or Sundays that are worked (to give back a transferred day off).
    #[serde(default)]
    pub working_days: Vec<NaiveDate>,
}

/// A recurring local holiday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearlyDayOff {
    pub month: u32,
    pub day: u32,
    pub name: String,
}

/// A working-day calendar: a country's holidays with its adjustments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    country: CountryCalendar,
    days_off: BTreeSet<NaiveDate>,
    yearly: Vec<(u32, u32)>,
    removed: BTreeSet<NaiveDate>,
    worked: BTreeSet<NaiveDate>,
    adjustments: Adjustments,
}

/// How a term's last day was computed ([`Calendar::reckon`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reckoning {
    pub start: NaiveDate,
    /// The day the count ends on, before moving past days off.
    pub counted_end: NaiveDate,
    /// The last day to act.
    pub due: NaiveDate,
    /// Holidays inside a count of working days (not counted).
    pub holidays_skipped: Vec<Holiday>,
    /// The days off the end was moved past, with the holiday's name (`None`: a weekend day).
    pub moved_past: Vec<(NaiveDate, Option<String>)>,
}

/// No term in this product is longer than a few months; a search for a working day that runs
/// this long means the calendar has no working days left (a misconfiguration), and stops.
const MAX_SCAN_DAYS: u32 = 3 * 366;

impl Calendar {
    /// The statutory calendar of a country, without adjustments.
    pub fn new(country: CountryCalendar) -> Self {
        Self::with_adjustments(country, Adjustments::default())
    }

    pub fn with_adjustments(country: CountryCalendar, adjustments: Adjustments) -> Self {
        Calendar {
            country,
            days_off: adjustments.days_off.iter().map(|h| h.date).collect(),
            yearly: adjustments
                .yearly_days_off
                .iter()
                .map(|y| (y.month, y.day))
                .collect(),
            removed: adjustments.removed_holidays.iter().copied().collect(),
            worked: adjustments.working_days.iter().copied().collect(),
            adjustments,
        }
    }

    pub fn country(&self) -> CountryCalendar {
        self.country
    }

    pub fn adjustments(&self) -> &Adjustments {
        &self.adjustments
    }

    /// Whether `date` is a public holiday (statutory or added), after removals.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        if self.removed.contains(&date) {
            return false;
        }
        self.days_off.contains(&date)
            || self.yearly.contains(&(date.month(), date.day()))
            || holidays::is_statutory(self.country, date)
    }

    /// Monday to Friday and not a holiday, or a worked weekend day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.worked.contains(&date) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(date)
    }

    /// `date` itself if it is a working day, otherwise the next working day.
    pub fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        for _ in 0..MAX_SCAN_DAYS {
            if self.is_working_day(d) {
                return d;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
        }
        d
    }

    /// The `n`-th working day after `date` (`date` itself does not count; n = 0 gives `date`).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        let mut scanned = 0;
        while left > 0 && scanned < MAX_SCAN_DAYS + n * 2 {
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
            scanned += 1;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The last day to act for a term that starts from `start` (the day of registration, of
    /// communication, …). Always a working day, never earlier than `start` + `amount` days.
    pub fn due_date(&self, start: NaiveDate, term: Term) -> NaiveDate {
        self.roll_forward(self.counted_end(start, term))
    }

    /// Where the count of a term ends, before moving to a working day.
    fn counted_end(&self, start: NaiveDate, term: Term) -> NaiveDate {
        let extra = match term.rule {
            CountingRule::Plain => 0,
            CountingRule::FreeDays => 1,
        };
        match term.unit {
            DayUnit::CalendarDays => start
                .checked_add_days(Days::new(u64::from(term.amount) + extra))
                .unwrap_or(NaiveDate::MAX),
            DayUnit::WorkingDays => {
                self.add_working_days(start, term.amount.saturating_add(extra as u32))
            }
            DayUnit::CalendarMonths => start
                .checked_add_months(chrono::Months::new(term.amount))
                .and_then(|d| d.checked_add_days(Days::new(extra)))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// How [`Calendar::due_date`] reaches its answer, for showing the computation: where the
    /// count of days ended, the holidays a count of working days left out, and the days off the
    /// end was moved past. `reckon(start, term).due == due_date(start, term)`.
    pub fn reckon(&self, start: NaiveDate, term: Term) -> Reckoning {
        let counted_end = self.counted_end(start, term);
        let due = self.roll_forward(counted_end);
        let holidays_skipped = match term.unit {
            DayUnit::CalendarDays | DayUnit::CalendarMonths => Vec::new(),
            DayUnit::WorkingDays => start
                .iter_days()
                .skip(1)
                .take_while(|d| *d <= counted_end)
                .filter(|d| {
                    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_working_day(*d)
                })
                .map(|d| Holiday {
                    date: d,
                    name: self.holiday_name(d).unwrap_or_default(),
                })
                .collect(),
        };
        let moved_past = counted_end
            .iter_days()
            .take_while(|d| *d < due)
            .map(|d| (d, self.holiday_name(d)))
            .collect();
        Reckoning {
            start,
            counted_end,
            due,
            holidays_skipped,
            moved_past,
        }
    }

    /// The name of the holiday on `date`, if it is one.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<String> {
        if !self.is_holiday(date) {
            return None;
        }
        self.holidays(date.year())
            .into_iter()
            .find(|h| h.date == date)
            .map(|h| h.name)
    }

    /// The holidays of a year, statutory and added, after removals, sorted by date.
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        let mut out: Vec<Holiday> = holidays::statutory(self.country, year)
            .into_iter()
            .filter(|h| !self.removed.contains(&h.date))
            .collect();
        out.extend(
            self.adjustments
                .days_off
                .iter()
                .filter(|h| h.date.year() == year)
                .cloned(),
        );
        out.extend(self.adjustments.yearly_days_off.iter().filter_map(|y| {
            let date = NaiveDate::from_ymd_opt(year, y.month, y.day)?;
            (!self.removed.contains(&date)).then(|| Holiday {
                date,
                name: y.name.clone(),
            })
        }));
        out.sort_by_key(|h| h.date);
        out.dedup_by_key(|h| h.date);
        out
    }
}

#[cfg(test)]
mod tests;
