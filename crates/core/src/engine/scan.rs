//! Stage 1, scan: the observation's visible text, and every signal found in its header
//! values, raw body and visible text (one matcher pass per region).

use crate::input::Observation;
use crate::matcher::{self, Hit, Hits, Region};
use crate::model::InputForm;
use crate::rules::{Place, RULES, Signal};
use crate::text::{self, PageText};

/// Response bodies longer than `WINDOW_HEAD + WINDOW_TAIL` are scanned in a head and a
/// tail window (see [`window`]).
pub(crate) const WINDOW_HEAD: usize = 512 * 1024;
pub(crate) const WINDOW_TAIL: usize = 64 * 1024;

/// A signal found in the input, resolved to its rule and its definition.
#[derive(Debug, Clone)]
pub struct Found {
    /// Index of the signal's rule in [`RULES`].
    pub rule: usize,
    pub signal: &'static Signal,
    /// Byte offset into the scanned region (body, text) or the header index.
    pub at: usize,
    /// The matched bytes, as they appear in the input.
    pub found: String,
    pub region: Region,
}

/// What the scan stage hands on.
pub struct Scan {
    /// Every signal found, once each, in the order found: headers, body, text.
    pub hits: Vec<Found>,
    /// Visible text and title (of the head and tail windows of a large body).
    pub page: PageText,
    /// The observation's form, or `Log` when text turned out to be log lines.
    pub form: InputForm,
    /// Line numbers of log hits in the body.
    pub lines: LogLines,
    /// Said when a large body was read in windows.
    pub note: Option<String>,
}

/// The parts of a body that signatures are looked for in (see [`window`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window<'a> {
    /// The first bytes of the body (all of it when there is no tail).
    pub head: &'a [u8],
    /// The last bytes of the body, with their offset in it.
    pub tail: Option<(usize, &'a [u8])>,
    /// The whole body's length.
    pub len: usize,
}

impl<'a> Window<'a> {
    /// The window of a body held whole in memory.
    pub fn of(body: &'a [u8], form: InputForm) -> Self {
        let (head, tail) = window(body, form);
        Window {
            head,
            tail,
            len: body.len(),
        }
    }
}

pub fn scan(o: &Observation<'_>) -> Scan {
    scan_window(o, Window::of(&o.body, o.form))
}

/// The scan of `o` whose body is read through `w` (its head and tail windows; `o.body`
/// itself is only read for the log lines of pasted text, which is never windowed).
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn scan_window(o: &Observation<'_>, w: Window<'_>) -> Scan {
    let Window { head, tail, len } = w;
    let note = tail.map(|_| {
        format!(
            "The body is large ({} KB); signatures were looked for in its first {} KB and last {} KB.",
            len / 1024,
            WINDOW_HEAD / 1024,
            WINDOW_TAIL / 1024
        )
    });
    let page = page_text(o.form, head, tail);
    // Log signals count only in text a person pasted.
    // (`Log`: text that input reading recognised as log lines by their format.)
    let may_be_log = matches!(o.form, InputForm::Text | InputForm::Log);
    let hits = find(&o.headers, head, tail, &page, may_be_log);
    let form = if may_be_log && hits.iter().any(|h| h.signal.place == Place::Log) {
        InputForm::Log
    } else {
        o.form
    };
    let lines = LogLines::new(&o.body, &hits);
    Scan {
        hits,
        page,
        form,
        lines,
        note,
    }
}

/// The parts of a body that signatures are looked for in: the head, and the tail with its
/// offset. Text a person pasted is read whole; a response body (raw HTTP, HAR, observation)
/// above 576 KiB is read in its first 512 KiB and last 64 KiB: the error pages products
/// write are a few KB, and a signature in the middle of megabytes of content is content,
/// not authorship.
fn window(body: &[u8], form: InputForm) -> (&[u8], Option<(usize, &[u8])>) {
    if !is_windowed(form, body.len()) {
        return (body, None);
    }
    let tail_at = body.len() - WINDOW_TAIL;
    match (
        body.split_at_checked(WINDOW_HEAD),
        body.split_at_checked(tail_at),
    ) {
        (Some((head, _)), Some((_, tail))) => (head, Some((tail_at, tail))),
        _ => (body, None),
    }
}

