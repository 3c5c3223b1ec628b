//! The workflow definition loader (`petitio workflow check`, `PUT /api/v1/workflows/{name}`):
//! any text gives a definition or a list of problems, never a panic. A definition that loads
//! also survives what the server does with it: written back as TOML it loads to the same
//! definition, its deadlines are previewed on both calendars, its diagram is drawn.
#![no_main]

use app::backend::workflow_view;
use app::calendar::{Calendar, CountryCalendar};
use app::i18n::Lang;
use app::workflow::{self, Definition};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let def = match Definition::from_toml(src) {
        Ok(def) => def,
        Err(problems) => {
            assert!(!problems.is_empty(), "a refusal names its problems");
            for p in &problems {
                assert!(p.line >= 1 && p.column >= 1, "positions are 1-based: {p}");
                let _ = p.to_string();
            }
            return;
        }
    };
    let again = Definition::from_toml(&def.to_toml());
    assert_eq!(
        again.as_ref(),
        Ok(&def),
        "to_toml loads back to the same definition"
    );
    for filed in [
        NaiveDate::from_ymd_opt(2026, 4, 3),
        NaiveDate::from_ymd_opt(2026, 12, 31),
    ]
    .into_iter()
    .flatten()
    {
        for country in [CountryCalendar::Md, CountryCalendar::Ro] {
            let _ = workflow::preview(&def, &Calendar::new(country), filed);
        }
    }
    for lang in Lang::ALL {
        let _ = app::diagram::render(&workflow_view::graph(&def, lang));
    }
});
