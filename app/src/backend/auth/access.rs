//! Who is asking, and what they may see. Every query of cases goes through [`case_scope`], so
//! the same rule holds for pages, server functions, the JSON API and attachment downloads: a
//! case outside the asker's scope does not exist for them (404, never 403).

use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::backend::entity::petition_case;
use crate::model::AppError;
use crate::model::account::{Grant, Role};

/// A signed-in user, as loaded for this request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub session_id: String,
    pub user_id: i64,
    pub email: String,
    pub full_name: String,
    pub locale: String,
    pub email_verified: bool,
    pub grants: Vec<Grant>,
}

impl Account {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Staff: an officer, manager or administrator of some institution (or the installation).
    pub fn is_staff(&self) -> bool {
        self.grants.iter().any(|g| g.role != Role::Citizen)
    }

    /// An administrator of the whole installation.
    pub fn is_global_admin(&self) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::Admin && g.institution_id.is_none())
    }

    /// An administrator whose scope includes `institution_id`.
    pub fn administers(&self, institution_id: i64) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::Admin && g.institution_id.is_none_or(|i| i == institution_id))
    }
}

/// Who a request acts for: a user, or the holder of one case's tracking link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    User(Account),
    CaseLink { session_id: String, case_id: i64 },
}

impl Principal {
    pub fn session_id(&self) -> &str {
        match self {
            Principal::User(a) => &a.session_id,
            Principal::CaseLink { session_id, .. } => session_id,
        }
    }

    pub fn account(&self) -> Option<&Account> {
        match self {
            Principal::User(a) => Some(a),
            Principal::CaseLink { .. } => None,
        }
    }
}

/// What the authentication layer found on a request (`None`: anonymous). Stored in the
/// request's extensions, where server functions and JSON handlers read it.
#[derive(Clone, Debug, Default)]
pub struct Authenticated(pub Option<Principal>);

/// The cases `principal` may see, as a query condition. Own cases (filed while signed in) are
/// always visible; staff see their scope: an officer or manager of an institution (limited to
/// a department when the grant names one) that institution's cases, an administrator their
/// institution's, or all when the grant names none.
pub fn case_scope(principal: &Principal) -> Condition {
    match principal {
        Principal::CaseLink { case_id, .. } => {
            Condition::all().add(petition_case::Column::Id.eq(*case_id))
        }
        Principal::User(account) => {
            let mut any =
                Condition::any().add(petition_case::Column::PetitionerId.eq(account.user_id));
            for g in &account.grants {
                match (g.role, g.institution_id, g.department_id) {
                    (Role::Citizen, _, _) => {}
                    (Role::Admin, None, _) => {
                        // The whole installation.
                        any = any.add(Expr::value(true));
                    }
                    (Role::Manager, Some(inst), Some(dept)) => {
                        any = any.add(
                            Condition::all()
                                .add(petition_case::Column::InstitutionId.eq(inst))
                                .add(petition_case::Column::DepartmentId.eq(dept)),
                        );
                    }
                    (Role::Officer | Role::Manager | Role::Admin, Some(inst), _) => {
                        any = any.add(petition_case::Column::InstitutionId.eq(inst));
                    }
                    // A staff grant without an institution gives nothing (only a global admin
                    // is installation-wide).
                    (Role::Officer | Role::Manager, None, _) => {}
                }
            }
            any
        }
    }
}

/// The cases an account's staff grants cover (its own filings left out): the scope of the
/// staff queues. Same rule as [`case_scope`]'s staff part; one equality per grant, so that the
/// queue indexes serve it.
pub fn staff_scope(account: &Account) -> Condition {
    scope_on(
        account,
        petition_case::Column::InstitutionId,
        petition_case::Column::DepartmentId,
    )
}

/// The departments `account`'s staff grants cover ([`staff_scope`]'s rule, on the department
/// table): an institution-wide grant covers its departments, a department manager's grant
/// covers their department.
pub fn departments_covered(account: &Account) -> Condition {
    use crate::backend::entity::department;
    scope_on(
        account,
        department::Column::InstitutionId,
        department::Column::Id,
    )
}

/// [`staff_scope`]'s rule on the columns that name a row's institution and department.
fn scope_on(
    account: &Account,
    institution: impl ColumnTrait,
    department: impl ColumnTrait,
) -> Condition {
    let mut any = Condition::any();
    let mut covered = false;
    for g in &account.grants {
        match (g.role, g.institution_id, g.department_id) {
            (Role::Citizen, _, _) | (Role::Officer | Role::Manager, None, _) => {}
            (Role::Admin, None, _) => return Condition::all(),
            (Role::Manager, Some(inst), Some(dept)) => {
                covered = true;
                any = any.add(
                    Condition::all()
                        .add(institution.eq(inst))
                        .add(department.eq(dept)),
                );
            }
            (Role::Officer | Role::Manager | Role::Admin, Some(inst), _) => {
                covered = true;
                any = any.add(institution.eq(inst));
            }
        }
    }
    if covered {
        any
    } else {
        // No staff grant: nothing.
        Condition::all().add(Expr::value(false))
    }
}

/// The case `case_id` if `principal` may see it; otherwise (or when it does not exist)
/// `NotFound`, so that guessing ids tells nothing.
pub async fn visible_case<C: ConnectionTrait>(
    db: &C,
    principal: Option<&Principal>,
    case_id: i64,
) -> Result<petition_case::Model, AppError> {
    let Some(principal) = principal else {
        return Err(AppError::NotFound);
    };
    petition_case::Entity::find_by_id(case_id)
        .filter(case_scope(principal))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The signed-in user, or `Unauthorized`.
pub fn require_account(principal: Option<&Principal>) -> Result<&Account, AppError> {
    principal
        .and_then(Principal::account)
        .ok_or(AppError::Unauthorized)
}
