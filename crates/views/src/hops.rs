//! The hop diagram: Browser -> Your network -> edge / gateway products -> Website's server,
//! with the failing hop marked by text and shape as well as colour.

use crate::words::category_hop;
use culprit_core::{Category, Diagnosis, Hop};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HopDiagramProps {
    pub diagnosis: std::rc::Rc<Diagnosis>,
    /// Mark the hop that wrote the error page (off for generic reference diagrams).
    #[prop_or(true)]
    pub show_writer: bool,
    /// Show an unnamed gateway in front of the site (reference diagrams of statuses that a
    /// gateway writes about the server behind it).
    #[prop_or(false)]
    pub generic_gateway: bool,
    /// A caption in place of the diagnosis's explanation.
    #[prop_or_default]
    pub caption: Option<AttrValue>,
}

/// One box in the diagram.
#[derive(Debug, PartialEq)]
struct Node {
    hop: Hop,
    kind: &'static str,
    products: Vec<String>,
    wrote: bool,
    failing: bool,
}

/// The hop a product occupies: its rule's role, or what its category suggests.
fn hop_of(id: &str, category: Category) -> Hop {
    culprit_core::rules::rule(id).map_or_else(|| category_hop(category), |r| r.role)
}

fn nodes(d: &Diagnosis) -> Vec<Node> {
    let failing = d.failing_hop.hop;
    let writer = match d.source.id.as_str() {
        "none" => None,
        "custom" => Some(Hop::Origin),
        id => Some(hop_of(id, d.source.category)),
    };
    let mut named: Vec<(Hop, String)> = Vec::new();
    if !matches!(d.source.id.as_str(), "none" | "custom")
        && let Some(h) = writer
    {
        named.push((h, d.source.name.clone()));
    }
    for v in &d.via {
        named.push((hop_of(&v.id, v.category), v.name.clone()));
    }
    let order = [
        (Hop::Browser, "Your browser"),
        (Hop::Network, "Your network"),
        (Hop::Edge, "CDN / edge"),
        (Hop::Gateway, "Gateway / proxy"),
        (Hop::Origin, "Website's server"),
    ];
    order
        .into_iter()
        .filter_map(|(hop, kind)| {
            let products: Vec<String> = named
                .iter()
                .filter(|(h, _)| *h == hop)
                .map(|(_, n)| n.clone())
                .collect();
            let always = matches!(hop, Hop::Browser | Hop::Network | Hop::Origin);
            (always || !products.is_empty() || failing == hop).then(|| Node {
                hop,
                kind,
                products,
                wrote: writer == Some(hop),
                failing: failing == hop,
            })
        })
        .collect()
}

#[function_component(HopDiagram)]
pub fn hop_diagram(props: &HopDiagramProps) -> Html {
    let d = &props.diagnosis;
    let mut list = nodes(d);
    if !props.show_writer {
        list.iter_mut().for_each(|n| n.wrote = false);
    }
    if props.generic_gateway
        && !list
            .iter()
            .any(|n| n.hop == Hop::Gateway || n.hop == Hop::Edge)
    {
        let at = list
            .iter()
            .position(|n| n.hop == Hop::Origin)
            .unwrap_or(list.len());
        list.insert(
            at,
            Node {
                hop: Hop::Gateway,
                kind: "CDN, proxy or load balancer",
                products: Vec::new(),
                wrote: true,
                failing: false,
            },
        );
    }
    let unknown = d.failing_hop.hop == Hop::Unknown;
    html! {
        <figure class="hops-figure">
            <ol class="hops" aria-label="The request's path, from you to the website">
                { for list.iter().map(|n| {
                    let class = classes!("hop", n.failing.then_some("failing"), n.wrote.then_some("wrote"));
                    let current = n.failing.then_some("step");
                    html! {
                        <li class={class} data-hop={n.hop.as_str()} aria-current={current}>
                            <span class="hop-kind">{ n.kind }</span>
                            if !n.products.is_empty() {
                                <span class="hop-products">{ n.products.join(", ") }</span>
                            }
                            if n.failing {
                                <span class="badge badge-fail"><span aria-hidden="true">{"✕ "}</span>{"Failed here"}</span>
                            } else if !unknown {
                                <span class="badge badge-ok"><span aria-hidden="true">{"✓ "}</span>{"Worked"}</span>
                            }
                            if n.wrote {
                                <span class="badge badge-wrote"><span aria-hidden="true">{"✎ "}</span>{"Wrote the error page"}</span>
                            }
                        </li>
                    }
                }) }
            </ol>
            <figcaption class="hops-caption">{ props.caption.clone().unwrap_or_else(|| d.failing_hop.explanation.clone().into()) }</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnose(input: &str) -> Diagnosis {
        match culprit_core::diagnose(input.as_bytes()) {
            Ok(d) => d,
            Err(e) => unreachable!("fixture should read: {e}"),
        }
    }

    #[test]
    fn nginx_behind_cloudflare_marks_origin_and_names_both() {
        let d = diagnose(
            "HTTP/1.1 502 Bad Gateway\r\nServer: cloudflare\r\nCF-Ray: 8c21d8e9f0a1b2c3-MAD\r\n\r\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        );
        let n = nodes(&d);
        let hops: Vec<Hop> = n.iter().map(|n| n.hop).collect();
        assert_eq!(
            hops,
            [
                Hop::Browser,
                Hop::Network,
                Hop::Edge,
                Hop::Gateway,
                Hop::Origin
            ]
        );
        let failing: Vec<Hop> = n.iter().filter(|n| n.failing).map(|n| n.hop).collect();
        assert_eq!(
            failing,
            [Hop::Origin],
            "nginx got no answer from the app behind it"
        );
        let wrote: Vec<Hop> = n.iter().filter(|n| n.wrote).map(|n| n.hop).collect();
        assert_eq!(wrote, [Hop::Gateway], "nginx wrote the page");
        assert_eq!(n[2].products, ["Cloudflare"]);
    }

    #[test]
    fn browser_error_has_no_edge() {
        let d = diagnose(
            "This site can’t be reached\nexample.test’s server IP address could not be found.\nDNS_PROBE_FINISHED_NXDOMAIN",
        );
        let n = nodes(&d);
        assert!(
            n.iter()
                .all(|n| n.hop != Hop::Edge && n.hop != Hop::Gateway)
        );
        assert!(
            n.iter()
                .any(|n| n.failing && matches!(n.hop, Hop::Network | Hop::Browser))
        );
    }
}
