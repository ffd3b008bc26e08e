//! One multi-pattern automaton over every rule's literal signals.
//!
//! Built once (lazily) from [`crate::rules::RULES`]; each region of the input (header values,
//! raw body, visible text) is scanned in a single pass. A hit is recorded once per
//! (rule, signal): hostile input repeating a pattern millions of times costs time linear in
//! its size and memory proportional to the number of signals.

use crate::rules::{Place, RULES};
use std::sync::OnceLock;

/// The automaton: natively `aho-corasick`'s DFA (about 40 ms to build once per process, the
/// fastest scan); in wasm the small automaton of `nfa.rs`, which builds in a millisecond
/// where the DFA takes some 140 ms in a fresh page, and weighs far less.
#[cfg(not(target_arch = "wasm32"))]
type Automaton = aho_corasick::AhoCorasick;
#[cfg(target_arch = "wasm32")]
type Automaton = crate::nfa::Nfa;

#[cfg(not(target_arch = "wasm32"))]
fn automaton(patterns: &[String]) -> Option<Automaton> {
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
        .or_else(|_| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(patterns)
        })
        .ok()
}

#[cfg(target_arch = "wasm32")]
fn automaton(patterns: &[String]) -> Option<Automaton> {
    Some(crate::nfa::Nfa::new(patterns))
}

/// Every match (pattern id, start, end), overlapping, in order of end position.
#[cfg(not(target_arch = "wasm32"))]
fn each_match(a: &Automaton, bytes: &[u8], mut f: impl FnMut(usize, usize, usize)) {
    for m in a.find_overlapping_iter(bytes) {
        f(m.pattern().as_usize(), m.start(), m.end());
    }
}

#[cfg(target_arch = "wasm32")]
fn each_match(a: &Automaton, bytes: &[u8], f: impl FnMut(usize, usize, usize)) {
    a.for_each_match(bytes, f);
}

/// Index of a signal: (rule index, signal index within the rule).
pub type SignalRef = (u16, u16);

struct Matcher {
    ac: Option<Automaton>,
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

/// Every distinct lower-cased literal (pattern ids are indices), the signals that use each,
/// and the header-presence signals.
#[allow(clippy::type_complexity)]
fn literals() -> (Vec<String>, Vec<Vec<SignalRef>>, Vec<SignalRef>) {
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
    (patterns, owners, presence)
}

fn build() -> Matcher {
    let (patterns, owners, presence) = literals();
    let ac = automaton(&patterns);
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
        each_match(ac, value.as_bytes(), |pid, _, _| {
            for &(ri, si) in &m.owners[pid] {
                let s = &RULES[ri as usize].signals[si as usize];
                if s.place == Place::Header && s.header == Some(name.as_str()) {
                    let found = format!("{name}: {}", crate::text::shorten(value, 80));
                    hits.record((ri, si), hi, found.as_bytes(), Region::Header(hi));
                }
            }
        });
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
    each_match(ac, bytes, |pid, mstart, mend| {
        let (start, end) = (base + mstart, base + mend);
        for &(ri, si) in &m.owners[pid] {
            let s = &RULES[ri as usize].signals[si as usize];
            let found = &bytes[mstart..mend];
            if s.place != Place::Header
                && (!s.exact_case || found == s.pattern.as_bytes())
                && accept(s.place, start, end)
            {
                hits.record((ri, si), start, found, region);
            }
        }
    });
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The wasm matcher reports exactly what the native one reports, in the same order, on
    /// every fixture and on text made of every literal in mixed case.
    #[test]
    fn wasm_automaton_matches_aho_corasick() {
        let (patterns, _, _) = literals();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for source in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(source.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let p = f.path();
                if p.extension().is_some_and(|e| e != "toml" && e != "json") {
                    inputs.push(std::fs::read(&p).unwrap_or_default());
                }
            }
        }
        assert!(inputs.len() > 100, "fixtures found: {}", inputs.len());
        let mut all = String::new();
        for (i, p) in patterns.iter().enumerate() {
            let p = if i % 2 == 0 {
                p.to_ascii_uppercase()
            } else {
                p.clone()
            };
            all.push_str(&p);
            all.push_str(if i % 3 == 0 { "" } else { " x" });
        }
        inputs.push(all.into_bytes());
        let Some(ac) = automaton(&patterns) else {
            unreachable!("the rules' literals build an automaton")
        };
        let nfa = crate::nfa::Nfa::new(&patterns);
        let mut total = 0;
        for input in &inputs {
            let mut a = Vec::new();
            each_match(&ac, input, |p, s, e| a.push((p, s, e)));
            let mut b = Vec::new();
            nfa.for_each_match(input, |p, s, e| b.push((p, s, e)));
            assert_eq!(
                a,
                b,
                "the two automata disagree on an input of {} bytes",
                input.len()
            );
            total += a.len();
        }
        assert!(total > 1000, "the comparison saw matches: {total}");
    }
}
