//! Filing by a citizen (the pages and `POST /api/v1/cases`): checks every field, names the
//! petitioner from the account (anonymous petitions are not examined: MD art. 76, RO art. 7),
//! counts the attempt against the filing rate limit, then files and registers the case, whose
//! receipt mail leaves in the same transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use validator::Validate;

use super::AppConfig;
use super::attachments::{self, Stored, Upload};
use super::auth::accounts::normalize_email;
use super::auth::sessions::{self, SessionFor};
use super::auth::{ClientInfo, Principal, magic_links, one_time, rate_limit, visible_case};
use super::entity::{category, department, pending_filing, petition_case, public_service};
use super::filing::{self, NewCase};
use super::mail_templates::MailContext;
use super::outbox;
use super::portal::{active_departments, home_institution, localized};
use crate::i18n::Lang;
use crate::model::categories::CategoryFields;
use crate::model::filing::{
    ADDRESS_MAX, BODY_MAX, BODY_MIN, CONFIRM_HOURS, Choice, Filed, FilingInput, FilingOptions,
    KINDS, Receipt, SUBJECT_MAX, SUBJECT_MIN,
};
use crate::model::{AppError, FieldErrors};

/// The portal's institution with its departments and active categories.
pub async fn options(db: &DatabaseConnection, lang: Lang) -> Result<FilingOptions, AppError> {
    let inst = home_institution(db).await?;
    let departments = active_departments(db, inst.id, lang)
        .await?
        .into_iter()
        .map(|(id, name)| Choice {
            id,
            name,
            kind: None,
        })
        .collect();
    let categories = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(inst.id))
        .filter(category::Column::Active.eq(true))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = categories.iter().map(|c| c.id).collect();
    let mut fields = super::category_fields::fields_by_category(db, &ids).await?;
    let category_fields = categories
        .iter()
        .filter_map(|c| {
            let list = fields.remove(&c.id)?;
            Some(CategoryFields {
                category_id: c.id,
                category_name: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
                fields: list
                    .iter()
                    .map(|f| super::category_fields::view(f, lang))
                    .collect(),
            })
        })
        .collect();
    let categories = categories
        .into_iter()
        .map(|c| Choice {
            id: c.id,
            name: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
            kind: Some(c.case_kind),
        })
        .collect();
    let mut services: Vec<(String, Vec<Choice>)> = Vec::new();
    for s in public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(inst.id))
        .filter(public_service::Column::Active.eq(true))
        .order_by_asc(public_service::Column::Area)
        .order_by_asc(public_service::Column::Id)
        .all(db)
        .await?
    {
        let area = s.area.clone().unwrap_or_default();
        let choice = Choice {
            id: s.id,
            name: localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string(),
            kind: None,
        };
        match services.iter_mut().find(|(a, _)| *a == area) {
            Some((_, list)) => list.push(choice),
            None => services.push((area, vec![choice])),
        }
    }
    Ok(FilingOptions {
        services,
        institution_id: inst.id,
        institution_name: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
        departments,
        categories,
        category_fields,
    })
}

fn blank_to_none(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The length rules of the form's texts (the limits the form shows), in characters.
#[derive(Validate)]
struct Texts<'a> {
    #[validate(length(min = SUBJECT_MIN, max = SUBJECT_MAX, code = "subject_length"))]
    subject: &'a str,
    #[validate(length(min = BODY_MIN, max = BODY_MAX, code = "body_length"))]
    body: &'a str,
    #[validate(length(max = ADDRESS_MAX, code = "address_length"))]
    address: Option<&'a str>,
    #[validate(length(max = ADDRESS_MAX, code = "address_length"))]
    postal_address: Option<&'a str>,
    #[validate(length(max = DECISION_NUMBER_MAX, code = "decision_number_length"))]
    decision_number: Option<&'a str>,
}

const DECISION_NUMBER_MAX: u64 = 64;

/// What a valid form says, or every problem at once (field → validation code).
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    pub kind: String,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    pub service_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub address: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub postal_address: Option<String>,
    pub consent_publish: bool,
    pub linked_case_id: Option<i64>,
    /// The answers to the category's own questions, checked with the category
    /// ([`super::category_fields::check`]).
    pub extra: std::collections::BTreeMap<String, String>,
}

