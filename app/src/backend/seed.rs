//! Demo data: a Chișinău-like social-assistance directorate with its five territorial
//! directorates, the social services citizens complain about, and the demo accounts of
//! `API.md`. Idempotent: running it again changes nothing that already exists.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::backend::entity::{category, category_field, department, institution, user, user_role};
use crate::backend::password;
use crate::model::AppError;

/// Password of every demo account (development only).
pub const DEMO_PASSWORD: &str = "demo-password-1";

/// The demo accounts: e-mail, full name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, &str); 4] = [
    ("admin@demo.petitio", "Ana Administrator", "admin"),
    ("manager@demo.petitio", "Mihai Munteanu", "manager"),
    ("officer@demo.petitio", "Olga Ceban", "officer"),
    ("citizen@demo.petitio", "Ion Popescu", "citizen"),
];

const INSTITUTION_SLUG: &str = "chisinau-dgass";

/// Departments: code, Romanian, Russian, English name, territorial area.
const DEPARTMENTS: [(&str, &str, &str, &str, Option<&str>); 6] = [
    (
        "central",
        "Aparatul central — Registratura petițiilor",
        "Центральный аппарат — Регистратура петиций",
        "Central office — Petitions registry",
        None,
    ),
    (
        "botanica",
        "Direcția asistență socială Botanica",
        "Управление социальной помощи Ботаника",
        "Botanica Social Assistance Directorate",
        Some("Botanica"),
    ),
    (
        "buiucani",
        "Direcția asistență socială Buiucani",
        "Управление социальной помощи Буюканы",
        "Buiucani Social Assistance Directorate",
        Some("Buiucani"),
    ),
    (
        "centru",
        "Direcția asistență socială Centru",
        "Управление социальной помощи Центр",
        "Centru Social Assistance Directorate",
        Some("Centru"),
    ),
    (
        "ciocana",
        "Direcția asistență socială Ciocana",
        "Управление социальной помощи Чеканы",
        "Ciocana Social Assistance Directorate",
        Some("Ciocana"),
    ),
    (
        "riscani",
        "Direcția asistență socială Râșcani",
        "Управление социальной помощи Рышкань",
        "Râșcani Social Assistance Directorate",
        Some("Râșcani"),
    ),
];

/// Categories (services citizens file about): code, ro, ru, en, case kind.
const CATEGORIES: [(&str, &str, &str, &str, &str); 11] = [
    (
        "nurseries",
        "Creșe și grădinițe",
        "Ясли и детские сады",
        "Nurseries and kindergartens",
        "complaint",
    ),
    (
        "child-protection",
        "Protecția copilului",
        "Защита детей",
        "Child protection",
        "complaint",
    ),
    (
        "elderly-care",
        "Îngrijirea persoanelor vârstnice",
        "Уход за пожилыми людьми",
        "Elderly care",
        "complaint",
    ),
    (
        "social-canteens",
        "Cantine sociale",
        "Социальные столовые",
        "Social canteens",
        "complaint",
    ),
    (
        "homeless",
        "Servicii pentru persoanele fără adăpost",
        "Услуги для бездомных",
        "Homeless services",
        "complaint",
    ),
    (
        "school-medical",
        "Cabinete medicale școlare",
        "Школьные медицинские кабинеты",
        "School medical offices",
        "complaint",
    ),
    (
        "community-medical",
        "Asistență medicală comunitară",
        "Общественная медицинская помощь",
        "Community medical care",
        "complaint",
    ),
    (
        "home-care",
        "Îngrijire la domiciliu",
        "Уход на дому",
        "Home care",
        "complaint",
    ),
    (
        "personal-assistants",
        "Asistenți personali pentru persoanele cu dizabilități severe",
        "Персональные ассистенты для людей с тяжёлыми формами инвалидности",
        "Personal assistants for people with severe disabilities",
        "complaint",
    ),
    (
        "social-benefits",
        "Ajutoare și prestații sociale",
        "Социальные пособия и выплаты",
        "Social benefits",
        "petition",
    ),
    (
        "public-information",
        "Informații de interes public",
        "Информация, представляющая общественный интерес",
        "Information of public interest",
        "information_request",
    ),
];

