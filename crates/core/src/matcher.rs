//! One multi-pattern automaton over every rule's literal signals.
//!
//! The automaton is generated at compile time (`build/matcher_gen.rs`) as read-only tables:
//! nothing is built when a process starts or a page loads. Each region of the input (header
//! values, raw body, visible text) is scanned in a single forward pass. A hit is recorded
//! once per (rule, signal): hostile input repeating a pattern millions of times costs time
//! linear in its size and memory proportional to the number of signals.
//!
//! Natively every state has a dense row (a full DFA: one table load per byte). In wasm,
//! where the site's first load has a size budget and a fresh instance runs unoptimised code,
//! the literals are found by their last four bytes (`suffix.rs`, a few KB of generated
//! tables, nothing built at run time). A test proves both report exactly what the
//! `aho-corasick` crate reports.

// The generated table's reader is native-only; wasm uses `suffix.rs`.
#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_macros))]

use crate::rules::{Place, RULES};

#[allow(dead_code, clippy::unreadable_literal)]
pub(crate) mod generated {
    include!(concat!(env!("OUT_DIR"), "/matcher_gen.rs"));
}
use generated::{FIRST_SIGNAL, LITERAL_LEN, OWNERS, OWNERS_START, PRESENCE};

/// Bit 15 of a dense entry: the target state reports a match.
const MATCH: u16 = 1 << 15;
/// `FLAGS` bits: the state has children (the first is the next state); the state or its
/// failure chain ends a literal; the state itself ends one.
const HAS_CHILD: u8 = 1;
const OUT: u8 = 2;
const OWN: u8 = 4;
/// In `FAIL` of a deep state: the failure state is the root's transition on its label.
const FAIL_BY_LABEL: u16 = u16::MAX;

/// One generated layout of the automaton (see `build/matcher_gen.rs`).
struct Table {
    classes: &'static [u8; 256],
    stride: usize,
    dense_states: usize,
    dense: &'static [u16],
    label: &'static [u8],
    sibling: &'static [u16],
    fail: &'static [u16],
    flags: &'static [u8],
    ends: &'static [(u16, u16)],
}

macro_rules! table {
    ($m:ident) => {
        Table {
            classes: &generated::$m::CLASSES,
            stride: generated::$m::STRIDE,
            dense_states: generated::$m::DENSE_STATES,
            dense: &generated::$m::DENSE,
            label: &generated::$m::LABEL,
            sibling: &generated::$m::SIBLING,
            fail: &generated::$m::FAIL,
            flags: &generated::$m::FLAGS,
            ends: &generated::$m::ENDS,
        }
    };
}

#[cfg(not(target_arch = "wasm32"))]
static AUTOMATON: Table = table!(full);

/// Every occurrence of every literal in `bytes` (literal id, start, end), overlapping, in
/// order of end position.
#[cfg(not(target_arch = "wasm32"))]
fn each_match(bytes: &[u8], found: impl FnMut(usize, usize, usize)) {
    AUTOMATON.for_each_match(bytes, found);
}

#[cfg(target_arch = "wasm32")]
fn each_match(bytes: &[u8], found: impl FnMut(usize, usize, usize)) {
    crate::suffix::for_each_match(bytes, literal, found);
}

/// Literal `p`'s bytes, from the first signal that uses it (any case).
#[cfg(any(target_arch = "wasm32", test))]
fn literal(p: usize) -> &'static [u8] {
    owners(p)
        .first()
        .and_then(|&r| signal_of(r))
        .map_or(&[], |s| s.pattern.as_bytes())
}

/// Haystacks at least this long are scanned in [`LANES`] interleaved lanes.
const LANE_MIN_HAYSTACK: usize = 4 * 1024;
/// Independent lanes scanned in lockstep. One lane is bound by the latency of one dependent
/// table load per byte; interleaving lanes keeps several loads in flight at once.
const LANES: usize = 4; // the lockstep loop names its four lanes
/// Bytes per lane per round: a round's matches (of all but its first lane) are held until
/// the lanes before theirs are done, so this bounds that buffer.
const LANE_BLOCK: usize = 16 * 1024;

/// A match: literal id, start, end.
type Match = (usize, usize, usize);

