use sea_orm::entity::prelude::*;

/// A mail a digest reader would have got at once, kept for their next digest.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_digest_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub case_id: Option<i64>,
    pub template: String,
    pub summary: String,
    pub created_at: DateTimeUtc,
    pub digest_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