/// Checks the fields that need no database (the rules the form shows).
pub fn check(input: &FilingInput, today: NaiveDate) -> Result<Checked, AppError> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, code: &str| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(code.to_string());
    };
    let kind = input.kind.trim().to_string();
    if !KINDS.contains(&kind.as_str()) {
        fail("kind", "kind_required");
    }
    let parse_id = |s: &Option<String>| -> Result<Option<i64>, ()> {
        match blank_to_none(s) {
            None => Ok(None),
            Some(v) => v.parse::<i64>().map(Some).map_err(|_| ()),
        }
    };
    let department_id = parse_id(&input.department_id).unwrap_or_else(|_| {
        fail("department_id", "choice_invalid");
        None
    });
    let category_id = parse_id(&input.category_id).unwrap_or_else(|_| {
        fail("category_id", "choice_invalid");
        None
    });
    let service_id = parse_id(&input.service_id).unwrap_or_else(|_| {
        fail("service_id", "choice_invalid");
        None
    });
    let linked_case_id = parse_id(&input.linked_case_id).unwrap_or_else(|_| {
        fail("linked_case_id", "choice_invalid");
        None
    });
    let subject = input.subject.trim().to_string();
    let body = input.body.trim().to_string();
    let address = blank_to_none(&input.address);
    let postal_address = blank_to_none(&input.postal_address);
    let decision_number = blank_to_none(&input.decision_number);
    let texts = Texts {
        subject: &subject,
        body: &body,
        address: address.as_deref(),
        postal_address: postal_address.as_deref(),
        decision_number: decision_number.as_deref(),
    };
    if let Err(e) = texts.validate() {
        for (field, errs) in e.field_errors() {
            for err in errs {
                fail(&field, &err.code);
            }
        }
    }
    let decision_date = match blank_to_none(&input.decision_date) {
        None => None,
        Some(d) => match NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(date) if date <= today => Some(date),
            Ok(_) => {
                fail("decision_date", "date_in_future");
                None
            }
            Err(_) => {
                fail("decision_date", "date_invalid");
                None
            }
        },
    };
    // A prior complaint contests a decision: which one must be said.
    if kind == "prior_complaint" {
        if decision_number.is_none() {
            fail("decision_number", "decision_number_required");
        }
        if decision_date.is_none() && blank_to_none(&input.decision_date).is_none() {
            fail("decision_date", "decision_date_required");
        }
    }
    if input.consent_processing.is_none() {
        fail("consent_processing", "consent_required");
    }
    // Bounds before the category's own checks: no more answers than a category has questions
    // (a form carries every category's, so the bound is generous), none longer than a text.
    let answers_max = crate::model::categories::FIELDS_MAX * 20;
    if input.extra.len() > answers_max
        || input.extra.iter().any(|(k, v)| {
            k.len() > 140 || v.chars().count() > crate::model::categories::ANSWER_MAX * 2
        })
    {
        fail("extra", "extra_too_many");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        });
    }
    Ok(Checked {
        kind,
        department_id,
        category_id,
        service_id,
        subject,
        body,
        address,
        decision_number,
        decision_date,
        postal_address,
        consent_publish: input.consent_publish.is_some(),
        linked_case_id,
        extra: input.extra.clone(),
    })
}

/// The words of a subject that carry meaning (four letters or more), folded (case and
/// diacritics ignored).
fn words(s: &str) -> std::collections::BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(super::search::fold)
        .collect()
}

/// Whether two subjects say much the same (at least half of their words shared).
pub fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    union > 0 && a.intersection(&b).count() * 2 >= union
}

