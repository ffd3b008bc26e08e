//! Reference answers for explainers: what the core says when a product writes a page with
//! a given status (or a browser shows a given network error) and nothing more is known.
//!
//! The explainer site builds its status and product pages from these, so a reference page
//! and a live diagnosis can never disagree: both come from the same engine and advice.

use crate::advice::{self, Context};
use crate::engine::{decide_hop, source_of};
use crate::model::{Diagnosis, FailingHop, InputForm, Retry};
use crate::rules::rule;

/// The diagnosis of a page written by `source_id` with `status`, or of a browser's page for
/// `net_error`, with no other evidence. `None` for an unknown source id.
pub fn typical(source_id: &str, status: Option<u16>, net_error: Option<&str>) -> Option<Diagnosis> {
    let r = rule(source_id)?;
    let source = source_of(r, 1.0);
    let net = net_error.and_then(crate::neterror::info);
    let hop = decide_hop(
        Some(r),
        &source,
        status,
        &[],
        net.map(|i| i.hop),
        net_error.is_some(),
    );
    let ctx = Context {
        status,
        source_id: r.id,
        source_name: r.name,
        category: r.category,
        role: r.role,
        hop,
        facts: &[],
        net_error: net.map(|i| i.code).or(net_error),
        via: &[],
        has_ids: !r.ids.is_empty(),
        retry_after_seconds: None,
        retry_after_date: None,
        from_log: false,
        article: false,
        sent_success: None,
    };
    let retry: Retry = advice::retry(&ctx);
    Some(Diagnosis {
        input_form: InputForm::Observation,
        status,
        status_text: status.and_then(crate::status::reason).map(str::to_string),
        status_inferred: false,
        net_error: ctx.net_error.map(str::to_string),
        url: None,
        failing_hop: FailingHop {
            hop,
            explanation: advice::explain(&ctx),
        },
        summary: advice::summary(&ctx),
        retry,
        visitor_fixes: advice::visitor_fixes(&ctx),
        owner_fixes: advice::owner_fixes(&ctx),
        source,
        via: Vec::new(),
        evidence: Vec::new(),
        ids: Vec::new(),
        notes: Vec::new(),
        other_failures: Vec::new(),
    })
}

/// The statuses a product is known to write: its own vendor codes, the codes its rules
/// give a hop for, and the codes its signals imply; ascending.
pub fn statuses_of(source_id: &str) -> Vec<u16> {
    let mut out: Vec<u16> = crate::status::all()
        .into_iter()
        .filter(|s| s.vendor == Some(source_id))
        .map(|s| s.code)
        .collect();
    if let Some(r) = rule(source_id) {
        out.extend(r.hops.iter().map(|(c, _)| *c));
        out.extend(r.signals.iter().filter_map(|s| s.status));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The products known to write `status`, in id order.
pub fn sources_of(status: u16) -> Vec<&'static crate::rules::Rule> {
    crate::rules::RULES
        .iter()
        .filter(|r| statuses_of(r.id).contains(&status))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Hop;

    #[test]
    fn cloudflare_522_blames_the_origin() {
        let Some(d) = typical("cloudflare", Some(522), None) else {
            unreachable!("cloudflare is a source")
        };
        assert_eq!(d.failing_hop.hop, Hop::Origin);
        assert!(!d.visitor_fixes.is_empty() && !d.owner_fixes.is_empty());
        assert!(statuses_of("cloudflare").contains(&522));
        assert!(sources_of(522).iter().any(|r| r.id == "cloudflare"));
    }

    #[test]
    fn browser_dns_error_is_the_network() {
        let Some(d) = typical("chrome", None, Some("ERR_NAME_NOT_RESOLVED")) else {
            unreachable!("chrome is a source")
        };
        assert_eq!(d.failing_hop.hop, Hop::Network);
        assert_eq!(d.net_error.as_deref(), Some("ERR_NAME_NOT_RESOLVED"));
    }

    #[test]
    fn unknown_source_is_none() {
        assert!(typical("no-such-product", Some(502), None).is_none());
    }
}
