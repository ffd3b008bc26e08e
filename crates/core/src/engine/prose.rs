//! Stage 3, prose: does pasted text read as writing *about* errors (an explainer, a
//! tutorial, a help-center article, a news report, a forum thread) rather than as an error
//! page, a response or log lines? Text that talks about errors quotes their signatures
//! ("502 Bad Gateway nginx", "upstream prematurely closed connection") in its sentences, so
//! without this stage it would be named after whichever product it mentions most.
//!
//! Only input a person pasted or saved counts (text or HTML with no status line, no
//! observed network error): a response sent with a status is what the server said. The
//! stage reads the page's shape (how many words and sentences, the phrases of guides and of
//! people asking for help) and how many products' signatures it carries, and hands on a
//! [`Reading`]. A post asking for help that quotes one product's page verbatim, in a code
//! block or an indented or fenced block, is read as that quoted page.

use super::scan::{self, Found, Scan};
use super::score::{self, AUTHOR_THRESHOLD, Scores};
use crate::input::Observation;
use crate::matcher::Region;
use crate::model::{Category, InputForm};
use crate::rules::RULES;

/// How much of the visible text is searched for the phrases below (the start of a long
/// paste says what it is; the work stays bounded).
const PHRASE_WINDOW: usize = 256 * 1024;

/// Fewest words and sentences for a text to count as prose: error pages have a heading and
/// a few short sentences; a guide or a thread has paragraphs.
const MIN_WORDS: usize = 150;
const MIN_SENTENCES: usize = 8;

/// Phrases of writing about errors: guides, help centres, news, forum threads. None of them
/// is on a product's error page (a test checks this against every fixture that is one).
const GUIDE: &[&str] = &[
    "how to fix",
    "how do i fix",
    "what is a ",
    "what does ",
    "what causes",
    "common causes",
    "causes of",
    "in this article",
    "in this guide",
    "in this tutorial",
    "this article",
    "this guide",
    "this tutorial",
    "table of contents",
    "step 1",
    "step 2",
    "method 1",
    "method 2",
    "frequently asked",
    "conclusion",
    "wrapping up",
    "summary",
    "related articles",
    "share this",
    "min read",
    "minute read",
    "last updated",
    "updated on",
    "written by",
    "posted on",
    "posted by",
    "was this article helpful",
    "subscribe",
    "comments",
    "leave a comment",
    "quote from",
    "reply #",
    "marking as solved",
    "spokesperson",
    "correspondent",
    "said:",
    "reviewed by",
];

/// Phrases of a person asking for help with a failure they are facing.
const ASKING: &[&str] = &[
    "any ideas",
    "any help",
    "i'm getting",
    "i am getting",
    "i keep getting",
    "i'm stuck",
    "been stuck",
    "what am i missing",
    "what am i doing wrong",
    "thanks in advance",
    "please help",
    "can anyone",
    "does anyone",
    "anyone know",
    "i already",
    "i tried",
    "i've tried",
    "i have tried",
    "since then",
    "asked ",
];

/// How the input is to be read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// An error page, a response or log lines: diagnosed as such.
    #[default]
    Page,
    /// Writing about errors: not an error page, nothing failed.
    Article,
    /// A post asking for help that quotes, verbatim, the page of the product at this index
    /// in [`RULES`]: diagnosed as that page, with less certainty.
    QuotedPage(usize),
}

/// What the prose stage hands on.
#[derive(Debug, Default, Clone)]
pub struct Prose {
    pub words: usize,
    pub sentences: usize,
    /// The phrases of guides, help pages, news and threads found, at most once each.
    pub guide: Vec<&'static str>,
    /// The phrases of a person asking for help found, at most once each.
    pub asking: Vec<&'static str>,
    /// How many products (not the site, not "none") have a page signature in the input.
    pub vendors: usize,
    pub reading: Reading,
    /// The signals of a page quoted HTML-escaped inside a saved page's code block (a
    /// forum's `<pre><code>&lt;html&gt;...`), placed at the quote in the visible text; the
    /// engine scores them with the rest.
    pub quoted_hits: Vec<Found>,
}

