//! `petitio backup FILE` and `petitio restore FILE`: one tar archive (gzip-compressed when its
//! name ends in `.gz` or `.tgz`) holding, in this order:
//!
//! - `manifest.json`: the format version, the database kind, its migration level, the time;
//! - the database: `database.sqlite`, an online copy made with `VACUUM INTO` (consistent while
//!   the server writes), or `database.pgdump`, `pg_dump --format=custom` of `DATABASE_URL`;
//! - `attachments/…`: the files of `PETITIO_ATTACHMENTS_DIR`, read after the database copy.
//!   A file is written and synced before the transaction that records it commits, so every
//!   file the copied database names is already there (files of later filings may come along
//!   unreferenced, which does no harm).
//!
//! `restore` refuses a database that already holds cases unless forced, writes the attachment
//! files, then puts the database in place (SQLite: the file replaced; PostgreSQL:
//! `pg_restore --clean --if-exists --single-transaction`). The server must be stopped while it
//! restores; it migrates the restored database forward when it starts.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use sea_orm_migration::MigratorTrait;

use app::backend::db::{self, Backend};

use crate::config::Settings;

/// The archive layout this program writes and reads.
pub const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const SQLITE_ENTRY: &str = "database.sqlite";
const PG_ENTRY: &str = "database.pgdump";
const ATTACHMENTS: &str = "attachments";

/// What an archive holds, written first so that `restore` checks it before anything else.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The last migration applied to the database, and how many are.
    pub migration: String,
    pub migrations: usize,
    pub created_at: DateTime<Utc>,
    pub petitio_version: String,
    /// Attachment files found when the backup began (a file removed meanwhile, by the
    /// housekeeping of an expired unconfirmed filing, is left out).
    pub attachments: u64,
}

/// What `backup` wrote.
#[derive(Clone, Debug)]
pub struct BackupReport {
    pub file: PathBuf,
    pub manifest: Manifest,
    pub attachments: u64,
    pub attachment_bytes: u64,
    pub archive_bytes: u64,
}

impl fmt::Display for BackupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "backup written to {} ({} bytes): {} database at migration {} ({} migrations), {} attachment files ({} bytes), taken at {}",
            self.file.display(),
            self.archive_bytes,
            self.manifest.database,
            self.manifest.migration,
            self.manifest.migrations,
            self.attachments,
            self.attachment_bytes,
            self.manifest.created_at.to_rfc3339(),
        )
    }
}

/// What `restore` put in place.
#[derive(Clone, Debug)]
pub struct RestoreReport {
    pub manifest: Manifest,
    /// Cases in the restored database.
    pub cases: u64,
    pub attachments: u64,
    pub attachment_bytes: u64,
    pub attachments_dir: PathBuf,
    /// A database that held cases was replaced (`--force`).
    pub replaced_cases: u64,
}

impl fmt::Display for RestoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "restored the {} database of {} (migration {}): {} cases; {} attachment files ({} bytes) into {}",
            self.manifest.database,
            self.manifest.created_at.to_rfc3339(),
            self.manifest.migration,
            self.cases,
            self.attachments,
            self.attachment_bytes,
            self.attachments_dir.display(),
        )?;
        if self.replaced_cases > 0 {
            write!(f, "; replaced a database of {} cases", self.replaced_cases)?;
        }
        Ok(())
    }
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    Backend::of(url).with_context(|| {
        format!(
            "DATABASE_URL {}: use sqlite: or postgres:",
            crate::startup::redact_url(url)
        )
    })
}

/// The applied migrations, oldest first.
async fn applied_migrations(conn: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .context("the database has no migrations table: is it a Petitio database?")?;
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).map_err(Into::into))
        .collect()
}

/// The number of cases, or 0 when the database has no schema yet.
async fn count_cases(conn: &DatabaseConnection) -> u64 {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) FROM petition_case",
        ))
        .await;
    match row {
        Ok(Some(r)) => r.try_get_by_index::<i64>(0).unwrap_or(0).max(0) as u64,
        _ => 0,
    }
}

