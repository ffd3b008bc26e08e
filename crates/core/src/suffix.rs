//! The matcher used in WebAssembly: every literal found by its last four bytes.
//!
//! Natively the matcher reads a full DFA generated at compile time (`build/matcher_gen.rs`,
//! about 1.5 MB of table). In wasm every byte of the site's first load counts, and every
//! table or automaton built at run time lands on the first diagnosis of a fresh instance,
//! where V8 runs the code unoptimised: building even a small Aho-Corasick automaton there
//! took 14 ms. So the build script sorts the literals into buckets by a hash of their last
//! four (lower-cased) bytes, a few KB of static tables, and the scan keeps the last four
//! bytes it read as a number: at each position it looks up one bucket and compares the
//! (usually zero) literals in it backwards. Literals under four bytes are checked against
//! that number directly.
//!
//! It reports exactly the matches `aho-corasick` reports, in the same order: all literals
//! ending at one position are suffixes of the text read so far, so they have different
//! lengths and the same last four bytes; a bucket lists its literals longest first, which is
//! the automaton's order (a state's own literal, then its failure chain's). A test in
//! `matcher.rs` proves it on every fixture.
//!
//! Time is linear in the input: per position, the work is bounded by the total length of the
//! literals in one bucket (a few hundred bytes at worst), and a comparison stops at the
//! first byte that differs, reading backwards from the end, where the hash already agrees.

// Natively only the equivalence test in `matcher.rs` runs it.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use crate::matcher::generated::suffix::{BITS, IDS, MUL, SHORT, START};

/// The bucket of the literals whose last four lower-cased bytes are `key` (big-endian).
fn bucket(key: u32) -> usize {
    (key.wrapping_mul(MUL) >> (32 - BITS)) as usize
}

/// Whether `literal` ends `haystack` at `end`, ASCII case-insensitively.
fn ends_at(haystack: &[u8], end: usize, literal: &[u8]) -> bool {
    let Some(start) = end.checked_sub(literal.len()) else {
        return false;
    };
    match haystack.get(start..end) {
        Some(window) => window
            .iter()
            .rev()
            .zip(literal.iter().rev())
            .all(|(a, b)| a.eq_ignore_ascii_case(b)),
        None => false,
    }
}

/// Calls `found(literal, start, end)` for every occurrence of every literal in `haystack`,
/// overlapping, ASCII case-insensitively, in order of end position and, at one end, longest
/// first. `literal(id)` gives a literal's bytes (any case).
pub fn for_each_match(
    haystack: &[u8],
    literal: impl Fn(usize) -> &'static [u8],
    mut found: impl FnMut(usize, usize, usize),
) {
    let mut key = 0u32;
    for (i, &byte) in haystack.iter().enumerate() {
        key = (key << 8) | u32::from(byte.to_ascii_lowercase());
        let end = i + 1;
        if end >= 4 {
            let b = bucket(key);
            let lo = START.get(b).copied().unwrap_or(0);
            let hi = START.get(b + 1).copied().unwrap_or(0);
            for &id in IDS
                .get(usize::from(lo)..usize::from(hi))
                .unwrap_or_default()
            {
                let id = usize::from(id);
                let l = literal(id);
                if ends_at(haystack, end, l) {
                    found(id, end - l.len(), end);
                }
            }
        }
        for &(id, len, bytes) in &SHORT {
            let len = usize::from(len);
            // The key holds exactly the last `len` bytes, lower-cased, in its low bits.
            let mask = u32::MAX
                .checked_shr(32u32.saturating_sub(8 * len as u32))
                .unwrap_or(0);
            if end >= len && key & mask == bytes {
                found(usize::from(id), end - len, end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_ends_only_where_all_its_bytes_are() {
        assert!(ends_at(b"HTTP 502 Bad Gateway", 20, b"bad gateway"));
        assert!(!ends_at(b"HTTP 502 Bad Gateway", 19, b"bad gateway"));
        assert!(
            !ends_at(b"Gateway", 7, b"bad gateway"),
            "longer than the text"
        );
        assert!(!ends_at(b"Gateway", 99, b"gateway"), "past the end");
    }

    /// The linear-time bound: at one position the scan compares at most the literals of one
    /// bucket, each at most its length. Hostile text repeating the four bytes that end the
    /// fullest bucket's literals costs this much per byte, no more.
    #[test]
    fn work_per_position_is_bounded() {
        use crate::matcher::generated::LITERAL_LEN;
        let worst = START
            .windows(2)
            .map(|w| {
                IDS.get(usize::from(w[0])..usize::from(w[1]))
                    .unwrap_or_default()
                    .iter()
                    .map(|&id| usize::from(LITERAL_LEN[usize::from(id)]))
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0);
        assert!(
            worst <= 2048,
            "one bucket holds {worst} bytes of literals: hostile text repeating its last four \
             bytes would cost that many comparisons per byte; spread the buckets (more BITS)"
        );
        assert!(
            SHORT.len() <= 8,
            "every short literal is checked at every position"
        );
    }

    #[test]
    fn buckets_are_in_range() {
        for key in [0, 1, u32::MAX, 0x6e67_696e] {
            assert!(bucket(key) + 1 < START.len());
        }
    }
}
