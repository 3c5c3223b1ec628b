//! Staff mail preference and the daily digest. A staff member chooses to get each mail about a
//! case at once (the default) or one digest a day at a local hour of their choice. For a digest
//! reader, a mail the workflow sends them (an assignment, a reply, a reminder, an overdue
//! notice) is kept as a digest item instead of being queued; once a day the digest gathers those
//! items with the cases in their care whose term ends within [`DUE_SOON_DAYS`] days and those
//! overdue, and goes through the outbox like any mail.
//!
//! Once per user and local day: the digest row is unique on `(user_id, day)` and is written in
//! the same transaction as its mail and the items it marks, so two server instances (or a
//! restart in the middle) never send it twice, and an item is told in exactly one digest.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Timelike, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::auth::access::Account;
use super::clock::time_zone;
use super::entity::{
    institution, petition_case, staff_digest, staff_digest_item, staff_mail_preference as pref,
    user, user_role,
};
use super::mail_templates::MailContext;
use super::outbox;
use crate::model::AppError;
use crate::model::account::{MailPreference, Role};

/// Cases whose term ends within this many days are "due soon" in a digest.
pub const DUE_SOON_DAYS: i64 = 3;
/// At most this many cases per list in one digest (the rest are counted).
const LIST_MAX: u64 = 50;

/// The account's preference (the default when they never chose).
pub async fn preference<C: ConnectionTrait>(
    db: &C,
    account: &Account,
) -> Result<MailPreference, AppError> {
    Ok(pref::Entity::find_by_id(account.user_id)
        .one(db)
        .await?
        .map(|p| MailPreference {
            mode: p.mode,
            digest_hour: u8::try_from(p.digest_hour).unwrap_or(MailPreference::DEFAULT_HOUR),
        })
        .unwrap_or_default())
}

/// Saves the account's preference. Staff only; the mode must be `immediate` or `digest` and the
/// hour 0 to 23.
pub async fn set_preference(
    db: &DatabaseConnection,
    account: &Account,
    wanted: MailPreference,
    now: DateTime<Utc>,
) -> Result<MailPreference, AppError> {
    if !account.is_staff() {
        return Err(AppError::Forbidden);
    }
    let mut errors = crate::model::FieldErrors::new();
    if ![MailPreference::IMMEDIATE, MailPreference::DIGEST].contains(&wanted.mode.as_str()) {
        errors.insert("mode".into(), vec!["choice".into()]);
    }
    if wanted.digest_hour > 23 {
        errors.insert("digest_hour".into(), vec!["hour_range".into()]);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "the mail preference does not check".into(),
            fields: errors,
        });
    }
    let txn = db.begin().await?;
    pref::Entity::delete_by_id(account.user_id)
        .exec(&txn)
        .await?;
    pref::ActiveModel {
        user_id: Set(account.user_id),
        mode: Set(wanted.mode.clone()),
        digest_hour: Set(i16::from(wanted.digest_hour)),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(wanted)
}

/// Which of `user_ids` read their mail as a digest.
pub(crate) async fn digest_readers<C: ConnectionTrait>(
    db: &C,
    user_ids: &[i64],
) -> Result<HashSet<i64>, AppError> {
    if user_ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(pref::Entity::find()
        .filter(pref::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(pref::Column::Mode.eq(MailPreference::DIGEST))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .collect())
}

/// Keeps, for `user_id`'s next digest, a mail they would have got now.
pub(crate) async fn keep_item<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    case_id: Option<i64>,
    template: &str,
    summary: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    staff_digest_item::ActiveModel {
        user_id: Set(user_id),
        case_id: Set(case_id),
        template: Set(template.to_string()),
        summary: Set(summary),
        created_at: Set(now),
        digest_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Sends the digests whose hour has come today and that were not sent yet. Returns how many
/// digest mails were queued.
pub async fn send_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<usize, AppError> {
    let readers = pref::Entity::find()
        .filter(pref::Column::Mode.eq(MailPreference::DIGEST))
        .all(db)
        .await?;
    let mut sent = 0;
    for reader in readers {
        match send_one(db, &reader, now, public_url).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(user = reader.user_id, error = %e, "a staff digest failed; trying again on the next pass")
            }
        }
    }
    if sent > 0 {
        outbox::wake();
    }
    Ok(sent)
}

