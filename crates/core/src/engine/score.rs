//! Stage 2, score: per rule, how strongly the hits say it wrote the page (author) and that
//! it was on the path (header); the signature author and the product headers alone name.

use super::scan::Found;
use crate::model::Category;
use crate::rules::{Place, RULES, Rule};

/// Authorship score at which a product is said to have written the page.
pub(super) const AUTHOR_THRESHOLD: f32 = 0.5;

/// Weight from which a signal is a string only its product writes (docs/rules.md).
const DISTINCTIVE: u8 = 80;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Score {
    /// From body, text, title and log signals: the product wrote what was pasted.
    pub author: f32,
    /// From header signals: the product was on the path.
    pub header: f32,
    /// From generic whole-text phrases (`Bad Gateway`) with nothing else of the product's
    /// to back them: it may have written the page, but so may anyone.
    pub bare: f32,
}

/// What the score stage hands on.
pub struct Scores {
    /// One score per rule, in [`RULES`] order.
    pub per_rule: Vec<Score>,
    /// The best-scoring rule whose signatures say it wrote the page.
    pub author: Option<usize>,
    /// The best-scoring product (never a browser) that its headers alone name.
    pub header_named: Option<usize>,
}

impl Scores {
    /// The score of rule `i` (zero for an index out of range).
    pub fn get(&self, i: usize) -> Score {
        self.per_rule.get(i).copied().unwrap_or_default()
    }

    /// The product whose generic whole-text phrase alone matches the page (the strongest;
    /// the first in rule order on a tie): a possibility to mention, never a name to give.
    pub fn possible(&self) -> Option<usize> {
        self.per_rule
            .iter()
            .enumerate()
            .filter(|(_, s)| s.bare > 0.0)
            .fold(None, |acc: Option<(usize, f32)>, (i, s)| match acc {
                Some((_, b)) if b >= s.bare => acc,
                _ => Some((i, s.bare)),
            })
            .map(|(i, _)| i)
    }

    /// Every rule with any signal counted, in [`RULES`] order.
    pub fn matched(&self) -> Vec<&'static Rule> {
        RULES
            .iter()
            .zip(&self.per_rule)
            .filter(|(_, s)| s.author > 0.0 || s.header > 0.0)
            .map(|(r, _)| r)
            .collect()
    }
}

/// `sent_status`: the input has a status line or an observed status, so it cannot be a
/// browser's own error page and browser signals do not count.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn score(hits: &[Found], sent_status: bool) -> Scores {
    let is_browser = |i: usize| {
        RULES
            .get(i)
            .is_some_and(|r| r.category == Category::Browser)
    };
    // A whole text that is only a generic phrase (`Bad Gateway`) is a product's reply only
    // when a server sent it as its body; pasted alone, it is words anyone writes.
    let counts = |h: &&Found| {
        !(sent_status && is_browser(h.rule))
            && (sent_status || h.signal.place != Place::WholeText || h.signal.weight >= DISTINCTIVE)
    };
    // A generic phrase that is the whole body (`Bad Gateway`) is what several servers and
    // applications send: it names its product only when something else of that product's
    // (its header, another signal) backs it; alone it is a possibility (`bare`).
    let generic = |h: &Found| h.signal.place == Place::WholeText && h.signal.weight < DISTINCTIVE;
    let mut backed = vec![false; RULES.len()];
    for h in hits.iter().filter(counts).filter(|h| !generic(h)) {
        if let Some(b) = backed.get_mut(h.rule) {
            *b = true;
        }
    }
    let mut per_rule = vec![Score::default(); RULES.len()];
    for h in hits.iter().filter(counts) {
        let Some(sc) = per_rule.get_mut(h.rule) else {
            continue;
        };
        if generic(h) && !backed.get(h.rule).copied().unwrap_or(false) {
            sc.bare = combine(sc.bare, h.signal.weight);
        } else if h.signal.place == Place::Header {
            sc.header = combine(sc.header, h.signal.weight);
        } else {
            sc.author = combine(sc.author, h.signal.weight);
        }
    }
    // A product's own headers strengthen a body signature it wrote (never create one).
    for sc in &mut per_rule {
        if sc.author > 0.0 {
            sc.author = 1.0 - (1.0 - sc.author) * (1.0 - 0.5 * sc.header);
        }
    }
    let author = best(&per_rule, |_, s| s.author >= AUTHOR_THRESHOLD);
    let header_named = best(&per_rule, |i, s| {
        s.header >= AUTHOR_THRESHOLD && !is_browser(i)
    });
    Scores {
        per_rule,
        author,
        header_named,
    }
}

/// Independent evidence: each signal of weight `w` removes `w`% of the remaining doubt.
fn combine(acc: f32, weight: u8) -> f32 {
    1.0 - (1.0 - acc) * (1.0 - f32::from(weight) / 100.0)
}

