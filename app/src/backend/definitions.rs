//! Workflow definitions as stored: each `(name, version)` is an immutable TOML document in
//! `workflow_definition`. The built-in definitions are stored as version 1 at start-up; an
//! administrator's edit becomes a new version; a case keeps the version it started with.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use sha2::{Digest, Sha256};

use super::entity::workflow_definition as wd;
use super::entity::{institution, institution_workflow};
use crate::model::error::AppError;
use crate::workflow::{self, Definition, Problem};

/// Parsed definitions by `(name, version)`. Versions never change once stored, so every
/// server instance may cache them for good.
type Cache = RwLock<HashMap<(String, i32), Arc<Definition>>>;

static CACHE: LazyLock<Cache> = LazyLock::new(|| RwLock::new(HashMap::new()));

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores every built-in definition as version 1 when no version of it exists yet.
/// Safe to run on every start and from several instances at once (the unique index on
/// `(name, version)` turns a lost race into a no-op).
pub async fn ensure_builtins<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<(), DbErr> {
    for name in workflow::builtin_names() {
        let exists = wd::Entity::find()
            .filter(wd::Column::Name.eq(*name))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let Some(source) = workflow::builtin_source(name) else {
            continue;
        };
        let row = wd::ActiveModel {
            name: Set((*name).to_string()),
            version: Set(1),
            source: Set(source.to_string()),
            sha256: Set(sha256_hex(source)),
            created_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        if let Err(e) = row.insert(db).await {
            // Another instance stored it first.
            let stored = wd::Entity::find()
                .filter(wd::Column::Name.eq(*name))
                .one(db)
                .await?;
            if stored.is_none() {
                return Err(e);
            }
        }
    }
    Ok(())
}

/// The newest version number of `name`, if any is stored.
pub async fn latest_version<C: ConnectionTrait>(db: &C, name: &str) -> Result<Option<i32>, DbErr> {
    Ok(wd::Entity::find()
        .filter(wd::Column::Name.eq(name))
        .order_by_desc(wd::Column::Version)
        .one(db)
        .await?
        .map(|row| row.version))
}

/// Definition `name` at `version`, parsed (cached).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    name: &str,
    version: i32,
) -> Result<Arc<Definition>, AppError> {
    let key = (name.to_string(), version);
    if let Some(def) = CACHE.read().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(def);
    }
    let row = wd::Entity::find()
        .filter(wd::Column::Name.eq(name))
        .filter(wd::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let def = Definition::from_toml(&row.source).map_err(|problems| {
        tracing::error!(
            name,
            version,
            ?problems,
            "a stored workflow definition no longer loads"
        );
        AppError::Internal
    })?;
    let def = Arc::new(def);
    if let Ok(mut cache) = CACHE.write() {
        cache.insert(key, def.clone());
    }
    Ok(def)
}

/// Definition `name` in its newest version.
pub async fn get_latest<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<(i32, Arc<Definition>), AppError> {
    let version = latest_version(db, name).await?.ok_or(AppError::NotFound)?;
    Ok((version, get(db, name, version).await?))
}

/// The outcome of storing a definition.
#[derive(Debug)]
pub enum StoreError {
    /// The document does not load: every problem with its line and column.
    Invalid(Vec<Problem>),
    Db(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        StoreError::Db(e)
    }
}

/// Validates `source` and stores it as the next version of the definition it names.
/// Storing a document identical to the newest version stores nothing and returns that version.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    source: &str,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(String, i32), StoreError> {
    let def = Definition::from_toml(source).map_err(StoreError::Invalid)?;
    let sha = sha256_hex(source);
    let newest = wd::Entity::find()
        .filter(wd::Column::Name.eq(def.name.as_str()))
        .order_by_desc(wd::Column::Version)
        .one(db)
        .await?;
    if let Some(row) = &newest
        && row.sha256 == sha
    {
        return Ok((row.name.clone(), row.version));
    }
    let version = newest.map(|r| r.version + 1).unwrap_or(1);
    wd::ActiveModel {
        name: Set(def.name.clone()),
        version: Set(version),
        source: Set(source.to_string()),
        sha256: Set(sha),
        created_by: Set(created_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((def.name, version))
}

/// The workflow a new case of `kind` follows at institution `inst`: the definition its
/// administrators chose for that kind (`institution_workflow`), else [`workflow_name_for`] its
/// calendar. The case then keeps the version that is newest now.
pub async fn workflow_for<C: ConnectionTrait>(
    db: &C,
    inst: &institution::Model,
    kind: &str,
) -> Result<String, DbErr> {
    let chosen = institution_workflow::Entity::find()
        .filter(institution_workflow::Column::InstitutionId.eq(inst.id))
        .filter(institution_workflow::Column::CaseKind.eq(kind))
        .one(db)
        .await?;
    Ok(chosen
        .map(|c| c.workflow_name)
        .unwrap_or_else(|| workflow_name_for(&inst.calendar, kind)))
}

/// The workflow a new case of `kind` follows at an institution on calendar `calendar` when its
/// administrators chose none.
pub fn workflow_name_for(calendar: &str, kind: &str) -> String {
    let suffix = match kind {
        "prior_complaint" => "prior-complaint",
        "information_request" => "information-request",
        "data_rectification" | "data_erasure" => "data-request",
        _ => "petition",
    };
    format!("{calendar}-{suffix}")
}
