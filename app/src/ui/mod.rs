//! Pages and components.

pub mod accessibility;
pub mod account;
pub mod admin;
pub mod app;
pub mod case_actions;
pub mod charts;
pub mod citizen;
pub mod home;
pub mod layout;
pub mod multipart;
pub mod not_found;
pub mod prefs;
pub mod privacy;
pub mod published;
pub mod staff;
pub mod statistics;
pub mod workflows;
