//! Filing by a citizen (the pages and `POST /api/v1/cases`): checks every field, names the
//! petitioner from the account (anonymous petitions are not examined: MD art. 76, RO art. 7),
//! counts the attempt against the filing rate limit, then files and registers the case, whose
//! receipt mail leaves in the same transaction.

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::AppConfig;
use super::auth::{ClientInfo, Principal, rate_limit};
use super::entity::{category, department};
use super::filing::{self, NewCase};
use super::portal::{active_departments, home_institution, localized};
use crate::i18n::Lang;
use crate::model::filing::{
    ADDRESS_MAX, BODY_MAX, BODY_MIN, Choice, FilingInput, FilingOptions, KINDS, Receipt,
    SUBJECT_MAX, SUBJECT_MIN,
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
        .await?
        .into_iter()
        .map(|c| Choice {
            id: c.id,
            name: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
            kind: Some(c.case_kind),
        })
        .collect();
    Ok(FilingOptions {
        institution_id: inst.id,
        institution_name: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
        departments,
        categories,
    })
}

fn blank_to_none(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// What a valid form says, or every problem at once (field → validation code).
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    pub kind: String,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub address: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub postal_address: Option<String>,
    pub consent_publish: bool,
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
    let subject = input.subject.trim().to_string();
    let n = subject.chars().count();
    if !(SUBJECT_MIN..=SUBJECT_MAX).contains(&n) {
        fail("subject", "subject_length");
    }
    let body = input.body.trim().to_string();
    let n = body.chars().count();
    if !(BODY_MIN..=BODY_MAX).contains(&n) {
        fail("body", "body_length");
    }
    let address = blank_to_none(&input.address);
    if address
        .as_deref()
        .is_some_and(|a| a.chars().count() > ADDRESS_MAX)
    {
        fail("address", "address_length");
    }
    let postal_address = blank_to_none(&input.postal_address);
    if postal_address
        .as_deref()
        .is_some_and(|a| a.chars().count() > ADDRESS_MAX)
    {
        fail("postal_address", "address_length");
    }
    let decision_number = blank_to_none(&input.decision_number);
    if decision_number
        .as_deref()
        .is_some_and(|d| d.chars().count() > 64)
    {
        fail("decision_number", "decision_number_length");
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
        subject,
        body,
        address,
        decision_number,
        decision_date,
        postal_address,
        consent_publish: input.consent_publish.is_some(),
    })
}

/// The words of a subject that carry meaning (four letters or more), lower-cased.
fn words(s: &str) -> std::collections::BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
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

/// Files the form for the signed-in citizen and returns the receipt.
pub async fn file(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    input: FilingInput,
    client: &ClientInfo,
) -> Result<Receipt, AppError> {
    // The law requires the petitioner's name and address: here they come from the account
    // (filing without an account, confirmed by e-mail, comes with the citizen portal).
    let account = principal
        .and_then(Principal::account)
        .ok_or(AppError::Unauthorized)?;
    let now = cfg.clock.now();
    let checked = check(&input, now.date_naive())?;
    rate_limit::hit_action(
        db,
        "filing",
        cfg.rate_limits.filing,
        &client.ip,
        Some(&account.user_id.to_string()),
        Utc::now(),
    )
    .await?;
    if input.confirm_repeat.is_none()
        && let Some(number) = similar_open_case(db, account.user_id, &checked.subject).await?
    {
        // A repeat is treated specially by the law: say so, and let the petitioner confirm.
        return Err(AppError::field("subject", format!("similar_case:{number}")));
    }
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
    if let Some(id) = checked.category_id {
        let cat = category::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| c.institution_id == inst.id && c.active)
            .ok_or_else(|| AppError::field("category_id", "choice_invalid"))?;
        // "I don't know the department": the service's department examines it.
        department_id = department_id.or(cat.default_department_id);
    }
    let case = filing::file_case(
        db,
        NewCase {
            institution_id: inst.id,
            department_id,
            category_id: checked.category_id,
            kind: checked.kind,
            channel: "online".into(),
            petitioner_id: Some(account.user_id),
            petitioner_name: account.full_name.clone(),
            petitioner_email: Some(account.email.clone()),
            petitioner_address: checked.postal_address,
            subject: checked.subject,
            body: checked.body,
            address: checked.address,
            decision_number: checked.decision_number,
            decision_date: checked.decision_date,
            linked_case_id: None,
            consent_publish: checked.consent_publish,
        },
        now,
        &cfg.public_url,
    )
    .await?;
    tracing::info!(case_id = case.id, number = %case.registration_number, "case filed online");
    Ok(Receipt {
        id: case.id,
        registration_number: case.registration_number,
        status: case.status,
        filed_at: case.filed_at.to_rfc3339(),
        answer_due: case.answer_due.map(|d| d.to_string()),
        tracking_url: format!("{}/cazuri/{}", cfg.public_url, case.id),
    })
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
            body: "x".repeat(BODY_MAX + 1),
            subject: "ș".repeat(SUBJECT_MAX + 1),
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
