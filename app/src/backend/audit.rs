//! The audit trail: every case event, staff action on a case (reading its personal data
//! included), administrative change and login is one append-only `audit_record`, written with
//! [`record`] **in the transaction of the change it records** (a rolled-back change leaves no
//! record).
//!
//! Records form hash chains, one per institution and one for the portal ([`PORTAL`]: logins,
//! installation-wide administration). Each record carries its place in the chain (`seq` 1, 2,
//! 3… without gaps), the hash of the record before it, and its own hash: SHA-256 over the
//! canonical form of its fields and that previous hash ([`hash_of`]). [`verify`] recomputes
//! every chain and names the first record that was edited (hash), removed (a gap in `seq`, or
//! a chain shorter than its head) or put out of order (previous hash).
//!
//! Appends to a chain queue on its `audit_head` row (an upsert that locks it until the
//! transaction ends, as `registration_counter` does for registration numbers), so several
//! server instances on one PostgreSQL still append one after the other. Take it last in a
//! transaction where possible: it is held until commit.
//!
//! The client's address comes from the request being served: the authentication layer runs
//! each request inside [`with_client_ip`] and puts a [`ClientIp`] in its extensions (read by
//! server functions rendered on the server); workers and the command line record none.

use std::any::Any;
use std::fmt;
use std::future::Future;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, NotSet, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::auth::Account;
use super::auth::one_time::hex;
use super::entity::audit_record;
use crate::model::AppError;
use crate::model::account::Role;

/// The chain of the portal itself (logins, installation-wide administration).
pub const PORTAL: i64 = 0;

/// The previous hash of a chain's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names the canonical form; a new form would get a new name (and `verify` would learn both).
const FORMAT: &str = "petitio-audit-1";

/// The actions recorded by the service layer (administrative ones are `admin.<thing>.<verb>`).
pub mod action {
    /// A case was filed (by its petitioner, or registered by staff on their behalf).
    pub const CASE_FILE: &str = "case.file";
    /// A workflow step: `details.transition`, `from`, `to` (the case's history entry).
    pub const CASE_EVENT: &str = "case.event";
    /// A staff member opened a case with its personal data.
    pub const CASE_READ: &str = "case.read";
    pub const CASE_NOTE: &str = "case.note";
    pub const CASE_LINKS_REVOKE: &str = "case.links_revoke";
    /// A case's redacted version was published (`details.redactions`, `kept`, `manual`).
    pub const CASE_PUBLISH: &str = "case.publish";
    pub const CASE_UNPUBLISH: &str = "case.unpublish";
    pub const LOGIN: &str = "login";
    pub const LOGIN_FAILED: &str = "login.failed";
}

tokio::task_local! {
    static CLIENT_IP: String;
}

/// The client address of the request being served, in its extensions (for code that runs
/// outside the request's task, such as server functions called while rendering a page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// Runs `f` (a request's handling) with `ip` as the address its records carry.
pub async fn with_client_ip<F: Future>(ip: String, f: F) -> F::Output {
    CLIENT_IP.scope(ip, f).await
}

/// The address of the request being served, if any.
fn request_ip() -> Option<String> {
    CLIENT_IP.try_with(Clone::clone).ok().or_else(|| {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone()))
    })
}

/// What [`record`] (and the service functions that record) take: a transaction, or a
/// connection of the pool (then they open their own transaction).
pub trait Connection:
    ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction> + 'static
{
}

impl<T> Connection for T where
    T: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction> + 'static
{
}

/// What happened, as the caller knows it; [`record`] adds the time, the chain position and the
/// hashes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// The chain: an institution, or `None` for the portal's.
    pub institution_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub case_id: Option<i64>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// An object (`Null` is stored as `{}`).
    pub details: serde_json::Value,
    /// `None`: the address of the request being served, if any.
    pub ip: Option<String>,
}

impl Entry {
    pub fn new(action: &str) -> Entry {
        Entry {
            action: action.to_string(),
            actor_role: "system".into(),
            ..Default::default()
        }
    }

    /// Recorded in `institution_id`'s chain (`None`: the portal's).
    pub fn chain(mut self, institution_id: Option<i64>) -> Entry {
        self.institution_id = institution_id;
        self
    }

    /// About a case: recorded in its institution's chain.
    pub fn case(mut self, case_id: i64, institution_id: i64) -> Entry {
        self.case_id = Some(case_id);
        self.institution_id = Some(institution_id);
        self
    }

