//! The programs that use the portal from outside, and their API keys. An administrator of an
//! institution registers a client and gets its key once, in clear (`ptk_` and 64 hex digits);
//! the portal keeps only the key's SHA-256. A key can be revoked at once; a revoked or unknown
//! key authenticates nothing. Open311's `api_key` and the webhooks of a client use these.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::auth::access::Account;
use super::auth::one_time::{hash, hex};
use super::entity::api_client;
use crate::model::{AppError, FieldErrors};

/// What a key starts with (readable in logs and configuration files).
pub const KEY_PREFIX: &str = "ptk_";

/// A client as the administrator sees it (never the key, only its start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClientView {
    pub id: i64,
    pub institution_id: i64,
    pub name: String,
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_client::Model> for ClientView {
    fn from(m: api_client::Model) -> Self {
        ClientView {
            id: m.id,
            institution_id: m.institution_id,
            name: m.name,
            key_prefix: m.key_prefix,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// A new client: its name and institution.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[derive(utoipa::ToSchema)]
pub struct NewClient {
    pub name: String,
    pub institution_id: i64,
}

/// A client just registered, with its key in clear (shown once).
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IssuedClient {
    #[serde(flatten)]
    pub client: ClientView,
    pub api_key: String,
}

/// Registers a client of `new.institution_id` (its administrator, or a global one).
pub async fn issue<C: super::audit::Connection>(
    db: &C,
    admin: &Account,
    new: NewClient,
    now: DateTime<Utc>,
) -> Result<IssuedClient, AppError> {
    if !admin.administers(new.institution_id) {
        return Err(AppError::Forbidden);
    }
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        let mut fields = FieldErrors::new();
        fields.insert("name".into(), vec!["length".into()]);
        return Err(AppError::Validation {
            message: "a client needs a name of 1 to 200 characters".into(),
            fields,
        });
    }
    if super::entity::institution::Entity::find_by_id(new.institution_id)
        .one(db)
        .await?
        .is_none()
    {
        let mut fields = FieldErrors::new();
        fields.insert("institution_id".into(), vec!["choice".into()]);
        return Err(AppError::Validation {
            message: "no such institution".into(),
            fields,
        });
    }
    let key = format!("{KEY_PREFIX}{}", hex(&rand::random::<[u8; 32]>()));
    let txn = db.begin().await?;
    let row = api_client::ActiveModel {
        institution_id: Set(new.institution_id),
        name: Set(name.to_string()),
        key_prefix: Set(key[..12].to_string()),
        key_hash: Set(hash(&key)),
        created_by: Set(Some(admin.user_id)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::audit::record(
        &txn,
        super::audit::Entry::new("admin.api_client.issue")
            .chain(Some(row.institution_id))
            .by(Some(admin.user_id), "admin")
            .target("api_client", row.id)
            .details(serde_json::json!({ "name": row.name, "key_prefix": row.key_prefix })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedClient {
        client: row.into(),
        api_key: key,
    })
}

/// The clients of the institutions `admin` administers, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    admin: &Account,
) -> Result<Vec<ClientView>, AppError> {
    if !admin.has_role(crate::model::account::Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(api_client::Entity::find()
        .order_by_desc(api_client::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| admin.administers(c.institution_id))
        .map(ClientView::from)
        .collect())
}

/// Revokes client `id`'s key (at once: the next request with it is refused).
pub async fn revoke<C: super::audit::Connection>(
    db: &C,
    admin: &Account,
    id: i64,
    now: DateTime<Utc>,
) -> Result<ClientView, AppError> {
    let row = api_client::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| admin.administers(c.institution_id))
        .ok_or(AppError::NotFound)?;
    if row.revoked_at.is_some() {
        return Ok(row.into());
    }
    let txn = db.begin().await?;
    let mut active = row.into_active_model();
    active.revoked_at = Set(Some(now));
    let row = active.update(&txn).await?;
    super::audit::record(
        &txn,
        super::audit::Entry::new("admin.api_client.revoke")
            .chain(Some(row.institution_id))
            .by(Some(admin.user_id), "admin")
            .target("api_client", row.id)
            .details(serde_json::json!({ "name": row.name })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

/// The live client whose key is `key`, or `None` (unknown, malformed or revoked). Records the
/// use (to the minute, so that a busy client does not write on every request).
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<api_client::Model>, AppError> {
    let well_formed = key.len() == KEY_PREFIX.len() + 64
        && key.starts_with(KEY_PREFIX)
        && key[KEY_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        return Ok(None);
    }
    let Some(row) = api_client::Entity::find()
        .filter(api_client::Column::KeyHash.eq(hash(key)))
        .filter(api_client::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row
        .last_used_at
        .is_none_or(|at| now - at >= chrono::Duration::minutes(1))
    {
        let mut active = row.clone().into_active_model();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(Some(row))
}
