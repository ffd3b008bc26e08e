//! Log lines recognised by their format (`crate::logs`): the product a format names, and a
//! log of several requests, where each failing request is diagnosed on its own so that
//! one request's status is never mixed with another's cause. The most recent failure on
//! the server's side (5xx, or an error line with no status) is the diagnosis; the other
//! failures are counted by kind.

use super::scan::Found;
use crate::input::Observation;
use crate::logs::{LineRef, LogView, Request};
use crate::matcher::Region;
use crate::model::{Category, Diagnosis, InputForm, Location, OtherFailure, Source};
use crate::rules::{Place, RULES};
use std::borrow::Cow;

/// At most this many of the most recent requests that may have failed are diagnosed.
pub const MAX_EXAMINED: usize = 500;
/// At most this many line numbers are listed per kind of failure.
const MAX_LINES: usize = 10;

/// Adds the `hints` (who wrote the log, found elsewhere in it) not found here already,
/// then, when no log signal at all was found, a hit for the product each line format
/// names, at its first line. True when any was added.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn add_format_hits(o: &Observation<'_>, hits: &mut Vec<Found>, hints: &[Found]) -> bool {
    let Some(view) = &o.log else {
        return false;
    };
    let mut added = false;
    for h in hints {
        if !hits.iter().any(|x| std::ptr::eq(x.signal, h.signal)) {
            hits.push(h.clone());
            added = true;
        }
    }
    // A product's own log signals say more than the format (OpenResty writes nginx's).
    if hits.iter().any(|h| h.signal.place == Place::Log) {
        return added;
    }
    for r in &view.requests {
        let Some((id, signal)) = r.format.signal() else {
            continue;
        };
        let Some(rule) = RULES.iter().position(|x| x.id == id) else {
            continue;
        };
        if hits.iter().any(|h| h.rule == rule) {
            continue;
        }
        let Some(first) = r.lines.first() else {
            continue;
        };
        let line = o.body.get(first.start..first.end).unwrap_or_default();
        hits.push(Found {
            rule,
            signal,
            at: first.start,
            found: crate::text::shorten(&String::from_utf8_lossy(line), 80),
            region: Region::Body,
        });
        added = true;
    }
    added
}

/// Confidence at most given to the site's side for log lines whose format names no server.
const UNNAMED_FORMAT_CONFIDENCE: f64 = 0.4;

/// When the lines' format names no product and no product's signal was found: says which
/// format it is, and keeps the confidence low (the server that logged it is unknown).
pub fn unnamed_format(o: &Observation<'_>, source: &mut Source) -> Option<String> {
    let format = o.log.as_ref()?.main_format()?;
    let named = RULES
        .iter()
        .any(|r| r.id == source.id && r.category != Category::Site);
    if format.signal().is_some() || named {
        return None;
    }
    source.confidence = source.confidence.min(UNNAMED_FORMAT_CONFIDENCE);
    Some(format!(
        "The lines are in {}: the format does not say which server wrote them.",
        format.describe()
    ))
}