    pub fn by(mut self, actor_id: Option<i64>, role: &str) -> Entry {
        self.actor_id = actor_id;
        self.actor_role = role.to_string();
        self
    }

    /// By `account`, in its highest role at `institution_id` (any institution when `None`).
    pub fn by_account(self, account: &Account, institution_id: Option<i64>) -> Entry {
        let role = role_of(account, institution_id);
        self.by(Some(account.user_id), role)
    }

    pub fn target(mut self, kind: &str, id: impl ToString) -> Entry {
        self.target_type = Some(kind.to_string());
        self.target_id = Some(id.to_string());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Entry {
        self.details = details;
        self
    }

    pub fn ip(mut self, ip: &str) -> Entry {
        self.ip = Some(ip.to_string());
        self
    }
}

/// The highest role `account` holds at `institution_id` (at any, when `None`):
/// `admin`, `manager`, `officer` or `citizen`.
pub fn role_of(account: &Account, institution_id: Option<i64>) -> &'static str {
    let covers = |g: &crate::model::account::Grant| match (institution_id, g.institution_id) {
        (None, _) | (_, None) => true,
        (Some(i), Some(j)) => i == j,
    };
    [Role::Admin, Role::Manager, Role::Officer]
        .into_iter()
        .find(|r| account.grants.iter().any(|g| g.role == *r && covers(g)))
        .unwrap_or(Role::Citizen)
        .code()
}

/// Appends `entry` to its chain. Give it the transaction that makes the change it records:
/// then the change and its record commit or roll back together, and the chain's head stays
/// locked until then. Given a connection of the pool instead (a read, a refused login: nothing
/// else changes), it appends in a transaction of its own; either way the chain stays whole.
pub async fn record<C>(db: &C, entry: Entry, now: DateTime<Utc>) -> Result<(), AppError>
where
    C: Connection,
{
    record_all(db, vec![entry], now).await
}

/// Appends `entries` to their chain one after the other, in one go: the head is taken once, so
/// a change that makes several records (a filing: the case's and its registration's) holds the
/// chain for three statements, whatever their number. All of them must be of one chain. Like
/// [`record`], it appends in the transaction it is given, or in one of its own.
pub async fn record_all<C>(db: &C, entries: Vec<Entry>, now: DateTime<Utc>) -> Result<(), AppError>
where
    C: Connection,
{
    let Some(first) = entries.first() else {
        return Ok(());
    };
    let chain = first.institution_id.unwrap_or(PORTAL);
    if entries
        .iter()
        .any(|e| e.institution_id.unwrap_or(PORTAL) != chain)
    {
        return Err(super::error::internal(
            "audit records",
            "record_all was given records of two chains",
        ));
    }
    if let Some(txn) = (db as &dyn Any).downcast_ref::<DatabaseTransaction>() {
        return append_all(txn, chain, entries, now).await;
    }
    let txn = db.begin().await?;
    append_all(&txn, chain, entries, now).await?;
    txn.commit().await?;
    Ok(())
}

async fn append_all(
    db: &DatabaseTransaction,
    chain: i64,
    entries: Vec<Entry>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let n = entries.len() as i64;
    let (last_seq, mut prev_hash) = take_places(db, chain, n).await?;
    let mut rows = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let row = row_of(entry, chain, last_seq - n + 1 + i as i64, prev_hash, now);
        prev_hash = row.hash.clone();
        let mut active: audit_record::ActiveModel = row.into();
        active.id = NotSet;
        rows.push(active);
    }
    audit_record::Entity::insert_many(rows).exec(db).await?;
    set_head_hash(db, chain, prev_hash).await
}

/// The stored form of `entry` at place `seq` of `chain`, after the record whose hash is
/// `prev_hash`, with its own hash.
fn row_of(
    entry: Entry,
    chain: i64,
    seq: i64,
    prev_hash: String,
    now: DateTime<Utc>,
) -> audit_record::Model {
    let details = if entry.details.is_null() {
        "{}".to_string()
    } else {
        entry.details.to_string()
    };
    let clip = |s: String, n: usize| -> String { s.chars().take(n).collect() };
    let ip = entry.ip.or_else(request_ip).map(|s| clip(s, 64));
    let mut row = audit_record::Model {
        id: 0,
        institution_id: chain,
        seq,
        // Microseconds: what both databases keep, so that the hash is recomputed exactly.
        at: now.trunc_subsecs(6),
        actor_id: entry.actor_id,
        actor_role: clip(entry.actor_role, 32),
        action: clip(entry.action, 64),
        case_id: entry.case_id,
        target_type: entry.target_type.map(|s| clip(s, 64)),
        target_id: entry.target_id.map(|s| clip(s, 200)),
        details,
        ip,
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    row
}

/// Records `hash` as the last one of `chain` (whose head the transaction holds).
async fn set_head_hash(db: &DatabaseTransaction, chain: i64, hash: String) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE audit_head SET last_hash = $1 WHERE institution_id = $2",
        _ => "UPDATE audit_head SET last_hash = ? WHERE institution_id = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [hash.into(), chain.into()],
    ))
    .await?;
    Ok(())
}

