use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_timer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub name: String,
    /// `running`, `paused`, `stopped` or `expired`.
    pub status: String,
    pub due_on: Date,
    pub fire_at: Option<DateTimeUtc>,
    pub started_at: DateTimeUtc,
    pub paused_at: Option<DateTimeUtc>,
    pub data: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