/// The registration number of a case of this petitioner, not yet closed, on a similar subject.
async fn similar_open_case(
    db: &DatabaseConnection,
    user_id: i64,
    subject: &str,
) -> Result<Option<String>, AppError> {
    use super::entity::petition_case;
    let open = petition_case::Entity::find()
        .filter(petition_case::Column::PetitionerId.eq(user_id))
        .filter(petition_case::Column::ClosedAt.is_null())
        .order_by_desc(petition_case::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    Ok(open
        .into_iter()
        .find(|c| similar(&c.subject, subject))
        .map(|c| c.registration_number))
}

/// While filing (the form asks once the subject is typed): the registration number of an open
/// case of the signed-in citizen on a similar subject, if any.
pub async fn similar_hint(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    subject: &str,
) -> Result<Option<String>, AppError> {
    let Some(account) = principal.and_then(Principal::account) else {
        return Ok(None);
    };
    let subject: String = subject.trim().chars().take(SUBJECT_MAX as usize).collect();
    if subject.chars().count() < SUBJECT_MIN as usize {
        return Ok(None);
    }
    similar_open_case(db, account.user_id, &subject).await
}

/// The petitioner of a filing: from the account, or as a visitor gave them.
struct Petitioner {
    user_id: Option<i64>,
    name: String,
    email: String,
    lang: Lang,
}

/// A visitor's name and address. Anonymous petitions are not examined (MD Administrative Code
/// art. 76, RO OG 27/2002 art. 7): a missing name is refused with that reason. Problems go to
/// `errors`; the name and the normalized address when there are none.
pub fn check_visitor(
    input: &FilingInput,
    errors: &mut FieldErrors,
    email_required: bool,
) -> Option<(String, Option<String>)> {
    let name = blank_to_none(&input.full_name);
    let email = blank_to_none(&input.email).map(|e| normalize_email(&e));
    let mut ok = true;
    match &name {
        None => {
            errors
                .entry("full_name".into())
                .or_default()
                .push("anonymous_refused".into());
            ok = false;
        }
        Some(n) if n.chars().count() > 200 => {
            errors
                .entry("full_name".into())
                .or_default()
                .push("full_name_length".into());
            ok = false;
        }
        Some(n) if crate::model::account::plain_name(n).is_err() => {
            errors
                .entry("full_name".into())
                .or_default()
                .push("full_name_chars".into());
            ok = false;
        }
        Some(_) => {}
    }
    let email_ok = match email.as_deref() {
        None => !email_required,
        Some(e) => e.len() <= 254 && validator::ValidateEmail::validate_email(&e),
    };
    if !email_ok {
        errors
            .entry("email".into())
            .or_default()
            .push("email_invalid".into());
        ok = false;
    }
    ok.then(|| (name.unwrap_or_default(), email))
}

/// Adds the problems of `result` to `errors` and returns its value, if any.
fn collect<T>(
    result: Result<T, AppError>,
    errors: &mut FieldErrors,
) -> Result<Option<T>, AppError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Validation { fields, .. }) => {
            for (k, v) in fields {
                errors.entry(k).or_default().extend(v);
            }
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// A filing as it waits for its address to be confirmed.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    input: FilingInput,
    full_name: String,
    files: Vec<Stored>,
}

/// A signed-in filer's `Idempotency-Key` (or a form's submission token) and the digest of what
/// they sent with it.
pub struct Once<'a> {
    key: &'a str,
    user_id: i64,
    sha256: String,
    /// The key already filed another request: refuse (an API client's key), or file this one
    /// as new (a form sent again after going back and changing it).
    refuse_other: bool,
}

/// What a key has filed already.
enum Seen {
    Nothing,
    This(Receipt),
    Other,
}

