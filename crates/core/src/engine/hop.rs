//! Stage 5, failing hop: the facts the source's signals state (and any log line's), and from
//! them, the source, the status and the network error, which hop failed.

use super::scan::Found;
use super::source::Choice;
use super::status::Status;
use crate::model::{Category, Hop, Source};
use crate::rules::{Fact, Place, RULES, Rule};

/// Facts from the source's own signals and from log lines of any product, once each, in
/// the order found.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn facts(hits: &[Found], source: Option<usize>) -> Vec<Fact> {
    let mut facts: Vec<Fact> = Vec::new();
    for h in hits {
        if let Some(f) = h.signal.fact {
            let own = Some(h.rule) == source || h.signal.place == Place::Log;
            if own && !facts.contains(&f) {
                facts.push(f);
            }
        }
    }
    facts
}

/// The hop named by the source's own signals (`hop = ...` on a signal), the strongest first.
#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn signal_hop(hits: &[Found], source: Option<usize>) -> Option<Hop> {
    hits.iter()
        .filter(|h| Some(h.rule) == source)
        .filter_map(|h| Some((h.signal.hop?, h.signal.weight)))
        .max_by_key(|(_, w)| *w)
        .map(|(hop, _)| hop)
}

#[inline(never)] // a stage of its own: see `engine::diagnose_parts`
pub fn failing_hop(
    choice: &Choice,
    status: &Status,
    facts: &[Fact],
    signal_hop: Option<Hop>,
) -> Hop {
    let browser_error = status.net_error.is_some() && status.code.is_none();
    if let Some(h) = signal_hop
        && !browser_error
    {
        return h;
    }
    decide_hop(
        choice.rule.and_then(|i| RULES.get(i)),
        &choice.source,
        status.code,
        facts,
        status.net_info.map(|i| i.hop),
        status.net_error.is_some(),
    )
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
    // A forward proxy (on the visitor's side) that cannot resolve the site's name fails where
    // a browser's own lookup would: on the network hop.
    if role == Hop::Network && facts.iter().any(|f| matches!(*f, UpstreamDns | Dns)) {
        return Hop::Network;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::source::source_of;
    use crate::engine::testing::{found, idx, sig, sig_with};
    use crate::matcher::Region;

    /// A rule like `id`'s, with the role and per-status hops given.
    fn rule(id: &str, role: Hop, hops: &'static [(u16, Hop)]) -> Rule {
        let Some(r) = crate::rules::rule(id) else {
            unreachable!("{id} is a source")
        };
        Rule { role, hops, ..*r }
    }

    fn hop(r: &Rule, status: Option<u16>, facts: &[Fact]) -> Hop {
        decide_hop(Some(r), &source_of(r, 0.9), status, facts, None, false)
    }

    #[test]
    fn facts_come_from_the_source_and_from_log_lines() {
        let refused = sig_with(Place::Text, 50, |s| s.fact = Some(Fact::UpstreamRefused));
        let other = sig_with(Place::Text, 50, |s| s.fact = Some(Fact::Blocked));
        let log = sig_with(Place::Log, 50, |s| s.fact = Some(Fact::PhpFpm));
        let hits = [
            found("nginx", refused, 0, Region::Text),
            found("cloudflare", other, 0, Region::Text),
            found("haproxy", log, 0, Region::Body),
            found("nginx", sig(Place::Text, 50), 0, Region::Text),
            found("nginx", refused, 9, Region::Text),
        ];
        assert_eq!(
            facts(&hits, Some(idx("nginx"))),
            [Fact::UpstreamRefused, Fact::PhpFpm]
        );
        assert_eq!(facts(&hits, None), [Fact::PhpFpm]);
    }

    #[test]
    fn a_network_error_without_a_status_is_its_own_hop() {
        let r = rule("chrome", Hop::Browser, &[]);
        let s = source_of(&r, 0.9);
        assert_eq!(
            decide_hop(Some(&r), &s, None, &[], Some(Hop::Browser), true),
            Hop::Browser
        );
        assert_eq!(
            decide_hop(Some(&r), &s, None, &[], None, true),
            Hop::Network
        );
        // With a status, the status decides.
        assert_eq!(
            decide_hop(Some(&r), &s, Some(404), &[], None, true),
            Hop::Origin
        );
    }

    #[test]
    fn a_source_signal_s_own_hop_wins_the_strongest_first() {
        let gateway = sig_with(Place::Log, 80, |s| s.hop = Some(Hop::Gateway));
        let edge = sig_with(Place::Log, 90, |s| s.hop = Some(Hop::Edge));
        let hits = [
            found("envoy", gateway, 0, Region::Body),
            found("cloudflare", edge, 0, Region::Body),
        ];
        // Another product's signal does not count.
        assert_eq!(signal_hop(&hits, Some(idx("envoy"))), Some(Hop::Gateway));
        assert_eq!(signal_hop(&hits, None), None);
        let both = [
            found("envoy", gateway, 0, Region::Body),
            found("envoy", edge, 5, Region::Body),
        ];
        assert_eq!(signal_hop(&both, Some(idx("envoy"))), Some(Hop::Edge));
    }

    #[test]
    fn a_forward_proxy_that_cannot_resolve_the_name_fails_on_the_network() {
        let proxy = rule("tinyproxy", Hop::Network, &[]);
        assert_eq!(hop(&proxy, Some(500), &[Fact::UpstreamDns]), Hop::Network);
        // What the site's server did is still the origin's.
        assert_eq!(
            hop(&proxy, Some(502), &[Fact::UpstreamRefused]),
            Hop::Origin
        );
        // A reverse proxy's lookup of its backend is the origin's configuration.
        let reverse = rule("nginx", Hop::Gateway, &[]);
        assert_eq!(hop(&reverse, Some(502), &[Fact::UpstreamDns]), Hop::Origin);
    }

    #[test]
    fn not_an_error_page_is_no_hop() {
        let r = rule("none", Hop::Gateway, &[]);
        assert_eq!(hop(&r, Some(502), &[Fact::UpstreamRefused]), Hop::Unknown);
    }

    #[test]
    fn the_product_s_own_hops_come_first() {
        let r = rule("nginx", Hop::Gateway, &[(502, Hop::Edge)]);
        assert_eq!(hop(&r, Some(502), &[Fact::UpstreamRefused]), Hop::Edge);
        assert_eq!(hop(&r, Some(500), &[]), Hop::Gateway);
    }

    #[test]
    fn facts_decide_before_the_status() {
        let r = rule("nginx", Hop::Gateway, &[]);
        assert_eq!(
            hop(&r, Some(502), &[Fact::RequestTooLarge, Fact::EdgeInternal]),
            Hop::Browser
        );
        assert_eq!(
            hop(&r, Some(502), &[Fact::EdgeInternal, Fact::UpstreamRefused]),
            Hop::Edge
        );
        assert_eq!(hop(&r, Some(500), &[Fact::PhpFpm]), Hop::Origin);
        assert_eq!(hop(&r, Some(404), &[Fact::Blocked]), Hop::Gateway);
        let browser = rule("chrome", Hop::Browser, &[]);
        assert_eq!(hop(&browser, Some(404), &[Fact::RateLimited]), Hop::Origin);
    }

    #[test]
    fn statuses_name_a_hop_by_the_product_s_role() {
        let edge = rule("cloudflare", Hop::Edge, &[]);
        let site = rule("custom", Hop::Origin, &[]);
        assert_eq!(hop(&edge, Some(431), &[]), Hop::Browser);
        assert_eq!(hop(&edge, Some(502), &[]), Hop::Origin);
        assert_eq!(hop(&edge, Some(500), &[]), Hop::Edge);
        assert_eq!(hop(&site, Some(500), &[]), Hop::Origin);
        assert_eq!(hop(&edge, Some(403), &[]), Hop::Edge);
        assert_eq!(hop(&site, Some(429), &[]), Hop::Origin);
        assert_eq!(hop(&edge, Some(407), &[]), Hop::Network);
        assert_eq!(hop(&edge, Some(404), &[]), Hop::Origin);
        assert_eq!(hop(&edge, Some(302), &[]), Hop::Unknown);
        // No status: the site's own page is the origin's; anything else is unknown.
        assert_eq!(hop(&site, None, &[]), Hop::Origin);
        assert_eq!(hop(&edge, None, &[]), Hop::Unknown);
        assert_eq!(
            decide_hop(None, &source_of(&site, 0.5), Some(500), &[], None, false),
            Hop::Origin
        );
    }
}
