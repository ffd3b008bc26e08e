//! Hand-built inputs for the stage tests.

use super::scan::Found;
use crate::input::Observation;
use crate::matcher::Region;
use crate::model::InputForm;
use crate::rules::{Place, RULES, Signal};

/// The index of a rule in `RULES`.
pub fn idx(id: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| unreachable!("no rule {id}"))
}

/// A made-up signal (leaked: tests only).
pub fn sig(place: Place, weight: u8) -> &'static Signal {
    sig_with(place, weight, |_| {})
}

/// A made-up signal, adjusted by `f`.
pub fn sig_with(place: Place, weight: u8, f: impl FnOnce(&mut Signal)) -> &'static Signal {
    let Some(base) = RULES.iter().find_map(|r| r.signals.first()) else {
        unreachable!("rules have signals")
    };
    // A copy of a real signal with every field the tests read set: a field added to
    // `Signal` needs no edit here.
    let mut s = Signal { ..*base };
    s.place = place;
    s.pattern = "pattern";
    s.weight = weight;
    s.meaning = "what it means";
    s.header = None;
    s.status = None;
    s.fact = None;
    s.net_error = None;
    s.exact_case = false;
    s.hop = None;
    f(&mut s);
    Box::leak(Box::new(s))
}

/// A hit of `signal`, counted for the rule `rule_id`.
pub fn found(rule_id: &str, signal: &'static Signal, at: usize, region: Region) -> Found {
    Found {
        rule: idx(rule_id),
        signal,
        at,
        found: signal.pattern.to_string(),
        region,
    }
}

/// An observation of `form` with a status, headers and body.
pub fn obs(
    form: InputForm,
    status: Option<u16>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Observation<'static> {
    Observation {
        form,
        status,
        status_text: None,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: std::borrow::Cow::Owned(body.to_vec()),
        net_error: None,
        browser: None,
        url: None,
        notes: Vec::new(),
        log: None,
    }
}
