use sea_orm::entity::prelude::*;

/// "The cases of category C (or service S) from territorial area A go to department D" (see
/// `crate::backend::org_admin`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "routing_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub category_id: Option<i64>,
    pub service_id: Option<i64>,
    pub area: Option<String>,
    pub department_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
