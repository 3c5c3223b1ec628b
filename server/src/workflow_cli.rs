//! `petitio workflow list | export | check | preview`: work with workflow definitions without a
//! database (see API.md). Definitions are named by a built-in name or a TOML file path.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use clap::Subcommand;

use app::calendar::{Calendar, CountryCalendar};
use app::workflow::{self, Definition};

#[derive(Subcommand, Debug)]
pub enum WorkflowCommand {
    /// The built-in definitions, one name a line.
    List,
    /// Print a built-in definition as TOML (a starting point for a custom one).
    Export {
        /// A built-in name, e.g. md-petition.
        name: String,
    },
    /// Validate a definition and print every problem with its line; exit 1 on problems.
    Check {
        /// A built-in name or a TOML file.
        definition: String,
    },
    /// The deadlines (last days to act) a case registered on a given day would get.
    Preview {
        /// A built-in name or a TOML file.
        definition: String,
        /// The registration date, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        filed: NaiveDate,
        /// The calendar to count on (default: the definition's).
        #[arg(long, value_parser = parse_calendar)]
        calendar: Option<CountryCalendar>,
        /// Print JSON: {"filed","calendar","timers":{name: date}}.
        #[arg(long)]
        json: bool,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2026-04-03"))
}

fn parse_calendar(s: &str) -> Result<CountryCalendar, String> {
    s.parse()
}

/// The source of a definition named by a built-in name or a path, and the name to print in
/// messages.
fn source_of(definition: &str) -> Result<(String, String), String> {
    if let Some(src) = workflow::builtin_source(definition) {
        return Ok((definition.to_string(), src.to_string()));
    }
    let path = Path::new(definition);
    match std::fs::read_to_string(path) {
        Ok(src) => Ok((path.display().to_string(), src)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "`{definition}` is neither a built-in definition ({}) nor a file",
            workflow::builtin_names().join(", ")
        )),
        Err(e) => Err(format!("cannot read {definition}: {e}")),
    }
}

fn load(definition: &str, err: &mut dyn Write) -> Result<Definition, u8> {
    let (label, src) = source_of(definition).map_err(|m| {
        let _ = writeln!(err, "error: {m}");
        2
    })?;
    Definition::from_toml(&src).map_err(|problems| {
        for p in problems {
            let _ = writeln!(err, "{label}:{}:{}: {}", p.line, p.column, p.message);
        }
        1
    })
}

/// Runs the command; returns the process exit code (0 ok, 1 problems found, 2 bad usage).
pub fn run(cmd: WorkflowCommand, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match cmd {
        WorkflowCommand::List => {
            for name in workflow::builtin_names() {
                let _ = writeln!(out, "{name}");
            }
            0
        }
        WorkflowCommand::Export { name } => match workflow::builtin_source(&name) {
            Some(src) => {
                let _ = write!(out, "{src}");
                0
            }
            None => {
                let _ = writeln!(
                    err,
                    "error: no built-in definition `{name}` (try: {})",
                    workflow::builtin_names().join(", ")
                );
                2
            }
        },
        WorkflowCommand::Check { definition } => match load(&definition, err) {
            Ok(_) => 0,
            Err(code) => code,
        },
        WorkflowCommand::Preview {
            definition,
            filed,
            calendar,
            json,
        } => {
            let def = match load(&definition, err) {
                Ok(def) => def,
                Err(code) => return code,
            };
            let country = calendar.unwrap_or(def.calendar);
            let cal = Calendar::new(country);
            let timers = workflow::preview(&def, &cal, filed);
            if json {
                let body = serde_json::json!({
                    "filed": filed.format("%Y-%m-%d").to_string(),
                    "calendar": country.code(),
                    "timers": timers
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.format("%Y-%m-%d").to_string())))
                        .collect::<serde_json::Map<_, _>>(),
                });
                let _ = writeln!(out, "{body}");
            } else {
                let _ = writeln!(
                    out,
                    "{} (calendar {}), filed {filed}:",
                    def.name,
                    country.code()
                );
                for (name, due) in &timers {
                    let _ = writeln!(out, "  {name:<20} {due} ({})", due.format("%A"));
                }
            }
            0
        }
    }
}
