use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub transition: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub public: bool,
    pub data: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::petition_case::Entity",
        from = "Column::CaseId",
        to = "super::petition_case::Column::Id"
    )]
    Case,
}

impl Related<super::petition_case::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Case.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
