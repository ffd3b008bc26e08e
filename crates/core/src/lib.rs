//! Culprit's core: reads what a person has in front of them when a web page fails (a raw
//! HTTP response, `curl` output, an HTML page, text copied off the screen, a HAR file, proxy
//! log lines, or a browser's structured observation) and returns a [`Diagnosis`]: who wrote
//! the error page, which hop failed, identifiers to quote, whether to retry, and what to do.
//!
//! The core is pure: no I/O, no clock, no browser. See `ARCHITECTURE.md`.

// Hostile input is the normal case here: no indexing or slicing that could panic, outside
// tests (`get`, iterators, `split_at_checked` instead).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod advice;
mod engine;
mod error;
mod ids;
mod input;
mod json;
mod logs;
mod matcher;
pub mod model;
pub mod neterror;
mod parts;
pub mod reference;
pub mod rules;
pub mod status;
mod suffix;
mod text;

pub use error::InputError;
pub use input::{BrowserObservation, HeaderPair};
pub use model::*;
pub use parts::{ReadPlan, diagnose_parts, read_plan};

/// Diagnoses whatever a person pasted or saved: the form is detected from the bytes.
///
/// Never panics and runs in time linear in `input.len()`. Returns an error only when
/// nothing can be read (empty, binary, or broken JSON).
pub fn diagnose(input: &[u8]) -> Result<Diagnosis, InputError> {
    let observation = input::read(input)?;
    Ok(engine::diagnose(&observation))
}

/// Diagnoses a structured observation sent by a browser front end.
pub fn diagnose_observation(observation: &BrowserObservation) -> Diagnosis {
    engine::diagnose(&input::from_browser(observation))
}

/// The meanings of the evidence given for a log line's format (HAProxy's HTTP log, nginx's
/// error log...): a format, not a literal of a rule file, so the rule tests leave it out.
pub fn log_format_meanings() -> [&'static str; 7] {
    logs::format_meanings()
}

/// Every source the core knows, in id order.
pub fn sources() -> &'static [rules::Rule] {
    rules::RULES
}