impl<'a> Once<'a> {
    /// Checks `key` (1 to 200 visible ASCII characters) for `user_id`'s filing of `input`.
    pub fn new(key: &'a str, user_id: i64, input: &FilingInput) -> Result<Self, AppError> {
        if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::BadRequest(
                "Idempotency-Key must be 1 to 200 visible ASCII characters".into(),
            ));
        }
        let request = serde_json::to_string(input).map_err(|_| AppError::Internal)?;
        Ok(Once {
            key,
            user_id,
            sha256: one_time::hash(&request),
            refuse_other: true,
        })
    }

    /// The filing form's token: the same form sent twice (a double click, a resent page)
    /// files once; the token with other content files anew. A malformed token is ignored.
    pub fn for_form(key: &'a str, user_id: i64, input: &FilingInput) -> Option<Self> {
        Once::new(key, user_id, input).ok().map(|o| Once {
            refuse_other: false,
            ..o
        })
    }

    /// What an earlier request with this key filed.
    async fn seen(&self, db: &DatabaseConnection, cfg: &AppConfig) -> Result<Seen, AppError> {
        use super::entity::idempotency_key as ik;
        let Some(row) = ik::Entity::find()
            .filter(ik::Column::UserId.eq(self.user_id))
            .filter(ik::Column::Key.eq(self.key))
            .one(db)
            .await?
        else {
            return Ok(Seen::Nothing);
        };
        if row.request_sha256 != self.sha256 {
            return Ok(Seen::Other);
        }
        let case = petition_case::Entity::find_by_id(row.case_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Seen::This(receipt(cfg, &case)))
    }

    /// Records the key with the case, in the filing's transaction.
    async fn record<C: sea_orm::ConnectionTrait>(
        &self,
        txn: &C,
        case_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        use super::entity::idempotency_key as ik;
        ik::ActiveModel {
            user_id: Set(self.user_id),
            key: Set(self.key.to_string()),
            request_sha256: Set(self.sha256.clone()),
            case_id: Set(case_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok(())
    }
}

/// Files the form: for a signed-in citizen at once (the receipt); for a visitor, once the
/// address they gave is confirmed by the mailed link ([`confirm`]).
///
/// With `once` (an API client's `Idempotency-Key`), a request repeated with the same key and
/// the same content answers the receipt of the case the first one filed, and files nothing:
/// the key is stored in the filing's transaction, and of two requests racing with one key the
/// second's insert fails, its transaction rolls back, and it answers the first one's receipt.
#[allow(clippy::too_many_arguments)]
pub async fn file(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    input: FilingInput,
    uploads: Vec<Upload>,
    client: &ClientInfo,
    lang: Lang,
    once: Option<Once<'_>>,
) -> Result<Filed, AppError> {
    let Some(once) = once else {
        return file_new(db, cfg, principal, input, uploads, client, lang, None).await;
    };
    match once.seen(db, cfg).await? {
        Seen::This(receipt) => return Ok(Filed::Receipt(receipt)),
        Seen::Other if once.refuse_other => {
            return Err(AppError::Conflict(
                "this Idempotency-Key was used for another request".into(),
            ));
        }
        Seen::Other => {
            return file_new(db, cfg, principal, input, uploads, client, lang, None).await;
        }
        Seen::Nothing => {}
    }
    match file_new(
        db,
        cfg,
        principal,
        input,
        uploads,
        client,
        lang,
        Some(&once),
    )
    .await
    {
        Err(e) => match once.seen(db, cfg).await? {
            Seen::This(receipt) => Ok(Filed::Receipt(receipt)),
            _ => Err(e),
        },
        filed => filed,
    }
}

#[allow(clippy::too_many_arguments)]
async fn file_new(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    input: FilingInput,
    uploads: Vec<Upload>,
    client: &ClientInfo,
    lang: Lang,
    once: Option<&Once<'_>>,
) -> Result<Filed, AppError> {
    let now = cfg.clock.now();
    let account = principal.and_then(Principal::account);
    // Every problem at once: the fields, the visitor's name and address, the files.
    let mut errors = FieldErrors::new();
    let checked = collect(check(&input, now.date_naive()), &mut errors)?;
    let visitor = match account {
        Some(_) => None,
        None => check_visitor(&input, &mut errors, true),
    };
    let files = collect(attachments::check(uploads), &mut errors)?;
    let (Some(checked), Some(files), true) = (checked, files, errors.is_empty()) else {
        return Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        });
    };
    let petitioner = match (account, visitor) {
        (Some(a), _) => Petitioner {
            user_id: Some(a.user_id),
            name: a.full_name.clone(),
            email: a.email.clone(),
            lang,
        },
        (None, Some((name, email))) => Petitioner {
            user_id: None,
            name,
            email: email.unwrap_or_default(),
            lang,
        },
        (None, None) => return Err(AppError::Internal),
    };
    rate_limit::hit_action(
        db,
        "filing",
        cfg.rate_limits.filing,
        &client.ip,
        Some(
            &petitioner
                .user_id
                .map_or_else(|| petitioner.email.clone(), |id| id.to_string()),
        ),
        Utc::now(),
    )
    .await?;
    if let Some(user_id) = petitioner.user_id
        && input.confirm_repeat.is_none()
        && let Some(number) = similar_open_case(db, user_id, &checked.subject).await?
    {
        // A repeat is treated specially by the law: say so, and let the petitioner confirm.
        return Err(AppError::field("subject", format!("similar_case:{number}")));
    }
    let new = new_case(db, principal, checked, &petitioner).await?;
    let stored = cfg.attachments.put(files, now).await?;
    if petitioner.user_id.is_none() {
        return match hold_for_confirmation(db, cfg, &input, &petitioner, &stored, lang, now).await {
            Ok(()) => Ok(Filed::AwaitingConfirmation {
                email: petitioner.email,
            }),
            Err(e) => {
                cfg.attachments.remove(&stored).await;
                Err(e)
            }
        };
    }
    let case = file_with_files(db, cfg, new, &stored, petitioner.user_id, now, once).await?;
    tracing::info!(case_id = case.id, number = %case.registration_number, "case filed online");
    Ok(Filed::Receipt(receipt(cfg, &case)))
}

