use sea_orm::entity::prelude::*;

/// A one-time token sent by mail; only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `verify_email`, `reset_password`, `invite`, `case_access`
    pub purpose: String,
    pub token_hash: String,
    pub user_id: Option<i64>,
    pub case_id: Option<i64>,
    pub email: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