/// Takes the next `n` places in `chain`: the last of them and the hash of the record before
/// the first. The upsert locks the head row until the transaction ends.
async fn take_places(
    db: &DatabaseTransaction,
    chain: i64,
    n: i64,
) -> Result<(i64, String), AppError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO audit_head (institution_id, last_seq, last_hash) VALUES ($1, $3, $2) \
             ON CONFLICT (institution_id) DO UPDATE SET last_seq = audit_head.last_seq + $3 \
             RETURNING last_seq, last_hash"
        }
        _ => {
            "INSERT INTO audit_head (institution_id, last_seq, last_hash) VALUES (?1, ?3, ?2) \
             ON CONFLICT (institution_id) DO UPDATE SET last_seq = audit_head.last_seq + ?3 \
             RETURNING last_seq, last_hash"
        }
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [chain.into(), GENESIS.into(), n.into()],
        ))
        .await?
        .ok_or_else(|| super::error::internal("audit head", "the upsert returned no row"))?;
    Ok((
        row.try_get_by_index::<i64>(0)?,
        row.try_get_by_index::<String>(1)?,
    ))
}

/// The record's time as hashed: UTC, microseconds.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// SHA-256 (hex) of the record's canonical form: a JSON array of the format's name, every
/// field but `id` and `hash` in a fixed order (the details as their stored text), and
/// `prev_hash`.
pub fn hash_of(r: &audit_record::Model) -> String {
    let canonical = serde_json::json!([
        FORMAT,
        r.institution_id,
        r.seq,
        stamp(r.at),
        r.actor_id,
        r.actor_role,
        r.action,
        r.case_id,
        r.target_type,
        r.target_id,
        r.details,
        r.ip,
        r.prev_hash,
    ])
    .to_string();
    hex(&Sha256::digest(canonical.as_bytes()))
}

/// What is wrong with a chain, at its first broken record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The record's fields do not give its hash: it was changed after it was written.
    Edited,
    /// Records `from..=to` of the chain are missing: they were deleted.
    Missing { from: i64, to: i64 },
    /// The record does not carry the hash of the one before it (reordered, or a record
    /// before it was replaced).
    PrevHash,
    /// The chain's head says it is longer: its last records were deleted.
    Truncated { head_seq: i64 },
    /// The chain's head names another last hash than its last record's.
    HeadHash,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Edited => write!(f, "hash mismatch: the record was edited"),
            Problem::Missing { from, to } if from == to => {
                write!(f, "seq gap: record {from} is missing (deleted)")
            }
            Problem::Missing { from, to } => {
                write!(f, "seq gap: records {from} to {to} are missing (deleted)")
            }
            Problem::PrevHash => write!(
                f,
                "prev_hash mismatch: the record does not follow the one before it"
            ),
            Problem::Truncated { head_seq } => write!(
                f,
                "the chain's head says it has {head_seq} records: the last ones were deleted"
            ),
            Problem::HeadHash => write!(
                f,
                "the chain's head names another last hash than the last record's"
            ),
        }
    }
}

/// The first broken place of a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The record (`None` when the problem is records missing at the end).
    pub id: Option<i64>,
    pub seq: i64,
    pub problem: Problem,
}

/// One chain, recomputed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// The institution, [`PORTAL`] for the portal's chain.
    pub institution_id: i64,
    /// Records read.
    pub checked: u64,
    /// The last record's place and hash (what an outside copy of the head can be compared to).
    pub last_seq: i64,
    pub last_hash: String,
    pub broken: Option<Broken>,
}

/// Records read at a time while verifying.
const VERIFY_BATCH: u64 = 1_000;