/// Writes the backup of the configured database and attachment directory to `file` (replaced
/// only once the new archive is complete and synced). Safe while the server runs.
pub async fn backup(settings: &Settings, file: &Path) -> anyhow::Result<BackupReport> {
    let url = &settings.database_url;
    let backend = backend_of(url)?;
    if backend == Backend::Sqlite && db::sqlite_file(url).is_none() {
        bail!("an in-memory SQLite database cannot be backed up");
    }
    let work = WorkDir::beside(file)?;
    let conn = db::connect(url, 1)
        .await
        .with_context(|| format!("cannot open {}", crate::startup::redact_url(url)))?;
    let result = async {
        let applied = applied_migrations(&conn).await?;
        let Some(last) = applied.last().cloned() else {
            bail!("the database has no migrations applied: nothing to back up");
        };
        let (entry, copy) = match backend {
            Backend::Sqlite => {
                let copy = work.0.join(SQLITE_ENTRY);
                // One read transaction: a consistent snapshot while writers go on (WAL).
                conn.execute_unprepared(&format!(
                    "VACUUM INTO '{}'",
                    copy.display().to_string().replace('\'', "''")
                ))
                .await
                .context("VACUUM INTO (the online copy of the SQLite database) failed")?;
                (SQLITE_ENTRY, copy)
            }
            Backend::Postgres => {
                let copy = work.0.join(PG_ENTRY);
                let mut cmd = pg_tool("pg_dump", url);
                cmd.arg("--format=custom").arg("--file").arg(&copy);
                run_pg_tool(cmd, "pg_dump").await?;
                (PG_ENTRY, copy)
            }
        };
        Ok((applied.len(), last, entry, copy))
    }
    .await;
    conn.close().await.ok();
    let (migrations, migration, entry, copy) = result?;
    // After the database copy: every file it names exists by now.
    let files = list_files(&settings.attachments_dir)?;
    let manifest = Manifest {
        format: FORMAT,
        database: backend_name(backend).to_string(),
        migration,
        migrations,
        created_at: Utc::now(),
        petitio_version: env!("CARGO_PKG_VERSION").to_string(),
        attachments: files.len() as u64,
    };
    let gzip = is_gzip_name(file);
    let (target, m, dir) = (
        file.to_path_buf(),
        manifest.clone(),
        settings.attachments_dir.clone(),
    );
    let partial = work.0.join("archive.partial");
    let (attachments, attachment_bytes, archive_bytes) = tokio::task::spawn_blocking(move || {
        let counts = write_archive(&partial, gzip, &m, entry, &copy, &dir, &files)?;
        std::fs::rename(&partial, &target)?;
        sync_parent(&target);
        Ok::<_, io::Error>(counts)
    })
    .await?
    .with_context(|| format!("cannot write the backup {}", file.display()))?;
    drop(work);
    Ok(BackupReport {
        file: file.to_path_buf(),
        manifest,
        attachments,
        attachment_bytes,
        archive_bytes,
    })
}

/// Restores `file` into the configured database and attachment directory. Refuses a database
/// that already holds cases unless `force`. Stop the server first.
pub async fn restore(
    settings: &Settings,
    file: &Path,
    force: bool,
) -> anyhow::Result<RestoreReport> {
    let url = settings.database_url.clone();
    let backend = backend_of(&url)?;
    let archive = file.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || read_manifest(&archive))
        .await?
        .with_context(|| format!("{} is not a Petitio backup", file.display()))?;
    if manifest.format != FORMAT {
        bail!(
            "{}: backup format {} is not the one this program reads ({FORMAT})",
            file.display(),
            manifest.format
        );
    }
    if manifest.database != backend_name(backend) {
        bail!(
            "{} holds a {} database; DATABASE_URL is {}: restore it into the same kind",
            file.display(),
            manifest.database,
            backend_name(backend)
        );
    }
    let known: Vec<String> = migrations::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    if !known.contains(&manifest.migration) {
        bail!(
            "{}: its database is at migration {}, which this petitio ({}) does not know: restore it with the version that made it ({})",
            file.display(),
            manifest.migration,
            env!("CARGO_PKG_VERSION"),
            manifest.petitio_version
        );
    }

    // The target must not hold cases (unless forced).
    let sqlite_target = match backend {
        Backend::Sqlite => Some(PathBuf::from(db::sqlite_file(&url).with_context(|| {
            "an in-memory SQLite database cannot be restored into".to_string()
        })?)),
        Backend::Postgres => None,
    };
    let existing = match &sqlite_target {
        Some(path) if !path.exists() => 0,
        _ => {
            let conn = db::connect(&url, 1)
                .await
                .with_context(|| format!("cannot open {}", crate::startup::redact_url(&url)))?;
            let n = count_cases(&conn).await;
            conn.close().await.ok();
            n
        }
    };
    if existing > 0 && !force {
        bail!(
            "the database at {} already holds {existing} cases: nothing was restored (--force replaces it)",
            crate::startup::redact_url(&url)
        );
    }

    // The files first, then the database that names them.
    let work = match &sqlite_target {
        Some(path) => WorkDir::beside(path)?,
        None => WorkDir::beside(&settings.attachments_dir)?,
    };
    let (archive, dir, db_copy) = (
        file.to_path_buf(),
        settings.attachments_dir.clone(),
        work.0.join("database"),
    );
    let (attachments, attachment_bytes) =
        tokio::task::spawn_blocking(move || extract(&archive, &dir, &db_copy))
            .await?
            .with_context(|| format!("cannot read the backup {}", file.display()))?;
    let db_copy = work.0.join("database");
    match &sqlite_target {
        Some(target) => {
            let target = target.clone();
            tokio::task::spawn_blocking(move || replace_sqlite(&db_copy, &target))
                .await?
                .context("cannot put the restored SQLite database in place")?;
        }
        None => {
            let mut cmd = pg_tool("pg_restore", &url);
            cmd.args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
            ])
            .arg(&db_copy);
            run_pg_tool(cmd, "pg_restore").await?;
        }
    }
    drop(work);
    let conn = db::connect(&url, 1)
        .await
        .with_context(|| format!("cannot open {}", crate::startup::redact_url(&url)))?;
    let cases = count_cases(&conn).await;
    conn.close().await.ok();
    Ok(RestoreReport {
        manifest,
        cases,
        attachments,
        attachment_bytes,
        attachments_dir: settings.attachments_dir.clone(),
        replaced_cases: existing,
    })
}

