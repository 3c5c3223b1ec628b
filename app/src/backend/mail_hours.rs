//! When a mail about a case may reach a citizen. An institution's `citizen_mail_hours`
//! (`08:00-20:00` by default; `always` for no limit) holds the mails its staff's actions send to
//! petitioners until the next moment inside those hours that is neither a Sunday nor a public
//! holiday of its calendar (Moldova's Administrative Code asks for the head's permission to
//! notify outside working time). Pure: the caller gives the moment, zone and calendar.

use chrono::{DateTime, Datelike, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::clock::{local_date, local_moment};
use crate::calendar::Calendar;

/// The daily hours mails may go out, local time: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// `"08:00-20:00"` → a window; `"always"` or blank → none (no holding).
pub fn parse(s: &str) -> Result<Option<Window>, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("always") {
        return Ok(None);
    }
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("`{s}`: expected HH:MM-HH:MM or `always`"))?;
    let time = |t: &str| {
        NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| format!("`{t}`: expected HH:MM"))
    };
    let (start, end) = (time(a)?, time(b)?);
    if start >= end {
        return Err(format!("`{s}`: the start must come before the end"));
    }
    Ok(Some(Window { start, end }))
}

fn open_day(cal: &Calendar, day: chrono::NaiveDate) -> bool {
    day.weekday() != Weekday::Sun && !cal.is_holiday(day)
}

/// `None` when a mail may go at `now`; otherwise the moment it may go.
pub fn release(
    now: DateTime<Utc>,
    tz: Tz,
    cal: &Calendar,
    window: Option<Window>,
) -> Option<DateTime<Utc>> {
    let w = window?;
    let today = local_date(now, tz);
    let time = now.with_timezone(&tz).time();
    if open_day(cal, today) && time >= w.start && time < w.end {
        return None;
    }
    if open_day(cal, today) && time < w.start {
        return Some(local_moment(today, w.start, tz));
    }
    // The next open day (a holiday run is never longer than a few days; stop after a year).
    let mut day = today;
    for _ in 0..366 {
        day = day.succ_opt()?;
        if open_day(cal, day) {
            return Some(local_moment(day, w.start, tz));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CountryCalendar;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        // Chișinău is UTC+2 in winter.
        chrono_tz::Europe::Chisinau
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn mails_wait_for_working_hours_and_skip_sundays_and_holidays() {
        let tz = chrono_tz::Europe::Chisinau;
        let cal = Calendar::new(CountryCalendar::Md);
        let w = parse("08:00-20:00").unwrap();
        // Monday 23 November 2026, 10:00: at once.
        assert_eq!(release(at(2026, 11, 23, 10, 0), tz, &cal, w), None);
        // 06:30: the same morning at 08:00.
        assert_eq!(
            release(at(2026, 11, 23, 6, 30), tz, &cal, w),
            Some(at(2026, 11, 23, 8, 0))
        );
        // 21:00: the next morning.
        assert_eq!(
            release(at(2026, 11, 23, 21, 0), tz, &cal, w),
            Some(at(2026, 11, 24, 8, 0))
        );
        // Saturday 28 November, 21:00: Sunday is skipped, Monday 08:00.
        assert_eq!(
            release(at(2026, 11, 28, 21, 0), tz, &cal, w),
            Some(at(2026, 11, 30, 8, 0))
        );
        // 31 December 21:00: 1 January is a holiday (Friday), Saturday 2 January 08:00.
        assert_eq!(
            release(at(2026, 12, 31, 21, 0), tz, &cal, w),
            Some(at(2027, 1, 2, 8, 0))
        );
        // Without hours, never held.
        assert_eq!(
            release(at(2026, 11, 29, 3, 0), tz, &cal, parse("always").unwrap()),
            None
        );
        assert!(parse("20:00-08:00").is_err() && parse("8-20").is_err());
    }
}