/// Whether a body of `len` bytes in an input of `form` is read in a head and a tail window.
pub fn is_windowed(form: InputForm, len: usize) -> bool {
    let pasted = matches!(form, InputForm::Text | InputForm::Html | InputForm::Log);
    !pasted && len > WINDOW_HEAD + WINDOW_TAIL
}

/// Visible text and title: of HTML when the input is (or, unless pasted as text, looks
/// like) HTML, else the text with whitespace collapsed. A tail window's text follows an
/// ellipsis.
fn page_text(form: InputForm, head: &[u8], tail: Option<(usize, &[u8])>) -> PageText {
    let is_html =
        // Log lines are text whatever they quote (a WAF's line with a `<script>` payload).
        form == InputForm::Html
            || (!matches!(form, InputForm::Text | InputForm::Log) && text::looks_like_html(head));
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
    page
}

/// Runs the matcher over the headers, the body windows and the visible text; each place
/// counts only where it belongs (a title signal inside the title, a whole-text signal on
/// the whole text, log signals only when the input may be logs).
fn find(
    headers: &[(String, String)],
    head: &[u8],
    tail: Option<(usize, &[u8])>,
    page: &PageText,
    may_be_log: bool,
) -> Vec<Found> {
    let mut hits = Hits::new();
    matcher::scan_headers(headers, &mut hits);
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
    hits.list.into_iter().filter_map(resolve).collect()
}

/// A matcher hit with its rule index and signal looked up.
fn resolve(h: Hit) -> Option<Found> {
    let rule = usize::from(h.signal.0);
    let signal = RULES.get(rule)?.signals.get(usize::from(h.signal.1))?;
    Some(Found {
        rule,
        signal,
        at: h.at,
        found: h.found,
        region: h.region,
    })
}

/// Line numbers (from 1) of the log hits in the body, computed in one pass over it.
pub struct LogLines(Vec<(usize, usize)>);

impl LogLines {
    pub fn new(body: &[u8], hits: &[Found]) -> Self {
        let mut offsets: Vec<usize> = hits
            .iter()
            .filter(|h| h.signal.place == Place::Log && h.region == Region::Body)
            .map(|h| h.at)
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut lines = Vec::with_capacity(offsets.len());
        let mut line = 1;
        let mut pos = 0;
        for &off in &offsets {
            let off = off.min(body.len());
            line += memchr::memchr_iter(b'\n', body.get(pos..off).unwrap_or_default()).count();
            pos = off;
            lines.push((off, line));
        }
        LogLines(lines)
    }

