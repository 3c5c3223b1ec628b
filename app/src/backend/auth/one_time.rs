//! One-time tokens sent by mail: 32 random bytes, hex in the link, only their SHA-256 stored.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::backend::entity::auth_token;
use crate::model::AppError;

pub mod purpose {
    pub const VERIFY_EMAIL: &str = "verify_email";
    pub const RESET_PASSWORD: &str = "reset_password";
    pub const INVITE: &str = "invite";
    pub const CASE_ACCESS: &str = "case_access";
    /// The one-click rating links of an answer mail (they also open the case).
    pub const RATE: &str = "rate";
}

/// What a token is for and whom it concerns.
pub struct NewToken<'a> {
    pub purpose: &'a str,
    pub user_id: Option<i64>,
    pub case_id: Option<i64>,
    pub email: Option<String>,
    pub ttl: Duration,
}

/// Bytes as lower-case hex (tokens, keys, digests).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Creates a token and returns it in clear (to be put in a link, never stored).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    new: NewToken<'_>,
    now: DateTime<Utc>,
) -> Result<(String, auth_token::Model), AppError> {
    let token = hex(&rand::random::<[u8; 32]>());
    let row = auth_token::ActiveModel {
        purpose: Set(new.purpose.to_string()),
        token_hash: Set(hash(&token)),
        user_id: Set(new.user_id),
        case_id: Set(new.case_id),
        email: Set(new.email),
        created_at: Set(now),
        expires_at: Set(now + new.ttl),
        used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((token, row))
}

/// The live token (unused, unrevoked, unexpired) of `purpose`, or `None`.
pub async fn find_live<C: ConnectionTrait>(
    db: &C,
    purpose: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<auth_token::Model>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(hash(&token.to_ascii_lowercase())))
        .filter(auth_token::Column::Purpose.eq(purpose))
        .filter(auth_token::Column::UsedAt.is_null())
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

/// Uses a single-use token: exactly one caller wins, even with two requests at once.
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    purposes: &[&str],
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<auth_token::Model>, AppError> {
    for purpose in purposes {
        if let Some(row) = find_live(db, purpose, token, now).await? {
            let taken = auth_token::Entity::update_many()
                .col_expr(auth_token::Column::UsedAt, Expr::value(now))
                .filter(auth_token::Column::Id.eq(row.id))
                .filter(auth_token::Column::UsedAt.is_null())
                .exec(db)
                .await?;
            return Ok((taken.rows_affected == 1).then_some(row));
        }
    }
    Ok(None)
}

/// Revokes every live token of `purpose` for a user (e.g. older reset links after a new one).
pub async fn revoke_for_user<C: ConnectionTrait>(
    db: &C,
    purpose: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::UserId.eq(user_id))
        .filter(auth_token::Column::Purpose.eq(purpose))
        .filter(auth_token::Column::UsedAt.is_null())
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_stored_as_sha256() {
        assert_eq!(
            super::hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
