use sea_orm::entity::prelude::*;

/// One record of the audit trail (see `crate::backend::audit`). Never updated or deleted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The chain: the institution's id, 0 for the portal's.
    pub institution_id: i64,
    pub seq: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub case_id: Option<i64>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
