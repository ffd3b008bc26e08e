//! Stage 4, source and via: who wrote what was pasted, and which other products relayed it.

use super::prose::Prose;
use super::scan::Scan;
use super::score::{Score, Scores};
use super::status::Status;
use crate::input::Observation;
use crate::model::{Category, InputForm, Source, Via};
use crate::rules::{Place, RULES, Rule};

/// Header score at which a product is said to be on the path.
const VIA_THRESHOLD: f32 = 0.3;

/// What the source stage hands on.
pub struct Choice {
    /// Index in [`RULES`] of the source's rule.
    pub rule: Option<usize>,
    pub source: Source,
    /// Indices in [`RULES`] of the products that relayed the answer, outermost first.
    pub via_rules: Vec<usize>,
    /// The same products, as the diagnosis names them.
    pub via: Vec<Via>,
    /// Said when the choice was made for want of evidence.
    pub note: Option<String>,
    /// A product that may have written a page no one is named for: its generic whole-text
    /// phrase matched with nothing to back it (its signals are shown as evidence).
    pub possible: Option<usize>,
}

#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn choose(
    o: &Observation<'_>,
    scan: &Scan,
    scores: &Scores,
    status: &Status,
    prose: &Prose,
) -> Choice {
    let has_page = !scan.page.text.trim().is_empty();
    let ((rule, source, note), possible) = if prose.is_article() {
        (article(prose), None)
    } else if let Some(i) = prose.quoted() {
        (quoted(i, scan, scores), None)
    } else {
        let picked = pick_source(o, has_page, scan, scores, status);
        let possible = scores.possible().filter(|_| picked.1.id == "custom");
        match possible.and_then(|i| possible_note(i, scan)) {
            Some(note) => ((picked.0, picked.1, Some(note)), possible),
            None => (picked, None),
        }
    };
    let via_rules = pick_via(&scores.per_rule, rule);
    let via = via_rules
        .iter()
        .filter_map(|&i| RULES.get(i))
        .map(|r| Via {
            id: r.id.to_string(),
            name: r.name.to_string(),
            category: r.category,
        })
        .collect();
    Choice {
        rule,
        source,
        via_rules,
        via,
        note,
        possible,
    }
}

/// Why a page that is only a generic phrase of product `i` names no one.
fn possible_note(i: usize, scan: &Scan) -> Option<String> {
    let r = RULES.get(i)?;
    let h = scan
        .hits
        .iter()
        .find(|h| h.rule == i && h.signal.place == Place::WholeText)?;
    Some(format!(
        "The whole body is the bare line \"{}\": {} sends exactly that, but so can other servers and applications, and no header names the sender, so no product is named.",
        crate::text::shorten(&h.found, 60),
        r.name
    ))
}

type Picked = (Option<usize>, Source, Option<String>);

