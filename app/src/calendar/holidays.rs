//! Public holidays of the country calendars (Moldova: Labour Code art. 111; Romania: Labour
//! Code art. 139). Movable feasts follow Orthodox Easter.

use chrono::{Datelike, Days, NaiveDate};

use super::CountryCalendar;
use super::easter::orthodox_easter;

/// A public holiday on a given date; `name` is the Romanian name used in both countries.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

const MD_FIXED: &[(u32, u32, &str)] = &[
    (1, 1, "Anul Nou"),
    (1, 7, "Nașterea lui Iisus Hristos (Crăciunul pe stil vechi)"),
    (1, 8, "Nașterea lui Iisus Hristos (Crăciunul pe stil vechi)"),
    (3, 8, "Ziua internațională a femeii"),
    (5, 1, "Ziua internațională a solidarității oamenilor muncii"),
    (5, 9, "Ziua Victoriei și Ziua Europei"),
    (6, 1, "Ziua ocrotirii copilului"),
    (8, 27, "Ziua Independenței"),
    (8, 31, "Sărbătoarea „Limba noastră”"),
    (12, 25, "Nașterea lui Iisus Hristos (Crăciunul pe stil nou)"),
];

const RO_FIXED: &[(u32, u32, &str)] = &[
    (1, 1, "Anul Nou"),
    (1, 2, "Anul Nou"),
    (1, 24, "Ziua Unirii Principatelor Române"),
    (5, 1, "Ziua Muncii"),
    (6, 1, "Ziua Copilului"),
    (8, 15, "Adormirea Maicii Domnului"),
    (11, 30, "Sfântul Apostol Andrei"),
    (12, 1, "Ziua Națională a României"),
    (12, 25, "Crăciunul"),
    (12, 26, "Crăciunul"),
];

/// Holidays added in Romania from 2024 (Law 17/2023).
const RO_FIXED_FROM_2024: &[(u32, u32, &str)] = &[
    (1, 6, "Botezul Domnului (Boboteaza)"),
    (1, 7, "Sfântul Ion"),
];

/// Movable feasts as offsets from Orthodox Easter Sunday.
const MD_EASTER: &[(i64, &str)] = &[
    (0, "Paștele"),
    (1, "Paștele (a doua zi)"),
    (8, "Paștele Blajinilor"),
];
const RO_EASTER: &[(i64, &str)] = &[
    (-2, "Vinerea Mare"),
    (0, "Paștele"),
    (1, "Paștele (a doua zi)"),
    (49, "Rusaliile"),
    (50, "Rusaliile (a doua zi)"),
];

type FixedDays = Vec<&'static (u32, u32, &'static str)>;

/// The statutory public holidays of a country in a year, sorted by date (without a city's or a
/// government's per-year changes, which are `Adjustments`).
pub fn statutory(country: CountryCalendar, year: i32) -> Vec<Holiday> {
    let (fixed, easter): (FixedDays, &[(i64, &str)]) = match country {
        CountryCalendar::Md => (MD_FIXED.iter().collect(), MD_EASTER),
        CountryCalendar::Ro => {
            let mut fixed: Vec<_> = RO_FIXED.iter().collect();
            if year >= 2024 {
                fixed.extend(RO_FIXED_FROM_2024.iter());
            }
            (fixed, RO_EASTER)
        }
    };
    let mut out: Vec<Holiday> = fixed
        .into_iter()
        .filter_map(|&(m, d, name)| {
            NaiveDate::from_ymd_opt(year, m, d).map(|date| Holiday {
                date,
                name: name.to_string(),
            })
        })
        .collect();
    if let Some(e) = orthodox_easter(year) {
        out.extend(easter.iter().filter_map(|&(offset, name)| {
            let date = if offset >= 0 {
                e.checked_add_days(Days::new(offset.unsigned_abs()))
            } else {
                e.checked_sub_days(Days::new(offset.unsigned_abs()))
            }?;
            Some(Holiday {
                date,
                name: name.to_string(),
            })
        }));
    }
    out.sort_by_key(|h| h.date);
    out
}

/// Whether `date` is a statutory holiday (cheap: no allocation for the fixed dates).
pub fn is_statutory(country: CountryCalendar, date: NaiveDate) -> bool {
    let (m, d) = (date.month(), date.day());
    let fixed_hit = match country {
        CountryCalendar::Md => MD_FIXED.iter().any(|&(fm, fd, _)| fm == m && fd == d),
        CountryCalendar::Ro => {
            RO_FIXED.iter().any(|&(fm, fd, _)| fm == m && fd == d)
                || (date.year() >= 2024
                    && RO_FIXED_FROM_2024
                        .iter()
                        .any(|&(fm, fd, _)| fm == m && fd == d))
        }
    };
    if fixed_hit {
        return true;
    }
    let Some(e) = orthodox_easter(date.year()) else {
        return false;
    };
    let offset = date.signed_duration_since(e).num_days();
    let feasts = match country {
        CountryCalendar::Md => MD_EASTER,
        CountryCalendar::Ro => RO_EASTER,
    };
    feasts.iter().any(|&(o, _)| o == offset)
}