/// The demo's questions of its own for one category (home care), so that the filing form and
/// Open311 show some: code, ro, ru, en, type.
const HOME_CARE_QUESTIONS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "beneficiary-age",
        "Vârsta persoanei îngrijite",
        "Возраст получателя ухода",
        "Age of the person cared for",
        "number",
    ),
    (
        "lives-alone",
        "Persoana îngrijită locuiește singură",
        "Получатель ухода живёт один",
        "The person cared for lives alone",
        "yes_no",
    ),
];

/// Adds the demo's questions to the home-care category, unless it has questions already.
async fn seed_questions<C: sea_orm::ConnectionTrait>(
    db: &C,
    institution_id: i64,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(home_care) = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(institution_id))
        .filter(category::Column::Code.eq("home-care"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if !super::category_fields::fields_of(db, home_care.id)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    for (position, (code, ro, ru, en, kind)) in HOME_CARE_QUESTIONS.into_iter().enumerate() {
        category_field::ActiveModel {
            category_id: Set(home_care.id),
            code: Set(code.into()),
            label_ro: Set(ro.into()),
            label_ru: Set(ru.into()),
            label_en: Set(en.into()),
            field_type: Set(kind.into()),
            required: Set(false),
            options: Set(None),
            position: Set(position as i32),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Services of the registry in every territorial directorate: code, ro, ru, en (`{area}` is
/// the directorate's area), category.
const LOCAL_SERVICES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "canteen",
        "Cantina socială {area}",
        "Социальная столовая {area}",
        "{area} social canteen",
        "social-canteens",
    ),
    (
        "home-care",
        "Serviciul de îngrijire socială la domiciliu {area}",
        "Служба социального ухода на дому {area}",
        "{area} home social care service",
        "home-care",
    ),
    (
        "day-centre",
        "Centrul de zi pentru persoanele vârstnice {area}",
        "Дневной центр для пожилых людей {area}",
        "{area} day centre for the elderly",
        "elderly-care",
    ),
    (
        "personal-assistance",
        "Serviciul asistență personală {area}",
        "Служба персональной помощи {area}",
        "{area} personal assistance service",
        "personal-assistants",
    ),
];

/// City-wide services: code, ro, ru, en, category, provider, private and accredited.
const CITY_SERVICES: [(&str, &str, &str, &str, &str, &str, bool); 3] = [
    (
        "homeless-shelter",
        "Centrul de plasament temporar pentru persoanele fără adăpost",
        "Центр временного размещения для бездомных",
        "Temporary shelter for homeless people",
        "homeless",
        "Direcția generală asistență socială și sănătate",
        false,
    ),
    (
        "school-medical-offices",
        "Cabinetele medicale din instituțiile de învățământ",
        "Медицинские кабинеты учебных заведений",
        "Medical offices of schools",
        "school-medical",
        "Direcția generală asistență socială și sănătate",
        false,
    ),
    (
        "homecare-ngo",
        "Îngrijire la domiciliu — Asociația obștească „Casa Speranței”",
        "Уход на дому — общественная ассоциация «Дом надежды»",
        "Home care — “House of Hope” association",
        "home-care",
        "AO „Casa Speranței” (prestator privat acreditat)",
        true,
    ),
];

/// What `seed_demo` created, for the start-up message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub institutions: usize,
    pub departments: usize,
    pub categories: usize,
    pub services: usize,
    pub users: usize,
}

/// Authorities a petition outside the directorate's competence is forwarded to (MD Administrative
/// Code art. 79): they run no desk here, they are the choices of the forwarding form.
/// `(slug, registration prefix, ro, ru, en)`.
const FORWARD_TARGETS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "chisinau-primaria",
        "PMC",
        "Primăria municipiului Chișinău",
        "Примэрия муниципия Кишинэу",
        "Chișinău City Hall",
    ),
    (
        "anas",
        "ANAS",
        "Agenția Națională Asistență Socială",
        "Национальное агентство социальной помощи",
        "National Social Assistance Agency",
    ),
    (
        "cnas",
        "CNAS",
        "Casa Națională de Asigurări Sociale",
        "Национальная касса социального страхования",
        "National Social Insurance House",
    ),
];

