//! The mail templates a definition may name (their texts live in `backend::mail_templates`).

pub const KNOWN_TEMPLATES: &[&str] = &[
    "case_registered",
    "case_assigned",
    "case_forwarded",
    "case_extended",
    "info_requested",
    "citizen_replied",
    "case_answered",
    "case_dismissed",
    "case_withdrawn",
    "case_closed",
    "case_appealed",
    "deadline_reminder",
    "deadline_overdue",
    "data_request_registered",
    "data_request_extended",
    "data_request_answered",
    "data_request_refused",
];
