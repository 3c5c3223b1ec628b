use std::path::{Path, PathBuf};

use async_trait::async_trait;

use super::{MailError, MailTransport, OutgoingMail, build_message};

/// Writes each mail as `<message-id>.eml` under a directory (the development mailbox).
/// The name comes from the stable Message-ID, so a resend overwrites rather than duplicates.
pub struct FileTransport {
    dir: PathBuf,
}

impl FileTransport {
    pub fn new(dir: &Path) -> anyhow::Result<FileTransport> {
        std::fs::create_dir_all(dir).map_err(|e| {
            anyhow::anyhow!("cannot create the mail directory {}: {e}", dir.display())
        })?;
        Ok(FileTransport {
            dir: dir.to_path_buf(),
        })
    }

    fn file_name(message_id: &str) -> String {
        let safe: String = message_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{safe}.eml")
    }
}

#[async_trait]
impl MailTransport for FileTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<String, MailError> {
        let raw = build_message(mail)?.formatted();
        let path = self.dir.join(Self::file_name(&mail.message_id));
        // Write to a temporary name and rename: a reader never sees half a mail.
        let tmp = path.with_extension("eml.tmp");
        tokio::fs::write(&tmp, &raw)
            .await
            .map_err(|e| MailError::Transient(format!("{}: {e}", tmp.display())))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| MailError::Transient(format!("{}: {e}", path.display())))?;
        Ok(format!("written {}", path.display()))
    }

    fn kind(&self) -> &'static str {
        "file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_mail_becomes_one_eml_file_named_after_its_message_id() {
        let dir = std::env::temp_dir().join(format!("petitio-mail-{}", uuid::Uuid::new_v4()));
        let t = FileTransport::new(&dir).unwrap();
        let mail = OutgoingMail {
            message_id: "outbox-1@petitio".into(),
            from: "petitii@localhost".into(),
            to: "ion@example.md".into(),
            subject: "Test".into(),
            text: "Corp".into(),
            html: None,
        };
        t.send(&mail).await.unwrap();
        t.send(&mail).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            files,
            vec![std::ffi::OsString::from("outbox-1_petitio.eml")]
        );
        let raw = std::fs::read_to_string(dir.join("outbox-1_petitio.eml")).unwrap();
        assert!(raw.contains("Subject: Test"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
