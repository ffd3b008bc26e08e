//! The detection rules, compiled in from `src/rules/*.toml` by `build.rs`.
//!
//! One file per source. See `docs/rules.md` for the file format.

use crate::model::{Category, Hop};

/// Where in the input a signal is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The raw body (HTML source or pasted text).
    Body,
    /// The visible text: tags stripped, whitespace collapsed to single spaces.
    Text,
    /// The page title.
    Title,
    /// A response header value (`pattern` empty: the header's presence).
    Header,
    /// Log lines (only when the input was recognised as logs).
    Log,
    /// The whole visible text equals the pattern (for one-line bodies such as `Bad Gateway`).
    WholeText,
}

/// One literal, case-insensitive signal.
#[derive(Debug)]
pub struct Signal {
    pub place: Place,
    pub pattern: &'static str,
    /// 1..=100: how strongly this signal alone says the product wrote the page
    /// (for headers: that the product was on the path).
    pub weight: u8,
    pub meaning: &'static str,
    /// Lower-cased header name, for `Place::Header`.
    pub header: Option<&'static str>,
    /// Status this signal implies when the input carries none.
    pub status: Option<u16>,
    /// A fact about what went wrong.
    pub fact: Option<Fact>,
    /// The browser network error this signal names (for browser pages that show no code).
    pub net_error: Option<&'static str>,
    /// Match the pattern's case exactly (HAProxy's `SH--` and `sH--` differ).
    pub exact_case: bool,
}

/// How to pull an identifier out of a response.
#[derive(Debug)]
pub struct IdSpec {
    pub kind: &'static str,
    pub label: &'static str,
    /// Take the value of this (lower-cased) header.
    pub header: Option<&'static str>,
    /// Or take the token after this marker in the body or text.
    pub after: Option<&'static str>,
    /// Also report the part after the last dash as a POP code.
    pub pop_after_dash: bool,
}

/// A source: a product that can write an error page.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub category: Category,
    /// The hop this product occupies when it writes a page.
    pub role: Hop,
    /// One sentence about the product, for explainers.
    pub about: &'static str,
    /// Per-status override of the failing hop when this product wrote the page.
    pub hops: &'static [(u16, Hop)],
    pub signals: &'static [Signal],
    pub ids: &'static [IdSpec],
}

include!(concat!(env!("OUT_DIR"), "/rules_gen.rs"));

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
