//! Accounts and sessions (in progress: the token layer is here; sessions, login and the
//! request extractor come with the accounts issue).

pub mod token;