/// A scratch directory beside `path` (same file system, so a rename finishes the job),
/// removed on drop.
struct WorkDir(PathBuf);

impl WorkDir {
    fn beside(path: &Path) -> anyhow::Result<WorkDir> {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "petitio".into());
        let dir = parent.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn is_gzip_name(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".gz") || name.ends_with(".tgz")
}

/// The files under `dir` (relative, `/`-separated), without those still being written.
fn list_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else if kind.is_file() && path.extension().is_none_or(|e| e != "part") {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out)
            .with_context(|| format!("cannot read the attachments in {}", dir.display()))?;
    }
    out.sort();
    Ok(out)
}

/// Writes the archive; returns (attachment files, their bytes, archive bytes).
fn write_archive(
    out: &Path,
    gzip: bool,
    manifest: &Manifest,
    db_entry: &str,
    db_file: &Path,
    attachments_dir: &Path,
    files: &[String],
) -> io::Result<(u64, u64, u64)> {
    fn entries<W: Write>(
        w: W,
        manifest: &Manifest,
        db_entry: &str,
        db_file: &Path,
        dir: &Path,
        files: &[String],
    ) -> io::Result<(W, u64, u64)> {
        let mut b = tar::Builder::new(w);
        let json = serde_json::to_vec_pretty(manifest).map_err(io::Error::other)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(manifest.created_at.timestamp().max(0) as u64);
        header.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut header, MANIFEST, json.as_slice())?;
        b.append_path_with_name(db_file, db_entry)?;
        let (mut n, mut bytes) = (0u64, 0u64);
        for rel in files {
            let path = dir.join(rel);
            let mut f = match File::open(&path) {
                Ok(f) => f,
                // Removed since it was listed (an expired unconfirmed filing's file).
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            bytes += f.metadata()?.len();
            b.append_file(format!("{ATTACHMENTS}/{rel}"), &mut f)?;
            n += 1;
        }
        Ok((b.into_inner()?, n, bytes))
    }
    fn finish(buf: BufWriter<File>) -> io::Result<u64> {
        let f = buf.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        Ok(f.metadata()?.len())
    }
    let buf = BufWriter::new(File::create(out)?);
    if gzip {
        let gz = flate2::write::GzEncoder::new(buf, flate2::Compression::default());
        let (gz, n, bytes) = entries(gz, manifest, db_entry, db_file, attachments_dir, files)?;
        Ok((n, bytes, finish(gz.finish()?)?))
    } else {
        let (buf, n, bytes) = entries(buf, manifest, db_entry, db_file, attachments_dir, files)?;
        Ok((n, bytes, finish(buf)?))
    }
}

