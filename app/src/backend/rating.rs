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

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
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

/// How long the rating links of an answer mail work.
pub const RATE_LINK_DAYS: i64 = 90;

/// Creates the rating link of an answer mail (inside the caller's transaction): the mail adds
/// `/1` … `/5` to it.
pub async fn link<C: sea_orm::ConnectionTrait>(
    db: &C,
    public_url: &str,
    case_id: i64,
    now: chrono::DateTime<Utc>,
) -> Result<String, AppError> {
    use super::auth::one_time::{self, NewToken, purpose};
    let (token, _) = one_time::create(
        db,
        NewToken {
            purpose: purpose::RATE,
            user_id: None,
            case_id: Some(case_id),
            email: None,
            ttl: chrono::Duration::days(RATE_LINK_DAYS),
        },
        now,
    )
    .await?;
    Ok(format!(
        "{}/evaluare/{token}",
        public_url.trim_end_matches('/')
    ))
}

/// One click in the answer mail: records `score` (keeping any comment) and returns the case
/// id, with a session for this case when the click came without the petitioner's own one.
pub async fn rate_from_link(
    db: &DatabaseConnection,
    cfg: &super::AppConfig,
    principal: Option<&Principal>,
    token: &str,
    score: i32,
    client: &super::auth::ClientInfo,
) -> Result<(i64, Option<String>), AppError> {
    use super::auth::one_time::{self, purpose};
    use super::auth::sessions::{self, SessionFor};
    let now = Utc::now();
    let row = one_time::find_live(db, purpose::RATE, token, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let case_id = row.case_id.ok_or(AppError::NotFound)?;
    let own = match principal {
        Some(p) => match visible_case(db, Some(p), case_id).await {
            Ok(case) => roles_for(p, &case).contains(&Role::Citizen),
            Err(_) => false,
        },
        None => false,
    };
    let (acting, session) = if own {
        (principal.cloned(), None)
    } else {
        let session = sessions::open(
            db,
            &cfg.jwt_secret.0,
            SessionFor::Case(case_id),
            client,
            now,
            Some(row.expires_at),
        )
        .await?;
        (
            Some(Principal::CaseLink {
                session_id: String::new(),
                case_id,
            }),
            Some(session),
        )
    };
    let comment = visible_case(db, acting.as_ref(), case_id)
        .await?
        .rating_comment;
    rate(db, acting.as_ref(), case_id, RatingInput { score, comment }).await?;
    Ok((case_id, session))
}