/// Registers a petition that arrived on paper, by post, by e-mail or orally, typed in by
/// staff: the channel is recorded, the petitioner named (an e-mail address is optional: with
/// one, the receipt and the answer are mailed), so that every petition is in one registry.
/// Processing a petition's personal data is the law's (no consent box), and no repeat check:
/// the officer sees the petitioner's other cases on the case page.
pub async fn register_on_behalf(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    mut input: FilingInput,
    uploads: Vec<Upload>,
    lang: Lang,
) -> Result<Receipt, AppError> {
    let account = super::auth::access::require_account(principal)?;
    if !account.is_staff() {
        return Err(AppError::Forbidden);
    }
    let now = cfg.clock.now();
    input.consent_processing = Some("on".into());
    let mut errors = FieldErrors::new();
    let checked = collect(check(&input, now.date_naive()), &mut errors)?;
    let channel = blank_to_none(&input.channel)
        .filter(|c| crate::model::staff::CHANNELS_ON_BEHALF.contains(&c.as_str()));
    if channel.is_none() {
        errors
            .entry("channel".into())
            .or_default()
            .push("choice_invalid".into());
    }
    let named = check_visitor(&input, &mut errors, false);
    let files = collect(attachments::check(uploads), &mut errors)?;
    let (Some(checked), Some(files), Some((name, email)), Some(channel), true) =
        (checked, files, named, channel, errors.is_empty())
    else {
        return Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        });
    };
    let petitioner = Petitioner {
        user_id: None,
        name,
        email: email.clone().unwrap_or_default(),
        lang,
    };
    let mut new = new_case(db, None, checked, &petitioner).await?;
    new.channel = channel;
    new.petitioner_email = email;
    new.registered_by = Some((
        account.user_id,
        super::audit::role_of(account, Some(new.institution_id)).into(),
    ));
    let stored = cfg.attachments.put(files, now).await?;
    let case = file_with_files(db, cfg, new, &stored, Some(account.user_id), now, None).await?;
    tracing::info!(case_id = case.id, number = %case.registration_number, channel = %case.channel, by = account.user_id, "case registered on the petitioner's behalf");
    Ok(receipt(cfg, &case))
}

/// The case a program files for a petitioner through the API client `client_id` (Open311):
/// the same checks and routing as the form (the petitioner named, anonymous petitions refused;
/// an e-mail address optional: with one, the receipt and the answer are mailed), counted
/// against the client's own rate limit. Processing the petition's personal data is the
/// client's to have agreed with the petitioner (as for staff registering on their behalf).
/// The caller files the returned case ([`filing::file_case_in`]) in its own transaction.
pub async fn prepare_for_client(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    client_id: i64,
    mut input: FilingInput,
    lang: Lang,
) -> Result<NewCase, AppError> {
    let now = cfg.clock.now();
    input.consent_processing = Some("on".into());
    let mut errors = FieldErrors::new();
    let checked = collect(check(&input, now.date_naive()), &mut errors)?;
    let named = check_visitor(&input, &mut errors, false);
    let (Some(checked), Some((name, email)), true) = (checked, named, errors.is_empty()) else {
        return Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        });
    };
    rate_limit::hit(
        db,
        &format!("open311:client:{client_id}"),
        cfg.rate_limits.open311,
        Utc::now(),
    )
    .await?;
    let petitioner = Petitioner {
        user_id: None,
        name,
        email: email.clone().unwrap_or_default(),
        lang,
    };
    let mut new = new_case(db, None, checked, &petitioner).await?;
    new.petitioner_email = email;
    Ok(new)
}

/// Files and registers `new` with its stored files in one transaction; when that fails, the
/// files are removed again (no orphan on disk).
async fn file_with_files(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    new: NewCase,
    stored: &[Stored],
    uploader: Option<i64>,
    now: DateTime<Utc>,
    once: Option<&Once<'_>>,
) -> Result<petition_case::Model, AppError> {
    let result = async {
        let txn = db.begin().await?;
        let case = filing::file_case_in(&txn, new, now, &cfg.public_url).await?;
        attachments::insert_in(&txn, case.id, None, uploader, stored, now).await?;
        if let Some(once) = once {
            once.record(&txn, case.id, now).await?;
        }
        txn.commit().await?;
        Ok::<_, AppError>(case)
    }
    .await;
    match result {
        Ok(case) => {
            outbox::wake();
            Ok(case)
        }
        Err(e) => {
            cfg.attachments.remove(stored).await;
            Err(e)
        }
    }
}

