//! Reading a `multipart/form-data` body (a form with files) within limits: text fields up to
//! [`TEXT_FIELD_MAX`] bytes, files up to one byte over the attachment limit (so that the check
//! names the file as too large instead of reading it all), and no more files than one over the
//! count limit. Malformed bodies answer `400`, never a panic.

use std::collections::BTreeMap;

use super::attachments::{self, Upload};
use crate::model::AppError;
use crate::model::filing::{ATTACH_MAX_BYTES, ATTACH_MAX_FILES, FilingInput};

/// The longest text field read (bytes); longer ones are cut, and fail their length rule.
pub const TEXT_FIELD_MAX: usize = 64 * 1024;

/// A form's text fields (the first value of each name) and its files (field `attachments` or
/// `file`).
#[derive(Debug, Default)]
pub struct Form {
    /// The first value of each field.
    pub fields: BTreeMap<String, String>,
    /// Every value of a repeated field (ticked checkboxes of one name), at most
    /// [`REPEATED_MAX`].
    pub repeated: BTreeMap<String, Vec<String>>,
    pub files: Vec<Upload>,
}

/// The most values one repeated field keeps.
pub const REPEATED_MAX: usize = 200;

impl Form {
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub fn opt(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned()
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.repeated.get(name).map_or(&[], Vec::as_slice)
    }
}

fn malformed(e: multer::Error) -> AppError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            AppError::PayloadTooLarge
        }
        other => AppError::BadRequest(format!("malformed form: {other}")),
    }
}

/// Reads the whole form.
pub async fn read(mut multipart: multer::Multipart<'static>) -> Result<Form, AppError> {
    let mut form = Form::default();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some() || name == attachments::FIELD || name == "file";
        let cap = if is_file {
            ATTACH_MAX_BYTES + 1
        } else {
            TEXT_FIELD_MAX
        };
        let file_name = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            let room = cap.saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        if is_file {
            if form.files.len() <= ATTACH_MAX_FILES {
                form.files.push(Upload { file_name, bytes });
            }
        } else {
            let value = String::from_utf8_lossy(&bytes).into_owned();
            let values = form.repeated.entry(name.clone()).or_default();
            if values.len() < REPEATED_MAX {
                values.push(value.clone());
            }
            form.fields.entry(name).or_insert(value);
        }
    }
    Ok(form)
}

/// The filing form's fields and files.
pub async fn read_filing(
    multipart: multer::Multipart<'static>,
) -> Result<(FilingInput, Vec<Upload>), AppError> {
    read_filing_once(multipart)
        .await
        .map(|(input, files, _)| (input, files))
}

/// The filing form with its `submission_id`: the token the page put in the form, which makes a
/// form sent twice file once (see [`crate::backend::citizen_filing::Once::for_form`]).
pub async fn read_filing_once(
    multipart: multer::Multipart<'static>,
) -> Result<(FilingInput, Vec<Upload>, Option<String>), AppError> {
    let form = read(multipart).await?;
    let submission_id = form.opt("submission_id");
    let input = FilingInput {
        kind: form.text("kind"),
        department_id: form.opt("department_id"),
        category_id: form.opt("category_id"),
        service_id: form.opt("service_id"),
        subject: form.text("subject"),
        body: form.text("body"),
        address: form.opt("address"),
        decision_number: form.opt("decision_number"),
        decision_date: form.opt("decision_date"),
        postal_address: form.opt("postal_address"),
        consent_processing: form.opt("consent_processing"),
        consent_publish: form.opt("consent_publish"),
        full_name: form.opt("full_name"),
        email: form.opt("email"),
        linked_case_id: form.opt("linked_case_id"),
        confirm_repeat: form.opt("confirm_repeat"),
        channel: form.opt("channel"),
        // `extra.{category_id}.{code}`: the category's own questions.
        extra: form
            .fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("extra.")?.to_string(), v.clone())))
            .collect(),
    };
    Ok((input, form.files, submission_id))
}
