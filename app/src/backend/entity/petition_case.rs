use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "petition_case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    pub kind: String,
    pub status: String,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub reg_year: i32,
    pub reg_seq: i64,
    pub registration_number: String,
    pub channel: String,
    pub petitioner_id: Option<i64>,
    pub petitioner_name: String,
    pub petitioner_email: Option<String>,
    pub petitioner_address: Option<String>,
    pub subject: String,
    pub body: String,
    pub address: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub assignee_id: Option<i64>,
    pub outcome: Option<String>,
    pub answer_due: Option<Date>,
    pub overdue: bool,
    pub consent_publish: bool,
    pub filed_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Workflow counters (`extensions` used, …) as a JSON object.
    pub counters: Option<Json>,
    /// The case this one is linked to (an appeal to the answered case, a repeat to the first).
    pub linked_case_id: Option<i64>,
    /// The registry service the case is about.
    pub service_id: Option<i64>,
    /// The language the petitioner filed in (`ro`, `ru`, `en`): their mails' language when
    /// they have no account.
    pub petitioner_lang: Option<String>,
    /// Number, subject, text and name folded for search (see `backend::search`).
    pub search_text: Option<String>,
    /// The competent institution a forwarded case went to.
    pub forwarded_to_institution_id: Option<i64>,
    /// The petitioner's rating of the answer, 1 to 5, with an optional comment.
    pub rating: Option<i32>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    /// Calendar days from registration to the answer, the clock's pauses left out.
    pub response_days: Option<i32>,
    /// The same in working days of the institution's calendar.
    pub response_working_days: Option<i32>,
    /// The answer came after the term's last day.
    pub answered_late: Option<bool>,
    /// When the case's personal data were removed (retention, or an erasure granted): see
    /// `backend::retention`.
    pub anonymised_at: Option<DateTimeUtc>,
    /// The answers to the category's own questions, with their labels as filed: a JSON array
    /// of [`crate::backend::category_fields::Answer`].
    pub extra_fields: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::case_event::Entity")]
    CaseEvent,
}

impl Related<super::case_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CaseEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
