use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institution")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    pub reg_prefix: String,
    pub calendar: String,
    pub counting_rule: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    /// IANA time zone of the institution (`Europe/Chisinau`): deadlines are local dates.
    pub timezone: String,
    /// When mails about a case may reach petitioners (`08:00-20:00`, or `always`).
    pub citizen_mail_hours: String,
    /// The department that examines "I don't know the department" cases nothing else routes
    /// (see `crate::backend::org_admin::route`).
    pub default_department_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::department::Entity")]
    Department,
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