/// Diagnoses a log of several requests with `one` (the single-request pipeline).
pub fn diagnose_requests(
    o: &Observation<'_>,
    view: &LogView,
    one: fn(&Observation<'_>, &[Found]) -> Diagnosis,
) -> Diagnosis {
    let hints = writer_hints(o);
    let candidates: Vec<&Request> = view.requests.iter().filter(|r| r.may_fail).collect();
    let skipped = candidates.len().saturating_sub(MAX_EXAMINED);
    let mut failures: Vec<(&Request, Vec<usize>, Diagnosis)> = Vec::new();
    for r in candidates.iter().skip(skipped) {
        let (sub, starts) = request_observation(o, r);
        let d = one(
            &sub,
            &hints.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>(),
        );
        if d.source.category != Category::None {
            failures.push((r, starts, d));
        }
    }
    let server_side = |d: &Diagnosis| d.status.is_none_or(|s| s >= 500);
    let focus = failures
        .iter()
        .rposition(|(_, _, d)| server_side(d))
        .or_else(|| failures.len().checked_sub(1));
    let Some(focus) = focus else {
        // Nothing failed: the log as a whole (its successes and notices).
        return one(o, &[]);
    };
    let (request, starts, mut d) = failures.remove(focus);
    remap(&mut d, request, &starts);
    // A hint's evidence points at the line it was found on.
    for e in &mut d.evidence {
        if let Some((_, line)) = hints
            .iter()
            .find(|(h, _)| h.found == e.found && h.signal.meaning == e.meaning)
        {
            e.location = Location::Log { line: *line };
        }
    }
    d.input_form = InputForm::Log;
    d.other_failures = by_kind(&failures);
    let others: usize = d.other_failures.iter().map(|f| f.count).sum();
    let line = request.first_line();
    let total = view.requests.len();
    // Counted among the requests examined: all that may have failed, or the last ones.
    let among = if skipped > 0 {
        format!("of the last {MAX_EXAMINED} requests that may have failed, ")
    } else {
        String::new()
    };
    d.notes.push(if others == 0 {
        format!(
            "The log holds {total} requests; {among}only the one at line {line} failed, and it is the one diagnosed."
        )
    } else {
        format!(
            "The log holds {total} requests; {among}{} failed. The most recent failure on the server's side (line {line}) is diagnosed, and {} listed by kind.",
            others + 1,
            if others == 1 {
                "the other one is".to_string()
            } else {
                format!("the {others} others are")
            }
        )
    });
    if skipped > 0 {
        d.notes.push(format!(
            "The {skipped} earlier requests that may have failed were not examined (at most {MAX_EXAMINED} are)."
        ));
    }
    d
}

/// Signals anywhere in the log that only say whose log it is (no status, no fact, no failing
/// hop: those speak of their own line's request), with the line each was found on; placed
/// at the start of a request's own lines.
fn writer_hints(o: &Observation<'_>) -> Vec<(Found, usize)> {
    let mut scan = super::scan::scan(o);
    if add_format_hits(o, &mut scan.hits, &[]) {
        scan.lines = super::scan::LogLines::new(&o.body, &scan.hits);
    }
    scan.hits
        .iter()
        .filter(|h| {
            h.signal.place == Place::Log
                && h.signal.status.is_none()
                && h.signal.fact.is_none()
                && h.signal.hop.is_none()
        })
        .map(|h| {
            let line = scan.lines.line(h.at);
            (Found { at: 0, ..h.clone() }, line)
        })
        .collect()
}

/// The observation of one request's lines alone, and where each of its lines starts in it.
fn request_observation<'a>(o: &Observation<'a>, r: &Request) -> (Observation<'a>, Vec<usize>) {
    let mut body = Vec::new();
    let mut starts = Vec::with_capacity(r.lines.len());
    let mut lines = Vec::with_capacity(r.lines.len());
    for (i, l) in r.lines.iter().enumerate() {
        starts.push(body.len());
        let text = o.body.get(l.start..l.end).unwrap_or_default();
        lines.push(LineRef {
            start: body.len(),
            end: body.len() + text.len(),
            number: i + 1,
        });
        body.extend_from_slice(text);
        body.push(b'\n');
    }
    let status = r.status.and_then(|(code, at)| {
        let i = r.lines.iter().position(|l| *l == at)?;
        Some((code, *lines.get(i)?))
    });
    let view = LogView {
        requests: vec![Request {
            lines,
            format: r.format,
            status,
            may_fail: r.may_fail,
        }],
    };
    let sub = Observation {
        form: InputForm::Log,
        status: None,
        status_text: None,
        headers: Vec::new(),
        body: Cow::Owned(body),
        net_error: None,
        browser: o.browser.clone(),
        url: o.url.clone(),
        notes: Vec::new(),
        log: Some(view),
    };
    (sub, starts)
}

/// Line numbers and body offsets of a request's diagnosis, back into the whole log.
fn remap(d: &mut Diagnosis, r: &Request, starts: &[usize]) {
    let fix = |loc: &mut Location| match loc {
        Location::Log { line } => {
            if let Some(l) = line.checked_sub(1).and_then(|i| r.lines.get(i)) {
                *line = l.number;
            }
        }
        Location::Body { offset } => {
            let i = starts.partition_point(|s| *s <= *offset).saturating_sub(1);
            if let (Some(s), Some(l)) = (starts.get(i), r.lines.get(i)) {
                *offset = l.start + (*offset - s);
            }
        }
        _ => {}
    };
    for e in &mut d.evidence {
        fix(&mut e.location);
    }
    for id in &mut d.ids {
        fix(&mut id.location);
    }
}

/// The failures grouped by status and summary, most recent kind first.
fn by_kind(failures: &[(&Request, Vec<usize>, Diagnosis)]) -> Vec<OtherFailure> {
    let mut kinds: Vec<OtherFailure> = Vec::new();
    for (r, _, d) in failures.iter().rev() {
        let line = r.first_line();
        match kinds
            .iter_mut()
            .find(|k| k.status == d.status && k.summary == d.summary)
        {
            Some(k) => {
                k.count += 1;
                if k.lines.len() < MAX_LINES {
                    k.lines.push(line);
                }
            }
            None => kinds.push(OtherFailure {
                status: d.status,
                summary: d.summary.clone(),
                count: 1,
                lines: vec![line],
            }),
        }
    }
    kinds
}
