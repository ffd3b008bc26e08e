//! Normalised observation -> diagnosis, as a pipeline of stages. Each stage is a function
//! in its own module that takes the earlier stages' typed output and returns its own;
//! nothing flows back. [`diagnose`] is the whole flow:
//!
//! 1. [`scan`]: visible text and title (a window of large bodies), one matcher pass per
//!    region -> [`Scan`] (hits, page text, form, log line numbers).
//! 2. [`score`]: hits -> [`Scores`] per rule, the signature author, the header-named product.
//! 3. [`prose`]: does pasted text read as writing about errors (an article, a guide, a
//!    thread) rather than an error page, and does a post quote one product's page ->
//!    [`Prose`].
//! 4. [`status`]: the HTTP status (sent or read off the page) and the browser network error
//!    -> [`Status`]; whether the input reports a failure at all.
//! 5. [`source`]: who wrote it and who relayed it, and how sure the evidence makes us ->
//!    [`Choice`] (source with its confidence, via).
//! 6. [`hop`]: the source's facts -> the failing [`Hop`].
//! 7. ids ([`crate::ids`]) and [`evidence`]: what to quote and why the answer is what it is.
//! 8. [`advise`]: one [`advice::Context`](crate::advice::Context) built from the findings,
//!    handed to `advice.rs` -> sentences, retry and fixes; then the [`Diagnosis`].

// Hostile input is the normal case: no indexing that could panic.
#![deny(clippy::indexing_slicing)]

mod advise;
mod evidence;
mod hop;
mod log;
mod prose;
mod scan;
mod score;
mod source;
mod status;
#[cfg(test)]
mod testing;

use crate::input::Observation;
use crate::model::{Diagnosis, Evidence, FailingHop, FoundId, Hop, InputForm};
use crate::rules::{Fact, RULES};
use advise::Advice;
use prose::Prose;
use scan::Scan;
use source::Choice;
use status::Status;

pub(crate) use hop::decide_hop;
pub(crate) use source::source_of;

pub(crate) use scan::{WINDOW_HEAD, WINDOW_TAIL, Window, is_windowed};

pub fn diagnose(o: &Observation<'_>) -> Diagnosis {
    match &o.log {
        // Log lines from several requests: each failing one on its own (see `log`).
        Some(view) if view.requests.len() > 1 => log::diagnose_requests(o, view, diagnose_with),
        _ => diagnose_window(o, Window::of(&o.body, o.form)),
    }
}

/// The diagnosis of `o` whose body is read through the window `w` (a large body of which
/// only the head and the tail were read).
pub fn diagnose_window(o: &Observation<'_>, w: Window<'_>) -> Diagnosis {
    diagnose_parts(o, w, &[])
}

/// One request's log lines, with `hints`: signals that say who wrote the log, found
/// elsewhere in it (one request's lines alone may not name the server whose log they are in).
fn diagnose_with(o: &Observation<'_>, hints: &[scan::Found]) -> Diagnosis {
    diagnose_parts(o, Window::of(&o.body, o.form), hints)
}

/// The stages in order. Each stage's entry point is `#[inline(never)]`: inlined into this
/// one function they made a 35 KB wasm function with thousands of locals, which V8's
/// baseline compiler (Liftoff, run lazily on the first call) took about 23 ms to compile,
/// more than half of the first diagnosis in a fresh instance. Apart, they compile in
/// about a millisecond, and a profile names each stage.
fn diagnose_parts(o: &Observation<'_>, w: Window<'_>, hints: &[scan::Found]) -> Diagnosis {
    let mut scan = scan::scan_window(o, w);
    if log::add_format_hits(o, &mut scan.hits, hints) {
        scan.lines = scan::LogLines::new(&o.body, &scan.hits);
    }
    let scores = score::score(&scan.hits, o.status.is_some());
    let prose = prose::read(o, &scan, &scores);
    // A page quoted HTML-escaped in a post: its signals join the rest, scored again.
    let (scan, scores) = if prose.quoted_hits.is_empty() {
        (scan, scores)
    } else {
        let mut scan = scan;
        scan.hits.extend(prose.quoted_hits.iter().cloned());
        let scores = score::score(&scan.hits, o.status.is_some());
        (scan, scores)
    };
    let status = if prose.is_article() {
        status::unreported(o)
    } else {
        status::status(o, &scan, &scores)
    };
    let choice = source::choose(o, &scan, &scores, &status, &prose);
    let facts = hop::facts(&scan.hits, choice.rule);
    let signal_hop = hop::signal_hop(&scan.hits, choice.rule);
    let hop = hop::failing_hop(&choice, &status, &facts, signal_hop);
    let ids = crate::ids::find(&o.headers, &scan.page.text, &scores.matched(), RULES);
    let evidence = evidence::collect(o, &scan, &status, &choice);
    let found = Findings {
        scan,
        prose,
        status,
        choice,
        facts,
        hop,
        ids,
        evidence,
    };
    let advice = advise::advise(&advise::context(o, &found));
    found.into_diagnosis(o, advice)
}

/// Everything the stages found, before advice.
struct Findings {
    scan: Scan,
    prose: Prose,
    status: Status,
    choice: Choice,
    facts: Vec<Fact>,
    hop: Hop,
    ids: Vec<FoundId>,
    evidence: Vec<Evidence>,
}

impl Findings {
    /// The input form as diagnosed (text recognised as log lines is `Log`, unless it reads
    /// as an article that quotes a log line).
    fn form(&self) -> InputForm {
        if self.prose.is_article() && self.scan.form == InputForm::Log {
            InputForm::Text
        } else {
            self.scan.form
        }
    }

    #[inline(never)] // a stage of its own: see `diagnose_parts`
    fn into_diagnosis(self, o: &Observation<'_>, advice: Advice) -> Diagnosis {
        let status = self.status.code;
        let status_text = o.status_text.clone().or_else(|| {
            status
                .and_then(crate::status::info)
                .map(|i| i.reason.to_string())
        });
        let input_form = self.form();
        let mut notes = o.notes.clone();
        notes.extend(self.scan.note);
        notes.extend(self.choice.note);
        let mut source = self.choice.source;
        notes.extend(log::unnamed_format(o, &mut source));
        Diagnosis {
            input_form,
            status,
            status_text,
            status_inferred: self.status.inferred.is_some(),
            net_error: self.status.canonical_net_error().map(str::to_string),
            url: o.url.clone(),
            failing_hop: FailingHop {
                hop: self.hop,
                explanation: advice.explanation,
            },
            summary: advice.summary,
            retry: advice.retry,
            visitor_fixes: advice.visitor_fixes,
            owner_fixes: advice.owner_fixes,
            source,
            via: self.choice.via,
            evidence: self.evidence,
            ids: self.ids,
            notes,
            other_failures: Vec::new(),
        }
    }
}
