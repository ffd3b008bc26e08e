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

/// How much of the visible text is read (the start of a long paste says what it is; the
/// work stays bounded whatever the size of the input).
const PHRASE_WINDOW: usize = 256 * 1024;

/// Fewest words and sentences for a text to count as prose: error pages have a heading and
/// a few short sentences; a guide or a thread has paragraphs.
const MIN_WORDS: usize = 150;
const MIN_SENTENCES: usize = 8;

/// Phrases of writing about errors: guides, help centres, news, forum threads. A test checks
/// that no error page among the fixtures reads as an article, even pasted without its
/// response.
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
    "related articles",
    "share this article",
    "share this post",
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
    /// A post or message asking for help that quotes the page of the product at this index
    /// in [`RULES`] (verbatim in a block, or in its words when the message is short):
    /// diagnosed as that page, with less certainty.
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

#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn read(o: &Observation<'_>, scan: &Scan, scores: &Scores) -> Prose {
    // What a server sent, a browser observed or a HAR recorded is what it is: only pasted
    // text is read as prose (which also spares a response the phrase search below).
    let pasted = o.status.is_none()
        && o.net_error.is_none()
        && matches!(o.form, InputForm::Text | InputForm::Html);
    if !pasted {
        return Prose::default();
    }
    let start = prefix(&scan.page.text, PHRASE_WINDOW);
    let (words, sentences) = count(start);
    let mut window = start.to_ascii_lowercase();
    if let Some(t) = &scan.page.title {
        window.push(' ');
        window.push_str(&prefix(t, 1024).to_ascii_lowercase());
    }
    let present = |list: &[&'static str]| -> Vec<&'static str> {
        list.iter()
            .copied()
            .filter(|p| crate::text::find(window.as_bytes(), p.as_bytes()).is_some())
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
    if pasted && !prose.about_errors() && prose.asks() && prose.words >= 10 {
        // A short message asking about what the person sees ("every page says 502 Bad
        // Gateway nginx, anyone know why? I already restarted ..."): the page it reports,
        // less sure than the page itself.
        if let Some(i) = scores.author {
            prose.reading = Reading::QuotedPage(i);
        }
    } else if pasted && prose.about_errors() {
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
            log: None,
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
                let at =
                    crate::text::find(lower.as_bytes(), h.found.to_ascii_lowercase().as_bytes())?;
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
            .and_then(|rest| crate::text::find(rest, open))
            .map(|a| from + a)
        {
            let end = lower
                .get(a..)
                .and_then(|rest| crate::text::find(rest, close))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::obs;

    fn read_text(form: InputForm, body: &str) -> Prose {
        let o = obs(form, None, &[], body.as_bytes());
        let scan = scan::scan(&o);
        let scores = score::score(&scan.hits, false);
        read(&o, &scan, &scores)
    }

    #[test]
    fn words_and_sentences_are_counted_in_one_pass() {
        assert_eq!(count(""), (0, 0));
        // "Too short." has two words: not a sentence; numbers are not words.
        assert_eq!(
            count("Too short. This one has five words. Is this one long enough? 502 504"),
            (12, 2)
        );
        assert_eq!(count("It said \"this is the end.\" Then"), (7, 1));
    }

    #[test]
    fn prefixes_cut_at_character_boundaries() {
        assert_eq!(prefix("héllo", 2), "h");
        assert_eq!(prefix("héllo", 3), "hé");
        assert_eq!(prefix("abc", 10), "abc");
    }

    #[test]
    fn quoted_blocks_are_fences_indents_quotes_and_code_elements() {
        let text = b"intro\n```\n<center>nginx</center>\n```\nprose\n    indented\n> quoted\n<pre>x</pre> tail";
        let blocks = quoted_blocks(text);
        let at = |needle: &[u8]| memchr::memmem::find(text, needle).unwrap_or(usize::MAX);
        let inside = |pos: usize| blocks.iter().any(|&(a, b)| pos >= a && pos < b);
        assert!(inside(at(b"<center>")));
        assert!(inside(at(b"indented")));
        assert!(inside(at(b"quoted")));
        assert!(inside(at(b"x</pre>")));
        assert!(!inside(at(b"intro")));
        assert!(!inside(at(b"prose")));
        assert!(!inside(at(b"tail")));
        // An unclosed fence runs to the end; an unclosed element too.
        assert_eq!(quoted_blocks(b"a\n```\nb"), vec![(2, 7)]);
        assert_eq!(quoted_blocks(b"<pre>b"), vec![(0, 6)]);
    }

    const GUIDE_TEXT: &str = "How to fix a 502 error. In this article we explain what the error means for you. \
        A gateway passes your request to another server and waits for its answer here. \
        When that server fails, the gateway shows an error page with the status on it. \
        The page can come from nginx, from Apache or from a CDN in front of the site. \
        Each of them words it differently, but the cause is the same in every case. \
        Start by reloading the page after a minute or two, it often helps already. \
        If it does not, try another network to see if your connection is involved. \
        Site owners should read the logs of the proxy first to see what it reported. \
        Conclusion: most of these errors are short and fixed on the server side soon.";

    #[test]
    fn a_guide_is_an_article_and_a_short_page_is_not() {
        let long = GUIDE_TEXT.repeat(3);
        let p = read_text(InputForm::Text, &long);
        assert_eq!(p.reading, Reading::Article, "{p:?}");
        assert!(p.guide.contains(&"how to fix") && p.guide.contains(&"in this article"));
        // The same words sent by a server with a status are what it sent.
        let sent = obs(InputForm::Http, Some(502), &[], long.as_bytes());
        let scan = scan::scan(&sent);
        let scores = score::score(&scan.hits, true);
        assert_eq!(read(&sent, &scan, &scores).reading, Reading::Page);
        // Too few words to be prose.
        let short = "How to fix this? In this article: nothing. Bad gateway.";
        assert_eq!(read_text(InputForm::Text, short).reading, Reading::Page);
    }

    const QUESTION: &str = "My site shows an error since the move and I'm stuck on it.\n\
        I already restarted everything twice and rebooted the whole server as well.\n\
        Here is what every page shows me now, on every browser I tried so far:\n\
        ```\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n\
        <center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n```\n\
        The static files still load fine, so the web server itself seems to work.\n\
        The application service says it is active and running without any errors.\n\
        What am I missing here? Any ideas are welcome, thanks in advance to everyone.\n\
        I have been reading the documentation of both programs for hours by now.\n";

    #[test]
    fn a_question_quoting_one_product_s_page_reads_as_that_page() {
        let p = read_text(InputForm::Text, QUESTION);
        let nginx = crate::engine::testing::idx("nginx");
        assert_eq!(p.reading, Reading::QuotedPage(nginx), "{p:?}");
        // The same page in the prose, not in a block: an article that mentions it.
        let unquoted = QUESTION.replace("```\n", "");
        assert_eq!(
            read_text(InputForm::Text, &unquoted).reading,
            Reading::Article
        );
    }

    #[test]
    fn a_short_message_asking_about_a_page_reads_as_that_page() {
        let nginx = crate::engine::testing::idx("nginx");
        let message = "every page just says 502 Bad Gateway nginx. I already restarted the app, anyone know what else to check?";
        assert_eq!(
            read_text(InputForm::Text, message).reading,
            Reading::QuotedPage(nginx)
        );
        // The page's own words, with nobody asking: the page.
        let page = "502 Bad Gateway nginx";
        assert_eq!(read_text(InputForm::Text, page).reading, Reading::Page);
        // Asking, but no product's signature: nothing to name.
        let vague =
            "the site is down again. I already restarted it, anyone know why it keeps failing?";
        assert_eq!(read_text(InputForm::Text, vague).reading, Reading::Page);
    }

    #[test]
    fn a_page_quoted_escaped_in_a_saved_post_is_found_and_placed() {
        let escaped = QUESTION
            .replace("```\n", "")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let saved = format!(
            "<html><head><title>Question</title></head><body><p>{}</p><pre><code>{}</code></pre></body></html>",
            "My site shows an error since the move and I'm stuck on it. I already restarted everything twice and rebooted the whole server as well. The static files still load fine, so the web server itself seems to work. What am I missing here? Any ideas are welcome, thanks in advance to everyone. I have been reading the documentation of both programs for hours by now. The application service says it is active and running without any errors.",
            escaped
        );
        let p = read_text(InputForm::Html, &saved);
        let nginx = crate::engine::testing::idx("nginx");
        assert_eq!(p.reading, Reading::QuotedPage(nginx), "{p:?}");
        assert!(!p.quoted_hits.is_empty());
        let o = obs(InputForm::Html, None, &[], saved.as_bytes());
        let text = scan::scan(&o).page.text;
        for h in &p.quoted_hits {
            assert_eq!(h.region, Region::Text);
            let placed = text.get(h.at..h.at + h.found.len()).unwrap_or_default();
            assert!(
                placed.eq_ignore_ascii_case(&h.found),
                "{placed:?} vs {:?}",
                h.found
            );
        }
    }

    /// Every error page among the fixtures, pasted without its response (its body alone, as
    /// text or HTML), still reads as a page: the detector never takes an error page for an
    /// article.
    #[test]
    fn no_error_page_among_the_fixtures_reads_as_an_article() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut checked = 0;
        let mut articles = Vec::new();
        for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            if dir.file_name() == "articles" || dir.file_name() == "none" {
                continue;
            }
            for f in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let p = f.path();
                let name = p.to_string_lossy().to_string();
                if p.is_dir()
                    || name.ends_with(".toml")
                    || name.ends_with(".json")
                    || name.ends_with(".md")
                {
                    continue;
                }
                let bytes = std::fs::read(&p).unwrap_or_default();
                let Ok(full) = crate::input::read(&bytes) else {
                    continue;
                };
                let form = if crate::text::looks_like_html(&full.body) {
                    InputForm::Html
                } else {
                    InputForm::Text
                };
                let pasted = obs(form, None, &[], &full.body);
                let scan = scan::scan(&pasted);
                let scores = score::score(&scan.hits, false);
                checked += 1;
                if read(&pasted, &scan, &scores).is_article() {
                    articles.push(name);
                }
            }
        }
        assert!(checked > 100, "only {checked} fixtures read");
        assert!(
            articles.is_empty(),
            "error pages read as articles: {articles:#?}"
        );
    }
}
