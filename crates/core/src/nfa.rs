//! A small Aho-Corasick automaton (trie, failure links, merged outputs) for ASCII
//! case-insensitive, overlapping search: the matcher used in WebAssembly.
//!
//! Natively the matcher reads a full DFA generated at compile time (`build/matcher_gen.rs`).
//! In wasm every byte counts: the site's first load has a budget, and generated tables cost
//! about 16 KB gzip there, while this automaton is built from the rules' own literals in
//! about a millisecond on first use. It reports exactly the matches `aho-corasick` reports,
//! in the same order: per end position, a state's own literal first, then its failure
//! state's (proven against the crate on every fixture in `matcher.rs`'s tests).

/// The automaton. State 0 is the root. States are numbered in the trie's depth-first order,
/// which building from the sorted literals gives for free: no per-state allocation, so the
/// first page a fresh wasm instance diagnoses does not wait for thousands of small vectors.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub struct Nfa {
    /// The root's transitions, dense (0: stay at the root).
    root: [u32; 256],
    /// Per state: the byte on the edge into it, its first child and next sibling (0: none;
    /// siblings are in ascending byte order), its failure state, and the nearest state on
    /// its failure chain that ends a literal (0: none).
    byte: Vec<u8>,
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    fail: Vec<u32>,
    dict: Vec<u32>,
    /// Per state, the literals ending there: `order[own_lo[s]..own_hi[s]]` (equal literals
    /// are neighbours in sorted order).
    own_lo: Vec<u32>,
    own_hi: Vec<u32>,
    /// Literal ids sorted by their bytes (stable: equal literals keep id order).
    order: Vec<u32>,
    pattern_len: Vec<u32>,
}

/// `v[i]` for a state or literal index the automaton made itself (0 if it were missing).
fn at(v: &[u32], i: usize) -> u32 {
    v.get(i).copied().unwrap_or(0)
}