/// The user's digest of today, if its hour has come and it is not written yet.
async fn send_one(
    db: &DatabaseConnection,
    reader: &pref::Model,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<bool, AppError> {
    let Some(u) = user::Entity::find_by_id(reader.user_id).one(db).await? else {
        return Ok(false);
    };
    if !u.active {
        return Ok(false);
    }
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(u.id))
        .all(db)
        .await?;
    // The local time of the institution the user works for (the first one with a time zone).
    let home = match roles.iter().find_map(|r| r.institution_id) {
        Some(id) => institution::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let tz = time_zone(home.as_ref().map_or("Europe/Chisinau", |i| &i.timezone));
    let local = now.with_timezone(&tz);
    if i64::from(local.hour()) < i64::from(reader.digest_hour) {
        return Ok(false);
    }
    let day = local.date_naive();
    let done = staff_digest::Entity::find()
        .filter(staff_digest::Column::UserId.eq(u.id))
        .filter(staff_digest::Column::Day.eq(day))
        .one(db)
        .await?;
    if done.is_some() {
        return Ok(false);
    }

    let txn = db.begin().await?;
    // The unique (user, day) decides who writes today's digest: another instance that got
    // here first makes this insert fail, and nothing is sent twice.
    let digest = match (staff_digest::ActiveModel {
        user_id: Set(u.id),
        day: Set(day),
        outbox_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .insert(&txn)
    .await
    {
        Ok(d) => d,
        Err(e) if is_unique_violation(&e) => {
            txn.rollback().await?;
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    };

    let base = public_url.trim_end_matches('/');
    let items = staff_digest_item::Entity::find()
        .filter(staff_digest_item::Column::UserId.eq(u.id))
        .filter(staff_digest_item::Column::DigestId.is_null())
        .order_by_asc(staff_digest_item::Column::Id)
        .all(&txn)
        .await?;
    if let Some(last) = items.last() {
        staff_digest_item::Entity::update_many()
            .col_expr(staff_digest_item::Column::DigestId, Expr::value(digest.id))
            .filter(staff_digest_item::Column::UserId.eq(u.id))
            .filter(staff_digest_item::Column::DigestId.is_null())
            .filter(staff_digest_item::Column::Id.lte(last.id))
            .exec(&txn)
            .await?;
    }
    let lang = match u.locale.as_str() {
        "ru" | "en" => u.locale.clone(),
        _ => "ro".to_string(),
    };
    let more = |n: usize| match lang.as_str() {
        "ru" => format!("… и ещё {n}"),
        "en" => format!("… and {n} more"),
        _ => format!("… și încă {n}"),
    };
    let mut new_lines: Vec<String> = items
        .iter()
        .take(LIST_MAX as usize)
        .map(|i| match i.case_id {
            Some(id) => format!("- {} — {base}/cazuri/{id}", i.summary),
            None => format!("- {}", i.summary),
        })
        .collect();
    if items.len() > LIST_MAX as usize {
        new_lines.push(more(items.len() - LIST_MAX as usize));
    }

    let scope = in_care_of(u.id, &roles);
    let today = day;
    let open = Condition::all()
        .add(scope)
        .add(petition_case::Column::ClosedAt.is_null());
    let due_soon = list(
        &txn,
        open.clone()
            .add(petition_case::Column::Overdue.eq(false))
            .add(petition_case::Column::AnswerDue.gte(today))
            .add(petition_case::Column::AnswerDue.lte(today + Duration::days(DUE_SOON_DAYS))),
        base,
        &more,
    )
    .await?;
    let overdue = list(
        &txn,
        open.add(petition_case::Column::Overdue.eq(true)),
        base,
        &more,
    )
    .await?;

    if new_lines.is_empty() && due_soon.is_empty() && overdue.is_empty() {
        // Nothing to tell: the day is marked done, no mail.
        txn.commit().await?;
        return Ok(false);
    }
    let mut ctx = MailContext::new();
    ctx.insert("name", u.full_name.clone());
    ctx.insert("date", day.format("%d.%m.%Y").to_string());
    ctx.insert("new_cases", new_lines.join("\n"));
    ctx.insert("due_soon", due_soon.join("\n"));
    ctx.insert("overdue", overdue.join("\n"));
    ctx.insert("link", format!("{base}/birou"));
    let outbox_id = outbox::enqueue_letter(
        &txn,
        outbox::Letter {
            to: &u.email,
            template: "staff_digest",
            lang: &lang,
            ctx: &ctx,
            case_id: None,
            not_before: None,
        },
        now,
    )
    .await?;
    let mut row: staff_digest::ActiveModel = digest.into();
    row.outbox_id = Set(Some(outbox_id));
    row.update(&txn).await?;
    txn.commit().await?;
    Ok(true)
}

/// The cases in a staff member's care: those assigned to them, the unassigned ones of their
/// departments (an officer), the cases of the institution or department they manage or
/// administer (an installation-wide administrator's care is only what is assigned to them).
fn in_care_of(user_id: i64, roles: &[user_role::Model]) -> Condition {
    let mut any = Condition::any().add(petition_case::Column::AssigneeId.eq(user_id));
    for r in roles {
        let (Some(role), Some(inst)) = (Role::parse(&r.role), r.institution_id) else {
            continue;
        };
        let mut c = Condition::all().add(petition_case::Column::InstitutionId.eq(inst));
        if let Some(dep) = r.department_id {
            c = c.add(petition_case::Column::DepartmentId.eq(dep));
        }
        match role {
            Role::Citizen => continue,
            Role::Officer => c = c.add(petition_case::Column::AssigneeId.is_null()),
            Role::Manager | Role::Admin => {}
        }
        any = any.add(c);
    }
    any
}

/// One line per case (number, subject, term, link), the soonest term first.
async fn list<C: ConnectionTrait>(
    db: &C,
    cond: Condition,
    base: &str,
    more: &(dyn Fn(usize) -> String + Sync),
) -> Result<Vec<String>, AppError> {
    let cond_for_count = cond.clone();
    let rows = petition_case::Entity::find()
        .filter(cond)
        .order_by_asc(petition_case::Column::AnswerDue)
        .order_by_asc(petition_case::Column::Id)
        .limit(LIST_MAX + 1)
        .all(db)
        .await?;
    let mut lines: Vec<String> = rows
        .iter()
        .take(LIST_MAX as usize)
        .map(|c| {
            format!(
                "- {} „{}” — {} — {base}/cazuri/{}",
                c.registration_number,
                c.subject,
                c.answer_due
                    .map(|d| d.format("%d.%m.%Y").to_string())
                    .unwrap_or_default(),
                c.id
            )
        })
        .collect();
    if rows.len() as u64 > LIST_MAX {
        let total = petition_case::Entity::find()
            .filter(cond_for_count)
            .count(db)
            .await?;
        lines.push(more(total.saturating_sub(LIST_MAX) as usize));
    }
    Ok(lines)
}

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
