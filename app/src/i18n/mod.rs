//! Interface texts in Romanian (the default), Russian and English.
//!
//! Every language is a value of [`Texts`], so a text missing in one language is a compile error.

pub mod account;
pub mod audit;
pub mod calendar_admin;
pub mod categories;
pub mod data_rights;
pub mod desk;
mod en;
pub mod filing;
pub mod metrics;
pub mod org_admin;
pub mod privacy;
pub mod publication;
mod ro;
mod ru;
pub mod services_admin;
pub mod staff;
pub mod templates;
pub mod users_admin;
pub mod workflow_admin;

use serde::{Deserialize, Serialize};

/// Cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "petitio_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ro,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ro, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ro => "ro",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Accepts `ro`, `ru`, `en` and regional forms such as `ro-MD` or `ru_RU`.
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s.trim().get(..2)?.to_ascii_lowercase();
        match base.as_str() {
            "ro" | "mo" => Some(Lang::Ro),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's name in itself, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ro => "Română",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// The texts of the account pages.
    pub fn account(self) -> &'static account::AccountTexts {
        match self {
            Lang::Ro => &account::RO,
            Lang::Ru => &account::RU,
            Lang::En => &account::EN,
        }
    }

    /// The texts of the filing form, the receipt and "my cases".
    pub fn filing(self) -> &'static filing::FilingTexts {
        match self {
            Lang::Ro => &filing::RO,
            Lang::Ru => &filing::RU,
            Lang::En => &filing::EN,
        }
    }

    /// The texts of the officer workspace.
    pub fn desk(self) -> &'static desk::DeskTexts {
        match self {
            Lang::Ro => &desk::RO,
            Lang::Ru => &desk::RU,
            Lang::En => &desk::EN,
        }
    }

    /// The texts of data-subject rights (export, requests, their answers).
    pub fn data_rights(self) -> &'static data_rights::DataRightsTexts {
        data_rights::texts(self)
    }

    /// The texts of the audit trail page.
    pub fn audit(self) -> &'static audit::AuditTexts {
        match self {
            Lang::Ro => &audit::RO,
            Lang::Ru => &audit::RU,
            Lang::En => &audit::EN,
        }
    }

    /// The texts of publication: the staff section, the redaction page, the public pages.
    pub fn publication(self) -> &'static publication::PublicationTexts {
        match self {
            Lang::Ro => &publication::RO,
            Lang::Ru => &publication::RU,
            Lang::En => &publication::EN,
        }
    }

    /// The texts of the administration of institutions, departments and routing rules.
    pub fn org_admin(self) -> &'static org_admin::OrgTexts {
        match self {
            Lang::Ro => &org_admin::RO,
            Lang::Ru => &org_admin::RU,
            Lang::En => &org_admin::EN,
        }
    }

    /// The texts of the workflow administration.
    pub fn workflow_admin(self) -> &'static workflow_admin::WorkflowAdminTexts {
        workflow_admin::texts(self)
    }

    /// The texts of the mail-template pages.
    pub fn templates(self) -> &'static templates::TemplateTexts {
        templates::texts(self)
    }

    /// The texts of the administration of staff users.
    pub fn users_admin(self) -> &'static users_admin::UsersTexts {
        match self {
            Lang::Ro => &users_admin::RO,
            Lang::Ru => &users_admin::RU,
            Lang::En => &users_admin::EN,
        }
    }

    /// The texts of the categories and their own questions.
    pub fn categories(self) -> &'static categories::CategoryTexts {
        categories::texts(self)
    }

    /// The texts of the administration of the service registry.
    pub fn services_admin(self) -> &'static services_admin::ServicesTexts {
        services_admin::texts(self)
    }

    /// The texts of the calendar administration.
    pub fn calendar_admin(self) -> &'static calendar_admin::CalendarTexts {
        calendar_admin::texts(self)
    }

    /// The privacy notice.
    pub fn privacy(self) -> &'static privacy::PrivacyTexts {
        match self {
            Lang::Ro => &privacy::RO,
            Lang::Ru => &privacy::RU,
            Lang::En => &privacy::EN,
        }
    }

    pub fn staff(self) -> &'static staff::StaffTexts {
        match self {
            Lang::Ro => &staff::RO,
            Lang::Ru => &staff::RU,
            Lang::En => &staff::EN,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ro => &ro::TEXTS,
            Lang::Ru => &ru::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }

    /// The first supported language of an `Accept-Language` header, in the client's order.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
    }
}

/// All the fixed texts of the interface for one language.
pub struct Texts {
    pub portal_name: &'static str,
    pub portal_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub main_navigation: &'static str,
    pub nav_home: &'static str,
    pub nav_accessibility: &'static str,
    pub larger_text: &'static str,
    pub footer_accessibility: &'static str,
    pub footer_about: &'static str,
    pub home_heading: &'static str,
    pub home_intro: &'static str,
    pub home_what_heading: &'static str,
    pub kind_petition: &'static str,
    pub kind_petition_help: &'static str,
    pub kind_complaint: &'static str,
    pub kind_complaint_help: &'static str,
    pub kind_prior_complaint: &'static str,
    pub kind_prior_complaint_help: &'static str,
    pub kind_information_request: &'static str,
    pub kind_information_request_help: &'static str,
    pub home_departments_heading: &'static str,
    pub home_terms_heading: &'static str,
    pub home_terms_text: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub a11y_title: &'static str,
    pub a11y_intro: &'static str,
    pub a11y_status_heading: &'static str,
    pub a11y_status_text: &'static str,
    pub a11y_feedback_heading: &'static str,
    pub a11y_feedback_text: &'static str,
    pub a11y_enforcement_heading: &'static str,
    pub a11y_enforcement_text: &'static str,
}
