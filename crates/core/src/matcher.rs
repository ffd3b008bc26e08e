//! One multi-pattern automaton over every rule's literal signals.
//!
//! Built once (lazily) from [`crate::rules::RULES`]; each region of the input (header values,
//! raw body, visible text) is scanned in a single pass. A hit is recorded once per
//! (rule, signal): hostile input repeating a pattern millions of times costs time linear in
//! its size and memory proportional to the number of signals.

use crate::rules::{Place, RULES};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// Index of a signal: (rule index, signal index within the rule).
pub type SignalRef = (u16, u16);

struct Matcher {
    ac: Option<AhoCorasick>,
    /// For each pattern id: the signals that use this literal.
    owners: Vec<Vec<SignalRef>>,
    /// Header signals with an empty pattern: presence of a header.
    presence: Vec<SignalRef>,
    /// For each rule: the index of its first signal in a flat list of all signals (plus
    /// the total at the end), so a signal has one slot in [`Hits`].
    first_signal: Vec<usize>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(build)
}

/// Natively a DFA: about 40 ms to build once per process, the fastest scan. In wasm the
/// same DFA takes some 140 ms to build in a fresh page (V8 runs that one long call in its
/// baseline tier), on every page load and every wake-up of an extension worker; a
/// contiguous NFA builds in a few milliseconds and scans pastes fast enough.
#[cfg(not(target_arch = "wasm32"))]
const KIND: AhoCorasickKind = AhoCorasickKind::DFA;
#[cfg(target_arch = "wasm32")]
const KIND: AhoCorasickKind = AhoCorasickKind::ContiguousNFA;

fn build() -> Matcher {
    let mut patterns: Vec<String> = Vec::new();
    let mut owners: Vec<Vec<SignalRef>> = Vec::new();
    let mut presence = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (ri, rule) in RULES.iter().enumerate() {
        for (si, s) in rule.signals.iter().enumerate() {
            let r = (ri as u16, si as u16);
            if s.pattern.is_empty() {
                presence.push(r);
                continue;
            }
            let key = s.pattern.to_ascii_lowercase();
            let id = *index.entry(key.clone()).or_insert_with(|| {
                patterns.push(key);
                owners.push(Vec::new());
                owners.len() - 1
            });
            owners[id].push(r);
        }
    }
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(KIND))
        .build(&patterns)
        .or_else(|_| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&patterns)
        })
        .ok();
    let mut first_signal = Vec::with_capacity(RULES.len() + 1);
    let mut n = 0;
    for r in RULES {
        first_signal.push(n);
        n += r.signals.len();
    }
    first_signal.push(n);
    Matcher {
        first_signal,
        ac,
        owners,
        presence,
    }
}

/// A signal found in the input.
#[derive(Debug, Clone)]
pub struct Hit {
    pub signal: SignalRef,
    /// Byte offset into the scanned region (body, text) or the header index.
    pub at: usize,
    /// The matched bytes, as they appear in the input.
    pub found: String,
    pub region: Region,
}

/// Which region a hit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Header(usize),
    Body,
    Text,
}

/// Collects hits, once per signal.
pub struct Hits {
    seen: Vec<bool>,
    first_signal: &'static [usize],
    pub list: Vec<Hit>,
}

impl Hits {
    pub fn new() -> Self {
        let first_signal = &matcher().first_signal;
        Hits {
            seen: vec![false; first_signal.last().copied().unwrap_or(0)],
            first_signal,
            list: Vec::new(),
        }
    }

    fn record(&mut self, signal: SignalRef, at: usize, found: &[u8], region: Region) {
        let idx = self.first_signal[signal.0 as usize] + signal.1 as usize;
        if self.seen[idx] {
            return;
        }
        self.seen[idx] = true;
        self.list.push(Hit {
            signal,
            at,
            found: String::from_utf8_lossy(found).into_owned(),
            region,
        });
    }
}

/// Scans header values; `headers` names are lower-case.
pub fn scan_headers(headers: &[(String, String)], hits: &mut Hits) {
    let m = matcher();
    for &(ri, si) in &m.presence {
        let s = &RULES[ri as usize].signals[si as usize];
        if let Some(i) = headers
            .iter()
            .position(|(n, _)| Some(n.as_str()) == s.header)
        {
            let found = format!(
                "{}: {}",
                headers[i].0,
                crate::text::shorten(&headers[i].1, 80)
            );
            hits.record((ri, si), i, found.as_bytes(), Region::Header(i));
        }
    }
    let Some(ac) = &m.ac else { return };
    for (hi, (name, value)) in headers.iter().enumerate() {
        for mat in ac.find_overlapping_iter(value.as_bytes()) {
            for &(ri, si) in &m.owners[mat.pattern().as_usize()] {
                let s = &RULES[ri as usize].signals[si as usize];
                if s.place == Place::Header && s.header == Some(name.as_str()) {
                    let found = format!("{name}: {}", crate::text::shorten(value, 80));
                    hits.record((ri, si), hi, found.as_bytes(), Region::Header(hi));
                }
            }
        }
    }
}

/// Scans a body or text region whose first byte is at offset `base` of the whole region.
/// `accept` decides which places count here, given the match's start and end offsets.
pub fn scan(
    region: Region,
    bytes: &[u8],
    base: usize,
    hits: &mut Hits,
    accept: &dyn Fn(Place, usize, usize) -> bool,
) {
    let m = matcher();
    let Some(ac) = &m.ac else { return };
    for mat in ac.find_overlapping_iter(bytes) {
        let (start, end) = (base + mat.start(), base + mat.end());
        for &(ri, si) in &m.owners[mat.pattern().as_usize()] {
            let s = &RULES[ri as usize].signals[si as usize];
            let found = &bytes[mat.start()..mat.end()];
            if s.place != Place::Header
                && (!s.exact_case || found == s.pattern.as_bytes())
                && accept(s.place, start, end)
            {
                hits.record((ri, si), start, found, region);
            }
        }
    }
}
