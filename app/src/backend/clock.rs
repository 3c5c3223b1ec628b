//! The time the service layer works with. Development and tests may shift it forward
//! (`PETITIO_TIME_OFFSET_DAYS`) to exercise deadlines; production always uses the real clock.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    offset_days: i64,
}

impl Clock {
    pub fn with_offset_days(offset_days: i64) -> Self {
        Clock { offset_days }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::days(self.offset_days)
    }
}

/// Parses an IANA time zone name, falling back to Chișinău's for an unknown name.
pub fn time_zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Chisinau)
}

/// The institution's local calendar date at `now`.
pub fn local_date(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The moment `time` o'clock local time on `date` begins, in UTC. A local time skipped by a
/// daylight-saving change resolves to the first valid moment after it.
pub fn local_moment(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let later = naive + Duration::hours(1);
            tz.from_local_datetime(&later)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_dates_and_moments_in_chisinau() {
        let tz = time_zone("Europe/Chisinau");
        // 22:30 UTC on 3 April is already 4 April in Chișinău (UTC+3 in summer).
        let now = Utc.with_ymd_and_hms(2026, 4, 3, 22, 30, 0).unwrap();
        assert_eq!(
            local_date(now, tz),
            NaiveDate::from_ymd_opt(2026, 4, 4).unwrap()
        );
        let midnight = local_moment(
            NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            NaiveTime::MIN,
            tz,
        );
        assert_eq!(
            midnight,
            Utc.with_ymd_and_hms(2026, 1, 9, 22, 0, 0).unwrap()
        );
        assert_eq!(time_zone("Not/AZone"), chrono_tz::Europe::Chisinau);
    }

    #[test]
    fn the_clock_can_be_shifted_for_tests() {
        let shifted = Clock::with_offset_days(10).now();
        let delta = shifted - Utc::now();
        assert!(delta > Duration::days(9) && delta <= Duration::days(10));
    }
}
