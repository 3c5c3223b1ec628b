//! The types of a workflow definition. The TOML format (see `FORMAT.md`) has the same shape as
//! their serde form, so `to_toml` of a loaded definition loads back to the same definition.

use serde::{Deserialize, Serialize};

use crate::calendar::{CountingRule, CountryCalendar, DayUnit, Term};

/// A text in the three interface languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    pub ro: String,
    pub ru: String,
    pub en: String,
}

impl Labels {
    /// The label in `lang` (`ro`, `ru`, `en`); Romanian for anything else.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "ru" => &self.ru,
            "en" => &self.en,
            _ => &self.ro,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    Initial,
    Active,
    /// Waiting for someone outside the institution (the petitioner).
    Waiting,
    Terminal,
}

/// What the legal clock does while a case is in a state (documentation for people, and what
/// the diagram shows; the timers themselves move only through effects).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockMode {
    Runs,
    Paused,
    Stopped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub id: String,
    pub kind: StateKind,
    pub clock: ClockMode,
    pub labels: Labels,
}

/// Who acts. The caller establishes the role relative to the case: `citizen` is the case's
/// owner, `officer` an officer of the case's department, `system` the deadline ticker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Officer,
    Manager,
    Admin,
    System,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Citizen,
        Role::Officer,
        Role::Manager,
        Role::Admin,
        Role::System,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Officer => "officer",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// An input an actor supplies with a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Answer,
    Reason,
    Outcome,
    TargetInstitution,
    Assignee,
    Department,
    ExtensionDays,
    Note,
    Attachments,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Answer,
        Field::Reason,
        Field::Outcome,
        Field::TargetInstitution,
        Field::Assignee,
        Field::Department,
        Field::ExtensionDays,
        Field::Note,
        Field::Attachments,
    ];

    /// The field's name in forms and in the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            Field::Answer => "answer",
            Field::Reason => "reason",
            Field::Outcome => "outcome",
            Field::TargetInstitution => "target_institution_id",
            Field::Assignee => "assignee_id",
            Field::Department => "department_id",
            Field::ExtensionDays => "extension_days",
            Field::Note => "note",
            Field::Attachments => "attachments",
        }
    }

    /// The name used in definitions (`target_institution`, …).
    pub fn code(self) -> &'static str {
        match self {
            Field::Answer => "answer",
            Field::Reason => "reason",
            Field::Outcome => "outcome",
            Field::TargetInstitution => "target_institution",
            Field::Assignee => "assignee",
            Field::Department => "department",
            Field::ExtensionDays => "extension_days",
            Field::Note => "note",
            Field::Attachments => "attachments",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == s)
    }
}

/// Who receives a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The petitioner.
    Citizen,
    /// The officer the case is assigned to.
    Assignee,
    /// The managers of the case's department (or of the whole institution).
    DepartmentManager,
    /// The officers of the case's department.
    DepartmentOfficers,
}

impl Recipient {
    pub const ALL: [Recipient; 4] = [
        Recipient::Citizen,
        Recipient::Assignee,
        Recipient::DepartmentManager,
        Recipient::DepartmentOfficers,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Recipient::Citizen => "citizen",
            Recipient::Assignee => "assignee",
            Recipient::DepartmentManager => "department_manager",
            Recipient::DepartmentOfficers => "department_officers",
        }
    }

    pub fn parse(s: &str) -> Option<Recipient> {
        Recipient::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// The result of examining a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Outcome {
    Admitted,
    PartlyAdmitted,
    Rejected,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::Admitted,
        Outcome::PartlyAdmitted,
        Outcome::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Admitted => "admitted",
            Outcome::PartlyAdmitted => "partly_admitted",
            Outcome::Rejected => "rejected",
        }
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Outcome::Admitted, "en") => "admitted",
            (Outcome::Admitted, "ru") => "удовлетворена",
            (Outcome::Admitted, _) => "admisă",
            (Outcome::PartlyAdmitted, "en") => "partly admitted",
            (Outcome::PartlyAdmitted, "ru") => "удовлетворена частично",
            (Outcome::PartlyAdmitted, _) => "admisă parțial",
            (Outcome::Rejected, "en") => "rejected",
            (Outcome::Rejected, "ru") => "отклонена",
            (Outcome::Rejected, _) => "respinsă",
        }
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.code() == s)
            .ok_or_else(|| format!("unknown outcome `{s}`"))
    }
}

