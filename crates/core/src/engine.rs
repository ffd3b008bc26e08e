//! Matching and scoring: normalised observation -> diagnosis.

use crate::advice::{self, Context};
use crate::input::Observation;
use crate::matcher::{self, Hit, Hits, Region};
use crate::model::*;
use crate::rules::{Fact, Place, RULES, Rule};
use crate::text::{self, PageText};

/// Authorship score at which a product is said to have written the page.
const AUTHOR_THRESHOLD: f32 = 0.5;
/// Header score at which a product is said to be on the path.
const VIA_THRESHOLD: f32 = 0.3;

#[derive(Default, Clone, Copy)]
struct Score {
    author: f32,
    header: f32,
}

fn combine(acc: f32, weight: u8) -> f32 {
    1.0 - (1.0 - acc) * (1.0 - f32::from(weight) / 100.0)
}

/// Response bodies longer than this are scanned in a head and a tail window (see `scan_window`).
const WINDOW_HEAD: usize = 512 * 1024;
const WINDOW_TAIL: usize = 64 * 1024;

/// The parts of a body that signatures are looked for in. Text a person pasted is read
/// whole; a response body (raw HTTP, HAR, observation) above 576 KiB is read in its first
/// 512 KiB and last 64 KiB: the error pages products write are a few KB, and a signature
/// in the middle of megabytes of content is content, not authorship.
fn scan_window<'a>(o: &'a Observation<'_>) -> (&'a [u8], Option<(usize, &'a [u8])>) {
    let body: &[u8] = &o.body;
    let pasted = matches!(o.form, InputForm::Text | InputForm::Html);
    if pasted || body.len() <= WINDOW_HEAD + WINDOW_TAIL {
        return (body, None);
    }
    let tail_at = body.len() - WINDOW_TAIL;
    (&body[..WINDOW_HEAD], Some((tail_at, &body[tail_at..])))
}

