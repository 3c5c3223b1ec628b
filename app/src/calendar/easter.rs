//! Easter dates (Gregorian calendar results).

use chrono::{Days, NaiveDate};

/// Orthodox Easter Sunday: Meeus' Julian algorithm, then converted to the Gregorian calendar.
/// Valid for 1900–2099 (the Julian–Gregorian difference is 13 days in that range); other years
/// return `None`.
pub fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    if !(1900..=2099).contains(&year) {
        return None;
    }
    let a = year % 4;
    let b = year % 7;
    let c = year % 19;
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32)?;
    julian.checked_add_days(Days::new(13))
}

/// Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn western_easter(year: i32) -> Option<NaiveDate> {
    if year < 1583 {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn orthodox_easter_matches_the_domain_table() {
        for (year, date) in [
            (2024, "2024-05-05"),
            (2025, "2025-04-20"),
            (2026, "2026-04-12"),
            (2027, "2027-05-02"),
            (2028, "2028-04-16"),
            (2029, "2029-04-08"),
            (2030, "2030-04-28"),
        ] {
            assert_eq!(orthodox_easter(year), Some(d(date)), "{year}");
        }
    }

    #[test]
    fn orthodox_easter_is_always_a_sunday_between_april_4_and_may_8() {
        use chrono::{Datelike, Weekday};
        for year in 1900..=2099 {
            let e = orthodox_easter(year).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{year}");
            assert!(
                e >= d(&format!("{year}-04-04")) && e <= d(&format!("{year}-05-08")),
                "{e}"
            );
        }
        assert_eq!(orthodox_easter(1899), None);
        assert_eq!(orthodox_easter(2100), None);
    }

    #[test]
    fn western_easter_known_dates() {
        assert_eq!(western_easter(2024), Some(d("2024-03-31")));
        assert_eq!(western_easter(2025), Some(d("2025-04-20")));
        assert_eq!(western_easter(2026), Some(d("2026-04-05")));
        assert_eq!(western_easter(2038), Some(d("2038-04-25")));
    }
}