/// The source, in order of preference: nobody for a success sent as such; the signature
/// author; for a network error with no page, the browser; with no page, the product its
/// headers name; for an error, the site itself; else nobody.
fn pick_source(
    o: &Observation<'_>,
    has_page: bool,
    scan: &Scan,
    scores: &Scores,
    status: &Status,
) -> Picked {
    let with_rule = |i: Option<usize>| i.and_then(|i| Some((i, RULES.get(i)?)));
    let position = |id: &str| RULES.iter().position(|r| r.id == id);
    if status.sent_success {
        (position("none"), none_source(NONE_SENT), None)
    } else if let Some((i, r)) = with_rule(scores.author) {
        let sent = o.status.is_some();
        let mut c = author_confidence(scan, scores, i, sent);
        // Length is evidence too: error pages are short; pasted text of more than a
        // thousand words with a product's signature in it may be about that product.
        let words = scan.page.text.split_ascii_whitespace().take(LONG_TEXT + 1);
        if !sent && words.count() > LONG_TEXT {
            c *= 0.9;
        }
        (Some(i), source_of(r, c), None)
    } else if let Some((i, r)) = with_rule(super::status::network_redirect(o, scan, scores)) {
        // The visitor's network redirected the request to its own login page.
        (Some(i), source_of(r, scores.get(i).header * 0.9), None)
    } else if matches!(o.form, InputForm::Observation | InputForm::Har)
        && !has_page
        && status.net_error.is_some()
    {
        // The browser reported the failure itself.
        let browser = crate::rules::browser_for(o.browser.as_deref(), status.net_error.as_deref());
        match with_rule(browser.and_then(|b| position(b.id))) {
            Some((i, r)) => (Some(i), source_of(r, 0.95), None),
            None => (None, custom(0.5), None),
        }
    } else if o.status.is_none() && o.net_error.is_none() && status.net_info.is_some() {
        // A browser's code quoted in text no product wrote (DevTools' console, a sentence):
        // the browser whose spelling it is, less sure than its own page, and less still when
        // the code sits in a longer text.
        let browser = crate::rules::browser_for(o.browser.as_deref(), status.net_error.as_deref());
        let words = scan.page.text.split_ascii_whitespace().count();
        let conf = if words <= 12 { 0.7 } else { 0.55 };
        match with_rule(browser.and_then(|b| position(b.id))) {
            Some((i, r)) => (Some(i), source_of(r, conf), None),
            None => (None, custom(0.5), None),
        }
    } else if !has_page && let Some((i, r)) = with_rule(scores.header_named) {
        (Some(i), source_of(r, scores.get(i).header * 0.9), None)
    } else if status.is_error {
        let note = (!has_page).then(|| {
            "The response has no page and no header names the product that sent it; it is treated as the site's own answer."
                .to_string()
        });
        let conf = custom_confidence(o, has_page, scan, scores, status);
        (position("custom"), custom(conf), note)
    } else {
        (position("none"), none_source(NONE_UNSENT), None)
    }
}

/// Weight from which a signal is a string only its product writes (docs/rules.md).
const DISTINCTIVE: u8 = 80;

/// Words from which pasted text is long for an error page.
const LONG_TEXT: usize = 1000;

/// Sure that a success or redirect sent as such is nobody's error page.
const NONE_SENT: f32 = 0.9;
/// Text with no status and no words of an error: probably nothing failed.
const NONE_UNSENT: f32 = 0.6;

/// How sure the evidence makes us that rule `i` wrote the page: its signals combined as
/// independent evidence (its own headers strengthening them, see `score`), then
/// - a single signal with no header of the product's to agree stays below the top band: one
///   fingerprint can be quoted, copied or shared by a look-alike;
/// - another product's distinctive signature (weight 80 and up) in the same input is a
///   conflict and costs up to half in proportion to its strength; its generic phrases, which
///   pages and logs of several products share, cost up to 15%; three or more products with
///   distinctive signatures in one input reads like a text about them, not a page one wrote;
/// - text with no response around it (pasted, saved) may be quoting the page.
fn author_confidence(scan: &Scan, scores: &Scores, i: usize, sent: bool) -> f32 {
    let own = scores.get(i);
    let mut c = own.author;
    let signals = scan
        .hits
        .iter()
        .filter(|h| h.rule == i && h.signal.place != Place::Header)
        .count();
    if signals <= 1 && own.header == 0.0 {
        c *= 0.9;
    }
    // Rivals: the other products' signatures, distinctive strings (weight 80 and up) apart
    // from generic phrases that several products' pages or logs share.
    let mut strong = vec![0.0f32; RULES.len()];
    let mut generic = vec![0.0f32; RULES.len()];
    for h in scan.hits.iter().filter(|h| h.signal.place != Place::Header) {
        let slot = if h.signal.weight >= DISTINCTIVE {
            strong.get_mut(h.rule)
        } else {
            generic.get_mut(h.rule)
        };
        if let Some(v) = slot {
            *v = 1.0 - (1.0 - *v) * (1.0 - f32::from(h.signal.weight) / 100.0);
        }
    }
    let others = |v: &[f32]| {
        v.iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, x)| *x)
            .fold(0.0, f32::max)
    };
    c *= (1.0 - 0.5 * others(&strong)) * (1.0 - 0.15 * others(&generic));
    let signed = strong.iter().filter(|&&x| x > 0.0).count();
    if signed >= 3 {
        c *= 0.8;
    }
    if !sent {
        c *= 0.95;
    }
    c
}