/// The registry's demo services: four in each territorial directorate, three city-wide.
async fn seed_services<C: sea_orm::ConnectionTrait>(
    db: &C,
    institution_id: i64,
    central_id: Option<i64>,
    now: chrono::DateTime<Utc>,
) -> Result<usize, AppError> {
    use crate::backend::entity::public_service;
    let categories: Vec<category::Model> = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(institution_id))
        .all(db)
        .await?;
    let category_id = |code: &str| categories.iter().find(|c| c.code == code).map(|c| c.id);
    let departments = department::Entity::find()
        .filter(department::Column::InstitutionId.eq(institution_id))
        .all(db)
        .await?;
    let mut wanted = Vec::new();
    for d in departments.iter().filter(|d| d.area.is_some()) {
        let area = d.area.clone().unwrap_or_default();
        for (code, ro, ru, en, cat) in LOCAL_SERVICES {
            wanted.push(public_service::ActiveModel {
                code: Set(format!("{code}-{}", d.code)),
                name_ro: Set(ro.replace("{area}", &area)),
                name_ru: Set(ru.replace("{area}", d.name_ru.rsplit(' ').next().unwrap_or(&area))),
                name_en: Set(en.replace("{area}", &area)),
                category_id: Set(category_id(cat)),
                department_id: Set(Some(d.id)),
                provider: Set(d.name_ro.clone()),
                provider_type: Set("public".into()),
                area: Set(Some(area.clone())),
                ..Default::default()
            });
        }
    }
    for (code, ro, ru, en, cat, provider, private) in CITY_SERVICES {
        wanted.push(public_service::ActiveModel {
            code: Set(code.into()),
            name_ro: Set(ro.into()),
            name_ru: Set(ru.into()),
            name_en: Set(en.into()),
            category_id: Set(category_id(cat)),
            department_id: Set(central_id),
            provider: Set(provider.into()),
            provider_type: Set(if private { "private" } else { "public" }.into()),
            area: Set(None),
            ..Default::default()
        });
    }
    let mut added = 0;
    for mut s in wanted {
        let code = match &s.code {
            sea_orm::ActiveValue::Set(c) => c.clone(),
            _ => continue,
        };
        let exists = public_service::Entity::find()
            .filter(public_service::Column::InstitutionId.eq(institution_id))
            .filter(public_service::Column::Code.eq(code))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        s.institution_id = Set(institution_id);
        s.address = Set(None);
        s.contact = Set(None);
        s.accredited = Set(true);
        s.active = Set(true);
        s.created_at = Set(now);
        s.insert(db).await?;
        added += 1;
    }
    Ok(added)
}

