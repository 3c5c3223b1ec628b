//! Attachments: what a file is (by its content, never by its name), what it may be called,
//! where it is kept (outside the web root, under a random name) and who may read it (whoever
//! may see its case).
//!
//! A filing or a step first [`check`]s its uploads, then [`Store::put`]s them (a file written
//! and synced before the transaction), then [`insert_in`]s the rows inside its transaction; if
//! the transaction fails the caller [`Store::remove`]s the files again.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::auth::{Principal, visible_case};
use super::entity::attachment;
use crate::model::case::AttachmentView;
use crate::model::filing::{ATTACH_MAX_BYTES, ATTACH_MAX_FILES, ATTACH_MAX_TOTAL};
use crate::model::{AppError, FieldErrors};

/// A file as it arrived (its name as the sender's computer gave it).
#[derive(Clone, Debug)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file that passed [`check`]: a safe name and the type its content proves.
#[derive(Clone, Debug)]
pub struct Accepted {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// A file written to the store, not yet recorded (kept as JSON by a filing that waits for
/// its address to be confirmed).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Stored {
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

/// The types taken, as their content identifies them, with the file-name extensions that
/// may carry each.
const ALLOWED: &[(&str, &[&str])] = &[
    ("application/pdf", &["pdf"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/png", &["png"]),
    ("image/gif", &["gif"]),
    ("image/webp", &["webp"]),
    ("application/msword", &["doc"]),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &["docx"],
    ),
    ("application/vnd.ms-excel", &["xls"]),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &["xlsx"],
    ),
    ("application/vnd.oasis.opendocument.text", &["odt"]),
    ("application/vnd.oasis.opendocument.spreadsheet", &["ods"]),
    ("application/rtf", &["rtf"]),
];

/// The longest file name kept (characters, extension included).
const NAME_MAX: usize = 100;

/// The field the attachment errors are reported on.
pub const FIELD: &str = "attachments";

/// A file name that is safe to show and to offer for download: no directories, no control,
/// bidirectional-formatting or line-separator characters, no leading dots or spaces, no
/// trailing ones (which Windows drops, turning `x.pdf.` into `x.pdf`), at most [`NAME_MAX`]
/// characters (the extension kept).
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                // Unicode's Bidi_Control characters, the byte-order mark, line and paragraph
                // separators.
                && !matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
        })
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if cleaned.chars().count() <= NAME_MAX {
        return cleaned;
    }
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if e.chars().count() <= 10 => (s.to_string(), format!(".{e}")),
        _ => (cleaned.clone(), String::new()),
    };
    let keep = NAME_MAX - ext.chars().count();
    format!("{}{ext}", stem.chars().take(keep).collect::<String>())
}

fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.').map(|(_, e)| e.to_lowercase())
}

/// Checks a batch of uploads (count, sizes, types by content, names): every file accepted, or
/// the first problem (field `attachments`; the code names it, `attachment_type:NAME` etc.).
pub fn check(uploads: Vec<Upload>) -> Result<Vec<Accepted>, AppError> {
    let uploads: Vec<Upload> = uploads
        .into_iter()
        .filter(|u| !(u.file_name.is_empty() && u.bytes.is_empty()))
        .collect();
    let fail = |code: String| {
        let mut fields = FieldErrors::new();
        fields.insert(FIELD.to_string(), vec![code]);
        AppError::Validation {
            message: "attachment refused".into(),
            fields,
        }
    };
    if uploads.len() > ATTACH_MAX_FILES {
        return Err(fail("attachment_count".into()));
    }
    if uploads.iter().map(|u| u.bytes.len()).sum::<usize>() > ATTACH_MAX_TOTAL {
        return Err(fail("attachment_total".into()));
    }
    let mut out = Vec::with_capacity(uploads.len());
    for u in uploads {
        let mut name = sanitize_name(&u.file_name);
        if u.bytes.is_empty() {
            return Err(fail(format!("attachment_empty:{name}")));
        }
        if u.bytes.len() > ATTACH_MAX_BYTES {
            return Err(fail(format!("attachment_too_large:{name}")));
        }
        let detected = infer::get(&u.bytes).map(|t| t.mime_type());
        let Some((mime, exts)) = ALLOWED.iter().find(|(m, _)| Some(*m) == detected) else {
            return Err(fail(format!("attachment_type:{name}")));
        };
        match extension(&name) {
            // A name that says another type than the content is refused (a "photo.jpg" that is
            // a program, or a PDF called ".png").
            Some(ext) if !exts.contains(&ext.as_str()) => {
                return Err(fail(format!("attachment_mismatch:{name}")));
            }
            Some(_) => {}
            None => {
                name = format!(
                    "{}.{}",
                    if name.is_empty() { "fisier" } else { &name },
                    exts[0]
                );
            }
        }
        let sha256 = format!("{:x}", Sha256::digest(&u.bytes));
        out.push(Accepted {
            file_name: name,
            content_type: mime,
            bytes: u.bytes,
            sha256,
        });
    }
    Ok(out)
}