/// How sure we are that an error no product's signature explains is the site's own: an
/// error status sent is strong evidence of an error, a status read off the page weaker, an
/// error word alone weak; a page of the site's own words supports it, no page at all leaves
/// open who sent it; a product's partial signature (below the threshold) or a header naming
/// a product that could have written it are doubts.
fn custom_confidence(
    o: &Observation<'_>,
    has_page: bool,
    scan: &Scan,
    scores: &Scores,
    status: &Status,
) -> f32 {
    let mut c: f32 = if o.status.is_some_and(|s| s >= 400) || o.net_error.is_some() {
        0.6
    } else if status.code.is_some() {
        0.45
    } else {
        0.35
    };
    if has_page {
        let words = scan.page.text.split_ascii_whitespace().take(20).count();
        if words >= 20 {
            c += 0.1;
        }
    } else {
        c -= 0.15;
    }
    let near_miss = RULES
        .iter()
        .zip(&scores.per_rule)
        .filter(|(r, _)| !matches!(r.id, "custom" | "none"))
        .map(|(_, s)| s.author.max(s.bare))
        .fold(0.0, f32::max);
    c *= 1.0 - near_miss;
    if scores.header_named.is_some() {
        c -= 0.05;
    }
    c.clamp(0.2, 0.8)
}

/// Writing about errors: nobody's error page. Surer the more the text shows it: the phrases
/// of guides and threads, and several products named.
fn article(prose: &Prose) -> Picked {
    let phrases = (prose.guide.len() + prose.asking.len()).min(4) as f32;
    let many = if prose.vendors >= 3 { 0.1 } else { 0.0 };
    let conf = 0.6 + 0.05 * phrases + many;
    let mut why = vec![format!("{} sentences", prose.sentences)];
    if let Some(p) = prose.guide.first().or(prose.asking.first()) {
        why.push(format!("phrases such as \"{p}\""));
    }
    if prose.vendors >= 2 {
        why.push(format!("{} products named", prose.vendors));
    }
    let note = format!(
        "This reads like an article or a discussion about errors ({}), not like an error page: what it quotes was not diagnosed.",
        why.join(", ")
    );
    (
        RULES.iter().position(|r| r.id == "none"),
        none_source(conf),
        Some(note),
    )
}

/// A post asking for help that quotes one product's page: that page, less sure than the
/// page itself (the quote may be trimmed or from another day).
fn quoted(i: usize, scan: &Scan, scores: &Scores) -> Picked {
    let Some(r) = RULES.get(i) else {
        return (None, custom(0.3), None);
    };
    let conf = (author_confidence(scan, scores, i, false) * 0.7).min(0.7);
    let note = format!(
        "This reads like a question or a forum post; the {} error page it quotes is what was diagnosed, so the answer is less certain than for the page itself.",
        r.name
    );
    (Some(i), source_of(r, conf), Some(note))
}

