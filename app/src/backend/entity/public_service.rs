use sea_orm::entity::prelude::*;

/// A service of the city's registry (public, or private and accredited).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "public_service")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub code: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    pub category_id: Option<i64>,
    pub department_id: Option<i64>,
    pub provider: String,
    /// `public` or `private`
    pub provider_type: String,
    pub area: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub accredited: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