/// Where attachments are kept: a directory outside the web root, one file per attachment
/// under a random name (`YYYY/MM/<uuid>`), never the sender's name.
#[derive(Clone, Debug)]
pub struct Store {
    pub dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into() }
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, AppError> {
        // Keys are ours (`YYYY/MM/uuid`), but a row edited by hand must not reach elsewhere.
        let ok = key
            .split('/')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok {
            return Err(AppError::Internal);
        }
        Ok(self.dir.join(key))
    }

    /// Writes the files (each synced to disk before this returns).
    pub async fn put(
        &self,
        files: Vec<Accepted>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Stored>, AppError> {
        let mut stored = Vec::with_capacity(files.len());
        for accepted in files {
            let key = format!("{}/{}", now.format("%Y/%m"), uuid::Uuid::new_v4());
            let path = self.path_of(&key)?;
            let result = write_synced(&path, &accepted.bytes).await;
            if let Err(e) = result {
                tracing::error!(error = %e, path = %path.display(), "cannot store an attachment");
                self.remove(&stored).await;
                return Err(AppError::Internal);
            }
            stored.push(Stored {
                file_name: accepted.file_name,
                content_type: accepted.content_type.to_string(),
                size: accepted.bytes.len() as i64,
                sha256: accepted.sha256,
                storage_key: key,
            });
        }
        Ok(stored)
    }

    /// Removes stored files whose transaction failed (best effort; logged).
    pub async fn remove(&self, files: &[Stored]) {
        for f in files {
            if let Ok(path) = self.path_of(&f.storage_key)
                && let Err(e) = tokio::fs::remove_file(&path).await
            {
                tracing::warn!(error = %e, path = %path.display(), "cannot remove an attachment");
            }
        }
    }

    /// The bytes of a stored attachment.
    pub async fn read(&self, key: &str) -> Result<Vec<u8>, AppError> {
        let path = self.path_of(key)?;
        tokio::fs::read(&path).await.map_err(|e| {
            tracing::error!(error = %e, path = %path.display(), "an attachment is missing");
            AppError::NotFound
        })
    }
}

async fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let tmp = path.with_extension("part");
    let mut f = tokio::fs::File::create(&tmp).await?;
    f.write_all(bytes).await?;
    f.sync_all().await?;
    drop(f);
    tokio::fs::rename(&tmp, path).await
}

/// Records stored files on a case (and the step they came with) inside the caller's
/// transaction.
pub async fn insert_in<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
    event_id: Option<i64>,
    uploaded_by: Option<i64>,
    files: &[Stored],
    now: DateTime<Utc>,
) -> Result<Vec<AttachmentView>, AppError> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let row = attachment::ActiveModel {
            case_id: Set(case_id),
            event_id: Set(event_id),
            uploaded_by: Set(uploaded_by),
            file_name: Set(f.file_name.clone()),
            content_type: Set(f.content_type.clone()),
            size: Set(f.size),
            sha256: Set(f.sha256.clone()),
            storage_key: Set(f.storage_key.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        out.push(view(row));
    }
    Ok(out)
}

/// The attachments of a case the caller already may see, oldest first.
pub async fn of_case<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
    visible_events: Option<&[i64]>,
) -> Result<Vec<AttachmentView>, AppError> {
    let rows = attachment::Entity::find()
        .filter(attachment::Column::CaseId.eq(case_id))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        // A file that came with an internal step is as internal as the step.
        .filter(|a| match (a.event_id, visible_events) {
            (Some(e), Some(events)) => events.contains(&e),
            _ => true,
        })
        .map(view)
        .collect())
}

/// An attachment row as readers see it.
fn view(a: attachment::Model) -> AttachmentView {
    AttachmentView {
        id: a.id,
        name: a.file_name,
        size: a.size,
        content_type: a.content_type,
        event_id: a.event_id,
    }
}

