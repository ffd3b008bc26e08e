//! A small Aho-Corasick automaton (trie, failure links, merged outputs) for ASCII
//! case-insensitive, overlapping search: the matcher used in WebAssembly.
//!
//! Natively the matcher reads a full DFA generated at compile time (`build/matcher_gen.rs`).
//! In wasm every byte counts: the site's first load has a budget, and generated tables cost
//! about 16 KB gzip there, while this automaton is built from the rules' own literals in
//! about a millisecond on first use. It reports exactly the matches `aho-corasick` reports,
//! in the same order: per end position, a state's own literal first, then its failure
//! state's (proven against the crate on every fixture in `matcher.rs`'s tests).

/// The automaton. State 0 is the root.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub struct Nfa {
    /// The root's transitions, dense (0: stay at the root).
    root: [u32; 256],
    /// Per state, its edges `edge_byte[first_edge[s]..first_edge[s + 1]]`, sorted by byte.
    first_edge: Vec<u32>,
    edge_byte: Vec<u8>,
    edge_to: Vec<u32>,
    fail: Vec<u32>,
    /// Per state, the literals that end there: `out[first_out[s]..first_out[s + 1]]`.
    first_out: Vec<u32>,
    out: Vec<u32>,
    pattern_len: Vec<u32>,
}

/// `v[i]` for a state or literal index the automaton made itself (0 if it were missing).
fn at(v: &[u32], i: usize) -> u32 {
    v.get(i).copied().unwrap_or(0)
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Nfa {
    /// Builds the automaton over `patterns`, which must be lower-case ASCII-wise (the
    /// haystack is lower-cased byte by byte as it is scanned). Pattern ids are indices.
    pub fn new(patterns: &[&[u8]]) -> Nfa {
        // The trie, children as small unsorted lists.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (id, p) in patterns.iter().enumerate() {
            let mut s = 0usize;
            for &b in p.iter() {
                let found = children
                    .get(s)
                    .and_then(|c| c.iter().find(|(k, _)| *k == b))
                    .map(|&(_, t)| t as usize);
                s = match found {
                    Some(t) => t,
                    None => {
                        let t = children.len();
                        children.push(Vec::new());
                        own.push(Vec::new());
                        if let Some(c) = children.get_mut(s) {
                            c.push((b, t as u32));
                        }
                        t
                    }
                };
            }
            if let Some(o) = own.get_mut(s) {
                o.push(id as u32);
            }
        }
        let n = children.len();
        let mut root = [0u32; 256];
        for &(b, t) in children.first().map_or(&[][..], Vec::as_slice) {
            if let Some(r) = root.get_mut(usize::from(b)) {
                *r = t;
            }
        }
        for c in &mut children {
            c.sort_unstable_by_key(|&(b, _)| b);
        }
        let mut first_edge = Vec::with_capacity(n + 1);
        let mut edge_byte = Vec::with_capacity(n);
        let mut edge_to = Vec::with_capacity(n);
        for c in &children {
            first_edge.push(edge_byte.len() as u32);
            for &(b, t) in c {
                edge_byte.push(b);
                edge_to.push(t);
            }
        }
        first_edge.push(edge_byte.len() as u32);

        let mut nfa = Nfa {
            root,
            first_edge,
            edge_byte,
            edge_to,
            fail: vec![0; n],
            first_out: Vec::new(),
            out: Vec::new(),
            pattern_len: patterns.iter().map(|p| p.len() as u32).collect(),
        };
        // Failure links and merged outputs, breadth first (a state's failure state is
        // shallower, so it is complete when the state is reached).
        let mut outs: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut queue = std::collections::VecDeque::with_capacity(n);
        queue.push_back(0u32);
        while let Some(s) = queue.pop_front() {
            let kids = children.get(s as usize).cloned().unwrap_or_default();
            for (b, t) in kids {
                let target = if s == 0 {
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
                if let Some(slot) = nfa.fail.get_mut(t as usize) {
                    *slot = target;
                }
                let mut o = own.get(t as usize).cloned().unwrap_or_default();
                o.extend_from_slice(outs.get(target as usize).map_or(&[][..], Vec::as_slice));
                if let Some(slot) = outs.get_mut(t as usize) {
                    *slot = o;
                }
                queue.push_back(t);
            }
        }
        nfa.first_out.reserve(n + 1);
        for o in &outs {
            nfa.first_out.push(nfa.out.len() as u32);
            nfa.out.extend_from_slice(o);
        }
        nfa.first_out.push(nfa.out.len() as u32);
        nfa
    }

    /// The goto function: the root's dense row, or a state's sorted edges.
    #[inline]
    fn next(&self, s: u32, b: u8) -> Option<u32> {
        if s == 0 {
            return match self.root.get(usize::from(b)).copied().unwrap_or(0) {
                0 => None,
                t => Some(t),
            };
        }
        let a = at(&self.first_edge, s as usize) as usize;
        let z = at(&self.first_edge, s as usize + 1) as usize;
        let bytes = self.edge_byte.get(a..z)?;
        // Most states have one or two edges.
        bytes
            .iter()
            .position(|&c| c == b)
            .map(|i| at(&self.edge_to, a + i))
    }

    /// Calls `found(pattern, start, end)` for every occurrence of every pattern, overlapping,
    /// ASCII case-insensitively, in order of end position.
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
            let a = at(&self.first_out, s as usize) as usize;
            let z = at(&self.first_out, s as usize + 1) as usize;
            for &p in self.out.get(a..z).unwrap_or_default() {
                let end = i + 1;
                let len = at(&self.pattern_len, p as usize) as usize;
                found(p as usize, end.saturating_sub(len), end);
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
