//! Stage 4, source and via: who wrote what was pasted, and which other products relayed it.

use super::scan::Scan;
use super::score::{Score, Scores};
use super::status::Status;
use crate::input::Observation;
use crate::model::{Category, InputForm, Source, Via};
use crate::rules::{RULES, Rule};

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
}

pub fn choose(o: &Observation<'_>, scan: &Scan, scores: &Scores, status: &Status) -> Choice {
    let has_page = !scan.page.text.trim().is_empty();
    let (rule, source, note) = pick_source(o, has_page, scores, status);
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
    }
}

/// The source, in order of preference: nobody for a success sent as such; the signature
/// author; for a network error with no page, the browser; with no page, the product its
/// headers name; for an error, the site itself; else nobody.
fn pick_source(
    o: &Observation<'_>,
    has_page: bool,
    scores: &Scores,
    status: &Status,
) -> (Option<usize>, Source, Option<String>) {
    let with_rule = |i: Option<usize>| i.and_then(|i| Some((i, RULES.get(i)?)));
    let position = |id: &str| RULES.iter().position(|r| r.id == id);
    if status.sent_success {
        (position("none"), none_source(status.code), None)
    } else if let Some((i, r)) = with_rule(scores.author) {
        (Some(i), source_of(r, scores.get(i).author), None)
    } else if matches!(o.form, InputForm::Observation | InputForm::Har)
        && !has_page
        && status.net_error.is_some()
    {
        let browser = crate::rules::browser_for(o.browser.as_deref(), status.net_error.as_deref());
        match with_rule(browser.and_then(|b| position(b.id))) {
            Some((i, r)) => (Some(i), source_of(r, 0.95), None),
            None => (None, custom(0.5), None),
        }
    } else if o.status.is_none() && o.net_error.is_none() && status.net_info.is_some() {
        // A browser's code quoted in text no product wrote (DevTools' console, a sentence):
        // the browser whose spelling it is, less sure than its own page.
        let browser = crate::rules::browser_for(o.browser.as_deref(), status.net_error.as_deref());
        match with_rule(browser.and_then(|b| position(b.id))) {
            Some((i, r)) => (Some(i), source_of(r, 0.7), None),
            None => (None, custom(0.5), None),
        }
    } else if !has_page && let Some((i, r)) = with_rule(scores.header_named) {
        (Some(i), source_of(r, scores.get(i).header * 0.9), None)
    } else if status.is_error {
        let conf = if has_page { 0.7 } else { 0.4 };
        let note = (!has_page).then(|| {
            "The response has no page and no header names the product that sent it; it is treated as the site's own answer."
                .to_string()
        });
        (position("custom"), custom(conf), note)
    } else {
        (position("none"), none_source(status.code), None)
    }
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

fn none_source(status: Option<u16>) -> Source {
    let conf = if status.is_some() { 0.9 } else { 0.6 };
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
    use crate::engine::testing::{idx, obs};

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
        Score { author, header }
    }

    fn pick(
        o: &Observation<'_>,
        has_page: bool,
        sc: &Scores,
        st: &Status,
    ) -> (Option<&'static str>, String, f64, bool) {
        let (rule, source, note) = pick_source(o, has_page, sc, st);
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
        // A page no signature claims is the site's own.
        assert_eq!(
            pick(&o, true, &sc, &st),
            (Some("custom"), "custom".into(), 0.7, false)
        );
    }

    #[test]
    fn an_unclaimed_error_is_the_site_s_and_anything_else_nobody_s() {
        let sc = scores(&[], None, None);
        let o = obs(InputForm::Http, Some(500), &[], b"");
        assert_eq!(
            pick(&o, false, &sc, &status(Some(500), true, false)),
            (Some("custom"), "custom".into(), 0.4, true)
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
