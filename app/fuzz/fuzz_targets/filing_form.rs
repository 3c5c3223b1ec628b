//! The filing form (`/depune`, `multipart/form-data`, also staff registering on a petitioner's
//! behalf): any body gives `400`/`413` or a form whose checks accept or refuse it field by
//! field, never a panic. The first byte of the input sets the size of the chunks the body
//! arrives in (as a network would cut it); the rest is the body, boundary `petitio`.
#![no_main]

use app::backend::attachments;
use app::backend::citizen_filing::{self, Once};
use app::backend::multipart_form;
use app::model::{AppError, FieldErrors};
use bytes::Bytes;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(first).max(1);
    let chunks: Vec<Result<Bytes, std::io::Error>> = body
        .chunks(chunk)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let stream = futures_util::stream::iter(chunks);
    let multipart = multer::Multipart::new(stream, "petitio");
    let read = futures_executor::block_on(multipart_form::read_filing_once(multipart));
    let (input, uploads, submission_id) = match read {
        Ok(form) => form,
        Err(AppError::BadRequest(_) | AppError::PayloadTooLarge) => return,
        Err(other) => panic!("a malformed form answers 400 or 413, not {other:?}"),
    };
    let Some(today) = NaiveDate::from_ymd_opt(2026, 4, 3) else {
        return;
    };
    let mut errors = FieldErrors::new();
    match citizen_filing::check(&input, today) {
        Ok(_) => {}
        Err(AppError::Validation { fields, .. }) => assert!(!fields.is_empty()),
        Err(other) => panic!("a filing's check refuses field by field, not with {other:?}"),
    }
    // A visitor's filing (e-mail required) and staff registering on behalf (optional).
    let _ = citizen_filing::check_visitor(&input, &mut errors, true);
    let _ = citizen_filing::check_visitor(&input, &mut errors, false);
    match attachments::check(uploads) {
        Ok(accepted) => {
            for a in accepted {
                // The name is shown and offered for download (`sanitize_name`): no
                // directories, no control, direction or line-separator characters, no leading
                // or trailing dot or space, not empty, bounded.
                let name = &a.file_name;
                assert!(!name.is_empty(), "an accepted file has a name");
                assert!(!name.contains(['/', '\\']), "no directories in {name:?}");
                let edge = |c: char| c == '.' || c.is_whitespace();
                assert!(
                    !name.starts_with(edge),
                    "no leading dot or space in {name:?}"
                );
                assert!(
                    !name.ends_with(edge),
                    "no trailing dot or space in {name:?}"
                );
                assert!(
                    !name.chars().any(|c| c.is_control()
                        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{2028}' | '\u{2029}')),
                    "no control, direction or line-separator characters in {name:?}"
                );
                assert!(name.chars().count() <= 110, "a bounded name: {name:?}");
                assert!(!a.bytes.is_empty());
            }
        }
        Err(AppError::Validation { fields, .. }) => assert!(!fields.is_empty()),
        Err(other) => panic!("attachments are refused field by field, not with {other:?}"),
    }
    if let Some(token) = submission_id {
        let _ = Once::for_form(&token, 1, &input);
    }
});