fn receipt(cfg: &AppConfig, case: &petition_case::Model) -> Receipt {
    Receipt {
        id: case.id,
        registration_number: case.registration_number.clone(),
        status: case.status.clone(),
        filed_at: case.filed_at.to_rfc3339(),
        answer_due: case.answer_due.map(|d| d.to_string()),
        tracking_url: format!("{}/cazuri/{}", cfg.public_url, case.id),
    }
}

/// The case to file: the department and service checked against the portal's institution, a
/// prior complaint's contested case against what the asker may see.
async fn new_case<C: sea_orm::ConnectionTrait>(
    db: &C,
    principal: Option<&Principal>,
    checked: Checked,
    petitioner: &Petitioner,
) -> Result<NewCase, AppError> {
    let inst = home_institution(db).await?;
    if let Some(id) = checked.department_id {
        let ok = department::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|d| d.institution_id == inst.id && d.active);
        if !ok {
            return Err(AppError::field("department_id", "choice_invalid"));
        }
    }
    let mut department_id = checked.department_id;
    let mut category_id = checked.category_id;
    let service = match checked.service_id {
        None => None,
        Some(id) => Some(
            public_service::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|s| s.institution_id == inst.id && s.active)
                .ok_or_else(|| AppError::field("service_id", "choice_invalid"))?,
        ),
    };
    if let Some(service) = &service {
        category_id = category_id.or(service.category_id);
    }
    let cat = match category_id {
        None => None,
        Some(id) => Some(
            category::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|c| c.institution_id == inst.id && c.active)
                .ok_or_else(|| AppError::field("category_id", "choice_invalid"))?,
        ),
    };
    let answers = match &cat {
        Some(c) => {
            let questions = super::category_fields::fields_of(db, c.id).await?;
            super::category_fields::check(&questions, c.id, &checked.extra, petitioner.lang)
                .map_err(|fields| AppError::Validation {
                    message: "the category's questions are not answered as asked".into(),
                    fields,
                })?
        }
        None => {
            if let Some(key) = checked.extra.keys().find(|k| !k.contains('.')) {
                return Err(AppError::field(
                    &format!("extra.{key}"),
                    format!("extra_unknown:{key}"),
                ));
            }
            Vec::new()
        }
    };
    if department_id.is_none() {
        // "I don't know the department": the institution's routing rules first. The form has
        // no territorial area of its own; a service's area is the case's.
        let area = service.as_ref().and_then(|s| s.area.as_deref());
        department_id =
            super::org_admin::route(db, inst.id, checked.service_id, category_id, area).await?;
    }
    // Then the one responsible for the service, then the category's department.
    department_id = department_id
        .or(service.and_then(|s| s.department_id))
        .or(cat.and_then(|c| c.default_department_id));
    let linked_case_id = match checked.linked_case_id {
        None => None,
        Some(id) => {
            // Only the petitioner's own answered case can be contested this way.
            let case = visible_case(db, principal, id)
                .await
                .map_err(|_| AppError::field("linked_case_id", "choice_invalid"))?;
            let own = principal.is_some_and(|p| {
                super::case_actions::roles_for(p, &case).contains(&crate::workflow::Role::Citizen)
            });
            if !own || case.answered_at.is_none() {
                return Err(AppError::field("linked_case_id", "choice_invalid"));
            }
            department_id = department_id.or(case.department_id);
            Some(case.id)
        }
    };
    if department_id.is_none() {
        // "I don't know" and nothing else to go by: the institution's default department.
        department_id = super::org_admin::default_department(db, &inst).await?;
    }
    if department_id.is_none() {
        // None set: the institution's registry (its department without a territorial area)
        // routes it.
        department_id = department::Entity::find()
            .filter(department::Column::InstitutionId.eq(inst.id))
            .filter(department::Column::Active.eq(true))
            .filter(department::Column::Area.is_null())
            .order_by_asc(department::Column::Id)
            .one(db)
            .await?
            .map(|d| d.id);
    }
    Ok(NewCase {
        institution_id: inst.id,
        department_id,
        category_id,
        service_id: checked.service_id,
        petitioner_lang: Some(petitioner.lang.code().to_string()),
        kind: checked.kind,
        channel: "online".into(),
        petitioner_id: petitioner.user_id,
        petitioner_name: petitioner.name.clone(),
        petitioner_email: Some(petitioner.email.clone()),
        petitioner_address: checked.postal_address,
        subject: checked.subject,
        body: checked.body,
        address: checked.address,
        decision_number: checked.decision_number,
        decision_date: checked.decision_date,
        linked_case_id,
        consent_publish: checked.consent_publish,
        registered_by: None,
        extra_fields: super::category_fields::to_json(&answers),
    })
}

