//! The evidence: what was found, where, and what it means; and the pasted text with each
//! matched snippet highlighted (as escaped text, never as HTML).

use crate::words::location_name;
use culprit_core::{Diagnosis, Location};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EvidenceListProps {
    pub diagnosis: Rc<Diagnosis>,
}

/// Names the signal's product, or says it is the status or the browser's error code.
fn speaks_for(d: &Diagnosis, id: &str) -> String {
    match id {
        "status" => "Status".to_string(),
        "net-error" => "Browser error".to_string(),
        _ if id == d.source.id => d.source.name.clone(),
        _ => d
            .via
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.name.clone())
            .or_else(|| culprit_core::rules::rule(id).map(|r| r.name.to_string()))
            .unwrap_or_else(|| id.to_string()),
    }
}

#[function_component(EvidenceList)]
pub fn evidence_list(props: &EvidenceListProps) -> Html {
    let d = &props.diagnosis;
    if d.evidence.is_empty() {
        return html! {
            <p id="evidence" class="muted">{"Nothing in the input names a product; the answer rests on the status and the wording alone."}</p>
        };
    }
    html! {
        <ol id="evidence" class="evidence">
            { for d.evidence.iter().enumerate().map(|(i, e)| html! {
                <li id={format!("ev-{}", i + 1)}>
                    <span class="ev-who">{ speaks_for(d, &e.source_id) }</span>
                    <code class="ev-found">{ e.found.clone() }</code>
                    <span class="ev-where">{ format!("in the {}", location_name(&e.location)) }</span>
                    <span class="ev-meaning">{ e.meaning.clone() }</span>
                </li>
            }) }
        </ol>
    }
}

/// A highlighted range of the input: byte offsets and the 1-based evidence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub evidence: usize,
}

/// Most highlights per piece of evidence.
const MAX_PER_EVIDENCE: usize = 20;

/// Finds each piece of evidence in the input, ignoring ASCII case. Linear in the input per
/// piece of evidence; overlapping marks keep the earlier one.
pub fn marks(input: &str, d: &Diagnosis) -> Vec<Mark> {
    let lower = input.to_ascii_lowercase();
    let mut out: Vec<Mark> = Vec::new();
    for (i, e) in d.evidence.iter().enumerate() {
        if matches!(e.location, Location::StatusLine | Location::NetError) {
            continue;
        }
        let needle = e.found.trim_end_matches('…').trim().to_ascii_lowercase();
        if needle.len() < 3 {
            continue;
        }
        let mut from = 0;
        let mut n = 0;
        while n < MAX_PER_EVIDENCE {
            let Some(rest) = lower.get(from..) else { break };
            let Some(at) = rest.find(&needle) else { break };
            let start = from + at;
            let end = start + needle.len();
            out.push(Mark {
                start,
                end,
                evidence: i + 1,
            });
            from = end;
            n += 1;
        }
    }
    out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<Mark> = Vec::with_capacity(out.len());
    for m in out {
        if kept.last().is_none_or(|k| m.start >= k.end) {
            kept.push(m);
        }
    }
    kept
}

/// Inputs longer than this are shown as excerpts around each mark.
const WHOLE_LIMIT: usize = 64 * 1024;
/// Context shown on each side of a mark in an excerpt.
const CONTEXT: usize = 240;
const MAX_EXCERPTS: usize = 40;

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The parts of the input to show: whole when short, else windows around the marks.
fn windows(input: &str, marks: &[Mark]) -> Vec<(usize, usize)> {
    if input.len() <= WHOLE_LIMIT {
        return vec![(0, input.len())];
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for m in marks {
        let a = floor_boundary(input, m.start.saturating_sub(CONTEXT));
        let b = ceil_boundary(input, m.end.saturating_add(CONTEXT));
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => {
                if out.len() == MAX_EXCERPTS {
                    break;
                }
                out.push((a, b));
            }
        }
    }
    if out.is_empty() {
        out.push((0, ceil_boundary(input, 4 * CONTEXT)));
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct PastedViewProps {
    pub diagnosis: Rc<Diagnosis>,
    /// What the person pasted (already decoded to text).
    pub input: Rc<str>,
}

#[function_component(PastedView)]
pub fn pasted_view(props: &PastedViewProps) -> Html {
    let input: &str = &props.input;
    let marks = use_memo((props.input.clone(), props.diagnosis.clone()), |(i, d)| {
        marks(i, d)
    });
    let parts = windows(input, &marks);
    let excerpted = parts.len() > 1 || parts.first().is_some_and(|p| p.1 - p.0 < input.len());
    let meaning = |n: usize| {
        props
            .diagnosis
            .evidence
            .get(n - 1)
            .map(|e| e.meaning.clone())
            .unwrap_or_default()
    };
    let mut nodes: Vec<Html> = Vec::new();
    for (k, &(a, b)) in parts.iter().enumerate() {
        if k > 0 || a > 0 {
            nodes.push(html! { <span class="gap">{"\n…\n"}</span> });
        }
        let mut at = a;
        for m in marks.iter().filter(|m| m.start >= a && m.end <= b) {
            if let Some(plain) = input.get(at..m.start) {
                nodes.push(html! { { plain.to_string() } });
            }
            if let Some(found) = input.get(m.start..m.end) {
                nodes.push(html! {
                    <mark data-evidence={m.evidence.to_string()} title={meaning(m.evidence)}>
                        { found.to_string() }<sup>{ m.evidence }</sup>
                    </mark>
                });
            }
            at = m.end;
        }
        if let Some(plain) = input.get(at..b) {
            nodes.push(html! { { plain.to_string() } });
        }
    }
    if excerpted && parts.last().is_some_and(|p| p.1 < input.len()) {
        nodes.push(html! { <span class="gap">{"\n…"}</span> });
    }
    html! {
        <>
            if excerpted {
                <p class="muted">{ format!(
                    "The input is {} KB, so only the parts around each match are shown.",
                    input.len() / 1024
                ) }</p>
            }
            <pre id="pasted" class="pasted" tabindex="0" aria-label="Your input, with the matched parts highlighted">{ for nodes }</pre>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnosis(input: &str) -> Diagnosis {
        match culprit_core::diagnose(input.as_bytes()) {
            Ok(d) => d,
            Err(e) => unreachable!("{e}"),
        }
    }

    const NGINX: &str = "HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\n\r\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.22.1</center></body></html>";

    #[test]
    fn marks_point_at_what_was_found() {
        let d = diagnosis(NGINX);
        let m = marks(NGINX, &d);
        assert!(!m.is_empty(), "nginx's signature is in the input");
        for mark in &m {
            let Some(found) = NGINX.get(mark.start..mark.end) else {
                unreachable!("mark inside the input")
            };
            let e = &d.evidence[mark.evidence - 1];
            assert!(
                e.found
                    .to_ascii_lowercase()
                    .contains(&found.to_ascii_lowercase())
            );
        }
        for w in m.windows(2) {
            assert!(w[0].end <= w[1].start, "marks do not overlap");
        }
    }

    #[test]
    fn long_inputs_are_excerpted_on_char_boundaries() {
        let filler = "é".repeat(50_000);
        let input = format!("{filler}{NGINX}{filler}");
        let d = diagnosis(&input);
        let m = marks(&input, &d);
        let w = windows(&input, &m);
        assert!(w.iter().map(|(a, b)| b - a).sum::<usize>() < input.len());
        for (a, b) in w {
            assert!(input.get(a..b).is_some());
        }
    }
}