/// An attachment and its bytes, if `principal` may see its case (and its step); otherwise
/// `NotFound`, as for a file that does not exist.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    store: &Store,
    principal: Option<&Principal>,
    attachment_id: i64,
) -> Result<(attachment::Model, Vec<u8>), AppError> {
    let row = attachment::Entity::find_by_id(attachment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let case = visible_case(db, principal, row.case_id).await?;
    if let (Some(event_id), Some(p)) = (row.event_id, principal)
        && !super::cases::sees_internal(p, &case)
    {
        use super::entity::case_event;
        let public = case_event::Entity::find_by_id(event_id)
            .one(db)
            .await?
            .is_some_and(|e| e.public);
        if !public {
            return Err(AppError::NotFound);
        }
    }
    let bytes = store.read(&row.storage_key).await?;
    Ok((row, bytes))
}

/// Adds files to a case after its filing (`POST /api/v1/cases/{id}/attachments`): its
/// petitioner while it is open, or staff of its scope.
pub async fn add(
    db: &sea_orm::DatabaseConnection,
    cfg: &super::AppConfig,
    principal: Option<&Principal>,
    case_id: i64,
    uploads: Vec<Upload>,
) -> Result<Vec<AttachmentView>, AppError> {
    use sea_orm::TransactionTrait;
    let case = visible_case(db, principal, case_id).await?;
    let p = principal.ok_or(AppError::NotFound)?;
    let roles = super::case_actions::roles_for(p, &case);
    let staff = roles.iter().any(|r| *r != crate::workflow::Role::Citizen);
    if !staff && case.closed_at.is_some() {
        return Err(AppError::TransitionNotAllowed(
            "the case is closed: files can no longer be added".into(),
        ));
    }
    let files = check(uploads)?;
    if files.is_empty() {
        return Err(AppError::field(FIELD, "attachment_missing"));
    }
    let now = cfg.clock.now();
    let stored = cfg.attachments.put(files, now).await?;
    let user_id = p.account().map(|a| a.user_id);
    let result = async {
        let txn = db.begin().await?;
        let added = insert_in(&txn, case.id, None, user_id, &stored, now).await?;
        txn.commit().await?;
        Ok::<_, AppError>(added)
    }
    .await;
    if result.is_err() {
        cfg.attachments.remove(&stored).await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
    ];

    fn up(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            file_name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    fn code(r: Result<Vec<Accepted>, AppError>) -> String {
        r.unwrap_err().fields().unwrap()[FIELD][0].clone()
    }

    #[test]
    fn names_lose_directories_controls_and_overrides() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\Users\\ana\\cerere.pdf"), "cerere.pdf");
        assert_eq!(sanitize_name("a\0b\u{7}.pdf"), "ab.pdf");
        assert_eq!(sanitize_name("factura\u{202e}fdp.exe"), "facturafdp.exe");
        assert_eq!(sanitize_name("..hidden"), "hidden");
        assert_eq!(sanitize_name(". . ."), "");
        assert_eq!(sanitize_name("cerere.pdf. "), "cerere.pdf");
        assert_eq!(
            sanitize_name("a\u{061c}b\u{2028}c\u{2029}\u{85}.pdf"),
            "abc.pdf"
        );
        assert_eq!(sanitize_name("<script>.pdf"), "_script_.pdf");
        let long = format!("{}.pdf", "ș".repeat(300));
        let s = sanitize_name(&long);
        assert_eq!(s.chars().count(), NAME_MAX);
        assert!(s.ends_with(".pdf"));
    }

    #[test]
    fn the_content_decides_the_type_and_the_name_must_agree() {
        let ok = check(vec![up("cerere.pdf", PDF), up("poza.PNG", PNG)]).unwrap();
        assert_eq!(ok[0].content_type, "application/pdf");
        assert_eq!(ok[1].content_type, "image/png");
        assert_eq!(ok[0].sha256.len(), 64);
        assert_eq!(
            code(check(vec![up("poza.png", PDF)])),
            "attachment_mismatch:poza.png"
        );
        assert_eq!(
            code(check(vec![up("virus.pdf", b"MZ\x90\0\x03")])),
            "attachment_type:virus.pdf"
        );
        assert_eq!(
            code(check(vec![up("note.txt", b"just text here")])),
            "attachment_type:note.txt"
        );
        // No extension: the content's is added.
        assert_eq!(
            check(vec![up("scan", PDF)]).unwrap()[0].file_name,
            "scan.pdf"
        );
    }

    #[test]
    fn count_and_size_limits() {
        let six = (0..6).map(|i| up(&format!("{i}.pdf"), PDF)).collect();
        assert_eq!(code(check(six)), "attachment_count");
        let mut big = PDF.to_vec();
        big.resize(ATTACH_MAX_BYTES + 1, b' ');
        assert_eq!(
            code(check(vec![up("mare.pdf", &big)])),
            "attachment_too_large:mare.pdf"
        );
        let mut half = PDF.to_vec();
        half.resize(ATTACH_MAX_BYTES, b' ');
        let three = (0..3).map(|i| up(&format!("{i}.pdf"), &half)).collect();
        assert_eq!(code(check(three)), "attachment_total");
        assert_eq!(
            code(check(vec![up("gol.pdf", b"")])),
            "attachment_empty:gol.pdf"
        );
        // An empty file input (no file chosen) is no attachment.
        assert!(check(vec![up("", b"")]).unwrap().is_empty());
    }
}
