use sea_orm::entity::prelude::*;

/// The open and overdue cases of one department (0: none) of an institution at one day's
/// snapshot.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_stats_daily")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub department_id: i64,
    pub day: Date,
    pub open_cases: i64,
    pub overdue_cases: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
