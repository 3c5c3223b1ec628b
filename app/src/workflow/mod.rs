//! The workflow engine. Pure: no I/O, no clock (the caller passes the date).
//!
//! - `definition`: the types of a definition (states, transitions, timers)
//! - `load`: TOML → validated [`Definition`], with every problem and its line
//! - `engine`: (definition, calendar, case, event, today) → refusal or outcome
//! - `builtin`: the Moldovan and Romanian definitions shipped with Petitio
//!
//! The definition format is documented in `FORMAT.md` next to this file.

mod builtin;
mod definition;
mod engine;
mod load;
mod templates;

pub use builtin::{builtin, builtin_names, builtin_source};
pub use definition::*;
pub use engine::*;
pub use load::Problem;
pub use templates::KNOWN_TEMPLATES;

#[cfg(test)]
mod tests;