pub fn diagnose(o: &Observation<'_>) -> Diagnosis {
    let body: &[u8] = &o.body;
    let (head, tail) = scan_window(o);
    let mut notes = o.notes.clone();
    if tail.is_some() {
        notes.push(format!(
            "The body is large ({} KB); signatures were looked for in its first {} KB and last {} KB.",
            body.len() / 1024,
            WINDOW_HEAD / 1024,
            WINDOW_TAIL / 1024
        ));
    }
    let is_html =
        o.form == InputForm::Html || (o.form != InputForm::Text && text::looks_like_html(head));
    let visible = |part: &[u8]| {
        if is_html {
            text::html_text(part)
        } else {
            PageText {
                text: text::collapse(part),
                ..Default::default()
            }
        }
    };
    let mut page = visible(head);
    if let Some((_, t)) = tail {
        let t = visible(t).text;
        page.text.push_str(" … ");
        page.text.push_str(&t);
    }
    let may_be_log = o.form == InputForm::Text;

    let mut hits = Hits::new();
    matcher::scan_headers(&o.headers, &mut hits);
    let title_range = page.title_range;
    let accept_body = |place: Place, at: usize, _end: usize| match place {
        Place::Body => true,
        Place::Title => title_range.is_some_and(|(a, b)| at >= a && at < b),
        Place::Log => may_be_log,
        _ => false,
    };
    matcher::scan(Region::Body, head, 0, &mut hits, &accept_body);
    if let Some((at, t)) = tail {
        matcher::scan(Region::Body, t, at, &mut hits, &accept_body);
    }
    let text_len = page.text.len();
    matcher::scan(
        Region::Text,
        page.text.as_bytes(),
        0,
        &mut hits,
        &|place, start, end| {
            place == Place::Text || (place == Place::WholeText && start == 0 && end == text_len)
        },
    );
    let hits = hits.list;

    let form = if may_be_log && hits.iter().any(|h| signal(h).place == Place::Log) {
        InputForm::Log
    } else {
        o.form
    };

    // A response with a status line cannot be a browser's own error page.
    let sent_status = o.status.is_some();
    let counts = |i: usize| !(sent_status && RULES[i].category == Category::Browser);

    // Scores per rule.
    let mut scores = vec![Score::default(); RULES.len()];
    for h in hits.iter().filter(|h| counts(h.signal.0 as usize)) {
        let s = signal(h);
        let sc = &mut scores[h.signal.0 as usize];
        if s.place == Place::Header {
            sc.header = combine(sc.header, s.weight);
        } else {
            sc.author = combine(sc.author, s.weight);
        }
    }
    // A product's own headers strengthen a body signature it wrote (never create one).
    for sc in &mut scores {
        if sc.author > 0.0 {
            sc.author = 1.0 - (1.0 - sc.author) * (1.0 - 0.5 * sc.header);
        }
    }

    // Who wrote it, by signature.
    let author = best(&scores, |_, s| s.author >= AUTHOR_THRESHOLD);

    // Network error: observed, or written on a browser's own page.
    let browser_page = author.filter(|&i| RULES[i].category == Category::Browser);
    let net_error = o.net_error.clone().or_else(|| {
        browser_page.and_then(|bi| {
            find_net_error(&page.text).or_else(|| {
                hits.iter()
                    .filter(|h| h.signal.0 as usize == bi)
                    .find_map(|h| signal(h).net_error.map(str::to_string))
            })
        })
    });
    let net_info = net_error.as_deref().and_then(crate::neterror::info);

    let line_of = line_numbers(body, &hits);

    // Status: sent, or read off the page.
    let (status, status_inferred, status_evidence) = match o.status {
        Some(s) => (Some(s), false, None),
        None => match infer_status(&hits, &page, author, &line_of) {
            Some((s, ev)) => (Some(s), true, Some(ev)),
            None => (None, false, None),
        },
    };
    let is_error = status.is_some_and(|s| s >= 400)
        || net_error.is_some()
        || (status.is_none() && reads_as_error(&page));
    // A success or redirect that was sent as such is not an error page, whatever it quotes.
    let sent_success = o.status.is_some_and(|s| s < 400) && net_error.is_none();
    let has_page = !page.text.trim().is_empty();

    let header_named = best(&scores, |i, s| {
        s.header >= AUTHOR_THRESHOLD && RULES[i].category != Category::Browser
    });
    let (source_idx, source) = if sent_success {
        (
            RULES.iter().position(|r| r.id == "none"),
            none_source(status),
        )
    } else if let Some(i) = author {
        (Some(i), source_of(&RULES[i], scores[i].author))
    } else if matches!(o.form, InputForm::Observation | InputForm::Har)
        && !has_page
        && net_error.is_some()
    {
        let id = browser_for(o.browser.as_deref(), net_error.as_deref());
        let idx = RULES.iter().position(|r| r.id == id);
        match idx {
            Some(i) => (Some(i), source_of(&RULES[i], 0.95)),
            None => (None, custom(0.5)),
        }
    } else if !has_page && let Some(i) = header_named {
        (Some(i), source_of(&RULES[i], scores[i].header * 0.9))
    } else if is_error {
        let conf = if has_page { 0.7 } else { 0.4 };
        if !has_page {
            notes.push(
                "The response has no page and no header names the product that sent it; it is treated as the site's own answer."
                    .to_string(),
            );
        }
        (RULES.iter().position(|r| r.id == "custom"), custom(conf))
    } else {
        (
            RULES.iter().position(|r| r.id == "none"),
            none_source(status),
        )
    };
    let source_rule: Option<&'static Rule> = source_idx.map(|i| &RULES[i]);

    // Who else was on the path.
    let mut via_idx: Vec<usize> = (0..RULES.len())
        .filter(|&i| Some(i) != source_idx)
        .filter(|&i| {
            RULES[i].category != Category::Browser && !matches!(RULES[i].id, "custom" | "none")
        })
        // Relays show themselves in headers; a losing body signature is not a hop.
        .filter(|&i| scores[i].header >= VIA_THRESHOLD)
        .collect();
    via_idx.sort_by_key(|&i| {
        (
            category_rank(RULES[i].category),
            std::cmp::Reverse((scores[i].header * 1000.0) as u32),
        )
    });
    let via: Vec<Via> = via_idx
        .iter()
        .map(|&i| Via {
            id: RULES[i].id.to_string(),
            name: RULES[i].name.to_string(),
            category: RULES[i].category,
        })
        .collect();

    // Facts from the source's signals (and from logs of any product).
    let mut facts: Vec<Fact> = Vec::new();
    for h in &hits {
        let s = signal(h);
        if let Some(f) = s.fact {
            let own = Some(h.signal.0 as usize) == source_idx || s.place == Place::Log;
            if own && !facts.contains(&f) {
                facts.push(f);
            }
        }
    }

    // Evidence.
    let mut evidence = Vec::new();
    if let Some(s) = status {
        let meaning = crate::status::info(s)
            .map_or_else(|| format!("HTTP status {s}"), |i| i.meaning.to_string());
        match status_evidence {
            Some((found, location)) => {
                evidence.push(Evidence {
                    source_id: "status".into(),
                    found,
                    location,
                    meaning,
                });
            }
            None => {
                let found = match &o.status_text {
                    Some(t) => format!("{s} {t}"),
                    None => s.to_string(),
                };
                evidence.push(Evidence {
                    source_id: "status".into(),
                    found,
                    location: Location::StatusLine,
                    meaning,
                });
            }
        }
    }
    if let Some(code) = &net_error {
        let meaning = net_info.map_or("A network error reported by the browser".to_string(), |i| {
            i.meaning.to_string()
        });
        evidence.push(Evidence {
            source_id: "net-error".into(),
            found: code.clone(),
            location: Location::NetError,
            meaning,
        });
    }
    let order: Vec<usize> = source_idx
        .into_iter()
        .chain(via_idx.iter().copied())
        .collect();
    for ri in order {
        for h in hits.iter().filter(|h| h.signal.0 as usize == ri) {
            let s = signal(h);
            let location = match (h.region, s.place) {
                (Region::Header(i), _) => Location::Header {
                    name: o.headers.get(i).map(|(n, _)| n.clone()).unwrap_or_default(),
                },
                (_, Place::Title) => Location::Title,
                (_, Place::Log) => Location::Log {
                    line: line_of(h.at),
                },
                (Region::Text, _) => Location::Text { offset: h.at },
                (Region::Body, _) => Location::Body { offset: h.at },
            };
            evidence.push(Evidence {
                source_id: RULES[ri].id.to_string(),
                found: text::shorten(&h.found, 120),
                location,
                meaning: s.meaning.to_string(),
            });
        }
    }

    // Identifiers.
    let matched: Vec<&'static Rule> = (0..RULES.len())
        .filter(|&i| scores[i].author > 0.0 || scores[i].header > 0.0)
        .map(|i| &RULES[i])
        .collect();
    let ids = crate::ids::find(&o.headers, &page.text, &matched, RULES);

    // Which hop failed.
    let hop = decide_hop(
        source_rule,
        &source,
        status,
        &facts,
        net_info.map(|i| i.hop),
        net_error.is_some(),
    );

    let header = |name: &str| {
        o.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let (retry_after_seconds, retry_after_date) = match header("retry-after") {
        Some(v) => retry_after(v, header("date")),
        None => (None, None),
    };
    let role = source_rule.map_or(Hop::Origin, |r| r.role);
    let canonical_net = net_info.map(|i| i.code).or(net_error.as_deref());
    let ctx = Context {
        status,
        source_id: &source.id,
        source_name: &source.name,
        category: source.category,
        role,
        hop,
        facts: &facts,
        // As the browser spelled it (Firefox users see Firefox's codes).
        net_error: net_error
            .as_deref()
            .map(|e| e.strip_prefix("net::").unwrap_or(e)),
        via: &via,
        has_ids: ids.iter().any(|i| {
            matches!(
                i.kind.as_str(),
                "ray-id" | "request-id" | "reference" | "trace-id"
            )
        }),
        retry_after_seconds,
        retry_after_date: retry_after_date.as_deref(),
        from_log: form == InputForm::Log,
    };

    let status_text = o.status_text.clone().or_else(|| {
        status
            .and_then(crate::status::info)
            .map(|i| i.reason.to_string())
    });
    Diagnosis {
        input_form: form,
        status,
        status_text,
        status_inferred,
        net_error: canonical_net.map(str::to_string),
        url: o.url.clone(),
        failing_hop: FailingHop {
            hop,
            explanation: advice::explain(&ctx),
        },
        summary: advice::summary(&ctx),
        retry: advice::retry(&ctx),
        visitor_fixes: advice::visitor_fixes(&ctx),
        owner_fixes: advice::owner_fixes(&ctx),
        source,
        via,
        evidence,
        ids,
        notes,
    }
}

fn signal(h: &Hit) -> &'static crate::rules::Signal {
    &RULES[h.signal.0 as usize].signals[h.signal.1 as usize]
}

