//! The built-in definitions, following DOMAIN.md: the `md-` ones on the Moldovan calendar and
//! counting rule, the `ro-` ones on the Romanian.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::definition::Definition;

const SOURCES: &[(&str, &str)] = &[
    ("md-petition", include_str!("builtin/md-petition.toml")),
    ("ro-petition", include_str!("builtin/ro-petition.toml")),
    (
        "md-prior-complaint",
        include_str!("builtin/md-prior-complaint.toml"),
    ),
    (
        "ro-prior-complaint",
        include_str!("builtin/ro-prior-complaint.toml"),
    ),
    (
        "md-information-request",
        include_str!("builtin/md-information-request.toml"),
    ),
    (
        "ro-information-request",
        include_str!("builtin/ro-information-request.toml"),
    ),
    (
        "md-data-request",
        include_str!("builtin/md-data-request.toml"),
    ),
    (
        "ro-data-request",
        include_str!("builtin/ro-data-request.toml"),
    ),
];

static NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| SOURCES.iter().map(|(n, _)| *n).collect());

/// Parsed once. A built-in that does not load is a bug caught by the tests; it is left out
/// here rather than panicking at run time.
static PARSED: LazyLock<BTreeMap<&'static str, Definition>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .filter_map(|(name, src)| Definition::from_toml(src).ok().map(|d| (*name, d)))
        .collect()
});

pub fn builtin_names() -> &'static [&'static str] {
    NAMES.as_slice()
}

pub fn builtin_source(name: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

pub fn builtin(name: &str) -> Option<Definition> {
    PARSED.get(name).cloned()
}
