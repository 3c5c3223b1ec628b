//! The arithmetic of the managers' indicators, with no I/O: how long an answer took (with the
//! clock's pauses left out), percentiles from a histogram, the minimum sample under which a
//! percentile is not shown, and week buckets.
//!
//! A response time runs from the day of registration to the day of the answer, both in the
//! institution's local time. A day `d` counts when `registered < d <= answered` and the clock
//! was not paused on it: a pause from `since` (the request for information) to `until` (the
//! reply) stops the days `since < d <= until`, exactly the days by which the engine moves the
//! term. Working days count only the calendar's working days among those.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::calendar::Calendar;

/// Percentiles of fewer answers than this are not shown (the sample size is).
pub const MIN_SAMPLE: u64 = 10;

/// How long an answer took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTime {
    pub calendar_days: i64,
    pub working_days: i64,
}

/// The response time of an answer given on `answered` to a case registered on `registered`,
/// without the paused days (`(since, until)`; `until` `None`: still paused at the answer).
pub fn response_time(
    cal: &Calendar,
    registered: NaiveDate,
    answered: NaiveDate,
    pauses: &[(NaiveDate, Option<NaiveDate>)],
) -> ResponseTime {
    let paused = |d: NaiveDate| {
        pauses
            .iter()
            .any(|(since, until)| d > *since && d <= until.unwrap_or(answered))
    };
    let mut out = ResponseTime {
        calendar_days: 0,
        working_days: 0,
    };
    let mut d = registered;
    while d < answered {
        d += Duration::days(1);
        if paused(d) {
            continue;
        }
        out.calendar_days += 1;
        if cal.is_working_day(d) {
            out.working_days += 1;
        }
    }
    out
}

/// The `p`-th percentile (0 < p <= 1) of the values counted in `histogram` (value → how many),
/// by the nearest-rank method: the smallest value with at least `ceil(p * n)` values at or
/// below it. `None` under [`MIN_SAMPLE`] values.
pub fn percentile(histogram: &BTreeMap<i64, u64>, p: f64) -> Option<i64> {
    let n: u64 = histogram.values().sum();
    if n < MIN_SAMPLE || n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
    let mut seen = 0;
    for (value, count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(*value);
        }
    }
    histogram.keys().next_back().copied()
}

/// The Monday of `d`'s week (weeks run Monday to Sunday, as in Moldova and Romania).
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// A share as a percentage with one decimal, or `None` when there is nothing to share.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CountryCalendar;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn counts_days_after_registration_up_to_the_answer() {
        let cal = Calendar::new(CountryCalendar::Md);
        // Registered Friday 3 April 2026, answered Monday 13 April: 10 calendar days. Working:
        // 6, 7, 8, 9, 10 and 13 April (Orthodox Easter Monday 13 April 2026 is a holiday): 5.
        let t = response_time(&cal, d(2026, 4, 3), d(2026, 4, 13), &[]);
        assert_eq!(t.calendar_days, 10);
        assert_eq!(t.working_days, 5);
        // Answered the day it was registered: no time at all.
        let t = response_time(&cal, d(2026, 4, 3), d(2026, 4, 3), &[]);
        assert_eq!((t.calendar_days, t.working_days), (0, 0));
    }

    #[test]
    fn leaves_the_paused_days_out() {
        let cal = Calendar::new(CountryCalendar::Md);
        // Registered Monday 2 March 2026, information asked on Wednesday 4 March and given on
        // Monday 9 March (5 days stopped: 5 to 9 March), answered Friday 13 March.
        let t = response_time(
            &cal,
            d(2026, 3, 2),
            d(2026, 3, 13),
            &[(d(2026, 3, 4), Some(d(2026, 3, 9)))],
        );
        assert_eq!(t.calendar_days, 11 - 5);
        // Working days counted: 3, 4, 10, 11, 12, 13 March (Women's Day, 8 March, is a Sunday).
        assert_eq!(t.working_days, 6);
        // A pause still open at the answer stops the clock up to the answer.
        let t = response_time(
            &cal,
            d(2026, 3, 2),
            d(2026, 3, 13),
            &[(d(2026, 3, 10), None)],
        );
        assert_eq!(t.calendar_days, 8);
    }

    #[test]
    fn percentiles_by_nearest_rank_and_only_from_enough_answers() {
        let mut h = BTreeMap::new();
        for v in 1..=9 {
            h.insert(v, 1);
        }
        assert_eq!(percentile(&h, 0.5), None, "9 answers are too few");
        h.insert(10, 1);
        assert_eq!(percentile(&h, 0.5), Some(5));
        assert_eq!(percentile(&h, 0.9), Some(9));
        assert_eq!(percentile(&h, 1.0), Some(10));
        let mut skewed = BTreeMap::new();
        skewed.insert(3, 18);
        skewed.insert(40, 2);
        assert_eq!(percentile(&skewed, 0.5), Some(3));
        assert_eq!(percentile(&skewed, 0.9), Some(3));
        assert_eq!(percentile(&skewed, 0.95), Some(40));
    }

    #[test]
    fn weeks_start_on_monday_and_shares_round_to_a_tenth() {
        assert_eq!(week_start(d(2026, 11, 22)), d(2026, 11, 16));
        assert_eq!(week_start(d(2026, 11, 23)), d(2026, 11, 23));
        assert_eq!(share(1, 3), Some(33.3));
        assert_eq!(share(0, 0), None);
    }

    proptest! {
        #[test]
        fn never_more_than_the_days_between_and_working_days_never_more(
            start in 0u32..2000, len in 0i64..120, pause_at in 0i64..120, pause_len in 0i64..30,
        ) {
            let cal = Calendar::new(CountryCalendar::Md);
            let registered = d(2024, 1, 1) + Duration::days(i64::from(start));
            let answered = registered + Duration::days(len);
            let since = registered + Duration::days(pause_at.min(len));
            let until = since + Duration::days(pause_len);
            let plain = response_time(&cal, registered, answered, &[]);
            let paused = response_time(&cal, registered, answered, &[(since, Some(until))]);
            prop_assert_eq!(plain.calendar_days, len);
            prop_assert!(plain.working_days <= plain.calendar_days);
            prop_assert!(paused.calendar_days <= plain.calendar_days);
            prop_assert!(paused.working_days <= paused.calendar_days);
            // The pause removes exactly its days that fall within the response.
            let inside = (until.min(answered) - since.min(answered)).num_days();
            prop_assert_eq!(paused.calendar_days, len - inside);
        }
    }
}
