use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn md() -> Calendar {
    Calendar::new(CountryCalendar::Md)
}

fn ro() -> Calendar {
    Calendar::new(CountryCalendar::Ro)
}

fn term(amount: u32, unit: DayUnit, rule: CountingRule) -> Term {
    Term { amount, unit, rule }
}

/// DOMAIN.md: year, Easter, RO Good Friday, Easter Monday, MD Memorial Easter, Rusalii Sun/Mon.
const VECTORS: &[(i32, &str, &str, &str, &str, &str, &str)] = &[
    (2024, "05-05", "05-03", "05-06", "05-13", "06-23", "06-24"),
    (2025, "04-20", "04-18", "04-21", "04-28", "06-08", "06-09"),
    (2026, "04-12", "04-10", "04-13", "04-20", "05-31", "06-01"),
    (2027, "05-02", "04-30", "05-03", "05-10", "06-20", "06-21"),
    (2028, "04-16", "04-14", "04-17", "04-24", "06-04", "06-05"),
    (2029, "04-08", "04-06", "04-09", "04-16", "05-27", "05-28"),
    (2030, "04-28", "04-26", "04-29", "05-06", "06-16", "06-17"),
];

#[test]
fn easter_based_holidays_match_the_domain_vectors() {
    for &(y, easter, good_friday, monday, memorial, rusalii, rusalii_monday) in VECTORS {
        let at = |md: &str| d(&format!("{y}-{md}"));
        assert_eq!(easter::orthodox_easter(y), Some(at(easter)), "{y}");
        // Moldova: Easter Sunday and Monday, Memorial Easter; not Good Friday nor Rusalii.
        for day in [easter, monday, memorial] {
            assert!(md().is_holiday(at(day)), "md {y}-{day}");
        }
        // (Rusalii Monday 2026 falls on 1 June, Children's Day, a holiday in Moldova too.)
        for day in [good_friday, rusalii_monday]
            .into_iter()
            .filter(|day| *day != "06-01")
        {
            assert!(!md().is_holiday(at(day)), "md {y}-{day} is not a holiday");
        }
        // Romania: Good Friday, Easter Sunday and Monday, Rusalii Sunday and Monday; not Memorial.
        for day in [good_friday, easter, monday, rusalii, rusalii_monday] {
            assert!(ro().is_holiday(at(day)), "ro {y}-{day}");
        }
        assert!(
            !ro().is_holiday(at(memorial)),
            "ro {y}-{memorial} is not a holiday"
        );
    }
}

#[test]
fn fixed_holidays_of_each_country() {
    for y in 2024..=2030 {
        let at = |md: &str| d(&format!("{y}-{md}"));
        for day in [
            "01-01", "01-07", "01-08", "03-08", "05-01", "05-09", "06-01", "08-27", "08-31",
            "12-25",
        ] {
            assert!(md().is_holiday(at(day)), "md {y}-{day}");
        }
        for day in [
            "01-01", "01-02", "01-06", "01-07", "01-24", "05-01", "06-01", "08-15", "11-30",
            "12-01", "12-25", "12-26",
        ] {
            assert!(ro().is_holiday(at(day)), "ro {y}-{day}");
        }
        for day in ["03-08", "05-09", "08-27", "08-31", "10-14"] {
            assert!(!ro().is_holiday(at(day)), "ro {y}-{day}");
        }
        for day in [
            "01-02", "01-24", "08-15", "11-30", "12-01", "12-26", "10-14",
        ] {
            assert!(!md().is_holiday(at(day)), "md {y}-{day}");
        }
    }
    // Romania's 6 and 7 January are holidays from 2024 only.
    assert!(!ro().is_holiday(d("2023-01-06")));
    assert_eq!(md().holidays(2026).len(), 13);
    // 1 June 2026 is both Children's Day and Rusalii Monday.
    assert_eq!(ro().holidays(2026).len(), 16);
}

#[test]
fn adjustments_add_remove_and_work_days() {
    let cal = Calendar::with_adjustments(
        CountryCalendar::Md,
        Adjustments {
            days_off: vec![Holiday {
                date: d("2026-05-08"),
                name: "Zi transferată".into(),
            }],
            yearly_days_off: vec![YearlyDayOff {
                month: 10,
                day: 14,
                name: "Hramul Chișinăului".into(),
            }],
            removed_holidays: vec![d("2026-03-09")],
            working_days: vec![d("2026-05-16")],
        },
    );
    assert!(cal.is_holiday(d("2026-05-08")) && !cal.is_working_day(d("2026-05-08")));
    assert!(cal.is_holiday(d("2026-10-14")) && cal.is_holiday(d("2031-10-14")));
    assert!(cal.is_working_day(d("2026-05-16")), "a worked Saturday");
    assert!(
        !cal.is_working_day(d("2026-05-23")),
        "other Saturdays stay days off"
    );
    assert!(
        cal.holidays(2026)
            .iter()
            .any(|h| h.name == "Hramul Chișinăului")
    );
    // Removing a statutory holiday makes it a working day again.
    let cal = Calendar::with_adjustments(
        CountryCalendar::Ro,
        Adjustments {
            removed_holidays: vec![d("2026-12-01")],
            ..Adjustments::default()
        },
    );
    assert!(cal.is_working_day(d("2026-12-01")));
    assert!(!cal.holidays(2026).iter().any(|h| h.date == d("2026-12-01")));
}

