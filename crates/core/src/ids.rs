//! Identifiers worth quoting to a site owner: Ray IDs, request IDs, reference numbers, POPs.

use crate::model::{FoundId, Location};
use crate::rules::Rule;

/// Headers that carry a request identifier whatever product set them.
pub(crate) const GENERIC_HEADERS: &[(&str, &str, &str)] = &[
    ("x-request-id", "request-id", "Request ID"),
    ("x-correlation-id", "request-id", "Correlation ID"),
    ("request-id", "request-id", "Request ID"),
    ("x-amzn-trace-id", "trace-id", "AWS trace ID"),
    ("x-cloud-trace-context", "trace-id", "Google Cloud trace ID"),
    ("traceparent", "trace-id", "Trace ID (W3C traceparent)"),
];

/// Longest identifier kept.
const MAX_ID: usize = 128;

fn push(ids: &mut Vec<FoundId>, kind: &str, label: &str, value: &str, location: Location) {
    let value = value
        .trim()
        .trim_end_matches(['.', ',', ';', ')', '"', '\'']);
    if value.is_empty() || value.len() > MAX_ID {
        return;
    }
    // The same identifier seen twice, or once with and once without a `-POP` suffix
    // (Cloudflare's Ray ID in the `cf-ray` header and on the page): keep the longer one.
    let same =
        |a: &str, b: &str| a == b || a.strip_prefix(b).is_some_and(|rest| rest.starts_with('-'));
    if let Some(existing) = ids
        .iter_mut()
        .find(|i| i.kind == kind && (same(&i.value, value) || same(value, &i.value)))
    {
        if value.len() > existing.value.len() {
            existing.value = value.to_string();
        }
        return;
    }
    ids.push(FoundId {
        kind: kind.to_string(),
        label: label.to_string(),
        value: value.to_string(),
        location,
    });
}

/// Finds identifiers in headers and in the visible text. A product's own label ("Envoy
/// request ID") is given only when that product matched (`matched`); a header such as
/// `x-request-id` that any server may send is otherwise quoted under its generic name.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn find(
    headers: &[(String, String)],
    text: &str,
    matched: &[&'static Rule],
    all: &[Rule],
) -> Vec<FoundId> {
    let mut ids = Vec::new();
    let is_matched = |rule: &Rule| matched.iter().any(|m| m.id == rule.id);
    for rule in all.iter().filter(|r| is_matched(r)) {
        for spec in rule.ids {
            let Some(h) = spec.header else { continue };
            if let Some((name, value)) = headers.iter().find(|(n, _)| n == h) {
                let loc = || Location::Header { name: name.clone() };
                push(&mut ids, spec.kind, spec.label, value, loc());
                if spec.pop_after_dash
                    && let Some((_, pop)) = value.trim().rsplit_once('-')
                    && (2..=5).contains(&pop.len())
                    && pop.bytes().all(|b| b.is_ascii_alphanumeric())
                {
                    push(&mut ids, "pop", "Data centre (POP)", pop, loc());
                }
            }
        }
    }
    for (h, kind, label) in GENERIC_HEADERS {
        if let Some((name, value)) = headers.iter().find(|(n, _)| n == h) {
            push(
                &mut ids,
                kind,
                label,
                value,
                Location::Header { name: name.clone() },
            );
        }
    }
    let specs: Vec<_> = matched
        .iter()
        .flat_map(|r| r.ids.iter())
        .filter(|s| s.after.is_some())
        .collect();
    if !specs.is_empty() {
        let lower = text.to_ascii_lowercase();
        for spec in specs {
            let Some(marker) = spec.after else { continue };
            let marker = marker.to_ascii_lowercase();
            if let Some(p) = crate::text::find(lower.as_bytes(), marker.as_bytes()) {
                let after = text.get(p + marker.len()..).unwrap_or_default();
                let token = after
                    .trim_start_matches([' ', ':', '#'])
                    .split(char::is_whitespace)
                    .next()
                    .unwrap_or("");
                push(
                    &mut ids,
                    spec.kind,
                    spec.label,
                    token,
                    Location::Text { offset: p },
                );
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RULES, rule};

    fn labels(matched: &[&'static Rule]) -> Vec<String> {
        let headers = vec![("x-request-id".to_string(), "0f8c2b1e-5d4a".to_string())];
        find(&headers, "", matched, RULES)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn a_generic_request_id_is_named_after_a_product_only_when_it_matched() {
        let (Some(nginx), Some(envoy)) = (rule("nginx"), rule("envoy")) else {
            panic!("rules missing");
        };
        assert_eq!(labels(&[]), ["Request ID"]);
        assert_eq!(labels(&[nginx]), ["Request ID"]);
        assert_eq!(labels(&[envoy]), ["Envoy request ID"]);
    }
}
