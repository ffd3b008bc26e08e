//! Stage 3, status: what happened, as far as the protocol goes. The HTTP status (sent, or
//! read off a page that has no status line), the browser network error (observed, or
//! written on a browser's own page), and whether the input reports a failure at all.

use super::scan::{Found, LogLines, Scan};
use super::score::Scores;
use crate::input::Observation;
use crate::matcher::Region;
use crate::model::{Category, Location};
use crate::neterror::NetErrorInfo;
use crate::rules::{Place, RULES};
use crate::text::{self, PageText};

/// What the status stage hands on.
pub struct Status {
    /// The HTTP status: sent, or read off the page.
    pub code: Option<u16>,
    /// For a status read off the page: what was read, and where.
    pub inferred: Option<(String, Location)>,
    /// The network error as the browser (or its page) spelled it.
    pub net_error: Option<String>,
    pub net_info: Option<&'static NetErrorInfo>,
    /// The input reports a failure: an error status, a network error, or (with no status)
    /// the words of an error page.
    pub is_error: bool,
    /// A success or redirect that was sent as such: not an error page, whatever it quotes.
    pub sent_success: bool,
}

impl Status {
    /// The network error in its canonical spelling when known, else as found.
    pub fn canonical_net_error(&self) -> Option<&str> {
        self.net_info.map(|i| i.code).or(self.net_error.as_deref())
    }
}

#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn status(o: &Observation<'_>, scan: &Scan, scores: &Scores) -> Status {
    let net_error = net_error(o.net_error.as_deref(), scan, scores.author).or_else(|| {
        // A known code written in text that no product's signature explains and that has no
        // status: DevTools' console line, a bare `ERR_TIMED_OUT`, a sentence quoting one.
        (o.status.is_none() && scores.author.is_none())
            .then(|| find_net_error(&scan.page.text))
            .flatten()
            .filter(|c| crate::neterror::info(c).is_some())
    });
    let net_info = net_error.as_deref().and_then(crate::neterror::info);
    let (code, inferred) = match o.status {
        Some(s) => (Some(s), None),
        None => match log_status(o)
            .or_else(|| infer_status(&scan.hits, &scan.page, scores.author, &scan.lines))
        {
            Some((s, ev)) => (Some(s), Some(ev)),
            None => (None, None),
        },
    };
    // A product's own error page sent with a 2xx: PHP's fatal error printed into a 200, a
    // WAF's challenge (202) or block page (200). Only the author's own markup counts.
    let error_page_as_success =
        o.status.is_some_and(|s| (200..300).contains(&s)) && own_error_markup(scan, scores);
    // A redirect the visitor's network made to its own login page (a captive portal).
    let intercepted = network_redirect(o, scan, scores).is_some();
    let is_error = code.is_some_and(|s| s >= 400)
        || net_error.is_some()
        || error_page_as_success
        || intercepted
        || (code.is_none() && reads_as_error(&scan.page));
    let sent_success = o.status.is_some_and(|s| s < 400)
        && net_error.is_none()
        && !error_page_as_success
        && !intercepted;
    Status {
        code,
        inferred,
        net_error,
        net_info,
        is_error,
        sent_success,
    }
}

/// The product on the visitor's network (role `network`: a captive portal) that answered a
/// request with a redirect (3xx) to its own page, which its signals on the `Location` header
/// name with an authorship-level score: the request never reached the site.
pub fn network_redirect(o: &Observation<'_>, scan: &Scan, scores: &Scores) -> Option<usize> {
    if !o.status.is_some_and(|s| (300..400).contains(&s)) {
        return None;
    }
    scan.hits
        .iter()
        .filter(|h| h.signal.place == Place::Header && h.signal.header == Some("location"))
        .map(|h| h.rule)
        .find(|&i| {
            RULES
                .get(i)
                .is_some_and(|r| r.role == crate::model::Hop::Network)
                && scores.get(i).header >= super::score::AUTHOR_THRESHOLD
        })
}

/// Weight from which a signal is a string only its product writes (docs/rules.md).
const OWN_MARKUP_WEIGHT: u8 = 80;