/// Index of the best-scoring rule that passes `keep`: authorship first, headers breaking
/// near ties; the first in rule order on a tie.
fn best(scores: &[Score], keep: impl Fn(usize, &Score) -> bool) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, s) in scores.iter().enumerate() {
        if !keep(i, s) {
            continue;
        }
        let key = s.author + 0.1 * s.header;
        if best.is_none_or(|(_, k)| key > k) {
            best = Some((i, key));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{found, idx, sig};
    use crate::matcher::Region;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn signals_combine_as_independent_evidence() {
        let s = sig(Place::Body, 50);
        let t = sig(Place::Text, 50);
        let scores = score(
            &[
                found("nginx", s, 0, Region::Body),
                found("nginx", t, 0, Region::Text),
            ],
            true,
        );
        assert!(close(scores.get(idx("nginx")).author, 0.75));
        assert_eq!(scores.author, Some(idx("nginx")));
        assert_eq!(scores.matched().first().map(|r| r.id), Some("nginx"));
        assert_eq!(scores.matched().len(), 1);
    }

    #[test]
    fn headers_strengthen_a_signature_but_never_make_one() {
        let body = sig(Place::Body, 60);
        let header = sig(Place::Header, 50);
        let hits = [
            found("nginx", body, 0, Region::Body),
            found("nginx", header, 0, Region::Header(0)),
            found("cloudflare", header, 1, Region::Header(1)),
        ];
        let scores = score(&hits, true);
        // 1 - 0.4 * (1 - 0.5 * 0.5)
        assert!(close(scores.get(idx("nginx")).author, 0.7));
        assert!(close(scores.get(idx("nginx")).header, 0.5));
        assert_eq!(scores.get(idx("cloudflare")).author, 0.0);
        assert!(close(scores.get(idx("cloudflare")).header, 0.5));
        assert_eq!(scores.author, Some(idx("nginx")));
    }

    #[test]
    fn an_author_needs_the_threshold() {
        let weak = sig(Place::Text, 49);
        let scores = score(&[found("nginx", weak, 0, Region::Text)], false);
        assert_eq!(scores.author, None);
        let enough = sig(Place::Text, 50);
        let scores = score(&[found("nginx", enough, 0, Region::Text)], false);
        assert_eq!(scores.author, Some(idx("nginx")));
    }

    #[test]
    fn browser_signals_do_not_count_when_a_status_was_sent() {
        let s = sig(Place::Text, 90);
        let hits = [found("chrome", s, 0, Region::Text)];
        assert_eq!(score(&hits, true).author, None);
        assert_eq!(score(&hits, true).get(idx("chrome")), Score::default());
        assert_eq!(score(&hits, false).author, Some(idx("chrome")));
    }

    #[test]
    fn the_best_author_wins_and_headers_break_ties() {
        let strong = sig(Place::Body, 90);
        let weak = sig(Place::Body, 80);
        let header = sig(Place::Header, 40);
        let hits = [
            found("nginx", weak, 0, Region::Body),
            found("cloudflare", strong, 0, Region::Body),
        ];
        assert_eq!(score(&hits, true).author, Some(idx("cloudflare")));
        // Equal signatures: the one its headers also name.
        let equal = [
            found("cloudflare", weak, 0, Region::Body),
            found("nginx", weak, 0, Region::Body),
            found("nginx", header, 0, Region::Header(0)),
        ];
        assert_eq!(score(&equal, true).author, Some(idx("nginx")));
        // A tie: the first in rule order.
        let tie = [
            found("nginx", weak, 0, Region::Body),
            found("cloudflare", weak, 0, Region::Body),
        ];
        let first = idx("nginx").min(idx("cloudflare"));
        assert_eq!(score(&tie, true).author, Some(first));
    }

    #[test]
    fn headers_alone_name_a_product_but_never_a_browser() {
        let header = sig(Place::Header, 60);
        let hits = [
            found("chrome", header, 0, Region::Header(0)),
            found("nginx", sig(Place::Header, 40), 1, Region::Header(1)),
        ];
        let scores = score(&hits, false);
        assert_eq!(scores.header_named, None);
        assert_eq!(scores.author, None);
        let hits = [found("nginx", header, 0, Region::Header(0))];
        assert_eq!(score(&hits, false).header_named, Some(idx("nginx")));
    }

    #[test]
    fn a_generic_whole_text_alone_is_only_a_possibility() {
        let bare = sig(Place::WholeText, 60);
        let alone = [found("traefik", bare, 0, Region::Text)];
        let scores = score(&alone, true);
        assert_eq!(scores.author, None);
        assert_eq!(scores.possible(), Some(idx("traefik")));
        assert_eq!(scores.get(idx("traefik")).author, 0.0);
        assert!(close(scores.get(idx("traefik")).bare, 0.6));
        assert!(scores.matched().is_empty());
        // Backed by the product's own header, or by another of its signals: it names it.
        for other in [sig(Place::Header, 40), sig(Place::Body, 30)] {
            let region = if other.place == Place::Header {
                Region::Header(0)
            } else {
                Region::Body
            };
            let hits = [
                found("traefik", bare, 0, Region::Text),
                found("traefik", other, 0, region),
            ];
            let scores = score(&hits, true);
            assert_eq!(scores.author, Some(idx("traefik")));
            assert_eq!(scores.possible(), None);
        }
        // A distinctive whole text (weight 80 and up) needs no backing.
        let own = [found("traefik", sig(Place::WholeText, 80), 0, Region::Text)];
        assert_eq!(score(&own, true).author, Some(idx("traefik")));
    }
}