/// One lane of a round: it reads `haystack[from..to]` and reports the matches ending past
/// `part`.
#[derive(Debug, Clone, Copy)]
struct Lane {
    from: usize,
    part: usize,
    to: usize,
    state: usize,
}

impl Table {
    /// Calls `found(literal, start, end)` for every occurrence of every literal, overlapping,
    /// ASCII case-insensitively, in order of end position (at one end: the longest first).
    ///
    /// A long haystack is cut, a round of `LANES * LANE_BLOCK` bytes at a time, into lanes
    /// scanned in lockstep. Every lane but a round's first starts from the root
    /// `max_literal_len` bytes before its own part: after reading that many bytes the
    /// automaton is in the state it would have reached from the haystack's start (a state
    /// is the longest suffix read that begins a literal, and no literal is longer), so
    /// matches ending inside the lane's part are exactly the ones a single pass finds.
    /// The first lane carries the state over from the round before.
    fn for_each_match(&self, haystack: &[u8], found: impl FnMut(usize, usize, usize)) {
        // Natively every state has a dense row: the step needs no test for a deep state.
        if self.dense_states == self.flags.len() {
            self.lanes::<true>(haystack, found);
        } else {
            self.lanes::<false>(haystack, found);
        }
    }

    /// [`Table::for_each_match`]; `DENSE`: every state has a dense row.
    fn lanes<const DENSE: bool>(
        &self,
        haystack: &[u8],
        mut found: impl FnMut(usize, usize, usize),
    ) {
        if haystack.len() < LANE_MIN_HAYSTACK {
            self.scan_from::<DENSE>(haystack, 0, haystack.len(), 0, 0, &mut found);
            return;
        }
        let overlap = usize::from(LITERAL_LEN.iter().copied().max().unwrap_or(0));
        let mut held: [Vec<Match>; LANES] = Default::default();
        let mut state = 0usize;
        let mut at = 0usize;
        while at < haystack.len() {
            let end = haystack.len().min(at + LANES * LANE_BLOCK);
            let lane_len = (end - at).div_ceil(LANES);
            if lane_len <= overlap {
                state = self.scan_from::<DENSE>(haystack, at, end, state, at, &mut found);
                at = end;
                continue;
            }
            // Lane k reports the matches ending in (part, to] and reads from `from`.
            let mut lanes: [Lane; LANES] = std::array::from_fn(|k| {
                let part = (at + k * lane_len).min(end);
                Lane {
                    from: if k == 0 {
                        at
                    } else {
                        part.saturating_sub(overlap)
                    },
                    part,
                    to: (part + lane_len).min(end),
                    state: if k == 0 { state } else { 0 },
                }
            });
            let steps = lanes
                .iter()
                .map(|l| l.to.saturating_sub(l.from))
                .min()
                .unwrap_or(0);
            let [b0, b1, b2, b3] =
                lanes.map(|l| haystack.get(l.from..l.from + steps).unwrap_or_default());
            let [mut s0, mut s1, mut s2, mut s3] = lanes.map(|l| l.state);
            let bytes = b0.iter().zip(b1).zip(b2).zip(b3);
            for (i, (((&c0, &c1), &c2), &c3)) in bytes.enumerate() {
                let t = [
                    self.step::<DENSE>(s0, c0),
                    self.step::<DENSE>(s1, c1),
                    self.step::<DENSE>(s2, c2),
                    self.step::<DENSE>(s3, c3),
                ];
                let [t0, t1, t2, t3] = t;
                s0 = usize::from(t0 & !MATCH);
                s1 = usize::from(t1 & !MATCH);
                s2 = usize::from(t2 & !MATCH);
                s3 = usize::from(t3 & !MATCH);
                if (t0 | t1 | t2 | t3) & MATCH != 0 {
                    for (k, (lane, t)) in lanes.iter().zip(t).enumerate() {
                        let pos = lane.from + i;
                        if t & MATCH == 0 || pos < lane.part {
                            continue;
                        }
                        let s = usize::from(t & !MATCH);
                        if k == 0 {
                            self.report(s, pos + 1, &mut found);
                        } else if let Some(h) = held.get_mut(k) {
                            self.report(s, pos + 1, &mut |p, s, e| h.push((p, s, e)));
                        }
                    }
                }
            }
            for (lane, s) in lanes.iter_mut().zip([s0, s1, s2, s3]) {
                lane.state = s;
            }
            // Each lane's rest, in order; the lanes after the first were held.
            for (k, lane) in lanes.iter().enumerate() {
                let (from, part, to) = (lane.from + steps, lane.part, lane.to);
                match held.get_mut(k) {
                    Some(h) if k > 0 => {
                        state = self.scan_from::<DENSE>(
                            haystack,
                            from,
                            to,
                            lane.state,
                            part,
                            &mut |p, s, e| h.push((p, s, e)),
                        );
                        for (p, s, e) in h.drain(..) {
                            found(p, s, e);
                        }
                    }
                    _ => {
                        state = self
                            .scan_from::<DENSE>(haystack, from, to, lane.state, part, &mut found);
                    }
                }
            }
            at = end;
        }
    }

