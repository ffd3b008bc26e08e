//! Reference pages for products: the index, and one page per product the core knows,
//! built from its rule file (what it is, how its pages look, its codes) and the core's
//! advice.

use super::use_copy;
use culprit_core::rules::{Place, RULES, Rule, rule};
use culprit_core::{Category, neterror, reference, status};
use culprit_views::words::hop_name;
use culprit_views::{FixTabs, HopDiagram};
use std::rc::Rc;
use yew::prelude::*;

const GROUPS: &[(Category, &str)] = &[
    (Category::Cdn, "CDNs and edge networks"),
    (Category::Platform, "Hosting platforms"),
    (
        Category::LoadBalancer,
        "Cloud load balancers and API gateways",
    ),
    (Category::Proxy, "Proxies and caches"),
    (Category::WebServer, "Web servers"),
    (Category::AppServer, "Application servers"),
    (Category::Browser, "Browsers"),
    (Category::Site, "The site itself"),
    (Category::None, "Not an error"),
];

#[function_component(SourceIndex)]
pub fn source_index() -> Html {
    html! {
        <article class="reference">
            <h1>{"Who wrote this error page?"}</h1>
            <p class="lead">{"An error page is written by one hop about a failure it saw, often at a later hop. These are the products Culprit recognises, grouped by where they sit between you and the website."}</p>
            { for GROUPS.iter().map(|(cat, title)| {
                let list: Vec<&Rule> = RULES.iter().filter(|r| r.category == *cat).collect();
                if list.is_empty() {
                    return html! {};
                }
                html! {
                    <section>
                        <h2>{ *title }</h2>
                        <ul class="source-list">
                            { for list.iter().map(|r| html! {
                                <li>
                                    <a href={format!("/source/{}/", r.id)}><strong>{ r.name }</strong></a>
                                    <span class="code-meaning">{ first_sentence(r.about) }</span>
                                </li>
                            }) }
                        </ul>
                    </section>
                }
            }) }
        </article>
    }
}

/// The first sentence of a text.
fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

/// The status whose advice best represents a product: a gateway failure first.
fn primary_status(id: &str) -> Option<u16> {
    let codes = reference::statuses_of(id);
    [502, 503, 504, 500, 522, 521]
        .into_iter()
        .find(|c| codes.contains(c))
        .or_else(|| codes.iter().copied().find(|c| *c >= 500))
        .or_else(|| codes.first().copied())
}

/// The signals of a rule found in `places`, one per meaning, at most `max`.
fn signals(r: &Rule, places: &[Place], max: usize) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for s in r.signals.iter().filter(|s| places.contains(&s.place)) {
        if out.iter().any(|(_, m)| *m == s.meaning) {
            continue;
        }
        let shown = match (s.place, s.header) {
            (Place::Header, Some(h)) if s.pattern.is_empty() => h.to_string(),
            (Place::Header, Some(h)) => format!("{h}: {}", s.pattern),
            _ => s.pattern.to_string(),
        };
        out.push((shown, s.meaning));
        if out.len() == max {
            break;
        }
    }
    out
}

fn signal_list(items: Vec<(String, &'static str)>) -> Html {
    html! {
        <ul class="signals">
            { for items.into_iter().map(|(p, m)| html! {
                <li><code>{ p }</code><span>{ m }</span></li>
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct SourcePageProps {
    pub id: &'static str,
}

#[function_component(SourcePage)]
pub fn source_page(props: &SourcePageProps) -> Html {
    let (oncopy, message) = use_copy();
    let Some(r) = rule(props.id) else {
        return html! { <super::not_found::NotFound /> };
    };
    let is_browser = r.category == Category::Browser;
    let codes = reference::statuses_of(r.id);
    let page = signals(
        r,
        &[Place::Body, Place::Text, Place::Title, Place::WholeText],
        12,
    );
    let headers = signals(r, &[Place::Header], 10);
    let logs = signals(r, &[Place::Log], 10);
    let typical = if is_browser {
        reference::typical(r.id, None, Some("ERR_CONNECTION_REFUSED"))
    } else if r.id == "none" {
        None
    } else {
        reference::typical(r.id, primary_status(r.id).or(Some(500)), None)
    }
    .map(Rc::new);
    html! {
        <article class="reference">
            <p class="kicker">{ format!("{} · sits at {}", r.category.label(), hop_name(r.role)) }</p>
            <h1>{ r.name }</h1>
            <p class="lead">{ r.about }</p>
            if !page.is_empty() {
                <h2>{"How to recognise its pages"}</h2>
                <p>{"Culprit names this product when the page carries these marks (matched in any letter case):"}</p>
                { signal_list(page) }
            }
            if !headers.is_empty() {
                <h2>{"Headers it adds"}</h2>
                <p>{"Seen in a response, these say the product was on the path, even when another one wrote the page:"}</p>
                { signal_list(headers) }
            }
            if !logs.is_empty() {
                <h2>{"Lines in its logs"}</h2>
                { signal_list(logs) }
            }
            if !codes.is_empty() {
                <h2>{"Its status codes"}</h2>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th scope="col">{"Code"}</th><th scope="col">{"Meaning"}</th><th scope="col">{"Usually failed"}</th></tr></thead>
                        <tbody>
                            { for codes.iter().map(|c| {
                                let info = status::info(*c);
                                let hop = reference::typical(r.id, Some(*c), None).map(|d| hop_name(d.failing_hop.hop));
                                html! {
                                    <tr>
                                        <th scope="row">
                                            if info.is_some() {
                                                <a href={format!("/status/{c}/")}>{ c }</a>
                                            } else {
                                                { c }
                                            }
                                        </th>
                                        <td>
                                            if let Some(i) = info { <strong>{ i.reason }</strong>{ ": " }{ i.meaning } }
                                        </td>
                                        <td>{ hop.unwrap_or("not known") }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            if is_browser {
                <h2>{"Network errors it shows"}</h2>
                <p>{"Before any server answers, the browser shows its own page with one of these codes:"}</p>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th scope="col">{"Code"}</th><th scope="col">{"What happened"}</th><th scope="col">{"Failed"}</th></tr></thead>
                        <tbody>
                            { for neterror::NET_ERRORS.iter().map(|n| html! {
                                <tr>
                                    <th scope="row"><code class="wrap">{ n.code }</code>
                                        if !n.aliases.is_empty() {
                                            <span class="aliases">{ format!("also {}", n.aliases.join(", ")) }</span>
                                        }
                                    </th>
                                    <td><strong>{ n.label }</strong>{ ": " }{ n.meaning }</td>
                                    <td>{ hop_name(n.hop) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            if let Some(d) = &typical {
                <h2>{ match (d.status, &d.net_error) {
                    (Some(s), _) => format!("When it shows a {s}"),
                    (None, Some(n)) => format!("When it shows {n}"),
                    _ => "What you can do".to_string(),
                } }</h2>
                <HopDiagram diagnosis={d.clone()} />
                <FixTabs visitor={Rc::new(d.visitor_fixes.clone())} owner={Rc::new(d.owner_fixes.clone())} oncopy={oncopy} />
                <p id="status-message" class="status-message" role="status" aria-live="polite">{ (*message).clone() }</p>
            }
            <p class="cta">{"Looking at one of its pages? "}<a href="/">{"Paste it to see what went wrong"}</a>{"."}</p>
            <nav class="prev-next" aria-label="Other products"><a href="/source/">{"All products"}</a></nav>
        </article>
    }
}
