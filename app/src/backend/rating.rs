//! The petitioner rates the answer (1–5 and a comment): the "beneficiary satisfaction"
//! indicator the managers' dashboard counts. A rating can be changed; only the petitioner (or
//! the holder of the case's tracking link) rates, and only an answered case.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde::Deserialize;

use super::auth::{Principal, visible_case};
use super::case_actions::roles_for;
use super::entity::petition_case;
use crate::model::AppError;
use crate::workflow::Role;

pub const COMMENT_MAX: usize = 2000;

#[derive(Clone, Debug, Deserialize)]
pub struct RatingInput {
    pub score: i32,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Whether one holding `roles` on `case` may rate it now.
pub fn may_rate(roles: &[Role], case: &petition_case::Model) -> bool {
    roles.contains(&Role::Citizen) && case.answered_at.is_some()
}

pub async fn rate(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
    input: RatingInput,
) -> Result<(), AppError> {
    let case = visible_case(db, principal, case_id).await?;
    let roles = principal.map(|p| roles_for(p, &case)).unwrap_or_default();
    if !roles.contains(&Role::Citizen) {
        return Err(AppError::Forbidden);
    }
    if case.answered_at.is_none() {
        return Err(AppError::TransitionNotAllowed(
            "the case has no answer to rate yet".into(),
        ));
    }
    if !(1..=5).contains(&input.score) {
        return Err(AppError::field("score", "score_range"));
    }
    let comment = input
        .comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > COMMENT_MAX)
    {
        return Err(AppError::field("comment", "comment_length"));
    }
    let mut am: petition_case::ActiveModel = case.into();
    am.rating = Set(Some(input.score));
    am.rating_comment = Set(comment);
    am.rated_at = Set(Some(Utc::now()));
    am.update(db).await?;
    Ok(())
}