/// Who else was on the path: every product (not the source, not a browser) whose headers
/// show it, outermost first, then by header score. Relays show themselves in headers; a
/// losing body signature is not a hop.
fn pick_via(scores: &[Score], source: Option<usize>) -> Vec<usize> {
    let mut via: Vec<(usize, &'static Rule, f32)> = RULES
        .iter()
        .zip(scores)
        .enumerate()
        .filter(|&(i, _)| Some(i) != source)
        .filter(|(_, (r, _))| r.category != Category::Browser && !matches!(r.id, "custom" | "none"))
        .filter(|(_, (_, s))| s.header >= VIA_THRESHOLD)
        .map(|(i, (r, s))| (i, r, s.header))
        .collect();
    via.sort_by_key(|&(_, r, header)| {
        (
            category_rank(r.category),
            std::cmp::Reverse((header * 1000.0) as u32),
        )
    });
    via.into_iter().map(|(i, ..)| i).collect()
}

pub(crate) fn source_of(rule: &Rule, confidence: f32) -> Source {
    Source {
        id: rule.id.to_string(),
        name: rule.name.to_string(),
        category: rule.category,
        confidence: (f64::from(confidence.clamp(0.0, 0.99)) * 100.0).round() / 100.0,
    }
}

fn custom(confidence: f32) -> Source {
    match crate::rules::rule("custom") {
        Some(r) => source_of(r, confidence),
        None => Source {
            id: "custom".into(),
            name: "The site's own page".into(),
            category: Category::Site,
            confidence: f64::from(confidence),
        },
    }
}

fn none_source(conf: f32) -> Source {
    match crate::rules::rule("none") {
        Some(r) => source_of(r, conf),
        None => Source {
            id: "none".into(),
            name: "Not an error page".into(),
            category: Category::None,
            confidence: f64::from(conf),
        },
    }
}

/// Outermost first: CDN, platform, load balancer, proxy, web server, app server.
fn category_rank(c: Category) -> u8 {
    match c {
        Category::Cdn => 0,
        Category::Platform => 1,
        Category::LoadBalancer => 2,
        Category::Proxy => 3,
        Category::WebServer => 4,
        Category::AppServer => 5,
        _ => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scan::{Found, LogLines};
    use crate::engine::testing::{found, idx, obs, sig};
    use crate::matcher::Region;
    use crate::text::PageText;

    fn scores(set: &[(&str, Score)], author: Option<&str>, header_named: Option<&str>) -> Scores {
        let mut per_rule = vec![Score::default(); RULES.len()];
        for (id, s) in set {
            if let Some(slot) = per_rule.get_mut(idx(id)) {
                *slot = *s;
            }
        }
        Scores {
            per_rule,
            author: author.map(idx),
            header_named: header_named.map(idx),
        }
    }

    fn status(code: Option<u16>, is_error: bool, sent_success: bool) -> Status {
        Status {
            code,
            inferred: None,
            net_error: None,
            net_info: None,
            is_error,
            sent_success,
        }
    }

    fn score(author: f32, header: f32) -> Score {
        Score {
            author,
            header,
            bare: 0.0,
        }
    }

    fn scan_of(hits: Vec<Found>, text: &str) -> Scan {
        Scan {
            hits,
            page: PageText {
                text: text.to_string(),
                ..Default::default()
            },
            form: InputForm::Text,
            lines: LogLines::new(b"", &[]),
            note: None,
        }
    }

    fn pick(
        o: &Observation<'_>,
        has_page: bool,
        sc: &Scores,
        st: &Status,
    ) -> (Option<&'static str>, String, f64, bool) {
        let scan = scan_of(Vec::new(), if has_page { "a page" } else { "" });
        let (rule, source, note) = pick_source(o, has_page, &scan, sc, st);
        (
            rule.and_then(|i| RULES.get(i)).map(|r| r.id),
            source.id,
            source.confidence,
            note.is_some(),
        )
    }

    #[test]
    fn a_success_sent_as_such_is_nobody_s_error_page() {
        let sc = scores(&[("nginx", score(0.9, 0.0))], Some("nginx"), None);
        let o = obs(InputForm::Http, Some(200), &[], b"");
        let r = pick(&o, true, &sc, &status(Some(200), false, true));
        assert_eq!(r, (Some("none"), "none".into(), 0.9, false));
    }

    #[test]
    fn the_signature_author_wrote_it() {
        let sc = scores(
            &[("nginx", score(0.87654, 0.9))],
            Some("nginx"),
            Some("nginx"),
        );
        let o = obs(InputForm::Http, Some(502), &[], b"");
        let r = pick(&o, true, &sc, &status(Some(502), true, false));
        assert_eq!(r, (Some("nginx"), "nginx".into(), 0.88, false));
    }

    #[test]
    fn a_network_error_with_no_page_is_the_browser_s() {
        let sc = scores(&[], None, None);
        let mut st = status(None, true, false);
        st.net_error = Some("NS_ERROR_UNKNOWN_HOST".into());
        let o = obs(InputForm::Observation, None, &[], b"");
        assert_eq!(
            pick(&o, false, &sc, &st),
            (Some("firefox"), "firefox".into(), 0.95, false)
        );
        // A page, or another form: not the browser by default.
        assert_eq!(pick(&o, true, &sc, &st).1, "custom");
        let http = obs(InputForm::Http, None, &[], b"");
        assert_eq!(pick(&http, false, &sc, &st).1, "custom");
    }

    #[test]
    fn with_no_page_the_product_its_headers_name_sent_it() {
        let sc = scores(&[("cloudflare", score(0.0, 0.8))], None, Some("cloudflare"));
        let o = obs(InputForm::Http, Some(502), &[], b"");
        let st = status(Some(502), true, false);
        assert_eq!(
            pick(&o, false, &sc, &st),
            (Some("cloudflare"), "cloudflare".into(), 0.72, false)
        );
        // A page no signature claims is the site's own (a header naming a product that
        // could have written it is a doubt).
        assert_eq!(
            pick(&o, true, &sc, &st),
            (Some("custom"), "custom".into(), 0.55, false)
        );
    }

    #[test]
    fn an_unclaimed_error_is_the_site_s_and_anything_else_nobody_s() {
        let sc = scores(&[], None, None);
        let o = obs(InputForm::Http, Some(500), &[], b"");
        assert_eq!(
            pick(&o, false, &sc, &status(Some(500), true, false)),
            (Some("custom"), "custom".into(), 0.45, true)
        );
        let text = obs(InputForm::Text, None, &[], b"");
        assert_eq!(
            pick(&text, true, &sc, &status(None, false, false)),
            (Some("none"), "none".into(), 0.6, false)
        );
    }

    #[test]
    fn via_lists_header_hops_outermost_first() {
        let per_rule = scores(
            &[
                ("nginx", score(0.9, 0.9)),
                ("haproxy", score(0.0, 0.3)),
                ("varnish", score(0.0, 0.8)),
                ("cloudflare", score(0.0, 0.5)),
                ("cloudfront", score(0.0, 0.6)),
                ("akamai", score(0.0, 0.29)),
                ("chrome", score(0.0, 0.9)),
                ("custom", score(0.0, 0.9)),
            ],
            None,
            None,
        )
        .per_rule;
        let names = |source: Option<&str>| -> Vec<&str> {
            pick_via(&per_rule, source.map(idx))
                .into_iter()
                .filter_map(|i| RULES.get(i))
                .map(|r| r.id)
                .collect()
        };
        // CDNs first (the higher header score first), then a load balancer, then a proxy;
        // never the source, a browser, the site or a product below the threshold.
        assert_eq!(
            names(Some("nginx")),
            ["cloudfront", "cloudflare", "haproxy", "varnish"]
        );
        assert_eq!(names(None).last(), Some(&"nginx"));
    }

    #[test]
    fn the_browser_is_told_by_name_or_by_spelling() {
        let id = |name, code| crate::rules::browser_for(name, code).map(|r| r.id);
        assert_eq!(id(Some("Mozilla Firefox"), Some("ERR_X")), Some("firefox"));
        assert_eq!(id(Some("Chromium"), Some("NS_ERROR_X")), Some("chrome"));
        assert_eq!(id(Some("WebInspector"), None), Some("chrome"));
        assert_eq!(id(None, Some("SSL_ERROR_BAD_CERT_DOMAIN")), Some("firefox"));
        assert_eq!(id(None, Some("ERR_NAME_NOT_RESOLVED")), Some("chrome"));
        // Nothing to go by: the default browser.
        assert_eq!(id(Some("Safari"), Some("Unknown")), Some("chrome"));
        // User agents name several browsers; the browser's own token comes last.
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(id(Some(chrome), None), Some("chrome"));
        let edge = format!("{chrome} Edg/131.0.0.0");
        assert_eq!(id(Some(edge.as_str()), None), Some("edge"));
        assert_eq!(id(Some("Microsoft Edge"), None), Some("edge"));
        let safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
        assert_eq!(id(Some(safari), None), Some("safari"));
        assert_eq!(id(Some("WebKit Web Inspector"), None), Some("safari"));
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(id(Some(firefox), None), Some("firefox"));
    }

    /// Scores as the score stage computes them from `hits`.
    fn scored(hits: &[Found], sent: bool) -> Scores {
        crate::engine::score::score(hits, sent)
    }

    #[test]
    fn one_fingerprint_alone_stays_below_the_top_band() {
        let strong = sig(Place::Body, 99);
        let one = [found("nginx", strong, 0, Region::Body)];
        let c = author_confidence(
            &scan_of(one.to_vec(), ""),
            &scored(&one, true),
            idx("nginx"),
            true,
        );
        assert!((c - 0.891).abs() < 1e-3, "{c}");
        // Corroborated by a second signal: no discount.
        let two = [
            found("nginx", strong, 0, Region::Body),
            found("nginx", sig(Place::Text, 60), 1, Region::Text),
        ];
        let c = author_confidence(
            &scan_of(two.to_vec(), ""),
            &scored(&two, true),
            idx("nginx"),
            true,
        );
        assert!(c > 0.99, "{c}");
        // Pasted without its response: a little less.
        let c = author_confidence(
            &scan_of(two.to_vec(), ""),
            &scored(&two, false),
            idx("nginx"),
            false,
        );
        assert!((c - 0.95 * 0.996).abs() < 1e-3, "{c}");
    }

    #[test]
    fn a_bare_generic_body_names_no_one_and_says_who_may_have_sent_it() {
        let bare = sig(Place::WholeText, 60);
        let hits = vec![found("traefik", bare, 0, Region::Text)];
        let scan = scan_of(hits.clone(), "pattern");
        let sc = scored(&hits, true);
        let o = obs(InputForm::Http, Some(502), &[], b"pattern");
        let st = status(Some(502), true, false);
        let c = choose(&o, &scan, &sc, &st, &crate::engine::prose::Prose::default());
        assert_eq!(c.source.id, "custom");
        assert_eq!(c.rule, Some(idx("custom")));
        assert_eq!(c.possible, Some(idx("traefik")));
        // Sent status 0.6, times one minus the phrase's weight.
        assert!(
            (c.source.confidence - 0.24).abs() < 1e-6,
            "{}",
            c.source.confidence
        );
        let note = c.note.unwrap_or_default();
        assert!(
            note.contains("Traefik Proxy") && note.contains("\"pattern\""),
            "{note}"
        );
        assert!(note.contains("no product is named"), "{note}");
    }

    #[test]
    fn a_long_pasted_text_is_less_sure_than_a_page() {
        let sc = scores(&[("nginx", score(0.99, 0.0))], Some("nginx"), None);
        let o = obs(InputForm::Text, None, &[], b"");
        let st = status(Some(502), true, false);
        let conf = |text: &str| {
            let (_, source, _) = pick_source(&o, true, &scan_of(vec![], text), &sc, &st);
            source.confidence
        };
        let short = conf("502 Bad Gateway nginx");
        let long = conf(&"word ".repeat(1001));
        assert!((short - 0.85).abs() < 0.006, "{short}");
        assert!((long - 0.76).abs() < 0.006, "{long}");
        assert_eq!(conf(&"word ".repeat(1000)), short);
    }

    #[test]
    fn a_rival_signature_is_a_conflict_and_generic_phrases_a_small_doubt() {
        let nginx = [
            found("nginx", sig(Place::Body, 95), 0, Region::Body),
            found("nginx", sig(Place::Text, 90), 1, Region::Text),
        ];
        let alone = author_confidence(
            &scan_of(nginx.to_vec(), ""),
            &scored(&nginx, true),
            idx("nginx"),
            true,
        );
        let with = |rival: Found| {
            let mut hits = nginx.to_vec();
            hits.push(rival);
            author_confidence(
                &scan_of(hits.clone(), ""),
                &scored(&hits, true),
                idx("nginx"),
                true,
            )
        };
        let distinctive = with(found("apache", sig(Place::Body, 90), 2, Region::Body));
        let generic = with(found("apache", sig(Place::Body, 60), 2, Region::Body));
        assert!((distinctive - alone * 0.55).abs() < 1e-3, "{distinctive}");
        assert!((generic - alone * 0.91).abs() < 1e-3, "{generic}");
        // Three products signing one input: a text about them.
        let mut three = nginx.to_vec();
        three.push(found("apache", sig(Place::Body, 90), 2, Region::Body));
        three.push(found("cloudflare", sig(Place::Body, 90), 3, Region::Body));
        let c = author_confidence(
            &scan_of(three.clone(), ""),
            &scored(&three, true),
            idx("nginx"),
            true,
        );
        assert!((c - alone * 0.55 * 0.8).abs() < 1e-3, "{c}");
    }

    #[test]
    fn the_site_s_own_page_is_as_sure_as_its_evidence() {
        let words = "word ".repeat(30);
        let st = |code| status(Some(code), true, false);
        let conf = |o: &Observation<'_>, scan: &Scan, sc: &Scores, s: &Status| {
            let has_page = !scan.page.text.trim().is_empty();
            (custom_confidence(o, has_page, scan, sc, s) * 100.0).round() / 100.0
        };
        let none = scores(&[], None, None);
        let sent = obs(InputForm::Http, Some(500), &[], b"");
        let pasted = obs(InputForm::Text, None, &[], b"");
        // A sent error with a page of the site's own words.
        assert_eq!(conf(&sent, &scan_of(vec![], &words), &none, &st(500)), 0.7);
        // A short page; no page at all.
        assert_eq!(conf(&sent, &scan_of(vec![], "Oops"), &none, &st(500)), 0.6);
        assert_eq!(conf(&sent, &scan_of(vec![], ""), &none, &st(500)), 0.45);
        // A status read off the page; error words alone.
        assert_eq!(
            conf(&pasted, &scan_of(vec![], "Oops"), &none, &st(502)),
            0.45
        );
        assert_eq!(
            conf(
                &pasted,
                &scan_of(vec![], "it failed"),
                &none,
                &status(None, true, false)
            ),
            0.35
        );
        // A product's partial signature: maybe its page.
        let near = scores(&[("nginx", score(0.4, 0.0))], None, None);
        assert_eq!(conf(&sent, &scan_of(vec![], &words), &near, &st(500)), 0.42);
    }

    #[test]
    fn an_article_is_nobody_s_error_page_and_a_quoted_page_is_less_sure() {
        let prose = Prose {
            words: 900,
            sentences: 40,
            guide: vec!["how to fix", "table of contents", "conclusion"],
            asking: vec![],
            vendors: 4,
            reading: super::super::prose::Reading::Article,
            quoted_hits: vec![],
        };
        let (rule, source, note) = article(&prose);
        assert_eq!(rule, Some(idx("none")));
        assert_eq!((source.id.as_str(), source.confidence), ("none", 0.85));
        assert!(note.is_some_and(|n| n.contains("article") && n.contains("\"how to fix\"")));
        let hits = [
            found("nginx", sig(Place::Body, 95), 0, Region::Body),
            found("nginx", sig(Place::Text, 90), 1, Region::Text),
        ];
        let (rule, source, note) = quoted(
            idx("nginx"),
            &scan_of(hits.to_vec(), ""),
            &scored(&hits, false),
        );
        assert_eq!(rule, Some(idx("nginx")));
        assert!(
            source.confidence <= 0.7 && source.confidence >= 0.6,
            "{}",
            source.confidence
        );
        assert!(note.is_some_and(|n| n.contains("quotes")));
    }

    #[test]
    fn confidence_is_clamped_and_rounded() {
        let Some(r) = crate::rules::rule("nginx") else {
            unreachable!("nginx is a source")
        };
        assert_eq!(source_of(r, 1.0).confidence, 0.99);
        assert_eq!(source_of(r, -1.0).confidence, 0.0);
        assert_eq!(source_of(r, 0.456).confidence, 0.46);
    }
}