#[test]
fn counting_rules_follow_domain_examples() {
    // Romania, free days: a 15-day term from 10 Sep 2025 → last day 26 Sep 2025 (a Friday).
    assert_eq!(
        ro().due_date(
            d("2025-09-10"),
            term(15, DayUnit::CalendarDays, CountingRule::FreeDays)
        ),
        d("2025-09-26")
    );
    // Plain: D + N = 25 Sep 2025 (Thursday).
    assert_eq!(
        ro().due_date(
            d("2025-09-10"),
            term(15, DayUnit::CalendarDays, CountingRule::Plain)
        ),
        d("2025-09-25")
    );
    // Moldova, working days: 5 working days from a Friday end on the next Friday.
    assert_eq!(
        md().due_date(
            d("2026-11-06"),
            term(5, DayUnit::WorkingDays, CountingRule::Plain)
        ),
        d("2026-11-13")
    );
    // A term ending on a non-working day rolls forward: 30 days from 2026-04-03 is Sun 3 May.
    assert_eq!(
        md().due_date(
            d("2026-04-03"),
            term(30, DayUnit::CalendarDays, CountingRule::Plain)
        ),
        d("2026-05-04")
    );
    // ro, free days: 2026-04-03 + 31 = Mon 4 May.
    assert_eq!(
        ro().due_date(
            d("2026-04-03"),
            term(30, DayUnit::CalendarDays, CountingRule::FreeDays)
        ),
        d("2026-05-04")
    );
    // Over Easter: 5 working days from Thu 2026-04-09 in Romania skip Good Friday and Easter Monday.
    assert_eq!(
        ro().due_date(
            d("2026-04-09"),
            term(5, DayUnit::WorkingDays, CountingRule::Plain)
        ),
        d("2026-04-20")
    );
    // In Moldova Good Friday is a working day, Easter Monday is not.
    assert_eq!(
        md().due_date(
            d("2026-04-09"),
            term(5, DayUnit::WorkingDays, CountingRule::Plain)
        ),
        d("2026-04-17")
    );
    // Christmas to New Year in Romania: 25, 26 Dec and 1, 2 Jan are holidays.
    assert_eq!(
        ro().due_date(
            d("2026-12-21"),
            term(10, DayUnit::CalendarDays, CountingRule::Plain)
        ),
        d("2026-12-31")
    );
    assert_eq!(
        ro().due_date(
            d("2026-12-22"),
            term(10, DayUnit::CalendarDays, CountingRule::Plain)
        ),
        d("2027-01-04")
    );
    // Zero days: the start day itself, rolled forward.
    assert_eq!(
        md().due_date(
            d("2026-11-21"),
            term(0, DayUnit::CalendarDays, CountingRule::Plain)
        ),
        d("2026-11-23")
    );
}

#[test]
fn roll_forward_and_working_days() {
    assert_eq!(md().roll_forward(d("2026-11-23")), d("2026-11-23"));
    assert_eq!(md().roll_forward(d("2026-11-22")), d("2026-11-23"));
    assert_eq!(md().add_working_days(d("2026-11-20"), 0), d("2026-11-20"));
    assert_eq!(md().add_working_days(d("2026-11-20"), 1), d("2026-11-23"));
    assert!(!md().is_working_day(d("2026-11-21")));
    assert_eq!(d("2026-11-21").weekday(), Weekday::Sat);
}

#[test]
fn a_reckoning_shows_the_move_past_days_off() {
    // The example: 30 days from 3 April 2026 end on Sunday 3 May, moved to Monday 4 May.
    let r = md().reckon(
        d("2026-04-03"),
        term(30, DayUnit::CalendarDays, CountingRule::Plain),
    );
    assert_eq!(r.counted_end, d("2026-05-03"));
    assert_eq!(r.due, d("2026-05-04"));
    assert_eq!(r.moved_past, vec![(d("2026-05-03"), None)]);
    assert!(r.holidays_skipped.is_empty());
    // A holiday in the way: 1 May 2026 (Friday) is Labour Day; the count ends on it and moves
    // past the weekend too.
    let r = md().reckon(
        d("2026-04-01"),
        term(30, DayUnit::CalendarDays, CountingRule::Plain),
    );
    assert_eq!(r.counted_end, d("2026-05-01"));
    assert_eq!(r.due, d("2026-05-04"));
    assert_eq!(r.moved_past.len(), 3);
    assert!(
        r.moved_past[0].1.is_some(),
        "1 May is named: {:?}",
        r.moved_past
    );
    assert_eq!(r.moved_past[1], (d("2026-05-02"), None));
    // Working days leave holidays out and name them.
    let r = md().reckon(
        d("2026-04-28"),
        term(5, DayUnit::WorkingDays, CountingRule::Plain),
    );
    assert_eq!(r.due, d("2026-05-06"));
    assert_eq!(r.holidays_skipped.len(), 1);
    assert_eq!(r.holidays_skipped[0].date, d("2026-05-01"));
}

