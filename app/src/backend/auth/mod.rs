//! Accounts, sessions and access control.
//!
//! - [`token`]: the signed session tokens (HS256 only).
//! - [`sessions`]: the server-side sessions behind them (revocation, sliding renewal).
//! - [`access`]: who is asking ([`access::Principal`]) and the scope of every case query.
//! - [`accounts`]: registration, verification, login, password reset and change, invitations.
//! - [`magic_links`]: per-case tracking links for citizens without an account.
//! - [`cleanup`]: deleting what has ended long ago.
//! - [`one_time`]: the single-use tokens sent by mail.
//! - [`request`]: the token, client address and principal of a request.
//! - [`rate_limit`]: attempts per client address and per account, shared by all instances.

pub mod access;
pub mod accounts;
pub mod cleanup;
pub mod magic_links;
pub mod one_time;
pub mod rate_limit;
pub mod request;
pub mod sessions;
pub mod token;

pub use access::{Account, Authenticated, Principal, case_scope, visible_case};
pub use sessions::ClientInfo;