fn set(v: &mut [u32], i: usize, x: u32) {
    if let Some(slot) = v.get_mut(i) {
        *slot = x;
    }
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Nfa {
    /// Builds the automaton over `patterns`, which must be lower-case ASCII-wise (the
    /// haystack is lower-cased byte by byte as it is scanned). Pattern ids are indices.
    pub fn new(patterns: &[&[u8]]) -> Nfa {
        let pat = |id: u32| patterns.get(id as usize).copied().unwrap_or_default();
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_by(|&a, &b| pat(a).cmp(pat(b)));
        let total: usize = patterns.iter().map(|p| p.len()).sum::<usize>() + 1;
        let mut nfa = Nfa {
            root: [0; 256],
            byte: Vec::with_capacity(total),
            first_child: Vec::with_capacity(total),
            next_sibling: Vec::with_capacity(total),
            fail: Vec::new(),
            dict: Vec::new(),
            own_lo: Vec::with_capacity(total),
            own_hi: Vec::with_capacity(total),
            order: Vec::new(),
            pattern_len: patterns.iter().map(|p| p.len() as u32).collect(),
        };
        nfa.push_state(0);
        // The trie, one sorted literal after the other: `path[d]` is the state at depth d of
        // the previous literal, so a new literal shares the path up to the common prefix and
        // its first new state is the last child of the state where they part.
        let mut path: Vec<u32> = vec![0];
        let mut prev: &[u8] = &[];
        for (k, &id) in order.iter().enumerate() {
            let p = pat(id);
            let lcp = prev.iter().zip(p).take_while(|(a, b)| a == b).count();
            let last_child = path.get(lcp + 1).copied();
            path.truncate(lcp + 1);
            for (d, &b) in p.iter().enumerate().skip(lcp) {
                let parent = at(&path, d);
                let t = nfa.push_state(b);
                if d == lcp
                    && let Some(older) = last_child
                {
                    set(&mut nfa.next_sibling, older as usize, t);
                } else {
                    set(&mut nfa.first_child, parent as usize, t);
                }
                if parent == 0
                    && let Some(r) = nfa.root.get_mut(usize::from(b))
                {
                    *r = t;
                }
                path.push(t);
            }
            let end = at(&path, p.len()) as usize;
            // The root ends no literal (an empty one is never reported).
            if end != 0 {
                if at(&nfa.own_lo, end) == at(&nfa.own_hi, end) {
                    set(&mut nfa.own_lo, end, k as u32);
                }
                set(&mut nfa.own_hi, end, k as u32 + 1);
            }
            prev = p;
        }
        nfa.order = order;

        // Failure links and dictionary links, breadth first: a state's failure state is
        // shallower, so its links are complete when the state is reached.
        let n = nfa.byte.len();
        nfa.fail = vec![0; n];
        nfa.dict = vec![0; n];
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        queue.push(0);
        let mut head = 0;
        while let Some(&s) = queue.get(head) {
            head += 1;
            let mut t = at(&nfa.first_child, s as usize);
            while t != 0 {
                let b = nfa.byte.get(t as usize).copied().unwrap_or(0);
                let f = if s == 0 {
                    0
                } else {
                    let mut f = at(&nfa.fail, s as usize);
                    loop {
                        match nfa.next(f, b) {
                            Some(g) => break g,
                            None if f == 0 => break 0,
                            None => f = at(&nfa.fail, f as usize),
                        }
                    }
                };
                set(&mut nfa.fail, t as usize, f);
                let d = if nfa.owns(f) {
                    f
                } else {
                    at(&nfa.dict, f as usize)
                };
                set(&mut nfa.dict, t as usize, d);
                queue.push(t);
                t = at(&nfa.next_sibling, t as usize);
            }
        }
        nfa
    }

    fn push_state(&mut self, b: u8) -> u32 {
        let t = self.byte.len() as u32;
        self.byte.push(b);
        self.first_child.push(0);
        self.next_sibling.push(0);
        self.own_lo.push(0);
        self.own_hi.push(0);
        t
    }

    /// Whether a literal ends at state `s` itself.
    fn owns(&self, s: u32) -> bool {
        s != 0 && at(&self.own_lo, s as usize) != at(&self.own_hi, s as usize)
    }

    /// The goto function: the root's dense row, or a walk of the state's sorted children.
    #[inline]
    fn next(&self, s: u32, b: u8) -> Option<u32> {
        if s == 0 {
            return match self.root.get(usize::from(b)).copied().unwrap_or(0) {
                0 => None,
                t => Some(t),
            };
        }
        let mut t = at(&self.first_child, s as usize);
        while t != 0 {
            let c = self.byte.get(t as usize).copied().unwrap_or(0);
            if c == b {
                return Some(t);
            }
            if c > b {
                return None;
            }
            t = at(&self.next_sibling, t as usize);
        }
        None
    }

    /// Calls `found(pattern, start, end)` for every occurrence of every pattern, overlapping,
    /// ASCII case-insensitively, in order of end position (at one end: the state's own
    /// literals first, then those of its failure chain, longest first).
    pub fn for_each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut s = 0u32;
        for (i, &byte) in haystack.iter().enumerate() {
            let b = byte.to_ascii_lowercase();
            s = loop {
                if let Some(t) = self.next(s, b) {
                    break t;
                }
                if s == 0 {
                    break 0;
                }
                s = at(&self.fail, s as usize);
            };
            let mut o = if self.owns(s) {
                s
            } else {
                at(&self.dict, s as usize)
            };
            while o != 0 {
                let lo = at(&self.own_lo, o as usize) as usize;
                let hi = at(&self.own_hi, o as usize) as usize;
                for &p in self.order.get(lo..hi).unwrap_or_default() {
                    let end = i + 1;
                    let len = at(&self.pattern_len, p as usize) as usize;
                    found(p as usize, end.saturating_sub(len), end);
                }
                o = at(&self.dict, o as usize);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(nfa: &Nfa, hay: &str) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        nfa.for_each_match(hay.as_bytes(), |p, s, e| v.push((p, s, e)));
        v
    }

    #[test]
    fn overlapping_case_insensitive_with_suffixes() {
        let pats: [&[u8]; 4] = [b"bad gateway", b"502 bad gateway", b"gate", b"a"];
        let nfa = Nfa::new(&pats);
        let got = all(&nfa, "HTTP 502 Bad Gateway");
        // Each occurrence once; at the same end, the longer pattern (the state's own) first.
        assert_eq!(
            got,
            vec![
                (3, 10, 11),
                (3, 14, 15),
                (2, 13, 17),
                (3, 18, 19),
                (1, 5, 20),
                (0, 9, 20)
            ]
        );
    }

    #[test]
    fn empty_inputs() {
        let nfa = Nfa::new(&[]);
        assert!(all(&nfa, "anything").is_empty());
        let nfa = Nfa::new(&[b"x"]);
        assert!(all(&nfa, "").is_empty());
    }
}