/// Keeps a visitor's filing and mails the link that confirms it.
async fn hold_for_confirmation(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    input: &FilingInput,
    petitioner: &Petitioner,
    stored: &[Stored],
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let token: String = rand::random::<[u8; 32]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let payload = serde_json::to_string(&Pending {
        input: input.clone(),
        full_name: petitioner.name.clone(),
        files: stored.to_vec(),
    })
    .map_err(|e| super::error::internal("pending filing as JSON", e))?;
    let txn = db.begin().await?;
    pending_filing::ActiveModel {
        token_hash: Set(one_time::hash(&token)),
        email: Set(petitioner.email.clone()),
        lang: Set(lang.code().to_string()),
        payload: Set(payload),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(CONFIRM_HOURS)),
        case_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ctx = MailContext::new();
    ctx.insert("name", petitioner.name.clone());
    ctx.insert("subject", input.subject.trim().to_string());
    ctx.insert(
        "link",
        format!("{}/depune/confirmare/{token}", cfg.public_url),
    );
    ctx.insert("hours", CONFIRM_HOURS.to_string());
    outbox::enqueue_letter(
        &txn,
        outbox::Letter {
            to: &petitioner.email,
            template: "filing_confirm",
            lang: lang.code(),
            ctx: &ctx,
            case_id: None,
            not_before: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    outbox::wake();
    Ok(())
}

/// Deletes filings whose confirmation link expired: unconfirmed ones with their stored files
/// (the visitor's personal data is not kept for a petition that was never filed), confirmed
/// ones once their link is dead (the case holds everything). Returns how many were deleted.
pub async fn purge_expired(
    db: &DatabaseConnection,
    store: &attachments::Store,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let expired = pending_filing::Entity::find()
        .filter(pending_filing::Column::ExpiresAt.lt(now))
        .all(db)
        .await?;
    let mut deleted = 0;
    for row in expired {
        let gone = pending_filing::Entity::delete_many()
            .filter(pending_filing::Column::Id.eq(row.id))
            .exec(db)
            .await?
            .rows_affected;
        // An expired link can no longer confirm, so an unconfirmed row stays unconfirmed.
        if gone == 1
            && row.case_id.is_none()
            && let Ok(held) = serde_json::from_str::<Pending>(&row.payload)
        {
            store.remove(&held.files).await;
        }
        deleted += gone;
    }
    Ok(deleted)
}

/// Confirms a visitor's filing from the mailed link: registers the case (once; a second click
/// opens the same case), queues its receipt and its tracking link, and opens a session for
/// this case. Returns the case id and the session token.
pub async fn confirm(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    token: &str,
    client: &ClientInfo,
) -> Result<(i64, String), AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let now = cfg.clock.now();
    let txn = db.begin().await?;
    let pending = pending_filing::Entity::find()
        .filter(pending_filing::Column::TokenHash.eq(one_time::hash(&token.to_ascii_lowercase())))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let case_id = match pending.case_id {
        Some(id) => id,
        None => {
            if pending.expires_at <= now {
                return Err(AppError::NotFound);
            }
            let held: Pending = serde_json::from_str(&pending.payload)
                .map_err(|e| super::error::internal("pending filing from JSON", e))?;
            // The rules are those of the day of filing; the form passed them then.
            let checked = check(&held.input, pending.created_at.date_naive())?;
            let petitioner = Petitioner {
                user_id: None,
                name: held.full_name,
                email: pending.email.clone(),
                lang: Lang::parse(&pending.lang).unwrap_or_default(),
            };
            // A prior complaint's contested case was checked at filing, as its link holder.
            let linked = checked.linked_case_id.map(|case_id| Principal::CaseLink {
                session_id: String::new(),
                case_id,
            });
            let new = new_case(&txn, linked.as_ref(), checked, &petitioner).await?;
            let case = filing::file_case_in(&txn, new, now, &cfg.public_url).await?;
            attachments::insert_in(&txn, case.id, None, None, &held.files, now).await?;
            // Only one click registers: the row is claimed while still unregistered.
            let claimed = pending_filing::Entity::update_many()
                .col_expr(pending_filing::Column::CaseId, Expr::value(case.id))
                .filter(pending_filing::Column::Id.eq(pending.id))
                .filter(pending_filing::Column::CaseId.is_null())
                .exec(&txn)
                .await?;
            if claimed.rows_affected != 1 {
                return Err(AppError::Conflict("already confirmed".into()));
            }
            magic_links::issue(&txn, cfg, &case, &pending.email, now).await?;
            tracing::info!(case_id = case.id, number = %case.registration_number, "case filed online without an account");
            case.id
        }
    };
    txn.commit().await?;
    outbox::wake();
    let session = sessions::open(
        db,
        &cfg.jwt_secret.0,
        SessionFor::Case(case_id),
        client,
        Utc::now(),
        Some(Utc::now() + Duration::days(magic_links::CASE_LINK_DAYS)),
    )
    .await?;
    Ok((case_id, session))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> FilingInput {
        FilingInput {
            kind: "complaint".into(),
            subject: "Cantina socială".into(),
            body: "Mâncarea vine rece de trei săptămâni.".into(),
            consent_processing: Some("on".into()),
            ..Default::default()
        }
    }

    fn codes(input: FilingInput) -> FieldErrors {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        check(&input, today).unwrap_err().fields().cloned().unwrap()
    }

    #[test]
    fn a_complete_form_passes_and_blank_optional_fields_are_none() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let c = check(
            &FilingInput {
                department_id: Some("".into()),
                address: Some("  ".into()),
                ..valid()
            },
            today,
        )
        .unwrap();
        assert_eq!(
            (c.department_id, c.address, c.consent_publish),
            (None, None, false)
        );
    }

    #[test]
    fn every_rule_names_its_field() {
        let e = codes(FilingInput {
            kind: "x".into(),
            subject: "abc".into(),
            body: "short".into(),
            department_id: Some("seven".into()),
            consent_processing: None,
            address: Some("a".repeat(501)),
            ..valid()
        });
        assert_eq!(e["kind"], ["kind_required"]);
        assert_eq!(e["subject"], ["subject_length"]);
        assert_eq!(e["body"], ["body_length"]);
        assert_eq!(e["department_id"], ["choice_invalid"]);
        assert_eq!(e["consent_processing"], ["consent_required"]);
        assert_eq!(e["address"], ["address_length"]);
        let e = codes(FilingInput {
            body: "x".repeat(BODY_MAX as usize + 1),
            subject: "ș".repeat(SUBJECT_MAX as usize + 1),
            ..valid()
        });
        assert_eq!(e["body"], ["body_length"]);
        assert_eq!(e["subject"], ["subject_length"]);
    }

    #[test]
    fn subjects_that_share_most_words_are_similar() {
        assert!(similar(
            "Cantina socială din Botanica",
            "cantina socială Botanica: mâncarea"
        ));
        assert!(similar(
            "Cantina socială din Botanica",
            "CANTINA SOCIALĂ DIN BOTANICA"
        ));
        assert!(!similar(
            "Cantina socială din Botanica",
            "Iluminatul din scara blocului"
        ));
        assert!(
            !similar("a b c", "a b c"),
            "no meaningful words, nothing to compare"
        );
    }

    #[test]
    fn a_prior_complaint_names_the_decision() {
        let e = codes(FilingInput {
            kind: "prior_complaint".into(),
            ..valid()
        });
        assert_eq!(e["decision_number"], ["decision_number_required"]);
        assert_eq!(e["decision_date"], ["decision_date_required"]);
        let e = codes(FilingInput {
            kind: "prior_complaint".into(),
            decision_number: Some("123/2026".into()),
            decision_date: Some("2027-01-01".into()),
            ..valid()
        });
        assert_eq!(e["decision_date"], ["date_in_future"]);
        let e = codes(FilingInput {
            kind: "prior_complaint".into(),
            decision_number: Some("123/2026".into()),
            decision_date: Some("31.12.2026".into()),
            ..valid()
        });
        assert_eq!(e["decision_date"], ["date_invalid"]);
    }
}