/// A condition a transition needs besides role and state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    /// The counter is below `max` ("at most one extension").
    MaxCount { counter: String, max: u32 },
    /// The timer is running and its last day has not passed ("only before the term expires").
    BeforeDue(String),
    /// The timer is running (or paused) — it was started and not stopped.
    TimerActive(String),
}

/// Whom `assign` assigns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignFrom {
    /// The officer acting takes the case.
    Actor,
    /// The officer named in the `assignee` field.
    Field,
}

/// What a transition does besides changing the state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Starts (or restarts) a timer from today.
    Start(String),
    /// Stops a timer: it has done its job (answered, forwarded, closed).
    Stop(String),
    /// Pauses a running timer, keeping the days left.
    Pause(String),
    /// Resumes a paused timer with the days it had left.
    Resume(String),
    /// Moves the timer's last day by the `extension_days` field (at most its `max_extension_days`).
    Extend(String),
    /// Adds one to a counter.
    Increment(String),
    Assign(AssignFrom),
    /// Moves the case to the department in the `department` field.
    SetDepartment(bool),
    /// Records the `outcome` field as the case's outcome.
    SetOutcome(bool),
    /// Mails the recipients with a template.
    Notify(Notify),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    pub to: Vec<Recipient>,
    pub template: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub id: String,
    /// The states it may fire from; `"*"` means every state that is not terminal.
    pub from: Vec<String>,
    pub to: String,
    pub roles: Vec<Role>,
    /// Fields the actor must supply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Fields the actor may supply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<Guard>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// Shown to the petitioner in the case history.
    pub public: bool,
    pub labels: Labels,
}

impl Transition {
    /// Whether it may fire from `state` (of kind `kind`).
    pub fn fires_from(&self, state: &str, kind: StateKind) -> bool {
        self.from
            .iter()
            .any(|f| f == state || (f == "*" && kind != StateKind::Terminal))
    }
}

/// What happens when a timer's last day has passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryAction {
    /// The case is marked overdue (for good, for the statistics) and the expiry template is
    /// mailed to the department's managers.
    MarkOverdue,
    /// Only the expiry template is mailed to the department's managers.
    Notify,
    /// The system fires this transition.
    Transition(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerDef {
    pub id: String,
    pub amount: u32,
    pub unit: DayUnit,
    /// Overrides the definition's counting rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counting: Option<CountingRule>,
    /// Days before the last day on which the assignee is reminded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_template: Option<String>,
    /// How many days one extension may add (0: the timer cannot be extended).
    #[serde(default)]
    pub max_extension_days: u32,
    /// When set, an extension also may not move the last day further than this many calendar
    /// months (a term the law extends "by at most two months" is not a fixed number of days).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_extension_months: u32,
    pub on_expiry: ExpiryAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_template: Option<String>,
    pub labels: Labels,
}

impl TimerDef {
    pub fn term(&self, default_rule: CountingRule) -> Term {
        Term {
            amount: self.amount,
            unit: self.unit,
            rule: self.counting.unwrap_or(default_rule),
        }
    }
}

/// A complete, validated workflow definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub version: u32,
    /// `petition`, `prior_complaint`, `information_request`.
    pub case_type: String,
    pub calendar: CountryCalendar,
    pub counting: CountingRule,
    pub labels: Labels,
    pub states: Vec<State>,
    pub timers: Vec<TimerDef>,
    pub transitions: Vec<Transition>,
}

impl Definition {
    pub fn state(&self, id: &str) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn transition(&self, id: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.id == id)
    }

    pub fn timer(&self, id: &str) -> Option<&TimerDef> {
        self.timers.iter().find(|t| t.id == id)
    }

    /// The id of the initial state (validation guarantees there is exactly one).
    pub fn initial_state(&self) -> &str {
        self.states
            .iter()
            .find(|s| s.kind == StateKind::Initial)
            .map(|s| s.id.as_str())
            .unwrap_or("submitted")
    }

    pub fn is_terminal(&self, state: &str) -> bool {
        self.state(state)
            .is_some_and(|s| s.kind == StateKind::Terminal)
    }

    /// The state's label in `lang`, or its id when unknown.
    pub fn state_label(&self, state: &str, lang: &str) -> String {
        self.state(state)
            .map(|s| s.labels.get(lang).to_string())
            .unwrap_or_else(|| state.to_string())
    }

    /// The TOML document of this definition (loads back to an equal definition).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