impl Prose {
    pub fn is_article(&self) -> bool {
        self.reading == Reading::Article
    }

    pub fn quoted(&self) -> Option<usize> {
        match self.reading {
            Reading::QuotedPage(i) => Some(i),
            _ => None,
        }
    }

    /// Writing about errors by its shape alone: paragraphs of sentences, and either the
    /// phrases of a guide or a thread, several products named, or sheer length.
    /// A question counts with fewer words: a post asking for help can be short.
    fn about_errors(&self) -> bool {
        let prose = self.words >= MIN_WORDS && self.sentences >= MIN_SENTENCES;
        (prose
            && (self.guide.len() >= 2
                || self.vendors >= 3
                || (self.sentences >= 30 && self.words >= 600)))
            || (self.asks() && self.words >= MIN_WORDS / 2 && self.sentences >= MIN_SENTENCES / 2)
    }

    /// Someone asking about a failure they face, rather than someone explaining one.
    fn asks(&self) -> bool {
        self.asking.len() >= 2 && self.asking.len() > self.guide.len()
    }
}

pub fn read(o: &Observation<'_>, scan: &Scan, scores: &Scores) -> Prose {
    let (words, sentences) = count(&scan.page.text);
    let mut window = prefix(&scan.page.text, PHRASE_WINDOW).to_ascii_lowercase();
    if let Some(t) = &scan.page.title {
        window.push(' ');
        window.push_str(&prefix(t, 1024).to_ascii_lowercase());
    }
    let present = |list: &[&'static str]| -> Vec<&'static str> {
        list.iter()
            .copied()
            .filter(|p| memchr::memmem::find(window.as_bytes(), p.as_bytes()).is_some())
            .collect()
    };
    let vendors = RULES
        .iter()
        .zip(&scores.per_rule)
        .filter(|(r, s)| s.author > 0.0 && !matches!(r.id, "custom" | "none"))
        .count();
    let mut prose = Prose {
        words,
        sentences,
        guide: present(GUIDE),
        asking: present(ASKING),
        vendors,
        reading: Reading::Page,
        quoted_hits: Vec::new(),
    };
    // What a server sent, a browser observed or a HAR recorded is what it is.
    let pasted = o.status.is_none()
        && o.net_error.is_none()
        && matches!(o.form, InputForm::Text | InputForm::Html);
    if pasted && prose.about_errors() {
        prose.reading = match quoted_author(&o.body, scan, scores) {
            Some(i) if prose.asks() => Reading::QuotedPage(i),
            _ => Reading::Article,
        };
        if prose.reading == Reading::Article
            && prose.asks()
            && let Some((i, hits)) = escaped_page(&o.body, &window)
        {
            prose.reading = Reading::QuotedPage(i);
            prose.quoted_hits = hits;
        }
    }
    prose
}

/// A whole page quoted HTML-escaped in a saved page's code block, when exactly one product
/// signs it: that product and its signals, placed where the quote's words are in the
/// visible text (`lower`, lower-cased); signals that cannot be placed are dropped.
fn escaped_page(body: &[u8], lower: &str) -> Option<(usize, Vec<Found>)> {
    let mut found: Option<(usize, Vec<Found>)> = None;
    let mut covered = 0;
    let mut blocks = html_blocks(body);
    blocks.sort_unstable();
    for (a, b) in blocks {
        if a < covered {
            continue;
        }
        covered = b;
        let quote = crate::text::html_text(body.get(a..b).unwrap_or_default()).text;
        if !crate::text::looks_like_html(quote.as_bytes()) {
            continue;
        }
        let page = Observation {
            form: InputForm::Html,
            status: None,
            status_text: None,
            headers: Vec::new(),
            body: std::borrow::Cow::Borrowed(quote.as_bytes()),
            net_error: None,
            browser: None,
            url: None,
            notes: Vec::new(),
        };
        let sub = scan::scan(&page);
        let Some(author) = score::score(&sub.hits, false).author else {
            continue;
        };
        if found.as_ref().is_some_and(|(i, _)| *i != author) {
            return None;
        }
        let placed = sub
            .hits
            .into_iter()
            .filter(|h| h.rule == author)
            .filter_map(|mut h| {
                let at = memchr::memmem::find(
                    lower.as_bytes(),
                    h.found.to_ascii_lowercase().as_bytes(),
                )?;
                h.at = at;
                h.region = Region::Text;
                Some(h)
            })
            .collect::<Vec<_>>();
        if !placed.is_empty() {
            found.get_or_insert((author, Vec::new())).1.extend(placed);
        }
    }
    found
}

/// The author, when its strongest signal lies in a quoted block of the raw input (a fenced
/// or indented block, a `>` quote, `<pre>`, `<code>`, `<blockquote>`) and no other product
/// has a signature of its own in the input.
fn quoted_author(body: &[u8], scan: &Scan, scores: &Scores) -> Option<usize> {
    let author = scores.author?;
    let signed = RULES
        .iter()
        .zip(&scores.per_rule)
        .filter(|(r, s)| s.author >= AUTHOR_THRESHOLD && r.category != Category::Site)
        .count();
    if signed != 1 {
        return None;
    }
    let strongest = scan
        .hits
        .iter()
        .filter(|h| h.rule == author && h.signal.place != crate::rules::Place::Header)
        .max_by_key(|h| h.signal.weight)?;
    if strongest.region != Region::Body {
        return None;
    }
    let blocks = quoted_blocks(body);
    blocks
        .iter()
        .any(|&(a, b)| strongest.at >= a && strongest.at < b)
        .then_some(author)
}

/// Byte ranges of the quoted blocks of a pasted text or page, in one pass over its lines
/// plus one search per kind of HTML element.
fn quoted_blocks(body: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut fence: Option<usize> = None;
    let mut pos = 0;
    for line in body.split(|&b| b == b'\n') {
        let (start, end) = (pos, pos + line.len());
        pos = end + 1;
        let t = line.trim_ascii_start();
        if t.starts_with(b"```") || t.starts_with(b"~~~") {
            match fence.take() {
                Some(s) => out.push((s, end)),
                None => fence = Some(start),
            }
            continue;
        }
        let indented = line.starts_with(b"    ") || line.starts_with(b"\t");
        if fence.is_none() && !t.is_empty() && (indented || t.starts_with(b">")) {
            out.push((start, end));
        }
    }
    if let Some(s) = fence {
        out.push((s, body.len()));
    }
    out.extend(html_blocks(body));
    out
}

/// Byte ranges of `<pre>`, `<code>`, `<blockquote>` and `<textarea>` elements.
fn html_blocks(body: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let lower = body.to_ascii_lowercase();
    for (open, close) in [
        (&b"<pre"[..], &b"</pre>"[..]),
        (b"<code", b"</code>"),
        (b"<blockquote", b"</blockquote>"),
        (b"<textarea", b"</textarea>"),
    ] {
        let mut from = 0;
        while let Some(a) = lower
            .get(from..)
            .and_then(|rest| memchr::memmem::find(rest, open))
            .map(|a| from + a)
        {
            let end = lower
                .get(a..)
                .and_then(|rest| memchr::memmem::find(rest, close))
                .map_or(lower.len(), |e| a + e + close.len());
            out.push((a, end));
            from = end.max(a + 1);
        }
    }
    out
}

/// Words (tokens with a letter) and sentences (runs of at least four words ending in `.`,
/// `!` or `?`), in one pass.
fn count(text: &str) -> (usize, usize) {
    let (mut words, mut sentences, mut run) = (0, 0, 0);
    for tok in text.split_ascii_whitespace() {
        if tok.bytes().any(|b| b.is_ascii_alphabetic()) {
            words += 1;
            run += 1;
        }
        let end = tok.trim_end_matches(['"', '\'', ')', ']', '*']);
        if end.ends_with(['.', '!', '?']) && run >= 4 {
            sentences += 1;
            run = 0;
        }
    }
    (words, sentences)
}

/// At most `max` bytes from the start of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}