/// The archive's entries, gzip or plain (told by the content, not the name).
fn open_archive(path: &Path) -> io::Result<tar::Archive<Box<dyn Read>>> {
    let mut f = File::open(path)?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    f.rewind()?;
    let reader: Box<dyn Read> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(flate2::read::GzDecoder::new(BufReader::new(f)))
    } else {
        Box::new(BufReader::new(f))
    };
    Ok(tar::Archive::new(reader))
}

fn read_manifest(path: &Path) -> anyhow::Result<Manifest> {
    let mut archive = open_archive(path)?;
    let mut entries = archive.entries()?;
    let mut first = entries
        .next()
        .context("the archive is empty")?
        .context("the archive cannot be read")?;
    if first.path()?.to_string_lossy() != MANIFEST {
        bail!("its first entry is not {MANIFEST}");
    }
    let mut json = String::new();
    first.read_to_string(&mut json)?;
    serde_json::from_str(&json).with_context(|| format!("{MANIFEST} cannot be read"))
}

/// Writes the attachments into `dir` and the database to `db_out`; returns (files, bytes).
fn extract(archive: &Path, dir: &Path, db_out: &Path) -> anyhow::Result<(u64, u64)> {
    let mut archive = open_archive(archive)?;
    let (mut n, mut bytes, mut database) = (0u64, 0u64, false);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if name == MANIFEST {
            continue;
        }
        if name == SQLITE_ENTRY || name == PG_ENTRY {
            let mut out = File::create(db_out)?;
            io::copy(&mut entry, &mut out)?;
            out.sync_all()?;
            database = true;
            continue;
        }
        let Some(rel) = name.strip_prefix(&format!("{ATTACHMENTS}/")) else {
            bail!("unexpected entry {name:?}");
        };
        // Keys are `YYYY/MM/uuid`: nothing may reach outside the directory.
        let safe = rel
            .split('/')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !safe || entry.header().entry_type() != tar::EntryType::Regular {
            bail!("unexpected entry {name:?}");
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("part");
        let mut out = File::create(&tmp)?;
        bytes += io::copy(&mut entry, &mut out)?;
        out.sync_all()?;
        drop(out);
        std::fs::rename(&tmp, &path)?;
        n += 1;
    }
    if !database {
        bail!("the archive holds no database");
    }
    sync_dir(dir);
    Ok((n, bytes))
}

/// Puts the restored SQLite file in place of `target` (its WAL and shared-memory files go).
fn replace_sqlite(copy: &Path, target: &Path) -> io::Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    std::fs::rename(copy, target)?;
    sync_parent(target);
    Ok(())
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn sync_parent(path: &Path) {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => sync_dir(p),
        _ => sync_dir(Path::new(".")),
    }
}

/// `pg_dump` or `pg_restore` for `url`, its password (if any) passed in `PGPASSWORD` rather
/// than on the command line.
fn pg_tool(tool: &str, url: &str) -> tokio::process::Command {
    let (url, password) = split_password(url);
    let mut cmd = tokio::process::Command::new(tool);
    cmd.arg("--dbname").arg(url);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

async fn run_pg_tool(mut cmd: tokio::process::Command, tool: &str) -> anyhow::Result<()> {
    let out = match cmd.output().await {
        Ok(out) => out,
        Err(e) if e.kind() == io::ErrorKind::NotFound => bail!(
            "{tool} is not installed: install the PostgreSQL client tools of the server's major version (Debian: postgresql-client-NN)"
        ),
        Err(e) => bail!("cannot run {tool}: {e}"),
    };
    if !out.status.success() {
        bail!(
            "{tool} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret` percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let (Some(s), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return (url.to_string(), None);
    };
    if at < s {
        return (url.to_string(), None);
    }
    match url[s + 3..at].split_once(':') {
        Some((user, pass)) => (
            format!("{}{user}{}", &url[..s + 3], &url[at..]),
            Some(percent_decode(pass)),
        ),
        None => (url.to_string(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://u:p%40ss@h:5432/db"),
            (
                "postgres://u@h:5432/db".to_string(),
                Some("p@ss".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://u@h/db"),
            ("postgres://u@h/db".to_string(), None)
        );
        assert_eq!(
            split_password("postgres://h/db"),
            ("postgres://h/db".to_string(), None)
        );
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn gzip_is_chosen_by_the_name() {
        assert!(is_gzip_name(Path::new("b.tar.gz")));
        assert!(is_gzip_name(Path::new("b.TGZ")));
        assert!(!is_gzip_name(Path::new("b.tar")));
    }
}
