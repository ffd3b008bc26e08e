//! A small Aho-Corasick automaton (trie, failure links, merged outputs) for ASCII
//! case-insensitive, overlapping search: the matcher used in WebAssembly.
//!
//! The `aho-corasick` crate's DFA scans fastest, but building it takes some 140 ms in a
//! fresh wasm instance (V8 runs that one long call in its baseline tier), on every page load
//! of the site and every wake-up of an extension worker; its builders also weigh about 60 KB
//! of wasm. This automaton builds in about a millisecond from the same literals, scans a
//! paste fast enough, and reports exactly the matches `aho-corasick` reports, in the same
//! order: per end position, a state's own pattern first, then its failure state's (proven
//! against the crate on every fixture and rule example in `tests`).

/// The automaton. State 0 is the root. (Natively it is built only by the test that proves
/// it equal to `aho-corasick`.)
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub struct Nfa {
    /// The root's transitions, dense (0: stay at the root).
    root: [u32; 256],
    /// Per state, its edges `edge_byte[first_edge[s]..first_edge[s + 1]]`, sorted by byte.
    first_edge: Vec<u32>,
    edge_byte: Vec<u8>,
    edge_to: Vec<u32>,
    fail: Vec<u32>,
    /// Per state, the patterns that end there: `out[first_out[s]..first_out[s + 1]]`.
    first_out: Vec<u32>,
    out: Vec<u32>,
    pattern_len: Vec<u32>,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Nfa {
    /// Builds the automaton over `patterns`, which must be lower-case ASCII-wise (the
    /// haystack is lower-cased byte by byte as it is scanned). Pattern ids are indices.
    pub fn new(patterns: &[String]) -> Nfa {
        // The trie, children as small unsorted lists.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (id, p) in patterns.iter().enumerate() {
            let mut s = 0usize;
            for &b in p.as_bytes() {
                s = match children[s].iter().find(|(c, _)| *c == b) {
                    Some(&(_, t)) => t as usize,
                    None => {
                        let t = children.len();
                        children.push(Vec::new());
                        own.push(Vec::new());
                        children[s].push((b, t as u32));
                        t
                    }
                };
            }
            own[s].push(id as u32);
        }
        let n = children.len();
        let mut root = [0u32; 256];
        for &(b, t) in &children[0] {
            root[b as usize] = t;
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
        for &(_, t) in &children[0] {
            queue.push_back(t);
            outs[t as usize].clone_from(&own[t as usize]);
        }
        while let Some(s) = queue.pop_front() {
            for &(b, t) in &children[s as usize] {
                let mut f = nfa.fail[s as usize];
                let target = loop {
                    match nfa.next(f, b) {
                        Some(g) => break g,
                        None if f == 0 => break 0,
                        None => f = nfa.fail[f as usize],
                    }
                };
                nfa.fail[t as usize] = target;
                let mut o = own[t as usize].clone();
                o.extend_from_slice(&outs[target as usize]);
                outs[t as usize] = o;
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
            return match self.root[b as usize] {
                0 => None,
                t => Some(t),
            };
        }
        let (a, z) = (
            self.first_edge[s as usize] as usize,
            self.first_edge[s as usize + 1] as usize,
        );
        let bytes = &self.edge_byte[a..z];
        // Most states have one or two edges.
        bytes
            .iter()
            .position(|&c| c == b)
            .map(|i| self.edge_to[a + i])
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
                s = self.fail[s as usize];
            };
            let (a, z) = (
                self.first_out[s as usize] as usize,
                self.first_out[s as usize + 1] as usize,
            );
            for &p in &self.out[a..z] {
                let end = i + 1;
                found(p as usize, end - self.pattern_len[p as usize] as usize, end);
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
        let pats: Vec<String> = ["bad gateway", "502 bad gateway", "gate", "a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
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
        let nfa = Nfa::new(&["x".to_string()]);
        assert!(all(&nfa, "").is_empty());
    }
}