/// Index of the best-scoring rule that passes `keep`.
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

/// Which browser wrote a network error page: as reported, or by the error's spelling.
fn browser_for(browser: Option<&str>, net_error: Option<&str>) -> &'static str {
    match browser.map(str::to_ascii_lowercase).as_deref() {
        Some(b) if b.contains("firefox") || b.contains("gecko") => return "firefox",
        Some(b) if b.contains("chrom") || b.contains("edge") => return "chrome",
        _ => {}
    }
    let e = net_error.unwrap_or_default();
    if ["NS_", "SSL_ERROR", "SEC_ERROR", "MOZILLA_PKIX"]
        .iter()
        .any(|p| e.starts_with(p))
    {
        "firefox"
    } else {
        "chrome"
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

/// A browser network error code written on a browser's page (`ERR_...`, `DNS_PROBE_...`,
/// Firefox's `SSL_ERROR_...`).
fn find_net_error(text: &str) -> Option<String> {
    const PREFIXES: &[&str] = &[
        "NET::ERR_",
        "ERR_",
        "DNS_PROBE_FINISHED_",
        "SSL_ERROR_",
        "SEC_ERROR_",
        "MOZILLA_PKIX_ERROR_",
        "NS_ERROR_",
    ];
    let bytes = text.as_bytes();
    let mut best: Option<(usize, &str)> = None;
    for p in PREFIXES {
        if let Some(at) = memchr::memmem::find(bytes, p.as_bytes()) {
            // A code is a run of capitals, digits, underscores (and the `::` of NET::).
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':')
            {
                continue;
            }
            let end = bytes[at..]
                .iter()
                .position(|b| {
                    !(b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_' || *b == b':')
                })
                .map_or(bytes.len(), |e| at + e);
            let code = &text[at..end];
            if code.len() > p.len() && best.is_none_or(|(b, _)| at < b) {
                best = Some((at, code));
            }
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Reads a status off a page without a status line: from a signal that implies one, else
/// from a three-digit code near an error word in the title or the first lines of text.
fn infer_status(
    hits: &[Hit],
    page: &PageText,
    author: Option<usize>,
    line_of: &dyn Fn(usize) -> usize,
) -> Option<(u16, (String, Location))> {
    // The author's own signals first, then any log line, then anything else.
    let rank = |h: &&Hit| {
        let own = Some(h.signal.0 as usize) == author;
        let log = signal(h).place == Place::Log;
        (own, log, signal(h).weight)
    };
    if let Some(h) = hits
        .iter()
        .filter(|h| signal(h).status.is_some())
        .max_by_key(rank)
    {
        let s = signal(h);
        let location = match (h.region, s.place) {
            (_, Place::Log) => Location::Log {
                line: line_of(h.at),
            },
            (Region::Text, _) => Location::Text { offset: h.at },
            _ => Location::Body { offset: h.at },
        };
        return s
            .status
            .map(|code| (code, (text::shorten(&h.found, 120), location)));
    }
    let mut best: Option<(i32, u16, String, Location)> = None;
    let mut consider = |hay: &str, in_title: bool| {
        let b = hay.as_bytes();
        let mut i = 0;
        while i + 3 <= b.len() {
            let is_code = b[i..i + 3].iter().all(u8::is_ascii_digit)
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit());
            if !is_code {
                i += 1;
                continue;
            }
            let code = u16::from(b[i] - b'0') * 100
                + u16::from(b[i + 1] - b'0') * 10
                + u16::from(b[i + 2] - b'0');
            i += 3;
            if !(400..=599).contains(&code) {
                continue;
            }
            let Some(info) = crate::status::info(code) else {
                continue;
            };
            // Only the few bytes just before the code matter (and keep this linear).
            let from = (0..=(i - 3).saturating_sub(16))
                .rev()
                .find(|&f| hay.is_char_boundary(f))
                .unwrap_or(0);
            let before = hay[from..i - 3].to_ascii_lowercase();
            let before = before.trim_end_matches([' ', ':', '#', '(']);
            let after = hay[i..].trim_start_matches([' ', '.', ':', '-', ')', '(']);
            let mut score = 0;
            if in_title {
                score += 3;
            }
            if before.ends_with("error")
                || before.ends_with("error code")
                || before.ends_with("status")
            {
                score += 3;
            }
            if starts_with_reason(after, info.reason) {
                score += 4;
            }
            // A code that opens the page or its title reads as a heading.
            if i == 3 {
                score += 1;
            }
            if after.starts_with("That")
                || after
                    .as_bytes()
                    .get(..5)
                    .is_some_and(|a| a.eq_ignore_ascii_case(b"error"))
            {
                score += 2;
            }
            if score >= 3 && best.as_ref().is_none_or(|(s, ..)| score > *s) {
                let location = if in_title {
                    Location::Title
                } else {
                    Location::Text { offset: i - 3 }
                };
                let found = text::shorten(&hay[i - 3..], 60);
                best = Some((score, code, found, location));
            }
        }
    };
    if let Some(t) = &page.title {
        let end = (0..=t.len().min(2048))
            .rev()
            .find(|&e| t.is_char_boundary(e))
            .unwrap_or(0);
        consider(&t[..end], true);
    }
    let head_end = (0..=page.text.len().min(2048))
        .rev()
        .find(|&e| page.text.is_char_boundary(e))
        .unwrap_or(0);
    consider(&page.text[..head_end], false);
    best.map(|(_, code, found, loc)| (code, (found, loc)))
}

/// True when `text` begins with `reason`, comparing letters and digits only, ignoring case
/// (nginx writes "Gateway Time-out" for the registered "Gateway Timeout").
fn starts_with_reason(text: &str, reason: &str) -> bool {
    let mut t = text.bytes().take(64).filter(u8::is_ascii_alphanumeric);
    reason
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .all(|r| t.next().is_some_and(|c| c.eq_ignore_ascii_case(&r)))
}

/// Words that mark a page as reporting a failure, when no status says so.
const ERROR_WORDS: &[&str] = &[
    "error",
    "went wrong",
    "unavailable",
    "not found",
    "forbidden",
    "access denied",
    "failed",
    "timed out",
    "time-out",
    "try again",
    "can't be reached",
    "cannot be reached",
    "isn't working",
    "maintenance",
];

/// True when the title or the first lines of text use the words of an error page.
fn reads_as_error(page: &PageText) -> bool {
    let head = |s: &str| {
        let end = (0..=s.len().min(1024))
            .rev()
            .find(|&e| s.is_char_boundary(e))
            .unwrap_or(0);
        s[..end].to_ascii_lowercase()
    };
    let title = page.title.as_deref().map(head).unwrap_or_default();
    let text = head(&page.text);
    ERROR_WORDS
        .iter()
        .any(|w| title.contains(w) || text.contains(w))
}

/// Line numbers (from 1) of log hits, computed in one pass over the body.
fn line_numbers<'a>(body: &'a [u8], hits: &[Hit]) -> impl Fn(usize) -> usize + 'a {
    let mut offsets: Vec<usize> = hits
        .iter()
        .filter(|h| signal(h).place == Place::Log && h.region == Region::Body)
        .map(|h| h.at)
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut lines = Vec::with_capacity(offsets.len());
    let mut line = 1;
    let mut pos = 0;
    for &off in &offsets {
        let off = off.min(body.len());
        line += memchr::memchr_iter(b'\n', &body[pos..off]).count();
        pos = off;
        lines.push((off, line));
    }
    move |at: usize| lines.iter().find(|(o, _)| *o == at).map_or(1, |(_, l)| *l)
}

/// The failing hop, from what wrote the page, the status and the facts found.
pub(crate) fn decide_hop(
    rule: Option<&Rule>,
    source: &Source,
    status: Option<u16>,
    facts: &[Fact],
    net_hop: Option<Hop>,
    has_net_error: bool,
) -> Hop {
    if has_net_error && status.is_none() {
        return net_hop.unwrap_or(Hop::Network);
    }
    if source.category == Category::None {
        return Hop::Unknown;
    }
    if let (Some(r), Some(s)) = (rule, status)
        && let Some((_, h)) = r.hops.iter().find(|(code, _)| *code == s)
    {
        return *h;
    }
    let role = rule.map_or(Hop::Origin, |r| r.role);
    use Fact::*;
    const ORIGIN_FACTS: &[Fact] = &[
        UpstreamRefused,
        UpstreamClosed,
        UpstreamReset,
        UpstreamTimeout,
        UpstreamInvalid,
        UpstreamHeaderTooBig,
        UpstreamDns,
        UpstreamTls,
        NoUpstream,
        OriginUnreachable,
        OriginTls,
        AppCrashed,
        AppBootTimeout,
        PhpFpm,
        UpstreamFailed,
    ];
    if facts.contains(&RequestTooLarge) {
        return Hop::Browser;
    }
    if facts.contains(&EdgeInternal) {
        return Hop::Edge;
    }
    if facts.iter().any(|f| ORIGIN_FACTS.contains(f)) {
        return Hop::Origin;
    }
    if facts.iter().any(|f| matches!(*f, Blocked | RateLimited)) {
        return if role == Hop::Browser {
            Hop::Origin
        } else {
            role
        };
    }
    let Some(s) = status else {
        return if source.category == Category::Site {
            Hop::Origin
        } else {
            Hop::Unknown
        };
    };
    match s {
        431 | 494 => Hop::Browser,
        // A gateway's own answer about the server behind it.
        s if crate::status::gateway_answer(s) => Hop::Origin,
        // A proxy or CDN that failed itself; a site's page is the origin's.
        500 | 501 | 505..=511 => match role {
            Hop::Edge | Hop::Gateway => role,
            _ => Hop::Origin,
        },
        407 => Hop::Network,
        403 | 429 => match role {
            Hop::Edge | Hop::Gateway => role,
            _ => Hop::Origin,
        },
        400..=499 => Hop::Origin,
        _ => Hop::Unknown,
    }
}

/// `Retry-After`: seconds, or an HTTP date turned into seconds using the `Date` header.
fn retry_after(value: &str, date: Option<&str>) -> (Option<u64>, Option<String>) {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return (Some(secs.min(7 * 24 * 3600)), None);
    }
    match (parse_http_date(v), date.and_then(parse_http_date)) {
        (Some(at), Some(now)) => (Some(at.saturating_sub(now)), None),
        (Some(_), None) => (None, Some(v.to_string())),
        _ => (None, None),
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into seconds since 1970.
fn parse_http_date(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, _] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u64 + 1;
    let year: u64 = year.parse().ok()?;
    let mut t = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, mi, se) = (t.next()??, t.next()??, t.next()??);
    if !(1970..=9999).contains(&year) || !(1..=31).contains(&day) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from civil date (Howard Hinnant's algorithm).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:10 GMT"), Some(10));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            retry_after(
                "Sun, 22 Nov 2026 01:05:00 GMT",
                Some("Sun, 22 Nov 2026 01:00:00 GMT")
            ),
            (Some(300), None)
        );
        assert_eq!(retry_after("120", None), (Some(120), None));
        assert_eq!(parse_http_date("garbage"), None);
    }

    #[test]
    fn net_error_codes() {
        assert_eq!(
            find_net_error("This site can't be reached ERR_CONNECTION_REFUSED Reload").as_deref(),
            Some("ERR_CONNECTION_REFUSED")
        );
        assert_eq!(
            find_net_error("DNS_PROBE_FINISHED_NXDOMAIN").as_deref(),
            Some("DNS_PROBE_FINISHED_NXDOMAIN")
        );
        assert_eq!(
            find_net_error("NET::ERR_CERT_DATE_INVALID").as_deref(),
            Some("NET::ERR_CERT_DATE_INVALID")
        );
    }
}