#[test]
fn parses_calendar_codes() {
    assert_eq!("MD".parse::<CountryCalendar>(), Ok(CountryCalendar::Md));
    assert_eq!("ro".parse::<CountryCalendar>(), Ok(CountryCalendar::Ro));
    assert!("fr".parse::<CountryCalendar>().is_err());
    assert_eq!(
        serde_json::to_string(&CountingRule::FreeDays).unwrap(),
        "\"free_days\""
    );
}

fn any_calendar() -> impl Strategy<Value = Calendar> {
    prop_oneof![Just(md()), Just(ro())]
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u32..(365 * 10)).prop_map(|n| d("2024-01-01") + chrono::Days::new(u64::from(n)))
}

fn any_term() -> impl Strategy<Value = Term> {
    (
        0u32..120,
        prop_oneof![Just(DayUnit::CalendarDays), Just(DayUnit::WorkingDays)],
        prop_oneof![Just(CountingRule::Plain), Just(CountingRule::FreeDays)],
    )
        .prop_map(|(amount, unit, rule)| Term { amount, unit, rule })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_reckoning_agrees_with_the_due_date(cal in any_calendar(), start in any_date(), t in any_term()) {
        let r = cal.reckon(start, t);
        prop_assert_eq!(r.due, cal.due_date(start, t));
        prop_assert!(r.moved_past.iter().all(|(d, _)| !cal.is_working_day(*d)));
    }

    #[test]
    fn a_due_date_is_always_a_working_day(cal in any_calendar(), start in any_date(), t in any_term()) {
        prop_assert!(cal.is_working_day(cal.due_date(start, t)));
    }

    #[test]
    fn a_due_date_is_never_earlier_than_start_plus_n(cal in any_calendar(), start in any_date(), t in any_term()) {
        let due = cal.due_date(start, t);
        let min = start + chrono::Days::new(u64::from(t.amount));
        prop_assert!(due >= min, "{start} + {t:?} gave {due}");
        if t.rule == CountingRule::FreeDays {
            prop_assert!(due > min);
        }
    }

    #[test]
    fn a_due_date_is_monotonic_in_the_start_date(cal in any_calendar(), start in any_date(), later in 0u64..60, t in any_term()) {
        let a = cal.due_date(start, t);
        let b = cal.due_date(start + chrono::Days::new(later), t);
        prop_assert!(a <= b);
    }

    #[test]
    fn a_longer_term_never_ends_earlier(cal in any_calendar(), start in any_date(), t in any_term(), more in 0u32..30) {
        let longer = Term { amount: t.amount + more, ..t };
        prop_assert!(cal.due_date(start, t) <= cal.due_date(start, longer));
    }

    #[test]
    fn working_day_terms_count_exactly_n_working_days(cal in any_calendar(), start in any_date(), n in 1u32..40) {
        let end = cal.add_working_days(start, n);
        let mut count = 0;
        let mut day = start;
        while day < end {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) { count += 1; }
        }
        prop_assert_eq!(count, n);
        prop_assert!(cal.is_working_day(end));
    }
}

/// GDPR art. 12(3) "one month" (Regulation 1182/71 art. 3(2)(c)): the same day of the next
/// month, its last day when it has none, then the next working day.
#[test]
fn a_term_in_months_ends_on_the_same_day_of_the_month_or_the_months_last_day() {
    let month = term(1, DayUnit::CalendarMonths, CountingRule::Plain);
    // Tue 3 Mar 2026 → Fri 3 Apr 2026.
    assert_eq!(md().due_date(d("2026-03-03"), month), d("2026-04-03"));
    // Sat 31 Jan 2026 → Sat 28 Feb 2026 → Mon 2 Mar 2026.
    assert_eq!(md().due_date(d("2026-01-31"), month), d("2026-03-02"));
    // 12 Mar 2026 → Sun 12 Apr (Orthodox Easter) → Mon 13 Apr holiday in both → Tue 14 Apr.
    assert_eq!(md().due_date(d("2026-03-12"), month), d("2026-04-14"));
    assert_eq!(ro().due_date(d("2026-03-12"), month), d("2026-04-14"));
    // Three months (one and two more): 15 Jan 2027 → Thu 15 Apr 2027.
    let three = term(3, DayUnit::CalendarMonths, CountingRule::Plain);
    assert_eq!(md().due_date(d("2027-01-15"), three), d("2027-04-15"));
    let r = md().reckon(d("2026-01-31"), month);
    assert_eq!(r.counted_end, d("2026-02-28"));
    assert_eq!(r.due, d("2026-03-02"));
    assert!(r.holidays_skipped.is_empty());
}