    /// Scans `haystack[from..to]` from state `s`, reporting the matches that end past
    /// `report_from`; returns the state reached.
    #[inline]
    fn scan_from<const DENSE: bool>(
        &self,
        haystack: &[u8],
        from: usize,
        to: usize,
        mut s: usize,
        report_from: usize,
        found: &mut impl FnMut(usize, usize, usize),
    ) -> usize {
        let bytes = haystack.get(from..to).unwrap_or_default();
        for (i, &b) in bytes.iter().enumerate() {
            let t = self.step::<DENSE>(s, b);
            s = usize::from(t & !MATCH);
            if t & MATCH != 0 && from + i >= report_from {
                self.report(s, from + i + 1, found);
            }
        }
        s
    }

    /// The transition from state `s` on byte `b`: the next state, with [`MATCH`] set when
    /// it ends a literal. `DENSE`: every state has a dense row (a state without one would
    /// read as a transition to the root, never out of bounds).
    #[inline(always)]
    fn step<const DENSE: bool>(&self, s: usize, b: u8) -> u16 {
        let c = usize::from(self.classes.get(usize::from(b)).copied().unwrap_or(0));
        if DENSE || s < self.dense_states {
            self.dense.get(s * self.stride + c).copied().unwrap_or(0)
        } else {
            self.deep_next(s, c)
        }
    }

    /// The transition from a state without a dense row: its child on `class`, else its
    /// failure state's transition (failure states are shallower, so this ends at a dense
    /// row).
    #[inline(never)]
    fn deep_next(&self, mut s: usize, class: usize) -> u16 {
        loop {
            if s < self.dense_states {
                return self
                    .dense
                    .get(s * self.stride + class)
                    .copied()
                    .unwrap_or(0);
            }
            let flags = self.flags.get(s).copied().unwrap_or(0);
            if flags & HAS_CHILD != 0 {
                let mut k = s + 1;
                while let Some(d) = k.checked_sub(self.dense_states) {
                    if self.label.get(d).is_some_and(|&l| usize::from(l) == class) {
                        let out = self.flags.get(k).is_some_and(|f| f & OUT != 0);
                        return k as u16 | if out { MATCH } else { 0 };
                    }
                    match self.sibling.get(d) {
                        Some(&n) if n != 0 => k = usize::from(n),
                        _ => break,
                    }
                }
            }
            // The failure state is shallower (the generator builds it so).
            s = self.fail_of(s);
        }
    }

    /// The failure state of `s`.
    fn fail_of(&self, s: usize) -> usize {
        match self.fail.get(s).copied().unwrap_or(0) {
            FAIL_BY_LABEL => {
                let class = s
                    .checked_sub(self.dense_states)
                    .and_then(|d| self.label.get(d))
                    .map_or(0, |&l| usize::from(l));
                // The root's dense row is the first.
                usize::from(self.dense.get(class).copied().unwrap_or(0) & !MATCH)
            }
            f => usize::from(f),
        }
    }

    /// The literals ending at `end` in state `s`: its own, then its failure chain's.
    #[inline(never)]
    fn report(&self, mut s: usize, end: usize, found: &mut impl FnMut(usize, usize, usize)) {
        loop {
            let flags = self.flags.get(s).copied().unwrap_or(0);
            if flags & OUT == 0 {
                return;
            }
            if flags & OWN != 0
                && let Ok(i) = self.ends.binary_search_by_key(&(s as u16), |&(st, _)| st)
                && let Some(&(_, p)) = self.ends.get(i)
            {
                let len = LITERAL_LEN.get(usize::from(p)).copied().unwrap_or(0);
                found(usize::from(p), end.saturating_sub(usize::from(len)), end);
            }
            if s == 0 {
                return;
            }
            s = self.fail_of(s);
        }
    }
}