pub async fn seed_demo(db: &DatabaseConnection) -> Result<SeedReport, AppError> {
    // Hash once, outside the transaction: argon2 is deliberately slow.
    let demo_hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let txn = db.begin().await?;
    let mut report = SeedReport::default();
    let now = Utc::now();

    let inst = match institution::Entity::find()
        .filter(institution::Column::Slug.eq(INSTITUTION_SLUG))
        .one(&txn)
        .await?
    {
        Some(i) => i,
        None => {
            report.institutions += 1;
            institution::ActiveModel {
                slug: Set(INSTITUTION_SLUG.into()),
                name_ro: Set(
                    "Direcția generală asistență socială și sănătate a municipiului Chișinău"
                        .into(),
                ),
                name_ru: Set(
                    "Главное управление социальной помощи и здоровья муниципия Кишинёв".into(),
                ),
                name_en: Set(
                    "Chișinău Directorate-General for Social Assistance and Health".into(),
                ),
                reg_prefix: Set("CHI".into()),
                calendar: Set("md".into()),
                counting_rule: Set("plain".into()),
                // A newcomer trying the demo at night sees the mails at once; a city sets its
                // hours (the default of a new institution is 08:00-20:00).
                citizen_mail_hours: Set("always".into()),
                email: Set(Some("petitii@demo.petitio".into())),
                phone: Set(Some("+373 22 000 000".into())),
                address: Set(Some("bd. Ștefan cel Mare și Sfînt 83, Chișinău".into())),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };

    for (slug, prefix, ro, ru, en) in FORWARD_TARGETS {
        let exists = institution::Entity::find()
            .filter(institution::Column::Slug.eq(slug))
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            report.institutions += 1;
            institution::ActiveModel {
                slug: Set(slug.into()),
                name_ro: Set(ro.into()),
                name_ru: Set(ru.into()),
                name_en: Set(en.into()),
                reg_prefix: Set(prefix.into()),
                calendar: Set("md".into()),
                counting_rule: Set("plain".into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }

    let mut central_id = None;
    for (code, ro, ru, en, area) in DEPARTMENTS {
        let existing = department::Entity::find()
            .filter(department::Column::InstitutionId.eq(inst.id))
            .filter(department::Column::Code.eq(code))
            .one(&txn)
            .await?;
        let dep = match existing {
            Some(d) => d,
            None => {
                report.departments += 1;
                department::ActiveModel {
                    institution_id: Set(inst.id),
                    code: Set(code.into()),
                    name_ro: Set(ro.into()),
                    name_ru: Set(ru.into()),
                    name_en: Set(en.into()),
                    area: Set(area.map(str::to_string)),
                    email: Set(None),
                    active: Set(true),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        if code == "central" {
            central_id = Some(dep.id);
        }
    }

    for (code, ro, ru, en, kind) in CATEGORIES {
        let exists = category::Entity::find()
            .filter(category::Column::InstitutionId.eq(inst.id))
            .filter(category::Column::Code.eq(code))
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            report.categories += 1;
            category::ActiveModel {
                institution_id: Set(inst.id),
                code: Set(code.into()),
                name_ro: Set(ro.into()),
                name_ru: Set(ru.into()),
                name_en: Set(en.into()),
                case_kind: Set(kind.into()),
                default_department_id: Set(central_id),
                active: Set(true),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }

    seed_questions(&txn, inst.id, now).await?;
    report.services += seed_services(&txn, inst.id, central_id, now).await?;

    for (email, name, role) in DEMO_ACCOUNTS {
        let exists = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&txn)
            .await?
            .is_some();
        if exists {
            continue;
        }
        report.users += 1;
        let u = user::ActiveModel {
            email: Set(email.into()),
            password_hash: Set(Some(demo_hash.clone())),
            full_name: Set(name.into()),
            locale: Set("ro".into()),
            active: Set(true),
            email_verified_at: Set(Some(now)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let (institution_id, department_id) = match role {
            "citizen" => (None, None),
            "officer" => (Some(inst.id), central_id),
            _ => (Some(inst.id), None),
        };
        user_role::ActiveModel {
            user_id: Set(u.id),
            role: Set(role.into()),
            institution_id: Set(institution_id),
            department_id: Set(department_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }

    // The city's patron day (Hramul orașului, 14 October) is a day off in Chișinău.
    let patron_day = super::calendars::AdjustmentEntry {
        calendar: "md".into(),
        kind: super::calendars::kind::YEARLY_DAY_OFF.into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 10, 14).unwrap_or_default(),
        name: "Hramul orașului Chișinău".into(),
        institution: Some(INSTITUTION_SLUG.into()),
    };
    super::calendars::import(&txn, &[patron_day], chrono::Utc::now()).await?;

    txn.commit().await?;
    Ok(report)
}