/// True when the author's page carries, in its markup (raw body or title, not the visible
/// text an article could quote), a signal only that product writes and that says something
/// went wrong: it names a fact or implies an error status, or it is a site framework's
/// (whose rule files describe only their error pages: PHP's bold `Fatal error` line). A
/// product's own error page, whatever status it was sent with; a web server's markup that
/// also appears on ordinary pages (Apache's `<address>` footer on a directory listing)
/// does not count.
fn own_error_markup(scan: &Scan, scores: &Scores) -> bool {
    let Some(author) = scores.author else {
        return false;
    };
    let framework = RULES
        .get(author)
        .is_some_and(|r| r.category == Category::Site);
    scan.hits.iter().any(|h| {
        h.rule == author
            && h.region == Region::Body
            && matches!(h.signal.place, Place::Body | Place::Title)
            && h.signal.weight >= OWN_MARKUP_WEIGHT
            && (framework || h.signal.fact.is_some() || h.signal.status.is_some_and(|s| s >= 400))
    })
}

/// The status of text that reads as writing about errors (the prose stage): what it quotes
/// is not a status, and it reports no failure of its own.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn unreported(o: &Observation<'_>) -> Status {
    let net_info = o.net_error.as_deref().and_then(crate::neterror::info);
    Status {
        code: o.status,
        inferred: None,
        net_error: o.net_error.clone(),
        net_info,
        is_error: o.status.is_some_and(|s| s >= 400) || o.net_error.is_some(),
        sent_success: o.status.is_some_and(|s| s < 400) && o.net_error.is_none(),
    }
}

/// The network error: observed, or on a browser's own page (the author is a browser): a
/// code written on it, else one the browser's signals name.
fn net_error(observed: Option<&str>, scan: &Scan, author: Option<usize>) -> Option<String> {
    let browser_page = author.filter(|&i| {
        RULES
            .get(i)
            .is_some_and(|r| r.category == Category::Browser)
    });
    observed.map(str::to_string).or_else(|| {
        browser_page.and_then(|bi| {
            find_net_error(&scan.page.text).or_else(|| {
                // The most telling of the signals that name one (curl's `* connect to ...
                // failed: Connection refused` over its later, vaguer `Couldn't connect`).
                scan.hits
                    .iter()
                    .filter(|h| h.rule == bi && h.signal.net_error.is_some())
                    .rev()
                    .max_by_key(|h| h.signal.weight)
                    .and_then(|h| h.signal.net_error.map(str::to_string))
            })
        })
    })
}

