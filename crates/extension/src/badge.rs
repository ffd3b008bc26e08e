//! The toolbar badge for a diagnosis: the status (or DNS / NET / TLS / OFF for a network
//! error), a colour for the failing hop, and the one-line diagnosis as its title.

use culprit_core::neterror::{self, NetKind};
use culprit_core::{Diagnosis, Hop};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Badge {
    /// At most four characters; empty when there is nothing to flag.
    pub text: String,
    /// A CSS colour for the badge's background.
    pub color: &'static str,
    /// The action's title (tooltip): the one-line diagnosis, naming the product.
    pub title: String,
}

/// The colour of each hop, the same in the badge and the popup's hop diagram legend.
pub fn hop_color(hop: Hop) -> &'static str {
    match hop {
        Hop::Browser => "#6b21a8",
        Hop::Network => "#b45309",
        Hop::Edge => "#1d4ed8",
        Hop::Gateway => "#be123c",
        Hop::Origin => "#b3261e",
        Hop::Unknown => "#4b5563",
    }
}

/// The badge's word for a network error.
fn net_word(code: &str) -> &'static str {
    match neterror::info(code).map(|i| i.kind) {
        Some(NetKind::Dns | NetKind::DnsConfig) => "DNS",
        Some(NetKind::Offline) => "OFF",
        Some(
            NetKind::Tls
            | NetKind::CertAuthority
            | NetKind::CertDate
            | NetKind::CertName
            | NetKind::CertRevoked
            | NetKind::CertOther,
        ) => "TLS",
        _ => "NET",
    }
}

pub fn badge(d: &Diagnosis) -> Badge {
    let text = match (d.status, &d.net_error) {
        (Some(status), _) if status >= 400 => status.to_string(),
        (_, Some(code)) => net_word(code).to_string(),
        (Some(status), None) if d.source.id != "none" => status.to_string(),
        _ => String::new(),
    };
    let mut title = d.summary.clone();
    let product = !matches!(d.source.id.as_str(), "custom" | "none");
    if product && !title.contains(&d.source.name) {
        title = format!("{title} (written by {})", d.source.name);
    }
    Badge {
        text,
        color: hop_color(d.failing_hop.hop),
        title: format!("Culprit: {title}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hop_has_its_own_colour() {
        let hops = [
            Hop::Browser,
            Hop::Network,
            Hop::Edge,
            Hop::Gateway,
            Hop::Origin,
            Hop::Unknown,
        ];
        let colours: std::collections::BTreeSet<_> = hops.iter().map(|h| hop_color(*h)).collect();
        assert_eq!(colours.len(), hops.len());
    }

    #[test]
    fn unknown_network_errors_are_net() {
        assert_eq!(net_word("ERR_SOMETHING_NEW"), "NET");
        assert_eq!(net_word(""), "NET");
    }
}