    /// The line of a log hit at byte `at` of the body (1 for any other offset).
    pub fn line(&self, at: usize) -> usize {
        self.0.iter().find(|(o, _)| *o == at).map_or(1, |(_, l)| *l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{found, obs, sig};

    /// The first signal of any rule in `place` (with its rule index), so the tests do not
    /// depend on one product's wording.
    fn some_signal(place: Place) -> (usize, &'static Signal) {
        RULES
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.signals.iter().map(move |s| (i, s)))
            .find(|(_, s)| s.place == place && !s.pattern.is_empty() && !s.exact_case)
            .unwrap_or_else(|| unreachable!("some rule has a {place:?} signal"))
    }

    fn has<'a>(scan: &'a Scan, s: &'static Signal) -> Option<&'a Found> {
        scan.hits.iter().find(|h| std::ptr::eq(h.signal, s))
    }

    #[test]
    fn a_large_response_body_is_read_in_a_head_and_a_tail() {
        let body = vec![b'x'; WINDOW_HEAD + WINDOW_TAIL + 10];
        let (head, tail) = window(&body, InputForm::Http);
        assert_eq!(head.len(), WINDOW_HEAD);
        assert_eq!(
            tail.map(|(at, t)| (at, t.len())),
            Some((WINDOW_HEAD + 10, WINDOW_TAIL))
        );
        // Pasted text is read whole, and so is a body at the limit.
        assert_eq!(window(&body, InputForm::Text), (body.as_slice(), None));
        assert_eq!(window(&body, InputForm::Html).1, None);
        let at_limit = vec![b'x'; WINDOW_HEAD + WINDOW_TAIL];
        assert_eq!(window(&at_limit, InputForm::Har).1, None);
    }

    #[test]
    fn a_signature_in_the_middle_of_a_large_body_is_content() {
        let (_, s) = some_signal(Place::Body);
        let mut body = vec![b'.'; WINDOW_HEAD + WINDOW_TAIL + 1000];
        let middle = WINDOW_HEAD + 100;
        body.splice(middle..middle + s.pattern.len(), s.pattern.bytes());
        let middle = scan(&obs(InputForm::Http, Some(502), &[], &body));
        assert!(has(&middle, s).is_none(), "found in the middle");
        assert!(
            middle
                .note
                .is_some_and(|n| n.contains("first 512 KB and last 64 KB"))
        );

        let tail = body.len() - 200;
        body.splice(tail..tail + s.pattern.len(), s.pattern.bytes());
        let tail_scan = scan(&obs(InputForm::Http, Some(502), &[], &body));
        assert_eq!(
            has(&tail_scan, s).map(|h| (h.at, h.region)),
            Some((tail, Region::Body))
        );
    }

    #[test]
    fn a_title_signal_counts_in_the_title_only() {
        let (_, s) = some_signal(Place::Title);
        let in_title = format!("<html><title>{}</title><p>x</p></html>", s.pattern);
        let scan_t = scan(&obs(InputForm::Html, None, &[], in_title.as_bytes()));
        assert_eq!(has(&scan_t, s).map(|h| h.at), Some("<html><title>".len()));

        let in_body = format!("<html><title>x</title><p>{}</p></html>", s.pattern);
        let scan_b = scan(&obs(InputForm::Html, None, &[], in_body.as_bytes()));
        assert!(has(&scan_b, s).is_none());
    }

    #[test]
    fn a_whole_text_signal_needs_the_whole_text() {
        let (_, s) = some_signal(Place::WholeText);
        let alone = scan(&obs(InputForm::Http, Some(502), &[], s.pattern.as_bytes()));
        assert!(has(&alone, s).is_some_and(|h| h.region == Region::Text));
        let more = format!("{} and more", s.pattern);
        let more = scan(&obs(InputForm::Http, Some(502), &[], more.as_bytes()));
        assert!(has(&more, s).is_none());
    }

    #[test]
    fn log_signals_count_in_pasted_text_which_then_reads_as_a_log() {
        let (_, s) = some_signal(Place::Log);
        let text = format!("first line\nsecond line\n2026/01/01 {} here\n", s.pattern);
        let log = scan(&obs(InputForm::Text, None, &[], text.as_bytes()));
        assert_eq!(log.form, InputForm::Log);
        let hit = has(&log, s).unwrap_or_else(|| unreachable!("the log signal is found"));
        assert_eq!(log.lines.line(hit.at), 3);

        // The same lines in a response are a page quoting a log, not a log.
        let page = scan(&obs(InputForm::Http, Some(500), &[], text.as_bytes()));
        assert_eq!(page.form, InputForm::Http);
        assert!(has(&page, s).is_none());
    }

    #[test]
    fn header_values_are_scanned_with_their_index() {
        let (_, s) = some_signal(Place::Header);
        let name = s.header.unwrap_or_default();
        let headers = [("date", "today"), (name, s.pattern)];
        let scan = scan(&obs(InputForm::Http, Some(502), &headers, b""));
        assert_eq!(has(&scan, s).map(|h| h.region), Some(Region::Header(1)));
    }

    #[test]
    fn log_lines_are_counted_from_one_in_the_body() {
        let log = sig(Place::Log, 50);
        let text = sig(Place::Text, 50);
        let body = b"a\nb\nc\nd";
        let hits = [
            found("nginx", log, 6, Region::Body),
            found("nginx", log, 0, Region::Body),
            found("nginx", text, 4, Region::Body),
        ];
        let lines = LogLines::new(body, &hits);
        assert_eq!((lines.line(0), lines.line(6)), (1, 4));
        // Only log hits are numbered.
        assert_eq!(lines.line(4), 1);
    }
}