/// A browser network error code written on a browser's page (`ERR_...`, `DNS_PROBE_...`,
/// Firefox's `SSL_ERROR_...`): the first in the text.
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
        if let Some(at) = crate::text::find(bytes, p.as_bytes()) {
            // A code is a run of capitals, digits, underscores (and the `::` of NET::); DevTools
            // writes `net::ERR_...` in lower case.
            let devtools = at
                .checked_sub(5)
                .and_then(|b| bytes.get(b..at))
                .is_some_and(|b| b.eq_ignore_ascii_case(b"net::"));
            if !devtools
                && at
                    .checked_sub(1)
                    .and_then(|before| bytes.get(before))
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b':')
            {
                continue;
            }
            let end = bytes
                .get(at..)
                .unwrap_or_default()
                .iter()
                .position(|b| {
                    !(b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_' || *b == b':')
                })
                .map_or(bytes.len(), |e| at + e);
            let Some(code) = text.get(at..end) else {
                continue;
            };
            if code.len() > p.len() && best.is_none_or(|(b, _)| at < b) {
                best = Some((at, code));
            }
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// The status one request's access or HAProxy log line records: what was sent to the
/// client, so it comes before any status a signal implies.
fn log_status(o: &Observation<'_>) -> Option<(u16, (String, Location))> {
    let [request] = o.log.as_ref()?.requests.as_slice() else {
        return None;
    };
    let (code, line) = request.status?;
    let text = String::from_utf8_lossy(o.body.get(line.start..line.end).unwrap_or_default());
    Some((
        code,
        (
            text::shorten(&text, 120),
            Location::Log { line: line.number },
        ),
    ))
}

/// Reads a status off a page without a status line: from a signal that implies one, else
/// from a three-digit code near an error word in the title or the first lines of text.
fn infer_status(
    hits: &[Found],
    page: &PageText,
    author: Option<usize>,
    lines: &LogLines,
) -> Option<(u16, (String, Location))> {
    // The author's own signals first, then any log line, then anything else.
    let rank = |h: &&Found| {
        let own = Some(h.rule) == author;
        let log = h.signal.place == Place::Log;
        (own, log, h.signal.weight)
    };
    if let Some(h) = hits
        .iter()
        .filter(|h| h.signal.status.is_some())
        .max_by_key(rank)
    {
        let location = match (h.region, h.signal.place) {
            (_, Place::Log) => Location::Log {
                line: lines.line(h.at),
            },
            (Region::Text, _) => Location::Text { offset: h.at },
            _ => Location::Body { offset: h.at },
        };
        return h
            .signal
            .status
            .map(|code| (code, (text::shorten(&h.found, 120), location)));
    }
    let mut best = None;
    if let Some(t) = &page.title {
        status_codes_in(head(t, 2048), true, &mut best);
    }
    status_codes_in(head(&page.text, 2048), false, &mut best);
    best.map(|(_, code, found, loc)| (code, (found, loc)))
}

/// The best-placed error code in `hay` so far: (score, code, what was read, where).
type Candidate = (i32, u16, String, Location);

/// Looks at every registered 4xx or 5xx code standing alone in `hay`, scores how much it
/// reads as the page's status (in the title, after "error" or "status", followed by its
/// reason phrase, opening the text, followed by "error"), and keeps a better one in `best`.
fn status_codes_in(hay: &str, in_title: bool, best: &mut Option<Candidate>) {
    let b = hay.as_bytes();
    let mut i = 0;
    while let Some(&[d0, d1, d2]) = b.get(i..i + 3) {
        let start = i;
        let is_code = [d0, d1, d2].iter().all(u8::is_ascii_digit)
            && start
                .checked_sub(1)
                .and_then(|p| b.get(p))
                .is_none_or(|c| !c.is_ascii_alphanumeric())
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit());
        if !is_code {
            i += 1;
            continue;
        }
        let code = u16::from(d0 - b'0') * 100 + u16::from(d1 - b'0') * 10 + u16::from(d2 - b'0');
        i += 3;
        if !(400..=599).contains(&code) {
            continue;
        }
        let Some(info) = crate::status::info(code) else {
            continue;
        };
        // Only the few bytes just before the code matter (and keep this linear).
        let from = (0..=start.saturating_sub(16))
            .rev()
            .find(|&f| hay.is_char_boundary(f))
            .unwrap_or(0);
        let before = hay
            .get(from..start)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let before = before.trim_end_matches([' ', ':', '#', '(']);
        let after = hay
            .get(i..)
            .unwrap_or_default()
            .trim_start_matches([' ', '.', ':', '-', ')', '(']);
        let mut score = 0;
        if in_title {
            score += 3;
        }
        if before.ends_with("error") || before.ends_with("error code") || before.ends_with("status")
        {
            score += 3;
        }
        if starts_with_reason(after, info.reason) {
            score += 4;
        }
        // A code that opens the page or its title reads as a heading.
        if start == 0 {
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
                Location::Text { offset: start }
            };
            let found = text::shorten(hay.get(start..).unwrap_or_default(), 60);
            *best = Some((score, code, found, location));
        }
    }
}