/// Index of a signal: (rule index, signal index within the rule).
pub type SignalRef = (u16, u16);

/// The signals that use literal `p`.
fn owners(p: usize) -> &'static [SignalRef] {
    let a = OWNERS_START.get(p).copied().unwrap_or(0);
    let z = OWNERS_START.get(p + 1).copied().unwrap_or(0);
    OWNERS.get(usize::from(a)..usize::from(z)).unwrap_or(&[])
}

fn signal_of((ri, si): SignalRef) -> Option<&'static crate::rules::Signal> {
    RULES.get(usize::from(ri))?.signals.get(usize::from(si))
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
    /// One slot per signal (see `FIRST_SIGNAL`).
    seen: Vec<bool>,
    pub list: Vec<Hit>,
}

impl Hits {
    pub fn new() -> Self {
        Hits {
            seen: vec![false; usize::from(FIRST_SIGNAL.last().copied().unwrap_or(0))],
            list: Vec::new(),
        }
    }

    fn record(&mut self, signal: SignalRef, at: usize, found: &[u8], region: Region) {
        let idx = FIRST_SIGNAL
            .get(usize::from(signal.0))
            .map(|&f| usize::from(f) + usize::from(signal.1));
        let Some(seen) = idx.and_then(|i| self.seen.get_mut(i)) else {
            return;
        };
        if *seen {
            return;
        }
        *seen = true;
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
    for &r in &PRESENCE {
        let Some(s) = signal_of(r) else { continue };
        if let Some((i, (name, value))) = headers
            .iter()
            .enumerate()
            .find(|(_, (n, _))| Some(n.as_str()) == s.header)
        {
            let found = format!("{name}: {}", crate::text::shorten(value, 80));
            hits.record(r, i, found.as_bytes(), Region::Header(i));
        }
    }
    for (hi, (name, value)) in headers.iter().enumerate() {
        each_match(value.as_bytes(), |pid, _, _| {
            for &r in owners(pid) {
                let Some(s) = signal_of(r) else { continue };
                if s.place == Place::Header && s.header == Some(name.as_str()) {
                    let found = format!("{name}: {}", crate::text::shorten(value, 80));
                    hits.record(r, hi, found.as_bytes(), Region::Header(hi));
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
    each_match(bytes, |pid, mstart, mend| {
        let (start, end) = (base + mstart, base + mend);
        let found = bytes.get(mstart..mend).unwrap_or_default();
        for &r in owners(pid) {
            let Some(s) = signal_of(r) else { continue };
            if s.place != Place::Header
                && (!s.exact_case || found == s.pattern.as_bytes())
                && accept(s.place, start, end)
            {
                hits.record(r, start, found, region);
            }
        }
    });
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Every distinct lower-cased literal in `RULES` (ids by first use), the signals using
    /// each, and the header-presence signals: what the generator must have seen.
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

    /// The generator read the rule files the way `build.rs` compiled them into `RULES`.
    #[test]
    fn generated_literals_agree_with_rules() {
        let (patterns, owner_lists, presence) = literals();
        assert_eq!(LITERAL_LEN.len(), patterns.len());
        for (p, pattern) in patterns.iter().enumerate() {
            assert_eq!(usize::from(LITERAL_LEN[p]), pattern.len(), "{pattern:?}");
            assert_eq!(owners(p), owner_lists[p].as_slice(), "{pattern:?}");
        }
        assert_eq!(PRESENCE.as_slice(), presence.as_slice());
        let mut n = 0;
        for (ri, rule) in RULES.iter().enumerate() {
            assert_eq!(usize::from(FIRST_SIGNAL[ri]), n, "{}", rule.id);
            n += rule.signals.len();
        }
        assert_eq!(usize::from(FIRST_SIGNAL[RULES.len()]), n);
        assert_eq!(FIRST_SIGNAL.len(), RULES.len() + 1);
    }

    fn inputs(patterns: &[String]) -> Vec<Vec<u8>> {
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
        // Every literal, alternately upper- and lower-case, some run together (overlaps
        // across literals), then the same with every byte's case flipped.
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
        let flipped: Vec<u8> = all
            .bytes()
            .map(|b| {
                if b.is_ascii_lowercase() {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                }
            })
            .collect();
        inputs.push(all.into_bytes());
        inputs.push(flipped);
        // Bytes that only differ from a letter by the case bit must not match it.
        let mut near: Vec<u8> = Vec::new();
        for p in patterns {
            near.extend(
                p.bytes()
                    .map(|b| if b.is_ascii_alphabetic() { b } else { b ^ 0x20 }),
            );
            near.push(b' ');
        }
        inputs.push(near);
        // Long haystacks, scanned in interleaved lanes: every input so far run together
        // (several rounds of lanes, matches across every lane boundary), and cuts of it
        // around the lengths where lanes start and rounds end.
        let joined: Vec<u8> = inputs.concat();
        assert!(joined.len() > 4 * LANES * LANE_BLOCK, "{}", joined.len());
        for len in [
            LANE_MIN_HAYSTACK - 1,
            LANE_MIN_HAYSTACK,
            LANE_MIN_HAYSTACK + 7,
            LANES * LANE_BLOCK - 1,
            LANES * LANE_BLOCK + 1,
            LANES * LANE_BLOCK + 3 * LANES + 1,
            3 * LANES * LANE_BLOCK + 1000,
        ] {
            // Cut where the text is densest in matches: the literals run together.
            let start = joined.len() - len;
            inputs.push(joined[start..].to_vec());
        }
        inputs.push(joined);
        // The longest literal across every lane boundary: ending just before, at and just
        // after a boundary, starting at it and just before it (lanes and rounds all start
        // at multiples of 1 KiB in a haystack this long).
        let longest = patterns
            .iter()
            .max_by_key(|p| p.len())
            .map(|p| p.as_bytes().to_vec())
            .unwrap_or_default();
        let len = LANES * LANE_BLOCK + LANES * LANE_BLOCK / 2;
        let n = longest.len();
        for d in [0, 1, 2, n / 2, n - 2, n - 1, n, n + 1] {
            let mut h = vec![b'.'; len];
            for boundary in (1024..len).step_by(1024) {
                let start = boundary - d;
                h[start..start + longest.len()].copy_from_slice(&longest);
            }
            inputs.push(h);
        }
        inputs
    }

    /// Both generated layouts (the native full DFA and the wasm one) report exactly what
    /// `aho-corasick` reports, in the same order, on every fixture and on text made of
    /// every literal in mixed case.
    #[test]
    fn generated_automata_match_aho_corasick() {
        use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
        let (patterns, _, _) = literals();
        let Ok(ac) = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
        else {
            unreachable!("the rules' literals build an automaton")
        };
        let inputs = inputs(&patterns);
        let run_table = |input: &[u8], b: &mut Vec<(usize, usize, usize)>| {
            AUTOMATON.for_each_match(input, |p, s, e| b.push((p, s, e)));
        };
        let run_suffix = |input: &[u8], b: &mut Vec<(usize, usize, usize)>| {
            crate::suffix::for_each_match(input, literal, |p, s, e| b.push((p, s, e)));
        };
        type Run<'a> = &'a dyn Fn(&[u8], &mut Vec<(usize, usize, usize)>);
        for (name, run) in [
            ("full", &run_table as Run<'_>),
            ("suffix (wasm)", &run_suffix),
        ] {
            let mut total = 0;
            for input in &inputs {
                let a: Vec<(usize, usize, usize)> = ac
                    .find_overlapping_iter(input)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                    .collect();
                let mut b = Vec::new();
                run(input, &mut b);
                if a != b {
                    let i = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
                    panic!(
                        "the {name} automaton disagrees with aho-corasick on an input of {} \
                         bytes: {} matches against {}; first difference at match {i}: \
                         {:?} against {:?}",
                        input.len(),
                        b.len(),
                        a.len(),
                        b.get(i),
                        a.get(i)
                    );
                }
                total += a.len();
            }
            assert!(total > 1000, "the comparison saw matches: {total}");
        }
    }
}