/// Recomputes every chain, oldest record first.
pub async fn verify<C: ConnectionTrait>(db: &C) -> Result<Vec<ChainReport>, AppError> {
    let backend = db.get_database_backend();
    let heads: std::collections::BTreeMap<i64, (i64, String)> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT institution_id, last_seq, last_hash FROM audit_head",
        ))
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get_by_index::<i64>(0)?,
                (
                    r.try_get_by_index::<i64>(1)?,
                    r.try_get_by_index::<String>(2)?,
                ),
            ))
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let mut chains: Vec<i64> = audit_record::Entity::find()
        .select_only()
        .column(audit_record::Column::InstitutionId)
        .distinct()
        .into_tuple::<i64>()
        .all(db)
        .await?;
    chains.extend(heads.keys().copied());
    chains.sort_unstable();
    chains.dedup();
    let mut reports = Vec::with_capacity(chains.len());
    for chain in chains {
        let mut report = ChainReport {
            institution_id: chain,
            checked: 0,
            last_seq: 0,
            last_hash: GENESIS.to_string(),
            broken: None,
        };
        loop {
            let batch = audit_record::Entity::find()
                .filter(audit_record::Column::InstitutionId.eq(chain))
                .filter(audit_record::Column::Seq.gt(report.last_seq))
                .order_by_asc(audit_record::Column::Seq)
                .limit(VERIFY_BATCH)
                .all(db)
                .await?;
            let Some(last) = batch.last().map(|r| r.seq) else {
                break;
            };
            for r in &batch {
                report.checked += 1;
                if report.broken.is_none() {
                    let problem = if r.seq != report.last_seq + 1 {
                        Some(Problem::Missing {
                            from: report.last_seq + 1,
                            to: r.seq - 1,
                        })
                    } else if r.prev_hash != report.last_hash {
                        Some(Problem::PrevHash)
                    } else if hash_of(r) != r.hash {
                        Some(Problem::Edited)
                    } else {
                        None
                    };
                    report.broken = problem.map(|problem| Broken {
                        id: Some(r.id),
                        seq: r.seq,
                        problem,
                    });
                }
                report.last_seq = r.seq;
                report.last_hash = r.hash.clone();
            }
            if batch.len() < VERIFY_BATCH as usize {
                debug_assert!(last == report.last_seq);
                break;
            }
        }
        if report.broken.is_none()
            && let Some((head_seq, head_hash)) = heads.get(&chain)
        {
            if *head_seq > report.last_seq {
                report.broken = Some(Broken {
                    id: None,
                    seq: report.last_seq + 1,
                    problem: Problem::Truncated {
                        head_seq: *head_seq,
                    },
                });
            } else if *head_seq == report.last_seq && *head_hash != report.last_hash {
                report.broken = Some(Broken {
                    id: None,
                    seq: report.last_seq,
                    problem: Problem::HeadHash,
                });
            }
        }
        reports.push(report);
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> audit_record::Model {
        audit_record::Model {
            id: 7,
            institution_id: 1,
            seq: 3,
            at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap(),
            actor_id: Some(4),
            actor_role: "officer".into(),
            action: action::CASE_READ.into(),
            case_id: Some(12),
            target_type: None,
            target_id: None,
            details: "{}".into(),
            ip: Some("127.0.0.1".into()),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_hash_covers_every_field_but_the_id() {
        let base = sample();
        let h = hash_of(&base);
        assert_eq!(h.len(), 64);
        assert_eq!(
            hash_of(&audit_record::Model {
                id: 8,
                ..base.clone()
            }),
            h
        );
        let changed = [
            audit_record::Model {
                seq: 4,
                ..base.clone()
            },
            audit_record::Model {
                institution_id: 0,
                ..base.clone()
            },
            audit_record::Model {
                at: base.at + chrono::Duration::microseconds(1),
                ..base.clone()
            },
            audit_record::Model {
                actor_id: None,
                ..base.clone()
            },
            audit_record::Model {
                details: "{\"a\":1}".into(),
                ..base.clone()
            },
            audit_record::Model {
                ip: None,
                ..base.clone()
            },
            audit_record::Model {
                prev_hash: "1".repeat(64),
                ..base.clone()
            },
        ];
        for c in changed {
            assert_ne!(hash_of(&c), h, "{c:?}");
        }
        // `null` and an empty text are told apart.
        let empty = audit_record::Model {
            target_id: Some(String::new()),
            ..base.clone()
        };
        assert_ne!(hash_of(&empty), h);
    }

    #[test]
    fn problems_read_as_sentences() {
        assert_eq!(
            Problem::Missing { from: 4, to: 4 }.to_string(),
            "seq gap: record 4 is missing (deleted)"
        );
        assert_eq!(
            Problem::Edited.to_string(),
            "hash mismatch: the record was edited"
        );
    }
}