/// The first `max` bytes of `s` at most, cut at a character boundary.
fn head(s: &str, max: usize) -> &str {
    let end = (0..=s.len().min(max))
        .rev()
        .find(|&e| s.is_char_boundary(e))
        .unwrap_or(0);
    s.get(..end).unwrap_or_default()
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
    let title = page
        .title
        .as_deref()
        .map(|t| head(t, 1024).to_ascii_lowercase())
        .unwrap_or_default();
    let text = head(&page.text, 1024).to_ascii_lowercase();
    ERROR_WORDS
        .iter()
        .any(|w| title.contains(w) || text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{found, idx, obs, sig_with};
    use crate::model::InputForm;

    fn page(title: Option<&str>, text: &str) -> PageText {
        PageText {
            text: text.to_string(),
            title: title.map(str::to_string),
            title_range: None,
        }
    }

    fn scan_of(hits: Vec<Found>, page: PageText, body: &[u8]) -> Scan {
        let lines = LogLines::new(body, &hits);
        Scan {
            hits,
            page,
            form: InputForm::Text,
            lines,
            note: None,
        }
    }

    fn scores(author: Option<usize>) -> Scores {
        Scores {
            per_rule: Vec::new(),
            author,
            header_named: None,
        }
    }

    fn inferred(text: &str) -> Option<(u16, Location)> {
        let none = LogLines::new(b"", &[]);
        infer_status(&[], &page(None, text), None, &none).map(|(c, (_, l))| (c, l))
    }

    #[test]
    fn a_sent_status_is_the_status() {
        let implies_404 = sig_with(Place::Text, 90, |s| s.status = Some(404));
        let scan = scan_of(
            vec![found("nginx", implies_404, 0, Region::Text)],
            page(None, "pattern"),
            b"",
        );
        let st = status(
            &obs(InputForm::Http, Some(502), &[], b""),
            &scan,
            &scores(None),
        );
        assert_eq!((st.code, st.inferred), (Some(502), None));
        let st = status(&obs(InputForm::Html, None, &[], b""), &scan, &scores(None));
        assert_eq!(st.code, Some(404));
        assert_eq!(
            st.inferred,
            Some(("pattern".into(), Location::Text { offset: 0 }))
        );
    }

    #[test]
    fn a_status_signal_of_the_author_comes_first_then_a_log_line() {
        let strong = sig_with(Place::Text, 99, |s| s.status = Some(503));
        let own = sig_with(Place::Text, 10, |s| s.status = Some(502));
        let log = sig_with(Place::Log, 20, |s| s.status = Some(504));
        let body = b"one\ntwo pattern";
        let hits = vec![
            found("cloudflare", strong, 0, Region::Text),
            found("nginx", own, 5, Region::Text),
            found("haproxy", log, 8, Region::Body),
        ];
        let lines = LogLines::new(body, &hits);
        let p = page(None, "");
        let pick = |author| infer_status(&hits, &p, author, &lines).map(|(c, (_, l))| (c, l));
        assert_eq!(
            pick(Some(idx("nginx"))),
            Some((502, Location::Text { offset: 5 }))
        );
        assert_eq!(pick(None), Some((504, Location::Log { line: 2 })));
    }

    #[test]
    fn a_code_is_read_next_to_error_words() {
        assert_eq!(
            inferred("Oops. Error 502 Bad Gateway"),
            Some((502, Location::Text { offset: 12 }))
        );
        assert_eq!(
            inferred("status: 503"),
            Some((503, Location::Text { offset: 8 }))
        );
        // Followed by its reason phrase, in nginx's spelling.
        assert_eq!(
            inferred("the 504 Gateway Time-out"),
            Some((504, Location::Text { offset: 4 }))
        );
        // Not a code alone, nor digits inside a longer number or a word.
        assert_eq!(inferred("we sell 502 kinds of tea"), None);
        assert_eq!(inferred("Error 1502 Bad Gateway"), None);
        assert_eq!(inferred("Error x502 Bad Gateway"), None);
        assert_eq!(inferred("Error 302 Found"), None);
        // A code that reads only a little like a status (followed by "error") is not one.
        assert_eq!(inferred("we sold 502 errorless kits"), None);
        // A heading: the first code that reads best wins.
        assert_eq!(
            inferred("404 error, then Error 500 Internal Server Error"),
            Some((500, Location::Text { offset: 22 }))
        );
    }

    #[test]
    fn a_code_in_the_title_counts_more() {
        let none = LogLines::new(b"", &[]);
        let p = page(Some("404"), "Error 500");
        assert_eq!(
            infer_status(&[], &p, None, &none),
            Some((404, ("404".into(), Location::Title)))
        );
    }

    #[test]
    fn a_browser_page_names_its_network_error() {
        let chrome = idx("chrome");
        let named = sig_with(Place::Text, 90, |s| s.net_error = Some("ERR_TIMED_OUT"));
        let plain = page(None, "This site can't be reached");
        let with_code = page(None, "This site can't be reached ERR_CONNECTION_REFUSED");
        let hits = || vec![found("chrome", named, 0, Region::Text)];
        let browser = scores(Some(chrome));
        let o = obs(InputForm::Text, None, &[], b"");

        let st = status(&o, &scan_of(hits(), with_code, b""), &browser);
        assert_eq!(st.net_error.as_deref(), Some("ERR_CONNECTION_REFUSED"));
        assert!(st.is_error && !st.sent_success);
        let st = status(&o, &scan_of(hits(), plain, b""), &browser);
        assert_eq!(st.net_error.as_deref(), Some("ERR_TIMED_OUT"));
        // Only on a browser's page.
        let with_code = page(None, "ERR_CONNECTION_REFUSED");
        let st = status(
            &o,
            &scan_of(hits(), with_code, b""),
            &scores(Some(idx("nginx"))),
        );
        assert_eq!(st.net_error, None);
        // An observed one wins, and is spelt canonically on the way out.
        let mut seen = obs(InputForm::Observation, None, &[], b"");
        seen.net_error = Some("net::ERR_NAME_NOT_RESOLVED".into());
        let st = status(&seen, &scan_of(hits(), page(None, ""), b""), &browser);
        assert_eq!(st.net_error.as_deref(), Some("net::ERR_NAME_NOT_RESOLVED"));
        assert_eq!(st.canonical_net_error(), Some("ERR_NAME_NOT_RESOLVED"));
    }

    #[test]
    fn a_known_code_in_text_nobody_wrote_is_a_network_error() {
        let o = obs(InputForm::Text, None, &[], b"");
        let st = |text: &str, author| {
            status(&o, &scan_of(vec![], page(None, text), b""), &scores(author)).net_error
        };
        assert_eq!(
            st("Chrome keeps showing ERR_TIMED_OUT on our shop", None).as_deref(),
            Some("ERR_TIMED_OUT")
        );
        // Not a code the core does not know, nor on a page a product wrote, nor with a status.
        assert_eq!(st("ERR_NOT_A_REAL_ONE", None), None);
        assert_eq!(st("ERR_TIMED_OUT", Some(idx("nginx"))), None);
        let sent = obs(InputForm::Http, Some(502), &[], b"");
        let scan = scan_of(vec![], page(None, "ERR_TIMED_OUT"), b"");
        assert_eq!(status(&sent, &scan, &scores(None)).net_error, None);
    }

    #[test]
    fn the_most_telling_signal_names_the_network_error() {
        let vague = sig_with(Place::Body, 60, |s| {
            s.net_error = Some("ERR_CONNECTION_FAILED")
        });
        let exact = sig_with(Place::Body, 90, |s| {
            s.net_error = Some("ERR_CONNECTION_REFUSED")
        });
        let hits = vec![
            found("chrome", vague, 0, Region::Body),
            found("chrome", exact, 9, Region::Body),
        ];
        let o = obs(InputForm::Text, None, &[], b"");
        let st = status(
            &o,
            &scan_of(hits, page(None, ""), b""),
            &scores(Some(idx("chrome"))),
        );
        assert_eq!(st.net_error.as_deref(), Some("ERR_CONNECTION_REFUSED"));
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
        assert_eq!(find_net_error("SOME_ERR_THING ERR_"), None);
        // DevTools' console spelling, in a sentence.
        assert_eq!(
            find_net_error("GET https://a/ net::ERR_CERT_DATE_INVALID").as_deref(),
            Some("ERR_CERT_DATE_INVALID")
        );
        assert_eq!(find_net_error("x::ERR_TIMED_OUT"), None);
    }

    #[test]
    fn what_counts_as_an_error() {
        let st =
            |o: &Observation<'_>, p: PageText| status(o, &scan_of(vec![], p, b""), &scores(None));
        let text = obs(InputForm::Text, None, &[], b"");
        assert!(st(&text, page(None, "Something went wrong")).is_error);
        assert!(st(&text, page(Some("Site Maintenance"), "back soon")).is_error);
        assert!(!st(&text, page(None, "Welcome home")).is_error);
        let ok = obs(InputForm::Http, Some(200), &[], b"");
        let sent = st(&ok, page(None, "Something went wrong"));
        assert!(!sent.is_error && sent.sent_success);
        let gone = obs(InputForm::Http, Some(410), &[], b"");
        let sent = st(&gone, page(None, "Welcome home"));
        assert!(sent.is_error && !sent.sent_success);
    }

    #[test]
    fn reasons_compare_letters_and_digits() {
        assert!(starts_with_reason(
            "Gateway Time-out nginx",
            "Gateway Timeout"
        ));
        assert!(!starts_with_reason("Gateway", "Gateway Timeout"));
        assert_eq!(head("aé", 2), "a");
    }
}
