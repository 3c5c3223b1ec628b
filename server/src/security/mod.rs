//! The protections every request passes through, outermost first: security headers, the
//! cross-site request check, then authentication (which stores the principal for handlers and
//! server functions).

pub mod authn;
pub mod csrf;
pub mod headers;
