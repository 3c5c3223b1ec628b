//! `POST /api/v1/cases`: any body is refused with an answer or gives a filing the checks accept
//! or refuse field by field, never a panic. Decodes as the API's JSON extractor does
//! (`serde_json` into `NewCaseBody`), then runs every check of the filing that needs no
//! database: the fields (`validator` length rules, ids, dates), the `Idempotency-Key`.
#![no_main]

use app::backend::citizen_filing::{self, Once};
use app::model::AppError;
use app::model::filing::NewCaseBody;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<NewCaseBody>(data) else {
        return;
    };
    // The key comes from a header in the server; here the kind stands in for it.
    let key = body.kind.clone();
    let input = body.into_input();
    let Some(today) = NaiveDate::from_ymd_opt(2026, 4, 3) else {
        return;
    };
    match citizen_filing::check(&input, today) {
        Ok(checked) => {
            assert!(checked.subject.chars().count() >= 5);
            assert!(checked.decision_date.is_none_or(|d| d <= today));
        }
        Err(AppError::Validation { fields, .. }) => assert!(!fields.is_empty()),
        Err(other) => panic!("a filing's check refuses field by field, not with {other:?}"),
    }
    let _ = Once::new(&key, 1, &input);
});
